import QtQuick
import "../style"

// A rounded text button; `accented` for the main or selected choice.
Rectangle {
    id: button
    property string label
    property bool accented: false
    property bool danger: false
    signal clicked()

    implicitWidth: Math.max(Style.operatorButtonHeight * 2, text.implicitWidth + Style.gap * 2)
    height: Style.operatorButtonHeight
    radius: height / 2
    color: danger ? Style.danger : (accented ? Style.accent : Style.surfaceRaised)
    border.color: accented || danger ? "transparent" : Style.surfaceBorder
    border.width: Style.border
    opacity: area.pressed ? 0.7 : 1

    Text {
        id: text
        anchors.centerIn: parent
        width: Math.min(implicitWidth, button.width - Style.gap)
        elide: Text.ElideRight
        text: button.label
        color: button.accented || button.danger ? Style.textOnAccent : Style.textPrimary
        font.family: Style.fontFamily
        font.pixelSize: Style.fontS
        font.weight: Font.DemiBold
    }
    MouseArea { id: area; anchors.fill: parent; onClicked: button.clicked() }
}

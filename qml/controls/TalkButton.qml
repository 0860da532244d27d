import QtQuick
import "../style"

// Push-to-talk: hold to speak (the window's Space key does the same).
Rectangle {
    id: button
    property bool active: false
    property string label
    signal pressed()
    signal released()

    height: Style.talkButtonHeight
    radius: height / 2
    color: active ? Style.good : Style.accent
    scale: area.pressed ? 0.97 : 1
    Behavior on scale { NumberAnimation { duration: Style.fast } }
    Behavior on color { ColorAnimation { duration: Style.normal } }

    Row {
        anchors.centerIn: parent
        spacing: Style.gapSmall
        Icon {
            anchors.verticalCenter: parent.verticalCenter
            name: "mic"
            colour: Style.textOnAccent
        }
        Text {
            anchors.verticalCenter: parent.verticalCenter
            text: button.label
            color: Style.textOnAccent
            font.family: Style.fontFamily
            font.pixelSize: Style.fontM
            font.weight: Font.DemiBold
        }
    }
    MouseArea {
        id: area
        anchors.fill: parent
        onPressed: button.pressed()
        onReleased: button.released()
    }
}

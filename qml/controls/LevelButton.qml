pragma ComponentBehavior: Bound
import QtQuick
import "../style"

// A round climate button: an icon, and for stepped controls (seat heat 0–3) a row of level dots.
Rectangle {
    id: button
    property string icon
    property int level: 0         // 0 = off
    property int levels: 1        // 1 = a plain on/off button
    property color activeColour: Style.accent
    signal clicked()

    readonly property bool active: level > 0
    width: Style.climateButton
    height: Style.climateButton
    radius: Style.radiusSmall
    color: area.pressed ? Style.accentSoft : active ? Qt.rgba(activeColour.r, activeColour.g, activeColour.b, Style.glow) : Style.surfaceRaised
    border.color: active ? activeColour : Style.surfaceBorder
    border.width: Style.border

    Icon {
        anchors.centerIn: parent
        anchors.verticalCenterOffset: button.levels > 1 ? -Style.levelDot * 0.7 : 0
        size: Style.iconSmall
        name: button.icon
        colour: button.active ? button.activeColour : Style.textSecondary
    }
    Row {
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: Style.levelDot
        spacing: Style.levelDot / 2
        visible: button.levels > 1
        Repeater {
            model: button.levels
            delegate: Rectangle {
                required property int index
                width: Style.levelDot
                height: Style.levelDot
                radius: width / 2
                color: index < button.level ? button.activeColour : Style.surfaceBorder
            }
        }
    }
    MouseArea { id: area; anchors.fill: parent; onClicked: button.clicked() }
}

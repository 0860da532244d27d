pragma ComponentBehavior: Bound
import QtQuick
import "../style"

// − value + : a touch stepper for a zone temperature or the fan (each side a full touch target).
Rectangle {
    id: stepper
    property string text
    property string icon
    property real step: 1
    property real valueWidth: Style.climateTempWidth
    property bool dim: false
    signal stepped(real delta)

    width: Style.climateButton * 2 + valueWidth
    height: Style.climateButton
    radius: height / 2
    color: Style.surfaceRaised
    border.color: Style.surfaceBorder
    border.width: Style.border
    opacity: dim ? Style.dimmed : 1

    Repeater {
        model: [{icon: "minus", sign: -1}, {icon: "plus", sign: 1}]
        delegate: Item {
            id: side
            required property var modelData
            width: Style.climateButton
            height: Style.climateButton
            x: modelData.sign < 0 ? 0 : stepper.width - width
            Rectangle {
                anchors.fill: parent
                anchors.margins: Style.gapSmall / 2
                radius: height / 2
                color: area.pressed ? Style.accentSoft : "transparent"
            }
            Icon { anchors.centerIn: parent; name: side.modelData.icon; colour: Style.textSecondary; size: Style.iconSmall }
            MouseArea { id: area; anchors.fill: parent; onClicked: stepper.stepped(side.modelData.sign * stepper.step) }
        }
    }
    Row {
        anchors.centerIn: parent
        spacing: Style.gapSmall / 2
        Icon {
            anchors.verticalCenter: parent.verticalCenter
            visible: stepper.icon !== ""
            name: stepper.icon
            size: Style.iconSmall
            colour: Style.textSecondary
        }
        Text {
            objectName: "stepperValue"
            anchors.verticalCenter: parent.verticalCenter
            text: stepper.text
            color: Style.textPrimary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontM
            font.weight: Font.DemiBold
        }
    }
}

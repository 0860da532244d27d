import QtQuick
import "../controls"
import "../style"

// Traffic Light Information: the next signal's phase, seconds to the change and the green-wave band.
Surface {
    id: panel
    property string phase: "unknown"
    property bool hasData: false
    property bool showCountdown: false
    property real secondsToChange: 0
    property real distanceM: 0
    property bool hasAdvice: false
    property real adviceMinKmh: 0
    property real adviceMaxKmh: 0
    property bool waiting: false  // the car stands at this light

    width: Style.signalCardWidth
    height: head.height + Style.gap * 2
    color: Style.mapCard

    SignalHead {
        id: head
        objectName: "signalHead"
        anchors.left: parent.left
        anchors.leftMargin: Style.gap
        anchors.verticalCenter: parent.verticalCenter
        phase: panel.hasData ? panel.phase : "unknown"
    }

    Column {
        anchors.left: head.right
        anchors.leftMargin: Style.gap
        anchors.right: parent.right
        anchors.rightMargin: Style.gap
        anchors.verticalCenter: parent.verticalCenter
        spacing: Style.gapSmall / 2

        Text {
            objectName: "signalCountdown"
            visible: panel.showCountdown
            text: qsTr("%1 s").arg(Math.ceil(panel.secondsToChange))
            color: Style.phaseColour(panel.phase)
            font.family: Style.fontFamily
            font.pixelSize: Style.fontXL
            font.weight: Font.Bold
        }
        Text {
            visible: !panel.hasData
            width: parent.width
            wrapMode: Text.WordWrap
            text: qsTr("No signal data")
            color: Style.textSecondary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontS
        }
        Text {
            objectName: "signalDistance"
            text: panel.waiting ? qsTr("Waiting at the light") : qsTr("in %1 m").arg(Math.round(panel.distanceM))
            color: Style.textSecondary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontS
        }
        Rectangle {
            objectName: "greenWave"
            visible: panel.hasAdvice
            width: adviceText.implicitWidth + Style.gap
            height: Style.chipHeight
            radius: height / 2
            color: "transparent"
            border.color: Style.signalGreen
            border.width: Style.border
            Text {
                id: adviceText
                anchors.centerIn: parent
                text: qsTr("%1–%2 km/h").arg(Math.round(panel.adviceMinKmh)).arg(Math.round(panel.adviceMaxKmh))
                color: Style.signalGreen
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
                font.weight: Font.DemiBold
            }
        }
    }
}

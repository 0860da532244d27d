pragma ComponentBehavior: Bound
import QtQuick
import "../style"

// Microphone input level as a row of bars that rise with the level.
Row {
    id: meter
    property real level: 0
    property int bars: 9
    property color colour: Style.good
    spacing: Style.gapSmall / 2
    height: Style.iconSize

    Repeater {
        model: meter.bars
        delegate: Rectangle {
            required property int index
            // Centre bars react most, like a voice-memo waveform.
            readonly property real weight: 1 - Math.abs(index - (meter.bars - 1) / 2) / meter.bars
            anchors.verticalCenter: parent.verticalCenter
            width: Style.gapSmall / 2
            height: Math.max(width, meter.height * Math.min(1, meter.level * 1.6 * weight))
            radius: width / 2
            color: meter.colour
            Behavior on height { NumberAnimation { duration: Style.fast } }
        }
    }
}

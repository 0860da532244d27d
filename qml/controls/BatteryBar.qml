import QtQuick
import "../style"

// State of charge as a slim bar; turns amber when low.
Rectangle {
    id: bar
    property real percent: 0
    height: Style.batteryBarHeight
    radius: height / 2
    color: Style.surfaceRaised

    Rectangle {
        width: Math.max(bar.height, bar.width * Math.max(0, Math.min(100, bar.percent)) / 100)
        height: bar.height
        radius: bar.radius
        color: bar.percent < Style.lowBatteryPct ? Style.warning : Style.good
        Behavior on width { NumberAnimation { duration: Style.slow } }
    }
}

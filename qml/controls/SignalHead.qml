pragma ComponentBehavior: Bound
import QtQuick
import "../style"

// A three-lamp signal head. `phase` lights one lamp; "unknown" shows the grey no-data head.
Rectangle {
    id: head
    property string phase: "unknown"
    readonly property bool known: phase === "red" || phase === "amber" || phase === "green"

    width: Style.signalHousingWidth
    height: Style.signalLamp * 3 + Style.gapSmall * 4
    radius: Style.radiusSmall
    color: Style.night ? "#05070a" : "#2a313c"

    Column {
        anchors.centerIn: parent
        spacing: Style.gapSmall
        Repeater {
            model: ["red", "amber", "green"]
            delegate: Rectangle {
                id: lampItem
                required property string modelData
                readonly property bool lit: head.phase === modelData
                objectName: "lamp_" + modelData
                width: Style.signalLamp
                height: Style.signalLamp
                radius: width / 2
                color: lit ? Style.phaseColour(modelData) : head.known ? Style.signalOff : Style.signalUnknown
                opacity: lit || !head.known ? 1 : Style.dimmed
                // A soft halo around the lit lamp (no shaders: works on the software renderer).
                Rectangle {
                    visible: lampItem.lit
                    anchors.centerIn: parent
                    width: parent.width * 1.5
                    height: width
                    radius: width / 2
                    color: "transparent"
                    border.color: Style.phaseColour(lampItem.modelData)
                    border.width: Style.border * 2
                    opacity: Style.glow * 2
                }
            }
        }
    }
}

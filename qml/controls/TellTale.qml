import QtQuick
import "../style"

// One tell-tale lamp; `severity` picks the ISO 2575 colour family (info green, warning amber,
// fault red, high beam blue).
Item {
    id: lamp
    property string icon
    property string severity: "info"
    width: Style.tellTaleSize
    height: Style.tellTaleSize

    Icon {
        anchors.centerIn: parent
        name: lamp.icon
        size: Style.tellTaleSize
        colour: lamp.severity === "fault" ? Style.danger : lamp.severity === "warning" ? Style.warning
                : lamp.severity === "beam" ? Style.coolColour : Style.good
    }
}

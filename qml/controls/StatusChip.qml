import QtQuick
import "../style"

// Icon + short label, for the status bar.
Row {
    id: chip
    property string icon
    property string label
    property color colour: Style.textSecondary
    spacing: Style.gapSmall
    height: Style.chipHeight

    Icon { anchors.verticalCenter: parent.verticalCenter; name: chip.icon; colour: chip.colour; size: Style.iconSmall }
    Text {
        anchors.verticalCenter: parent.verticalCenter
        text: chip.label
        color: chip.colour
        font.family: Style.fontFamily
        font.pixelSize: Style.fontS
    }
}

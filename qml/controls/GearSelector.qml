pragma ComponentBehavior: Bound
import QtQuick
import "../style"

// P R N D with the engaged gear lit.
Row {
    id: selector
    property string gear: "P"
    readonly property var gears: ["P", "R", "N", "D"]
    spacing: Style.gapSmall

    Repeater {
        model: selector.gears
        delegate: Rectangle {
            id: cell
            required property string modelData
            readonly property bool engaged: modelData === selector.gear
            width: Style.gearCell
            height: Style.gearCell
            radius: Style.radiusSmall
            color: engaged ? Style.accentSoft : "transparent"
            border.color: engaged ? Style.accent : "transparent"
            border.width: Style.border
            Text {
                anchors.centerIn: parent
                text: cell.modelData
                font.family: Style.fontFamily
                font.pixelSize: Style.fontL
                font.weight: cell.engaged ? Font.Bold : Font.Normal
                color: cell.engaged ? Style.accent : Style.textFaint
            }
        }
    }
}

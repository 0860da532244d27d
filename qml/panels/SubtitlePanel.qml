import QtQuick
import "../style"

// One line at the bottom of the screen with what the scripted "visitor" says (or a simulated
// event), so an audience can follow a demo turn without hearing it.
Rectangle {
    id: panel
    property string text
    property string kind: "say"          // say | event
    property string speakerLabel         // "Visitor" / "访客"
    property string demoLabel            // "Demo" / "演示"

    objectName: "subtitle"
    width: Math.min(Style.subtitleMaxWidth, row.implicitWidth + Style.margin * 2)
    height: Style.subtitleHeight
    radius: height / 2
    color: Style.subtitleBackground
    border.color: panel.kind === "event" ? Style.warning : Style.accent
    border.width: Style.border * 2
    opacity: panel.text !== "" ? 1 : 0
    visible: opacity > 0
    Behavior on opacity { NumberAnimation { duration: Style.normal } }

    Row {
        id: row
        anchors.centerIn: parent
        spacing: Style.gap
        Rectangle {
            anchors.verticalCenter: parent.verticalCenter
            width: badge.implicitWidth + Style.gap
            height: Style.chipHeight
            radius: height / 2
            color: panel.kind === "event" ? Style.warning : Style.accent
            Text {
                id: badge
                anchors.centerIn: parent
                text: panel.kind === "event" ? panel.demoLabel : panel.speakerLabel
                color: Style.textOnAccent
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
                font.weight: Font.DemiBold
            }
        }
        Text {
            anchors.verticalCenter: parent.verticalCenter
            width: Math.min(implicitWidth, Style.subtitleMaxWidth - badge.implicitWidth - Style.margin * 4)
            text: panel.kind === "say" ? "“" + panel.text + "”" : panel.text
            elide: Text.ElideRight
            color: Style.textPrimary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontL
            font.weight: Font.Medium
        }
    }
}

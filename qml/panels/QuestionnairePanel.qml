pragma ComponentBehavior: Bound
import QtQuick
import "../controls"
import "../style"

// One questionnaire page: the item, the end labels of its scale and one button per answer.
Surface {
    id: panel
    property string title
    property var page: ({})
    property int number: 0
    property int count: 0
    signal answered(var value)

    readonly property var options: page && page.options ? page.options : []
    readonly property bool pair: page && page.kind === "pair"

    height: content.implicitHeight + Style.margin * 2

    Column {
        id: content
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Style.margin
        spacing: Style.gap

        Item {
            width: parent.width
            height: heading.height
            Text {
                id: heading
                objectName: "questionnaireTitle"
                text: panel.title
                color: Style.accent
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
                font.weight: Font.DemiBold
            }
            Text {
                anchors.right: parent.right
                text: panel.number + " / " + panel.count
                color: Style.textSecondary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
            }
        }
        Text {
            objectName: "questionnaireItem"
            width: parent.width
            text: panel.page && panel.page.text ? panel.page.text : ""
            wrapMode: Text.WordWrap
            color: Style.textPrimary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontL
        }
        Row {
            id: choices
            objectName: "questionnaireOptions"
            spacing: panel.pair ? Style.gap : Style.gapSmall / 2
            readonly property real cell: panel.pair
                ? (parent.width - Style.gap) / 2
                : Math.min(Style.answerCell, (parent.width - spacing * (panel.options.length - 1)) / Math.max(1, panel.options.length))
            Repeater {
                model: panel.options
                Rectangle {
                    id: option
                    required property var modelData
                    width: choices.cell
                    height: Style.answerCell
                    radius: Style.radiusSmall
                    color: area.pressed ? Style.accent : Style.surfaceRaised
                    border.color: Style.surfaceBorder
                    border.width: Style.border
                    Text {
                        anchors.centerIn: parent
                        width: parent.width - Style.gapSmall
                        horizontalAlignment: Text.AlignHCenter
                        text: option.modelData.label
                        fontSizeMode: Text.HorizontalFit
                        minimumPixelSize: Style.fontXS
                        color: Style.textPrimary
                        font.family: Style.fontFamily
                        font.pixelSize: panel.pair ? Style.fontM : Style.fontS
                    }
                    MouseArea {
                        id: area
                        anchors.fill: parent
                        onClicked: panel.answered(option.modelData.value)
                    }
                }
            }
        }
        Item {
            width: choices.width
            height: low.height
            visible: !panel.pair
            Text {
                id: low
                text: panel.page && panel.page.low ? panel.page.low : ""
                color: Style.textSecondary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
            }
            Text {
                anchors.right: parent.right
                text: panel.page && panel.page.high ? panel.page.high : ""
                color: Style.textSecondary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
            }
        }
    }
}

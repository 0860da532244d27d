import QtQuick
import "../controls"
import "../style"

// The participant's task card: which task, what to do, the time left. Plain properties in.
Surface {
    id: panel
    property string title
    property string body
    property int number: 0
    property int count: 0
    property int secondsLeft: 0
    property bool running: false
    property bool paused: false
    property string operatorLine

    width: Style.taskCardWidth
    height: column.implicitHeight + Style.gap * 2
    color: Style.mapCard
    border.color: panel.paused ? Style.warning : Style.surfaceBorder

    Column {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Style.gap
        spacing: Style.gapSmall

        Item {
            width: parent.width
            height: counter.height
            Text {
                id: counter
                objectName: "taskCounter"
                visible: panel.count > 0
                text: panel.number + " / " + panel.count
                color: Style.accent
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
                font.weight: Font.DemiBold
            }
            Text {
                objectName: "taskTimeLeft"
                anchors.right: parent.right
                visible: panel.running
                text: Math.floor(panel.secondsLeft / 60) + ":" + String(panel.secondsLeft % 60).padStart(2, "0")
                color: panel.secondsLeft <= 10 ? Style.warning : Style.textSecondary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
            }
        }
        Text {
            objectName: "taskTitle"
            width: parent.width
            text: panel.title
            wrapMode: Text.WordWrap
            color: Style.textPrimary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontL
            font.weight: Font.DemiBold
        }
        Text {
            objectName: "taskBody"
            width: parent.width
            text: panel.body
            visible: text.length > 0
            wrapMode: Text.WordWrap
            color: Style.textPrimary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontM
        }
        Text {
            objectName: "operatorLine"
            width: parent.width
            text: panel.operatorLine
            visible: text.length > 0
            elide: Text.ElideRight
            color: Style.textFaint
            font.family: Style.fontFamily
            font.pixelSize: Style.fontXS
        }
    }
}

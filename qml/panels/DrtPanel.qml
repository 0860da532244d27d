import QtQuick
import "../style"

// ISO 17488 detection-response task: the red dot and the response button. The dot is lit by the
// backend's timing only; a tap on the button is a response.
Item {
    id: panel
    property bool lit: false
    signal respond()

    width: Style.drtButton
    height: Style.drtButton

    Rectangle {
        objectName: "drtDot"
        anchors.centerIn: parent
        width: Style.drtDot
        height: Style.drtDot
        radius: width / 2
        color: Style.signalRed
        visible: panel.lit
    }
    MouseArea {
        objectName: "drtButton"
        anchors.fill: parent
        onPressed: panel.respond()
    }
}

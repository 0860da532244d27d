import QtQuick
import "../style"

// A single-line text field with a send button, for typing to the assistant (no microphone needed).
Rectangle {
    id: field
    property string placeholder
    property alias text: input.text
    signal submitted(string text)

    function submit() {
        if (input.text.trim() !== "") {
            field.submitted(input.text)
            input.text = ""
        }
    }

    height: Style.inputHeight
    radius: height / 2
    color: Style.surfaceRaised
    border.color: input.activeFocus ? Style.accent : Style.surfaceBorder
    border.width: Style.border

    TextInput {
        id: input
        objectName: "assistantInput"
        anchors.left: parent.left
        anchors.right: send.left
        anchors.leftMargin: Style.gap
        anchors.rightMargin: Style.gapSmall
        anchors.verticalCenter: parent.verticalCenter
        clip: true
        color: Style.textPrimary
        selectionColor: Style.accent
        font.family: Style.fontFamily
        font.pixelSize: Style.fontM
        onAccepted: field.submit()
        Text {
            visible: input.text === "" && !input.preeditText
            text: field.placeholder
            color: Style.textFaint
            font: input.font
            elide: Text.ElideRight
            width: parent.width
        }
    }
    Rectangle {
        id: send
        anchors.right: parent.right
        anchors.rightMargin: Style.gapSmall / 2 + Style.border
        anchors.verticalCenter: parent.verticalCenter
        width: parent.height - Style.gapSmall
        height: width
        radius: width / 2
        color: Style.accent
        Icon { anchors.centerIn: parent; name: "send"; colour: Style.textOnAccent; size: Style.iconSmall }
        MouseArea { anchors.fill: parent; onClicked: field.submit() }
    }
}

import QtQuick
import "../style"

// A transient message pill; show(text) fades it in and it fades itself out.
// `positive` makes it a confirmation chip ("22 °C · Driver") instead of a warning.
Rectangle {
    id: toast
    property string message
    property bool positive: false  // a confirmation (green, tick) rather than a problem (red, warning)
    function show(text) {
        message = text
        opacity = 1
        hideTimer.restart()
    }

    opacity: 0
    visible: opacity > 0
    width: label.implicitWidth + Style.margin * 2
    height: Style.chipHeight * 1.3
    radius: height / 2
    color: positive ? Style.confirmColour : Style.danger
    Behavior on opacity { NumberAnimation { duration: Style.normal } }

    Row {
        anchors.centerIn: parent
        spacing: Style.gapSmall
        Icon { anchors.verticalCenter: parent.verticalCenter; name: toast.positive ? "check" : "warning"; colour: Style.textOnAccent; size: Style.iconSmall }
        Text {
            id: label
            anchors.verticalCenter: parent.verticalCenter
            text: toast.message
            color: Style.textOnAccent
            font.family: Style.fontFamily
            font.pixelSize: Style.fontS
            font.weight: Font.DemiBold
        }
    }
    Timer { id: hideTimer; interval: Style.toastMs; onTriggered: toast.opacity = 0 }
}

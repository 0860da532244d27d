import QtQuick
import "../style"

// A phone call: who, ringing or in the call, and hang up. Simulated calls say so.
Rectangle {
    id: card
    property string name
    property string callState: "active"  // ringing | active
    property bool simulated: true
    signal hangUp()

    objectName: "callCard"
    height: Style.activityCardHeight
    radius: Style.radiusSmall
    color: Style.surfaceRaised
    border.color: Style.good
    border.width: Style.border

    Rectangle {
        id: avatar
        anchors.left: parent.left
        anchors.leftMargin: Style.gap
        anchors.verticalCenter: parent.verticalCenter
        width: Style.iconSize * 1.8
        height: width
        radius: width / 2
        color: Style.good
        Icon { anchors.centerIn: parent; name: "phone"; colour: Style.textOnAccent }
    }
    Column {
        anchors.left: avatar.right
        anchors.leftMargin: Style.gap
        anchors.right: hang.left
        anchors.rightMargin: Style.gapSmall
        anchors.verticalCenter: parent.verticalCenter
        spacing: Style.gapSmall / 2
        Text {
            objectName: "callName"
            width: parent.width
            text: card.name
            elide: Text.ElideRight
            color: Style.textPrimary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontM
            font.weight: Font.DemiBold
        }
        Text {
            objectName: "callStatus"
            width: parent.width
            elide: Text.ElideRight
            text: (card.callState === "ringing" ? qsTr("Calling…") : qsTr("In call")) + (card.simulated ? "  ·  " + qsTr("Simulated") : "")
            color: Style.good
            font.family: Style.fontFamily
            font.pixelSize: Style.fontS
        }
    }
    Rectangle {
        id: hang
        objectName: "hangUp"
        anchors.right: parent.right
        anchors.rightMargin: Style.gap
        anchors.verticalCenter: parent.verticalCenter
        width: Style.climateButton
        height: width
        radius: width / 2
        color: hangArea.pressed ? Style.accentSoft : Style.danger
        Icon { anchors.centerIn: parent; name: "phone"; colour: Style.textOnAccent; size: Style.iconSmall; rotation: 135 }
        MouseArea { id: hangArea; anchors.fill: parent; onClicked: card.hangUp() }
    }
}

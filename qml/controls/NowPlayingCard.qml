import QtQuick
import "../style"

// Now playing: title, artist, progress, play/pause and next. The music is the car's simulated
// library (generated audio), and the card says so.
Rectangle {
    id: card
    property string title
    property string artist
    property bool playing: false
    property real position: 0
    property real duration: 0
    property bool simulated: true
    signal playPressed()
    signal nextPressed()

    objectName: "nowPlayingCard"
    height: Style.activityCardHeight
    radius: Style.radiusSmall
    color: Style.surfaceRaised
    border.color: Style.surfaceBorder
    border.width: Style.border

    Rectangle {
        id: art
        anchors.left: parent.left
        anchors.leftMargin: Style.gap
        anchors.verticalCenter: parent.verticalCenter
        anchors.verticalCenterOffset: -Style.progressHeight / 2
        width: Style.iconSize * 1.8
        height: width
        radius: Style.radiusSmall
        color: Style.accentAlt
        Icon { anchors.centerIn: parent; name: "music"; colour: Style.textOnAccent }
    }
    Column {
        anchors.left: art.right
        anchors.leftMargin: Style.gap
        anchors.right: controls.left
        anchors.rightMargin: Style.gapSmall
        anchors.verticalCenter: art.verticalCenter
        spacing: Style.gapSmall / 2
        Text {
            objectName: "trackTitle"
            width: parent.width
            text: card.title
            elide: Text.ElideRight
            color: Style.textPrimary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontM
            font.weight: Font.DemiBold
        }
        Text {
            width: parent.width
            objectName: "trackDetails"
            text: card.simulated ? qsTr("%1 · simulated library").arg(card.artist) : card.artist
            elide: Text.ElideRight
            color: Style.textSecondary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontS
        }
    }
    Row {
        id: controls
        anchors.right: parent.right
        anchors.rightMargin: Style.gap
        anchors.verticalCenter: art.verticalCenter
        spacing: Style.gapSmall
        Rectangle {
            objectName: "playPause"
            width: Style.climateButton
            height: width
            radius: width / 2
            color: playArea.pressed ? Style.accentSoft : Style.accent
            Icon { anchors.centerIn: parent; name: card.playing ? "pause" : "play"; colour: Style.textOnAccent; size: Style.iconSmall }
            MouseArea { id: playArea; anchors.fill: parent; onClicked: card.playPressed() }
        }
        Item {
            width: Style.climateButton
            height: width
            Icon { anchors.centerIn: parent; name: "next"; colour: Style.textSecondary; size: Style.iconSmall }
            MouseArea { anchors.fill: parent; onClicked: card.nextPressed() }
        }
    }
    // Progress: a thin bar along the bottom edge.
    Rectangle {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.leftMargin: Style.radiusSmall
        anchors.rightMargin: Style.radiusSmall
        anchors.bottomMargin: Style.border * 2
        height: Style.progressHeight
        radius: height / 2
        color: Style.surfaceBorder
        Rectangle {
            objectName: "trackProgress"
            width: card.duration > 0 ? parent.width * Math.min(1, card.position / card.duration) : 0
            height: parent.height
            radius: height / 2
            color: Style.accent
        }
    }
}

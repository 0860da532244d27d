import QtQuick
import "../style"

// One search result: parking (distance, free spaces, price) or restaurant (cuisine, distance, rating).
// A badge says when the place is a simulated record, or when only its figures (free spaces, price,
// rating) are simulated: an invented place is never shown as real.
Rectangle {
    id: card
    property int number: 1
    property string kind: "parking"
    property string name
    property real distanceM: -1
    property int free: -1
    property int capacity: -1
    property real priceCnyPerHour: -1
    property string cuisine
    property real rating: -1
    property bool simulated: false
    property bool figuresSimulated: false
    property string categoryName   // a place search: "Hospital" / "医院"
    property string openingHours
    property bool selected: false  // the one the driver chose; its map pin is highlighted too
    property bool compact: false
    signal picked()

    readonly property bool parking: kind === "parking"
    readonly property bool place: kind === "place"
    objectName: "resultCard"
    readonly property color kindColour: parking ? Style.parkingColour : place ? Style.placeColour : Style.restaurantColour

    function distanceText(m) {
        return m < 0 ? "" : m < 1000 ? qsTr("%1 m").arg(Math.round(m)) : qsTr("%1 km").arg((m / 1000).toFixed(1))
    }

    height: compact ? Style.cardHeightCompact : Style.cardHeight
    radius: Style.radiusSmall
    color: area.pressed ? Style.accentSoft : Style.surfaceRaised
    border.color: selected ? kindColour : Style.surfaceBorder
    border.width: selected ? Style.border * 2 : Style.border

    Rectangle {
        id: badge
        anchors.left: parent.left
        anchors.leftMargin: Style.gap
        anchors.verticalCenter: parent.verticalCenter
        width: Style.iconSize * 1.6
        height: width
        radius: width / 2
        color: card.kindColour
        Text {
            anchors.centerIn: parent
            text: card.number
            color: Style.textOnAccent
            font.family: Style.fontFamily
            font.pixelSize: Style.fontM
            font.weight: Font.Bold
        }
    }

    Column {
        anchors.left: badge.right
        anchors.leftMargin: Style.gap
        anchors.right: go.left
        anchors.rightMargin: Style.gapSmall
        anchors.verticalCenter: parent.verticalCenter
        spacing: Style.gapSmall / 2

        Item {
            width: parent.width
            height: nameText.implicitHeight
            Text {
                id: nameText
                objectName: "cardName"
                anchors.left: parent.left
                anchors.right: simBadge.visible ? simBadge.left : parent.right
                anchors.rightMargin: simBadge.visible ? Style.gapSmall : 0
                text: card.name
                elide: Text.ElideRight
                color: Style.textPrimary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontM
                font.weight: Font.DemiBold
            }
            Rectangle {
                id: simBadge
                objectName: "simulatedBadge"
                visible: card.simulated || card.figuresSimulated
                anchors.right: parent.right
                anchors.verticalCenter: nameText.verticalCenter
                width: simLabel.implicitWidth + Style.gapSmall * 2
                height: simLabel.implicitHeight + Style.gapSmall / 2
                radius: height / 2
                color: "transparent"
                border.color: Style.warning
                border.width: Style.border
                Text {
                    id: simLabel
                    objectName: "simulatedLabel"
                    anchors.centerIn: parent
                    text: card.simulated ? qsTr("Simulated") : qsTr("Simulated data")
                    color: Style.warning
                    font.family: Style.fontFamily
                    font.pixelSize: Style.fontXS
                }
            }
        }
        Row {
            spacing: Style.gap
            Row {
                spacing: Style.gapSmall / 2
                Icon { name: card.parking ? "walk" : "navigate"; size: Style.iconSmall; colour: Style.textSecondary }
                Text {
                    text: card.distanceText(card.distanceM)
                    color: Style.textSecondary
                    font.family: Style.fontFamily
                    font.pixelSize: Style.fontS
                }
            }
            Text {
                visible: card.parking && card.free >= 0
                text: qsTr("%1 free").arg(card.free)
                color: card.free > 0 ? Style.good : Style.danger
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
                font.weight: Font.DemiBold
            }
            Text {
                visible: card.parking && card.priceCnyPerHour >= 0
                text: qsTr("¥%1/h").arg(card.priceCnyPerHour)
                color: Style.textSecondary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
            }
            Text {
                visible: card.place && card.categoryName !== ""
                text: card.categoryName
                color: Style.textSecondary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
            }
            Text {
                visible: card.place && card.openingHours !== ""
                width: Math.min(implicitWidth, Style.cardHeight * 2)
                elide: Text.ElideRight
                text: card.openingHours
                color: Style.textFaint
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
            }
            Text {
                visible: !card.parking && !card.place && card.cuisine !== ""
                text: card.cuisine
                color: Style.textSecondary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
            }
            Row {
                visible: !card.parking && card.rating >= 0
                spacing: Style.gapSmall / 2
                Icon { name: "star"; size: Style.iconSmall; colour: Style.warning }
                Text {
                    text: card.rating.toFixed(1)
                    color: Style.textSecondary
                    font.family: Style.fontFamily
                    font.pixelSize: Style.fontS
                }
            }
        }
    }

    Icon {
        id: go
        anchors.right: parent.right
        anchors.rightMargin: Style.gap
        anchors.verticalCenter: parent.verticalCenter
        name: "navigate"
        colour: Style.accent
    }

    MouseArea {
        id: area
        anchors.fill: parent
        onClicked: card.picked()
    }
}

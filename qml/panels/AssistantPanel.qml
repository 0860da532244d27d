pragma ComponentBehavior: Bound
import QtQuick
import "../controls"
import "../style"

// The assistant: presence orb with its state, push-to-talk, transcript and reply, now playing or
// the call, result cards, typed input.
Surface {
    id: panel
    property string mode: "idle"
    property real level: 0
    property string transcript
    property bool partial: false  // the transcript is still being recognised
    property string reply
    property var cards: []
    property int selectedCard: -1
    readonly property int maxCards: 3
    // Now playing and the phone (from the cabin); a call takes the slot while it lasts.
    property bool showMedia: false
    property string mediaTitle
    property string mediaArtist
    property bool mediaPlaying: false
    property real mediaPosition: 0
    property real mediaDuration: 0
    property bool showCall: false
    property string callName
    property string callState: "idle"
    signal mediaPlayPressed()
    signal mediaNextPressed()
    signal hangUpPressed()
    signal talkPressed()
    signal talkReleased()
    signal textSubmitted(string text)
    signal cardPicked(int index)

    function stateName(s) {
        switch (s) {
        case "listening": return qsTr("Listening…")
        case "thinking": return qsTr("Thinking…")
        case "speaking": return qsTr("Speaking")
        default: return qsTr("How can I help?")
        }
    }

    Orb {
        id: orb
        objectName: "assistantOrb"
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: Style.margin
        mode: panel.mode
        level: panel.level
    }

    Column {
        anchors.left: orb.right
        anchors.leftMargin: Style.gap
        anchors.right: parent.right
        anchors.rightMargin: Style.margin
        anchors.verticalCenter: orb.verticalCenter
        spacing: Style.gapSmall

        Item {
            width: parent.width
            height: stateLabel.implicitHeight
            Text {
                id: stateLabel
                objectName: "assistantState"
                text: panel.stateName(panel.mode)
                color: Style.textPrimary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontL
                font.weight: Font.DemiBold
            }
            LevelMeter {
                anchors.right: parent.right
                anchors.verticalCenter: stateLabel.verticalCenter
                visible: panel.mode === "listening"
                level: panel.level
            }
        }
        TalkButton {
            width: parent.width
            active: panel.mode === "listening"
            label: panel.mode === "listening" ? qsTr("Release to send") : qsTr("Hold to talk  ·  Space")
            onPressed: panel.talkPressed()
            onReleased: panel.talkReleased()
        }
    }

    // Transcript and reply share whatever height the cards leave.
    Column {
        id: conversation
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: orb.bottom
        anchors.bottom: activity.top
        anchors.margins: Style.margin
        anchors.topMargin: Style.gap
        anchors.bottomMargin: Style.gap
        spacing: Style.gapSmall
        clip: true

        Text {
            objectName: "transcriptText"
            width: parent.width
            visible: panel.transcript !== ""
            text: "“" + panel.transcript + (panel.partial ? "…”" : "”")
            elide: Text.ElideRight
            color: panel.partial ? Style.textFaint : Style.textSecondary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontM
            font.italic: true
        }
        Text {
            objectName: "replyText"
            width: parent.width
            height: conversation.height - y
            text: panel.reply
            wrapMode: Text.WordWrap
            elide: Text.ElideRight
            color: Style.textPrimary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontM
            lineHeight: 1.15
        }
    }

    // The media or call card sits between the conversation and the result cards.
    Item {
        id: activity
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: cardColumn.top
        anchors.leftMargin: Style.margin
        anchors.rightMargin: Style.margin
        anchors.bottomMargin: visible ? Style.gapSmall : 0
        visible: panel.showCall || panel.showMedia
        height: visible ? Style.activityCardHeight : 0
        CallCard {
            anchors.fill: parent
            visible: panel.showCall
            name: panel.callName
            callState: panel.callState
            onHangUp: panel.hangUpPressed()
        }
        NowPlayingCard {
            anchors.fill: parent
            visible: !panel.showCall && panel.showMedia
            title: panel.mediaTitle
            artist: panel.mediaArtist
            playing: panel.mediaPlaying
            position: panel.mediaPosition
            duration: panel.mediaDuration
            onPlayPressed: panel.mediaPlayPressed()
            onNextPressed: panel.mediaNextPressed()
        }
    }

    Column {
        id: cardColumn
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: input.top
        anchors.margins: Style.margin
        anchors.bottomMargin: Style.gap
        spacing: Style.gapSmall
        Repeater {
            model: panel.cards.slice(0, panel.maxCards)
            delegate: ResultCard {
                required property var modelData
                required property int index
                width: cardColumn.width
                number: index + 1
                kind: modelData.kind
                name: modelData.name
                distanceM: modelData.distanceM
                free: modelData.free
                capacity: modelData.capacity
                priceCnyPerHour: modelData.priceCnyPerHour
                cuisine: modelData.cuisine
                rating: modelData.rating
                simulated: modelData.simulated
                figuresSimulated: modelData.figuresSimulated === true
                categoryName: modelData.categoryName || ""
                openingHours: modelData.openingHours || ""
                selected: index === panel.selectedCard
                compact: activity.visible  // so the reply keeps its lines
                onPicked: panel.cardPicked(index)
            }
        }
    }

    InputField {
        id: input
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Style.margin
        placeholder: qsTr("Type a request, e.g. “find parking”")
        onSubmitted: text => panel.textSubmitted(text)
    }
}

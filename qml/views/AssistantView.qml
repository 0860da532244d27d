import QtQuick
import "../panels"
import "../stores"

// The assistant store -> the panel; the cabin store adds the now-playing and call cards.
AssistantPanel {
    required property AssistantStore store
    property CabinStore cabinStore: null
    mode: store.state
    level: store.level
    transcript: store.transcript
    partial: store.partial
    reply: store.reply
    cards: store.cards
    selectedCard: store.selected
    showMedia: cabinStore !== null && cabinStore.showNowPlaying
    mediaTitle: cabinStore ? cabinStore.trackTitle : ""
    mediaArtist: cabinStore ? cabinStore.trackArtist : ""
    mediaPlaying: cabinStore ? cabinStore.playing : false
    mediaPosition: cabinStore ? cabinStore.trackPosition : 0
    mediaDuration: cabinStore ? cabinStore.trackDuration : 0
    showCall: cabinStore !== null && cabinStore.inCall
    callName: cabinStore ? cabinStore.callName : ""
    callState: cabinStore ? cabinStore.callState : "idle"
    onTalkPressed: store.pressTalk()
    onTalkReleased: store.releaseTalk()
    onTextSubmitted: text => store.submitText(text)
    onCardPicked: index => store.pickCard(index)
    onMediaPlayPressed: if (cabinStore) cabinStore.act(cabinStore.playing ? "media.pause" : "media.resume")
    onMediaNextPressed: if (cabinStore) cabinStore.act("media.next")
    onHangUpPressed: if (cabinStore) cabinStore.act("phone.hangup")
}

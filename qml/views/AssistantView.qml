import QtQuick
import "../panels"
import "../stores"

AssistantPanel {
    required property AssistantStore store
    mode: store.state
    level: store.level
    transcript: store.transcript
    partial: store.partial
    reply: store.reply
    cards: store.cards
    onTalkPressed: store.pressTalk()
    onTalkReleased: store.releaseTalk()
    onTextSubmitted: text => store.submitText(text)
    onCardPicked: index => store.pickCard(index)
}

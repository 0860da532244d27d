import QtQuick

// The assistant conversation. Actions go back to the backend (the voice pipeline or the simulation).
QtObject {
    id: store
    property var backend: null
    readonly property string state: backend ? backend.state : "idle"
    readonly property real level: backend ? backend.level : 0
    readonly property string transcript: backend ? backend.transcript : ""
    readonly property bool partial: backend ? backend.partial : false
    readonly property string reply: backend ? backend.reply : ""
    readonly property var cards: backend ? backend.cards : []
    readonly property int selected: backend && backend.selected !== undefined ? backend.selected : -1
    signal toast(string message)

    function pressTalk() { if (backend) backend.pressTalk() }
    function releaseTalk() { if (backend) backend.releaseTalk() }
    function submitText(text) { if (backend) backend.submitText(text) }
    function pickCard(index) { if (backend) backend.pickCard(index) }

    readonly property Connections _toasts: Connections {
        target: store.backend
        ignoreUnknownSignals: true
        function onToast(message) { store.toast(message) }
    }
}

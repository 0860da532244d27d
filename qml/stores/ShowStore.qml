import QtQuick

// Show mode: the subtitle of a scripted turn, kiosk/attract state and the operator menu's data.
// The only QML that talks to the ShowBridge (app/show/bridge.py).
QtObject {
    property var backend: null
    readonly property string subtitle: backend ? backend.subtitle : ""
    readonly property string subtitleKind: backend ? backend.subtitleKind : ""
    readonly property string mode: backend ? backend.mode : "live"
    readonly property bool kiosk: backend ? backend.kiosk : false
    readonly property bool menuOpen: backend ? backend.menuOpen : false
    readonly property var labels: backend ? backend.labels : ({})
    readonly property string language: backend ? backend.language : "en"
    readonly property var scenarios: backend ? backend.scenarios : []
    readonly property string playing: backend ? backend.playing : ""
    readonly property bool voiceOn: backend ? backend.voiceOn : true
    readonly property int volume: backend ? backend.volume : 80
    readonly property var microphones: backend ? backend.microphones : []
    readonly property int microphone: backend ? backend.microphone : -1
    readonly property real micLevel: backend ? backend.micLevel : 0
    readonly property bool online: backend ? backend.online : false
    readonly property string voiceState: backend ? backend.voiceState : ""
    readonly property string uptime: backend ? backend.uptime : ""
    readonly property real memoryMb: backend ? backend.memoryMb : 0
    readonly property int turns: backend ? backend.turns : 0
    readonly property int turnErrors: backend ? backend.turnErrors : 0
    readonly property bool pinError: backend ? backend.pinError : false

    // A subtitle line shows while a scenario plays; in the attract loop a hint invites the visitor.
    readonly property bool showSubtitle: subtitle !== ""
    readonly property bool showAttractHint: mode === "attract"

    function toggleMenu() { if (backend) backend.toggleMenu() }
    function activity() { if (backend) backend.activity() }
    function reset() { if (backend) backend.reset() }
    function setLanguage(language) { if (backend) backend.setLanguage(language) }
    function playScenario(name, lang) { if (backend) backend.playScenario(name, lang) }
    function stopScenario() { if (backend) backend.stopScenario() }
    function setVoiceOn(on) { if (backend) backend.setVoiceOn(on) }
    function setVolume(volume) { if (backend) backend.setVolume(volume) }
    function setMicrophone(index) { if (backend) backend.setMicrophone(index) }
    function quit(pin) { return backend ? backend.quit(pin) : false }
}

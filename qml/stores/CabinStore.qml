import QtQuick

// The car's cabin (app.vehicle via app.ui.bridges.CabinBridge): climate, seats, media, phone.
// Touches go back through the backend's set/adjust/act, the same API the assistant uses, so the
// limits and the confirmation text are the cabin's. `language` picks the bilingual names.
QtObject {
    id: store
    property var backend: null
    property string language: "en"

    readonly property bool available: backend ? backend.available : false
    readonly property var cabin: backend && backend.state ? backend.state : ({})
    readonly property var climate: cabin.climate || ({})
    readonly property var seats: cabin.seats || ({})
    readonly property var media: cabin.media || ({})
    readonly property var call: (cabin.phone || {}).call || ({})

    readonly property bool climateOn: climate.power !== false
    readonly property real driverTemp: (climate.driver || {}).temperature || 0
    readonly property real passengerTemp: (climate.passenger || {}).temperature || 0
    readonly property int fan: climate.fan || 0
    readonly property bool ac: climate.ac === true
    readonly property bool defrostFront: climate.defrost_front === true
    readonly property bool defrostRear: climate.defrost_rear === true
    readonly property int driverSeatHeat: (seats.driver || {}).heating || 0
    readonly property int passengerSeatHeat: (seats.passenger || {}).heating || 0
    readonly property int driverSeatVent: (seats.driver || {}).ventilation || 0
    readonly property int passengerSeatVent: (seats.passenger || {}).ventilation || 0

    // Now playing: shown once there is a track (playing or paused).
    readonly property var track: media.track || null
    readonly property bool hasTrack: track !== null && track !== undefined
    // The card shows once something has played (a paused track keeps it), not for an untouched library.
    readonly property bool showNowPlaying: hasTrack && (playing || trackPosition > 0)
    readonly property bool playing: media.playing === true
    readonly property string trackTitle: hasTrack ? (language === "zh" ? track.title_zh || track.title_en : track.title_en || track.title_zh) || "" : ""
    readonly property string trackArtist: hasTrack ? (language === "zh" ? track.artist_zh || track.artist_en : track.artist_en || track.artist_zh) || "" : ""
    readonly property real trackPosition: media.position_s || 0
    readonly property real trackDuration: hasTrack ? track.duration_s || 0 : 0
    readonly property string mediaSource: media.source || ""
    readonly property string station: media.station ? (typeof media.station === "string" ? media.station
                                        : (language === "zh" ? media.station.name_zh : media.station.name_en) || "") : ""

    // The phone: a call card while ringing or in a call.
    readonly property string callState: call.state || "idle"
    readonly property bool inCall: callState === "ringing" || callState === "active"
    readonly property var contact: call.contact || null
    readonly property string callName: contact ? (language === "zh" ? contact.name_zh || contact.name_en : contact.name_en || contact.name_zh) || "" : ""

    signal confirmed(string message, bool ok)

    function setValue(path, value) { if (backend) backend.setValue(path, value) }
    function adjust(path, delta) { if (backend) backend.adjust(path, delta) }
    function act(action) { if (backend) backend.act(action) }
    function toggle(path, current) { setValue(path, !current) }
    // Seat heating and ventilation step 0 → 1 → 2 → 3 → off, like the buttons in the car.
    function cycle(path, level, levels) { setValue(path, (level + 1) % (levels + 1)) }

    readonly property Connections _changes: Connections {
        target: store.backend
        ignoreUnknownSignals: true
        function onConfirmed(message, ok) { store.confirmed(message, ok) }
    }
}

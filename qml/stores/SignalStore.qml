import QtQuick

// The next traffic signal, with the Traffic Light Information display rules applied.
QtObject {
    property var backend: null

    // Rules (Audi TLI): hide close to the stop line while driving up to it, but keep the countdown
    // on screen while the car waits at a red light (that is when it is wanted); hide the red
    // countdown near its end so it does not invite a jump start.
    readonly property real hideWithinM: 30
    readonly property real redCountdownHideS: 4
    readonly property real stoppedBelowKmh: 3

    readonly property bool present: backend ? backend.present : false
    readonly property string phase: backend ? backend.phase : "unknown"
    readonly property real secondsToChange: backend ? backend.secondsToChange : -1
    readonly property real distanceM: backend ? backend.distanceM : -1
    readonly property real adviceMinKmh: backend ? backend.adviceMinKmh : -1
    readonly property real adviceMaxKmh: backend ? backend.adviceMaxKmh : -1
    readonly property real carSpeedKmh: backend && backend.carSpeedKmh !== undefined ? backend.carSpeedKmh : -1

    readonly property bool hasData: phase === "red" || phase === "amber" || phase === "green"
    readonly property bool waitingAtLight: hasData && phase !== "green" && carSpeedKmh >= 0
                                           && carSpeedKmh < stoppedBelowKmh
    readonly property bool visible: present && (distanceM < 0 || distanceM >= hideWithinM || waitingAtLight)
    readonly property bool showCountdown: hasData && secondsToChange >= 0
                                          && !(phase === "red" && secondsToChange < redCountdownHideS)
    readonly property bool hasAdvice: hasData && adviceMinKmh >= 0 && adviceMaxKmh >= adviceMinKmh
}

import QtQuick
import "../panels"
import "../stores"

TrafficLightPanel {
    required property SignalStore store
    objectName: "trafficLight"
    visible: store.visible
    phase: store.phase
    hasData: store.hasData
    showCountdown: store.showCountdown
    secondsToChange: store.secondsToChange
    distanceM: store.distanceM
    hasAdvice: store.hasAdvice
    adviceMinKmh: store.adviceMinKmh
    adviceMaxKmh: store.adviceMaxKmh
    waiting: store.waitingAtLight
}

import QtQuick
import "../../../qml/style"
import "../../../qml/stores"
import "../../../qml/views"

// TrafficLightView on a fake signal backend; the test sets the fake's fields.
Rectangle {
    id: root
    property string theme: "night"
    property real uiScale: 1.0
    property alias fake: fakeBackend
    width: Style.signalCardWidth + Style.margin * 2
    height: Style.signalLamp * 3 + Style.gapSmall * 4 + Style.gap * 2 + Style.margin * 2
    color: Style.background
    Binding { target: Style; property: "theme"; value: root.theme }
    Binding { target: Style; property: "scale"; value: root.uiScale }

    QtObject {
        id: fakeBackend
        property bool present: true
        property string phase: "red"
        property real secondsToChange: 12
        property real distanceM: 140
        property real adviceMinKmh: 20
        property real adviceMaxKmh: 38
        property real carSpeedKmh: 30
    }
    SignalStore { id: fakeStore; backend: fakeBackend }
    TrafficLightView {
        x: Style.margin
        y: Style.margin
        store: fakeStore
    }
}

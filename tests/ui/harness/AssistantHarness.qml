import QtQuick
import "../../../qml/style"
import "../../../qml/stores"
import "../../../qml/views"

Rectangle {
    id: root
    property string theme: "night"
    property real uiScale: 1.0
    property alias fake: fakeBackend
    width: Style.assistantWidth + Style.margin * 2
    height: Style.designHeight - Style.statusBarHeight
    color: Style.background
    Binding { target: Style; property: "theme"; value: root.theme }
    Binding { target: Style; property: "scale"; value: root.uiScale }

    QtObject {
        id: fakeBackend
        property string state: "listening"
        property real level: 0.7
        property string transcript: "Find parking near the Bund"
        property bool partial: false
        property string reply: "Test reply: I found two test places; the first has the most free spaces."
        property var cards: [
            {kind: "parking", name: "Test car park A", distanceM: 220, free: 54, capacity: 300, priceCnyPerHour: 20,
             cuisine: "", rating: -1, simulated: true, figuresSimulated: true, lat: 31.24, lon: 121.49},
            {kind: "restaurant", name: "Test restaurant B", distanceM: 1350, free: -1, capacity: -1, priceCnyPerHour: -1,
             cuisine: "Yunnan", rating: 4.5, simulated: false, figuresSimulated: true, lat: 31.23, lon: 121.49},
            {kind: "place", name: "Test hospital C", distanceM: 800, free: -1, capacity: -1, priceCnyPerHour: -1,
             cuisine: "", rating: -1, simulated: false, figuresSimulated: false, lat: 31.22, lon: 121.47,
             category: "hospital", categoryName: "Hospital", openingHours: "24/7"}
        ]
        property int picked: -1
        property string submitted
        property int talks: 0
        signal toast(string message)
        function pressTalk() { talks += 1 }
        function releaseTalk() {}
        function submitText(text) { submitted = text }
        function pickCard(index) { picked = index }
    }
    // The cabin: a paused track 80 s in; the test starts a call.
    property alias fakeCabin: fakeCabinBackend
    QtObject {
        id: fakeCabinBackend
        property bool available: true
        property var state: ({
            media: {playing: true, position_s: 80, source: "library",
                    track: {title_en: "Test Tone Two", title_zh: "测试音二", artist_en: "Test Band", artist_zh: "测试乐队",
                            duration_s: 200}},
            phone: {call: {state: "idle", contact: null}}
        })
        property string lastAction
        signal confirmed(string message, bool ok)
        function act(action) { lastAction = action }
        function setValue(path, value) {}
        function adjust(path, delta) {}
    }
    property string language: "en"
    CabinStore { id: fakeCabinStore; backend: fakeCabinBackend; language: root.language }
    AssistantStore { id: fakeStore; backend: fakeBackend }
    AssistantView {
        anchors.fill: parent
        anchors.margins: Style.margin
        store: fakeStore
        cabinStore: fakeCabinStore
    }
}

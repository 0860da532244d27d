import QtQuick
import "../../../qml/style"
import "../../../qml/stores"
import "../../../qml/views"

// The climate bar and its confirmation chip on a fake cabin backend (the cabin's state dict shape).
Rectangle {
    id: root
    property string theme: "night"
    property real uiScale: 1.0
    property string language: "en"
    property alias fake: fakeBackend
    width: Style.designWidth * Style.scale - Style.clusterWidth - Style.assistantWidth - Style.gap * 2
    height: Style.climateBarHeight + Style.chipHeight * 2 + Style.margin * 3
    color: Style.background
    Binding { target: Style; property: "theme"; value: root.theme }
    Binding { target: Style; property: "scale"; value: root.uiScale }

    QtObject {
        id: fakeBackend
        property bool available: true
        property var state: ({
            climate: {power: true, driver: {temperature: 21.5}, passenger: {temperature: 23}, fan: 4, ac: true,
                      defrost_front: true, defrost_rear: false},
            seats: {driver: {heating: 2, ventilation: 0}, passenger: {heating: 0, ventilation: 3}},
            media: {}, phone: {call: {state: "idle"}}
        })
        property string lastPath
        property var lastValue
        signal confirmed(string message, bool ok)
        function setValue(path, value) { lastPath = path; lastValue = value }
        function adjust(path, delta) { lastPath = path; lastValue = delta }
        function act(action) { lastPath = action }
    }
    CabinStore { id: fakeStore; backend: fakeBackend; language: root.language }
    ClimateBarView {
        id: bar
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Style.margin
        store: fakeStore
    }
    ConfirmationView {
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.top: parent.top
        anchors.topMargin: Style.margin
        store: fakeStore
    }
}

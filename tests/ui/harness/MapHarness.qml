import QtQuick
import "../../../qml/style"
import "../../../qml/stores"
import "../../../qml/views"

// The map view on a fake store: a fixed car, route, markers and signals on the real page.
Rectangle {
    id: root
    property string theme: "night"
    property real uiScale: 1.0
    property string pageUrl
    property alias fake: fakeBackend
    width: Style.designWidth - Style.clusterWidth - Style.assistantWidth
    height: Style.designHeight - Style.statusBarHeight
    color: Style.background
    Binding { target: Style; property: "theme"; value: root.theme }
    Binding { target: Style; property: "scale"; value: root.uiScale }

    QtObject {
        id: fakeBackend
        property string pageUrl: root.pageUrl
        property var route: [[31.2304, 121.4737], [31.2335, 121.4800], [31.2400, 121.4850]]
        property var markers: [{kind: "parking", name: "Test car park A", lat: 31.2327, lon: 121.4752},
                               {kind: "restaurant", name: "Test restaurant A", lat: 31.2352, lon: 121.4781}]
        property var signals: [{id: "1", lat: 31.2335, lon: 121.4800, phase: "red", next: true}]
        signal carMoved(real lat, real lon, real heading, int ms)
    }
    MapStore { id: fakeStore; backend: fakeBackend }
    MapView {
        id: view
        anchors.fill: parent
        anchors.margins: Style.margin
        store: fakeStore
    }
    // Once the page is up, put the car on the route.
    Connections {
        target: view.canvas
        function onPageReady() { fakeBackend.carMoved(31.2304, 121.4737, 60, 1) }
    }
}

import QtQuick

// What the map shows. Car moves arrive as a signal (they are tweened in the page), the rest as properties.
QtObject {
    id: store
    property var backend: null
    readonly property url page: backend ? backend.pageUrl : ""
    readonly property var route: backend ? backend.route : []
    readonly property var markers: backend ? backend.markers : []
    readonly property var signalsOnRoute: backend ? backend.signals : []
    readonly property var destination: backend && backend.destination ? backend.destination : ({})
    readonly property string language: backend && backend.language ? backend.language : "en"
    signal carMoved(real lat, real lon, real heading, int ms)

    readonly property Connections _car: Connections {
        target: store.backend
        ignoreUnknownSignals: true
        function onCarMoved(lat, lon, heading, ms) { store.carMoved(lat, lon, heading, ms) }
    }
}

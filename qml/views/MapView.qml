import QtQuick
import "../panels"
import "../stores"
import "../style"

// Binds the map store to the page: every change is one runJavaScript call, never a reload.
MapPanel {
    id: view
    required property MapStore store
    property string theme: Style.theme
    objectName: "mapView"
    page: store.page

    function pushAll() {
        canvas.setTheme(theme)
        canvas.setLanguage(store.language)
        canvas.setDestination(store.destination)
        canvas.setRoute(store.route)
        canvas.setSignals(store.signalsOnRoute)
        canvas.setMarkers(store.markers)
    }

    Connections {
        target: view.canvas
        function onPageReady() { view.pushAll() }
    }
    Connections {
        target: view.store
        function onCarMoved(lat, lon, heading, ms) { view.canvas.setCar(lat, lon, heading, ms) }
        function onRouteChanged() { view.canvas.setRoute(view.store.route) }
        function onMarkersChanged() { view.canvas.setMarkers(view.store.markers) }
        function onSignalsOnRouteChanged() { view.canvas.setSignals(view.store.signalsOnRoute) }
        function onDestinationChanged() { view.canvas.setDestination(view.store.destination) }
        function onLanguageChanged() { view.canvas.setLanguage(view.store.language) }
    }
    onThemeChanged: canvas.setTheme(theme)
}

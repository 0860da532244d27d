import QtQuick
import QtWebEngine

// The folium/Leaflet page in a WebEngineView, driven only through the page's `cockpit` JS API:
// one runJavaScript call per change, never a reload. Calls made before the page is ready are
// dropped; the owner re-sends its full state on `ready`.
Item {
    id: canvas
    property url page
    property color background
    // Page zoom follows the cockpit's scale so labels and lines keep their size relative to the UI.
    property real zoom: 1.0
    readonly property bool ready: loaded
    property bool loaded: false
    signal pageReady()

    function call(js) {
        if (canvas.loaded)
            web.runJavaScript(js)
    }
    function setCar(lat, lon, heading, ms) { call("cockpit.setCar(" + [lat, lon, heading, ms].join(",") + ")") }
    function setRoute(coords) { call("cockpit.setRoute(" + JSON.stringify(coords) + ")") }
    function setMarkers(items) { call("cockpit.setMarkers(" + JSON.stringify(items) + ")") }
    function setSignals(items) { call("cockpit.setSignals(" + JSON.stringify(items) + ")") }
    function setTheme(name) { call("cockpit.setTheme(" + JSON.stringify(name) + ")") }
    function setDestination(place) { call("cockpit.setDestination(" + JSON.stringify(place) + ")") }
    function setLanguage(code) { call("cockpit.setLanguage(" + JSON.stringify(code) + ")") }
    // Tests read the page's state back: evaluate(js) stores the result in `probe`.
    property var probe
    function evaluate(js) { if (canvas.loaded) web.runJavaScript(js, function(result) { canvas.probe = result }) }

    WebEngineView {
        id: web
        objectName: "mapWeb"
        anchors.fill: parent
        url: canvas.page
        backgroundColor: canvas.background
        zoomFactor: canvas.zoom
        onJavaScriptConsoleMessage: function(level, message, lineNumber, sourceID) {
            if (level !== WebEngineView.InfoMessageLevel)
                console.warn("map page:", message, "(" + sourceID + ":" + lineNumber + ")")
        }
        onLoadingChanged: function(request) {
            if (request.status === WebEngineView.LoadSucceededStatus) {
                canvas.loaded = true
                canvas.pageReady()
            } else if (request.status === WebEngineView.LoadFailedStatus) {
                console.warn("map page failed to load:", request.errorString)
            }
        }
    }
}

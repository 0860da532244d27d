import QtQuick
import "../controls"
import "../style"

// The map card: the Leaflet canvas clipped to a rounded frame, with a placeholder until the page is ready.
Surface {
    id: panel
    property alias canvas: canvas
    property url page
    clip: true

    MapCanvas {
        id: canvas
        objectName: "mapCanvas"
        anchors.fill: parent
        anchors.margins: Style.border
        page: panel.page
        background: Style.surface
        zoom: Style.scale
    }
    Text {
        anchors.centerIn: parent
        visible: !canvas.ready
        text: qsTr("Loading map…")
        color: Style.textSecondary
        font.family: Style.fontFamily
        font.pixelSize: Style.fontM
    }
}

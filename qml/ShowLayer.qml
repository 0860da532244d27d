import QtQuick
import "stores"
import "views"

// The show layer, laid over the cockpit window by app/show/live.py (Main.qml stays as it is).
Item {
    id: layer
    required property var showBackend
    objectName: "showLayer"
    z: 1000

    ShowStore { id: showStore; backend: layer.showBackend }
    ShowView { anchors.fill: parent; store: showStore }
}

import QtQuick
import "../controls"
import "../stores"

Toast {
    id: view
    required property AssistantStore store
    objectName: "toast"
    Connections {
        target: view.store
        function onToast(message) { view.show(message) }
    }
}

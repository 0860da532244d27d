import QtQuick
import "../controls"
import "../stores"

// A short chip confirming each cabin change, in the cabin's own words ("22 °C · Driver" / "主驾 22 °C");
// a refused or clamped change shows its reason the same way, in the warning colour.
Toast {
    id: view
    required property CabinStore store
    objectName: "confirmation"
    positive: true
    Connections {
        target: view.store
        function onConfirmed(message, ok) {
            view.positive = ok
            view.show(message)
        }
    }
}

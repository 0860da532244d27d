import QtQuick
import "../panels"
import "../stores"

ClusterPanel {
    required property VehicleStore store
    speedKmh: store.speedKmh
    gear: store.gear
    batteryPct: store.batteryPct
    rangeKm: store.rangeKm
    driveMode: store.driveMode
    tellTales: store.tellTales
    ready: store.ready
}

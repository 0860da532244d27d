import QtQuick

// The car's state for the cluster. `backend` is app.ui.bridges.VehicleBridge (or a fake in the harness).
QtObject {
    property var backend: null
    readonly property real speedKmh: backend ? backend.speedKmh : 0
    readonly property string gear: backend ? backend.gear : "P"
    readonly property real batteryPct: backend ? backend.batteryPct : 0
    readonly property real rangeKm: backend ? backend.rangeKm : 0
    readonly property string driveMode: backend ? backend.driveMode : "comfort"
    readonly property var tellTales: backend ? backend.tellTales : []
    readonly property bool ready: backend && backend.ready !== undefined ? backend.ready : true
}

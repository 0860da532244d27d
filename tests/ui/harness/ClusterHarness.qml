import QtQuick
import "../../../qml/style"
import "../../../qml/stores"
import "../../../qml/views"

Rectangle {
    id: root
    property string theme: "night"
    property real uiScale: 1.0
    property alias fake: fakeBackend
    width: Style.clusterWidth + Style.margin * 2
    height: Style.designHeight - Style.statusBarHeight
    color: Style.background
    Binding { target: Style; property: "theme"; value: root.theme }
    Binding { target: Style; property: "scale"; value: root.uiScale }

    QtObject {
        id: fakeBackend
        property real speedKmh: 88
        property string gear: "D"
        property real batteryPct: 12
        property real rangeKm: 61
        property string driveMode: "sport"
        property var tellTales: ["battery", "lowbeam"]
    }
    VehicleStore { id: fakeStore; backend: fakeBackend }
    ClusterView {
        anchors.fill: parent
        anchors.margins: Style.margin
        store: fakeStore
    }
}

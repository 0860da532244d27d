import QtQuick
import QtQuick.Window
import "style"
import "stores"
import "views"

// The cockpit window: status bar over cluster | map with the climate bar | assistant. Python hands in the backends;
// the stores here are the only things that talk to them, and only views hold stores.
Window {
    id: window
    required property var vehicleBackend
    required property var signalBackend
    required property var mapBackend
    required property var assistantBackend
    required property var systemBackend
    required property var cabinBackend

    width: Style.designWidth
    height: Style.designHeight
    visible: true
    color: Style.background
    title: qsTr("AI Cockpit")
    // Study mode only (app/study/qt.py sets it after loading); null = no study overlay.
    property var studyBackend: null

    VehicleStore { id: vehicleStore; backend: window.vehicleBackend }
    StudyStore { id: studyStore; backend: window.studyBackend }
    SignalStore { id: signalStore; backend: window.signalBackend }
    MapStore { id: mapStore; backend: window.mapBackend }
    AssistantStore { id: assistantStore; backend: window.assistantBackend }
    SystemStore { id: systemStore; backend: window.systemBackend }
    CabinStore { id: cabinState; backend: window.cabinBackend; language: systemStore.language }

    Binding { target: Style; property: "scale"; value: Math.min(window.width / Style.designWidth, window.height / Style.designHeight) }
    Binding { target: Style; property: "theme"; value: systemStore.theme }

    // A soft light falling from the top, like a lit instrument panel.
    Rectangle {
        anchors.fill: parent
        gradient: Gradient {
            GradientStop { position: 0.0; color: Style.backgroundGlow }
            GradientStop { position: 0.6; color: Style.background }
        }
    }

    // The design is 8:3; other aspect ratios are letter-boxed so nothing is cropped.
    Item {
        id: stage
        objectName: "stage"
        anchors.centerIn: parent
        width: Style.designWidth * Style.scale
        height: Style.designHeight * Style.scale
        focus: true

        // Space is push-to-talk, except while typing.
        Keys.onPressed: event => {
            if (event.key === Qt.Key_Space && !event.isAutoRepeat) {
                assistantStore.pressTalk()
                event.accepted = true
            }
        }
        Keys.onReleased: event => {
            if (event.key === Qt.Key_Space && !event.isAutoRepeat) {
                assistantStore.releaseTalk()
                event.accepted = true
            }
        }

        StatusBarView {
            id: statusBar
            objectName: "statusBar"
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            store: systemStore
        }

        ClusterView {
            id: cluster
            objectName: "cluster"
            anchors.left: parent.left
            anchors.top: statusBar.bottom
            anchors.bottom: parent.bottom
            anchors.leftMargin: Style.margin
            anchors.bottomMargin: Style.margin
            width: Style.clusterWidth
            store: vehicleStore
        }

        AssistantView {
            id: assistant
            objectName: "assistant"
            anchors.right: parent.right
            anchors.top: statusBar.bottom
            anchors.bottom: parent.bottom
            anchors.rightMargin: Style.margin
            anchors.bottomMargin: Style.margin
            width: Style.assistantWidth
            store: assistantStore
            cabinStore: cabinState
        }

        MapView {
            id: map
            anchors.left: cluster.right
            anchors.right: assistant.left
            anchors.top: statusBar.bottom
            anchors.bottom: climateBar.visible ? climateBar.top : parent.bottom
            anchors.margins: Style.gap
            anchors.topMargin: 0
            anchors.bottomMargin: climateBar.visible ? Style.gapSmall : Style.margin
            store: mapStore
        }

        // The climate bar along the bottom of the centre display.
        ClimateBarView {
            id: climateBar
            anchors.left: map.left
            anchors.right: map.right
            anchors.bottom: parent.bottom
            anchors.bottomMargin: Style.margin
            store: cabinState
        }

        TrafficLightView {
            anchors.left: map.left
            anchors.top: map.top
            anchors.margins: Style.gap
            store: signalStore
        }

        // Study mode (python -m app --study ...): task card, questionnaires and the DRT over the map.
        StudyView {
            visible: studyStore.active
            x: map.x
            y: map.y
            width: map.width
            height: map.height
            store: studyStore
        }

        ToastView {
            anchors.horizontalCenter: map.horizontalCenter
            anchors.bottom: map.bottom
            anchors.bottomMargin: Style.margin * 2
            store: assistantStore
        }

        ConfirmationView {
            anchors.horizontalCenter: map.horizontalCenter
            anchors.bottom: map.bottom
            anchors.bottomMargin: Style.margin * 2
            store: cabinState
        }
    }
}

import QtQuick
import "../style"
import "../stores"
import "../panels"

// Show mode over the cockpit: the subtitle line, the attract-loop hint, the hidden corner and
// shortcut that open the operator menu, and the menu itself.
Item {
    id: view
    required property ShowStore store

    Shortcut {
        sequence: "Ctrl+Shift+O"
        context: Qt.ApplicationShortcut
        onActivated: view.store.toggleMenu()
    }

    SubtitlePanel {
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: Style.margin * 3
        text: view.store.subtitle
        kind: view.store.subtitleKind
        speakerLabel: view.store.labels.visitor || ""
        demoLabel: view.store.labels.simulated || ""
    }

    // The attract loop invites the visitor in, in the language of the demo that plays.
    Rectangle {
        objectName: "attractHint"
        visible: view.store.showAttractHint
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.top: parent.top
        anchors.topMargin: Style.statusBarHeight + Style.gapSmall
        width: hint.implicitWidth + Style.margin * 2
        height: Style.chipHeight
        radius: height / 2
        color: Style.accent
        Text {
            id: hint
            anchors.centerIn: parent
            text: (view.store.labels.demo || "") + " · " + (view.store.labels.touchToStart || "")
            color: Style.textOnAccent
            font.family: Style.fontFamily
            font.pixelSize: Style.fontS
            font.weight: Font.DemiBold
        }
    }

    // A long press on the top-left corner opens the operator menu (no keyboard on a stand).
    MouseArea {
        objectName: "operatorCorner"
        anchors.left: parent.left
        anchors.top: parent.top
        width: Style.cornerHotspot
        height: Style.cornerHotspot
        pressAndHoldInterval: Style.longPressMs
        onPressAndHold: view.store.toggleMenu()
    }

    Rectangle {
        anchors.fill: parent
        visible: view.store.menuOpen
        color: Style.scrim
        MouseArea { anchors.fill: parent }   // the cockpit underneath does not get the taps
        OperatorMenuPanel {
            anchors.centerIn: parent
            labels: view.store.labels
            scenarios: view.store.scenarios
            playing: view.store.playing
            mode: view.store.mode
            language: view.store.language
            voiceOn: view.store.voiceOn
            volume: view.store.volume
            microphones: view.store.microphones
            microphone: view.store.microphone
            micLevel: view.store.micLevel
            online: view.store.online
            voiceState: view.store.voiceState
            uptime: view.store.uptime
            memoryMb: view.store.memoryMb
            turns: view.store.turns
            turnErrors: view.store.turnErrors
            pinError: view.store.pinError
            onCloseRequested: view.store.toggleMenu()
            onResetRequested: view.store.reset()
            onLanguageChosen: language => view.store.setLanguage(language)
            onScenarioChosen: (name, lang) => view.store.playScenario(name, lang)
            onStopRequested: view.store.stopScenario()
            onVoiceToggled: on => view.store.setVoiceOn(on)
            onVolumeChosen: volume => view.store.setVolume(volume)
            onMicrophoneChosen: index => view.store.setMicrophone(index)
            onQuitRequested: pin => view.store.quit(pin)
        }
    }
}

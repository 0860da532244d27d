pragma ComponentBehavior: Bound
import QtQuick
import "../style"

// The assistant's presence: breathes when idle, pulses with the input level while listening,
// spins an arc while thinking and ripples while speaking.
Item {
    id: orb
    property string mode: "idle"
    property real level: 0
    width: Style.orbSize
    height: Style.orbSize

    readonly property color tint: state === "listening" ? Style.good
                                : state === "thinking" ? Style.accentAlt
                                : Style.accent

    // Ripple rings: speaking sends them outward, listening scales them with the mic level.
    Repeater {
        model: 2
        delegate: Rectangle {
            id: ring
            required property int index
            anchors.centerIn: parent
            width: orb.width * 0.62
            height: width
            radius: width / 2
            color: "transparent"
            border.color: orb.tint
            border.width: Style.border * 2
            opacity: 0
            scale: orb.mode === "listening" ? 1 + orb.level * (0.45 + ring.index * 0.25) : 1
            Behavior on scale { NumberAnimation { duration: Style.fast } }
            SequentialAnimation on opacity {
                running: orb.mode === "speaking"
                loops: Animation.Infinite
                PauseAnimation { duration: ring.index * Style.slow / 2 }
                NumberAnimation { from: 0.8; to: 0; duration: Style.slow }
                onStopped: ring.opacity = orb.mode === "listening" ? 0.6 : 0
            }
            SequentialAnimation on scale {
                running: orb.mode === "speaking"
                loops: Animation.Infinite
                PauseAnimation { duration: ring.index * Style.slow / 2 }
                NumberAnimation { from: 1; to: 1.6; duration: Style.slow }
            }
            states: State {
                when: orb.mode === "listening"
                PropertyChanges { ring.opacity: 0.6 }
            }
        }
    }

    Rectangle {
        id: core
        anchors.centerIn: parent
        width: orb.width * 0.62
        height: width
        radius: width / 2
        color: orb.tint
        opacity: 0.9
        Rectangle {
            anchors.centerIn: parent
            width: parent.width * 0.55
            height: width
            radius: width / 2
            color: Style.textOnAccent
            opacity: Style.glow
        }
        SequentialAnimation on scale {
            running: orb.mode === "idle"
            loops: Animation.Infinite
            NumberAnimation { from: 0.94; to: 1.0; duration: Style.breathe; easing.type: Easing.InOutSine }
            NumberAnimation { from: 1.0; to: 0.94; duration: Style.breathe; easing.type: Easing.InOutSine }
        }
    }

    // Thinking: a comet dot orbiting the core.
    Item {
        anchors.fill: parent
        visible: orb.mode === "thinking"
        RotationAnimation on rotation {
            running: orb.mode === "thinking"
            loops: Animation.Infinite
            from: 0; to: 360; duration: Style.slow
        }
        Rectangle {
            x: parent.width / 2 - width / 2
            y: 0
            width: orb.width * 0.14
            height: width
            radius: width / 2
            color: Style.accentAlt
        }
    }
}

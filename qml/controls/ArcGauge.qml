import QtQuick
import QtQuick.Shapes
import "../style"

// A circular arc gauge: a faint track and a coloured value arc, opening at the bottom.
Item {
    id: gauge
    property real value: 0
    property real maximum: 100
    property real sweep: Style.gaugeSweepDeg
    property real stroke: Style.gaugeStroke
    property color trackColour: Style.surfaceRaised
    property color valueColour: Style.accent

    readonly property real startAngle: 90 + (360 - sweep) / 2
    readonly property real fraction: Math.max(0, Math.min(1, value / maximum))
    readonly property real radius: Math.min(width, height) / 2 - stroke

    Shape {
        anchors.fill: parent
        preferredRendererType: Shape.CurveRenderer
        antialiasing: true
        ShapePath {
            strokeColor: gauge.trackColour
            strokeWidth: gauge.stroke
            fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            PathAngleArc {
                centerX: gauge.width / 2
                centerY: gauge.height / 2
                radiusX: gauge.radius
                radiusY: gauge.radius
                startAngle: gauge.startAngle
                sweepAngle: gauge.sweep
            }
        }
        ShapePath {
            strokeColor: gauge.valueColour
            strokeWidth: gauge.stroke
            fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            PathAngleArc {
                centerX: gauge.width / 2
                centerY: gauge.height / 2
                radiusX: gauge.radius
                radiusY: gauge.radius
                startAngle: gauge.startAngle
                sweepAngle: Math.max(0.5, gauge.sweep * gauge.fraction)
            }
        }
    }
}

import QtQuick
import "../controls"
import "../style"

// The climate bar along the bottom of the centre display, as production cockpits lay it out:
// driver zone left, passenger zone right (temperature, seat heat and ventilation), fan and
// defrost in the middle. Plain properties in, intents out; the view turns them into cabin changes.
Surface {
    id: panel
    property bool climateOn: true
    property real driverTemp: 22
    property real passengerTemp: 22
    property int fan: 3
    property bool defrostFront: false
    property bool defrostRear: false
    property int driverSeatHeat: 0
    property int passengerSeatHeat: 0
    property int driverSeatVent: 0
    property int passengerSeatVent: 0
    signal temperatureStepped(string zone, real delta)
    signal fanStepped(int delta)
    signal seatHeatPressed(string zone)
    signal seatVentPressed(string zone)
    signal defrostPressed(string which)

    objectName: "climateBar"
    height: Style.climateBarHeight
    radius: Style.radiusSmall

    function temperatureText(t) { return qsTr("%1°").arg(t.toFixed(1)) }

    Row {
        anchors.left: parent.left
        anchors.leftMargin: Style.gapSmall
        anchors.verticalCenter: parent.verticalCenter
        spacing: Style.gapSmall
        Stepper {
            objectName: "driverTemp"
            text: panel.temperatureText(panel.driverTemp)
            step: Style.tempStep
            dim: !panel.climateOn
            onStepped: delta => panel.temperatureStepped("driver", delta)
        }
        LevelButton {
            objectName: "driverSeatHeat"
            icon: "seatheat"; levels: Style.seatLevels; level: panel.driverSeatHeat; activeColour: Style.heatColour
            onClicked: panel.seatHeatPressed("driver")
        }
        LevelButton {
            objectName: "driverSeatVent"
            icon: "seatvent"; levels: Style.seatLevels; level: panel.driverSeatVent; activeColour: Style.coolColour
            onClicked: panel.seatVentPressed("driver")
        }
    }

    Row {
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.verticalCenter: parent.verticalCenter
        spacing: Style.gapSmall
        Stepper {
            objectName: "fan"
            icon: "fan"
            text: panel.climateOn ? String(panel.fan) : qsTr("Off")
            valueWidth: Style.climateTempWidth * 0.6
            onStepped: delta => panel.fanStepped(delta)
        }
        LevelButton {
            objectName: "defrostFront"
            icon: "defrost"; level: panel.defrostFront ? 1 : 0; activeColour: Style.warning
            onClicked: panel.defrostPressed("front")
        }
        LevelButton {
            objectName: "defrostRear"
            icon: "defrostrear"; level: panel.defrostRear ? 1 : 0; activeColour: Style.warning
            onClicked: panel.defrostPressed("rear")
        }
    }

    Row {
        anchors.right: parent.right
        anchors.rightMargin: Style.gapSmall
        anchors.verticalCenter: parent.verticalCenter
        spacing: Style.gapSmall
        LevelButton {
            objectName: "passengerSeatVent"
            icon: "seatvent"; levels: Style.seatLevels; level: panel.passengerSeatVent; activeColour: Style.coolColour
            onClicked: panel.seatVentPressed("passenger")
        }
        LevelButton {
            objectName: "passengerSeatHeat"
            icon: "seatheat"; levels: Style.seatLevels; level: panel.passengerSeatHeat; activeColour: Style.heatColour
            onClicked: panel.seatHeatPressed("passenger")
        }
        Stepper {
            objectName: "passengerTemp"
            text: panel.temperatureText(panel.passengerTemp)
            step: Style.tempStep
            dim: !panel.climateOn
            onStepped: delta => panel.temperatureStepped("passenger", delta)
        }
    }
}

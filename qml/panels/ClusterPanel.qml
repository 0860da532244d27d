pragma ComponentBehavior: Bound
import QtQuick
import "../controls"
import "../style"

// Instrument cluster: speed gauge, gear, battery and range, drive mode and tell-tales.
Surface {
    id: panel
    property real speedKmh: 0
    property string gear: "P"
    property real batteryPct: 0
    property real rangeKm: 0
    property string driveMode: "comfort"
    property var tellTales: []
    property bool ready: true  // false until the world's car is there (the map data is loading)

    function modeName(mode) {
        switch (mode) {
        case "eco": return qsTr("Eco")
        case "sport": return qsTr("Sport")
        default: return qsTr("Comfort")
        }
    }

    // Top row: tell-tales left, drive mode right.
    Row {
        id: tells
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: Style.margin
        spacing: Style.gapSmall
        Repeater {
            model: panel.tellTales
            delegate: TellTale {
                required property string modelData
                icon: modelData
                severity: modelData === "battery" || modelData === "seatbelt" ? "fault"
                          : modelData === "highbeam" ? "beam" : "info"
            }
        }
    }
    Rectangle {
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Style.margin
        width: modeLabel.implicitWidth + Style.gap * 2
        height: Style.chipHeight
        radius: height / 2
        color: Style.accentSoft
        Text {
            id: modeLabel
            anchors.centerIn: parent
            text: panel.modeName(panel.driveMode)
            color: Style.accent
            font.family: Style.fontFamily
            font.pixelSize: Style.fontS
            font.weight: Font.DemiBold
            font.capitalization: Font.AllUppercase
            font.letterSpacing: Style.border
        }
    }

    ArcGauge {
        id: gauge
        objectName: "speedGauge"
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.top: tells.bottom
        anchors.topMargin: Style.gapSmall
        width: Style.gaugeSize
        height: Style.gaugeSize
        value: panel.speedKmh
        maximum: Style.gaugeMaxKmh
        Behavior on value { NumberAnimation { duration: Style.normal } }

        Column {
            anchors.centerIn: parent
            Text {
                objectName: "speedText"
                anchors.horizontalCenter: parent.horizontalCenter
                text: panel.ready ? Math.round(panel.speedKmh) : "–"
                color: Style.textPrimary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontHuge
                font.weight: Font.Light
            }
            Text {
                anchors.horizontalCenter: parent.horizontalCenter
                text: qsTr("km/h")
                color: Style.textSecondary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontM
            }
        }
    }

    GearSelector {
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.verticalCenter: gauge.bottom
        anchors.verticalCenterOffset: -Style.gearCell / 2
        gear: panel.gear
    }

    // Battery and range along the bottom edge.
    Item {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Style.margin
        height: Style.chipHeight + Style.gapSmall + Style.batteryBarHeight

        Row {
            anchors.left: parent.left
            anchors.top: parent.top
            spacing: Style.gapSmall
            Icon {
                anchors.verticalCenter: parent.verticalCenter
                name: "battery"
                colour: panel.batteryPct < Style.lowBatteryPct ? Style.warning : Style.good
            }
            Text {
                anchors.verticalCenter: parent.verticalCenter
                text: qsTr("%1%").arg(Math.round(panel.batteryPct))
                color: Style.textPrimary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontL
                font.weight: Font.DemiBold
            }
        }
        Row {
            anchors.right: parent.right
            anchors.top: parent.top
            spacing: Style.gapSmall
            Text {
                anchors.baseline: rangeValue.baseline
                text: qsTr("Range")
                color: Style.textSecondary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
            }
            Text {
                id: rangeValue
                text: qsTr("%1 km").arg(Math.round(panel.rangeKm))
                color: Style.textPrimary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontL
                font.weight: Font.DemiBold
            }
        }
        BatteryBar {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            percent: panel.batteryPct
        }
    }
}

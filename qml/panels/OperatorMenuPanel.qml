pragma ComponentBehavior: Bound
import QtQuick
import "../style"
import "../controls"

// The stand operator's hidden menu (Ctrl+Shift+O or a long press on the top-left corner):
// reset, language, scenarios, voice and volume, microphone and its level, the system's state,
// and quit with the PIN. Plain properties in, signals out.
Surface {
    id: menu
    property var labels: ({})
    property var scenarios: []           // [{name, lang, title}]
    property string playing               // "name/lang"
    property string mode
    property string language
    property bool voiceOn: true
    property int volume: 80
    property var microphones: []
    property int microphone: -1
    property real micLevel: 0
    property bool online
    property string voiceState
    property string uptime
    property real memoryMb
    property int turns
    property int turnErrors
    property bool pinError

    signal closeRequested()
    signal resetRequested()
    signal languageChosen(string language)
    signal scenarioChosen(string name, string lang)
    signal stopRequested()
    signal voiceToggled(bool on)
    signal volumeChosen(int volume)
    signal microphoneChosen(int index)
    signal quitRequested(string pin)

    function label(key) { return menu.labels[key] || key }

    objectName: "operatorMenu"
    width: Style.operatorMenuWidth
    height: column.implicitHeight + Style.margin * 2
    color: Style.surface

    component Caption: Text {
        width: Style.operatorButtonWidth * 0.7
        anchors.verticalCenter: parent ? parent.verticalCenter : undefined
        color: Style.textSecondary
        font.family: Style.fontFamily
        font.pixelSize: Style.fontS
    }
    component Value: Text {
        anchors.verticalCenter: parent ? parent.verticalCenter : undefined
        color: Style.textPrimary
        font.family: Style.fontFamily
        font.pixelSize: Style.fontS
        font.weight: Font.DemiBold
    }

    Column {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Style.margin
        spacing: Style.gap

        Item {
            width: parent.width
            height: Style.operatorButtonHeight
            Text {
                anchors.left: parent.left
                anchors.verticalCenter: parent.verticalCenter
                text: menu.label("operator") + "  ·  " + menu.label("mode_" + menu.mode)
                color: Style.textPrimary
                font.family: Style.fontFamily
                font.pixelSize: Style.fontL
                font.weight: Font.DemiBold
            }
            PillButton {
                anchors.right: parent.right
                label: menu.label("close")
                onClicked: menu.closeRequested()
            }
        }

        Row {
            spacing: Style.gap
            PillButton { label: menu.label("reset"); accented: true; onClicked: menu.resetRequested() }
            Caption { text: menu.label("language"); width: implicitWidth }
            SegmentedToggle {
                anchors.verticalCenter: parent.verticalCenter
                options: [{ key: "zh", label: "中文" }, { key: "en", label: "EN" }]
                current: menu.language
                onChosen: key => menu.languageChosen(key)
            }
            Caption { text: menu.label("voice"); width: implicitWidth }
            SegmentedToggle {
                anchors.verticalCenter: parent.verticalCenter
                options: [{ key: "on", label: menu.label("on") }, { key: "off", label: menu.label("off") }]
                current: menu.voiceOn ? "on" : "off"
                onChosen: key => menu.voiceToggled(key === "on")
            }
            Caption { text: menu.label("volume"); width: implicitWidth }
            PillButton { label: "−"; onClicked: menu.volumeChosen(Math.max(0, menu.volume - 10)) }
            Value { text: menu.volume + " %" }
            PillButton { label: "+"; onClicked: menu.volumeChosen(Math.min(100, menu.volume + 10)) }
        }

        Text {
            text: menu.label("scenarios")
            color: Style.textSecondary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontS
        }
        Flow {
            width: parent.width
            spacing: Style.gapSmall
            Repeater {
                model: menu.scenarios
                delegate: PillButton {
                    required property var modelData
                    width: Style.operatorButtonWidth
                    label: modelData.title + (modelData.lang === "zh" ? " · 中" : " · EN")
                    accented: menu.playing === modelData.name + "/" + modelData.lang
                    onClicked: menu.scenarioChosen(modelData.name, modelData.lang)
                }
            }
            PillButton {
                width: Style.operatorButtonWidth
                label: menu.label("stop")
                danger: menu.playing !== ""
                onClicked: menu.stopRequested()
            }
        }

        Row {
            spacing: Style.gap
            Caption { text: menu.label("microphone") }
            Value {
                visible: menu.microphones.length === 0
                text: menu.label("noMicrophone")
                color: Style.warning
            }
            Repeater {
                model: menu.microphones
                delegate: PillButton {
                    required property var modelData
                    required property int index
                    width: Style.operatorButtonWidth
                    label: modelData
                    accented: index === menu.microphone
                    onClicked: menu.microphoneChosen(index)
                }
            }
            LevelMeter { anchors.verticalCenter: parent.verticalCenter; level: menu.micLevel }
        }

        Row {
            spacing: Style.margin
            Row {
                spacing: Style.gapSmall
                Caption { text: menu.label("network"); width: implicitWidth }
                Value {
                    text: menu.online ? menu.label("online") : menu.label("offline")
                    color: menu.online ? Style.good : Style.warning
                }
            }
            Row {
                spacing: Style.gapSmall
                Caption { text: menu.label("voiceState"); width: implicitWidth }
                Value { text: menu.voiceState || menu.label("loading") }
            }
            Row {
                spacing: Style.gapSmall
                Caption { text: menu.label("uptime"); width: implicitWidth }
                Value { text: menu.uptime }
            }
            Row {
                spacing: Style.gapSmall
                Caption { text: menu.label("memory"); width: implicitWidth }
                Value { text: Math.round(menu.memoryMb) + " MB" }
            }
            Row {
                spacing: Style.gapSmall
                Caption { text: menu.label("turns"); width: implicitWidth }
                Value {
                    text: menu.turns + "  (" + menu.turnErrors + " " + menu.label("errors") + ")"
                    color: menu.turnErrors > 0 ? Style.warning : Style.textPrimary
                }
            }
        }

        Row {
            spacing: Style.gap
            Caption { text: menu.label("pin"); width: implicitWidth }
            Rectangle {
                width: Style.operatorButtonWidth
                height: Style.operatorButtonHeight
                radius: height / 2
                color: Style.surfaceRaised
                border.color: menu.pinError ? Style.danger : (pin.activeFocus ? Style.accent : Style.surfaceBorder)
                border.width: Style.border
                TextInput {
                    id: pin
                    objectName: "operatorPin"
                    anchors.fill: parent
                    anchors.leftMargin: Style.gap
                    anchors.rightMargin: Style.gap
                    verticalAlignment: TextInput.AlignVCenter
                    echoMode: TextInput.Password
                    inputMethodHints: Qt.ImhDigitsOnly
                    color: Style.textPrimary
                    font.family: Style.fontFamily
                    font.pixelSize: Style.fontM
                    onAccepted: menu.quitRequested(pin.text)
                }
            }
            PillButton { label: menu.label("quit"); danger: true; onClicked: menu.quitRequested(pin.text) }
            Value { visible: menu.pinError; text: menu.label("wrongPin"); color: Style.danger }
        }
    }
}

import QtQuick
import "../controls"
import "../style"

// Clock, model warnings, network, voice engine, language and theme toggles.
Item {
    id: bar
    property string clock
    property bool online: false
    property string voiceEngine
    property string voiceKind: "local"
    property string language: "en"
    property string theme: "night"
    property var missingModels: []
    signal languageChosen(string language)
    signal themeChosen(string theme)

    height: Style.statusBarHeight

    Text {
        id: clockText
        anchors.left: parent.left
        anchors.leftMargin: Style.margin
        anchors.verticalCenter: parent.verticalCenter
        text: bar.clock
        color: Style.textPrimary
        font.family: Style.fontFamily
        font.pixelSize: Style.fontL
        font.weight: Font.DemiBold
    }

    // A missing model is reported, not fatal: name it and give the command that fetches it.
    Rectangle {
        objectName: "modelWarning"
        visible: bar.missingModels.length > 0
        anchors.left: clockText.right
        anchors.leftMargin: Style.margin
        anchors.right: chips.left
        anchors.rightMargin: Style.margin
        anchors.verticalCenter: parent.verticalCenter
        height: Style.chipHeight
        radius: height / 2
        color: "transparent"
        border.color: Style.warning
        border.width: Style.border
        Row {
            anchors.left: parent.left
            anchors.leftMargin: Style.gap
            anchors.right: parent.right
            anchors.rightMargin: Style.gap
            anchors.verticalCenter: parent.verticalCenter
            spacing: Style.gapSmall
            Icon { anchors.verticalCenter: parent.verticalCenter; name: "warning"; colour: Style.warning; size: Style.iconSmall }
            Text {
                anchors.verticalCenter: parent.verticalCenter
                width: parent.width - Style.iconSmall - Style.gapSmall
                elide: Text.ElideRight
                color: Style.warning
                font.family: Style.fontFamily
                font.pixelSize: Style.fontS
                text: bar.missingModels.length === 0 ? ""
                    : qsTr("Model %1 is %2 — run: %3")
                        .arg(bar.missingModels[0].name)
                        .arg(bar.missingModels[0].state)
                        .arg(bar.missingModels[0].fetchCommand)
                      + (bar.missingModels.length > 1 ? qsTr(" (+%1 more)").arg(bar.missingModels.length - 1) : "")
            }
        }
    }

    Row {
        id: chips
        anchors.right: parent.right
        anchors.rightMargin: Style.margin
        anchors.verticalCenter: parent.verticalCenter
        spacing: Style.margin

        StatusChip {
            objectName: "networkChip"
            icon: bar.online ? "online" : "offline"
            label: bar.online ? qsTr("Online") : qsTr("Offline")
            colour: bar.online ? Style.good : Style.textSecondary
        }
        StatusChip {
            objectName: "voiceChip"
            icon: bar.voiceKind === "cloud" ? "cloud" : "chip"
            label: (bar.voiceKind === "cloud" ? qsTr("Cloud voice") : qsTr("Local voice"))
                   + (bar.voiceEngine ? " · " + bar.voiceEngine : "")
        }
        SegmentedToggle {
            objectName: "languageToggle"
            options: [{key: "zh", label: "中文"}, {key: "en", label: "EN"}]
            current: bar.language
            onChosen: key => bar.languageChosen(key)
        }
        SegmentedToggle {
            objectName: "themeToggle"
            options: [{key: "night", icon: "moon"}, {key: "day", icon: "sun"}]
            current: bar.theme
            onChosen: key => bar.themeChosen(key)
        }
    }
}

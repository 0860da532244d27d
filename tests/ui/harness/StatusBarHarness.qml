import QtQuick
import "../../../qml/style"
import "../../../qml/stores"
import "../../../qml/views"

Rectangle {
    id: root
    property string theme: "night"
    property real uiScale: 1.0
    property alias fake: fakeSystem
    width: Style.designWidth
    height: Style.statusBarHeight
    color: Style.background
    Binding { target: Style; property: "theme"; value: root.theme }
    Binding { target: Style; property: "scale"; value: root.uiScale }

    QtObject {
        id: fakeSystem
        property string clock: "08:30"
        property string theme: root.theme
        property string language: "en"
        property var missingModels: [{name: "whisper-base", role: "speech recognition", state: "missing",
                                      fetchCommand: "python -m app.models fetch whisper-base"}]
        property bool online: true
        property string voiceEngine: "edge-tts"
        property string voiceKind: "cloud"
        property string chosenLanguage
        function setTheme(theme) { root.theme = theme }
        function setLanguage(language) { chosenLanguage = language }
    }
    SystemStore { id: systemStore; backend: fakeSystem }
    StatusBarView {
        anchors.fill: parent
        store: systemStore
    }
}

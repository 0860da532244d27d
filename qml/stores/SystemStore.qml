import QtQuick

// Clock, theme, language, model health, network and the voice that speaks (cloud or local).
QtObject {
    property var backend: null
    readonly property string clock: backend ? backend.clock : ""
    readonly property string theme: backend ? backend.theme : "night"
    readonly property string language: backend ? backend.language : "en"
    readonly property var missingModels: backend ? backend.missingModels : []
    readonly property bool online: backend ? backend.online : false
    readonly property string voiceEngine: backend ? backend.voiceEngine : ""
    readonly property string voiceKind: backend ? backend.voiceKind : "local"

    function setTheme(theme) { if (backend) backend.setTheme(theme) }
    function setLanguage(language) { if (backend) backend.setLanguage(language) }
}

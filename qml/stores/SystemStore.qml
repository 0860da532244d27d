import QtQuick

// Clock, theme, language and model health.
QtObject {
    property var backend: null
    readonly property string clock: backend ? backend.clock : ""
    readonly property string theme: backend ? backend.theme : "night"
    readonly property string language: backend ? backend.language : "en"
    readonly property var missingModels: backend ? backend.missingModels : []

    function setTheme(theme) { if (backend) backend.setTheme(theme) }
    function setLanguage(language) { if (backend) backend.setLanguage(language) }
}

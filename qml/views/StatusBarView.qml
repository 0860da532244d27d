import QtQuick
import "../panels"
import "../stores"

StatusBarPanel {
    required property SystemStore store
    clock: store.clock
    language: store.language
    theme: store.theme
    missingModels: store.missingModels
    online: store.online
    voiceEngine: store.voiceEngine
    voiceKind: store.voiceKind
    onLanguageChosen: language => store.setLanguage(language)
    onThemeChosen: theme => store.setTheme(theme)
}

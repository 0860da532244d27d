import QtQuick
import "../panels"
import "../stores"

StatusBarPanel {
    required property SystemStore store
    required property AssistantStore assistant
    clock: store.clock
    language: store.language
    theme: store.theme
    missingModels: store.missingModels
    online: assistant.online
    voiceEngine: assistant.voiceEngine
    voiceKind: assistant.voiceKind
    onLanguageChosen: language => store.setLanguage(language)
    onThemeChosen: theme => store.setTheme(theme)
}

import QtQuick
import "../panels"
import "../stores"
import "../style"

// Study mode over the map: the task card, questionnaire pages and the DRT, plus the operator's
// window-wide hotkeys (F5 start/next, F6 success, F7 failure, F8 pause, F9 note; the study's DRT key, F2 by default, = DRT response).
Item {
    id: view
    required property StudyStore store
    objectName: "studyView"

    TaskCardPanel {
        objectName: "taskCard"
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Style.gap
        visible: view.store.phase !== "questionnaire"
        title: view.store.title
        body: view.store.paused ? "⏸  " + view.store.body : view.store.body
        number: view.store.taskNumber
        count: view.store.taskCount
        secondsLeft: view.store.timeLeft
        running: view.store.phase === "task"
        paused: view.store.paused
        operatorLine: view.store.operatorLine
    }

    QuestionnairePanel {
        objectName: "questionnaire"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.margins: Style.gap
        visible: view.store.phase === "questionnaire"
        title: view.store.title
        page: view.store.page
        number: view.store.pageNumber
        count: view.store.pageCount
        onAnswered: value => view.store.answer(value)
    }

    DrtPanel {
        objectName: "drt"
        // Near the driver's forward view: the left edge of the centre display, beside the cluster,
        // below the traffic-light card and clear of the task card.
        x: Style.gap
        y: parent.height * 0.42
        visible: view.store.drtEnabled && view.store.phase === "task"
        lit: view.store.drtLit && !view.store.paused
        onRespond: view.store.drtRespond()
    }

    Rectangle {
        objectName: "noteBox"
        visible: view.store.noteOpen
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.margins: Style.margin
        width: parent.width * 0.6
        height: Style.inputHeight
        radius: Style.radiusSmall
        color: Style.surfaceRaised
        border.color: Style.warning
        border.width: Style.border
        TextInput {
            id: note
            anchors.fill: parent
            anchors.margins: Style.gapSmall
            verticalAlignment: TextInput.AlignVCenter
            color: Style.textPrimary
            font.family: Style.fontFamily
            font.pixelSize: Style.fontM
            onAccepted: { view.store.addNote(text); text = "" }
        }
        onVisibleChanged: if (visible) note.forceActiveFocus()
    }

    Shortcut { sequence: view.store.drtKey; enabled: view.store.active; context: Qt.ApplicationShortcut; onActivated: view.store.drtRespond() }
    Shortcut { sequence: "F5"; enabled: view.store.active; context: Qt.ApplicationShortcut; onActivated: view.store.nextTask() }
    Shortcut { sequence: "F6"; enabled: view.store.active; context: Qt.ApplicationShortcut; onActivated: view.store.markSuccess() }
    Shortcut { sequence: "F7"; enabled: view.store.active; context: Qt.ApplicationShortcut; onActivated: view.store.markFailure() }
    Shortcut { sequence: "F8"; enabled: view.store.active; context: Qt.ApplicationShortcut; onActivated: view.store.togglePause() }
    Shortcut { sequence: "F9"; enabled: view.store.active; context: Qt.ApplicationShortcut; onActivated: view.store.openNote() }
}

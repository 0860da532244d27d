import QtQuick

// Study mode (app/study/qt.py StudyBridge): the task card, the questionnaire pages, the DRT dot and
// the operator's actions. Every text comes from the backend, already in the UI language.
QtObject {
    property var backend: null
    readonly property bool active: backend !== null
    readonly property string phase: backend ? backend.phase : ""
    readonly property string title: backend ? backend.title : ""
    readonly property string body: backend ? backend.body : ""
    readonly property int taskNumber: backend ? backend.taskNumber : 0
    readonly property int taskCount: backend ? backend.taskCount : 0
    readonly property int timeLeft: backend ? backend.timeLeft : 0
    readonly property bool paused: backend ? backend.paused : false
    readonly property bool drtEnabled: backend ? backend.drtEnabled : false
    readonly property bool drtLit: backend ? backend.drtLit : false
    readonly property bool criterionMet: backend ? backend.criterionMet : false
    // Operator messages reach the card only in a replay; live, the participant sees none of them.
    readonly property string operatorLine: backend && backend.showOperator ? backend.operatorLine : ""
    readonly property var page: backend ? backend.page : ({})
    readonly property int pageNumber: backend ? backend.pageNumber : 0
    readonly property int pageCount: backend ? backend.pageCount : 0
    readonly property bool noteOpen: backend ? backend.noteOpen : false
    readonly property string drtKey: backend ? backend.drtKey : "F2"

    function nextTask() { if (backend) backend.nextTask() }
    function markSuccess() { if (backend) backend.markSuccess() }
    function markFailure() { if (backend) backend.markFailure() }
    function togglePause() { if (backend) backend.togglePause() }
    function openNote() { if (backend) backend.openNote() }
    function addNote(text) { if (backend) backend.addNote(text) }
    function drtRespond() { if (backend) backend.drtRespond() }
    function answer(value) { if (backend) backend.answer(value) }
}

"""Study mode inside the cockpit: the StudyBridge behind qml/stores/StudyStore.qml.

`python -m app --study FILE --participant P07 [--condition C]` builds a `StudyController` on the
Cockpit. It logs through the same StudySession as the headless run, hooks the voice pipeline's
TurnEvents (and gates its agent with the wizard) once the pipeline has loaded, and shows the
participant the task card, the questionnaires and the DRT dot. Operator hotkeys (QML Shortcuts,
window-wide): F5 start / next task, F6 success, F7 failure, F8 pause, F9 note; the DRT response is
F2 or a tap on the response button. The Wizard-of-Oz page mirrors all of this for a second screen.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.study.definition import Study, task_order
from app.study.log import StudyLog, all_sessions
from app.study.questionnaires import TLX_PAIRS, items
from app.study.session import StudySession
from app.study.wizard import WizardAgent, WizardConsole
from app.ui.bridges import _props

log = logging.getLogger(__name__)

TEXT = {
    "ready": {"en": "Get ready", "zh": "请准备"},
    "ready_body": {"en": "The next task will appear here.", "zh": "下一项任务将显示在这里。"},
    "done": {"en": "Thank you!", "zh": "谢谢您！"},
    "done_body": {"en": "The session is complete.", "zh": "本次实验已完成。"},
    "paused": {"en": "Paused", "zh": "已暂停"},
    "waiting_voice": {"en": "Starting the voice assistant…", "zh": "语音助手启动中…"},
}


def questionnaire_pages(instrument: str, language: str, weighted_tlx: bool = True) -> list[dict[str, Any]]:
    """One page per answer the participant gives, in the UI language; each has its options."""
    data, lang = items(), language if language in ("en", "zh") else "en"
    q = data[instrument]
    title = q[f"name_{lang}"]
    pages: list[dict[str, Any]] = []
    if instrument == "tlx":
        for sub in q["subscales"]:
            opts = [{"value": v, "label": str(v)} for v in range(0, 101, 5)]
            pages.append({"key": sub["key"], "kind": "rating", "title": f"{title} · {sub[lang]}",
                          "text": sub[f"question_{lang}"], "low": sub[f"low_{lang}"], "high": sub[f"high_{lang}"],
                          "options": opts})  # fmt: skip
        if weighted_tlx:
            names = {s["key"]: s[lang] for s in q["subscales"]}
            for a, b in TLX_PAIRS:
                pages.append({"key": f"{a}|{b}", "kind": "pair", "title": title, "text": q[f"pairs_question_{lang}"],
                              "low": "", "high": "",
                              "options": [{"value": a, "label": names[a]}, {"value": b, "label": names[b]}]})  # fmt: skip
        return pages
    sc = q["scale"]
    for item in q["items"]:
        opts = [{"value": v, "label": str(v)} for v in range(sc["min"], sc["max"] + 1)]
        pages.append({"key": "", "kind": "likert", "title": title, "text": item[lang],
                      "low": sc[f"low_{lang}"], "high": sc[f"high_{lang}"], "options": opts})  # fmt: skip
    return pages


def answers_from_pages(instrument: str, pages: list[dict], answers: list) -> tuple[Any, dict]:
    """The page-by-page answers as the scorer takes them (TLX: ratings by scale + pairwise winners)."""
    if instrument != "tlx":
        return list(answers), {}
    pairs = list(zip(pages, answers, strict=True))
    ratings = {p["key"]: a for p, a in pairs if p["kind"] == "rating"}
    choices = [a for p, a in pairs if p["kind"] == "pair"]
    return ratings, {"choices": choices or None}


class StudyBridge(
    _props(
        phase=str,
        title=str,
        body=str,
        taskNumber=int,
        taskCount=int,
        timeLeft=int,
        paused=bool,
        drtEnabled=bool,
        drtLit=bool,
        criterionMet=bool,
        operatorLine=str,
        page=dict,
        pageNumber=int,
        pageCount=int,
        noteOpen=bool,
        drtKey=str,
        showOperator=bool,
    )
):
    """Properties for the study overlay; slots for the operator's and the participant's actions."""

    def __init__(self, controller: StudyController, parent: QObject | None = None):
        super().__init__(parent)
        self.c = controller
        self._v = {
            "phase": "ready", "title": "", "body": "", "taskNumber": 0, "taskCount": 0, "timeLeft": 0,
            "paused": False, "drtEnabled": False, "drtLit": False, "criterionMet": False, "operatorLine": "",
            "page": {}, "pageNumber": 0, "pageCount": 0, "noteOpen": False, "drtKey": "F2",
            "showOperator": False,
        }  # fmt: skip

    @Slot()
    def nextTask(self) -> None:
        self.c.next_task()

    @Slot()
    def markSuccess(self) -> None:
        self.c.mark("success")

    @Slot()
    def markFailure(self) -> None:
        self.c.mark("failure")

    @Slot()
    def togglePause(self) -> None:
        self.c.toggle_pause()

    @Slot()
    def openNote(self) -> None:
        self._set(noteOpen=True)

    @Slot(str)
    def addNote(self, text: str) -> None:
        self._set(noteOpen=False)
        if text.strip():
            self.c.add_note(text.strip())

    @Slot()
    def drtRespond(self) -> None:
        self.c.drt_respond()

    @Slot("QVariant")
    def answer(self, value) -> None:
        self.c.answer(value)


class _Relay(QObject):
    """Runs a callable on the Qt thread, from any thread (the wizard page, the agent thread)."""

    call = Signal(object)

    def __init__(self):
        super().__init__()
        self.call.connect(lambda fn: fn())


class StudyController:
    def __init__(
        self, cockpit, study: Study, participant: str, condition: str | None = None, clock=time.monotonic
    ):
        self.cockpit, self.study = cockpit, study
        self.clock = clock
        cond = study.condition(condition)
        previous = [
            s for s in all_sessions()
            if s["study"] == study.name and s["participant"] == participant and s["state"] == "interrupted"
            and (condition is None or s["condition"] == condition)
        ]  # fmt: skip
        done = [s for s in all_sessions() if s["study"] == study.name and s["participant"] == participant
                and s["state"] == "complete"]  # fmt: skip
        if done and not previous:
            print(
                f"note: {participant} already has a complete session ({done[-1]['id']}); this is a new one",
                flush=True,
            )
        if previous:  # a crash or a quit mid-session: carry on where it stopped
            self.log, row = StudyLog.resume(previous[-1]["id"])
            cond = study.condition(row["condition"])
            import json

            order = json.loads(row["task_order"])
        else:
            order = task_order(study, participant)
            self.log = StudyLog.create(
                study, participant, cond, order, mode="app", language=cockpit.translations.language
            )
        self.condition = cond
        # The world arrives with the voice pipeline's agent (_attach_pipeline).
        self.session = StudySession(study, self.log, cond, order, clock=clock, rng=random.Random())
        self.session.listeners.append(self._on_session)
        try:  # the cabin service arrives with the cabin branch; without it cabin criteria are "unknown"
            from app.vehicle import load_cabin

            self.session.watch_cabin(load_cabin())
        except Exception as exc:
            log.info("no cabin service for the study log: %s", exc)
        self.console = WizardConsole(cond.wizard, cond.wizard_timeout_s)
        self.console.on_mode = lambda mode: self.log.event("wizard_mode", {"mode": mode})
        self.bridge = StudyBridge(self)
        self._relay = _Relay()
        self.bridge._set(
            taskCount=len(order), drtEnabled=bool(study.drt["enabled"]), drtKey=str(study.drt["key"])
        )
        self._questionnaires: list[tuple[str, str | None]] = []  # (instrument, task_id) still to ask
        self._pages: list[dict] = []
        self._answers: list = []
        self._paused_at: float | None = None
        self._source = None
        self._pipe = None
        self._show_ready()
        cockpit.window.setProperty("studyBackend", self.bridge)
        # UI events: language and theme switches (card taps and typed input are wrapped per source).
        cockpit.system.languageSwitched.connect(self._on_language)
        cockpit.system.themeChanged.connect(
            lambda: self.session.ui_event("theme", {"to": cockpit.system.property("theme")})
        )
        self._timer = QTimer(interval=10, timeout=self._tick)  # DRT resolution: 10 ms
        self._timer.start()
        self._slow = QTimer(interval=250, timeout=self._watch)
        self._slow.start()
        self.web = None

    @property
    def language(self) -> str:
        return self.cockpit.translations.language

    def _t(self, key: str) -> str:
        return TEXT[key][self.language if self.language in ("en", "zh") else "en"]

    # --- hooking the cockpit's sources as they load ---
    def _watch(self) -> None:
        src = self.cockpit.assistant.source
        if src is not self._source:
            self._source = src
            self._wrap_source(src)
        pipe = getattr(src, "pipe", None)
        if pipe is not None and pipe is not self._pipe:
            self._pipe = pipe
            self._attach_pipeline(pipe)
        if self.session.task is not None and not self.session.paused:
            left = self.session.time_left() or 0
            self.bridge._set(timeLeft=max(0, int(left + 0.999)))
            if self.session.check_time():
                self.say_operator("time limit reached")

    def _wrap_source(self, src) -> None:
        pick, submit = getattr(src, "pick", None), getattr(src, "submit_text", None)
        if callable(pick):

            def wrapped_pick(index, _pick=pick):
                self.session.ui_event("card_tap", {"index": index + 1})
                return _pick(index)

            src.pick = wrapped_pick
        if callable(submit):

            def wrapped_submit(text, *a, _submit=submit):
                self.session.expect_input("typed")
                return _submit(text, *a)

            src.submit_text = wrapped_submit

    def _attach_pipeline(self, pipe) -> None:
        self._detach = pipe.add_listener(self.session.on_turn_event)
        world = getattr(pipe.agent, "world", None)
        self.session.world = world
        pipe.agent = WizardAgent(
            pipe.agent, self.console, world,
            # Queued to the Qt thread; it lands long before the turn's trace closes the turn row.
            on_decision=lambda rec: self._relay.call.emit(lambda: self.session.note_wizard(rec)),
        )  # fmt: skip
        self.log.event("pipeline_attached", {"wizard": self.condition.wizard})
        self.say_operator("voice pipeline ready · F5 starts the task")

    @property
    def voice_ready(self) -> bool:
        return self._pipe is not None or self.cockpit.voice_error is not None

    # --- flow ---
    def _show_ready(self) -> None:
        remaining = self.session.remaining()
        if not remaining:
            return self._start_questionnaires([(i, None) for i in self.study.at_end], final=True)
        self.bridge._set(phase="ready", title=self._t("ready"), body=self._t("ready_body"), page={},
                         taskNumber=len(self.session.order) - len(remaining) + 1)  # fmt: skip

    def next_task(self) -> None:
        phase = self.bridge.property("phase")
        if phase == "task":
            met = self.session.criterion_met
            outcome = (
                ("success", "criterion")
                if met
                else ("failure", "operator")
                if met is False
                else ("unknown", "operator")
            )
            self._end_task(*outcome)
        elif phase == "ready":
            if not self.voice_ready:
                self.say_operator("the voice pipeline is still loading")
                return
            remaining = self.session.remaining()
            task = self.session.start_task(remaining[0])
            self.bridge._set(
                phase="task", criterionMet=False, taskNumber=len(self.session.order) - len(remaining) + 1
            )
            self._show_task(task)
            self.say_operator(f"task {task.id} started")

    def _show_task(self, task) -> None:
        lang = "zh" if self.language == "zh" else "en"
        self.bridge._set(title=getattr(task, f"title_{lang}"), body=getattr(task, f"instruction_{lang}"),
                         timeLeft=int(task.time_limit_s))  # fmt: skip

    def mark(self, outcome: str) -> None:
        if self.session.task is not None:
            self._end_task(outcome, "operator")

    def _end_task(self, outcome: str, by: str) -> None:
        task_id = self.session.task.id
        self.session.end_task(outcome, by)
        self.say_operator(f"task {task_id}: {outcome}")

    def toggle_pause(self) -> None:
        on = not self.session.paused
        if on:
            self._paused_at = self.clock()
        elif self._paused_at is not None and self.session.task is not None:
            self.session.task_started += self.clock() - self._paused_at  # the time limit stops too
        self.session.pause(on)
        self.bridge._set(paused=on, drtLit=False if on else self.session.drt.lit)

    def _on_session(self, kind: str, data: dict) -> None:
        if kind == "task_end":
            self.bridge._set(drtLit=False)
            self._start_questionnaires([(i, data["task_id"]) for i in self.study.after_each_task])
        elif kind == "criterion_met":
            self.bridge._set(criterionMet=True)
            self.say_operator("success criterion met · F5 next")
        elif kind in ("drt_on", "drt_off"):
            self.bridge._set(drtLit=kind == "drt_on")

    # --- questionnaires ---
    def _start_questionnaires(self, queue: list[tuple[str, str | None]], final: bool = False) -> None:
        self._questionnaires = list(queue)
        self._final = final
        self._next_questionnaire()

    def _next_questionnaire(self) -> None:
        if not self._questionnaires:
            if getattr(self, "_final", False) or not self.session.remaining():
                if not getattr(self, "_final", False):
                    return self._start_questionnaires([(i, None) for i in self.study.at_end], final=True)
                self.session.finish("complete")
                self.bridge._set(phase="done", title=self._t("done"), body=self._t("done_body"), page={})
                return
            return self._show_ready()
        instrument, _ = self._questionnaires[0]
        self._pages = questionnaire_pages(instrument, self.language, self.study.tlx_weighted)
        self._answers = []
        self._show_page()

    def _show_page(self) -> None:
        page = self._pages[len(self._answers)]
        self.bridge._set(phase="questionnaire", page=page, pageNumber=len(self._answers) + 1,
                         pageCount=len(self._pages), title=page["title"], body="")  # fmt: skip

    def answer(self, value) -> None:
        if self.bridge.property("phase") != "questionnaire":
            return
        self._answers.append(value)
        if len(self._answers) < len(self._pages):
            return self._show_page()
        instrument, task_id = self._questionnaires.pop(0)
        answers, kw = answers_from_pages(instrument, self._pages, self._answers)
        self.session.questionnaire(instrument, answers, task_id=task_id, language=self.language, **kw)
        self._next_questionnaire()

    # --- DRT ---
    def _tick(self) -> None:
        if self.session.task is not None:
            self.session.drt_tick()

    def drt_respond(self) -> None:
        if self.session.task is not None and self.study.drt["enabled"]:
            self.session.drt_respond()

    # --- misc ---
    def _on_language(self, language: str) -> None:
        self.session.ui_event("language", {"to": language})
        if self.session.task is not None:
            self._show_task(self.session.task)
        elif self.bridge.property("phase") == "questionnaire":
            self._pages = questionnaire_pages(self._questionnaires[0][0], language, self.study.tlx_weighted)
            self._show_page()
        elif self.bridge.property("phase") == "ready":
            self._show_ready()

    def add_note(self, text: str) -> None:
        self.session.note(text)
        self.say_operator(f"note saved: {text[:40]}")

    # --- the wizard / operator page ---
    def start_web(self, port: int = 0) -> str:
        from app.study.wizard_web import WizardServer

        self.web = WizardServer(
            self.console,
            status=self.web_status,
            operator=lambda action, text: self._relay.call.emit(lambda: self.operator_action(action, text)),
            port=port,
        ).start()
        self.log.event("wizard_page", {"port": self.web.port})  # never the token
        return self.web.url

    def web_status(self) -> dict:
        v = dict(self.bridge._v)  # a snapshot; read from the page's thread
        task = self.session.task
        return {
            "session": self.log.session_id,
            "condition": self.condition.key,
            "task": task.id if task else None,
            "phase": v["phase"],
            "timeLeft": v["timeLeft"],
            "criterionMet": v["criterionMet"],
            "operatorLine": v["operatorLine"],
        }

    def operator_action(self, action: str, text: str = "") -> None:
        """From the operator page, on the Qt thread; the same as the hotkeys."""
        match action:
            case "next":
                self.next_task()
            case "success" | "failure":
                self.mark(action)
            case "pause":
                self.toggle_pause()
            case "note":
                if text.strip():
                    self.add_note(text.strip())

    def say_operator(self, text: str) -> None:
        """To the operator only (the page and the terminal): the participant must not read
        "criterion met" on the task card."""
        self.bridge._set(operatorLine=text)
        self.console.record("operator", text)
        print(f"[study] {text}", flush=True)

    def close(self) -> None:
        self._timer.stop()
        self._slow.stop()
        if getattr(self, "_detach", None) is not None:
            self._detach()
        if self.web is not None:
            self.web.stop()
        if self.bridge.property("phase") != "done":
            self.session.finish("interrupted")
        self.log.close()


def start(cockpit, args):
    """`python -m app --study FILE --participant P [--condition C]` or `--replay SESSION [--speed X]`."""
    if args.replay:
        from app.study.replay import Replayer

        return Replayer(cockpit, args.replay, speed=args.speed).start()
    from app.study.definition import load_study

    controller = StudyController(cockpit, load_study(args.study), args.participant, args.condition)
    url = controller.start_web()
    print(f"study session {controller.log.session_id} (condition {controller.condition.key})", flush=True)
    print(f"operator / wizard page (this computer only): {url}", flush=True)
    print(
        "hotkeys: F5 start/next task, F6 success, F7 failure, F8 pause, F9 note; F2 = DRT response",
        flush=True,
    )
    return controller

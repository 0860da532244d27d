"""`python -m app --replay SESSION [--speed 4]`: a logged session's timeline again, in the cockpit.

The events table is replayed in order with its real gaps (divided by `speed`): the pipeline's
events go to the assistant panel as they did live (transcripts, replies, cards, states), task
starts and ends to the task card, DRT stimuli to the dot. F8 pauses the replay.
"""

from __future__ import annotations

import asyncio
import json
import logging

from app.services import TurnEvent
from app.study import log as studylog
from app.study.definition import load_study
from app.study.qt import StudyBridge

log = logging.getLogger(__name__)
REPLAYED = ("state", "partial", "transcript", "reply", "result", "error")


class Replayer:
    def __init__(self, cockpit, session_id: str, speed: float = 1.0):
        if speed <= 0:
            raise ValueError("--speed must be positive")
        path, row = studylog.find_session(session_id)
        conn = studylog.connect(path)
        try:
            self.events = [
                (t, task, kind, json.loads(data or "{}"))
                for t, task, kind, data in conn.execute(
                    "SELECT t_unix, task_id, kind, data FROM events WHERE session_id=? ORDER BY id",
                    (session_id,),
                )
            ]
        finally:
            conn.close()
        self.cockpit, self.session_id, self.speed = cockpit, session_id, speed
        self.order = json.loads(row["task_order"])
        try:
            self.study = load_study(row["study_file"]) if row["study_file"] else None
        except ValueError:
            self.study = None  # the study file moved: show task ids instead of texts
        self.paused = asyncio.Event()
        self.paused.set()
        self.bridge = StudyBridge(self)
        self.bridge._set(taskCount=len(self.order), drtEnabled=True, phase="ready", showOperator=True,
                         title=f"Replay {session_id}", body=f"{len(self.events)} events · {speed:g}×")  # fmt: skip
        cockpit.window.setProperty("studyBackend", self.bridge)
        self.task: asyncio.Task | None = None

    def start(self) -> Replayer:
        self.task = asyncio.ensure_future(self._play())
        return self

    async def _play(self) -> None:
        await asyncio.sleep(1.0)  # let the window come up
        prev = self.events[0][0] if self.events else 0
        for t, task_id, kind, data in self.events:
            await asyncio.sleep(max(0.0, (t - prev) / self.speed))
            await self.paused.wait()
            prev = t
            self.apply(task_id, kind, data)
        self.bridge._set(phase="done", title="Replay finished", body=self.session_id)

    def apply(self, task_id: str | None, kind: str, data: dict) -> None:
        if kind.startswith("pipeline_") and kind[9:] in REPLAYED:
            self.cockpit.assistant.on_event(TurnEvent(kind[9:], data))
        elif kind == "task_start":
            task = self.study.task(task_id) if self.study else None
            lang = "zh" if self.cockpit.translations.language == "zh" else "en"
            self.bridge._set(
                phase="task",
                title=getattr(task, f"title_{lang}") if task else task_id,
                body=getattr(task, f"instruction_{lang}") if task else "",
                taskNumber=data.get("position", 0) + 1,
                timeLeft=int(task.time_limit_s) if task else 0,
                criterionMet=False,
            )
        elif kind == "task_end":
            self.bridge._set(phase="ready", operatorLine=f"{task_id}: {data.get('outcome')}", drtLit=False)
        elif kind == "criterion_met":
            self.bridge._set(criterionMet=True, operatorLine="criterion met")
        elif kind in ("drt_on", "drt_off"):
            self.bridge._set(drtLit=kind == "drt_on")
        elif kind in ("questionnaire", "note", "wizard"):
            text = data.get("text") or data.get("instrument") or data.get("action")
            self.bridge._set(operatorLine=f"{kind}: {text} {data.get('score') or ''}".strip())

    # the bridge's slots: only pause means something in a replay
    def toggle_pause(self) -> None:
        if self.paused.is_set():
            self.paused.clear()
        else:
            self.paused.set()
        self.bridge._set(paused=not self.paused.is_set())

    def next_task(self) -> None: ...
    def mark(self, outcome: str) -> None: ...
    def drt_respond(self) -> None: ...
    def answer(self, value) -> None: ...
    def add_note(self, text: str) -> None: ...

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()

"""One participant's session: tasks in order, the turn recorder, success criteria, the DRT.

Shared by the headless runner (app/study/runner.py) and the in-app study mode (app/study/qt.py),
so both log exactly the same way. The turn recorder listens to the voice pipeline's TurnEvents
(the same events the UI and the bench read): each turn opens at its `state: thinking`, collects
transcript / reply / result / error / barge-in, and is written as one row when its `trace`
arrives, with every timing taken from that trace.
"""

from __future__ import annotations

import logging
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.services import TurnEvent
from app.study.definition import Study, Task
from app.study.drt import Drt
from app.study.log import StudyLog
from app.study.questionnaires import score

log = logging.getLogger(__name__)

# Trace marks -> turn-table columns (wall-clock Unix seconds).
MARK_COLUMNS = {
    "speech_start": "speech_start_unix",
    "end_of_speech": "end_of_speech_unix",
    "transcript": "transcript_unix",
    "reply": "agent_decision_unix",
    "first_audio": "first_audio_unix",
    "done": "end_of_audio_unix",
}
TIMINGS = ("stt_ms", "agent_ms", "tts_first_audio_ms", "end_of_speech_to_first_audio_ms")


@dataclass
class _OpenTurn:
    input: str = "voice"
    transcript: str = ""
    language: str | None = None
    confidence: float | None = None
    caught: bool = True
    reply: str = ""
    calls: list[dict] = field(default_factory=list)
    result_kind: str | None = None
    errors: list[dict] = field(default_factory=list)
    barge_in: bool = False
    spoken: str | None = None
    voice_engine: str | None = None
    wizard: dict | None = None
    task_id: str | None = None  # the task when the turn began (an operator may end it mid-turn)


def calls_of(data: dict) -> list[dict]:
    """A result event's calls: the new agent's `calls`, else the old single tool/args."""
    calls = data.get("calls")
    if not calls:
        calls = [{"tool": data.get("tool"), "args": data.get("args") or {}, "result": data.get("result")}]
    out = []
    for c in calls:
        result = c.get("result") or {}
        out.append(
            {
                "tool": c.get("tool"),
                "args": c.get("args") or {},
                "domain": c.get("domain"),
                "ok": c.get("ok"),
                "result_kind": result.get("kind") if isinstance(result, dict) else None,
            }
        )
    return out


# --- success criteria ------------------------------------------------------------------------


def _matches(pattern: Any, value: Any) -> bool:
    if value is None:
        return False
    text = str(value).lower()
    return any(alt.strip().lower() in text for alt in str(pattern).split("|") if alt.strip())


def check(criterion: dict | None, calls: list[dict], world=None, cabin=None) -> bool | None:
    """True / False, or None when it cannot be checked here (no world, no cabin)."""
    if not criterion:
        return None
    kind, want = next(iter(criterion.items()))
    if kind in ("any", "all"):
        results = [check(c, calls, world, cabin) for c in want]
        if kind == "any":
            return True if any(r is True for r in results) else (None if None in results else False)
        return False if any(r is False for r in results) else (None if None in results else True)
    if kind == "call":
        for c in calls:
            if "tool" in want and c.get("tool") != want["tool"]:
                continue
            if "domain" in want and c.get("domain") != want["domain"]:
                continue
            if all(_matches(p, c["args"].get(k)) for k, p in (want.get("args") or {}).items()):
                return True
        return False
    if kind == "route_to":
        if world is None:
            return None
        route = getattr(world, "current_route", None)
        if route is None:
            return False
        d = route.destination
        return any(_matches(want, v) for v in (d.name, d.name_en, d.name_zh, d.kind))
    if kind == "cabin":
        if cabin is None:
            return None
        state = cabin.state()
        for path, value in want.items():
            node: Any = state
            for part in path.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if node != value:
                return False
        return True
    return None


# --- the session --------------------------------------------------------------------------------


class StudySession:
    def __init__(
        self,
        study: Study,
        log_: StudyLog,
        condition,
        order: list[str],
        world=None,
        cabin=None,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ):
        self.study, self.log, self.condition, self.order = study, log_, condition, order
        self.world, self.cabin = world, cabin
        self.clock = clock
        self._pending: deque[_OpenTurn] = deque()
        self._next_input = "voice"
        self.voice_engine: str | None = None
        self.turn_index = self._count("turns")
        self.task: Task | None = None
        self.task_calls: list[dict] = []
        self.task_turns = 0
        self.task_started = 0.0
        self.criterion_met: bool | None = None
        self.paused = False
        self.listeners: list[Callable[[str, dict], None]] = []  # the UI's study store
        d = study.drt
        self.drt = Drt(
            clock=clock,
            rng=rng or random.Random(),
            isi_s=tuple(d["isi_s"]),
            on_s=d["on_s"],
            hit_window_ms=tuple(d["hit_window_ms"]),
            on_event=self._on_drt,
        )
        # DRT clock -> Unix time, fixed once so every DRT row shares one offset.
        self._clock_to_unix = time.time() - clock()

    def _count(self, table: str) -> int:
        return self.log.conn.execute(
            f"SELECT COUNT(*) FROM {table} WHERE session_id=?", (self.log.session_id,)
        ).fetchone()[0]

    def _notify(self, kind: str, data: dict | None = None) -> None:
        for fn in list(self.listeners):
            try:
                fn(kind, data or {})
            except Exception:
                log.exception("study listener failed on %s", kind)

    def done_tasks(self) -> set[str]:
        rows = self.log.conn.execute(
            "SELECT task_id FROM tasks WHERE session_id=? AND ended_unix IS NOT NULL AND outcome != 'interrupted'",
            (self.log.session_id,),
        )
        return {r[0] for r in rows}

    def remaining(self) -> list[str]:
        done = self.done_tasks()
        return [t for t in self.order if t not in done]

    # --- tasks ---
    def start_task(self, task_id: str) -> Task:
        if self.task is not None:
            self.end_task("skipped", "operator", note="another task was started")
        task = self.study.task(task_id)
        self.task, self.task_calls, self.task_turns = task, [], 0
        self.criterion_met = None
        self.log.task_start(task_id, self.order.index(task_id), task.time_limit_s)
        self.task_started = self.clock()
        self.apply_start_state(task)
        if self.study.drt["enabled"]:
            self.drt.start(task_id)
        self._notify("task_start", {"task": task.to_dict()})
        return task

    def apply_start_state(self, task: Task) -> None:
        """Puts the world and the cabin where the task begins; says in the log what could not be set."""
        start, applied, skipped = task.start, {}, {}
        if "from" in start or "to" in start:
            if self.world is None:
                skipped["route"] = "no world service in this run"
            else:
                try:
                    if "to" in start:
                        route = self.world.set_destination(start["to"], origin=start.get("from"))
                        applied["route"] = {"from": route.origin.name, "to": route.destination.name}
                    else:
                        # No route: the car stands at `from` (a route there and back of length ~0).
                        self.world.set_destination(start["from"], origin=start["from"])
                        self.world.current_route = None
                        applied["position"] = start["from"]
                except Exception as exc:
                    skipped["route"] = f"{type(exc).__name__}: {exc}"
        for path, value in (start.get("cabin") or {}).items():
            if self.cabin is None:
                skipped[path] = "no cabin service in this run"
                continue
            try:
                change = self.cabin.set(path, value)
                applied[path] = change.to_dict() if hasattr(change, "to_dict") else value
            except Exception as exc:
                skipped[path] = f"{type(exc).__name__}: {exc}"
        self.log.event("start_state", {"applied": applied, "not_applied": skipped})

    def time_left(self) -> float | None:
        if self.task is None:
            return None
        return self.task.time_limit_s - (self.clock() - self.task_started)

    def end_task(self, outcome: str, by: str, note: str = "") -> None:
        if self.task is None:
            return
        task_id = self.task.id
        if self.study.drt["enabled"]:
            self.drt.stop()
            self.log.event("drt_summary", self.drt.stats(task_id).to_dict(), task_id=task_id)
        self.log.task_end(task_id, outcome, by, self.criterion_met, self.task_turns, note)
        self.task = None
        self._notify("task_end", {"task_id": task_id, "outcome": outcome})

    def check_time(self) -> bool:
        """Ends the task as `timeout` once its time limit has passed; True if it did."""
        left = self.time_left()
        if left is not None and left <= 0:
            self.end_task("timeout", "time_limit")
            return True
        return False

    def _check_criterion(self) -> None:
        if self.task is None or not self.task.success or self.criterion_met:
            return
        met = check(self.task.success, self.task_calls, self.world, self.cabin)
        if met:
            self.criterion_met = True
            self.log.criterion_met(self.task.id, {"after_turn": self.turn_index})
            self._notify("criterion_met", {"task_id": self.task.id})
        elif met is False:
            self.criterion_met = False

    # --- turns: fed by the voice pipeline's events ---
    def expect_input(self, kind: str) -> None:
        """The next turn's input: voice (microphone), typed, wav, or script."""
        self._next_input = kind

    def on_turn_event(self, event: TurnEvent) -> None:
        kind, data = event.kind, event.data
        if kind == "level":
            return  # ~10 a second, says nothing a researcher needs
        if kind == "state" and data.get("state") == "thinking":
            self._pending.append(
                _OpenTurn(input=self._next_input, task_id=self.task.id if self.task else None)
            )
            self._next_input = "voice"
        turn = self._pending[-1] if self._pending else None
        if kind == "state" and data.get("state") == "interrupted":
            # Barge-in: the turn being spoken is the oldest one still open.
            if self._pending:
                self._pending[0].barge_in = True
                self._pending[0].spoken = data.get("spoken")
        elif turn is not None and kind == "transcript":
            turn.transcript, turn.language = data.get("text", ""), data.get("language")
            turn.confidence = data.get("confidence")
        elif turn is not None and kind == "reply":
            turn.reply, turn.caught = data.get("text", ""), bool(data.get("caught", True))
            turn.language = turn.language or data.get("language")
        elif turn is not None and kind == "result":
            turn.calls = calls_of(data)
            kinds = [c["result_kind"] for c in turn.calls if c["result_kind"]]
            turn.result_kind = kinds[-1] if kinds else None
        elif kind == "error":
            target = turn or (self._pending[0] if self._pending else None)
            err = {k: data.get(k) for k in ("code", "message_en", "detail")}
            if target is not None:
                target.errors.append(err)
        elif kind == "voice":
            # Sent only when the voice changes: the one speaking now is the last one announced.
            self.voice_engine = data.get("engine")
        if kind not in ("partial",) or data.get("text"):
            self.log.event(f"pipeline_{kind}", _slim(kind, data))
        if kind == "trace":
            self._close_turn(data)

    def note_wizard(self, decision: dict) -> None:
        """The wizard decided the turn that is being answered now."""
        if self._pending:
            self._pending[-1].wizard = decision
        self.log.event("wizard", decision)

    def _close_turn(self, trace: dict) -> None:
        turn = self._pending.popleft() if self._pending else _OpenTurn(input=self._next_input)
        t0 = trace.get("t0_unix")
        marks = trace.get("marks_ms") or {}
        row: dict[str, Any] = {"turn_index": self.turn_index, "task_id": turn.task_id}
        for mark, col in MARK_COLUMNS.items():
            row[col] = round(t0 + marks[mark] / 1000, 4) if t0 is not None and mark in marks else None
        for k in TIMINGS:
            row[k] = trace.get(k)
        decided_by = trace.get("decided_by")
        wizard = turn.wizard or {}
        action = wizard.get("action")
        row.update(
            input=turn.input,
            transcript=turn.transcript,
            language=turn.language,
            confidence=turn.confidence,
            caught=int(turn.caught and "not_caught" not in trace),
            tools=[c["tool"] for c in turn.calls],
            calls=[{k: c[k] for k in ("tool", "args", "domain", "ok", "result_kind")} for c in turn.calls],
            reply=turn.reply,
            result_kind=turn.result_kind,
            stt_source=trace.get("stt_source"),
            decided_by=decided_by,
            errors=turn.errors,
            barge_in=int(turn.barge_in),
            spoken=turn.spoken,
            wizard_override=int(bool(action) and action != "pass"),
            wizard_action=action,
            audio_s=trace.get("audio_s"),
            voice_engine=turn.voice_engine or self.voice_engine,
            marks_ms=marks,
        )
        self.log.turn(row)
        self.turn_index += 1
        if self.task is not None and self.task.id == turn.task_id:
            self.task_turns += 1
            self.task_calls.extend(turn.calls)
            self._check_criterion()
        self._notify("turn", {"transcript": turn.transcript, "reply": turn.reply})

    # --- DRT ---
    def drt_tick(self) -> None:
        if not self.paused:
            self.drt.tick()

    def drt_respond(self) -> None:
        self.drt.respond()

    def _on_drt(self, ev: dict) -> None:
        # The dot first, the log second: a committed write takes a few ms (fsync) and must not
        # delay the stimulus the participant sees behind the onset time that is logged.
        self._notify(ev["kind"], ev)
        self.log.drt(ev, lambda t: round(t + self._clock_to_unix, 4))

    # --- everything else ---
    def questionnaire(
        self, instrument: str, answers, task_id: str | None = None, language: str = "", **kw
    ) -> dict:
        scores = score(instrument, answers, **kw)
        stored = {"answers": answers, **{k: v for k, v in kw.items() if v is not None}}
        self.log.questionnaire(instrument, stored, scores, task_id=task_id, language=language)
        return scores

    def ui_event(self, kind: str, data: dict | None = None) -> None:
        self.log.event(f"ui_{kind}", data or {})

    def pause(self, on: bool) -> None:
        self.paused = on
        if self.task is not None and self.study.drt["enabled"]:
            # A pause ends the DRT block (a lit dot goes out, its window closes) and a new one starts after it.
            if on:
                self.drt.stop()
            else:
                self.drt.start(self.task.id)
        self.log.event("pause" if on else "resume", {})
        self._notify("pause", {"paused": on})

    def note(self, text: str) -> None:
        self.log.event("note", {"text": text})

    def finish(self, state: str = "complete") -> None:
        if self.task is not None:
            # Cut off (quit, error): kept as interrupted, and run again when the session resumes.
            self.end_task("interrupted" if state != "complete" else "failure", "session_end")
        self.log.finish(state)

    def watch_cabin(self, cabin) -> None:
        """Every change of the car (climate bar touches and voice alike) goes to the log."""
        self.cabin = cabin
        subscribe = getattr(cabin, "subscribe", None)
        if callable(subscribe):
            subscribe(lambda change: self.log.event("cabin_change", _as_dict(change)))


def _as_dict(obj) -> dict:
    return (
        obj.to_dict()
        if hasattr(obj, "to_dict")
        else dict(obj)
        if isinstance(obj, dict)
        else {"change": str(obj)}
    )


def _slim(kind: str, data: dict) -> dict:
    """The event row of a pipeline event: result events get the normalised calls."""
    if kind == "result":
        # The result is kept too: --replay shows its cards again.
        return {"calls": calls_of(data), "result": data.get("result")}
    return data

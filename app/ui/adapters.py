"""Real services behind the cockpit's source interfaces, loaded in the background.

The car is the world's (WorldDrive on app.world's Vehicle), read from the first frame when the world
loads in time (shell.Cockpit waits briefly for it). `upgrade_in_background` then loads the agent, if
its model is present, on a worker thread; the assistant bridge swaps source on the Qt thread. Then,
on the asyncio loop (qasync), the voice pipeline (recogniser, voice chain, speaker) is built around
that agent and becomes the assistant's source (VoiceAssistant). Anything that fails to load leaves
the previous source in place and is logged, never raised: the demo must keep running.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
from collections.abc import Callable
from typing import Any

from app.services import AgentTurn, TurnEvent, TurnListener

log = logging.getLogger(__name__)

# The demo drive when the world has no route yet: across the centre, through many signals.
DEMO_FROM = "People's Square"
DEMO_TO = "The Bund"


def _flat_advice(wave: Any) -> dict[str, Any] | None:
    if wave is None:
        return None
    sig = wave.signal
    return {
        "id": sig.id,
        "phase": sig.phase,
        "time_to_change_s": sig.time_to_change_s,
        "distance_m": sig.distance_m,
        "advice_kmh_min": wave.advice_kmh_min,
        "advice_kmh_max": wave.advice_kmh_max,
    }


class WorldDrive:
    """VehicleSource on app.world: the world's own simulated car, stepped from the UI clock.

    The world takes one lock per call, and the agent's worker may hold it for a search or a route.
    The Qt thread never waits for it: a tick that finds it taken shows the last state and the next
    one steps the car by the time it missed, so the car loses no distance and no frame stalls.
    """

    def __init__(self, world: Any):
        self.world = world
        self._lock = getattr(world, "_lock", threading.RLock())
        self._picked: dict[tuple[float, float], str] = {}  # names of places picked by coordinates
        self._owed_s = 0.0
        self._last: dict[str, Any] | None = None
        self._last_advice: dict[str, Any] | None = None
        if world.current_route is None:
            world.set_destination(DEMO_TO, origin=DEMO_FROM)

    def tick(self, dt: float) -> dict[str, Any]:
        if not self._lock.acquire(blocking=self._last is None):
            self._owed_s += dt
            return self._last
        try:
            state = self.world.vehicle.step(dt + self._owed_s)
            self._owed_s = 0.0
        finally:
            self._lock.release()
        self._last = state.to_dict()
        return self._last

    def destination(self) -> dict[str, Any] | None:
        route = self.world.current_route
        if route is None or not route.coords:
            return None
        d = route.destination
        lat, lon = route.coords[-1]  # where the route ends on the road (a far place is beyond it)
        # A card pick routes to coordinates: the world names that point "lat,lon", the card knows better.
        picked = self._picked.get((round(d.lat, 6), round(d.lon, 6)))
        if picked:
            return {"lat": lat, "lon": lon, "name_en": picked, "name_zh": picked}
        if getattr(d, "kind", "") == "point":  # a bare coordinate: a flag without a "31.2,121.4" label
            return {"lat": lat, "lon": lon, "name_en": "", "name_zh": ""}
        return {"lat": lat, "lon": lon, "name_en": d.name_en or d.name, "name_zh": d.name_zh or d.name}

    def route(self) -> list[tuple[float, float]]:
        route = self.world.current_route
        return list(route.coords) if route else []

    def route_signals(self) -> list[dict[str, Any]]:
        route = self.world.current_route
        if route is None:
            return []
        plans = getattr(self.world.vehicle, "plans", {})
        now = self.world.now()
        ahead = self.signal_ahead()
        out = []
        for sig in route.signals:
            plan = plans.get(sig.id)
            phase = (
                plan.phase_at(now, getattr(sig, "approach", "main"))[0]
                if plan and plan.has_data
                else "unknown"
            )
            out.append({"id": sig.id, "lat": sig.lat, "lon": sig.lon, "phase": phase,
                        "next": bool(ahead and ahead["id"] == sig.id)})  # fmt: skip
        return out

    def signal_ahead(self) -> dict[str, Any] | None:
        if not self._lock.acquire(blocking=False):  # busy with the agent: the last answer will do
            return self._last_advice
        try:
            self._last_advice = _flat_advice(self.world.signal_ahead())
        finally:
            self._lock.release()
        return self._last_advice

    def navigate_to(self, lat: float, lon: float, name: str) -> None:
        if name:
            self._picked[(round(lat, 6), round(lon, 6))] = name
        self.world.set_destination((lat, lon))


class WorldPlaces:
    """PlaceSearch on app.world for the simulated assistant: real records, flags kept."""

    def __init__(self, world: Any):
        self.world = world

    def parking(self, limit: int = 3) -> list[dict[str, Any]]:
        return [
            {**_place(p.place), "walk_m": round(p.walk_m), "free": p.free, "capacity": p.capacity,
             "price_cny_per_hour": p.price_cny_per_hour, "simulated": p.simulated,
             "figures_simulated": p.figures_simulated}
            for p in self.world.search_parking(limit=limit)
        ]  # fmt: skip

    def places(self, text: str, limit: int = 3) -> dict[str, Any] | None:
        cat = _category_in(text)
        if cat is None:
            return None
        found = self.world.search_places(cat["key"], limit=limit)
        items = [hit.item() for hit in found.results]
        # Plural-free names in the reply ("I found 3 hospital") read badly; the vocabulary's names are nouns.
        return {"kind": "places", "category": cat["key"], "items": items, "name_en": (cat.get("en") or "").lower(),
                "name_zh": cat.get("zh") or ""}  # fmt: skip

    def restaurants(self, limit: int = 3) -> list[dict[str, Any]]:
        return [
            {**_place(r.place), "distance_m": round(r.distance_m), "cuisine": r.cuisine, "rating": r.rating,
             "rating_simulated": r.rating_simulated}
            for r in self.world.search_restaurants(limit=limit)
        ]  # fmt: skip


def _category_in(text: str) -> dict[str, Any] | None:
    """The world category named in `text`, from its bilingual synonym lists (data, not rules here).

    English synonyms match whole words, Chinese ones as substrings; the longest match wins, so
    "car park" beats "park"."""
    import re

    from app.world import categories

    low, best = text.lower(), None
    for cat in categories.all():
        for word in [cat.get("en") or "", *cat.get("synonyms_en", [])]:
            w = word.lower()
            if (
                w
                and re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", low)
                and (best is None or len(w) > best[0])
            ):
                best = (len(w), cat)
        for word in [cat.get("zh") or "", *cat.get("synonyms_zh", [])]:
            if word and word in text and (best is None or len(word) > best[0]):
                best = (len(word), cat)
    return best[1] if best else None


def _place(place: Any) -> dict[str, Any]:
    return {"name": place.name, "name_en": place.name_en, "name_zh": place.name_zh, "lat": place.lat,
            "lon": place.lon, "simulated": place.simulated}  # fmt: skip


class AgentAssistant:
    """AssistantSource on the agent alone (typed input; no microphone pipeline yet).

    Turns run on a worker thread; TurnEvents go to the bridge, which is safe to call from there
    because Qt queues its property-change signals to the GUI thread.
    """

    def __init__(self, agent: Any, navigate: Callable[[float, float, str], None]):
        self.agent = agent
        self._navigate = navigate
        self._listener: TurnListener = lambda event: None
        self._results: list[dict[str, Any]] = []

    def set_listener(self, listener: TurnListener) -> None:
        self._listener = listener
        self._emit("voice", engine="text", kind="local", online=False)

    def start_listening(self) -> None:
        self._emit("error", code="voice_loading", message_en="Voice input is still loading — please type",
                   message_zh="语音输入正在加载——请先输入文字")  # fmt: skip

    def stop_listening(self) -> None:
        pass

    def submit_text(self, text: str, language: str) -> None:
        self._emit("transcript", text=text, language=language)
        self._emit("state", state="thinking")
        threading.Thread(target=self._turn, args=(text, language), daemon=True, name="agent-turn").start()

    def pick(self, index: int) -> None:
        if 0 <= index < len(self._results):
            item = self._results[index]
            place = item.get("place") or item
            self._navigate(place["lat"], place["lon"], place.get("name", ""))

    def _turn(self, text: str, language: str) -> None:
        try:
            turn: AgentTurn = self.agent.respond(text, language_hint=language)
            calls = list(getattr(turn, "calls", None) or [])
            if turn.result or calls:
                data = {"tool": turn.tool, "args": turn.args, "result": turn.result, "calls": calls}
                self._results = _result_items(data, self._results)
                self._emit("result", **data)
            self._emit("reply", text=turn.reply, language=turn.language)
        except Exception as exc:
            log.exception("agent turn failed")
            self._emit("error", code="agent_failed", message=str(exc), language=language)
        finally:
            self._emit("state", state="idle")  # never leave the panel "thinking"

    def _emit(self, event: str, /, **data: Any) -> None:
        self._listener(TurnEvent(event, data))


def _result_items(data: dict[str, Any], previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The places a card pick refers to: those of the turn's card result, else the earlier ones."""
    from app.ui.bridges import card_result

    result = card_result(data)
    return result["items"] if result and isinstance(result.get("items"), list) else previous


def _pick_place(results: list[dict[str, Any]], index: int) -> dict[str, Any] | None:
    if 0 <= index < len(results):
        item = results[index]
        return item.get("place") or item
    return None


class VoiceAssistant:
    """AssistantSource on the voice pipeline (app/voice/pipeline.py): talk, typed input, WAV turns.

    Everything runs on the asyncio loop (qasync: the Qt thread); the pipeline's blocking work is on
    its own worker threads. Its TurnEvents go straight to the bridge, with two refinements: a
    `no_audio_device` error becomes `no_microphone` when it came from opening or pressing talk and
    `no_speaker` otherwise, and a voice change that shows the cloud voice failing also reports
    `network {online: False}`.
    """

    def __init__(self, pipeline: Any, navigate: Callable[[float, float, str], None]):
        self.pipe = pipeline
        self._navigate = navigate
        self._listener: TurnListener = lambda event: None
        self._results: list[dict[str, Any]] = []
        self._mic_call = False
        self._tasks: set[asyncio.Task] = set()
        pipeline.add_listener(self._on_event)

    @property
    def can_listen(self) -> bool:
        return self.pipe.mic is not None

    def open_microphone(self) -> bool:
        self._mic_call = True
        try:
            return bool(self.pipe.open_microphone())
        except Exception as exc:  # sounddevice can fail in more ways than AudioUnavailable
            log.warning("microphone failed to open: %s", exc)
            self._emit("error", code="no_microphone", detail=str(exc))
            return False
        finally:
            self._mic_call = False

    def set_listener(self, listener: TurnListener) -> None:
        self._listener = listener
        engine = self.pipe.voices.last_engine
        if engine is not None:
            self._on_event(TurnEvent("voice", {"engine": engine.name, "kind": engine.kind,
                                               "online": engine.kind == "cloud" or self.pipe.voices.online}))  # fmt: skip

    def set_language(self, language: str) -> None:
        self.pipe.set_language_prior("zh" if language == "zh" else "en")

    def start_listening(self) -> None:
        # The pipeline interrupts any reply first (barge-in), then opens a capture or reports no device.
        self._mic_call = True
        try:
            self.pipe.start_listening()
        finally:
            self._mic_call = False

    def stop_listening(self) -> None:
        task = self.pipe.stop_listening()
        if task is not None:
            self._watch(task)

    def submit_text(self, text: str, language: str) -> None:
        self.set_language(language)
        self._watch(asyncio.ensure_future(self.pipe.run_text_turn(text)))

    def submit_wav(self, path: str) -> asyncio.Task:
        return self._watch(asyncio.ensure_future(self.pipe.run_wav_turn(path)))

    def pick(self, index: int) -> None:
        place = _pick_place(self._results, index)
        if place is not None:
            self._navigate(place["lat"], place["lon"], place.get("name", ""))

    async def close(self) -> None:
        await self.pipe.close()
        # Let the cancelled turns unwind while the loop still runs, not during interpreter exit.
        pending = [t for t in self._tasks if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=2)

    def _watch(self, task: asyncio.Task) -> asyncio.Task:
        self._tasks.add(task)
        task.add_done_callback(self._turn_done)
        return task

    def _turn_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return  # barge-in or shutdown
        exc = task.exception()
        if exc is not None:
            log.error("voice turn failed", exc_info=exc)
            self._emit("error", code="agent_failed", message=str(exc))
            self._emit("state", state="idle")

    def _on_event(self, event: TurnEvent) -> None:
        d = event.data
        if event.kind == "error" and d.get("code") == "no_audio_device":
            event = TurnEvent("error", {**d, "code": "no_microphone" if self._mic_call else "no_speaker"})
        elif event.kind == "result":
            self._results = _result_items(d, self._results)
        elif event.kind == "voice":
            has_cloud = any(e.kind == "cloud" for e in self.pipe.voices.engines)
            if has_cloud and d.get("kind") != "cloud" and not self.pipe.voices.online:
                self._listener(event)
                event = TurnEvent("network", {"online": False, "why": "cloud voice failed"})
        self._listener(event)

    def _emit(self, event: str, /, **data: Any) -> None:
        self._listener(TurnEvent(event, data))


def quiet_speaker():
    """The sink when there is no speaker: paced like playback (so "speaking" and barge-in behave as
    in the car), keeps nothing."""
    from app.voice.audio import WavSink

    class QuietSpeaker(WavSink):
        async def write(self, pcm: bytes) -> None:
            await super().write(pcm)
            self.pcm.clear()

    return QuietSpeaker(realtime=True)


def _preload_voice_modules() -> None:
    import importlib

    for name in ("edge_tts", "aiohttp", "sounddevice", "soundfile"):
        try:
            importlib.import_module(name)
        except Exception as exc:  # OSError without libportaudio; the pipeline reports it itself
            log.info("voice module %s not preloaded: %s", name, exc)
    from app.voice.audio import list_devices

    list_devices("input")


async def load_voice(agent: Any, navigate: Callable[[float, float, str], None]) -> VoiceAssistant:
    """The real pipeline around `agent`: Whisper, the voice chain, the speaker (or a quiet sink)."""
    from app.voice.audio import WavSink
    from app.voice.loader import load_pipeline

    # Imports and device queries that would otherwise stall the Qt thread for 100-200 ms each
    # (aiohttp for the cloud voice, PortAudio) happen on a worker first.
    await asyncio.get_running_loop().run_in_executor(None, _preload_voice_modules)
    pipe = await load_pipeline(agent=agent)
    if type(pipe.sink) is WavSink:  # no output device: nothing to hear, but keep the timing
        pipe.sink = quiet_speaker()
    return VoiceAssistant(pipe, navigate)


# edge-tts's host: if it cannot be reached the cloud voice cannot speak either.
CLOUD_HOST = ("speech.platform.bing.com", 443)


class NetworkWatch:
    """Whether the cloud voice's host answers: one short TCP connect off the Qt thread, every 30 s.

    At most one probe is in flight (a hung DNS lookup cannot pile threads up); `report(online)`
    is called on the Qt thread.
    """

    def __init__(self, report: Callable[[bool], None], run_in_thread: Callable, host: tuple[str, int] = CLOUD_HOST,
                 timeout_s: float = 1.5, every_s: float = 30.0):  # fmt: skip
        self.report = report
        self._run = run_in_thread
        self.host, self.timeout_s, self.every_s = host, timeout_s, every_s
        self.busy = False
        self._timer = None

    def start(self) -> None:
        from PySide6.QtCore import QTimer

        self._timer = QTimer(interval=int(self.every_s * 1000), timeout=self.check)
        self._timer.start()
        self.check()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def check(self) -> None:
        if self.busy:
            return
        self.busy = True
        self._run(self.probe, self._done, "network-check")

    def probe(self) -> bool:
        try:
            with socket.create_connection(self.host, timeout=self.timeout_s):
                return True
        except OSError:
            return False

    def _done(self, result: Any) -> None:
        self.busy = False
        self.report(result is True)


def load_world_drive() -> WorldDrive:
    """The world (road graph, place store, the one simulated car) with its demo drive. Blocking."""
    from app.world import load_world

    return WorldDrive(load_world())


def upgrade_in_background(cockpit: Any, run_in_thread: Callable) -> None:
    """Once the world is the cockpit's car: load the agent, then the voice pipeline, in the background."""
    world = cockpit.drive.world

    def load_agent():
        from app.models import store

        missing = [s for s in store.states() if s.role == "agent" and s.state != "verified"]
        if missing:
            raise RuntimeError(f"agent model {missing[0].name} is {missing[0].state}")
        from app.agent import make_agent

        agent = make_agent(world=world)
        return AgentAssistant(agent, cockpit.navigate)

    def agent_ready(result):
        if isinstance(result, Exception):
            log.info("agent unavailable, typed input stays on the simulation: %s", result)
            cockpit.voice_error = f"agent unavailable: {result}"
            return
        cockpit.assistant.set_source(result)
        log.info("agent connected")
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no qasync loop (some tests): typed input stays on the agent
            log.info("no asyncio loop: the voice pipeline is not loaded")
            cockpit.voice_error = "no asyncio loop"
            return
        cockpit.voice_task = loop.create_task(voice(result.agent))

    async def voice(agent):
        try:
            source = await load_voice(agent, cockpit.navigate)
        except Exception as exc:
            log.warning("voice pipeline unavailable, typed input stays on the agent: %s", exc)
            cockpit.voice_error = f"voice pipeline unavailable: {exc}"
            return None
        cockpit.use_voice(source)
        log.info("voice pipeline connected")
        # Off the UI thread: reading /proc/self/smaps of a process this size takes tens of ms.
        await asyncio.get_running_loop().run_in_executor(None, release_start_up_code)
        return source

    run_in_thread(load_agent, agent_ready, "agent-load")


def release_start_up_code() -> None:
    """Once the map and every model are up: Chromium's library keeps the code pages it ran once
    at start-up (about 100 MB resident of it). Dropped, the code still running comes back on
    first use: the whole app's peak fell by 30-60 MB (issue 15; app/heap.py)."""
    from app import heap

    lib = heap.mapped_file("libQt6WebEngineCore")
    if lib:
        log.info("start-up code released: %d MB of %s", heap.drop_file_pages(lib), os.path.basename(lib))

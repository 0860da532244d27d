"""The Python side of the QML stores: QObjects that turn source data into QML properties.

Each bridge takes its source (sources.py) and can swap it live, which is how the cockpit moves
from the simulation to the real world service once that has loaded in the background. Only the
QML stores (qml/stores/) touch these objects.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from app.services import TurnEvent, TurnListener
from app.ui.sources import AssistantSource, CabinSource, VehicleSource

log = logging.getLogger(__name__)

# How often the car and the signal are sampled; the map tweens the car in between.
VEHICLE_HZ = 10
SIGNAL_HZ = 4
# The map only needs a new car position this often: each setCar tween lasts one interval.
MAP_CAR_MS = 500
TOAST_MS = 4000


class _Bridge(QObject):
    _v: dict[str, Any]

    def _set(self, **values: Any) -> None:
        for key, value in values.items():
            if self._v.get(key) != value:
                self._v[key] = value
                getattr(self, key + "Changed").emit()


def _props(**fields: type) -> type[_Bridge]:
    """A _Bridge base class with one read-only, notifying QML property per field, backed by self._v.

    Qt builds a class's meta-object when the class is created, so the properties and their
    change signals must exist in the class body: generating them keeps each bridge a plain list
    of fields.
    """
    namespace: dict[str, Any] = {}
    for name, kind in fields.items():
        signal = Signal()
        namespace[name + "Changed"] = signal
        namespace[name] = Property(kind, lambda self, n=name: self._v[n], notify=signal)
    return type("_Props", (_Bridge,), namespace)


class VehicleBridge(
    _props(
        speedKmh=float,
        gear=str,
        batteryPct=float,
        rangeKm=float,
        driveMode=str,
        lat=float,
        lon=float,
        headingDeg=float,
        tellTales=list,
        atDestination=bool,
        ready=bool,
    )
):
    """The car for the cluster: the world's simulated car, plus drive mode, range and lights from the cabin."""

    def __init__(self, source: VehicleSource, parent: QObject | None = None):
        super().__init__(parent)
        self.source = source
        self._v = {
            "speedKmh": 0.0,
            "gear": "P",
            "batteryPct": 0.0,
            "rangeKm": 0.0,
            "driveMode": "comfort",
            "lat": 0.0,
            "lon": 0.0,
            "headingDeg": 0.0,
            "tellTales": [],
            "atDestination": False,
            "ready": False,
        }
        self.cabin: dict[str, Any] = {}  # the cabin's state (CabinBridge.on_state), {} without a cabin
        self.listeners: list[Callable[[dict[str, Any]], None]] = []
        self._last = time.monotonic()
        self._timer = QTimer(self, interval=1000 // VEHICLE_HZ, timeout=self._tick)

    def start(self) -> None:
        self._tick()
        self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        dt, self._last = min(now - self._last, 0.5), now
        try:
            s = self.source.tick(dt)
        except Exception:  # a failing source must not take the cockpit down
            log.exception("vehicle source failed")
            return
        if s is None:  # no car yet (the world is loading)
            self._set(ready=False)
            return
        drive = self.cabin.get("drive") or {}
        self._set(
            ready=True,
            speedKmh=round(s["speed_kmh"], 1),
            gear=s["gear"],
            batteryPct=round(s["battery_pct"], 1),
            # The car's own estimate: with the cabin attached it follows the drive mode's consumption.
            rangeKm=round(s["range_km"]),
            driveMode=drive.get("mode") or s.get("drive_mode") or "comfort",
            lat=s["lat"],
            lon=s["lon"],
            headingDeg=round(s["heading_deg"], 1),
            tellTales=tell_tales(s, self.cabin),
            atDestination=bool(s.get("at_destination")),
        )
        for listener in self.listeners:
            listener(s)


def tell_tales(car: dict[str, Any], cabin: dict[str, Any]) -> list[str]:
    """Lamps for the cluster, in a fixed order: faults first, then lights and assists (ISO 2575 style)."""
    lights = cabin.get("lights") or {}
    drive = cabin.get("drive") or {}
    tell = []
    if car["battery_pct"] < 15:
        tell.append("battery")
    if car.get("seatbelt_open"):
        tell.append("seatbelt")
    headlights = lights.get("headlights", "low")  # without a cabin the car keeps low beam on
    if headlights == "high":
        tell.append("highbeam")
    elif headlights in ("low", "auto"):
        tell.append("lowbeam")
    if lights.get("fog"):
        tell.append("fog")
    if drive.get("lane_keeping"):
        tell.append("lanekeep")
    if car["gear"] == "D" and car["speed_kmh"] < 1:
        tell.append("hold")
    return tell


class SignalBridge(
    _props(
        present=bool,
        phase=str,
        secondsToChange=float,
        distanceM=float,
        adviceMinKmh=float,
        adviceMaxKmh=float,
        carSpeedKmh=float,
    )
):
    """The next traffic signal, raw: the QML SignalStore applies the display rules (hide < 30 m, …)."""

    def __init__(self, source: VehicleSource, parent: QObject | None = None):
        super().__init__(parent)
        self.source = source
        self._v = {
            "present": False,
            "phase": "unknown",
            "secondsToChange": -1.0,
            "distanceM": -1.0,
            "adviceMinKmh": -1.0,
            "adviceMaxKmh": -1.0,
            "carSpeedKmh": -1.0,
        }
        self._timer = QTimer(self, interval=1000 // SIGNAL_HZ, timeout=self.refresh)

    def on_vehicle(self, state: dict[str, Any]) -> None:
        """The car's speed: the store keeps the widget up while the car waits at the light."""
        self._set(carSpeedKmh=round(float(state["speed_kmh"]), 1))

    def start(self) -> None:
        self.refresh()
        self._timer.start()

    def refresh(self) -> None:
        try:
            s = self.source.signal_ahead()
        except Exception:
            log.exception("signal source failed")
            s = None
        if not s:
            self._set(present=False)
            return

        # QML has no None: -1 stands for "no data" and the store turns it into hasData/hasAdvice.
        def num(key: str) -> float:
            value = s.get(key)
            return -1.0 if value is None else float(value)

        self._set(
            present=True,
            phase=s.get("phase") or "unknown",
            secondsToChange=num("time_to_change_s"),
            distanceM=num("distance_m"),
            adviceMinKmh=num("advice_kmh_min"),
            adviceMaxKmh=num("advice_kmh_max"),
        )


class MapBridge(
    _props(pageUrl=str, route=list, markers=list, signals=list, credit=str, destination=dict, language=str)
):
    """What the map page shows. The QML MapView pushes these into the page through runJavaScript.

    `markers` are the result cards' places, numbered like the cards, one of them `selected`;
    `destination` is where the route ends ({lat, lon, name_en, name_zh}, {} without a route).
    """

    carMoved = Signal(float, float, float, int)

    def __init__(self, source: VehicleSource, parent: QObject | None = None):
        super().__init__(parent)
        self.source = source
        self._v = {"pageUrl": "", "route": [], "markers": [], "signals": [], "credit": "", "destination": {},
                   "language": "en"}  # fmt: skip
        self._last_car = 0.0
        self._batch = 0

    def set_page(self, url: str, credit: str) -> None:
        self._set(pageUrl=url, credit=credit)

    def set_language(self, language: str) -> None:
        self._set(language="zh" if language == "zh" else "en")

    def on_vehicle(self, state: dict[str, Any]) -> None:
        now = time.monotonic()
        if now - self._last_car >= MAP_CAR_MS / 1000:
            self._last_car = now
            self.carMoved.emit(state["lat"], state["lon"], state["heading_deg"], MAP_CAR_MS)
            self.refresh_route()

    def refresh_route(self) -> None:
        try:
            route = [[round(a, 6), round(b, 6)] for a, b in self.source.route()]
            self._set(
                route=route, signals=self.source.route_signals(), destination=self.source.destination() or {}
            )
        except Exception:
            log.exception("route source failed")

    def set_markers(self, cards: list[dict[str, Any]]) -> None:
        # `batch` numbers the searches: asking again shows the results again (the page refits).
        self._batch += 1
        marker = lambda c: {"kind": c["kind"], "name": c["name"], "lat": c["lat"], "lon": c["lon"],  # noqa: E731
                            "selected": False, "batch": self._batch}  # fmt: skip
        self._set(markers=[marker(c) for c in cards])

    def select(self, index: int) -> None:
        self._set(markers=[{**m, "selected": i == index} for i, m in enumerate(self._v["markers"])])


CUISINE_ZH = {
    "sichuan": "川菜",
    "hotpot": "火锅",
    "shanghainese": "本帮菜",
    "coffee": "咖啡",
    "japanese": "日料",
    "cantonese": "粤菜",
    "noodles": "面馆",
    "western": "西餐",
    "fast_food": "快餐",
}


def category_name(key: str, language: str) -> str:
    """A world category key in the UI language, from app.world.categories when it is there."""
    try:
        from app.world import categories

        entry = next((c for c in categories.all() if c.get("key") == key), None)
    except Exception:  # the world branch adds the vocabulary; without it the key is shown
        entry = None
    if entry:
        return entry.get("zh" if language == "zh" else "en") or key
    return key.replace("_", " ").title() if language != "zh" else key


def _first(*values: Any) -> Any:
    return next((v for v in values if v not in (None, "")), None)


_SIMULATED_PREFIX = re.compile(r"^(Simulated |模拟)")


def _card_title(name: str, simulated: bool) -> str:
    """A simulated place's name starts with "Simulated …"/"模拟…" so that speech and logs never pass
    it off as real; on a card the Simulated badge says it, and the title keeps room for the street
    that tells three car parks apart."""
    if not simulated:
        return name
    title = _SIMULATED_PREFIX.sub("", name)
    return title[:1].upper() + title[1:]


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on a local flat projection: plenty for telling places a few metres apart."""
    import math

    return math.hypot((lon2 - lon1) * 111_320 * math.cos(math.radians(lat1)), (lat2 - lat1) * 110_540)


# Result kinds shown as cards -> the card's kind (its colour and the figures it shows).
CARD_KINDS = {"parking": "parking", "restaurants": "restaurant", "places": "place"}


def card_result(data: dict[str, Any]) -> dict[str, Any] | None:
    """The result that carries the turn's cards: the last call result with items, else `result`.

    A turn may do several things ("find parking and turn the AC off"): the voice pipeline's `result`
    event carries every call with its result (INTERFACES.md); an old single-result event has none.
    """
    for call in reversed(data.get("calls") or []):
        result = call.get("result") if isinstance(call, dict) else None
        if isinstance(result, dict) and cards_from_result(result, "en") is not None:
            return result
    result = data.get("result")
    return result if isinstance(result, dict) else None


def cards_from_result(result: dict[str, Any] | None, language: str) -> list[dict[str, Any]] | None:
    """Result cards from an agent tool result; None when the result is not a list of places.

    Tolerates the agent's {"kind": "parking" | "restaurants" | "places", "items": [...]},
    {"parking": [...]}, and items both flat ({name, lat, lon, ...}) and nested like the world's
    ({place: {name, lat, lon}, ...}).
    """
    if not result:
        return None
    kinds = (("parking", "parking"), ("restaurant", "restaurants"))
    found = next(((kind, result[key]) for kind, key in kinds if isinstance(result.get(key), list)), None)
    if found is None and isinstance(result.get("items"), list) and result.get("kind") in CARD_KINDS:
        found = (CARD_KINDS[result["kind"]], result["items"])
    if found is None:
        return None
    kind, items = found
    cards = []
    for item in items:
        place = item.get("place") or {}
        names = {**item, **place}
        name = (
            _first(names.get("name_zh"), names.get("name"), names.get("name_en"))
            if language == "zh"
            else _first(names.get("name_en"), names.get("name"), names.get("name_zh"))
        )
        cuisine = item.get("cuisine") or ""
        simulated = bool(item.get("simulated") or place.get("simulated"))
        category = item.get("category") or result.get("category") or ""
        card = {
            "kind": kind,
            "name": _card_title(name or "?", simulated),
            "lat": float(_first(place.get("lat"), item.get("lat"), 0.0)),
            "lon": float(_first(place.get("lon"), item.get("lon"), 0.0)),
            "distanceM": float(_first(item.get("walk_m"), item.get("distance_m"), -1)),
            "free": int(_first(item.get("free"), -1)),
            "capacity": int(_first(item.get("capacity"), -1)),
            "priceCnyPerHour": float(_first(item.get("price_cny_per_hour"), -1)),
            "cuisine": CUISINE_ZH.get(cuisine, cuisine)
            if language == "zh"
            else cuisine.replace("_", " ").title(),
            "rating": float(_first(item.get("rating"), -1)),
            # The place itself is invented (a simulated record), or only its figures are.
            "simulated": simulated,
            "figuresSimulated": bool(item.get("figures_simulated") or item.get("rating_simulated")),
            # A place search: its category (world key) and opening hours where the data has them.
            "category": category,
            "categoryName": category_name(category, language) if kind == "place" else "",
            "openingHours": str(item.get("opening_hours") or ""),
        }
        cards.append(card)
    return cards


# Toasts for the pipeline's error codes, in the UI language (the event's own text is the fallback).
ERROR_TEXT = {
    "no_microphone": {"en": "No microphone found — type your request", "zh": "未找到麦克风——请输入您的请求"},
    "no_speaker": {"en": "No speaker found — replies are shown on screen", "zh": "未找到扬声器——回复将显示在屏幕上"},
    "tts_failed": {"en": "Speech output failed — the reply is shown on screen", "zh": "语音播放失败——回复已显示在屏幕上"},
    "agent_failed": {"en": "The assistant could not answer — please try again", "zh": "助手暂时无法回答——请重试"},
    "search_failed": {"en": "The place search failed — please try again", "zh": "地点搜索失败——请重试"},
}  # fmt: skip
# The Orb and the panel know these modes; the pipeline's "interrupted" is a moment, shown as idle.
MODES = ("idle", "listening", "thinking", "speaking")
# Level events carry dBFS (app.voice.audio.rms_db): -60 dB is silence on the meter, -15 dB full.
LEVEL_FLOOR_DB, LEVEL_FULL_DB = -60.0, -15.0


def level_from_db(db: float) -> float:
    return max(0.0, min(1.0, (float(db) - LEVEL_FLOOR_DB) / (LEVEL_FULL_DB - LEVEL_FLOOR_DB)))


def error_text(data: dict[str, Any], language: str) -> str:
    lang = "zh" if language == "zh" else "en"
    known = ERROR_TEXT.get(data.get("code", ""))
    if known:
        return known[lang]
    return data.get(f"message_{lang}") or data.get("message") or data.get("code") or "error"


class AssistantBridge(
    _props(
        state=str,
        level=float,
        transcript=str,
        partial=bool,
        reply=str,
        cards=list,
        selected=int,
    )
):
    """Turn events in, QML state out; talk button, typed text and card picks go back to the source.

    The source is the simulation, then the typed-only agent, then the voice pipeline
    (adapters.VoiceAssistant), whichever has loaded last; all speak app.services.TurnEvent.
    """

    toast = Signal(str)

    def __init__(self, source: AssistantSource, parent: QObject | None = None):
        super().__init__(parent)
        self._v = {
            "state": "idle",
            "level": 0.0,
            "transcript": "",
            "partial": False,
            "reply": "",
            "cards": [],
            "selected": -1,
        }
        self.language = "en"
        self.on_cards: Callable[[list[dict[str, Any]]], None] = lambda cards: None
        # Voice engine and network state belong to the status bar (SystemBridge.set_voice).
        self.on_voice: Callable[[str, str, bool], None] = lambda engine, kind, online: None
        self.on_network: Callable[[bool], None] = lambda online: None
        self.set_source(source)

    def set_source(self, source: AssistantSource) -> None:
        old = getattr(self, "source", None)
        self.source = source  # new requests go to the new source at once
        if old is not None and old is not source and hasattr(old, "set_listener"):
            if self._v["state"] in ("thinking", "speaking"):
                # A request typed while the voice was loading is still running in the old source:
                # let it show its answer, then retire the source.
                old.set_listener(self._retire_after_turn(old))
            else:
                old.set_listener(lambda event: None)  # a retired source must not write here any more
        source.set_listener(self.on_event)
        self.set_language(self.language)

    def _retire_after_turn(self, old: AssistantSource) -> TurnListener:
        def listener(event: TurnEvent) -> None:
            self.on_event(event)
            if event.kind == "state" and event.data.get("state") == "idle":
                old.set_listener(lambda e: None)

        return listener

    def set_language(self, language: str) -> None:
        self.language = language
        setter = getattr(self.source, "set_language", None)
        if callable(setter):
            setter(language)

    def on_event(self, event: TurnEvent) -> None:
        """TurnEvents may come from a worker thread; Qt queues the property change signals."""
        d = event.data
        match event.kind:
            case "state":
                state = d.get("state", "idle")
                self._set(state=state if state in MODES else "idle", level=0.0)
            case "level":
                self._set(level=level_from_db(d.get("rms", LEVEL_FLOOR_DB)))
            case "partial":
                self._set(transcript=d.get("text", ""), partial=True)
            case "transcript":
                self._set(transcript=d.get("text", ""), partial=False)
            case "reply":
                self._set(reply=d.get("text", ""))
            case "result":
                cards = cards_from_result(card_result(d), self.language)
                if cards is not None:
                    self._set(cards=cards, selected=-1)
                    self.on_cards(cards)
            case "error":
                if self._v["state"] == "listening":
                    self._set(state="idle", level=0.0)
                self.toast.emit(error_text(d, self.language))
            case "voice":
                self.on_voice(d.get("engine", ""), d.get("kind", "local"), bool(d.get("online")))
            case "network":
                self.on_network(bool(d.get("online")))

    @Slot()
    def pressTalk(self) -> None:
        # Barge-in: the source's start_listening stops any reply first.
        if getattr(self.source, "can_listen", True):
            self._set(transcript="", partial=False, reply="")
        self.source.start_listening()

    @Slot()
    def releaseTalk(self) -> None:
        self.source.stop_listening()

    @Slot(str)
    def submitText(self, text: str) -> None:
        text = text.strip()
        if text:
            self._set(reply="")
            self.source.submit_text(text, self.language)

    @Slot(int)
    def pickCard(self, index: int) -> None:
        self.source.pick(index)

    def select_place(self, lat: float, lon: float, within_m: float = 1.0) -> int:
        """Mark the card at (lat, lon) as chosen (touch, "the second one", or the agent routing to it);
        its index, or -1. within_m: a route ends on the road, a little off the place itself."""
        near = [(_metres(c["lat"], c["lon"], lat, lon), i) for i, c in enumerate(self._v["cards"])]
        index = min((d, i) for d, i in near)[1] if near and min(near)[0] <= within_m else -1
        self._set(selected=index)
        return index

    def submit_wav(self, path: str) -> bool:
        """A WAV file as the driver's spoken turn (the demo stand, --wav); False if the source cannot."""
        submit = getattr(self.source, "submit_wav", None)
        if not callable(submit):
            return False
        submit(path)
        return True


class SystemBridge(
    _props(
        clock=str,
        theme=str,
        language=str,
        missingModels=list,
        online=bool,
        voiceEngine=str,
        voiceKind=str,
    )
):
    """Clock, theme, language, model health, network and voice: the status bar's data."""

    languageSwitched = Signal(str)

    def __init__(self, parent: QObject | None = None, clock: Callable[[], datetime] = datetime.now):
        super().__init__(parent)
        self._clock = clock
        self._v = {
            "clock": "",
            "theme": "night",
            "language": "en",
            "missingModels": [],
            "online": False,
            "voiceEngine": "",
            "voiceKind": "local",
        }
        self._timer = QTimer(self, interval=1000, timeout=self._tick)
        self._tick()
        self._timer.start()

    def _tick(self) -> None:
        self._set(clock=self._clock().strftime("%H:%M"))

    @Slot(str)
    def setTheme(self, theme: str) -> None:
        self._set(theme=theme)

    @Slot(str)
    def setLanguage(self, language: str) -> None:
        if language != self._v["language"]:
            self._set(language=language)
            self.languageSwitched.emit(language)

    def set_models(self, states: list[Any]) -> None:
        missing = [
            {"name": s.name, "role": s.role, "state": s.state, "fetchCommand": s.fetch_command}
            for s in states
            if s.state != "verified"
        ]
        self._set(missingModels=missing)

    def set_voice(self, engine: str, kind: str, online: bool) -> None:
        """The voice that spoke last; a cloud voice that answered proves the network is up."""
        self._set(voiceEngine=engine, voiceKind=kind if kind in ("cloud", "local") else "local")
        if kind == "cloud" or online:
            self._set(online=True)

    def set_online(self, online: bool) -> None:
        self._set(online=bool(online))


def change_dict(change: Any) -> dict[str, Any]:
    """A cabin Change as a dict (the real dataclass has to_dict(); fakes may hand a dict)."""
    if change is None:
        return {}
    if isinstance(change, dict):
        return change
    to_dict = getattr(change, "to_dict", None)
    return to_dict() if callable(to_dict) else {}


# While media plays or a call is on, the cabin's state is read this often (progress, call timer).
CABIN_POLL_MS = 1000


class CabinBridge(_props(state=dict, available=bool)):
    """The cabin (app.vehicle) for the climate bar, the media and call cards and the cluster.

    Touches on the climate bar go through the cabin's own set/adjust/do: the same API the agent
    uses, so limits, clamping and the confirmation text are the cabin's. Every change, from any
    thread (the agent runs on a worker), arrives through `cabin.subscribe` and is re-emitted as a
    Qt signal, which Qt queues to the GUI thread; the bridge then re-reads the whole state.
    """

    confirmed = Signal(str, bool)  # a short confirmation of each change (message, ok), in the UI language
    _changed = Signal(object)

    def __init__(self, cabin: CabinSource | None, parent: QObject | None = None):
        super().__init__(parent)
        self._v = {"state": {}, "available": False}
        self.language = "en"
        self.cabin: CabinSource | None = None
        self.listeners: list[Callable[[dict[str, Any]], None]] = []
        self._unsubscribe: Callable[[], None] | None = None
        self._mtime: int | None = None
        self._changed.connect(self._on_change)
        self._timer = QTimer(self, interval=CABIN_POLL_MS, timeout=self._poll)
        self.set_cabin(cabin)

    def set_cabin(self, cabin: CabinSource | None) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.cabin = cabin
        if cabin is None:
            self._timer.stop()
            self._set(state={}, available=False)
            return
        self._unsubscribe = cabin.subscribe(self._changed.emit)
        # The file as the cabin read it: a save by another process before the first poll still
        # counts as a change (it was missed when the first poll came after the CLI's `set`).
        self._mtime = self._file_mtime()
        self.refresh()
        self._timer.start()

    def _file_mtime(self) -> int | None:
        path = getattr(self.cabin, "path", None)
        try:
            return path.stat().st_mtime_ns if path is not None and path.exists() else None
        except OSError:
            return None

    def set_language(self, language: str) -> None:
        self.language = "zh" if language == "zh" else "en"

    def refresh(self) -> None:
        if self.cabin is None:
            return
        try:
            state = self.cabin.state()
        except Exception:  # a failing cabin must not take the cockpit down
            log.exception("cabin state failed")
            return
        self._set(state=state, available=True)
        for listener in self.listeners:
            listener(state)

    def _on_change(self, change: Any) -> None:
        self.refresh()
        d = change_dict(change)
        message = d.get(f"message_{self.language}") or d.get("message_en") or d.get("error")
        if message:
            self.confirmed.emit(str(message), bool(d.get("ok", True)))

    def _poll(self) -> None:
        # A change saved by another process (`python -m app.vehicle set …` while the app runs).
        if callable(getattr(self.cabin, "reload", None)):
            try:
                mtime = self._file_mtime()
                if mtime != self._mtime:
                    self._mtime = mtime
                    if mtime is not None:
                        # A no-op for the cabin's own saves; notifies this bridge when anything changed.
                        self.cabin.reload()
            except Exception:
                log.exception("cabin reload failed")
        s = self._v["state"]
        if (s.get("media") or {}).get("playing") or ((s.get("phone") or {}).get("call") or {}).get(
            "state"
        ) not in (
            None,
            "idle",
        ):
            self.refresh()

    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        if self.cabin is None:
            return
        try:
            change = fn(*args, **kwargs)
        except Exception as exc:  # bad input gets a clear message, the cockpit stays up
            log.warning("cabin command failed: %s", exc)
            self.confirmed.emit(str(exc), False)
            return
        d = change_dict(change)
        if d and not d.get("ok", True) and not self._unsubscribe:
            self.confirmed.emit(d.get(f"message_{self.language}") or d.get("error") or "", False)

    @Slot(str, "QVariant")
    def setValue(self, path: str, value: Any) -> None:
        self._call(self.cabin.set if self.cabin else None, path, value)

    @Slot(str, float)
    def adjust(self, path: str, delta: float) -> None:
        self._call(self.cabin.adjust if self.cabin else None, path, delta)

    @Slot(str)
    def act(self, action: str) -> None:
        self._call(self.cabin.do if self.cabin else None, action)

    def duck(self, on: bool) -> None:
        """Lower the media while the assistant speaks (the cabin's player does the fading)."""
        target = getattr(self.cabin, "duck", None) or getattr(
            getattr(self.cabin, "media_player", None), "duck", None
        )
        if callable(target):
            try:
                target(bool(on))
            except Exception:
                log.exception("media duck failed")

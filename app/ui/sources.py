"""What the cockpit stores read from, as small interfaces, with simulation implementations.

The UI never imports a backend engine directly: each bridge takes one of these sources. There is
one car: the world's (app/world/vehicle.py), behind adapters.WorldDrive; `NoCar` stands in while
the world loads. The scripted assistant (SimAssistant) answers before the agent has loaded and in
`--sim`; FakePlaces is a small fake for tests and harnesses (the cabin's own fake is
`app.vehicle.Cabin()`, in memory).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Protocol

from app.services import TurnEvent, TurnListener

LatLon = tuple[float, float]


class VehicleSource(Protocol):
    def tick(self, dt: float) -> dict[str, Any] | None:
        """Advance by dt seconds (a simulation) or read the latest state; VehicleState fields, None = no car."""
        ...

    def route(self) -> list[LatLon]: ...

    def route_signals(self) -> list[dict[str, Any]]:
        """Signals along the route: {id, lat, lon, phase}."""
        ...

    def signal_ahead(self) -> dict[str, Any] | None:
        """The next signal as GreenWave fields flattened: phase, time_to_change_s, distance_m, advice_kmh_min/max."""
        ...

    def destination(self) -> dict[str, Any] | None:
        """The route's destination: {lat, lon, name_en, name_zh}."""
        ...

    def navigate_to(self, lat: float, lon: float, name: str) -> None: ...


class AssistantSource(Protocol):
    def set_listener(self, listener: TurnListener) -> None: ...

    def start_listening(self) -> None: ...

    def stop_listening(self) -> None: ...

    def submit_text(self, text: str, language: str) -> None: ...

    def pick(self, index: int) -> None:
        """The driver chose result card `index` by touch."""
        ...


# --- before the world has loaded -------------------------------------------------------------------


class NoCar:
    """VehicleSource while the world (the one simulated car) is still loading: no car, no route.

    The cockpit shows the cluster dimmed and the map without a car until the world's car takes over;
    nothing is invented in the meantime.
    """

    def tick(self, dt: float) -> dict[str, Any] | None:
        return None

    def route(self) -> list[LatLon]:
        return []

    def route_signals(self) -> list[dict[str, Any]]:
        return []

    def signal_ahead(self) -> dict[str, Any] | None:
        return None

    def destination(self) -> dict[str, Any] | None:
        return None

    def navigate_to(self, lat: float, lon: float, name: str) -> None:
        raise RuntimeError("the map is still loading")


# --- simulated assistant --------------------------------------------------------------------------


class PlaceSearch(Protocol):
    """Where the simulated assistant looks places up: items shaped like the agent's tool results."""

    def parking(self, limit: int = 3) -> list[dict[str, Any]]:
        """{name, name_en, name_zh, lat, lon, walk_m, free, capacity, price_cny_per_hour, simulated}"""
        ...

    def restaurants(self, limit: int = 3) -> list[dict[str, Any]]:
        """{name, name_en, name_zh, lat, lon, distance_m, cuisine, rating, simulated, rating_simulated}"""
        ...

    def places(self, text: str, limit: int = 3) -> dict[str, Any] | None:
        """A place search for the category named in `text` (the world's vocabulary), as the agent's
        `{"kind": "places", "category", "items"}` result plus `name_en/name_zh` of the category; None
        when the text names no category."""
        ...


class FakePlaces:
    """Obviously fake places for tests and harnesses: never shown as real (every record is simulated)."""

    def places(self, text: str, limit: int = 3) -> dict[str, Any] | None:
        if "hospital" not in text.lower() and "医院" not in text:
            return None
        item = {"id": "test-h1", "name": "测试医院", "name_en": "Test hospital", "name_zh": "测试医院", "lat": 31.2290,
                "lon": 121.4760, "category": "hospital", "distance_m": 520, "source": "simulated", "simulated": True,
                "opening_hours": "24/7", "rating": None}  # fmt: skip
        return {"kind": "places", "category": "hospital", "items": [item][:limit], "name_en": "hospital",
                "name_zh": "医院"}  # fmt: skip

    def parking(self, limit: int = 3) -> list[dict[str, Any]]:
        spots = [(31.2327, 121.4752, 180, 46), (31.2311, 121.4738, 240, 112), (31.2297, 121.4713, 410, 8)]
        return [
            {"name": f"测试停车场{c}", "name_zh": f"测试停车场{c}", "name_en": f"Test car park {c}", "lat": lat,
             "lon": lon, "walk_m": walk, "free": free, "capacity": 200, "price_cny_per_hour": 10, "simulated": True}
            for c, (lat, lon, walk, free) in zip("ABC", spots, strict=True)
        ][:limit]  # fmt: skip

    def restaurants(self, limit: int = 3) -> list[dict[str, Any]]:
        spots = [(31.2352, 121.4781, 350, "shanghainese"), (31.2336, 121.4801, 520, "sichuan"),
                 (31.2289, 121.4760, 640, "hotpot")]  # fmt: skip
        return [
            {"name": f"测试餐厅{c}", "name_zh": f"测试餐厅{c}", "name_en": f"Test restaurant {c}", "lat": lat,
             "lon": lon, "distance_m": d, "cuisine": cuisine, "rating": 4.0, "simulated": True,
             "rating_simulated": True}
            for c, (lat, lon, d, cuisine) in zip("ABC", spots, strict=True)
        ][:limit]  # fmt: skip


ORDINALS = {
    0: ("first", "1st", "第一", "第1"),
    1: ("second", "2nd", "第二", "第2"),
    2: ("third", "3rd", "第三", "第3"),
}

SIM_REPLIES = {
    "parking": ("I found {n} car parks; the closest is {name}, {d} m walk.", "找到{n}个停车场，最近的是{name}，步行{d}米。"),
    "no_parking": ("I found no car parks nearby.", "附近没有找到停车场。"),
    "restaurants": ("Here are {n} restaurants nearby; the closest is {name}.", "附近有{n}家餐厅，最近的是{name}。"),
    "no_restaurants": ("I found no restaurants nearby.", "附近没有找到餐厅。"),
    "no_places": ("The map's place data has not loaded, so I cannot search yet.", "地点数据尚未加载，暂时无法搜索。"),
    "places": ("I found {n} {category}; the closest is {name}, {d} m away.", "找到{n}个{category}，最近的是{name}，{d}米。"),
    "no_places_found": ("I found no {category} nearby.", "附近没有找到{category}。"),
    "help": ("In simulation I can find parking, restaurants and other places.", "模拟助手可以帮你找停车场、餐厅和其他地点。"),
    "navigate": ("Starting navigation to {name}.", "开始导航去{name}。"),
}  # fmt: skip


def place_name(item: dict[str, Any], language: str) -> str:
    keys = ("name_zh", "name", "name_en") if language == "zh" else ("name_en", "name", "name_zh")
    return next((item[k] for k in keys if item.get(k)), "?")


class SimAssistant:
    """A scripted assistant: parking and restaurant searches, ordinal picks. Implements AssistantSource.

    It invents no places: searches go to `places` (the world service once it has loaded, FakePlaces
    in tests), and without one it says the data is not there. Replies follow the UI language.
    `schedule(delay_s, fn)` defers work (a QTimer in the app, immediate in unit tests) so the UI
    can show the thinking and speaking states the way the real pipeline would.
    """

    def __init__(self, schedule: Callable[[float, Callable[[], None]], None], navigate: Callable[..., None],
                 places: PlaceSearch | None = None):  # fmt: skip
        self._schedule = schedule
        self._navigate = navigate
        self.places = places
        self._listener: TurnListener = lambda event: None
        self._results: list[dict[str, Any]] = []
        self._language = "en"
        self.listening = False

    def set_places(self, places: PlaceSearch | None) -> None:
        self.places = places

    def set_language(self, language: str) -> None:
        self._language = "zh" if language == "zh" else "en"

    def set_listener(self, listener: TurnListener) -> None:
        self._listener = listener
        self._emit("voice", engine="simulation", kind="local", online=False)

    def start_listening(self) -> None:
        self.listening = True
        self._emit("state", state="listening")
        self._pulse(0)

    def stop_listening(self) -> None:
        if not self.listening:
            return
        self.listening = False
        # No microphone in the simulation: pretend the driver asked for parking.
        text = "附近有停车场吗" if self._language == "zh" else "Find parking nearby"
        self._emit("transcript", text=text, language=self._language)
        self._respond(text)

    def submit_text(self, text: str, language: str) -> None:
        self.set_language(language)
        self._emit("transcript", text=text, language=language)
        self._respond(text)

    def pick(self, index: int) -> None:
        if 0 <= index < len(self._results):
            self._go(self._results[index])

    def _pulse(self, n: int) -> None:
        if not self.listening:
            return
        # dBFS, like the pipeline's level events.
        self._emit("level", rms=-30 + 14 * math.sin(n * 0.9) * math.sin(n * 0.23))
        self._schedule(0.06, lambda: self._pulse(n + 1))

    def _respond(self, text: str) -> None:
        self._emit("state", state="thinking")
        self._schedule(0.5, lambda: self._answer(text))

    def _say(self, key: str, **values: Any) -> str:
        return SIM_REPLIES[key][self._language == "zh"].format(**values)

    def _answer(self, text: str) -> None:
        low = text.lower()
        for index, words in ORDINALS.items():
            if index < len(self._results) and any(w in low for w in words):
                self._go(self._results[index])
                return
        parking = "parking" in low or "car park" in low or "停车" in text  # "a park" is a place category
        food = any(w in low for w in ("eat", "restaurant", "food")) or "吃" in text or "餐" in text
        if (parking or food) and self.places is None:
            reply = self._say("no_places")
        elif parking or food:
            kind, key = ("parking", "parking") if parking else ("restaurants", "restaurants")
            try:
                items = self.places.parking() if parking else self.places.restaurants()
            except Exception as exc:  # a failing search is an answer, not a crash
                self._emit("error", code="search_failed", message=str(exc))
                items = []
            self._results = [dict(i) for i in items]
            self._emit("result", tool=f"find_{key}", args={}, result={"kind": kind, "items": self._results})
            if items:
                first = items[0]
                reply = self._say(key, n=len(items), name=place_name(first, self._language),
                                  d=round(first.get("walk_m", first.get("distance_m", 0))))  # fmt: skip
            else:
                reply = self._say("no_" + key)
        else:
            reply = self._place_search(text)
        self._speak(reply)

    def _place_search(self, text: str) -> str:
        try:
            found = self.places.places(text) if self.places is not None else None
        except Exception as exc:  # a failing search is an answer, not a crash
            self._emit("error", code="search_failed", message=str(exc))
            return self._say("help")
        if found is None:
            return self._say("help")
        items = [dict(i) for i in found.get("items") or []]
        self._results = items
        self._emit("result", tool="find_places", args={"category": found.get("category")},
                   result={"kind": "places", "category": found.get("category"), "items": items})  # fmt: skip
        category = found.get("name_zh" if self._language == "zh" else "name_en") or found.get("category", "")
        if not items:
            return self._say("no_places_found", category=category)
        first = items[0]
        return self._say("places", n=len(items), category=category, name=place_name(first, self._language),
                         d=round(first.get("distance_m") or 0))  # fmt: skip

    def _go(self, item: dict[str, Any]) -> None:
        name = place_name(item, self._language)
        self._navigate(item["lat"], item["lon"], name)
        self._emit("result", tool="navigate", args={"to": name}, result={"kind": "navigate", "place": item})
        self._speak(self._say("navigate", name=name))

    def _speak(self, reply: str) -> None:
        self._emit("reply", text=reply, language=self._language)
        self._emit("state", state="speaking")
        self._schedule(1.6, lambda: self._emit("state", state="idle"))

    def _emit(self, event: str, /, **data: Any) -> None:
        self._listener(TurnEvent(event, data))


# --- the cabin ------------------------------------------------------------------------------------


class CabinSource(Protocol):
    """What the cockpit needs of app.vehicle's Cabin (INTERFACES.md); the climate bar changes go
    through set/adjust/do, the same API the agent uses."""

    def state(self) -> dict[str, Any]: ...

    def set(self, path: str, value: Any) -> Any:
        """A Change (to_dict(): ok, changes, clamped, message_en, message_zh, error)."""
        ...

    def adjust(self, path: str, delta: float) -> Any: ...

    def do(self, action: str, **args: Any) -> Any: ...

    def subscribe(self, fn: Callable[[Any], None]) -> Callable[[], None]:
        """fn(change) after every change, from any thread; returns the unsubscribe function."""
        ...

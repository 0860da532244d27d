"""What the cockpit stores read from, as small interfaces, with simulation implementations.

The UI never imports a backend engine directly: each bridge takes one of these sources. The
simulations (a car driving real Shanghai streets through timed signals, and a scripted assistant)
run the cockpit before the world service and the agent exist, and in the view tests; the adapters
in app/ui/adapters.py put the real services behind the same interfaces.
"""

from __future__ import annotations

import heapq
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from app import paths
from app.services import TurnEvent, TurnListener
from app.ui.mappage import roads_path

LatLon = tuple[float, float]
EARTH_M = 6_371_000.0


class VehicleSource(Protocol):
    def tick(self, dt: float) -> dict[str, Any]:
        """Advance by dt seconds (a simulation) or read the latest state (a real car); VehicleState fields."""
        ...

    def route(self) -> list[LatLon]: ...

    def route_signals(self) -> list[dict[str, Any]]:
        """Signals along the route: {id, lat, lon, phase}."""
        ...

    def signal_ahead(self) -> dict[str, Any] | None:
        """The next signal as GreenWave fields flattened: phase, time_to_change_s, distance_m, advice_kmh_min/max."""
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


# --- geometry ---------------------------------------------------------------------------------


def distance_m(a: LatLon, b: LatLon) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_M * math.asin(math.sqrt(h))


def bearing_deg(a: LatLon, b: LatLon) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    y = math.sin(lon2 - lon1) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    return math.degrees(math.atan2(y, x)) % 360


class RoadGraph:
    """Just enough routing for the simulation: Dijkstra over the OSM node ids in roads.geojson."""

    def __init__(self, path: Path | None = None):
        data = json.loads((path or roads_path()).read_text(encoding="utf-8"))
        self.coords: dict[int, LatLon] = {}
        self.edges: dict[int, list[tuple[int, float]]] = {}
        for feature in data["features"]:
            nodes = feature["properties"].get("nodes") or []
            points = feature["geometry"]["coordinates"]
            for node, (lon, lat) in zip(nodes, points, strict=False):
                self.coords[node] = (lat, lon)
            # The sim ignores one-way tags: it only has to look plausible, the world service routes for real.
            for a, b in zip(nodes, nodes[1:], strict=False):
                d = distance_m(self.coords[a], self.coords[b])
                self.edges.setdefault(a, []).append((b, d))
                self.edges.setdefault(b, []).append((a, d))

    def nearest(self, point: LatLon) -> int:
        return min(self.edges, key=lambda n: distance_m(self.coords[n], point))

    def path(self, start: LatLon, goal: LatLon) -> list[LatLon]:
        src, dst = self.nearest(start), self.nearest(goal)
        best = {src: 0.0}
        prev: dict[int, int] = {}
        queue = [(0.0, src)]
        while queue:
            d, node = heapq.heappop(queue)
            if node == dst:
                break
            if d > best[node]:
                continue
            for nxt, w in self.edges.get(node, []):
                if d + w < best.get(nxt, math.inf):
                    best[nxt] = d + w
                    prev[nxt] = node
                    heapq.heappush(queue, (d + w, nxt))
        if dst not in best:
            return [start, goal]
        chain = [dst]
        while chain[-1] != src:
            chain.append(prev[chain[-1]])
        return [self.coords[n] for n in reversed(chain)]


# --- simulated car and signals --------------------------------------------------------------------

# A fixed signal plan for every simulated light: green, amber, red (seconds).
GREEN_S, AMBER_S, RED_S = 25.0, 3.0, 32.0
CYCLE_S = GREEN_S + AMBER_S + RED_S
SPEED_LIMIT_KMH = 50.0
# The demo drive: People's Square to the Bund along real streets.
DEMO_ORIGIN: LatLon = (31.2318, 121.4690)
DEMO_DESTINATION: LatLon = (31.2400, 121.4905)
# Signals within this distance of the route line count as on the route.
SIGNAL_SNAP_M = 12.0
STOP_LINE_M = 6.0


@dataclass
class SimSignalPlan:
    id: str
    lat: float
    lon: float
    along_m: float
    offset_s: float

    def phase(self, t: float) -> tuple[str, float]:
        """(phase, seconds to the next change) at sim time t."""
        p = (t + self.offset_s) % CYCLE_S
        if p < GREEN_S:
            return "green", GREEN_S - p
        if p < GREEN_S + AMBER_S:
            return "amber", GREEN_S + AMBER_S - p
        return "red", CYCLE_S - p

    def green_windows(self, t: float, horizon_s: float) -> list[tuple[float, float]]:
        """Green intervals (relative to t) within the horizon."""
        p = (t + self.offset_s) % CYCLE_S
        start = -p
        out = []
        while start < horizon_s:
            out.append((max(0.0, start), start + GREEN_S))
            start += CYCLE_S
        return [w for w in out if w[1] > 0]


def green_wave_advice(distance: float, windows: list[tuple[float, float]]) -> tuple[float, float] | None:
    """The speed band (km/h) that reaches the stop line during the first reachable green window."""
    for begin, end in windows:
        fastest = SPEED_LIMIT_KMH if begin <= 0 else min(SPEED_LIMIT_KMH, distance / begin * 3.6)
        slowest = distance / end * 3.6
        # Below ~15 km/h the advice would be to crawl; the next window is the honest answer.
        if fastest >= max(slowest, 15.0):
            return round(max(slowest, 15.0)), round(fastest)
    return None


@dataclass
class SimDrive:
    """A car driving a route through timed signals; implements VehicleSource."""

    graph: RoadGraph | None = None
    signals_path: Path | None = None
    clock: Callable[[], float] = time.monotonic
    _route: list[LatLon] = field(default_factory=list)
    _cum: list[float] = field(default_factory=list)
    _signals: list[SimSignalPlan] = field(default_factory=list)
    along_m: float = 0.0
    speed_kmh: float = 38.0
    battery_pct: float = 78.0
    t: float = 0.0

    def __post_init__(self):
        self.graph = self.graph or RoadGraph()
        self._set_route(self.graph.path(DEMO_ORIGIN, DEMO_DESTINATION))
        self._stage_first_signal()

    def _set_route(self, route: list[LatLon]) -> None:
        self._route = route
        self._cum = [0.0]
        for a, b in zip(route, route[1:], strict=False):
            self._cum.append(self._cum[-1] + distance_m(a, b))
        self.along_m = 0.0
        self._signals = self._snap_signals()

    def _snap_signals(self) -> list[SimSignalPlan]:
        path = self.signals_path or _signals_path()
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        plans: dict[int, SimSignalPlan] = {}
        for f in features:
            lon, lat = f["geometry"]["coordinates"]
            for i, (a, b) in enumerate(zip(self._route, self._route[1:], strict=False)):
                off, t = _point_segment(a, b, (lat, lon))
                if off <= SIGNAL_SNAP_M:
                    along = self._cum[i] + t * (self._cum[i + 1] - self._cum[i])
                    sid = str(f["properties"].get("osm_id"))
                    # Deterministic offsets so every run (and every screenshot) shows the same plan.
                    plans[round(along / 20)] = SimSignalPlan(sid, lat, lon, along, (int(sid) % 97) * 0.7)
                    break
        return sorted(plans.values(), key=lambda s: s.along_m)

    def _stage_first_signal(self) -> None:
        """Start ~150 m before a signal that is red with 15 s to go: the demo shows a countdown at once."""
        ahead = [s for s in self._signals if s.along_m > 170]
        if not ahead:
            return
        first = ahead[0]
        self.along_m = max(0.0, first.along_m - 150)
        # Choose the sim time so `first` is 15 s before its change to green.
        self.t = CYCLE_S - 15.0 - first.offset_s

    # VehicleSource ---------------------------------------------------------------------------
    def tick(self, dt: float) -> dict[str, Any]:
        self.t += dt
        target = SPEED_LIMIT_KMH * 0.85
        nxt = self._next_signal()
        if nxt is not None:
            phase, _ = nxt.phase(self.t)
            gap = nxt.along_m - self.along_m - STOP_LINE_M
            if phase != "green" and gap < 70:
                # Brake smoothly so the car stops at the line on red.
                target = max(0.0, min(target, gap * 0.9))
        accel = 8.0 * dt  # km/h per tick step: gentle enough to read on the gauge
        self.speed_kmh += max(-accel * 2, min(accel, target - self.speed_kmh))
        self.along_m += self.speed_kmh / 3.6 * dt
        if self.along_m >= self._cum[-1]:
            self.along_m = 0.0  # loop the demo drive
        self.battery_pct = max(5.0, self.battery_pct - dt * 0.002)
        lat, lon, heading = self._pose()
        return {
            "lat": lat,
            "lon": lon,
            "heading_deg": heading,
            "speed_kmh": self.speed_kmh,
            "gear": "D",
            "battery_pct": self.battery_pct,
            "range_km": self.battery_pct * 5.2,
            "route_progress_m": self.along_m,
            "at_destination": False,
            "drive_mode": "comfort",
        }

    def route(self) -> list[LatLon]:
        return list(self._route)

    def route_signals(self) -> list[dict[str, Any]]:
        nxt = self._next_signal()
        return [
            {"id": s.id, "lat": s.lat, "lon": s.lon, "phase": s.phase(self.t)[0], "next": s is nxt}
            for s in self._signals
        ]

    def signal_ahead(self) -> dict[str, Any] | None:
        nxt = self._next_signal()
        if nxt is None:
            return None
        phase, ttc = nxt.phase(self.t)
        distance = nxt.along_m - self.along_m
        advice = green_wave_advice(distance, nxt.green_windows(self.t, 2 * CYCLE_S))
        return {
            "id": nxt.id,
            "phase": phase,
            "time_to_change_s": ttc,
            "distance_m": distance,
            "advice_kmh_min": advice[0] if advice else None,
            "advice_kmh_max": advice[1] if advice else None,
        }

    def navigate_to(self, lat: float, lon: float, name: str) -> None:
        here = self._pose()[:2]
        self._set_route(self.graph.path(here, (lat, lon)))

    # helpers ---------------------------------------------------------------------------------
    def _next_signal(self) -> SimSignalPlan | None:
        for s in self._signals:
            if s.along_m > self.along_m:
                return s
        return None

    def _pose(self) -> tuple[float, float, float]:
        i = max(0, min(len(self._cum) - 2, _bisect(self._cum, self.along_m)))
        a, b = self._route[i], self._route[i + 1]
        seg = self._cum[i + 1] - self._cum[i] or 1.0
        t = (self.along_m - self._cum[i]) / seg
        return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, bearing_deg(a, b)


def _signals_path() -> Path:
    return paths.ASSETS / "world" / "signals.geojson"


def _bisect(cum: list[float], x: float) -> int:
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if cum[mid] <= x:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _point_segment(a: LatLon, b: LatLon, p: LatLon) -> tuple[float, float]:
    """(distance in m from p to segment ab, position 0..1 along it), on a local flat projection."""
    k = math.cos(math.radians(a[0]))
    ax, ay, bx, by, px, py = a[1] * k, a[0], b[1] * k, b[0], p[1] * k, p[0]
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy) * math.pi / 180 * EARTH_M, t


# --- simulated assistant --------------------------------------------------------------------------


class PlaceSearch(Protocol):
    """Where the simulated assistant looks places up: items shaped like the agent's tool results."""

    def parking(self, limit: int = 3) -> list[dict[str, Any]]:
        """{name, name_en, name_zh, lat, lon, walk_m, free, capacity, price_cny_per_hour, simulated}"""
        ...

    def restaurants(self, limit: int = 3) -> list[dict[str, Any]]:
        """{name, name_en, name_zh, lat, lon, distance_m, cuisine, rating, simulated, rating_simulated}"""
        ...


class FakePlaces:
    """Obviously fake places for tests and harnesses: never shown as real (every record is simulated)."""

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
    "help": ("In simulation I can find parking or restaurants.", "模拟助手可以帮你找停车场或餐厅。"),
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
        parking = "park" in low or "停车" in text
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
            reply = self._say("help")
        self._speak(reply)

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

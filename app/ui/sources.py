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
    local = paths.ASSETS / "world" / "signals.geojson"
    return local if local.exists() else Path("/work/shared/data/signals.geojson")


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

SIM_PARKING = [
    {"name": "来福士广场停车场", "name_en": "Raffles City Car Park", "lat": 31.2327, "lon": 121.4752,
     "walk_m": 180, "free": 46, "capacity": 420, "price_cny_per_hour": 15},
    {"name": "人民广场地下停车场", "name_en": "People's Square Underground Car Park", "lat": 31.2311,
     "lon": 121.4738, "walk_m": 240, "free": 112, "capacity": 600, "price_cny_per_hour": 12},
    {"name": "大剧院停车场", "name_en": "Grand Theatre Car Park", "lat": 31.2297, "lon": 121.4713,
     "walk_m": 410, "free": 8, "capacity": 150, "price_cny_per_hour": 10},
]  # fmt: skip

SIM_RESTAURANTS = [
    {"name": "小杨生煎", "name_en": "Yang's Dumplings", "cuisine": "shanghainese", "lat": 31.2352,
     "lon": 121.4781, "distance_m": 350, "rating": 4.6},
    {"name": "蜀地源冒菜", "name_en": "Shudiyuan Sichuan", "cuisine": "sichuan", "lat": 31.2336,
     "lon": 121.4801, "distance_m": 520, "rating": 4.3},
    {"name": "海底捞火锅", "name_en": "Haidilao Hot Pot", "cuisine": "hotpot", "lat": 31.2289,
     "lon": 121.4760, "distance_m": 640, "rating": 4.8},
]  # fmt: skip

ORDINALS = {
    0: ("first", "1st", "第一", "第1"),
    1: ("second", "2nd", "第二", "第2"),
    2: ("third", "3rd", "第三", "第3"),
}


class SimAssistant:
    """A scripted assistant: parking and restaurant searches, ordinal picks. Implements AssistantSource.

    `schedule(delay_s, fn)` defers work (a QTimer in the app, immediate in unit tests) so the UI
    can show the thinking and speaking states the way the real pipeline would.
    """

    def __init__(self, schedule: Callable[[float, Callable[[], None]], None], navigate: Callable[..., None]):
        self._schedule = schedule
        self._navigate = navigate
        self._listener: TurnListener = lambda event: None
        self._results: list[dict[str, Any]] = []
        self._language = "en"
        self.listening = False

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
        self._language = language
        self._emit("transcript", text=text, language=language)
        self._respond(text)

    def pick(self, index: int) -> None:
        if 0 <= index < len(self._results):
            self._go(self._results[index])

    def _pulse(self, n: int) -> None:
        if not self.listening:
            return
        self._emit("level", rms=0.35 + 0.3 * math.sin(n * 0.9) * math.sin(n * 0.23))
        self._schedule(0.06, lambda: self._pulse(n + 1))

    def _respond(self, text: str) -> None:
        self._emit("state", state="thinking")
        self._schedule(0.5, lambda: self._answer(text))

    def _answer(self, text: str) -> None:
        low = text.lower()
        zh = any("\u4e00" <= ch <= "\u9fff" for ch in text)
        lang = "zh" if zh else "en"
        for index, words in ORDINALS.items():
            if index < len(self._results) and any(w in low for w in words):
                self._go(self._results[index])
                return
        if "park" in low or "停车" in text:
            self._results = [dict(p, simulated=True) for p in SIM_PARKING]
            reply = (
                "我找到三个停车场，最近的是来福士广场。"
                if zh
                else "I found three car parks; Raffles City is closest."
            )
            self._emit("result", tool="search_parking", args={}, result={"parking": self._results})
        elif "eat" in low or "restaurant" in low or "food" in low or "吃" in text or "餐" in text:
            self._results = [dict(r) for r in SIM_RESTAURANTS]
            reply = "附近有三家不错的餐厅。" if zh else "Here are three good restaurants nearby."
            self._emit("result", tool="search_restaurants", args={}, result={"restaurants": self._results})
        else:
            reply = (
                "模拟助手可以帮你找停车场或餐厅。"
                if zh
                else "In simulation I can find parking or restaurants."
            )
        self._speak(reply, lang)

    def _go(self, item: dict[str, Any]) -> None:
        self._navigate(item["lat"], item["lon"], item["name"])
        zh = self._language == "zh"
        name = item["name"] if zh else item.get("name_en") or item["name"]
        self._emit("result", tool="navigate", args={"to": name}, result={"navigate": item})
        self._speak(f"开始导航去{name}。" if zh else f"Starting navigation to {name}.", self._language)

    def _speak(self, reply: str, language: str) -> None:
        self._emit("reply", text=reply, language=language)
        self._emit("state", state="speaking")
        self._schedule(1.6, lambda: self._emit("state", state="idle"))

    def _emit(self, event: str, /, **data: Any) -> None:
        self._listener(TurnEvent(event, data))

"""Fakes for fast tests and UI work without the model: a scripted LLM runtime and a tiny world.

`FakeRuntime` answers from a script (exact utterance -> raw model output) and
otherwise from the fast-path rules, so the agent's whole pipeline (parse,
validate, ground, execute, reply) runs in microseconds.
"""

from __future__ import annotations

from collections.abc import Callable

from app.agent import fastpath, prompt
from app.world.api import (
    GreenWave,
    Parking,
    Place,
    PlaceNotFound,
    Restaurant,
    Route,
    SignalState,
    Stop,
    VehicleState,
)


class FakeRuntime:
    name = "fake"

    def __init__(self, script: dict | None = None, fallback: Callable[[str], str] | None = None):
        self.script = dict(script or {})
        self.fallback = fallback
        self.calls: list[str] = []  # the user texts the model was asked about
        self.excluded: list[tuple[str, ...]] = []

    def warm_up(self) -> None:
        pass

    def decide(self, suffix: str, exclude: tuple[str, ...] = (), drop_params: tuple[str, ...] = ()) -> str:
        _, user = prompt.parse_turn(suffix)
        self.calls.append(user)
        self.excluded.append(tuple(exclude))
        if user in self.script:
            # Like a chat server, the fake cannot mask tools: `exclude` is only recorded.
            return self.script[user]
        if self.fallback:
            return self.fallback(user)
        picked = fastpath.decide(user)
        if picked is None:
            return 'none(reply="OK.")'
        tool, args = picked
        inner = ", ".join(f'{k}="{v}"' for k, v in args.items())
        return f"{tool}({inner})"


def _place(pid: str, en: str, zh: str, lat: float, lon: float, kind: str = "landmark") -> Place:
    return Place(id=pid, name=zh, name_en=en, name_zh=zh, lat=lat, lon=lon, kind=kind)


class _Vehicle:
    def __init__(self):
        self.state = VehicleState(31.2317, 121.4727, 90.0, 30.0, "D", 80.0, 320.0, 0.0, False)


class FakeWorld:
    """The World API's shape over real landmarks and obviously fake car parks and restaurants
    (named "Test …"), so a fake result can never pass for a real place."""

    def __init__(self):
        self.places = [
            _place("the_bund", "The Bund", "外滩", 31.2400, 121.4860),
            _place("peoples_square", "People's Square", "人民广场", 31.2317, 121.4727),
            _place("xintiandi", "Xintiandi", "新天地", 31.2196, 121.4746),
            _place("hongqiao_station", "Shanghai Hongqiao Railway Station", "虹桥火车站", 31.1940, 121.3200),
        ]
        self.car_parks = [
            _place("p1", "Test car park A", "测试停车场甲", 31.2330, 121.4750, "parking"),
            _place("p2", "Test car park B", "测试停车场乙", 31.2350, 121.4770, "parking"),
            _place("p3", "Test car park C", "测试停车场丙", 31.2310, 121.4700, "parking"),
        ]
        self.restaurants = [
            (_place("r1", "Test dumpling house", "测试生煎馆", 31.2340, 121.4760, "restaurant"), "dumplings"),
            (_place("r2", "Test hotpot", "测试火锅店", 31.2300, 121.4740, "restaurant"), "hotpot"),
            (_place("r3", "Test sushi bar", "测试寿司店", 31.2290, 121.4710, "restaurant"), "japanese"),
            (_place("r4", "Test Sichuan kitchen", "测试川菜馆", 31.2320, 121.4790, "restaurant"), "sichuan"),
        ]
        self.vehicle = _Vehicle()
        self.current_route: Route | None = None
        self.here = self.places[1]

    def find_place(self, query: str, near=None) -> Place:
        q = query.strip().lower().removeprefix("the ")
        for p in self.places + self.car_parks + [r for r, _ in self.restaurants]:
            names = [n.lower().removeprefix("the ") for n in (p.name, p.name_en, p.name_zh) if n]
            if any(q == n or (len(q) >= 2 and q in n) for n in names):
                return p
        raise PlaceNotFound(query, [p.name_en for p in self.places[:2]])

    def _ref(self, ref) -> Place:
        if ref is None:
            return self.here
        return ref if isinstance(ref, Place) else self.find_place(ref)

    def route(self, origin, destination) -> Route:
        o, d = self._ref(origin), self._ref(destination)
        dist = 1000 * (abs(o.lat - d.lat) + abs(o.lon - d.lon)) * 111
        return Route(o, d, dist, dist / 8.0, [(o.lat, o.lon), (d.lat, d.lon)], [])

    def set_destination(self, destination, origin=None) -> Route:
        self.current_route = self.route(origin, destination)
        return self.current_route

    def search_parking(self, near=None, limit: int = 5) -> list[Parking]:
        self._ref(near)
        return [
            Parking(p, 120.0 + 90 * i, 200, 40 - 10 * i, 10.0, True)
            for i, p in enumerate(self.car_parks[:limit])
        ]

    def search_restaurants(self, cuisine=None, near=None, limit: int = 5) -> list[Restaurant]:
        self._ref(near)
        hits = [(p, c) for p, c in self.restaurants if cuisine in (None, c)]
        return [Restaurant(p, c, False, 150.0 * (i + 1), 4.5, True) for i, (p, c) in enumerate(hits[:limit])]

    def add_stop(self, category: str, near=None) -> Stop:
        p = _place(
            f"stop_{category}", f"Test {category} stop", f"测试{category}点", 31.2360, 121.4800, category
        )
        return Stop(p, category, 400.0, 90.0)

    def signal_ahead(self) -> GreenWave | None:
        return GreenWave(SignalState("s1", "red", 12.0, 60.0, 180.0), 30.0, 40.0, None)

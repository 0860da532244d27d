"""Fakes for fast tests and UI work without the model: a scripted LLM runtime and a tiny world.

`FakeRuntime` answers from a script (exact utterance -> raw model output) and otherwise with the
schema's own example for that utterance, so the agent's whole pipeline (parse, validate, ground,
execute, reply) runs in microseconds. `FakeWorld` has the World API of INTERFACES.md (search_places,
find with ambiguous/far_away, saved places, prefer, trip_status) over a handful of real landmarks
and obviously fake shops ("Test …"), so a fake result can never pass for a real place.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.agent import prompt
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

# The world's category vocabulary (app/world/categories.py) in its documented shape, for when the
# world package does not ship one yet. Keys are the world's.
CATEGORIES: list[dict[str, Any]] = [
    {"key": k, "en": en, "zh": zh, "synonyms_en": list(se), "synonyms_zh": list(sz)}
    for k, en, zh, se, sz in [
        ("hospital", "hospital", "医院", ["clinic", "emergency room"], ["诊所", "急诊"]),
        ("pharmacy", "pharmacy", "药店", ["drugstore", "chemist"], ["药房"]),
        ("hotel", "hotel", "酒店", ["motel", "inn"], ["宾馆", "旅馆"]),
        ("supermarket", "supermarket", "超市", ["grocery store"], ["菜场"]),
        ("convenience", "convenience store", "便利店", ["corner shop"], ["小卖部"]),
        ("bank", "bank", "银行", [], []),
        ("atm", "ATM", "取款机", ["cash machine"], ["ATM机"]),
        ("mall", "shopping mall", "商场", ["mall", "shopping centre"], ["购物中心", "商城"]),
        ("metro", "metro station", "地铁站", ["subway", "underground"], ["地铁"]),
        ("fuel", "petrol station", "加油站", ["gas station", "gas", "fuel", "petrol"], ["加油"]),
        ("charging", "charging station", "充电站", ["charger", "ev charger"], ["充电桩", "充电"]),
        ("parking", "car park", "停车场", ["parking", "parking lot", "garage"], ["停车位", "停车"]),
        ("toilet", "toilet", "厕所", ["restroom", "bathroom", "washroom"], ["洗手间", "卫生间"]),
        ("restaurant", "restaurant", "餐厅", ["food", "somewhere to eat"], ["饭店", "餐馆"]),
        ("cafe", "cafe", "咖啡店", ["coffee", "coffee shop"], ["咖啡", "咖啡馆"]),
        ("fast_food", "fast food", "快餐", ["burger"], ["快餐店"]),
        ("park", "park", "公园", [], []),
        ("attraction", "attraction", "景点", ["sights", "tourist spot"], ["景区", "名胜"]),
    ]
]


class FakeRuntime:
    name = "fake"

    def __init__(self, script: dict | None = None, fallback: Callable[[str], str] | None = None):
        from app.agent import schema

        self.script = dict(script or {})
        self.fallback = fallback
        self.calls: list[str] = []  # the user texts the model was asked about
        self.plans: list[Any] = []  # the router plan each was decided under
        s = schema.load()
        self.examples = {u: c for t in s.tools.values() for ex in t.examples.values() for u, c in ex}
        self.examples.update({u: "\n".join(c) for ex in s.multi_examples.values() for u, c in ex})

    def warm_up(self) -> None:
        pass

    def decide(self, suffix: str, plan: Any = None, **_: Any) -> str:
        _, user = prompt.parse_turn(suffix)
        self.calls.append(user)
        self.plans.append(plan)
        if user in self.script:  # a text, or a function of the plan (as constrained decoding is)
            out = self.script[user]
            return out(plan) if callable(out) else out
        if self.fallback:
            return self.fallback(user)
        return self.examples.get(user, 'chat(topic="out_of_scope")')


def _place(pid: str, en: str, zh: str, lat: float, lon: float, kind: str = "landmark", **kw) -> Place:
    return Place(id=pid, name=zh, name_en=en, name_zh=zh, lat=lat, lon=lon, kind=kind, **kw)


class _Vehicle:
    def __init__(self):
        self.state = VehicleState(31.2317, 121.4727, 90.0, 30.0, "D", 80.0, 320.0, 0.0, False)


@dataclass
class PlaceHit:
    place: Place
    category: str
    distance_m: float
    detour_m: float | None = None
    source: str = "simulated"
    simulated: bool = True
    opening_hours: str | None = None
    rating: float | None = None
    price: float | None = None


@dataclass
class PlaceSearch:
    results: list[PlaceHit]
    category: str | None
    sort: str = "distance"
    sort_supported: bool = True
    note: str | None = None
    within_radius: bool = True


@dataclass
class FindResult:
    status: str  # found | ambiguous | far_away | not_found
    place: Place | None
    candidates: list[Place] = field(default_factory=list)
    straight_km: float | None = None
    query: str = ""


def _km(a: Place, b: Place) -> float:
    return 111.0 * math.hypot(a.lat - b.lat, (a.lon - b.lon) * math.cos(math.radians(a.lat)))


class FakeWorld:
    def __init__(self):
        self.places = [
            _place("the_bund", "The Bund", "外滩", 31.2400, 121.4860),
            _place("peoples_square", "People's Square", "人民广场", 31.2317, 121.4727),
            _place("xintiandi", "Xintiandi", "新天地", 31.2196, 121.4746),
            _place("jingan_temple", "Jing'an Temple", "静安寺", 31.2234, 121.4456),
            _place("hongqiao_station", "Shanghai Hongqiao Railway Station", "虹桥火车站", 31.1940, 121.3200),
            _place("nanjing_rd_e", "East Nanjing Road", "南京东路", 31.2380, 121.4790, "road"),
            _place("nanjing_rd_w", "West Nanjing Road", "南京西路", 31.2290, 121.4590, "road"),
        ]
        self.far = {
            "北京": _place("beijing", "Beijing", "北京", 39.9042, 116.4074, "city", outside_map=True),
            "beijing": _place("beijing", "Beijing", "北京", 39.9042, 116.4074, "city", outside_map=True),
            "pudong airport": _place("pvg", "Pudong Airport", "浦东机场", 31.1443, 121.8083, "airport", outside_map=True),
            "浦东机场": _place("pvg", "Pudong Airport", "浦东机场", 31.1443, 121.8083, "airport", outside_map=True),
        }  # fmt: skip
        self.saved = {
            "home": _place("home", "Home (demo)", "家（演示）", 31.2150, 121.4600, "saved"),
            "work": _place("work", "Work (demo)", "公司（演示）", 31.2350, 121.5000, "saved"),
        }
        self.car_parks = [
            _place("p1", "Test car park A", "测试停车场甲", 31.2330, 121.4750, "parking", simulated=True),
            _place("p2", "Test car park B", "测试停车场乙", 31.2350, 121.4770, "parking", simulated=True),
            _place("p3", "Test car park C", "测试停车场丙", 31.2310, 121.4700, "parking", simulated=True),
        ]
        self.restaurants = [
            (_place("r1", "Test dumpling house", "测试生煎馆", 31.2340, 121.4760, "restaurant"), "dumplings"),
            (_place("r2", "Test hotpot", "测试火锅店", 31.2300, 121.4740, "restaurant"), "hotpot"),
            (_place("r3", "Test sushi bar", "测试寿司店", 31.2290, 121.4710, "restaurant"), "japanese"),
            (_place("r4", "Test Sichuan kitchen", "测试川菜馆", 31.2320, 121.4790, "restaurant"), "sichuan"),
        ]
        self.vehicle = _Vehicle()
        self.current_route: Route | None = None
        self.prefer = "fastest"
        self.here = self.places[1]

    # -- places ----------------------------------------------------------------------------------
    def categories(self) -> list[dict[str, Any]]:
        return [{**c, "count": 2, "sources": {"real": 0, "curated": 0, "simulated": 2}} for c in CATEGORIES]

    def saved_places(self) -> dict[str, Place]:
        return dict(self.saved)

    def _saved(self, q: str) -> Place | None:
        key = {"家": "home", "home": "home", "公司": "work", "work": "work", "单位": "work", "office": "work"}
        return self.saved.get(key.get(q.strip().lower().removeprefix("my "), ""))

    def find_place(self, query: str, near=None) -> Place:
        q = query.strip().lower().removeprefix("the ")
        saved = self._saved(q)
        if saved:
            return saved
        for p in self.places + self.car_parks + [r for r, _ in self.restaurants]:
            names = [n.lower().removeprefix("the ") for n in (p.name, p.name_en, p.name_zh) if n]
            if any(q == n or (len(q) >= 2 and q in n) for n in names):
                return p
        raise PlaceNotFound(query, [p.name_en for p in self.places[:2]])

    def find(self, query: str, near=None) -> FindResult:
        q = query.strip().lower().removeprefix("the ")
        if q in self.far:
            p = self.far[q]
            return FindResult("far_away", p, [p], round(_km(self.here, p), 1), query)
        hits = [p for p in self.places if q and any(q in (n or "").lower() for n in (p.name_en, p.name_zh))]
        if len(hits) > 1 and not any(q in ((p.name_en or "").lower(), p.name_zh) for p in hits):
            return FindResult("ambiguous", None, hits, None, query)
        try:
            return FindResult("found", self.find_place(query), [], None, query)
        except PlaceNotFound:
            return FindResult("not_found", None, [], None, query)

    def _ref(self, ref) -> Place:
        if ref is None:
            return self.here
        return ref if isinstance(ref, Place) else self.find_place(ref)

    def search_places(self, category, near=None, along_route=False, open_now=False, sort="distance",
                      cuisine=None, limit=5, name=None) -> PlaceSearch:  # fmt: skip
        if along_route and self.current_route is None:  # as the real world does
            raise ValueError("no current route: set a destination first, or search near a place")
        anchor = self._ref(near)
        key = next((c["key"] for c in CATEGORIES if category in (c["key"], c["en"], c["zh"])), category)
        if key == "parking":
            pool = self.car_parks
        elif key == "restaurant":
            pool = [r for r, c in self.restaurants if cuisine in (None, c)]
        else:
            label = next((c for c in CATEGORIES if c["key"] == key), {"en": name or key, "zh": name or key})
            pool = [
                _place(
                    f"{key}{i}",
                    f"Test {label['en']} {i}",
                    f"测试{label['zh']}{i}",
                    31.23 + i / 200,
                    121.47,
                    key,
                    simulated=True,
                )  # fmt: skip
                for i in (1, 2)
            ]
        hits = [PlaceHit(p, key, round(_km(anchor, p) * 1000 + 100 * i), 120.0 if along_route else None,
                         rating=4.5 - i / 10) for i, p in enumerate(pool[:limit])]  # fmt: skip
        return PlaceSearch(hits, key, sort)

    # -- routing ---------------------------------------------------------------------------------
    def route(self, origin, destination, prefer: str = "fastest", at=None) -> Route:
        o, d = self._ref(origin), self._ref(destination)
        dist = 1000 * _km(o, d) * 1.3
        speed = {"shortest": 7.0, "avoid-congestion": 8.5}.get(prefer, 8.0)
        route = Route(o, d, dist, dist / speed, [(o.lat, o.lon), (d.lat, d.lon)], [])
        route.prefer = prefer  # type: ignore[attr-defined]
        route.beyond_map = d.outside_map  # type: ignore[attr-defined]
        route.straight_km = round(_km(o, d), 1) if d.outside_map else None  # type: ignore[attr-defined]
        route.congestion = {
            "level": "light",
            "text_en": "light traffic",
            "text_zh": "轻度拥堵",
            "simulated": True,
        }  # type: ignore[attr-defined]
        return route

    def set_destination(self, destination, origin=None, prefer: str = "fastest") -> Route:
        self.prefer = prefer
        self.current_route = self.route(origin, destination, prefer)
        return self.current_route

    def trip_status(self) -> dict[str, Any]:
        r = self.current_route
        if r is None:
            return {"active": False}
        return {
            "active": True,
            "destination": r.destination,
            "remaining_m": r.distance_m,
            "eta_s": r.eta_s,
            "congestion": {
                "level": "light",
                "text_en": "light traffic",
                "text_zh": "轻度拥堵",
                "simulated": True,
            },
        }

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
        if self.current_route is not None:
            self.current_route.via = [p]
        return Stop(p, category, 400.0, 90.0)

    def signal_ahead(self) -> GreenWave | None:
        return GreenWave(SignalState("s1", "red", 12.0, 60.0, 180.0), 30.0, 40.0, None)

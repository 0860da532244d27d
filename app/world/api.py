"""Public types of the world service: what the agent's tools and the cockpit UI code against.

Every result is a plain dataclass so tool results can be turned into JSON with `to_dict()`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

LatLon = tuple[float, float]


def to_dict(obj: Any) -> Any:
    """JSON-ready form of any world dataclass (nested dataclasses, lists and tuples included)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list | tuple):
        return [to_dict(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, float):
        return round(obj, 6)
    return obj


class _ToDict:
    def to_dict(self) -> dict:
        return to_dict(self)


@dataclass(frozen=True)
class Place(_ToDict):
    id: str
    name: str
    name_en: str | None
    name_zh: str | None
    lat: float
    lon: float
    # landmark | road | restaurant | cafe | fast_food | parking | fuel | charging | point | hospital |
    # hotel | mall | metro | bus_stop | bank | supermarket | convenience | park | fitness | far | saved
    kind: str
    simulated: bool = False
    outside_map: bool = False


@dataclass
class NotFound(_ToDict):
    query: str
    suggestions: list[str]


class PlaceNotFound(LookupError):
    def __init__(self, query: str, suggestions: list[str]):
        super().__init__(f"place not found: {query!r}")
        self.query = query
        self.suggestions = suggestions

    def to_dict(self) -> dict:
        return {"error": {"type": "place_not_found", "query": self.query, "suggestions": self.suggestions}}


class NoRoute(LookupError):
    """Both ends are known but the road graph does not connect them."""


@dataclass
class SignalOnRoute(_ToDict):
    id: str
    lat: float
    lon: float
    distance_along_m: float
    approach: str = "main"  # which phase of the signal's plan applies: main road or side road
    has_data: bool = True  # False: a real signal without timing data (UI: grey icon)


@dataclass
class Route(_ToDict):
    origin: Place
    destination: Place
    distance_m: float
    eta_s: float
    coords: list[LatLon]
    signals: list[SignalOnRoute]
    note: str | None = None
    # Road names in driving order (consecutive duplicates removed), for spoken directions.
    streets: list[str] = field(default_factory=list)
    # Speed limit (km/h) of each coords segment: len(coords) - 1 values.
    limits_kmh: list[float] = field(default_factory=list, repr=False)
    via: list[Place] = field(default_factory=list)  # stops added with World.add_stop
    # The destination lies beyond the road map: the route only leads to the map's edge towards it.
    beyond_map: bool = False
    straight_km: float | None = None  # straight-line origin -> destination, always set
    # Simulated traffic on the route: level, factor, delay_s, summary_en/zh, simulated: True.
    congestion: dict = field(default_factory=dict)
    prefer: str = "fastest"
    note_zh: str | None = None


@dataclass
class Parking(_ToDict):
    place: Place
    walk_m: float
    capacity: int
    free: int
    price_cny_per_hour: float
    simulated: bool
    # A real car park whose capacity, price and occupancy are still generated (OSM has none of them).
    figures_simulated: bool = True


@dataclass
class Restaurant(_ToDict):
    place: Place
    cuisine: str | None  # English canonical key: sichuan, hotpot, shanghainese, coffee, japanese, ...
    cuisine_inferred: bool
    distance_m: float
    rating: float | None
    rating_simulated: bool
    # False: nothing matched inside the search radius, this is one of the nearest further away.
    within_radius: bool = True


@dataclass
class Stop(_ToDict):
    place: Place
    category: str  # charging | coffee | fuel | restaurant
    detour_m: float
    detour_s: float


@dataclass
class PlaceHit(_ToDict):
    place: Place
    category: str
    distance_m: float
    detour_m: float | None  # along_route searches: how far off the route (metres)
    source: str  # osm | curated | simulated
    simulated: bool
    opening_hours: str | None
    rating: float | None
    price: float | None
    open_now: bool | None = None  # None: the data has no (readable) opening hours
    rating_simulated: bool = False
    cuisine: str | None = None
    extra: dict = field(default_factory=dict)  # kind-specific facts: lines, capacity, atm, address ...


@dataclass
class PlaceSearch(_ToDict):
    results: list[PlaceHit]
    category: str
    sort: str  # distance | detour | rating | price
    sort_supported: bool
    note: str | None
    within_radius: bool  # False: nothing inside the radius; these are the nearest further away
    radius_m: float = 0.0
    note_zh: str | None = None
    category_en: str | None = None
    category_zh: str | None = None


@dataclass
class FindResult(_ToDict):
    status: Literal["found", "ambiguous", "far_away", "not_found"]
    query: str
    place: Place | None
    candidates: list[Place]
    straight_km: float | None = None
    message_en: str | None = None
    message_zh: str | None = None


Phase = Literal["red", "green", "amber", "unknown"]


@dataclass
class SignalState(_ToDict):
    id: str
    phase: Phase
    time_to_change_s: float | None
    cycle_s: float | None
    distance_m: float | None


@dataclass
class GreenWave(_ToDict):
    signal: SignalState
    advice_kmh_min: float | None
    advice_kmh_max: float | None
    red_wait_s: float | None


Gear = Literal["P", "R", "N", "D"]


@dataclass
class VehicleState(_ToDict):
    lat: float
    lon: float
    heading_deg: float
    speed_kmh: float
    gear: Gear
    battery_pct: float
    range_km: float
    route_progress_m: float
    at_destination: bool


def __getattr__(name: str):
    # `from app.world.api import World` works without a circular import (service imports these types).
    if name in ("World", "load_world"):
        from app.world import service

        return getattr(service, name)
    raise AttributeError(name)

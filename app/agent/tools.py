"""The agent's tools: names, argument validation, and the world call behind each one.

Tool names are a contract with the UI and the benchmark. Every tool returns a
JSON-ready dict with a "kind" the UI turns into cards and map markers; replies
are composed only from these dicts, which is what keeps them grounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.agent.text import clip, norm

CATEGORIES = ("charging", "coffee", "fuel", "restaurant")

# Words a driver (or the model) may use for a stop category.
_CATEGORY_WORDS = {
    "charging": (
        "charging",
        "charger",
        "charge",
        "charging station",
        "ev charger",
        "electric",
        "充电",
        "充电站",
        "充电桩",
        "补能",
    ),
    "coffee": ("coffee", "cafe", "café", "starbucks", "咖啡", "咖啡店", "咖啡馆", "星巴克"),
    "fuel": (
        "fuel",
        "gas",
        "petrol",
        "gas station",
        "petrol station",
        "filling station",
        "加油",
        "加油站",
        "油",
    ),
    "restaurant": (
        "restaurant",
        "food",
        "lunch",
        "dinner",
        "eat",
        "meal",
        "餐厅",
        "饭店",
        "餐馆",
        "吃饭",
        "吃的",
        "饭",
    ),
}
_CATEGORY_OF = {w: key for key, words in _CATEGORY_WORDS.items() for w in (key, *words)}


@dataclass(frozen=True)
class ToolSpec:
    name: str
    params: tuple[str, ...]
    required: tuple[str, ...]


TOOLS: dict[str, ToolSpec] = {
    t.name: t
    for t in (
        ToolSpec("navigate", ("destination",), ("destination",)),
        ToolSpec("add_stop", ("category", "near"), ("category",)),
        ToolSpec("find_parking", ("near",), ()),
        ToolSpec("find_restaurants", ("cuisine", "near"), ()),
        ToolSpec("traffic_light_status", (), ()),
        ToolSpec("trip_status", (), ()),
        ToolSpec("none", ("reply",), ()),
    )
}

# "near me" is the default, not a place: the model sometimes writes it out.
_HERE = {
    "me",
    "here",
    "nearby",
    "near me",
    "around",
    "around here",
    "current location",
    "my location",
    "附近",
    "这里",
    "这儿",
    "周边",
    "旁边",
    "身边",
    "我附近",
    "当前位置",
}

MAX_SLOT_CHARS = 60


class ToolArgError(ValueError):
    """The model named a real tool but its arguments cannot be used."""


def category_of(word: str | None) -> str | None:
    if not word:
        return None
    w = norm(word)
    if w in _CATEGORY_OF:
        return _CATEGORY_OF[w]
    for key, words in _CATEGORY_WORDS.items():
        if any(len(x) > 1 and x in w for x in (key, *words)):
            return key
    return None


# Words the model writes that the world's vocabulary lacks.
_CUISINE_EXTRA = {
    "中式": "chinese",
    "中餐厅": "chinese",
    "chinese food": "chinese",
    "日式料理": "japanese",
    "西式": "western",
}


def cuisine_key(word: str | None) -> str | None:
    from app.world.cuisine import canonical

    if not word:
        return None
    return canonical(word) or _CUISINE_EXTRA.get(norm(word))


def validate(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Clean arguments for tool `name`, or raise ToolArgError / KeyError (unknown tool).

    Unknown keys are dropped rather than refused: a small model adds stray keys
    ("radius") far more often than it gets the real ones wrong.
    """
    spec = TOOLS[name]
    clean: dict[str, Any] = {}
    for key in spec.params:
        value = args.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            if isinstance(value, int | float):
                value = str(value)
            else:
                raise ToolArgError(f"{name}.{key} must be a string")
        value = clip(value.strip().strip("\"'“”"), MAX_SLOT_CHARS if key != "reply" else 200)
        if not value or value.lower() in ("none", "null", "unknown"):
            continue
        if key == "near" and norm(value) in _HERE:
            continue
        clean[key] = value
    if name == "add_stop":
        cat = category_of(clean.get("category"))
        if cat is None:
            raise ToolArgError(f"add_stop.category must be one of {CATEGORIES}")
        clean["category"] = cat
    if name == "find_restaurants" and "cuisine" in clean:
        key = cuisine_key(clean["cuisine"])
        if key:
            clean["cuisine"] = key
        elif norm(clean["cuisine"]) in (
            "restaurant",
            "restaurants",
            "food",
            "餐厅",
            "餐馆",
            "饭店",
            "吃的",
            "饭",
        ):
            del clean["cuisine"]
    for key in spec.required:
        if key not in clean:
            raise ToolArgError(f"{name} needs {key}")
    return clean


# --- world calls -------------------------------------------------------------------------


def place_json(place: Any) -> dict[str, Any]:
    return {
        "id": place.id,
        "name": place.name,
        "name_en": place.name_en,
        "name_zh": place.name_zh,
        "lat": place.lat,
        "lon": place.lon,
        "kind": place.kind,
        "simulated": place.simulated,
    }


def _not_found(err: Exception, query: str) -> dict[str, Any]:
    return {
        "kind": "not_found",
        "query": query,
        "suggestions": list(getattr(err, "suggestions", []) or [])[:3],
    }


def execute(world: Any, name: str, args: dict[str, Any], near_place: Any = None) -> dict[str, Any]:
    """Run one validated tool call against the world. `near_place` is a Place the dialogue resolved
    from a reference ("there", "第二个"); it wins over the near string."""
    from app.world.api import PlaceNotFound

    near = near_place if near_place is not None else args.get("near")
    try:
        if name == "navigate":
            dest = near_place if near_place is not None else _find_place(world, args["destination"])
            route = world.set_destination(dest)
            return route_json(route)
        if name == "add_stop":
            if getattr(world, "current_route", None) is None:
                # A stop needs a route to go on: say so rather than invent one.
                return {"kind": "no_route", "category": args["category"]}
            stop = world.add_stop(args["category"], near=near)
            return {
                "kind": "stop",
                "category": stop.category,
                "place": place_json(stop.place),
                "detour_m": round(stop.detour_m),
                "detour_s": round(stop.detour_s),
            }
        if name == "find_parking":
            items = world.search_parking(near=near)
            return {"kind": "parking", "near": _near_name(near), "items": [parking_json(p) for p in items]}
        if name == "find_restaurants":
            cuisine = args.get("cuisine")
            # A dish the map has no cuisine for ("驴杂汤"): search all, and say so in the reply.
            known = cuisine if cuisine_key(cuisine) else None
            items = world.search_restaurants(cuisine=known, near=near)
            return {
                "kind": "restaurants",
                "cuisine": known,
                "unknown_cuisine": cuisine if cuisine and not known else None,
                "near": _near_name(near),
                "items": [restaurant_json(r) for r in items],
            }
        if name == "traffic_light_status":
            return signal_json(world.signal_ahead())
        if name == "trip_status":
            return trip_json(world)
        return {"kind": "none"}
    except PlaceNotFound as err:
        return _not_found(err, err.query)
    except (LookupError, ValueError) as err:  # NoRoute, nothing of that category on the way, bad value
        return {"kind": "error", "message": str(err)}


def _find_place(world: Any, query: str) -> Any:
    """world.find_place, but take the world's own first suggestion when it clearly is the same
    place said differently ("Hongqiao railway station" -> "Shanghai Hongqiao Railway Station")."""
    from rapidfuzz import fuzz

    from app.world.api import PlaceNotFound

    try:
        return world.find_place(query)
    except PlaceNotFound as err:
        for sug in err.suggestions[:1]:
            name = sug.split(" (")[0]
            if fuzz.token_set_ratio(norm(query), norm(name)) >= 90:
                try:
                    return world.find_place(name)
                except PlaceNotFound:
                    pass
        raise


def _near_name(near: Any) -> str | None:
    if near is None:
        return None
    return near if isinstance(near, str) else getattr(near, "name", None)


def route_json(route: Any) -> dict[str, Any]:
    return {
        "kind": "route",
        "destination": place_json(route.destination),
        "distance_m": round(route.distance_m),
        "eta_s": round(route.eta_s),
        "coords": [list(c) for c in route.coords],
        "streets": list(route.streets)[:6],
        "note": route.note,
    }


def parking_json(p: Any) -> dict[str, Any]:
    return {
        "name": p.place.name,
        "name_en": p.place.name_en,
        "name_zh": p.place.name_zh,
        "lat": p.place.lat,
        "lon": p.place.lon,
        "walk_m": round(p.walk_m),
        "free": p.free,
        "capacity": p.capacity,
        "price_cny_per_hour": p.price_cny_per_hour,
        "simulated": p.simulated,
        # A real car park can still have generated capacity, price and occupancy: the card says so.
        "figures_simulated": getattr(p, "figures_simulated", True),
    }


def restaurant_json(r: Any) -> dict[str, Any]:
    return {
        "name": r.place.name,
        "name_en": r.place.name_en,
        "name_zh": r.place.name_zh,
        "cuisine": r.cuisine,
        "distance_m": round(r.distance_m),
        "rating": r.rating,
        "rating_simulated": r.rating_simulated,
        "lat": r.place.lat,
        "lon": r.place.lon,
    }


def signal_json(gw: Any) -> dict[str, Any]:
    if gw is None:
        return {"kind": "signal", "phase": None}
    s = gw.signal
    return {
        "kind": "signal",
        "id": s.id,
        "phase": s.phase,
        "time_to_change_s": None if s.time_to_change_s is None else round(s.time_to_change_s),
        "distance_m": None if s.distance_m is None else round(s.distance_m),
        "advice_kmh_min": gw.advice_kmh_min,
        "advice_kmh_max": gw.advice_kmh_max,
        "red_wait_s": None if gw.red_wait_s is None else round(gw.red_wait_s),
    }


def _vehicle_state(world: Any) -> Any:
    vehicle = getattr(world, "vehicle", None)
    state = getattr(vehicle, "state", None)
    return state() if callable(state) else state


def trip_json(world: Any) -> dict[str, Any]:
    route = getattr(world, "current_route", None)
    if route is None:
        return {"kind": "trip", "active": False}
    state = _vehicle_state(world)
    done = float(getattr(state, "route_progress_m", 0.0) or 0.0)
    left = max(0.0, route.distance_m - done)
    share = left / route.distance_m if route.distance_m else 0.0
    return {
        "kind": "trip",
        "active": True,
        "destination": place_json(route.destination),
        "distance_left_m": round(left),
        "eta_s": round(route.eta_s * share),
        "at_destination": bool(getattr(state, "at_destination", False)),
    }

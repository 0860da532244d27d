"""Run one validated call against the world or the cabin; every result is a JSON-ready dict with
a "kind" the UI turns into cards and the reply templates are filled from.

Kinds: route, confirm, not_found, stop, stop_removed, no_route, route_cancelled, prefer, map_view,
places, parking, restaurants, signal, trip, cabin, cabin_question, undo_none, chat, weather,
error. The World API of INTERFACES.md is used where the world has it (search_places, find,
trip_status, prefer); the older calls (find_place, search_parking…) otherwise.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def place_json(place: Any) -> dict[str, Any]:
    return {
        "id": place.id,
        "name": place.name,
        "name_en": place.name_en,
        "name_zh": place.name_zh,
        "lat": place.lat,
        "lon": place.lon,
        "kind": place.kind,
        "simulated": bool(getattr(place, "simulated", False)),
    }


def as_place(item: dict[str, Any]) -> Any:
    from app.world.api import Place

    return Place(
        id=item.get("id") or f"ref:{item.get('name')}",
        name=item.get("name") or "",
        name_en=item.get("name_en"),
        name_zh=item.get("name_zh"),
        lat=item["lat"],
        lon=item["lon"],
        kind=item.get("kind") or "point",
        simulated=bool(item.get("simulated", False)),
    )


class Actions:
    def __init__(self, world: Any, cabin: Any, bound: Any):
        self.world, self.cabin, self.bound = world, cabin, bound

    def run(self, tool: str, args: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any]:
        """ctx: `near_place` / `place` (Places resolved from references), `confirmed` (the driver
        said yes to a far or ambiguous match), `last_control` (for "a bit more")."""
        from app.world.api import NoRoute, PlaceNotFound

        try:
            return getattr(self, "_" + tool)(args, ctx)
        except PlaceNotFound as err:
            return {"kind": "not_found", "query": err.query, "suggestions": list(err.suggestions or [])[:3]}
        except (NoRoute, LookupError, ValueError, TypeError) as err:
            log.info("%s failed: %s", tool, err)
            return {"kind": "error", "message": str(err)}

    # -- navigation ---------------------------------------------------------------------------
    def _resolve(self, query: str, ctx: dict[str, Any]) -> dict[str, Any] | Any:
        """A Place, or a result dict (confirm / not_found) when the world is not sure."""
        if ctx.get("place") is not None:
            return ctx["place"]
        find = getattr(self.world, "find", None)
        if find is None:
            return self.world.find_place(query)
        res = find(query)
        status = res.status
        if status == "found" or (status in ("far_away", "ambiguous") and ctx.get("confirmed") and res.place):
            return res.place
        if status == "far_away":
            return {"kind": "confirm", "reason": "far_away", "query": query, "straight_km": res.straight_km,
                    "items": [place_json(res.place)] if res.place else []}  # fmt: skip
        if status == "ambiguous":
            return {"kind": "confirm", "reason": "ambiguous", "query": query,
                    "items": [place_json(p) for p in res.candidates[:3]]}  # fmt: skip
        return {"kind": "not_found", "query": query, "suggestions": []}

    def _set_destination(self, dest: Any, prefer: str | None) -> dict[str, Any]:
        try:
            route = self.world.set_destination(dest, prefer=prefer or "fastest")
        except TypeError:  # a world without route preferences
            route = self.world.set_destination(dest)
        return route_json(route)

    def _navigate(self, args, ctx):
        if "category" in args and "place" not in args and ctx.get("place") is None:
            found = self._search(args["category"], {})
            if not found["items"]:
                return {**found, "kind": "places"}
            dest = as_place(found["items"][0])
        else:
            dest = self._resolve(args["place"], ctx) if ctx.get("place") is None else ctx["place"]
            if isinstance(dest, dict):
                return dest
        out = self._set_destination(dest, args.get("prefer"))
        # "从A打车到B": the car drives from where it is; the reply says so.
        return {**out, "from_car": True} if args.get("origin") and out.get("kind") == "route" else out

    def _route_preference(self, args, ctx):
        route = getattr(self.world, "current_route", None)
        if route is None:
            return {"kind": "no_route"}
        out = self._set_destination(route.destination, args["prefer"])
        return {**out, "kind": "prefer", "prefer": args["prefer"]}

    def _add_stop(self, args, ctx):
        if getattr(self.world, "current_route", None) is None:
            return {"kind": "no_route", "category": args.get("category")}
        near = ctx.get("near_place")
        if "place" in args and "category" not in args:
            place = self._resolve(args["place"], ctx)
            if isinstance(place, dict):
                return place
            return {
                "kind": "stop",
                "category": None,
                "place": place_json(place),
                "detour_m": None,
                "detour_s": 0,
            }
        stop = self.world.add_stop(args["category"], near=near)
        return {"kind": "stop", "category": stop.category, "place": place_json(stop.place),
                "detour_m": round(stop.detour_m), "detour_s": round(stop.detour_s)}  # fmt: skip

    def _remove_stop(self, args, ctx):
        route = getattr(self.world, "current_route", None)
        if route is None:
            return {"kind": "no_route"}
        remove = getattr(self.world, "remove_stop", None)
        if remove is not None:
            remove()
        else:  # re-plan to the same destination without the via point
            self.world.set_destination(route.destination)
        return {"kind": "stop_removed"}

    def _cancel_route(self, args, ctx):
        cancel = getattr(self.world, "cancel_route", None) or getattr(self.world, "clear_destination", None)
        if cancel is not None:
            cancel()
        else:
            self.world.current_route = None
        return {"kind": "route_cancelled"}

    def _map_view(self, args, ctx):
        # The map view is the UI's: the result tells the cockpit what to show.
        return {"kind": "map_view", "view": args["view"]}

    # -- places -------------------------------------------------------------------------------
    def _search(self, category: str, args: dict[str, Any], near: Any = None) -> dict[str, Any]:
        search = getattr(self.world, "search_places", None)
        along = bool(args.get("along_route"))
        # "路上有没有超市" with no route set: the places near the car, and the reply says why.
        no_route = along and getattr(self.world, "current_route", None) is None
        kw = dict(near=near, along_route=along and not no_route, open_now=bool(args.get("open_now")),
                  sort=args.get("sort") or "distance", cuisine=args.get("cuisine"))  # fmt: skip
        if search is None:
            return {"kind": "places", "category": category, "items": [], "within_radius": True,
                    "note": "this map has no places of that kind"}  # fmt: skip
        res = search(category, **kw)
        items = [hit_json(h) for h in res.results]
        return {"kind": "places", "category": res.category or category, "asked": category, "items": items,
                "within_radius": getattr(res, "within_radius", True), "note": getattr(res, "note", None),
                "sort": getattr(res, "sort", kw["sort"]), "sort_supported": getattr(res, "sort_supported", True),
                "no_route": no_route}  # fmt: skip

    def _near(self, args, ctx) -> Any:
        if ctx.get("near_place") is not None:
            return ctx["near_place"]
        near = args.get("near")
        if near is None:
            return None
        # A place the map does not know (or is unsure of) is said, never swapped for the car's
        # position: "restaurants near 恭王府" had listed the ones near the car.
        # After "Did you mean …? — yes", the confirmed place is in ctx.
        return self._resolve(near, ctx if ctx.get("confirmed") else {})

    def _find_parking(self, args, ctx):
        near = self._near(args, ctx)
        if isinstance(near, dict):
            return near
        items = self.world.search_parking(near=near)
        return {"kind": "parking", "near": _near_name(near), "items": [parking_json(p) for p in items]}

    def _find_restaurants(self, args, ctx):
        from app.world.cuisine import canonical

        near = self._near(args, ctx)
        if isinstance(near, dict):
            return near
        cuisine = args.get("cuisine")
        known = canonical(cuisine) if cuisine else None
        items = self.world.search_restaurants(cuisine=known, near=near)
        return {"kind": "restaurants", "cuisine": known, "unknown_cuisine": cuisine if cuisine and not known else None,
                "near": _near_name(near), "items": [restaurant_json(r) for r in items]}  # fmt: skip

    def _search_places(self, args, ctx):
        if args.get("category") == "parking":
            return self._find_parking(args, ctx)
        near = self._near(args, ctx)
        if isinstance(near, dict):
            return near
        category = args.get("category") or "attraction"
        if "name" in args and "category" not in args:
            place = self._resolve(args["name"], {})
            if isinstance(place, dict):
                return place
            return {"kind": "places", "category": None, "items": [place_json(place)], "within_radius": True}
        out = self._search(category, args, near)
        out["near"] = _near_name(near)
        return out

    # -- traffic light, trip --------------------------------------------------------------------
    def _traffic_light_status(self, args, ctx):
        return signal_json(self.world.signal_ahead())

    def _trip_status(self, args, ctx):
        ask = args.get("ask") or "eta"
        status = getattr(self.world, "trip_status", None)
        if status is not None:
            st = status()
            st = st if isinstance(st, dict) else st.to_dict()
            if not st.get("active", st.get("destination") is not None):
                return {"kind": "trip", "active": False, "ask": ask}
            dest = st["destination"]
            cong = st.get("congestion") or {}
            return {"kind": "trip", "active": True, "ask": ask,
                    "destination": dest if isinstance(dest, dict) else place_json(dest),
                    "distance_left_m": round(st.get("remaining_m") or 0), "eta_s": round(st.get("eta_s") or 0),
                    "congestion": cong}  # fmt: skip
        route = getattr(self.world, "current_route", None)
        if route is None:
            return {"kind": "trip", "active": False, "ask": ask}
        return {"kind": "trip", "active": True, "ask": ask, "destination": place_json(route.destination),
                "distance_left_m": round(route.distance_m), "eta_s": round(route.eta_s), "congestion": {}}  # fmt: skip

    # -- cabin ------------------------------------------------------------------------------------
    def _change(self, ch: Any) -> dict[str, Any]:
        d = ch.to_dict() if hasattr(ch, "to_dict") else dict(ch)
        return {"kind": "cabin", "change": d, "ok": bool(d.get("ok"))}

    def _car_set(self, args, ctx):
        value = args["value"]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return self._change(self.cabin.set(args["control"], value))

    def _car_adjust(self, args, ctx):
        control = args.get("control") or ctx.get("last_control")
        if control is None:
            return {"kind": "error", "message": "which control?", "missing": "control"}
        # The step of "a bit" is the cabin's (its spec's nudge), not the agent's.
        return self._change(self.cabin.adjust(control, args["delta"]))

    def _car_feel(self, args, ctx):
        return self._change(self.cabin.do("climate.feel", feeling=args["feeling"]))

    def _car_question(self, args, ctx):
        q = self.cabin.question(args["topic"])
        return {**(q if isinstance(q, dict) else q.to_dict()), "kind": "cabin_question"}

    def _undo(self, args, ctx):
        ch = self.cabin.undo()  # the real cabin says "nothing to undo" itself; a fake may return None
        return {"kind": "undo_none"} if ch is None else self._change(ch)

    # -- media, phone ------------------------------------------------------------------------------
    def _play_media(self, args, ctx):
        return self._change(
            self.cabin.do("media.play", **({"query": args["query"]} if "query" in args else {}))
        )

    def _media_control(self, args, ctx):
        return self._change(self.cabin.do(args["action"]))

    def _call(self, args, ctx):
        return self._change(self.cabin.do("phone.call", contact=args["contact"]))

    def _phone_action(self, args, ctx):
        return self._change(self.cabin.do(args["action"]))

    # -- no action ---------------------------------------------------------------------------------
    def _weather(self, args, ctx):
        return {"kind": "weather", "available": False}

    def _chat(self, args, ctx):
        return {"kind": "chat", "topic": args["topic"]}


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
        "streets": list(getattr(route, "streets", []) or [])[:6],
        "note": getattr(route, "note", None),
        "prefer": getattr(route, "prefer", None),
        "beyond_map": bool(getattr(route, "beyond_map", False)),
        "straight_km": getattr(route, "straight_km", None),
        "congestion": getattr(route, "congestion", None),
    }


def hit_json(h: Any) -> dict[str, Any]:
    return {
        **place_json(h.place),
        "category": h.category,
        "distance_m": None if h.distance_m is None else round(h.distance_m),
        "detour_m": None if getattr(h, "detour_m", None) is None else round(h.detour_m),
        "source": getattr(h, "source", None),
        "simulated": bool(getattr(h, "simulated", False)),
        "opening_hours": getattr(h, "opening_hours", None),
        "rating": getattr(h, "rating", None),
    }


def parking_json(p: Any) -> dict[str, Any]:
    return {
        **place_json(p.place),
        "category": "parking",
        "walk_m": round(p.walk_m),
        "distance_m": round(p.walk_m),
        "free": p.free,
        "capacity": p.capacity,
        "price_cny_per_hour": p.price_cny_per_hour,
        "simulated": p.simulated,
        # A real car park can still have generated capacity, price and occupancy: the card says so.
        "figures_simulated": getattr(p, "figures_simulated", True),
    }


def restaurant_json(r: Any) -> dict[str, Any]:
    return {
        **place_json(r.place),
        "category": "restaurant",
        "cuisine": r.cuisine,
        "distance_m": round(r.distance_m),
        "rating": r.rating,
        "rating_simulated": r.rating_simulated,
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

"""The World service: one object the agent's tools and the UI call.

Cheap to construct after the first run (SQLite store + pickled graph). Every public method takes one
re-entrant lock, so the agent's worker thread and the UI thread can share an instance.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import networkx as nx

from app.world import categories as category_vocab
from app.world import cuisine as cuisine_vocab
from app.world import data, hours, names, routing, saved, search, store, traffic
from app.world.api import (
    FindResult,
    GreenWave,
    LatLon,
    NoRoute,
    Parking,
    Place,
    PlaceHit,
    PlaceNotFound,
    PlaceSearch,
    Restaurant,
    Route,
    SignalOnRoute,
    Stop,
)
from app.world.geo import angle_diff, bearing_deg, haversine_m
from app.world.places import MAP_CENTRE, PlaceIndex
from app.world.signals import glosa
from app.world.vehicle import Vehicle

PlaceRef = str | Place | LatLon
OFF_MAP_M = 300.0  # a place further than this from any routable node is "outside the road map"
AMBIGUOUS_SCORE = 75.0  # a spelling this close is offered as a candidate; below it: not found
SEARCH_RADIUS_M = 3000.0  # "nearby" for place search; beyond it the nearest further matches come back
ALONG_ROUTE_M = 500.0  # along-route search corridor (off-route distance)
FALLBACK_RADII = (6000, 12000, 25000)
SORTS = {
    "distance": "distance",
    "nearest": "distance",
    "closest": "distance",
    "detour": "detour",
    "rating": "rating",
    "best-rated": "rating",
    "best_rated": "rating",
    "price": "price",
    "cheapest": "price",
}
STOP_KINDS = {
    "charging": ("charging",),
    "fuel": ("fuel",),
    "coffee": search.RESTAURANT_KINDS,
    "restaurant": search.RESTAURANT_KINDS,
}


def _locked(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class World:
    def __init__(self, data_dir: Path | None = None, asset_dir: Path = data.ASSET_DIR, user: str = "default"):
        from app import paths

        self._lock = threading.RLock()
        self._conn, self.graph = store.open_store(data_dir, asset_dir)
        self.places = PlaceIndex(self._conn)
        self._reverse = self.graph.graph.reverse(copy=False)
        self.vehicle = Vehicle(self.graph.plans, MAP_CENTRE)
        self.current_route: Route | None = None
        self._trip_nodes: list[int] = []
        self.saved = saved.SavedPlaces((data_dir or paths.data_dir()) / "world" / "saved_places.sqlite", user)
        self.saved.seed_demo(
            {
                name: self.places.by_id[d["ref"]].place
                if d["ref"] in self.places.by_id
                else Place(f"pt:{name}", name, None, None, d["lat"], d["lon"], "point")
                for name, d in saved.DEMO.items()
            }
        )

    @classmethod
    def load(cls) -> World:
        return load_world()

    def now(self) -> float:
        """World time (epoch seconds): the simulated car's clock, which signals and occupancy follow."""
        return self.vehicle.clock

    # --- places --------------------------------------------------------------------------------------
    @_locked
    def find_place(self, query: str, near: LatLon | None = None) -> Place:
        entry = self.saved.get(query)
        if entry is not None:
            return entry["place"]
        return self.places.find(query, near or self._car_position())

    @_locked
    def find(self, query: str, near: PlaceRef | None = None) -> FindResult:
        """Look a place up and say how sure the answer is: found | ambiguous | far_away | not_found.

        A fuzzy match is taken only when it is close and of the same kind as the query (a city is not a
        street: "Beijing" never silently becomes East Beijing Road). Far destinations are recognised and
        come back as far_away with their straight-line distance.
        """
        q = query.strip()
        if not q:
            return FindResult("not_found", query, None, [], None, "Which place?", "去哪里？")
        anchor = self._anchor_point(near)
        entry = self.saved.get(q)
        if entry is not None:
            p = entry["place"]
            return FindResult("found", query, p, [p], self._km(anchor, p), None, None)
        exact = self.places.exact(q)
        similar = [r for score, label, r in self.places.fuzzy(q, 8, 85) if r not in exact]
        if exact:
            far = [r for r in exact if r.place.outside_map]
            local = [r for r in exact if not r.place.outside_map]
            if far and not local:
                best = far[0].place
                cands = [best, *[r.place for r in similar if not r.place.outside_map][:4]]
                return self._far(query, best, cands, anchor)
            best = self.places.find(q, anchor)
            others = [r.place for r in exact if r.place.id != best.id]
            if far and local:  # one name, a local place and a far one: ask
                return FindResult(
                    "ambiguous",
                    query,
                    None,
                    [best, *others][:5],
                    None,
                    f"Did you mean {self._label(best)} or {self._label(far[0].place)}?",
                    f"您是说{best.name_zh or best.name}还是{far[0].place.name_zh or far[0].place.name}？",
                )
            return FindResult("found", query, best, [best, *others][:5], self._km(anchor, best))
        fuzzy = self.places.fuzzy(q, 5, AMBIGUOUS_SCORE)
        if not fuzzy:
            return FindResult(
                "not_found", query, None, [], None, f"I can't find {q} on the map.", f"地图上找不到{q}。"
            )
        try:
            best = self.places.find(q, anchor)  # applies the confident-and-same-kind rule
        except PlaceNotFound:
            best = None
        cands = [r.place for _, _, r in fuzzy]
        if best is not None:
            if best.outside_map:
                return self._far(query, best, cands, anchor)
            return FindResult("found", query, best, cands, self._km(anchor, best))
        names_en = " or ".join(self._label(p) for p in cands[:3])
        names_zh = "、".join(p.name_zh or p.name for p in cands[:3])
        return FindResult(
            "ambiguous", query, None, cands, None, f"Did you mean {names_en}?", f"您是说{names_zh}吗？"
        )

    def _far(self, query: str, place: Place, cands: list[Place], anchor: LatLon) -> FindResult:
        km = self._km(anchor, place)
        return FindResult(
            "far_away",
            query,
            place,
            cands,
            km,
            f"{place.name_en or place.name} is about {km:.0f} km away, beyond the demo map.",
            f"{place.name_zh or place.name}距离约{km:.0f}公里，超出演示地图范围。",
        )

    @staticmethod
    def _label(p: Place) -> str:
        return PlaceIndex.display(p)

    @staticmethod
    def _km(anchor: LatLon, p: Place) -> float:
        return round(haversine_m(*anchor, p.lat, p.lon) / 1000, 1)

    def _anchor_point(self, near: PlaceRef | None) -> LatLon:
        if near is None:
            return self._car_position()
        p = self.resolve(near)
        return p.lat, p.lon

    # --- saved places --------------------------------------------------------------------------------
    @_locked
    def saved_places(self) -> dict[str, Place]:
        return {e["name"]: e["place"] for e in self.saved.all()}

    @_locked
    def saved_entries(self) -> list[dict]:
        """Every saved place with its target, what the user said, and the demo flag."""
        return self.saved.all()

    @_locked
    def set_saved(self, name: str, ref: PlaceRef) -> Place:
        """Save `ref` (a place name, a Place or (lat, lon)) as home, work or a favourite called `name`."""
        if isinstance(ref, str) and saved.standard_name(ref) is None:
            target = self._resolve_address(ref)
        else:
            target = self.resolve(ref)
        if target.kind == "saved":
            raise ValueError("a saved place must point at a place, not at another saved place")
        text = ref if isinstance(ref, str) else f"{target.lat:.6f},{target.lon:.6f}"
        return self.saved.set(name, target, text)["place"]

    @_locked
    def remove_saved(self, name: str) -> bool:
        return self.saved.remove(name)

    def _resolve_address(self, text: str) -> Place:
        """A place name, or a street address whose house number the map does not have ("延安东路100号")."""
        try:
            return self.places.find(text, self._car_position())
        except PlaceNotFound:
            street = names.strip_house_number(text)
            if street == text:
                raise
            return self.places.find(street, self._car_position())

    @_locked
    def suggest(self, query: str, limit: int = 5) -> list[str]:
        return self.places.suggest(query, limit)

    def resolve(self, ref: PlaceRef) -> Place:
        if isinstance(ref, Place):
            return ref
        if isinstance(ref, str):
            try:
                return self.find_place(ref)
            except PlaceNotFound:
                street = names.strip_house_number(ref)
                if street == ref:
                    raise
                return self.find_place(street)
        lat, lon = ref
        return Place(f"pt:{lat:.6f},{lon:.6f}", f"{lat:.5f},{lon:.5f}", None, None, lat, lon, "point")

    def _car_position(self) -> LatLon:
        s = self.vehicle.state
        return s.lat, s.lon

    # --- routing -------------------------------------------------------------------------------------
    def _hour(self, at: str | float | None) -> float:
        """Clock hour for traffic: at = "HH:MM", epoch seconds, or None for the world's own time."""
        if at is None:
            return traffic.local_hour(self.now())
        if isinstance(at, str):
            return traffic.parse_hhmm(at)
        return traffic.local_hour(float(at))

    @_locked
    def route(
        self, origin: PlaceRef, destination: PlaceRef, prefer: str = "fastest", at: str | float | None = None
    ) -> Route:
        """Route for `prefer` (fastest | shortest | avoid-congestion | avoid-elevated) at time `at`.

        The ETA always includes the simulated traffic of that time. A destination beyond the map gets
        beyond_map: True, its straight-line distance, and a route only to the map's edge towards it.
        """
        o, d = self.resolve(origin), self.resolve(destination)
        (o_node, o_off), (d_node, d_off) = self._snap(o), self._snap(d)
        hour = self._hour(at)
        path = routing.shortest_path(self.graph, o_node, d_node, prefer, hour)
        beyond = d.outside_map or d_off > OFF_MAP_M
        note = self._note(o, o_off, d, d_off) if not beyond else self._note(o, o_off, d, 0.0)
        route = self._route_from_path(o, d, path, note, hour=hour)
        route.prefer = prefer
        route.straight_km = round(haversine_m(o.lat, o.lon, d.lat, d.lon) / 1000, 1)
        if beyond:
            route.beyond_map = True
            name_en, name_zh = d.name_en or d.name, d.name_zh or d.name
            edge_km = route.distance_m / 1000
            route.note = (
                f"{name_en} is about {route.straight_km:.0f} km away, beyond the demo map (outside the road "
                f"map); the route only leads to the map's edge towards it ({edge_km:.1f} km)"
                + (f"; {route.note}" if route.note else "")
            )
            route.note_zh = (
                f"{name_zh}距离约{route.straight_km:.0f}公里，超出演示地图范围；路线只通到地图边缘"
                f"朝它的方向（{edge_km:.1f}公里）"
            )
        self._last_path = path
        return route

    def _snap(self, place: Place) -> tuple[int, float]:
        return self.graph.nearest_node(place.lat, place.lon)

    @staticmethod
    def _note(o: Place, o_off: float, d: Place, d_off: float) -> str | None:
        notes = []
        for role, p, off in (("origin", o, o_off), ("destination", d, d_off)):
            if (p.outside_map and off > 0) or off > OFF_MAP_M:
                notes.append(
                    f"{role} {p.name} is outside the road map; routing to the nearest reachable point "
                    f"({off / 1000:.1f} km away)"
                )
        return "; ".join(notes) or None

    def _route_from_path(
        self, o: Place, d: Place, path: routing.Path, note: str | None, via=(), hour: float | None = None
    ) -> Route:
        signals = []
        for sid, along, approach in path.signals:
            plan = self.graph.plans[sid]
            signals.append(SignalOnRoute(sid, plan.lat, plan.lon, round(along, 1), approach, plan.has_data))
        return Route(
            origin=o,
            destination=d,
            distance_m=round(path.distance_m, 1),
            eta_s=round(path.eta_s, 1),
            coords=path.coords,
            signals=signals,
            note=note,
            streets=path.streets,
            limits_kmh=path.limits,
            via=list(via),
            congestion=traffic.summary(
                path.factors,
                path.edge_lengths,
                path.free_eta_s,
                path.eta_s,
                self._hour(None) if hour is None else hour,
            ),
        )

    @_locked
    def set_destination(
        self, destination: PlaceRef, origin: PlaceRef | None = None, prefer: str = "fastest"
    ) -> Route:
        """Plan from the car (or `origin`) to `destination`, make it the current route, and start driving it."""
        route = self.route(origin if origin is not None else self._car_position(), destination, prefer)
        self.current_route = route
        self._trip_nodes = self._last_path.nodes
        self.vehicle.start(route, keep_speed=origin is None)
        return route

    @_locked
    def trip_status(self, at: str | float | None = None) -> dict:
        """Where the trip stands: destination, remaining metres, ETA and the simulated traffic ahead."""
        route = self.current_route
        if route is None or len(self._trip_nodes) < 2:
            return {
                "active": False,
                "message_en": "No route is set.",
                "message_zh": "当前没有导航路线。",
            }
        hour = self._hour(at)
        progress = self.vehicle.state.route_progress_m
        g = self.graph.graph
        done = eta = free = 0.0
        factors, lengths = [], []
        for u, v in zip(self._trip_nodes, self._trip_nodes[1:], strict=False):
            e = g.edges[u, v]
            left = min(e["length"], max(0.0, done + e["length"] - progress))
            done += e["length"]
            if left <= 0:
                continue
            share = left / e["length"]
            f = traffic.factor(e["highway"], e["way"], hour)
            delay = e["weight"] - e["time"]
            eta += share * (e["time"] / f + delay)
            free += share * e["weight"]
            factors.append(f)
            lengths.append(left)
        remaining = max(0.0, route.distance_m - progress)
        arrived = self.vehicle.state.at_destination
        congestion = (
            traffic.summary(factors, lengths, free, eta, hour)
            if lengths
            else traffic.summary([1.0], [1.0], 0, 0, hour)
        )
        return {
            "active": True,
            "destination": route.destination.to_dict(),
            "remaining_m": round(remaining, 1),
            "eta_s": round(eta, 1),
            "arrived": arrived,
            "beyond_map": route.beyond_map,
            "straight_km": route.straight_km,
            "congestion": congestion,
            "prefer": route.prefer,
        }

    # --- search --------------------------------------------------------------------------------------
    def _anchor(self, near: PlaceRef | None) -> LatLon:
        if near is not None:
            p = self.resolve(near)
            return p.lat, p.lon
        if self.current_route is not None:
            d = self.current_route.destination
            return d.lat, d.lon
        return self._car_position()

    @_locked
    def search_parking(self, near: PlaceRef | None = None, limit: int = 5) -> list[Parking]:
        lat, lon = self._anchor(near)
        t = self.now()
        out = []
        for dist, rec in search.nearest_within(self._conn, self.places, lat, lon, ("parking",), limit)[
            :limit
        ]:
            cap = int(rec.extra.get("capacity", 0))
            occ = search.occupancy(rec.place.id, t)
            out.append(
                Parking(
                    place=rec.place,
                    walk_m=round(dist * search.WALK_FACTOR, 1),
                    capacity=cap,
                    free=int(round(cap * (1 - occ))),
                    price_cny_per_hour=float(rec.extra.get("price_cny_per_hour", 0.0)),
                    simulated=rec.place.simulated,
                    figures_simulated=rec.place.simulated or bool(rec.extra.get("figures_simulated")),
                )
            )
        return out

    @_locked
    def search_restaurants(
        self, cuisine: str | None = None, near: PlaceRef | None = None, limit: int = 5
    ) -> list[Restaurant]:
        """Near a place; with near=None along the current route (distance = off-route), else near the car."""
        key = None
        if cuisine:
            key = cuisine_vocab.canonical(cuisine)
            if key is None:
                raise ValueError(f"unknown cuisine {cuisine!r}; known: {', '.join(cuisine_vocab.VOCAB)}")

        def wanted(rec) -> bool:
            return key is None or rec.extra.get("cuisine") == key

        if near is None and self.current_route is not None and len(self.current_route.coords) > 1:
            hits = self._along_route(search.RESTAURANT_KINDS, wanted, max_off_m=400)
        else:
            lat, lon = self._anchor(near) if near is not None else self._car_position()
            hits = [
                (d, rec)
                for d, rec in search.nearby(self._conn, self.places, lat, lon, 5000, search.RESTAURANT_KINDS)
                if wanted(rec)
            ]
        within = bool(hits)
        if not hits:
            # Nothing inside the radius (or along the route): the nearest further ones, flagged, so
            # "附近有没有川菜馆" names the Sichuan restaurants that exist instead of saying there are none.
            lat, lon = self._car_position() if near is None else self._anchor(near)
            hits = self._nearest_anywhere(lat, lon, search.RESTAURANT_KINDS, wanted, limit)
        return [
            Restaurant(
                place=rec.place,
                cuisine=rec.extra.get("cuisine"),
                cuisine_inferred=bool(rec.extra.get("cuisine_inferred")),
                distance_m=round(d, 1),
                rating=rec.extra.get("rating"),
                rating_simulated=bool(rec.extra.get("rating_simulated")),
                within_radius=within,
            )
            for d, rec in hits[:limit]
        ]

    def _nearest_anywhere(self, lat: float, lon: float, kinds, wanted, limit: int) -> list:
        for r in FALLBACK_RADII:
            hits = [
                (d, rec)
                for d, rec in search.nearby(self._conn, self.places, lat, lon, r, kinds)
                if wanted(rec)
            ]
            if len(hits) >= limit:
                break
        return hits

    # --- place categories ----------------------------------------------------------------------------
    @_locked
    def categories(self) -> list[dict]:
        """Every category with its count and where the records come from (real = OSM, curated, simulated)."""
        counts: dict[str, dict[str, int]] = {}
        for rec in self.places.records.values():
            src = (
                "simulated"
                if rec.place.simulated
                else ("curated" if rec.extra.get("source") == "curated" else "real")
            )
            counts.setdefault(rec.place.kind, {"real": 0, "curated": 0, "simulated": 0})[src] += 1
        out = []
        for c in category_vocab.VOCAB:
            sources = {"real": 0, "curated": 0, "simulated": 0}
            for kind in c["kinds"]:
                for k, n in counts.get(kind, {}).items():
                    sources[k] += n
            out.append(
                {
                    "key": c["key"],
                    "en": c["en"],
                    "zh": c["zh"],
                    "count": sum(sources.values()),
                    "sources": sources,
                    "simulated": sources["simulated"] > 0 and sources["real"] + sources["curated"] == 0,
                    "fallback": c["fallback"],
                    "note_en": c["note_en"],
                    "note_zh": c["note_zh"],
                    "synonyms_en": c["synonyms_en"],
                    "synonyms_zh": c["synonyms_zh"],
                }
            )
        return out

    @_locked
    def search_places(
        self,
        category: str,
        near: PlaceRef | None = None,
        along_route: bool = False,
        open_now: bool = False,
        sort: str = "distance",
        cuisine: str | None = None,
        limit: int = 5,
        radius_m: float = SEARCH_RADIUS_M,
    ) -> PlaceSearch:
        """Places of a category (key or any synonym, English or Chinese) near a place, the car, or the route.

        Sorted by distance (or detour along the route; or rating / price where the data has them, and
        a note where it does not). When nothing is inside the radius, the nearest further matches come
        back with within_radius False. Raises ValueError for an unknown category or cuisine.
        """
        key = category_vocab.canonical(category)
        if key is None:
            raise ValueError(f"unknown place category {category!r}; known: {', '.join(category_vocab.KEYS)}")
        cat = category_vocab.BY_KEY[key]
        sort_key = SORTS.get((sort or "distance").strip().lower())
        if sort_key is None:
            raise ValueError(f"unknown sort {sort!r}; one of {', '.join(SORTS)}")
        cuisine_key = None
        if cuisine:
            cuisine_key = cuisine_vocab.canonical(cuisine)
            if cuisine_key is None:
                raise ValueError(f"unknown cuisine {cuisine!r}; known: {', '.join(cuisine_vocab.VOCAB)}")
        notes_en, notes_zh = [], []
        kinds = tuple(cat["kinds"])
        if not any(rec.place.kind in kinds for rec in self.places.records.values()) and cat["fallback"]:
            kinds = tuple(category_vocab.BY_KEY[cat["fallback"]]["kinds"])
        if cat["note_en"]:
            notes_en.append(cat["note_en"])
            notes_zh.append(cat["note_zh"])
        if cuisine_key and not set(kinds) & set(search.RESTAURANT_KINDS):
            kinds = search.RESTAURANT_KINDS
        t = self.now()

        def wanted(rec) -> bool:
            return cuisine_key is None or rec.extra.get("cuisine") == cuisine_key

        car = self._car_position()
        if along_route:
            if self.current_route is None or len(self.current_route.coords) < 2:
                raise ValueError("no current route: set a destination first, or search near a place")
            hits = [(off, rec) for off, rec in self._along_route(kinds, wanted, ALONG_ROUTE_M)]
            within = bool(hits)
            if not hits:
                hits = self._along_route(kinds, wanted, FALLBACK_RADII[0])
            anchor = car
        else:
            anchor = self._anchor_point(near)
            hits = [
                (d, r)
                for d, r in search.nearby(self._conn, self.places, *anchor, radius_m, kinds)
                if wanted(r)
            ]
            within = bool(hits)
            if not hits:
                hits = self._nearest_anywhere(*anchor, kinds, wanted, limit)
        if not within:
            where = "along the route" if along_route else f"within {radius_m / 1000:.1f} km"
            where_zh = "沿途" if along_route else f"{radius_m / 1000:.1f}公里内"
            notes_en.append(f"Nothing {where}; these are the nearest further away.")
            notes_zh.append(f"{where_zh}没有找到；以下是更远处最近的。")

        results = [self._hit(key, d, rec, anchor, along_route, t) for d, rec in hits]
        if open_now:
            known_open = [h for h in results if h.open_now]
            unknown = [h for h in results if h.open_now is None]
            if known_open:
                results = known_open
            else:
                results = unknown
                notes_en.append(
                    "No place with known opening hours is open now; these have no hours in the data."
                )
                notes_zh.append("没有已知营业时间且正在营业的地点；以下地点的数据中没有营业时间。")

        supported = True
        if sort_key == "detour" and not along_route:
            sort_key, supported = "distance", False
            notes_en.append("Detour applies to searches along the route; sorted by distance.")
            notes_zh.append("绕行距离只用于沿途搜索；已按距离排序。")
        field = {"rating": "rating", "price": "price"}.get(sort_key)
        if field and not any(getattr(h, field) is not None for h in results):
            supported = False
            what_en = {"rating": "ratings", "price": "prices"}[field]
            what_zh = {"rating": "评分", "price": "价格"}[field]
            notes_en.append(f"The data has no {what_en} for {cat['en'].lower()}s; sorted by distance.")
            notes_zh.append(f"数据中没有{cat['zh']}的{what_zh}；已按距离排序。")
            sort_key = "distance"
        elif field == "rating" and any(h.rating_simulated for h in results):
            notes_en.append("Ratings are simulated (OpenStreetMap has none).")
            notes_zh.append("评分是模拟的（OpenStreetMap 没有评分）。")
        if sort_key in ("rating", "price"):
            # "The cheapest / best-rated nearby": among the nearest few, not across the whole radius.
            results = sorted(results, key=lambda h: (h.distance_m, h.place.id))[: max(3 * limit, 10)]
        if sort_key == "rating":
            results.sort(key=lambda h: (-(h.rating or 0), h.distance_m, h.place.id))
        elif sort_key == "price":
            results.sort(key=lambda h: (h.price if h.price is not None else 1e9, h.distance_m, h.place.id))
        elif along_route:
            sort_key = "detour"
            results.sort(key=lambda h: (h.detour_m, h.place.id))
        else:
            results.sort(key=lambda h: (h.distance_m, h.place.id))
        return PlaceSearch(
            results=results[:limit],
            category=key,
            sort=sort_key,
            sort_supported=supported,
            note=" ".join(notes_en) or None,
            within_radius=within,
            radius_m=ALONG_ROUTE_M if along_route else radius_m,
            note_zh="".join(notes_zh) or None,
            category_en=cat["en"],
            category_zh=cat["zh"],
        )

    def _hit(self, category: str, d: float, rec, anchor: LatLon, along: bool, t: float) -> PlaceHit:
        p, x = rec.place, rec.extra
        source = "simulated" if p.simulated else x.get("source", "osm")
        extra = {
            k: x[k]
            for k in (
                "lines",
                "capacity",
                "atm",
                "address",
                "chargers",
                "power_kw",
                "pumps",
                "cuisine_inferred",
                "price_text",
            )
            if k in x
        }
        if p.kind == "parking":
            extra["free"] = int(round(int(x.get("capacity", 0)) * (1 - search.occupancy(p.id, t))))
            extra["figures_simulated"] = True
        return PlaceHit(
            place=p,
            category=category,
            distance_m=round(haversine_m(*anchor, p.lat, p.lon), 1),
            # Along the route: there and back from the nearest point of the route.
            detour_m=round(2 * d, 1) if along else None,
            source=source,
            simulated=p.simulated,
            opening_hours=x.get("opening_hours"),
            rating=x.get("rating"),
            price=x.get("price_cny_per_hour"),
            open_now=hours.is_open(x.get("opening_hours"), t),
            rating_simulated=bool(x.get("rating_simulated")),
            cuisine=x.get("cuisine"),
            extra=extra,
        )

    def _along_route(self, kinds, wanted, max_off_m: float) -> list:
        route = self.current_route
        rxy = search.route_xy(route.coords)
        lats = [c[0] for c in route.coords]
        lons = [c[1] for c in route.coords]
        mid = ((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2)
        radius = max(haversine_m(*mid, lat, lon) for lat, lon in route.coords) + max_off_m
        hits = []
        for _, rec in search.nearby(self._conn, self.places, *mid, radius, kinds):
            if wanted(rec):
                off, _ = search.route_distance(rxy, rec.place.lat, rec.place.lon)
                if off <= max_off_m:
                    hits.append((off, rec))
        hits.sort(key=lambda x: (x[0], x[1].place.id))
        return hits

    @_locked
    def add_stop(self, category: str, near: PlaceRef | None = None) -> Stop:
        """Add the stop of `category` with the least detour to the current route, and reroute through it."""
        if category not in STOP_KINDS:
            raise ValueError(f"unknown stop category {category!r}; one of {', '.join(STOP_KINDS)}")
        if self.current_route is None:
            raise ValueError("no current route: set a destination first")

        def wanted(rec) -> bool:
            if category == "coffee":
                return rec.extra.get("cuisine") == "coffee"
            if category == "restaurant":
                return rec.extra.get("cuisine") != "coffee"
            return True

        if near is not None:
            lat, lon = self._anchor(near)
            cands = [
                (d, r)
                for d, r in search.nearest_within(self._conn, self.places, lat, lon, STOP_KINDS[category], 8)
                if wanted(r)
            ]
        else:
            cands = self._along_route(STOP_KINDS[category], wanted, max_off_m=1500)
        cands = cands[:12]
        if not cands:
            raise LookupError(f"no {category} stop found near the route")

        g = self.graph.graph
        car = self._car_position()
        o_node, _ = self.graph.nearest_node(*car)
        d_node, _ = self._snap(self.current_route.destination)
        prefer, hour = self.current_route.prefer, self._hour(None)
        wkey = self.graph.weight_key(prefer, hour)  # the same traffic slot the route itself used
        from_o = nx.single_source_dijkstra_path_length(g, o_node, weight=wkey)
        to_d = nx.single_source_dijkstra_path_length(self._reverse, d_node, weight=wkey)
        base = from_o[d_node]
        best = min(
            cands,
            key=lambda c: (
                from_o[self._snap(c[1].place)[0]] + to_d[self._snap(c[1].place)[0]],
                c[1].place.id,
            ),
        )
        stop_place = best[1].place
        s_node, _ = self._snap(stop_place)
        leg1 = routing.shortest_path(self.graph, o_node, s_node, prefer, hour)
        leg2 = routing.shortest_path(self.graph, s_node, d_node, prefer, hour)
        base_m = routing.shortest_path(self.graph, o_node, d_node, prefer, hour).distance_m
        joined = (
            routing.path_from_nodes(self.graph, leg1.nodes + leg2.nodes[1:], hour)
            if len(leg1.nodes) > 1 or len(leg2.nodes) > 1
            else leg1
        )
        origin = self.resolve(car)
        route = self._route_from_path(
            origin,
            self.current_route.destination,
            joined,
            self.current_route.note,
            [*self.current_route.via, stop_place],
            hour=hour,
        )
        route.prefer, route.straight_km = prefer, self.current_route.straight_km
        route.beyond_map, route.note_zh = self.current_route.beyond_map, self.current_route.note_zh
        self.current_route = route
        self._trip_nodes = joined.nodes
        self.vehicle.start(route, keep_speed=True)
        return Stop(
            place=stop_place,
            category=category,
            detour_m=round(max(joined.distance_m - base_m, 0.0), 1),
            detour_s=round(max(from_o[s_node] + to_d[s_node] - base, 0.0), 1),
        )

    # --- signals -------------------------------------------------------------------------------------
    @_locked
    def next_signal(
        self, lat: float, lon: float, speed_kmh: float, heading_deg: float | None = None
    ) -> GreenWave | None:
        """Green-wave advice for the nearest signal ahead of a position (within 400 m).

        speed_kmh is accepted for the contract; the advice itself depends only on distance, timing and
        the speed limit, and the caller compares its speed with the range.
        """
        del speed_kmh
        best = None
        for sid, plan in self.graph.plans.items():
            d = haversine_m(lat, lon, plan.lat, plan.lon)
            if d > 400 or d < 1:
                continue
            if (
                heading_deg is not None
                and angle_diff(bearing_deg(lat, lon, plan.lat, plan.lon), heading_deg) > 45
            ):
                continue
            if best is None or d < best[0]:
                best = (d, sid)
        if best is None:
            return None
        d, sid = best
        plan = self.graph.plans[sid]
        approach = "main"
        if heading_deg is not None:
            main = self.graph.signal_main_bearing.get(sid, heading_deg)
            # Driving along the main road in either direction means the main phase.
            approach = (
                "main"
                if min(angle_diff(main, heading_deg), angle_diff(main + 180, heading_deg)) <= 45
                else "side"
            )
        node, _ = self.graph.nearest_node(lat, lon)
        limit = max((e["limit"] for _, _, e in self.graph.graph.out_edges(node, data=True)), default=50.0)
        return glosa(plan, self.now(), max(d - 3.0, 0.0), limit, approach)

    @_locked
    def signal_ahead(self) -> GreenWave | None:
        return self.vehicle.advice()


_shared: World | None = None
_shared_lock = threading.Lock()


def load_world() -> World:
    """The process-wide World, built on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = World()
        return _shared


__all__ = ["NoRoute", "World", "load_world"]

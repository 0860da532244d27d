"""The World service: one object the agent's tools and the UI call.

Cheap to construct after the first run (SQLite store + pickled graph). Every public method takes one
re-entrant lock, so the agent's worker thread and the UI thread can share an instance.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import networkx as nx

from app.world import cuisine as cuisine_vocab
from app.world import data, routing, search, store
from app.world.api import (
    GreenWave,
    LatLon,
    NoRoute,
    Parking,
    Place,
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
    def __init__(self, data_dir: Path | None = None, asset_dir: Path = data.ASSET_DIR):
        self._lock = threading.RLock()
        self._conn, self.graph = store.open_store(data_dir, asset_dir)
        self.places = PlaceIndex(self._conn)
        self._reverse = self.graph.graph.reverse(copy=False)
        self.vehicle = Vehicle(self.graph.plans, MAP_CENTRE)
        self.current_route: Route | None = None

    @classmethod
    def load(cls) -> World:
        return load_world()

    def now(self) -> float:
        """World time (epoch seconds): the simulated car's clock, which signals and occupancy follow."""
        return self.vehicle.clock

    # --- places --------------------------------------------------------------------------------------
    @_locked
    def find_place(self, query: str, near: LatLon | None = None) -> Place:
        return self.places.find(query, near or self._car_position())

    @_locked
    def suggest(self, query: str, limit: int = 5) -> list[str]:
        return self.places.suggest(query, limit)

    def resolve(self, ref: PlaceRef) -> Place:
        if isinstance(ref, Place):
            return ref
        if isinstance(ref, str):
            return self.find_place(ref)
        lat, lon = ref
        return Place(f"pt:{lat:.6f},{lon:.6f}", f"{lat:.5f},{lon:.5f}", None, None, lat, lon, "point")

    def _car_position(self) -> LatLon:
        s = self.vehicle.state
        return s.lat, s.lon

    # --- routing -------------------------------------------------------------------------------------
    @_locked
    def route(self, origin: PlaceRef, destination: PlaceRef) -> Route:
        o, d = self.resolve(origin), self.resolve(destination)
        (o_node, o_off), (d_node, d_off) = self._snap(o), self._snap(d)
        path = routing.shortest_path(self.graph, o_node, d_node)
        return self._route_from_path(o, d, path, self._note(o, o_off, d, d_off))

    def _snap(self, place: Place) -> tuple[int, float]:
        return self.graph.nearest_node(place.lat, place.lon)

    @staticmethod
    def _note(o: Place, o_off: float, d: Place, d_off: float) -> str | None:
        notes = []
        for role, p, off in (("origin", o, o_off), ("destination", d, d_off)):
            if p.outside_map or off > OFF_MAP_M:
                notes.append(
                    f"{role} {p.name} is outside the road map; routing to the nearest reachable point "
                    f"({off / 1000:.1f} km away)"
                )
        return "; ".join(notes) or None

    def _route_from_path(self, o: Place, d: Place, path: routing.Path, note: str | None, via=()) -> Route:
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
        )

    @_locked
    def set_destination(self, destination: PlaceRef, origin: PlaceRef | None = None) -> Route:
        """Plan from the car (or `origin`) to `destination`, make it the current route, and start driving it."""
        route = self.route(origin if origin is not None else self._car_position(), destination)
        self.current_route = route
        self.vehicle.start(route, keep_speed=origin is None)
        return route

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
        return [
            Restaurant(
                place=rec.place,
                cuisine=rec.extra.get("cuisine"),
                cuisine_inferred=bool(rec.extra.get("cuisine_inferred")),
                distance_m=round(d, 1),
                rating=rec.extra.get("rating"),
                rating_simulated=bool(rec.extra.get("rating_simulated")),
            )
            for d, rec in hits[:limit]
        ]

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
        from_o = nx.single_source_dijkstra_path_length(g, o_node, weight="weight")
        to_d = nx.single_source_dijkstra_path_length(self._reverse, d_node, weight="weight")
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
        leg1 = routing.shortest_path(self.graph, o_node, s_node)
        leg2 = routing.shortest_path(self.graph, s_node, d_node)
        base_m = routing.shortest_path(self.graph, o_node, d_node).distance_m
        joined = (
            routing.path_from_nodes(self.graph, leg1.nodes + leg2.nodes[1:])
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
        )
        self.current_route = route
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

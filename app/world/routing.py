"""Road graph and routing: networkx on the OSM drivable roads, one-way streets respected.

The graph keeps only junctions, way ends and signal nodes; the nodes between them become the edge's
geometry. That shrinks the graph ~5x, which is what keeps a route query in the low milliseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from app.world import data, traffic
from app.world.api import NoRoute
from app.world.geo import bearing_deg, haversine_m, to_xy
from app.world.signals import SignalPlan, make_plans

# Cars average below the limit in town: turns, pedestrians (simulated congestion comes on top).
TRAVEL_SPEED_FACTOR = 0.8
PREFERENCES = ("fastest", "shortest", "avoid-congestion", "avoid-elevated")
ELEVATED_PENALTY = 10.0  # avoid-elevated: a flyover costs ten times its time, used only if nothing else
CONGESTION_PENALTY = 2.0  # avoid-congestion: extra weight per unit of lost speed share
SLOT_H = 0.25  # traffic weights are computed per 15-minute slot of the day
_WEIGHT_CACHE = 8  # slots x preferences kept as edge attributes at once


@dataclass
class RoadGraph:
    graph: nx.DiGraph  # largest strongly connected component
    node_ids: np.ndarray  # OSM node ids of graph nodes, parallel to xy
    xy: np.ndarray  # (n, 2) local metres, for nearest-node lookup
    plans: dict[str, SignalPlan]
    signal_main_bearing: dict[str, float]  # bearing of the main road at each signal, for heading matching
    bbox: tuple[float, float, float, float]  # min_lat, max_lat, min_lon, max_lon of the graph

    def nearest_node(self, lat: float, lon: float) -> tuple[int, float]:
        """(node id, straight-line metres) of the closest routable node."""
        x, y = to_xy(lat, lon)
        d2 = (self.xy[:, 0] - x) ** 2 + (self.xy[:, 1] - y) ** 2
        i = int(np.argmin(d2))
        return int(self.node_ids[i]), math.sqrt(float(d2[i]))

    def coord(self, node: int) -> tuple[float, float]:
        n = self.graph.nodes[node]
        return n["lat"], n["lon"]

    def weight_key(self, prefer: str, hour: float) -> str:
        """Name of the edge attribute holding `prefer`'s weight at `hour` (computed on first use).

        Precomputed string attributes keep networkx's Dijkstra fast (a Python weight function per edge
        would be several times slower); only the last few slots are kept.
        """
        if prefer not in PREFERENCES:
            raise ValueError(f"unknown route preference {prefer!r}; one of {', '.join(PREFERENCES)}")
        if prefer == "shortest":
            return "length"
        slot = int(hour / SLOT_H) % int(24 / SLOT_H)
        key = f"w:{prefer}:{slot}"
        cache = self.__dict__.setdefault("_weight_keys", [])
        if key in cache:
            return key
        mid = (slot + 0.5) * SLOT_H
        for _, _, e in self.graph.edges(data=True):
            f = traffic.factor(e["highway"], e["way"], mid)
            delay = e["weight"] - e["time"]  # the signal's mean delay at the edge's end
            w = e["time"] / f
            if prefer == "avoid-congestion":
                w *= 1 + CONGESTION_PENALTY * (1 - f)
            elif prefer == "avoid-elevated" and e.get("elevated"):
                w *= ELEVATED_PENALTY
            e[key] = w + delay
        cache.append(key)
        if len(cache) > _WEIGHT_CACHE:
            old = cache.pop(0)
            for _, _, e in self.graph.edges(data=True):
                e.pop(old, None)
        return key

    def __getstate__(self):
        # Slot weights are recomputed on demand; never pickle them into the cache file.
        state = dict(self.__dict__)
        state.pop("_weight_keys", None)
        return state


def build(asset_dir=data.ASSET_DIR) -> RoadGraph:
    ways = data.load_ways(asset_dir)
    signals = {sid: (lat, lon) for sid, lat, lon in data.load_signals(asset_dir)}

    uses: dict[int, int] = {}
    coords: dict[int, tuple[float, float]] = {}
    for w in ways:
        for i, (n, c) in enumerate(zip(w.nodes, w.coords, strict=True)):
            coords[n] = c
            # Way ends count twice so they are always kept as graph nodes.
            uses[n] = uses.get(n, 0) + (2 if i in (0, len(w.nodes) - 1) else 1)
    keep = {n for n, k in uses.items() if k > 1} | (signals.keys() & coords.keys())

    g = nx.DiGraph()
    for w in ways:
        cuts = [i for i, n in enumerate(w.nodes) if n in keep]
        for a, b in zip(cuts, cuts[1:], strict=False):
            seg = list(w.coords[a : b + 1])
            length = sum(haversine_m(*p, *q) for p, q in zip(seg, seg[1:], strict=False))
            if length <= 0:
                continue
            attrs = {
                "length": length,
                "time": length / (w.limit_kmh / 3.6 * TRAVEL_SPEED_FACTOR),
                "limit": w.limit_kmh,
                "way": w.osm_id,
                "name": w.name,
                "name_en": w.name_en,
                "highway": w.highway,
                "elevated": w.elevated,
            }
            u, v = w.nodes[a], w.nodes[b]
            if w.oneway >= 0:
                _add_edge(g, u, v, seg, attrs)
            if w.oneway <= 0:
                _add_edge(g, v, u, seg[::-1], attrs)
    for n in g.nodes:
        g.nodes[n]["lat"], g.nodes[n]["lon"] = coords[n]

    largest = max(nx.strongly_connected_components(g), key=len)
    g = g.subgraph(largest).copy()

    plans, main_way, main_bearing = _signal_plans(g, ways, signals)
    for _, v, e in g.edges(data=True):
        sid = str(v)
        if sid in plans:
            e["signal_approach"] = "main" if e["way"] == main_way[sid] else "side"
            e["weight"] = e["time"] + plans[sid].expected_delay_s(e["signal_approach"])
        else:
            e["weight"] = e["time"]

    nodes = list(g.nodes)
    xy = np.array([to_xy(*coords[n]) for n in nodes])
    lats = [coords[n][0] for n in nodes]
    lons = [coords[n][1] for n in nodes]
    return RoadGraph(
        graph=g,
        node_ids=np.array(nodes, dtype=np.int64),
        xy=xy,
        plans=plans,
        signal_main_bearing=main_bearing,
        bbox=(min(lats), max(lats), min(lons), max(lons)),
    )


def _add_edge(g: nx.DiGraph, u: int, v: int, seg: list, attrs: dict) -> None:
    # Two ways can join the same pair of junctions; keep the faster one.
    if g.has_edge(u, v) and g.edges[u, v]["time"] <= attrs["time"]:
        return
    g.add_edge(u, v, geometry=seg, **attrs)


def _signal_plans(g: nx.DiGraph, ways, signals: dict) -> tuple[dict[str, SignalPlan], dict, dict]:
    """Plans for the signals on the routable graph. A signal's main road is its highest-class way."""
    best: dict[int, data.Way] = {}
    for w in ways:
        for n in w.nodes:
            if n in signals and n in g:
                cur = best.get(n)
                rank = (data.CLASS_RANK.get(w.highway, 1), -w.osm_id)
                if cur is None or rank > (data.CLASS_RANK.get(cur.highway, 1), -cur.osm_id):
                    best[n] = w
    specs = []
    main_way, main_bearing = {}, {}
    for n, w in best.items():
        lat, lon = signals[n]
        specs.append(
            {
                "id": n,
                "lat": lat,
                "lon": lon,
                "corridor": w.name or f"way {w.osm_id}",
                "road_class": w.highway,
            }
        )
        main_way[str(n)] = w.osm_id
        i = w.nodes.index(n)
        j = i + 1 if i + 1 < len(w.nodes) else i - 1
        main_bearing[str(n)] = bearing_deg(*w.coords[min(i, j)], *w.coords[max(i, j)])
    return make_plans(specs), main_way, main_bearing


@dataclass
class Path:
    nodes: list[int]
    coords: list[tuple[float, float]]
    limits: list[float]  # km/h per coords segment
    distance_m: float
    eta_s: float
    signals: list[tuple[str, float, str]]  # (signal id, distance along, approach)
    streets: list[str]
    factors: list[float] = field(default_factory=list)  # simulated traffic factor per edge
    edge_lengths: list[float] = field(default_factory=list)  # metres per edge, parallel to factors
    free_eta_s: float = 0.0  # the same path's time without traffic


def shortest_path(
    rg: RoadGraph, source: int, target: int, prefer: str = "fastest", hour: float | None = None
) -> Path:
    """Best path for `prefer` at clock `hour` (None: no traffic, the free-flow expected time).

    fastest = driving time under simulated traffic plus mean signal delay. Raises NoRoute.
    """
    if source == target:
        lat, lon = rg.coord(source)
        return Path([source], [(lat, lon)], [], 0.0, 0.0, [], [])
    if prefer == "fastest" and hour is None:
        weight = "weight"
    else:  # a preference without a time is judged at 03:00, with no traffic
        weight = rg.weight_key(prefer, 3.0 if hour is None else hour)
    try:
        _, nodes = nx.bidirectional_dijkstra(rg.graph, source, target, weight=weight)
    except (nx.NetworkXNoPath, nx.NodeNotFound) as exc:
        raise NoRoute(f"no drivable path from node {source} to node {target}") from exc
    return path_from_nodes(rg, nodes, hour)


def path_from_nodes(rg: RoadGraph, nodes: list[int], hour: float | None = None) -> Path:
    """The path's geometry and figures; with `hour`, the ETA includes simulated traffic at that hour."""
    coords: list[tuple[float, float]] = [rg.coord(nodes[0])]
    limits: list[float] = []
    signals: list[tuple[str, float, str]] = []
    streets: list[str] = []
    factors: list[float] = []
    lengths: list[float] = []
    dist = eta = free = 0.0
    for u, v in zip(nodes, nodes[1:], strict=False):
        e = rg.graph.edges[u, v]
        geom = e["geometry"]
        coords.extend(geom[1:])
        limits.extend([e["limit"]] * (len(geom) - 1))
        f = 1.0 if hour is None else traffic.factor(e["highway"], e["way"], hour)
        dist += e["length"]
        free += e["weight"]
        eta += e["weight"] - e["time"] + e["time"] / f
        factors.append(f)
        lengths.append(e["length"])
        if "signal_approach" in e:
            signals.append((str(v), dist, e["signal_approach"]))
        label = e["name_en"] or e["name"]
        if label and (not streets or streets[-1] != label):
            streets.append(label)
    return Path(list(nodes), coords, limits, dist, eta, signals, streets, factors, lengths, free)

"""World benchmark: route queries and place searches, timed with perf_counter. Figures only, no pass/fail."""

from __future__ import annotations

import contextlib
import random
import statistics
import time


def _pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def run(argv: list[str] | None = None, n: int = 200) -> dict:
    import tempfile
    from pathlib import Path

    from app.world.service import World

    t0 = time.perf_counter()
    world = World()  # first call may build the store; later ones load it
    load_ms = (time.perf_counter() - t0) * 1000
    # Cold: a fresh data dir (build the graph, signal plans and place store); warm: load that cache.
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        World(data_dir=Path(tmp))
        cold_ms = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        World(data_dir=Path(tmp))
        warm_ms = (time.perf_counter() - t0) * 1000

    rng = random.Random(7)
    landmarks = [
        r.place
        for r in world.places.records.values()
        if r.place.kind == "landmark" and not r.place.outside_map
    ]
    restaurants = [r.place for r in world.places.records.values() if r.place.kind == "restaurant"]
    queries = [p.name for p in landmarks] + [p.name_zh for p in landmarks if p.name_zh]
    queries += [r.name for r in rng.sample(restaurants, 20)] + [
        "Waitan",
        "Renmin Guangchang",
        "Peoples Sqaure",
        "Yu Gardn",
    ]

    route_ms, search_ms, parking_ms, category_ms, find_ms = [], [], [], [], []
    cats = ["hospital", "医院", "hotel", "supermarket", "地铁站", "gas station", "bank", "咖啡"]
    for i in range(n):
        a, b = rng.sample(landmarks, 2)
        t = time.perf_counter()
        world.route(a, b)
        route_ms.append((time.perf_counter() - t) * 1000)

        q = queries[i % len(queries)]
        t = time.perf_counter()
        with contextlib.suppress(LookupError):  # a miss costs the fuzzy pass too, which is worth timing
            world.find_place(q)
        search_ms.append((time.perf_counter() - t) * 1000)

        t = time.perf_counter()
        world.search_parking(a, limit=5)
        parking_ms.append((time.perf_counter() - t) * 1000)

        t = time.perf_counter()
        world.search_places(cats[i % len(cats)], near=a, limit=5)
        category_ms.append((time.perf_counter() - t) * 1000)

        t = time.perf_counter()
        world.find(q)
        find_ms.append((time.perf_counter() - t) * 1000)

    return {
        "world_load_ms": round(load_ms, 1),
        "world_cold_build_ms": round(cold_ms, 1),
        "world_warm_load_ms": round(warm_ms, 1),
        "route_p50_ms": round(statistics.median(route_ms), 3),
        "route_p95_ms": round(_pct(route_ms, 0.95), 3),
        "place_search_p50_ms": round(statistics.median(search_ms), 3),
        "place_search_p95_ms": round(_pct(search_ms, 0.95), 3),
        "parking_search_p50_ms": round(statistics.median(parking_ms), 3),
        "parking_search_p95_ms": round(_pct(parking_ms, 0.95), 3),
        "category_search_p50_ms": round(statistics.median(category_ms), 3),
        "category_search_p95_ms": round(_pct(category_ms, 0.95), 3),
        "find_p50_ms": round(statistics.median(find_ms), 3),
        "find_p95_ms": round(_pct(find_ms, 0.95), 3),
        "queries": n,
        "places": len(world.places.records),
        "graph_nodes": world.graph.graph.number_of_nodes(),
        "graph_edges": world.graph.graph.number_of_edges(),
        "signals": len(world.graph.plans),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))

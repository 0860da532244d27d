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
    from app.world.service import World

    t0 = time.perf_counter()
    world = World()  # first call may build the store; later ones load it
    load_ms = (time.perf_counter() - t0) * 1000

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

    route_ms, search_ms, parking_ms = [], [], []
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

    return {
        "world_load_ms": round(load_ms, 1),
        "route_p50_ms": round(statistics.median(route_ms), 3),
        "route_p95_ms": round(_pct(route_ms, 0.95), 3),
        "place_search_p50_ms": round(statistics.median(search_ms), 3),
        "place_search_p95_ms": round(_pct(search_ms, 0.95), 3),
        "parking_search_p50_ms": round(statistics.median(parking_ms), 3),
        "parking_search_p95_ms": round(_pct(parking_ms, 0.95), 3),
        "queries": n,
        "places": len(world.places.records),
        "graph_nodes": world.graph.graph.number_of_nodes(),
        "graph_edges": world.graph.graph.number_of_edges(),
        "signals": len(world.graph.plans),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))

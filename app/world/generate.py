"""Simulated car parks, fuel stations and EV chargers, generated from the real road map.

The shared OSM data has no parking, fuel or charging for central Shanghai (one car-park entrance), so
these are invented: plausibly placed beside real larger roads, named after that road, and marked
simulated. Deterministic: the same assets always give the same records (string-seeded random.Random).
Rules in docs/world.md.
"""

from __future__ import annotations

import math
import random

from app.world.geo import from_xy, haversine_m, to_xy
from app.world.routing import RoadGraph

GENERATOR = "app/world/generate.py v1"
SEED = "ai-cockpit-world-v1"
PEOPLES_SQUARE = (31.2317, 121.4727)  # price centre: parking gets dearer towards it
SIDE_OFFSET_M = 25.0  # car parks and stations sit just off the carriageway

BIG_ROADS = {"primary", "secondary"}
PARKING_ROADS = {"primary", "secondary", "tertiary"}


def _candidates(rg: RoadGraph, classes: set[str]) -> list[dict]:
    """Edge midpoints of named roads in `classes`, nudged to the right-hand side of the carriageway."""
    out = []
    seen = set()
    for u, v, e in rg.graph.edges(data=True):
        if e["highway"] not in classes or not e["name"] or e["length"] < 60:
            continue
        key = (min(u, v), max(u, v))
        if key in seen:
            continue
        seen.add(key)
        (la1, lo1), (la2, lo2) = rg.coord(u), rg.coord(v)
        x1, y1 = to_xy(la1, lo1)
        x2, y2 = to_xy(la2, lo2)
        norm = math.hypot(x2 - x1, y2 - y1) or 1.0
        # right-hand normal of the travel direction
        nx_, ny_ = (y2 - y1) / norm, -(x2 - x1) / norm
        lat, lon = from_xy((x1 + x2) / 2 + nx_ * SIDE_OFFSET_M, (y1 + y2) / 2 + ny_ * SIDE_OFFSET_M)
        out.append(
            {
                "lat": lat,
                "lon": lon,
                "road": e["name"],
                "road_en": e["name_en"] or e["name"],
                "highway": e["highway"],
            }
        )
    out.sort(key=lambda c: (c["lat"], c["lon"]))  # stable order regardless of graph iteration
    return out


def _grid_pick(cands: list[dict], cell_m: float, existing: list[dict], min_gap_m: float) -> list[dict]:
    """One candidate per grid cell (the one nearest the cell centre), skipping cells already served."""
    cells: dict[tuple[int, int], list[dict]] = {}
    for c in cands:
        x, y = to_xy(c["lat"], c["lon"])
        cells.setdefault((int(x // cell_m), int(y // cell_m)), []).append(c)
    picked = []
    for (cx, cy), members in sorted(cells.items()):
        centre = from_xy((cx + 0.5) * cell_m, (cy + 0.5) * cell_m)
        best = min(members, key=lambda c: haversine_m(c["lat"], c["lon"], *centre))
        if all(
            haversine_m(best["lat"], best["lon"], p["lat"], p["lon"]) >= min_gap_m for p in existing + picked
        ):
            picked.append(best)
    return picked


def _name(kind_en: str, kind_zh: str, c: dict) -> dict:
    return {"name": f"{kind_zh} · {c['road']}", "name_en": f"Simulated {kind_en} · {c['road_en']}"}


def car_parks(rg: RoadGraph, landmarks: list[dict]) -> list[dict]:
    cands = _candidates(rg, PARKING_ROADS)
    chosen: list[dict] = []
    # Up to three car parks on different real roads 100-600 m from each landmark on the map.
    for lm in landmarks:
        if lm.get("outside_map"):
            continue
        rng = random.Random(f"{SEED}:parking:{lm['id']}")
        near = [c for c in cands if 100 <= haversine_m(c["lat"], c["lon"], lm["lat"], lm["lon"]) <= 600]
        rng.shuffle(near)
        roads = set()
        for c in near:
            if c["road"] in roads or any(
                haversine_m(c["lat"], c["lon"], p["lat"], p["lon"]) < 150 for p in chosen
            ):
                continue
            roads.add(c["road"])
            chosen.append(c)
            if len(roads) == 3:
                break
    # Then cover the rest of the map, so "parking near me" works anywhere.
    chosen += _grid_pick(cands, 700, chosen, 350)

    out = []
    for i, c in enumerate(chosen, 1):
        rng = random.Random(f"{SEED}:parking:{i}")
        centre_m = haversine_m(c["lat"], c["lon"], *PEOPLES_SQUARE)
        big = c["highway"] in BIG_ROADS
        out.append(
            {
                "id": f"sim-parking-{i:03d}",
                **_name("car park", "模拟停车场", c),
                "kind": "parking",
                "lat": c["lat"],
                "lon": c["lon"],
                "capacity": rng.randrange(200 if big else 60, (800 if big else 300) + 1, 20),
                # CNY/hour: ~20 in the centre, ~10 at the edge of the map; Shanghai's downtown range.
                "price_cny_per_hour": float(
                    round(8 + 12 * math.exp(-centre_m / 2500) + rng.choice((0, 1, 2)))
                ),
                "road": c["road"],
            }
        )
    return out


def _one_per_cell(
    rg: RoadGraph, roads, kind: str, label_en: str, label_zh: str, cell_m: int, extras
) -> list[dict]:
    """One simulated place of `kind` per grid cell along `roads`; `extras(rng)` adds its own figures."""
    out = []
    for i, c in enumerate(_grid_pick(_candidates(rg, roads), cell_m, [], cell_m // 2), 1):
        rng = random.Random(f"{SEED}:{kind}:{i}")
        out.append(
            {
                "id": f"sim-{kind}-{i:03d}",
                **_name(label_en, label_zh, c),
                "kind": kind,
                "lat": c["lat"],
                "lon": c["lon"],
                **extras(rng),
                "road": c["road"],
            }
        )
    return out


def fuel_stations(rg: RoadGraph) -> list[dict]:
    return _one_per_cell(
        rg,
        BIG_ROADS,
        "fuel",
        "fuel station",
        "模拟加油站",
        2000,
        lambda rng: {"pumps": rng.choice((4, 6, 8))},
    )


def chargers(rg: RoadGraph) -> list[dict]:
    return _one_per_cell(
        rg,
        PARKING_ROADS,
        "charging",
        "EV charging",
        "模拟充电站",
        1000,
        lambda rng: {"chargers": rng.randrange(4, 21, 2), "power_kw": rng.choice((60, 120, 180))},
    )

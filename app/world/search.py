"""Spatial searches over the place store: car parks, restaurants, and stops along a route."""

from __future__ import annotations

import math
import sqlite3

import numpy as np

from app.world.geo import bbox_around, haversine_m, to_xy
from app.world.places import PlaceIndex, PlaceRecord
from app.world.signals import stable_int

WALK_FACTOR = 1.25  # street walking distance vs straight line in a grid city
RESTAURANT_KINDS = ("restaurant", "cafe", "fast_food")


def nearby(
    conn: sqlite3.Connection,
    index: PlaceIndex,
    lat: float,
    lon: float,
    radius_m: float,
    kinds: tuple[str, ...],
) -> list[tuple[float, PlaceRecord]]:
    """(straight-line metres, record) of places of `kinds` within radius, nearest first (R-tree query)."""
    min_lat, max_lat, min_lon, max_lon = bbox_around(lat, lon, radius_m)
    marks = ",".join("?" * len(kinds))
    rows = conn.execute(
        f"SELECT p.rowid FROM places_rtree r JOIN places p ON p.rowid = r.rowid "
        f"WHERE r.min_lat >= ? AND r.max_lat <= ? AND r.min_lon >= ? AND r.max_lon <= ? AND p.kind IN ({marks})",
        (min_lat, max_lat, min_lon, max_lon, *kinds),
    ).fetchall()
    out = []
    for (rowid,) in rows:
        rec = index.records[rowid]
        d = haversine_m(lat, lon, rec.place.lat, rec.place.lon)
        if d <= radius_m:
            out.append((d, rec))
    out.sort(key=lambda x: (x[0], x[1].place.id))
    return out


def nearest_within(conn, index, lat, lon, kinds, limit, radii=(800, 1500, 3000, 6000)):
    """Widen the circle until there are `limit` results (or the map runs out)."""
    found: list = []
    for r in radii:
        found = nearby(conn, index, lat, lon, r, kinds)
        if len(found) >= limit:
            break
    return found


def occupancy(carpark_id: str, t: float) -> float:
    """Simulated share of spaces taken at epoch time t: a daily Shanghai profile plus a slow per-car-park wave.

    Deterministic in (id, t), so every caller sees the same number for the same moment.
    """
    hour = ((t + 8 * 3600) % 86400) / 3600  # Shanghai is UTC+8
    daily = (
        0.25 + 0.45 * math.exp(-(((hour - 13) / 3.5) ** 2)) + 0.35 * math.exp(-(((hour - 19.5) / 2.0) ** 2))
    )
    h = stable_int("occupancy", carpark_id)
    bias = ((h % 21) - 10) / 100  # some car parks are always busier than others
    period = 1200 + (h >> 8) % 2400  # 20-60 min swings
    wave = 0.08 * math.sin(2 * math.pi * t / period + (h >> 20) % 628 / 100)
    return min(0.98, max(0.03, daily + bias + wave))


def route_distance(route_xy: np.ndarray, lat: float, lon: float) -> tuple[float, int]:
    """(metres to the nearest route vertex, its index): vertices are at most tens of metres apart."""
    x, y = to_xy(lat, lon)
    d2 = (route_xy[:, 0] - x) ** 2 + (route_xy[:, 1] - y) ** 2
    i = int(np.argmin(d2))
    return math.sqrt(float(d2[i])), i


def route_xy(coords: list[tuple[float, float]]) -> np.ndarray:
    return np.array([to_xy(lat, lon) for lat, lon in coords])

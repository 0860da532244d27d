"""Small geometry helpers. The map spans ~10 km, so a local flat projection is accurate to well under 0.1 %."""

from __future__ import annotations

import math

EARTH_R = 6_371_008.8
LAT0 = 31.23  # centre of the map; fixes the flat projection's scale
M_PER_DEG_LAT = math.pi * EARTH_R / 180
M_PER_DEG_LON = M_PER_DEG_LAT * math.cos(math.radians(LAT0))


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_R * math.asin(math.sqrt(a))


def to_xy(lat: float, lon: float) -> tuple[float, float]:
    """Metres east/north of (LAT0, 0) in the local flat projection."""
    return lon * M_PER_DEG_LON, (lat - LAT0) * M_PER_DEG_LAT


def from_xy(x: float, y: float) -> tuple[float, float]:
    return y / M_PER_DEG_LAT + LAT0, x / M_PER_DEG_LON


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Compass bearing, 0 = north, clockwise."""
    x1, y1 = to_xy(lat1, lon1)
    x2, y2 = to_xy(lat2, lon2)
    return math.degrees(math.atan2(x2 - x1, y2 - y1)) % 360


def angle_diff(a: float, b: float) -> float:
    return abs((a - b + 180) % 360 - 180)


def bbox_around(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a square that contains the circle."""
    dlat = radius_m / M_PER_DEG_LAT
    dlon = radius_m / M_PER_DEG_LON
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon

"""Reads the shipped map assets (assets/world/) into plain records. No derived data here."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app import paths

ASSET_DIR = paths.ASSETS / "world"
ASSET_FILES = (
    "roads.geojson",
    "signals.geojson",
    "pois.geojson",
    "transit.geojson",
    "landmarks.json",
    "aliases.json",
    "amenities.geojson",
    "curated.json",
    "far_places.json",
    "categories.json",
)
RESTAURANT_AMENITIES = ("restaurant", "cafe", "fast_food")

# Fallback speed limits (km/h) by OSM road class: only 83 of 2,047 ways carry maxspeed.
# Shanghai's urban limits: arterials 60, most others 40-50, lanes and alleys 30.
CLASS_LIMIT_KMH = {
    "primary": 60,
    "primary_link": 40,
    "secondary": 50,
    "secondary_link": 40,
    "tertiary": 40,
    "tertiary_link": 30,
    "unclassified": 30,
    "residential": 30,
}
CLASS_RANK = {"primary": 5, "secondary": 4, "tertiary": 3, "primary_link": 2, "secondary_link": 2}


@dataclass(frozen=True)
class Way:
    osm_id: int
    name: str | None
    name_en: str | None
    highway: str
    oneway: int  # 1 forward only, -1 backward only, 0 both
    limit_kmh: float
    lanes: int | None
    nodes: tuple[int, ...]
    coords: tuple[tuple[float, float], ...]  # (lat, lon), parallel to nodes
    name_zh: str | None = None
    elevated: bool = False  # a bridge or flyover above ground (layer >= 1): avoided by avoid-elevated


def asset_hash(asset_dir: Path = ASSET_DIR) -> str:
    h = hashlib.sha256()
    for name in ASSET_FILES:
        h.update(name.encode())
        h.update((asset_dir / name).read_bytes())
    return h.hexdigest()[:16]


def _json(name: str, asset_dir: Path) -> dict:
    return json.loads((asset_dir / name).read_text(encoding="utf-8"))


def _oneway(tags: dict, value: str | None) -> int:
    if value in ("yes", "true", "1"):
        return 1
    if value == "-1":
        return -1
    if value is None and tags.get("junction") == "roundabout":
        return 1
    return 0


def _limit(highway: str, maxspeed: str | None) -> float:
    if maxspeed:
        try:
            return float(maxspeed.split()[0])
        except ValueError:
            pass
    return CLASS_LIMIT_KMH.get(highway, 30)


@cache
def load_ways(asset_dir: Path = ASSET_DIR) -> tuple[Way, ...]:
    ways = []
    for f in _json("roads.geojson", asset_dir)["features"]:
        p = f["properties"]
        lanes = p.get("lanes")
        ways.append(
            Way(
                osm_id=int(p["osm_id"]),
                name=p.get("name") or None,
                name_en=p.get("name:en") or None,
                highway=p["highway"],
                oneway=_oneway(p.get("tags") or {}, p.get("oneway")),
                limit_kmh=_limit(p["highway"], p.get("maxspeed")),
                lanes=int(lanes) if lanes and lanes.isdigit() else None,
                nodes=tuple(int(n) for n in p["nodes"]),
                coords=tuple((lat, lon) for lon, lat in f["geometry"]["coordinates"]),
                name_zh=p.get("name:zh") or None,
                elevated=_elevated(p),
            )
        )
    return tuple(ways)


def load_signals(asset_dir: Path = ASSET_DIR) -> list[tuple[int, float, float]]:
    """(OSM node id, lat, lon) of every traffic signal."""
    out = []
    for f in _json("signals.geojson", asset_dir)["features"]:
        lon, lat = f["geometry"]["coordinates"]
        out.append((int(f["properties"]["osm_id"]), lat, lon))
    return out


def _elevated(p: dict) -> bool:
    try:
        layer = int(str(p.get("layer") or "0").split(";")[0])
    except ValueError:
        layer = 0
    return layer >= 1 and not p.get("tunnel")


def _poi_kind(p: dict) -> str | None:
    """Store kind of one record of the OSM export (pois.geojson)."""
    amenity, shop, leisure, tourism = p.get("amenity"), p.get("shop"), p.get("leisure"), p.get("tourism")
    if amenity in RESTAURANT_AMENITIES:
        return amenity
    if shop == "coffee":
        return "cafe"
    if amenity in ("bank", "fuel", "pharmacy", "hospital", "toilets"):
        return {"toilets": "toilet"}.get(amenity, amenity)
    if shop in ("supermarket", "convenience", "mall"):
        return shop
    if leisure == "park":
        return "park"
    if leisure == "fitness_centre":
        return "fitness"
    if tourism == "hotel":
        return "hotel"
    return None


def load_pois(asset_dir: Path = ASSET_DIR) -> list[dict]:
    """Every usable record of the OSM export: restaurants, cafés, banks, supermarkets, parks, ..."""
    out = []
    for f in _json("pois.geojson", asset_dir)["features"]:
        p = f["properties"]
        kind = _poi_kind(p)
        if kind is None or not (p.get("name") or "").strip():
            continue
        lon, lat = f["geometry"]["coordinates"]
        out.append(
            {
                "osm_id": p["osm_id"],
                "name": p["name"].strip(),
                "name_en": (p.get("name:en") or "").strip() or None,
                "name_zh": (p.get("name:zh") or "").strip() or None,
                "kind": kind,
                "amenity": kind,
                "cuisine_tag": p.get("cuisine"),
                "opening_hours": p.get("opening_hours"),
                "atm": p.get("atm"),
                "price_text": p.get("price"),
                "address": " ".join(x for x in (p.get("addr:street"), p.get("addr:housenumber")) if x)
                or None,
                "lat": lat,
                "lon": lon,
            }
        )
    return out


def load_restaurants(asset_dir: Path = ASSET_DIR) -> list[dict]:
    return [p for p in load_pois(asset_dir) if p["kind"] in RESTAURANT_AMENITIES]


def load_transit(asset_dir: Path = ASSET_DIR) -> list[dict]:
    """Metro stations and (merged) bus stops of the OSM road file."""
    out = []
    for f in _json("transit.geojson", asset_dir)["features"]:
        p, t = f["properties"], f["properties"]["tags"]
        lon, lat = f["geometry"]["coordinates"]
        metro = t.get("station") == "subway" or t.get("railway") == "station"
        out.append(
            {
                "osm_id": p["osm_id"],
                "name": p["name"],
                "name_en": p.get("name:en"),
                "name_zh": p.get("name:zh") or p["name"],
                "kind": "metro" if metro else "bus_stop",
                "note": t.get("note"),
                "lat": lat,
                "lon": lon,
            }
        )
    return out


def load_curated(asset_dir: Path = ASSET_DIR) -> list[dict]:
    return _json("curated.json", asset_dir)["places"]


def load_far_places(asset_dir: Path = ASSET_DIR) -> list[dict]:
    return _json("far_places.json", asset_dir)["places"]


def load_landmarks(asset_dir: Path = ASSET_DIR) -> list[dict]:
    return _json("landmarks.json", asset_dir)["places"]


def load_aliases(asset_dir: Path = ASSET_DIR) -> dict[str, list[str]]:
    return _json("aliases.json", asset_dir)["aliases"]


def load_amenities(asset_dir: Path = ASSET_DIR) -> list[dict]:
    """The few real parking/fuel/charging nodes in the raw OSM export (one car-park entrance)."""
    out = []
    for f in _json("amenities.geojson", asset_dir)["features"]:
        lon, lat = f["geometry"]["coordinates"]
        out.append(
            {"osm_id": f["properties"]["osm_id"], "tags": f["properties"]["tags"], "lat": lat, "lon": lon}
        )
    return out

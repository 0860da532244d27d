"""Rebuild the shipped map assets (assets/world/*.geojson) from the raw data in ../shared/data.

    python -m app.world.build_assets [--osm PATH] [--nearby PATH] [--out assets/world]

Reproducible: the same inputs give byte-identical files (sorted features, fixed precision). It writes

- roads.geojson: every drivable way of shanghai_center.osm (the whole ~13 x 11 km file), with its OSM
  node ids, names (name, name:en, name:zh), oneway, maxspeed, lanes, bridge/tunnel/layer and all tags;
- signals.geojson: every highway=traffic_signals node;
- amenities.geojson: the parking/fuel/charging nodes (the file has one car-park entrance);
- transit.geojson: metro stations and bus stops (public_transport=stop_position, one per name and
  place: the two directions of a stop are merged);
- pois.geojson: every record of nearby_shanghai.geojson (the OSM export, 2018) within 1 km of the
  road data: restaurants, cafés, fast food, banks, supermarkets, convenience stores, parks, ...

The hand-written files (landmarks.json, curated.json, far_places.json, categories.json, aliases.json)
are not touched. Run it from the repository root; then `python -m app.world categories` rebuilds the
store (its cache key is a hash of the assets).
"""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from app import paths
from app.world.geo import haversine_m

SHARED = paths.ROOT.parent.parent / "shared" / "data"  # /work/shared/data next to the worktrees
OSM_SOURCE = (
    "github.com/jbnu55343/scm_deeponet @255a88a15b590eee0635d31a89619b8734baa67d : shanghai_center.osm "
    "(Overpass API 0.7.62.7, osm_base 2025-08-09T07:00:26Z)"
)
NEARBY_SOURCE = (
    "github.com/Schultzer/nearby-data shanghai.geojson @974b98a2ddfd1c7087e293664aa9c4746e597f7f "
    "(OSM via Overpass export, 2018 or older, ODbL)"
)
DRIVABLE = {
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "trunk",
    "trunk_link",
    "motorway",
    "motorway_link",
}
NO_CARS = {"no", "private"}
POI_MARGIN_M = 1000.0  # keep places a little beyond the roads: "the nearest bank" at the map's edge
STOP_MERGE_M = 150.0  # the two directions of one bus stop share a name and stand across the road


def _tags(el) -> dict[str, str]:
    return {t.get("k"): t.get("v") for t in el.findall("tag")}


def _r(x: float) -> float:
    return round(x, 7)


def _fc(features: list, source: str, extra: dict | None = None) -> dict:
    return {
        "type": "FeatureCollection",
        "license": "ODbL-1.0",
        "attribution": "© OpenStreetMap contributors",
        "source": source,
        **(extra or {}),
        "features": features,
    }


def _name_zh(tags: dict) -> str | None:
    return tags.get("name:zh") or tags.get("name:zh-Hans") or None


def convert_osm(osm_path: Path) -> dict[str, dict]:
    root = ET.parse(osm_path).getroot()
    nodes: dict[int, tuple[float, float]] = {}
    node_tags: dict[int, dict] = {}
    ways = []
    for el in root:
        if el.tag == "node":
            nid = int(el.get("id"))
            nodes[nid] = (float(el.get("lat")), float(el.get("lon")))
            t = _tags(el)
            if t:
                node_tags[nid] = t
        elif el.tag == "way":
            ways.append(el)

    roads = []
    for el in ways:
        t = _tags(el)
        if t.get("highway") not in DRIVABLE:
            continue
        if t.get("access") in NO_CARS or t.get("motor_vehicle") in NO_CARS or t.get("motorcar") in NO_CARS:
            continue
        refs = [int(n.get("ref")) for n in el.findall("nd") if int(n.get("ref")) in nodes]
        if len(refs) < 2:
            continue
        roads.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[_r(nodes[n][1]), _r(nodes[n][0])] for n in refs],
                },
                "properties": {
                    "osm_id": int(el.get("id")),
                    "name": t.get("name"),
                    "name:en": t.get("name:en"),
                    "name:zh": _name_zh(t),
                    "highway": t["highway"],
                    "oneway": t.get("oneway"),
                    "maxspeed": t.get("maxspeed"),
                    "lanes": t.get("lanes"),
                    "bridge": t.get("bridge"),
                    "tunnel": t.get("tunnel"),
                    "layer": t.get("layer"),
                    "nodes": refs,
                    "tags": t,
                },
            }
        )
    roads.sort(key=lambda f: f["properties"]["osm_id"])

    def point(nid: int, t: dict) -> dict:
        lat, lon = nodes[nid]
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [_r(lon), _r(lat)]},
            "properties": {
                "osm_type": "node",
                "osm_id": nid,
                "name": t.get("name"),
                "name:en": t.get("name:en"),
                "name:zh": _name_zh(t),
                "tags": t,
            },
        }

    signals = [point(n, t) for n, t in sorted(node_tags.items()) if t.get("highway") == "traffic_signals"]
    amenities = [
        point(n, t)
        for n, t in sorted(node_tags.items())
        if t.get("amenity") in ("parking", "parking_entrance", "fuel", "charging_station")
    ]
    transit = [
        point(n, t)
        for n, t in sorted(node_tags.items())
        if t.get("railway") == "station" or t.get("station") == "subway"
    ]
    transit += _merged_bus_stops(nodes, node_tags)
    return {
        "roads.geojson": _fc(roads, OSM_SOURCE, {"bbox_filter": None}),
        "signals.geojson": _fc(signals, OSM_SOURCE, {"bbox_filter": None}),
        "amenities.geojson": _fc(
            amenities, OSM_SOURCE + " (amenity=parking/parking_entrance/fuel/charging_station nodes)"
        ),
        "transit.geojson": _fc(
            transit, OSM_SOURCE + " (railway=station nodes; public_transport=stop_position, merged by name)"
        ),
    }


def _merged_bus_stops(nodes: dict, node_tags: dict) -> list[dict]:
    out: list[dict] = []
    kept: dict[str, list[tuple[float, float]]] = {}
    for nid, t in sorted(node_tags.items()):
        if t.get("public_transport") != "stop_position" or not t.get("name") or t.get("railway"):
            continue
        lat, lon = nodes[nid]
        seen = kept.setdefault(t["name"], [])
        if any(haversine_m(lat, lon, a, b) < STOP_MERGE_M for a, b in seen):
            continue
        seen.append((lat, lon))
        out.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [_r(lon), _r(lat)]},
                "properties": {
                    "osm_type": "node",
                    "osm_id": nid,
                    "name": t.get("name"),
                    "name:en": t.get("name:en"),
                    "name:zh": _name_zh(t),
                    "tags": t,
                },
            }
        )
    return out


def _centre(geom: dict) -> tuple[float, float] | None:
    """(lon, lat): a point as is, else the mean of the outer ring / line vertices."""
    c = geom.get("coordinates")
    if geom.get("type") == "Point":
        return c[0], c[1]
    while c and isinstance(c[0][0], list):
        c = c[0]
    if not c:
        return None
    return sum(p[0] for p in c) / len(c), sum(p[1] for p in c) / len(c)


def convert_nearby(nearby_path: Path, bbox: tuple[float, float, float, float]) -> dict:
    """Every record of the export within POI_MARGIN_M of the road data's bounding box."""
    min_lat, max_lat, min_lon, max_lon = bbox
    dlat = POI_MARGIN_M / 111_000
    dlon = POI_MARGIN_M / 95_000
    out = []
    for f in json.loads(nearby_path.read_text(encoding="utf-8"))["features"]:
        centre = _centre(f.get("geometry") or {})
        if centre is None:
            continue
        lon, lat = centre
        if not (min_lat - dlat <= lat <= max_lat + dlat and min_lon - dlon <= lon <= max_lon + dlon):
            continue
        p = dict(f["properties"])
        p.pop("id", None)
        out.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [_r(lon), _r(lat)]},
                "properties": {
                    "osm_id": f.get("id") or f["properties"].get("id"),
                    "geometry_src": f["geometry"]["type"],
                    **p,
                },
            }
        )
    out.sort(key=lambda f: f["properties"]["osm_id"])
    return _fc(out, NEARBY_SOURCE, {"margin_m": POI_MARGIN_M})


def _bbox(roads: dict) -> tuple[float, float, float, float]:
    lats = [c[1] for f in roads["features"] for c in f["geometry"]["coordinates"]]
    lons = [c[0] for f in roads["features"] for c in f["geometry"]["coordinates"]]
    return min(lats), max(lats), min(lons), max(lons)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app.world.build_assets", description=__doc__.split("\n")[0])
    ap.add_argument("--osm", type=Path, default=SHARED / "shanghai_center.osm")
    ap.add_argument("--nearby", type=Path, default=SHARED / "nearby_shanghai.geojson")
    ap.add_argument("--out", type=Path, default=paths.ASSETS / "world")
    args = ap.parse_args(argv)
    files = convert_osm(args.osm)
    files["pois.geojson"] = convert_nearby(args.nearby, _bbox(files["roads.geojson"]))
    for name, fc in files.items():
        text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
        (args.out / name).write_text(text + "\n", encoding="utf-8")
        print(f"{name}: {len(fc['features'])} features, {len(text) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

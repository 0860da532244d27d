"""The place store: a SQLite file with an R-tree spatial index, plus the pickled road graph.

Built on first run from assets/world/ and kept under app.paths.data_dir()/world/, named by a hash of
the asset files and the generator version, so changed assets (or generator rules) rebuild it.
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import tempfile
from pathlib import Path

from app import paths
from app.pinyin import lazy_pinyin
from app.world import cuisine, data, generate, names, routing
from app.world.geo import haversine_m
from app.world.signals import stable_int

# Bump when the store's schema, the generator or the graph rules change.
STORE_VERSION = "6"

SCHEMA = """
CREATE TABLE places (
    rowid INTEGER PRIMARY KEY,
    id TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL, name_en TEXT, name_zh TEXT,
    lat REAL NOT NULL, lon REAL NOT NULL,
    kind TEXT NOT NULL,
    simulated INTEGER NOT NULL DEFAULT 0,
    outside_map INTEGER NOT NULL DEFAULT 0,
    extra TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX places_kind ON places(kind);
CREATE VIRTUAL TABLE places_rtree USING rtree(rowid, min_lat, max_lat, min_lon, max_lon);
CREATE TABLE names (place_rowid INTEGER NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL);
CREATE INDEX names_key ON names(key);
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
"""


def store_key(asset_dir: Path = data.ASSET_DIR) -> str:
    return f"{data.asset_hash(asset_dir)}-v{STORE_VERSION}"


def open_store(data_dir: Path | None = None, asset_dir: Path = data.ASSET_DIR):
    """(sqlite connection, RoadGraph), building either if missing."""
    folder = (data_dir or paths.data_dir()) / "world"
    folder.mkdir(parents=True, exist_ok=True)
    key = store_key(asset_dir)
    graph_path = folder / f"graph-{key}.pickle"
    db_path = folder / f"places-{key}.sqlite"

    rg = None
    if graph_path.exists():
        try:
            rg = pickle.loads(graph_path.read_bytes())
        except Exception:  # a half-written or stale pickle: rebuild rather than fail
            rg = None
    if rg is None:
        rg = routing.build(asset_dir)
        _atomic_write(graph_path, lambda p: p.write_bytes(pickle.dumps(rg, protocol=pickle.HIGHEST_PROTOCOL)))
    if not db_path.exists():
        _atomic_write(db_path, lambda p: _build_db(p, rg, asset_dir, key))
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn, rg


def _atomic_write(path: Path, write) -> None:
    # Two processes may build at once (app + CLI); each writes a temp file and renames it into place.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(fd)
    tmp_path = Path(tmp)
    tmp_path.unlink()
    try:
        write(tmp_path)
        os.replace(tmp_path, path)
    finally:
        tmp_path.unlink(missing_ok=True)


def _build_db(path: Path, rg: routing.RoadGraph, asset_dir: Path, key: str) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    aliases = data.load_aliases(asset_dir)

    def add(rec: dict, extra_names: list[str] = ()) -> None:
        _fill_names(rec)
        extra = {
            k: v
            for k, v in rec.items()
            if k not in ("id", "name", "name_en", "name_zh", "lat", "lon", "kind", "simulated", "outside_map")
        }
        cur = conn.execute(
            "INSERT INTO places (id, name, name_en, name_zh, lat, lon, kind, simulated, outside_map, extra)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                rec["id"],
                rec["name"],
                rec.get("name_en"),
                rec.get("name_zh"),
                rec["lat"],
                rec["lon"],
                rec["kind"],
                int(rec.get("simulated", False)),
                int(rec.get("outside_map", False)),
                json.dumps(extra, ensure_ascii=False),
            ),
        )
        rowid = cur.lastrowid
        conn.execute(
            "INSERT INTO places_rtree VALUES (?,?,?,?,?)",
            (rowid, rec["lat"], rec["lat"], rec["lon"], rec["lon"]),
        )
        labels = [
            rec["name"],
            rec.get("name_en"),
            rec.get("name_zh"),
            *extra_names,
            *aliases.get(rec["id"], []),
        ]
        rows = {(k, label) for label in labels if label for k in names.keys_for(label)}
        conn.executemany("INSERT INTO names VALUES (?,?,?)", [(rowid, k, label) for k, label in sorted(rows)])

    far_ids = {f["id"] for f in data.load_far_places(asset_dir)}
    for lm in data.load_landmarks(asset_dir):
        if lm["id"] in far_ids:  # far_places.json holds the destinations beyond the map
            continue
        add(
            {
                "id": lm["id"],
                "name": lm["en"],
                "name_en": lm["en"],
                "name_zh": lm["zh"],
                "lat": lm["lat"],
                "lon": lm["lon"],
                "kind": "landmark",
                "outside_map": bool(lm.get("outside_map")),
                "pinyin": lm.get("pinyin"),
                "source": "curated",
            },
            [lm.get("pinyin"), *lm.get("aliases", [])],
        )

    for fp in data.load_far_places(asset_dir):
        add(
            {
                "id": fp["id"],
                "name": fp["en"],
                "name_en": fp["en"],
                "name_zh": fp["zh"],
                "lat": fp["lat"],
                "lon": fp["lon"],
                "kind": "far",
                "far_kind": fp["far_kind"],
                "outside_map": True,
                "source": "curated",
            },
            fp.get("aliases", []),
        )

    for road in _roads(rg):
        add({**road, "source": "osm"})

    for r in data.load_pois(asset_dir):
        rec = {
            "id": f"osm-{r['osm_id'].replace('/', '-')}",
            "name": r["name"],
            "name_en": r["name_en"],
            "name_zh": r["name_zh"] or (r["name"] if not r["name"].isascii() else None),
            "lat": r["lat"],
            "lon": r["lon"],
            "kind": r["kind"],
            "source": "osm",
            **{k: r[k] for k in ("opening_hours", "address", "price_text") if r.get(k)},
        }
        if r["kind"] == "bank":
            rec["atm"] = r.get("atm") == "yes"
        if r["kind"] in data.RESTAURANT_AMENITIES:
            key_, inferred = cuisine.classify(r["cuisine_tag"], r["amenity"], r["name"], r["name_en"])
            rec.update(
                {
                    "cuisine": key_,
                    "cuisine_inferred": inferred,
                    "cuisine_tag": r["cuisine_tag"],
                    # No ratings in OSM; a seeded 3.5-4.8 keeps the demo's "best rated" flows alive, flagged.
                    "rating": round(3.5 + (stable_int("rating", r["osm_id"]) % 14) / 10, 1),
                    "rating_simulated": True,
                }
            )
        add(rec)

    transit = data.load_transit(asset_dir)
    for t in transit:
        extra_names = [f"{t['name']}站", f"{t['name_en']} station"] if t["kind"] == "metro" else []
        add(
            {
                "id": f"osm-node-{t['osm_id']}",
                "name": t["name_en"] or t["name"],
                "name_en": t["name_en"],
                "name_zh": t["name_zh"],
                "lat": t["lat"],
                "lon": t["lon"],
                "kind": t["kind"],
                "source": "osm",
            },
            [n for n in extra_names if n and "None" not in n],
        )
    osm_metro = [t for t in transit if t["kind"] == "metro"]
    for c in data.load_curated(asset_dir):
        if c["category"] == "metro" and any(
            t["name_zh"] == c["zh"] and haversine_m(t["lat"], t["lon"], c["lat"], c["lon"]) < 300
            for t in osm_metro
        ):
            continue  # OSM has this station itself
        extra_names = list(c.get("aliases", []))
        if c["category"] == "metro":
            zh, en = c["zh"].split("(")[0], c["en"].split(" (")[0]
            extra_names += [f"{zh}站", f"{zh}地铁站", f"{en} station", f"{en} metro station"]
        rec = {
            "id": c["id"],
            "name": c["en"],
            "name_en": c["en"],
            "name_zh": c["zh"],
            "lat": c["lat"],
            "lon": c["lon"],
            "kind": c["category"],
            "source": "curated",
        }
        rec.update({k: c[k] for k in ("opening_hours", "lines") if c.get(k)})
        add(rec, extra_names)

    for a in data.load_amenities(asset_dir):
        kind = {"parking_entrance": "parking", "parking": "parking", "fuel": "fuel"}.get(
            a["tags"].get("amenity"), "charging"
        )
        add(
            {
                "id": f"osm-node-{a['osm_id']}",
                "name": a["tags"].get("name") or "Car park entrance (OpenStreetMap)",
                "name_zh": a["tags"].get("name:zh") or "停车场入口",
                "lat": a["lat"],
                "lon": a["lon"],
                "kind": kind,
                # The place is real; OSM gives no capacity or price, so those figures are generated.
                "capacity": int(a["tags"].get("capacity") or 150),
                "price_cny_per_hour": 12.0,
                "figures_simulated": True,
                "source": "osm",
            }
        )

    simulated = [
        *generate.car_parks(rg, data.load_landmarks(asset_dir)),
        *generate.fuel_stations(rg),
        *generate.chargers(rg),
    ]
    for rec in simulated:
        add(
            {
                **rec,
                "name": rec["name_en"],
                "name_en": rec["name_en"],
                "name_zh": rec["name"],
                "simulated": True,
                "source": "simulated",
                "generator": generate.GENERATOR,
            }
        )

    conn.execute("INSERT INTO meta VALUES ('store_key', ?)", (key,))
    conn.commit()
    conn.close()


def _fill_names(rec: dict) -> None:
    """Both display names for every place: an English brand name is also its Chinese display name;
    a Chinese-only name gets a pinyin English name with the category ("联华" -> "Lianhua (Supermarket)"),
    flagged name_en_generated."""
    name = rec["name"]
    if not rec.get("name_en") and name.isascii():
        rec["name_en"] = name
    if not rec.get("name_zh"):
        rec["name_zh"] = name
    if not rec.get("name_en"):
        from app.world import categories

        cat = next((c for c in categories.VOCAB if rec["kind"] in c["kinds"]), None)
        words = "".join(lazy_pinyin(name, errors="ignore"))
        if words:
            label = f" ({cat['en']})" if cat else ""
            rec["name_en"] = words[:1].upper() + words[1:] + label
            rec["name_en_generated"] = True


def _roads(rg: routing.RoadGraph) -> list[dict]:
    """One place per road name, at the routable node nearest the middle of that road's nodes."""
    by_name: dict[str, dict] = {}
    for u, _, e in rg.graph.edges(data=True):
        if not e["name"]:
            continue
        r = by_name.setdefault(e["name"], {"en": e["name_en"], "pts": []})
        r["pts"].append(rg.coord(u))
    out = []
    for name, r in sorted(by_name.items()):
        pts = r["pts"]
        mlat = sum(p[0] for p in pts) / len(pts)
        mlon = sum(p[1] for p in pts) / len(pts)
        lat, lon = min(pts, key=lambda p: haversine_m(p[0], p[1], mlat, mlon))
        out.append(
            {
                "id": f"road:{name}",
                "name": r["en"] or name,
                "name_en": r["en"],
                "name_zh": name,
                "lat": lat,
                "lon": lon,
                "kind": "road",
            }
        )
    return out

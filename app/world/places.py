"""Place lookup by name in English, Chinese or pinyin, exact first, then fuzzy (rapidfuzz)."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from app.world import categories, names
from app.world.api import Place, PlaceNotFound
from app.world.geo import haversine_m

MAP_CENTRE = (31.2317, 121.4727)  # People's Square: tie-breaker when the caller gives no position
# Landmarks beat streets beat named places beat restaurants when one name fits several ("Nanjing Road").
KIND_RANK = {
    "landmark": 0,
    "far": 0,
    "road": 1,
    "hospital": 2,
    "hotel": 2,
    "mall": 2,
    "metro": 2,
    "park": 2,
    "restaurant": 3,
    "cafe": 3,
    "fast_food": 3,
    "bus_stop": 5,
}
ACCEPT_SCORE = 88.0
SUGGEST_SCORE = 55.0


@dataclass
class PlaceRecord:
    place: Place
    extra: dict


def kinds_of(text: str) -> frozenset[str]:
    """What kind of place a name says it is, from its kind words: {"street"}, {"airport"}, or {}."""
    t = text.lower()
    words = set(re.findall(r"[a-z]+", t))
    found = set()
    for kind, markers in categories.name_kinds().items():
        for m in markers:
            if (m.isascii() and m in words) or (not m.isascii() and m in t):
                found.add(kind)
                break
    return frozenset(found)


def same_kind(query: str, label: str) -> bool:
    return kinds_of(query) == kinds_of(label)


class PlaceIndex:
    def __init__(self, conn: sqlite3.Connection):
        self.records: dict[int, PlaceRecord] = {}
        self.by_id: dict[str, PlaceRecord] = {}
        for row in conn.execute("SELECT * FROM places"):
            place = Place(
                id=row["id"],
                name=row["name"],
                name_en=row["name_en"],
                name_zh=row["name_zh"],
                lat=row["lat"],
                lon=row["lon"],
                kind=row["kind"],
                simulated=bool(row["simulated"]),
                outside_map=bool(row["outside_map"]),
            )
            rec = PlaceRecord(place, json.loads(row["extra"]))
            self.records[row["rowid"]] = rec
            self.by_id[place.id] = rec
        self.key_rows: dict[str, set[int]] = {}
        self.key_label: dict[str, str] = {}
        for rowid, key, label in conn.execute("SELECT place_rowid, key, label FROM names"):
            self.key_rows.setdefault(key, set()).add(rowid)
            self.key_label.setdefault(key, label)
        self.keys = list(self.key_rows)

    def find(self, query: str, near: tuple[float, float] | None = None) -> Place:
        q = names.strip_filler(query)
        rows: set[int] = set()
        for key in names.keys_for(q):
            rows |= self.key_rows.get(key, set())
        if not rows:
            key = names.normalize(q)
            hit = (
                process.extractOne(key, self.keys, scorer=fuzz.WRatio, score_cutoff=ACCEPT_SCORE)
                if key
                else None
            )
            # WRatio also rewards substrings; a fuzzy hit must also be close as a whole string, and
            # of the same kind ("Beijing" is a city, East Beijing Road a street).
            if hit and fuzz.ratio(key, hit[0]) >= 70 and same_kind(q, self.key_label[hit[0]]):
                rows = self.key_rows[hit[0]]
        if not rows:
            raise PlaceNotFound(query, self.suggest(query))
        return self._best(rows, near).place

    def exact(self, query: str) -> list[PlaceRecord]:
        """Every record one of the query's keys names exactly."""
        q = names.strip_filler(query)
        rows: set[int] = set()
        for key in names.keys_for(q):
            rows |= self.key_rows.get(key, set())
        return [self.records[r] for r in sorted(rows)]

    def fuzzy(
        self, query: str, limit: int = 8, cutoff: float = SUGGEST_SCORE
    ) -> list[tuple[float, str, PlaceRecord]]:
        """(score, matched label, best record of that key) for the nearest spellings, best first."""
        key = names.normalize(names.strip_filler(query))
        if not key:
            return []
        out, seen = [], set()
        for cand, score, _ in process.extract(key, self.keys, scorer=fuzz.WRatio, limit=limit * 4):
            if score < cutoff:
                break
            rec = self._best(self.key_rows[cand], None)
            if rec.place.id in seen:
                continue
            seen.add(rec.place.id)
            out.append((score, self.key_label[cand], rec))
            if len(out) == limit:
                break
        return out

    def _best(self, rows: set[int], near: tuple[float, float] | None) -> PlaceRecord:
        lat, lon = near or MAP_CENTRE
        return min(
            (self.records[r] for r in rows),
            key=lambda rec: (
                KIND_RANK.get(rec.place.kind, 3),
                haversine_m(lat, lon, rec.place.lat, rec.place.lon),
                rec.place.id,
            ),
        )

    def suggest(self, query: str, limit: int = 5) -> list[str]:
        key = names.normalize(names.strip_filler(query))
        if not key:
            return []
        out: list[str] = []
        for cand, score, _ in process.extract(key, self.keys, scorer=fuzz.WRatio, limit=limit * 6):
            if score < SUGGEST_SCORE:
                break
            label = self.display(self._best(self.key_rows[cand], None).place)
            if label not in out:
                out.append(label)
            if len(out) == limit:
                break
        return out

    @staticmethod
    def display(place: Place) -> str:
        if place.name_zh and place.name_zh != place.name:
            return f"{place.name} ({place.name_zh})"
        return place.name

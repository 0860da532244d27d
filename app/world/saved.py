"""Saved places (home, work, favourites) per user, in SQLite under app.paths.data_dir()/world/.

Kept apart from the place store (a rebuildable cache): this file is the user's own data and survives
asset changes. A fresh install gets a demo home and work, marked `demo: true` until the user sets them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from app.world import names
from app.world.api import Place

# What a driver calls the two standard places; favourites are found by their own name.
SYNONYMS = {
    "home": ("home", "my home", "my house", "house", "家", "我家", "回家", "住处", "家里"),
    "work": (
        "work",
        "office",
        "my office",
        "workplace",
        "the office",
        "公司",
        "单位",
        "办公室",
        "上班的地方",
    ),
}
LABELS = {"home": ("Home", "家"), "work": ("Work", "公司")}

# Demo values for a fresh install: real places on the map, clearly labelled as demo.
DEMO = {
    "home": {"ref": "road:陕西北路", "lat": 31.2286, "lon": 121.4601},
    "work": {"ref": "lujiazui", "lat": 31.2380, "lon": 121.5010},
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS saved (
    user TEXT NOT NULL,
    name TEXT NOT NULL,
    place TEXT NOT NULL,      -- JSON of the Place it points at
    ref TEXT NOT NULL,        -- what the user said ("延安东路100号", "31.23,121.47")
    demo INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL,
    PRIMARY KEY (user, name)
);
CREATE TABLE IF NOT EXISTS seeded (user TEXT PRIMARY KEY);
"""


def standard_name(text: str) -> str | None:
    """'家' -> 'home', 'the office' -> 'work', else None."""
    t = text.strip().lower()
    for key, words in SYNONYMS.items():
        if t in words:
            return key
    return None


class SavedPlaces:
    def __init__(self, path: Path, user: str = "default"):
        self.path = path
        self.user = user
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, check_same_thread=False)
        self._conn.executescript(SCHEMA)
        self._conn.commit()

    def seed_demo(self, demo_places: dict[str, Place]) -> None:
        """Once per user: the demo home/work (a user who removed them does not get them back)."""
        with self._lock:
            if self._conn.execute("SELECT 1 FROM seeded WHERE user = ?", (self.user,)).fetchone():
                return
            for name, place in demo_places.items():
                self._put(name, place, DEMO[name]["ref"], demo=True)
            self._conn.execute("INSERT INTO seeded VALUES (?)", (self.user,))
            self._conn.commit()

    def _put(self, name: str, place: Place, ref: str, demo: bool) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO saved VALUES (?,?,?,?,?,?)",
            (self.user, name, json.dumps(place.to_dict(), ensure_ascii=False), ref, int(demo), time.time()),
        )

    def set(self, name: str, place: Place, ref: str) -> dict:
        key = standard_name(name) or name.strip()
        if not key:
            raise ValueError("a saved place needs a name (home, work or a favourite's name)")
        with self._lock:
            self._put(key, place, ref, demo=False)
            self._conn.commit()
        return self.get(key)

    def remove(self, name: str) -> bool:
        key = standard_name(name) or name.strip()
        with self._lock:
            cur = self._conn.execute("DELETE FROM saved WHERE user = ? AND name = ?", (self.user, key))
            self._conn.commit()
        return cur.rowcount > 0

    def get(self, name: str) -> dict | None:
        key = standard_name(name) or name.strip()
        row = self._conn.execute(
            "SELECT name, place, ref, demo, updated FROM saved WHERE user = ? AND name = ?", (self.user, key)
        ).fetchone()
        if row is None:
            # Favourites by any spelling of their name ("Mum's place" / "mums place").
            want = names.normalize(name)
            for r in self._rows():
                if names.normalize(r[0]) == want:
                    row = r
                    break
        return None if row is None else self._entry(row)

    def _rows(self):
        return self._conn.execute(
            "SELECT name, place, ref, demo, updated FROM saved WHERE user = ? ORDER BY name", (self.user,)
        ).fetchall()

    def all(self) -> list[dict]:
        return [self._entry(r) for r in self._rows()]

    @staticmethod
    def _entry(row) -> dict:
        name, place, ref, demo, updated = row
        target = Place(**json.loads(place))
        en, zh = LABELS.get(name, (name, name))
        tag_en, tag_zh = (" (demo)", "（演示）") if demo else ("", "")
        target_en = target.name_en or target.name
        target_zh = target.name_zh or target.name
        saved = Place(
            id=f"saved:{name}",
            name=f"{en}{tag_en} · {target_en}",
            name_en=f"{en}{tag_en} · {target_en}",
            name_zh=f"{zh}{tag_zh} · {target_zh}",
            lat=target.lat,
            lon=target.lon,
            kind="saved",
            simulated=target.simulated,
            outside_map=target.outside_map,
        )
        return {
            "name": name,
            "place": saved,
            "target": target,
            "ref": ref,
            "demo": bool(demo),
            "updated": updated,
        }

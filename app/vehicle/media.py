"""Media: the demo library and simulated radio (assets/vehicle/library.json) and what plays.

"Play something by 林晓雨", "来点爵士", "play calm music": the query is matched against the names in
the data (titles, artists, genres, moods, stations, each in both languages with synonyms), never
against patterns in code. Several kinds in one query narrow each other ("calm jazz" = jazz AND calm).
Positions are computed from the cabin's clock, so a track plays on between two processes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from app.paths import ASSETS
from app.vehicle.api import CabinError, Outcome
from app.vehicle.spec import norm
from app.vehicle.state import Media

if TYPE_CHECKING:
    from app.vehicle.cabin import Cabin
    from app.vehicle.state import CabinState

LIBRARY_FILE = ASSETS / "vehicle" / "library.json"
KINDS = ("title", "artist", "station", "genre", "mood")  # precedence when kinds conflict
FUZZY_MIN = 88


@dataclass(frozen=True)
class Library:
    raw: dict[str, Any]
    tracks: dict[str, dict[str, Any]]
    stations: dict[str, dict[str, Any]]
    keys: dict[str, list[tuple[str, str]]]  # normalised name -> [(kind, value)]

    def track_view(self, tid: str, favourites: list[str] | None = None) -> dict[str, Any]:
        t = self.tracks[tid]
        artist = self.raw["artists"][t["artist"]]
        genre, mood = self.raw["genres"][t["genre"]], self.raw["moods"][t["mood"]]
        return {
            "id": tid,
            "title_en": t["title_en"],
            "title_zh": t["title_zh"],
            "artist_en": artist["name_en"],
            "artist_zh": artist["name_zh"],
            "genre": t["genre"],
            "genre_en": genre["en"],
            "genre_zh": genre["zh"],
            "mood": t["mood"],
            "mood_en": mood["en"],
            "mood_zh": mood["zh"],
            "duration_s": t["duration_s"],
            "favourite": tid in (favourites or []),
            "demo": True,
        }

    def station_view(self, sid: str, favourites: list[str] | None = None) -> dict[str, Any]:
        st = self.stations[sid]
        return {
            "id": sid,
            "frequency": st["frequency"],
            "name_en": st["name_en"],
            "name_zh": st["name_zh"],
            "genre": st["genre"],
            "favourite": sid in (favourites or []),
            "simulated": True,
        }

    def match(self, text: str, kinds: tuple[str, ...] = KINDS) -> dict[str, set[str]]:
        """{kind: {values}} for every name of those kinds in the text (exact, contained, then fuzzy)."""
        q = norm(text)
        found: dict[str, set[str]] = {}

        def add(key: str) -> bool:
            hits = [(kind, value) for kind, value in self.keys[key] if kind in kinds]
            for kind, value in hits:
                found.setdefault(kind, set()).add(value)
            return bool(hits)

        if q in self.keys and add(q):
            return found
        for key in sorted(self.keys, key=len, reverse=True):
            ascii_key = key.isascii()
            if (
                (ascii_key and f" {key} " in f" {q} ") or (not ascii_key and len(key) >= 2 and key in q)
            ) and add(key):
                q = q.replace(key, " ")  # "calm jazz": jazz is taken, calm is still found
        if found:
            return found
        best = process.extractOne(norm(text), list(self.keys), scorer=fuzz.WRatio)
        if best and best[1] >= FUZZY_MIN and fuzz.ratio(norm(text), best[0]) >= 70:
            add(best[0])
        return found

    def tracks_for(self, found: dict[str, set[str]]) -> list[str]:
        """Tracks meeting every kind found; if none meets all, the most specific kind alone."""
        fields = {"title": "id", "artist": "artist", "genre": "genre", "mood": "mood"}
        kinds = [k for k in KINDS if k in found and k in fields]

        def meets(t: dict, ks: list[str]) -> bool:
            return all(t[fields[k]] in found[k] for k in ks)

        for ks in (kinds, kinds[:1]):
            hits = [tid for tid, t in self.tracks.items() if ks and meets(t, ks)]
            if hits:
                return hits
        return []


@lru_cache(maxsize=1)
def load_library() -> Library:
    raw = json.loads(LIBRARY_FILE.read_text(encoding="utf-8"))
    tracks = {t["id"]: t for t in raw["tracks"]}
    stations = {s["id"]: s for s in raw["stations"]}
    keys: dict[str, list[tuple[str, str]]] = {}

    def key(name: str, kind: str, value: str) -> None:
        k = norm(name)
        if k and (kind, value) not in keys.setdefault(k, []):
            keys[k].append((kind, value))

    for tid, t in tracks.items():
        key(t["title_en"], "title", tid)
        key(t["title_zh"], "title", tid)
    for aid, a in raw["artists"].items():
        key(a["name_en"], "artist", aid)
        key(a["name_zh"], "artist", aid)
    for kind, table in (("genre", raw["genres"]), ("mood", raw["moods"])):
        for gid, g in table.items():
            for name in [gid, g["en"], g["zh"], *g["synonyms_en"], *g["synonyms_zh"]]:
                key(name, kind, gid)
    for sid, st in stations.items():
        for name in [st["name_en"], st["name_zh"], st["frequency"], *st["synonyms_en"], *st["synonyms_zh"]]:
            key(name, "station", sid)
        key(st["frequency"].replace(" ", ""), "station", sid)
    for name in raw["favourites_words"]["en"] + raw["favourites_words"]["zh"]:
        key(name, "favourites", "all")
    return Library(raw, tracks, stations, keys)


# --- position and the state view ---------------------------------------------------------------------


def position(m: Media, now: float) -> float:
    if m.playing and m.since is not None:
        return m.position_s + max(0.0, now - m.since)
    return m.position_s


def tick(cabin: Cabin, m: Media, now: float) -> None:
    """A track that has ended moves on to the next one in the queue (radio plays on forever)."""
    if not m.playing or m.source == "radio" or m.track_id not in cabin.library.tracks:
        return
    pos = position(m, now)
    guard = 0
    while pos >= cabin.library.tracks[m.track_id]["duration_s"] and guard < 1000:
        pos -= cabin.library.tracks[m.track_id]["duration_s"]
        _step_queue(cabin, m, +1)
        guard += 1
    if guard:
        m.position_s, m.since = pos, now


def sound_item(cabin: Cabin, m: Media) -> dict[str, Any] | None:
    """What the player synthesises: the track, or the station (its sound from its genre)."""
    lib = cabin.library
    if m.source == "radio" and m.station_id in lib.stations:
        st = lib.stations[m.station_id]
        h = sum(map(ord, st["id"]))
        return {
            "id": st["id"],
            "bpm": 70 + h % 50,
            "key": 55 + h % 12,
            "genre": st["genre"],
            "mood": st["mood"],
        }
    if m.source != "radio" and m.track_id in lib.tracks:
        t = lib.tracks[m.track_id]
        return {k: t[k] for k in ("id", "bpm", "key", "genre", "mood")}
    return None


def view(cabin: Cabin, m: Media, now: float) -> dict[str, Any]:
    lib = cabin.library
    track = lib.track_view(m.track_id, m.favourites) if m.track_id in lib.tracks else None
    station = lib.station_view(m.station_id, m.favourites) if m.station_id in lib.stations else None
    pos = position(m, now)
    out: dict[str, Any] = {
        "source": m.source,
        "playing": m.playing,
        "track": track if m.source != "radio" else None,
        "station": station if m.source == "radio" else None,
        "position_s": round(pos, 1),
        "duration_s": track["duration_s"] if track and m.source != "radio" else None,
        "progress": round(min(pos / track["duration_s"], 1.0), 3) if track and m.source != "radio" else None,
        "volume": m.volume,
        "ducked": cabin.ducked,
        "favourites": list(m.favourites),
        "queue_length": len(m.queue),
        "library": "demo",
        "simulated": True,
    }
    if m.source == "bluetooth":
        out["bluetooth_device"] = lib.raw["bluetooth_device"]
    return out


def sanitize(cabin: Cabin, m: Media, bad: list[str]) -> None:
    """Drop saved ids the library no longer has (an older library file)."""
    lib = cabin.library
    if m.source not in ("library", "radio", "bluetooth"):
        m.source = "library"
        bad.append("media.source")
    if m.track_id is not None and m.track_id not in lib.tracks:
        m.track_id, m.playing = None, False
        bad.append("media.track_id")
    if m.station_id is not None and m.station_id not in lib.stations:
        m.station_id = None
        bad.append("media.station_id")
    known = set(lib.tracks) | set(lib.stations)
    m.favourites = [f for f in m.favourites if f in known]
    m.queue = [q for q in m.queue if q in lib.tracks]
    m.queue_index = min(max(m.queue_index, 0), max(len(m.queue) - 1, 0))


# --- commands ----------------------------------------------------------------------------------------


def _start_track(cabin: Cabin, m: Media, queue: list[str], index: int = 0) -> None:
    now = cabin.clock()
    m.queue, m.queue_index = list(queue), index
    m.track_id = queue[index]
    m.position_s, m.since, m.playing = 0.0, now, True
    m.paused_for_call = False
    if m.source == "radio":
        m.source = "library"


def _start_station(cabin: Cabin, m: Media, sid: str) -> None:
    m.source, m.station_id = "radio", sid
    m.position_s, m.since, m.playing = 0.0, cabin.clock(), True
    m.paused_for_call = False


def _step_queue(cabin: Cabin, m: Media, step: int) -> None:
    if not m.queue:
        m.queue = list(cabin.library.tracks)
        m.queue_index = m.queue.index(m.track_id) if m.track_id in m.queue else 0
    m.queue_index = (m.queue_index + step) % len(m.queue)
    m.track_id = m.queue[m.queue_index]


def _now_playing(cabin: Cabin, m: Media, verb: tuple[str, str] = ("Playing", "正在播放")) -> Outcome:
    lib = cabin.library
    if m.source == "radio" and m.station_id in lib.stations:
        st = lib.stations[m.station_id]
        return Outcome(
            f"{verb[0]} {st['name_en']}, {st['frequency']} (simulated radio)",
            f"{verb[1]}{st['name_zh']} {st['frequency']}（模拟电台）",
            data={"station": lib.station_view(m.station_id, m.favourites)},
            undoable=False,
        )
    t = lib.track_view(m.track_id, m.favourites)
    where = (" over Bluetooth (simulated)", "（蓝牙，模拟）") if m.source == "bluetooth" else ("", "")
    return Outcome(
        f"{verb[0]} {t['title_en']} by {t['artist_en']} (demo library){where[0]}",
        f"{verb[1]}{t['artist_zh']}的《{t['title_zh']}》（演示曲库）{where[1]}",
        data={"track": t},
        undoable=False,
    )


def _not_found(text: str) -> CabinError:
    # Drivers ask for real artists; the demo library has only invented ones, so say what does work.
    return CabinError(
        "not_found",
        f"I couldn't find '{text}' in the demo library or the radio stations. The demo library has "
        "only invented artists; try a genre or a mood, like jazz or something calm",
        f"演示曲库和电台里没有找到“{text}”。演示曲库里只有虚构的歌手，可以按风格或心情播放，比如爵士或轻松的音乐",
        {"query": text},
    )


def play(
    cabin: Cabin,
    s: CabinState,
    query: str | None = None,
    title: str | None = None,
    artist: str | None = None,
    genre: str | None = None,
    mood: str | None = None,
    station: str | None = None,
    favourites: Any = None,
    source: str | None = None,
    **_: Any,
) -> Outcome:
    m, lib = s.media, cabin.library
    if source:
        src_ctl = cabin.control("media.source")
        m.source, _clamped = cabin._coerce(src_ctl, source)
    if favourites in (True, "true", "1", "yes"):
        return _play_favourites(cabin, m)
    if query and lib.match(query, ("favourites",)):
        return _play_favourites(cabin, m)
    if query:  # "radio", "蓝牙" alone pick the source
        try:
            src, _c = cabin._coerce(cabin.control("media.source"), query)
        except CabinError:
            src = None
        if src is not None:
            m.source = src
            query = None
    found: dict[str, set[str]] = {}
    for kind, text in (
        ("title", title),
        ("artist", artist),
        ("genre", genre),
        ("mood", mood),
        ("station", station),
    ):
        if text:
            hit = lib.match(text, (kind,))
            if not hit:
                raise _not_found(text)
            found.update(hit)
    if query:
        hit = lib.match(query)
        if not hit and _any_music(lib, query):
            query = None  # "随便放点歌", "play some music": songs, so the library (or Bluetooth)
            if m.source == "radio" and source != "radio":
                m.source = "library"
        elif not hit:
            raise _not_found(query)
        for kind, values in hit.items():
            found.setdefault(kind, values)
    if "station" in found and (m.source == "radio" or not (set(found) & {"title", "artist"})):
        sid = sorted(found["station"], key=list(lib.stations).index)[0]
        _start_station(cabin, m, sid)
        return _now_playing(cabin, m)
    if source == "radio" and found and set(found) <= {"genre", "mood"}:
        # "来点爵士" with the radio asked for: a station of that genre, if there is one.
        for sid, st in lib.stations.items():
            if st["genre"] in found.get("genre", {st["genre"]}) and st["mood"] in found.get(
                "mood", {st["mood"]}
            ):
                _start_station(cabin, m, sid)
                return _now_playing(cabin, m)
    if found:
        queue = lib.tracks_for(found)
        if not queue:
            raise _not_found(query or title or artist or genre or mood or "")
        if len(queue) == 1:  # one song asked for: then its artist, then the rest of the library
            artist_id = lib.tracks[queue[0]]["artist"]
            rest = [t for t in lib.tracks if t != queue[0]]
            queue += [t for t in rest if lib.tracks[t]["artist"] == artist_id]
            queue += [t for t in rest if lib.tracks[t]["artist"] != artist_id]
        _start_track(cabin, m, queue)
        if source == "bluetooth":
            m.source = "bluetooth"
        return _now_playing(cabin, m)
    # Nothing asked for: carry on with what was there, or start the source from the top.
    if m.source == "radio":
        _start_station(cabin, m, m.station_id or next(iter(lib.stations)))
        return _now_playing(cabin, m)
    if m.track_id in lib.tracks and not m.playing:
        return resume(cabin, s)
    if m.track_id in lib.tracks:
        return _now_playing(cabin, m)
    keep = m.source
    _start_track(cabin, m, list(lib.tracks))
    m.source = keep
    return _now_playing(cabin, m)


def _any_music(lib: Library, text: str) -> bool:
    q = norm(text)
    words = [
        norm(w)
        for w in lib.raw.get("any_words", {}).get("en", []) + lib.raw.get("any_words", {}).get("zh", [])
    ]
    # A one-character word ("歌") counts only as the whole request: inside "周杰伦的歌" it would turn
    # an artist the library lacks into "play anything" instead of saying so.
    return any((f" {w} " in f" {q} ") if w.isascii() else (w in q if len(w) > 1 else w == q) for w in words)


def _play_favourites(cabin: Cabin, m: Media) -> Outcome:
    tracks = [f for f in m.favourites if f in cabin.library.tracks]
    if not tracks:
        stations = [f for f in m.favourites if f in cabin.library.stations]
        if stations:
            _start_station(cabin, m, stations[0])
            return _now_playing(cabin, m)
        raise CabinError(
            "not_found",
            "There are no favourites yet. Say 'add this to favourites' while a song plays.",
            "还没有收藏的歌曲。播放时说“收藏这首”即可收藏。",
        )
    _start_track(cabin, m, tracks)
    return _now_playing(cabin, m)


def pause(cabin: Cabin, s: CabinState, **_: Any) -> Outcome:
    m = s.media
    if not m.playing:
        return Outcome("The media is already paused", "已经暂停了", undoable=False)
    m.position_s, m.since, m.playing = position(m, cabin.clock()), None, False
    m.paused_for_call = False
    return Outcome("Paused", "已暂停", undoable=False)


def resume(cabin: Cabin, s: CabinState, **_: Any) -> Outcome:
    m = s.media
    if m.playing:
        return _now_playing(cabin, m, ("Already playing", "正在播放"))
    if m.source == "radio":
        _start_station(cabin, m, m.station_id or next(iter(cabin.library.stations)))
        return _now_playing(cabin, m)
    if m.track_id not in cabin.library.tracks:
        return play(cabin, s)
    m.playing, m.since, m.paused_for_call = True, cabin.clock(), False
    return _now_playing(cabin, m, ("Resuming", "继续播放"))


def _skip(cabin: Cabin, s: CabinState, step: int) -> Outcome:
    m, lib = s.media, cabin.library
    if m.source == "radio":
        ids = list(lib.stations)
        i = ids.index(m.station_id) if m.station_id in ids else 0
        _start_station(cabin, m, ids[(i + step) % len(ids)])
        return _now_playing(cabin, m)
    if m.track_id not in lib.tracks:
        return play(cabin, s)
    _step_queue(cabin, m, step)
    m.position_s, m.since, m.playing = 0.0, cabin.clock(), True
    return _now_playing(cabin, m)


def next_(cabin: Cabin, s: CabinState, **_: Any) -> Outcome:
    return _skip(cabin, s, +1)


def previous(cabin: Cabin, s: CabinState, **_: Any) -> Outcome:
    return _skip(cabin, s, -1)


def _current_id(cabin: Cabin, m: Media) -> str:
    cid = m.station_id if m.source == "radio" else m.track_id
    if cid is None:
        raise CabinError(
            "nothing_playing", "Nothing is playing to add to favourites", "当前没有正在播放的内容"
        )
    return cid


def favourite(cabin: Cabin, s: CabinState, **_: Any) -> Outcome:
    m = s.media
    cid = _current_id(cabin, m)
    name = _name(cabin, cid)
    if cid in m.favourites:
        return Outcome(f"{name[0]} is already a favourite", f"{name[1]}已经在收藏里了", undoable=False)
    m.favourites.append(cid)
    return Outcome(f"Added {name[0]} to favourites", f"已收藏{name[1]}", undoable=False)


def unfavourite(cabin: Cabin, s: CabinState, **_: Any) -> Outcome:
    m = s.media
    cid = _current_id(cabin, m)
    name = _name(cabin, cid)
    if cid not in m.favourites:
        return Outcome(f"{name[0]} is not a favourite", f"{name[1]}不在收藏里", undoable=False)
    m.favourites.remove(cid)
    return Outcome(f"Removed {name[0]} from favourites", f"已取消收藏{name[1]}", undoable=False)


def _name(cabin: Cabin, cid: str) -> tuple[str, str]:
    lib = cabin.library
    if cid in lib.stations:
        st = lib.stations[cid]
        return st["name_en"], st["name_zh"]
    t = lib.tracks[cid]
    return f"'{t['title_en']}'", f"《{t['title_zh']}》"


HANDLERS = {
    "media.play": play,
    "media.pause": pause,
    "media.resume": resume,
    "media.next": next_,
    "media.previous": previous,
    "media.favourite": favourite,
    "media.unfavourite": unfavourite,
}

"""Spoken replies: the schema's templates filled from each call's RESULT.

Every name and number a reply says comes from the world's or the cabin's result (the cabin's
Change carries its own bilingual message), never from the model; the template is chosen by the
result's kind and the request's language. One reply covers all calls of a turn.
"""

from __future__ import annotations

from typing import Any


def place_name(item: dict[str, Any] | None, lang: str) -> str:
    if not item:
        return ""
    if lang == "zh":
        return item.get("name_zh") or item.get("name") or item.get("name_en") or ""
    name = item.get("name_en") or item.get("name") or item.get("name_zh") or ""
    return _romanised(name)


def _romanised(name: str) -> str:
    """A place the map names in Chinese only, said in an English reply: its pinyin (the same name,
    readable by an English voice), so an English answer stays English."""
    from app.agent.text import has_cjk

    if not has_cjk(name):
        return name
    from app.pinyin import lazy_pinyin

    out = ""
    for piece in lazy_pinyin(name):
        if piece.isalpha() and piece.isascii():
            out += (" " if out and out[-1] not in "( " else "") + piece.capitalize()
        else:
            out += piece.replace("(", " (").replace("（", " (").replace("）", ")")
    return out.strip()


def minutes(seconds: float) -> int:
    return max(1, round((seconds or 0) / 60))


def distance(metres: float, lang: str) -> str:
    metres = metres or 0
    if metres >= 1000:
        km = f"{metres / 1000:.1f}".rstrip("0").rstrip(".")
        return f"{km}公里" if lang == "zh" else f"{km} km"
    m = int(round(metres / 10) * 10)
    return f"{m}米" if lang == "zh" else f"{m} m"


def _names(items: list[dict[str, Any]], lang: str, n: int = 3) -> str:
    return ("、" if lang == "zh" else ", ").join(place_name(i, lang) for i in items[:n])


def _category(b: Any, key: str | None, lang: str) -> str:
    c = b.categories.get(key or "") or {}
    word = c.get("zh" if lang == "zh" else "en") or key or ("地点" if lang == "zh" else "places")
    return word if lang == "zh" or word.isupper() else word[0].lower() + word[1:]  # "ATM" stays


def compose(b: Any, tool: str, args: dict[str, Any], result: dict[str, Any] | None, lang: str) -> str:
    r = result or {}
    kind = r.get("kind")
    zh = lang == "zh"
    say = lambda k, **f: b.reply(k, lang, **f)  # noqa: E731
    if kind == "route":
        name = place_name(r["destination"], lang)
        if r.get("beyond_map") and r.get("straight_km"):
            return say("route_beyond_map", name=name, straight_km=round(r["straight_km"]))
        key = "route_from_car" if r.get("from_car") else "route"
        return say(key, name=name, distance=distance(r["distance_m"], lang), minutes=minutes(r["eta_s"]))
    if kind == "prefer":
        return say("prefer", prefer=b.label("prefer", r["prefer"], lang), minutes=minutes(r["eta_s"]))
    if kind == "confirm":
        items = r.get("items") or []
        if r.get("reason") == "far_away" and items:
            return say(
                "confirm_far", name=place_name(items[0], lang), straight_km=round(r.get("straight_km") or 0)
            )
        opts = ("还是" if zh else " or ").join(place_name(i, lang) for i in items[:3])
        return say("confirm", options=opts)
    if kind == "not_found":
        return say("not_found", query=r["query"])
    if kind == "stop":
        detour = minutes(r.get("detour_s") or 0)
        return say("stop", name=place_name(r["place"], lang), detour=detour)
    if kind in ("stop_removed", "no_route", "route_cancelled", "undo_none"):
        return say(kind)
    if kind == "map_view":
        return say("map_view", view=b.label("view", r["view"], lang))
    if kind == "parking":
        items = _rotated(r)
        if not items:
            return say("places_none", what=_category(b, "parking", lang))
        first = items[0]
        return say(
            "parking", name=place_name(first, lang), walk=distance(first["walk_m"], lang), free=first["free"]
        )
    if kind == "restaurants":
        items = _rotated(r)
        if not items:
            return say("places_none", what=_category(b, "restaurant", lang))
        return say(
            "restaurants", count=len(items), names=_names(items, lang), first=place_name(items[0], lang)
        )
    if kind == "places":
        items = _rotated(r)
        if not items:
            return say("places_none", what=_category(b, r.get("category"), lang))
        # The world searched another category for this one (no pharmacies in the map data -> the
        # hospitals): its own bilingual note says so first.
        asked = b.categories.get(r.get("asked") or "") or {}
        note = (
            asked.get("note_zh" if zh else "note_en") if items[0].get("category") != r.get("asked") else None
        )
        prefix = (note + ("" if zh else " ")) if note else ""
        if r.get("no_route"):
            prefix = say("places_no_route") + ("" if zh else " ") + prefix
        # The category word in the reply's language: names may exist in one language only.
        what = _category(b, items[0].get("category") or r.get("category"), lang)
        # Mandarin names only the nearest: many map places have English names only, and a list of
        # them would turn a Mandarin answer into an English one.
        first = place_name(items[0], lang)
        if r.get("within_radius") is False:
            return prefix + say("places_far", what=what, names=_names(items, lang), first=first)
        return prefix + say("places", count=len(items), what=what, names=_names(items, lang), first=first)
    if kind == "signal":
        phase = r.get("phase")
        if phase in (None, "unknown") or r.get("time_to_change_s") is None:
            return say("signal_none")
        lo, hi = r.get("advice_kmh_min"), r.get("advice_kmh_max")
        p = b.label("phase", phase, lang)
        if lo is not None and hi is not None:
            return say("signal_wave", phase=p, seconds=r["time_to_change_s"], lo=round(lo), hi=round(hi))
        return say("signal", phase=p, seconds=r["time_to_change_s"])
    if kind == "trip":
        if not r.get("active"):
            return say("trip_none")
        name, dist, mins = (
            place_name(r["destination"], lang),
            distance(r["distance_left_m"], lang),
            minutes(r["eta_s"]),
        )
        cong = r.get("congestion") or {}
        traffic = cong.get("text_zh" if zh else "text_en") or cong.get("level")
        if r.get("ask") == "traffic" and traffic:
            return say("trip_traffic", traffic=traffic, distance=dist, minutes=mins)
        return say("trip", name=name, distance=dist, minutes=mins)
    if kind == "cabin":
        ch = r["change"]
        return say("cabin", message=ch.get("message_zh" if zh else "message_en") or "")
    if kind == "cabin_question":
        return say("cabin_question", message=r.get("message_zh" if zh else "message_en") or "")
    if kind == "weather":
        return say("weather")
    if kind == "chat":
        return say(r["topic"])
    if kind == "failed":
        return say("failed")
    if kind == "error" and r.get("missing") == "control":
        return say("missing_arg", what="设置" if zh else "setting")
    return say("error")


def _rotated(r: dict[str, Any]) -> list[dict[str, Any]]:
    items = r.get("items") or []
    cur = r.get("cursor", 0)
    return items[cur:] + items[:cur]  # the proposed one first


def join(parts: list[str], lang: str) -> str:
    """One reply for all calls, in order; repeated sentences (two 'failed') said once."""
    seen: list[str] = []
    for p in parts:
        p = (p or "").strip()
        if p and p[-1] not in ".!?。！？":  # the cabin's messages come without a full stop
            p += "。" if lang == "zh" else "."
        if p and p not in seen:
            seen.append(p)
    return ("" if lang == "zh" else " ").join(seen)

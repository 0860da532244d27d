"""The place-category vocabulary, read from assets/world/categories.json (data, not code).

    canonical("加油站") -> "fuel";  canonical("gas station") -> "fuel";  canonical("xyz") -> None

Each entry: key, en, zh, synonyms_en, synonyms_zh, kinds (the store kinds that hold it), fallback
(searched instead when the data has none) and an honest note_en/note_zh about the data behind it.
"""

from __future__ import annotations

import json
from functools import cache

from app.world import data, names

# Words around a category in a request that are not part of it ("the nearest hospital", "附近的医院").
_PREFIXES = (
    "nearest ",
    "closest ",
    "a ",
    "an ",
    "the ",
    "some ",
    "附近的",
    "最近的",
    "附近",
    "最近",
    "一个",
    "一家",
)
_SUFFIXES = ("附近", "在哪里", "在哪儿", "在哪", " nearby", " near me", " around here")


@cache
def _doc() -> dict:
    return json.loads((data.ASSET_DIR / "categories.json").read_text(encoding="utf-8"))


def all() -> list[dict]:  # noqa: A001 - the contract's name (categories.all())
    """Every category: {key, en, zh, synonyms_en, synonyms_zh, kinds, fallback, note_en, note_zh}."""
    return [dict(c) for c in _doc()["categories"]]


VOCAB: list[dict] = all()
KEYS: tuple[str, ...] = tuple(c["key"] for c in VOCAB)
BY_KEY: dict[str, dict] = {c["key"]: c for c in VOCAB}


@cache
def _word_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for c in VOCAB:
        for w in (c["key"], c["en"], c["zh"], *c["synonyms_en"], *c["synonyms_zh"]):
            out.setdefault(names.normalize(w), c["key"])
    return out


def canonical(word: str | None) -> str | None:
    """A category word in English or Chinese (key, name or synonym) -> its key, or None."""
    if not word:
        return None
    index = _word_index()
    w, prev = word.strip().lower(), None
    while w != prev:
        prev = w
        for p in _PREFIXES:
            w = w.removeprefix(p)
        for s in _SUFFIXES:
            w = w.removesuffix(s)
    key = names.normalize(w)
    # Plurals not listed: "pharmacies" -> "pharmacy", "supermarkets" -> "supermarket".
    for cand in (key, key[:-3] + "y" if key.endswith("ies") else key, key.removesuffix("s")):
        if cand in index:
            return index[cand]
    return None


def name_kinds() -> dict[str, list[str]]:
    """Kind words ("road", "路", "airport", "机场", ...) by kind, for the same-kind rule of World.find."""
    return {k: v for k, v in _doc()["name_kinds"].items() if k != "note"}

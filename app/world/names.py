"""Name normalisation for place lookup: one search key per way of writing a name.

A Chinese name gets its pinyin (外滩 -> "waitan"), a traditional one its simplified form; English
names lose case, punctuation, a leading "the" and common abbreviations.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from app.pinyin import lazy_pinyin

try:
    import opencc

    _t2s = opencc.OpenCC("t2s").convert
except Exception:  # optional: only adds simplified keys for traditional-script names
    _t2s = None

_ABBREV = [
    (r"\brd\b", "road"),
    (r"\bst\b", "street"),
    (r"\bave?\b", "avenue"),
    (r"\bsq\b", "square"),
    (r"\bno\.?\s*(\d)", r"\1"),
    (r"\b1st\b", "1"),
    (r"\b2nd\b", "2"),
]
# Words around a place name in a spoken request ("外滩附近", "near the Bund"): not part of the name.
_FILLER_ZH = re.compile(r"(附近|周边|旁边|一带|那边|这边|的)+$")
_FILLER_EN = re.compile(r"^(near|around|nearby|to|at)\s+|\s+(area|nearby)$")
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")


# A house number the map has no data for: "延安东路100号", "100 Yan'an East Road", "No. 5 Jiangsu Rd".
_HOUSE_ZH = re.compile(r"\s*\d+\s*(号|號|弄)?\s*$")
_HOUSE_EN = re.compile(r"^\s*(no\.?\s*)?\d+[a-z]?\s*,?\s+", re.IGNORECASE)


def strip_house_number(text: str) -> str:
    """The street of an address whose house number the map does not know; text unchanged otherwise."""
    t = _HOUSE_ZH.sub("", text.strip())
    t = _HOUSE_EN.sub("", t)
    return t.strip() or text


def strip_filler(text: str) -> str:
    t = text.strip()
    t = _FILLER_ZH.sub("", t)
    t = _FILLER_EN.sub("", t.lower()) if t.isascii() else t
    return t.strip() or text.strip()


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower().strip()
    t = t.replace("’", "'").replace("&", " and ")
    t = re.sub(r"^the\s+", "", t)
    for pattern, repl in _ABBREV:
        t = re.sub(pattern, repl, t)
    return re.sub(r"[\W_]+", "", t)


def keys_for(label: str) -> set[str]:
    keys = {normalize(label)}
    if _HAS_CJK.search(label):
        simplified = _t2s(label) if _t2s else label
        keys.add(normalize(simplified))
        keys.add(normalize("".join(lazy_pinyin(simplified))))
    return {k for k in keys if k}


def is_cjk(text: str) -> bool:
    return bool(_HAS_CJK.search(text))

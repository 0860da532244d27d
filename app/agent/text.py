"""Small text helpers shared by the agent's modules: language detection and normalisation."""

from __future__ import annotations

import re
import unicodedata

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str, hint: str | None = None) -> str:
    """'zh' or 'en' from the share of CJK characters among letters.

    Mixed input ("导航到 Xintiandi") counts as Mandarin when its Chinese carries the
    sentence: a Mandarin speaker naming a place in English still wants a Mandarin
    answer, while "play 周杰伦 songs" is an English request.
    """
    cjk = len(_CJK.findall(text))
    latin_words = len(re.findall(r"[A-Za-z]+", text))
    if cjk == 0 and latin_words == 0:
        return hint if hint in ("zh", "en") else "en"
    # A Latin word carries about as much as one and a half Chinese characters.
    return "zh" if cjk >= 1.5 * latin_words else "en"


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def norm(text: str) -> str:
    """Lower-case, NFKC (full-width -> ASCII), no punctuation or articles: for comparing slot strings."""
    t = unicodedata.normalize("NFKC", text).lower().strip()
    t = re.sub(r"[\s\.,!?;:'\"“”‘’，。！？、；：（）()\[\]]+", " ", t).strip()
    t = re.sub(r"^(the|a|an)\s+", "", t)
    return t


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit]

"""Pinyin lexicon correction for Mandarin transcripts.

Whisper base often writes a Mandarin command with the right sounds and the wrong
characters (导航到外滩 -> 道行道外摊, 停车场 -> 停车厂). The usual fix in Chinese
in-car recognition is to correct the transcript against the domain's vocabulary
by pinyin.

Lexicon: the world's Chinese place names (landmarks and their aliases,
aliases.json, named roads from roads.geojson), a general in-car command
vocabulary (COMMAND_WORDS) and the Chinese cuisine words of app.world.cuisine.
Each term of 2+ characters is stored under its toneless pinyin (pypinyin,
phrase-aware). Different terms with the same pinyin (陕西南路 / 山西南路) are
ambiguous and corrected to neither. Restaurant names are left out: on the
measured sets they corrected nothing and only add risk.

Matching, in each run of Chinese characters (Latin, digits and punctuation are never touched):
- A window matches a term when every character can be read as the term's
  syllable: its reading in context, its usual reading, or a reading it has in a
  word of pypinyin's phrase dictionary (行 hang as in 银行; not the rare 找 hua).
- Longest terms first, non-overlapping. Characters that already spell a term
  are never changed.
- Guards against correcting ordinary speech, each measured on 3,200 correct
  CrossWOZ/agent-eval sentences (236 changed with none of them, 6 with all):
  a 2-character window keeps one of its characters (手撕 is not 寿司); a reading
  other than the one in context only counts in 3+ character windows and never
  for particles (的一个 is not 第一个); a window may not start or end inside a
  dictionary word of the heard text (失重餐厅 keeps 重); a heard dictionary word
  read exactly like the term is kept (美食 stays, not 美式).
- No fuzzy initials or finals (z/zh, an/ang, ...): they fixed none of the
  benchmark's errors and added false corrections (docs/voice.md).

The lexicon is built once per process, in the recogniser's constructor (0.6-1.2 s
with pypinyin's dictionaries, on the loading thread); a correction takes 0.1-0.5 ms.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

log = logging.getLogger(__name__)

CJK_RUN = re.compile(r"[\u3400-\u9fff]+")

# General in-car command vocabulary (navigation, places to look for, the route, choices).
COMMAND_WORDS: tuple[str, ...] = (
    "导航",
    "导航到",
    "导航去",
    "开始导航",
    "取消导航",
    "停止导航",
    "带我去",
    "目的地",
    "路线",
    "路况",
    "附近",
    "周边",
    "沿途",
    "停车场",
    "停车位",
    "加油站",
    "充电站",
    "充电桩",
    "服务区",
    "咖啡",
    "咖啡店",
    "餐厅",
    "餐馆",
    "饭店",
    "红绿灯",
    "还有多久",
    "还有多远",
    "还要多久",
    "换一个",
    "换一家",
    "第一个",
    "第二个",
    "第三个",
    "最近的",
    "地铁站",
    "火车站",
    "出租车",
    "公交站",
    "机场",
    "高速",
    "收费站",
    "卫生间",
    "洗手间",
    "厕所",
    "医院",
    "药店",
    "银行",
    "超市",
    "便利店",
    "酒店",
    "景点",
)


# Grammatical characters whose other readings (的 di, 和 huo, 了 liao) Whisper does not mean.
PARTICLES = frozenset("的地得了着和都还为么吗呢吧啊哪那这个一不")

# Longest dictionary word looked at when finding word interiors.
MAX_WORD = 6


def _word_interiors(run: str) -> set[int]:
    """Positions strictly inside a word of pypinyin's phrase dictionary found in the run."""
    from app.pinyin import phrases

    inside: set[int] = set()
    for a in range(len(run)):
        for b in range(a + 2, min(len(run), a + MAX_WORD) + 1):
            if run[a:b] in phrases:
                inside.update(range(a + 1, b))
    return inside


def _toneless(word: str) -> tuple[str, ...]:
    from app.pinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))


@cache
def _attested() -> dict[str, frozenset[str]]:
    """Each character's toneless readings that occur in a word of pypinyin's phrase dictionary.

    A character's rare dictionary readings (找 hua, 不 fu, 它 yi) would let ordinary
    words match place names; the readings used in real words (行 hang in 银行) stay.
    """
    from app.pinyin import phrases, to_normal

    seen: dict[str, set[str]] = {}
    for word, readings in phrases.items():
        if len(word) == len(readings):
            for ch, r in zip(word, readings, strict=True):
                seen.setdefault(ch, set()).add(to_normal(r[0]))
    return {ch: frozenset(r) for ch, r in seen.items()}


@lru_cache(maxsize=8192)
def _readings(ch: str) -> frozenset[str]:
    """A character's usual toneless reading plus the ones it has in dictionary words."""
    return frozenset(_toneless(ch)) | _attested().get(ch, frozenset())


def _is_cjk_term(term: str) -> bool:
    return len(term) >= 2 and CJK_RUN.fullmatch(term) is not None


@dataclass
class Lexicon:
    """Terms indexed by toneless pinyin. Build with `Lexicon.from_terms` or use `default_lexicon()`."""

    terms: frozenset[str] = frozenset()
    by_key: dict[tuple[str, ...], str] = field(default_factory=dict)
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    lengths: tuple[int, ...] = ()
    ambiguous: dict[tuple[str, ...], set[str]] = field(default_factory=dict)

    @classmethod
    def from_terms(cls, terms: Iterable[str]) -> Lexicon:
        clean = frozenset(t for t in (t.strip() for t in terms) if _is_cjk_term(t))
        groups: dict[tuple[str, ...], set[str]] = {}
        for term in clean:
            key = _toneless(term)
            if len(key) == len(term):
                groups.setdefault(key, set()).add(term)
        by_key = {k: next(iter(v)) for k, v in groups.items() if len(v) == 1}
        ambiguous = {k: v for k, v in groups.items() if len(v) > 1}
        by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for key, term in by_key.items():
            by_first.setdefault(key[0], []).append((key, term))
        for entries in by_first.values():
            entries.sort(key=lambda e: -len(e[0]))
        return cls(
            terms=clean,
            by_key=by_key,
            by_first=by_first,
            lengths=tuple(sorted({len(t) for t in clean}, reverse=True)),
            ambiguous=ambiguous,
        )

    def correct(self, text: str) -> str:
        if not text or not self.by_key:
            return text
        return CJK_RUN.sub(lambda m: self._correct_run(m.group()), text)

    def _correct_run(self, run: str) -> str:
        n = len(run)
        if n < 2:
            return run
        # Characters that already spell a term stay as they are.
        protected = [False] * n
        for i in range(n):
            for length in self.lengths:
                if i + length <= n and run[i : i + length] in self.terms:
                    for j in range(i, i + length):
                        protected[j] = True
        context = _toneless(run)
        if len(context) != n:
            context = tuple(r for c in run for r in (_toneless(c) or ("",))[:1])
        reads = [_readings(c) | {r} for c, r in zip(run, context, strict=True)]
        cuts = _word_interiors(run)
        candidates = []
        for i in range(n):
            for first in reads[i]:
                for key, term in self.by_first.get(first, ()):
                    length = len(key)
                    if i + length > n or run[i : i + length] == term:
                        continue
                    if not all(key[j] in reads[i + j] for j in range(1, length)):
                        continue
                    # A window may not start or end inside a dictionary word of what was heard (失重餐厅).
                    if i in cuts or i + length in cuts:
                        continue
                    # Another reading than the one in context only counts in 3+ character windows,
                    # and never for grammatical particles (的一个 is not 第一个).
                    other = [j for j in range(length) if run[i + j] != term[j] and key[j] != context[i + j]]
                    if other and (length < 3 or any(run[i + j] in PARTICLES for j in other)):
                        continue
                    # Two characters that both change are too often another real word (手撕 -> 寿司).
                    if length == 2 and run[i] != term[0] and run[i + 1] != term[1]:
                        continue
                    candidates.append((length, i, term))
        if not candidates:
            return run
        out = list(run)
        used = [False] * n
        for length, i, term in sorted(set(candidates), key=lambda c: (-c[0], c[1])):
            span = range(i, i + length)
            if any(used[j] for j in span):
                continue
            if any(protected[j] and run[j] != term[j - i] for j in span):
                continue
            if _known_homophone(run[i : i + length], _toneless(term)):
                continue
            for j in span:
                out[j] = term[j - i]
                used[j] = True
        return "".join(out)


def _known_homophone(heard: str, key: tuple[str, ...]) -> bool:
    """True when the heard window is itself a dictionary word read exactly as the term.

    Such a word (美食 for the cuisine word 美式) is as likely as the term from the
    sound alone, so it is kept. The dictionary is pypinyin's phrase list.
    """
    from app.pinyin import phrases

    # lazy_pinyin reads a listed word with its dictionary reading.
    return heard in phrases and _toneless(heard) == key


def world_terms() -> list[str]:
    """Chinese names from the world assets: landmarks (+ aliases), aliases.json, named roads."""
    from app.voice.text import to_simplified
    from app.world.data import ASSET_DIR, load_aliases, load_landmarks

    names: list[str] = []
    for place in load_landmarks():
        names += [place.get("zh") or "", *place.get("aliases", [])]
    for key, values in load_aliases().items():
        if key.startswith("road:"):
            names.append(key[len("road:") :])
        names += values
    roads = json.loads((ASSET_DIR / "roads.geojson").read_text(encoding="utf-8"))
    for f in roads["features"]:
        p = f["properties"]
        names += [p.get("name") or "", p.get("name:zh") or ""]
    return [to_simplified(n) for n in names if n and CJK_RUN.search(n)]


def cuisine_terms() -> list[str]:
    from app.world.cuisine import VOCAB

    return [w for words in VOCAB.values() for w in words if CJK_RUN.search(w)]


def command_terms(language: str = "zh") -> list[str]:
    """The car's cabin, media and phone words from assets/voice/command_words.json.

    Curated, not pulled from the cabin spec or the place categories: their synonyms include
    everyday words (吃的, 好德, 花园), and with them 497 of 2,787 correct Mandarin sentences were
    "corrected" (吃得 → 吃的, 好的 → 好德). This file added none (docs/voice.md).
    """
    from app import paths

    try:
        doc = json.loads((paths.ROOT / "assets" / "voice" / "command_words.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("no command words file: %s", exc)
        return []
    words = doc.get(language, [])
    if language == "zh":
        return [w for w in words if len(w) >= 2 and CJK_RUN.fullmatch(w)]
    return [w for w in words if w and not CJK_RUN.search(w)]


@cache
def default_lexicon() -> Lexicon:
    terms = list(COMMAND_WORDS) + cuisine_terms() + command_terms("zh")
    try:
        terms += world_terms()
    except Exception as exc:  # the world is optional for recognition; commands and cuisines still work
        log.warning("no world names for the Mandarin lexicon: %s", exc)
    lexicon = Lexicon.from_terms(terms)
    lexicon.correct("导航")  # loads pypinyin's dictionaries now rather than on the first transcript
    return lexicon


def correct(text: str) -> str:
    """Replaces homophone misrecognitions of domain terms in a Mandarin transcript."""
    return default_lexicon().correct(text)

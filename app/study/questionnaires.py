"""Questionnaire scoring: SUS, NASA-TLX (raw and weighted), SASSI, the Single Ease Question.

Item texts (both languages) are data in assets/studies/questionnaires.yaml; this module only
checks answers and scores them. Every scorer raises ScoreError with a message that says which
answer is wrong, so a typo at the command line or in a script never becomes a silent number.
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path
from typing import Any

import yaml

from app import paths

ITEMS_FILE = paths.ASSETS / "studies" / "questionnaires.yaml"
INSTRUMENTS = ("sus", "tlx", "sassi", "seq")
TLX_SCALES = ("mental", "physical", "temporal", "performance", "effort", "frustration")
# The 15 pairwise comparisons of the weighted TLX, in a fixed order (every pair once).
TLX_PAIRS = tuple(itertools.combinations(TLX_SCALES, 2))


class ScoreError(ValueError):
    pass


@functools.cache
def items(path: Path = ITEMS_FILE) -> dict[str, Any]:
    """The bilingual item texts of every instrument."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _numbers(answers, n: int, lo: float, hi: float, name: str) -> list[float]:
    answers = list(answers)
    if len(answers) != n:
        raise ScoreError(f"{name} needs {n} answers, got {len(answers)}")
    out = []
    for i, a in enumerate(answers, 1):
        try:
            v = float(a)
        except (TypeError, ValueError):
            raise ScoreError(f"{name} item {i}: {a!r} is not a number") from None
        if not lo <= v <= hi:
            raise ScoreError(f"{name} item {i}: {a} is outside {lo:g}-{hi:g}")
        out.append(v)
    return out


def score_sus(answers) -> dict[str, Any]:
    """Brooke (1996): odd items contribute (x - 1), even items (5 - x); the sum times 2.5 -> 0-100."""
    a = _numbers(answers, 10, 1, 5, "SUS")
    total = sum((v - 1) if i % 2 == 0 else (5 - v) for i, v in enumerate(a))
    return {"instrument": "sus", "score": round(total * 2.5, 2)}


def tlx_weights_from_choices(choices) -> dict[str, int]:
    """The 15 pairwise choices (the winning scale of each pair in TLX_PAIRS) -> tallies summing to 15."""
    choices = list(choices)
    if len(choices) != len(TLX_PAIRS):
        raise ScoreError(f"TLX pairwise comparison needs {len(TLX_PAIRS)} choices, got {len(choices)}")
    tally = dict.fromkeys(TLX_SCALES, 0)
    for (a, b), pick in zip(TLX_PAIRS, choices, strict=True):
        if pick not in (a, b):
            raise ScoreError(f"TLX pair {a}/{b}: the choice must be one of the two, not {pick!r}")
        tally[pick] += 1
    return tally


def score_tlx(ratings, weights: dict[str, float] | None = None) -> dict[str, Any]:
    """Raw TLX = mean of the six ratings (0-100); weighted = sum(rating x tally) / 15.

    `ratings` is a dict by scale key or six numbers in TLX_SCALES order; `weights` the tallies
    from the 15 pairwise comparisons (see tlx_weights_from_choices), which must sum to 15.
    """
    if isinstance(ratings, dict):
        unknown = set(ratings) - set(TLX_SCALES)
        if unknown:
            raise ScoreError(f"TLX: unknown scale(s) {sorted(unknown)}; the scales are {list(TLX_SCALES)}")
        missing = [k for k in TLX_SCALES if k not in ratings]
        if missing:
            raise ScoreError(f"TLX: missing rating(s) for {missing}")
        ratings = [ratings[k] for k in TLX_SCALES]
    r = dict(zip(TLX_SCALES, _numbers(ratings, 6, 0, 100, "TLX"), strict=True))
    out: dict[str, Any] = {"instrument": "tlx", "ratings": r, "raw": round(sum(r.values()) / 6, 2)}
    if weights is not None:
        w = {k: float(weights.get(k, 0)) for k in TLX_SCALES}
        if any(v < 0 for v in w.values()) or sum(w.values()) != 15:
            raise ScoreError(f"TLX weights must be non-negative tallies summing to 15, got {w}")
        out["weights"] = w
        out["weighted"] = round(sum(r[k] * w[k] for k in TLX_SCALES) / 15, 2)
    out["score"] = out.get("weighted", out["raw"])
    return out


def score_sassi(answers, item_table: list[dict] | None = None) -> dict[str, Any]:
    """Hone & Graham (2000), 34 items on 1-7. Each factor = mean of its items after reversing the
    negatively worded ones (8 - x), so on every factor higher = better. Also the overall mean."""
    table = item_table or items()["sassi"]["items"]
    a = _numbers(answers, len(table), 1, 7, "SASSI")
    per: dict[str, list[float]] = {}
    for item, v in zip(table, a, strict=True):
        per.setdefault(item["factor"], []).append(8 - v if item.get("reverse") else v)
    factors = {k: round(sum(vs) / len(vs), 3) for k, vs in per.items()}
    everything = [v for vs in per.values() for v in vs]
    return {"instrument": "sassi", "factors": factors, "score": round(sum(everything) / len(everything), 3)}


def score_seq(answers) -> dict[str, Any]:
    (v,) = _numbers(answers if isinstance(answers, (list, tuple)) else [answers], 1, 1, 7, "SEQ")
    return {"instrument": "seq", "score": v}


def score(instrument: str, answers, **kw) -> dict[str, Any]:
    """One entry point for the log, the runner and the CLI."""
    if instrument == "sus":
        return score_sus(answers)
    if instrument == "tlx":
        weights = kw.get("weights")
        if weights is None and kw.get("choices") is not None:
            weights = tlx_weights_from_choices(kw["choices"])
        return score_tlx(answers, weights)
    if instrument == "sassi":
        return score_sassi(answers)
    if instrument == "seq":
        return score_seq(answers)
    raise ScoreError(f"unknown questionnaire {instrument!r}; known: {', '.join(INSTRUMENTS)}")

"""Reading OSM opening_hours for "open now": the common forms only, and None when unsure.

Understood: "24/7"; rules "Mo-Fr 09:00-17:00; Sa,Su 10:00-16:00"; several spans "11:00-14:30,17:00-22:00";
spans past midnight "17:30-01:00"; a rule without days applies every day; "PH" is ignored. Anything else
("Daily, 11am-late") is unreadable: `is_open` returns None and the search says the hours are unknown.
"""

from __future__ import annotations

import re

from app.world.traffic import SHANGHAI_UTC_OFFSET_S

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def _days(text: str) -> set[int] | None:
    out: set[int] = set()
    for part in text.replace(" ", "").split(","):
        if part in ("", "PH"):
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            if a not in DAYS or b not in DAYS:
                return None
            i, j = DAYS.index(a), DAYS.index(b)
            out |= {(i + k) % 7 for k in range((j - i) % 7 + 1)}
        elif part in DAYS:
            out.add(DAYS.index(part))
        else:
            return None
    return out


def _spans(text: str) -> list[tuple[int, int]] | None:
    out = []
    for part in text.replace(" ", "").split(","):
        m = _SPAN.match(part)
        if not m:
            return None
        h1, m1, h2, m2 = (int(x) for x in m.groups())
        out.append((h1 * 60 + m1, h2 * 60 + m2))
    return out


def parse(text: str | None) -> list[tuple[set[int], list[tuple[int, int]]]] | None:
    """[(weekdays 0=Mon, [(start min, end min)])], or None if the text is not understood."""
    if not text:
        return None
    t = text.strip()
    if t == "24/7":
        return [(set(range(7)), [(0, 24 * 60)])]
    rules = []
    for rule in t.split(";"):
        rule = rule.strip()
        if not rule:
            continue
        head, _, tail = rule.partition(" ")
        days = _days(head) if tail and head[:2] in DAYS else set(range(7))
        spans = _spans(tail if tail and head[:2] in DAYS else rule)
        if days is None or spans is None:
            return None
        rules.append((days, spans))
    return rules or None


def is_open(text: str | None, t: float) -> bool | None:
    """Open at epoch time t (Shanghai local time)? None when the hours are unknown or unreadable."""
    rules = parse(text)
    if rules is None:
        return None
    local = t + SHANGHAI_UTC_OFFSET_S
    minute = int(local % 86400) // 60
    weekday = (int(local // 86400) + 3) % 7  # 1970-01-01 was a Thursday
    for days, spans in rules:
        for start, end in spans:
            if end <= start:  # past midnight: today's evening part, or yesterday's night part
                if weekday in days and minute >= start:
                    return True
                if (weekday - 1) % 7 in days and minute < end:
                    return True
            elif weekday in days and start <= minute < end:
                return True
    return False

"""Simulated traffic: how congested each road is at a time of day. Nothing here is live data.

Deterministic in (road class, way id, Shanghai local time): every machine and every run gives the same
figure. The profile (docs/world.md):

- night 22:00-06:30: free flow (factor 1.0);
- daytime: main roads a little slower (primary 0.80, secondary 0.85, tertiary 0.90, others 0.95);
- rush hours 07:30-09:30 and 17:00-19:30 on main roads: primary 0.45, secondary 0.55, links 0.5-0.6,
  tertiary 0.75, smaller streets 0.90;
- 30-minute linear ramps into and out of each period, and a per-way spread of +-20 % of the
  congestion (a hash of the way id), so parallel roads differ and avoid-congestion has a choice.

factor = share of the free-flow travel speed that traffic allows; an edge's travel time is its free
time / factor.
"""

from __future__ import annotations

from app.world.signals import stable_int

SHANGHAI_UTC_OFFSET_S = 8 * 3600
RUSH_HOURS = ((7.5, 9.5), (17.0, 19.5))
DAY_HOURS = (6.5, 22.0)
RAMP_H = 0.5

DAY_FACTOR = {
    "primary": 0.80,
    "primary_link": 0.82,
    "secondary": 0.85,
    "secondary_link": 0.87,
    "tertiary": 0.90,
}
RUSH_FACTOR = {
    "primary": 0.45,
    "primary_link": 0.50,
    "secondary": 0.55,
    "secondary_link": 0.60,
    "tertiary": 0.75,
    "tertiary_link": 0.80,
}
OTHER_DAY, OTHER_RUSH = 0.95, 0.90

# (lowest factor, key, English, Chinese): the level a factor falls in.
LEVELS = (
    (0.85, "free", "free-flowing", "畅通"),
    (0.65, "slow", "slow", "缓行"),
    (0.45, "heavy", "heavy", "拥堵"),
    (0.0, "jammed", "jammed", "严重拥堵"),
)


def local_hour(t: float) -> float:
    """Shanghai clock hour (0-24, fractional) of epoch time t."""
    return ((t + SHANGHAI_UTC_OFFSET_S) % 86400) / 3600


def parse_hhmm(text: str) -> float:
    """'08:30' -> 8.5; raises ValueError with a clear message otherwise."""
    try:
        h, m = text.strip().split(":")
        hour, minute = int(h), int(m)
    except ValueError:
        raise ValueError(f"time {text!r} is not HH:MM (e.g. 08:30)") from None
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"time {text!r} is not a clock time (00:00-23:59)")
    return hour + minute / 60


def _window(hour: float, start: float, end: float) -> float:
    """1 inside [start, end], 0 outside, linear ramps of RAMP_H on both sides."""
    if start <= hour <= end:
        return 1.0
    if start - RAMP_H < hour < start:
        return (hour - (start - RAMP_H)) / RAMP_H
    if end < hour < end + RAMP_H:
        return ((end + RAMP_H) - hour) / RAMP_H
    return 0.0


def intensity(hour: float) -> tuple[float, float]:
    """(daytime 0-1, rush 0-1) at a clock hour."""
    day = _window(hour, *DAY_HOURS)
    rush = max(_window(hour, a, b) for a, b in RUSH_HOURS)
    return day, rush


def factor(highway: str, way_id: int, hour: float) -> float:
    """Share of free-flow speed on one road at a clock hour (1.0 = free, 0.3 = crawling)."""
    day, rush = intensity(hour)
    d = DAY_FACTOR.get(highway, OTHER_DAY)
    r = RUSH_FACTOR.get(highway, OTHER_RUSH)
    congestion = (1 - d) * day + (d - r) * rush
    spread = 0.8 + (stable_int("traffic", way_id) % 41) / 100  # 0.80-1.20, fixed per way
    return max(0.3, min(1.0, 1 - congestion * spread))


def level(f: float) -> dict:
    """{"level", "text_en", "text_zh"} for a factor."""
    for lowest, key, en, zh in LEVELS:
        if f >= lowest:
            return {"level": key, "text_en": en, "text_zh": zh}
    raise AssertionError("unreachable")


def summary(factors: list[float], lengths: list[float], free_s: float, eta_s: float, hour: float) -> dict:
    """The congestion figure a Route and trip_status carry: length-weighted factor, level, delay."""
    total = sum(lengths)
    mean = sum(f * n for f, n in zip(factors, lengths, strict=True)) / total if total > 0 else 1.0
    lv = level(mean)
    delay = max(0.0, eta_s - free_s)
    mins = round(delay / 60)
    return {
        **lv,
        "factor": round(mean, 3),
        "delay_s": round(delay, 1),
        "at": f"{int(hour):02d}:{int(round((hour % 1) * 60)) % 60:02d}",
        "summary_en": f"Traffic ahead is {lv['text_en']}"
        + (f", about {mins} min slower than free flow" if mins else ""),
        "summary_zh": f"前方{lv['text_zh']}" + (f"，比畅通时慢约{mins}分钟" if mins else ""),
        "simulated": True,
    }

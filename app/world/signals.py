"""Fixed-time signal plans, signal phase and timing (SPaT), and green-wave advice (GLOSA).

There is no real timing data for Shanghai's signals, so every plan is generated, deterministically,
from the signal's OSM id and the road it sits on. See docs/world.md for the rules.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from app.world.api import GreenWave, SignalState
from app.world.geo import to_xy

AMBER_S = 3.0
ALL_RED_S = 0.0
NO_DATA_PERCENT = 8  # share of signals we pretend have no live data (UI: grey icon)
PROGRESSION_KMH = 40.0  # design speed of the coordinated green wave along a corridor
GLOSA_MIN_KMH = 15.0  # slower advice than this would annoy the traffic behind
GLOSA_HORIZON_S = 300.0

# Cycle choices per corridor class: busy arterials run long cycles.
CYCLES_BY_CLASS = {
    "primary": (90, 100, 110, 120),
    "secondary": (70, 80, 90, 100),
    "tertiary": (60, 70, 80),
}
DEFAULT_CYCLES = (60, 70)


def stable_int(*parts: object) -> int:
    """Hash that is the same in every process (unlike hash(), which is salted per run)."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass(frozen=True)
class SignalPlan:
    id: str
    lat: float
    lon: float
    cycle_s: float
    green_s: float  # main-road green; the side road gets the rest minus two ambers
    offset_s: float  # main green starts when (t - offset) % cycle == 0
    has_data: bool
    corridor: str  # name of the main road the offsets are coordinated along
    # True when this node's own main road is the junction's side road: its approaches swap phases.
    swapped: bool = False

    def _local(self, t: float) -> float:
        return (t - self.offset_s) % self.cycle_s

    def phases(self, approach: str) -> list[tuple[float, float, str]]:
        """(start, end, phase) within one cycle, in plan-local time, for 'main' or 'side'."""
        g, c = self.green_s, self.cycle_s
        if (approach == "main") != self.swapped:
            return [(0.0, g, "green"), (g, g + AMBER_S, "amber"), (g + AMBER_S, c, "red")]
        side_start = g + AMBER_S + ALL_RED_S
        return [
            (0.0, side_start, "red"),
            (side_start, c - AMBER_S, "green"),
            (c - AMBER_S, c, "amber"),
        ]

    def green_len(self, approach: str) -> float:
        return next(e - s for s, e, p in self.phases(approach) if p == "green")

    def phase_at(self, t: float, approach: str = "main") -> tuple[str, float]:
        """(phase, seconds until it changes)."""
        if not self.has_data:
            return "unknown", math.inf
        local = self._local(t)
        for start, end, phase in self.phases(approach):
            if start <= local < end:
                return phase, end - local
        return "red", 0.0  # unreachable: the phases cover the cycle

    def green_windows(self, t: float, approach: str, horizon_s: float) -> list[tuple[float, float]]:
        """Green intervals [start, end) as absolute times, from t until t + horizon."""
        cycle_start = t - self._local(t)
        gs, ge = next((s, e) for s, e, p in self.phases(approach) if p == "green")
        out = []
        k = 0
        while cycle_start + k * self.cycle_s < t + horizon_s:
            a, b = cycle_start + k * self.cycle_s + gs, cycle_start + k * self.cycle_s + ge
            if b > t:
                out.append((max(a, t), b))
            k += 1
        return out

    def expected_delay_s(self, approach: str) -> float:
        """Mean wait for a car arriving at a random moment: r^2 / (2C) (Webster's uniform-delay term)."""
        if not self.has_data:
            return 10.0
        red = self.cycle_s - self.green_len(approach)
        return red * red / (2 * self.cycle_s)

    def state(self, t: float, approach: str = "main", distance_m: float | None = None) -> SignalState:
        phase, ttc = self.phase_at(t, approach)
        return SignalState(
            id=self.id,
            phase=phase,  # type: ignore[arg-type]
            time_to_change_s=None if math.isinf(ttc) else round(ttc, 1),
            cycle_s=self.cycle_s if self.has_data else None,
            distance_m=None if distance_m is None else round(distance_m, 1),
        )


def make_plans(signals: list[dict]) -> dict[str, SignalPlan]:
    """Plans for signals given as dicts: id, lat, lon, corridor (main road name), road_class.

    Signals on one corridor share a cycle, and their offsets follow the distance along the corridor at
    PROGRESSION_KMH, so a car at that speed meets green after green in the corridor's forward direction.
    """
    by_corridor: dict[str, list[dict]] = {}
    for s in signals:
        by_corridor.setdefault(s["corridor"], []).append(s)

    plans: dict[str, SignalPlan] = {}
    for corridor, members in by_corridor.items():
        road_class = members[0]["road_class"]
        cycles = CYCLES_BY_CLASS.get(road_class, DEFAULT_CYCLES)
        cycle = float(cycles[stable_int("cycle", corridor) % len(cycles)])
        along = _along_axis(members)
        v = PROGRESSION_KMH / 3.6
        for s, dist in zip(members, along, strict=True):
            sid = str(s["id"])
            # Main road gets 45-60 % of the cycle: it is the busier approach by construction.
            split = 0.45 + (stable_int("split", sid) % 16) / 100
            green = round(cycle * split)
            offset = (dist / v) % cycle if len(members) > 1 else float(stable_int("offset", sid) % int(cycle))
            plans[sid] = SignalPlan(
                id=sid,
                lat=s["lat"],
                lon=s["lon"],
                cycle_s=cycle,
                green_s=float(green),
                offset_s=round(offset, 1),
                has_data=stable_int("data", sid) % 100 >= NO_DATA_PERCENT,
                corridor=corridor,
            )
    return unify_junctions(plans, {str(s["id"]): s["corridor"] for s in signals})


JUNCTION_RADIUS_M = 45.0


def unify_junctions(plans: dict[str, SignalPlan], corridors: dict[str, str]) -> dict[str, SignalPlan]:
    """Signal nodes within JUNCTION_RADIUS_M of each other are one junction (OSM puts one node per
    carriageway or approach), so they share the plan of the junction's lead signal: the one on the
    busiest corridor, lowest id. Members on the crossing road get the swapped phases."""
    ids = sorted(plans, key=int)
    xy = {i: to_xy(plans[i].lat, plans[i].lon) for i in ids}
    parent = {i: i for i in ids}

    def find(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    cell = JUNCTION_RADIUS_M
    grid: dict[tuple[int, int], list[str]] = {}
    for i in ids:
        x, y = xy[i]
        key = (int(x // cell), int(y // cell))
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for j in grid.get((key[0] + dx, key[1] + dy), []):
                    if math.dist(xy[i], xy[j]) <= JUNCTION_RADIUS_M:
                        parent[find(i)] = find(j)
        grid.setdefault(key, []).append(i)

    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    out = dict(plans)
    for members in groups.values():
        if len(members) < 2:
            continue
        lead = min(members, key=lambda i: (-plans[i].cycle_s, int(i)))
        for i in members:
            p = plans[i]
            out[i] = SignalPlan(
                id=i,
                lat=p.lat,
                lon=p.lon,
                cycle_s=plans[lead].cycle_s,
                green_s=plans[lead].green_s,
                offset_s=plans[lead].offset_s,
                has_data=plans[lead].has_data,
                corridor=plans[lead].corridor,
                swapped=corridors[i] != corridors[lead],
            )
    return out


def _along_axis(members: list[dict]) -> list[float]:
    """Distance of each signal along the corridor's main direction (principal axis of its signals)."""
    pts = [to_xy(s["lat"], s["lon"]) for s in members]
    if len(pts) < 2:
        return [0.0] * len(pts)
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    syy = sum((p[1] - my) ** 2 for p in pts)
    sxy = sum((p[0] - mx) * (p[1] - my) for p in pts)
    theta = 0.5 * math.atan2(2 * sxy, sxx - syy)
    ux, uy = math.cos(theta), math.sin(theta)
    proj = [(p[0] - mx) * ux + (p[1] - my) * uy for p in pts]
    lo = min(proj)
    return [p - lo for p in proj]


def glosa(
    plan: SignalPlan,
    t: float,
    distance_m: float,
    limit_kmh: float,
    approach: str = "main",
    min_kmh: float = GLOSA_MIN_KMH,
    margin_s: float = 0.0,
) -> GreenWave:
    """Speed range that reaches the stop line during a green, at constant speed.

    Arriving at constant speed v takes d / v seconds, so a green window [a, b) (absolute times, shrunk by
    margin_s at both ends) is reached for v in [d / (b - t), d / (a - t)], capped by the speed limit
    and the minimum sensible speed. The earliest window with a non-empty range wins. With none, the advice
    is the wait at the red when driving at the limit.
    """
    state = plan.state(t, approach, distance_m)
    if not plan.has_data:
        return GreenWave(signal=state, advice_kmh_min=None, advice_kmh_max=None, red_wait_s=None)
    vmax = limit_kmh / 3.6
    vmin = min_kmh / 3.6
    for start, end in plan.green_windows(t, approach, GLOSA_HORIZON_S):
        a, b = start + margin_s - t, end - margin_s - t
        if b <= 0 or b <= a:
            continue
        hi = vmax if a <= 0 else min(vmax, distance_m / a)
        lo = max(vmin, distance_m / b)
        if lo <= hi:
            return GreenWave(
                signal=state,
                advice_kmh_min=round(lo * 3.6, 1),
                advice_kmh_max=round(hi * 3.6, 1),
                red_wait_s=None,
            )
    # No green reachable within the limits: how long would we stand at the red?
    arrive = t + distance_m / vmax
    next_green = next(
        (s for s, e in plan.green_windows(arrive, approach, GLOSA_HORIZON_S) if e > arrive), arrive
    )
    return GreenWave(
        signal=state, advice_kmh_min=None, advice_kmh_max=None, red_wait_s=round(next_green - arrive, 1)
    )

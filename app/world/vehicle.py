"""The simulated car: drives a Route, obeys the signals, optionally follows green-wave advice.

`step(dt)` is a pure function of the state and dt (no wall clock), so tests drive it directly; `run()`
is the optional asyncio task that ticks it in real time and publishes the state to subscribers.
"""

from __future__ import annotations

import asyncio
import bisect
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.world.api import GreenWave, Route, SignalOnRoute, VehicleState
from app.world.geo import bearing_deg, haversine_m
from app.world.signals import SignalPlan, glosa

A_MAX = 2.0  # m/s², brisk but ordinary town acceleration
B_COMFORT = 2.0  # m/s², the braking curve the car plans with
B_MAX = 4.5  # m/s², what it may actually use
STOP_GAP_M = 3.0  # stop this far before the signal node (the stop line)
SUBSTEP_S = 0.1
GLOSA_RANGE_M = 500.0  # advice is only useful once the next light is in sight
GLOSA_MARGIN_S = 1.5  # aim inside the green, not at its edges

# A mid-size EV: 1,900 kg, 75 kWh pack.
MASS_KG = 1900.0
PACK_KWH = 75.0
CONSUMPTION_KWH_PER_KM = 0.16  # for the displayed range
AUX_KW = 0.6


@dataclass
class Event:
    t: float
    kind: str  # stop_at_red | pass_signal | arrived
    signal_id: str | None = None
    phase: str | None = None
    progress_m: float = 0.0


class Vehicle:
    def __init__(
        self, plans: dict[str, SignalPlan], position: tuple[float, float], clock: float | None = None
    ):
        self.plans = plans
        self.clock = time.time() if clock is None else clock
        self.time_scale = 1.0
        self.follow_advice = False
        self.route: Route | None = None
        self.events: list[Event] = []
        self._listeners: list[Callable[[VehicleState], None]] = []
        self._lat, self._lon = position
        self._heading = 0.0
        self._s = 0.0
        self._v = 0.0
        self._gear = "P"
        self._battery_kwh = 0.8 * PACK_KWH
        self._cum: list[float] = [0.0]
        self._next_sig = 0
        self._task: asyncio.Task | None = None
        self._arrived = False
        # The drive profile; the cabin's drive mode (eco/comfort/sport) sets it (app/vehicle).
        self.a_max = A_MAX
        self.consumption_kwh_per_km = CONSUMPTION_KWH_PER_KM

    def set_drive_profile(self, max_accel_mps2: float, consumption_kwh_per_km: float) -> None:
        """Drive mode hook: how hard the car may accelerate and what the range estimate assumes."""
        self.a_max = max(0.5, float(max_accel_mps2))
        self.consumption_kwh_per_km = max(0.05, float(consumption_kwh_per_km))

    # --- control -------------------------------------------------------------------------------------
    def start(self, route: Route, clock: float | None = None, keep_speed: bool = True) -> None:
        """Drive `route` from its start. keep_speed: a reroute mid-drive keeps the current speed."""
        self.route = route
        if clock is not None:
            self.clock = clock
        self._cum = [0.0]
        for p, q in zip(route.coords, route.coords[1:], strict=False):
            self._cum.append(self._cum[-1] + haversine_m(*p, *q))
        self._s = 0.0
        self._v = self._v if keep_speed else 0.0
        self._next_sig = 0
        self._arrived = len(route.coords) < 2
        self._gear = "P" if self._arrived else "D"
        self._place(0.0)

    def subscribe(self, callback: Callable[[VehicleState], None]) -> None:
        self._listeners.append(callback)

    def step(self, dt: float) -> VehicleState:
        """Advance by dt wall-clock seconds (times time_scale) and return the new state."""
        remaining = dt * self.time_scale
        while remaining > 1e-9:
            h = min(SUBSTEP_S, remaining)
            self._substep(h)
            remaining -= h
        state = self.state
        for cb in list(self._listeners):
            cb(state)
        return state

    async def run(self, hz: float = 20.0) -> None:
        """Tick in real time until cancelled; subscribers get the state every tick (>= 10 Hz)."""
        last = time.monotonic()
        while True:
            await asyncio.sleep(1.0 / hz)
            now = time.monotonic()
            self.step(now - last)
            last = now

    def start_task(self, hz: float = 20.0) -> asyncio.Task:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.run(hz))
        return self._task

    # --- state ---------------------------------------------------------------------------------------
    @property
    def state(self) -> VehicleState:
        return VehicleState(
            lat=self._lat,
            lon=self._lon,
            heading_deg=round(self._heading, 1),
            speed_kmh=round(self._v * 3.6, 2),
            gear=self._gear,  # type: ignore[arg-type]
            battery_pct=round(100 * self._battery_kwh / PACK_KWH, 2),
            range_km=round(self._battery_kwh / self.consumption_kwh_per_km, 1),
            route_progress_m=round(self._s, 1),
            at_destination=self._arrived,
        )

    def next_signal(self) -> tuple[SignalOnRoute, float] | None:
        """The next signal ahead with data, and the distance to its stop line."""
        if self.route is None:
            return None
        for sig in self.route.signals[self._next_sig :]:
            if self.plans.get(sig.id) is not None and self.plans[sig.id].has_data:
                return sig, sig.distance_along_m - STOP_GAP_M - self._s
        return None

    def advice(self) -> GreenWave | None:
        nxt = self.next_signal()
        if nxt is None:
            return None
        sig, d = nxt
        return glosa(self.plans[sig.id], self.clock, max(d, 0.0), self._limit_kmh(), sig.approach)

    # --- physics -------------------------------------------------------------------------------------
    def _limit_kmh(self) -> float:
        if self.route is None or not self.route.limits_kmh:
            return 50.0
        i = min(bisect.bisect_right(self._cum, self._s) - 1, len(self.route.limits_kmh) - 1)
        return self.route.limits_kmh[max(i, 0)]

    def _substep(self, h: float) -> None:
        self.clock += h
        if self.route is None or self._arrived:
            return
        length = self._cum[-1]
        target = self._limit_kmh() / 3.6
        target = min(target, math.sqrt(2 * B_COMFORT * max(length - self._s, 0.0)))

        stop_line = None
        nxt = self.next_signal()
        if nxt is not None:
            sig, d = nxt
            plan = self.plans[sig.id]
            phase, _ = plan.phase_at(self.clock, sig.approach)
            # Amber: stop if it can be done comfortably, otherwise clear the junction.
            must_stop = phase == "red" or (phase == "amber" and d > self._v**2 / (2 * B_COMFORT))
            if must_stop and d > -1.0:
                stop_line = self._s + max(d, 0.0)
                target = min(target, math.sqrt(2 * B_COMFORT * max(d, 0.0)))
            elif self.follow_advice and 0 < d < GLOSA_RANGE_M:
                gw = glosa(plan, self.clock, d, self._limit_kmh(), sig.approach, margin_s=GLOSA_MARGIN_S)
                if gw.advice_kmh_max is not None:
                    target = min(target, max(gw.advice_kmh_max / 3.6, 1.0))
            if self.follow_advice and must_stop and 0 < d < GLOSA_RANGE_M:
                # Red now: creep up at the advised speed so the light is green on arrival.
                gw = glosa(plan, self.clock, d, self._limit_kmh(), sig.approach, margin_s=GLOSA_MARGIN_S)
                if gw.advice_kmh_max is not None and gw.signal.phase == "red":
                    target = min(target, gw.advice_kmh_max / 3.6)

        accel = max(-B_MAX, min(self.a_max, (target - self._v) / 0.5))
        v_old = self._v
        self._v = max(0.0, self._v + accel * h)
        ds = (v_old + self._v) / 2 * h
        if stop_line is not None and self._s + ds >= stop_line:
            ds, self._v = max(stop_line - self._s, 0.0), 0.0
        self._s = min(self._s + ds, length)
        self._energy(accel, self._v, h)

        if v_old >= 0.1 > self._v and stop_line is not None:
            # The kind names the event for its readers; the phase is the light's own: a comfortable
            # stop at amber is a stop too.
            self.events.append(Event(self.clock, "stop_at_red", nxt[0].id, phase, self._s))
        while (
            self._next_sig < len(self.route.signals)
            and self.route.signals[self._next_sig].distance_along_m <= self._s
        ):
            sig = self.route.signals[self._next_sig]
            plan = self.plans.get(sig.id)
            phase = plan.phase_at(self.clock, sig.approach)[0] if plan else "unknown"
            self.events.append(Event(self.clock, "pass_signal", sig.id, phase, self._s))
            self._next_sig += 1
        if length - self._s < 0.5 and self._v < 0.2:
            self._s, self._v, self._arrived, self._gear = length, 0.0, True, "P"
            self.events.append(Event(self.clock, "arrived", progress_m=self._s))
        self._place(self._s)

    def _energy(self, accel: float, v: float, h: float) -> None:
        # Traction + rolling + drag; braking recovers 60 %.
        power_w = MASS_KG * accel * v + MASS_KG * 9.81 * 0.011 * v + 0.5 * 1.2 * 0.65 * v**3
        power_w = power_w / 0.9 if power_w > 0 else power_w * 0.6
        self._battery_kwh = max(0.0, self._battery_kwh - (power_w / 1000 + AUX_KW) * h / 3600)

    def _place(self, s: float) -> None:
        coords = self.route.coords if self.route else []
        if len(coords) < 2:
            if coords:
                self._lat, self._lon = coords[0]
            return
        i = min(max(bisect.bisect_right(self._cum, s) - 1, 0), len(coords) - 2)
        seg = self._cum[i + 1] - self._cum[i]
        f = 0.0 if seg <= 0 else (s - self._cum[i]) / seg
        (la1, lo1), (la2, lo2) = coords[i], coords[i + 1]
        self._lat, self._lon = la1 + (la2 - la1) * f, lo1 + (lo2 - lo1) * f
        if seg > 0:
            self._heading = bearing_deg(la1, lo1, la2, lo2)

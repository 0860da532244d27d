import asyncio

import pytest

from app.world import World
from app.world.api import Place, Route, SignalOnRoute
from app.world.signals import SignalPlan
from app.world.vehicle import STOP_GAP_M, Vehicle

pytestmark = pytest.mark.unit

# A straight 600 m road due east with one signal at 300 m, 50 km/h limit.
N = 61
COORDS = [(31.23, 121.47 + i * 10 / 95_300) for i in range(N)]  # ~10 m apart
P0 = Place("a", "A", None, None, *COORDS[0], "point")
P1 = Place("b", "B", None, None, *COORDS[-1], "point")


def straight_route(vehicle: Vehicle) -> Route:
    v = Vehicle({}, COORDS[0])
    v.start(Route(P0, P1, 0, 0, COORDS, [], limits_kmh=[50] * (N - 1)))
    length = v._cum[-1]
    sig = SignalOnRoute("s1", *COORDS[30], distance_along_m=length / 2)
    return Route(P0, P1, length, 60, COORDS, [sig], limits_kmh=[50] * (N - 1))


def drive(plan: SignalPlan, follow: bool, t0: float = 0.0) -> Vehicle:
    car = Vehicle({"s1": plan}, COORDS[0], clock=t0)
    car.follow_advice = follow
    car.start(straight_route(car))
    for _ in range(3000):
        car.step(0.1)
        if car.state.at_destination:
            break
    return car


def test_stops_on_red_and_goes_on_green():
    # Cycle 120: green 0-20, red 23-120. Leaving at t=0, the car reaches the line (~27 s) in red.
    plan = SignalPlan("s1", *COORDS[30], cycle_s=120, green_s=20, offset_s=0, has_data=True, corridor="x")
    car = drive(plan, follow=False)
    stops = [e for e in car.events if e.kind == "stop_at_red"]
    assert len(stops) == 1
    line = car.route.signals[0].distance_along_m - STOP_GAP_M
    assert line - 2 < stops[0].progress_m <= line + 0.01  # stopped at the line, not past it
    passed = next(e for e in car.events if e.kind == "pass_signal")
    assert plan.phase_at(passed.t)[0] == "green"
    assert passed.t >= 120  # waited for the next green
    assert car.state.at_destination and car.state.speed_kmh == 0 and car.state.gear == "P"


def test_follows_advice_and_catches_green():
    # Green 45-75 s. At 50 km/h the car arrives ~27 s (red) and stops; advised, it arrives slower, in green.
    plan = SignalPlan("s1", *COORDS[30], cycle_s=90, green_s=30, offset_s=45, has_data=True, corridor="x")
    plain = drive(plan, follow=False)
    assert any(e.kind == "stop_at_red" for e in plain.events)
    advised = drive(plan, follow=True)
    assert not any(e.kind == "stop_at_red" for e in advised.events)
    passed = next(e for e in advised.events if e.kind == "pass_signal")
    assert passed.phase == "green"
    assert advised.state.at_destination


def test_step_is_deterministic_and_publishes():
    plan = SignalPlan("s1", *COORDS[30], cycle_s=60, green_s=30, offset_s=0, has_data=True, corridor="x")
    a, b = drive(plan, False), drive(plan, False)
    assert a.state == b.state and [e.t for e in a.events] == [e.t for e in b.events]
    car = Vehicle({"s1": plan}, COORDS[0])
    seen = []
    car.subscribe(seen.append)
    car.start(straight_route(car))
    car.step(0.05)
    car.step(0.05)
    assert len(seen) == 2 and seen[-1].gear == "D"


def test_time_scale_speeds_up():
    plan = SignalPlan("s1", *COORDS[30], cycle_s=60, green_s=30, offset_s=0, has_data=True, corridor="x")
    car = Vehicle({"s1": plan}, COORDS[0], clock=0)
    car.time_scale = 10
    car.start(straight_route(car))
    car.step(1.0)
    assert car.clock == pytest.approx(10.0)


def test_asyncio_task_ticks_at_10hz_or_more():
    plan = SignalPlan("s1", *COORDS[30], cycle_s=60, green_s=30, offset_s=0, has_data=True, corridor="x")
    car = Vehicle({"s1": plan}, COORDS[0])
    car.start(straight_route(car))
    ticks = []
    car.subscribe(ticks.append)

    async def main():
        task = car.start_task(hz=20)
        await asyncio.sleep(0.5)
        task.cancel()

    asyncio.run(main())
    assert len(ticks) >= 5


def test_real_drive_peoples_square_to_bund(tmp_path_factory):
    world = World(data_dir=tmp_path_factory.getbasetemp() / "world-data")
    route = world.set_destination("the Bund", origin="People's Square")
    car = world.vehicle
    car.start(route, clock=1_750_000_000, keep_speed=False)
    for _ in range(20_000):
        car.step(0.1)
        if car.state.at_destination:
            break
    assert car.state.at_destination
    assert car.state.route_progress_m == pytest.approx(route.distance_m, abs=1)
    for e in car.events:
        if e.kind == "stop_at_red":
            light = world.graph.plans[e.signal_id].phase_at(e.t, _approach(route, e.signal_id))[0]
            assert light in ("red", "amber")
            assert e.phase == light  # the event says which: a comfortable stop at amber is one too
        if e.kind == "pass_signal" and e.phase not in ("unknown", None):
            assert e.phase in ("green", "amber")  # never runs a red
    assert car.state.battery_pct < 80


def _approach(route, sid):
    return next(s.approach for s in route.signals if s.id == sid)

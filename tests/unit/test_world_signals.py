import pytest

from app.world import World
from app.world.geo import haversine_m
from app.world.signals import PROGRESSION_KMH, SignalPlan, glosa, make_plans

pytestmark = pytest.mark.unit

# Hand-made plan: 60 s cycle, main green 0-30 s, amber 30-33 s, red 33-60 s (plan-local time).
PLAN = SignalPlan(
    id="t", lat=31.23, lon=121.47, cycle_s=60, green_s=30, offset_s=0, has_data=True, corridor="x"
)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return World(data_dir=tmp_path_factory.getbasetemp() / "world-data")


def test_spat_phases():
    assert PLAN.phase_at(10) == ("green", 20)
    assert PLAN.phase_at(31) == ("amber", 2)
    assert PLAN.phase_at(40) == ("red", 20)
    assert PLAN.phase_at(100) == ("red", 20)  # next cycle
    # The side road is red while the main road has green and amber, then gets green until 57 s.
    assert PLAN.phase_at(10, "side") == ("red", 23)
    assert PLAN.phase_at(40, "side") == ("green", 17)


def test_glosa_red_now_hand_computed():
    # t=40: red for 20 s more, green 60-90. 200 m away: arrive in [20, 50] s -> 4..10 m/s = 14.4..36 km/h.
    gw = glosa(PLAN, t=40, distance_m=200, limit_kmh=50, min_kmh=10)
    assert gw.signal.phase == "red" and gw.signal.time_to_change_s == 20
    assert gw.advice_kmh_min == pytest.approx(14.4)
    assert gw.advice_kmh_max == pytest.approx(36.0)
    assert gw.red_wait_s is None


def test_glosa_green_now_hand_computed():
    # t=20: green for 10 s more. 100 m: at least 10 m/s (36 km/h) to make it, up to the 50 km/h limit.
    gw = glosa(PLAN, t=20, distance_m=100, limit_kmh=50, min_kmh=10)
    assert (gw.advice_kmh_min, gw.advice_kmh_max) == (pytest.approx(36.0), pytest.approx(50.0))


def test_glosa_red_wait_when_no_speed_works():
    # t=40, 20 m away: arriving at 50 km/h takes 1.44 s -> stand 18.56 s at the red; creeping would need < 15 km/h.
    gw = glosa(PLAN, t=40, distance_m=20, limit_kmh=50, min_kmh=15)
    assert gw.advice_kmh_min is None and gw.advice_kmh_max is None
    assert gw.red_wait_s == pytest.approx(20 - 20 / (50 / 3.6), abs=0.1)


def test_no_data_signal_is_unknown():
    plan = SignalPlan("n", 31.2, 121.4, 60, 30, 0, has_data=False, corridor="x")
    gw = glosa(plan, 0, 100, 50)
    assert gw.signal.phase == "unknown" and gw.signal.time_to_change_s is None and gw.advice_kmh_min is None


def test_real_plans_are_plausible_and_deterministic(world):
    plans = world.graph.plans
    assert len(plans) > 500
    assert all(60 <= p.cycle_s <= 120 and 0 < p.green_s < p.cycle_s - 6 for p in plans.values())
    no_data = sum(not p.has_data for p in plans.values()) / len(plans)
    assert 0.02 < no_data < 0.2
    specs = [{"id": 1, "lat": 31.23, "lon": 121.47, "corridor": "A", "road_class": "primary"}]
    specs.append({"id": 2, "lat": 31.23, "lon": 121.48, "corridor": "A", "road_class": "primary"})
    assert make_plans(specs) == make_plans(list(reversed(specs)))


def test_corridor_offsets_follow_progression_speed():
    # Two lone signals 955 m apart on one corridor: offsets differ by the travel time at the design speed.
    specs = [
        {"id": 10, "lat": 31.23, "lon": 121.47, "corridor": "A", "road_class": "secondary"},
        {"id": 11, "lat": 31.23, "lon": 121.48, "corridor": "A", "road_class": "secondary"},
    ]
    p = make_plans(specs)
    a, b = p["10"], p["11"]
    assert a.cycle_s == b.cycle_s
    travel = haversine_m(a.lat, a.lon, b.lat, b.lon) / (PROGRESSION_KMH / 3.6)
    error = (b.offset_s - a.offset_s - travel) % a.cycle_s
    assert min(error, a.cycle_s - error) < 0.5


def test_next_signal_from_a_position(world):
    sig = world.route("People's Square", "the Bund").signals[5]
    plan = world.graph.plans[sig.id]
    # 100 m south of the signal, driving north towards it.
    gw = world.next_signal(plan.lat - 0.0009, plan.lon, 30, heading_deg=0)
    assert gw is not None and gw.signal.distance_m is not None and gw.signal.distance_m < 150

"""Simulated traffic: deterministic congestion by road class and time; ETA, preferences, trip status."""

import pytest

from app.world import World, traffic
from app.world.hours import is_open

pytestmark = pytest.mark.unit

NIGHT = 1_748_804_400.0  # 2025-06-02 (a Monday) 03:00 Shanghai


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(data_dir=tmp_path_factory.getbasetemp() / "world-data")
    w.vehicle.clock = NIGHT
    return w


def test_profile_is_deterministic_and_peaks_in_rush_hours():
    assert traffic.factor("primary", 123, 8.5) == traffic.factor("primary", 123, 8.5)
    assert traffic.factor("primary", 123, 3.0) == 1.0
    assert traffic.factor("primary", 123, 8.5) < traffic.factor("primary", 123, 13.0) < 1.0
    assert traffic.factor("primary", 123, 18.0) < 0.6
    # Main roads suffer most; small streets barely.
    assert traffic.factor("primary", 123, 8.5) < traffic.factor("residential", 123, 8.5)


def test_rush_hour_eta_is_longer_than_at_night(world):
    night = world.route("Xujiahui", "the Bund", at="03:00")
    rush = world.route("Xujiahui", "the Bund", at="08:30")
    assert rush.eta_s > night.eta_s * 1.2
    assert night.congestion["level"] == "free" and rush.congestion["level"] in ("slow", "heavy", "jammed")
    assert rush.congestion["simulated"] and rush.congestion["delay_s"] > 0


def test_avoid_congestion_picks_another_route(world):
    fastest = world.route("新天地", "静安寺", "fastest", at="08:30")
    calm = world.route("新天地", "静安寺", "avoid-congestion", at="08:30")
    assert calm.coords != fastest.coords and calm.prefer == "avoid-congestion"
    assert calm.congestion["factor"] > fastest.congestion["factor"]


def test_shortest_is_never_longer(world):
    fastest = world.route("Xujiahui", "the Bund", "fastest", at="08:30")
    shortest = world.route("Xujiahui", "the Bund", "shortest", at="08:30")
    assert shortest.distance_m <= fastest.distance_m and shortest.eta_s >= fastest.eta_s - 1


def test_bad_preference_and_time_are_clear_errors(world):
    with pytest.raises(ValueError, match="preference"):
        world.route("Xujiahui", "the Bund", "scenic")
    with pytest.raises(ValueError, match="HH:MM"):
        world.route("Xujiahui", "the Bund", at="half past eight")


def test_trip_status_reports_the_traffic_ahead(world):
    assert World.trip_status.__doc__
    world.current_route = None
    assert world.trip_status()["active"] is False
    world.set_destination("the Bund", origin="Xujiahui")
    rush, night = world.trip_status("08:30"), world.trip_status("03:00")
    assert rush["active"] and rush["remaining_m"] > 5000
    assert rush["eta_s"] > night["eta_s"] and rush["congestion"]["simulated"]
    assert rush["congestion"]["summary_zh"].startswith("前方")
    world.vehicle.step(60)  # a minute of driving: less left
    assert world.trip_status("08:30")["remaining_m"] < rush["remaining_m"]


@pytest.mark.parametrize(
    "hours,hhmm,expect",
    [
        ("24/7", "03:00", True),
        ("Mo-Su 10:00-22:00", "09:59", False),
        ("Mo-Su 10:00-22:00", "10:00", True),
        ("Mo-Fr 09:00-17:00; Sa,Su 10:00-16:00", "09:30", True),  # a Monday
        ("Sa-Su 10:00-16:00", "12:00", False),
        ("Mo-Su 17:30-01:00", "00:30", True),  # past midnight
        ("11:30-14:30,17:30-23:30", "15:00", False),
        ("Daily, 11am-late", "12:00", None),  # unreadable: unknown, not guessed
        (None, "12:00", None),
    ],
)
def test_opening_hours(hours, hhmm, expect):
    h, m = (int(x) for x in hhmm.split(":"))
    t = NIGHT - 3 * 3600 + h * 3600 + m * 60  # same Monday
    assert is_open(hours, t) is expect

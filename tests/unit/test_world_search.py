import pytest

from app.world import World, cuisine
from app.world.geo import haversine_m
from app.world.search import occupancy

pytestmark = pytest.mark.unit


# 2025-06-02 03:00 Shanghai time: the simulated traffic (which follows the world clock) is the same on
# every run, whatever the wall clock says.
NIGHT = 1_748_804_400.0


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(data_dir=tmp_path_factory.getbasetemp() / "world-data")
    w.vehicle.clock = NIGHT
    return w


def test_parking_near_the_bund(world):
    bund = world.find_place("外滩")
    lots = world.search_parking("外滩附近", limit=5)
    assert len(lots) == 5
    walks = [p.walk_m for p in lots]
    assert walks == sorted(walks)
    for p in lots:
        assert haversine_m(p.place.lat, p.place.lon, bund.lat, bund.lon) < 1500
        assert 0 <= p.free <= p.capacity and p.price_cny_per_hour > 0
        # Invented car parks say so, in the flag and in the name.
        if p.simulated:
            assert p.place.simulated and p.figures_simulated and "Simulated" in p.place.name


def test_parking_defaults_to_destination(world):
    world.set_destination("Xintiandi", origin="People's Square")
    dest = world.current_route.destination
    lots = world.search_parking()
    assert haversine_m(lots[0].place.lat, lots[0].place.lon, dest.lat, dest.lon) < 800


def test_occupancy_is_deterministic_and_changes_over_time():
    assert occupancy("sim-parking-001", 1_750_000_000) == occupancy("sim-parking-001", 1_750_000_000)
    values = {round(occupancy("sim-parking-001", 1_750_000_000 + h * 3600), 3) for h in range(24)}
    assert len(values) > 12 and all(0 <= v <= 1 for v in values)


@pytest.mark.parametrize(
    "word,key",
    [
        ("川菜", "sichuan"),
        ("Sichuan", "sichuan"),
        ("火锅", "hotpot"),
        ("本帮菜", "shanghainese"),
        ("咖啡", "coffee"),
        ("日料", "japanese"),
        ("日本菜", "japanese"),
        ("hot pot", "hotpot"),
    ],
)
def test_cuisine_vocabulary(word, key):
    assert cuisine.canonical(word) == key


def test_cuisine_inference_from_name():
    assert cuisine.classify(None, "restaurant", "一哥火锅海鲜酒家") == ("hotpot", True)
    assert cuisine.classify("coffee_shop", "cafe", "星巴克") == ("coffee", False)
    assert cuisine.classify(None, "restaurant", "天惠天") == (None, False)


def test_restaurants_by_cuisine_near_a_place(world):
    square = world.find_place("人民广场")
    found = world.search_restaurants("川菜", near="人民广场")
    assert found and all(r.cuisine == "sichuan" for r in found)
    assert [r.distance_m for r in found] == sorted(r.distance_m for r in found)
    for r in found:
        assert r.distance_m == pytest.approx(
            haversine_m(square.lat, square.lon, r.place.lat, r.place.lon), abs=1
        )
    hotpot = world.search_restaurants("火锅", near="人民广场", limit=10)
    assert any(r.cuisine_inferred for r in hotpot)


def test_unknown_cuisine_is_an_error(world):
    with pytest.raises(ValueError):
        world.search_restaurants("martian food", near="人民广场")


def test_add_stop_least_detour(world):
    world.set_destination("the Bund", origin="Xintiandi")
    before = world.current_route
    stop = world.add_stop("charging")
    assert stop.place.simulated and stop.place.kind == "charging"
    assert stop.detour_s >= 0 and stop.detour_m >= 0
    after = world.current_route
    # The base route is the fastest, so going via the stop can be shorter in metres but never faster.
    assert after.via[-1].id == stop.place.id and after.eta_s >= before.eta_s - 1
    assert min(haversine_m(stop.place.lat, stop.place.lon, lat, lon) for lat, lon in after.coords) < 300
    coffee = world.add_stop("coffee")
    assert coffee.category == "coffee"

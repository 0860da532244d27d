"""Far destinations and the ambiguity rule: never route a far place as if it were near, never take an
uncertain match silently."""

import json
import subprocess
import sys

import pytest

from app.world import World
from app.world.places import kinds_of, same_kind

pytestmark = pytest.mark.unit

NIGHT = 1_748_804_400.0


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(data_dir=tmp_path_factory.getbasetemp() / "world-data")
    w.vehicle.clock = NIGHT
    return w


@pytest.mark.parametrize(
    "query,min_km",
    [
        ("Pudong airport", 30),
        ("浦东机场", 30),
        ("PVG", 30),
        ("Hongqiao Airport", 10),
        ("虹桥火车站", 10),
        ("Disneyland", 15),
        ("Beijing", 1000),
        ("北京", 1000),
        ("Hangzhou", 100),
        ("苏州", 50),
    ],
)
def test_far_places_are_far_away(world, query, min_km):
    found = world.find(query, near="People's Square")
    assert found.status == "far_away" and found.place.outside_map
    assert found.straight_km > min_km and "beyond the demo map" in found.message_en


@pytest.mark.parametrize("dest", ["Pudong airport", "Hongqiao Airport", "Beijing"])
def test_routes_beyond_the_map_say_so(world, dest):
    route = world.route("People's Square", dest)
    assert route.beyond_map and route.straight_km > 10
    # The route only reaches the map's edge: far shorter than the straight line, and it says so.
    assert route.distance_m / 1000 < route.straight_km
    assert "beyond the demo map" in route.note and route.note_zh and "超出演示地图" in route.note_zh
    lat_min, lat_max, lon_min, lon_max = world.graph.bbox
    end = route.coords[-1]
    assert lat_min <= end[0] <= lat_max and lon_min <= end[1] <= lon_max


def test_edge_route_heads_towards_the_far_place(world):
    square = world.find_place("People's Square")
    east = world.route(square, "Pudong airport").coords[-1]
    west = world.route(square, "Hongqiao Airport").coords[-1]
    assert east[1] > square.lon > west[1]


def test_near_places_are_not_beyond_the_map(world):
    route = world.route("People's Square", "the Bund")
    assert not route.beyond_map and route.straight_km < 3


def test_beijing_is_never_silently_a_street(world):
    for q in ("Beijing", "北京"):
        found = world.find(q)
        assert found.status in ("far_away", "ambiguous")
        assert found.place is None or found.place.kind != "road"
        # The streets of the same name are offered as candidates for the question back.
        assert any(c.kind == "road" for c in found.candidates)
    assert world.find_place("Beijing").kind != "road"


def test_kind_words():
    assert kinds_of("East Beijing Road") == {"street"} and kinds_of("北京东路") == {"street"}
    assert kinds_of("Beijing") == frozenset() and kinds_of("浦东机场") == {"airport"}
    assert not same_kind("Beijing", "East Beijing Road")
    assert same_kind("Nanjing Rd", "Nanjing Road")


def test_confident_same_kind_fuzzy_match_is_taken(world):
    found = world.find("Peoples Sqaure")
    assert found.status == "found" and found.place.id == "peoples_square"
    assert world.find("East Beijing Rd").status == "found"


def test_uncertain_match_is_asked_about(world):
    found = world.find("Hongqiao")  # the airport or the railway station?
    assert found.status == "ambiguous" and found.place is None
    assert len(found.candidates) >= 2 and found.message_en.startswith("Did you mean")


def test_unknown_place_is_not_found(world):
    found = world.find("Qwxzplk")
    assert found.status == "not_found" and not found.candidates


def test_exact_names_are_found(world):
    assert world.find("静安寺").place.id == "jingan_temple"
    assert world.find("Ruijin Hospital").place.kind == "hospital"


def test_cli_find_beijing():
    proc = subprocess.run(
        [sys.executable, "-m", "app.world", "find", "北京"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["status"] == "far_away" and out["straight_km"] > 1000 and out["candidates"]

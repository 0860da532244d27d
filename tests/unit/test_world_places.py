import json
import subprocess
import sys

import pytest

from app.world import PlaceNotFound, World
from app.world.geo import haversine_m

pytestmark = pytest.mark.unit


# 2025-06-02 03:00 Shanghai time: the simulated traffic (which follows the world clock) is the same on
# every run, whatever the wall clock says.
NIGHT = 1_748_804_400.0


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(data_dir=tmp_path_factory.getbasetemp() / "world-data")
    w.vehicle.clock = NIGHT
    return w


@pytest.mark.parametrize(
    "query", ["the Bund", "Bund", "外滩", "Waitan", "waitan", "外滩附近", "near the Bund"]
)
def test_bund_in_english_chinese_pinyin(world, query):
    assert world.find_place(query).id == "the_bund"


@pytest.mark.parametrize(
    "query", ["People's Square", "Peoples Square", "人民广场", "Renmin Guangchang", "Peoples Sqaure"]
)
def test_peoples_square_variants(world, query):
    assert world.find_place(query).id == "peoples_square"


def test_street_and_restaurant_names(world):
    street = world.find_place("East Zhongshan No. 2 Road")
    assert street.kind == "road" and street.name_zh == "中山东二路"
    assert world.find_place("中山东二路").id == street.id
    # 海底捞 (HaiDiLao) is in the OSM restaurant data; English and Chinese must find a HaiDiLao.
    zh, en = world.find_place("海底捞"), world.find_place("HaiDiLao")
    assert zh.kind == "restaurant" and "海底捞" in zh.name
    assert en.kind == "restaurant" and "海底捞" in en.name


def test_duplicate_names_pick_the_nearest(world):
    # 星巴克 appears many times; the one returned must be the nearest to `near`.
    bund = world.find_place("the Bund")
    station = world.find_place("Shanghai Railway Station")
    a = world.find_place("星巴克", near=(bund.lat, bund.lon))
    b = world.find_place("星巴克", near=(station.lat, station.lon))
    assert a.id != b.id
    assert haversine_m(a.lat, a.lon, bund.lat, bund.lon) < haversine_m(b.lat, b.lon, bund.lat, bund.lon)


def test_unknown_place_gives_suggestions(world):
    with pytest.raises(PlaceNotFound) as err:
        world.find_place("Tianzfang lane")
    assert any("Tianzifang" in s for s in err.value.suggestions)
    assert err.value.to_dict()["error"]["query"] == "Tianzfang lane"


def test_outside_map_routes_to_nearest_point_and_says_so(world):
    route = world.route("People's Square", "Pudong Airport")
    assert route.destination.outside_map
    assert route.note and "outside the road map" in route.note
    end = route.coords[-1]
    lat_min, lat_max, lon_min, lon_max = world.graph.bbox
    assert lat_min <= end[0] <= lat_max and lon_min <= end[1] <= lon_max


def test_cli_unknown_place_exit_code_and_json():
    proc = subprocess.run(
        [sys.executable, "-m", "app.world", "route", "Nowhere Plaza Xyz", "the Bund"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    out = json.loads(proc.stdout)
    assert out["error"]["type"] == "place_not_found" and isinstance(out["error"]["suggestions"], list)

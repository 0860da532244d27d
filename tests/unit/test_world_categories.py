"""Place categories: the vocabulary, the curated records, and category search in both languages."""

import json
import subprocess
import sys

import numpy as np
import pytest

from app.world import World, categories, data
from app.world.geo import haversine_m, to_xy

pytestmark = pytest.mark.unit

NIGHT = 1_748_804_400.0  # 2025-06-02 03:00 Shanghai: a fixed world clock (opening hours, traffic)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(data_dir=tmp_path_factory.getbasetemp() / "world-data")
    w.vehicle.clock = NIGHT
    return w


@pytest.mark.parametrize(
    "word,key",
    [
        ("加油站", "fuel"),
        ("gas station", "fuel"),
        ("petrol", "fuel"),
        ("医院", "hospital"),
        ("the nearest hospital", "hospital"),
        ("附近的医院", "hospital"),
        ("酒店", "hotel"),
        ("hotels", "hotel"),
        ("超市", "supermarket"),
        ("便利店", "convenience"),
        ("取款机", "atm"),
        ("地铁站", "metro"),
        ("subway", "metro"),
        ("充电桩", "charging"),
        ("停车场", "parking"),
        ("洗手间", "toilet"),
        ("pharmacies", "pharmacy"),
        ("景点", "attraction"),
    ],
)
def test_canonical_both_languages(word, key):
    assert categories.canonical(word) == key


def test_unknown_category_word():
    assert categories.canonical("xyz") is None
    assert categories.canonical("") is None


def test_vocabulary_has_the_contract_keys_and_both_languages():
    keys = {c["key"] for c in categories.all()}
    must = "hospital pharmacy hotel supermarket convenience bank atm mall metro fuel charging parking toilet"
    assert set((must + " restaurant cafe fast_food park attraction").split()) <= keys
    for c in categories.VOCAB:
        assert c["en"] and c["zh"] and c["synonyms_en"] and c["synonyms_zh"]


def _road_segments():
    a, b = [], []
    for w in data.load_ways():
        xy = [to_xy(lat, lon) for lat, lon in w.coords]
        a += xy[:-1]
        b += xy[1:]
    return np.array(a), np.array(b)


def test_curated_records_lie_within_300_m_of_a_road():
    a, b = _road_segments()
    ab = b - a
    far = []
    for c in data.load_curated():
        p = np.array(to_xy(c["lat"], c["lon"]))
        t = np.clip(((p - a) * ab).sum(1) / np.maximum((ab * ab).sum(1), 1e-9), 0, 1)
        d = float(np.sqrt(((a + ab * t[:, None] - p) ** 2).sum(1)).min())
        if d > 300:
            far.append((c["id"], round(d)))
    assert not far, f"curated places further than 300 m from any road: {far}"


def test_curated_lists_are_big_enough_and_bilingual():
    cur = data.load_curated()
    count = {k: sum(c["category"] == k for c in cur) for k in ("hospital", "hotel", "mall", "metro")}
    assert count["hospital"] >= 15 and count["hotel"] >= 20 and count["mall"] >= 10 and count["metro"] >= 30
    assert all(c["en"] and c["zh"] and c["en"] != c["zh"] for c in cur)
    assert len({c["id"] for c in cur}) == len(cur)


def test_categories_report_counts_and_sources(world):
    cats = {c["key"]: c for c in world.categories()}
    assert cats["hospital"]["sources"]["curated"] >= 15
    assert cats["bank"]["sources"]["real"] > 100  # the OSM export's banks in the map
    assert cats["supermarket"]["sources"]["real"] > 50
    assert cats["fuel"]["simulated"] and cats["fuel"]["sources"]["simulated"] > 0
    for c in cats.values():
        assert c["count"] == sum(c["sources"].values())


@pytest.mark.parametrize(
    "category", ["hospital", "医院", "hotel", "酒店", "supermarket", "超市", "metro", "地铁站"]
)
def test_category_search_near_peoples_square(world, category):
    found = world.search_places(category, near="人民广场")
    square = world.find_place("人民广场")
    assert len(found.results) >= 3 and found.within_radius
    assert all(h.source in ("osm", "curated") and not h.simulated for h in found.results)
    dists = [h.distance_m for h in found.results]
    assert dists == sorted(dists)
    for h in found.results:
        assert h.place.name_en and h.place.name_zh
        assert h.distance_m == pytest.approx(
            haversine_m(square.lat, square.lon, h.place.lat, h.place.lon), abs=1
        )


def test_both_languages_give_the_same_results(world):
    en = [h.place.id for h in world.search_places("hotel", near="外滩").results]
    zh = [h.place.id for h in world.search_places("酒店", near="外滩").results]
    assert en == zh and len(en) == 5


def test_simulated_records_say_so(world):
    found = world.search_places("gas station", near="人民广场")
    assert found.results and all(h.simulated and h.source == "simulated" for h in found.results)
    assert "simulated" in found.note


def test_nothing_in_radius_returns_the_nearest_further_away(world):
    found = world.search_places("hospital", near="人民广场", radius_m=100)
    assert not found.within_radius and found.results
    assert all(h.distance_m > 100 for h in found.results) and "nearest further" in found.note


def test_sort_without_data_says_so(world):
    found = world.search_places("hotel", near="外滩", sort="cheapest")
    assert not found.sort_supported and found.sort == "distance" and "no prices" in found.note
    parking = world.search_places("parking", near="外滩", sort="cheapest")
    prices = [h.price for h in parking.results]
    assert parking.sort == "price" and prices == sorted(prices)


def test_category_without_data_falls_back_and_says_so(world):
    found = world.search_places("药店", near="人民广场")
    assert found.category == "pharmacy" and found.results
    assert all(h.place.kind == "hospital" for h in found.results) and "no pharmacies" in found.note


def test_open_now_uses_opening_hours(world):
    found = world.search_places("hospital", near="人民广场", open_now=True)  # 24/7 emergency departments
    assert found.results and all(h.open_now for h in found.results)


def test_along_route_sorts_by_detour(world):
    world.set_destination("the Bund", origin="Xujiahui")
    found = world.search_places("charging", along_route=True)
    assert found.sort == "detour" and found.results
    detours = [h.detour_m for h in found.results]
    assert detours == sorted(detours) and all(d is not None for d in detours)


def test_unknown_category_is_a_clear_error(world):
    with pytest.raises(ValueError, match="unknown place category"):
        world.search_places("spaceport")


def test_sichuan_restaurants_come_back_even_beyond_the_radius(world):
    # Far corner of the map: no Sichuan restaurant within 5 km, the real ones still come back.
    found = world.search_restaurants("川菜", near=(31.275, 121.415))
    assert found and all(r.cuisine == "sichuan" for r in found)
    assert all(not r.within_radius and r.distance_m > 5000 for r in found)


def test_cli_search_places_in_chinese():
    proc = subprocess.run(
        [sys.executable, "-m", "app.world", "search", "places", "--category", "医院", "--near", "人民广场"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["category"] == "hospital" and len(out["results"]) >= 3
    assert {"distance_m", "source", "simulated", "opening_hours"} <= set(out["results"][0])

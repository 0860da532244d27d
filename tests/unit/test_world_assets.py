"""The OSM -> assets conversion (app/world/build_assets.py) on a small hand-made OSM file."""

import pytest

from app.world import build_assets

pytestmark = pytest.mark.unit

OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="31.2300" lon="121.4700"/>
  <node id="2" lat="31.2310" lon="121.4700"><tag k="highway" v="traffic_signals"/></node>
  <node id="3" lat="31.2320" lon="121.4700"/>
  <node id="4" lat="31.2320" lon="121.4710"/>
  <node id="5" lat="31.2301" lon="121.4701">
    <tag k="public_transport" v="stop_position"/><tag k="name" v="西藏中路"/>
  </node>
  <node id="6" lat="31.2302" lon="121.4702">
    <tag k="public_transport" v="stop_position"/><tag k="name" v="西藏中路"/>
  </node>
  <node id="7" lat="31.2214" lon="121.4270">
    <tag k="railway" v="station"/><tag k="station" v="subway"/><tag k="name" v="江苏路"/>
    <tag k="name:en" v="Jiangsu Road"/>
  </node>
  <way id="10">
    <nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="secondary"/><tag k="name" v="西藏中路"/><tag k="name:en" v="Middle Xizang Road"/>
    <tag k="name:zh" v="西藏中路"/><tag k="oneway" v="yes"/><tag k="layer" v="1"/><tag k="bridge" v="yes"/>
  </way>
  <way id="11">
    <nd ref="3"/><nd ref="4"/>
    <tag k="highway" v="residential"/><tag k="access" v="private"/>
  </way>
  <way id="12">
    <nd ref="1"/><nd ref="4"/>
    <tag k="highway" v="footway"/>
  </way>
</osm>
"""


@pytest.fixture
def converted(tmp_path):
    path = tmp_path / "tiny.osm"
    path.write_text(OSM, encoding="utf-8")
    return build_assets.convert_osm(path)


def test_roads_keep_names_oneway_and_layers(converted):
    roads = converted["roads.geojson"]["features"]
    assert [f["properties"]["osm_id"] for f in roads] == [10]  # private and footway left out
    p = roads[0]["properties"]
    assert (p["name"], p["name:en"], p["name:zh"], p["oneway"], p["layer"]) == (
        "西藏中路",
        "Middle Xizang Road",
        "西藏中路",
        "yes",
        "1",
    )
    assert p["nodes"] == [1, 2, 3] and roads[0]["geometry"]["coordinates"][0] == [121.47, 31.23]


def test_signals_stations_and_merged_bus_stops(converted):
    assert [f["properties"]["osm_id"] for f in converted["signals.geojson"]["features"]] == [2]
    transit = converted["transit.geojson"]["features"]
    kinds = sorted((f["properties"]["name"], f["properties"]["tags"].get("station")) for f in transit)
    # The two stop positions of one bus stop (same name, a few metres apart) become one.
    assert kinds == [("江苏路", "subway"), ("西藏中路", None)]


def test_conversion_is_reproducible(converted, tmp_path):
    path = tmp_path / "again.osm"
    path.write_text(OSM, encoding="utf-8")
    assert build_assets.convert_osm(path) == converted

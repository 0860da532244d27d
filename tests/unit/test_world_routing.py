import networkx as nx
import numpy as np
import pytest

from app.world import World, data, routing
from app.world.api import NoRoute
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
    "a,b",
    [
        ("People's Square", "the Bund"),
        ("Yu Garden", "Xintiandi"),
        ("the Bund", "People's Square"),
        ("Lujiazui", "人民广场"),
    ],
)
def test_known_pairs_have_sensible_routes(world, a, b):
    r = world.route(a, b)
    crow = haversine_m(r.origin.lat, r.origin.lon, r.destination.lat, r.destination.lon)
    assert crow * 0.8 < r.distance_m < crow * 3
    # Downtown Shanghai: between 10 and 60 km/h on average, signals included.
    assert r.distance_m / (60 / 3.6) < r.eta_s < r.distance_m / (10 / 3.6)
    along = [s.distance_along_m for s in r.signals]
    assert along == sorted(along) and all(0 < d <= r.distance_m + 1 for d in along)
    assert len(r.limits_kmh) == len(r.coords) - 1


def test_peoples_square_to_bund_passes_signals(world):
    r = world.route("People's Square", "the Bund")
    assert len(r.signals) >= 3
    for s in r.signals:  # every reported signal lies on the drawn route
        assert min(haversine_m(s.lat, s.lon, lat, lon) for lat, lon in r.coords) < 5


def test_one_way_streets_are_respected(world):
    g = world.graph.graph
    oneway = {w.osm_id: w for w in data.load_ways() if w.oneway != 0}
    checked = 0
    for u, v, e in g.edges(data=True):
        w = oneway.get(e["way"])
        if w is None or u not in w.nodes or v not in w.nodes:
            continue
        # A closed way (a loop: first node == last) holds its start twice; any later v counts.
        forward = any(w.nodes.index(u) < j for j, n in enumerate(w.nodes) if n == v)
        assert forward == (w.oneway == 1), f"edge {u}->{v} runs against one-way way {w.osm_id}"
        checked += 1
    assert checked > 500


def test_graph_is_strongly_connected(world):
    assert nx.is_strongly_connected(world.graph.graph)


def test_no_path_raises_no_route():
    g = nx.DiGraph()
    g.add_node(1, lat=31.0, lon=121.0)
    g.add_node(2, lat=31.001, lon=121.0)
    g.add_node(3, lat=31.002, lon=121.0)
    g.add_edge(1, 2, weight=1.0)
    rg = routing.RoadGraph(g, np.array([1, 2, 3]), np.zeros((3, 2)), {}, {}, (31.0, 31.002, 121.0, 121.0))
    with pytest.raises(NoRoute):
        routing.shortest_path(rg, 2, 1)  # only 1 -> 2 exists
    with pytest.raises(NoRoute):
        routing.shortest_path(rg, 1, 3)

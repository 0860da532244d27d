"""Fixtures shared by the unit tests."""

import pytest

from app.world import World

# 2025-06-02 03:00 Shanghai time: simulated traffic and opening hours follow the world clock, so a
# fixed clock gives the same answers on every run, whatever the wall clock says.
NIGHT = 1_748_804_400.0


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The real World on the shipped map, with its own store under the test's temp dir."""
    w = World(data_dir=tmp_path_factory.getbasetemp() / "world-data")
    w.vehicle.clock = NIGHT
    return w

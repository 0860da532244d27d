"""Issue 11's "done when": a cabin change made with `python -m app.vehicle` shows in the cockpit's
climate bar: the real app, offscreen, on a data folder of the test's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app import paths
from tests.ui.conftest import SHOTS

pytestmark = pytest.mark.ui


def test_vehicle_cli_set_shows_in_the_climate_bar_at_start_and_live(tmp_path):
    pytest.importorskip("app.vehicle", reason="the cabin (app/vehicle) is not on this branch")
    env = {**os.environ, "COCKPIT_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "app.vehicle", *args], cwd=paths.ROOT, env=env,
                              capture_output=True, text=True, timeout=60)  # fmt: skip

    assert cli("set", "climate.driver.temperature", "23").returncode == 0
    state = json.loads(cli("state").stdout)
    assert state["climate"]["driver"]["temperature"] == 23

    shot = SHOTS / "window_cabin_cli_23.png"
    run = subprocess.run(
        [sys.executable, "-m", "tests.ui.cockpit_probe", str(shot), "climate.driver.temperature", "24.5"],
        cwd=paths.ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["driver_at_start"] == "23.0°"  # persisted by the CLI, read by the app at start
    assert out["driver_after_set"] == "24.5°"  # set by another process while the app runs
    assert "24.5" in out["confirmation"]
    assert shot.exists()

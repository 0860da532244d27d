"""`python -m app.vehicle` in subprocesses with their own data folder: the CLI round trip."""

import json
import os
import subprocess
import sys

import pytest

from app.paths import ROOT

pytestmark = pytest.mark.unit


def run(tmp_path, *args):
    env = {**os.environ, "COCKPIT_DATA_DIR": str(tmp_path)}
    p = subprocess.run(
        [sys.executable, "-m", "app.vehicle", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return p.returncode, json.loads(p.stdout) if p.stdout.strip() else None


def test_set_then_state_in_the_next_process(tmp_path):
    rc, change = run(tmp_path, "set", "climate.driver.temperature", "23")
    assert rc == 0 and change["ok"] and change["changes"][0]["new"] == 23
    rc, state = run(tmp_path, "state")
    assert rc == 0 and state["climate"]["driver"]["temperature"] == 23
    assert (tmp_path / "vehicle" / "cabin.json").exists()
    rc, _ = run(tmp_path, "reset")
    assert rc == 0 and run(tmp_path, "state")[1]["climate"]["driver"]["temperature"] == 22


def test_bad_input_exits_2_with_an_error(tmp_path):
    rc, out = run(tmp_path, "set", "climate.warp", "1")
    assert rc == 2 and out["error"]["code"] == "unknown_path" and out["error"]["message_zh"]
    rc, out = run(tmp_path, "do", "phone.call", "contact=Nobody")
    assert rc == 2 and out["error"]["code"] == "not_found"
    rc, out = run(tmp_path, "do", "media.play", "artist")
    assert rc == 2 and out["error"]["code"] == "usage"


def test_do_and_spec(tmp_path):
    rc, change = run(tmp_path, "do", "media.play", "artist=林晓雨")
    assert rc == 0 and "林晓雨" in change["message_zh"]
    rc, spec = run(tmp_path, "spec")
    assert rc == 0 and any(c["path"] == "climate.fan" for c in spec)

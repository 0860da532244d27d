"""Saved places: per user in SQLite, persistent, demo values marked, usable as route ends."""

import json
import os
import subprocess
import sys

import pytest

from app.world import World
from app.world.saved import standard_name

pytestmark = pytest.mark.unit


@pytest.fixture
def data_dir(tmp_path_factory, tmp_path):
    # The place store is a cache; share it, but give every test its own saved-places file.
    shared = tmp_path_factory.getbasetemp() / "world-data"
    World(data_dir=shared)  # build once
    (tmp_path / "world").mkdir()
    for f in (shared / "world").iterdir():
        if f.name.startswith(("places-", "graph-")):
            (tmp_path / "world" / f.name).symlink_to(f)
    return tmp_path


def test_fresh_install_has_demo_home_and_work(data_dir):
    w = World(data_dir=data_dir)
    entries = {e["name"]: e for e in w.saved_entries()}
    assert set(entries) == {"home", "work"} and all(e["demo"] for e in entries.values())
    assert "(demo)" in entries["home"]["place"].name and "演示" in entries["home"]["place"].name_zh


@pytest.mark.parametrize("word", ["home", "家", "work", "公司"])
def test_home_and_work_route(data_dir, word):
    w = World(data_dir=data_dir)
    route = w.route("People's Square", word)
    assert route.distance_m > 0 and route.destination.kind == "saved"


def test_saved_places_persist_across_restarts(data_dir):
    w = World(data_dir=data_dir)
    home = w.set_saved("home", "延安东路100号")  # the map has no house numbers: the street is used
    assert "Yan'an" in home.name or "延安东路" in home.name_zh
    w.set_saved("Mum's place", (31.2200, 121.4700))
    w2 = World(data_dir=data_dir)  # a restart: a new World on the same data dir
    saved = w2.saved_places()
    assert saved["home"].lat == home.lat and "demo" not in saved["home"].name
    assert saved["Mum's place"].lat == pytest.approx(31.22)
    assert w2.route("人民广场", "回家").destination.lat == home.lat
    assert w2.find("mums place").status == "found"
    assert w2.remove_saved("Mum's place") and "Mum's place" not in World(data_dir=data_dir).saved_places()


def test_removed_demo_does_not_come_back(data_dir):
    w = World(data_dir=data_dir)
    assert w.remove_saved("work")
    assert "work" not in World(data_dir=data_dir).saved_places()


def test_standard_names():
    assert standard_name("家") == "home" and standard_name("The Office") == "work"
    assert standard_name("gym") is None


def test_cli_places_set_list_remove(data_dir):
    env = {**os.environ, "COCKPIT_DATA_DIR": str(data_dir)}

    def run(*args):
        proc = subprocess.run(
            [sys.executable, "-m", "app.world", "places", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        return proc.returncode, json.loads(proc.stdout)

    code, out = run("set", "home", "延安东路100号")
    assert code == 0
    home = next(p for p in out["places"] if p["name"] == "home")
    assert not home["demo"] and home["ref"] == "延安东路100号"
    code, out = run("list")
    assert code == 0 and {p["name"] for p in out["places"]} == {"home", "work"}
    code, out = run("remove", "home")
    assert code == 0 and {p["name"] for p in out["places"]} == {"work"}
    code, out = run("remove", "home")
    assert code == 2 and "error" in out

"""Checks that need no window: qmllint, translations, the map page's offline promise, card mapping."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app import paths

pytestmark = pytest.mark.ui

BIN = Path(sys.executable).parent


def test_qmllint_clean():
    # Absolute paths: qmllint misreads a singleton's qmldir when given a relative path.
    files = [
        str(p.resolve())
        for p in [*paths.QML.rglob("*.qml"), *(Path(__file__).parent / "harness").glob("*.qml")]
    ]
    result = subprocess.run([str(BIN / "pyside6-qmllint"), *files], capture_output=True, text=True)
    assert result.returncode == 0 and "Warning" not in result.stdout + result.stderr, (
        result.stdout + result.stderr
    )


def test_every_qstr_has_a_chinese_translation_and_qm_is_fresh():
    ts = paths.QML / "i18n" / "cockpit_zh.ts"
    qm = ts.with_suffix(".qm")
    tree = ET.parse(ts)
    unfinished = [m.findtext("source") for m in tree.iter("message") if m.find("translation").get("type")]
    assert unfinished == []
    in_ts = {m.findtext("source") for m in tree.iter("message")}
    in_qml = set()
    for path in paths.QML.rglob("*.qml"):
        in_qml |= set(re.findall(r'qsTr\("((?:[^"\\]|\\.)*)"\)', path.read_text(encoding="utf-8")))
    assert in_qml <= in_ts, f"run `python -m app.ui.i18n`: missing {sorted(in_qml - in_ts)}"
    assert qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime - 1


def test_map_page_references_only_local_files(tmp_path):
    from app.ui import mappage

    html = mappage.build_page(out_dir=tmp_path).read_text(encoding="utf-8")
    refs = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', html)
    assert refs and all(r.startswith("file://") for r in refs), refs
    assert "cdn" not in html.lower() and "bootstrap" not in html.lower() and "jquery" not in html.lower()
    assert mappage.CREDIT in html
    assert "window.cockpit" in html


def test_cards_from_flat_and_nested_results():
    from app.ui.bridges import cards_from_result

    flat = {"parking": [{"name": "A", "walk_m": 120, "free": 3, "capacity": 10, "price_cny_per_hour": 8,
                         "simulated": True, "lat": 31.2, "lon": 121.4}]}  # fmt: skip
    nested = {"restaurants": [{"place": {"name": "小杨生煎", "name_en": "Yang's", "name_zh": "小杨生煎", "lat": 31.2,
                                         "lon": 121.4}, "cuisine": "shanghainese", "distance_m": 300, "rating": 4.5}]}  # fmt: skip
    (p,) = cards_from_result(flat, "en")
    assert (p["kind"], p["name"], p["distanceM"], p["free"], p["priceCnyPerHour"]) == (
        "parking",
        "A",
        120,
        3,
        8,
    )
    (r,) = cards_from_result(nested, "en")
    assert (r["kind"], r["name"], r["cuisine"], r["rating"]) == ("restaurant", "Yang's", "Shanghainese", 4.5)
    assert cards_from_result(nested, "zh")[0]["name"] == "小杨生煎"
    assert cards_from_result({"route": {}}, "en") is None
    agent = {
        "kind": "restaurants",
        "items": [{"name": "x", "name_en": "X", "lat": 1, "lon": 2, "cuisine": "hotpot"}],
    }
    assert cards_from_result(agent, "zh")[0]["cuisine"] == "火锅"


def test_cards_come_from_the_last_call_with_items_and_places_get_their_own_kind():
    from app.ui.bridges import card_result, cards_from_result

    parking = {"kind": "parking", "items": [{"name": "P1", "lat": 31.2, "lon": 121.4, "walk_m": 50}]}
    places = {"kind": "places", "category": "hospital",
              "items": [{"id": "h1", "name": "瑞金医院", "name_en": "Ruijin Hospital", "name_zh": "瑞金医院",
                         "lat": 31.21, "lon": 121.47, "category": "hospital", "distance_m": 800, "source": "curated",
                         "simulated": False, "opening_hours": "24/7", "rating": None}]}  # fmt: skip
    cabin = {"kind": "cabin", "change": {"ok": True}}
    # "Find a hospital and turn the AC off": the cards are the hospital's, not the cabin change's.
    two = {"tool": "find_places", "result": parking, "calls": [
        {"tool": "find_parking", "result": parking}, {"tool": "find_places", "result": places},
        {"tool": "set_cabin", "result": cabin}]}  # fmt: skip
    assert card_result(two) is places
    (card,) = cards_from_result(card_result(two), "en")
    assert (card["kind"], card["name"], card["categoryName"], card["openingHours"]) == (
        "place", "Ruijin Hospital", "Hospital", "24/7")  # fmt: skip
    assert cards_from_result(places, "zh")[0]["name"] == "瑞金医院"
    # Today's single-result event (no calls) still gives its cards; a call list without items, none.
    assert card_result({"result": parking}) is parking
    assert cards_from_result(card_result({"result": None, "calls": [{"result": cabin}]}), "en") is None


def test_simulated_card_titles_leave_the_word_to_the_badge():
    from app.ui.bridges import cards_from_result

    item = {"name": "模拟停车场 · 中山东一路", "name_en": "Simulated car park · East Zhongshan No. 1 Road",
            "name_zh": "模拟停车场 · 中山东一路", "simulated": True, "lat": 31.24, "lon": 121.49}  # fmt: skip
    real = {"name": "Simulated Reality Café", "simulated": False, "lat": 31.2, "lon": 121.4}
    en, zh = cards_from_result({"parking": [item]}, "en")[0], cards_from_result({"parking": [item]}, "zh")[0]
    assert (en["name"], en["simulated"]) == ("Car park · East Zhongshan No. 1 Road", True)
    assert zh["name"] == "停车场 · 中山东一路"
    assert cards_from_result({"parking": [real]}, "en")[0]["name"] == "Simulated Reality Café"


def test_the_qt_thread_never_waits_for_the_worlds_lock():
    """The agent's worker holds the world's lock for a search: the car shows its last state, then
    catches up by the time it missed."""
    import threading

    from app.ui.adapters import WorldDrive

    class State:
        def __init__(self, t):
            self.t = t

        def to_dict(self):
            return {"t": self.t}

    class Car:
        t = 0.0

        def step(self, dt):
            self.t += dt
            return State(self.t)

    class FakeWorld:
        _lock = threading.RLock()
        current_route = object()
        vehicle = Car()

        def signal_ahead(self):
            return None

    drive = WorldDrive(FakeWorld())
    assert drive.tick(0.1) == {"t": 0.1}
    held, release = threading.Event(), threading.Event()

    def agent():
        with FakeWorld._lock:
            held.set()
            release.wait(5)

    worker = threading.Thread(target=agent)
    worker.start()
    held.wait(5)
    assert drive.tick(0.1) == {"t": 0.1}  # the last state, without waiting
    assert drive.tick(0.1) == {"t": 0.1}
    release.set()
    worker.join()
    assert drive.tick(0.1)["t"] == pytest.approx(0.4)  # no distance lost


def test_a_result_event_with_calls_gives_the_cards_of_its_last_place_call(qt_app):
    from app.services import TurnEvent
    from app.ui.bridges import AssistantBridge
    from app.ui.sources import SimAssistant

    bridge = AssistantBridge(SimAssistant(schedule=lambda d, fn: None, navigate=lambda *a: None))
    shown = []
    bridge.on_cards = shown.append
    hotel = {"name": "和平饭店", "name_en": "Fairmont Peace Hotel", "name_zh": "和平饭店", "lat": 31.2405,
             "lon": 121.4903, "category": "hotel", "distance_m": 300, "source": "curated", "simulated": False}  # fmt: skip
    # "Turn the AC off and find a hotel": a cabin call, then the place search.
    bridge.on_event(TurnEvent("result", {"tool": "set_cabin", "args": {}, "result": {"kind": "cabin", "change": {}},
                                         "calls": [{"tool": "set_cabin", "result": {"kind": "cabin", "change": {}}},
                                                   {"tool": "find_places", "result": {"kind": "places", "category": "hotel",
                                                                                      "items": [hotel]}}]}))  # fmt: skip
    (card,) = bridge.property("cards")
    assert (card["kind"], card["name"], card["categoryName"]) == ("place", "Fairmont Peace Hotel", "Hotel")
    assert shown and shown[-1] == bridge.property("cards")
    # A later turn without places (only the cabin) leaves the cards on screen.
    bridge.on_event(TurnEvent("result", {"tool": "set_cabin", "result": {"kind": "cabin"}, "calls": []}))
    assert len(bridge.property("cards")) == 1

"""The cabin's command API: limits, clamping, relative changes, zones, undo, subscribe, persistence."""

import json
import threading

import pytest

from app.vehicle import Cabin
from app.vehicle.state import CabinState, has_path

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def cabin():
    return Cabin(clock=Clock())


def test_every_declared_control_is_a_state_field_and_its_default_is_valid(cabin):
    defaults = CabinState()
    for c in cabin.spec():
        for path in c["members"] or [c["path"]]:
            assert has_path(defaults, path), path
        assert c["label_en"] and c["label_zh"] and c["synonyms_en"] and c["synonyms_zh"], c["path"]
        if c["type"] == "number":
            assert c["min"] <= c["default"] <= c["max"], c["path"]
        if c["type"] == "enum":
            assert c["default"] in c["choices"], c["path"]


def test_spec_declares_the_contract_ranges(cabin):
    spec = {c["path"]: c for c in cabin.spec()}
    t = spec["climate.driver.temperature"]
    assert (t["min"], t["max"], t["step"], t["unit"]) == (16, 28, 0.5, "°C")
    assert (spec["climate.fan"]["min"], spec["climate.fan"]["max"]) == (1, 7)
    assert spec["climate.mode"]["choices"] == ["face", "feet", "windscreen", "auto"]
    assert (spec["media.volume"]["min"], spec["media.volume"]["max"]) == (0, 30)
    assert spec["lights.headlights"]["choices"] == ["off", "auto", "low", "high"]
    assert spec["drive.mode"]["choices"] == ["eco", "comfort", "sport"]
    assert spec["drive.lane_keeping"]["simulated"] is True


def test_above_the_maximum_is_clamped_and_said(cabin):
    ch = cabin.set("climate.driver.temperature", 35)
    assert ch.ok and ch.clamped
    assert ch.changes == [{"path": "climate.driver.temperature", "old": 22.0, "new": 28.0}]
    assert "maximum is 28 °C" in ch.message_en and "set to 28" in ch.message_en
    assert ch.message_zh == "主驾温度最高28度，已调到28度"
    assert cabin.state()["climate"]["driver"]["temperature"] == 28


def test_below_the_minimum_is_clamped(cabin):
    ch = cabin.set("climate.passenger.temperature", "10")
    assert ch.clamped and cabin.get("climate.passenger.temperature") == 16
    assert "最低16度" in ch.message_zh


def test_values_snap_to_the_step(cabin):
    cabin.set("climate.driver.temperature", 22.3)
    assert cabin.get("climate.driver.temperature") == 22.5
    cabin.set("climate.fan", 4.4)
    assert cabin.get("climate.fan") == 4


def test_spoken_values_are_read_through_the_spec(cabin):
    assert cabin.set("climate.driver.temperature", "二十三度").ok
    assert cabin.get("climate.driver.temperature") == 23
    assert cabin.set("climate.driver.temperature", "24.5 °C").ok
    assert cabin.get("climate.driver.temperature") == 24.5
    cabin.set("drive.mode", "运动")
    assert cabin.get("drive.mode") == "sport"
    cabin.set("climate.ac", "关闭")
    assert cabin.get("climate.ac") is False
    cabin.set("windows.rear_left", "open")
    assert cabin.get("windows.rear_left") == 100
    cabin.set("seats.driver.heating", "on")
    assert cabin.get("seats.driver.heating") == 2  # the declared on_value
    cabin.set("media.volume", "max")
    assert cabin.get("media.volume") == 30


def test_bad_input_changes_nothing_and_says_why(cabin):
    before = cabin.state()
    for path, value in [("climate.mode", "hot"), ("climate.ac", "maybe"), ("climate.fan", "lots")]:
        ch = cabin.set(path, value)
        assert not ch.ok and ch.error == "invalid_value" and ch.changes == []
        assert ch.message_en and ch.message_zh
    ch = cabin.set("climate.warp_drive", 1)
    assert ch.error == "unknown_path" and "warp_drive" in ch.message_en
    assert cabin.adjust("climate.ac", 1).error == "not_relative"
    assert cabin.state() == before


def test_relative_changes_and_their_limits(cabin):
    cabin.set("climate.driver.temperature", 22)
    assert cabin.adjust("climate.driver.temperature").changes[0]["new"] == 23  # the declared nudge
    assert cabin.adjust("climate.driver.temperature", -0.5).changes[0]["new"] == 22.5
    assert cabin.adjust("climate.driver.temperature", "调低").changes[0]["new"] == 21.5
    cabin.set("climate.fan", 6)
    ch = cabin.adjust("climate.fan", 3)
    assert ch.clamped and cabin.get("climate.fan") == 7
    ch = cabin.adjust("climate.fan", "up")
    assert ch.ok and ch.changes == [] and "already at the maximum" in ch.message_en
    assert "已经是最高" in ch.message_zh


def test_zones_are_independent(cabin):
    cabin.set("climate.driver.temperature", 20)
    cabin.set("climate.passenger.temperature", 25)
    st = cabin.state()["climate"]
    assert st["driver"]["temperature"] == 20 and st["passenger"]["temperature"] == 25
    cabin.set("seats.passenger.ventilation", 3)
    assert cabin.get("seats.driver.ventilation") == 0


def test_feelings_are_relative_changes_from_the_data(cabin):
    cabin.set("climate.power", False)
    ch = cabin.do("climate.feel", feeling="I'm cold")
    assert cabin.get("climate.power") is True
    assert cabin.get("climate.driver.temperature") == 24
    assert cabin.get("climate.passenger.temperature") == 22  # only the speaker's zone by default
    assert "Driver temperature 24 °C" in ch.message_en
    cabin.do("climate.feel", feeling="太热了", zone="all")
    assert (cabin.get("climate.driver.temperature"), cabin.get("climate.passenger.temperature")) == (22, 20)
    cabin.do("climate.feel", feeling="玻璃起雾了")
    assert cabin.get("climate.defrost_front") is True
    assert cabin.do("climate.feel", feeling="purple").error == "invalid_value"


def test_undo_reverts_the_last_change_only(cabin):
    cabin.set("climate.driver.temperature", 25)
    cabin.do("climate.feel", feeling="hot")  # power on already; ac on already; temperature 25 -> 23
    assert cabin.get("climate.driver.temperature") == 23
    ch = cabin.undo()
    assert ch.ok and cabin.get("climate.driver.temperature") == 25
    assert "已撤销" in ch.message_zh
    cabin.undo()
    assert cabin.get("climate.driver.temperature") == 22
    assert cabin.undo().error == "nothing_to_undo"


def test_reset_restores_defaults(cabin):
    cabin.set("lights.ambient.color", "紫色")
    cabin.set("windows.sunroof", 50)
    ch = cabin.reset()
    assert ch.ok and {c["path"] for c in ch.changes} == {"lights.ambient.color", "windows.sunroof"}
    assert cabin.state()["lights"]["ambient"]["color"] == "warm_white"


def test_subscribers_hear_every_change_from_any_thread(cabin):
    heard = []
    unsubscribe = cabin.subscribe(heard.append)
    threads = [threading.Thread(target=cabin.set, args=("media.volume", v)) for v in range(1, 11)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(heard) == 10 and all(c.ok for c in heard)
    assert cabin.get("media.volume") in range(1, 11)
    cabin.set("media.volume", 20)  # the same value again below is no change, so no call
    cabin.set("media.volume", 20)
    assert len(heard) == 11
    unsubscribe()
    cabin.set("media.volume", 5)
    assert len(heard) == 11


def test_a_failing_subscriber_does_not_break_the_command(cabin):
    def broken(change):
        raise RuntimeError("boom")

    cabin.subscribe(broken)
    assert cabin.set("climate.fan", 5).ok and cabin.get("climate.fan") == 5


def test_state_persists_across_cabin_instances(tmp_path):
    path = tmp_path / "vehicle" / "cabin.json"
    a = Cabin(path)
    a.set("climate.driver.temperature", 23)
    a.set("drive.mode", "eco")
    a.do("media.play", artist="林晓雨")
    b = Cabin(path)
    assert b.state()["climate"]["driver"]["temperature"] == 23
    assert b.get("drive.mode") == "eco"
    assert b.state()["media"]["track"]["artist_zh"] == "林晓雨"
    assert not list(path.parent.glob("*.tmp"))  # written atomically, nothing left over


def test_a_corrupt_state_file_resets_with_a_warning(tmp_path, caplog):
    path = tmp_path / "cabin.json"
    path.write_text("{not json")
    cabin = Cabin(path)
    assert cabin.get("climate.driver.temperature") == 22
    assert "unreadable" in caplog.text
    assert (tmp_path / "cabin.json.corrupt").exists()  # kept for a look, not lost
    assert cabin.set("climate.fan", 2).ok and json.loads(path.read_text())["state"]["climate"]["fan"] == 2


def test_out_of_range_saved_values_fall_back_to_defaults(tmp_path, caplog):
    path = tmp_path / "cabin.json"
    state = {
        "climate": {"driver": {"temperature": 35}, "fan": "x", "ac": False},
        "media": {"track_id": "nope"},
    }
    path.write_text(json.dumps({"version": 1, "state": state}))
    cabin = Cabin(path)
    assert cabin.get("climate.driver.temperature") == 22
    assert cabin.get("climate.fan") == 3
    assert cabin.get("climate.ac") is False  # the valid part is kept
    assert cabin.state()["media"]["track"] is None
    assert "climate.driver.temperature" in caplog.text


def test_drive_mode_changes_the_world_car_and_the_range(cabin):
    from app.world.vehicle import Vehicle

    car = Vehicle({}, (31.23, 121.47), clock=0.0)
    cabin.attach_vehicle(car)
    comfort = cabin.state()["drive"]["range_km"]
    cabin.set("drive.mode", "eco")
    assert car.a_max < 2.0 and cabin.state()["drive"]["range_km"] > comfort
    cabin.set("drive.mode", "sport")
    assert car.a_max > 2.0 and car.state.range_km < comfort
    assert cabin.state()["drive"]["range_km"] == round(car.state.range_km)


def test_sections_are_marked_simulated_and_json_ready(cabin):
    st = cabin.state()
    assert list(st)[:7] == ["climate", "seats", "windows", "lights", "drive", "media", "phone"]
    assert all(st[k]["simulated"] is True for k in list(st)[:7])
    json.dumps(st)


def test_questions_answer_in_both_languages(cabin):
    for topic in ("range", "电量", "tyre pressure", "保养"):
        a = cabin.question(topic)
        assert a["ok"] and a["simulated"] and a["message_en"] and a["message_zh"], topic
    assert cabin.question("胎压")["tyres_kpa"]["front_left"] > 200
    light = cabin.question("warning", light="tpms")
    assert light["telltale"]["id"] == "tyre_pressure" and "胎压" in light["message_zh"]
    assert not cabin.question("the weather")["ok"]
    cabin.set("lights.headlights", "high")
    assert "high_beam" in cabin.state()["telltales"]


def test_a_playing_track_plays_on_in_the_next_process_without_warnings(tmp_path, caplog):
    path, clock = tmp_path / "cabin.json", Clock()
    Cabin(path, clock=clock).do("media.play", title="Harbour Fog")
    clock.t += 30
    b = Cabin(path, clock=clock)
    m = b.state()["media"]
    assert m["playing"] and m["track"]["title_en"] == "Harbour Fog" and m["position_s"] == 30
    assert "reset to defaults" not in caplog.text


def test_the_docs_table_is_the_spec():
    from app.paths import ROOT
    from app.vehicle.docs import controls_table

    assert controls_table() in (ROOT / "docs" / "vehicle.md").read_text(encoding="utf-8")


def test_group_controls_set_every_member_in_one_change(cabin):
    ch = cabin.set("climate.temperature", 35)
    assert ch.clamped and [c["new"] for c in ch.changes] == [28.0, 28.0]
    assert "最高28度" in ch.message_zh
    cabin.set("climate.passenger.temperature", 24)
    ch = cabin.adjust("climate.temperature", -1)
    assert (cabin.get("climate.driver.temperature"), cabin.get("climate.passenger.temperature")) == (27, 23)
    assert cabin.get("climate.temperature") == {
        "climate.driver.temperature": 27.0,
        "climate.passenger.temperature": 23.0,
    }
    cabin.set("windows.all", "open")
    assert all(
        cabin.get(f"windows.{w}") == 100 for w in ("front_left", "front_right", "rear_left", "rear_right")
    )
    cabin.undo()
    assert cabin.get("windows.all") == 0


def test_undo_works_from_the_next_process(tmp_path):
    path = tmp_path / "cabin.json"
    Cabin(path).set("seats.driver.heating", 3)
    ch = Cabin(path).undo()
    assert ch.ok and Cabin(path).get("seats.driver.heating") == 0
    assert Cabin(path).undo().error == "nothing_to_undo"


def test_state_ticks_are_reported_to_subscribers():
    clock = Clock()
    cabin = Cabin(clock=clock)
    cabin.do("media.play", title="Cloud Layer")
    heard = []
    cabin.subscribe(heard.append)
    clock.t += cabin.state()["media"]["track"]["duration_s"] + 1
    cabin.state()  # a reader noticing the end of the track still lets subscribers hear it
    assert [c.action for c in heard] == ["tick"] and "Now playing" in heard[0].message_en


def test_reload_picks_up_another_process_and_tells_subscribers(tmp_path):
    path = tmp_path / "cabin.json"
    app_cabin = Cabin(path)
    heard = []
    app_cabin.subscribe(heard.append)
    Cabin(path).set("climate.driver.temperature", 23)  # e.g. the CLI
    ch = app_cabin.reload()
    assert ch.action == "reload" and app_cabin.get("climate.driver.temperature") == 23
    assert heard == [ch] and "23 °C" in ch.message_en
    assert app_cabin.reload() is None  # nothing new

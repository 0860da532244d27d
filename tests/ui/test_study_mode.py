"""Study mode in the real cockpit window (simulation sources): task card, DRT dot, operator marks,
the in-app questionnaire, and the wizard page's token guard. Screenshots: study_*.png."""

from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.request

import pytest

from app import paths
from tests.ui.conftest import SHOTS, pump, pump_until
from tests.ui.pixels import fraction_like, region

pytestmark = pytest.mark.ui


class FakeClock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


@pytest.fixture(scope="module")
def study_mode(qt_app, tmp_path_factory):
    import os

    old = os.environ.get("COCKPIT_DATA_DIR")
    os.environ["COCKPIT_DATA_DIR"] = str(tmp_path_factory.mktemp("study-data"))  # never the real data dir
    from app.study.definition import load_study
    from app.study.qt import StudyController
    from app.ui.shell import Cockpit

    cockpit = Cockpit(use_real_services=False, watch_network=False)
    cockpit.wait_for_map(timeout=30)
    clock = FakeClock()
    controller = StudyController(
        cockpit, load_study(paths.ASSETS / "studies" / "demo.yaml"), "P07", clock=clock
    )
    controller.clock_ = clock
    pump(0.3)
    yield cockpit, controller
    controller.close()
    if old is None:
        os.environ.pop("COCKPIT_DATA_DIR", None)
    else:
        os.environ["COCKPIT_DATA_DIR"] = old


def text_of(cockpit, name):
    item = cockpit.find(name)
    return item.property("text") if item is not None else None


def test_task_card_drt_and_questionnaire(study_mode):
    cockpit, c = study_mode
    clock = c.clock_
    assert c.bridge.property("phase") == "ready"
    c.bridge.nextTask()  # F5
    pump(0.3)
    first = c.session.order[0]
    assert c.bridge.property("phase") == "task"
    assert text_of(cockpit, "taskTitle") == c.study.task(first).title_en
    # the operator's messages go to the operator page and the terminal, never to the participant's card
    assert c.bridge.property("operatorLine") and not text_of(cockpit, "operatorLine")

    # The DRT dot comes on 3-5 s (fake clock) after the task starts; the 10 ms timer notices.
    clock.t += 5.1
    assert pump_until(lambda: c.bridge.property("drtLit"), timeout=5)
    pump(0.3)
    image = cockpit.grab()
    image.save(str(SHOTS / "study_task_drt.png"))
    dot = cockpit.find("drtDot")
    assert dot.property("visible")
    from PySide6.QtCore import QPointF

    pos = dot.mapToScene(QPointF(dot.property("width") / 2, dot.property("height") / 2))
    assert fraction_like(region(image, (int(pos.x()) - 3, int(pos.y()) - 3, 6, 6)), (255, 59, 59)) > 0.9
    clock.t += 0.42
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(cockpit.window, Qt.Key.Key_F2)  # the study's DRT key (a Shortcut in StudyView)
    pump(0.1)
    assert not c.bridge.property("drtLit")

    QTest.keyClick(cockpit.window, Qt.Key.Key_F6)  # the operator marks success
    pump(0.3)
    assert c.bridge.property("phase") == "questionnaire"
    assert "difficult or easy" in text_of(cockpit, "questionnaireItem")
    cockpit.grab().save(str(SHOTS / "study_questionnaire.png"))
    c.bridge.answer(6)
    pump(0.2)
    assert c.bridge.property("phase") == "ready"

    conn = sqlite3.connect(paths.data_dir() / "studies" / "demo.sqlite")
    sid = c.log.session_id
    assert conn.execute("SELECT outcome, outcome_by FROM tasks WHERE session_id=?", (sid,)).fetchall() == [
        ("success", "operator")
    ]
    assert conn.execute(
        "SELECT outcome, rt_ms FROM drt WHERE session_id=? AND kind='stimulus'", (sid,)
    ).fetchall() == [("hit", 420.0)]
    assert conn.execute(
        "SELECT instrument, score FROM questionnaires WHERE session_id=?", (sid,)
    ).fetchall() == [("seq", 6.0)]


def test_questionnaire_in_chinese(study_mode):
    cockpit, c = study_mode
    cockpit.set_language("zh")
    c._start_questionnaires([("sus", None)])
    pump(0.3)
    assert text_of(cockpit, "questionnaireItem") == "我愿意经常使用这个系统。"
    cockpit.grab().save(str(SHOTS / "study_questionnaire_zh.png"))
    for answer in [4, 2, 5, 1, 4, 2, 5, 1, 4, 2]:
        c.bridge.answer(answer)
    pump(0.2)
    conn = sqlite3.connect(paths.data_dir() / "studies" / "demo.sqlite")
    row = conn.execute(
        "SELECT score, language FROM questionnaires WHERE session_id=? AND instrument='sus'",
        (c.log.session_id,),
    ).fetchone()
    assert row == (85.0, "zh")
    cockpit.set_language("en")


def test_wizard_page_needs_its_token(study_mode):
    _, c = study_mode
    url = c.start_web()
    state = json.loads(urllib.request.urlopen(url.replace("/?", "/state?"), timeout=5).read())
    assert state["mode"] == "off" and state["status"]["session"] == c.log.session_id
    assert any(m["id"] == "navigating" and m["slots"] == ["minutes", "place"] for m in state["messages"])
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url.split("?")[0] + "state?token=wrong", timeout=5)
    assert err.value.code == 403


def test_replay_shows_the_logged_turn_and_task(study_mode):
    cockpit, c = study_mode
    from app.services import TurnEvent
    from app.study.replay import Replayer

    s = c.session
    s.start_task(s.remaining()[0])
    result = {"kind": "parking", "items": [{"name": "Simulated car park A", "name_en": "Simulated car park A",
              "name_zh": "模拟停车场 A", "lat": 31.24, "lon": 121.49, "walk_m": 120, "free": 40,
              "price_per_hour": 15, "simulated": True, "kind": "parking", "id": "p1"}]}  # fmt: skip
    for kind, data in [
        ("state", {"state": "thinking"}),
        ("transcript", {"text": "Find parking near the Bund", "language": "en"}),
        ("reply", {"text": "One car park near the Bund.", "language": "en", "caught": True}),
        ("result", {"tool": "find_parking", "args": {"near": "the Bund"}, "result": result}),
        (
            "trace",
            {"end_of_speech_to_first_audio_ms": 400.0, "t0_unix": 1.0, "marks_ms": {"end_of_speech": 0.0}},
        ),
        ("state", {"state": "idle"}),
    ]:
        s.on_turn_event(TurnEvent(kind, data))
    s.end_task("success", "operator")
    c.bridge.answer(5)
    cockpit.assistant.on_event(TurnEvent("transcript", {"text": ""}))
    cockpit.assistant.on_event(TurnEvent("reply", {"text": ""}))

    replay = Replayer(cockpit, c.log.session_id, speed=100)
    assert replay.bridge is cockpit.window.property("studyBackend")
    for _, task_id, kind, data in replay.events:
        replay.apply(task_id, kind, data)
        if kind == "pipeline_result":
            pump(0.2)
            assert cockpit.assistant.property("transcript") == "Find parking near the Bund"
            assert cockpit.assistant.property("reply") == "One car park near the Bund."
            assert len(cockpit.assistant.property("cards")) == 1
            assert replay.bridge.property("phase") == "task"
    pump(0.2)
    cockpit.grab().save(str(SHOTS / "study_replay.png"))
    assert replay.bridge.property("phase") == "ready"
    cockpit.window.setProperty("studyBackend", c.bridge)


def test_pause_stops_the_time_limit_and_timeout_ends_the_task(study_mode):
    cockpit, c = study_mode
    clock = c.clock_
    if c.bridge.property("phase") != "ready":
        c._show_ready()
    c.bridge.nextTask()
    pump(0.2)
    task = c.session.task
    limit = task.time_limit_s
    c.bridge.togglePause()  # F8
    clock.t += limit + 30  # a long pause does not use up the task's time
    pump(0.4)
    assert c.session.task is task
    c.bridge.togglePause()
    pump(0.2)
    assert c.session.task is task and c.bridge.property("timeLeft") > 0
    clock.t += limit + 1
    assert pump_until(lambda: c.session.task is None, timeout=5)
    conn = sqlite3.connect(paths.data_dir() / "studies" / "demo.sqlite")
    outcome = conn.execute(
        "SELECT outcome, outcome_by FROM tasks WHERE session_id=? AND task_id=?", (c.log.session_id, task.id)
    ).fetchone()
    assert outcome == ("timeout", "time_limit")
    assert c.bridge.property("phase") == "questionnaire"
    c.bridge.answer(3)

"""A scripted session on the fakes: the events it logs, the turn table, wizard overrides, barge-in."""

import asyncio
import csv
import io
import json
import sqlite3

import pytest
import yaml

from app import paths
from app.study import export as ex
from app.study import log as studylog
from app.study import runner
from app.study.definition import load_study

pytestmark = pytest.mark.unit

STUDY = {
    "study": "unit",
    "conditions": [
        {"key": "agent", "wizard": "off"},
        {"key": "wizard", "wizard": "full"},
    ],
    "counterbalance": "fixed",
    "tasks": [
        {"id": "park", "title_en": "Park", "title_zh": "停车", "instruction_en": "Find parking.",
         "instruction_zh": "找停车场。", "time_limit_s": 60,
         "success": {"call": {"tool": "find_parking", "args": {"near": "bund|外滩"}}}},
        {"id": "light", "title_en": "Light", "title_zh": "红绿灯", "instruction_en": "Ask about the light.",
         "instruction_zh": "问红绿灯。", "time_limit_s": 60, "success": {"call": {"tool": "traffic_light_status"}}},
    ],
    "questionnaires": {"after_each_task": ["seq"], "at_end": ["sus"]},
}  # fmt: skip
SCRIPT = {
    "tasks": {
        "park": [{"type": "外滩附近有停车场吗"}, {"say": "hello there"}, {"ui": {"kind": "theme", "to": "day"}},
                 {"seq": 6}],
        "light": [{"type": "前面红绿灯还有多久"}, {"note": "participant hesitated"}, {"mark": "failure"}, {"seq": 3}],
    },
    "questionnaires": {"sus": [4, 2, 5, 1, 4, 2, 5, 1, 4, 2]},
}  # fmt: skip


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def write(tmp_path, name, doc):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def run_fake(tmp_path, script=SCRIPT, condition=None, study=STUDY):
    s = load_study(write(tmp_path, "study.yaml", study))
    sc = write(tmp_path, "script.yaml", script)
    lines = []
    sid = asyncio.run(
        runner.run(s, "P01", sc, condition, pace=0, fake=True, out=lambda *a, **k: lines.append(" ".join(a)))
    )
    return sid, lines


def events(sid):
    conn = sqlite3.connect(studylog.db_path("unit"))
    rows = conn.execute(
        "SELECT kind, task_id, data FROM events WHERE session_id=? ORDER BY id", (sid,)
    ).fetchall()
    return [(k, t, json.loads(d)) for k, t, d in rows]


def test_scripted_session_logs_the_expected_events(data_dir):
    sid, lines = run_fake(data_dir)
    kinds = [k for k, _, _ in events(sid)]
    # the order of the session's milestones
    milestones = [k for k in kinds if k in ("session_start", "task_start", "criterion_met", "task_end",
                                             "questionnaire", "session_end")]  # fmt: skip
    assert milestones == [
        "session_start",
        "task_start", "criterion_met", "task_end", "questionnaire",
        "task_start", "criterion_met", "task_end", "questionnaire",
        "questionnaire", "session_end",
    ]  # fmt: skip
    assert kinds.count("pipeline_trace") == 3
    assert "ui_theme" in kinds and "note" in kinds and "start_state" in kinds
    by_kind = {k: (t, d) for k, t, d in events(sid)}
    assert by_kind["ui_theme"] == ("park", {"to": "day"})
    assert by_kind["start_state"][1]["not_applied"] == {}  # the tasks ask for no start state
    tasks = ex.tables(sid)["tasks"]
    assert [(t["task_id"], t["outcome"], t["outcome_by"], t["criterion_met"]) for t in tasks] == [
        ("park", "success", "criterion", 1),
        ("light", "failure", "script", 1),  # the operator's mark wins over the criterion
    ]
    [row] = [s for s in studylog.all_sessions() if s["id"] == sid]
    assert row["state"] == "complete"


def test_turn_table_one_row_per_turn_with_trace_timings(data_dir):
    sid, _ = run_fake(data_dir)
    turns = ex.tables(sid)["turns"]
    assert [t["input"] for t in turns] == ["typed", "say", "typed"]
    assert [t["transcript"] for t in turns] == ["外滩附近有停车场吗", "hello there", "前面红绿灯还有多久"]
    assert turns[0]["tools"] == ["find_parking"] and turns[0]["calls"][0]["args"] == {"near": "the Bund"}
    assert turns[0]["language"] == "zh" and turns[1]["language"] == "en"
    for t in turns:
        for col in ("agent_ms", "tts_first_audio_ms", "end_of_speech_to_first_audio_ms"):
            assert isinstance(t[col], float) and t[col] >= 0, (col, t)
        stamps = [t[c] for c in ("end_of_speech_unix", "transcript_unix", "agent_decision_unix",
                                 "first_audio_unix", "end_of_audio_unix")]  # fmt: skip
        assert stamps == sorted(stamps) and all(stamps)
    spoken = turns[1]
    assert spoken["speech_start_unix"] < spoken["end_of_speech_unix"]  # the capture began before the release
    assert isinstance(spoken["stt_ms"], float)
    assert turns[0]["speech_start_unix"] is None  # typed: nothing was captured


def test_csv_export_has_the_documented_columns(data_dir):
    sid, _ = run_fake(data_dir)
    data = ex.tables(sid)
    doc = (paths.ROOT / "docs" / "study.md").read_text(encoding="utf-8")
    for name, cols in ex.TABLES.items():
        reader = csv.DictReader(io.StringIO(ex.to_csv(data[name], cols)))
        assert reader.fieldnames == cols
        rows = list(reader)
        assert len(rows) == len(data[name])
        for col in cols:  # every column is documented in its table
            assert f"| `{col}` |" in doc, f"docs/study.md does not document {name}.{col}"
    assert len(data["turns"]) == 3
    for timing in ("stt_ms", "agent_ms", "tts_first_audio_ms", "end_of_speech_to_first_audio_ms"):
        assert timing in ex.TURN_COLS
    q = {r["instrument"]: r for r in data["questionnaires"] if r["instrument"] == "sus"}
    assert q["sus"]["score"] == 85.0


def test_full_wizard_reply_is_spoken_and_logged_as_an_override(data_dir):
    script = {
        "tasks": {
            "park": [{"wizard": {"action": "reply", "text": "Three car parks near the Bund."}},
                     {"type": "外滩附近有停车场吗"}],
            "light": [{"wizard": {"action": "canned", "id": "light_green", "slots": {"seconds": 12, "speed": 40},
                                  "language": "zh"}},
                      {"type": "前面红绿灯还有多久"}],
        }
    }  # fmt: skip
    sid, _ = run_fake(data_dir, script=script, condition="wizard")
    turns = ex.tables(sid)["turns"]
    assert [t["wizard_override"] for t in turns] == [1, 1]
    assert [t["wizard_action"] for t in turns] == ["reply", "canned"]
    assert turns[0]["reply"] == "Three car parks near the Bund."
    assert turns[1]["reply"] == "前方红绿灯还有12秒变绿，保持40公里每小时可以赶上绿灯。"
    assert turns[0]["decided_by"] == "wizard:reply"
    wizard_events = [d for k, _, d in events(sid) if k == "wizard"]
    assert wizard_events[0]["mode"] == "full" and wizard_events[0]["proposal"] is None  # agent not consulted
    # the criterion saw no find_parking call: the wizard only talked
    assert ex.tables(sid)["tasks"][0]["criterion_met"] == 0


def test_barge_in_is_logged_on_the_cut_off_turn(data_dir, tmp_path):
    from app.study.definition import load_study as load
    from app.study.log import StudyLog
    from app.study.session import StudySession
    from app.voice.audio import WavSink
    from app.voice.fakes import FakeAgent, FakeRecognizer, FakeSynthesizer
    from app.voice.pipeline import VoicePipeline
    from app.voice.tts.chain import VoiceChain

    study = load(write(tmp_path, "study.yaml", STUDY))
    log_ = StudyLog.create(study, "P02", study.condition(None), ["park", "light"], mode="test")
    session = StudySession(study, log_, study.condition(None), ["park", "light"])
    long_reply = "A long answer that goes on. And on for a while. And then some more."
    pipe = VoicePipeline(FakeRecognizer(), FakeAgent(reply=long_reply), VoiceChain([FakeSynthesizer()]),
                         WavSink(realtime=True))  # fmt: skip
    pipe.add_listener(session.on_turn_event)
    session.start_task("park")

    async def go():
        first = asyncio.ensure_future(pipe.run_text_turn("find parking"))
        while not pipe.speaking:
            await asyncio.sleep(0.005)
        await pipe.run_text_turn("stop, find restaurants")
        await first
        await pipe.close()

    asyncio.run(go())
    turns = ex.tables(log_.session_id)["turns"]
    assert [t["barge_in"] for t in turns] == [1, 0]
    assert turns[0]["spoken"] is not None and len(turns[0]["spoken"]) < len(long_reply)


def test_not_caught_and_typed_turns_in_one_task(data_dir):
    script = {
        "tasks": {"park": [{"say": ""}, {"type": "外滩附近有停车场吗"}], "light": [{"mark": "skipped"}]}
    }
    sid, _ = run_fake(data_dir, script=script)
    turns = ex.tables(sid)["turns"]
    assert [(t["input"], t["caught"]) for t in turns] == [("say", 0), ("typed", 1)]
    assert turns[0]["reply"] in ("Sorry, I didn't catch that.", "抱歉，我没听清。")
    assert turns[0]["tools"] == []
    assert ex.tables(sid)["tasks"][0]["turns"] == 2


def test_operator_takes_over_for_one_task(data_dir):
    script = {
        "tasks": {
            "park": [{"type": "外滩附近有停车场吗"}],
            "light": [
                {"mode": "full"},
                {
                    "wizard": {
                        "action": "tool",
                        "tool": "traffic_light_status",
                        "args": {},
                        "text": "Green in 10 s.",
                    }
                },
                {"type": "前面红绿灯还有多久"},
                {"mode": False},  # YAML's bare `off`
                {"type": "前面红绿灯还有多久"},
            ],
        }
    }
    sid, _ = run_fake(data_dir, script=script)
    turns = ex.tables(sid)["turns"]
    assert [(t["wizard_override"], t["wizard_action"]) for t in turns] == [(0, None), (1, "tool"), (0, None)]
    assert turns[1]["tools"] == ["traffic_light_status"] and turns[1]["reply"] == "Green in 10 s."
    assert [d["mode"] for k, _, d in events(sid) if k == "wizard_mode"] == ["full", "off"]
    # the wizard's tool call counts for the task's criterion like the agent's would
    assert ex.tables(sid)["tasks"][1]["criterion_met"] == 1


def test_export_by_study_holds_every_session(data_dir):
    first, _ = run_fake(data_dir)
    second, _ = run_fake(data_dir)
    data = ex.tables(study="unit")
    assert [s["id"] for s in data["sessions"]] == [first, second]
    assert {t["session_id"] for t in data["turns"]} == {first, second}
    assert len(data["turns"]) == 6
    with pytest.raises(LookupError, match="no sessions of study"):
        ex.tables(study="nope")

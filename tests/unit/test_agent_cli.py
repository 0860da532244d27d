import io
import json

import pytest

from app.agent.__main__ import main

pytestmark = pytest.mark.unit

OLD_FIELDS = {"tool", "args", "reply", "language", "latency_ms"}


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_DATA_DIR", str(tmp_path / "data"))


def test_json_one_utterance(capsys):
    assert main(["--fake", "--json", "附近有停车场吗"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == OLD_FIELDS | {"calls"}
    assert (out["tool"], out["language"]) == ("find_parking", "zh")
    assert out["calls"] == [{"tool": "find_parking", "args": {}, "domain": "places", "ok": True}]


def test_json_calls_for_two_requests_and_top_level_is_the_first(capsys):
    main(["--fake", "--json", "导航去公司关闭空调"])
    out = json.loads(capsys.readouterr().out)
    assert [(c["tool"], c["domain"]) for c in out["calls"]] == [
        ("navigate", "navigation"),
        ("car_set", "vehicle"),
    ]
    assert (out["tool"], out["args"]) == (out["calls"][0]["tool"], out["calls"][0]["args"])


def test_no_action_is_one_none_call(capsys):
    main(["--fake", "--json", "你好"])
    out = json.loads(capsys.readouterr().out)
    assert out["tool"] == "none" and [c["domain"] for c in out["calls"]] == ["chat"]


def test_stdin_lines_are_fresh_conversations(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("附近有停车场吗\n第二个\n\n" + "x" * 5000 + "\n"))
    assert main(["--fake", "--json", "-"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 4
    assert lines[1]["tool"] != "navigate" or lines[1]["calls"][0]["ok"] is False  # no list before it
    assert lines[2]["tool"] == "none"


def test_session_file_keeps_context_and_car_state(capsys, tmp_path):
    session = str(tmp_path / "s.json")
    main(["--fake", "--json", "--session", session, "附近有停车场吗"])
    main(["--fake", "--json", "--session", session, "第二个"])
    second = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert second["tool"] == "navigate" and second["calls"][0]["ok"]
    main(["--fake", "--json", "--session", session, "--show-state", "关闭空调"])
    assert json.loads(capsys.readouterr().out)["car"]["climate"]["power"] is False
    main(["--fake", "--json", "--session", session, "--show-state", "你好"])  # another process: still off
    assert json.loads(capsys.readouterr().out)["car"]["climate"]["power"] is False
    main(["--fake", "--json", "--session", session, "--show-state", "算了"])
    last = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert last["calls"][0]["tool"] == "undo" and last["car"]["climate"]["power"] is True


def test_show_state_adds_the_car(capsys):
    main(["--fake", "--json", "--show-state", "打开空调"])
    out = json.loads(capsys.readouterr().out)
    assert out["car"]["climate"]["power"] is True and set(out["car"]) >= {
        "climate",
        "seats",
        "media",
        "phone",
    }

import io
import json

import pytest

from app.agent.__main__ import main

pytestmark = pytest.mark.unit


def test_json_one_utterance(capsys):
    assert main(["--fake", "--json", "附近有停车场吗"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"tool", "args", "reply", "language", "latency_ms"}
    assert (out["tool"], out["language"]) == ("find_parking", "zh")


def test_stdin_lines_are_fresh_conversations(capsys, monkeypatch):
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("find sushi restaurants\nthe second one\n\n" + "x" * 5000 + "\n")
    )
    assert main(["--fake", "--json", "-"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 4
    assert lines[1]["tool"] != "navigate"  # no list before it in a fresh conversation
    assert lines[2]["tool"] == "none"


def test_session_file_keeps_context(capsys, tmp_path):
    session = str(tmp_path / "s.json")
    main(["--fake", "--json", "--session", session, "find sushi restaurants"])
    main(["--fake", "--json", "--session", session, "the first one"])
    second = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert second["tool"] == "navigate"

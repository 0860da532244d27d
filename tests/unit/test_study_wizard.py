"""Wizard-of-Oz: the console's modes and timeouts, prepared messages with slots, and the operator
page (token, localhost Host header, a decision posted while the agent thread waits)."""

import json
import threading
import urllib.error
import urllib.request

import pytest

from app.services import AgentTurn
from app.study.wizard import SLOT, WizardAgent, WizardConsole, WizardError, fill, load_messages
from app.study.wizard_web import WizardServer

pytestmark = pytest.mark.unit


class Agent:
    def __init__(self):
        self.calls = []

    def respond(self, text, language_hint=None):
        self.calls.append(text)
        return AgentTurn(
            "find_parking", {"near": "外滩"}, "Found three.", "en", 5.0, {"kind": "parking"}, "fast_path"
        )

    def reset(self):
        pass


def test_off_mode_passes_the_agent_through_and_mirrors_it():
    console = WizardConsole("off")
    agent = Agent()
    turn = WizardAgent(agent, console).respond("find parking")
    assert turn.reply == "Found three." and turn.decided_by == "fast_path"
    assert [h["who"] for h in console.history] == ["driver", "agent"]


def test_supervised_times_out_to_the_agent_answer():
    console = WizardConsole("supervised", timeout_s=0.0)
    decisions = []
    turn = WizardAgent(Agent(), console, on_decision=decisions.append).respond("find parking")
    assert turn.reply == "Found three." and turn.decided_by == "wizard:pass:fast_path"
    assert decisions[0]["action"] == "pass" and decisions[0]["by"] == "timeout"
    assert decisions[0]["proposal"]["calls"] == [{"tool": "find_parking", "args": {"near": "外滩"}}]


def test_full_wizard_never_asks_the_agent():
    console = WizardConsole("full")
    console.preload({"action": "reply", "text": "好的。", "language": "zh"})
    agent = Agent()
    turn = WizardAgent(agent, console).respond("find parking")
    assert agent.calls == []  # nothing happened in the world behind the wizard's back
    assert (turn.reply, turn.language, turn.decided_by) == ("好的。", "zh", "wizard:reply")


def test_tool_decision_without_a_world_is_logged_not_run():
    console = WizardConsole("full")
    console.preload({"action": "tool", "tool": "find_parking", "args": {"near": "外滩"}, "text": "Here."})
    turn = WizardAgent(Agent(), console).respond("x")
    assert turn.tool == "find_parking" and turn.result["kind"] == "error"
    assert turn.calls[0]["ok"] is False


def test_prepared_messages_and_slots():
    messages = {m["id"]: m for m in load_messages()}
    assert messages["navigating"]["slots"] == ["minutes", "place"]
    for m in messages.values():  # both languages use the same slots
        assert m["slots"] == sorted(set(SLOT.findall(m["en"])))
    assert fill("Navigating to [place].", {"place": "外滩"}) == "Navigating to 外滩."
    with pytest.raises(WizardError, match="place"):
        fill("Navigating to [place].", {})


def test_canned_with_a_missing_slot_falls_back_to_the_agent():
    console = WizardConsole("supervised", timeout_s=5)
    console.preload({"action": "canned", "id": "navigating", "slots": {"place": "外滩"}})
    turn = WizardAgent(Agent(), console).respond("x")
    assert turn.decided_by == "wizard:invalid" and turn.reply == "Found three."


def _get(url, host=None):
    req = urllib.request.Request(url, headers={"Host": host} if host else {})
    return urllib.request.urlopen(req, timeout=5)


def test_operator_page_token_host_and_a_live_decision():
    console = WizardConsole("full")
    ops = []
    server = WizardServer(
        console, status=lambda: {"task": "t1"}, operator=lambda a, t: ops.append((a, t))
    ).start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        assert b"Wizard" in _get(server.url).read()
        for bad in (f"{base}/state", f"{base}/state?token=nope"):
            with pytest.raises(urllib.error.HTTPError) as err:
                _get(bad)
            assert err.value.code == 403
        with pytest.raises(urllib.error.HTTPError) as err:  # a page on another origin (DNS rebinding)
            _get(f"{base}/state?token={server.token}", host="evil.example")
        assert err.value.code == 403

        result = {}
        worker = threading.Thread(
            target=lambda: result.update(turn=WizardAgent(Agent(), console).respond("hi"))
        )
        worker.start()
        state = {}
        for _ in range(500):  # the agent thread posts its request within milliseconds
            state = json.loads(_get(f"{base}/state?token={server.token}").read())
            if state.get("pending"):
                break
            worker.join(timeout=0.01)
        assert state["pending"]["transcript"] == "hi" and state["status"] == {"task": "t1"}

        def post(path, body):
            req = urllib.request.Request(
                f"{base}{path}?token={server.token}", data=json.dumps(body).encode(), method="POST"
            )
            return urllib.request.urlopen(req, timeout=5).read()

        with pytest.raises(urllib.error.HTTPError) as err:
            post("/decide", {"action": "dance"})
        assert err.value.code == 400
        post("/decide", {"action": "reply", "text": "Hello from the wizard."})
        worker.join(timeout=10)
        assert result["turn"].reply == "Hello from the wizard."
        post("/operator", {"action": "next"})
        post("/mode", {"mode": "supervised"})
        assert ops == [("next", "")] and console.mode == "supervised"
    finally:
        server.stop()

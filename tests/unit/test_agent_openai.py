"""The OpenAI-compatible runtime against a tiny local stand-in server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from app.agent import schema
from app.agent.core import CockpitAgent
from app.agent.fake import FakeWorld
from app.agent.fake_cabin import FakeCabin
from app.agent.runtime import OpenAIRuntime

pytestmark = pytest.mark.unit


@pytest.fixture
def server():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append(body)
            user = body["messages"][-1]["content"]
            call = (
                'navigate(place="外滩")\ncar_set(control="climate.power", value="off")'
                if "外滩" in user
                else '<tool_call>\n{"name": "trip_status", "arguments": {}}\n</tool_call>'
            )
            data = json.dumps({"choices": [{"message": {"role": "assistant", "content": call}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/v1", seen
    httpd.shutdown()


def test_openai_runtime_sends_the_schema_prompt_and_parses_both_call_forms(server):
    url, seen = server
    b = schema.bind_default(FakeCabin())
    agent = CockpitAgent(OpenAIRuntime(b, url), FakeWorld(), cabin=FakeCabin(), bound=b)
    turn = agent.respond("我们去外滩看看，把空调关了")
    assert [c["tool"] for c in turn.calls] == ["navigate", "car_set"]
    msgs = seen[0]["messages"]
    assert msgs[0] == {"role": "system", "content": b.prompt_system()}
    assert len(msgs) == 2 + 2 * len(b.prompt_examples()) and seen[0]["temperature"] == 0
    assert agent.respond("how far away are we").tool == "trip_status"  # Qwen's native <tool_call> JSON


def test_unreachable_server_degrades_to_no_action():
    b = schema.bind_default(FakeCabin())
    agent = CockpitAgent(
        OpenAIRuntime(b, "http://127.0.0.1:9/v1", timeout_s=0.5), FakeWorld(), cabin=FakeCabin()
    )
    turn = agent.respond("我们去外滩看看")
    assert turn.tool == "none" and turn.reply and agent.world.current_route is None

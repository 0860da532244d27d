import pytest

from app.agent.fastpath import decide
from app.agent.text import detect_language

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "text, tool, args",
    [
        ("附近有停车场吗", "find_parking", {}),
        ("新天地附近哪里能停车", "find_parking", {"near": "新天地"}),
        ("is there parking near the Bund", "find_parking", {"near": "the Bund"}),
        ("导航到外滩", "navigate", {"destination": "外滩"}),
        ("take me to Hongqiao station", "navigate", {"destination": "Hongqiao station"}),
        ("路上找个充电站", "add_stop", {"category": "charging"}),
        ("grab a coffee on the way", "add_stop", {"category": "coffee"}),
        ("前面的红绿灯还有多久变绿", "traffic_light_status", {}),
        ("还有多远", "trip_status", {}),
        ("what's our ETA", "trip_status", {}),
        ("我想吃火锅", "find_restaurants", {"cuisine": "hotpot"}),
        ("你好", "none", {}),
    ],
)
def test_fast_path_common_phrasings(text, tool, args):
    assert decide(text) == (tool, args)


@pytest.mark.parametrize(
    "text",
    [
        "don't take me to the Bund",  # negation: the model must read it
        "不要导航到外滩",
        "find parking and then take me to the Bund",  # two requests
        "what's the capital of France",
        "去吃火锅",  # 'go' + food is a search, not a place
        "x" * 100,
    ],
)
def test_fast_path_leaves_the_rest_to_the_model(text):
    assert decide(text) is None


@pytest.mark.parametrize(
    "text, lang",
    [
        ("附近有停车场吗", "zh"),
        ("take me home", "en"),
        ("导航到 The Bund", "zh"),
        ("play 周杰伦 songs please", "en"),
        ("123", "en"),
    ],
)
def test_language_by_cjk_share(text, lang):
    assert detect_language(text) == lang


def test_language_hint_breaks_ties():
    assert detect_language("???", "zh") == "zh"

import pytest

from app.agent import prompt
from app.agent.parse import ParseError, parse_call
from app.agent.tools import ToolArgError, validate

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "text, name, args",
    [
        ('navigate(destination="外滩")', "navigate", {"destination": "外滩"}),
        ("find_parking()", "find_parking", {}),
        (
            'find_restaurants(cuisine="sushi", near="Xintiandi")',
            "find_restaurants",
            {"cuisine": "sushi", "near": "Xintiandi"},
        ),
        (
            '<tool_call>\n{"name": "add_stop", "arguments": {"category": "fuel"}}\n</tool_call>',
            "add_stop",
            {"category": "fuel"},
        ),
        ('{"name": "trip_status", "arguments": "{}"}', "trip_status", {}),
        ("trip_status", "trip_status", {}),
        (
            'navigate(destination="the Bund',
            "navigate",
            {"destination": "the Bund"},
        ),  # truncated at max tokens
    ],
)
def test_parse_call_forms(text, name, args):
    assert parse_call(text) == (name, args)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "I think you should park",
        '{"name": 3}',
        "<tool_call>{not json}</tool_call>",
        "navigate(外滩)",
    ],
)
def test_parse_call_rejects_garbage(text):
    with pytest.raises(ParseError):
        parse_call(text)


def test_validate_normalises_and_drops():
    assert validate("add_stop", {"category": "加油站"}) == {"category": "fuel"}
    assert validate("add_stop", {"category": "EV charger", "radius": 5}) == {"category": "charging"}
    assert validate("find_parking", {"near": "附近"}) == {}
    assert validate("find_parking", {"near": "near me"}) == {}
    assert validate("find_restaurants", {"cuisine": "川菜", "near": "新天地"}) == {
        "cuisine": "sichuan",
        "near": "新天地",
    }
    assert validate("find_restaurants", {"cuisine": "驴杂汤"}) == {
        "cuisine": "驴杂汤"
    }  # as said, if not in our vocabulary
    assert validate("navigate", {"destination": "x" * 500})["destination"] == "x" * 60


@pytest.mark.parametrize(
    "name, args",
    [
        ("navigate", {}),
        ("navigate", {"destination": ""}),
        ("add_stop", {"category": "bowling"}),
        ("navigate", {"destination": ["a"]}),
    ],
)
def test_validate_rejects_bad_args(name, args):
    with pytest.raises(ToolArgError):
        validate(name, args)


def test_validate_unknown_tool():
    with pytest.raises(KeyError):
        validate("open_sunroof", {})


def test_turn_round_trip():
    suffix = prompt.turn("第二个", [("找家日料", 'find_restaurants(cuisine="日料")')])
    assert prompt.parse_turn(suffix) == ([("找家日料", 'find_restaurants(cuisine="日料")')], "第二个")
    # The fixed prefix must not depend on the turn: that is what makes it cacheable.
    assert prompt.prefix() == prompt.prefix() and "第二个" not in prompt.SYSTEM

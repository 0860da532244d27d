import pytest

from app.agent import prompt
from app.agent.parse import ParseError, parse_call

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


def test_validate_drops_here_words_and_clips():
    from app.agent import schema

    b = schema.bind_default()
    assert b.validate("find_parking", {"near": "附近"}) == {}
    assert b.validate("find_parking", {"near": "near me", "radius": 5}) == {}
    assert b.validate("find_restaurants", {"cuisine": "驴杂汤"}, "想吃驴杂汤") == {"cuisine": "驴杂汤"}
    assert b.validate("navigate", {"place": "x" * 500})["place"] == "x" * 60


def test_turn_round_trip():
    suffix = prompt.turn("第二个", [("找家日料", 'find_restaurants(cuisine="日料")')])
    assert prompt.parse_turn(suffix) == ([("找家日料", 'find_restaurants(cuisine="日料")')], "第二个")
    # The fixed prefix must not depend on the turn: that is what makes it cacheable.
    from app.agent import schema

    b = schema.bind_default()
    assert prompt.prefix(b) == prompt.prefix(b) and "第二个" not in b.prompt_system()

"""Matching what the agent did against what a scenario step expects."""

import pytest

from app.show import check

pytestmark = pytest.mark.unit


def test_old_agent_turn_becomes_one_call_with_its_benchmark_domain_and_implied_category():
    calls = check.calls_of({"tool": "find_parking", "args": {"near": "外滩"}, "result": {"kind": "parking"}})
    assert calls == [
        {
            "tool": "find_parking",
            "args": {"category": "parking", "near": "外滩"},
            "domain": "places",
            "result": {"kind": "parking"},
        }
    ]


def test_new_agent_calls_are_taken_as_they_are():
    data = {
        "tool": "navigate",
        "calls": [
            {"tool": "navigate", "domain": "navigation", "args": {}},
            {"tool": "cabin_set", "domain": "vehicle", "args": {}},
        ],
    }
    assert [c["domain"] for c in check.calls_of(data)] == ["navigation", "vehicle"]
    kept = check.calls_of(
        {"calls": [{"tool": "find_restaurants", "domain": "places", "args": {"near": "外滩"}}]}
    )
    assert kept[0]["args"] == {"category": "restaurant", "near": "外滩"}  # the tool's name is its category


@pytest.mark.parametrize(
    "want, got, ok",
    [
        (["bund", "外滩"], "the Bund", True),
        (["bund", "外滩"], "外滩", True),
        (["bund", "外滩"], "People's Square", False),
        ("oriental pearl", "Oriental Pearl Tower", True),
        (True, "on", True),
        (False, True, False),
        (22, 22.0, True),
        (22, 23, False),
    ],
)
def test_value_matching(want, got, ok):
    assert check.value_matches(want, got) is ok


NAV = {
    "tool": "navigate",
    "domain": "navigation",
    "args": {"destination": "The Bund"},
    "result": {"kind": "route"},
}
AC = {
    "tool": "cabin",
    "domain": "vehicle",
    "args": {"path": "climate.ac", "value": False},
    "result": {"kind": "cabin"},
}


def test_calls_in_order_with_key_args():
    want = [
        {"domain": "navigation", "args": {"destination": ["bund", "外滩"]}},
        {"domain": "vehicle", "args_any": ["climate"]},
    ]
    assert check.calls_match(want, [NAV, AC])
    assert not check.calls_match(want, [AC, NAV])  # order matters
    assert not check.calls_match(want, [NAV])  # a missing request fails
    assert check.calls_match(want[:1], [NAV, AC])
    assert not check.calls_match(want[:1], [NAV, AC], exact=True)


def test_an_argument_under_another_name_still_counts_but_a_wrong_value_does_not():
    renamed = {**NAV, "args": {"place": "the Bund"}}
    assert check.call_matches({"domain": "navigation", "args": {"destination": "bund"}}, renamed)
    assert not check.call_matches({"domain": "navigation", "args": {"destination": "xintiandi"}}, renamed)


def test_a_failed_tool_result_fails_the_call_unless_expected():
    failed = {**NAV, "result": {"kind": "not_found"}}
    assert not check.call_matches({"domain": "navigation"}, failed)
    assert check.call_matches({"domain": "navigation", "result_kind": "not_found"}, failed)


@pytest.mark.parametrize(
    "cond, value, ok",
    [
        (">0", 2, True),
        (">0", 0, False),
        ("<16", 15.2, True),
        ("!=off", "auto", True),
        ("!=off", "off", False),
        (True, True, True),
        (">0", None, False),
    ],
)
def test_state_conditions(cond, value, ok):
    assert check.condition_holds(cond, value) is ok


def test_state_paths_without_a_cabin_fail():
    assert check.state_matches({"seats.driver.heating": ">0"}, None) == {"seats.driver.heating": False}
    state = {"seats": {"driver": {"heating": 2}}}
    assert check.state_matches({"seats.driver.heating": ">0"}, state) == {"seats.driver.heating": True}

"""The voice bench's command set and its right-tool score (no model is run here)."""

import pytest

from app.bench import voice

pytestmark = pytest.mark.unit


def test_command_set_has_60_commands_per_language_with_cabin_and_media():
    commands = voice.load_commands()
    for lang in ("en", "zh"):
        rows = commands[lang]
        assert len(rows) >= 60
        domains = {d for r in rows for d in r["domains"]}
        assert {"navigation", "places", "vehicle", "media", "phone"} <= domains
        assert len({r["text"] for r in rows}) == len(rows), "no command twice"


def test_domains_come_from_calls_or_from_the_old_agents_tool():
    assert voice.call_domains([{"tool": "x", "domain": "vehicle"}]) == ["vehicle"]
    assert voice.call_domains([{"tool": "find_parking"}]) == ["places"]
    assert voice.call_domains([{"tool": "none"}]) == ["chat"]


def test_domain_rate_needs_every_action_in_order():
    turns = [
        {"domains": ["navigation", "vehicle"], "expected_domains": ["navigation", "vehicle"]},
        {"domains": ["navigation"], "expected_domains": ["navigation", "vehicle"]},  # half a request
        {"domains": ["vehicle", "navigation"], "expected_domains": ["navigation", "vehicle"]},
        {"domains": ["chat"], "expected_domains": None},  # not scored
    ]
    assert voice.domain_rate(turns) == round(1 / 3, 3)

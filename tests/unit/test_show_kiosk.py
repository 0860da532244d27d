"""The attract loop starts after idle, yields to a key press, and resets on the way (fake clock)."""

import pytest

from app.show.kiosk import Kiosk

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def make(idle_s=120):
    clock = Clock()
    log = []
    k = Kiosk(
        clock,
        idle_s,
        [("parking", "en"), ("parking", "zh"), ("green_wave", "en")],
        play=lambda n, lang: log.append(("play", n, lang)),
        stop=lambda: log.append(("stop",)),
        reset=lambda: log.append(("reset",)),
    )
    return k, clock, log


def test_attract_starts_only_after_the_idle_time():
    k, clock, log = make()
    clock.t = 119
    k.tick()
    assert k.mode == "live" and log == []
    clock.t = 120
    k.tick()
    assert k.mode == "attract"
    assert log == [("reset",), ("play", "parking", "en")]


def test_a_key_press_stops_the_demo_resets_and_returns_to_live():
    k, clock, log = make()
    clock.t = 130
    k.tick()
    log.clear()
    assert k.activity("key") is True
    assert k.mode == "live" and log == [("stop",), ("reset",)]
    clock.t = 130 + 119
    k.tick()
    assert k.mode == "live"  # the idle time counts again from the key press


def test_the_loop_plays_the_scenarios_in_turn_alternating_languages():
    k, clock, log = make()
    clock.t = 120
    for _ in range(4):
        k.tick()
        k.demo_finished()
    plays = [e[1:] for e in log if e[0] == "play"]
    assert plays == [("parking", "en"), ("parking", "zh"), ("green_wave", "en"), ("parking", "en")]


def test_activity_in_live_use_keeps_the_visitor_and_a_leaving_visitor_gets_a_reset():
    k, clock, log = make()
    for t in (60, 150, 250):  # someone keeps using it
        clock.t = t
        assert k.activity("touch") is False
        k.tick()
    assert log == []
    clock.t = 250 + 120  # they left
    k.tick()
    assert log[0] == ("reset",) and k.mode == "attract"


def test_an_operator_pick_is_not_interrupted_by_idle_and_the_menu_pauses_the_loop():
    k, clock, log = make()
    k.pick("green_wave", "zh")
    clock.t = 500
    k.tick()
    assert k.mode == "scenario" and log == [("play", "green_wave", "zh")]
    k.demo_finished()
    assert k.mode == "live"
    k.paused = True
    clock.t = 1000
    k.tick()
    assert k.mode == "live"

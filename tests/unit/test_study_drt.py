"""DRT (ISO 17488) timing logic and statistics on a fake clock."""

import random

import pytest

from app.study.drt import Drt

pytestmark = pytest.mark.unit


class FakeClock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def run_until_onset(drt, clock, step=0.01, limit=10.0):
    end = clock.t + limit
    while clock.t < end:
        clock.t = round(clock.t + step, 6)
        if any(e["kind"] == "drt_on" for e in drt.tick()):
            return clock.t
    raise AssertionError("no stimulus within the limit")


def make():
    clock = FakeClock()
    events = []
    drt = Drt(clock=clock, rng=random.Random(7), on_event=events.append)
    drt.start("t1")
    return drt, clock, events


def test_onsets_are_3_to_5_s_apart():
    drt, clock, _ = make()
    onsets = [run_until_onset(drt, clock) for _ in range(30)]
    gaps = [b - a for a, b in zip(onsets, onsets[1:], strict=False)]
    assert all(3.0 - 0.011 <= g <= 5.0 + 0.011 for g in gaps), gaps
    assert max(gaps) - min(gaps) > 0.5  # random, not a fixed period


def test_hit_rt_and_stimulus_goes_out_on_response():
    drt, clock, events = make()
    onset = run_until_onset(drt, clock)
    clock.t = onset + 0.4
    out = drt.respond()
    assert [e["kind"] for e in out] == ["drt_off", "drt_hit"]
    assert out[1]["rt_ms"] == pytest.approx(400, abs=0.5)
    assert not drt.lit


def test_stimulus_goes_out_after_one_second_and_late_press_still_hits():
    drt, clock, _ = make()
    onset = run_until_onset(drt, clock)
    clock.t = onset + 1.05
    assert [e["kind"] for e in drt.tick()] == ["drt_off"]
    clock.t = onset + 2.0  # dot is out, but 2,000 ms is inside the 100-2,500 ms window
    assert drt.respond()[-1]["kind"] == "drt_hit"


def test_miss_premature_false_alarm_and_repeat():
    drt, clock, _ = make()
    # miss: no response in the window
    onset = run_until_onset(drt, clock)
    clock.t = onset + 2.6
    assert "drt_miss" in [e["kind"] for e in drt.tick()]
    # false alarm: a press with no stimulus in its window
    assert drt.respond()[-1]["kind"] == "drt_false_alarm"
    # premature (< 100 ms) does not count as a hit; a later press still can
    onset = run_until_onset(drt, clock)
    clock.t = onset + 0.05
    assert drt.respond()[-1]["kind"] == "drt_premature"
    clock.t = onset + 0.3
    assert drt.respond()[-1]["kind"] == "drt_hit"
    clock.t = onset + 0.5
    assert drt.respond()[-1]["kind"] == "drt_repeat"
    st = drt.stats("t1")
    assert (st.stimuli, st.hits, st.misses, st.false_alarms, st.premature) == (2, 1, 1, 1, 1)
    assert st.hit_rate == 0.5
    assert st.mean_rt_ms == pytest.approx(300, abs=0.5)


def test_mean_rt_and_hit_rate_per_task():
    drt, clock, _ = make()
    rts = [0.3, 0.5, None, 0.7]
    for rt in rts:
        onset = run_until_onset(drt, clock)
        if rt is not None:
            clock.t = onset + rt
            drt.respond()
    drt.stop()
    drt.start("t2")
    onset = run_until_onset(drt, clock)
    clock.t = onset + 1.2
    drt.respond()
    drt.stop()
    t1, t2 = drt.stats("t1"), drt.stats("t2")
    assert (t1.stimuli, t1.hits, t1.hit_rate) == (4, 3, 0.75)
    assert t1.mean_rt_ms == pytest.approx(500, abs=0.5)
    assert t1.median_rt_ms == pytest.approx(500, abs=0.5)
    assert (t2.stimuli, t2.hits, t2.mean_rt_ms) == (1, 1, pytest.approx(1200, abs=0.5))


def test_stop_closes_an_open_window_as_a_miss_and_stops_stimuli():
    drt, clock, _ = make()
    run_until_onset(drt, clock)
    kinds = [e["kind"] for e in drt.stop()]
    assert kinds == ["drt_off", "drt_miss"]
    clock.t += 20
    assert drt.tick() == []

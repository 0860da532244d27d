"""The assistant bridge on the voice pipeline, all on fakes: TurnEvent -> store, no microphone, barge-in.

The bridges are plain QObjects here (no Qt event loop is needed for properties and direct signals);
the pipeline runs on asyncio.run like in tests/unit/test_voice_pipeline.py.
"""

from __future__ import annotations

import asyncio
import socket

import pytest

from app.services import AgentTurn, TurnEvent
from app.ui.adapters import NetworkWatch, VoiceAssistant
from app.ui.bridges import AssistantBridge
from app.ui.sources import FakePlaces, SimAssistant
from app.voice.audio import WavSink
from app.voice.fakes import FakeEndpointer, FakeRecognizer, FakeSynthesizer
from app.voice.pipeline import VoicePipeline
from app.voice.tts.chain import VoiceChain

pytestmark = pytest.mark.unit

NO_MIC = {"en": "No microphone found — type your request", "zh": "未找到麦克风——请输入您的请求"}


class ParkingAgent:
    """Answers every request like the real agent's find_parking, with obviously fake places."""

    def __init__(self, reply: str = "Test car park A is closest. Test car park B has more spaces."):
        self.reply = reply
        self.calls: list[str] = []

    def respond(self, text: str, language_hint=None) -> AgentTurn:
        self.calls.append(text)
        items = FakePlaces().parking()
        return AgentTurn(tool="find_parking", args={"near": "test"}, reply=self.reply, language="en",
                         latency_ms=1.0, result={"kind": "parking", "items": items})  # fmt: skip

    def reset(self) -> None:
        pass


class Recorder:
    """What the bridge hands on: toasts, cards for the map, voice and network for the status bar."""

    def __init__(self, bridge: AssistantBridge):
        self.toasts: list[str] = []
        self.cards: list[list] = []
        self.voice: list[tuple] = []
        self.network: list[bool] = []
        self.states: list[str] = []
        bridge.toast.connect(self.toasts.append)
        bridge.stateChanged.connect(lambda: self.states.append(bridge.property("state")))
        bridge.on_cards = self.cards.append
        bridge.on_voice = lambda *v: self.voice.append(v)
        bridge.on_network = self.network.append


class ScriptedSource:
    """An AssistantSource that only records calls; tests push TurnEvents through its listener."""

    def __init__(self):
        self.listener = None
        self.calls: list[tuple] = []

    def set_listener(self, listener):
        self.listener = listener

    def start_listening(self):
        self.calls.append(("start",))

    def stop_listening(self):
        self.calls.append(("stop",))

    def submit_text(self, text, language):
        self.calls.append(("text", text, language))

    def pick(self, index):
        self.calls.append(("pick", index))


def voice_setup(language: str = "en", sink=None, agent=None, engines=None):
    pipe = VoicePipeline(FakeRecognizer("find parking"), agent or ParkingAgent(),
                         VoiceChain(engines or [FakeSynthesizer(name="fake-voice")]),
                         sink or WavSink(realtime=True), endpointer=FakeEndpointer())  # fmt: skip
    navigated: list[tuple] = []
    source = VoiceAssistant(pipe, lambda lat, lon, name: navigated.append((lat, lon, name)))
    bridge = AssistantBridge(source)
    bridge.set_language(language)
    return pipe, source, bridge, Recorder(bridge), navigated


def prop(bridge, name):
    return bridge.property(name)


# --- TurnEvent -> store ---------------------------------------------------------------------------


def test_turn_events_map_onto_the_store():
    source = ScriptedSource()
    bridge = AssistantBridge(source)
    rec = Recorder(bridge)
    emit = source.listener

    emit(TurnEvent("state", {"state": "listening", "mode": "push_to_talk"}))
    assert prop(bridge, "state") == "listening"
    emit(TurnEvent("level", {"rms": -15.0}))
    assert prop(bridge, "level") == 1.0
    emit(TurnEvent("level", {"rms": -37.5}))
    assert prop(bridge, "level") == pytest.approx(0.5)
    emit(TurnEvent("level", {"rms": -100.0}))
    assert prop(bridge, "level") == 0.0

    emit(TurnEvent("partial", {"text": "find par", "language": "en"}))
    assert (prop(bridge, "transcript"), prop(bridge, "partial")) == ("find par", True)
    emit(TurnEvent("transcript", {"text": "find parking", "language": "en", "confidence": 0.8}))
    assert (prop(bridge, "transcript"), prop(bridge, "partial")) == ("find parking", False)

    emit(TurnEvent("state", {"state": "thinking"}))
    emit(TurnEvent("reply", {"text": "Test car park A is closest.", "language": "en", "caught": True}))
    emit(TurnEvent("result", {"tool": "find_parking", "args": {},
                              "result": {"kind": "parking", "items": FakePlaces().parking()}}))  # fmt: skip
    assert prop(bridge, "reply") == "Test car park A is closest."
    cards = prop(bridge, "cards")
    assert [c["name"] for c in cards] == ["Test car park A", "Test car park B", "Test car park C"]
    assert all(c["simulated"] and c["kind"] == "parking" for c in cards)
    assert rec.cards == [cards]
    # A result that is not a list of places (a route, the weather) leaves the cards alone.
    emit(TurnEvent("result", {"tool": "navigate", "args": {}, "result": {"kind": "route"}}))
    assert prop(bridge, "cards") == cards

    emit(TurnEvent("state", {"state": "speaking"}))
    assert prop(bridge, "state") == "speaking"
    # The pipeline's momentary "interrupted" is no mode of the orb: shown as idle.
    emit(TurnEvent("state", {"state": "interrupted", "spoken": "Test car…"}))
    assert prop(bridge, "state") == "idle"

    emit(TurnEvent("voice", {"engine": "piper", "kind": "local", "online": False}))
    emit(TurnEvent("network", {"online": False}))
    assert rec.voice == [("piper", "local", False)] and rec.network == [False]
    emit(TurnEvent("trace", {"stt_ms": 1.0}))  # ignored, no crash


def test_errors_toast_in_the_ui_language():
    source = ScriptedSource()
    bridge = AssistantBridge(source)
    rec = Recorder(bridge)
    source.listener(TurnEvent("error", {"code": "no_microphone"}))
    bridge.set_language("zh")
    source.listener(TurnEvent("error", {"code": "no_microphone"}))
    source.listener(TurnEvent("error", {"code": "no_audio_device", "message": "x / y", "message_en": "x",
                                        "message_zh": "y"}))  # fmt: skip
    source.listener(TurnEvent("error", {"code": "something_new", "message": "raw"}))
    assert rec.toasts == [NO_MIC["en"], NO_MIC["zh"], "y", "raw"]


def test_talk_text_and_pick_go_to_the_source():
    source = ScriptedSource()
    bridge = AssistantBridge(source)
    bridge.set_language("zh")
    bridge.pressTalk()
    bridge.releaseTalk()
    bridge.submitText("  附近有停车场吗 ")
    bridge.submitText("   ")
    bridge.pickCard(1)
    assert source.calls == [("start",), ("stop",), ("text", "附近有停车场吗", "zh"), ("pick", 1)]


# --- the real pipeline on fakes ---------------------------------------------------------------------


def test_typed_turn_through_the_pipeline_fills_the_store_and_speaks():
    async def go():
        pipe, source, bridge, rec, navigated = voice_setup(sink=WavSink())
        bridge.submitText("find parking")
        await asyncio.wait(list(source._tasks))
        assert prop(bridge, "transcript") == "find parking"
        assert prop(bridge, "reply").startswith("Test car park A")
        assert [c["name"] for c in prop(bridge, "cards")][:2] == ["Test car park A", "Test car park B"]
        assert rec.states == ["thinking", "speaking", "idle"]
        assert rec.voice == [("fake-voice", "local", False)]
        assert pipe.sink.played_samples > 0, "the reply was not spoken"
        bridge.pickCard(1)  # touch the second card: navigate there
        assert navigated == [(31.2311, 121.4738, "测试停车场B")]
        await source.close()

    asyncio.run(go())


def test_no_microphone_toasts_and_typed_input_still_works(monkeypatch):
    from app.voice import audio

    def no_device(self, loop, on_frame):
        raise audio.AudioUnavailable("no input device")

    monkeypatch.setattr(audio.MicSource, "start", no_device)

    async def go():
        pipe, source, bridge, rec, _ = voice_setup(language="zh", sink=WavSink())
        assert source.open_microphone() is False
        assert rec.toasts == [NO_MIC["zh"]]
        bridge.set_language("en")
        bridge.pressTalk()  # push-to-talk with no microphone: a toast, no listening state
        bridge.releaseTalk()
        assert rec.toasts[-1] == NO_MIC["en"]
        assert prop(bridge, "state") == "idle" and "listening" not in rec.states
        bridge.submitText("find parking")
        await asyncio.wait(list(source._tasks))
        assert prop(bridge, "reply") and prop(bridge, "cards")
        await source.close()

    asyncio.run(go())


def test_speaker_failure_is_a_no_speaker_toast_and_the_reply_stays():
    from app.voice.audio import AudioUnavailable

    class BrokenSpeaker(WavSink):
        async def start(self, sample_rate):
            raise AudioUnavailable("no output device")

    async def go():
        pipe, source, bridge, rec, _ = voice_setup(sink=BrokenSpeaker())
        bridge.submitText("find parking")
        await asyncio.wait(list(source._tasks))
        assert rec.toasts == ["No speaker found — replies are shown on screen"]
        assert prop(bridge, "reply").startswith("Test car park A")
        await source.close()

    asyncio.run(go())


def test_talk_press_while_speaking_interrupts_playback():
    async def go():
        sink = WavSink(realtime=True)
        long_reply = "Test car park A is closest. " * 6
        pipe, source, bridge, rec, _ = voice_setup(sink=sink, agent=ParkingAgent(long_reply))
        bridge.submitText("find parking")
        (task,) = source._tasks
        while prop(bridge, "state") != "speaking" or sink.played_samples < 22050 * 0.5:
            await asyncio.sleep(0.01)
        bridge.pressTalk()  # barge-in: no microphone here, but the car stops talking first
        stopped_at = sink.played_samples
        assert not pipe.speaking
        await asyncio.sleep(0.15)
        assert sink.played_samples == stopped_at, "audio kept playing after the talk press"
        result = await task
        # Interrupted, not finished: no wall-clock bound here (a timing never decides a test).
        assert result.interrupted and len(result.spoken) < len(long_reply.strip())
        assert prop(bridge, "state") == "idle"
        assert rec.toasts == [NO_MIC["en"]]
        await source.close()

    asyncio.run(go())


def test_cloud_voice_failing_reports_offline():
    from app.voice.tts.base import SynthesisError

    async def go():
        cloud = FakeSynthesizer(name="cloud", kind="cloud", fail=SynthesisError("dns"))
        pipe, source, bridge, rec, _ = voice_setup(
            sink=WavSink(), engines=[cloud, FakeSynthesizer(name="local")]
        )
        bridge.submitText("find parking")
        await asyncio.wait(list(source._tasks))
        assert rec.voice == [("local", "local", False)]
        assert rec.network == [False]
        await source.close()

    asyncio.run(go())


# --- simulated assistant: no invented places ---------------------------------------------------------


def sim(places=None, language="en"):
    navigated = []
    assistant = SimAssistant(schedule=lambda delay, fn: fn(), navigate=lambda *a: navigated.append(a),
                             places=places)  # fmt: skip
    bridge = AssistantBridge(assistant)
    bridge.set_language(language)
    return assistant, bridge, navigated


def test_sim_assistant_without_place_data_invents_nothing():
    _, bridge, _ = sim(places=None)
    bridge.submitText("Find parking nearby")
    assert prop(bridge, "cards") == []
    assert "not loaded" in prop(bridge, "reply")


def test_sim_assistant_answers_from_its_place_search_in_the_ui_language():
    _, bridge, navigated = sim(places=FakePlaces(), language="zh")
    bridge.submitText("find parking")  # English words, Chinese UI: the reply follows the UI
    assert prop(bridge, "reply") == "找到3个停车场，最近的是测试停车场A，步行180米。"
    assert [c["name"] for c in prop(bridge, "cards")] == ["测试停车场A", "测试停车场B", "测试停车场C"]
    bridge.submitText("第二个")
    assert navigated[-1][2] == "测试停车场B"
    bridge.set_language("en")
    bridge.submitText("somewhere to eat")
    assert prop(bridge, "reply") == "Here are 3 restaurants nearby; the closest is Test restaurant A."
    assert all(c["figuresSimulated"] for c in prop(bridge, "cards"))


def test_world_places_keep_the_simulated_flags():
    from app.ui.adapters import WorldPlaces
    from app.world import load_world

    places = WorldPlaces(load_world())
    parking = places.parking()
    assert parking and all({"name", "lat", "lon", "walk_m", "free", "simulated"} <= p.keys() for p in parking)
    world_flags = [p.simulated for p in load_world().search_parking(limit=3)]
    assert [p["simulated"] for p in parking] == world_flags
    restaurants = places.restaurants()
    assert restaurants and all("rating_simulated" in r for r in restaurants)


# --- network probe --------------------------------------------------------------------------------------


def test_network_probe_connects_with_a_short_timeout():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    reports: list[bool] = []

    def run_now(job, done, name):
        done(job())

    watch = NetworkWatch(reports.append, run_now, host=("127.0.0.1", port), timeout_s=0.5)
    watch.check()
    server.close()
    watch.check()
    assert reports == [True, False]
    # At most one probe at a time: a check while one is in flight is skipped.
    later = []
    watch = NetworkWatch(reports.append, lambda job, done, name: later.append(done), host=("127.0.0.1", port))
    watch.check()
    watch.check()
    assert len(later) == 1


def send(source: ScriptedSource, kind: str, **data) -> None:
    source.listener(TurnEvent(kind, data))


def test_a_turn_in_flight_when_the_voice_takes_over_still_shows_its_answer():
    old, new = ScriptedSource(), ScriptedSource()
    bridge = AssistantBridge(old)
    send(old, "transcript", text="find parking nearby", language="en")
    send(old, "state", state="thinking")
    bridge.set_source(new)  # the voice pipeline finished loading mid-turn
    send(old, "reply", text="Test car park A is closest.", language="en")
    send(old, "state", state="idle")
    assert (bridge.property("reply"), bridge.property("state")) == ("Test car park A is closest.", "idle")
    send(old, "reply", text="stale", language="en")  # retired once its turn ended
    assert bridge.property("reply") == "Test car park A is closest."


def test_an_idle_source_is_retired_at_once():
    old, new = ScriptedSource(), ScriptedSource()
    bridge = AssistantBridge(old)
    bridge.set_source(new)
    send(old, "reply", text="stale", language="en")
    assert bridge.property("reply") == ""


def test_a_failing_agent_turn_ends_idle_with_a_toast():
    from app.ui.adapters import AgentAssistant

    class BrokenAgent:
        def respond(self, text, language_hint=None):
            raise RuntimeError("model crashed")

    source = AgentAssistant(BrokenAgent(), navigate=lambda *a: None)
    bridge = AssistantBridge(source)
    seen = Recorder(bridge)
    source._emit("state", state="thinking")
    source._turn("find parking", "en")  # the body of submit_text's worker, run here so Qt needs no loop
    assert bridge.property("state") == "idle" and seen.toasts

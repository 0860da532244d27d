"""The turn pipeline on fakes: barge-in, gating, silence, no device, TTS failure, follow-up."""

import asyncio
import time

import numpy as np
import pytest

from app.voice.audio import WavSink
from app.voice.fakes import FakeAgent, FakeEndpointer, FakeRecognizer, FakeSynthesizer, tone
from app.voice.pipeline import NOT_CAUGHT, HandsFree, PushToTalk, VoiceConfig, VoicePipeline
from app.voice.tts.chain import VoiceChain

pytestmark = pytest.mark.unit

LONG_REPLY = "First sentence of a long answer. Second sentence keeps going. Third sentence is never heard."


def make(reply=LONG_REPLY, engines=None, sink=None, recognizer=None, agent=None, **config):
    agent = agent or FakeAgent(reply=reply)
    voices = VoiceChain(engines or [FakeSynthesizer()])
    pipe = VoicePipeline(
        recognizer or FakeRecognizer(),
        agent,
        voices,
        sink or WavSink(realtime=True),
        config=VoiceConfig(**config),
        endpointer=FakeEndpointer(),
    )
    events = []
    pipe.add_listener(events.append)
    return pipe, agent, events


def kinds(events, kind):
    return [e.data for e in events if e.kind == kind]


def test_text_turn_speaks_every_sentence_and_reports_a_trace():
    async def go():
        pipe, agent, events = make(reply="Navigating to the Bund. It is close.")
        result = await pipe.run_text_turn("take me to the bund")
        assert agent.calls == ["take me to the bund"]
        assert result.spoken == "Navigating to the Bund. It is close."
        assert not result.interrupted
        trace = kinds(events, "trace")[0]
        assert trace["end_of_speech_to_first_audio_ms"] is not None
        assert [s["state"] for s in kinds(events, "state")] == ["thinking", "speaking", "idle"]

    asyncio.run(go())


def test_barge_in_stops_playback_within_100ms_and_clips_history_to_what_was_heard():
    async def go():
        sink = WavSink(realtime=True)
        pipe, agent, events = make(sink=sink)
        turn = asyncio.ensure_future(pipe.run_text_turn("tell me everything"))
        while not pipe.speaking or sink.played_samples < 22050 * 2.2:  # into the second sentence
            await asyncio.sleep(0.01)
        t0 = time.perf_counter()
        pipe.start_listening()  # push-to-talk pressed mid-reply (no mic: reports no device, still stops)
        stopped_after = sink.played_samples
        await asyncio.sleep(0.15)
        assert sink.played_samples - stopped_after == 0, "audio kept playing after barge-in"
        result = await turn
        assert time.perf_counter() - t0 < 0.1 + 0.15 + 0.05
        assert result.interrupted
        heard = agent.history[-1][1]
        assert heard.startswith("First sentence of a long answer. Second")
        assert "Third" not in heard and heard.endswith("…")

    asyncio.run(go())


def test_barge_in_while_the_agent_thinks_makes_it_forget_the_whole_turn():
    async def go():
        pipe, agent, events = make(agent=FakeAgent(reply="Three car parks nearby.", delay_s=0.3))
        await pipe.run_text_turn("first question")
        turn = asyncio.ensure_future(pipe.run_text_turn("find parking"))
        while agent.calls != ["first question", "find parking"]:
            await asyncio.sleep(0.01)
        pipe.interrupt()
        with pytest.raises(asyncio.CancelledError):
            await turn
        await asyncio.sleep(0.4)  # the agent's worker finishes the cut-off turn, then forgets it
        assert [user for user, _ in agent.history] == ["first question"]
        assert "Three car parks nearby." not in [r["text"] for r in kinds(events, "reply")][1:]

    asyncio.run(go())


def test_interrupt_returns_quickly():
    async def go():
        pipe, _, _ = make()
        turn = asyncio.ensure_future(pipe.run_text_turn("go"))
        while not pipe.speaking:
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.2)
        t0 = time.perf_counter()
        pipe.interrupt()
        await turn
        assert (time.perf_counter() - t0) < 0.1

    asyncio.run(go())


def test_silence_says_didnt_catch_that_without_calling_the_agent():
    async def go():
        pipe, agent, events = make()
        pipe.set_language_prior("zh")
        result = await pipe.stream_audio(np.zeros(16000, np.float32), realtime=0)
        assert not result.caught
        assert agent.calls == []
        assert result.reply == NOT_CAUGHT["zh"] and result.spoken == NOT_CAUGHT["zh"]
        assert kinds(events, "reply")[0]["caught"] is False

    asyncio.run(go())


def test_low_confidence_noise_is_not_sent_to_the_agent():
    async def go():
        pipe, agent, _ = make(recognizer=FakeRecognizer(confidence=0.05))
        result = await pipe.stream_audio(tone(1.0), realtime=0, tail_s=0.3)
        assert not result.caught and agent.calls == []

    asyncio.run(go())


def test_push_to_talk_without_a_microphone_reports_it_in_both_languages_and_text_still_works():
    async def go():
        pipe, agent, events = make(reply="OK.")
        pipe.start_listening()
        error = kinds(events, "error")[0]
        assert error["code"] == "no_audio_device"
        assert "microphone" in error["message_en"] and "麦克风" in error["message_zh"]
        assert not pipe.capturing
        result = await pipe.run_text_turn("find parking")
        assert result.reply == "OK." and agent.calls == ["find parking"]

    asyncio.run(go())


def test_open_microphone_fails_cleanly_on_a_machine_without_audio(monkeypatch):
    import app.voice.audio as audio

    monkeypatch.setattr(audio, "list_devices", lambda kind="input": [])

    async def go():
        pipe, _, events = make()
        assert pipe.open_microphone() is False
        assert kinds(events, "error")[0]["code"] == "no_audio_device"

    asyncio.run(go())


def test_synthesiser_failure_still_shows_the_reply():
    async def go():
        broken = FakeSynthesizer(fail=RuntimeError("voice crashed"))
        pipe, _, events = make(reply="Here is the answer.", engines=[broken])
        result = await pipe.run_text_turn("question")
        assert kinds(events, "reply")[0]["text"] == "Here is the answer."
        assert kinds(events, "error")[0]["code"] == "tts_failed"
        assert result.spoken == ""

    asyncio.run(go())


def test_microphone_is_gated_while_the_car_speaks_unless_barge_in():
    async def go():
        pipe, agent, _ = make(barge_in=False)
        pipe.set_hands_free(True)
        turn = asyncio.ensure_future(pipe.run_text_turn("hello"))
        while not pipe.speaking:
            await asyncio.sleep(0.005)
        for _ in range(0, 16000, 512):  # the car's own voice reaching the microphone
            pipe.feed_frame(tone(0.032))
        assert not pipe.capturing and pipe.speaking
        pipe.interrupt()
        await turn
        assert agent.calls == ["hello"]

    asyncio.run(go())


def test_hands_free_turn_ends_after_silence_and_barge_in_interrupts():
    async def go():
        pipe, agent, events = make(reply="A long reply. " * 5, barge_in=True)
        pipe.accept_frames_without_mic = True
        pipe.set_hands_free(True)
        assert isinstance(pipe.strategy, HandsFree)
        audio = np.concatenate([np.zeros(8000, np.float32), tone(1.0), np.zeros(16000, np.float32)])
        for i in range(0, len(audio), 512):
            pipe.feed_frame(audio[i : i + 512])
        assert pipe._turn_task is not None  # 500 ms of silence ended the turn without a button
        while not pipe.speaking:
            await asyncio.sleep(0.005)
        for _ in range(0, 8000, 512):  # the driver talks over the car
            pipe.feed_frame(tone(0.032))
        assert not pipe.speaking and pipe.capturing
        first = await pipe._turn_task
        assert first.interrupted
        assert kinds(events, "state")[-1]["state"] == "listening"

    asyncio.run(go())


def test_question_opens_a_follow_up_window_that_closes_by_itself():
    async def go():
        pipe, _, events = make(reply="Which one do you want?", follow_up_s=0.2)
        pipe.mic = object()  # pretend a microphone is open
        await pipe.run_text_turn("find restaurants")
        assert pipe.strategy.name == "follow_up"
        await asyncio.sleep(0.3)
        assert isinstance(pipe.strategy, PushToTalk)
        assert kinds(events, "state")[-1]["state"] == "idle"

    asyncio.run(go())


def test_speech_during_push_to_talk_gives_partials_and_reuses_the_speculative_transcript():
    async def go():
        recognizer = FakeRecognizer(text="navigate to the bund")
        pipe, agent, events = make(recognizer=recognizer, reply="OK.", partial_every_s=0.5)
        result = await pipe.stream_audio(tone(1.5), realtime=4.0, tail_s=0.4)
        assert kinds(events, "partial"), "no partial transcript while speaking"
        assert result.trace.notes["stt_source"] == "speculative"
        assert agent.calls == ["navigate to the bund"]

    asyncio.run(go())


def test_result_event_carries_the_agents_calls_or_one_built_from_its_tool():
    class TwoActions(FakeAgent):
        def respond(self, text, language_hint=None):
            turn = super().respond(text, language_hint)
            turn.calls = [
                {"tool": "navigate", "args": {}, "domain": "navigation", "ok": True, "result": None},
                {"tool": "cabin_set", "args": {}, "domain": "vehicle", "ok": True, "result": None},
            ]
            return turn

    async def go():
        pipe, _, events = make(reply="OK.")
        result = await pipe.run_text_turn("take me to the bund")
        assert result.calls == [
            {"tool": "set_destination", "args": {"destination": "the_bund"}, "result": {"ok": True}}
        ]
        assert kinds(events, "result")[0]["calls"] == result.calls
        pipe, _, events = make(reply="OK.", agent=TwoActions(reply="OK."))
        result = await pipe.run_text_turn("take me to the bund and turn off the AC")
        assert [c["domain"] for c in kinds(events, "result")[0]["calls"]] == ["navigation", "vehicle"]

    asyncio.run(go())

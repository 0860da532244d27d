"""Stand-ins with set timings, so the pipeline's behaviour can be tested in milliseconds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import numpy as np

from app.services import AgentTurn, Language, Transcript
from app.voice.text import script_language
from app.voice.tts.base import SynthesisError


class FakeRecognizer:
    """Returns `text` for any audio louder than `silence_rms`, else an empty transcript."""

    def __init__(
        self,
        text: str = "navigate to the bund",
        language: Language | None = None,
        delay_s: float = 0.0,
        silence_rms: float = 0.01,
        confidence: float = 0.9,
    ):
        self.text, self.language, self.delay_s = text, language, delay_s
        self.silence_rms, self.confidence = silence_rms, confidence
        self.calls = 0

    def transcribe(
        self, audio, sample_rate: int = 16000, language_hint: Language | None = None
    ) -> Transcript:
        self.calls += 1
        time.sleep(self.delay_s)
        audio = np.asarray(audio, np.float32)
        loud = len(audio) and float(np.sqrt(np.mean(audio**2))) > self.silence_rms
        lang = self.language or script_language(self.text) or language_hint or "en"
        return Transcript(
            text=self.text if loud else "",
            language=lang,
            confidence=self.confidence if loud else 0.05,
            duration_s=len(audio) / sample_rate,
        )


class FakeAgent:
    def __init__(
        self,
        reply: str = "Navigating to the Bund. It is 2 kilometres away.",
        tool: str = "set_destination",
        delay_s: float = 0.0,
    ):
        self.reply, self.tool, self.delay_s = reply, tool, delay_s
        self.calls: list[str] = []
        self.history: list[tuple[str, str]] = []

    def respond(self, text: str, language_hint: Language | None = None) -> AgentTurn:
        self.calls.append(text)
        time.sleep(self.delay_s)
        self.history.append((text, self.reply))
        lang = script_language(self.reply) or "en"
        return AgentTurn(
            tool=self.tool,
            args={"destination": "the_bund"},
            reply=self.reply,
            language=lang,
            latency_ms=self.delay_s * 1000,
            result={"ok": True},
            decided_by="fake",
        )

    def truncate_last_reply(self, spoken: str) -> None:
        if self.history:
            self.history[-1] = (self.history[-1][0], spoken)

    def forget_last_turn(self) -> None:
        if self.history:
            self.history.pop()

    def reset(self) -> None:
        self.history.clear()


class FakeSynthesizer:
    """Produces a tone: `seconds_per_char` of audio per character, in chunks of `chunk_s`."""

    def __init__(
        self,
        name: str = "fake-local",
        kind: str = "local",
        languages=("en", "zh"),
        sample_rate: int = 22050,
        first_chunk_delay_s: float = 0.0,
        seconds_per_char: float = 0.05,
        chunk_s: float = 0.1,
        fail: Exception | None = None,
    ):
        self.name, self.kind, self.languages, self.sample_rate = name, kind, languages, sample_rate
        self.first_chunk_delay_s, self.seconds_per_char, self.chunk_s = (
            first_chunk_delay_s,
            seconds_per_char,
            chunk_s,
        )
        self.fail = fail
        self.calls: list[str] = []

    async def synthesize(self, text: str, language: Language) -> AsyncIterator[bytes]:
        self.calls.append(text)
        await asyncio.sleep(self.first_chunk_delay_s)
        if self.fail is not None:
            raise SynthesisError(str(self.fail)) from self.fail
        n = int(len(text) * self.seconds_per_char * self.sample_rate)
        t = np.arange(n) / self.sample_rate
        pcm = (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2").tobytes()
        step = int(self.chunk_s * self.sample_rate) * 2
        for i in range(0, len(pcm), step):
            yield pcm[i : i + step]
            await asyncio.sleep(0)


def tone(seconds: float, freq: float = 200.0, amplitude: float = 0.3, sample_rate: int = 16000) -> np.ndarray:
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


class EnergyVad:
    """Stands in for Silero in tests: a frame is speech when its loudness is above `threshold`.

    It plugs into the real `Endpointer`, so tests on fakes exercise the real turn-ending logic.
    """

    def __init__(self, threshold: float = 0.05):
        self.threshold = threshold
        self.reset()

    def reset(self) -> None:
        self._pending = np.zeros(0, np.float32)

    def probabilities(self, audio: np.ndarray) -> list[float]:
        from app.voice.vad import FRAME

        self._pending = np.concatenate([self._pending, np.asarray(audio, np.float32)])
        n = len(self._pending) // FRAME
        frames = self._pending[: n * FRAME].reshape(n, FRAME)
        self._pending = self._pending[n * FRAME :]
        return [1.0 if float(np.sqrt(np.mean(f**2))) > self.threshold else 0.0 for f in frames]


def FakeEndpointer(silence_ms: int = 500, pause_ms: int = 200, threshold: float = 0.05):  # noqa: N802
    """The real Endpointer on loudness instead of Silero: deterministic for tests of turn logic."""
    from app.voice.vad import Endpointer

    return Endpointer(silence_ms=silence_ms, pause_ms=pause_ms, min_speech_ms=1, vad=EnergyVad(threshold))

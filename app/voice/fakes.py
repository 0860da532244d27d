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


class FakeEndpointer:
    """An endpointer driven by loudness instead of Silero: deterministic for tests of turn logic."""

    def __init__(self, silence_ms: int = 500, pause_ms: int = 200, threshold: float = 0.05):
        from app.voice.vad import FRAME

        self.frame = FRAME
        self.silence_frames = max(1, silence_ms * 16 // FRAME)
        self.pause_frames = max(1, pause_ms * 16 // FRAME)
        self.threshold = threshold
        self.reset()

    def reset(self) -> None:
        self.frames = 0
        self.in_speech = False
        self.silent_run = 0
        self.last_voiced_sample = 0
        self.paused = False
        self._pending = np.zeros(0, np.float32)

    def feed(self, audio):
        from app.voice.vad import VadEvent

        self._pending = np.concatenate([self._pending, audio])
        events = []
        while len(self._pending) >= self.frame:
            frame, self._pending = self._pending[: self.frame], self._pending[self.frame :]
            self.frames += 1
            pos = self.frames * self.frame
            if float(np.sqrt(np.mean(frame**2))) > self.threshold:
                self.silent_run, self.paused, self.last_voiced_sample = 0, False, pos
                if not self.in_speech:
                    self.in_speech = True
                    events.append(VadEvent("speech_start", pos - self.frame))
            else:
                self.silent_run += 1
                if self.in_speech and not self.paused and self.silent_run >= self.pause_frames:
                    self.paused = True
                    events.append(VadEvent("pause", self.last_voiced_sample))
                if self.in_speech and self.silent_run >= self.silence_frames:
                    self.in_speech = False
                    events.append(VadEvent("speech_end", self.last_voiced_sample))
        return events

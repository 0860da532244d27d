"""Voice-activity detection with the Silero model that faster-whisper bundles.

Two uses: a streaming detector that follows the microphone 32 ms at a time
(hands-free end of turn, barge-in), and a whole-clip check that keeps silence
and noise away from the recogniser and the LLM.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16000
FRAME = 512  # Silero's window at 16 kHz: 32 ms
_CONTEXT = 64


class SileroVad:
    """Stateful Silero: one probability per 512-sample frame, keeping the LSTM state between calls."""

    _session = None
    _lock = threading.Lock()

    def __init__(self):
        with SileroVad._lock:
            if SileroVad._session is None:
                from faster_whisper.vad import get_vad_model

                SileroVad._session = get_vad_model().session
        self.reset()

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._context = np.zeros(_CONTEXT, np.float32)
        self._pending = np.zeros(0, np.float32)

    def probabilities(self, audio: np.ndarray) -> list[float]:
        """Feed any amount of 16 kHz float audio; returns one probability per completed frame."""
        self._pending = np.concatenate([self._pending, audio.astype(np.float32, copy=False)])
        n = len(self._pending) // FRAME
        out = []
        for i in range(n):
            frame = self._pending[i * FRAME : (i + 1) * FRAME]
            x = np.concatenate([self._context, frame])[None, :]
            prob, self._h, self._c = self._session.run(None, {"input": x, "h": self._h, "c": self._c})
            self._context = frame[-_CONTEXT:]
            out.append(float(np.ravel(prob)[0]))
        self._pending = self._pending[n * FRAME :]
        return out


@dataclass
class VadEvent:
    kind: str  # "speech_start" | "speech_end" (a pause long enough to end the turn) | "pause"
    sample: int  # position in the stream, in samples


class Endpointer:
    """Turns frame probabilities into speech start, pause and end-of-turn events.

    `silence_ms` is the hands-free end of turn (500 ms by default). A shorter
    `pause_ms` reports a pause early so the pipeline can start recognising
    speculatively while it waits to be sure the driver has finished.
    """

    def __init__(
        self,
        silence_ms: int = 500,
        pause_ms: int = 200,
        threshold: float = 0.5,
        min_speech_ms: int = 160,
        vad: SileroVad | None = None,
    ):
        self.vad = vad or SileroVad()
        self.threshold = threshold
        self.silence_frames = max(1, silence_ms * SAMPLE_RATE // 1000 // FRAME)
        self.pause_frames = max(1, pause_ms * SAMPLE_RATE // 1000 // FRAME)
        self.min_speech_frames = max(1, min_speech_ms * SAMPLE_RATE // 1000 // FRAME)
        self.reset()

    def reset(self) -> None:
        self.vad.reset()
        self.frames = 0
        self.in_speech = False
        self.voiced_run = 0
        self.silent_run = 0
        self.last_voiced_sample = 0
        self.paused = False

    def feed(self, audio: np.ndarray) -> list[VadEvent]:
        events = []
        for p in self.vad.probabilities(audio):
            self.frames += 1
            pos = self.frames * FRAME
            if p >= self.threshold:
                self.voiced_run += 1
                self.silent_run = 0
                self.last_voiced_sample = pos
                self.paused = False
                if not self.in_speech and self.voiced_run >= self.min_speech_frames:
                    self.in_speech = True
                    events.append(VadEvent("speech_start", pos - self.voiced_run * FRAME))
            else:
                # Hysteresis: a dip below threshold - 0.15 counts as silence, a wobble does not.
                if p < self.threshold - 0.15:
                    self.silent_run += 1
                    self.voiced_run = 0
                if self.in_speech and not self.paused and self.silent_run >= self.pause_frames:
                    self.paused = True
                    events.append(VadEvent("pause", self.last_voiced_sample))
                if self.in_speech and self.silent_run >= self.silence_frames:
                    self.in_speech = False
                    events.append(VadEvent("speech_end", self.last_voiced_sample))
        return events


def speech_seconds(audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> float:
    """How much of a clip is speech, by Silero; 0 for silence, hum and most noise."""
    if sample_rate != SAMPLE_RATE or len(audio) < FRAME:
        return 0.0
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    chunks = get_speech_timestamps(audio.astype(np.float32), VadOptions(min_speech_duration_ms=150))
    return sum(c["end"] - c["start"] for c in chunks) / sample_rate

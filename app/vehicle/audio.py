"""The media's sound: generated tone sequences for the demo tracks and stations, a ring tone, ducking.

Every track is an 8-bar loop synthesised from its data (bpm, key, genre, mood, a seed from its id):
a plucked melody on a scale, a bass on beats 1 and 3, a tick for the lively genres. It is quiet on
purpose (peak gain 0.25 at volume 30, about 1.2 dB a step below that) and ducked by 18 dB while the
assistant speaks. Output goes to the sound card when there is one, and otherwise to a silent sink
(or a WAV file) that consumes audio at the same pace, so volume, ducking and levels stay real on a
machine with no speakers. `render(n)` is a pure step of the mixer, which is what the tests call.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import wave
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from app.vehicle.cabin import Cabin

log = logging.getLogger(__name__)

SAMPLE_RATE = 22050
BLOCK = 1024  # ~46 ms
MAX_GAIN = 0.25  # quiet: a demo stand runs for hours next to people talking
DB_PER_STEP = 1.2
DUCK_DB = -18.0
RING_GAIN = 0.12
RESYNC_S = 0.5  # follow the cabin's position only when it jumps (seek, next track), not every block

SCALES = {
    "major": [0, 2, 4, 5, 7, 9, 11],
    "minor": [0, 2, 3, 5, 7, 8, 10],
    "pentatonic": [0, 2, 4, 7, 9],
}
MOOD_SCALE = {
    "happy": "major",
    "energetic": "major",
    "romantic": "major",
    "melancholy": "minor",
    "focus": "minor",
}
LIVELY = {"rock", "electronic", "pop"}


def gain_for(volume: int, ducked: bool) -> float:
    if volume <= 0:
        return 0.0
    g = MAX_GAIN * 10 ** (-(30 - min(volume, 30)) * DB_PER_STEP / 20)
    return g * (10 ** (DUCK_DB / 20) if ducked else 1.0)


def _seed(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def _midi_hz(n: float) -> float:
    return 440.0 * 2 ** ((n - 69) / 12)


def _pluck(freq: float, dur: float, sr: int, decay: float, harmonics: tuple[float, ...] = (1.0, 0.35, 0.12)):
    t = np.arange(int(dur * sr)) / sr
    tone = sum(a * np.sin(2 * np.pi * freq * (i + 1) * t) for i, a in enumerate(harmonics))
    env = np.exp(-t * decay) * np.minimum(1.0, t / 0.005)  # 5 ms attack: no click
    return (tone * env).astype(np.float32)


@lru_cache(maxsize=8)
def loop_for(item_id: str, bpm: float, key: int, genre: str, mood: str, sr: int = SAMPLE_RATE) -> np.ndarray:
    """The 8-bar loop of one track or station, normalised to peak 1 (gain comes later)."""
    rng = np.random.default_rng(_seed(item_id))
    beat = 60.0 / max(bpm, 40)
    n_beats = 32
    out = np.zeros(int(n_beats * beat * sr) + sr, dtype=np.float32)
    scale = SCALES["pentatonic" if genre in ("guofeng", "ambient") else MOOD_SCALE.get(mood, "major")]
    degree = 0
    for b in range(n_beats):
        start = int(b * beat * sr)
        subdivide = 2 if genre in LIVELY and rng.random() < 0.4 else 1
        for sub in range(subdivide):
            degree = int(np.clip(degree + rng.integers(-2, 3), -3, len(scale) + 3))
            octave, idx = divmod(degree, len(scale))
            note = key + 12 + scale[idx] + 12 * octave
            s = start + int(sub * beat / subdivide * sr)
            tone = _pluck(_midi_hz(note), beat * 1.5, sr, decay=3.0 if mood != "calm" else 1.8)
            out[s : s + len(tone)] += 0.5 * tone[: len(out) - s]
        if b % 2 == 0:  # bass on 1 and 3
            root = key - 12 + (scale[(b // 4) % len(scale)] if b % 8 == 4 else 0)
            bass = _pluck(_midi_hz(root), beat * 2, sr, decay=1.5, harmonics=(1.0, 0.2))
            out[start : start + len(bass)] += 0.45 * bass[: len(out) - start]
        if genre in LIVELY:
            n = int(0.03 * sr)
            tick = rng.standard_normal(n).astype(np.float32) * np.exp(-np.arange(n) / (0.006 * sr))
            out[start : start + n] += 0.15 * tick
    out = out[: int(n_beats * beat * sr)]
    peak = float(np.max(np.abs(out))) or 1.0
    return (out / peak).astype(np.float32)


@lru_cache(maxsize=2)
def ring_loop(kind: str, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Incoming: a two-note marimba phrase every 3 s. Outgoing (ring-back): 450 Hz, 1 s on, 4 s off."""
    if kind == "outgoing":
        t = np.arange(sr) / sr
        on = (np.sin(2 * np.pi * 450 * t) * np.minimum(1, np.minimum(t, 1 - t) / 0.01)).astype(np.float32)
        return np.concatenate([on, np.zeros(4 * sr, np.float32)])
    out = np.zeros(3 * sr, np.float32)
    for i, note in enumerate((76, 72, 76, 72, 79)):
        tone = _pluck(_midi_hz(note), 0.5, sr, decay=7.0, harmonics=(1.0, 0.5, 0.2))
        s = int(i * 0.18 * sr)
        out[s : s + len(tone)] += tone[: len(out) - s]
    return out / float(np.max(np.abs(out)))


class SilentSink:
    """No sound card: audio is consumed (and optionally kept for a WAV file), nothing is heard."""

    name = "silent"

    def __init__(self, wav_path: str | Path | None = None):
        self.wav_path = Path(wav_path) if wav_path else None
        self.pcm = bytearray()

    def write(self, block: np.ndarray) -> None:
        if self.wav_path is not None:
            self.pcm += (np.clip(block, -1, 1) * 32767).astype("<i2").tobytes()

    def close(self) -> None:
        if self.wav_path is None:
            return
        self.wav_path.parent.mkdir(parents=True, exist_ok=True)
        with wave.open(str(self.wav_path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            w.writeframes(bytes(self.pcm))


class MediaPlayer:
    """Mixes the cabin's media and ring tone into an output; follows the cabin's state as it changes."""

    def __init__(self, cabin: Cabin, sr: int = SAMPLE_RATE):
        self.cabin = cabin
        self.sr = sr
        self.output = "none"
        self.level_db = -100.0
        self._cursor: dict[str, int] = {}  # item id -> sample position
        self._ring_cursor = 0
        self._gain = 0.0
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._stream = None
        self._sink: SilentSink | None = None

    def duck(self, on: bool) -> None:
        self.cabin.duck(on)

    # --- the mixer ------------------------------------------------------------------------------------
    def render(self, n: int) -> np.ndarray:
        """The next n samples of what the cabin plays now (media at its volume, ducked; ring tone)."""
        pb = self.cabin.playback()
        out = np.zeros(n, dtype=np.float32)
        target = gain_for(pb["volume"], pb["ducked"]) if pb["item"] else 0.0
        # Ramp the gain across the block so volume steps and ducking do not click.
        ramp = np.linspace(self._gain, target, n, endpoint=False, dtype=np.float32)
        self._gain = target
        item = pb["item"]
        if item is not None and pb["playing"]:
            loop = loop_for(item["id"], item["bpm"], item["key"], item["genre"], item["mood"], self.sr)
            want = int(pb["position_s"] * self.sr)
            cur = self._cursor.get(item["id"])
            if cur is None or abs(cur - want) > RESYNC_S * self.sr:
                cur = want
            idx = (cur + np.arange(n)) % len(loop)
            out += loop[idx] * ramp
            self._cursor = {item["id"]: cur + n}
        if pb["ring"]:
            ring = ring_loop(pb["ring"], self.sr)
            idx = (self._ring_cursor + np.arange(n)) % len(ring)
            out += ring[idx] * RING_GAIN
            self._ring_cursor += n
        else:
            self._ring_cursor = 0
        rms = float(np.sqrt(np.mean(out**2))) if n else 0.0
        self.level_db = round(20 * np.log10(max(rms, 1e-5)), 1)
        return out

    def render_wav(self, path: str | Path, seconds: float) -> Path:
        """Write `seconds` of the current playback to a WAV file (what a speaker would play)."""
        sink = SilentSink(path)
        for _ in range(int(seconds * self.sr / BLOCK)):
            sink.write(self.render(BLOCK))
        sink.close()
        return Path(path)

    # --- real time ------------------------------------------------------------------------------------
    def start(self, output: str = "auto", wav_path: str | Path | None = None) -> str:
        """Play in real time: output "auto" (sound card if any, else silent), "device", "silent"."""
        if self._thread is not None:
            return self.output
        self._stop.clear()
        if output in ("auto", "device") and wav_path is None and self._open_device():
            self.output = "device"
        else:
            self._sink = SilentSink(wav_path)
            self.output = "wav" if wav_path else "silent"
        self._thread = threading.Thread(target=self._run, name="cabin-media", daemon=True)
        self._thread.start()
        return self.output

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        if self._sink is not None:
            self._sink.close()
            self._sink = None
        self.output = "none"

    def _open_device(self) -> bool:
        try:
            from app.voice.audio import list_devices

            if not list_devices("output"):
                return False
            import sounddevice as sd

            def callback(outdata, frames, time_info, status):
                outdata[:, 0] = self.render(frames)

            self._stream = sd.OutputStream(
                samplerate=self.sr, channels=1, dtype="float32", blocksize=BLOCK, callback=callback
            )
            self._stream.start()
            return True
        except Exception as exc:  # no PortAudio, no card, device busy: play silently instead
            log.info("media plays silently (no audio output: %s)", exc)
            self._stream = None
            return False

    def _run(self) -> None:
        """Feed the silent sink at the pace of real playback and let the cabin's time pass."""
        period = BLOCK / self.sr
        next_tick = time.monotonic()
        last_cabin_tick = 0.0
        while not self._stop.is_set():
            if self._sink is not None:
                self._sink.write(self.render(BLOCK))
            now = time.monotonic()
            if now - last_cabin_tick >= 0.5:
                last_cabin_tick = now
                try:
                    self.cabin.tick()  # a track that ended moves on; subscribers hear of it
                except Exception:
                    log.exception("cabin tick failed")
            next_tick += period
            self._stop.wait(max(0.0, next_tick - time.monotonic()))

    def info(self) -> dict[str, Any]:
        return {"output": self.output, "level_db": self.level_db, "sample_rate": self.sr}

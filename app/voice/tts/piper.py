"""English offline voice: piper (VITS, ONNX), en_US-joe-medium from the model store."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator

from app.services import Language
from app.voice.tts.base import SynthesisError, iterate_in_thread


def load_voice(model_path: str):
    """PiperVoice.load, but with onnxruntime's memory arena off.

    The arena keeps the largest buffers any sentence needed, and VITS's decoder needs buffers as
    long as the sentence: after four sentences the voice held 194 MB instead of 91 MB (issue 15's
    1.5 GB budget), for about 25 ms more synthesis a sentence (2026-12-03, Xeon).
    """
    import json
    from pathlib import Path

    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig
    from piper.voice import ESPEAK_DATA_DIR

    options = onnxruntime.SessionOptions()
    options.enable_cpu_mem_arena = False
    config = json.loads(Path(f"{model_path}.json").read_text(encoding="utf-8"))
    return PiperVoice(
        config=PiperConfig.from_dict(config),
        session=onnxruntime.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        ),
        espeak_data_dir=Path(ESPEAK_DATA_DIR),
        download_dir=Path.cwd(),
    )


class PiperSynthesizer:
    name = "piper"
    kind = "local"
    languages = ("en",)

    def __init__(self, model_path: str | None = None, voice=None, syn_config=None):
        if voice is None:  # steady() passes the voice already loaded
            if model_path is None:
                from app.models import path

                model_path = str(path("piper-en"))
            voice = load_voice(model_path)
        self.voice = voice
        self.syn_config = syn_config
        self.sample_rate = voice.config.sample_rate
        # onnxruntime sessions are thread-safe, but two sentences at once would only fight for the 2 cores.
        self._lock = threading.Lock()

    def steady(self) -> PiperSynthesizer:
        """The same voice without its random generator noise: one text, one waveform.

        VITS adds fresh noise to every sentence, so "Play a song." came out differently on each
        machine, and Whisper heard one of those takes as "Poison, Poison": a demo scenario or a
        bench that synthesises its input must get the same input every time. The car's own
        voice keeps the noise, which sounds more natural.
        """
        from piper.config import SynthesisConfig

        return PiperSynthesizer(
            voice=self.voice, syn_config=SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
        )

    def warm_up(self) -> None:
        for _ in self.voice.synthesize("Ready."):
            pass

    async def synthesize(self, text: str, language: Language) -> AsyncIterator[bytes]:
        if language != "en":
            raise SynthesisError("piper voice here is English only")

        def chunks():
            with self._lock:
                for chunk in self.voice.synthesize(text, syn_config=self.syn_config):
                    yield chunk.audio_int16_bytes

        async for pcm in iterate_in_thread(chunks):
            yield pcm

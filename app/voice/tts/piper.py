"""English offline voice: piper (VITS, ONNX), en_US-joe-medium from the model store."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator

from app.services import Language
from app.voice.tts.base import SynthesisError, iterate_in_thread


class PiperSynthesizer:
    name = "piper"
    kind = "local"
    languages = ("en",)

    def __init__(self, model_path: str | None = None, voice=None, syn_config=None):
        if voice is None:  # steady() passes the voice already loaded
            from piper import PiperVoice

            if model_path is None:
                from app.models import path

                model_path = str(path("piper-en"))
            voice = PiperVoice.load(model_path)
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

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

    def __init__(self, model_path: str | None = None):
        from piper import PiperVoice

        if model_path is None:
            from app.models import path

            model_path = str(path("piper-en"))
        self.voice = PiperVoice.load(model_path)
        self.sample_rate = self.voice.config.sample_rate
        # onnxruntime sessions are thread-safe, but two sentences at once would only fight for the 2 cores.
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        for _ in self.voice.synthesize("Ready."):
            pass

    async def synthesize(self, text: str, language: Language) -> AsyncIterator[bytes]:
        if language != "en":
            raise SynthesisError("piper voice here is English only")

        def chunks():
            with self._lock:
                for chunk in self.voice.synthesize(text):
                    yield chunk.audio_int16_bytes

        async for pcm in iterate_in_thread(chunks):
            yield pcm

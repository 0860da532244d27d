"""Picks the voice for each sentence: cloud when the network answers, local otherwise.

Order per language: the cloud engine (while it is believed reachable), then
the local engines for that language, best first, with espeak-ng last. An
engine that fails before its first chunk hands over to the next at once; a
failed cloud engine is not tried again for `retry_after_s`, so an offline car
pays the failed connect once, not on every sentence. Short phrases are cached
per engine: "I didn't catch that" costs nothing the second time.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence

from app.services import Language, Synthesizer
from app.voice.tts.base import SynthesisError

log = logging.getLogger(__name__)

CACHE_MAX_CHARS = 40
CACHE_ENTRIES = 64


class VoiceChain:
    def __init__(
        self,
        engines: Sequence[Synthesizer],
        retry_after_s: float = 30.0,
        on_voice: Callable[[dict], None] | None = None,
    ):
        self.engines = list(engines)
        self.retry_after_s = retry_after_s
        self.on_voice = on_voice or (lambda data: None)
        self._cloud_down_until: dict[str, float] = {}
        self._cache: OrderedDict[tuple, list[bytes]] = OrderedDict()
        self._last_voice: dict | None = None
        self.last_engine: Synthesizer | None = None

    def candidates(self, language: Language) -> list[Synthesizer]:
        now = time.monotonic()
        out = []
        for e in self.engines:
            if language not in getattr(e, "languages", ("en", "zh")):
                continue
            if e.kind == "cloud" and self._cloud_down_until.get(e.name, 0) > now:
                continue
            out.append(e)
        return out

    @property
    def online(self) -> bool:
        return not any(until > time.monotonic() for until in self._cloud_down_until.values())

    async def speak(self, text: str, language: Language) -> AsyncIterator[tuple[int, bytes]]:
        """Yields (sample_rate, pcm16 chunk) from the first engine that can say `text`."""
        errors = []
        for engine in self.candidates(language):
            key = (engine.name, language, text)
            if key in self._cache:
                self._cache.move_to_end(key)
                self._announce(engine)
                for chunk in self._cache[key]:
                    yield engine.sample_rate, chunk
                return
            chunks: list[bytes] = []
            try:
                async for chunk in engine.synthesize(text, language):
                    if not chunks:
                        self._announce(engine)
                    chunks.append(chunk)
                    yield engine.sample_rate, chunk
            except SynthesisError as exc:
                if chunks:
                    raise  # half a sentence was spoken; repeating it in another voice would be worse
                errors.append(f"{engine.name}: {exc}")
                log.info("voice %s failed, trying the next: %s", engine.name, exc)
                if engine.kind == "cloud":
                    self._cloud_down_until[engine.name] = time.monotonic() + self.retry_after_s
                continue
            if chunks and len(text) <= CACHE_MAX_CHARS:
                self._cache[key] = chunks
                while len(self._cache) > CACHE_ENTRIES:
                    self._cache.popitem(last=False)
            if chunks:
                return
        raise SynthesisError("no voice could speak: " + "; ".join(errors or ["no engine for " + language]))

    def _announce(self, engine: Synthesizer) -> None:
        self.last_engine = engine
        voice = {"engine": engine.name, "kind": engine.kind, "online": engine.kind == "cloud" or self.online}
        if engine.kind == "local" and not any(e.kind == "cloud" for e in self.engines):
            voice["online"] = False
        if voice != self._last_voice:
            self._last_voice = voice
            self.on_voice(dict(voice))

    async def prepare(self, phrases: Sequence[tuple[str, Language]]) -> None:
        """Synthesises common phrases ahead of time (and warms each engine's first call)."""
        for text, lang in phrases:
            try:
                async for _ in self.speak(text, lang):
                    pass
            except SynthesisError as exc:
                log.warning("could not pre-synthesise %r: %s", text, exc)

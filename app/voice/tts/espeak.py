"""The floor: espeak-ng, always there, robotic. Mandarin goes through pinyin.

`-v cmn` would read Chinese characters with English letter rules on this
build; `-v cmn-latn-pinyin` reads tone-numbered pinyin correctly, so the text
is converted with pypinyin first.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import AsyncIterator

from app.services import Language
from app.voice.tts.base import SynthesisError

VOICES = {"en": "en-us", "zh": "cmn-latn-pinyin"}
SAMPLE_RATE = 22050


def to_pinyin(text: str) -> str:
    from app.pinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: [s])
    out = " ".join(syllables)
    # Chinese punctuation becomes a pause espeak understands.
    return re.sub(r"\s*[，、；：]\s*", ", ", re.sub(r"\s*[。！？]\s*", ". ", out)).strip()


class EspeakSynthesizer:
    name = "espeak-ng"
    kind = "local"
    languages = ("en", "zh")
    sample_rate = SAMPLE_RATE

    def __init__(self, binary: str = "espeak-ng"):
        self.binary = shutil.which(binary)
        if not self.binary:
            raise SynthesisError("espeak-ng is not installed (apt-get install espeak-ng)")

    async def synthesize(self, text: str, language: Language) -> AsyncIterator[bytes]:
        spoken = to_pinyin(text) if language == "zh" else text
        proc = await asyncio.create_subprocess_exec(
            self.binary,
            "-v",
            VOICES.get(language, "en-us"),
            "--stdout",
            spoken,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            header = await proc.stdout.readexactly(44)  # espeak-ng writes a canonical 44-byte WAV header
            if header[:4] != b"RIFF":
                raise SynthesisError("espeak-ng wrote no WAV")
            while chunk := await proc.stdout.read(8192):
                yield chunk[: len(chunk) - len(chunk) % 2]
            if await proc.wait() != 0:
                raise SynthesisError(f"espeak-ng exited {proc.returncode}")
        except asyncio.IncompleteReadError as exc:
            raise SynthesisError("espeak-ng produced no audio") from exc
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()

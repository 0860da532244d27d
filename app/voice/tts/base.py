"""What every synthesiser shares: the error type, PCM helpers, and running blocking engines off the loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator

import numpy as np


class SynthesisError(RuntimeError):
    """The engine could not speak this text (no network, missing model, crashed worker)."""


def float_to_pcm16(audio: np.ndarray) -> bytes:
    return (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()


def pcm16_to_float(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


async def iterate_in_thread(make: Callable[[], Iterator[bytes]]) -> AsyncIterator[bytes]:
    """Runs a blocking chunk generator in a worker thread, yielding each chunk as it is made.

    Cancelling the consumer stops the generator at its next chunk; the thread
    never blocks the event loop, so barge-in stays instant.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()
    stop = False
    done = object()

    def work():
        try:
            for chunk in make():
                if stop:
                    return
                loop.call_soon_threadsafe(queue.put_nowait, chunk)
        except BaseException as exc:  # handed to the consumer, which re-raises it on the loop
            loop.call_soon_threadsafe(queue.put_nowait, exc)
        finally:
            loop.call_soon_threadsafe(queue.put_nowait, done)

    future = loop.run_in_executor(None, work)
    try:
        while (item := await queue.get()) is not done:
            if isinstance(item, BaseException):
                raise item if isinstance(item, SynthesisError) else SynthesisError(str(item)) from item
            yield item
    finally:
        stop = True
        future.cancel()

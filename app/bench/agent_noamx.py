"""Run `python -m app.agent` with llama.cpp's extra buffer types off (no AMX kernels).

    python -m app.bench.agent_noamx --json -      (same arguments as python -m app.agent)

Why: on this machine's VM the CPU reports AMX, llama.cpp (built natively) picks its AMX
matmul for batches of 16+ tokens, and `ldtilecfg` faults (the hypervisor does not grant the
tile state): `python -m app.agent` dies with SIGSEGV while evaluating its prompt. Turning off
`use_extra_bufts` keeps plain AVX2/AVX-512 kernels. The agent's own code is untouched; this
wrapper only exists so the benchmark can measure today's agent here. It also sets
OMP_WAIT_POLICY=PASSIVE (see below).
"""

from __future__ import annotations

import os
import sys

# On this shared 2-core machine (load ~15), OpenMP's default spin-waiting makes a 2-thread
# llama.cpp ~10x slower than 1 thread (measured: 101-token prompt 25 s vs 4 s); passive waiting
# gives the 1-thread speed back. Must be set before the library loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def disable_extra_buffer_types() -> None:
    import llama_cpp
    import llama_cpp.llama as llama_module

    original = llama_cpp.llama_model_default_params

    def params():
        p = original()
        p.use_extra_bufts = False
        return p

    llama_cpp.llama_model_default_params = params
    llama_module.llama_cpp.llama_model_default_params = params


def main(argv: list[str] | None = None) -> int:
    disable_extra_buffer_types()
    from app.agent.__main__ import main as agent_main

    return agent_main(argv)


if __name__ == "__main__":
    sys.exit(main())

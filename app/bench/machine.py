"""The machine a benchmark ran on: CPU model, cores, ISA flags and the inference builds.

Figures move a lot between CPUs (issue 15: the same bench gave 406 ms on one and 1,418 ms on
another), so every suite's JSON and table carry `info()`. It only reads /proc/cpuinfo and asks
the two inference libraries what they were built for; it loads no model and takes well under
a second.

`python -m app.bench.machine` prints it as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path

# The ISA features that decide which kernels llama.cpp and CTranslate2 run (int8 dot products
# above all). Keys are our names; values are the /proc/cpuinfo flag that means it.
ISA_FLAGS = {
    "avx2": "avx2",
    "avx512f": "avx512f",
    "avx512_vnni": "avx512_vnni",
    "avx_vnni": "avx_vnni",
    "amx": "amx_int8",
}


def parse_cpuinfo(text: str) -> dict:
    """Model name and flag set of the first processor in a /proc/cpuinfo text."""
    model, flags = None, set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name" and model is None:
            model = value.strip()
        elif key == "flags" and not flags:
            flags = set(value.split())
    return {"cpu_model": model, "flags": flags}


def isa(flags: set[str]) -> dict[str, bool]:
    return {name: flag in flags for name, flag in ISA_FLAGS.items()}


def llama_cpp_info() -> dict:
    try:
        import llama_cpp

        system = llama_cpp.llama_print_system_info()
        if isinstance(system, bytes):
            system = system.decode("utf-8", "replace")
        return {"version": llama_cpp.__version__, "system_info": system.strip(" |\n")}
    except Exception as err:  # a bench must still name its CPU without the LLM installed
        return {"error": f"{type(err).__name__}: {err}"}


def ctranslate2_info() -> dict:
    try:
        import ctranslate2

        return {
            "version": ctranslate2.__version__,
            "cpu_compute_types": sorted(ctranslate2.get_supported_compute_types("cpu")),
            # CT2_FORCE_CPU_ISA pins the kernels (e.g. AVX2 on an AVX-512 machine) so that
            # figures can be compared across CPUs; record it when it is set.
            "force_cpu_isa": os.environ.get("CT2_FORCE_CPU_ISA"),
        }
    except Exception as err:
        return {"error": f"{type(err).__name__}: {err}"}


def load_avg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def info(cpuinfo_path: Path = Path("/proc/cpuinfo")) -> dict:
    try:
        cpu = parse_cpuinfo(cpuinfo_path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        cpu = {"cpu_model": platform.processor() or None, "flags": set()}
    return {
        "cpu_model": cpu["cpu_model"],
        "cores": os.cpu_count(),
        "isa": isa(cpu["flags"]),
        # The machine is often shared; a load average next to a timing says how noisy it was.
        "load_avg": load_avg(),
        "llama_cpp": llama_cpp_info(),
        "ctranslate2": ctranslate2_info(),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def summary(machine: dict) -> str:
    """One line for a table header: model, cores and the ISA flags that are present."""
    flags = [name for name, present in machine.get("isa", {}).items() if present]
    return f"{machine.get('cpu_model')} · {machine.get('cores')} cores · {' '.join(flags) or 'no AVX2'}"


if __name__ == "__main__":
    print(json.dumps(info(), indent=2, ensure_ascii=False))

"""python -m app.bench [world|agent|voice|ui …]: print the figures the issues ask for.

Each suite lives in app/bench/<name>.py and exposes run(argv) -> dict. This
runner prints every suite as a table and as JSON, and keeps the JSON under
artifacts/bench/ so the README's figures can be traced to a dated run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import sys
import time
import traceback

from app import __version__, paths
from app.bench import isolate_state, machine

SUITES = ("world", "agent", "voice", "ui", "nlu")
# `nlu` scores another agent command (the old agent's baseline) on the same data the `agent` suite
# already reports, so it runs only when named.
DEFAULT_SUITES = ("world", "agent", "voice", "ui")


def flatten(data, prefix=""):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list) and data and not all(isinstance(x, (int, float, str)) for x in data):
        for i, value in enumerate(data):
            yield from flatten(value, f"{prefix}[{i}]")
    else:
        yield prefix, data


def format_value(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return str(value)


def print_table(name: str, figures: dict) -> None:
    # The machine block is printed once at the top; each suite names its CPU in one line.
    rows = [(k, v) for k, v in flatten(figures) if not k.startswith("machine.")]
    if isinstance(figures.get("machine"), dict):
        rows.insert(0, ("machine", machine.summary(figures["machine"])))
    width = max((len(k) for k, _ in rows), default=10)
    print(f"\n== {name} ==")
    for key, value in rows:
        print(f"  {key:<{width}}  {format_value(value)}")


def main(argv: list[str] | None = None) -> int:
    isolate_state()
    parser = argparse.ArgumentParser(prog="python -m app.bench", description=__doc__)
    parser.add_argument(
        "suites", nargs="*", help=f"any of {', '.join(SUITES)}; default: {' '.join(DEFAULT_SUITES)}"
    )
    parser.add_argument("--json-only", action="store_true", help="print only the JSON document")
    args, rest = parser.parse_known_args(argv)
    suites = args.suites or list(DEFAULT_SUITES)
    unknown = [s for s in suites if s not in SUITES]
    if unknown:
        parser.error(f"unknown suite(s) {', '.join(unknown)}; choose from {', '.join(SUITES)}")

    info = machine.info()
    report = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "version": __version__,
        # cpus/python/platform are the old fields; the rest is machine.info() (issue 15).
        "machine": {"cpus": os.cpu_count(), **info},
        "suites": {},
    }
    if not args.json_only:
        print_table("machine", info)
    failed = False
    for name in suites:
        started = time.perf_counter()
        try:
            figures = importlib.import_module(f"app.bench.{name}").run(rest)
        except Exception as err:  # one broken suite must not hide the others' figures
            traceback.print_exc()
            figures = {"error": f"{type(err).__name__}: {err}"}
            failed = True
        figures["suite_wall_s"] = round(time.perf_counter() - started, 1)
        # Every suite's figures name their machine, so a suite's JSON copied alone still does.
        figures["machine"] = {**info, "load_avg_after": machine.load_avg()}
        report["suites"][name] = figures
        if not args.json_only:
            print_table(name, figures)

    out_dir = paths.ROOT / "artifacts" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out_dir / f"bench-{stamp}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print("\n" + json.dumps(report, indent=2, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

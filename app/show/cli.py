"""`python -m app --list-scenarios` and `python -m app --scenario NAME --headless` (no window, no Qt).

Headless runs go at the fastest pace the pipeline allows: the visitor's WAV is fed at once, the
reply is synthesised into memory rather than played, and a `wait` advances the simulated world
instantly. One JSON line per step with --json; exit 0 only if every step is ok.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from app.show import scenario as sc

log = logging.getLogger(__name__)


def list_scenarios(as_json: bool) -> int:
    try:
        rows = sc.listing()
    except sc.ScenarioError as exc:
        print(f"ai-cockpit: {exc}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for r in rows:
            print(f"{r['name']:<16} {r['lang']}  {r['title']}")
    return 0


def plan(name: str, lang: str | None) -> list[tuple[str, str]]:
    """Which (scenario, language) runs: one, both languages of one, or `all` (alternating)."""
    if name == "all":
        return sc.playlist(lang)
    return [(name, lang)] if lang else [(name, x) for x in sc.LANGS]


async def open_stage():
    """The real world, agent, Whisper and local voices, headless; fails loudly, never a fake agent."""
    from app.show.runner import Stage, load_cabin_or_none
    from app.voice.audio import WavSink
    from app.voice.loader import load_pipeline
    from app.world import load_world

    loop = asyncio.get_running_loop()
    world = await loop.run_in_executor(None, load_world)
    from app.agent import make_agent

    agent = await loop.run_in_executor(None, lambda: make_agent(world=world))
    pipe = await load_pipeline(agent=agent, speaker=False, cloud=False)
    if pipe.voices_ready is not None:
        await pipe.voices_ready
    return Stage(pipe, world, load_cabin_or_none(), live=False, sink_factory=WavSink)


def _print_line(line: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(line, ensure_ascii=False, default=str), flush=True)
        return
    mark = "ok  " if line["ok"] else "FAIL"
    what = line.get("say") or line.get("event") or line.get("touch") or line.get("wait") or ""
    got = line["got"]
    detail = got.get("transcript") or got.get("error") or ""
    calls = " ".join(f"{c['domain']}:{c['tool']}" for c in got.get("calls", []))
    print(
        f"{mark} {line['scenario']}/{line['lang']} {line['step']:>2} {line['kind']:<5} {what} | {detail} {calls}",
        flush=True,
    )


async def run_headless(args) -> int:
    try:
        runs = plan(args.scenario, args.lang)
        scenarios = [sc.load(name, lang) for name, lang in runs]
    except sc.ScenarioError as exc:
        print(f"ai-cockpit: {exc}", file=sys.stderr)
        return 2
    from app.show.runner import run_scenario
    from app.show.soak import Soak

    try:
        stage = await open_stage()
    except Exception as exc:
        print(f"ai-cockpit: the pipeline could not start: {exc}", file=sys.stderr)
        return 3
    soak = Soak(stage, warmup_runs=len(scenarios)) if args.report else None
    all_ok, failed_steps, t0 = True, 0, time.monotonic()
    duration = args.duration

    def emit(line: dict[str, Any]) -> None:
        nonlocal failed_steps
        failed_steps += 0 if line["ok"] else 1
        if soak is not None:
            soak.failed_steps = failed_steps
        _print_line(line, args.json)

    try:
        if soak is not None:
            soak.sample()
        while True:
            for scen in scenarios:
                ok = await run_scenario(stage, scen, emit)
                all_ok &= ok
                if soak is not None:
                    soak.runs += 1
                    soak.maybe_sample()
                if duration and time.monotonic() - t0 >= duration:
                    break
            if not args.loop or (duration and time.monotonic() - t0 >= duration):
                break
    finally:
        if soak is not None:
            soak.sample()
            out = soak.write(Path(args.report))
            print(f"ai-cockpit: soak report {out} (and .png)", file=sys.stderr)
        await stage.pipe.close()
    return 0 if all_ok else 1


def main(args) -> int:
    if args.list_scenarios:
        return list_scenarios(args.json)
    logging.getLogger().setLevel(args.log_level)
    return asyncio.run(run_headless(args))

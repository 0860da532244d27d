"""UI benchmark: cold start to first frame, and the largest frame gap while a voice turn runs.

Goals: first frame <= 2 s (models and the world load in the background), largest frame gap
< 50 ms during a voice turn on the real models (Whisper, Qwen, piper). Gaps while switching
theme and language are reported apart: that re-layout is a user action, not the UI waiting. Each figure comes from a fresh child process rendering offscreen, so the cold start
includes the interpreter, PySide6/QtWebEngine start-up and the QML load.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from app import paths

FIRST_FRAME_GOAL_S = 2.0
FRAME_GAP_GOAL_MS = 50.0
WORKLOAD_S = 4.0


def run(argv: list[str] | None = None) -> dict:
    started = time.time()
    proc = subprocess.run(
        [sys.executable, "-m", "app.bench.ui", "--child", repr(started)],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": proc.stderr[-1000:], "returncode": proc.returncode}
    result = json.loads(lines[-1])
    result["first_frame_goal_s"] = FIRST_FRAME_GOAL_S
    result["frame_gap_goal_ms"] = FRAME_GAP_GOAL_MS
    result["first_frame_ok"] = result["first_frame_s"] <= FIRST_FRAME_GOAL_S
    gap = result["max_frame_gap_ms"]
    result["frame_gap_ok"] = gap is not None and gap < FRAME_GAP_GOAL_MS
    return result


def _gaps_ms(frames: list[float]) -> list[float]:
    return [(b - a) * 1000 for a, b in zip(frames, frames[1:], strict=False)]


def _gap_figures(frames: list[float], t0: float, elapsed: float) -> dict:
    gaps = _gaps_ms(frames)
    return {
        "max_frame_gap_ms": round(max(gaps), 1) if gaps else None,
        "median_frame_gap_ms": round(sorted(gaps)[len(gaps) // 2], 1) if gaps else None,
        "fps": round(len(frames) / elapsed, 1) if elapsed else None,
        "worst_gaps_at_s": sorted(
            ((round(g, 1), round(frames[i] - t0, 2)) for i, g in enumerate(gaps)), reverse=True
        )[:3],
    }


async def _command_wav():
    """ "Find parking near the Bund", spoken by the pipeline's piper voice; made once, then cached."""
    import numpy as np
    import soundfile as sf

    from app.voice.tts.piper import PiperSynthesizer

    wav = paths.cache_dir() / "bench" / "ui_voice_turn.wav"
    if not wav.exists():
        wav.parent.mkdir(parents=True, exist_ok=True)
        engine = PiperSynthesizer()
        pcm = b"".join([c async for c in engine.synthesize("Find parking near the Bund.", "en")])
        sf.write(str(wav), np.frombuffer(pcm, "<i2"), engine.sample_rate)
    return wav


async def _measure(cockpit, frames: list[float]) -> dict:
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while not cockpit.map_ready() and loop.time() < deadline:
        await asyncio.sleep(0.05)
    figures: dict = {}

    # The probe: a whole voice turn on the real models (Whisper, Qwen, piper) while the car
    # drives, from the moment the WAV is handed over until the car has finished speaking.
    if await cockpit.wait_for_voice(120):
        wav = await _command_wav()
        await asyncio.sleep(1.0)  # let start-up work settle: this measures the turn, not the load
        frames.clear()
        t0 = time.perf_counter()
        await asyncio.wait_for(cockpit.voice.submit_wav(str(wav)), 60)
        while cockpit.voice.pipe.speaking:
            await asyncio.sleep(0.02)
        elapsed = time.perf_counter() - t0
        figures["voice_turn"] = {
            **_gap_figures(list(frames), t0, elapsed),
            "turn_s": round(elapsed, 2),
            "reply": cockpit.assistant.property("reply"),
        }
    else:
        figures["voice_turn"] = {"error": f"voice pipeline did not load: {cockpit.voice_error}"}

    # Switching theme and language re-lays the whole scene out: a user action, reported apart.
    frames.clear()
    t0 = time.perf_counter()
    for theme, language in [("day", "zh"), ("night", "en"), ("day", "en"), ("night", "zh")]:
        cockpit.set_theme(theme)
        cockpit.set_language(language)
        await asyncio.sleep(WORKLOAD_S / 4)
    figures["theme_language_switch"] = _gap_figures(list(frames), t0, time.perf_counter() - t0)
    return figures


def _child(parent_started: float) -> None:
    import asyncio

    import qasync

    from app.ui import shell

    shell.prepare_environment(offscreen=True)
    app = shell.create_application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    cockpit = shell.Cockpit()
    frames: list[float] = []
    first: list[float] = []

    def on_frame():
        frames.append(time.perf_counter())
        if not first:
            first.append(time.time() - parent_started)

    cockpit.window.frameSwapped.connect(on_frame)

    async def scenario() -> dict:
        try:
            return await _measure(cockpit, frames)
        finally:
            await cockpit.aclose()

    with loop:
        figures = loop.run_until_complete(scenario())
    turn = figures["voice_turn"]
    print(
        json.dumps(
            {
                "first_frame_s": round(first[0], 3),
                # The cluster comes up first; the world's car joins once the world has loaded.
                "world_car_s": round(cockpit.world_s, 3) if cockpit.world_s is not None else None,
                # The headline figure is the one the issue asks for: frames during a voice turn.
                "max_frame_gap_ms": turn.get("max_frame_gap_ms"),
                "renderer": "software (offscreen)",
                **figures,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(float(sys.argv[2]))
    else:
        print(json.dumps(run(), indent=2))

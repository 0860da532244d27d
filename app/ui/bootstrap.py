"""`python -m app`: the cockpit window, or an offscreen screenshot (`--screenshot PATH`).

The screenshot CLI is a stable contract: --screenshot PATH [--size WxH] [--wait SECONDS].
`--wav FILE` plays a recorded request through the voice pipeline as if spoken (a demo stand
without a microphone); with --screenshot the frame is taken `--wait` seconds after its reply.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from app import __version__, paths

log = logging.getLogger("app")

NO_DISPLAY = """\
ai-cockpit: no display found (DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM are all unset).
  Run it in a virtual display:   xvfb-run -a make run
                            or:  xvfb-run -a python -m app
  Or render one frame offscreen: python -m app --screenshot out.png
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m app", description="AI Cockpit: in-car assistant prototype"
    )
    parser.add_argument("--version", action="version", version=f"ai-cockpit {__version__}")
    parser.add_argument("--screenshot", type=Path, metavar="PATH", help="render offscreen, save a PNG, exit")
    parser.add_argument("--size", default="1920x720", help="window size WxH (default 1920x720)")
    parser.add_argument("--wait", type=float, default=2.0, metavar="SECONDS",
                        help="seconds to run after the map is ready, before the screenshot (default 2)")  # fmt: skip
    parser.add_argument("--wav", type=Path, metavar="FILE",
                        help="feed this WAV through the voice pipeline as the driver's spoken request")  # fmt: skip
    parser.add_argument("--theme", choices=("night", "day"), default="night")
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        default=None,
        help="UI language (default en); with --scenario: only this language",
    )
    parser.add_argument(
        "--sim",
        action="store_true",
        help="scripted assistant only: load the world and the car, but not the agent or the voice models",
    )
    # Study mode (app/study, docs/study.md): a participant session, or the replay of one.
    parser.add_argument(
        "--study", type=Path, metavar="FILE", help="run a study session (needs --participant)"
    )
    parser.add_argument("--participant", help="participant id, e.g. P07 (its number picks the task order)")
    parser.add_argument("--condition", help="study condition key (default: the study's first)")
    parser.add_argument("--replay", metavar="SESSION", help="replay a logged study session in the cockpit")
    parser.add_argument("--speed", type=float, default=1.0, help="replay speed (default 1 = real time)")
    parser.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    from app.show.options import add_show_arguments  # show mode: scenarios, kiosk, watchdog, soak

    add_show_arguments(parser)
    args = parser.parse_args(argv)
    try:
        w, h = (int(v) for v in args.size.lower().split("x"))
        args.size = (w, h)
    except ValueError:
        parser.error(f"--size must look like 1920x720, not {args.size!r}")
    if args.study is not None and not args.participant:
        parser.error("--study needs --participant (e.g. --participant P07)")
    return args


def setup_logging(level: str) -> Path:
    logfile = paths.log_dir() / "cockpit.log"
    handlers: list[logging.Handler] = [
        logging.FileHandler(logfile, encoding="utf-8"),
        logging.StreamHandler(),
    ]
    handlers[1].setLevel(logging.WARNING)  # the console only hears about problems
    logging.basicConfig(
        level=level, handlers=handlers, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return logfile


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.wav is not None and not args.wav.is_file():
        print(f"ai-cockpit: --wav {args.wav}: no such file", file=sys.stderr)
        return 2
    logfile = setup_logging(args.log_level)
    from app import heap
    from app.show import options as show

    heap.limit_arenas()  # before Qt, the models and their threads start (app/heap.py)

    if show.runs_without_window(args):
        return show.run_without_window(args)
    from app.ui import shell

    if args.screenshot is None and not shell.has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    shell.prepare_environment(offscreen=args.screenshot is not None)
    app = shell.create_application(sys.argv[:1])

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    log.info("ai-cockpit %s starting; log file %s", __version__, logfile)
    cockpit = shell.Cockpit(
        size=args.size, theme=args.theme, language=args.lang or "en", use_real_services=not args.sim
    )

    async def run() -> int:
        # The voice pipeline is closed inside the loop's run: qasync steps leftover tasks once more
        # after run_until_complete, with no running loop, and a speaking task would fail there.
        study = None
        if args.study is not None or args.replay:
            from app.study import qt as study_qt

            try:
                study = study_qt.start(cockpit, args)  # study mode: task card, log, wizard page; or replay
            except (ValueError, LookupError) as exc:  # a bad study file or session id: say which
                print(f"ai-cockpit: {exc}", file=sys.stderr)
                await cockpit.aclose()
                return 2
        try:
            if args.screenshot is not None:
                return await _screenshot(cockpit, args.screenshot, args.wait, args.wav)
            closed = asyncio.Event()
            app.aboutToQuit.connect(closed.set)
            if args.wav is not None:
                asyncio.ensure_future(play_wav(cockpit, args.wav))
            show.start_in_window(cockpit, args)
            await closed.wait()
            return 0
        finally:
            if study is not None:
                study.close()
            await cockpit.aclose()

    code = loop.run_until_complete(run())
    # Model loaders still running on worker threads (llama.cpp, Whisper, piper) cannot be cancelled,
    # and tearing the loop and Qt down under them crashed the process (SIGSEGV) after a short
    # --screenshot: leave without waiting for them once everything of ours is closed and written.
    _hard_exit(code)
    return code


def _hard_exit(code: int) -> None:
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


VOICE_LOAD_TIMEOUT_S = 120


async def play_wav(cockpit, path: Path, timeout: float = 60) -> bool:
    """Wait for the voice pipeline, then play `path` as the driver's turn until its reply is shown.

    False (and a log line saying why) when there is no voice pipeline or no reply came in time.
    """
    loop = asyncio.get_running_loop()
    if not await cockpit.wait_for_voice(VOICE_LOAD_TIMEOUT_S):
        log.error("--wav %s not played: %s", path, cockpit.voice_error or "voice pipeline still loading")
        return False
    task = cockpit.voice.submit_wav(str(path))
    deadline = loop.time() + timeout
    while not task.done() and not cockpit.assistant.property("reply") and loop.time() < deadline:
        await asyncio.sleep(0.05)
    return bool(cockpit.assistant.property("reply"))


async def _screenshot(cockpit, path: Path, wait: float, wav: Path | None = None) -> int:
    """Wait for the map page, let the car drive and the demo turn play, then save the frame."""
    deadline = asyncio.get_running_loop().time() + 30

    def world_settled() -> bool:  # loaded, or failed and said so: the demo request needs its places
        return cockpit.world_s is not None or bool(cockpit.voice_error and "world" in cockpit.voice_error)

    while not (cockpit.map_ready() and world_settled()) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.1)
    if not cockpit.map_ready():
        log.error("map page did not load; the screenshot will show the placeholder")
    if not world_settled():
        log.error("the world did not load in time; the demo answer will say so")
    code = 0
    if wav is not None:
        if not await play_wav(cockpit, wav):
            print(f"ai-cockpit: the voice turn for {wav} did not complete (see the log)", file=sys.stderr)
            code = 1
    else:
        # A demo request so the frame shows the assistant's answer and result cards too.
        cockpit.assistant.submitText(
            "附近有停车场吗" if cockpit.translations.language == "zh" else "Find parking nearby"
        )
    await asyncio.sleep(wait)
    cockpit.screenshot(path)
    print(path)
    return code

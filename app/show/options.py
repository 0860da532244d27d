"""Show-mode command-line flags of `python -m app`, and where each combination goes.

Kept here so app/ui/bootstrap.py only gains three calls: add the flags, run the windowless modes
(scenario listing, headless runs, the watchdog), start the show in the window.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_show_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("show mode (docs/show.md)")
    g.add_argument("--list-scenarios", action="store_true", help="list the demo scenarios and exit")
    g.add_argument("--scenario", metavar="NAME", help="play a demo scenario (or 'all')")
    g.add_argument("--loop", action="store_true", help="with --scenario: play it again and again")
    g.add_argument(
        "--headless", action="store_true", help="with --scenario: no window, fastest pace, checked"
    )
    g.add_argument("--json", action="store_true", help="machine-readable output (one JSON line per step)")
    g.add_argument("--duration", type=float, metavar="SECONDS", help="with --loop: stop after this long")
    g.add_argument("--report", nargs="?", const="artifacts/soak", metavar="DIR",
                   help="with --headless: sample memory, files, threads; write JSON + PNG (default artifacts/soak)")  # fmt: skip
    g.add_argument(
        "--kiosk", action="store_true", help="fullscreen, no way out but the operator menu; attract loop"
    )
    g.add_argument(
        "--idle-minutes", type=float, metavar="MIN", help="kiosk: idle time before the attract loop"
    )
    g.add_argument(
        "--watchdog", action="store_true", help="supervise `--kiosk` and restart it on a freeze or crash"
    )
    g.add_argument(
        "--nightly-restart", metavar="HH:MM", help="with --watchdog: restart the app at this time daily"
    )


def runs_without_window(args: argparse.Namespace) -> bool:
    return bool(args.list_scenarios or args.watchdog or (args.scenario and args.headless))


def run_without_window(args: argparse.Namespace) -> int:
    if args.watchdog:
        from app.show import watchdog

        return watchdog.main_from_app(args)
    from app.show import cli

    if args.report:
        args.report = str(Path(args.report))
    return cli.main(args)


def start_in_window(cockpit, args: argparse.Namespace) -> None:
    """The show layer over a running cockpit: kiosk, scenario player, operator menu, heartbeat."""
    from app.show import live

    live.attach(cockpit, args)

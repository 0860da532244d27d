"""`python -m app.study`: run a scripted participant, list sessions, export, score by hand.

run --study FILE --participant P99 --script SCRIPT [--condition C] [--headless] [--pace S]
    [--fake] [--resume SESSION]      prints the session id as its last line
list [--json]                        every session, newest last, with its state
export [SESSION | --study NAME] --format csv|json [--table T] [--out DIR]
score sus|tlx|sassi|seq ANSWER...    e.g. score sus 4 2 5 1 4 2 5 1 4 2  ->  85.0
validate FILE                        checks a study file and prints each participant's order
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

from app.study import export as ex
from app.study import log as studylog
from app.study.definition import StudyError, load_study, task_order
from app.study.questionnaires import INSTRUMENTS, TLX_SCALES, ScoreError, score


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m app.study", description="AI Cockpit study mode")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="play a scripted participant through the real pipeline")
    r.add_argument("--study", required=True, type=Path)
    r.add_argument("--participant", required=True)
    r.add_argument("--script", required=True, type=Path)
    r.add_argument("--condition")
    r.add_argument(
        "--headless", action="store_true", help="no window (the only mode so far; kept for the contract)"
    )
    r.add_argument(
        "--pace", type=float, default=0.5, metavar="SECONDS", help="pause between steps (default 0.5)"
    )
    r.add_argument(
        "--fake", action="store_true", help="fake recogniser/agent/voice and no world: seconds, for tests"
    )
    r.add_argument(
        "--cloud", action="store_true", help="allow the cloud voice (default: offline voices only)"
    )
    r.add_argument("--resume", metavar="SESSION", help="continue an interrupted session")
    r.add_argument(
        "--wizard-page", action="store_true", help="serve the operator page so a person can be the wizard"
    )
    ls = sub.add_parser("list", help="sessions, newest last")
    ls.add_argument("--json", action="store_true")
    e = sub.add_parser("export", help="turn / task / questionnaire / DRT tables")
    e.add_argument("session", nargs="?")
    e.add_argument("--study", dest="study_name")
    e.add_argument("--format", choices=("csv", "json"), default="csv")
    e.add_argument("--table", choices=tuple(ex.TABLES), default="turns", help="CSV to stdout: which table")
    e.add_argument("--out", type=Path, help="write every table (CSV) or export.json (JSON) into this folder")
    s = sub.add_parser("score", help="score one questionnaire by hand")
    s.add_argument("instrument", choices=INSTRUMENTS)
    s.add_argument("answers", nargs="+")
    s.add_argument("--weights", help="tlx: six pairwise tallies summing to 15, comma-separated")
    s.add_argument("--json", action="store_true")
    v = sub.add_parser("validate", help="check a study file")
    v.add_argument("file", type=Path)
    v.add_argument("--participants", type=int, default=4)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.cmd](args)
    except (StudyError, ScoreError, LookupError, ValueError) as exc:
        print(f"app.study: {exc}", file=sys.stderr)
        return 2


def cmd_run(args) -> int:
    import logging

    from app.study import runner

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    study = load_study(args.study)
    sid = asyncio.run(
        runner.run(
            study,
            args.participant,
            args.script,
            args.condition,
            pace=args.pace,
            fake=args.fake,
            cloud=args.cloud,
            resume=args.resume,
        )  # fmt: skip
    )
    print(sid, flush=True)
    return 0


def cmd_list(args) -> int:
    sessions = studylog.all_sessions()
    if args.json:
        print(json.dumps(sessions, ensure_ascii=False, indent=1))
        return 0
    if not sessions:
        print(f"no sessions yet in {studylog.studies_dir()}")
        return 0
    print(
        f"{'session':44} {'study':10} {'participant':11} {'condition':10} {'state':11} {'turns':>5} {'tasks':>5}  started (UTC)"
    )
    for s in sessions:
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(s["started_unix"]))
        print(f"{s['id']:44} {s['study']:10} {s['participant']:11} {s['condition']:10} {s['state']:11}"
              f" {s['turns']:>5} {s['tasks']:>5}  {started}")  # fmt: skip
    return 0


def cmd_export(args) -> int:
    if not args.session and not args.study_name:
        raise ValueError("export needs a SESSION id or --study NAME (python -m app.study list shows them)")
    data = ex.tables(args.session, args.study_name)
    if args.format == "json":
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / "export.json").write_text(text, encoding="utf-8")
            print(args.out / "export.json")
        else:
            print(text)
        return 0
    if args.out:
        for path in ex.write_csvs(data, args.out):
            print(path)
        return 0
    sys.stdout.write(ex.to_csv(data[args.table], ex.TABLES[args.table]))
    return 0


def cmd_score(args) -> int:
    kw = {}
    answers: list | dict = args.answers
    if args.instrument == "tlx" and args.weights:
        tallies = [float(x) for x in args.weights.split(",")]
        if len(tallies) != 6:
            raise ScoreError(
                "--weights needs six numbers (mental,physical,temporal,performance,effort,frustration)"
            )
        kw["weights"] = dict(zip(TLX_SCALES, tallies, strict=True))
    result = score(args.instrument, answers, **kw)
    print(json.dumps(result, ensure_ascii=False) if args.json else result["score"])
    return 0


def cmd_validate(args) -> int:
    study = load_study(args.file)
    print(f"{study.name}: {len(study.tasks)} tasks, conditions {[c.key for c in study.conditions]},"
          f" DRT {'on' if study.drt['enabled'] else 'off'}")  # fmt: skip
    for n in range(1, args.participants + 1):
        print(f"  P{n:02d}: {' > '.join(task_order(study, f'P{n:02d}'))}")
    return 0


COMMANDS = {
    "run": cmd_run,
    "list": cmd_list,
    "export": cmd_export,
    "score": cmd_score,
    "validate": cmd_validate,
}

if __name__ == "__main__":
    sys.exit(main())

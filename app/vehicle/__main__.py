"""Cabin CLI; prints JSON (a stable contract for scripts, the agent's tests and the demo stand).

    python -m app.vehicle state                       the whole cabin
    python -m app.vehicle set climate.driver.temperature 23
    python -m app.vehicle adjust climate.fan 1        (or up / down)
    python -m app.vehicle do media.play artist=林晓雨
    python -m app.vehicle do phone.call contact=妈妈
    python -m app.vehicle question range
    python -m app.vehicle undo | reset | spec | actions | telltales | docs
    python -m app.vehicle audio --wav out.wav [--seconds 5]   what the media plays, as a WAV

Exit code 2 with {"error": {code, message_en, message_zh}} for bad input (unknown control or
action, a value that cannot be read, a contact or song that is not there). A clamped value is not
an error: it is done, and the message says so.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.vehicle import load_cabin
from app.vehicle.api import Change


def _print(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _value(text: str) -> Any:
    """Numbers as numbers; everything else (on, 开, sport, 林晓雨) as text for the spec to read."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _error(code: str, en: str, zh: str = "", **extra: Any) -> int:
    _print({"error": {"code": code, "message": en, "message_en": en, "message_zh": zh or en, **extra}})
    return 2


def _change(change: Change | None) -> int:
    if change is None:
        return 0
    if not change.ok:
        return _error(change.error or "failed", change.message_en, change.message_zh, change=change.to_dict())
    _print(change.to_dict())
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app.vehicle", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("state", help="the whole cabin state")
    s = sub.add_parser("set", help="set a control: PATH VALUE")
    s.add_argument("path")
    s.add_argument("value")
    a = sub.add_parser("adjust", help="change a control by DELTA (a number, up or down)")
    a.add_argument("path")
    a.add_argument("delta", nargs="?")
    d = sub.add_parser("do", help="an action: ACTION [key=value ...]")
    d.add_argument("action")
    d.add_argument("args", nargs="*", metavar="key=value")
    q = sub.add_parser("question", help="range | battery | tyres | service | warning [light]")
    q.add_argument("topic")
    q.add_argument("light", nargs="?")
    sub.add_parser("undo", help="undo the last change")
    sub.add_parser("reset", help="everything back to the defaults")
    sub.add_parser("spec", help="the declared controls")
    sub.add_parser("actions", help="the declared actions")
    sub.add_parser("telltales", help="the cluster's tell-tales and what they mean")
    dd = sub.add_parser("docs", help="print the controls table of docs/vehicle.md (derived from the spec)")
    dd.add_argument("--write", action="store_true", help="update docs/vehicle.md in place")
    w = sub.add_parser("audio", help="render what the media plays now to a WAV file")
    w.add_argument("--wav", required=True)
    w.add_argument("--seconds", type=float, default=5.0)
    try:
        ns = ap.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its usage; keep the JSON contract too
        if exc.code not in (0, None):
            return _error("usage", "Bad arguments; see python -m app.vehicle --help", "参数错误")
        raise

    if ns.cmd == "docs":
        from app.paths import ROOT
        from app.vehicle.docs import controls_table, write

        if ns.write:
            _print(
                {"written": str(ROOT / "docs" / "vehicle.md"), "changed": write(ROOT / "docs" / "vehicle.md")}
            )
        else:
            print(controls_table())
        return 0
    cabin = load_cabin()
    if ns.cmd == "audio":
        if ns.seconds <= 0 or ns.seconds > 600:
            return _error("usage", "--seconds must be between 0 and 600", "--seconds 须在0到600之间")
        path = cabin.media_player.render_wav(ns.wav, ns.seconds)
        _print(
            {
                "wav": str(path),
                "seconds": ns.seconds,
                **cabin.media_player.info(),
                "media": cabin.state()["media"],
            }
        )
        return 0
    if ns.cmd == "state":
        _print(cabin.state())
        return 0
    if ns.cmd == "spec":
        _print(cabin.spec())
        return 0
    if ns.cmd == "actions":
        _print(cabin.actions())
        return 0
    if ns.cmd == "telltales":
        from app.vehicle.questions import telltales

        _print(telltales())
        return 0
    if ns.cmd == "set":
        return _change(cabin.set(ns.path, _value(ns.value)))
    if ns.cmd == "adjust":
        return _change(cabin.adjust(ns.path, None if ns.delta is None else _value(ns.delta)))
    if ns.cmd == "do":
        args = {}
        for item in ns.args:
            key, sep, value = item.partition("=")
            if not sep or not key:
                return _error("usage", f"'{item}' is not key=value", f"“{item}”不是 key=value 形式")
            args[key] = _value(value)
        return _change(cabin.do(ns.action, **args))
    if ns.cmd == "question":
        ans = cabin.question(ns.topic, **({"light": ns.light} if ns.light else {}))
        if not ans.get("ok", True):
            return _error(ans.get("error", "unknown_topic"), ans["message_en"], ans["message_zh"])
        _print(ans)
        return 0
    if ns.cmd == "undo":
        return _change(cabin.undo())
    if ns.cmd == "reset":
        return _change(cabin.reset())
    return 2


if __name__ == "__main__":
    sys.exit(main())

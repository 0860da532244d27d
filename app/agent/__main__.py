"""CLI: `python -m app.agent --json "TEXT"` or `--json -` (one utterance a line on stdin).

Each line is a fresh conversation unless `--session FILE` keeps context: the file holds the
dialogue state and the car's (cabin) state as JSON between invocations. `--show-state` adds
"car" (the cabin state after the turn) to each JSON line.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys

from app.agent.dialogue import DialogueState


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app.agent", description="Ask the in-car Qwen agent.")
    ap.add_argument("text", help='the utterance, or "-" to read one per line from stdin')
    ap.add_argument("--json", action="store_true", help="print one JSON object per utterance")
    ap.add_argument("--session", help="keep the conversation's context and the car's state in this file")
    ap.add_argument("--show-state", action="store_true", help='add "car": the cabin state after the turn')
    ap.add_argument(
        "--no-fast-path", action="store_true", help="kept for old scripts: there is no fast path now"
    )
    ap.add_argument("--base-url", help="an OpenAI-compatible server instead of the local model")
    ap.add_argument(
        "--model",
        help="the local model by its manifest name (default qwen2.5-0.5b, or COCKPIT_AGENT_MODEL); "
        "qwen2.5-1.5b is slower and more often right (docs/agent.md, session 16)",
    )
    ap.add_argument(
        "--fake", action="store_true", help="scripted LLM, tiny world, simulated cabin (for tests)"
    )
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR)

    cabin = None
    if args.session:
        from app.agent.core import default_cabin

        # The session's own car: a --session run never changes the cockpit's shared cabin.
        cabin = default_cabin(args.session + ".car.json")
    if args.fake:
        from app.agent.core import CockpitAgent
        from app.agent.fake import FakeRuntime, FakeWorld

        agent = CockpitAgent(FakeRuntime(), FakeWorld(), cabin=cabin)
    else:
        from app.agent.core import make_agent

        agent = make_agent(base_url=args.base_url, cabin=cabin, local_model=args.model)
    agent.warm_up()  # model load and prefix evaluation are not part of any turn's latency

    lines = sys.stdin if args.text == "-" else [args.text]
    for line in lines:
        line = line.rstrip("\n")
        if args.session:
            agent.state = _load_state(args.session)
        else:
            agent.reset()
        turn = agent.respond(line)
        if args.session:
            _save_state(args.session, agent.state)
        if args.json:
            out = turn.to_json()
            if args.show_state:
                out["car"] = agent.cabin.state()
            print(json.dumps(out, ensure_ascii=False), flush=True)
        else:
            calls = "; ".join(f"{c['tool']} {json.dumps(c['args'], ensure_ascii=False)}" for c in turn.calls)
            print(f"[{calls}] {turn.reply}", flush=True)
    return 0


def _load_state(path: str) -> DialogueState:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        data["history"] = [tuple(x) for x in data.get("history", [])]
        return DialogueState(**data)
    except (OSError, ValueError, TypeError):
        return DialogueState()


def _save_state(path: str, state: DialogueState) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(dataclasses.asdict(state), f, ensure_ascii=False)


if __name__ == "__main__":
    sys.exit(main())

"""Agent benchmark: tool accuracy, key-slot accuracy and latency on assets/agent_eval/.

    python -m app.bench agent [--fast-path on|off|both] [--limit N] [--lang en|zh] [--fake]
    python -m app.bench.agent ...   (standalone: prints the table and the JSON)

Every utterance is a fresh conversation. Latency is per turn after warm-up
(model load and prefix evaluation excluded) and includes the world call.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from app import paths
from app.agent.text import norm
from app.world.cuisine import canonical

EVAL_DIR = paths.ASSETS / "agent_eval"
KEY_SLOTS = ("destination", "near", "cuisine", "category")


def load_set(langs: tuple[str, ...] = ("en", "zh")) -> list[dict[str, Any]]:
    rows = []
    for lang in langs:
        with open(EVAL_DIR / f"{lang}.jsonl", encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return rows


def slot_ok(key: str, gold: Any, pred: Any) -> bool:
    """Place slots are scored as said (CrossWOZ's Beijing places are not in our Shanghai map):
    equal after normalising, or one contains the other. Cuisines compare by canonical key."""
    if gold is None:
        return pred is None
    if pred is None:
        return False
    if key == "cuisine":
        return (canonical(pred) or norm(pred)) == (canonical(gold) or norm(gold))
    if key == "category":
        return pred == gold
    g, p = norm(gold), norm(pred)
    return bool(g and p) and (g == p or g in p or (len(p) >= 2 and p in g))


def score_row(row: dict[str, Any], tool: str, args: dict[str, Any]) -> dict[str, Any]:
    tool_ok = tool == row["tool"]
    slots = {k: v for k, v in row["slots"].items() if k in KEY_SLOTS}
    slots_ok = tool_ok and all(slot_ok(k, v, args.get(k)) for k, v in slots.items()) if slots else None
    return {"tool_ok": tool_ok, "slots_ok": slots_ok}


def pct(xs: list[bool]) -> float | None:
    return round(100.0 * sum(xs) / len(xs), 1) if xs else None


def percentile(xs: list[float], q: float) -> float | None:
    if not xs:
        return None
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))], 1)


def evaluate(agent: Any, rows: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    records = []
    for row in rows:
        agent.reset()
        t0 = time.perf_counter()
        turn = agent.respond(row["text"])
        wall = (time.perf_counter() - t0) * 1000
        rec = {
            **row,
            "pred_tool": turn.tool,
            "pred_args": turn.args,
            "reply": turn.reply,
            "language": turn.language,
        }
        rec.update(score_row(row, turn.tool, turn.args), latency_ms=wall, decided_by=turn.decided_by)
        records.append(rec)
    return summarize(records), records


def summarize(records: list[dict[str, Any]]) -> dict[str, Any]:
    def block(recs):
        slot_recs = [r["slots_ok"] for r in recs if r["slots_ok"] is not None]
        lat = [r["latency_ms"] for r in recs]
        return {
            "n": len(recs),
            "tool_acc": pct([r["tool_ok"] for r in recs]),
            "slot_n": len(slot_recs),
            "slot_acc": pct(slot_recs),
            "p50_ms": percentile(lat, 0.5),
            "p95_ms": percentile(lat, 0.95),
        }

    out = block(records)
    out["language_ok"] = pct([r["language"] == r["lang"] for r in records])
    out["fast_path_share"] = pct([r["decided_by"] == "fast_path" for r in records])
    llm = [r for r in records if r["decided_by"] == "llm"]
    out["llm_turns"] = {
        "n": len(llm),
        "tool_acc": pct([r["tool_ok"] for r in llm]),
        "p50_ms": percentile([r["latency_ms"] for r in llm], 0.5),
        "p95_ms": percentile([r["latency_ms"] for r in llm], 0.95),
    }
    out["per_language"] = {
        lang: block([r for r in records if r["lang"] == lang])
        for lang in sorted({r["lang"] for r in records})
    }
    out["per_tool"] = {
        tool: {
            k: v
            for k, v in block([r for r in records if r["tool"] == tool]).items()
            if k in ("n", "tool_acc", "slot_n", "slot_acc")
        }
        for tool in sorted({r["tool"] for r in records})
    }
    return out


def make(fast_path: bool, fake: bool) -> Any:
    from app.agent.core import CockpitAgent

    if fake:
        from app.agent.fake import FakeRuntime, FakeWorld

        return CockpitAgent(FakeRuntime(), FakeWorld(), fast_path=fast_path)
    from app.agent.core import make_agent

    return make_agent(fast_path=fast_path)


def run(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="python -m app.bench agent")
    ap.add_argument("--fast-path", choices=("on", "off", "both"), default="both")
    ap.add_argument("--limit", type=int, default=0, help="first N rows of each language (quick runs)")
    ap.add_argument("--lang", choices=("en", "zh"))
    ap.add_argument(
        "--fake", action="store_true", help="scripted LLM and tiny world: checks the harness only"
    )
    args, _ = ap.parse_known_args(argv)

    langs = (args.lang,) if args.lang else ("en", "zh")
    rows = []
    for lang in langs:
        part = load_set((lang,))
        rows += part[: args.limit] if args.limit else part
    modes = {"on": [True], "off": [False], "both": [True, False]}[args.fast_path]

    agent = make(modes[0], args.fake)
    t0 = time.perf_counter()
    agent.warm_up()
    figures: dict[str, Any] = {
        "rows": len(rows),
        "warm_up_s": round(time.perf_counter() - t0, 1),
        "runtime": agent.runtime.name,
    }
    misses_path = paths.ROOT / "artifacts" / "bench" / "agent_misses.jsonl"
    misses_path.parent.mkdir(parents=True, exist_ok=True)
    with open(misses_path, "w", encoding="utf-8") as f:
        for fp in modes:
            agent.fast_path = fp
            summary, records = evaluate(agent, rows)
            figures["with_fast_path" if fp else "llm_only"] = summary
            for r in records:
                if not r["tool_ok"] or r["slots_ok"] is False:
                    f.write(json.dumps({"fast_path": fp, **r}, ensure_ascii=False) + "\n")
    main_mode = figures.get("with_fast_path") or figures["llm_only"]
    figures["targets_met"] = {
        "tool_acc>=97": (main_mode["tool_acc"] or 0) >= 97,
        "slot_acc>=90": (main_mode["slot_acc"] or 0) >= 90,
        "p50<=300ms": (main_mode["p50_ms"] or 1e9) <= 300,
        "p95<=800ms": (main_mode["p95_ms"] or 1e9) <= 800,
    }
    figures["misses_file"] = str(misses_path.relative_to(paths.ROOT))
    return figures


def main(argv: list[str] | None = None) -> int:
    import sys

    figures = run(argv if argv is not None else sys.argv[1:])
    try:
        from app.bench.__main__ import print_table
    except ImportError:  # the runner is optional for the standalone form
        print_table = None
    if print_table:
        print_table("agent", figures)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Agent benchmark: domain-set exact match per language, multi-intent accuracy, argument accuracy,
reply language and latency, on the v2 splits (assets/agent_eval/v2/, owned by `evalset`), scored by
evalset's scorer `app.bench.nlu.score`, against the old agent's baseline stored beside them.

    python -m app.bench agent [--split dev|heldout|both] [--every K] [--limit N] [--fake]
    python -m app.bench.agent ...   (standalone: prints the table and the JSON)

Every utterance is a fresh conversation. Latency is the agent's own `latency_ms` per turn after
warm-up (model load and prefix evaluation excluded), world and cabin calls included.
The held-out split is only ever scored in aggregate: no row, miss or output of it is written.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from typing import Any

from app import paths

V2 = paths.ASSETS / "agent_eval" / "v2"
# The old v1 set's tools, for a rough domain score while the v2 splits are not there.
_V1_DOMAIN = {"navigate": "navigation", "add_stop": "navigation", "find_parking": "places",
              "find_restaurants": "places", "traffic_light_status": "traffic_light", "trip_status": "trip",
              "none": "chat"}  # fmt: skip


def load_split(split: str) -> list[dict[str, Any]]:
    path = V2 / f"{split}.jsonl"
    if path.exists():
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    if split != "dev":
        return []
    rows = []
    for lang in ("en", "zh"):  # fallback: the v1 set, domains from its tools
        with open(paths.ASSETS / "agent_eval" / f"{lang}.jsonl", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                rows.append(
                    {**r, "domains": [_V1_DOMAIN[r["tool"]]], "slots": [], "multi": False, "v1": True}
                )
    return rows


def percentile(xs: list[float], q: float) -> float | None:
    if not xs:
        return None
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))], 1)


def _local_score(rows: list[dict[str, Any]], outputs: list[dict[str, Any]]) -> dict[str, Any]:
    """Used only until evalset's scorer exists: domain lists and reply language."""

    def pct(xs):
        return round(100.0 * sum(xs) / len(xs), 1) if xs else None

    ok = [
        [c["domain"] for c in o.get("calls", [])] == r["domains"] for r, o in zip(rows, outputs, strict=True)
    ]
    out = {"n": len(rows), "domain_exact": pct(ok), "scorer": "local fallback (app.bench.nlu not installed)"}
    out["per_language"] = {
        lang: {"n": sum(r["lang"] == lang for r in rows),
               "domain_exact": pct([k for k, r in zip(ok, rows, strict=True) if r["lang"] == lang])}
        for lang in ("en", "zh")
    }  # fmt: skip
    out["multi"] = pct([k for k, r in zip(ok, rows, strict=True) if r.get("multi")])
    out["reply_language"] = pct([o["language"] == r["lang"] for r, o in zip(rows, outputs, strict=True)])
    return out


def score(rows: list[dict[str, Any]], outputs: list[dict[str, Any]]) -> dict[str, Any]:
    try:
        from app.bench import nlu
    except ImportError:
        return _local_score(rows, outputs)
    return nlu.score(rows, outputs)["figures"]  # per-row records are not kept (held-out)


def run_split(
    agent: Any, rows: list[dict[str, Any]], progress: int = 0
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    import sys

    outputs = []
    for i, row in enumerate(rows, 1):
        agent.reset()
        getattr(agent, "_decisions", {}).clear()  # measure the model, not the decision cache
        outputs.append(agent.respond(row["text"]).to_json())
        if progress and i % progress == 0:  # aggregate so far only: no row is ever printed
            f = score(rows[:i], outputs)
            lat = sorted(o["latency_ms"] for o in outputs)
            print(f"[{i}/{len(rows)}] domain_set {f.get('domain_set_acc')} args {f.get('args_acc')} "
                  f"multi {f.get('multi', {}).get('acc')} lang {f.get('reply_lang_acc')} "
                  f"p50 {lat[len(lat) // 2]:.0f} ms", file=sys.stderr, flush=True)  # fmt: skip
    figures = score(rows, outputs)
    lat = [o["latency_ms"] for o in outputs]
    single = [o["latency_ms"] for o, r in zip(outputs, rows, strict=True) if len(r["domains"]) == 1]
    multi = [o["latency_ms"] for o, r in zip(outputs, rows, strict=True) if len(r["domains"]) >= 2]
    figures["latency"] = {
        "p50_ms": percentile(lat, 0.5),
        "p95_ms": percentile(lat, 0.95),
        "single_p50_ms": percentile(single, 0.5),
        "multi_p50_ms": percentile(multi, 0.5),
        "multi_over_single": round(percentile(multi, 0.5) / percentile(single, 0.5), 2)
        if multi and single
        else None,
    }
    return figures, outputs


def make(fake: bool) -> Any:
    if fake:
        from app.agent.core import CockpitAgent
        from app.agent.fake import FakeRuntime, FakeWorld
        from app.agent.fake_cabin import FakeCabin

        return CockpitAgent(FakeRuntime(), FakeWorld(), cabin=FakeCabin())
    from app.agent.core import make_agent
    from app.agent.fake_cabin import FakeCabin

    # A cabin of the bench's own: a benchmark never changes the cockpit's car.
    try:
        from app.vehicle import Cabin

        cabin: Any = Cabin()
    except ImportError:
        cabin = FakeCabin()
    return make_agent(cabin=cabin)


def run(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="python -m app.bench agent")
    ap.add_argument("--split", choices=("dev", "heldout", "both"), default="both")
    ap.add_argument("--limit", type=int, default=0, help="first N rows of each split (quick runs)")
    ap.add_argument(
        "--every", type=int, default=1, help="every K-th row (a systematic sample of both languages)"
    )
    ap.add_argument(
        "--fake", action="store_true", help="scripted LLM and tiny world: checks the harness only"
    )
    ap.add_argument("--progress", type=int, default=0, help="print aggregate figures every N rows (stderr)")
    args, _ = ap.parse_known_args(argv)

    agent = make(args.fake)
    t0 = time.perf_counter()
    agent.warm_up()
    figures: dict[str, Any] = {"warm_up_s": round(time.perf_counter() - t0, 1), "runtime": agent.runtime.name,
                               "model": getattr(agent.runtime, "model_path", None)}  # fmt: skip
    splits = ("dev", "heldout") if args.split == "both" else (args.split,)
    for split in splits:
        rows = load_split(split)
        rows = rows[:: max(1, args.every)]
        rows = rows[: args.limit] if args.limit else rows
        if not rows:
            figures[split] = {"n": 0, "note": f"{V2 / (split + '.jsonl')} not found"}
            continue
        # The agent logs the model's unusable output, request text included; on the held-out
        # split nobody may read that, so only errors are let through.
        quiet = logging.getLogger("app.agent")
        level = quiet.level
        if split == "heldout":
            quiet.setLevel(logging.ERROR)
        try:
            summary, outputs = run_split(agent, rows, args.progress)
        finally:
            quiet.setLevel(level)
        figures[split] = {**summary, "every": args.every}
        if split == "dev":  # misses of the dev split only: the held-out split is never looked at
            misses = paths.ROOT / "artifacts" / "bench" / "agent_dev_misses.jsonl"
            misses.parent.mkdir(parents=True, exist_ok=True)
            with open(misses, "w", encoding="utf-8") as f:
                for r, o in zip(rows, outputs, strict=True):
                    if [c["domain"] for c in o["calls"]] != r["domains"]:
                        f.write(json.dumps({"row": r, "out": o}, ensure_ascii=False) + "\n")
            figures["dev_misses_file"] = str(misses.relative_to(paths.ROOT))
    base = V2 / "baseline_old_agent.json"
    if base.exists():
        figures["baseline_old_agent"] = json.loads(base.read_text(encoding="utf-8"))
    return figures


def main(argv: list[str] | None = None) -> int:
    import sys

    from app.bench import isolate_state

    isolate_state()
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

"""The v2 language-understanding benchmark: real phrasings, every domain, several requests per sentence.

    python -m app.bench.nlu --split dev|heldout [--agent-cmd "…"] [--limit N] [--show-misses]
    python -m app.bench nlu ...   (through the runner)

The rows live in assets/agent_eval/v2/ (built by `python -m app.bench.nlu_build`; the mapping from
each public dataset to our domains and slots is in assets/agent_eval/README.md). The agent under
test is any command that reads one utterance per line on stdin and prints one
`python -m app.agent --json` line per utterance (one process for the whole split).

`score(rows, outputs)` is pure: it compares the gold actions of each row with the agent's
`calls` (or, for an old-agent line without `calls`, its single `tool`, mapped to a domain).
Held-out rule: for `--split heldout` only aggregate figures are printed and written, never a row's
text, unless `--show-misses` is given (for the evalset engineer only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import functools
import json
import re
import shlex
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from app import paths

V2_DIR = paths.ASSETS / "agent_eval" / "v2"
DOMAINS = ("navigation", "places", "traffic_light", "trip", "vehicle", "media", "phone", "weather", "chat")
SLOT_KEYS = ("place", "category", "cuisine", "temperature", "control", "value", "contact", "media")
DEFAULT_AGENT_CMD = f"{shlex.quote(sys.executable)} -m app.agent --json -"

# The old agent (seven tools) has no `calls`: its tool says the domain.
OLD_TOOL_DOMAIN = {
    "navigate": "navigation",
    "add_stop": "navigation",
    "find_parking": "places",
    "find_restaurants": "places",
    "traffic_light_status": "traffic_light",
    "trip_status": "trip",
    "none": "chat",
}

# Tools that name a cabin action by themselves.
TOOL_CONTROL = {"car_feel": "climate.feel", "undo": "cabin.undo", "car_question": "car.question"}
# A feeling implies the direction of the change it asks for.
FEELING_DIRECTION = {"cold": "up", "hot": "down", "冷": "up", "热": "down"}

# Category words a prediction may use instead of the world's key (old agent: "coffee").
CATEGORY_ALIASES = {
    "coffee": "cafe",
    "gas": "fuel",
    "gas_station": "fuel",
    "petrol": "fuel",
    "ev_charging": "charging",
}

# A saved place may be named either way: gold "home" matches "家"/"回家"/"my home".
SAVED_PLACES = {
    "home": {"home", "家", "回家", "我家", "myhome", "saved:home"},
    "work": {"work", "公司", "单位", "office", "theoffice", "myoffice", "mywork", "saved:work"},
}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TRUE = {"true", "on", "open", "1", "yes", "开", "打开", "开启"}
_FALSE = {"false", "off", "close", "closed", "0", "no", "关", "关闭", "关上"}


# ---------------------------------------------------------------- loading


def load_split(split: str, directory: Path = V2_DIR) -> list[dict[str, Any]]:
    path = directory / f"{split}.jsonl"
    if not path.exists():
        raise SystemExit(f"no benchmark split at {path} (build it with python -m app.bench.nlu_build)")
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# ---------------------------------------------------------------- normalising


def norm_text(text: Any) -> str:
    """Lower case, NFKC, no punctuation, spaces or leading article: for comparing strings as said."""
    t = unicodedata.normalize("NFKC", str(text)).lower().strip()
    t = re.sub(r"^(the|a|an)\s+", "", t)
    return re.sub(r"[\W_]+", "", t)


def reply_language(text: str) -> str | None:
    """'zh' if the reply is mostly Chinese, 'en' if mostly Latin; None for an empty reply."""
    cjk = len(_CJK.findall(text or ""))
    latin = len(re.findall(r"[A-Za-z]+", text or ""))
    if not cjk and not latin:
        return None
    return "zh" if cjk >= 1.5 * latin else "en"


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    return None


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- predicted calls


def predicted_calls(output: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The agent's actions as [{domain, args}], from `calls` or (old agent) the top-level tool."""
    if not output:
        return []
    calls = output.get("calls")
    if isinstance(calls, list) and calls:
        return [
            {
                "domain": c.get("domain") or OLD_TOOL_DOMAIN.get(c.get("tool"), "chat"),
                "tool": c.get("tool"),
                "args": c.get("args") or {},
            }
            for c in calls
            if isinstance(c, dict)
        ]
    tool = output.get("tool")
    if tool is None:
        return []
    return [{"domain": OLD_TOOL_DOMAIN.get(tool, "chat"), "tool": tool, "args": output.get("args") or {}}]


def extract_slots(call: dict[str, Any]) -> dict[str, Any]:
    """Our slot keys from a call's args. Agents name arguments their own way; these are the
    names the contract and the old agent use (destination/near/query -> place, path -> control)."""
    a, tool, domain = call.get("args") or {}, call.get("tool"), call.get("domain")
    out: dict[str, Any] = {}
    for key in ("place", "destination", "near", "name", "to"):
        if a.get(key) not in (None, "") and not (key == "name" and domain == "phone"):
            out["place"] = a[key]
            break
    if "place" not in out and domain in ("navigation", "places") and a.get("query"):
        out["place"] = a["query"]
    category = a.get("category")
    if category is None and tool == "find_parking":
        category = "parking"
    if category is None and tool == "find_restaurants":
        category = "restaurant"
    if category is not None:
        out["category"] = category
    if a.get("cuisine") not in (None, ""):
        out["cuisine"] = a["cuisine"]
    # Every name the call gives its cabin control: a path, an action, a question topic, or the
    # tool itself ("undo", "car_feel" = climate.feel); the gold pattern may match any of them.
    names = [a.get(k) for k in ("control", "path", "action", "topic") if isinstance(a.get(k), str)]
    names += [TOOL_CONTROL.get(tool, tool)] if tool else []
    if names and domain in ("vehicle", "media", "phone"):
        out["control"] = names
    control = names[0] if names else None
    for key in ("value", "state", "level", "delta", "feeling", "position", "mode", "color", "prefer"):
        if key in a:
            out["value"] = a[key]
            break
    if a.get("temperature") is not None:
        out["temperature"] = a["temperature"]
    elif isinstance(control, str) and "temperature" in control and _as_number(out.get("value")) is not None:
        out["temperature"] = out["value"]
    contact = a.get("contact") or (a.get("name") if domain == "phone" else None)
    if contact:
        out["contact"] = contact.get("name") if isinstance(contact, dict) else contact
    media = [str(a[k]) for k in ("media", "query", "title", "artist", "genre", "mood", "station") if a.get(k)]
    if media and domain == "media":
        out["media"] = " ".join(media)
    return out


# ---------------------------------------------------------------- slot comparison


def _category_key(value: Any) -> str:
    key = norm_text(value).replace(" ", "_")
    try:  # the world's vocabulary, when the world branch has it: "加油站" -> "fuel"
        from app.world import categories  # type: ignore[attr-defined]

        canon = categories.canonical(str(value))
        if canon:
            return canon
    except Exception:  # noqa: BLE001 - vocabulary not there yet: compare keys as given
        pass
    return CATEGORY_ALIASES.get(key, key)


def _cuisine_key(value: Any) -> str:
    from app.world.cuisine import canonical

    return canonical(str(value)) or norm_text(value)


def _one_ok(key: str, gold: Any, pred: Any) -> bool:
    if key == "place":
        if gold in SAVED_PLACES:
            return norm_text(pred) in SAVED_PLACES[gold]
        g, p = norm_text(gold), norm_text(pred)
        # Places are scored as said: equal, or one contains the other ("庆丰包子铺(月坛店)").
        return bool(g and p) and (g == p or g in p or (len(p) >= 2 and p in g))
    if key == "category":
        return _category_key(gold) == _category_key(pred)
    if key == "cuisine":
        return _cuisine_key(gold) == _cuisine_key(pred)
    if key == "temperature":
        g, p = _as_number(gold), _as_number(pred)
        return g is not None and p is not None and abs(g - p) < 0.01
    if key == "control":
        # A gold control is a cabin path or a pattern: "seats.*.heating" when the side is not said;
        # "climate.*.temperature" also matches the both-zones "climate.temperature".
        g = str(gold).lower()
        for p in pred if isinstance(pred, list) else [pred]:
            p = str(p).lower()
            if fnmatch.fnmatchcase(p, g) or fnmatch.fnmatchcase(p, g.replace(".*.", ".")):
                return True
        return False
    if key == "value":
        gb = _as_bool(gold)
        if gb is not None:
            pb = _as_bool(pred)
            if pb is None:  # a level or a choice: 2 or "wave" is on, 0 or "off" is off
                n = _as_number(pred)
                pb = (n > 0) if n is not None else (str(pred).strip().lower() not in _FALSE)
            return gb == pb
        if str(gold) in ("up", "down"):  # relative change: the sign of the delta
            n = _as_number(pred)
            said = FEELING_DIRECTION.get(str(pred).lower(), norm_text(pred))
            return (n is not None and (n > 0) == (gold == "up")) or said == gold
        gn, pn = _as_number(gold), _as_number(pred)
        if gn is not None:
            return pn is not None and abs(gn - pn) < 0.01
        return norm_text(gold) == norm_text(pred)
    # contact, media: as said, containment either way
    g, p = norm_text(gold), norm_text(pred)
    if key == "media" and g and p and not (g in p or p in g):
        # A station said in words is the one written in digits: SLURP's "ninety nine point five
        # fm" is the model's "99.5 fm".
        from app.agent.schema import spelled_numbers

        g, p = norm_text(spelled_numbers(str(gold))), norm_text(spelled_numbers(str(pred)))
    if key == "contact" and g and p and not (g in p or p in g):
        # The same person of the demo phone book named in the other language: "mom" is 妈妈.
        same = _contact_ids(str(gold))
        return bool(same) and same == _contact_ids(str(pred))
    return bool(g and p) and (g in p or p in g)


@functools.lru_cache(maxsize=1)
def _contact_book() -> Any:
    try:  # the cabin's book, when the vehicle branch has it
        from app.vehicle.phone import load_contacts

        return load_contacts()
    except Exception:  # noqa: BLE001 - no book: names are compared as said
        return None


def _contact_ids(name: str) -> list[str]:
    book = _contact_book()
    return book.find(name) if book is not None else []


def slot_ok(key: str, gold: Any, pred: Any) -> bool:
    """A gold value of None means the slot must be absent; a list means any one of them."""
    if gold is None:
        return pred is None
    if pred is None:
        return False
    golds = gold if isinstance(gold, list) else [gold]
    return any(_one_ok(key, g, pred) for g in golds)


def align(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """For each gold action, the predicted call of the same domain, taken in order (each used once)."""
    used: set[int] = set()
    out: list[dict[str, Any] | None] = []
    for g in gold:
        match = next((i for i, p in enumerate(pred) if i not in used and p["domain"] == g["domain"]), None)
        if match is not None:
            used.add(match)
        out.append(pred[match] if match is not None else None)
    return out


# ---------------------------------------------------------------- scoring


def score_row(row: dict[str, Any], output: dict[str, Any] | None) -> dict[str, Any]:
    calls = predicted_calls(output)
    gold_domains = list(row["domains"])
    pred_domains = [c["domain"] for c in calls]
    # "chat" or "weather" with no action beside real actions is not an extra action.
    if len(pred_domains) > 1 and "chat" not in gold_domains:
        pred_domains_eff = [d for d in pred_domains if d != "chat"] or pred_domains
    else:
        pred_domains_eff = pred_domains
    rec: dict[str, Any] = {
        "id": row["id"],
        "lang": row["lang"],
        "multi": bool(row.get("multi")),
        "gold_domains": gold_domains,
        "pred_domains": pred_domains,
        "domain_set_ok": set(gold_domains) == set(pred_domains_eff),
        "domain_seq_ok": gold_domains == pred_domains_eff,
        "domain_count_ok": Counter(gold_domains) == Counter(pred_domains_eff),
        "slots": {},
    }
    aligned = align(row.get("slots") or [], [c for c in calls if c["domain"] in gold_domains])
    slot_results: dict[str, list[bool]] = {}
    for gold, pred in zip(row.get("slots") or [], aligned, strict=False):
        got = extract_slots(pred) if pred else {}
        for key in SLOT_KEYS:
            if key in gold:
                slot_results.setdefault(key, []).append(
                    pred is not None and slot_ok(key, gold[key], got.get(key))
                )
    rec["slots"] = slot_results
    scored = [ok for oks in slot_results.values() for ok in oks]
    rec["args_ok"] = (rec["domain_count_ok"] and all(scored)) if scored else None
    text_reply = (output or {}).get("reply") or ""
    rec["reply_lang"] = reply_language(text_reply) or (output or {}).get("language")
    rec["lang_ok"] = rec["reply_lang"] == row["lang"]
    rec["ok"] = rec["domain_set_ok"] and rec["args_ok"] is not False
    return rec


def pct(xs: list[bool]) -> float | None:
    return round(100.0 * sum(xs) / len(xs), 1) if xs else None


def _block(recs: list[dict[str, Any]]) -> dict[str, Any]:
    arg_recs = [r["args_ok"] for r in recs if r["args_ok"] is not None]
    return {
        "n": len(recs),
        "domain_set_acc": pct([r["domain_set_ok"] for r in recs]),
        "domain_seq_acc": pct([r["domain_seq_ok"] for r in recs]),
        "args_n": len(arg_recs),
        "args_acc": pct(arg_recs),
        "reply_lang_acc": pct([r["lang_ok"] for r in recs]),
        "all_ok": pct([r["ok"] for r in recs]),
    }


def score(rows: list[dict[str, Any]], outputs: list[dict[str, Any] | None]) -> dict[str, Any]:
    """Figures for one agent over rows; outputs[i] is the agent's JSON line for rows[i] (None = no line)."""
    if len(rows) != len(outputs):
        raise ValueError(f"{len(rows)} rows but {len(outputs)} outputs")
    recs = [score_row(r, o) for r, o in zip(rows, outputs, strict=True)]
    out = _block(recs)
    multi = [r for r in recs if r["multi"]]
    out["multi"] = {
        "n": len(multi),
        "acc": pct([r["domain_count_ok"] for r in multi]),  # every action found, order free
        "ordered_acc": pct([r["domain_seq_ok"] for r in multi]),
        "args_acc": pct([r["args_ok"] for r in multi if r["args_ok"] is not None]),
    }
    out["per_language"] = {
        lang: _block([r for r in recs if r["lang"] == lang]) for lang in sorted({r["lang"] for r in recs})
    }
    for lang, block in out["per_language"].items():
        lm = [r for r in multi if r["lang"] == lang]
        block["multi_n"], block["multi_acc"] = len(lm), pct([r["domain_count_ok"] for r in lm])
    # A domain's figure counts the rows that contain it (a multi row counts for each of its domains).
    out["per_domain"] = {}
    for d in DOMAINS:
        dr = [r for r in recs if d in r["gold_domains"]]
        if dr:
            out["per_domain"][d] = {
                "n": len(dr),
                "recall": pct([d in r["pred_domains"] for r in dr]),
                "domain_set_acc": pct([r["domain_set_ok"] for r in dr]),
                "args_acc": pct([r["args_ok"] for r in dr if r["args_ok"] is not None]),
            }
    out["per_slot"] = {}
    for key in SLOT_KEYS:
        oks = [ok for r in recs for ok in r["slots"].get(key, [])]
        if oks:
            out["per_slot"][key] = {"n": len(oks), "acc": pct(oks)}
    out["confusions"] = dict(
        Counter(
            f"{'+'.join(r['gold_domains'])} -> {'+'.join(r['pred_domains']) or '(nothing)'}"
            for r in recs
            if not r["domain_set_ok"]
        ).most_common(15)
    )
    out["targets_met"] = {
        "domain_set_acc>=95_per_language": all(
            (b["domain_set_acc"] or 0) >= 95 for b in out["per_language"].values()
        ),
        "multi_acc>=90": (out["multi"]["acc"] or 0) >= 90,
        "args_acc>=92": (out["args_acc"] or 0) >= 92,
        "reply_lang_acc==100": out["reply_lang_acc"] == 100.0,
    }
    return {"figures": out, "records": recs}


# ---------------------------------------------------------------- running an agent


def run_agent(rows: list[dict[str, Any]], agent_cmd: str, timeout_s: float = 7200) -> tuple[list, float]:
    """One agent process for the whole split: one utterance per stdin line, one JSON line back each."""
    text = "".join(r["text"].replace("\n", " ") + "\n" for r in rows)
    t0 = time.perf_counter()
    proc = subprocess.run(
        shlex.split(agent_cmd),
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout_s,
        cwd=paths.ROOT,
    )
    wall = time.perf_counter() - t0
    outputs: list[dict[str, Any] | None] = []
    for line in proc.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue  # a log line on stdout is not an answer
        try:
            outputs.append(json.loads(line))
        except ValueError:
            outputs.append(None)
    if proc.returncode != 0 or len(outputs) != len(rows):
        tail = proc.stderr.strip().splitlines()[-5:]
        print(
            f"agent exited {proc.returncode} with {len(outputs)}/{len(rows)} answers: {' | '.join(tail)}",
            file=sys.stderr,
        )
    outputs = (outputs + [None] * len(rows))[: len(rows)]  # a missing answer scores as wrong
    return outputs, wall


def machine_info() -> dict[str, Any]:
    """CPU model and ISA flags: app.bench.machine (engineer perf) when present, else /proc/cpuinfo."""
    try:
        from app.bench import machine  # type: ignore[attr-defined]

        return machine.info()
    except Exception:  # noqa: BLE001 - machine.py not merged yet
        pass
    import os
    import platform

    model, flags = None, set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and model is None:
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    isa = {
        f: f in flags
        for f in ("avx", "avx2", "fma", "f16c", "avx512f", "avx512_vnni", "avx_vnni", "amx_tile")
    }
    return {
        "cpu_model": model or platform.processor(),
        "cores": os.cpu_count(),
        "isa": isa,
        "python": platform.python_version(),
    }


def baseline_summary(split: str) -> dict[str, Any] | None:
    """The old agent's headline figures on the same split (v2/baseline_old_agent.json), to compare."""
    path = V2_DIR / "baseline_old_agent.json"
    if not path.exists():
        return None
    base = json.loads(path.read_text(encoding="utf-8")).get("splits", {}).get(split)
    if not base:
        return None
    return {
        "domain_set_acc": base.get("domain_set_acc"),
        "per_language": {k: v.get("domain_set_acc") for k, v in base.get("per_language", {}).items()},
        "multi_acc": base.get("multi", {}).get("acc"),
        "args_acc": base.get("args_acc"),
        "reply_lang_acc": base.get("reply_lang_acc"),
        "rows": base.get("n"),
    }


def record_baseline(split: str, figures: dict[str, Any]) -> None:
    """Aggregate figures only (no row text), so the held-out baseline can be published."""
    path = V2_DIR / "baseline_old_agent.json"
    doc = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    doc.setdefault(
        "about",
        "The old agent (seven tools, fast path + Qwen2.5-Coder-0.5B) on the v2 splits, scored by "
        "app/bench/nlu.py. Aggregate figures only.",
    )
    doc.setdefault("splits", {})[split] = {k: v for k, v in figures.items() if k != "baseline_old_agent"}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=paths.ROOT, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def run(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="python -m app.bench.nlu")
    ap.add_argument("--split", choices=("dev", "heldout"), default="dev")
    ap.add_argument(
        "--agent-cmd", default=DEFAULT_AGENT_CMD, help="reads utterances on stdin, prints JSON lines"
    )
    ap.add_argument("--limit", type=int, default=0, help="first N rows only (quick runs)")
    ap.add_argument(
        "--every", type=int, default=1, help="every K-th row (a systematic sample of both languages)"
    )
    ap.add_argument("--offset", type=int, default=0, help="with --every: the sample starts at this row")
    ap.add_argument("--lang", choices=("en", "zh"))
    ap.add_argument(
        "--outputs",
        type=Path,
        help="score saved answers instead of running the agent: agent JSON lines in row order, or a "
        "--save-outputs file (matched by text; rows it lacks are sent to the agent)",
    )
    ap.add_argument("--save-outputs", type=Path, help="keep each row's answer here ({text, output} lines)")
    ap.add_argument("--show-misses", action="store_true", help="held-out split: also write the missed rows")
    ap.add_argument(
        "--record-baseline",
        action="store_true",
        help="store this run's aggregate figures as the old agent's baseline for the split "
        "(v2/baseline_old_agent.json)",
    )
    args, _ = ap.parse_known_args(argv)

    rows = load_split(args.split)
    if args.lang:
        rows = [r for r in rows if r["lang"] == args.lang]
    if args.every > 1 or args.offset:
        rows = rows[args.offset :: args.every]
    if args.limit:
        rows = rows[: args.limit]
    wall = 0.0
    if args.outputs:
        saved = [json.loads(ln) for ln in args.outputs.read_text(encoding="utf-8").splitlines() if ln.strip()]
        if saved and "output" in saved[0] and "text" in saved[0]:
            by_text = {s["text"]: s["output"] for s in saved}
            missing = [r for r in rows if r["text"] not in by_text]
            if missing:
                answers, wall = run_agent(missing, args.agent_cmd)
                by_text.update({r["text"]: o for r, o in zip(missing, answers, strict=True)})
            outputs = [by_text.get(r["text"]) for r in rows]
        else:
            outputs = (saved + [None] * len(rows))[: len(rows)]
    else:
        outputs, wall = run_agent(rows, args.agent_cmd)
    if args.save_outputs:
        with open(args.save_outputs, "w", encoding="utf-8") as f:
            for r, o in zip(rows, outputs, strict=True):
                f.write(
                    json.dumps({"id": r["id"], "text": r["text"], "output": o}, ensure_ascii=False) + "\n"
                )
    result = score(rows, outputs)
    figures = result["figures"]
    lat = sorted(o["latency_ms"] for o in outputs if o and isinstance(o.get("latency_ms"), (int, float)))
    figures["latency_ms"] = {
        "p50": lat[len(lat) // 2] if lat else None,
        "p95": lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))] if lat else None,
        "wall_s": round(wall, 1),
    }
    figures["baseline_old_agent"] = baseline_summary(args.split)
    figures["run"] = {
        "split": args.split,
        "rows": len(rows),
        "sample": f"1 row in {args.every} (rows[::{args.every}])" if args.every > 1 else "all rows",
        "agent_cmd": args.agent_cmd if not args.outputs else f"(saved outputs {args.outputs})",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "machine": machine_info(),
    }
    if args.record_baseline:
        record_baseline(args.split, figures)
    out_dir = paths.ROOT / "artifacts" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"nlu_{args.split}.json").write_text(
        json.dumps(figures, ensure_ascii=False, indent=2), "utf-8"
    )
    if args.split == "dev" or args.show_misses:
        misses = out_dir / f"nlu_{args.split}_misses.jsonl"
        with open(misses, "w", encoding="utf-8") as f:
            for row, rec, o in zip(rows, result["records"], outputs, strict=False):
                if not rec["ok"] or not rec["lang_ok"]:
                    miss = {**row, "pred_calls": predicted_calls(o), "reply": (o or {}).get("reply"), **rec}
                    f.write(json.dumps(miss, ensure_ascii=False) + "\n")
        figures["misses_file"] = str(misses.relative_to(paths.ROOT))
    return figures


def print_summary(figures: dict[str, Any]) -> None:
    """A short table; the full figures follow as JSON."""
    m = figures.get("run", {}).get("machine", {})
    print(
        f"NLU benchmark v2 · split {figures['run']['split']} · {figures['run']['rows']} rows · "
        f"{m.get('cpu_model')} · {figures['run']['date']}"
    )
    head = f"{'':14}{'n':>6}{'domains':>9}{'ordered':>9}{'args':>8}{'reply lang':>12}"
    print(head)

    def line(name, b):
        def f(x):
            return "-" if x is None else f"{x:.1f}"

        print(
            f"{name:14}{b['n']:>6}{f(b['domain_set_acc']):>9}{f(b.get('domain_seq_acc')):>9}"
            f"{f(b['args_acc']):>8}{f(b.get('reply_lang_acc')):>12}"
        )

    line("all", figures)
    for lang, b in figures["per_language"].items():
        line(lang, b)
    mm = figures["multi"]
    print(
        f"{'multi-intent':14}{mm['n']:>6}{'-' if mm['acc'] is None else mm['acc']:>9}"
        f"{'-' if mm['ordered_acc'] is None else mm['ordered_acc']:>9}{'-' if mm['args_acc'] is None else mm['args_acc']:>8}"
    )
    print(f"{'domain':14}{'n':>6}{'recall':>9}{'set':>9}{'args':>8}")
    for d, b in figures["per_domain"].items():
        print(
            f"{d:14}{b['n']:>6}{b['recall'] or 0:>9.1f}{b['domain_set_acc'] or 0:>9.1f}"
            f"{'-' if b['args_acc'] is None else b['args_acc']:>8}"
        )
    print("slots: " + ", ".join(f"{k} {v['acc']}% of {v['n']}" for k, v in figures["per_slot"].items()))
    print(f"latency ms p50 {figures['latency_ms']['p50']} p95 {figures['latency_ms']['p95']}")


def main(argv: list[str] | None = None) -> int:
    from app.bench import isolate_state

    isolate_state()
    figures = run(argv if argv is not None else sys.argv[1:])
    print_summary(figures)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

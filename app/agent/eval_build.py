"""Build the agent's labelled benchmark set (assets/agent_eval/) from real phrasings.

    python -m app.agent.eval_build [--nlu /work/shared/eval/nlu]

Sources keep their own labels; the mapping to our tools is the rule table in
assets/agent_eval/README.md, implemented by the functions below. Sampling is
seeded, so re-running gives the same set. Rows we wrote ourselves come from
assets/agent_eval/ours.jsonl and are marked "source": "ours".
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from app import paths
from app.world.cuisine import canonical

OUT = paths.ASSETS / "agent_eval"
DEFAULT_NLU = Path("/work/shared/eval/nlu")
if not DEFAULT_NLU.exists():
    DEFAULT_NLU = paths.ROOT.parent / "shared" / "eval" / "nlu"

_FOOD_BUSINESS = re.compile(r"(restaurant|pizza|food court|good to eat|diner|bakery|sushi|cafe|coffee)")
_SLURP_NAV = re.compile(
    r"(directions to|get to|how do i get|route to|take me to|navigate|way to|drive to|street do i take)"
)
_SLURP_PUBLIC = re.compile(r"(train|ticket|flight|bus|schedule|plane|subway|taxi|uber)")


def _slots(annot: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in re.findall(r"\[(\w+) : ([^\]]+)\]", annot):
        out.setdefault(k, []).append(v.strip())
    return out


def _row(text, lang, tool, slots, source, label):
    return {"text": text, "lang": lang, "tool": tool, "slots": slots, "source": source, "source_label": label}


def slurp(path: Path, rng: random.Random) -> list[dict]:
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    out = []
    for r in rows:
        intent, utt, s = r["intent"], r["utt"], _slots(r["annot_utt"])
        src = f"slurp:{r['slurp_id']}"
        if intent == "transport_query":
            if (
                _SLURP_NAV.search(utt)
                and "place_name" in s
                and s["place_name"][-1] in utt
                and not _SLURP_PUBLIC.search(utt)
            ):
                # "to poughkeepsie from new york city": the place after "to" is the destination.
                after_to = [p for p in s["place_name"] if re.search(rf"\bto (?:the )?{re.escape(p)}", utt)]
                dest = (after_to or s["place_name"])[-1]
                out.append(_row(utt, "en", "navigate", {"destination": dest}, src, intent))
            elif _SLURP_PUBLIC.search(utt):
                out.append(_row(utt, "en", "none", {}, src, intent))
        elif intent == "transport_traffic" and "place_name" not in s:
            out.append(_row(utt, "en", "trip_status", {}, src, intent))
        elif intent == "recommendation_locations":
            biz = " ".join(s.get("business_type", []) + s.get("food_type", []))
            if re.search(r"\b(bar|bars|pub|pubs|drinks)\b", biz):
                continue  # a bar is neither clearly food nor clearly out of scope: left out
            if _FOOD_BUSINESS.search(biz) or "food_type" in s:
                cuisine = next((canonical(f) for f in s.get("food_type", []) if canonical(f)), None)
                out.append(
                    _row(utt, "en", "find_restaurants", {"cuisine": cuisine} if cuisine else {}, src, intent)
                )
            elif "parking" in utt:
                out.append(_row(utt, "en", "find_parking", {}, src, intent))
            elif re.search(
                r"(shop|store|trail|theat|zoo|mall|grocery|pharmacy|walmart|amazon|sells|tourist)", utt
            ):
                out.append(_row(utt, "en", "none", {}, src, intent))
    by_intent: dict[str, list[dict]] = {}
    for row in out:
        by_intent.setdefault(row["source_label"] + row["tool"], []).append(row)
    chosen = [row for rows_ in by_intent.values() for row in rows_ if row["tool"] != "none"]
    chosen += rng.sample([r for r in out if r["tool"] == "none"], 25)
    # Out-of-scope chit-chat, as people said it: weather, quirky, jokes, taxis, events.
    for intent, n in (
        ("weather_query", 20),
        ("general_quirky", 25),
        ("general_joke", 8),
        ("transport_taxi", 6),
        ("recommendation_events", 6),
    ):
        pool = [r for r in rows if r["intent"] == intent]
        for r in rng.sample(pool, n):
            dest = _slots(r["annot_utt"]).get("place_name", [None])[-1]
            if intent == "transport_taxi" and dest and dest in r["utt"]:
                # A taxi to a named place is a trip there: in the car, that is navigate.
                chosen.append(
                    _row(r["utt"], "en", "navigate", {"destination": dest}, f"slurp:{r['slurp_id']}", intent)
                )
            else:
                chosen.append(_row(r["utt"], "en", "none", {}, f"slurp:{r['slurp_id']}", intent))
    return chosen


def snips(path: Path, rng: random.Random) -> list[dict]:
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    book = [r for r in rows if r["intent"] == "BookRestaurant"]
    out = []
    for i, r in enumerate(rng.sample(book, 45)):
        cuisine = next(
            (
                canonical(s["text"])
                for s in r["slots"]
                if s["entity"] in ("cuisine", "restaurant_type", "served_dish") and canonical(s["text"])
            ),
            None,
        )
        out.append(
            _row(
                r["text"],
                "en",
                "find_restaurants",
                {"cuisine": cuisine} if cuisine else {},
                f"snips:book:{i}",
                "BookRestaurant",
            )
        )
    weather = [r for r in rows if r["intent"] == "GetWeather"]
    for i, r in enumerate(rng.sample(weather, 10)):
        out.append(_row(r["text"], "en", "none", {}, f"snips:weather:{i}", "GetWeather"))
    return out


def _dest(r: dict) -> str | None:
    return next((a[3] for a in r["dialog_act"] if a[0] == "Inform" and a[2] == "目的地"), None)


def crosswoz(path: Path, rng: random.Random) -> list[dict]:
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    out = []
    for domain, n in (("出租", 45), ("地铁", 30)):
        # Only turns that say the destination: some name it only in earlier turns.
        pool = [r for r in rows if domain in r["domains"] and _dest(r) and _dest(r) in r["text"]]
        for r in rng.sample(pool, n):
            dest = _dest(r)
            out.append(
                _row(
                    r["text"],
                    "zh",
                    "navigate",
                    {"destination": dest},
                    f"crosswoz:{r['dialog_id']}:{r['turn']}",
                    domain,
                )
            )
    # A restaurant search: the driver states what they want and asks for a name.
    search = [
        r
        for r in rows
        if r["domains"] == ["餐馆"]
        and any(a[:3] == ["Request", "餐馆", "名称"] for a in r["dialog_act"])
        and any(a[0] == "Inform" and a[2] in ("推荐菜", "评分", "人均消费") for a in r["dialog_act"])
        and not any(a[0] == "Select" or a[2] == "名称" and a[0] == "Inform" for a in r["dialog_act"])
        and not re.search(r"(这|那|它|周边|附近|上述|刚才|同一)", r["text"])
    ]
    for r in rng.sample(search, 70):
        dishes = [a[3] for a in r["dialog_act"] if a[2] == "推荐菜"]
        cuisine = next((canonical(d) for d in dishes if canonical(d)), None)
        out.append(
            _row(
                r["text"],
                "zh",
                "find_restaurants",
                {"cuisine": cuisine} if cuisine else {},
                f"crosswoz:{r['dialog_id']}:{r['turn']}",
                "餐馆",
            )
        )
    # Asking a named restaurant's phone or opening hours: no tool can answer that.
    attrs = [
        r
        for r in rows
        if r["domains"] == ["餐馆"]
        and {a[2] for a in r["dialog_act"] if a[0] == "Request"} <= {"电话", "营业时间"}
        and any(a[0] == "Request" for a in r["dialog_act"])
        and any(a[:3] == ["Inform", "餐馆", "名称"] for a in r["dialog_act"])
    ]
    for r in rng.sample(attrs, 20):
        out.append(
            _row(r["text"], "zh", "none", {}, f"crosswoz:{r['dialog_id']}:{r['turn']}", "餐馆-电话/营业时间")
        )
    return out


def build(nlu: Path = DEFAULT_NLU) -> dict[str, list[dict]]:
    rng = random.Random(4)
    en = slurp(nlu / "slurp_en_incar.jsonl", rng) + snips(nlu / "snips_en_restaurant_weather.jsonl", rng)
    zh = crosswoz(nlu / "crosswoz_zh_restaurant_taxi_metro.jsonl", rng)
    ours = [json.loads(x) for x in (OUT / "ours.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    for r in ours:
        r.setdefault("source", "ours")
        r.setdefault("source_label", "ours")
        (zh if r["lang"] == "zh" else en).append(r)
    return {"en": en, "zh": zh}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nlu", type=Path, default=DEFAULT_NLU)
    args = ap.parse_args(argv)
    sets = build(args.nlu)
    for lang, rows in sets.items():
        with open(OUT / f"{lang}.jsonl", "w", encoding="utf-8") as f:
            for i, r in enumerate(rows):
                f.write(json.dumps({"id": f"{lang}-{i:03d}", **r}, ensure_ascii=False) + "\n")
        tools: dict[str, int] = {}
        for r in rows:
            tools[r["tool"]] = tools.get(r["tool"], 0) + 1
        print(lang, len(rows), tools)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

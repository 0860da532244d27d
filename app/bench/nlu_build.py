"""Build the v2 benchmark (assets/agent_eval/v2/dev.jsonl, heldout.jsonl) from real phrasings.

    python -m app.bench.nlu_build [--nlu /work/shared/eval/nlu]
    python -m app.bench.nlu_build --train     (the train pool only: train.jsonl, see train_pool)

Each public dataset keeps its own labels; the functions below map them to our domains and slots
(the same rules, in words, are the mapping table of assets/agent_eval/README.md). Rows we wrote
come from assets/agent_eval/v2/ours/{dev,heldout}_{en,zh}.txt: one file per split, so the agent
engineer can read the dev ones without seeing the held-out ones. Multi-intent rows are partly
ours and partly compositions of two real single requests of the same split, joined the way
people talk.

Splitting: near-duplicate texts (character-bigram (zh) / trigram (en) Jaccard >= 0.7, or one
inside the other at half its length or more) form one group and go to one split; our rows keep
the split of their file; the other groups are dealt to dev/held-out alternately within each
(language, first domain, source, multi) stratum after a seeded shuffle. Sampling is seeded, so
re-running gives the same files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from app import paths
from app.bench.nlu import V2_DIR, norm_text
from app.world.cuisine import canonical

DEFAULT_NLU = Path("/work/shared/eval/nlu")
if not DEFAULT_NLU.exists():
    DEFAULT_NLU = paths.ROOT.parent / "shared" / "eval" / "nlu"

SEED = 12


def _row(text, lang, source, source_id, actions, label=None):
    return {
        "text": text.strip(),
        "lang": lang,
        "source": source,
        "source_id": source_id,
        "source_label": label,
        "domains": [a["domain"] for a in actions],
        "slots": actions,
        "multi": len(actions) > 1,
    }


def _house_lamp(r: dict) -> bool:
    """SLURP light commands about lamps are about a house, not a car (filtered after sampling,
    so the seeded samples of the other pools stay as they were)."""
    return str(r.get("source_label", "")).startswith("iot_hue") and bool(re.search(r"\blamps?\b", r["text"]))


def act(domain: str, **slots: Any) -> dict[str, Any]:
    return {"domain": domain, **{k: v for k, v in slots.items() if v is not None}}


# ---------------------------------------------------------------- ours


def _value(v: str) -> Any:
    if "," in v:
        return [_value(x) for x in v.split(",")]
    try:
        n = float(v)
        return int(n) if n.is_integer() else n
    except ValueError:
        return v


def parse_ours(path: Path, lang: str) -> list[dict[str, Any]]:
    """`TEXT | domain key=value … & domain …` lines; # starts a comment; `## x` names a section."""
    rows = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        text, _, rhs = line.partition(" | ")
        actions = []
        for part in rhs.split(" & "):
            domain, _, rest = part.strip().partition(" ")
            # key=value pairs; a value runs to the next key, so "place=the bund" keeps its space
            pairs = re.findall(r"(\w+)=(.*?)(?=\s+\w+=|$)", rest.strip())
            slots = {
                k: _value(v) if k not in ("place", "contact", "media") or "," in v else v for k, v in pairs
            }
            actions.append(act(domain, **slots))
        rows.append(_row(text, lang, "ours", f"ours:{lang}:{i + 1}", actions))
    return rows


def parse_ours_split(split_name: str, lang: str) -> list[dict[str, Any]]:
    """Our rows live in one file per split (ours/dev_zh.txt, ours/heldout_zh.txt …) so that the
    agent engineer can read the dev ones without seeing the held-out ones."""
    rows = parse_ours(V2_DIR / "ours" / f"{split_name}_{lang}.txt", lang)
    for r in rows:
        r["source_id"] = r["source_id"].replace("ours:", f"ours:{split_name}:", 1)
        r["split"] = split_name
    return rows


# ---------------------------------------------------------------- SLURP


def _slurp_slots(annot: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in re.findall(r"\[(\w+) : ([^\]]+)\]", annot):
        out.setdefault(k, []).append(v.strip())
    return out


_NAV = re.compile(
    r"(directions to|get to|how do i get|route to|take me to|navigate|way to|drive to|street do i take)"
)
_PUBLIC = re.compile(r"(train|ticket|flight|bus|schedule|plane|subway|taxi|uber|cab\b)")
_HOUSE = re.compile(
    r"\b(bedroom|kitchen|living|house|dining|balcony|bathroom|garage|hall|room|office|apartment|home|"
    r"basement|porch|garden|yard|lamp|tv|television)\b"
)
# "near me", "nearest to my location": where the car is, not a place to search near
_NOT_A_PLACE = re.compile(
    r"\b(me|here|mile|miles|block|my location|current location|nearby|around|close|nearest)\b"
)
# Rows whose dataset label the hand check found wrong (not a weather question): left out.
EXCLUDED = {
    "slurp:1400": "'i mostly pay attention' is labelled weather_query",
    "slurp:1401": "'i occasionally pay attention' is labelled weather_query",
    "slurp:511": "'by proper formula' is labelled weather_query",
    "slurp:512": "'by get marks' is labelled weather_query",
    "slurp:523": "'its very dangerous one' is labelled weather_query",
    "slurp:5953": "'is the city cheaper or costlier to live' is labelled weather_query",
    "slurp:5955": "'how safe is the city regarding law and order' is labelled weather_query",
    "slurp:5529": "'what time should i go for a hike' is at most indirectly about weather",
    "slurp:12895": "'is the road in some particular area wide or narrow' is labelled transport_traffic",
}
_COLOURS = ("red", "blue", "green", "yellow", "purple", "pink", "orange", "white", "warm", "cool")
# SLURP business words -> world category keys. A word not here is left out (no category to score).
BUSINESS = {
    "gas station": "fuel",
    "gas": "fuel",
    "petrol": "fuel",
    "parking": "parking",
    "pharmacy": "pharmacy",
    "drug store": "pharmacy",
    "hotel": "hotel",
    "motel": "hotel",
    "grocery": "supermarket",
    "supermarket": "supermarket",
    "mall": "mall",
    "coffee": "cafe",
    "cafe": "cafe",
    "bank": "bank",
    "atm": "atm",
    "hospital": "hospital",
    "park": "park",
    "museum": "attraction",
    "restaurant": "restaurant",
    "food": "restaurant",
    "pizza": "restaurant",
    "diner": "restaurant",
    "sushi": "restaurant",
    "bakery": "restaurant",
    "burger": "fast_food",
}


def _business(words: str) -> str | None:
    for word, key in BUSINESS.items():
        if re.search(rf"\b{re.escape(word)}", words):
            return key
    return None


def slurp_incar(path: Path, rng: random.Random) -> list[dict]:
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    out, pools = [], defaultdict(list)
    for r in rows:
        intent, utt, s = r["intent"], r["utt"], _slurp_slots(r["annot_utt"])
        sid = f"slurp:{r['slurp_id']}"
        if intent == "transport_query":
            places = s.get("place_name", []) + s.get("business_name", [])
            if _NAV.search(utt) and places and not _PUBLIC.search(utt):
                after_to = [
                    p
                    for p in places
                    if re.search(rf"\bto (?:the )?(?:nearest |closest )?{re.escape(p)}", utt)
                ]
                dest = (after_to or places)[-1]
                if dest in utt:
                    out.append(_row(utt, "en", "slurp", sid, [act("navigation", place=dest)], intent))
            elif _PUBLIC.search(utt):
                pools["chat_transport"].append(_row(utt, "en", "slurp", sid, [act("chat")], intent))
        elif intent == "transport_traffic" and "place_name" not in s:
            out.append(_row(utt, "en", "slurp", sid, [act("trip")], intent))
        elif intent in ("recommendation_locations", "locations"):
            words = " ".join(s.get("business_type", []) + s.get("food_type", []))
            brand = next((b for b in s.get("business_name", []) if b in utt), None)
            if re.search(r"\b(bar|bars|pub|pubs|drinks|club)\b", words + " " + (brand or "")):
                continue  # a bar is neither clearly food nor clearly out of scope: left out
            cat = _business(words) or ("restaurant" if "food_type" in s else None)
            if cat or brand:
                cuisine = next((canonical(f) for f in s.get("food_type", []) if canonical(f)), None)
                near = next(
                    (p for p in s.get("place_name", []) if p in utt and not _NOT_A_PLACE.search(p)),
                    None,
                )
                # a brand ("the nearest starbucks") is a search by name; its category is not scored
                a = act("places", category=None if brand else cat, cuisine=cuisine, place=brand or near)
                out.append(_row(utt, "en", "slurp", sid, [a], intent))
        elif intent in ("weather_query", "query"):
            pools["weather"].append(_row(utt, "en", "slurp", sid, [act("weather")], intent))
        elif intent == "general_greet":
            out.append(_row(utt, "en", "slurp", sid, [act("chat")], intent))
        elif intent == "general_joke":
            pools["joke"].append(_row(utt, "en", "slurp", sid, [act("chat")], intent))
        elif intent == "general_quirky":
            # Quirky rows that touch the car, a device or a place are not plain chat: left out.
            if not re.search(
                r"(light|temperat|heat|volume|music|song|play|call|phone|traffic|weather|drive|car\b|"
                r"route|screen|brightness|radio|map|direction|restaurant|food|eat)",
                utt,
            ):
                pools["quirky"].append(_row(utt, "en", "slurp", sid, [act("chat")], intent))
        elif intent in ("recommendation_events", "recommendation_movies", "transport_ticket"):
            pools["out_of_scope"].append(_row(utt, "en", "slurp", sid, [act("chat")], intent))
    for pool, n in (
        ("weather", 130),
        ("quirky", 80),
        ("joke", 20),
        ("out_of_scope", 40),
        ("chat_transport", 20),
    ):
        out += rng.sample(pools[pool], min(n, len(pools[pool])))
    return out


def slurp_devices(path: Path, rng: random.Random) -> list[dict]:
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    pools = defaultdict(list)
    for r in rows:
        intent, utt, s = r["intent"], r["utt"], _slurp_slots(r["annot_utt"])
        sid, lab = f"slurp:{r['slurp_id']}", intent
        if intent.startswith("iot_hue"):
            if "house_place" in s or _HOUSE.search(utt):
                continue  # a room of a house is not the car
            colour = next((c for c in _COLOURS if re.search(rf"\b{c}\b", utt)), None)
            if intent == "iot_hue_lightchange":
                a = (
                    act("vehicle", control="lights.ambient.*", value=colour)
                    if colour
                    else act("vehicle", control="lights.*")
                )
            elif intent == "iot_hue_lightdim":
                a = act("vehicle", control=["lights.ambient.brightness", "lights.*"], value="down")
            elif intent == "iot_hue_lightup":
                a = act("vehicle", control=["lights.ambient.brightness", "lights.*"], value="up")
            elif intent == "iot_hue_lightoff" and re.search(r"\b(down|dim|medium|low|lower)\b", utt):
                # "turn down the lights to medium" is labelled lightoff: it dims
                a = act("vehicle", control=["lights.ambient.brightness", "lights.*"], value="down")
            elif intent == "iot_hue_lightoff":
                a = act("vehicle", control="lights.*", value="off")
            else:
                a = act("vehicle", control="lights.*", value="on")
            pools["lights"].append(_row(utt, "en", "slurp", sid, [a], lab))
        elif intent in ("audio_volume_up", "audio_volume_down", "audio_volume_mute"):
            value = {
                "audio_volume_up": "up",
                "audio_volume_down": "down",
                "audio_volume_mute": [0, "off", "mute"],
            }[intent]
            pools["volume"].append(
                _row(utt, "en", "slurp", sid, [act("media", control="media.volume", value=value)], lab)
            )
        elif intent.startswith("play_") or intent.startswith("music_"):
            if re.search(r"\b(podcast|audiobook|book)\b", utt) and intent == "play_music":
                continue
            said = [
                v
                for k in (
                    "artist_name",
                    "song_name",
                    "music_genre",
                    "radio_name",
                    "podcast_name",
                    "audiobook_name",
                    "playlist_name",
                )
                for v in s.get(k, [])
                if v in utt
            ]
            media = said[0] if said and intent.startswith("play_") else None
            pools[intent if intent.startswith("play_") else "music_other"].append(
                _row(utt, "en", "slurp", sid, [act("media", media=media)], lab)
            )
        elif intent == "general_greet":
            pools["greet"].append(_row(utt, "en", "slurp", sid, [act("chat")], lab))
        elif intent == "email_querycontact":
            m = re.match(
                r"^(?:open contacts and )?(?:call|ring|dial|how do i reach) ([a-z .']+?)(?: phone number)?$",
                utt,
            )
            if m and m.group(1).strip() not in ("to", ""):
                pools["phone"].append(
                    _row(utt, "en", "slurp", sid, [act("phone", contact=m.group(1).strip())], lab)
                )
    out = []
    for pool, n in (
        ("lights", 200),
        ("volume", 100),
        ("play_music", 150),
        ("play_radio", 60),
        ("play_podcasts", 40),
        ("play_audiobook", 30),
        ("music_other", 80),
        ("greet", 5),
        ("phone", 20),
    ):
        out += rng.sample(pools[pool], min(n, len(pools[pool])))
    return out


# ---------------------------------------------------------------- SNIPS


def snips(path: Path, rng: random.Random) -> list[dict]:
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    out = []
    book = [(i, r) for i, r in enumerate(rows) if r["intent"] == "BookRestaurant"]
    for i, r in rng.sample(book, 130):
        cuisine = next(
            (
                canonical(s["text"])
                for s in r["slots"]
                if s["entity"] in ("cuisine", "restaurant_type", "served_dish") and canonical(s["text"])
            ),
            None,
        )
        name = next((s["text"] for s in r["slots"] if s["entity"] == "restaurant_name"), None)
        # "Book a table" = find the restaurant: we cannot book, the search is the action.
        out.append(
            _row(
                r["text"],
                "en",
                "snips",
                f"snips:{i}",
                # a named restaurant is a search by name: its category is not scored
                [act("places", category=None if name else "restaurant", cuisine=cuisine, place=name)],
                "BookRestaurant",
            )
        )
    weather = [(i, r) for i, r in enumerate(rows) if r["intent"] == "GetWeather"]
    for i, r in rng.sample(weather, 80):
        out.append(_row(r["text"], "en", "snips", f"snips:{i}", [act("weather")], "GetWeather"))
    return out


# ---------------------------------------------------------------- CrossWOZ


def _acts(r, kind, slot):
    return [a[3] for a in r["dialog_act"] if a[0] == kind and a[2] == slot]


def crosswoz(path: Path, rng: random.Random) -> list[dict]:
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    out = []
    for r in rows:
        sid = f"crosswoz:{r['dialog_id']}:{r['turn']}"
        dest = next(iter(_acts(r, "Inform", "目的地")), None)
        if not dest or dest not in r["text"]:
            continue  # some turns name the destination only in earlier turns
        if "出租" in r["domains"]:
            # "a taxi from A to B" in a car = drive to B
            out.append(_row(r["text"], "zh", "crosswoz", sid, [act("navigation", place=dest)], "出租"))
        elif "地铁" in r["domains"]:
            # asking for the metro station near A or B = a metro-station search near that place
            origin = next(iter(_acts(r, "Inform", "出发地")), None)
            asked = {a[2] for a in r["dialog_act"] if a[0] == "Request"}
            place: Any = dest
            if asked == {"出发地附近地铁站"} and origin and origin in r["text"]:
                place = origin
            elif "出发地附近地铁站" in asked and origin and origin in r["text"]:
                place = [dest, origin]
            out.append(
                _row(r["text"], "zh", "crosswoz", sid, [act("places", category="metro", place=place)], "地铁")
            )
    ctx = re.compile(r"(这|那|它|上述|刚才|同一|该)")
    search, near, attrs = [], [], []
    for r in rows:
        sid = f"crosswoz:{r['dialog_id']}:{r['turn']}"
        acts = r["dialog_act"]
        if "餐馆" not in r["domains"] or ctx.search(r["text"]):
            continue
        dishes = _acts(r, "Inform", "推荐菜")
        cuisine = next((canonical(d) for d in dishes if canonical(d)), None)
        anchor = next(
            (
                a[3]
                for a in acts
                if a[0] == "Inform"
                and a[2] == "名称"
                and a[1] in ("景点", "酒店", "餐馆")
                and a[3] in r["text"]
                and re.search(r"(附近|周边|周围|旁边)", r["text"])
            ),
            None,
        )
        asks_name = any(a[:3] == ["Request", "餐馆", "名称"] for a in acts)
        # "…然后周边有什么景点也查一下": a second search, for what is around the restaurant found
        also = [
            act("places", category=cat)
            for slot, word, cat in (("周边景点", "景点", "attraction"), ("周边酒店", "酒店", "hotel"))
            if any(a[0] == "Request" and a[2] == slot for a in acts) and word in r["text"]
        ]
        if anchor and (
            asks_name or any(a[0] == "Inform" and a[1] == "餐馆" and a[2] != "名称" for a in acts)
        ):
            near.append(
                _row(
                    r["text"],
                    "zh",
                    "crosswoz",
                    sid,
                    [act("places", category="restaurant", cuisine=cuisine, place=anchor), *also],
                    "餐馆-周边",
                )
            )
        elif r["domains"] == ["餐馆"] and asks_name and not any(a[0] == "Select" for a in acts):
            if any(a[0] == "Inform" and a[2] in ("推荐菜", "评分", "人均消费") for a in acts):
                search.append(
                    _row(
                        r["text"],
                        "zh",
                        "crosswoz",
                        sid,
                        [act("places", category="restaurant", cuisine=cuisine), *also],
                        "餐馆",
                    )
                )
        elif r["domains"] == ["餐馆"] and any(a[0] == "Request" for a in acts):
            name = next(iter(_acts(r, "Inform", "名称")), None)
            asked = {a[2] for a in acts if a[0] == "Request"}
            if name and name in r["text"] and asked <= {"电话", "营业时间", "地址", "评分"}:
                # a named restaurant's phone, hours or address: a place search by name
                attrs.append(_row(r["text"], "zh", "crosswoz", sid, [act("places", place=name)], "餐馆-属性"))
    out = rng.sample(out, min(320, len(out)))
    out += (
        rng.sample(search, 260)
        + rng.sample(near, min(120, len(near)))
        + rng.sample(attrs, min(90, len(attrs)))
    )
    return out


# ---------------------------------------------------------------- compositions

_ZH_QUESTION = re.compile(r"(吗|呢|？|\?|什么|多少|几|哪|谁|怎么)")
JOIN = {
    "zh": ("，然后", "，顺便", "，再", "，还有", "，另外", "，然后再", "，接着"),
    "en": (" and ", " and also ", ", then ", " and then ", ", and "),
}
# Pairs of domains a driver says in one breath (first, second).
PAIRS = (
    ("navigation", "vehicle"),
    ("navigation", "media"),
    ("navigation", "phone"),
    ("vehicle", "media"),
    ("vehicle", "vehicle"),
    ("media", "vehicle"),
    ("phone", "media"),
    ("navigation", "weather"),
    ("places", "vehicle"),
    ("vehicle", "navigation"),
    ("media", "navigation"),
    ("trip", "media"),
    ("vehicle", "phone"),
    ("traffic_light", "media"),
    ("weather", "vehicle"),
    ("places", "media"),
)


def compose(singles: list[dict], lang: str, n: int, rng: random.Random) -> list[dict]:
    """Two real single requests of one split joined as people do ("…，然后…", "… and …")."""
    limit = 22 if lang == "zh" else 55
    by_domain = defaultdict(list)
    for r in singles:
        if r["lang"] == lang and not r["multi"] and len(r["text"]) <= limit and r["domains"][0] != "chat":
            by_domain[r["domains"][0]].append(r)
    out, seen = [], set()
    tries = 0
    while len(out) < n and tries < 50 * n:
        tries += 1
        d1, d2 = rng.choice(PAIRS)
        if not by_domain[d1] or not by_domain[d2]:
            continue
        a, b = rng.choice(by_domain[d1]), rng.choice(by_domain[d2])
        if a is b or (a["source_id"], b["source_id"]) in seen or a["slots"] == b["slots"]:
            continue  # "turn the lights off and turn lights off" is one request said twice
        if near_duplicate(a, b, _grams(a["text"], lang), _grams(b["text"], lang), threshold=0.5):
            continue
        seen.add((a["source_id"], b["source_id"]))
        first = re.sub(r"[。.!！?？,，\s]+$", "", a["text"])
        second = b["text"].strip()
        if lang == "en":
            second = second[0].lower() + second[1:]
        join = rng.choice(JOIN[lang])
        if lang == "zh" and _ZH_QUESTION.search(second) and join in ("，然后再", "，再", "，接着"):
            join = "，还有"  # "…，然后再这首歌叫什么名字" is not how anyone asks
        text = first + join + second
        row = _row(
            text, lang, "composed", f"{a['source_id']}+{b['source_id']}", a["slots"] + b["slots"], "composed"
        )
        row["parts"] = [a["source"], b["source"]]
        out.append(row)
    return out


# ---------------------------------------------------------------- splitting


def _grams(text: str, lang: str) -> set[str]:
    """Character bigrams for Chinese (a word is one or two characters), trigrams for English."""
    t, n = norm_text(text), 2 if lang == "zh" else 3
    return {t[i : i + n] for i in range(max(1, len(t) - n + 1))}


def near_duplicate(a: dict, b: dict, grams_a: set[str], grams_b: set[str], threshold: float = 0.7) -> bool:
    """Same language and: n-gram Jaccard >= threshold, or one text inside the other at half its length."""
    if a["lang"] != b["lang"]:
        return False
    if len(grams_a & grams_b) >= threshold * len(grams_a | grams_b):
        return True
    ta, tb = sorted((norm_text(a["text"]), norm_text(b["text"])), key=len)
    return bool(ta) and ta in tb and len(ta) >= 0.5 * len(tb)


def group_near_duplicates(rows: list[dict]) -> list[int]:
    """Union-find: near-duplicate rows end in one group (and so in one split)."""
    parent = list(range(len(rows)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    grams = [_grams(r["text"], r["lang"]) for r in rows]
    # Only pairs sharing at least half of the smaller gram set can be near duplicates
    # (both the Jaccard and the containment test imply it): an inverted index finds them.
    index = defaultdict(list)
    for i, g in enumerate(grams):
        for gram in g:
            index[(rows[i]["lang"], gram)].append(i)
    for i, g in enumerate(grams):
        shared = Counter(j for gram in g for j in index[(rows[i]["lang"], gram)] if j > i)
        for j, n in shared.items():
            if rows[i]["source"] == "ghost" and rows[j]["source"] == "ghost":
                continue
            if n >= 0.5 * min(len(g), len(grams[j])) and near_duplicate(rows[i], rows[j], g, grams[j]):
                parent[find(j)] = find(i)
    return [find(i) for i in range(len(rows))]


def _key(r: dict) -> tuple[str, str]:
    return (r["lang"], norm_text(r["text"]))


def split(
    singles: list[dict],
    rng: random.Random,
    ever_dev: set[tuple[str, str]] = frozenset(),
    was_heldout: set[tuple[str, str]] = frozenset(),
) -> tuple[list[dict], list[dict]]:
    """Deal near-duplicate groups to dev and held-out.

    A group goes to dev if any of its texts was ever published in dev (`ever_dev`: once seen, a
    row can never be held out), else to held-out if it was held out before or is one of our rows
    from a held-out file. The remaining (new) groups go, within each stratum, to whichever split
    has fewer rows of that stratum, after a seeded shuffle.
    """
    # exact duplicates (same normalised text) are dropped; near duplicates stay together
    seen, rows = set(), []
    for r in singles:
        if _key(r) not in seen and _key(r)[1]:
            seen.add(_key(r))
            rows.append(r)
    groups = group_near_duplicates(rows)
    members = defaultdict(list)
    for i, g in enumerate(groups):
        members[g].append(rows[i])
    dev, held = [], []
    strata = defaultdict(list)
    count = Counter()

    def stratum(rs):
        return (rs[0]["lang"], rs[0]["domains"][0], rs[0]["source"], rs[0]["multi"])

    for rs in members.values():
        keys = {_key(r) for r in rs}
        if keys & ever_dev:
            stray = [r["text"] for r in rs if r.get("split") == "heldout"]
            if stray:
                print(f"warning: held-out file rows already published in dev (move them): {stray}")
            dev.extend(rs)
            count[(stratum(rs), "dev")] += len(rs)
        elif keys & was_heldout or any(r.get("split") == "heldout" for r in rs):
            held.extend(rs)
            count[(stratum(rs), "heldout")] += len(rs)
        elif any(r.get("split") == "dev" for r in rs):
            dev.extend(rs)
            count[(stratum(rs), "dev")] += len(rs)
        else:
            strata[stratum(rs)].append(rs)
    for key in sorted(strata, key=str):
        gs = strata[key]
        rng.shuffle(gs)
        for g in gs:
            # the smaller side of this stratum takes the next group: both splits cover every stratum
            side = "dev" if count[(key, "dev")] < count[(key, "heldout")] else "heldout"
            (dev if side == "dev" else held).extend(g)
            count[(key, side)] += len(g)
    for r in dev + held:
        r.pop("split", None)
    return dev, held


def read_texts(path: Path) -> set[tuple[str, str]]:
    """(lang, text) of a `lang<TAB>text` history file."""
    if not path.exists():
        return set()
    return {tuple(x.split("\t", 1)) for x in path.read_text(encoding="utf-8").splitlines() if "\t" in x}


def read_keys(path: Path) -> set[tuple[str, str]]:
    """(lang, normalised text) of a JSONL split file or of a `lang<TAB>text` history file."""
    if not path.exists():
        return set()
    keys = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            keys.add(_key(r))
        elif "\t" in line:
            lang, text = line.split("\t", 1)
            keys.add((lang, norm_text(text)))
    return keys


def _finish(rows: list[dict], split_name: str) -> list[dict]:
    out = []
    for r in sorted(rows, key=lambda r: (r["lang"], hashlib.sha1(r["source_id"].encode()).hexdigest())):
        rid = f"{split_name[0]}-{r['lang']}-{hashlib.sha1(r['source_id'].encode()).hexdigest()[:8]}"
        out.append({"id": rid, **r})
    return out


def build(nlu: Path = DEFAULT_NLU) -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    singles = (
        slurp_incar(nlu / "slurp_en_incar.jsonl", rng)
        + slurp_devices(nlu / "slurp_en_devices_media.jsonl", rng)
        + snips(nlu / "snips_en_restaurant_weather.jsonl", rng)
        + crosswoz(nlu / "crosswoz_zh_restaurant_taxi_metro.jsonl", rng)
        + [r for name in ("dev", "heldout") for lang in ("en", "zh") for r in parse_ours_split(name, lang)]
    )
    singles = [r for r in singles if r["source_id"] not in EXCLUDED and not _house_lamp(r)]
    # Assignments are sticky: every text ever published in dev stays in dev (dev_history.txt),
    # and what was held out stays held out.
    ever_dev = read_keys(V2_DIR / "dev_history.txt") | read_keys(V2_DIR / "dev.jsonl")
    was_heldout = read_keys(V2_DIR / "heldout.jsonl") - ever_dev
    # Texts published in dev but not drawn this time still pull their near-duplicates into dev.
    drawn = {_key(r) for r in singles}
    ghosts = [
        {"text": text, "lang": lang, "domains": ["chat"], "source": "ghost", "source_id": "", "multi": False}
        for lang, text in sorted(read_texts(V2_DIR / "dev_history.txt"))
        if (lang, norm_text(text)) not in drawn
    ]
    dev, held = split(singles + ghosts, random.Random(SEED + 1), ever_dev, was_heldout)
    dev = [r for r in dev if r["source"] != "ghost"]
    for name, part in (("dev", dev), ("heldout", held)):
        for lang in ("en", "zh"):
            # own generator and a sorted pool: the compositions depend only on the split's rows
            pool = sorted(part, key=lambda r: r["source_id"])
            part += compose(pool, lang, 60, random.Random(f"{SEED}-{name}-{lang}"))
    return {"dev": _finish(dev, "dev"), "heldout": _finish(held, "heldout")}


class _Everything(random.Random):
    """A sampler that takes every row: the mappers' pools whole, for the train pool."""

    def sample(self, population, k, *, counts=None):  # noqa: ARG002 - the same call as Random's
        return list(population)


def train_pool(nlu: Path = DEFAULT_NLU) -> list[dict]:
    """The public rows that the mappers map but that neither split drew (`train.jsonl`): training
    data for the router, never scored. A row that is, or is a near duplicate of, any dev or
    held-out row is left out, so the pool says nothing about either split's texts."""
    rng = _Everything()
    pool = (
        slurp_incar(nlu / "slurp_en_incar.jsonl", rng)
        + slurp_devices(nlu / "slurp_en_devices_media.jsonl", rng)
        + snips(nlu / "snips_en_restaurant_weather.jsonl", rng)
        + crosswoz(nlu / "crosswoz_zh_restaurant_taxi_metro.jsonl", rng)
    )
    splits = [json.loads(x) for name in ("dev", "heldout")
              for x in (V2_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]  # fmt: skip
    # A composed row's source_id names its parts ("ours:dev:en:181+slurp:5824").
    taken = {part for r in splits for part in r["source_id"].split("+")}
    pool = [r for r in pool if r["source_id"] not in EXCLUDED and r["source_id"] not in taken
            and not _house_lamp(r)]  # fmt: skip
    rows = [{**r, "source": "split"} for r in splits if not r["multi"]] + pool
    groups = group_near_duplicates(rows)
    in_split = {g for g, r in zip(groups, rows, strict=True) if r["source"] == "split"}
    seen, out = set(), []
    for g, r in zip(groups, rows, strict=True):
        if r["source"] != "split" and g not in in_split and _key(r) not in seen:
            seen.add(_key(r))
            out.append(r)
    return _finish(out, "train")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nlu", type=Path, default=DEFAULT_NLU)
    ap.add_argument("--train", action="store_true",
                    help="write only the train pool (train.jsonl): mapped public rows that neither split drew")  # fmt: skip
    args = ap.parse_args(argv)
    if args.train:
        rows = train_pool(args.nlu)
        with open(V2_DIR / "train.jsonl", "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print("train", dict(Counter(r["lang"] for r in rows)))
        print(
            "  ", dict(sorted(Counter(f"{r['lang']}/{d}" for r in rows for d in set(r["domains"])).items()))
        )
        return 0
    sets = build(args.nlu)
    history = V2_DIR / "dev_history.txt"
    old = history.read_text(encoding="utf-8").splitlines() if history.exists() else []
    known = set(old)
    new = [f"{r['lang']}\t{r['text']}" for r in sets["dev"] if f"{r['lang']}\t{r['text']}" not in known]
    history.write_text("\n".join(old + new) + "\n", encoding="utf-8")
    for name, rows in sets.items():
        with open(V2_DIR / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        # Only counts are printed: nobody but the evalset engineer reads held-out rows.
        counts = Counter((r["lang"], d) for r in rows for d in set(r["domains"]))
        multi = Counter(r["lang"] for r in rows if r["multi"])
        langs = Counter(r["lang"] for r in rows)
        print(name, dict(langs), "multi", dict(multi))
        print("  ", {f"{lang}/{d}": n for (lang, d), n in sorted(counts.items())})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The v2 NLU scorer on tiny hand-made rows (no model, no agent process)."""

import json

import pytest

from app.bench import nlu
from app.bench.nlu_build import compose, parse_ours, split

pytestmark = pytest.mark.unit


def row(rid, text, lang, *actions):
    return {
        "id": rid,
        "text": text,
        "lang": lang,
        "source": "ours",
        "source_id": rid,
        "domains": [a["domain"] for a in actions],
        "slots": list(actions),
        "multi": len(actions) > 1,
    }


def out(*calls, reply="OK", language="en"):
    return {
        "tool": calls[0][0] if calls else "none",
        "args": calls[0][2] if calls else {},
        "reply": reply,
        "language": language,
        "latency_ms": 100.0,
        "calls": [{"tool": t, "domain": d, "args": a, "ok": True} for t, d, a in calls],
    }


NAV_HOME_AC = row(
    "r1",
    "导航回家，把空调关了",
    "zh",
    {"domain": "navigation", "place": "home"},
    {"domain": "vehicle", "control": ["climate.power", "climate.ac"], "value": "off"},
)
TEMP = row(
    "r2",
    "set the temperature to 22",
    "en",
    {"domain": "vehicle", "control": "climate.*.temperature", "temperature": 22},
)
HELLO = row("r3", "你好", "zh", {"domain": "chat"})


def test_a_right_multi_intent_answer_scores_full_marks():
    o = out(
        ("navigate", "navigation", {"destination": "家"}),
        ("cabin_set", "vehicle", {"path": "climate.power", "value": False}),
        reply="好的，回家，空调已关",
        language="zh",
    )
    fig = nlu.score([NAV_HOME_AC], [o])["figures"]
    assert fig["domain_set_acc"] == 100.0
    assert fig["multi"]["acc"] == 100.0
    assert fig["args_acc"] == 100.0
    assert fig["reply_lang_acc"] == 100.0


def test_a_missing_second_action_fails_domains_and_multi():
    o = out(("navigate", "navigation", {"destination": "home"}), reply="好的", language="zh")
    fig = nlu.score([NAV_HOME_AC], [o])["figures"]
    assert fig["domain_set_acc"] == 0.0
    assert fig["multi"]["acc"] == 0.0
    assert fig["args_acc"] == 0.0


def test_wrong_temperature_is_an_argument_miss_not_a_domain_miss():
    o = out(("cabin_set", "vehicle", {"path": "climate.driver.temperature", "value": 23}))
    rec = nlu.score([TEMP], [o])["records"][0]
    assert rec["domain_set_ok"] is True
    assert rec["slots"]["temperature"] == [False]
    assert rec["slots"]["control"] == [True]
    assert rec["args_ok"] is False


def test_reply_in_the_wrong_language_is_counted():
    fig = nlu.score([HELLO], [out(("none", "chat", {}), reply="Hello! How can I help?")])["figures"]
    assert fig["domain_set_acc"] == 100.0
    assert fig["reply_lang_acc"] == 0.0


def test_old_agent_line_without_calls_maps_tool_to_domain():
    r = row(
        "r4",
        "find parking near the bund",
        "en",
        {"domain": "places", "category": "parking", "place": "the bund"},
    )
    old = {
        "tool": "find_parking",
        "args": {"near": "Bund"},
        "reply": "Parking near the Bund",
        "language": "en",
    }
    rec = nlu.score([r], [old])["records"][0]
    assert rec["pred_domains"] == ["places"]
    assert rec["args_ok"] is True  # "Bund" is contained in "the bund"; find_parking means category parking


def test_no_answer_scores_as_wrong_and_length_mismatch_is_an_error():
    assert nlu.score([HELLO], [None])["figures"]["domain_set_acc"] == 0.0
    with pytest.raises(ValueError):
        nlu.score([HELLO, TEMP], [None])


@pytest.mark.parametrize(
    ("key", "gold", "pred", "ok"),
    [
        ("place", "庆丰包子铺", "庆丰包子铺(月坛店)", True),
        ("place", "home", "家", True),
        ("place", "work", "外滩", False),
        ("cuisine", "japanese", "寿司", True),
        ("cuisine", "sichuan", "hotpot", False),
        ("category", "cafe", "coffee", True),
        ("control", "seats.*.heating", "seats.passenger.heating", True),
        ("control", "seats.*.heating", "seats.driver.ventilation", False),
        ("value", "off", False, True),
        ("value", "up", 2, True),
        ("value", "up", -1, False),
        ("value", [0, "off"], 0, True),
        ("media", "jay chou", "Jay Chou", True),
        ("media", "ninety nine point five fm", "99.5 fm", True),  # a station said in words
        ("media", "ninety nine point five fm", "101.1 fm", False),
        ("contact", "妈妈", "爸爸", False),
        ("contact", "mom", "妈妈", True),  # the same person of the demo book, in the other language
        ("contact", "dad", "妈妈", False),
        ("contact", "mom", "张经理", False),
        ("temperature", 22.5, "22.5", True),
        ("cuisine", None, None, True),
        ("cuisine", None, "chinese", False),
    ],
)
def test_slot_comparison(key, gold, pred, ok):
    assert nlu.slot_ok(key, gold, pred) is ok


def test_extra_chat_call_beside_an_action_is_not_an_extra_domain():
    o = out(
        ("none", "chat", {}), ("cabin_set", "vehicle", {"path": "climate.driver.temperature", "value": 22})
    )
    assert nlu.score([TEMP], [o])["records"][0]["domain_set_ok"] is True


def test_ours_format_parses_actions_and_lists(tmp_path):
    p = tmp_path / "ours.txt"
    p.write_text(
        "# comment\nnavigate to the bund and find parking | navigation place=the bund & places category=parking\n"
        "有点冷 | vehicle control=climate.*,seats.*.heating\n",
        encoding="utf-8",
    )
    rows = parse_ours(p, "en")
    assert rows[0]["domains"] == ["navigation", "places"] and rows[0]["multi"]
    assert rows[0]["slots"][0]["place"] == "the bund"
    assert rows[1]["slots"][0]["control"] == ["climate.*", "seats.*.heating"]


def test_split_keeps_near_duplicates_together_and_compositions_inside_a_split():
    import random

    rows = [
        row(f"a{i}", t, "zh", {"domain": "vehicle"})
        for i, t in enumerate(
            ["打开空调", "打开空调吧", "关闭车窗", "座椅加热打开", "放首歌", "下一首歌", "导航回家", "去公司"]
        )
    ]
    for r, d in zip(rows[4:], ("media", "media", "navigation", "navigation"), strict=False):
        r["domains"], r["slots"] = [d], [{"domain": d}]
    dev, held = split(rows, random.Random(1))
    texts_dev, texts_held = {r["text"] for r in dev}, {r["text"] for r in held}
    assert not texts_dev & texts_held
    assert ("打开空调" in texts_dev) == ("打开空调吧" in texts_dev)
    composed = compose(dev, "zh", 3, random.Random(2))
    for c in composed:
        assert c["multi"] and c["source"] == "composed"
        ids = c["source_id"].split("+")
        assert all(i in {r["source_id"] for r in dev} for i in ids)


def test_heldout_run_writes_no_row_text(tmp_path, monkeypatch):
    rows = [HELLO, TEMP]
    (tmp_path / "heldout.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8"
    )
    outputs = tmp_path / "outputs.jsonl"
    outputs.write_text(
        json.dumps(out(("none", "chat", {}), reply="你好")) + "\n" + json.dumps(out()) + "\n", "utf-8"
    )
    monkeypatch.setattr(nlu, "V2_DIR", tmp_path)
    monkeypatch.setattr(nlu.paths, "ROOT", tmp_path)
    monkeypatch.setattr(nlu, "load_split", lambda split, directory=None: rows)
    figures = nlu.run(["--split", "heldout", "--outputs", str(outputs)])
    written = (tmp_path / "artifacts" / "bench" / "nlu_heldout.json").read_text("utf-8")
    assert figures["n"] == 2 and "misses_file" not in figures
    assert "你好" not in written and "temperature to 22" not in written
    assert not (tmp_path / "artifacts" / "bench" / "nlu_heldout_misses.jsonl").exists()


def test_a_text_once_published_in_dev_is_never_held_out():
    import random

    from app.bench.nlu_build import _key

    rows = [
        row(f"b{i}", t, "en", {"domain": "media"})
        for i, t in enumerate(["play jazz", "next track", "pause it"])
    ]
    rows[1]["split"] = "heldout"  # even a row from a held-out file
    ever_dev = {_key(rows[0]), _key(rows[1])}
    for seed in range(5):
        dev, held = split([dict(r) for r in rows], random.Random(seed), ever_dev, {_key(rows[2])})
        assert {r["text"] for r in dev} == {"play jazz", "next track"}
        assert [r["text"] for r in held] == ["pause it"]


@pytest.mark.parametrize(
    ("gold", "call"),
    [
        # the agent's own tool shapes: both-zones temperature, a feeling, a level, a question, undo
        (
            {"domain": "vehicle", "control": "climate.*.temperature", "temperature": 23},
            ("car_set", "vehicle", {"control": "climate.temperature", "value": 23}),
        ),
        (
            {"domain": "vehicle", "control": ["climate.*.temperature", "climate.feel"], "value": "up"},
            ("car_feel", "vehicle", {"feeling": "cold"}),
        ),
        (
            {"domain": "vehicle", "control": "seats.*.massage", "value": "on"},
            ("car_set", "vehicle", {"control": "seats.driver.massage", "value": "wave"}),
        ),
        (
            {"domain": "vehicle", "control": "seats.*.heating", "value": "on"},
            ("car_set", "vehicle", {"control": "seats.passenger.heating", "value": 2}),
        ),
        (
            {"domain": "vehicle", "control": ["*range*", "*battery*"]},
            ("car_question", "vehicle", {"topic": "range"}),
        ),
        ({"domain": "vehicle", "control": "*undo*"}, ("undo", "vehicle", {})),
        ({"domain": "media", "control": "media.next"}, ("media_control", "media", {"action": "media.next"})),
        ({"domain": "media", "media": "周杰伦"}, ("play_media", "media", {"query": "周杰伦的歌"})),
        ({"domain": "places", "place": "星巴克"}, ("search_places", "places", {"name": "星巴克"})),
        (
            {"domain": "navigation", "value": "avoid-congestion"},
            ("route_preference", "navigation", {"prefer": "avoid-congestion"}),
        ),
    ],
)
def test_calls_in_the_new_agents_shapes_are_understood(gold, call):
    r = row("r9", "x", "en", gold)
    assert nlu.score([r], [out(call)])["records"][0]["args_ok"] is True


def test_a_seat_heater_set_to_off_is_not_on():
    gold = {"domain": "vehicle", "control": "seats.*.heating", "value": "on"}
    r = row("r10", "x", "en", gold)
    o = out(("car_set", "vehicle", {"control": "seats.driver.heating", "value": 0}))
    assert nlu.score([r], [o])["records"][0]["args_ok"] is False


def test_recorded_baseline_keeps_figures_per_split_without_row_text(tmp_path, monkeypatch):
    monkeypatch.setattr(nlu, "V2_DIR", tmp_path)
    fig = nlu.score([HELLO, TEMP], [out(("none", "chat", {}), reply="你好"), None])["figures"]
    nlu.record_baseline("heldout", fig)
    nlu.record_baseline("dev", fig)
    doc = json.loads((tmp_path / "baseline_old_agent.json").read_text("utf-8"))
    assert set(doc["splits"]) == {"dev", "heldout"}
    assert doc["splits"]["heldout"]["domain_set_acc"] == 50.0
    assert "你好" not in json.dumps(doc, ensure_ascii=False)
    assert nlu.baseline_summary("heldout")["domain_set_acc"] == 50.0


def test_the_train_pool_is_todays_and_shares_no_text_or_source_with_either_split():
    from app.bench.nlu_build import DEFAULT_NLU, _key, group_near_duplicates, train_pool

    if not DEFAULT_NLU.exists():
        pytest.skip("../shared/eval/nlu is not beside this checkout")
    rows = train_pool(DEFAULT_NLU)
    stored = [json.loads(x) for x in (nlu.V2_DIR / "train.jsonl").read_text("utf-8").splitlines()]
    assert stored == rows, "run `python -m app.bench.nlu_build --train`"
    assert len(rows) > 1000 and {r["lang"] for r in rows} == {"en", "zh"}
    splits = [r for name in ("dev", "heldout") for r in nlu.load_split(name)]
    sources = {part for r in splits for part in r["source_id"].split("+")}
    assert not {r["source_id"] for r in rows} & sources
    assert not {_key(r) for r in rows} & {_key(r) for r in splits}
    # Not even a near duplicate ("what's the weather like today" beside "what is the weather today").
    singles = [r for r in splits if not r["multi"]]
    groups = group_near_duplicates(singles + rows)
    assert not set(groups[: len(singles)]) & set(groups[len(singles) :])

"""The domain router: where a sentence is cut into requests, which domains each gets, and that
the shipped read-out was trained on today's data (schema examples + the dev split only)."""

import numpy as np
import pytest

from app.agent import router
from app.agent.core import CockpitAgent
from app.agent.fake import FakeRuntime, FakeWorld
from app.agent.fake_cabin import FakeCabin
from app.agent.schema import load

pytestmark = pytest.mark.unit


def cuts(text):
    seg = load().segments
    pieces = router._cut(text, router._splitter(list(seg["strong"])), router._splitter(list(seg["weak"])))
    return [(text[a:b], kind) for a, b, kind in pieces]


def test_cuts_at_punctuation_and_declared_connectives():
    assert cuts("导航去公司，把空调关了") == [("导航去公司", "strong"), ("把空调关了", "weak")]
    assert cuts("先去外滩然后找个停车场") == [("先去外滩", "strong"), ("找个停车场", "strong")]
    assert cuts("play Jay Chou and navigate home") == [("play Jay Chou", "strong"), ("navigate home", "weak")]
    assert cuts("turn on the AC and then play jazz") == [
        ("turn on the AC", "strong"),
        ("play jazz", "strong"),
    ]


def test_connectives_inside_words_are_not_cuts():
    # "band" holds "and", "then" is not in "thence"-like words: only whole English words count.
    assert cuts("play the band Bandana") == [("play the band Bandana", "strong")]


class Table:
    """An embedder that knows a few sentences exactly: the router's logic, not the model, is tested."""

    name = "table"

    def __init__(self, table):
        self.table = table
        self.dim = len(table)
        self.keys = list(table)

    def embed(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            if t in self.table:
                out[i, self.keys.index(t)] = 1.0
        return out


def table_router(labels):
    domains = list(load().domains)
    emb = Table(labels)
    W = router.fit(emb.embed(list(labels)), list(labels.values()), domains, ridge=0.01)
    return router.Router(W, domains, emb, load().segments)


def test_a_weak_cut_needs_two_clear_requests_of_different_kinds():
    r = table_router({"play Jay Chou": "media", "navigate home": "navigation", "play rock": "media",
                      "roll": "media", "play rock and roll": "media"})  # fmt: skip
    assert [c.domains[0] for c in r.plan("play Jay Chou and navigate home")] == ["media", "navigation"]
    assert [c.text for c in r.plan("play rock and roll")] == ["play rock and roll"]


def test_a_strong_cut_keeps_two_requests_of_one_kind_and_a_comma_does_not():
    r = table_router({"打开车窗": "vehicle", "把空调关掉": "vehicle"})
    assert [(c.text, c.domains[0]) for c in r.plan("打开车窗，然后把空调关掉")] == [
        ("打开车窗", "vehicle"), ("把空调关掉", "vehicle")]  # fmt: skip
    assert [c.text for c in r.plan("打开车窗，把空调关掉")] == ["打开车窗，把空调关掉"]


def test_two_requests_run_together_are_cut_before_a_learned_request_start():
    labels = {"导航去公司": "navigation", "关闭空调": "vehicle"}
    base = table_router(labels)
    r = router.Router(base.W, base.domains, base.embedder, load().segments, starts=["关闭"])
    assert [(c.text, c.domains[0]) for c in r.plan("导航去公司关闭空调")] == [
        ("导航去公司", "navigation"), ("关闭空调", "vehicle")]  # fmt: skip
    assert len(base.plan("导航去公司关闭空调")) == 1  # no learned start, no cut


def test_no_cut_leaves_fewer_than_three_characters_on_a_side():
    labels = {"先不": "media", "导航了": "navigation", "先不导航了": "navigation"}
    base = table_router(labels)
    r = router.Router(base.W, base.domains, base.embedder, load().segments, starts=["导航"])
    assert [c.text for c in r.plan("先不导航了")] == ["先不导航了"]


def test_chat_beside_a_request_is_not_an_action():
    r = table_router({"你好": "chat", "帮我导航回家": "navigation"})
    assert [c.domains[0] for c in r.plan("你好，帮我导航回家")] == ["navigation"]


def test_an_unsure_clause_may_take_its_two_likeliest_domains():
    domains = list(load().domains)
    W = np.zeros((2, len(domains)), dtype=np.float32)
    W[0, domains.index("places")], W[0, domains.index("navigation")] = 1.0, 0.95
    r = router.Router(W, domains, Table({"去田子坊": None}), load().segments)
    (c,) = r.plan("去田子坊")
    assert c.domains == ("places", "navigation")


def test_the_plan_reaches_the_runtime_and_later_searches_are_at_the_destination():
    rt = FakeRuntime({"take me to the Bund and find parking": 'navigate(place="the Bund")\nfind_parking()'})
    a = CockpitAgent(rt, FakeWorld(), cabin=FakeCabin(),
                     router=table_router({"take me to the Bund": "navigation", "find parking": "places"}))  # fmt: skip
    turn = a.respond("take me to the Bund and find parking")
    assert [[c.domains for c in p] for p in rt.plans] == [[("navigation",), ("places",)]]
    assert [c["tool"] for c in turn.calls] == ["navigate", "find_parking"]
    bund = turn.calls[0]["result"]["destination"]
    assert turn.calls[1]["result"]["near"] in (bund["name"], bund["name_zh"])
    alone = CockpitAgent(FakeRuntime({"find parking": "find_parking()"}), FakeWorld(), cabin=FakeCabin())
    assert alone.respond("find parking").calls[0]["result"]["near"] not in (bund["name"], bund["name_zh"])


def test_a_router_failure_leaves_qwen_to_decide():
    class Broken:
        def plan(self, text):
            raise RuntimeError("embedding model gone")

    a = CockpitAgent(FakeRuntime(), FakeWorld(), cabin=FakeCabin(), router=Broken())
    assert a.respond("打开空调").calls[0]["tool"] == "car_set"


def test_the_shipped_read_out_is_trained_on_todays_data():
    with np.load(router.WEIGHTS) as f:
        stored, name = str(f["data_hash"]), str(f["embedder"])
        assert list(f["domains"]) == list(load().domains)
    assert stored == router.data_hash(
        router.training_rows() + router.control_rows() + router.category_rows(), name
    ), "tools.yaml examples or the dev split changed: run `python -m app.agent.router --build`"


def test_training_never_sees_the_heldout_split():
    import json

    from app import paths

    held = {json.loads(line)["text"] for line in
            (paths.ASSETS / "agent_eval" / "v2" / "heldout.jsonl").read_text(encoding="utf-8").splitlines()}  # fmt: skip
    examples = {t for t, _ in router.training_rows()}
    ours = {u for t in load().tools.values() for ex in t.examples.values() for u, _ in ex}
    # Only a schema example may coincide with a held-out phrasing ("回家"); no dev row does.
    assert not (examples - ours) & held

    # Nor does a router phrasing, even with another case or punctuation: they were written after
    # the held-out split existed, and one that coincided with it would be scored on its own answer.
    def norm(text):
        return text.lower().strip(" ?.!，。？")

    phrasings = {norm(u) for t in load().tools.values() for ex in t.phrasings.values() for u, _ in ex}
    assert phrasings and not phrasings & {norm(t) for t in held}


def test_a_full_embedding_cache_is_emptied_without_losing_the_texts_in_hand():
    r = table_router({"打开车窗": "vehicle", "把空调关掉": "vehicle"})
    r.plan("打开车窗，然后把空调关掉")
    r._cache.update({f"filler {i}": np.zeros(2, dtype=np.float32) for i in range(300)})
    assert [c.text for c in r.plan("打开车窗，然后把空调关掉")] == ["打开车窗", "把空调关掉"]


def test_two_car_requests_about_different_controls_are_two_requests():
    labels = {"把空调调到二十三度": "vehicle", "打开座椅通风": "vehicle", "声音再大": "media"}
    base = table_router(labels)
    Wc = np.zeros((len(labels) + 1, 2), dtype=np.float32)  # table rows + bias -> two controls
    Wc[0, 0] = Wc[1, 1] = 1.0  # 空调 -> climate, 座椅 -> seats
    r = router.Router(base.W, base.domains, base.embedder, load().segments, starts=["打开"],
                      control_weights=Wc, controls=["climate.temperature", "seats.driver.ventilation"])  # fmt: skip
    assert [c.text for c in r.plan("把空调调到二十三度打开座椅通风")] == [
        "把空调调到二十三度",
        "打开座椅通风",
    ]
    r.Wc[1] = r.Wc[0]  # the same control on both sides: one request
    assert len(r.plan("把空调调到二十三度打开座椅通风")) == 1


def test_the_end_of_a_range_said_as_a_word_is_the_controls_own_limit():
    from app.agent.schema import bind_default

    b = bind_default()
    top = b.controls["climate.fan"]["max"]
    assert (
        b.validate("car_set", {"control": "climate.fan", "value": "max"}, "set the fan to max")["value"]
        == top
    )
    low = b.controls["media.volume"]["min"]
    assert b.validate("car_set", {"control": "media.volume", "value": "最小"}, "音量调到最小")["value"] == low


def test_every_cabin_tool_reaches_targets_the_read_out_can_name():
    from app.agent.schema import load as load_schema

    bound = load_schema().bind(router._spec(), [])
    names = set(router.target_names())
    assert bound.targets("navigate") == frozenset()
    assert "media.volume" in bound.targets("car_set") and "media.pause" not in bound.targets("car_set")
    assert bound.targets("media_control") >= {"media.pause", "media.next"}
    assert bound.targets("play_media") == {"media.play"}
    for tool in ("car_set", "car_adjust", "car_feel", "car_question", "undo", "play_media",
                 "media_control", "call", "phone_action"):  # fmt: skip
        assert bound.targets(tool) and bound.targets(tool) <= names, tool


def test_places_tools_that_stand_for_a_category_name_one_the_read_out_knows():
    from app.agent.schema import load as load_schema

    tools = load_schema().tools
    assert (tools["find_parking"].category, tools["find_restaurants"].category) == ("parking", "restaurant")
    names = set(router.category_names())
    assert {t.category for t in tools.values() if t.category} <= names
    rows = router.category_rows()
    assert ("停车场", ("parking",)) in rows and all(set(c) <= names for _, c in rows)
    # find_parking's examples teach parking, though they name no category argument.
    assert ("附近有停车场吗", ("parking",)) in rows


def test_the_nearest_training_rows_vote_with_the_linear_read_out():
    class Near(Table):
        """ "head home" lies between a car row and a navigation row, nearer the navigation one."""

        def embed(self, texts):
            out = super().embed(texts)
            for i, t in enumerate(texts):
                if t == "head home":
                    out[i, self.keys.index("navigate home")] = 0.8
                    out[i, self.keys.index("lock the doors")] = 0.6
            return out

    domains = list(load().domains)
    rows = {"navigate home": "navigation", "lock the doors": "vehicle", "open the window": "vehicle"}
    emb = Near(rows)
    X = emb.embed(list(rows))
    # A read-out that leans to the car, as e5's did for "head home".
    W = np.zeros((len(rows) + 1, len(domains)), dtype=np.float32)
    W[:, domains.index("vehicle")] = 0.5
    codes = np.array([domains.index(d) for d in rows.values()], dtype=np.int8)
    alone = router.Router(W, domains, emb, load().segments)
    voted = router.Router(W, domains, emb, load().segments, neighbours=X, neighbour_domains=codes)
    s_alone, s_voted = alone.scores(["head home"])[0], voted.scores(["head home"])[0]
    # Each of the KNN_K nearest rows (here all three) votes +1 for its domain and -1 for the rest.
    vote = -np.ones(len(domains))
    vote[domains.index("vehicle")] = (1 + 1 - 1) / 3
    vote[domains.index("navigation")] = (1 - 1 - 1) / 3
    assert np.allclose(s_voted - s_alone, router.KNN_WEIGHT * vote, atol=1e-6)


def test_the_shipped_read_out_carries_its_training_rows_for_the_vote():
    with np.load(router.WEIGHTS) as f:
        assert len(f["Xn"]) == len(f["Xd"]) == len(router.training_rows())
        assert np.allclose(np.linalg.norm(f["Xn"].astype(np.float32), axis=1), 1, atol=1e-2)

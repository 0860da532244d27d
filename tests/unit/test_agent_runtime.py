"""The local runtime without a model: which model it loads, how it copies a title whole, and
which controls a routed call may name."""

from app.agent.schema import bind_default


def test_the_local_model_is_named_by_the_manifest_and_reaches_the_loader(monkeypatch):
    import pytest

    from app.agent.runtime import LlamaRuntime

    monkeypatch.setenv("COCKPIT_AGENT_MODEL", "qwen2.5-1.5b")
    assert LlamaRuntime(bind_default()).model_name == "qwen2.5-1.5b"
    monkeypatch.delenv("COCKPIT_AGENT_MODEL")
    assert LlamaRuntime(bind_default()).model_name == "qwen2.5-0.5b"
    rt = LlamaRuntime(bind_default(), model_name="no-such-model")
    with pytest.raises(KeyError, match="unknown model 'no-such-model'"):
        rt.warm_up()
    rt.close()


def test_a_copied_value_that_stops_inside_the_drivers_phrase_may_copy_on():
    from app.agent.runtime import LlamaRuntime

    rt = LlamaRuntime(bind_default())
    rt._tok = lambda text: [len(text)] if text else []  # a token per rest: its length
    said = "play all order of the green hand"
    assert rt._copy_next("all", said) == len(" order of the green hand")
    assert rt._copy_next("ALL order", said) == len(" of the green hand")  # the case as the model wrote it
    assert rt._copy_next("green hand", said) is None  # the phrase is over
    assert rt._copy_next("blue", said) is None  # not a copy: nothing to go on with
    assert rt._copy_next("邓紫棋", "再来一首邓紫棋的光年之外") == len("的光年之外")
    assert rt._copy_next("外滩", "导航去外滩") is None
    assert rt._copy_next("play all", "play all, now") is None  # punctuation ends the phrase
    rt.close()


def test_a_title_goes_on_copying_where_the_model_is_not_clearly_done():
    import numpy as np

    from app.agent.runtime import COPY_MARGIN, LlamaRuntime

    pieces = ['"', "all", " order", " of"]
    # After each piece, the logits of the next: the model closes early after "all" (by less
    # than the margin), and clearly after " order".
    wants = {None: {1: 9.0}, 1: {0: 5.0, 2: 5.0 - COPY_MARGIN / 2}, 2: {0: 9.0, 3: 1.0}}

    class Llm:
        def __init__(self):
            self.last = None

        def eval(self, toks):
            self.last = toks[-1]

        def detokenize(self, toks):
            return pieces[toks[0]].encode()

        def token_eos(self):
            return 99

    def run(said):
        rt = LlamaRuntime(bind_default())
        rt.llm, rt._stops, rt._im_end = Llm(), {0}, 98
        rt._tok = lambda text: [next(i for i, p in enumerate(pieces) if text.startswith(p))] if text else []

        def logits():
            x = np.full(100, -10.0)
            for tok, v in wants[rt.llm.last].items():
                x[tok] = v
            return x

        rt._logits = logits
        value, _ = rt._value([], 8, said)
        rt.close()
        return value

    assert run(None) == "all"  # not a title: the model's own stop
    assert run("play all order of the green hand") == "all order"
    assert run("play all") == "all"  # the phrase is over: nothing to copy on with


def test_a_control_the_driver_named_joins_the_routers_likely_ones_from_another_part_only():
    from app.agent.runtime import control_choices

    b = bind_default()
    every = b.choices("car_set", "control", {})
    temps = ["climate.temperature", "climate.driver.temperature", "climate.passenger.temperature"]

    def choose(likely, text):
        return control_choices(b, "car_set", every, ["vehicle"], likely, text)

    # (Offered in the spec's order.) The read-out heard temperatures; the driver named seat
    # heating: both are offered.
    got = choose(temps, "seat heating to level 2")
    assert set(temps) <= set(got) and "seats.driver.heating" in got
    # 空调 names climate.power, a part the read-out already chose: its reading stands.
    assert set(choose(temps, "把空调调到二十三度")) == set(temps)
    # A likely control the driver named wins over the others.
    assert choose(["lights.fog", "climate.defrost_front"], "雾太大了，打开雾灯") == ["lights.fog"]
    # Nothing named: the likely ones.
    assert set(choose(temps, "make it nicer in here")) == set(temps)

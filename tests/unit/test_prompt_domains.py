"""The per-domain prefixes: a domain's prompt holds its own tools, controls and examples only,
and the whole prompt is what it was (its cached KV state stays valid)."""

from app.agent import prompt
from app.agent.schema import bind_default


def test_a_domain_prompt_has_only_its_tools_and_examples():
    b = bind_default()
    text = prompt.prefix(b, ("navigation",))
    assert "navigate(" in text and "car_set(" not in text and "Car controls" not in text
    assert "Place categories" in text
    for _, calls in b.prompt_examples(("navigation",)):
        assert b.example_domains(calls) == {"navigation"}
    assert len(text) < len(prompt.prefix(b)) / 3


def test_media_prompt_lists_media_controls_and_not_the_climate():
    b = bind_default()
    system = b.prompt_system(("media",))
    assert "media.volume" in system and "climate." not in system
    assert "Place categories" not in system


def test_every_one_domain_example_of_the_whole_prompt_is_in_its_domains_prompt():
    b = bind_default()
    by_domain = {d: b.prompt_examples((d,)) for d in b.schema.domains}
    assert all(by_domain.values())
    for ex in b.prompt_examples():
        domains = b.example_domains(ex[1])
        if len(domains) == 1:
            assert ex in by_domain[domains.pop()], ex


def test_stale_prefix_files_are_deleted_and_the_live_ones_kept(tmp_path):
    import os
    import time

    from app.agent.runtime import LlamaRuntime

    rt = LlamaRuntime(bind_default())
    live, stale, recent = (tmp_path / f"prefix-{n}.llstate" for n in ("live", "stale", "recent"))
    for f in (live, stale, recent):
        f.write_bytes(b"x")
    old = time.time() - 3 * 86400
    os.utime(live, (old, old))
    os.utime(stale, (old, old))
    rt.prefix_tokens = [1, 2]
    rt._prefix_file = lambda tokens: live  # the one prefix this runtime uses
    rt._prune_prefix_files()
    assert live.exists() and recent.exists() and not stale.exists()
    assert time.time() - live.stat().st_mtime < 60  # read now: kept fresh for the next prune
    rt.close()


def test_a_turn_of_one_domain_is_decided_after_that_domains_prefix():
    from types import SimpleNamespace

    from app.agent.runtime import LlamaRuntime

    rt = LlamaRuntime(bind_default())
    rt.prefix_tokens, rt.domain_prefixes = [1, 2, 3], {"media": [1, 9], "vehicle": [1, 8]}
    step = lambda *d: SimpleNamespace(domains=d, controls=())  # noqa: E731
    assert rt.prefix_for([step("media")]) == [1, 9]
    assert rt.prefix_for([step("media"), step("media")]) == [1, 9]
    assert rt.prefix_for([step("media"), step("vehicle")]) == [1, 2, 3]  # two domains: the whole
    assert rt.prefix_for([step("media", "vehicle")]) == [1, 2, 3]  # the router unsure: the whole
    assert rt.prefix_for(None) == [1, 2, 3]  # no router
    rt.close()


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

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

"""The shipped scenario files parse in both languages, and bad files say what is wrong."""

import pytest

from app.show import scenario as sc

pytestmark = pytest.mark.unit

REQUIRED = {"charging_trip", "parking", "restaurant", "green_wave", "cabin_comfort", "two_requests"}


def test_every_required_scenario_ships_in_both_languages():
    rows = sc.listing()
    have = {(r["name"], r["lang"]) for r in rows}
    for name in REQUIRED:
        assert (name, "en") in have and (name, "zh") in have, name
    assert all(r["title"] for r in rows)


@pytest.mark.parametrize("name", sorted(REQUIRED))
@pytest.mark.parametrize("lang", sc.LANGS)
def test_each_spoken_step_has_text_in_its_language_and_an_expectation(name, lang):
    s = sc.load(name, lang)
    spoken = [st for st in s.steps if st.kind == "say"]
    assert spoken
    for st in spoken:
        assert st.text and st.expect["calls"]
        has_han = any("\u4e00" <= ch <= "\u9fff" for ch in st.text)
        assert has_han == (lang == "zh"), st.text


def test_per_language_values_are_resolved_deep():
    doc = {
        "name": "x",
        "title": {"en": "X", "zh": "叉"},
        "steps": [
            {
                "say": {"en": "Hi there", "zh": "你好"},
                "expect": {"calls": [{"domain": "chat", "args": {"q": {"en": "a", "zh": "乙"}}}]},
            }
        ],
    }
    zh = sc.parse(doc, "zh")
    assert zh.steps[0].text == "你好"
    assert zh.steps[0].expect["calls"][0]["args"]["q"] == "乙"
    assert sc.parse(doc, "en").steps[0].expect["calls"][0]["args"]["q"] == "a"


@pytest.mark.parametrize(
    "steps, message",
    [
        ([{"say": "hi"}], "expect.calls"),
        ([{"say": "hi", "wait": 2}], "exactly one"),
        ([{"event": "meteor"}], "unknown event"),
        (["nonsense"], "mapping"),
    ],
)
def test_bad_steps_are_refused_with_the_reason(steps, message):
    with pytest.raises(sc.ScenarioError, match=message):
        sc.parse({"name": "bad", "title": "Bad", "steps": steps}, "en")


def test_unknown_scenario_names_the_known_ones():
    with pytest.raises(sc.ScenarioError, match="parking"):
        sc.load("no_such_thing", "en")


def test_playlist_alternates_languages_and_covers_both_for_every_scenario(tmp_path):
    for n in ("a", "b", "c"):
        (tmp_path / f"{n}.yaml").write_text(f"name: {n}\ntitle: {n}\nsteps:\n  - wait: 1\n", encoding="utf-8")
    order = sc.playlist(directory=tmp_path)
    assert [lang for _, lang in order[:3]] == ["en", "zh", "en"]
    assert sorted(order) == sorted((n, lang) for n in "abc" for lang in sc.LANGS)
    assert sc.playlist("zh", directory=tmp_path) == [("a", "zh"), ("b", "zh"), ("c", "zh")]


def _cli(*args, tmp_path):
    import json  # noqa: F401  (the callers parse)
    import os
    import subprocess
    import sys

    from app import paths

    env = {**os.environ, "COCKPIT_DATA_DIR": str(tmp_path), "COCKPIT_LOG_DIR": str(tmp_path / "log")}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=paths.ROOT,
        timeout=60,
    )


def test_cli_lists_scenarios_as_json(tmp_path):
    import json

    out = _cli("--list-scenarios", "--json", tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {"name", "lang", "title"} == set(rows[0]) and len(rows) == 2 * len(sc.names())


def test_cli_unknown_scenario_exits_2_with_the_known_names(tmp_path):
    out = _cli("--scenario", "nope", "--headless", "--json", tmp_path=tmp_path)
    assert out.returncode == 2 and "green_wave" in out.stderr and out.stdout == ""

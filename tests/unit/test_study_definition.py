"""Study files: the demo study loads, bad files say what is wrong, the Latin square is balanced."""

import itertools

import pytest
import yaml

from app import paths
from app.study.definition import StudyError, latin_square, load_study, parse_study, task_order

pytestmark = pytest.mark.unit

DEMO = paths.ASSETS / "studies" / "demo.yaml"


def test_demo_study_covers_both_languages_and_has_criteria():
    study = load_study(DEMO)
    langs = {t.language for t in study.tasks}
    assert {"en", "zh"} <= langs
    assert all(t.instruction_en and t.instruction_zh for t in study.tasks)
    assert all(t.success for t in study.tasks)
    assert {"sus", "tlx"} <= set(study.at_end) and "seq" in study.after_each_task
    assert study.drt["enabled"] and study.drt["isi_s"] == [3, 5]
    assert {c.wizard for c in study.conditions} == {"off", "supervised", "full"}


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_latin_square_is_balanced(n):
    rows = latin_square(n)
    assert len(rows) == (n if n % 2 == 0 else 2 * n)
    for col in range(n):  # every task in every position equally often
        counts = [sum(1 for r in rows if r[col] == t) for t in range(n)]
        assert len(set(counts)) == 1
    follows = {}  # every task follows every other equally often (first-order carry-over)
    for r in rows:
        for a, b in itertools.pairwise(r):
            follows[(a, b)] = follows.get((a, b), 0) + 1
    assert len(follows) == n * (n - 1) and len(set(follows.values())) == 1


def test_task_order_follows_the_participant_number():
    study = load_study(DEMO)
    p1, p2, p7 = (task_order(study, p) for p in ("P01", "P02", "P07"))
    assert sorted(p1) == sorted(t.id for t in study.tasks)
    assert p1 != p2
    assert p7 == p1  # 6 tasks -> 6 rows: participant 7 starts the square again
    with pytest.raises(StudyError, match="needs a number"):
        task_order(study, "anna")


def _doc(**over):
    doc = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    doc.update(over)
    return doc


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tasks": []}, "no tasks"),
        ({"study": "bad name!"}, "study name"),
        ({"conditions": [{"key": "x", "wizard": "sometimes"}]}, "wizard must be"),
        ({"questionnaires": {"at_end": ["umux"]}}, "unknown 'umux'"),
        ({"drt": {"isi_s": [2, 5]}}, "hit window"),
    ],
)
def test_bad_study_files_say_what_is_wrong(change, message):
    with pytest.raises(StudyError, match=message):
        parse_study(_doc(**change))


def test_bad_task_fields_name_the_task(tmp_path):
    doc = _doc()
    doc["tasks"][1]["time_limit_s"] = -3
    with pytest.raises(StudyError, match="parking_bund.*time_limit_s"):
        parse_study(doc)
    doc = _doc()
    doc["tasks"][0]["success"] = {"teleport": "Bund"}
    with pytest.raises(StudyError, match="navigate_bund"):
        parse_study(doc)
    bad = tmp_path / "bad.yaml"
    bad.write_text("study: [unclosed", encoding="utf-8")
    with pytest.raises(StudyError, match="not valid YAML"):
        load_study(bad)
    with pytest.raises(StudyError, match="no such study"):
        load_study(tmp_path / "missing.yaml")

"""Questionnaire scoring against cases computed by hand."""

import pytest

from app.study import questionnaires as q

pytestmark = pytest.mark.unit


def test_sus_issue_example_is_85():
    # odd items (x-1): 3+4+3+4+3 = 17; even items (5-x): 3+4+3+4+3 = 17; 34 x 2.5 = 85
    assert q.score("sus", [4, 2, 5, 1, 4, 2, 5, 1, 4, 2])["score"] == 85.0


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([5, 1] * 5, 100.0),  # best possible
        ([1, 5] * 5, 0.0),  # worst possible
        ([3] * 10, 50.0),  # neutral: every item contributes 2
        ([5, 2, 4, 1, 4, 2, 5, 3, 4, 2], 80.0),  # (4+3+3+4+4+3+4+2+3+3) = 32 -> 80
    ],
)
def test_sus_hand_cases(answers, expected):
    assert q.score_sus(answers)["score"] == expected


def test_sus_rejects_wrong_count_and_range():
    with pytest.raises(q.ScoreError, match="10 answers"):
        q.score_sus([4, 2, 5])
    with pytest.raises(q.ScoreError, match="item 3"):
        q.score_sus([4, 2, 6, 1, 4, 2, 5, 1, 4, 2])
    with pytest.raises(q.ScoreError, match="not a number"):
        q.score_sus([4, 2, "x", 1, 4, 2, 5, 1, 4, 2])


def test_tlx_raw_and_weighted():
    ratings = {
        "mental": 40,
        "physical": 10,
        "temporal": 30,
        "performance": 20,
        "effort": 35,
        "frustration": 15,
    }
    weights = {"mental": 5, "physical": 0, "temporal": 3, "performance": 2, "effort": 4, "frustration": 1}
    out = q.score_tlx(ratings, weights)
    assert out["raw"] == 25.0  # 150 / 6
    assert out["weighted"] == 32.33  # (200 + 0 + 90 + 40 + 140 + 15) / 15 = 485 / 15
    assert out["score"] == out["weighted"]
    assert q.score_tlx([50] * 6)["score"] == 50.0  # raw only


def test_tlx_weights_from_the_fifteen_pairs():
    # mental wins all 5 of its pairs, physical none, the rest as the pair order dictates.
    choices = ["mental" if "mental" in pair else pair[1] for pair in q.TLX_PAIRS]
    tally = q.tlx_weights_from_choices(choices)
    assert sum(tally.values()) == 15
    assert tally["mental"] == 5
    assert tally["physical"] == 0  # it is always the first of its remaining pairs
    assert tally["frustration"] == 4  # the last scale wins every pair it is second in
    with pytest.raises(q.ScoreError, match="one of the two"):
        q.tlx_weights_from_choices(["effort"] * 15)


def test_tlx_rejects_bad_weights_and_scales():
    with pytest.raises(q.ScoreError, match="summing to 15"):
        q.score_tlx([50] * 6, {"mental": 3})
    with pytest.raises(q.ScoreError, match="unknown scale"):
        q.score_tlx(
            {"mentl": 1, "physical": 1, "temporal": 1, "performance": 1, "effort": 1, "frustration": 1}
        )
    with pytest.raises(q.ScoreError, match="outside"):
        q.score_tlx([101, 0, 0, 0, 0, 0])


def test_sassi_has_34_items_in_six_factors():
    table = q.items()["sassi"]["items"]
    counts = {}
    for item in table:
        counts[item["factor"]] = counts.get(item["factor"], 0) + 1
    assert counts == {"sra": 9, "lik": 9, "cd": 5, "an": 5, "hab": 4, "sp": 2}


def test_sassi_hand_case():
    answers = [4] * 34
    answers[32], answers[33] = 7, 3  # speed: "fast" 7, "too slowly" 3 -> reversed 5 -> mean 6
    out = q.score_sassi(answers)
    assert out["factors"]["sp"] == 6.0
    assert out["factors"]["sra"] == 4.0
    assert out["score"] == round((32 * 4 + 7 + 5) / 34, 3)


def test_sassi_reverses_negative_items():
    table = q.items()["sassi"]["items"]
    best = [1 if item.get("reverse") else 7 for item in table]  # the best answer to every item
    assert set(q.score_sassi(best)["factors"].values()) == {7.0}


def test_every_item_is_bilingual():
    data = q.items()
    for inst in ("sus", "sassi", "seq"):
        for item in data[inst]["items"]:
            assert item["en"].strip() and item["zh"].strip(), item
    for sub in data["tlx"]["subscales"]:
        assert sub["question_en"] and sub["question_zh"]
    assert len(data["sus"]["items"]) == 10


def test_seq_and_unknown_instrument():
    assert q.score("seq", [6])["score"] == 6.0
    with pytest.raises(q.ScoreError, match="outside"):
        q.score("seq", [8])
    with pytest.raises(q.ScoreError, match="unknown questionnaire"):
        q.score("umux", [1])

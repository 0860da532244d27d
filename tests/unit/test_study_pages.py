"""The in-app questionnaire pages: one page per answer, in the UI language, scored like the CLI."""

import pytest

from app.study.qt import answers_from_pages, questionnaire_pages
from app.study.questionnaires import TLX_PAIRS, score

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("instrument", "pages", "options"), [("sus", 10, 5), ("sassi", 34, 7), ("seq", 1, 7)]
)
def test_likert_pages(instrument, pages, options):
    en, zh = questionnaire_pages(instrument, "en"), questionnaire_pages(instrument, "zh")
    assert len(en) == len(zh) == pages
    assert all(len(p["options"]) == options for p in en)
    assert en[0]["text"] != zh[0]["text"] and zh[0]["low"] == "非常不同意" or instrument == "seq"


def test_tlx_pages_ratings_then_pairs_and_scoring():
    pages = questionnaire_pages("tlx", "zh", weighted_tlx=True)
    assert len(pages) == 6 + 15
    assert [o["value"] for o in pages[0]["options"]] == list(range(0, 101, 5))
    assert pages[0]["text"] == "这项任务对脑力的要求有多高？"
    assert pages[6]["kind"] == "pair" and [o["value"] for o in pages[6]["options"]] == list(TLX_PAIRS[0])
    ratings = [40, 10, 30, 20, 35, 15]
    winners = ["mental" if "mental" in pair else pair[1] for pair in TLX_PAIRS]
    answers, kw = answers_from_pages("tlx", pages, ratings + winners)
    out = score("tlx", answers, **kw)
    assert out["raw"] == 25.0
    assert out["weights"]["mental"] == 5 and sum(out["weights"].values()) == 15
    assert len(questionnaire_pages("tlx", "en", weighted_tlx=False)) == 6

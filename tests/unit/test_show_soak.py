"""Soak figures: growth from the first to the last tenth and after the warm-up round; the PNG plot."""

import pytest

from app.show import soak as soak_mod

pytestmark = pytest.mark.unit


def test_summary_separates_warm_up_from_growth_and_the_report_has_a_plot(tmp_path, monkeypatch):
    rss = iter([1000, 1100, 1200, 1200, 1200, 1206, 1206, 1206, 1206, 1212])
    fds = iter([24, 24, 24, 24, 24, 24, 24, 24, 24, 24])
    monkeypatch.setattr(
        soak_mod,
        "tree_figures",
        lambda pid=None: {"rss_mb": next(rss), "open_files": 8, "fds": next(fds), "threads": 20},
    )
    t = [0.0]
    s = soak_mod.Soak(stage=None, every_s=0, clock=lambda: t[0], warmup_runs=2)
    for i in range(10):
        t[0] = i * 60.0
        s.runs = i
        s.sample()
    out = s.summary()
    assert out["rss_mb_first"] == 1000 and out["rss_mb_last"] == 1212
    assert out["rss_growth_pct"] == pytest.approx(21.2)
    assert out["rss_mb_after_warmup"] == 1200 and out["rss_growth_after_warmup_pct"] == pytest.approx(1.0)
    assert out["fds_first"] == out["fds_last"] == 24 and out["turn_errors"] == 0
    path = s.write(tmp_path)
    png = path.with_suffix(".png")
    assert png.exists() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_tree_figures_counts_this_process():
    f = soak_mod.tree_figures()
    assert f["rss_mb"] > 10 and f["threads"] >= 1 and f["fds"] >= 3

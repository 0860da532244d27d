"""The process-tree memory sampler, on a scripted reader (no real process is measured)."""

import pytest

from app.bench.memory import TreeSampler, tree_rss

pytestmark = pytest.mark.unit


def test_peak_is_the_largest_tree_sum_with_its_breakdown():
    readings = iter(
        [
            {"app[1]": 100.0},
            {"app[1]": 700.0, "worker[2]": 500.0},  # the peak: 1,200 MB over two processes
            {"app[1]": 900.0},
        ]
    )
    s = TreeSampler(pid=1, read=lambda pid: next(readings))
    for _ in range(3):
        s.sample()
    f = s.figures(budget_mb=1000)
    assert f["tree_rss_peak_mb"] == 1200.0
    assert f["processes_at_peak"] == {"app[1]": 700.0, "worker[2]": 500.0}
    assert f["tree_rss_end_mb"] == 900.0
    assert f["peak_le_1000mb"] is False


def test_the_sampler_reads_at_start_and_at_the_end():
    calls = []
    s = TreeSampler(pid=1, interval=3600, read=lambda pid: calls.append(pid) or {"a[1]": 1.0})
    with s:
        pass
    assert calls == [1, 1] and s.samples == 2


def test_tree_rss_of_this_process_names_it():
    import os

    rows = tree_rss(os.getpid())
    assert any(name.endswith(f"[{os.getpid()}]") for name in rows)
    assert all(mb > 0 for mb in rows.values())

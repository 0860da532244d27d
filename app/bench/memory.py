"""Resident memory of a whole process tree, sampled in the background while a benchmark runs.

Issue 15 sets 1.5 GB for everything after one voice turn in each language. "Everything" is the
process and all its children (a TTS worker, QtWebEngine's renderer), so the sampler sums RSS
over the tree every `interval` seconds and keeps the peak and a breakdown by process at the
peak. RSS counts shared pages (libraries, mmapped model files) once per process; `pss_mb` at
the end shares them out, which is the fairer total when several processes map the same file.
"""

from __future__ import annotations

import os
import threading

MB = 1024 * 1024


def tree(pid: int):
    import psutil

    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def tree_rss(pid: int) -> dict[str, float]:
    """RSS in MB per process of the tree, keyed 'name[pid]'."""
    import psutil

    out = {}
    for proc in tree(pid):
        try:
            out[f"{proc.name()}[{proc.pid}]"] = proc.memory_info().rss / MB
        except psutil.Error:  # a child that ended between the listing and the read
            continue
    return out


def tree_pss_mb(pid: int) -> float | None:
    import psutil

    total = 0.0
    try:
        for proc in tree(pid):
            try:
                total += proc.memory_full_info().pss / MB
            except (psutil.Error, AttributeError):
                return None
    except psutil.Error:
        return None
    return round(total, 1)


class TreeSampler:
    """`with TreeSampler() as s: ...` then `s.figures()`; `read` is injectable for tests."""

    def __init__(self, pid: int | None = None, interval: float = 0.2, read=tree_rss):
        self.pid = pid or os.getpid()
        self.interval = interval
        self.read = read
        self.peak_mb = 0.0
        self.peak_by_process: dict[str, float] = {}
        self.last_mb = 0.0
        self.samples = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sample(self) -> None:
        by_process = self.read(self.pid)
        total = sum(by_process.values())
        self.samples += 1
        self.last_mb = total
        if total >= self.peak_mb:
            self.peak_mb, self.peak_by_process = total, by_process

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> TreeSampler:
        self.sample()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self.sample()

    def figures(self, budget_mb: float | None = None) -> dict:
        top = sorted(self.peak_by_process.items(), key=lambda kv: -kv[1])
        out = {
            "tree_rss_peak_mb": round(self.peak_mb, 1),
            "tree_rss_end_mb": round(self.last_mb, 1),
            "processes_at_peak": {name: round(mb, 1) for name, mb in top},
            "samples": self.samples,
        }
        if budget_mb is not None:
            out[f"peak_le_{budget_mb:g}mb"] = self.peak_mb <= budget_mb
        return out

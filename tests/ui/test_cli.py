"""The app shell's command line: screenshot contract, version, and the no-display message."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app import __version__, paths
from tests.ui.conftest import SHOTS

pytestmark = pytest.mark.ui


def run(*args: str, env: dict | None = None, timeout: float = 90) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=paths.ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip


def test_screenshot_cli_writes_a_drawn_png():
    from PySide6.QtGui import QImage

    from tests.ui.pixels import distinct_colours, rgb

    SHOTS.mkdir(parents=True, exist_ok=True)
    out = SHOTS / "cli_default.png"
    out.unlink(missing_ok=True)
    result = run("--screenshot", str(out), "--wait", "1")
    assert result.returncode == 0, result.stderr[-2000:]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1920, 720)
    pixels = rgb(image)
    assert pixels.std() > 20 and distinct_colours(pixels) > 200, "the screenshot is blank"


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"ai-cockpit {__version__}"


def test_no_display_explains_instead_of_crashing():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = run(env=env, timeout=30)
    assert result.returncode != 0
    assert "xvfb-run -a make run" in result.stderr and "--screenshot" in result.stderr
    assert "Aborted" not in result.stderr and "core dumped" not in result.stderr


def test_wav_flag_needs_an_existing_file(tmp_path):
    result = run("--screenshot", str(tmp_path / "x.png"), "--wav", str(tmp_path / "missing.wav"), timeout=30)
    assert result.returncode == 2 and "no such file" in result.stderr
    assert not (tmp_path / "x.png").exists()

"""Chromium's flags: software rendering without a GPU, and one process unless asked for more."""

import pytest

from app.ui import shell

pytestmark = pytest.mark.unit


@pytest.fixture
def env(monkeypatch):
    for name in ("QTWEBENGINE_CHROMIUM_FLAGS", "COCKPIT_WEBENGINE", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def flags() -> list[str]:
    import os

    return os.environ["QTWEBENGINE_CHROMIUM_FLAGS"].split()


def test_offscreen_is_software_and_one_process(env):
    shell.prepare_environment(offscreen=True)
    assert "--disable-gpu" in flags()
    assert flags().count("--single-process") == 1


def test_flags_are_added_once_and_keep_the_users_own(env):
    env.setenv("QTWEBENGINE_CHROMIUM_FLAGS", "--lang=zh-CN --single-process")
    shell.prepare_environment(offscreen=True)
    assert flags()[0] == "--lang=zh-CN"
    assert flags().count("--single-process") == 1


def test_multi_keeps_chromiums_process_model(env):
    env.setenv("COCKPIT_WEBENGINE", "multi")
    shell.prepare_environment(offscreen=True)
    assert "--single-process" not in flags()
    assert "--disable-gpu" in flags()

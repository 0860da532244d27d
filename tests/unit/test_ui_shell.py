"""Chromium's flags: software rendering without a GPU, and one process unless asked for more."""

import pytest

from app.ui import shell

pytestmark = pytest.mark.unit


@pytest.fixture
def env(monkeypatch):
    # prepare_environment writes os.environ directly: set each name first so monkeypatch
    # restores it (absent or not) after the test, and no other test sees offscreen Qt.
    names = ("QTWEBENGINE_CHROMIUM_FLAGS", "COCKPIT_WEBENGINE", "QT_QPA_PLATFORM")
    for name in (*names, "QTWEBENGINE_DISABLE_SANDBOX", "QT_LOGGING_RULES"):
        monkeypatch.setenv(name, "")
    for name in names:
        monkeypatch.delenv(name)
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
    shell.prepare_environment(offscreen=True)  # the UI tests and the app may both call it
    assert flags().count("--disable-gpu") == 1


def test_multi_keeps_chromiums_process_model(env):
    env.setenv("COCKPIT_WEBENGINE", "multi")
    shell.prepare_environment(offscreen=True)
    assert "--single-process" not in flags()
    assert "--disable-gpu" in flags()

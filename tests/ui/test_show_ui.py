"""The show layer on the real cockpit window: subtitle line, attract hint, operator menu, kiosk input."""

from __future__ import annotations

import argparse

import pytest

from tests.ui.conftest import SHOTS, pump
from tests.ui.pixels import find_items

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def show(qt_app, tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("COCKPIT_DATA_DIR", str(tmp_path_factory.mktemp("show-data")))  # show.yaml goes here
    from app.show import live
    from app.ui.shell import Cockpit
    from app.ui.sources import FakePlaces

    c = Cockpit(use_real_services=False, watch_network=False)
    c.sim_assistant.set_places(FakePlaces())
    c.wait_for_map(timeout=30)
    args = argparse.Namespace(lang=None, kiosk=False, idle_minutes=None, scenario=None, loop=False)
    layer = live.attach(c, args)
    assert layer is not None
    pump(0.5)
    yield c, layer
    mp.undo()


def visible(cockpit, name):
    items = find_items(cockpit.show.item, name)  # the show layer's own tree, not the web view's
    return bool(items) and items[0].isVisible() and items[0].property("opacity") > 0.5


def test_subtitle_line_shows_what_the_visitor_says_in_both_languages(show):
    c, layer = show
    assert not visible(c, "subtitle")
    layer.bridge.set(subtitle="Navigate to the Bund.", subtitleKind="say")
    pump(0.6)
    assert visible(c, "subtitle")
    c.screenshot(SHOTS / "show_subtitle_en.png")
    c.set_language("zh")
    pump(0.3)
    layer.bridge.set(subtitle="导航去外滩，把空调关了。", subtitleKind="say")
    pump(0.6)
    c.screenshot(SHOTS / "show_subtitle_zh.png")
    assert layer.bridge.get("labels")["visitor"] == "访客"
    c.set_language("en")
    layer.bridge.set(subtitle="", subtitleKind="")
    pump(0.6)
    assert not visible(c, "subtitle")


def test_operator_menu_opens_with_the_shortcut_and_refuses_a_wrong_pin(show):
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QGuiApplication, QKeyEvent

    c, layer = show
    assert not visible(c, "operatorMenu")
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    c.window.requestActivate()
    pump(0.2)
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QGuiApplication.sendEvent(c.window, QKeyEvent(kind, Qt.Key.Key_O, mods))
    pump(0.4)
    if not layer.bridge.get("menuOpen"):  # offscreen windows may not take the shortcut's focus
        layer.bridge.toggleMenu()
        pump(0.3)
    assert visible(c, "operatorMenu")
    layer.bridge.set(
        microphones=["USB Mic (simulated)"], microphone=0, micLevel=0.6, turns=12, memoryMb=1480.0
    )
    assert layer.bridge.quit("0000") is False
    pump(0.4)
    assert layer.bridge.get("pinError") is True
    c.screenshot(SHOTS / "show_operator_menu.png")
    c.set_language("zh")
    pump(0.4)
    assert layer.bridge.get("labels")["quit"] == "退出"
    c.screenshot(SHOTS / "show_operator_menu_zh.png")
    c.set_language("en")
    layer.bridge.toggleMenu()
    pump(0.3)
    assert not visible(c, "operatorMenu")


def test_a_tap_during_the_attract_loop_returns_to_live_use(show):
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QGuiApplication, QMouseEvent

    c, layer = show
    resets = []
    layer.kiosk._reset = lambda: resets.append(1)
    layer.kiosk._play = lambda n, lang: None
    layer.kiosk.last_activity -= 10_000
    layer.kiosk.tick()
    assert layer.kiosk.mode == "attract"
    pump(0.3)
    assert visible(c, "attractHint")
    c.screenshot(SHOTS / "show_attract.png")
    pos = QPointF(400, 300)
    press = QMouseEvent(QEvent.Type.MouseButtonPress, pos, pos, Qt.MouseButton.LeftButton,
                        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QGuiApplication.sendEvent(c.window, press)
    pump(0.2)
    assert layer.kiosk.mode == "live" and len(resets) == 2
    assert not visible(c, "attractHint")

"""Each main view on a fake store, rendered offscreen: both themes, three scales, pixel checks."""

from __future__ import annotations

import pytest

from tests.ui.conftest import Harness, pump
from tests.ui.pixels import dominant_channel_fraction, find_items, item_rect, region

pytestmark = pytest.mark.ui

SCALES = {"1280x480": 480 / 720, "1920x720": 1.0, "2560x960": 960 / 720}
RED, GREEN = 0, 1


@pytest.fixture(scope="module")
def signal_view(qt_app):
    h = Harness("TrafficLightHarness")
    yield h
    h.close()


def lamp(h: Harness, colour: str):
    return region(h.grab(), item_rect(h.find(f"lamp_{colour}")))


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("theme", ["night", "day"])
@pytest.mark.parametrize("size", list(SCALES))
def test_red_phase_lights_the_red_lamp(signal_view, theme, size, language):
    signal_view.set(theme=theme, uiScale=SCALES[size])
    signal_view.set_language(language)
    signal_view.set_fake(present=True, phase="red", secondsToChange=12, distanceM=140)
    signal_view.grab(f"view_trafficlight_red_{theme}_{language}_{size}.png")
    assert dominant_channel_fraction(lamp(signal_view, "red"), RED) > 0.4
    assert dominant_channel_fraction(lamp(signal_view, "green"), GREEN) < 0.05
    countdown = signal_view.find("signalCountdown")
    assert countdown.property("visible") and countdown.property("text").startswith("12")
    signal_view.set_language("en")
    assert signal_view.find("greenWave").property("visible")


def test_green_phase_lights_the_green_lamp(signal_view):
    signal_view.set(theme="night", uiScale=1.0)
    signal_view.set_fake(present=True, phase="green", secondsToChange=9, distanceM=90)
    signal_view.grab("view_trafficlight_green_night.png")
    assert dominant_channel_fraction(lamp(signal_view, "green"), GREEN) > 0.4
    assert dominant_channel_fraction(lamp(signal_view, "red"), RED) < 0.05


def test_red_countdown_hidden_in_the_last_seconds(signal_view):
    signal_view.set(uiScale=1.0)
    signal_view.set_fake(present=True, phase="red", secondsToChange=3.2, distanceM=120)
    pump(0.05)
    assert not signal_view.find("signalCountdown").property("visible")
    # Green keeps its countdown to the end: only red must not invite a jump start.
    signal_view.set_fake(phase="green", secondsToChange=3.2)
    pump(0.05)
    assert signal_view.find("signalCountdown").property("visible")


@pytest.mark.parametrize("fake", [{"present": False}, {"present": True, "distanceM": 25}])
def test_widget_hidden_without_signal_or_when_close(signal_view, fake):
    signal_view.set_fake(**{"present": True, "phase": "red", "secondsToChange": 10, "distanceM": 100, **fake})
    pump(0.05)
    assert not signal_view.find("trafficLight").property("visible")
    signal_view.set_fake(present=True, distanceM=100)
    pump(0.05)
    assert signal_view.find("trafficLight").property("visible")


def test_signal_without_data_is_grey(signal_view):
    signal_view.set(theme="night", uiScale=1.0)
    signal_view.set_fake(present=True, phase="unknown", secondsToChange=-1, distanceM=80)
    signal_view.grab("view_trafficlight_nodata_night.png")
    for colour in ("red", "amber", "green"):
        px = lamp(signal_view, colour).astype(int)
        spread = (px.max(axis=2) - px.min(axis=2)).mean()
        assert spread < 25, f"{colour} lamp should be grey, channel spread {spread:.0f}"
    assert not signal_view.find("signalCountdown").property("visible")
    assert not signal_view.find("greenWave").property("visible")


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("theme", ["night", "day"])
@pytest.mark.parametrize("size", list(SCALES))
def test_cluster_shows_vehicle_state(qt_app, theme, size, language):
    h = Harness("ClusterHarness")
    h.set(theme=theme, uiScale=SCALES[size])
    h.set_language(language)
    image = h.grab(f"view_cluster_{theme}_{language}_{size}.png")
    assert h.find("speedText").property("text") == "88"
    # The speed arc is drawn in the accent colour (cyan at night, blue by day): blue dominates.
    gauge = region(image, item_rect(h.find("speedGauge")))
    assert dominant_channel_fraction(gauge, 2, margin=40) > 0.02
    h.close()


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("theme", ["night", "day"])
@pytest.mark.parametrize("size", list(SCALES))
def test_assistant_panel_cards_and_actions(qt_app, theme, size, language):
    h = Harness("AssistantHarness")
    h.set(theme=theme, uiScale=SCALES[size])
    h.set_language(language)
    h.grab(f"view_assistant_{theme}_{language}_{size}.png")
    assert h.find("assistantState").property("text") == {"en": "Listening…", "zh": "正在聆听…"}[language]
    assert "Find parking" in h.find("transcriptText").property("text")
    cards = find_items(h.root, "resultCard")
    assert len(cards) == 2 and all(c.property("visible") for c in cards)
    h.close()


def test_typed_input_and_card_pick_reach_the_store(qt_app):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    h = Harness("AssistantHarness")
    field = h.find("assistantInput")
    field.forceActiveFocus()
    field.setProperty("text", "find food")
    QTest.keyClick(h.view, Qt.Key.Key_Return)
    pump(0.05)
    assert h.fake.property("submitted") == "find food"
    # The second card sits below the first; click the centre of the card column's lower half.
    input_rect = item_rect(field)
    card_h = round(78 * 1.0)
    QTest.mouseClick(h.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(input_rect[0] + 100, input_rect[1] - 16 - card_h // 2))  # fmt: skip
    pump(0.05)
    assert h.fake.property("picked") == 1
    h.close()


@pytest.mark.parametrize("theme", ["night", "day"])
def test_status_bar_names_missing_model_and_voice(qt_app, theme):
    h = Harness("StatusBarHarness")
    h.set(theme=theme)
    h.grab(f"view_statusbar_{theme}.png")
    warning = h.find("modelWarning")
    assert warning.property("visible")
    assert h.find("networkChip").property("label") == "Online"
    assert h.find("voiceChip").property("label").startswith("Cloud voice")
    h.close()


@pytest.mark.parametrize("theme", ["night", "day"])
def test_map_view_draws_streets_on_a_fake_store(qt_app, theme):
    from PySide6.QtCore import QUrl

    from app.ui import mappage
    from tests.ui.conftest import pump_until
    from tests.ui.pixels import distinct_colours

    h = Harness("MapHarness")
    h.set(theme=theme, pageUrl=QUrl.fromLocalFile(str(mappage.build_page())).toString())
    web = h.find("mapWeb")
    assert pump_until(lambda: web.property("title") == "cockpit-ready", timeout=20)
    image = h.grab(f"view_map_{theme}.png", settle=1.0)
    pixels = region(image, item_rect(web))
    assert distinct_colours(pixels) > 20, "the map region is blank"
    h.close()

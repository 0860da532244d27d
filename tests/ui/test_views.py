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
    signal_view.set_fake(**{"present": True, "phase": "red", "secondsToChange": 10, "distanceM": 100,
                            "carSpeedKmh": 30, **fake})  # fmt: skip
    pump(0.05)
    assert not signal_view.find("trafficLight").property("visible")
    signal_view.set_fake(present=True, distanceM=100)
    pump(0.05)
    assert signal_view.find("trafficLight").property("visible")


@pytest.mark.parametrize("theme", ["night", "day"])
def test_widget_stays_while_the_car_waits_at_red(signal_view, theme):
    """Approaching at speed it hides within 30 m; standing at the red light it shows the countdown."""
    signal_view.set(theme=theme, uiScale=1.0)
    signal_view.set_language("en")
    signal_view.set_fake(present=True, phase="red", secondsToChange=21, distanceM=2, carSpeedKmh=25)
    pump(0.05)
    assert not signal_view.find("trafficLight").property("visible")
    signal_view.set_fake(carSpeedKmh=0)
    signal_view.grab(f"view_trafficlight_waiting_red_{theme}.png")
    assert signal_view.find("trafficLight").property("visible")
    assert signal_view.find("signalCountdown").property("text").startswith("21")
    assert signal_view.find("signalDistance").property("text") == "Waiting at the light"
    assert dominant_channel_fraction(lamp(signal_view, "red"), RED) > 0.4
    # Once it turns green the car drives off and the close-range rule applies again.
    signal_view.set_fake(phase="green", carSpeedKmh=0)
    pump(0.05)
    assert not signal_view.find("trafficLight").property("visible")
    signal_view.set_fake(carSpeedKmh=30, distanceM=100)


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
    assert len(cards) == 3 and all(c.property("visible") for c in cards)
    # A place search card (kind "places"): its category and opening hours, in the place colour.
    place = next(c for c in cards if c.property("kind") == "place")
    assert (place.property("categoryName"), place.property("openingHours")) == ("Hospital", "24/7")
    h.close()


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("theme", ["night", "day"])
def test_now_playing_and_call_cards(qt_app, theme, language):
    h = Harness("AssistantHarness")
    h.set(theme=theme, language=language)
    h.set_language(language)
    h.grab(f"view_now_playing_{theme}_{language}.png")
    card, call = h.find("nowPlayingCard"), h.find("callCard")
    assert card.property("visible") and not call.property("visible")
    assert h.find("trackTitle").property("text") == {"en": "Test Tone Two", "zh": "测试音二"}[language]
    bar = h.find("trackProgress")
    assert bar.property("width") == pytest.approx(bar.parentItem().property("width") * 0.4, abs=1)
    cabin = h.root.property("fakeCabin")
    state = cabin.property("state").toVariant()
    contact = {"id": "c", "name_en": "Mom (test)", "name_zh": "妈妈（测试）", "relation": "mother"}
    cabin.setProperty("state", {**state, "phone": {"call": {"state": "active", "contact": contact}}})
    h.grab(f"view_call_{theme}_{language}.png")
    assert call.property("visible") and not card.property("visible")
    assert h.find("callName").property("text") == {"en": "Mom (test)", "zh": "妈妈（测试）"}[language]
    # The result cards and the conversation still fit below and above it.
    cards = find_items(h.root, "resultCard")
    assert all(c.property("visible") for c in cards)
    assert item_rect(call)[1] + item_rect(call)[3] <= min(item_rect(c)[1] for c in cards)
    h.close()


# Both themes and languages at the design size, and the two other scales once (the window test
# covers the bar at every size).
CLIMATE_CASES = [(t, "1920x720", lang) for t in ("night", "day") for lang in ("en", "zh")] + [
    ("night", "1280x480", "zh"),
    ("day", "2560x960", "en"),
]


@pytest.mark.parametrize("theme,size,language", CLIMATE_CASES)
def test_climate_bar_shows_the_cabin_and_sends_touches(qt_app, theme, size, language):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    h = Harness("ClimateBarHarness")
    h.set(theme=theme, uiScale=SCALES[size], language=language)
    h.set_language(language)
    h.fake.confirmed.emit({"en": "21.5 °C · Driver", "zh": "主驾 21.5 °C"}[language], True)
    image = h.grab(f"view_climate_{theme}_{language}_{size}.png", settle=0.5)
    value = lambda name: find_items(h.find(name), "stepperValue")[0].property("text")  # noqa: E731
    assert (value("driverTemp"), value("passengerTemp"), value("fan")) == ("21.5°", "23.0°", "4")
    assert h.find("driverSeatHeat").property("level") == 2
    assert h.find("passengerSeatVent").property("level") == 3
    assert h.find("defrostFront").property("active") and not h.find("defrostRear").property("active")
    # The seat heating button is lit in the heat colour.
    heat = region(image, item_rect(h.find("driverSeatHeat")))
    assert dominant_channel_fraction(heat, RED, margin=40) > 0.03
    # Touches become cabin commands: + on the passenger zone, the driver's seat heat steps 2 -> 3.
    x, y, w, bh = item_rect(h.find("passengerTemp"))
    QTest.mouseClick(
        h.view,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(x + w - bh // 2, y + bh // 2),
    )
    assert (h.fake.property("lastPath"), h.fake.property("lastValue")) == (
        "climate.passenger.temperature",
        0.5,
    )
    x, y, w, bh = item_rect(h.find("driverSeatHeat"))
    QTest.mouseClick(
        h.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x + w // 2, y + bh // 2)
    )
    assert (h.fake.property("lastPath"), h.fake.property("lastValue")) == ("seats.driver.heating", 3)
    assert h.find("confirmation").property("visible")
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
    # Touch the second card where it is drawn.
    second = sorted(find_items(h.root, "resultCard"), key=lambda c: item_rect(c)[1])[1]
    x, y, w, ch = item_rect(second)
    QTest.mouseClick(
        h.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x + 100, y + ch // 2)
    )
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

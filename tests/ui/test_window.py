"""The whole cockpit window on the world's car, frozen at a red light: every size, theme and language,
in one process; then the cabin, the result pins and the fit-to-route on the same window.

The car is the real one (app/world/vehicle.py) on a World of the test's own, driven at a fixed world
time until it waits at a red light and then frozen, so no frame depends on the machine's speed.
"""

from __future__ import annotations

import itertools
import threading

import pytest

from tests.ui.conftest import SHOTS, SIZES, probe_map, pump, pump_until, staged_world
from tests.ui.pixels import distinct_colours, dominant_channel_fraction, find_items, item_rect, region, rgb

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def cockpit(qt_app, tmp_path_factory):
    from PySide6.QtWebEngineCore import QWebEngineUrlRequestInterceptor
    from PySide6.QtWebEngineQuick import QQuickWebEngineProfile

    from app.ui.adapters import WorldDrive
    from app.ui.shell import Cockpit
    from app.ui.sources import FakePlaces
    from app.vehicle import Cabin

    class Recorder(QWebEngineUrlRequestInterceptor):
        def __init__(self):
            super().__init__()
            self.urls: list[str] = []

        def interceptRequest(self, info):  # noqa: N802 (Qt API)
            self.urls.append(info.requestUrl().toString())

    recorder = Recorder()
    QQuickWebEngineProfile.defaultProfile().setUrlRequestInterceptor(recorder)
    world = staged_world(tmp_path_factory.mktemp("world"))
    c = Cockpit(use_real_services=False, watch_network=False, drive=WorldDrive(world), cabin=Cabin())
    c.sim_assistant.set_places(FakePlaces())  # clearly fake places: the search results are the test's
    c.recorder = recorder
    c.world = world
    assert c.wait_for_map(timeout=30), "map page never became ready"
    # A fitted view holds until the test says otherwise: no assertion races the page's timer.
    probe_map(c, js="cockpit.fitHoldMs = 600000")
    c.assistant.submitText("Find parking nearby")
    assert pump_until(lambda: len(c.assistant.property("cards")) == 3, timeout=10)
    yield c
    QQuickWebEngineProfile.defaultProfile().setUrlRequestInterceptor(None)


def test_the_car_is_the_worlds_from_the_first_frame(cockpit):
    state = cockpit.world.vehicle.state
    assert cockpit.vehicle.property("ready")
    assert cockpit.vehicle.property("lat") == pytest.approx(state.lat, abs=1e-5)
    assert cockpit.vehicle.property("lon") == pytest.approx(state.lon, abs=1e-5)
    # The widget shows the same signal the agent would talk about: the world's.
    ahead = cockpit.world.signal_ahead()
    assert cockpit.signal.property("phase") == ahead.signal.phase == "red"


def test_map_page_makes_no_network_requests(cockpit):
    assert cockpit.recorder.urls, "the interceptor saw nothing: the test would pass vacuously"
    remote = [u for u in cockpit.recorder.urls if not u.startswith(("file:", "data:", "qrc:"))]
    assert remote == []


def test_the_map_renders_in_the_apps_own_process(cockpit):
    # Issue 15's memory budget: with Chromium's zygotes and renderer the tree was ~280 MB larger.
    import psutil

    children = [p.name() for p in psutil.Process().children(recursive=True)]
    assert "QtWebEngineProcess" not in children
    assert probe_map(cockpit)["labels"], "the map page has not drawn: the check above would be vacuous"


@pytest.mark.parametrize(
    "size,theme,language", list(itertools.product(SIZES, ["night", "day"], ["en", "zh"]))
)  # fmt: skip
def test_window_renders_every_configuration(cockpit, size, theme, language):
    cockpit.resize(*size)
    cockpit.set_theme(theme)
    cockpit.set_language(language)
    pump(0.6)
    image = cockpit.grab()
    name = f"window_{theme}_{language}_{size[0]}x{size[1]}.png"
    image.save(str(SHOTS / name))
    assert (image.width(), image.height()) == size

    # Nothing overlaps, nothing is clipped: the three columns and the status bar tile the window,
    # and the climate bar sits under the map.
    names = ("statusBar", "cluster", "assistant", "climateBar")
    status, cluster, assistant, climate = (item_rect(cockpit.find(n)) for n in names)
    map_rect = item_rect(cockpit.find("mapWeb"))
    for x, y, w, h in (status, cluster, assistant, map_rect, climate):
        assert x >= 0 and y >= 0 and x + w <= size[0] and y + h <= size[1]
    assert cluster[0] + cluster[2] <= map_rect[0] and map_rect[0] + map_rect[2] <= assistant[0]
    assert status[1] + status[3] <= min(cluster[1], map_rect[1], assistant[1])
    assert map_rect[1] + map_rect[3] <= climate[1] and cluster[0] + cluster[2] <= climate[0] < assistant[0]
    # The climate bar's controls sit side by side inside it, none on top of another.
    controls = [item_rect(cockpit.find(n)) for n in ("driverTemp", "driverSeatHeat", "driverSeatVent", "fan",
                                                      "defrostFront", "defrostRear", "passengerSeatVent",
                                                      "passengerSeatHeat", "passengerTemp")]  # fmt: skip
    for (x1, _, w1, _), (x2, _, _, _) in zip(controls, controls[1:], strict=False):
        assert x1 + w1 <= x2, "climate bar controls overlap"
    assert controls[0][0] >= climate[0] and controls[-1][0] + controls[-1][2] <= climate[0] + climate[2]

    # The map is drawn (streets, route, markers), not a blank or placeholder rectangle.
    assert distinct_colours(region(image, map_rect)) > 20
    # The car waits at a red light: the widget stays up with its countdown, the red lamp is red.
    widget = cockpit.find("trafficLight")
    assert widget.property("visible")
    lamp = find_items(widget, "lamp_red")[0]
    assert lamp.property("lit")
    assert dominant_channel_fraction(region(image, item_rect(lamp)), 0) > 0.3
    assert find_items(widget, "signalCountdown")[0].property("visible")
    # The whole frame is varied (text, gauge, map), far from a flat fill.
    assert rgb(image).std() > 20


def test_language_toggle_switches_texts_live(cockpit):
    state = cockpit.find("assistantState")
    cockpit.set_language("zh")
    pump(0.1)
    zh = state.property("text")
    cockpit.set_language("en")
    pump(0.1)
    assert zh != state.property("text")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)


def test_parking_search_shows_numbered_pins_within_the_map_view(cockpit):
    cockpit.resize(1920, 720)
    cockpit.set_language("en")
    cockpit.assistant.submitText("Find parking nearby")
    assert pump_until(lambda: probe_map(cockpit)["pins"] == 3, timeout=10)
    view = probe_map(cockpit)
    assert view["pinsInView"] == 3, view
    assert view["follow"] is False  # fitted to the results; it follows the car again later
    cockpit.screenshot(SHOTS / "window_parking_pins.png")


def test_saying_the_second_one_navigates_highlights_its_pin_and_fits_the_route(cockpit):
    cockpit.assistant.submitText("Find parking nearby")
    assert pump_until(lambda: cockpit.assistant.property("state") == "idle", timeout=10)
    before = cockpit.drive.route()[-1]
    cockpit.assistant.submitText("the second one")
    assert pump_until(lambda: cockpit.drive.route()[-1] != before, timeout=10)
    assert "Test car park B" in cockpit.assistant.property("reply")
    cards = cockpit.assistant.property("cards")
    assert [c["name"] for c in cards] == ["Test car park A", "Test car park B", "Test car park C"]
    assert all(c["simulated"] for c in cards)
    assert cockpit.assistant.property("selected") == 1
    assert pump_until(lambda: probe_map(cockpit)["selected"] == 1, timeout=5)
    view = probe_map(cockpit)
    assert view["destination"] and view["follow"] is False
    assert view["labels"], "no road or landmark labels on the map"
    cockpit.screenshot(SHOTS / "window_route_fit.png")


def test_after_a_fit_the_map_follows_the_car_again(cockpit):
    cockpit.assistant.submitText("Find parking nearby")
    assert pump_until(lambda: probe_map(cockpit)["follow"] is False, timeout=10)
    probe_map(cockpit, js="cockpit.fitHoldMs = 300")
    cockpit.assistant.submitText("Find parking nearby")  # a new search fits again, then lets go
    try:
        assert pump_until(lambda: probe_map(cockpit)["follow"] is True, timeout=10)
    finally:
        probe_map(cockpit, js="cockpit.fitHoldMs = 600000")


def test_map_labels_follow_the_ui_language(cockpit):
    # A street without an English name keeps its Chinese one, so count rather than expect none.
    def han_share() -> float:
        labels = probe_map(cockpit)["labels"]
        return sum(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in labels) / max(1, len(labels))

    cockpit.set_language("zh")
    assert pump_until(lambda: han_share() > 0.9, timeout=5)
    cockpit.set_language("en")
    assert pump_until(lambda: han_share() < 0.5, timeout=5)


def test_climate_bar_touch_goes_through_the_cabin_and_confirms(cockpit):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    cockpit.resize(1920, 720)
    cockpit.set_language("en")
    pump(0.2)
    cabin = cockpit.cabin.cabin
    before = cabin.state()["climate"]["driver"]["temperature"]
    stepper = cockpit.find("driverTemp")
    x, y, w, h = item_rect(stepper)
    QTest.mouseClick(
        cockpit.window,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(x + w - h // 2, y + h // 2),
    )  # fmt: skip  (the + side)
    assert pump_until(lambda: cabin.state()["climate"]["driver"]["temperature"] == before + 0.5, timeout=3)
    value = find_items(stepper, "stepperValue")[0]
    assert pump_until(lambda: value.property("text") == f"{before + 0.5:.1f}°", timeout=3)
    chip = cockpit.find("confirmation")
    assert pump_until(lambda: chip.property("visible"), timeout=3)
    # The cabin's own words ("Driver temperature 22.5 °C"), not the UI's.
    message = chip.property("message")
    assert f"{before + 0.5:g}" in message and "Driver" in message


def test_a_change_from_another_thread_updates_the_bar_and_cards(cockpit):
    cockpit.set_language("en")
    cabin = cockpit.cabin.cabin
    # The agent runs on a worker thread: its changes reach the bar through the subscription.
    worker = threading.Thread(target=lambda: (cabin.set("climate.passenger.temperature", 35),
                                              cabin.do("media.play"), cabin.set("seats.driver.heating", 2)))  # fmt: skip
    worker.start()
    worker.join()
    value = find_items(cockpit.find("passengerTemp"), "stepperValue")[0]
    assert pump_until(lambda: value.property("text") == "28.0°", timeout=3)  # clamped by the cabin
    assert cockpit.find("driverSeatHeat").property("level") == 2
    card = cockpit.find("nowPlayingCard")
    assert pump_until(lambda: card.property("visible"), timeout=3)
    assert card.property("title") == cabin.state()["media"]["track"]["title_en"] != ""
    cabin.do("phone.call", contact="Mom")
    call = cockpit.find("callCard")
    assert pump_until(lambda: call.property("visible"), timeout=3)
    assert call.property("name") == "Mom" and not card.property("visible")
    # With a call card and three result cards the reply still has room for two lines.
    reply = cockpit.find("replyText")
    assert reply.property("lineCount") == 2, "the reply lost its second line to the cards"
    cockpit.screenshot(SHOTS / "window_cabin_call.png")
    cabin.do("phone.hangup")
    assert pump_until(lambda: not call.property("visible"), timeout=3)
    cabin.do("media.resume")  # the call paused the music
    assert pump_until(lambda: card.property("visible"), timeout=3)
    cockpit.screenshot(SHOTS / "window_cabin_now_playing.png")


def test_media_ducks_while_the_assistant_speaks(cockpit):
    cabin = cockpit.cabin.cabin
    # Every state change is recorded with the cabin's ducking at that moment: polling for the
    # "speaking" state could miss a short reply on a busy machine (it did, once, in CI).
    seen: list[tuple[str, bool]] = []

    def record():
        seen.append((cockpit.assistant.property("state"), cabin.ducked))

    cockpit.assistant.stateChanged.connect(record)
    try:
        cockpit.assistant.submitText("Find parking nearby")
        assert pump_until(lambda: ("speaking", True) in seen and seen[-1][0] == "idle", timeout=15), seen
    finally:
        cockpit.assistant.stateChanged.disconnect(record)
    assert ("speaking", False) not in seen, seen
    assert seen[-1] == ("idle", False), seen


def test_drive_mode_shows_in_the_cluster_and_the_range_follows_it(cockpit):
    cabin = cockpit.cabin.cabin
    cabin.set("drive.mode", "comfort")
    assert pump_until(lambda: cockpit.vehicle.property("driveMode") == "comfort", timeout=3)
    comfort_km = cockpit.vehicle.property("rangeKm")
    cabin.set("drive.mode", "eco")
    assert pump_until(lambda: cockpit.vehicle.property("driveMode") == "eco", timeout=3)
    assert pump_until(lambda: cockpit.vehicle.property("rangeKm") > comfort_km, timeout=3)
    cabin.set("lights.headlights", "high")
    cabin.set("lights.fog", True)
    assert pump_until(lambda: {"highbeam", "fog"} <= set(cockpit.vehicle.property("tellTales")), timeout=3)
    assert "lowbeam" not in cockpit.vehicle.property("tellTales")
    pump(1.0)  # the map's web content draws on its own schedule; let the frame catch up for the picture
    cockpit.screenshot(SHOTS / "window_cluster_eco_high_beam.png")
    cabin.set("drive.mode", "comfort")
    cabin.set("lights.headlights", "auto")
    cabin.set("lights.fog", False)


def test_a_route_the_agent_sets_to_a_result_highlights_its_card(cockpit):
    cockpit.assistant.submitText("Find parking nearby")
    assert pump_until(lambda: cockpit.assistant.property("state") == "idle", timeout=10)
    third = cockpit.assistant.property("cards")[2]
    cockpit.world.set_destination((third["lat"], third["lon"]))  # what the agent's navigate tool does
    assert pump_until(lambda: cockpit.assistant.property("selected") == 2, timeout=5)
    assert pump_until(lambda: probe_map(cockpit)["selected"] == 2, timeout=5)


def test_a_place_search_in_the_scripted_assistant_shows_place_cards(cockpit):
    cockpit.set_language("en")
    cockpit.assistant.submitText("Is there a hospital nearby?")
    assert pump_until(lambda: cockpit.assistant.property("state") == "idle", timeout=10)
    (card,) = cockpit.assistant.property("cards")
    assert (card["kind"], card["name"], card["simulated"]) == ("place", "Test hospital", True)
    assert "Test hospital" in cockpit.assistant.property("reply")
    assert pump_until(lambda: probe_map(cockpit)["pins"] == 1, timeout=5)
    pump(1.0)  # let the map's frame catch up for the picture
    cockpit.screenshot(SHOTS / "window_place_card.png")

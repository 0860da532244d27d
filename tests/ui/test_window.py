"""The whole cockpit window on the simulation: every size, theme and language, in one process."""

from __future__ import annotations

import itertools

import pytest

from tests.ui.conftest import SHOTS, SIZES, pump
from tests.ui.pixels import distinct_colours, dominant_channel_fraction, find_items, item_rect, region, rgb

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def cockpit(qt_app):
    from PySide6.QtWebEngineCore import QWebEngineUrlRequestInterceptor
    from PySide6.QtWebEngineQuick import QQuickWebEngineProfile

    from app.ui.shell import Cockpit

    class Recorder(QWebEngineUrlRequestInterceptor):
        def __init__(self):
            super().__init__()
            self.urls: list[str] = []

        def interceptRequest(self, info):  # noqa: N802 (Qt API)
            self.urls.append(info.requestUrl().toString())

    recorder = Recorder()
    QQuickWebEngineProfile.defaultProfile().setUrlRequestInterceptor(recorder)
    from app.ui.sources import FakePlaces

    c = Cockpit(use_real_services=False, watch_network=False)
    c.sim_assistant.set_places(FakePlaces())  # clearly fake places: the real world is not loaded here
    c.recorder = recorder
    assert c.wait_for_map(timeout=30), "map page never became ready"
    c.assistant.submitText("Find parking nearby")
    pump(1.0)
    yield c
    QQuickWebEngineProfile.defaultProfile().setUrlRequestInterceptor(None)


def test_map_page_makes_no_network_requests(cockpit):
    assert cockpit.recorder.urls, "the interceptor saw nothing: the test would pass vacuously"
    remote = [u for u in cockpit.recorder.urls if not u.startswith(("file:", "data:", "qrc:"))]
    assert remote == []


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

    # Nothing overlaps, nothing is clipped: the three columns and the status bar tile the window.
    status, cluster, assistant = (item_rect(cockpit.find(n)) for n in ("statusBar", "cluster", "assistant"))
    web = cockpit.find("mapWeb")
    map_rect = item_rect(web)
    for x, y, w, h in (status, cluster, assistant, map_rect):
        assert x >= 0 and y >= 0 and x + w <= size[0] and y + h <= size[1]
    assert cluster[0] + cluster[2] <= map_rect[0] and map_rect[0] + map_rect[2] <= assistant[0]
    assert status[1] + status[3] <= min(cluster[1], map_rect[1], assistant[1])

    # The map is drawn (streets, route, markers), not a blank or placeholder rectangle.
    assert distinct_colours(region(image, map_rect)) > 20
    # The simulated drive starts ahead of a red light: the widget shows it in red.
    lamp = find_items(cockpit.find("trafficLight"), "lamp_red")[0]
    if lamp.property("lit"):
        assert dominant_channel_fraction(region(image, item_rect(lamp)), 0) > 0.3
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


def test_saying_the_second_one_navigates(cockpit):
    cockpit.assistant.submitText("Find parking nearby")
    pump(0.8)
    before = cockpit.drive.route()[-1]
    cockpit.assistant.submitText("the second one")
    pump(0.8)
    after = cockpit.drive.route()[-1]
    assert before != after
    assert "Test car park B" in cockpit.assistant.property("reply")
    cards = cockpit.assistant.property("cards")
    assert [c["name"] for c in cards] == ["Test car park A", "Test car park B", "Test car park C"]
    assert all(c["simulated"] for c in cards)

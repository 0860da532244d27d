"""One Qt application per test session: QtWebEngine can only be initialised once per process.

Every UI test renders offscreen with Qt's software renderer; screenshots land in
artifacts/screenshots/ for a human to look at. The session gets its own data folder (world store,
cabin state), so no UI test reads or writes the user's; subprocesses inherit it.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from app import paths

os.environ["COCKPIT_DATA_DIR"] = tempfile.mkdtemp(prefix="cockpit-ui-tests-")

SHOTS = paths.ROOT / "artifacts" / "screenshots"
HARNESS = Path(__file__).parent / "harness"
SIZES = [(1280, 480), (1920, 720), (2560, 960)]


@pytest.fixture(scope="session")
def qt_app():
    from app.ui import shell

    shell.prepare_environment(offscreen=True)
    app = shell.create_application()
    SHOTS.mkdir(parents=True, exist_ok=True)
    return app


def pump(seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def pump_until(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        pump(0.05)
    return predicate()


class Harness:
    """A view harness (tests/ui/harness/*.qml) in its own offscreen window."""

    def __init__(self, name: str):
        from PySide6.QtCore import QUrl
        from PySide6.QtQuick import QQuickView

        from app.ui.icons import IconProvider

        self.view = QQuickView()
        self.view.engine().addImageProvider("icon", IconProvider())
        self.view.setResizeMode(QQuickView.ResizeMode.SizeViewToRootObject)
        self.view.setSource(QUrl.fromLocalFile(str(HARNESS / f"{name}.qml")))
        errors = [e.toString() for e in self.view.errors()]
        assert not errors, errors
        from app.ui.i18n import Translations

        self.translations = Translations(self.view.engine())
        self.root = self.view.rootObject()
        self.fake = self.root.property("fake")
        self.view.show()
        pump(0.1)

    def set(self, **props) -> None:
        for key, value in props.items():
            self.root.setProperty(key, value)

    def set_fake(self, **props) -> None:
        for key, value in props.items():
            self.fake.setProperty(key, value)

    def find(self, name: str):
        from tests.ui.pixels import find_items

        items = find_items(self.root, name)
        return items[0] if items else None

    def grab(self, save_as: str | None = None, settle: float = 0.15):
        pump(settle)
        image = self.view.grabWindow()
        if save_as:
            image.save(str(SHOTS / save_as))
        return image

    def set_language(self, language: str) -> None:
        self.translations.set_language(language)

    def close(self) -> None:
        self.translations.set_language("en")  # the translator is application-wide
        self.view.close()
        self.view.deleteLater()


# A fixed world time: the signal plans, and so where the car stops, are the same on every run.
WORLD_T0 = 1_800_000_000.0


def staged_world(data_dir: Path, until: str = "stop_at_red", max_s: float = 600.0):
    """A World of its own whose car drove the demo route from People's Square until it stopped at a
    red light, then frozen (time_scale 0): the frame no longer depends on how fast the machine is."""
    from app.world.service import World

    world = World(data_dir=data_dir)
    world.vehicle.clock = WORLD_T0
    world.set_destination("The Bund", origin="People's Square")
    car = world.vehicle
    moved = False
    for _ in range(int(max_s / 0.1)):
        state = car.step(0.1)
        moved = moved or state.speed_kmh > 5
        if moved and state.speed_kmh == 0 and car.events and car.events[-1].kind == until:
            break
    else:
        raise AssertionError(f"the staged car never reached {until!r} within {max_s} s")
    car.time_scale = 0.0
    return world


def probe_map(cockpit_or_canvas, timeout: float = 5.0, js: str = "cockpit.probe()"):
    """The map page's own view of itself (pins in view, follow, labels): window.cockpit.probe()."""
    from PySide6.QtCore import Q_ARG, QMetaObject

    canvas = cockpit_or_canvas.find("mapCanvas") if hasattr(cockpit_or_canvas, "find") else cockpit_or_canvas
    canvas.setProperty("probe", None)
    deadline = time.monotonic() + timeout
    # Asked again until it answers: the page may report ready a moment before the canvas knows it.
    while canvas.property("probe") is None and time.monotonic() < deadline:
        QMetaObject.invokeMethod(canvas, "evaluate", Q_ARG("QVariant", js))
        pump_until(lambda: canvas.property("probe") is not None, 0.5)
    assert canvas.property("probe") is not None, "the map page did not answer"
    return canvas.property("probe")

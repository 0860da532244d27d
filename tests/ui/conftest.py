"""One Qt application per test session: QtWebEngine can only be initialised once per process.

Every UI test renders offscreen with Qt's software renderer; screenshots land in
artifacts/screenshots/ for a human to look at.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app import paths

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

"""`image://icon/<name>/<rrggbb>`: the SVG icons in assets/ui/icons, tinted to a theme colour.

The cockpit must also run on Qt's software renderer (no GPU on the test rig and in Xvfb), where
shader effects such as MultiEffect colourise do nothing, so icons are tinted before rasterising.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtQuick import QQuickImageProvider
from PySide6.QtSvg import QSvgRenderer

from app import paths

ICONS = paths.ASSETS / "ui" / "icons"
DEFAULT_PX = 48


@lru_cache(maxsize=64)
def _svg(name: str) -> str:
    return (ICONS / f"{name}.svg").read_text(encoding="utf-8")


class IconProvider(QQuickImageProvider):
    def __init__(self):
        super().__init__(QQuickImageProvider.ImageType.Image)

    def requestImage(self, icon_id: str, size: QSize, requested: QSize) -> QImage:  # noqa: N802 (Qt API)
        name, _, colour = icon_id.partition("/")
        colour = "#" + (colour.split("?")[0] or "ffffff")
        w = requested.width() if requested.width() > 0 else DEFAULT_PX
        h = requested.height() if requested.height() > 0 else w
        image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        try:
            svg = _svg(name).replace("currentColor", colour)
        except OSError:
            return image
        painter = QPainter(image)
        QSvgRenderer(QByteArray(svg.encode())).render(painter)
        painter.end()
        size.setWidth(w)
        size.setHeight(h)
        return image

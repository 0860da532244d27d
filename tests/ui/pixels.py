"""Pixel assertions on grabbed frames."""

from __future__ import annotations

import numpy as np


def rgb(image) -> np.ndarray:
    """A QImage as an (h, w, 3) uint8 array."""
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    return np.frombuffer(image.constBits(), np.uint8).reshape(h, stride)[:, : w * 3].reshape(h, w, 3).copy()


def item_rect(item) -> tuple[int, int, int, int]:
    """An item's (x, y, w, h) in window pixels (device pixel ratio 1 offscreen)."""
    from PySide6.QtCore import QRectF

    r = item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))
    return round(r.x()), round(r.y()), round(r.width()), round(r.height())


def region(image, rect) -> np.ndarray:
    x, y, w, h = rect
    return rgb(image)[y : y + h, x : x + w]


def fraction_like(pixels: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> float:
    diff = np.abs(pixels.astype(int) - np.array(colour)).max(axis=2)
    return float((diff <= tolerance).mean())


def dominant_channel_fraction(pixels: np.ndarray, channel: int, margin: int = 60) -> float:
    """Share of pixels where `channel` (0 r, 1 g, 2 b) beats both others by `margin`."""
    p = pixels.astype(int)
    others = [c for c in range(3) if c != channel]
    mask = (p[..., channel] - p[..., others[0]] > margin) & (p[..., channel] - p[..., others[1]] > margin)
    return float(mask.mean())


def distinct_colours(pixels: np.ndarray) -> int:
    flat = pixels.reshape(-1, 3)
    return len(np.unique(flat[:: max(1, len(flat) // 20000)], axis=0))


def find_items(root, name: str) -> list:
    """Items named `name` under root, following the visual tree (Repeater delegates are not QObject children)."""
    from PySide6.QtCore import QObject

    # The QObject tree first: walking the visual tree into a WebEngineView's internals can crash.
    found = root.findChildren(QObject, name)
    if found:
        return found
    stack = [root]
    while stack:
        item = stack.pop()
        if item.objectName() == name:
            found.append(item)
        stack.extend(item.childItems() if hasattr(item, "childItems") else [])
    return found

"""The simulated car's cabin: climate, seats, windows, lights, drive modes, media and phone.

    from app.vehicle import load_cabin, Cabin
    cabin = load_cabin()                 # the process-wide cabin, saved under data_dir()/vehicle/
    cabin.set("climate.driver.temperature", 35)   # -> Change(clamped=True, "…the maximum is 28 °C…")
    Cabin()                              # in memory, for tests and fakes

See docs/vehicle.md. Everything here is simulated; no real car is attached.
"""

from __future__ import annotations

import threading

from app.vehicle.api import CabinError, Change
from app.vehicle.cabin import Cabin

STATE_FILE_NAME = "cabin.json"

_shared: Cabin | None = None
_shared_lock = threading.Lock()


def state_file():
    from app.paths import data_dir

    return data_dir() / "vehicle" / STATE_FILE_NAME


def load_cabin() -> Cabin:
    """The process-wide cabin, its state kept in data_dir()/vehicle/cabin.json."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Cabin(state_file())
        return _shared


__all__ = ["Cabin", "CabinError", "Change", "load_cabin", "state_file"]

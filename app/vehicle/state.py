"""The cabin's typed state and its defaults (a car as it leaves the demo stand's reset).

Only Cabin changes it, through the spec (app/vehicle/spec.py). Paths in dot notation
("climate.driver.temperature") address the fields; `get_path`/`set_path` walk the dataclasses.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any


@dataclass
class Zone:
    temperature: float = 22.0


@dataclass
class Climate:
    power: bool = True
    driver: Zone = field(default_factory=Zone)
    passenger: Zone = field(default_factory=Zone)
    fan: int = 3
    mode: str = "auto"
    ac: bool = True
    recirculation: bool = False
    defrost_front: bool = False
    defrost_rear: bool = False


@dataclass
class FrontSeat:
    heating: int = 0
    ventilation: int = 0
    massage: str = "off"
    position: int = 1  # the memory position last recalled (1-3)


@dataclass
class RearSeat:
    heating: int = 0


@dataclass
class Seats:
    driver: FrontSeat = field(default_factory=FrontSeat)
    passenger: FrontSeat = field(default_factory=FrontSeat)
    rear_left: RearSeat = field(default_factory=RearSeat)
    rear_right: RearSeat = field(default_factory=RearSeat)


@dataclass
class Windows:
    front_left: int = 0
    front_right: int = 0
    rear_left: int = 0
    rear_right: int = 0
    sunroof: int = 0
    sunshade: int = 100
    child_lock: bool = True
    doors_locked: bool = True
    mirrors_folded: bool = False


@dataclass
class Ambient:
    color: str = "warm_white"
    brightness: int = 40


@dataclass
class Lights:
    headlights: str = "auto"
    fog: bool = False
    ambient: Ambient = field(default_factory=Ambient)


@dataclass
class Drive:
    mode: str = "comfort"
    lane_keeping: bool = True
    parking_assist: bool = False
    # The cabin's own battery figure, used while no world car is attached (CLI, tests).
    battery_pct: float = 78.0
    odometer_km: float = 12_480.0


@dataclass
class Media:
    source: str = "library"  # library | radio | bluetooth
    playing: bool = False
    track_id: str | None = None
    station_id: str | None = None
    # Where playback was at `since` (clock seconds); position now = position_s + (now - since) while playing.
    position_s: float = 0.0
    since: float | None = None
    volume: int = 12
    favourites: list[str] = field(default_factory=list)
    queue: list[str] = field(default_factory=list)
    queue_index: int = 0
    paused_for_call: bool = False


@dataclass
class Phone:
    call_state: str = "idle"  # idle | ringing | active
    direction: str | None = None  # outgoing | incoming
    contact_id: str | None = None
    since: float | None = None  # clock when the current call state began
    last_dialled: str | None = None
    last_message_id: str | None = None


@dataclass
class CabinState:
    """The whole cabin. The spec's control paths all live here (a unit test checks)."""

    climate: Climate = field(default_factory=Climate)
    seats: Seats = field(default_factory=Seats)
    windows: Windows = field(default_factory=Windows)
    lights: Lights = field(default_factory=Lights)
    drive: Drive = field(default_factory=Drive)
    media: Media = field(default_factory=Media)
    phone: Phone = field(default_factory=Phone)


def get_path(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def set_path(obj: Any, path: str, value: Any) -> None:
    *head, last = path.split(".")
    for part in head:
        obj = getattr(obj, part)
    setattr(obj, last, value)


def has_path(obj: Any, path: str) -> bool:
    for part in path.split("."):
        if not is_dataclass(obj) or part not in {f.name for f in fields(obj)}:
            return False
        obj = getattr(obj, part)
    return not is_dataclass(obj)


def leaf_paths(obj: Any, prefix: str = "") -> list[str]:
    out = []
    for f in fields(obj):
        value = getattr(obj, f.name)
        path = f"{prefix}{f.name}"
        out += leaf_paths(value, path + ".") if is_dataclass(value) else [path]
    return out


def to_dict(obj: Any) -> dict[str, Any]:
    return asdict(obj)


def flat(obj: Any) -> dict[str, Any]:
    """{path: value} for every leaf (lists are leaves), to diff before/after a command."""
    # Lists are copied: a command that appends in place must still show up in the diff.
    return {p: (list(v) if isinstance(v := get_path(obj, p), list) else v) for p in leaf_paths(obj)}


def from_dict(cls: type, data: Any, bad: list[str], prefix: str = "") -> Any:
    """Rebuild a dataclass from saved JSON, keeping the default for anything missing or mistyped.

    `bad` collects the paths that were dropped, so the caller can log them (a hand-edited or
    old file must never crash the car, and must not pass silently either).
    """
    obj = cls()
    if not isinstance(data, dict):
        bad.append(prefix.rstrip(".") or "<root>")
        return obj
    for f in fields(obj):
        if f.name not in data:
            continue
        default, value, path = getattr(obj, f.name), data[f.name], prefix + f.name
        if is_dataclass(default):
            setattr(obj, f.name, from_dict(type(default), value, bad, path + "."))
        elif _same_kind(default, value, f.type):
            if isinstance(default, float):
                value = float(value)
            elif isinstance(default, int) and not isinstance(default, bool):
                value = int(value)
            setattr(obj, f.name, value)
        else:
            bad.append(path)
    return obj


def _same_kind(default: Any, value: Any, annotation: Any) -> bool:
    if value is None:
        return "None" in str(annotation)
    if isinstance(default, bool) or str(annotation) == "bool":
        return isinstance(value, bool)
    if isinstance(default, int | float) and not isinstance(value, bool):
        return isinstance(value, int | float) and (isinstance(default, float) or float(value).is_integer())
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if default is None:  # "str | None", "float | None" fields
        if "float" in str(annotation):
            return isinstance(value, int | float) and not isinstance(value, bool)
        return isinstance(value, str)
    return isinstance(value, type(default))

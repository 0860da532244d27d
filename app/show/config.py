"""The stand's settings: `show.yaml` in the per-user data folder, written with defaults on first use.

pin: "2468"             # quits the kiosk from the operator menu; change it on the stand
idle_minutes: 2         # no touch, key or speech this long: reset, then the attract loop
nightly_restart: "04:30"  # the watchdog restarts the app daily at this local time (null: never)
volume: 80              # the car's voice, 0-100
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

from app import paths

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {"pin": "2468", "idle_minutes": 2, "nightly_restart": "04:30", "volume": 80}


def config_path() -> Path:
    return paths.data_dir() / "show.yaml"


def load_config(path: Path | None = None) -> dict[str, Any]:
    path = path or config_path()
    if not path.exists():
        try:
            path.write_text(yaml.safe_dump(DEFAULTS, sort_keys=False), encoding="utf-8")
        except OSError as exc:
            log.warning("could not write %s: %s", path, exc)
        return dict(DEFAULTS)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        # A broken settings file must not keep the stand dark: defaults, and say so in the log.
        log.error("%s unreadable (%s); using the defaults", path, exc)
        return dict(DEFAULTS)
    if not isinstance(doc, dict):
        log.error("%s is not a mapping; using the defaults", path)
        return dict(DEFAULTS)
    return {**DEFAULTS, **doc, "pin": str(doc.get("pin", DEFAULTS["pin"]))}

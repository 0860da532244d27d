"""Run the real cockpit offscreen (world, persisted cabin; scripted assistant) and report what its
climate bar shows, before and after `python -m app.vehicle set …` from another process.

Used by test_cabin_cli.py as a subprocess, so the cabin is loaded from the data folder exactly as
`python -m app` loads it. Prints one JSON line; argv: SCREENSHOT_PATH [PATH VALUE].
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    from app.ui import shell

    shot = Path(sys.argv[1])
    shell.prepare_environment(offscreen=True)
    shell.create_application()
    cockpit = shell.Cockpit(use_real_services=False, watch_network=False)
    cockpit.wait_for_map(30)

    def shown(name: str) -> str:
        from tests.ui.pixels import find_items

        return find_items(cockpit.find(name), "stepperValue")[0].property("text")

    out = {
        "first_frame_s": cockpit.first_frame_s,
        "world_s": cockpit.world_s,
        "driver_at_start": shown("driverTemp"),
    }
    if len(sys.argv) > 3:
        path, value = sys.argv[2], sys.argv[3]
        subprocess.run(
            [sys.executable, "-m", "app.vehicle", "set", path, value], check=True, capture_output=True
        )
        deadline = time.monotonic() + 10
        while shown("driverTemp") == out["driver_at_start"] and time.monotonic() < deadline:
            cockpit.pump(0.1)
        out["driver_after_set"] = shown("driverTemp")
        out["confirmation"] = cockpit.find("confirmation").property("message")
    cockpit.pump(0.5)
    cockpit.screenshot(shot)
    print(json.dumps(out, ensure_ascii=False), flush=True)
    os._exit(0)  # as the app does: no waiting for worker threads at exit


if __name__ == "__main__":
    main()

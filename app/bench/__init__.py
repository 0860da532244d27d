"""Benchmarks: each module's run() measures and returns figures; nothing here passes or fails."""

import atexit
import os
import shutil
import tempfile


def isolate_state() -> str:
    """Gives this bench run (and the agents it starts) a data dir of its own, for the run only.

    The agent and the cabin keep the user's car and saved places under the data dir. A bench that
    drove that car would leave the driver's cockpit on a simulated call to Dad with the seats
    heated, and its own scores would depend on what the user last did. Set COCKPIT_DATA_DIR to
    bench against a state on purpose.
    """
    if "COCKPIT_DATA_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="cockpit-bench-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["COCKPIT_DATA_DIR"] = folder
    return os.environ["COCKPIT_DATA_DIR"]

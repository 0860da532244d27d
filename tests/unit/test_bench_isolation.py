"""A bench never drives the user's car: it runs on a data dir of its own."""

import os
import subprocess
import sys

import pytest

from app import paths

pytestmark = pytest.mark.unit


def test_a_bench_process_gets_its_own_data_dir_and_its_agents_inherit_it():
    code = (
        "import os, subprocess, sys\n"
        "from app.bench import isolate_state\n"
        "d = isolate_state()\n"
        "child = subprocess.run([sys.executable, '-c', 'from app import paths; print(paths.data_dir())'],"
        " capture_output=True, text=True).stdout.strip()\n"
        "print(d); print(child); print(os.path.isdir(d))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "COCKPIT_DATA_DIR"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.ROOT, env=env, check=True
    ).stdout.split()
    mine, child, existed = out
    assert existed == "True" and child == mine
    assert "cockpit-bench-" in mine
    assert not os.path.exists(mine)  # removed when the bench ends


def test_a_data_dir_set_on_purpose_is_kept(tmp_path, monkeypatch):
    from app.bench import isolate_state

    monkeypatch.setenv("COCKPIT_DATA_DIR", str(tmp_path))
    assert isolate_state() == str(tmp_path)

"""Crash safety: SIGKILL a scripted session mid-task; the log is intact, every finished turn is
in the export, the session shows as interrupted, and it can be resumed to completion.

Deterministic: the test kills the process right after it has printed "turn 4 logged" (the run
prints that line after the turn's row was committed), while it waits inside task two; no sleeps.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys

import pytest
import yaml

from app import paths

pytestmark = pytest.mark.unit

STUDY = {
    "study": "crash",
    "counterbalance": "fixed",
    "tasks": [
        {"id": f"t{i}", "title_en": f"Task {i}", "title_zh": f"任务{i}", "instruction_en": "Ask.",
         "instruction_zh": "问。", "time_limit_s": 600, "success": {"call": {"tool": "trip_status"}}}
        for i in (1, 2, 3)
    ],
}  # fmt: skip
TURNS_T1 = ["when do we arrive", "find parking", "take me to the Bund"]
SCRIPT = {
    "tasks": {
        "t1": [{"type": t} for t in TURNS_T1],
        "t2": [
            {"type": "前面红绿灯还有多久"},
            {"type": "when do we arrive"},
            {"wait": 600},
            {"type": "never sent"},
        ],
        "t3": [{"type": "when do we arrive"}],
    }
}
RESUME_SCRIPT = {"tasks": {"t2": [{"type": "when do we arrive"}], "t3": [{"type": "when do we arrive"}]}}


def _run(args, env, **kw):
    return subprocess.Popen(
        [sys.executable, "-m", "app.study", "run", *args], cwd=paths.ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, **kw,
    )  # fmt: skip


def _study_cli(args, env):
    out = subprocess.run([sys.executable, "-m", "app.study", *args], cwd=paths.ROOT, env=env, text=True,
                         capture_output=True, timeout=60)  # fmt: skip
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_sigkill_mid_task_loses_no_finished_turn_and_resumes(tmp_path):
    env = {**os.environ, "COCKPIT_DATA_DIR": str(tmp_path / "data")}
    study, script, resume_script = (tmp_path / n for n in ("study.yaml", "script.yaml", "resume.yaml"))
    for path, doc in ((study, STUDY), (script, SCRIPT), (resume_script, RESUME_SCRIPT)):
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")

    proc = _run(
        ["--study", str(study), "--participant", "P05", "--script", str(script), "--fake", "--pace", "0"], env
    )
    try:
        first = proc.stdout.readline()
        sid = first.split()[1]
        for line in proc.stdout:  # blocks until the run says so; a hang is caught by the CI timeout
            if line.strip() == "turn 4 logged":
                break
        else:
            pytest.fail(f"the run ended before its fifth turn (exit {proc.wait()})")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    db = tmp_path / "data" / "studies" / "crash.sqlite"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()

    turns = json.loads(_study_cli(["export", sid, "--format", "json"], env))["turns"]
    assert [t["transcript"] for t in turns] == [*TURNS_T1, "前面红绿灯还有多久", "when do we arrive"]
    assert [t["task_id"] for t in turns] == ["t1"] * 3 + ["t2"] * 2
    sessions = json.loads(_study_cli(["list", "--json"], env))
    assert [(s["id"], s["state"]) for s in sessions] == [(sid, "interrupted")]
    tasks = json.loads(_study_cli(["export", sid, "--format", "json"], env))["tasks"]
    assert [(t["task_id"], t["outcome"]) for t in tasks] == [("t1", "success"), ("t2", None)]

    # Resume: the cut-off task is kept as interrupted and run again; the session completes.
    resumed = _run(["--study", str(study), "--participant", "P05", "--script", str(resume_script), "--fake",
                    "--pace", "0", "--resume", sid], env)  # fmt: skip
    out, _ = resumed.communicate(timeout=120)
    assert resumed.returncode == 0
    assert out.strip().splitlines()[-1] == sid
    data = json.loads(_study_cli(["export", sid, "--format", "json"], env))
    assert [(t["task_id"], t["attempt"], t["outcome"]) for t in data["tasks"]] == [
        ("t1", 0, "success"), ("t2", 0, "interrupted"), ("t2", 1, "success"), ("t3", 0, "success"),
    ]  # fmt: skip
    assert len(data["turns"]) == 7
    assert [t["turn_index"] for t in data["turns"]] == list(range(7))
    assert json.loads(_study_cli(["list", "--json"], env))[0]["state"] == "complete"

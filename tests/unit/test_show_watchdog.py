"""The watchdog restarts a child that stops its heartbeat or dies, and logs why."""

import sys
import textwrap
import time
from datetime import datetime

import pytest

from app.show import watchdog as wd

pytestmark = pytest.mark.unit


class FakeChild:
    def __init__(self, pid):
        self.pid = pid
        self.code = None
        self.killed = False

    def poll(self):
        return self.code

    def kill(self):
        self.killed = True
        self.code = -9

    def terminate(self):
        self.code = -15

    def wait(self, timeout=None):
        return self.code


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def make(tmp_path, **kw):
    clock = Clock()
    children = []

    def spawn():
        children.append(FakeChild(len(children) + 1))
        return children[-1]

    log = []
    sup = wd.Supervisor(spawn, tmp_path, clock=clock, record=log.append, **kw)
    beat = wd.Heartbeat(tmp_path, clock=clock)
    return sup, clock, children, log, beat


def test_a_child_that_stops_beating_is_killed_and_restarted_with_the_cause(tmp_path):
    sup, clock, children, log, beat = make(tmp_path)
    sup.poll()  # starts the first child
    for _ in range(20):  # 20 s of healthy beats
        clock.t += 1
        beat.beat("qt")
        beat.beat("render")
        assert sup.poll() is None
    clock.t += 10.5  # kill -STOP: no beat for more than 10 s
    r = sup.poll()
    assert r is not None and r.cause == "freeze" and "heartbeat" in r.detail
    assert children[0].killed and len(children) == 2
    assert log == [r]


def test_a_frozen_render_loop_alone_is_a_freeze(tmp_path):
    sup, clock, children, _, beat = make(tmp_path)
    sup.poll()
    beat.beat("render")
    for _ in range(11):
        clock.t += 1
        beat.beat("qt")
    r = sup.poll()
    assert r is not None and "render" in r.detail


def test_a_crash_restarts_and_a_clean_exit_stops_supervising(tmp_path):
    sup, clock, children, log, _ = make(tmp_path)
    sup.poll()
    children[0].code = -11  # segfault
    r = sup.poll()
    assert r.cause == "crash" and "signal 11" in r.detail and len(children) == 2
    children[1].code = 0  # the operator quit with the PIN
    assert sup.poll() is None and sup.stopped and len(children) == 2


def test_a_child_that_never_beats_is_restarted_after_the_grace(tmp_path):
    sup, clock, children, _, _ = make(tmp_path, grace_s=30)
    sup.poll()
    clock.t += 29
    assert sup.poll() is None
    clock.t += 2
    assert sup.poll().cause == "freeze"


def test_old_beats_do_not_vouch_for_a_new_process(tmp_path):
    sup, clock, children, _, beat = make(tmp_path, grace_s=30)
    beat.beat("qt")
    beat.beat("render")
    sup.poll()
    assert wd.read_beats(tmp_path) == {}


def test_nightly_restart_happens_once_at_the_set_time(tmp_path):
    now = [datetime(2026, 12, 1, 4, 29)]
    sup, clock, children, _, beat = make(tmp_path, nightly="04:30", wall=lambda: now[0])
    sup.poll()
    beat.beat("qt")
    beat.beat("render")
    assert sup.poll() is None
    now[0] = datetime(2026, 12, 1, 4, 30, 5)
    r = sup.poll()
    assert r.cause == "nightly" and len(children) == 2
    beat.beat("qt", 0)
    beat.beat("render", 0)
    assert sup.poll() is None and len(children) == 2  # not again the same night


CHILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    d = Path(os.environ["COCKPIT_HEARTBEAT_DIR"])
    with open(d / "starts", "a") as f:
        f.write("x")
    n = len((d / "starts").read_text())
    for heart in ("qt", "render"):
        (d / heart).write_text(str(time.time()))
    if n == 1:
        time.sleep(600)   # the first one freezes: no more beats
    while True:           # the second one stays healthy
        for heart in ("qt", "render"):
            (d / heart).write_text(str(time.time()))
        time.sleep(0.05)
    """
)


def test_a_real_child_process_that_freezes_is_replaced(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    log = []
    sup = wd.Supervisor(
        wd.spawner([sys.executable, str(script)], tmp_path), tmp_path, freeze_s=0.5, record=log.append
    )
    sup.poll()
    try:
        # Polls until the replacement has started; bounded so a broken watchdog fails, never hangs.
        for _ in range(400):
            sup.poll()
            if (tmp_path / "starts").exists() and len((tmp_path / "starts").read_text()) >= 2:
                break
            time.sleep(0.05)
        assert len((tmp_path / "starts").read_text()) == 2
        assert [r.cause for r in log] == ["freeze"]
    finally:
        if sup.child.poll() is None:
            sup.child.kill()
            sup.child.wait()


def test_journal_writes_one_json_line_per_restart(tmp_path):
    import json

    record = wd.journal(tmp_path / "watchdog.log")
    record(wd.Restart(1.0, "crash", "exit code 1", 1))
    record(wd.Restart(2.0, "freeze", "qt heartbeat 10.2 s old"))
    rows = [json.loads(x) for x in (tmp_path / "watchdog.log").read_text().splitlines()]
    assert [r["cause"] for r in rows] == ["crash", "freeze"]


def test_spawned_command_is_the_kiosk():
    class A:
        lang = "zh"
        idle_minutes = None
        size = (1920, 720)

    cmd = wd.app_command(A())
    assert cmd[1:] == ["-m", "app", "--kiosk", "--lang", "zh"]


def test_the_installer_ships_a_systemd_user_unit_that_starts_the_watchdog():
    import configparser

    from app import paths

    unit = paths.ROOT / "packaging" / "ai-cockpit-kiosk.service"
    cp = configparser.ConfigParser(strict=False, interpolation=None)
    cp.read(unit)
    assert cp["Service"]["ExecStart"].split() == ["/usr/bin/ai-cockpit", "--watchdog"]
    assert cp["Service"]["Restart"] == "always"
    assert "ai-cockpit-kiosk.service" in (paths.ROOT / "packaging" / "build.sh").read_text()

"""The launcher that keeps a show stand alive: supervise the app, restart it on a freeze or crash.

The app beats two hearts into files in a folder the supervisor names (COCKPIT_HEARTBEAT_DIR):
`qt` from a timer on the Qt thread (the event loop runs) and `render` from the window's
frameSwapped (the scene graph renders). Either one older than `freeze_s` (10 s), or the process
gone, and the supervisor kills what is left and starts the app again into kiosk mode (within
`freeze_s` + a second or two; the brief asks for 15 s). Every restart is one JSON line in
`log_dir()/watchdog.log` with its cause. An exit with code 0 is the operator quitting with the
PIN: the supervisor stops too. A nightly restart time (HH:MM, local) restarts the app gracefully
once a day, which also clears whatever a long day leaves behind.

The decisions (`Supervisor.poll`) take the clock and the process as parameters, so the tests drive
them with a fake clock and a fake process; `run()` is the thin real loop around them.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from app import paths

log = logging.getLogger(__name__)

FREEZE_S = 10.0
START_GRACE_S = 45.0  # the first beats wait for Qt and QML; models load later, off the Qt thread
HEARTS = ("qt", "render")
ENV_DIR = "COCKPIT_HEARTBEAT_DIR"


class Child(Protocol):
    pid: int

    def poll(self) -> int | None: ...
    def kill(self) -> None: ...
    def terminate(self) -> None: ...
    def wait(self, timeout: float | None = None) -> int: ...


# --- the app's side -------------------------------------------------------------------------------
class Heartbeat:
    """Writes one heart's beat (the time) into its file; cheap enough to call every second."""

    def __init__(self, directory: str | Path | None = None, clock: Callable[[], float] = time.time):
        d = directory or os.environ.get(ENV_DIR)
        self.dir = Path(d) if d else None
        self.clock = clock
        self._last: dict[str, float] = {}

    @property
    def enabled(self) -> bool:
        return self.dir is not None

    def beat(self, heart: str, min_interval_s: float = 0.5) -> None:
        if self.dir is None:
            return
        now = self.clock()
        if now - self._last.get(heart, -1e9) < min_interval_s:
            return  # frameSwapped fires 60 times a second: one write in half a second is plenty
        self._last[heart] = now
        tmp = self.dir / f".{heart}.tmp"
        tmp.write_text(f"{now:.3f}\n")
        tmp.replace(self.dir / heart)


def read_beats(directory: Path) -> dict[str, float]:
    beats = {}
    for heart in HEARTS:
        try:
            beats[heart] = float((directory / heart).read_text().strip())
        except (OSError, ValueError):
            continue
    return beats


# --- the supervisor ---------------------------------------------------------------------------------
@dataclass
class Restart:
    at: float
    cause: str
    detail: str
    exit_code: int | None = None


def next_nightly(now: datetime, hhmm: str | None) -> datetime | None:
    if not hhmm:
        return None
    h, m = (int(x) for x in hhmm.split(":"))
    when = now.replace(hour=h, minute=m, second=0, microsecond=0)
    return when if when > now else when + timedelta(days=1)


class Supervisor:
    def __init__(
        self,
        spawn: Callable[[], Child],
        heartbeat_dir: Path,
        freeze_s: float = FREEZE_S,
        grace_s: float = START_GRACE_S,
        clock: Callable[[], float] = time.time,
        wall: Callable[[], datetime] = datetime.now,
        nightly: str | None = None,
        record: Callable[[Restart], None] | None = None,
    ):
        self.spawn = spawn
        self.dir = heartbeat_dir
        self.freeze_s = freeze_s
        self.grace_s = grace_s
        self.clock = clock
        self.wall = wall
        self.nightly = nightly
        self.record = record or (lambda r: None)
        self.child: Child | None = None
        self.started_at = 0.0
        self.restarts: list[Restart] = []
        self.stopped = False
        self._nightly_at = next_nightly(wall(), nightly)

    def start(self) -> None:
        for heart in HEARTS:  # beats of the previous process must not vouch for the new one
            (self.dir / heart).unlink(missing_ok=True)
        self.child = self.spawn()
        self.started_at = self.clock()
        log.info("watchdog: started pid %s", self.child.pid)

    def stale(self) -> str | None:
        """Why the child counts as frozen, or None."""
        now = self.clock()
        beats = read_beats(self.dir)
        for heart in HEARTS:
            last = beats.get(heart)
            if last is None:
                if now - self.started_at > self.grace_s:
                    return f"no {heart} heartbeat {self.grace_s:.0f} s after start"
            elif now - last > self.freeze_s:
                return f"{heart} heartbeat {now - last:.1f} s old"
        return None

    def poll(self) -> Restart | None:
        """One look at the child; restarts it when needed and returns why (None: all well)."""
        if self.child is None:
            self.start()
            return None
        code = self.child.poll()
        if code is not None:
            if code == 0:
                log.info("watchdog: the app quit normally (operator); stopping")
                self.stopped = True
                return None
            how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
            return self._restart("crash", how, code)
        why = self.stale()
        if why is not None:
            self._kill()
            return self._restart("freeze", why, None)
        if self._nightly_at is not None and self.wall() >= self._nightly_at:
            self._nightly_at = next_nightly(self.wall() + timedelta(minutes=1), self.nightly)
            self._stop_gently()
            return self._restart("nightly", f"scheduled restart at {self.nightly}", None)
        return None

    def _kill(self) -> None:
        # SIGKILL works on a stopped (kill -STOP) process too; SIGTERM would wait for SIGCONT.
        try:
            self.child.kill()
            self.child.wait(timeout=5)
        except Exception as exc:
            log.warning("watchdog: could not reap pid %s: %s", self.child.pid, exc)

    def _stop_gently(self) -> None:
        try:
            self.child.terminate()
            self.child.wait(timeout=10)
        except Exception:
            self._kill()

    def _restart(self, cause: str, detail: str, code: int | None) -> Restart:
        r = Restart(self.clock(), cause, detail, code)
        self.restarts.append(r)
        log.warning("watchdog: restarting the app (%s: %s)", cause, detail)
        self.record(r)
        self.start()
        return r

    def run(self, poll_s: float = 0.5, sleep: Callable[[float], None] = time.sleep) -> int:
        def stop(signum, frame):  # systemd stop / Ctrl+C: take the app down with us
            self.stopped = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not self.stopped:
                self.poll()
                sleep(poll_s)
        finally:
            if self.child is not None and self.child.poll() is None:
                self._stop_gently()
        return 0


def journal(path: Path) -> Callable[[Restart], None]:
    def record(r: Restart) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        row = {"at": datetime.fromtimestamp(r.at).isoformat(timespec="seconds"), "cause": r.cause,
               "detail": r.detail, "exit_code": r.exit_code}  # fmt: skip
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(row) + "\n")

    return record


def spawner(cmd: Sequence[str], heartbeat_dir: Path, env: dict[str, str] | None = None) -> Callable[[], Any]:
    def spawn():
        e = dict(os.environ if env is None else env)
        e[ENV_DIR] = str(heartbeat_dir)
        return subprocess.Popen(list(cmd), env=e)

    return spawn


def app_command(args: Any) -> list[str]:
    """The supervised app: the same interpreter, kiosk mode, the options that matter passed on."""
    cmd = [sys.executable, "-m", "app", "--kiosk"]
    if getattr(args, "lang", None):
        cmd += ["--lang", args.lang]
    if getattr(args, "idle_minutes", None):
        cmd += ["--idle-minutes", str(args.idle_minutes)]
    if getattr(args, "size", None) and tuple(args.size) != (1920, 720):
        cmd += ["--size", "x".join(str(v) for v in args.size)]
    return cmd


def main_from_app(args: Any) -> int:
    from app.show.config import load_config

    config = load_config()
    nightly = args.nightly_restart or config.get("nightly_restart")
    hb = paths.data_dir() / "heartbeat"
    hb.mkdir(parents=True, exist_ok=True)
    sup = Supervisor(
        spawner(app_command(args), hb),
        hb,
        nightly=nightly,
        record=journal(paths.log_dir() / "watchdog.log"),
    )
    log.info("watchdog: supervising %s (nightly restart %s)", " ".join(app_command(args)), nightly or "off")
    return sup.run()

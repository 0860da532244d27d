"""The study log: one SQLite database per study, a session row per participant, every event
committed as it happens.

Durability: WAL journal, synchronous=FULL, autocommit (each write is its own transaction), so a
`kill -9` loses at most the write in flight and a power cut loses nothing committed. Readers
(export, list) never block the writer. Tables (columns in docs/study.md):

    sessions        one row per participant session (state running|complete|interrupted)
    events          everything, in order: pipeline events, UI events, task marks, DRT, wizard
    turns           one row per finished turn, with every timing of the pipeline's trace
    tasks           one row per task started: outcome, duration, criterion, DRT summary
    questionnaires  one row per questionnaire answered: answers and scores
    drt             one row per DRT stimulus (onset, offset, RT, outcome) and per false alarm
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from app import paths

_log = logging.getLogger(__name__)

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, study TEXT NOT NULL, study_file TEXT, study_sha256 TEXT,
    participant TEXT NOT NULL, condition TEXT NOT NULL, wizard_mode TEXT, task_order TEXT NOT NULL,
    mode TEXT, state TEXT NOT NULL, started_unix REAL NOT NULL, ended_unix REAL,
    resumed INTEGER NOT NULL DEFAULT 0, pid INTEGER, host TEXT, app_version TEXT, machine TEXT,
    language TEXT
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, t_unix REAL NOT NULL,
    task_id TEXT, kind TEXT NOT NULL, data TEXT
);
CREATE INDEX IF NOT EXISTS events_session ON events (session_id, id);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, turn_index INTEGER NOT NULL,
    task_id TEXT, input TEXT, speech_start_unix REAL, end_of_speech_unix REAL, transcript_unix REAL,
    agent_decision_unix REAL, first_audio_unix REAL, end_of_audio_unix REAL,
    transcript TEXT, language TEXT, confidence REAL, caught INTEGER, tools TEXT, calls TEXT,
    reply TEXT, result_kind TEXT,
    stt_ms REAL, agent_ms REAL, tts_first_audio_ms REAL, end_of_speech_to_first_audio_ms REAL,
    stt_source TEXT, decided_by TEXT, errors TEXT, barge_in INTEGER, spoken TEXT,
    wizard_override INTEGER, wizard_action TEXT, audio_s REAL, voice_engine TEXT, marks_ms TEXT
);
CREATE TABLE IF NOT EXISTS tasks (
    session_id TEXT NOT NULL, task_id TEXT NOT NULL, position INTEGER NOT NULL, attempt INTEGER NOT NULL,
    started_unix REAL NOT NULL, ended_unix REAL, duration_s REAL, outcome TEXT, outcome_by TEXT,
    criterion_met INTEGER, criterion_met_unix REAL, time_limit_s REAL, turns INTEGER, note TEXT,
    PRIMARY KEY (session_id, task_id, attempt)
);
CREATE TABLE IF NOT EXISTS questionnaires (
    id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, task_id TEXT,
    instrument TEXT NOT NULL, t_unix REAL NOT NULL, language TEXT, answers TEXT NOT NULL,
    score REAL, scores TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS drt (
    id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, task_id TEXT, kind TEXT NOT NULL,
    stimulus INTEGER, onset_unix REAL, offset_unix REAL, response_unix REAL, rt_ms REAL, outcome TEXT
);
"""


def studies_dir() -> Path:
    path = paths.data_dir() / "studies"
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_path(study_name: str) -> Path:
    return studies_dir() / f"{study_name}.sqlite"


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(SCHEMA)
    conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return conn


def _j(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def session_state(row: sqlite3.Row | dict) -> str:
    """complete, interrupted (the process ended without finishing: crash, kill, quit) or running."""
    if row["state"] == "running" and not (row["host"] == os.uname().nodename and _pid_alive(row["pid"])):
        return "interrupted"
    return row["state"]


class StudyLog:
    """One session's writer. Thread-safe: the Qt thread, the wizard page and the pipeline write."""

    def __init__(self, conn: sqlite3.Connection, session_id: str):
        self.conn = conn
        self.session_id = session_id
        self._lock = threading.Lock()
        self.closed = False
        self.task_id: str | None = None  # the task running now; events are filed under it
        self.attempt = 0
        self.on_write = None  # optional callback(kind) after each committed event (progress output)

    # --- opening ---
    @classmethod
    def create(
        cls,
        study,
        participant: str,
        condition,
        order: list[str],
        mode: str,
        language: str = "en",
        path: Path | None = None,
    ) -> StudyLog:
        from app import __version__

        conn = connect(path or db_path(study.name))
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        sid = f"{study.name}-{participant}-{stamp}-{secrets.token_hex(2)}"
        conn.execute(
            "INSERT INTO sessions (id, study, study_file, study_sha256, participant, condition, wizard_mode,"
            " task_order, mode, state, started_unix, pid, host, app_version, machine, language)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                sid, study.name, str(study.path or ""), study.sha256, participant, condition.key,
                condition.wizard, _j(order), mode, "running", time.time(), os.getpid(),
                os.uname().nodename, __version__, _machine(), language,
            ),
        )  # fmt: skip
        log = cls(conn, sid)
        log.event("session_start", {"participant": participant, "condition": condition.key, "order": order})
        return log

    @classmethod
    def resume(cls, session_id: str) -> tuple[StudyLog, dict]:
        """Reopen an interrupted session (this process becomes its writer)."""
        path, row = find_session(session_id)
        if session_state(row) == "complete":
            raise ValueError(f"session {session_id} is complete; start a new one instead")
        if session_state(row) == "running":
            raise ValueError(f"session {session_id} is still running (process {row['pid']})")
        conn = connect(path)
        conn.execute(
            "UPDATE sessions SET state='running', pid=?, host=?, resumed=resumed+1 WHERE id=?",
            (os.getpid(), os.uname().nodename, session_id),
        )
        # The task the crash cut off stays in the table as `interrupted` and is run again.
        conn.execute(
            "UPDATE tasks SET outcome='interrupted', outcome_by='crash', ended_unix=?"
            " WHERE session_id=? AND ended_unix IS NULL",
            (time.time(), session_id),
        )
        log = cls(conn, session_id)
        log.event("session_resume", {"previous_pid": row["pid"]})
        return log, dict(row)

    # --- writing: each call is one committed transaction ---
    def _exec(self, sql: str, args: tuple) -> sqlite3.Cursor | None:
        with self._lock:
            if self.closed:  # a late pipeline event after the session was closed: nothing to file it in
                _log.warning("study log %s is closed; dropped: %s", self.session_id, sql.split("(")[0])
                return None
            return self.conn.execute(sql, args)

    def event(
        self, kind: str, data: dict | None = None, task_id: str | None = None, t: float | None = None
    ) -> None:
        self._exec(
            "INSERT INTO events (session_id, t_unix, task_id, kind, data) VALUES (?,?,?,?,?)",
            (self.session_id, t or time.time(), task_id or self.task_id, kind, _j(data or {})),
        )
        if self.on_write:
            self.on_write(kind)

    def turn(self, row: dict[str, Any]) -> None:
        row = {**row, "session_id": self.session_id}
        for k in ("calls", "tools", "errors", "marks_ms"):
            if k in row and not isinstance(row[k], str):
                row[k] = _j(row[k])
        cols = ", ".join(row)
        self._exec(f"INSERT INTO turns ({cols}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
        if self.on_write:
            self.on_write("turn")

    def task_start(self, task_id: str, position: int, time_limit_s: float) -> int:
        with self._lock:
            attempt = self.conn.execute(
                "SELECT COUNT(*) FROM tasks WHERE session_id=? AND task_id=?", (self.session_id, task_id)
            ).fetchone()[0]
            self.conn.execute(
                "INSERT INTO tasks (session_id, task_id, position, attempt, started_unix, time_limit_s)"
                " VALUES (?,?,?,?,?,?)",
                (self.session_id, task_id, position, attempt, time.time(), time_limit_s),
            )
        self.task_id, self.attempt = task_id, attempt
        self.event("task_start", {"position": position, "attempt": attempt})
        return attempt

    def criterion_met(self, task_id: str, detail: dict) -> None:
        self._exec(
            "UPDATE tasks SET criterion_met=1, criterion_met_unix=? WHERE session_id=? AND task_id=?"
            " AND attempt=?",
            (time.time(), self.session_id, task_id, self.attempt),
        )
        self.event("criterion_met", detail, task_id=task_id)

    def task_end(
        self, task_id: str, outcome: str, by: str, criterion_met: bool | None, turns: int, note: str = ""
    ) -> None:
        now = time.time()
        self._exec(
            "UPDATE tasks SET ended_unix=?, duration_s=round(? - started_unix, 3), outcome=?, outcome_by=?,"
            " criterion_met=COALESCE(criterion_met, ?), turns=?, note=? WHERE session_id=? AND task_id=?"
            " AND attempt=?",
            (now, now, outcome, by, None if criterion_met is None else int(criterion_met), turns, note,
             self.session_id, task_id, self.attempt),
        )  # fmt: skip
        self.event(
            "task_end", {"outcome": outcome, "by": by, "criterion_met": criterion_met}, task_id=task_id
        )
        self.task_id = None

    def questionnaire(
        self, instrument: str, answers: Any, scores: dict, task_id: str | None = None, language: str = ""
    ) -> None:
        self._exec(
            "INSERT INTO questionnaires (session_id, task_id, instrument, t_unix, language, answers, score, scores)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (
                self.session_id,
                task_id,
                instrument,
                time.time(),
                language,
                _j(answers),
                scores.get("score"),
                _j(scores),
            ),
        )
        self.event("questionnaire", {"instrument": instrument, "score": scores.get("score")}, task_id=task_id)

    def drt(self, ev: dict, to_unix) -> None:
        """One DRT event (from app.study.drt), with its clock times converted to Unix time."""
        kind, task = ev["kind"], ev.get("task_id", self.task_id)
        if kind == "drt_on":
            self._exec(
                "INSERT INTO drt (session_id, task_id, kind, stimulus, onset_unix) VALUES (?,?,?,?,?)",
                (self.session_id, task, "stimulus", ev["index"], to_unix(ev["t"])),
            )
        elif kind == "drt_off":
            self._exec(
                "UPDATE drt SET offset_unix=? WHERE session_id=? AND kind='stimulus' AND stimulus=?",
                (to_unix(ev["t"]), self.session_id, ev["index"]),
            )
        elif kind in ("drt_hit", "drt_miss"):
            self._exec(
                "UPDATE drt SET outcome=?, rt_ms=?, response_unix=? WHERE session_id=? AND kind='stimulus' AND stimulus=?",
                ("hit" if kind == "drt_hit" else "miss", ev.get("rt_ms"),
                 to_unix(ev["t"]) if kind == "drt_hit" else None, self.session_id, ev["index"]),
            )  # fmt: skip
        elif kind in ("drt_false_alarm", "drt_premature"):
            self._exec(
                "INSERT INTO drt (session_id, task_id, kind, stimulus, response_unix, rt_ms, outcome) VALUES (?,?,?,?,?,?,?)",
                (
                    self.session_id,
                    task,
                    kind[4:],
                    ev.get("index"),
                    to_unix(ev["t"]),
                    ev.get("rt_ms"),
                    kind[4:],
                ),
            )
        data = {k: v for k, v in ev.items() if k not in ("kind", "t", "task_id")}
        self.event(kind, data, task_id=task, t=to_unix(ev["t"]) if "t" in ev else None)

    def finish(self, state: str = "complete") -> None:
        self.event("session_end", {"state": state})
        self._exec(
            "UPDATE sessions SET state=?, ended_unix=? WHERE id=?", (state, time.time(), self.session_id)
        )

    def close(self) -> None:
        with self._lock:
            self.closed = True
            self.conn.close()


def _machine() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine()


# --- reading ------------------------------------------------------------------------------------


def databases() -> list[Path]:
    return sorted(studies_dir().glob("*.sqlite"))


def all_sessions() -> list[dict]:
    """Every session of every study, oldest first (newest last), with its state."""
    out = []
    for path in databases():
        conn = connect(path)
        try:
            for row in conn.execute("SELECT * FROM sessions"):
                d = dict(row)
                d["state"] = session_state(row)
                d["task_order"] = json.loads(d["task_order"])
                for table in ("turns", "tasks"):
                    d[table] = conn.execute(
                        f"SELECT COUNT(*) FROM {table} WHERE session_id=?", (row["id"],)
                    ).fetchone()[0]
                d["database"] = str(path)
                out.append(d)
        finally:
            conn.close()
    return sorted(out, key=lambda d: d["started_unix"])


def find_session(session_id: str) -> tuple[Path, sqlite3.Row]:
    for path in databases():
        conn = connect(path)
        try:
            row = conn.execute("SELECT * FROM sessions WHERE id=?", (session_id,)).fetchone()
        finally:
            conn.close()
        if row is not None:
            return path, row
    raise LookupError(f"no session {session_id!r} in {studies_dir()} (python -m app.study list shows them)")

"""Export: the turn, task, questionnaire and DRT tables of one session or a whole study.

Column lists are the contract (documented one by one in docs/study.md); add columns at the end,
never rename. CSV cells hold JSON for lists and objects; times are Unix seconds (UTC) and the
`*_ms` columns milliseconds.
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Any

from app.study import log as studylog
from app.study.drt import drt_stats

SESSION_COLS = ["session_id", "study", "participant", "condition"]
TURN_COLS = SESSION_COLS + [
    "turn_index", "task_id", "input", "time_utc",
    "speech_start_unix", "end_of_speech_unix", "transcript_unix", "agent_decision_unix",
    "first_audio_unix", "end_of_audio_unix",
    "stt_ms", "agent_ms", "tts_first_audio_ms", "end_of_speech_to_first_audio_ms",
    "transcript", "language", "confidence", "caught", "tools", "calls", "reply", "result_kind",
    "stt_source", "decided_by", "errors", "barge_in", "spoken", "wizard_override", "wizard_action",
    "audio_s", "voice_engine",
]  # fmt: skip
TASK_COLS = SESSION_COLS + [
    "position", "task_id", "attempt", "started_unix", "ended_unix", "duration_s", "time_limit_s",
    "outcome", "outcome_by", "criterion_met", "criterion_met_unix", "turns", "note",
    "drt_stimuli", "drt_hits", "drt_misses", "drt_false_alarms", "drt_hit_rate", "drt_mean_rt_ms",
]  # fmt: skip
QUESTIONNAIRE_COLS = SESSION_COLS + [
    "instrument", "task_id", "t_unix", "language", "score", "raw", "weighted",
    "sra", "lik", "cd", "an", "hab", "sp", "answers", "scores",
]  # fmt: skip
DRT_COLS = SESSION_COLS + [
    "task_id", "kind", "stimulus", "onset_unix", "offset_unix", "response_unix", "rt_ms", "outcome",
]  # fmt: skip
TABLES = {"turns": TURN_COLS, "tasks": TASK_COLS, "questionnaires": QUESTIONNAIRE_COLS, "drt": DRT_COLS}


def _sessions(session_id: str | None, study: str | None) -> list[dict]:
    sessions = studylog.all_sessions()
    if session_id:
        sessions = [s for s in sessions if s["id"] == session_id]
        if not sessions:
            raise LookupError(f"no session {session_id!r} (python -m app.study list shows them)")
    elif study:
        sessions = [s for s in sessions if s["study"] == study]
        if not sessions:
            raise LookupError(f"no sessions of study {study!r}")
    return sessions


def tables(session_id: str | None = None, study: str | None = None) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    out["sessions"] = []
    for s in _sessions(session_id, study):
        head = {
            "session_id": s["id"],
            "study": s["study"],
            "participant": s["participant"],
            "condition": s["condition"],
        }
        out["sessions"].append(s)
        conn = studylog.connect(Path(s["database"]))
        try:

            def q(sql, conn=conn, sid=s["id"]):
                return [dict(r) for r in conn.execute(sql, (sid,))]

            for r in q("SELECT * FROM turns WHERE session_id=? ORDER BY turn_index, id"):
                t = r.get("end_of_speech_unix")
                r["time_utc"] = (
                    time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1000):03d}Z"
                    if t
                    else None
                )
                out["turns"].append({**head, **{k: _decode(r.get(k)) for k in TURN_COLS if k not in head}})
            drt_rows = q("SELECT * FROM drt WHERE session_id=? ORDER BY id")
            for r in q("SELECT * FROM tasks WHERE session_id=? ORDER BY started_unix"):
                mine = [d for d in drt_rows if d["task_id"] == r["task_id"]]
                st = drt_stats([d for d in mine if d["kind"] == "stimulus"],
                               [{"kind": "drt_" + d["kind"]} for d in mine if d["kind"] != "stimulus"])  # fmt: skip
                r.update(drt_stimuli=st.stimuli, drt_hits=st.hits, drt_misses=st.misses,
                         drt_false_alarms=st.false_alarms + st.premature, drt_hit_rate=st.hit_rate,
                         drt_mean_rt_ms=st.mean_rt_ms)  # fmt: skip
                out["tasks"].append({**head, **{k: r.get(k) for k in TASK_COLS if k not in head}})
            for r in q("SELECT * FROM questionnaires WHERE session_id=? ORDER BY id"):
                scores = json.loads(r["scores"])
                flat = {
                    "raw": scores.get("raw"),
                    "weighted": scores.get("weighted"),
                    **(scores.get("factors") or {}),
                }
                row = {**r, **flat, "answers": json.loads(r["answers"]), "scores": scores}
                out["questionnaires"].append(
                    {**head, **{k: row.get(k) for k in QUESTIONNAIRE_COLS if k not in head}}
                )
            for r in drt_rows:
                out["drt"].append({**head, **{k: r.get(k) for k in DRT_COLS if k not in head}})
        finally:
            conn.close()
    return out


def _decode(v: Any) -> Any:
    if isinstance(v, str) and v[:1] in "[{":
        try:
            return json.loads(v)
        except ValueError:
            return v
    return v


def to_csv(rows: list[dict], cols: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(
            {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in r.items()}
        )
    return buf.getvalue()


def write_csvs(data: dict, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, cols in TABLES.items():
        path = out_dir / f"{name}.csv"
        path.write_text(to_csv(data[name], cols), encoding="utf-8")
        written.append(path)
    return written

"""A study as data: the YAML in assets/studies/ (see docs/study.md for every field).

`load_study(path)` checks the file and returns a `Study`; every problem is reported with the
task and field it is in, so a researcher fixes the file instead of debugging a half-run session.
`task_order(study, participant)` gives the counterbalanced order (balanced Latin square).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.study.questionnaires import INSTRUMENTS

WIZARD_MODES = ("off", "supervised", "full")
CRITERION_KINDS = ("call", "route_to", "cabin", "any", "all")
# ISO 17488 values; a study may change them (a pilot, a test) and the log records what was used.
# `key`: the response key in the app (a USB response button usually sends one key; Space is talk).
DRT_DEFAULTS = {"enabled": False, "isi_s": [3.0, 5.0], "on_s": 1.0, "hit_window_ms": [100, 2500], "key": "F2"}


class StudyError(ValueError):
    pass


@dataclass
class Condition:
    key: str
    name_en: str
    name_zh: str
    # off: the agent answers; supervised: the wizard sees each answer first and may replace it
    # (it goes through by itself after wizard_timeout_s); full: nothing is answered automatically.
    wizard: str = "off"
    wizard_timeout_s: float = 8.0


@dataclass
class Task:
    id: str
    title_en: str
    title_zh: str
    instruction_en: str
    instruction_zh: str
    time_limit_s: float
    start: dict[str, Any] = field(default_factory=dict)
    success: dict[str, Any] | None = None
    language: str = "any"

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Study:
    name: str
    title_en: str
    title_zh: str
    conditions: list[Condition]
    tasks: list[Task]
    after_each_task: list[str]
    at_end: list[str]
    tlx_weighted: bool
    drt: dict[str, Any]
    counterbalance: str
    path: Path | None = None
    sha256: str = ""

    def condition(self, key: str | None) -> Condition:
        if key is None:
            return self.conditions[0]
        for c in self.conditions:
            if c.key == key:
                return c
        raise StudyError(
            f"study {self.name!r} has no condition {key!r}; it has {[c.key for c in self.conditions]}"
        )

    def task(self, task_id: str) -> Task:
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise StudyError(f"study {self.name!r} has no task {task_id!r}")


def _text(d: dict, key: str, where: str) -> str:
    v = d.get(key)
    if not isinstance(v, str) or not v.strip():
        raise StudyError(f"{where}: '{key}' is required (a non-empty text)")
    return v.strip()


def _check_criterion(c: Any, where: str) -> None:
    if not isinstance(c, dict) or len(c) != 1 or next(iter(c)) not in CRITERION_KINDS:
        raise StudyError(f"{where}: a success criterion is one of {CRITERION_KINDS} (one key), got {c!r}")
    kind, value = next(iter(c.items()))
    if kind in ("any", "all"):
        if not isinstance(value, list) or not value:
            raise StudyError(f"{where}: '{kind}' needs a list of criteria")
        for i, sub in enumerate(value):
            _check_criterion(sub, f"{where}.{kind}[{i}]")
    elif kind == "call" and not (isinstance(value, dict) and ({"tool", "domain"} & set(value))):
        raise StudyError(f"{where}: 'call' needs a tool or a domain (and optional args)")
    elif kind == "route_to" and not isinstance(value, str):
        raise StudyError(f"{where}: 'route_to' is a place name (alternatives separated by |)")
    elif kind == "cabin" and not isinstance(value, dict):
        raise StudyError(f"{where}: 'cabin' maps control paths to values")


def parse_study(doc: Any, path: Path | None = None, raw: bytes = b"") -> Study:
    if not isinstance(doc, dict):
        raise StudyError("a study file is a YAML mapping with at least 'study' and 'tasks'")
    name = _text(doc, "study", "study")
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise StudyError(f"study name {name!r}: use letters, digits, - and _ (it names the database file)")
    conditions = []
    for i, c in enumerate(
        doc.get("conditions") or [{"key": "agent", "name_en": "Assistant", "name_zh": "助手"}]
    ):
        where = f"conditions[{i}]"
        cond = Condition(
            key=_text(c, "key", where),
            name_en=c.get("name_en", c["key"]),
            name_zh=c.get("name_zh", c["key"]),
            # YAML reads a bare `off` as false: accept it as the word the researcher meant.
            wizard="off" if c.get("wizard", "off") is False else c.get("wizard", "off"),
            wizard_timeout_s=float(c.get("wizard_timeout_s", 8.0)),
        )
        if cond.wizard not in WIZARD_MODES:
            raise StudyError(f"{where}: wizard must be one of {WIZARD_MODES}, not {cond.wizard!r}")
        conditions.append(cond)
    tasks, seen = [], set()
    for i, t in enumerate(doc.get("tasks") or []):
        where = f"tasks[{i}]"
        tid = _text(t, "id", where)
        where = f"task {tid!r}"
        if tid in seen:
            raise StudyError(f"{where}: the id is used twice")
        seen.add(tid)
        limit = t.get("time_limit_s")
        if not isinstance(limit, (int, float)) or limit <= 0:
            raise StudyError(f"{where}: time_limit_s must be a positive number of seconds")
        if t.get("success") is not None:
            _check_criterion(t["success"], f"{where}.success")
        start = t.get("start") or {}
        if not isinstance(start, dict) or set(start) - {"from", "to", "cabin"}:
            raise StudyError(f"{where}.start: only 'from', 'to' and 'cabin' are known, got {start!r}")
        tasks.append(
            Task(
                id=tid,
                title_en=_text(t, "title_en", where),
                title_zh=_text(t, "title_zh", where),
                instruction_en=_text(t, "instruction_en", where),
                instruction_zh=_text(t, "instruction_zh", where),
                time_limit_s=float(limit),
                start=start,
                success=t.get("success"),
                language=t.get("language", "any"),
            )
        )
    if not tasks:
        raise StudyError("the study has no tasks")
    q = doc.get("questionnaires") or {}
    after, end = list(q.get("after_each_task") or []), list(q.get("at_end") or [])
    for inst in after + end:
        if inst not in INSTRUMENTS:
            raise StudyError(f"questionnaires: unknown {inst!r}; known: {', '.join(INSTRUMENTS)}")
    drt = {**DRT_DEFAULTS, **(doc.get("drt") or {})}
    lo, hi = drt["isi_s"]
    if not 0 < lo <= hi or drt["on_s"] <= 0 or drt["hit_window_ms"][1] / 1000 > lo:
        raise StudyError(
            "drt: need 0 < isi_s[0] <= isi_s[1], on_s > 0 and the hit window shorter than isi_s[0]"
        )
    counter = doc.get("counterbalance", "latin_square")
    if counter not in ("latin_square", "fixed"):
        raise StudyError("counterbalance is latin_square or fixed")
    return Study(
        name=name,
        title_en=doc.get("title_en", name),
        title_zh=doc.get("title_zh", name),
        conditions=conditions,
        tasks=tasks,
        after_each_task=after,
        at_end=end,
        tlx_weighted=bool(q.get("tlx_weighted", True)),
        drt=drt,
        counterbalance=counter,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest() if raw else "",
    )


def load_study(path: str | Path) -> Study:
    path = Path(path)
    if not path.is_file():
        raise StudyError(f"{path}: no such study file")
    raw = path.read_bytes()
    try:
        doc = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise StudyError(f"{path}: not valid YAML: {exc}") from None
    try:
        return parse_study(doc, path.resolve(), raw)
    except StudyError as exc:
        raise StudyError(f"{path}: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise StudyError(f"{path}: malformed field ({exc})") from None


# --- counterbalancing -------------------------------------------------------------------------


def participant_number(participant: str) -> int:
    m = re.search(r"(\d+)", participant)
    if not m:
        raise StudyError(
            f"participant {participant!r} needs a number (e.g. P07) for the counterbalanced order"
        )
    return int(m.group(1))


def latin_square(n: int) -> list[list[int]]:
    """A balanced (Williams) Latin square: every task is in every position equally often and
    follows every other task equally often. n rows for even n, 2n rows for odd n."""
    first, lo, hi = [0], 1, n - 1
    while len(first) < n:
        first.append(lo)
        lo += 1
        if len(first) < n:
            first.append(hi)
            hi -= 1
    rows = [[(x + r) % n for x in first] for r in range(n)]
    if n % 2:
        rows += [list(reversed(row)) for row in rows]
    return rows


def task_order(study: Study, participant: str) -> list[str]:
    ids = [t.id for t in study.tasks]
    if study.counterbalance == "fixed":
        return ids
    rows = latin_square(len(ids))
    row = rows[(participant_number(participant) - 1) % len(rows)]
    return [ids[i] for i in row]

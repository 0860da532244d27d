"""Demo scenarios as data: YAML files in assets/scenarios/, one per scenario, both languages inside.

A scenario is a start state (position, route, battery, cabin, language) and timed steps. A step is
one of: `say` (the visitor's words, synthesised with a local voice, or a recorded `wav`), `touch`
(a card on the screen), `event` (a simulated event: red_light, battery_low, arrive) or `wait`.
A spoken step carries `expect`: the calls the agent must make (domain, key arguments) and,
optionally, the cabin state after it. Texts and expected values may be given per language
(`{en: ..., zh: ...}`); `resolve(lang)` picks one language's concrete steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app import paths

SCENARIO_DIR = paths.ASSETS / "scenarios"
LANGS = ("en", "zh")
STEP_KINDS = ("say", "touch", "event", "wait")
EVENTS = ("red_light", "battery_low", "arrive")


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file and the field."""


@dataclass
class Step:
    kind: str  # say | touch | event | wait
    text: str | None = None  # say: what the visitor says
    wav: str | None = None  # say: a recorded request instead of synthesis
    target: str | None = None  # touch: "card"
    index: int = 0  # touch: which card
    event: str | None = None  # event: red_light | battery_low | arrive
    value: Any = None  # event argument (battery_low: percent)
    seconds: float = 0.0  # wait; and the pause after any step when played live
    expect: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        """The step as the JSON line and the subtitle show it."""
        if self.kind == "say":
            return {"say": self.text or self.wav}
        if self.kind == "touch":
            return {"touch": self.target, "index": self.index}
        if self.kind == "event":
            return {"event": self.event, "value": self.value}
        return {"wait": self.seconds}


@dataclass
class Start:
    position: str = "People's Square"
    destination: str | None = None
    battery_pct: float | None = 80.0  # the world car's own start; a reset restores it
    cabin: dict[str, Any] = field(default_factory=dict)
    language: str = "en"
    # Shanghai time of day at which the world starts (HH:MM): signals, traffic and car-park
    # occupancy follow the world's clock, so every run of a scenario meets the same lights. At the
    # wall time, 1 run of the green-wave scenario in 16 drove 900 s without a red worth asking about.
    time: str = "10:30"


@dataclass
class Scenario:
    name: str
    title: dict[str, str]
    start: Start
    steps: list[Step]
    languages: tuple[str, ...] = LANGS
    needs: tuple[str, ...] = ()  # capabilities beyond today's agent: "cabin", "calls"
    source: Path | None = None

    def listing(self) -> list[dict[str, str]]:
        return [{"name": self.name, "lang": lang, "title": self.title[lang]} for lang in self.languages]


def _pick(value: Any, lang: str) -> Any:
    """`{en: a, zh: b}` -> the one for lang; lists and dicts are resolved all the way down."""
    if isinstance(value, dict):
        if value and set(value) <= set(LANGS):
            return _pick(value.get(lang), lang)
        return {k: _pick(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [_pick(v, lang) for v in value]
    return value


def _step(raw: Any, lang: str, where: str) -> Step:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: a step must be a mapping, got {raw!r}")
    kinds = [k for k in STEP_KINDS if k in raw]
    if len(kinds) != 1:
        raise ScenarioError(f"{where}: a step needs exactly one of {', '.join(STEP_KINDS)}")
    kind = kinds[0]
    raw = _pick(raw, lang)
    pause = float(raw.get("pause", 0.0))
    if kind == "say":
        text, wav = raw.get("say"), raw.get("wav")
        if not text and not wav:
            raise ScenarioError(f"{where}: 'say' has no text for {lang}")
        expect = raw.get("expect") or {}
        if not expect.get("calls"):
            raise ScenarioError(f"{where}: a spoken step needs expect.calls")
        return Step("say", text=text, wav=wav, seconds=pause, expect=expect)
    if kind == "touch":
        return Step(
            "touch",
            target=str(raw["touch"]),
            index=int(raw.get("index", 0)),
            seconds=pause,
            expect=raw.get("expect") or {},
        )
    if kind == "event":
        if raw["event"] not in EVENTS:
            raise ScenarioError(f"{where}: unknown event {raw['event']!r} (known: {', '.join(EVENTS)})")
        return Step(
            "event", event=raw["event"], value=raw.get("value"), seconds=pause, expect=raw.get("expect") or {}
        )
    return Step("wait", seconds=float(raw["wait"]))


def parse(doc: dict[str, Any], lang: str, source: Path | None = None) -> Scenario:
    where = str(source or doc.get("name", "scenario"))
    for key in ("name", "title", "steps"):
        if key not in doc:
            raise ScenarioError(f"{where}: missing '{key}'")
    languages = tuple(doc.get("languages", LANGS))
    if lang not in languages:
        raise ScenarioError(f"{where}: no {lang!r} version (has {', '.join(languages)})")
    title = doc["title"] if isinstance(doc["title"], dict) else {x: doc["title"] for x in LANGS}
    start_raw = _pick(doc.get("start") or {}, lang)
    start = Start(
        position=start_raw.get("position", Start.position),
        destination=start_raw.get("destination"),
        battery_pct=start_raw.get("battery_pct", Start.battery_pct),
        cabin=dict(start_raw.get("cabin") or {}),
        language=lang,
        time=str(start_raw.get("time", Start.time)),
    )
    if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", start.time):
        raise ScenarioError(f"{where}: start time {start.time!r} is not HH:MM")
    steps = [_step(s, lang, f"{where}: step {i + 1}") for i, s in enumerate(doc["steps"])]
    return Scenario(doc["name"], title, start, steps, languages, tuple(doc.get("needs", ())), source)


def _read(path: Path) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise ScenarioError(f"{path}: expected a mapping at the top")
    return doc


def files(directory: Path = SCENARIO_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def load(name: str, lang: str, directory: Path = SCENARIO_DIR) -> Scenario:
    for path in files(directory):
        doc = _read(path)
        if doc.get("name") == name or path.stem == name:
            return parse(doc, lang, path)
    known = ", ".join(names(directory))
    raise ScenarioError(f"no scenario named {name!r} (known: {known})")


def names(directory: Path = SCENARIO_DIR) -> list[str]:
    return [_read(p).get("name", p.stem) for p in files(directory)]


def listing(directory: Path = SCENARIO_DIR) -> list[dict[str, str]]:
    """[{name, lang, title}] for every scenario and language: `--list-scenarios --json`."""
    out = []
    for path in files(directory):
        doc = _read(path)
        out += parse(doc, LANGS[0] if LANGS[0] in doc.get("languages", LANGS) else "zh", path).listing()
    return out


def playlist(lang: str | None = None, directory: Path = SCENARIO_DIR) -> list[tuple[str, str]]:
    """(name, lang) in the order the attract loop and `--scenario all` play them.

    Without a language the loop alternates: scenario 1 in English, 2 in Mandarin, 3 in English…,
    and the next round starts with the other language, so every scenario is heard in both.
    """
    all_names = names(directory)
    if lang:
        return [(n, lang) for n in all_names]
    first = [(n, LANGS[i % 2]) for i, n in enumerate(all_names)]
    second = [(n, LANGS[(i + 1) % 2]) for i, n in enumerate(all_names)]
    return first + second

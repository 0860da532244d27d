"""The cabin's controls as data: one declaration (assets/vehicle/controls.json) for every control.

Validation, clamping, the bilingual reply messages, the agent's ranges and synonyms and the table in
docs/vehicle.md all come from here, so adding a control is one entry in the JSON file, not code.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from app.paths import ASSETS

SPEC_FILE = ASSETS / "vehicle" / "controls.json"


class InvalidValue(ValueError):
    """A value that cannot be read for a control ("hot" for a temperature)."""


def norm(text: str) -> str:
    """The form words are compared in: NFKC, case-folded, no spaces or punctuation at the ends."""
    return unicodedata.normalize("NFKC", str(text)).casefold().strip(" \t\n.,!?;:'\"。，！？；：、")


_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def zh_number(text: str) -> float | None:
    """二十三 -> 23, 二十二点五 -> 22.5, 百 -> 100, 半 -> .5 (what a Mandarin speaker says aloud)."""
    whole, _, frac = text.partition("点")
    if whole.endswith("半"):
        whole, frac = whole[:-1], "五"
    total, current = 0, 0
    if not whole:
        return None
    for ch in whole:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    value = float(total + current)
    if frac:
        digits = [_ZH_DIGITS.get(ch) for ch in frac]
        if None in digits:
            return None
        value += float("0." + "".join(str(d) for d in digits))
    return value


def parse_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = norm(value)
    for unit in (
        "°c",
        "℃",
        "°",
        "degrees",
        "degree",
        "摄氏度",
        "度",
        "%",
        "percent",
        "档",
        "级",
        "号位",
        "号",
    ):
        text = text.removesuffix(unit).strip()
    try:
        return float(text)
    except ValueError:
        return zh_number(text)


def fmt_num(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


@dataclass(frozen=True)
class Control:
    path: str
    type: str  # number | bool | enum
    label_en: str
    label_zh: str
    synonyms_en: tuple[str, ...] = ()
    synonyms_zh: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    step: float | None = None
    unit_en: str = ""
    unit_zh: str = ""
    nudge: float | None = None  # the step of "a bit warmer" / "turn it up"
    on_value: float | None = None  # what "on"/"open" means for a number (window 100 %, seat heat 2)
    zero_means_off: bool = False
    format_en: str | None = None
    format_zh: str | None = None
    on_en: str = "on"
    on_zh: str = "已打开"
    off_en: str = "off"
    off_zh: str = "已关闭"
    choices: tuple[str, ...] = ()
    choice_labels: dict[str, dict] = field(default_factory=dict)
    simulated: bool = False
    # A group control ("climate.temperature", "windows.all") sets each member path the same way.
    members: tuple[str, ...] = ()
    # Other controls this one needs ({"climate.power": true}: setting 23 °C turns the climate on).
    implies: dict[str, Any] = field(default_factory=dict)

    @property
    def integer(self) -> bool:
        return self.type == "number" and float(self.step or 1).is_integer()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "path": self.path,
            "type": self.type,
            "label_en": self.label_en,
            "label_zh": self.label_zh,
            "synonyms_en": list(self.synonyms_en),
            "synonyms_zh": list(self.synonyms_zh),
            "min": self.min,
            "max": self.max,
            "step": self.step,
            "unit": self.unit_en or None,
            "unit_en": self.unit_en,
            "unit_zh": self.unit_zh,
            "nudge": self.nudge,
            "on_value": self.on_value,
            "choices": list(self.choices) or None,
            "choice_labels": self.choice_labels or None,
            "simulated": self.simulated,
            "members": list(self.members) or None,
            "implies": self.implies or None,
        }
        return d

    # --- reading a value ------------------------------------------------------------------------------
    def coerce(self, value: Any, words: dict[str, set[str]]) -> tuple[Any, str | None]:
        """(the value to store, "max"/"min" if it was clamped). Raises InvalidValue."""
        if self.type == "bool":
            return self._bool(value, words), None
        if self.type == "enum":
            return self._enum(value), None
        return self._number(value, words)

    def _bool(self, value: Any, words: dict[str, set[str]]) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        key = norm(value)
        if key in words["true"] or key in (norm(self.on_en), norm(self.on_zh).removeprefix("已")):
            return True
        if key in words["false"] or key in (norm(self.off_en), norm(self.off_zh).removeprefix("已")):
            return False
        raise InvalidValue(value)

    def _enum(self, value: Any) -> str:
        key = norm(value)
        for choice in self.choices:
            labels = self.choice_labels.get(choice, {})
            names = [choice, labels.get("en", ""), labels.get("zh", "")]
            names += labels.get("synonyms_en", []) + labels.get("synonyms_zh", [])
            if key in {norm(n) for n in names if n}:
                return choice
        raise InvalidValue(value)

    def _number(self, value: Any, words: dict[str, set[str]]) -> tuple[float, str | None]:
        assert self.min is not None and self.max is not None
        key = norm(value) if isinstance(value, str) else None
        if key in words["max"]:
            n = self.max
        elif key in words["min"]:
            n = self.min
        elif key in words.get("half", ()):
            n = (self.min + self.max) / 2
        elif key in words.get("crack", ()):  # "留条缝": a window open a tenth
            n = self.min + (self.max - self.min) / 10
        elif value is True or key in words["true"]:
            n = self.on_value if self.on_value is not None else self.max
        elif value is False or key in words["false"]:
            n = self.min
        else:
            parsed = parse_number(value)
            if parsed is None or parsed != parsed:  # NaN
                raise InvalidValue(value)
            n = parsed
        clamped = None
        if n > self.max:
            n, clamped = self.max, "max"
        elif n < self.min:
            n, clamped = self.min, "min"
        step = self.step or 1
        n = self.min + round((n - self.min) / step) * step
        n = min(max(n, self.min), self.max)
        return (int(round(n)) if self.integer else round(n, 3)), clamped

    def expected(self) -> tuple[str, str]:
        """What a valid value looks like, for the "not a valid value" message."""
        if self.type == "bool":
            return "on or off", "打开或关闭"
        if self.type == "enum":
            en = ", ".join(self.choice_labels.get(c, {}).get("en", c) for c in self.choices)
            zh = "、".join(self.choice_labels.get(c, {}).get("zh", c) for c in self.choices)
            return f"one of {en}", f"可选：{zh}"
        lo, hi = self.show(self.min, "en"), self.show(self.max, "en")
        return f"{lo} to {hi}", f"{self.show(self.min, 'zh')}到{self.show(self.max, 'zh')}"

    # --- saying a value -------------------------------------------------------------------------------
    def show(self, value: Any, lang: str) -> str:
        """A value as said in a reply: '22.5 °C', '22.5度', 'level 2', 'eco mode', 'on'."""
        if self.type == "bool":
            if lang == "en":
                return self.on_en if value else self.off_en
            return (self.on_zh if value else self.off_zh).removeprefix("已")
        if self.type == "enum":
            return self.choice_labels.get(value, {}).get(lang, str(value))
        n = fmt_num(value)
        if lang == "en":
            if self.format_en:
                return self.format_en.format(n=n)
            return f"{n} {self.unit_en}" if self.unit_en else n
        if self.format_zh:
            return self.format_zh.format(n=n)
        return f"{n}{self.unit_zh}"


@dataclass(frozen=True)
class Spec:
    controls: dict[str, Control]
    messages: dict[str, dict[str, str]]
    words: dict[str, set[str]]
    feelings: dict[str, dict]
    actions: dict[str, dict]

    def message(self, key: str, **fields: Any) -> tuple[str, str]:
        t = self.messages[key]
        return t["en"].format(**fields), t["zh"].format(**fields)

    def find_controls(self, text: str) -> list[str]:
        """Control paths named in the text, best first: an exact name, then the longest name inside it.

        Names are each control's labels and synonyms; a choice's name ("high beam", "蓝色", "eco")
        also points to its control, a little weaker, unless it is a generic word (on, off, auto…)
        or names choices of several controls. "座椅加热" -> the four seats' heating (driver first).
        The agent may use this instead of keeping its own copy of the synonyms.
        """
        q = norm(text)
        scored: dict[str, float] = {}
        for path, k, weight in self._names():
            hit = k == q or (f" {k} " in f" {q} " if k.isascii() else len(k) >= 2 and k in q)
            if hit:
                score = len(k) + weight + (1000 if k == q else 0)
                scored[path] = max(scored.get(path, 0.0), score)
        order = list(self.controls)
        return sorted(scored, key=lambda p: (-scored[p], order.index(p)))

    def _names(self) -> list[tuple[str, str, float]]:
        if "_names_cache" in self.__dict__:
            return self.__dict__["_names_cache"]
        generic = set().union(*self.words.values())
        names: list[tuple[str, str, float]] = []
        choice_owners: dict[str, set[str]] = {}
        for c in self.controls.values():
            for name in (c.label_en, c.label_zh, *c.synonyms_en, *c.synonyms_zh):
                if norm(name):
                    names.append((c.path, norm(name), 0.0))
            for labels in c.choice_labels.values():
                for name in (
                    labels.get("en", ""),
                    labels.get("zh", ""),
                    *labels.get("synonyms_en", []),
                    *labels.get("synonyms_zh", []),
                ):
                    if norm(name) and norm(name) not in generic:
                        choice_owners.setdefault(norm(name), set()).add(c.path)
        for name, owners in choice_owners.items():
            if len(owners) == 1:
                names.append((next(iter(owners)), name, -0.5))
        self.__dict__["_names_cache"] = names  # frozen dataclass: cached by hand
        return names

    def find_feeling(self, text: str) -> str | None:
        """A feeling by name or synonym, or the longest synonym contained in the text ("副驾那边太冷了")."""
        key = norm(text)
        best, best_len = None, 0
        for name, f in self.feelings.items():
            names = {
                norm(n)
                for n in [name, f.get("en", ""), f.get("zh", ""), *f["synonyms_en"], *f["synonyms_zh"]]
                if n
            }
            if key in names:
                return name
            for n in names:
                hit = f" {n} " in f" {key} " if n.isascii() else len(n) >= 2 and n in key
                if hit and len(n) > best_len:
                    best, best_len = name, len(n)
        return best

    def direction(self, value: Any) -> int | None:
        """+1 for "up"/"调高", -1 for "down"/"调低" (a relative change given as a word)."""
        key = norm(value)
        if key in self.words["up"]:
            return 1
        if key in self.words["down"]:
            return -1
        return None


@lru_cache(maxsize=1)
def load_spec() -> Spec:
    raw = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    controls = {}
    for c in raw["controls"]:
        c = dict(c)
        for k in ("synonyms_en", "synonyms_zh", "choices", "members"):
            c[k] = tuple(c.get(k, ()))
        controls[c["path"]] = Control(**c)
    words = {k: {norm(w) for w in v} for k, v in raw["words"].items()}
    actions = {a["name"]: a for a in raw["actions"]}
    return Spec(controls, raw["messages"], words, raw["feelings"], actions)

"""Conversation state: what the last turns showed, so "the second one", "navigate there",
"换一个" and "find parking there" mean something, plus a pending confirmation question and the
last car control changed ("再大一点").

References are resolved here, in code, against the items the world returned: the model only
has to copy the driver's words ("第二个", "there"). The words for "there" and "another one" are
the schema's (tools.yaml `references`); ordinals are the only pattern kept in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.agent.text import norm

_ORDINALS = {
    "first": 0, "1st": 0, "one": 0, "第一": 0, "第1": 0,
    "second": 1, "2nd": 1, "two": 1, "第二": 1, "第2": 1,
    "third": 2, "3rd": 2, "three": 2, "第三": 2, "第3": 2,
    "fourth": 3, "4th": 3, "four": 3, "第四": 3, "第4": 3,
    "fifth": 4, "5th": 4, "five": 4, "第五": 4, "第5": 4,
}  # fmt: skip
_ORDINAL_RE = re.compile(
    r"(第[一二三四五12345]|\b(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\b|(?:number|no\.?)\s*(?:one|two|three|four|five))"
)
_LAST_RE = re.compile(r"(最后一[个家]|\blast one\b)")


def _words(kind: str) -> set[str]:
    from app.agent import schema

    return {norm(w) for w in schema.load().references[kind]}


MAX_HISTORY = 2


@dataclass
class DialogueState:
    history: list[tuple[str, str]] = field(default_factory=list)  # (user text, call text) for the model
    items: list[dict[str, Any]] = field(default_factory=list)  # the last list the driver saw
    items_kind: str | None = None
    cursor: int = 0  # which item of `items` the last reply was about
    place: dict[str, Any] | None = None  # the last place the conversation was about
    last_tool: str | None = None
    last_args: dict[str, Any] = field(default_factory=dict)
    last_control: str | None = None  # the car control changed last, for "a bit more"
    # A question the agent asked ("Did you mean …?"): {tool, args, items}; answered next turn.
    pending: dict[str, Any] | None = None

    def remember_turn(self, user: str, calls_text: str) -> None:
        self.history = [*self.history, (user, calls_text)][-MAX_HISTORY:]

    def remember(self, tool: str, args: dict[str, Any], result: dict[str, Any] | None) -> None:
        """After each call, in order: a later call of the same turn sees what this one found."""
        self.last_tool, self.last_args = tool, dict(args)
        r = result or {}
        kind = r.get("kind")
        if kind in ("parking", "restaurants", "places") and r.get("items"):
            self.items, self.items_kind = list(r["items"]), kind
            self.cursor = r.get("cursor", 0)
            self.place = self.items[self.cursor]
        elif kind in ("route", "prefer"):
            self.place = r["destination"]
        elif kind == "stop":
            self.place = r["place"]
        elif kind == "cabin" and r["change"].get("changes"):
            path = r["change"]["changes"][0]["path"]
            if r["change"].get("action") in ("set", "adjust"):
                self.last_control = path
        if kind == "confirm":
            self.pending = {"tool": tool, "args": dict(args), "items": list(r.get("items") or [])}
            self.items, self.items_kind, self.cursor = list(r.get("items") or []), "confirm", 0

    def reference(self, phrase: str | None) -> dict[str, Any] | None:
        """The item or place a phrase like 'the second one' / '第二个' / 'there' points to, if any."""
        if not phrase:
            return None
        p = norm(phrase)
        m = _ORDINAL_RE.search(p)
        if m and self.items:
            word = re.sub(r"^(?:number|no\.?)\s*", "", m.group(1))
            i = _ORDINALS.get(word, _ORDINALS.get(word[:2]))
            if i is not None and i < len(self.items):
                return self.items[i]
        if _LAST_RE.search(p) and self.items:
            return self.items[-1]
        bare = re.sub(r"^(go|drive|take me|navigate)\s+", "", p)
        bare = re.sub(r"(一下|吧|呢|吗|去|到)$", "", bare)
        if bare in _words("there") or bare in ("the one", "that restaurant", "that car park"):
            return self.place
        return None

    def is_another(self, text: str) -> bool:
        t = norm(text)
        return bool(self.items) and any(w in t for w in _words("another"))

    def next_item(self) -> tuple[int, dict[str, Any]] | None:
        if not self.items or self.cursor + 1 >= len(self.items):
            return None
        return self.cursor + 1, self.items[self.cursor + 1]

"""Conversation state: what the last turns showed, so "the second one", "navigate there",
"换一个" and "what about Japanese instead" mean something.

References are resolved here, in code, against the items the world returned:
the model only has to copy the driver's words ("第二个", "there").
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
_THERE_RE = re.compile(
    r"^(there|that|that one|it|this one|that place|那里|那儿|那边|那个|那家|这家|这个|这里|它)$"
)
_ANOTHER_RE = re.compile(
    r"(换一[个家下]|换个|另一[个家]|下一[个家]|别的|\banother one\b|\bnext one\b|\bsomething else\b|\ba different one\b|\bother one\b)",
    re.I,
)

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

    def remember(
        self, user: str, call: str, tool: str, args: dict[str, Any], result: dict[str, Any] | None
    ) -> None:
        self.history = [*self.history, (user, call)][-MAX_HISTORY:]
        self.last_tool, self.last_args = tool, dict(args)
        kind = (result or {}).get("kind")
        if kind in ("parking", "restaurants") and result["items"]:
            self.items, self.items_kind = list(result["items"]), kind
            self.cursor = result.get("cursor", 0)
            self.place = self.items[self.cursor]
        elif kind == "route":
            self.place = result["destination"]
        elif kind == "stop":
            self.place = result["place"]

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
        if _THERE_RE.match(bare) or bare in ("the one", "that restaurant", "that car park"):
            return self.place
        return None

    def is_another(self, text: str) -> bool:
        return bool(_ANOTHER_RE.search(text)) and bool(self.items)

    def next_item(self) -> tuple[int, dict[str, Any]] | None:
        if not self.items or self.cursor + 1 >= len(self.items):
            return None
        return self.cursor + 1, self.items[self.cursor + 1]

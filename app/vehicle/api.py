"""The result types of the cabin's command API (shared by the cabin, media and phone modules)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Change:
    """What one command did: the paths it changed, whether a value was clamped, what to say."""

    ok: bool
    action: str
    changes: list[dict[str, Any]] = field(default_factory=list)
    clamped: bool = False
    requested: Any = None
    message_en: str = ""
    message_zh: str = ""
    error: str | None = None
    # Extra results a caller needs: the text to read aloud, a question's figures, the track found.
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def message(self, lang: str) -> str:
        return self.message_zh if lang == "zh" else self.message_en


class CabinError(Exception):
    """A command that cannot be done; nothing in the cabin changes."""

    def __init__(self, code: str, message_en: str, message_zh: str, data: dict | None = None):
        super().__init__(message_en)
        self.code, self.message_en, self.message_zh = code, message_en, message_zh
        self.data = data or {}


@dataclass
class Outcome:
    """What an action handler reports back to the cabin (which adds the diff of the state)."""

    message_en: str
    message_zh: str
    clamped: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    undoable: bool = True

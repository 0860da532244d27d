"""Stand-ins for `python -m app.study run --fake` and the unit tests: no models, no world.

They answer in microseconds, so a whole scripted session (and the crash test that kills one)
runs in a second. Nothing here is used by a real session.
"""

from __future__ import annotations

from app.services import AgentTurn, Transcript
from app.voice.text import script_language

# keyword (lower-case, either language) -> the call a real agent would make for it.
TABLE = [
    (("parking", "停车"), "find_parking", {"near": "the Bund"}, "parking"),
    (("restaurant", "川菜", "sichuan", "吃"), "find_restaurants", {"cuisine": "川菜"}, "restaurants"),
    (("coffee", "咖啡", "stop"), "add_stop", {"category": "cafe"}, "stop"),
    (("light", "红绿灯", "绿灯"), "traffic_light_status", {}, "signal"),
    (("arrive", "多久到", "eta"), "trip_status", {}, "trip"),
    (("take me", "navigate", "导航", "去", "drive to"), "navigate", {"destination": "the Bund"}, "route"),
]


class StudyFakeAgent:
    def __init__(self):
        self.turns: list[str] = []

    def respond(self, text: str, language_hint=None) -> AgentTurn:
        self.turns.append(text)
        lang = script_language(text) or language_hint or "en"
        low = text.lower()
        for words, tool, args, kind in TABLE:
            if any(w in low for w in words):
                reply = f"(fake) {tool}" if lang == "en" else f"（模拟）{tool}"
                return AgentTurn(tool, dict(args), reply, lang, 1.0, {"kind": kind, "items": []}, "fake")
        reply = "(fake) How can I help?" if lang == "en" else "（模拟）需要什么帮助？"
        return AgentTurn("none", {}, reply, lang, 1.0, None, "fake")

    def reset(self) -> None:
        self.turns.clear()


class ScriptedRecognizer:
    """Hears whatever the script says the participant said (`expect` before each WAV turn)."""

    def __init__(self):
        self.next_text = ""

    def expect(self, text: str) -> None:
        self.next_text = text

    def transcribe(self, audio, sample_rate: int = 16000, language_hint=None) -> Transcript:
        text, self.next_text = self.next_text, ""
        return Transcript(text, script_language(text) or language_hint or "en", 0.9 if text else 0.0)

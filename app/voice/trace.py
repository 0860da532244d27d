"""One latency trace per turn: when each stage happened, on one monotonic clock.

The pipeline marks the moments; the UI's trace panel, the CLI and the
benchmark read the derived figures, so every consumer agrees on what
"end of speech to first audio" means: from the moment the driver's turn was
over (push-to-talk released, hands-free end of turn, end of the WAV) to the
first sample of the answer handed to the speaker or the WAV sink. An opening acknowledgement
("好的，", "OK,") is not the answer: it is marked `earcon` and reported as time_to_earcon_ms.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

MARKS = (
    "speech_start",
    "voice_end",
    "end_of_speech",
    "transcript",
    "agent_start",
    "tool_call",
    "first_token",
    "reply",
    "tts_start",
    "earcon",
    "first_audio",
    "done",
)


@dataclass
class TurnTrace:
    marks: dict[str, float] = field(default_factory=dict)
    notes: dict[str, object] = field(default_factory=dict)

    def mark(self, name: str, at: float | None = None) -> float:
        t = time.perf_counter() if at is None else at
        # The first time counts: a retry must not move a stage later than it really was.
        self.marks.setdefault(name, t)
        return t

    def since(self, start: str, end: str) -> float | None:
        if start in self.marks and end in self.marks:
            return round((self.marks[end] - self.marks[start]) * 1000, 1)
        return None

    def timings(self) -> dict[str, float | None]:
        """The figures the CLI prints and the bench aggregates, in milliseconds."""
        return {
            "stt_ms": self.notes.get("stt_ms"),  # time the recogniser ran after end of speech
            "agent_ms": self.since("agent_start", "reply"),
            "tts_first_audio_ms": self.since("tts_start", "first_audio"),
            "end_of_speech_to_first_audio_ms": self.since("end_of_speech", "first_audio"),
            "time_to_earcon_ms": self.since("end_of_speech", "earcon"),
        }

    def to_dict(self) -> dict:
        t0 = self.marks.get("end_of_speech") or min(self.marks.values(), default=0.0)
        return {
            **self.timings(),
            # Wall-clock time of marks_ms' zero, so a log can place each stage in real time.
            "t0_unix": round(time.time() - (time.perf_counter() - t0), 4),
            "marks_ms": {
                k: round((v - t0) * 1000, 1) for k, v in sorted(self.marks.items(), key=lambda kv: kv[1])
            },
            **{k: v for k, v in self.notes.items() if k != "stt_ms"},
        }

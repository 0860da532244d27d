"""The typed seams between the backend services.

Everything above a service depends on these Protocols, never on a concrete
engine, so a test can hand in a fake and the demo stand can swap a model
without touching the UI. Concrete engines live in their own packages:
`app.voice` (recognizers, synthesizers, the turn pipeline), `app.agent`,
`app.world`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

Language = Literal["zh", "en"]


@dataclass
class Transcript:
    text: str
    language: Language
    # Whisper's no-speech probability and mean log-prob let the pipeline say
    # "I didn't catch that" without spending an LLM call on noise.
    confidence: float = 1.0
    duration_s: float = 0.0


@dataclass
class AgentTurn:
    """One decision of the agent: the tool it picked, its arguments, what it says."""

    tool: str
    args: dict[str, Any]
    reply: str
    language: Language
    latency_ms: float
    # The JSON-ready result of the tool call (parking list, restaurants, route…);
    # the UI turns it into result cards and map markers.
    result: dict[str, Any] | None = None
    # "fast_path" or "llm": which part of the agent decided, for the benchmark.
    decided_by: str = "llm"
    # One entry per action, in order: {tool, args, domain, ok, result}; tool/args/result above
    # are the first call's. No action = one call {tool: "none", domain: "chat"|"weather"}.
    calls: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "args": self.args,
            "reply": self.reply,
            "language": self.language,
            "latency_ms": round(self.latency_ms, 1),
            "calls": [{k: c.get(k) for k in ("tool", "args", "domain", "ok")} for c in self.calls],
        }


@runtime_checkable
class SpeechRecognizer(Protocol):
    def transcribe(
        self, audio, sample_rate: int = 16000, language_hint: Language | None = None
    ) -> Transcript:
        """Blocking; callers run it in an executor. `audio` is float32 mono PCM."""
        ...


@runtime_checkable
class Agent(Protocol):
    def respond(self, text: str, language_hint: Language | None = None) -> AgentTurn:
        """Blocking; keeps the conversation's context between calls."""
        ...

    def reset(self) -> None: ...


@runtime_checkable
class Synthesizer(Protocol):
    name: str  # e.g. "edge-tts", "piper", "espeak-ng"
    kind: Literal["cloud", "local"]

    async def synthesize(self, text: str, language: Language) -> AsyncIterator[bytes]:
        """Yields 16-bit mono PCM chunks at `sample_rate`, as soon as they exist."""
        ...


@dataclass
class TurnEvent:
    """What the voice pipeline tells its watchers (the UI store, the study log, the bench).

    kind is one of: state {state: idle|listening|thinking|speaking}, level {rms},
    partial {text}, transcript {text, language}, reply {text, language},
    result {tool, args, result, calls}, error {code, message, language}, voice {engine, kind, online},
    trace {stt_ms, agent_ms, tts_first_audio_ms, end_of_speech_to_first_audio_ms}.
    """

    kind: str
    data: dict[str, Any] = field(default_factory=dict)


TurnListener = Callable[[TurnEvent], None]


@dataclass
class ModelState:
    name: str
    role: str
    state: Literal["verified", "missing", "corrupt", "partial"]
    path: Path
    fetch_command: str


@runtime_checkable
class CabinService(Protocol):
    """The simulated car's cabin (app.vehicle.Cabin; `Cabin()` is the in-memory fake).

    Every change returns an app.vehicle.Change (ok, action, changes, clamped, requested,
    message_en, message_zh, error, data); subscribers get the same object after each change.
    """

    def state(self) -> dict[str, Any]: ...
    def spec(self) -> list[dict[str, Any]]: ...
    def actions(self) -> list[dict[str, Any]]: ...
    def set(self, path: str, value: Any) -> Any: ...
    def adjust(self, path: str, delta: Any = None) -> Any: ...
    def do(self, action: str, **args: Any) -> Any: ...
    def undo(self) -> Any: ...
    def reset(self) -> Any: ...
    def subscribe(self, fn: Callable[[Any], None]) -> Callable[[], None]: ...
    def question(self, topic: str, **args: Any) -> dict[str, Any]: ...
    def duck(self, on: bool) -> None: ...

"""Wizard-of-Oz: the operator sees each request and what the agent would do, and decides.

`WizardConsole` is the thread-safe meeting point: the agent worker thread posts a request and
waits; the operator page (app/study/wizard_web.py), a test or a scripted participant decides.
`WizardAgent` wraps the real agent behind the same `Agent` protocol, so the voice pipeline speaks
the wizard's reply exactly like the agent's, and the trace says who decided (`decided_by`).

Modes (the study condition's `wizard`, switchable live by the operator, logged):
  off         the agent answers; the console only mirrors the conversation
  supervised  the agent decides first (its tool call has run: the world has changed); the wizard
              passes it, or replaces what is said / adds a tool call; after the timeout it passes
  full        the agent is not consulted (nothing changes behind the wizard's back); nothing is
              answered until the wizard answers
Decisions: {action: pass} | {action: reply, text, language?} | {action: tool, tool, args, text?}
           | {action: canned, id, slots: {name: value}, language?}
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from app import paths
from app.services import AgentTurn

log = logging.getLogger(__name__)

MESSAGES_FILE = paths.ASSETS / "studies" / "wizard_messages.yaml"
SLOT = re.compile(r"\[([A-Za-z_][A-Za-z0-9_]*)\]")
FULL_WIZARD_TIMEOUT_S = 120.0
NO_ANSWER = {"en": "One moment, please.", "zh": "请稍等。"}


class WizardError(ValueError):
    pass


def load_messages(path: Path = MESSAGES_FILE) -> list[dict]:
    """The prepared messages, read fresh each time so the operator can edit the file mid-session."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for m in doc:
        if not {"id", "en", "zh"} <= set(m):
            raise WizardError(f"{path}: every message needs id, en and zh: {m!r}")
        m["slots"] = sorted(set(SLOT.findall(m["en"])) | set(SLOT.findall(m["zh"])))
    return doc


def fill(template: str, slots: dict[str, Any]) -> str:
    missing = [s for s in SLOT.findall(template) if not str(slots.get(s, "")).strip()]
    if missing:
        raise WizardError(f"fill in the slot(s) {', '.join(missing)}")
    return SLOT.sub(lambda m: str(slots[m.group(1)]).strip(), template)


class WizardConsole:
    def __init__(
        self,
        mode: str = "off",
        timeout_s: float = 8.0,
        messages_file: Path = MESSAGES_FILE,
        full_timeout_s: float = FULL_WIZARD_TIMEOUT_S,
    ):
        self.mode, self.timeout_s, self.messages_file = mode, timeout_s, messages_file
        # How long a full-wizard request waits for a human (a headless run without one: 0).
        self.full_timeout_s = full_timeout_s
        self._cond = threading.Condition()
        self.pending: dict | None = None
        self._decision: dict | None = None
        self._preloaded: list[dict] = []
        self.history: list[dict] = []  # the live transcript the operator page shows
        self.on_decision: Callable[[dict], None] | None = None  # the study log
        self.on_mode: Callable[[str], None] | None = None
        self._seq = 0

    def set_mode(self, mode: str) -> None:
        if mode not in ("off", "supervised", "full"):
            raise WizardError(f"unknown wizard mode {mode!r}")
        with self._cond:
            self.mode = mode
            self._cond.notify_all()
        if self.on_mode:
            self.on_mode(mode)

    def preload(self, decision: dict) -> None:
        """A decision for the next request (scripted participants, tests)."""
        with self._cond:
            self._preloaded.append(decision)

    def state(self) -> dict:
        with self._cond:
            return {"mode": self.mode, "pending": self.pending, "history": self.history[-30:]}

    def ask(self, text: str, language: str, proposal: AgentTurn | None) -> dict:
        """Called on the agent thread: blocks until a decision (or the timeout's default)."""
        with self._cond:
            self._seq += 1
            self.pending = {
                "id": self._seq,
                "transcript": text,
                "language": language,
                "since": time.time(),
                "proposal": None if proposal is None else _proposal(proposal),
            }
            self._decision = None
            timeout = self.timeout_s if self.mode == "supervised" else self.full_timeout_s
            deadline = time.monotonic() + timeout
            if self._preloaded:
                self._decision = self._preloaded.pop(0)
            while self._decision is None and self.mode != "off":
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            decision = self._decision
            if decision is None:
                decision = {"action": "pass", "by": "mode_off" if self.mode == "off" else "timeout"}
            self.pending = None
            return decision

    def decide(self, decision: dict) -> None:
        """From the operator page (any thread)."""
        if decision.get("action") not in ("pass", "reply", "tool", "canned"):
            raise WizardError("action must be pass, reply, tool or canned")
        with self._cond:
            if self.pending is None:
                raise WizardError("there is no request waiting for a decision")
            self._decision = decision
            self._cond.notify_all()

    def record(self, who: str, text: str, language: str | None = None, **extra) -> None:
        with self._cond:
            self.history.append({"t": time.time(), "who": who, "text": text, "language": language, **extra})


def _proposal(turn: AgentTurn) -> dict:
    calls = getattr(turn, "calls", None) or [{"tool": turn.tool, "args": turn.args}]
    return {
        "tool": turn.tool,
        "args": turn.args,
        "calls": [{"tool": c.get("tool"), "args": c.get("args")} for c in calls],
        "reply": turn.reply,
        "language": turn.language,
    }


class WizardAgent:
    """The Agent the pipeline talks to in a study: the real agent, gated by the wizard."""

    def __init__(
        self, inner, console: WizardConsole, world=None, on_decision: Callable[[dict], None] | None = None
    ):
        self.inner, self.console, self._world, self.on_decision = inner, console, world, on_decision

    @property
    def world(self):
        return self._world if self._world is not None else getattr(self.inner, "world", None)

    def __getattr__(self, name):  # warm_up, forget_last_turn, truncate_last_reply, state, ...
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def reset(self) -> None:
        self.inner.reset()

    def respond(self, text: str, language_hint=None) -> AgentTurn:
        t0 = time.perf_counter()
        self.console.record("driver", text, language_hint)
        mode = self.console.mode
        proposal = None if mode == "full" else self.inner.respond(text, language_hint)
        if mode == "off":
            self.console.record("agent", proposal.reply, proposal.language, tool=proposal.tool)
            return proposal
        language = (proposal.language if proposal else None) or language_hint or "en"
        decision = self.console.ask(text, language, proposal)
        turn = self._apply(decision, proposal, language, t0)
        record = {
            "mode": mode,
            "action": decision.get("action"),
            "by": decision.get("by", "wizard"),
            "transcript": text,
            "proposal": None if proposal is None else _proposal(proposal),
            "final": {"tool": turn.tool, "args": turn.args, "reply": turn.reply},
            "wait_ms": round((time.perf_counter() - t0) * 1000, 1),
        }
        self.console.record("car", turn.reply, turn.language, decided_by=turn.decided_by)
        if self.on_decision:
            self.on_decision(record)
        return turn

    def _apply(self, d: dict, proposal: AgentTurn | None, language: str, t0: float) -> AgentTurn:
        action = d.get("action")
        lang = d.get("language") or language
        ms = (time.perf_counter() - t0) * 1000
        try:
            if action == "pass" and proposal is not None:
                proposal.decided_by = f"wizard:pass:{getattr(proposal, 'decided_by', '')}"
                return proposal
            if action == "pass":  # full wizard timed out: say so politely, do nothing
                return AgentTurn("none", {}, NO_ANSWER[lang], lang, ms, None, "wizard:timeout")
            if action == "reply":
                return AgentTurn("none", {}, str(d["text"]), lang, ms, None, "wizard:reply")
            if action == "canned":
                msg = next((m for m in load_messages(self.console.messages_file) if m["id"] == d["id"]), None)
                if msg is None:
                    raise WizardError(f"no prepared message {d['id']!r}")
                text = fill(msg[lang], d.get("slots") or {})
                return AgentTurn("none", {}, text, lang, ms, None, "wizard:canned")
            if action == "tool":
                result = self._run_tool(d["tool"], d.get("args") or {})
                reply = d.get("text") or ""
                turn = AgentTurn(d["tool"], d.get("args") or {}, reply, lang, ms, result, "wizard:tool")
                turn.calls = [{"tool": d["tool"], "args": d.get("args") or {}, "domain": None,
                               "ok": (result or {}).get("kind") != "error", "result": result}]  # fmt: skip
                return turn
        except (KeyError, WizardError) as exc:
            log.warning("wizard decision %r not usable (%s); the agent's answer goes through", d, exc)
            if proposal is not None:
                proposal.decided_by = "wizard:invalid"
                return proposal
            return AgentTurn("none", {}, NO_ANSWER[lang], lang, ms, None, "wizard:invalid")
        raise WizardError(f"unknown wizard action {action!r}")

    def _run_tool(self, tool: str, args: dict) -> dict | None:
        if self.world is None:
            return {"kind": "error", "message": "no world service: the tool call was logged, not run"}
        try:
            from app.agent import tools

            return tools.execute(self.world, tool, tools.validate(tool, args))
        except Exception as exc:  # a wizard typo must not end the session
            return {"kind": "error", "message": f"{type(exc).__name__}: {exc}"}

"""The agent: fast path or Qwen picks the tool, code validates and grounds it, the world runs it,
a template says the result.

Failure handling: model output that cannot be parsed, names an unknown tool or
has bad arguments is retried once without the conversation history (at
temperature 0 the same prompt would give the same answer); if that fails too,
the turn degrades to `none` with an "I didn't get that" reply. No action is
ever taken on output that did not validate, nor on a place the driver never said.
"""

from __future__ import annotations

import copy
import logging
import re
import time
from typing import Any

from app.agent import fastpath, prompt, replies, tools, verify
from app.agent.dialogue import DialogueState
from app.agent.parse import ParseError, parse_call
from app.agent.text import detect_language, has_cjk, norm
from app.services import AgentTurn
from app.world.cuisine import VOCAB as cuisine_vocab

log = logging.getLogger(__name__)

MAX_INPUT_CHARS = 300  # ASR never produces more for one command; longer text is cut before the model

_INJECTION = re.compile(
    r"(ignore (?:all |any )?(?:your |the |previous |prior |above )*(?:instructions|rules|prompt)|disregard (?:your|the|all) |"
    r"system prompt|you are now|developer mode|jailbreak|忽略.{0,6}(?:指令|指示|规则|设定|提示)|无视.{0,6}(?:指令|规则)|系统提示|扮演)",
    re.I,
)
_SELECT = re.compile(
    r"(?:(?:ok |okay |yes |好的?|那就|就)?(?:let'?s go to|go to|take me to|navigate to|navigate|drive to|go|去|导航到|导航去|选)?\s*)?"
    r"(?P<ref>(?:the )?(?:first|second|third|fourth|fifth|last)(?: one)?|there|that one|第[一二三四五12345][个家]?|最后一[个家]|那[里儿家个])"
    r"(?:\s*(?:please|吧|呢))?"
)
# "what about Japanese instead", "那川菜呢": same request, one slot changed.
_FOLLOW_UP = re.compile(r"(instead|what about|how about|换成|改成|那.{1,8}呢|还有.{1,8}吗)", re.I)
_REF_WORDS = re.compile(r"(there|that|it|one|那|这|第|它|最后)", re.I)


_PARROT = re.compile(r"(查不到|找不到|\bcan'?t (?:find|look up|check)\b|\bcannot find\b)", re.I)


class CockpitAgent:
    def __init__(self, runtime: Any, world: Any = None, fast_path: bool = True):
        self.runtime = runtime
        self._world = world
        self.fast_path = fast_path
        self.state = DialogueState()
        self._state_before_last_turn: DialogueState | None = None

    @property
    def world(self) -> Any:
        if self._world is None:
            from app.world import load_world

            self._world = load_world()
        return self._world

    def warm_up(self) -> None:
        self.runtime.warm_up()
        _ = self.world

    def reset(self) -> None:
        self.state = DialogueState()
        self._state_before_last_turn = None

    # -- barge-in hooks of the voice pipeline -------------------------------------------------
    def forget_last_turn(self) -> None:
        """The driver cut the last turn off before its answer was shown or spoken: drop it, so
        "the second one" cannot point into a list the driver never saw."""
        if self._state_before_last_turn is not None:
            self.state, self._state_before_last_turn = self._state_before_last_turn, None

    def truncate_last_reply(self, spoken: str) -> None:
        """Nothing to clip: the model's context holds the driver's words and the tool calls, never
        reply text, and the last list stays on screen, so references to it remain valid."""

    # -- one turn ---------------------------------------------------------------------------
    def respond(self, text: str, language_hint: str | None = None) -> AgentTurn:
        t0 = time.perf_counter()
        text = (text or "").strip()[:MAX_INPUT_CHARS]
        lang = detect_language(text, language_hint)
        if not text:
            return AgentTurn("none", {}, replies.empty(lang), lang, _ms(t0), None, "fast_path")
        if _INJECTION.search(text):
            # Treated as chit-chat: the rest of such a request is not trusted to pick an action.
            return AgentTurn("none", {}, replies.refused(lang), lang, _ms(t0), None, "fast_path")

        decided_by, call = "fast_path", None
        picked = self._context_shortcut(text)
        if picked is None and self.fast_path:
            picked = fastpath.decide(text)
        if picked is None:
            decided_by = "llm"
            picked, call = self._ask_model(text)
        tool, args = picked
        if tool == self.state.last_tool and tool != "none" and _FOLLOW_UP.search(text):
            args = {**{k: v for k, v in self.state.last_args.items() if not k.startswith("_")}, **args}
        call = call or _call_text(tool, args)

        result, args = self._run(tool, args, text)
        reply = self._reply(tool, args, result, lang)
        self._state_before_last_turn = copy.deepcopy(self.state)
        self.state.remember(text, call, tool, args, result)
        return AgentTurn(tool, args, reply, lang, _ms(t0), result, decided_by)

    def _context_shortcut(self, text: str) -> tuple[str, dict[str, Any]] | None:
        """Replies to what the driver was just shown: "换一个" / "another one" = same tool, next
        item; "the second one" / "第二个" / "navigate there" = go to that item."""
        st = self.state
        if len(text) > 30 or st.last_tool is None:
            return None
        if st.is_another(text):
            return st.last_tool, dict(st.last_args, _another=True)
        m = _SELECT.fullmatch(norm(text))
        if m and st.reference(m.group("ref")) is not None:
            return "navigate", {"destination": m.group("ref")}
        return None

    def _ask_model(self, text: str) -> tuple[tuple[str, dict[str, Any]], str | None]:
        """Ask Qwen among the plausible tools; validate; if a runtime that cannot mask (a server)
        still returns an implausible tool, take its next-best one.

        Output that fails to parse or validate is asked again without the history
        (at temperature 0 the same prompt gives the same answer). Whatever is left
        unusable degrades to `none`.
        """
        attempts = [self.state.history, []] if self.state.history else [[]]
        drop = () if verify.names_a_place(text) else ("near",)
        # Tools the request gives no evidence for are masked out of the model's choice up front:
        # cheaper than asking twice, and the 0.5B model's bias towards "find_…" cannot win.
        masked = tuple(t for t in tools.TOOLS if not verify.plausible(t, {}, text))
        for history in attempts:
            exclude = masked
            for _ in range(2):
                try:
                    out = self.runtime.decide(prompt.turn(text, history), exclude=exclude, drop_params=drop)
                except Exception:  # a runtime failure must not crash the UI's turn
                    log.exception("model call failed")
                    break
                try:
                    name, raw = parse_call(out)
                    if name not in tools.TOOLS or name in exclude:
                        raise ParseError(f"unknown tool {name!r}")
                    args = tools.validate(name, raw)
                except (ParseError, tools.ToolArgError) as err:
                    log.warning("unusable model output %r: %s", out, err)
                    break
                if verify.plausible(name, args, text):
                    return (name, verify.repair(name, args, text)), out
                log.info("model chose %s without evidence in %r; asking for its next choice", name, text)
                exclude += (name,)
            else:
                return ("none", {}), None  # two implausible tools: nothing was clearly asked for
        return ("none", {"_failed": True}), None

    # -- grounding and execution ------------------------------------------------------------
    def _run(
        self, tool: str, args: dict[str, Any], text: str
    ) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        args = dict(args)
        another = args.pop("_another", False)
        if args.pop("_failed", False):
            return {"kind": "failed"}, args
        if tool == "none":
            return None, args
        ref_key = "destination" if tool == "navigate" else "near"
        ref = self.state.reference(args.get(ref_key))
        value = args.get(ref_key)
        said_before = value is not None and value == self.state.last_args.get(ref_key)
        if ref is None and value and not said_before and (not _grounded(value, text) or _is_reference(value)):
            # A place the driver never said, or "there" with nothing before it: never act on it.
            if tool == "navigate":
                return {"kind": "failed"}, args
            args.pop("near")
        if tool == "find_restaurants" and args.get("cuisine"):
            self._ground_cuisine(args, text)
        if another and tool in ("find_parking", "find_restaurants"):
            return self._next_of_list(tool, args), args
        if another and tool == "navigate":
            nxt = self.state.next_item()
            if nxt:
                self.state.cursor, ref = nxt
        if ref is not None and ref in self.state.items:
            self.state.cursor = self.state.items.index(ref)  # so "换一个" then means the one after it
        near_place = _as_place(ref) if ref else None
        result = tools.execute(self.world, tool, args, near_place=near_place)
        return result, args

    def _ground_cuisine(self, args: dict[str, Any], text: str) -> None:
        # The 0.5B model fills a cuisine nobody asked for ("restaurants near Xintiandi" -> chinese)
        # or takes the place for one ("near the Bund" -> Bund): the driver's words decide.
        cuisine, heard = args["cuisine"], fastpath.cuisines_in(text)
        if heard:
            if cuisine not in heard:
                args["cuisine"] = heard[0]
            return
        if cuisine == self.state.last_args.get("cuisine"):
            return  # "and near the Bund?" after "find hotpot"
        # One-character words (面) are too loose to spot a cuisine, but do back the model's choice.
        spoken = any(w.lower() in text.lower() for w in (cuisine, *cuisine_vocab.get(cuisine, ())))
        near = norm(args.get("near") or "")
        taken_for_the_place = bool(near) and norm(cuisine) in near
        if taken_for_the_place or not (spoken or _grounded(cuisine, text)):
            args.pop("cuisine")

    def _next_of_list(self, tool: str, args: dict[str, Any]) -> dict[str, Any]:
        st = self.state
        nxt = st.next_item()
        if nxt is None:
            return {"kind": "error", "message": "no more results"}
        i, _ = nxt
        kind = "parking" if tool == "find_parking" else "restaurants"
        # The same list in the same order ("第二个" keeps meaning what the screen shows);
        # the cursor tells the reply and the UI which one is now proposed.
        return {"kind": kind, "items": list(st.items), "cuisine": args.get("cuisine"), "cursor": i}

    def _reply(self, tool: str, args: dict[str, Any], result: dict[str, Any] | None, lang: str) -> str:
        if result is not None and result.get("kind") == "failed":
            return (
                "抱歉，我没听懂，请换个说法。"
                if lang == "zh"
                else "Sorry, I didn't get that. Could you rephrase?"
            )
        if tool == "none":
            topic = args.pop("_topic", None)
            if topic:
                return replies.out_of_scope(topic, lang)
            return _chat_reply(args.pop("reply", None), lang)
        return replies.compose(tool, args, result, lang)


def _chat_reply(text: str | None, lang: str) -> str:
    """The model's chit-chat line, if it is short, in the right language and states no facts."""
    if not text:
        return replies.fallback_chat(lang)
    sentences = [x for x in re.split(r"(?<=[.!?。！？])\s*", text.strip()) if x]
    said = "".join(x if has_cjk(x) else x + " " for x in sentences[:2]).strip()
    if (
        re.search(r"\d", said)  # a number is a fact (a time, a temperature) nobody looked up
        # The model parrots its "can't look that up" example onto unrelated small talk.
        or _PARROT.search(said)
        or has_cjk(said) != (lang == "zh")
        or len(said) > 90
        or len(said) < 2
    ):
        return replies.fallback_chat(lang)
    return said


def _grounded(value: str, text: str) -> bool:
    v, t = norm(value), norm(text)
    if not v or v in t or _REF_WORDS.search(v):
        return True
    from rapidfuzz import fuzz

    return fuzz.partial_ratio(v, t) >= 80


def _is_reference(value: str) -> bool:
    return bool(
        re.fullmatch(
            r"((first|second|third|fourth|fifth|last)( one)?|there|that( one| place)?|it|this one|那里|那儿|那边|那个|那家|这家|这个|这里|它|第.{1,2}[个家])",
            norm(value),
        )
    )


def _as_place(item: dict[str, Any]) -> Any:
    from app.world.api import Place

    return Place(
        id=item.get("id") or f"ref:{item.get('name')}",
        name=item.get("name") or "",
        name_en=item.get("name_en"),
        name_zh=item.get("name_zh"),
        lat=item["lat"],
        lon=item["lon"],
        kind=item.get("kind") or "point",
        simulated=bool(item.get("simulated", False)),
    )


def _call_text(tool: str, args: dict[str, Any]) -> str:
    import json

    inner = ", ".join(
        f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in args.items() if not k.startswith("_")
    )
    return f"{tool}({inner})"


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def make_agent(
    fast_path: bool = True, world: Any = None, base_url: str | None = None, model: str = "qwen"
) -> CockpitAgent:
    """The real agent: local Qwen via llama-cpp-python, or an OpenAI-compatible server if base_url is given.

    The local model starts loading at once on its worker thread (warm-up), so the
    first turn does not pay for it if the caller does other set-up meanwhile.
    """
    from app.agent.runtime import LlamaRuntime, OpenAIRuntime

    if base_url:
        runtime = OpenAIRuntime(base_url, model=model)
    else:
        runtime = LlamaRuntime()
        runtime.start()
    return CockpitAgent(runtime, world=world, fast_path=fast_path)

"""The agent: Qwen writes one call per request in the sentence, constrained by the tool schema;
code validates each against the schema, resolves references, runs them in order against the
world and the cabin, and one reply from the schema's templates covers them all.

Nothing is acted on that did not validate, nor on a place, contact or song the driver never
said. Output that cannot be used is asked again without the conversation history (at
temperature 0 the same prompt gives the same answer); if that fails too the turn says
"I didn't get that". A match the world is unsure of (ambiguous, far away) becomes a question,
answered next turn by yes / no / a candidate.
"""

from __future__ import annotations

import copy
import logging
import re
import time
from dataclasses import replace
from typing import Any

from app.agent import prompt, replies
from app.agent.actions import Actions, as_place
from app.agent.dialogue import DialogueState
from app.agent.parse import ParseError, parse_calls
from app.agent.schema import Bound, ToolArgError
from app.agent.text import detect_language, norm
from app.services import AgentTurn

log = logging.getLogger(__name__)

MAX_CACHED_DECISIONS = 256
MAX_INPUT_CHARS = 300  # ASR never produces more for one command; longer text is cut before the model

# A safety filter, not language understanding: text that tries to re-program the assistant is
# answered without asking the model at all.
_INJECTION = re.compile(
    r"(ignore (?:all |any )?(?:your |the |previous |prior |above )*(?:instructions|rules|prompt)|disregard (?:your|the|all) |"
    r"system prompt|you are now|developer mode|jailbreak|忽略.{0,6}(?:指令|指示|规则|设定|提示)|无视.{0,6}(?:指令|规则)|系统提示)",
    re.I,
)
# Calls whose text value may point at something shown before ("there", "第二个").
_PLACE_ARGS = {"navigate": "place", "add_stop": "place", "find_parking": "near", "find_restaurants": "near",
               "search_places": "near"}  # fmt: skip
_FAILED_KINDS = ("error", "not_found", "failed", "undo_none", "no_route")


class CockpitAgent:
    def __init__(
        self, runtime: Any, world: Any = None, cabin: Any = None, bound: Bound | None = None,
        router: Any = None, **_: Any,
    ):  # fmt: skip
        from app.agent import schema

        self.runtime = runtime
        self.router = router  # app.agent.router.Router, or None: Qwen alone decides the domains
        self._world = world
        if cabin is None:
            from app.agent.fake_cabin import FakeCabin

            cabin = FakeCabin()
        self.cabin = cabin
        self.bound = bound or schema.bind_default(cabin, world)
        self.state = DialogueState()
        self._state_before_last_turn: DialogueState | None = None
        self._decisions: dict[str, str] = {}  # prompt suffix -> model output, oldest first

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
        """Nothing to clip: the model's context holds the driver's words and the calls, never
        reply text, and the last list stays on screen, so references to it remain valid."""

    # -- one turn ---------------------------------------------------------------------------
    def respond(self, text: str, language_hint: str | None = None) -> AgentTurn:
        t0 = time.perf_counter()
        text = (text or "").strip()[:MAX_INPUT_CHARS]
        lang = detect_language(text, language_hint)
        if not text:
            return self._no_action("empty", lang, t0)
        if _INJECTION.search(text):
            return self._no_action("refused", lang, t0)
        self._state_before_last_turn = copy.deepcopy(self.state)

        decided_by = "context"
        planned = self._answer_pending(text) or self._context_shortcut(text)
        if planned is None:
            decided_by = "llm"
            planned = self._ask_model(text)
        if not planned:
            planned = [("chat", {"_failed": True}, {})]

        calls, parts = [], []
        destination = None  # a place an earlier call of this turn drove to
        for tool, args, ctx in planned:
            if (
                destination
                and "lat" in destination
                and _PLACE_ARGS.get(tool) == "near"
                and not args.get("near")
            ):
                # "take me to the Bund and find parking": the parking is at the Bund.
                ctx = {"near_place": as_place(destination), **ctx}
            call = self._run(tool, args, ctx, text)
            calls.append(call)
            parts.append(call.pop("_reply"))
            if (call["result"] or {}).get("kind") in ("route", "stop"):  # not a question back
                destination = self.state.place
        self.state.remember_turn(text, "\n".join(_call_text(c["_tool"], c["args"]) for c in calls))
        for c in calls:
            c.pop("_tool")
        first = calls[0]
        return AgentTurn(first["tool"], first["args"], replies.join(parts, lang), lang, _ms(t0),
                         first["result"], decided_by, calls=calls)  # fmt: skip

    def _no_action(self, kind: str, lang: str, t0: float) -> AgentTurn:
        reply = self.bound.reply(kind, lang)
        call = {"tool": "none", "args": {}, "domain": "chat", "ok": True, "result": None}
        return AgentTurn("none", {}, reply, lang, _ms(t0), None, "guard", calls=[call])

    # -- deciding -----------------------------------------------------------------------------
    def _answer_pending(self, text: str) -> list[tuple[str, dict, dict]] | None:
        """The last turn asked "Did you mean …?": yes / no / a candidate answers it."""
        st = self.state
        pending, st.pending = st.pending, None
        if not pending:
            return None
        t = norm(text)
        yes = {norm(w) for w in self.bound.schema.confirm["yes"]}
        no = {norm(w) for w in self.bound.schema.confirm["no"]}
        picked = st.reference(text)
        if picked is None:
            picked = next((i for i in pending["items"] if t and t in {norm(n or "") for n in
                           (i.get("name"), i.get("name_en"), i.get("name_zh"))}), None)  # fmt: skip
        if picked is None and t in yes and pending["items"]:
            picked = pending["items"][0]
        if picked is not None:
            return [(pending["tool"], pending["args"], {"place": as_place(picked), "confirmed": True})]
        if t in no:
            return [("chat", {"_declined": True}, {})]
        return None  # something else: a new request

    def _context_shortcut(self, text: str) -> list[tuple[str, dict, dict]] | None:
        """Replies to what the driver was just shown: "换一个" / "another one" = the next item;
        "the second one" / "第二个" = go to that item."""
        st = self.state
        if len(text) > 24 or not st.items:
            return None
        if st.is_another(text):
            nxt = st.next_item()
            if nxt is None:
                return [("chat", {"_no_more": True}, {})]
            st.cursor = nxt[0]
            kind = {"parking": "find_parking", "restaurants": "find_restaurants"}.get(
                st.items_kind, "search_places"
            )
            return [(kind, {"_list": True}, {})]
        ref = st.reference(text)
        if ref is not None and ref is not st.place and len(norm(text)) <= 20:
            st.cursor = st.items.index(ref) if ref in st.items else st.cursor
            return [("navigate", {"place": text}, {"place": as_place(ref)})]
        return None

    def plan(self, text: str) -> list[Any] | None:
        """The router's clauses (domains, likely controls) for each request in the sentence, or
        None without a router."""
        if self.router is None:
            return None
        try:
            return self.router.plan(text)
        except Exception:  # the embedding model failed: Qwen decides alone, as before
            log.exception("router failed")
            return None

    def _ask_model(self, text: str) -> list[tuple[str, dict, dict]]:
        attempts = [self.state.history, []] if self.state.history else [[]]
        plan = self.plan(text)
        for history in attempts:
            suffix = prompt.turn(text, history)
            out = self._decide(suffix, plan)
            if out is None:
                continue
            planned, failed = self._calls(out, plan, text)
            # A request the router was unsure of (two domains) whose call came out unusable is
            # decided once more without that domain: in "换成经济模式，顺便帮我拨一下李经理的电话"
            # the first request, read as car or navigation, had navigated to 李经理 and was lost.
            unsure = {
                i: d
                for i, d in failed
                if plan and i < len(plan) and len(plan[i].domains) > 1 and d in plan[i].domains
            }
            if unsure:
                again = [
                    replace(c, domains=tuple(d for d in c.domains if d != unsure[i])) if i in unsure else c
                    for i, c in enumerate(plan)
                ]
                out = self._decide(suffix, again)
                second = self._calls(out, again, text)[0] if out is not None else []
                if len(second) > len(planned):
                    planned = second
            if planned:
                return planned
        return []

    def _decide(self, suffix: str, plan: list[Any] | None) -> str | None:
        """The model's output for this suffix and plan; None if the runtime failed (logged)."""
        key = suffix + repr([(c.domains, c.controls) for c in plan or ()])
        # The same words in the same context decide the same (temperature 0): a demo stand
        # repeating "打开空调" gets the calls back without a model pass.
        out = self._decisions.get(key)
        if out is None:
            try:
                out = self.runtime.decide(suffix, plan=plan) if plan else self.runtime.decide(suffix)
            except Exception:  # a runtime failure (or a history too long) must not crash the turn
                log.exception("model call failed")
                return None
            self._decisions[key] = out
            if len(self._decisions) > MAX_CACHED_DECISIONS:
                self._decisions.pop(next(iter(self._decisions)))
        return out

    def _calls(
        self, out: str, plan: list[Any] | None, text: str
    ) -> tuple[list[tuple[str, dict, dict]], list[tuple[int, str]]]:
        """The usable calls in the model's output, and (request index, domain) of each call that
        was not usable."""
        failed: list[tuple[int, str]] = []
        planned = []
        for i, parsed in enumerate(parse_calls(out)):
            # Each call is held to the words of its own request: in "换成经济模式，顺便帮我拨一下
            # 李经理的电话" the first call had navigated to 李经理, said in the second.
            said = plan[min(i, len(plan) - 1)].text if plan and len(plan) > 1 else text
            try:
                if isinstance(parsed, ParseError):
                    raise parsed
                name, raw = parsed
                if (
                    plan
                    and i >= len(plan)
                    and raw.get("control")
                    and not self.bound.named(raw["control"], said)
                ):
                    # A second car control in one request is one the driver named
                    # ("…打开座椅通风"); "lights at percent" had also switched on the fog lights.
                    continue
                if name == "car_set" and str(raw.get("value", "")).lower() in ("up", "down"):
                    # A relative value in an absolute call ("seat heating up"): the schema's
                    # relative tool says it.
                    name, raw = (
                        "car_adjust",
                        {"control": raw.get("control"), "delta": raw["value"].lower()},
                    )
                if name == "car_set" and (rel := self.bound.relative(raw, said)):
                    name, raw = "car_adjust", rel  # a number never said, a direction said
                args = self.bound.validate(name, raw, said)
                name, args = self.bound.specialise(name, args, said)
                if name == "car_adjust" and "control" not in args and self.state.last_control is None:
                    # "raise the light" with nothing changed before: the model left out the
                    # control, and there is no last change to refer to; the clause's likeliest
                    # number control (the router's read-out) is the one meant.
                    step = plan[min(len(planned), len(plan) - 1)] if plan else None
                    likely = [c for c in getattr(step, "controls", ()) if self.bound.value_range(c)]
                    if likely:
                        args["control"] = likely[0]
                call = (name, args, {})
                if call in planned or self.bound.covered((name, args), [(n, a) for n, a, _ in planned]):
                    # The 0.5B model sometimes repeats a call (打开雾灯 came out three times);
                    # the same change twice in one sentence is never what was asked.
                    continue
                planned.append(call)
            except (ParseError, ToolArgError) as err:
                log.warning("unusable call in %r: %s", out, err)
                if isinstance(err, ToolArgError) and not isinstance(parsed, ParseError):
                    failed.append((i, self.bound.domain(*parsed)))
        return planned, failed

    # -- running ------------------------------------------------------------------------------
    def _run(self, tool: str, args: dict[str, Any], ctx: dict[str, Any], text: str) -> dict[str, Any]:
        st, b = self.state, self.bound
        args, ctx = dict(args), dict(ctx)
        result: dict[str, Any] | None
        if args.pop("_failed", False):
            result = {"kind": "failed"}
        elif args.pop("_declined", False):
            result = {"kind": "chat", "topic": "confirm_declined"}
        elif args.pop("_no_more", False):
            result = {"kind": "error", "message": "no more results"}
        elif args.pop("_list", False):
            result = {"kind": st.items_kind, "items": list(st.items), "cursor": st.cursor}
        else:
            result = self._execute(tool, args, ctx)
        reply = replies.compose(b, tool, args, result, _lang(text))
        if (
            result
            and result.get("kind") not in ("confirm",)
            and tool not in ("chat", "weather")
            or result
            and result.get("kind") == "confirm"
        ):
            st.remember(tool, args, result)
        ok = bool(result) and result.get("kind") not in _FAILED_KINDS and result.get("ok", True)
        return {"tool": b.public_name(tool), "args": {k: v for k, v in args.items() if not k.startswith("_")},
                "domain": b.domain(tool, args), "ok": ok, "result": result, "_reply": reply, "_tool": tool}  # fmt: skip

    def _execute(self, tool: str, args: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any]:
        st = self.state
        key = _PLACE_ARGS.get(tool)
        value = args.get(key) if key else None
        if value is not None and ctx.get("place") is None and ctx.get("near_place") is None:
            ref = st.reference(value)
            if ref is not None:
                ctx["near_place" if key == "near" else "place"] = as_place(ref)
            elif self.bound.is_reference(value):  # "there" with nothing before it
                if key != "near":
                    return {"kind": "failed"}
                args.pop(key)  # nearby
        if tool == "undo" and st.last_tool in ("navigate", "add_stop") and st.last_control is None:
            tool = "cancel_route" if st.last_tool == "navigate" else "remove_stop"
        ctx.setdefault("last_control", st.last_control)
        return Actions(self.world, self.cabin, self.bound).run(tool, args, ctx)


def _lang(text: str) -> str:
    return detect_language(text)


def _call_text(tool: str, args: dict[str, Any]) -> str:
    import json

    inner = ", ".join(f"{k}={json.dumps(_plain(v), ensure_ascii=False)}" for k, v in args.items())
    return f"{tool}({inner})"


def _plain(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def default_cabin(path: str | None = None) -> Any:
    """The process-wide cabin (app.vehicle) when installed, else a simulated one persisted under
    the data dir. With `path`: a cabin of its own kept in that file (the CLI's --session)."""
    try:
        from app.vehicle import Cabin, load_cabin

        return Cabin(path=path) if path else load_cabin()
    except ImportError:
        from app import paths
        from app.agent.fake_cabin import FakeCabin

        return FakeCabin(path or paths.data_dir() / "agent" / "simulated_cabin.json")


def make_agent(world: Any = None, base_url: str | None = None, model: str = "qwen", cabin: Any = None,
               local_model: str | None = None, **_: Any) -> CockpitAgent:  # fmt: skip
    """The real agent: local Qwen via llama-cpp-python, or an OpenAI-compatible server if base_url is given.

    `local_model` names the local model in the manifest (default: COCKPIT_AGENT_MODEL, else
    qwen2.5-0.5b). The local model starts loading at once on its worker thread (warm-up), so the first turn
    does not pay for it if the caller does other set-up meanwhile.
    """
    from app.agent import schema
    from app.agent.runtime import LlamaRuntime, OpenAIRuntime

    cabin = cabin if cabin is not None else default_cabin()
    bound = schema.bind_default(cabin, world)
    if base_url:
        runtime: Any = OpenAIRuntime(bound, base_url, model=model)
    else:
        runtime = LlamaRuntime(bound, model_name=local_model)
        runtime.start()
    return CockpitAgent(runtime, world=world, cabin=cabin, bound=bound, router=default_router())


def default_router() -> Any:
    """The domain router on multilingual-e5 (app.agent.router); None if it cannot load, and the
    agent then decides with Qwen alone (slower to be right, never a dead assistant)."""
    import os

    if os.environ.get("COCKPIT_AGENT_ROUTER", "1") == "0":  # for the bench's ablation
        return None
    try:
        from app.agent import router

        r = router.load()
        r.plan("warm up")  # loads the embedding model now, not in the first turn
        return r
    except Exception:
        log.exception("router unavailable: Qwen alone picks the domains")
        return None

"""LLM runtimes: the local llama-cpp-python worker, and an OpenAI-compatible HTTP client.

Both take the per-turn prompt suffix and return the model's tool calls as text, one a line.

The local runtime is built around this machine's budget (2 cores: ~175 tok/s prompt eval,
~22 ms a generated token):
- the fixed prefix (system prompt derived from the schema, few-shot turns = the schema's
  examples) is evaluated once; its KV state is cached on disk; each turn rewinds the KV cache to
  the longest common prefix and evaluates only its new tokens;
- decoding is constrained by the schema: tool names, argument names (in the schema's order) and
  every value with declared choices (categories, car controls, a control's values, enums) are
  picked from logits restricted to a token trie of the allowed strings, so each costs one
  forward pass per branch point and cannot be something the schema does not declare; only free
  text (a place, a song, a contact, a number) is generated, greedily, up to its closing quote;
- after each call the model chooses between a new line (another call) and the end of the turn:
  that is how several requests in one sentence become several calls.
All llama calls run on one dedicated worker thread, because a llama context must not be used
from two threads at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

from app.agent import prompt

log = logging.getLogger(__name__)

MAX_ARG_TOKENS = 24
# How much more (in logits) the model must want to close a copied value than to copy on.
COPY_MARGIN = float(os.environ.get("COCKPIT_COPY_MARGIN", "1.5"))
MAX_CALLS = 4
# The prefix (6,086 tokens: the tools and their examples), two turns of history, the request
# and room for MAX_CALLS calls. The KV cache and the attention scratch are sized by it: 1,024
# tokens fewer measured 13 MB less. tests/models/test_agent_model.py checks that the room is there.
N_CTX = 7168
ROOM = 2 * 64 + 96 + MAX_CALLS * 3 * MAX_ARG_TOKENS
END = "<|im_end|>"


class Runtime(Protocol):
    name: str

    def decide(self, suffix: str, plan: list[Any] | None = None) -> str:
        """The model's tool calls for this prompt suffix (prompt.turn(...)), one a line. Blocking.

        `plan` (from the router): one entry per request heard, in order: its allowed domains (a
        tuple, or an object with `.domains` and `.controls`, the likeliest cabin controls); the
        turn then has at least one call per entry. A runtime that cannot constrain decoding may
        ignore it."""
        ...

    def warm_up(self) -> None: ...


class LlamaRuntime:
    name = "llama-cpp"

    def __init__(
        self,
        bound: Any,
        model_path: str | None = None,
        n_threads: int | None = None,
        n_ctx: int = N_CTX,
        model_name: str | None = None,
    ):
        import os

        self.bound = bound
        self.model_path = model_path
        # A manifest name: the 1.5B model is there for machines with cores to spare and for
        # measuring what it buys (docs/agent.md, session 16).
        self.model_name = model_name or os.environ.get("COCKPIT_AGENT_MODEL", "qwen2.5-0.5b")
        # 2 threads on a quiet 2-core machine; on a shared, oversubscribed one every barrier between
        # the threads waits for a descheduled thread, and 1 thread is many times faster.
        self.n_threads = n_threads or int(os.environ.get("COCKPIT_AGENT_THREADS", "2"))
        self.n_ctx = n_ctx
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qwen")
        self._ready: Future | None = None
        self._lock = threading.Lock()
        self.llm: Any = None
        self.prefix_tokens: list[int] = []
        # With COCKPIT_AGENT_DOMAIN_PREFIX=1, one prefix per domain besides the whole one: a request
        # of one domain is decided after its domain's tools and examples only (239-2,412 tokens
        # instead of 6,086).
        self.domain_prefixes: dict[str, list[int]] = {}
        self.warm_up_s: float | None = None

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> Future:
        """Load the model and evaluate the prefix on the worker; returns at once."""
        with self._lock:
            if self._ready is None:
                self._ready = self._pool.submit(self._load)
            return self._ready

    def warm_up(self) -> None:
        self.start().result()

    def _load(self) -> None:
        import os

        # Shared, loaded machines: OpenMP's spin-waiting made 2 threads ~10x slower than 1; passive
        # waiting costs little when the machine is quiet. Must be set before the library loads.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from llama_cpp import Llama

        _no_amx_buffers()

        if self.model_path is None:
            from app.models import path

            self.model_path = str(path(self.model_name))
        t0 = time.perf_counter()
        self.llm = Llama(
            model_path=self.model_path,
            n_ctx=self.n_ctx,
            n_threads=self.n_threads,
            n_threads_batch=self.n_threads,
            # The attention scratch grows with n_ctx x n_batch: 256 held 65 MB more than 128 at the
            # same speed (a turn's suffix is 10-40 tokens; the prefix comes from the state file).
            n_batch=128,
            verbose=False,
        )
        self.prefix_tokens = self._tok(prompt.prefix(self.bound))
        # Off by default: on 310 dev rows it left the domains as they were, cost 3 points of
        # arguments (places 89 -> 80 %) and bought no speed (p50 803 -> 809 ms; every change of
        # domain reads another state file). Kept for the next attempt (docs/agent.md, session 12).
        if os.environ.get("COCKPIT_AGENT_DOMAIN_PREFIX", "0") == "1":
            self.domain_prefixes = {
                d: self._tok(prompt.prefix(self.bound, (d,))) for d in self.bound.schema.domains
            }
        for tokens in (*self.domain_prefixes.values(), self.prefix_tokens):
            self._use_prefix(tokens)  # each evaluated once per install, then read from its file
        self._prune_prefix_files()
        self._tries: dict[tuple[str, ...], _Trie] = {}
        # First tokens of whatever can follow a complete name or value.
        self._stops = {self._tok(x)[0] for x in ('"', '")', '",', '")\n', "(", "()", "()\n")}
        self._im_end = self._tok("<|im_end|>")[0]
        self._opener = self._tok("<|im_start|>user\n")  # how every turn's suffix begins
        from app import heap

        # Most of the token-embedding table is never read (app/heap.py); a short request then
        # faults back what a decision reads, so the first turn is as fast as the rest.
        heap.drop_file_pages(self.model_path)
        self._sync(self.prefix_tokens + self._tok("<|im_start|>user\n你好, hello<|im_end|>\n"))
        self.warm_up_s = time.perf_counter() - t0
        log.info("qwen ready: %d prefix tokens in %.1f s", len(self.prefix_tokens), self.warm_up_s)

    # -- prefix KV cache on disk: warm-up drops from ~7 s (prefix eval) to well under a second
    def _use_prefix(self, tokens: list[int]) -> None:
        """Make the KV cache start with `tokens`: kept if it does, else read from the prefix's
        file (a few ms), else evaluated and saved."""
        n = len(tokens)
        if self.llm.n_tokens >= n and list(self.llm.input_ids[:n]) == tokens:
            return
        if not self._load_prefix(tokens):
            self._sync(tokens)
            self._save_prefix(tokens)

    def prefix_for(self, plan: list[Any] | None) -> list[int]:
        """The prefix a turn is decided after: its domain's, when every request the router heard
        is of that one domain; otherwise the whole one."""
        domains = {d for step in plan or () for d in (getattr(step, "domains", step) or ())}
        if len(domains) == 1 and (d := domains.pop()) in self.domain_prefixes:
            return self.domain_prefixes[d]
        return self.prefix_tokens

    def _prefix_file(self, tokens: list[int]) -> Path:
        import llama_cpp

        from app import paths

        st = Path(self.model_path).stat()
        # Everything that changes the KV layout or content must be in the key.
        h = hashlib.sha256(
            f"{st.st_size}:{st.st_mtime_ns}:{llama_cpp.__version__}:{self.n_ctx}:fa=off".encode()
        )
        h.update(",".join(map(str, tokens)).encode())
        return paths.cache_dir() / "agent" / f"prefix-{h.hexdigest()[:16]}.llstate"

    def _load_prefix(self, tokens: list[int]) -> bool:
        import ctypes

        import llama_cpp

        path = self._prefix_file(tokens)
        if not path.exists():
            return False
        buf = (llama_cpp.llama_token * self.n_ctx)()
        n = ctypes.c_size_t(0)
        ok = llama_cpp.llama_state_load_file(
            self.llm._ctx.ctx, str(path).encode(), buf, self.n_ctx, ctypes.byref(n)
        )
        if not ok or list(buf[: n.value]) != tokens:
            log.warning("prefix cache %s unusable; re-evaluating", path)
            self.llm._ctx.kv_cache_clear()
            self.llm.n_tokens = 0
            return False
        self.llm.input_ids[: n.value] = tokens
        self.llm.n_tokens = n.value
        return True

    def _prune_prefix_files(self, max_age_s: float = 2 * 86400) -> None:
        """Delete the prefix files of earlier prompts and model files (75 MB each) that no
        process has read for `max_age_s`; reading one touches it."""
        keep = {self._prefix_file(t) for t in (self.prefix_tokens, *self.domain_prefixes.values())}
        now = time.time()
        for path in self._prefix_file(self.prefix_tokens).parent.glob("prefix-*.llstate"):
            try:
                if path in keep:
                    os.utime(path)
                elif now - path.stat().st_mtime > max_age_s:
                    path.unlink()
            except OSError:
                pass  # another process's file, gone or in use: not ours to insist on

    def _save_prefix(self, tokens: list[int]) -> None:
        import llama_cpp

        path = self._prefix_file(tokens)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            toks = (llama_cpp.llama_token * len(tokens))(*tokens)
            if llama_cpp.llama_state_save_file(self.llm._ctx.ctx, str(tmp).encode(), toks, len(tokens)):
                tmp.replace(path)  # atomic: a half-written cache is never read
        except OSError:
            log.warning("could not write the prefix cache", exc_info=True)

    def close(self) -> None:
        self._pool.shutdown(wait=False)

    # -- decoding -------------------------------------------------------------------------
    def decide(self, suffix: str, plan: list[Any] | None = None) -> str:
        self.warm_up()
        return self._pool.submit(self._decide, suffix, plan).result()

    def _tok(self, text: str) -> list[int]:
        return self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)

    def _sync(self, tokens: list[int]) -> None:
        """Make the KV cache hold exactly `tokens`, re-evaluating only what differs from now."""
        llm = self.llm
        have = llm.n_tokens
        common = 0
        limit = min(have, len(tokens))
        ids = llm.input_ids
        while common < limit and ids[common] == tokens[common]:
            common += 1
        # Leave one token to evaluate so the logits of the last position are fresh.
        common = min(common, len(tokens) - 1)
        llm.n_tokens = common
        llm.eval(tokens[common:])

    def _logits(self):
        # Llama.eval no longer copies logits into .scores (sampling moved into llama.cpp),
        # so read the last position's row straight from the context.
        import numpy as np

        return np.ctypeslib.as_array(self.llm._ctx.get_logits(), shape=(self.llm.n_vocab(),))

    def _decide(self, suffix: str, plan: list[Any] | None = None) -> str:
        plan = list(plan or [])[:MAX_CALLS]
        head = self.prefix_for(plan)
        tokens = head + self._tok(suffix)
        if len(tokens) + MAX_CALLS * 3 * MAX_ARG_TOKENS >= self.n_ctx:
            raise ValueError("prompt too long for the context")
        self._use_prefix(head)
        # The request is evaluated after the prefix and the user turn's opening (both evaluated
        # by the warm-up), never after the last request's words: a token evaluated in another
        # batch differs in the last bits, and on the 0.5B model's near ties that had changed a
        # request's calls with whatever was asked before it ("好的，…" after "好的。…"). Cutting at
        # the prefix itself cost 100 ms a turn (the three opening tokens, each attending to 6k).
        # With COCKPIT_AGENT_DOMAIN_PREFIX=1 a change of prefix re-evaluates the opening with the
        # request, so that experimental mode is not deterministic in this way.
        self.llm.n_tokens = min(self.llm.n_tokens, len(head) + len(self._opener))
        self._sync(tokens)
        tools = self.bound.tools
        calls: list[str] = []
        pending: list[int] = []
        # Options carry their punctuation because Qwen's tokenizer merges it with the neighbours
        # ("(place", '="', '")', '")\n'): forcing "(" alone would show the model token sequences
        # it never saw in the examples.
        while True:
            # Call i of a routed turn is one of the tools of clause i's domains. Beyond the plan
            # only a chainable tool of the last clause's domains may follow (a second car control
            # in one clause); left free, the model added stops, searches and car calls to taxi
            # questions.
            step = plan[min(len(calls), len(plan) - 1)] if plan else None
            domains = getattr(step, "domains", step)
            likely = getattr(step, "controls", ())
            names = self.bound.tools_for(domains) if domains else list(tools)
            if likely:
                # A cabin tool must reach one of the clause's likely targets: "mute" reads as
                # media.volume, so media_control (pause, skip) is not among the choices.
                names = [
                    n for n in names if not self.bound.targets(n) or self.bound.targets(n) & set(likely)
                ] or names
            cats = getattr(step, "categories", ())
            if cats:
                # A tool that stands for one category must be for one of the clause's likely
                # ones: 日料店 reads as a restaurant, so find_parking is not a choice.
                names = [n for n in names if tools[n].category in (None, *cats)] or names
            if getattr(step, "text", None):
                names = self.bound.tools_named(names, step.text)
            if len(calls) >= len(plan) > 0:
                names = [n for n in names if tools[n].chainable] or names
            name, pending = self._pick(names, pending)
            params = list(tools[name].params)
            required = [a.name for a in tools[name].args if a.required]
            if domains and "vehicle" not in domains and "control" in params and "control" not in required:
                # car_adjust in a media clause ("turn it up") names its control, so it is the
                # volume and not whatever was changed last.
                required = ["control", *required]
            if len(calls) + 1 < len(plan):
                closers = ["\n"]  # the router heard another request after this one
            elif plan and not any(tools[n].chainable for n in self.bound.tools_for(domains or ())):
                closers = [END]  # the last request heard, and nothing may follow it
            else:
                closers = ["\n", END] if len(calls) + 1 < MAX_CALLS else [END]
            args: dict[str, str] = {}
            if required:
                options = [f'({required[0]}="']
            else:
                options = [f'({k}="' for k in params] + [f"(){c}" for c in closers]
            while True:
                choice, pending = self._pick(options, pending)
                if choice.endswith(tuple(closers)):
                    break
                key = choice.strip('(", =')
                params = params[params.index(key) + 1 :]  # keys come in the schema's order
                allowed = self.bound.choices(name, key, args)
                if allowed and cats and key == "category":
                    allowed = [c for c in allowed if c in cats] or allowed  # restaurant, not toilet
                if allowed and likely and key == "action":
                    allowed = [c for c in allowed if c in likely] or allowed  # pause vs skip
                if allowed and domains and key == "control":
                    allowed = control_choices(
                        self.bound, name, allowed, domains, likely, getattr(step, "text", None)
                    )
                if allowed:
                    args[key], pending = self._pick(allowed, pending)
                else:
                    arg = tools[name].arg(key)
                    said = getattr(step, "text", None) if arg is not None and arg.whole else None
                    args[key], pending = self._value(pending, MAX_ARG_TOKENS, said)
                later_required = [k for k in params if k in required]
                if later_required:
                    options = [f'", {later_required[0]}="']
                else:
                    options = [f'", {k}="' for k in params] + [f'"){c}' for c in closers]
            inner = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in args.items())
            calls.append(f"{name}({inner})")
            if choice.endswith(END):
                return "\n".join(calls)

    def _pick(self, options: list[str], pending: list[int]) -> tuple[str, list[int]]:
        if len(options) == 1:
            return options[0], pending + self._tok(options[0])
        return self._choose(self._options_trie(options), pending)

    def _options_trie(self, options) -> _Trie:
        key = tuple(options)
        if key not in self._tries:
            self._tries[key] = _Trie({o: self._tok(o) for o in options})
        return self._tries[key]

    def _choose(self, trie: _Trie, pending: list[int] | None = None) -> tuple[str, list[int]]:
        """Walk a trie of allowed continuations, taking the likeliest token where they branch.

        One forward pass per branching point: the model ranks only what is allowed, so it cannot
        produce an unknown tool, argument or value.
        """
        node, pending = trie.root, list(pending or [])
        while node.name is None or node.children:
            if len(node.children) == 1 and node.name is None:
                tok = next(iter(node.children))
            else:
                if pending:
                    self.llm.eval(pending)
                    pending = []
                logits = self._logits()
                tok = max(node.children, key=lambda t: logits[t])
                # An option that is a prefix of another ("park" / "parking"): stop here if the
                # model would rather close the value or open the arguments.
                if node.name is not None and logits[tok] < max(logits[t] for t in self._stops):
                    break
            pending.append(tok)
            node = node.children[tok]
        return node.name, pending

    def _value(self, pending: list[int], limit: int, said: str | None = None) -> tuple[str, list[int]]:
        """Greedy-generate a string value up to its closing quote.

        Returns the value and the tokens still to evaluate: the token that holds the closing
        quote is not fed back, so the next choice ('")' or '", near="') is made by the trie from
        the logits at that point.

        With `said` (the request's words, for an argument the schema calls `whole`: a title), a
        value that is a copy of them goes on copying where the model's wish to close it is no
        clearer than COPY_MARGIN: the 0.5B model cut titles short ("play all order of the green
        hand" -> "all", 邓紫棋的光年之外 -> 邓紫棋).
        """
        if pending:
            self.llm.eval(pending)
        out = b""
        for _ in range(limit):
            logits = self._logits()
            tok = int(logits.argmax())
            if said and out and tok in self._stops | {self._im_end}:
                nxt = self._copy_next(out.decode("utf-8", errors="ignore"), said)
                if nxt is not None and logits[nxt] >= logits[tok] - COPY_MARGIN:
                    tok = nxt
            if tok == self._im_end or tok == self.llm.token_eos():
                break
            piece = self.llm.detokenize([tok])
            if b'"' in piece or b"\n" in piece:
                head = piece.split(b'"')[0].split(b"\n")[0]
                out += head
                tail = self._tok(head.decode("utf-8", errors="ignore")) if head else []
                return out.decode("utf-8", errors="ignore"), tail
            out += piece
            self.llm.eval([tok])
        return out.decode("utf-8", errors="ignore"), []

    def _copy_next(self, value: str, said: str) -> int | None:
        """The token that would carry `value` on along the request's words, if `value` is a
        copy of them that stops inside a phrase (before a letter or a CJK character)."""
        at = said.lower().find(value.lower())
        if at < 0 or not value.strip():
            return None
        rest = said[at + len(value) :]
        if not rest or not (rest[0] == " " and rest[1:2].isalnum() or rest[0].isalnum()):
            return None
        toks = self._tok(rest)
        return toks[0] if toks else None


def control_choices(bound: Any, tool: str, allowed: list[str], domains: tuple[str, ...] | list[str],
                    likely: tuple[str, ...] | list[str], text: str | None) -> list[str]:  # fmt: skip
    """The controls a call of a routed clause may name. car_set(control="media.volume") is a media
    call: the clause's domains are kept, and among them the controls the router found likeliest."""
    allowed = [c for c in allowed if bound.domain(tool, {"control": c}) in domains] or allowed
    named = [c for c in allowed if text and bound.mentioned(c, text)]
    allowed = [c for c in allowed if c in likely] or allowed
    if named and not {c.split(".")[0] for c in named} & {c.split(".")[0] for c in allowed}:
        # The read-out missed the part of the car the driver named ("seat heating to level 2"
        # read as the temperatures): the model chooses among both. Within one part its reading
        # stands: 空调 names climate.power, but 把空调调到二十三度 is the temperature.
        return allowed + named
    # Among the likely ones, those the driver named, by their own words or a choice of theirs
    # (自动, blue): 雾太大了，打开雾灯 had switched on the front defrost, a likely control the
    # driver never named.
    return [c for c in allowed if c in named] or allowed


def _no_amx_buffers() -> None:
    """On a VM that reports AMX but does not grant the tile state, llama.cpp's AMX matmul (an
    "extra buffer type") faults with SIGSEGV at the first prompt batch. Where the CPU reports AMX,
    the model is loaded without extra buffer types (plain AVX2/AVX-512 kernels); elsewhere nothing
    changes. Found by the evalset/perf engineers (app/bench/agent_noamx.py)."""
    import llama_cpp
    import llama_cpp.llama as llama_module

    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="ignore") as f:
            if "amx_tile" not in f.read():
                return
    except OSError:
        return
    if getattr(llama_cpp.llama_model_default_params, "_no_extra_bufts", False):
        return
    original = llama_cpp.llama_model_default_params

    def params():
        p = original()
        p.use_extra_bufts = False
        return p

    params._no_extra_bufts = True  # type: ignore[attr-defined]
    llama_cpp.llama_model_default_params = params
    llama_module.llama_cpp.llama_model_default_params = params


class _Node:
    __slots__ = ("children", "name")

    def __init__(self):
        self.children: dict[int, _Node] = {}
        self.name: str | None = None


class _Trie:
    def __init__(self, tokens: dict[str, list[int]]):
        self.tokens = tokens
        self.root = _Node()
        for name, toks in tokens.items():
            node = self.root
            for t in toks:
                node = node.children.setdefault(t, _Node())
            node.name = name


class OpenAIRuntime:
    """A larger Qwen behind an OpenAI-compatible server (llama.cpp server, vLLM).

    Sends the same instructions and few-shot turns as chat messages; the server's
    own prefix caching plays the part of our KV-cache reuse.
    """

    name = "openai"

    def __init__(
        self,
        bound: Any,
        base_url: str,
        model: str = "qwen",
        api_key: str | None = None,
        timeout_s: float = 10.0,
    ):
        self.bound = bound
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout_s = timeout_s

    def warm_up(self) -> None:
        pass

    def messages(self, suffix_turns: list[tuple[str, str]], user: str) -> list[dict[str, str]]:
        msgs = [{"role": "system", "content": self.bound.prompt_system()}]
        for u, c in (*self.bound.prompt_examples(), *suffix_turns):
            msgs += [{"role": "user", "content": u}, {"role": "assistant", "content": c}]
        return [*msgs, {"role": "user", "content": user}]

    def decide(self, suffix: str, plan: list[Any] | None = None) -> str:
        history, user = prompt.parse_turn(suffix)
        body = {
            "model": self.model,
            "messages": self.messages(history, user),
            "temperature": 0,
            "max_tokens": 160,
        }
        req = urllib.request.Request(
            self.base_url + "/chat/completions",
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}),
            },
        )
        with urllib.request.urlopen(req, timeout=self.timeout_s) as resp:
            data = json.load(resp)
        return data["choices"][0]["message"]["content"] or ""

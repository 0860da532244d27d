"""LLM runtimes: the local llama-cpp-python worker, and an OpenAI-compatible HTTP client.

Both take the per-turn prompt suffix and return the model's tool call as text.

The local runtime is built around this machine's budget (2 cores: ~175 tok/s
prompt eval, ~45 tok/s generation, ~22 ms a generated token):
- the fixed prefix (system prompt, tools, few-shot turns) is evaluated once at
  warm-up; each turn rewinds the KV cache to the longest common prefix and
  evaluates only its new tokens;
- the tool name is chosen by comparing logits only among tool-name tokens (a
  token trie), so it costs one or two forward passes and can never be a name
  that does not exist;
- the call head (`navigate(destination="`) is forced, not generated, and
  generation stops at the closing parenthesis.
All llama calls run on one dedicated worker thread, because a llama context
must not be used from two threads at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

from app.agent import prompt
from app.agent.tools import TOOLS

log = logging.getLogger(__name__)

# These tools always start with their first argument, so the model is not asked whether to close early.
FORCED_FIRST = {"navigate", "add_stop", "none"}
NO_ARGS = {name for name, spec in TOOLS.items() if not spec.params}
MAX_ARG_TOKENS = 24
MAX_REPLY_TOKENS = 20


class Runtime(Protocol):
    name: str

    def decide(self, suffix: str, exclude: tuple[str, ...] = (), drop_params: tuple[str, ...] = ()) -> str:
        """The model's tool call for this prompt suffix (prompt.turn(...)), as text. Blocking.

        `exclude` names tools the caller rejected: the model's next-best choice is returned.
        `drop_params` names arguments the model may not write (e.g. near, when the request
        names no place): fewer tokens, and nothing to hallucinate."""
        ...

    def warm_up(self) -> None: ...


class LlamaRuntime:
    name = "llama-cpp"

    def __init__(
        self, model_path: str | None = None, n_threads: int = 2, n_ctx: int = 2048, chat_replies: bool = True
    ):
        self.model_path = model_path
        self.n_threads = n_threads
        self.n_ctx = n_ctx
        self.chat_replies = chat_replies
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qwen")
        self._ready: Future | None = None
        self._lock = threading.Lock()
        self.llm: Any = None
        self.prefix_tokens: list[int] = []
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
        from llama_cpp import Llama

        if self.model_path is None:
            from app.models import path

            self.model_path = str(path("qwen2.5-0.5b"))
        t0 = time.perf_counter()
        self.llm = Llama(
            model_path=self.model_path,
            n_ctx=self.n_ctx,
            n_threads=self.n_threads,
            n_threads_batch=self.n_threads,
            n_batch=256,  # scores buffer is n_batch x 152k vocab floats: keep it small
            verbose=False,
        )
        self.prefix_tokens = self._tok(prompt.prefix())
        if not self._load_prefix():
            self._sync(self.prefix_tokens)
            self._save_prefix()
        self._trie = _Trie({name: self._tok(name) for name in TOOLS})
        self._tries: dict[tuple[str, ...], _Trie] = {}
        self._im_end = self._tok("<|im_end|>")[0]
        self.warm_up_s = time.perf_counter() - t0
        log.info("qwen ready: %d prefix tokens in %.1f s", len(self.prefix_tokens), self.warm_up_s)

    # -- prefix KV cache on disk: warm-up drops from ~7 s (prefix eval) to well under a second
    def _prefix_file(self) -> Path:
        import llama_cpp

        from app import paths

        st = Path(self.model_path).stat()
        # Everything that changes the KV layout or content must be in the key.
        h = hashlib.sha256(
            f"{st.st_size}:{st.st_mtime_ns}:{llama_cpp.__version__}:{self.n_ctx}:fa=off".encode()
        )
        h.update(",".join(map(str, self.prefix_tokens)).encode())
        return paths.cache_dir() / "agent" / f"prefix-{h.hexdigest()[:16]}.llstate"

    def _load_prefix(self) -> bool:
        import ctypes

        import llama_cpp

        path = self._prefix_file()
        if not path.exists():
            return False
        buf = (llama_cpp.llama_token * self.n_ctx)()
        n = ctypes.c_size_t(0)
        ok = llama_cpp.llama_state_load_file(
            self.llm._ctx.ctx, str(path).encode(), buf, self.n_ctx, ctypes.byref(n)
        )
        if not ok or list(buf[: n.value]) != self.prefix_tokens:
            log.warning("prefix cache %s unusable; re-evaluating", path)
            self.llm._ctx.kv_cache_clear()
            self.llm.n_tokens = 0
            return False
        self.llm.input_ids[: n.value] = self.prefix_tokens
        self.llm.n_tokens = n.value
        return True

    def _save_prefix(self) -> None:
        import llama_cpp

        path = self._prefix_file()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            toks = (llama_cpp.llama_token * len(self.prefix_tokens))(*self.prefix_tokens)
            if llama_cpp.llama_state_save_file(
                self.llm._ctx.ctx, str(tmp).encode(), toks, len(self.prefix_tokens)
            ):
                tmp.replace(path)  # atomic: a half-written cache is never read
        except OSError:
            log.warning("could not write the prefix cache", exc_info=True)

    def close(self) -> None:
        self._pool.shutdown(wait=False)

    # -- decoding -------------------------------------------------------------------------
    def decide(self, suffix: str, exclude: tuple[str, ...] = (), drop_params: tuple[str, ...] = ()) -> str:
        self.warm_up()
        return self._pool.submit(self._decide, suffix, tuple(exclude), tuple(drop_params)).result()

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

    def _decide(self, suffix: str, exclude: tuple[str, ...] = (), drop_params: tuple[str, ...] = ()) -> str:
        tokens = self.prefix_tokens + self._tok(suffix)
        if len(tokens) + 2 * MAX_ARG_TOKENS + MAX_REPLY_TOKENS >= self.n_ctx:
            raise ValueError("prompt too long for the context")
        self._sync(tokens)
        # Same suffix again (a retry with exclusions) costs nothing: _sync finds it all cached.
        trie = (
            self._trie
            if not exclude
            else self._options_trie(tuple(n for n in TOOLS if n not in exclude), self._tool_tok)
        )
        name, pending = self._choose(trie)
        if name in NO_ARGS or (name == "none" and not self.chat_replies):
            return f"{name}()"
        # Options carry their punctuation because Qwen's tokenizer merges it with the
        # neighbours ("(destination", '")', '",'): forcing "(" alone would show the model
        # token sequences it never saw in the examples.
        args: dict[str, str] = {}
        remaining = [p for p in TOOLS[name].params if p not in drop_params or p in TOOLS[name].required]
        while remaining:
            if not args:
                options = [f'({k}="' for k in remaining]
                if name not in FORCED_FIRST:  # navigate, add_stop and none always have their first argument
                    options.append("()")
            else:
                options = [f'", {k}="' for k in remaining] + ['")']
            if len(options) == 1:
                choice, pending = options[0], pending + self._tok(options[0])
            else:
                choice, pending = self._choose(self._options_trie(options), pending)
            if choice in ("()", '")'):
                break
            key = choice.strip('(", =')
            remaining.remove(key)
            args[key], pending = self._value(pending, MAX_REPLY_TOKENS if key == "reply" else MAX_ARG_TOKENS)
        inner = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in args.items())
        return f"{name}({inner})"

    def _options_trie(self, options, tok=None) -> _Trie:
        key = tuple(options)
        if key not in self._tries:
            self._tries[key] = _Trie({o: (tok or self._tok)(o) for o in options})
        return self._tries[key]

    def _tool_tok(self, name: str) -> list[int]:
        return self._trie.tokens[name]

    def _choose(self, trie: _Trie, pending: list[int] | None = None) -> tuple[str, list[int]]:
        """Walk a trie of allowed continuations, taking the likeliest token where they branch.

        One forward pass per branching point: the model ranks only what is allowed,
        so it cannot produce an unknown tool or argument name.
        """
        node, pending = trie.root, list(pending or [])
        while node.name is None:
            if len(node.children) == 1:
                tok = next(iter(node.children))
            else:
                if pending:
                    self.llm.eval(pending)
                    pending = []
                logits = self._logits()
                tok = max(node.children, key=lambda t: logits[t])
            pending.append(tok)
            node = node.children[tok]
        return node.name, pending

    def _value(self, pending: list[int], limit: int) -> tuple[str, list[int]]:
        """Greedy-generate a string value up to its closing quote.

        Returns the value and the tokens still to evaluate: the token that holds the
        closing quote is not fed back, so the next choice ('")' or '", near="') is made
        by the trie from the logits at that point.
        """
        if pending:
            self.llm.eval(pending)
        out = b""
        for _ in range(limit):
            tok = int(self._logits().argmax())
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
        self, base_url: str, model: str = "qwen", api_key: str | None = None, timeout_s: float = 10.0
    ):
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout_s = timeout_s

    def warm_up(self) -> None:
        pass

    def messages(self, suffix_turns: list[tuple[str, str]], user: str) -> list[dict[str, str]]:
        msgs = [{"role": "system", "content": prompt.SYSTEM}]
        for u, c in (*prompt.EXAMPLES, *suffix_turns):
            msgs += [{"role": "user", "content": u}, {"role": "assistant", "content": c}]
        return [*msgs, {"role": "user", "content": user}]

    def decide(self, suffix: str, exclude: tuple[str, ...] = (), drop_params: tuple[str, ...] = ()) -> str:
        history, user = prompt.parse_turn(suffix)
        if exclude:
            # A chat API cannot mask tokens; say it instead.
            user += f"\n(Do not use: {', '.join(exclude)})"
        body = {
            "model": self.model,
            "messages": self.messages(history, user),
            "temperature": 0,
            "max_tokens": 64,
            "stop": ["\n"],
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

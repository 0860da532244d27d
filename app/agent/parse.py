"""Parse the model's tool call: `name(key="value", ...)`, or Qwen's <tool_call>{json}</tool_call>.

The prompt asks for the compact call form because every generated token costs
~22 ms here; the JSON forms are accepted too, for an OpenAI-compatible server
or a larger model that prefers its native format.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any


class ParseError(ValueError):
    pass


_TOOL_CALL = re.compile(r"<tool_call>\s*(\{.*?\})\s*(?:</tool_call>|$)", re.S)
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\((.*)$", re.S)


def parse_call(text: str) -> tuple[str, dict[str, Any]]:
    """(tool name, raw args) or ParseError. Does not check the name or the args: see tools.validate."""
    text = (text or "").strip()
    if not text:
        raise ParseError("empty model output")
    m = _TOOL_CALL.search(text)
    if m or text.startswith("{"):
        return _parse_json(m.group(1) if m else text)
    line = text.splitlines()[0].strip()
    m = _CALL.match(line)
    if not m:
        # A bare tool name ("trip_status") is a call without arguments.
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", line):
            return line, {}
        raise ParseError(f"not a tool call: {line[:80]!r}")
    inner = m.group(2).rstrip()
    # A missing ")" means generation stopped early; the arguments may still be whole.
    return m.group(1), _parse_kwargs(inner[:-1] if inner.endswith(")") else inner)


def _parse_json(blob: str) -> tuple[str, dict[str, Any]]:
    try:
        obj = json.loads(blob)
    except json.JSONDecodeError as err:
        raise ParseError(f"bad JSON tool call: {err}") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("name"), str):
        raise ParseError("tool call JSON has no name")
    args = obj.get("arguments", {})
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except json.JSONDecodeError:
            raise ParseError("arguments are not JSON") from None
    if not isinstance(args, dict):
        raise ParseError("arguments are not an object")
    return obj["name"], args


def _parse_kwargs(src: str) -> dict[str, Any]:
    src = src.strip()
    if not src:
        return {}
    try:
        call = ast.parse(f"f({src})", mode="eval").body
    except SyntaxError:
        return _parse_kwargs_loose(src)
    if not isinstance(call, ast.Call) or call.args:
        raise ParseError("positional arguments")
    out: dict[str, Any] = {}
    for kw in call.keywords:
        if kw.arg is None or not isinstance(kw.value, ast.Constant):
            raise ParseError("argument is not a literal")
        out[kw.arg] = kw.value.value
    return out


def _parse_kwargs_loose(src: str) -> dict[str, Any]:
    # Truncated output (max tokens hit inside a string) still has usable key="value" pairs.
    pairs = re.findall(r"(\w+)\s*=\s*[\"“]([^\"”]*)[\"”]?", src)
    if not pairs:
        raise ParseError(f"unparseable arguments: {src[:80]!r}")
    return dict(pairs)


def parse_calls(text: str) -> list[tuple[str, dict[str, Any]] | ParseError]:
    """Every call in the model's output, in order: one `name(...)` a line, or one
    <tool_call> block each (a server's native form). Unusable lines come back as ParseError."""
    text = text or ""
    blocks = (
        _TOOL_CALL.findall(text) if "<tool_call>" in text else [x for x in text.splitlines() if x.strip()]
    )
    out: list[tuple[str, dict[str, Any]] | ParseError] = []
    for b in blocks:
        try:
            out.append(parse_call(b))
        except ParseError as err:
            out.append(err)
    return out

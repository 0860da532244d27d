"""Does what the pipeline did match what a scenario step expects? Pure functions, no models.

The agent's answer arrives as `calls` (one per action, INTERFACES.md). An agent from before `calls`
reports one tool; `calls_of()` turns that into one call with the domain the benchmark uses, so the
same scenario checks both. Argument names are the agent's choice: an expected argument matches the
argument of that name, or, when the agent named it differently, any argument with that value.
"""

from __future__ import annotations

import json
import re
from typing import Any

# The old agent's tools, by benchmark domain: the scorer's own map.
from app.bench.nlu import OLD_TOOL_DOMAIN as TOOL_DOMAIN

# What an old tool implies without saying it, so `category: parking` matches find_parking.
TOOL_IMPLIES = {"find_parking": {"category": "parking"}, "find_restaurants": {"category": "restaurant"}}
FAILED_KINDS = ("error", "not_found", "no_route")


def calls_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The calls of one pipeline `result` event (or an AgentTurn-like dict)."""
    calls = data.get("calls")
    if calls:
        # find_parking/find_restaurants say their category by their name, in either agent.
        return [
            {**c, "args": {**TOOL_IMPLIES.get(c.get("tool"), {}), **(c.get("args") or {})}} for c in calls
        ]
    tool = data.get("tool") or "none"
    args = {**TOOL_IMPLIES.get(tool, {}), **(data.get("args") or {})}
    return [{"tool": tool, "args": args, "domain": TOOL_DOMAIN.get(tool, tool), "result": data.get("result")}]


def _norm(value: Any) -> str:
    text = str(value).lower()
    return re.sub(r"[\s'’`\-_.,，。!?？!]", "", text)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def value_matches(expected: Any, got: Any) -> bool:
    """One expected value (or a list of alternatives) against one got value."""
    for alt in _as_list(expected):
        if isinstance(alt, bool) or isinstance(got, bool):
            if _truthy(got) == _truthy(alt):
                return True
        elif isinstance(alt, int | float) and not isinstance(got, str | type(None)):
            try:
                if abs(float(got) - float(alt)) < 1e-6:
                    return True
            except (TypeError, ValueError):
                pass
        elif got is not None and _norm(alt) and _norm(alt) in _norm(got):
            return True
    return False


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.lower() not in ("", "0", "off", "false", "no", "none")
    return bool(value)


def _flat_values(args: dict[str, Any]) -> list[Any]:
    out = []
    for v in args.values():
        out += _flat_values(v) if isinstance(v, dict) else _as_list(v)
    return out


def call_matches(expected: dict[str, Any], call: dict[str, Any]) -> bool:
    if "domain" in expected and call.get("domain") not in _as_list(expected["domain"]):
        return False
    if "tool" in expected and call.get("tool") not in _as_list(expected["tool"]):
        return False
    args = call.get("args") or {}
    for key, want in (expected.get("args") or {}).items():
        if key in args:
            if not value_matches(want, args[key]):
                return False
        elif not any(value_matches(want, v) for v in _flat_values(args)):
            return False
    if expected.get("args_any"):
        dumped = _norm(json.dumps(args, ensure_ascii=False))
        if not any(_norm(s) in dumped for s in _as_list(expected["args_any"])):
            return False
    kind = (call.get("result") or {}).get("kind")
    want_kinds = expected.get("result_kind")
    if want_kinds is not None:
        return kind in _as_list(want_kinds)
    return kind not in FAILED_KINDS and call.get("ok", True) is not False


def calls_match(expected: list[dict[str, Any]], got: list[dict[str, Any]], exact: bool = False) -> bool:
    """Every expected call, in order, among the got calls (others may come between)."""
    if exact and len(expected) != len(got):
        return False
    i = 0
    for call in got:
        if i < len(expected) and call_matches(expected[i], call):
            i += 1
    return i == len(expected)


def lookup(state: dict[str, Any], path: str) -> Any:
    node: Any = state
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def condition_holds(condition: Any, value: Any) -> bool:
    """`">20"`, `"<15"`, `"!=off"` or a plain value (or alternatives)."""
    if isinstance(condition, str) and condition[:2] in ("<=", ">=", "!="):
        op, ref = condition[:2], condition[2:].strip()
    elif isinstance(condition, str) and condition[:1] in "<>":
        op, ref = condition[:1], condition[1:].strip()
    else:
        return value_matches(condition, value)
    if op == "!=":
        return not value_matches(ref, value)
    try:
        v, r = float(value), float(ref)
    except (TypeError, ValueError):
        return False
    return {"<": v < r, ">": v > r, "<=": v <= r, ">=": v >= r}[op]


def state_matches(expected: dict[str, Any], state: dict[str, Any] | None) -> dict[str, bool]:
    """Per expected path: does the state hold it? (All False without a state.)"""
    return {
        path: state is not None and condition_holds(cond, lookup(state, path))
        for path, cond in expected.items()
    }


def compact_calls(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Calls as the JSON line shows them: the result only by its kind."""
    out = []
    for c in calls:
        result = c.get("result") or {}
        out.append(
            {
                "tool": c.get("tool"),
                "domain": c.get("domain"),
                "args": {k: v for k, v in (c.get("args") or {}).items() if not str(k).startswith("_")},
                "result": result.get("kind") if isinstance(result, dict) else None,
            }
        )
    return out

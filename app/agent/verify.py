"""Checks on the model's choice against the driver's own words, and slot repair from the text.

A 0.5B model confuses neighbours ("traffic" -> traffic light, "shops" -> restaurants,
"from A to B" -> A). These checks need no model: a tool that acts on the world must
have some evidence in the request, and where the request has an unambiguous span
("从A打车到B", "X附近", "near X") that span wins over the model's copy.
"""

from __future__ import annotations

import re
from typing import Any

from app.agent.fastpath import cuisine_in, near_in

_EVIDENCE = {
    "find_parking": r"(停|车位|车库|park|garage|leave the car)",
    "find_restaurants": r"(吃|餐|饭|菜|食|馆|料理|火锅|咖啡|早茶|小吃|food|eat|restaurant|dinner|lunch|breakfast|brunch|table|reservation|book|cafe|café|coffee|diner|bakery|pizza|sushi|burger|bistro|steak|hungry|cuisine|dish|meal|cook|grill|pub|bar\b|tavern)",
    "traffic_light_status": r"(灯|信号|绿波|light|signal|green|red|amber)",
    "trip_status": r"(多远|多久|到达|到|几点到|几点能到|路况|堵|里程|公里|剩|eta|arriv|how long|how far|traffic|jam|congest|left|remaining|get there|distance|route|road)",
    "add_stop": r"(充电|电|加油|油|咖啡|吃|饭|餐|charg|fuel|gas|petrol|coffee|cafe|eat|food|restaurant|lunch|dinner|stop|way)",
}
# Questions no tool can answer, whatever the model thinks: phone numbers, opening hours.
_UNANSWERABLE = re.compile(
    r"(营业时间|电话|几点开门|几点关门|phone number|opening hours|open hours|what time does .* open)", re.I
)

_FROM_TO_ZH = re.compile(
    r"从\s*(?P<a>[^，。,？?！!]{1,40}?)\s*(?:出发)?\s*(?:打车|打的|叫车|坐出租车?|乘坐出租车?|乘出租车?|坐地铁|乘地铁|乘坐地铁|开车)?\s*(?:坐|乘坐|去|前往)?到\s*(?P<b>[^，。,？?！!]{1,40}?)\s*"
    r"(?=的出租|的地铁|去|，|,|。|？|\?|！|!|怎么|坐地铁|乘坐|乘地铁|坐出租|出租车|打车|考察|吧|呢|$)"
)
_FROM_TO_EN = re.compile(
    r"\bfrom\s+(?P<a>.+?)\s+to\s+(?P<b>[^,.?!]+?)(?:\s+(?:by|please|now|today|tonight)\b|[,.?!]|$)", re.I
)
_TO_FROM_EN = re.compile(r"\bto\s+(?P<b>.+?)\s+from\s+(?P<a>[^,.?!]+)", re.I)


_NEAR_WORDS = re.compile(
    r"(附近|旁边|周边|那边|一带|边上|周围|\bnear\b|\baround\b|close to|next to|\bby\b|\bin\b|\bat\b)", re.I
)


def names_a_place(text: str) -> bool:
    """Does the request say where ("X附近", "near X")? If not, the model may not write `near`."""
    return bool(_NEAR_WORDS.search(text))


def plausible(tool: str, args: dict[str, Any], text: str) -> bool:
    """Is there anything in the request that supports this tool? `none` always is."""
    if tool == "none":
        return True
    if _UNANSWERABLE.search(text) and tool != "navigate":
        return False
    pattern = _EVIDENCE.get(tool)
    if pattern and not re.search(pattern, text, re.I):
        return tool == "find_restaurants" and cuisine_in(text) is not None
    return True


def from_to_destination(text: str) -> str | None:
    """B in "从A(打车/坐地铁)到B" or "from A to B" / "to B from A"."""
    m = _FROM_TO_ZH.search(text) or _FROM_TO_EN.search(text) or _TO_FROM_EN.search(text)
    if not m:
        return None
    b = m.group("b").strip()
    return b or None


def repair(tool: str, args: dict[str, Any], text: str) -> dict[str, Any]:
    """Fill or fix slots from unambiguous spans of the request."""
    args = dict(args)
    if tool == "navigate":
        dest = from_to_destination(text)
        if dest and dest != args.get("destination"):
            args["destination"] = dest
    if tool in ("find_parking", "find_restaurants", "add_stop") and "near" not in args:
        near = near_in(text)
        if near:
            args["near"] = near
    return args

"""A rules-based fast path in front of the model for the commonest, unambiguous phrasings.

It only answers when a pattern matches a request cleanly; anything else (a
negation, a second request, public transport, a question no tool answers) goes
to Qwen. The benchmark reports accuracy with and without it and the share it decided.
"""

from __future__ import annotations

import re
from typing import Any

from app.agent.tools import category_of
from app.world.cuisine import VOCAB

_NEG = re.compile(
    r"(不要|别|不用|取消|\bdon'?t\b|\bnot\b|\bno\b|\bcancel\b|\bwithout\b|\bstop navigat)", re.I
)
_MULTI = re.compile(r"(然后|再|并且|\band then\b|\bthen\b|\balso\b)", re.I)
# Public transport and info we do not have: the model (and the evidence check) decide those.
_ELSEWHERE = re.compile(
    r"(火车|高铁|航班|飞机|公交|营业时间|电话|\btrains?\b|\bflights?\b|\bbus\b|\bplane\b|\bphone\b|opening hours)",
    re.I,
)

_PUNCT = r"[\s,.!?，。！？、]*"
_NAV_ZH = re.compile(
    rf"^(?:请|帮我|麻烦)?(?:导航到|导航去|导航至|带我去|开车去|开到|我要去|我想去|去)(.{{2,20}}?)(?:吧|一下)?{_PUNCT}$"
)
_NAV_EN = re.compile(
    r"^(?:please\s+)?(?:take me to|navigate to|drive to|drive me to|directions to|get me to|let'?s go to|go to|head to|"
    r"i (?:want|need|would like|'d like) to (?:go|get|drive) to|i need to be at|(?:what'?s |what is )?(?:the )?(?:fastest|quickest|best) (?:route|way) to|"
    rf"how (?:do|can) i get(?: to)?)\s+([^,?!]{{2,40}}?)(?:\s+please|\s+from here)?{_PUNCT}$",
    re.I,
)
# "从A打车到B": a trip to B, whatever the vehicle; in the car that is navigate(B).
_TRAVEL_ZH = re.compile(r"(打车|打的|出租|地铁|导航|开车|怎么去|怎么走|过去)")
_PARK = re.compile(
    r"(停车场|停车位|车位|哪.{0,3}停车|能停车|停车|\bparking\b|\bcar ?park|\bpark the car\b|\bplace to park\b|\bleave the car\b)",
    re.I,
)
_NEAR_ZH = re.compile(r"(?:在)?([\u4e00-\u9fffA-Za-z']{2,12}?)(?:附近|旁边|周边|那边)")
_NEAR_EN = re.compile(
    r"\b(?:near|around|close to|by)\s+(?!me\b|here\b|by\b)([A-Za-z' ]{2,40}?)(?:\s+please)?[?.!]*$", re.I
)
_LIGHT = re.compile(
    r"(红绿灯|信号灯|红灯|绿灯|绿波|\btraffic lights?\b|\bgreen light\b|\bred light\b|\bgreen wave\b|\bthe light\b)",
    re.I,
)
_TRIP = re.compile(
    r"(还有多远|还要多久|多久到|多久能到|几点到|什么时候到|到达时间|还剩多少|剩余.{0,2}(?:距离|时间)|路况|堵车|堵不堵|\beta\b|"
    r"how long (?:until|till|to|before) (?:we|i) (?:get|arrive)|how much longer|how far (?:is it|are we|to go)|"
    r"\btraffic\b(?!\s+lights?)|when (?:will|do) we (?:arrive|get there)|time (?:left|remaining)|distance (?:left|remaining)|arrival time)",
    re.I,
)
_STOP = re.compile(
    r"(路上|顺路|途中|沿途|途经|\bon the way\b|\balong the way\b|\b(?:along|on) the route\b|\bon my way\b|\ben route\b|\bstop\b|\bdetour\b)",
    re.I,
)
_EAT = re.compile(
    r"(吃|餐厅|餐馆|饭店|馆子|\bfood\b|\brestaurants?\b|\beat\b|\bplaces?\b|\bdinner\b|\blunch\b)", re.I
)
_GREET = re.compile(
    r"^(你好|您好|嗨|哈喽|谢谢|谢谢你|多谢|再见|hi|hello|hey|thanks|thank you|good morning|goodbye|bye)[\s,.!?，。！？]*$",
    re.I,
)

# Out-of-scope topics drivers often ask about: answered honestly from a template, no model call.
TOPICS = {
    "weather": re.compile(
        r"(天气|下雨|下雪|气温|温度多少|\bweather\b|\bforecast\b|\brain(?:ing|y)?\b|\bsnow(?:ing)?\b|\bsunny\b|\btemperature outside\b)",
        re.I,
    ),
    "joke": re.compile(r"(笑话|\bjokes?\b|\bsomething funny\b)", re.I),
    "music": re.compile(
        r"(播放|放一首|听歌|唱首歌|\bplay (?:some |a |the )?(?:music|song|songs|jazz|rock|pop)\b|\bsing\b)",
        re.I,
    ),
    "call": re.compile(r"(打电话|\bcall (?:my|mom|dad|home)\b|\bphone (?:my|mom|dad)\b)", re.I),
}


def topic_of(text: str) -> str | None:
    return next((k for k, rx in TOPICS.items() if rx.search(text)), None)


# Small talk a 0.5B model answers badly (it parrots its examples: "我查不到天气" to "心情不好").
# Checked only after every tool rule has passed, so "I'm tired, find a coffee" still finds one.
SMALL_TALK = {
    "identity": re.compile(r"(你叫什么|你是谁|你的名字|\bwhat(?:'s| is) your name\b|\bwho are you\b)", re.I),
    "mood": re.compile(
        r"(心情不[好太]|不开心|难过|好累|累了|烦死|无聊|\bi'?m (?:so |very |really )?(?:tired|sad|bored|stressed|exhausted)\b)",
        re.I,
    ),
}


# Any hint of going somewhere leaves the utterance to the model rather than to small talk.
_GOING = re.compile(r"(导航|去|到|\b(?:navigate|take me|drive|go|head)\b)", re.I)


def small_talk_of(text: str) -> str | None:
    return next((k for k, rx in SMALL_TALK.items() if rx.search(text)), None)


_CUISINE_WORDS = sorted(
    ((w, key) for key, words in VOCAB.items() for w in (key, *words) if len(w) > 1), key=lambda x: -len(x[0])
)


def cuisines_in(text: str) -> list[str]:
    low, found = text.lower(), []
    for word, key in _CUISINE_WORDS:
        hit = re.search(rf"\b{re.escape(word)}\b", low) if word.isascii() else word in text
        if hit and key not in found:
            found.append(key)
    return found


def cuisine_in(text: str) -> str | None:
    found = cuisines_in(text)
    return found[0] if found else None


def near_in(text: str) -> str | None:
    m = _NEAR_ZH.search(text)
    if m and m.group(1) not in ("我", "这", "这里", "我们", "就在", "你", "周围", "在这"):
        near = re.sub(r"^(?:在|到|找|去|看看|帮我找|帮我看看|我想在)", "", m.group(1))
        if len(near) >= 2 and not _PARK.search(near) and not _EAT.search(near):
            return near
    m = _NEAR_EN.search(text)
    if m:
        return m.group(1).strip()
    return None


def decide(text: str) -> tuple[str, dict[str, Any]] | None:
    """(tool, args) for a clear common phrasing, or None to ask the model."""
    t = text.strip()
    if not t or len(t) > 120 or _NEG.search(t) or _ELSEWHERE.search(t):
        return None
    if _TRAVEL_ZH.search(t):
        from app.agent.verify import from_to_destination

        dest = from_to_destination(t)
        if dest:
            return "navigate", {"destination": dest}
    if len(t) > 60 or _MULTI.search(t):
        return None
    if _GREET.match(t):
        return "none", {}
    topic = topic_of(t)
    if topic:
        return "none", {"_topic": topic}
    hits = [bool(_PARK.search(t)), bool(_LIGHT.search(t)), bool(_TRIP.search(t))]
    if sum(hits) > 1:
        return None
    if _STOP.search(t):
        cat = _stop_category(t)
        if cat and not hits[0]:
            return "add_stop", {"category": cat}
        return None
    if hits[0]:
        near = near_in(t)
        return "find_parking", ({"near": near} if near else {})
    if hits[1]:
        return "traffic_light_status", {}
    if hits[2]:
        return "trip_status", {}
    m = _NAV_ZH.match(t) or _NAV_EN.match(t)
    if m:
        dest = m.group(1).strip()
        if not cuisine_in(dest) and not _EAT.search(dest) and category_of(dest) is None:
            return "navigate", {"destination": dest}
        return None
    found = cuisines_in(t)
    if len(found) == 1 and _EAT.search(t):
        args: dict[str, Any] = {"cuisine": found[0]}
        near = near_in(t)
        if near:
            args["near"] = near
        return "find_restaurants", args
    talk = small_talk_of(t)
    if talk and not (found or _EAT.search(t) or category_of(t) or _GOING.search(t)):
        return "none", {"_topic": talk}
    return None


_STOP_WORDS = (
    ("充电", "charging"), ("charg", "charging"), ("加油", "fuel"), ("油", "fuel"), ("gas", "fuel"), ("fuel", "fuel"),
    ("petrol", "fuel"), ("咖啡", "coffee"), ("coffee", "coffee"), ("cafe", "coffee"), ("吃", "restaurant"),
    ("餐", "restaurant"), ("restaurant", "restaurant"), ("food", "restaurant"), ("eat", "restaurant"),
    ("lunch", "restaurant"), ("dinner", "restaurant"),
)  # fmt: skip


def _stop_category(text: str) -> str | None:
    low = text.lower()
    return next((cat for word, cat in _STOP_WORDS if word in low), None)

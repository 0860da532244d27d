"""Spoken replies, composed from the tool RESULT with bilingual templates.

Templates, not the LLM, write every reply that names a place, a time or a
distance: the numbers and names come straight from the world's result, so a
reply cannot name a restaurant or car park that the world did not return.
"""

from __future__ import annotations

from typing import Any

from app.world.cuisine import display_zh

ORDINALS_EN = ("first", "second", "third", "fourth", "fifth")
CATEGORY_ZH = {"charging": "充电站", "coffee": "咖啡店", "fuel": "加油站", "restaurant": "餐厅"}
CATEGORY_EN = {
    "charging": "charging station",
    "coffee": "coffee",
    "fuel": "petrol station",
    "restaurant": "restaurant",
}
PHASE_ZH = {"red": "红灯", "green": "绿灯", "amber": "黄灯"}


def place_name(item: dict[str, Any] | None, lang: str) -> str:
    if not item:
        return ""
    if lang == "zh":
        return item.get("name_zh") or item.get("name") or item.get("name_en") or ""
    return item.get("name_en") or item.get("name") or item.get("name_zh") or ""


def minutes(seconds: float) -> int:
    return max(1, round(seconds / 60))


def distance(metres: float, lang: str) -> str:
    if metres >= 1000:
        km = f"{metres / 1000:.1f}".rstrip("0").rstrip(".")
        return f"{km}公里" if lang == "zh" else f"{km} km"
    m = int(round(metres / 10) * 10)
    return f"{m}米" if lang == "zh" else f"{m} m"


def compose(tool: str, args: dict[str, Any], result: dict[str, Any] | None, lang: str) -> str:
    zh = lang == "zh"
    kind = (result or {}).get("kind")
    if kind == "not_found":
        sug = result.get("suggestions") or []
        if zh:
            tail = f"您是指{sug[0]}吗？" if sug else "换个说法试试？"
            return f"地图上没找到“{result['query']}”。{tail}"
        tail = f" Did you mean {sug[0]}?" if sug else " Could you say it another way?"
        return f"I couldn't find “{result['query']}” on the map.{tail}"
    if kind == "no_route":
        if zh:
            return f"还没有设置目的地，先告诉我去哪里，我再在路上加{CATEGORY_ZH[result['category']]}。"
        return f"There's no route yet. Tell me where we're going and I'll add a {CATEGORY_EN[result['category']]} stop on the way."
    if kind == "error":
        return "这个暂时办不到，抱歉。" if zh else "Sorry, I can't do that right now."
    if kind == "route":
        name = place_name(result["destination"], lang)
        dist, mins = distance(result["distance_m"], lang), minutes(result["eta_s"])
        note = result.get("note")
        if zh:
            extra = "（目的地在地图外，只能导航到地图边缘）" if note else ""
            return f"好的，导航去{name}，全程{dist}，大约{mins}分钟。{extra}"
        extra = " The destination is off the map, so I'll take you to its edge." if note else ""
        return f"Navigating to {name}: {dist}, about {mins} minutes.{extra}"
    if kind == "stop":
        name = place_name(result["place"], lang)
        detour = minutes(result["detour_s"])
        if zh:
            return f"已添加途经点：{name}，绕行约{detour}分钟。"
        return f"Added a {CATEGORY_EN[result['category']]} stop at {name}, about {detour} min detour."
    if kind in ("parking", "restaurants"):
        cur = result.get("cursor", 0)
        items = result["items"][cur:] + result["items"][:cur]  # the proposed one first
    if kind == "parking":
        return _parking(items, lang)
    if kind == "restaurants":
        text = _restaurants(items, result.get("cuisine"), lang)
        unknown = result.get("unknown_cuisine")
        if unknown and result["items"]:
            text = (
                f"地图上没有“{unknown}”的分类。" if zh else f"I can't search for {unknown} specifically. "
            ) + text
        return text
    if kind == "signal":
        return _signal(result, lang)
    if kind == "trip":
        if not result.get("active"):
            return "现在没有在导航。要去哪里？" if zh else "No route is active. Where would you like to go?"
        name = place_name(result["destination"], lang)
        if result.get("at_destination"):
            return f"已到达{name}。" if zh else f"We've arrived at {name}."
        dist, mins = distance(result["distance_left_m"], lang), minutes(result["eta_s"])
        if zh:
            return f"距离{name}还有{dist}，大约{mins}分钟到。"
        return f"{dist} to {name}, about {mins} minutes left."
    return fallback_chat(lang)


def _parking(items: list[dict[str, Any]], lang: str) -> str:
    if not items:
        return "附近没有找到停车场。" if lang == "zh" else "I found no car parks nearby."
    first = items[0]
    names = [place_name(i, lang) for i in items[:2]]
    if lang == "zh":
        others = f"，还有{names[1]}" if len(names) > 1 else ""
        return f"最近的是{names[0]}，步行{distance(first['walk_m'], lang)}，有{first['free']}个空位{others}。"
    others = f"; there's also {names[1]}" if len(names) > 1 else ""
    return (
        f"Nearest is {names[0]}, {distance(first['walk_m'], lang)} walk, {first['free']} spaces free{others}."
    )


def _restaurants(items: list[dict[str, Any]], cuisine: str | None, lang: str) -> str:
    if not items:
        if lang == "zh":
            what = display_zh(cuisine) or "餐厅"
            return f"附近没找到{what}。"
        return f"I found no {cuisine + ' ' if cuisine else ''}restaurants nearby."
    names = [place_name(i, lang) for i in items[:3]]
    if lang == "zh":
        return f"找到{len(items)}家：{'、'.join(names)}。要去哪一家？"
    return f"I found {len(items)}: {', '.join(names)}. Which one?"


def _signal(result: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    phase = result.get("phase")
    if phase is None or phase == "unknown":
        return "前方没有可用的信号灯信息。" if zh else "No traffic light data ahead."
    dist = result.get("distance_m")
    t = result.get("time_to_change_s")
    lo, hi = result.get("advice_kmh_min"), result.get("advice_kmh_max")
    if zh:
        s = f"前方{distance(dist, lang) + '处' if dist is not None else ''}是{PHASE_ZH.get(phase, phase)}"
        s += f"，{t}秒后变灯" if t is not None else ""
        if lo is not None and hi is not None:
            s += f"，建议车速{round(lo)}到{round(hi)}公里/小时"
        return s + "。"
    s = f"The light {'in ' + distance(dist, lang) + ' ' if dist is not None else 'ahead '}is {phase}"
    s += f", changing in {t} s" if t is not None else ""
    if lo is not None and hi is not None:
        s += f"; keep {round(lo)}–{round(hi)} km/h for the green wave"
    return s + "."


def fallback_chat(lang: str) -> str:
    if lang == "zh":
        return "这个我帮不上忙，我可以导航、找停车场和餐厅。"
    return "I can't help with that, but I can navigate, find parking or food."


def refused(lang: str) -> str:
    return (
        "抱歉，我只能帮您处理行车相关的事。" if lang == "zh" else "Sorry, I can only help with driving tasks."
    )


def empty(lang: str) -> str:
    return "我没听清，请再说一遍。" if lang == "zh" else "I didn't catch that. Could you say it again?"


_TOPIC = {
    "weather": ("抱歉，我查不了天气。", "Sorry, I can't check the weather."),
    "joke": (
        "我不太会讲笑话，不过可以带您去好玩的地方。",
        "I'm no good at jokes, but I can find you somewhere fun.",
    ),
    "music": ("抱歉，我还不能控制音乐。", "Sorry, I can't control the music yet."),
    "call": ("抱歉，我还不能打电话。", "Sorry, I can't make calls yet."),
    "identity": (
        "我是您的车载助手，可以帮您导航、找停车场和餐厅。",
        "I'm your car's assistant: I can navigate, find parking and places to eat.",
    ),
    "mood": (
        "辛苦了。需要的话，我可以在路上帮您加一个咖啡站。",
        "Sorry to hear that. If you like, I can add a coffee stop on the way.",
    ),
}


def out_of_scope(topic: str, lang: str) -> str:
    zh, en = _TOPIC.get(topic, (None, None))
    if zh is None:
        return fallback_chat(lang)
    return zh if lang == "zh" else en

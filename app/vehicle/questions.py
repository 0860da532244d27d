"""Questions about the car (range, battery, tyres, service, warning lights) and the cluster's tell-tales.

The vocabulary and the meaning of every tell-tale are data (assets/vehicle/telltales.json). All
figures are simulated and every answer says so.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.paths import ASSETS
from app.vehicle.spec import norm

if TYPE_CHECKING:
    from app.vehicle.cabin import Cabin
    from app.vehicle.state import CabinState

TELLTALES_FILE = ASSETS / "vehicle" / "telltales.json"
WHEELS = ("front_left", "front_right", "rear_left", "rear_right")
WHEEL_NAMES = {
    "front_left": ("front left", "左前"),
    "front_right": ("front right", "右前"),
    "rear_left": ("rear left", "左后"),
    "rear_right": ("rear right", "右后"),
}


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    return json.loads(TELLTALES_FILE.read_text(encoding="utf-8"))


def telltales() -> list[dict[str, Any]]:
    """Every tell-tale the cluster can show: id, colour, bilingual name, meaning and what to do."""
    return [dict(t) for t in data()["telltales"]]


def tyres() -> dict[str, int]:
    t = data()["tyres_kpa"]
    return {w: t[w] for w in WHEELS}


def next_service_km(odometer_km: float) -> int:
    interval = data()["service_interval_km"]
    return int(interval - odometer_km % interval)


def active_telltales(s: CabinState, drive: dict[str, Any]) -> list[str]:
    """The tell-tales lit by the cabin's state, for the cluster."""
    on = []
    if s.lights.headlights == "low":
        on.append("low_beam")
    if s.lights.headlights == "high":
        on.append("high_beam")
    if s.lights.fog:
        on.append("fog")
    if s.drive.lane_keeping:
        on.append("lane_keeping")
    if s.drive.mode in ("eco", "sport"):
        on.append(s.drive.mode)
    if drive["battery_pct"] < 20:
        on.append("battery_low")
    if min(drive["tyres"].values()) < data()["tyres_kpa"]["low"]:
        on.append("tyre_pressure")
    if not s.windows.doors_locked:
        on.append("doors_unlocked")
    return on


def find_topic(text: str) -> str | None:
    key = norm(text)
    for topic, t in data()["topics"].items():
        if key == topic or key in {norm(w) for w in t["synonyms_en"] + t["synonyms_zh"]}:
            return topic
    return None


def find_telltale(text: str) -> dict[str, Any] | None:
    key = norm(text)
    for t in data()["telltales"]:
        names = [t["id"], t["name_en"], t["name_zh"], *t["synonyms_en"], *t["synonyms_zh"]]
        if key in {norm(n) for n in names}:
            return t
    for t in data()["telltales"]:  # "the blue light on the dashboard"
        names = [n for n in (*t["synonyms_en"], *t["synonyms_zh"]) if len(norm(n)) >= 2]
        if any(norm(n) in key for n in names):
            return t
    return None


def answer(cabin: Cabin, topic: str, light: str | None = None, **_: Any) -> dict[str, Any]:
    """{ok, topic, message_en, message_zh, simulated, …figures}; ok False for an unknown topic."""
    name = find_topic(topic or "")
    if name is None and find_telltale(topic or ""):
        name, light = "warning", topic
    if name is None:
        return {
            "ok": False,
            "error": "unknown_topic",
            "topic": topic,
            "message_en": f"I can tell you about range, battery, tyres, the next service and warning lights, not '{topic}'",
            "message_zh": f"我可以回答续航、电量、胎压、保养和故障灯的问题，但不了解“{topic}”",
        }
    state = cabin.state()
    drive = state["drive"]
    out: dict[str, Any] = {"ok": True, "topic": name, "simulated": True}
    mode = cabin.spec_data.controls["drive.mode"].choice_labels[drive["mode"]]
    if name in ("range", "battery"):
        eco = round(drive["battery_pct"] / 100 * 75.0 / cabin.profile("eco")["consumption_kwh_per_km"])
        out.update(
            range_km=drive["range_km"], battery_pct=drive["battery_pct"], mode=drive["mode"], eco_range_km=eco
        )
        if name == "range":
            out["message_en"] = f"About {drive['range_km']} km of range in {mode['en']} mode (simulated)"
            out["message_zh"] = f"{mode['zh']}下续航约{drive['range_km']}公里（模拟）"
            if drive["mode"] != "eco":
                out["message_en"] += f"; about {eco} km in Eco"
                out["message_zh"] += f"，经济模式约{eco}公里"
        else:
            out["message_en"] = (
                f"The battery is at {drive['battery_pct']:g} %, about {drive['range_km']} km (simulated)"
            )
            out["message_zh"] = f"电量{drive['battery_pct']:g}%，约可行驶{drive['range_km']}公里（模拟）"
    elif name == "tyres":
        t = drive["tyres"]
        low = [w for w, kpa in t.items() if kpa < data()["tyres_kpa"]["low"]]
        out.update(tyres_kpa=t, recommended_kpa=data()["tyres_kpa"]["recommended"], low=low)
        en = ", ".join(f"{WHEEL_NAMES[w][0]} {t[w]}" for w in WHEELS)
        zh = "，".join(f"{WHEEL_NAMES[w][1]}{t[w]}" for w in WHEELS)
        verdict = (
            ("all normal", "都正常")
            if not low
            else ("low: " + ", ".join(WHEEL_NAMES[w][0] for w in low), "偏低")
        )
        out["message_en"] = f"Tyre pressures (simulated): {en} kPa; {verdict[0]}"
        out["message_zh"] = f"胎压（模拟）：{zh}千帕，{verdict[1]}"
    elif name == "service":
        km = drive["next_service_km"]
        out.update(next_service_km=km, odometer_km=drive["odometer_km"])
        out["message_en"] = f"The next service is due in {km:,} km (simulated)"
        out["message_zh"] = f"距离下次保养还有{km}公里（模拟）"
    else:
        t = find_telltale(light) if light else None
        if light and t is None:
            return {
                "ok": False,
                "error": "unknown_light",
                "topic": name,
                "message_en": f"I don't know a warning light called '{light}'",
                "message_zh": f"不认识名为“{light}”的指示灯",
                "telltales": telltales(),
            }
        if t is not None:
            out.update(telltale=t, lit=t["id"] in state["telltales"])
            out["message_en"] = f"{t['name_en']}: {t['meaning_en']} {t['action_en']}"
            out["message_zh"] = f"{t['name_zh']}：{t['meaning_zh']}{t['action_zh']}"
        else:
            lit = [x for x in data()["telltales"] if x["id"] in state["telltales"]]
            out.update(lit=[x["id"] for x in lit])
            if lit:
                out["message_en"] = "On the cluster now: " + ", ".join(x["name_en"] for x in lit)
                out["message_zh"] = "仪表上亮着：" + "、".join(x["name_zh"] for x in lit)
            else:
                out["message_en"] = "No tell-tales are lit; there are no warnings"
                out["message_zh"] = "仪表上没有亮起的指示灯，没有故障警告"
    return out

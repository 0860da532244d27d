"""An in-memory cabin with the Cabin API of INTERFACES.md (state/spec/set/adjust/do/undo/question).

Used by the agent's tests, and by the agent itself while `app.vehicle` is not installed. The real
cabin (`app.vehicle.load_cabin()`) owns the controls; this fake declares a representative set in
the same `spec()` format, so the agent's schema derives its ranges and synonyms the same way.
Everything here is simulated and says so.
"""

from __future__ import annotations

import copy
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Change:
    ok: bool
    action: str
    changes: list[dict[str, Any]] = field(default_factory=list)
    clamped: bool = False
    requested: Any = None
    message_en: str = ""
    message_zh: str = ""
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _num(path, en, zh, lo, hi, step, unit, syn_en=(), syn_zh=()):
    return dict(path=path, type="number", min=lo, max=hi, step=step, unit=unit, choices=None,
                label_en=en, label_zh=zh, synonyms_en=list(syn_en), synonyms_zh=list(syn_zh))  # fmt: skip


def _bool(path, en, zh, syn_en=(), syn_zh=()):
    return dict(path=path, type="bool", min=None, max=None, step=None, unit=None, choices=None,
                label_en=en, label_zh=zh, synonyms_en=list(syn_en), synonyms_zh=list(syn_zh))  # fmt: skip


def _enum(path, en, zh, choices, syn_en=(), syn_zh=()):
    return dict(path=path, type="enum", min=None, max=None, step=None, unit=None, choices=list(choices),
                label_en=en, label_zh=zh, synonyms_en=list(syn_en), synonyms_zh=list(syn_zh))  # fmt: skip


SPEC: list[dict[str, Any]] = [
    _bool("climate.power", "air conditioning", "空调", ["AC", "air con", "climate"], ["空调", "冷气"]),
    _num("climate.driver.temperature", "driver temperature", "主驾温度", 16, 28, 0.5, "°C", ["my side"], ["主驾"]),
    _num("climate.temperature", "temperature", "温度", 16, 28, 0.5, "°C", ["temperature", "temp"], ["温度", "空调温度"]),
    _num("climate.passenger.temperature", "passenger temperature", "副驾温度", 16, 28, 0.5, "°C", ["passenger side"], ["副驾"]),
    _num("climate.fan", "fan speed", "风量", 1, 7, 1, None, ["fan", "blower"], ["风量", "风速"]),
    _enum("climate.mode", "air direction", "出风模式", ["face", "feet", "windscreen", "auto"], ["airflow"], ["吹脸", "吹脚"]),
    _bool("climate.ac", "compressor", "压缩机", ["A/C compressor"], ["制冷"]),
    _bool("climate.recirculation", "recirculation", "内循环", ["recirculate"], ["内循环"]),
    _bool("climate.defrost_front", "front defrost", "前除雾", ["defog", "demist"], ["除雾", "除霜"]),
    _bool("climate.defrost_rear", "rear defrost", "后除雾", ["rear window heater"], ["后窗加热"]),
    _num("seats.driver.heating", "driver seat heating", "主驾座椅加热", 0, 3, 1, None, ["seat heater", "heated seat"], ["座椅加热"]),
    _num("seats.passenger.heating", "passenger seat heating", "副驾座椅加热", 0, 3, 1, None, [], ["副驾加热"]),
    _num("seats.driver.ventilation", "driver seat ventilation", "主驾座椅通风", 0, 3, 1, None, ["seat cooling"], ["座椅通风"]),
    _num("seats.passenger.ventilation", "passenger seat ventilation", "副驾座椅通风", 0, 3, 1, None, [], ["副驾通风"]),
    _bool("seats.driver.massage", "seat massage", "座椅按摩", ["massage"], ["按摩"]),
    _num("windows.front_left", "driver window", "主驾车窗", 0, 100, 10, "%", ["window"], ["车窗", "窗户"]),
    _num("windows.front_right", "passenger window", "副驾车窗", 0, 100, 10, "%", [], ["副驾车窗"]),
    _num("windows.rear_left", "rear left window", "左后车窗", 0, 100, 10, "%", [], ["左后窗"]),
    _num("windows.rear_right", "rear right window", "右后车窗", 0, 100, 10, "%", [], ["右后窗"]),
    _num("windows.all", "all windows", "全部车窗", 0, 100, 10, "%", ["windows"], ["车窗", "所有车窗"]),
    _num("windows.sunroof", "sunroof", "天窗", 0, 100, 10, "%", ["moonroof"], ["天窗"]),
    _bool("windows.sunshade", "sunshade", "遮阳帘", ["sun blind"], ["遮阳帘"]),
    _bool("windows.child_lock", "child lock", "儿童锁", [], ["童锁"]),
    _bool("windows.doors_locked", "door locks", "车门锁", ["lock the doors"], ["锁车门"]),
    _bool("windows.mirrors_folded", "folded mirrors", "后视镜折叠", ["fold mirrors"], ["折叠后视镜"]),
    _enum("lights.headlights", "headlights", "大灯", ["off", "auto", "low", "high"], ["lights", "high beam"], ["大灯", "远光", "近光"]),
    _bool("lights.fog", "fog lights", "雾灯", [], ["雾灯"]),
    _enum("lights.ambient.color", "ambient light colour", "氛围灯颜色", ["white", "blue", "red", "green", "purple", "orange"], ["mood light"], ["氛围灯"]),
    _num("lights.ambient.brightness", "ambient brightness", "氛围灯亮度", 0, 100, 10, "%", [], ["氛围灯亮度"]),
    _enum("drive.mode", "drive mode", "驾驶模式", ["eco", "comfort", "sport"], ["driving mode"], ["运动模式", "经济模式", "舒适模式"]),
    _bool("drive.lane_keeping", "lane keeping", "车道保持", ["lane assist"], ["车道保持"]),
    _bool("drive.parking_assist", "parking assist", "泊车辅助", ["park assist"], ["自动泊车"]),
    _num("media.volume", "volume", "音量", 0, 30, 1, None, ["volume", "sound"], ["音量", "声音"]),
]  # fmt: skip


# Controls that set several others at once.
_MEMBERS = {
    "climate.temperature": ["climate.driver.temperature", "climate.passenger.temperature"],
    "windows.all": ["windows.front_left", "windows.front_right", "windows.rear_left", "windows.rear_right"],
}


def _initial_state() -> dict[str, Any]:
    return {
        "climate": {"power": False, "driver": {"temperature": 22.0}, "passenger": {"temperature": 22.0},
                    "fan": 3, "mode": "auto", "ac": True, "recirculation": False,
                    "defrost_front": False, "defrost_rear": False},
        "seats": {"driver": {"heating": 0, "ventilation": 0, "massage": False},
                  "passenger": {"heating": 0, "ventilation": 0, "massage": False}},
        "windows": {"front_left": 0, "front_right": 0, "rear_left": 0, "rear_right": 0, "sunroof": 0,
                    "sunshade": False, "child_lock": True, "doors_locked": False, "mirrors_folded": False},
        "lights": {"headlights": "auto", "fog": False, "ambient": {"color": "white", "brightness": 50}},
        "drive": {"mode": "comfort", "lane_keeping": True, "parking_assist": False, "range_km": 320,
                  "battery_pct": 80, "tyres": {"fl": 240, "fr": 240, "rl": 235, "rr": 238},
                  "next_service_km": 4200},
        "media": {"source": "simulated library", "playing": False, "track": None, "position_s": 0,
                  "volume": 12, "station": None, "favourites": []},
        "phone": {"call": {"state": "idle", "contact": None}, "last_message": None},
        "simulated": True,
    }  # fmt: skip


CONTACTS = [
    {"id": "mom", "name_en": "Mom", "name_zh": "妈妈", "relation": "mother", "aliases": ["mom", "mum", "mother", "妈妈", "妈", "老妈"]},
    {"id": "wife", "name_en": "Wife", "name_zh": "老婆", "relation": "wife", "aliases": ["wife", "老婆", "媳妇", "爱人"]},
    {"id": "wang", "name_en": "Manager Wang", "name_zh": "王经理", "relation": "colleague", "aliases": ["wang", "manager wang", "王经理", "老王"]},
    {"id": "liwei", "name_en": "Li Wei", "name_zh": "李伟", "relation": "friend", "aliases": ["li wei", "李伟"]},
]  # fmt: skip


class FakeCabin:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else None
        self._state = _initial_state()
        self._undo: list[list[dict[str, Any]]] = []
        self._subs: list[Any] = []
        if self.path and self.path.exists():
            try:
                saved = json.loads(self.path.read_text(encoding="utf-8"))
                self._state, self._undo = saved["state"], saved.get("undo", [])
            except (OSError, ValueError, KeyError):
                pass  # a broken file starts from the defaults

    # -- reading ----------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return copy.deepcopy(self._state)

    def contact_names(self) -> list[list[str]]:
        return [[c["name_en"], c["name_zh"], *c["aliases"]] for c in CONTACTS]

    def spec(self) -> list[dict[str, Any]]:
        # Like the real cabin's spec, a group control lists the controls it sets.
        return [{**copy.deepcopy(c), "members": _MEMBERS.get(c["path"])} for c in SPEC]

    def _spec(self, path: str) -> dict[str, Any] | None:
        return next((s for s in SPEC if s["path"] == path), None)

    def _get(self, path: str) -> Any:
        node: Any = self._state
        for k in path.split("."):
            node = node[k]
        return node

    def _put(self, path: str, value: Any) -> None:
        *head, last = path.split(".")
        node = self._state
        for k in head:
            node = node[k]
        node[last] = value

    # -- changing -----------------------------------------------------------------------------
    def _commit(self, action: str, changes: list[dict[str, Any]], en: str, zh: str, **kw) -> Change:
        for c in changes:
            self._put(c["path"], c["new"])
        if changes:
            self._undo.append(changes)
        self._save()
        ch = Change(True, action, changes, message_en=en, message_zh=zh, **kw)
        for fn in list(self._subs):
            fn(ch)
        return ch

    def set(self, path: str, value: Any) -> Change:
        sp = self._spec(path)
        if sp is None:
            return Change(False, "set", error=f"unknown control {path}", message_en="I can't change that.",
                          message_zh="这个无法调节。")  # fmt: skip
        if path in _MEMBERS:
            chs = [self.set(p, value) for p in _MEMBERS[path]]
            self._undo[-len(chs) :] = [[c for ch in self._undo[-len(chs) :] for c in ch]]
            return Change(True, "set", [c for ch in chs for c in ch.changes], chs[0].clamped, value,
                          chs[0].message_en, chs[0].message_zh)  # fmt: skip
        old, clamped, requested = self._get(path), False, value
        if sp["type"] == "number" and value in ("on", "off", "open", "close"):
            value = sp["max"] if value in ("on", "open") else sp["min"]
        if sp["type"] == "number":
            v = float(value)
            if v < sp["min"] or v > sp["max"]:
                clamped, v = True, min(max(v, sp["min"]), sp["max"])
            value = int(v) if float(v).is_integer() and sp["step"] >= 1 else v
        elif sp["type"] == "enum" and value not in sp["choices"]:
            return Change(False, "set", requested=value, error="bad choice",
                          message_en=f"{sp['label_en']} can be {', '.join(sp['choices'])}.",
                          message_zh=f"{sp['label_zh']}可选：{'、'.join(sp['choices'])}。")  # fmt: skip
        unit = sp["unit"] or ""
        shown_en = {True: "on", False: "off"}.get(
            value, f"{value:g}{unit}" if isinstance(value, float | int) else value
        )
        shown_zh = {True: "已打开", False: "已关闭"}.get(
            value, f"{value:g}{unit}" if isinstance(value, float | int) else value
        )
        en, zh = (
            f"{sp['label_en'].capitalize()} {shown_en} (simulated).",
            f"{sp['label_zh']}{shown_zh}（模拟）。",
        )
        if clamped:
            edge = "maximum" if float(requested) > sp["max"] else "minimum"
            en = f"The {edge} is {value:g}{unit}, set {sp['label_en']} to {value:g}{unit} (simulated)."
            zh = f"{'最高' if edge == 'maximum' else '最低'}是{value:g}{unit}，{sp['label_zh']}已设为{value:g}{unit}（模拟）。"
        return self._commit("set", [{"path": path, "old": old, "new": value}], en, zh, clamped=clamped,
                            requested=requested)  # fmt: skip

    def adjust(self, path: str, delta: float | str) -> Change:
        sp = self._spec(path)
        if sp is None or sp["type"] != "number":
            return Change(False, "adjust", error=f"not adjustable: {path}", message_en="I can't change that.",
                          message_zh="这个无法调节。")  # fmt: skip
        if delta in ("up", "down"):  # "a bit": a tenth of the range, in whole steps
            nudge = max(1, round((sp["max"] - sp["min"]) / 10 / sp["step"])) * sp["step"]
            delta = nudge if delta == "up" else -nudge
        base = _MEMBERS.get(path, [path])[0]
        return self.set(path, float(self._get(base)) + float(delta))

    def do(self, action: str, **args: Any) -> Change:
        media, phone = self._state["media"], self._state["phone"]
        if action == "media.play":
            q = args.get("query") or args.get("artist") or args.get("genre") or "your library"
            track = {"id": "sim1", "title_en": f"{q} mix", "title_zh": f"{q}精选", "artist_en": q,
                     "artist_zh": q, "genre": args.get("genre"), "mood": None, "duration_s": 200}  # fmt: skip
            ch = [{"path": "media.playing", "old": media["playing"], "new": True},
                  {"path": "media.track", "old": media["track"], "new": track}]  # fmt: skip
            return self._commit(action, ch, f"Playing {q} (simulated music).", f"正在播放{q}（模拟音乐）。")
        if action in ("media.pause", "media.resume"):
            on = action == "media.resume"
            ch = [{"path": "media.playing", "old": media["playing"], "new": on}]
            return self._commit(
                action, ch, "Playing." if on else "Paused.", "继续播放。" if on else "已暂停。"
            )
        if action in ("media.next", "media.previous", "media.favourite"):
            en, zh = {"media.next": ("Next track.", "下一首。"), "media.previous": ("Previous track.", "上一首。"),
                      "media.favourite": ("Added to favourites.", "已收藏。")}[action]  # fmt: skip
            return self._commit(action, [], en, zh)
        if action == "phone.call":
            who = str(args.get("contact") or "").strip().lower()
            c = next((c for c in CONTACTS if who in c["aliases"]), None)
            if c is None:
                return Change(False, action, requested=who, error="unknown contact",
                              message_en=f"There's no “{who}” in your contacts (simulated).",
                              message_zh=f"通讯录里没有“{who}”（模拟通讯录）。")  # fmt: skip
            contact = {k: c[k] for k in ("id", "name_en", "name_zh", "relation")}
            ch = [
                {"path": "phone.call", "old": phone["call"], "new": {"state": "active", "contact": contact}}
            ]
            return self._commit(
                action, ch, f"Calling {c['name_en']} (simulated).", f"正在呼叫{c['name_zh']}（模拟）。"
            )
        if action == "phone.hangup":
            ch = [{"path": "phone.call", "old": phone["call"], "new": {"state": "idle", "contact": None}}]
            return self._commit(action, ch, "Call ended.", "已挂断。")
        if action == "phone.redial":
            return self._commit(action, [], "Redialling (simulated).", "正在重拨（模拟）。")
        if action == "phone.recent_calls":
            return self._commit(
                action, [], "A missed call from Mom (simulated).", "有妈妈的未接来电（模拟）。"
            )
        if action == "phone.read_message":
            return self._commit(action, [], "No new messages (simulated).", "没有新消息（模拟）。")
        if action == "climate.feel":
            hot = args.get("feeling") == "hot"
            t = self._state["climate"]["driver"]["temperature"]
            new = max(16.0, t - 2) if hot else min(28.0, t + 2)
            ch = [{"path": "climate.power", "old": self._state["climate"]["power"], "new": True},
                  {"path": "climate.driver.temperature", "old": t, "new": new}]  # fmt: skip
            return self._commit(
                action,
                ch,
                f"Climate on, driver {new:g}°C (simulated).",
                f"空调已打开，主驾{new:g}°C（模拟）。",
            )
        return Change(
            False, action, error="unknown action", message_en="I can't do that.", message_zh="这个做不到。"
        )

    def undo(self) -> Change | None:
        if not self._undo:
            return None
        last = self._undo.pop()
        for c in reversed(last):
            self._put(c["path"], c["old"])
        self._save()
        back = [{"path": c["path"], "old": c["new"], "new": c["old"]} for c in last]
        ch = Change(True, "undo", back, message_en="Undone (simulated).", message_zh="已撤销（模拟）。")
        for fn in list(self._subs):
            fn(ch)
        return ch

    def question(self, topic: str) -> dict[str, Any]:
        d = self._state["drive"]
        tyres = d["tyres"]
        answers = {
            "range": (f"About {d['range_km']} km of range left (simulated).", f"续航还剩约{d['range_km']}公里（模拟）。"),
            "battery": (f"Battery at {d['battery_pct']} % (simulated).", f"电量还剩{d['battery_pct']}%（模拟）。"),
            "tyres": (f"Tyres {min(tyres.values())}–{max(tyres.values())} kPa, all normal (simulated).",
                      f"胎压{min(tyres.values())}到{max(tyres.values())}千帕，正常（模拟）。"),
            "service": (f"Next service in {d['next_service_km']} km (simulated).", f"距下次保养还有{d['next_service_km']}公里（模拟）。"),
            "warning_lights": ("No warning lights are on (simulated).", "目前没有亮起的警告灯（模拟）。"),
        }  # fmt: skip
        en, zh = answers.get(topic, ("I have no data on that.", "没有这方面的数据。"))
        return {"topic": topic, "message_en": en, "message_zh": zh, "simulated": True}

    def reset(self) -> None:
        self._state, self._undo = _initial_state(), []
        self._save()

    def subscribe(self, fn) -> Any:
        self._subs.append(fn)
        return lambda: self._subs.remove(fn)

    def _save(self) -> None:
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps({"state": self._state, "undo": self._undo}, ensure_ascii=False))

"""ShowBridge: the show layer's backend for qml/stores/ShowStore.qml (subtitle, mode, operator menu).

Plain properties out, slots in; what the slots do is handed in as callables by app/show/live.py,
so the bridge is tested with lambdas. The menu's words come from LABELS in the UI language (the
show layer's text is data here, like the scenarios' own bilingual text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Slot

from app.ui.bridges import _props

LABELS: dict[str, dict[str, str]] = {
    "visitor": {"en": "Visitor", "zh": "访客"},
    "simulated": {"en": "Simulated", "zh": "模拟"},
    "demo": {"en": "Demo", "zh": "演示"},
    "touchToStart": {"en": "Touch or speak to try it yourself", "zh": "触摸屏幕或说话，亲自体验"},
    "operator": {"en": "Operator menu", "zh": "操作员菜单"},
    "reset": {"en": "Reset", "zh": "重置"},
    "language": {"en": "Language", "zh": "语言"},
    "scenarios": {"en": "Scenarios", "zh": "演示场景"},
    "stop": {"en": "Stop", "zh": "停止"},
    "voice": {"en": "Voice", "zh": "语音播报"},
    "on": {"en": "On", "zh": "开"},
    "off": {"en": "Off", "zh": "关"},
    "volume": {"en": "Volume", "zh": "音量"},
    "microphone": {"en": "Microphone", "zh": "麦克风"},
    "noMicrophone": {"en": "No microphone found", "zh": "未找到麦克风"},
    "network": {"en": "Network", "zh": "网络"},
    "online": {"en": "Online", "zh": "在线"},
    "offline": {"en": "Offline", "zh": "离线"},
    "voiceState": {"en": "Voice", "zh": "语音"},
    "uptime": {"en": "Uptime", "zh": "运行时间"},
    "memory": {"en": "Memory", "zh": "内存"},
    "turns": {"en": "Turns", "zh": "对话轮次"},
    "errors": {"en": "errors", "zh": "错误"},
    "pin": {"en": "PIN", "zh": "密码"},
    "quit": {"en": "Quit", "zh": "退出"},
    "wrongPin": {"en": "Wrong PIN", "zh": "密码错误"},
    "close": {"en": "Close", "zh": "关闭"},
    "mode_live": {"en": "Live", "zh": "现场使用"},
    "mode_attract": {"en": "Attract loop", "zh": "自动演示"},
    "mode_scenario": {"en": "Scenario", "zh": "演示场景"},
    "loading": {"en": "loading", "zh": "加载中"},
}


def labels(language: str) -> dict[str, str]:
    lang = "zh" if language == "zh" else "en"
    return {key: texts[lang] for key, texts in LABELS.items()}


class ShowActions:
    """What the menu's buttons do; every one defaults to nothing (a harness or a test)."""

    def __init__(self, **actions: Callable[..., Any]):
        self.actions = actions

    def __call__(self, name: str, *args: Any) -> Any:
        fn = self.actions.get(name)
        return fn(*args) if fn else None


class ShowBridge(
    _props(
        subtitle=str,
        subtitleKind=str,  # say | event | ""
        mode=str,  # live | attract | scenario
        kiosk=bool,
        menuOpen=bool,
        labels=dict,
        language=str,
        scenarios=list,  # [{name, lang, title}]
        playing=str,  # "name/lang" or ""
        voiceOn=bool,
        volume=int,
        microphones=list,
        microphone=int,
        micLevel=float,
        online=bool,
        voiceState=str,
        uptime=str,
        memoryMb=float,
        turns=int,
        turnErrors=int,
        pinError=bool,
    )
):
    def __init__(self, actions: ShowActions | None = None, parent=None):
        super().__init__(parent)
        self.act = actions or ShowActions()
        self._v = {
            "subtitle": "",
            "subtitleKind": "",
            "mode": "live",
            "kiosk": False,
            "menuOpen": False,
            "labels": labels("en"),
            "language": "en",
            "scenarios": [],
            "playing": "",
            "voiceOn": True,
            "volume": 80,
            "microphones": [],
            "microphone": -1,
            "micLevel": 0.0,
            "online": False,
            "voiceState": "",
            "uptime": "0:00",
            "memoryMb": 0.0,
            "turns": 0,
            "turnErrors": 0,
            "pinError": False,
        }

    # --- from Python ---
    def set(self, **values: Any) -> None:
        if "language" in values:
            values["labels"] = labels(values["language"])
        self._set(**values)

    def get(self, name: str) -> Any:
        return self._v[name]

    # --- from QML ---
    @Slot()
    def toggleMenu(self) -> None:
        self._set(menuOpen=not self._v["menuOpen"], pinError=False)
        self.act("menu", self._v["menuOpen"])

    @Slot()
    def activity(self) -> None:
        self.act("activity", "touch")

    @Slot()
    def reset(self) -> None:
        self.act("reset")

    @Slot(str)
    def setLanguage(self, language: str) -> None:
        self.act("language", language)

    @Slot(str, str)
    def playScenario(self, name: str, lang: str) -> None:
        self._set(menuOpen=False)
        self.act("menu", False)
        self.act("play", name, lang)

    @Slot()
    def stopScenario(self) -> None:
        self.act("stop")

    @Slot(bool)
    def setVoiceOn(self, on: bool) -> None:
        self._set(voiceOn=bool(on))
        self.act("volume", self._v["volume"] if on else 0)

    @Slot(int)
    def setVolume(self, volume: int) -> None:
        volume = max(0, min(100, int(volume)))
        self._set(volume=volume)
        if self._v["voiceOn"]:
            self.act("volume", volume)

    @Slot(int)
    def setMicrophone(self, index: int) -> None:
        self._set(microphone=int(index))
        self.act("microphone", int(index))

    @Slot(str, result=bool)
    def quit(self, pin: str) -> bool:
        ok = bool(self.act("quit", pin))
        self._set(pinError=not ok)
        return ok

"""The show layer over a running cockpit window: subtitle, operator menu, kiosk, scenario player,
heartbeat for the watchdog.

`attach(cockpit, args)` puts qml/ShowLayer.qml over the window's content (so Main.qml and the
cockpit's own views stay untouched), and wires:
- an input filter on the window: any press, touch or key is visitor activity (ends the attract
  loop at once); in kiosk mode the window ignores close requests (only the PIN quits);
- the Kiosk rules (app/show/kiosk.py) on a one-second timer;
- the scenario player: the same runner as the headless run, at live pace, on the cockpit's own
  voice pipeline, so the UI shows each turn as it would a driver's; the subtitle shows the
  visitor's words;
- heartbeats (app/show/watchdog.py) from a Qt-thread timer and from frameSwapped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from app import paths
from app.show import scenario as sc
from app.show.config import load_config
from app.show.runner import Stage, load_cabin_or_none, run_scenario
from app.show.scenario import Start

log = logging.getLogger(__name__)

SUBTITLE_HOLD_S = 6.0
LEVEL_SPEECH_DB = -35.0  # a microphone this loud while no demo plays counts as a visitor speaking


class VolumeSink:
    """Wraps the pipeline's sink and scales the car's voice (0-100); 0 is voice off, text stays."""

    def __init__(self, inner: Any, volume: int = 100):
        self.inner = inner
        self.gain = volume / 100

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def start(self, sample_rate: int) -> None:
        await self.inner.start(sample_rate)

    async def write(self, pcm: bytes) -> None:
        if self.gain < 0.999:
            import numpy as np

            pcm = (np.frombuffer(pcm, "<i2").astype(np.float32) * self.gain).astype("<i2").tobytes()
        await self.inner.write(pcm)

    async def drain(self) -> None:
        await self.inner.drain()

    def stop(self) -> None:
        self.inner.stop()


def _input_filter(on_activity, kiosk: bool, allow_close):
    from PySide6.QtCore import QEvent, QObject

    kinds = {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }

    class Filter(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
            t = event.type()
            if t in kinds:
                on_activity("key" if t == QEvent.Type.KeyPress else "touch")
            elif t == QEvent.Type.Close and kiosk and not allow_close():
                event.ignore()
                return True  # Alt+F4 and the like: the stand stays up
            return False

    return Filter()


class ShowLayer:
    def __init__(self, cockpit: Any, args: Any, clock=time.monotonic):
        from PySide6.QtCore import QTimer

        from app.show.bridge import ShowActions, ShowBridge
        from app.show.kiosk import Kiosk
        from app.show.watchdog import Heartbeat

        self.cockpit = cockpit
        self.args = args
        self.config = load_config()
        self.started = clock()
        self.clock = clock
        self.default_language = args.lang or "en"
        self.kiosk_mode = bool(args.kiosk)
        self.quitting = False
        self.stage: Stage | None = None
        self.task: asyncio.Task | None = None
        self._subtitle_timer = QTimer(singleShot=True, interval=int(SUBTITLE_HOLD_S * 1000))
        self._subtitle_timer.timeout.connect(lambda: self.bridge.set(subtitle="", subtitleKind=""))

        self.bridge = ShowBridge(
            ShowActions(
                menu=self._on_menu,
                activity=self._activity,
                reset=self.reset,
                language=self._set_language,
                play=self.play,
                stop=self.stop,
                volume=self._set_volume,
                microphone=self._set_microphone,
                quit=self._quit,
            )
        )
        self.bridge.set(
            kiosk=self.kiosk_mode,
            scenarios=sc.listing(),
            language=cockpit.system.property("language") or self.default_language,
            volume=int(self.config.get("volume", 80)),
        )
        cockpit.system.languageSwitched.connect(lambda lang: self.bridge.set(language=lang))
        idle_s = 60 * float(args.idle_minutes or self.config.get("idle_minutes", 2))
        self.kiosk = Kiosk(
            clock, idle_s, sc.playlist(), play=self.play_now, stop=self._cancel, reset=self.reset,
            on_mode=lambda mode: self.bridge.set(mode=mode),
        )  # fmt: skip
        self._load_qml()
        self.filter = _input_filter(self._activity, self.kiosk_mode, lambda: self.quitting)
        cockpit.window.installEventFilter(self.filter)

        self.heartbeat = Heartbeat()
        self._timer = QTimer(interval=1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        if self.heartbeat.enabled:
            cockpit.window.frameSwapped.connect(lambda: self.heartbeat.beat("render"))
        if self.kiosk_mode:
            from PySide6.QtCore import Qt

            cockpit.window.setFlag(Qt.WindowType.FramelessWindowHint, True)
            cockpit.window.showFullScreen()
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # no qasync loop (a UI test): the menu works, scenarios cannot play
            log.info("show: no asyncio loop; the voice pipeline is not watched")
        else:
            asyncio.ensure_future(self._when_voice_ready())

    # --- QML ---
    def _load_qml(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtQml import QQmlComponent

        component = QQmlComponent(self.cockpit.engine, QUrl.fromLocalFile(str(paths.QML / "ShowLayer.qml")))
        if component.isError():
            raise RuntimeError(f"ShowLayer.qml: {component.errorString()}")
        item = component.createWithInitialProperties({"showBackend": self.bridge})
        if item is None:
            raise RuntimeError(f"ShowLayer.qml: {component.errorString()}")
        item.setParentItem(self.cockpit.window.contentItem())
        item.setProperty("width", self.cockpit.window.width())
        item.setProperty("height", self.cockpit.window.height())
        self.cockpit.window.widthChanged.connect(lambda w: item.setProperty("width", w))
        self.cockpit.window.heightChanged.connect(lambda h: item.setProperty("height", h))
        self.item, self._component = item, component

    # --- voice pipeline ---
    async def _when_voice_ready(self) -> None:
        if not await self.cockpit.wait_for_voice(600):
            log.warning("show: no voice pipeline (%s); scenarios cannot play", self.cockpit.voice_error)
            self.bridge.set(voiceState=f"{self.cockpit.voice_error or 'voice not loaded'}")
            return
        pipe = self.cockpit.voice.pipe
        pipe.sink = VolumeSink(pipe.sink, self.bridge.get("volume"))
        pipe.add_listener(self._on_turn_event)
        from app.world import load_world

        self.stage = Stage(
            pipe, load_world(), load_cabin_or_none(), live=True,
            pick=self.cockpit.assistant.pickCard, on_reset=self._ui_reset,
        )  # fmt: skip
        from app.voice.audio import list_devices

        mics = [d.get("name", str(i)) for i, d in enumerate(list_devices("input"))]
        self.bridge.set(microphones=mics, microphone=0 if mics else -1)
        if self.args.scenario:
            asyncio.ensure_future(self._play_from_cli())

    def _on_turn_event(self, event: Any) -> None:
        d = event.data
        if event.kind == "state":
            self.bridge.set(voiceState=d.get("state", ""))
            if d.get("state") == "listening" and self.kiosk.mode == "attract":
                self._activity("speech")
        elif event.kind == "level":
            rms = float(d.get("rms", -90))
            self.bridge.set(micLevel=max(0.0, min(1.0, (rms + 60) / 45)))
            if rms > LEVEL_SPEECH_DB and self.kiosk.mode == "attract" and not self.stage.pipe.speaking:
                self._activity("speech")

    # --- playing ---
    async def _play_from_cli(self) -> None:
        name, lang = self.args.scenario, self.args.lang
        runs = (
            sc.playlist(lang)
            if name == "all"
            else ([(name, lang)] if lang else [(name, x) for x in sc.LANGS])
        )
        while True:
            for n, x in runs:
                self.kiosk.pick(n, x)
                while self.kiosk.playing is not None:
                    await asyncio.sleep(0.2)
            if not self.args.loop:
                return

    def play(self, name: str, lang: str) -> None:
        """Operator pick from the menu."""
        self.kiosk.pick(name, lang)

    def play_now(self, name: str, lang: str) -> None:
        """Called by the kiosk rules: start one scenario as a task; tell the rules when it ends."""
        if self.stage is None:
            self.kiosk.playing = None  # not loaded yet: the next tick tries again
            return
        self.bridge.set(playing=f"{name}/{lang}")
        self.task = asyncio.ensure_future(self._run(name, lang))

    async def _run(self, name: str, lang: str) -> None:
        try:
            scen = sc.load(name, lang)
            ok = await run_scenario(self.stage, scen, self._log_step, on_step=self._subtitle)
            log.info("show: scenario %s/%s %s", name, lang, "passed" if ok else "had failed steps")
        except asyncio.CancelledError:
            log.info("show: scenario %s/%s stopped", name, lang)
            raise
        except Exception:
            log.exception("show: scenario %s/%s failed", name, lang)
        finally:
            self.bridge.set(playing="")
            if self.task is asyncio.current_task():
                self.task = None
                self.kiosk.demo_finished()

    def _log_step(self, line: dict[str, Any]) -> None:
        log.info("show step %s", line)

    def _subtitle(self, step: Any, lang: str) -> None:
        labels = self.bridge.get("labels")
        if step.kind == "say":
            self.bridge.set(subtitle=step.text or "", subtitleKind="say")
        elif step.kind == "event":
            what = {
                "battery_low": {"en": f"Battery low: {step.value} %", "zh": f"电量低：{step.value}%"},
                "red_light": {"en": "Arriving at a red light", "zh": "前方红灯，车辆停下"},
                "arrive": {"en": "Arriving at the destination", "zh": "即将到达目的地"},
            }[step.event][lang]
            self.bridge.set(subtitle=f"{labels['simulated']}: {what}", subtitleKind="event")
        else:
            return
        self._subtitle_timer.start()

    def _cancel(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
        self.task = None
        if self.stage is not None:
            self.stage.pipe.interrupt()
        self.bridge.set(subtitle="", subtitleKind="", playing="")

    def stop(self) -> None:
        self.kiosk.stop()

    # --- reset ---
    def reset(self) -> None:
        """Back to the stand's start state: route, cabin, conversation, language, screen."""
        start = Start(position="People's Square", destination="The Bund", language=self.default_language)
        if self.stage is not None:
            asyncio.ensure_future(self.stage.reset(start))
        else:
            self._ui_reset(start)

    def _ui_reset(self, start: Start) -> None:
        self.cockpit.set_language(start.language)
        self.cockpit.assistant._set(transcript="", partial=False, reply="", cards=[])
        self.cockpit.map.set_markers([])
        self.bridge.set(subtitle="", subtitleKind="")

    # --- operator ---
    def _activity(self, source: str = "touch") -> None:
        if self.kiosk.activity(source):
            log.info("show: %s returned the stand to live use", source)

    def _on_menu(self, open_: bool) -> None:
        self.kiosk.paused = open_
        self.kiosk.last_activity = self.clock()

    def _set_language(self, language: str) -> None:
        self.default_language = language
        self.cockpit.set_language(language)

    def _set_volume(self, volume: int) -> None:
        if self.stage is not None and isinstance(self.stage.pipe.sink, VolumeSink):
            self.stage.pipe.sink.gain = volume / 100

    def _set_microphone(self, index: int) -> None:
        if self.stage is not None:
            self.stage.pipe.open_microphone(index)

    def _quit(self, pin: str) -> bool:
        if str(pin) != str(self.config.get("pin")):
            log.warning("show: operator quit refused (wrong PIN)")
            return False
        log.info("show: operator quit")
        self.quitting = True
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.quit()
        return True

    # --- every second ---
    def _tick(self) -> None:
        if self.heartbeat.enabled:
            self.heartbeat.beat("qt")
            self.cockpit.window.update()  # a frame every second even on a still screen: render beat
        self.kiosk.tick() if self.kiosk_mode else None
        up = int(self.clock() - self.started)
        fields: dict[str, Any] = {
            "uptime": f"{up // 3600}:{up // 60 % 60:02d}:{up % 60:02d}",
            "online": bool(self.cockpit.system.property("online")),
        }
        if up % 5 == 0:  # psutil walks the process tree: every 5 s is plenty
            from app.show.soak import tree_figures

            fields["memoryMb"] = tree_figures()["rss_mb"]
        if self.stage is not None:
            fields.update(turns=self.stage.turns, turnErrors=self.stage.turn_errors)
        self.bridge.set(**fields)


def attach(cockpit: Any, args: Any) -> ShowLayer | None:
    try:
        layer = ShowLayer(cockpit, args)
    except Exception:
        # The show layer is an extra: if it cannot load, the cockpit itself still runs.
        log.exception("show layer failed to load")
        return None
    cockpit.show = layer
    return layer

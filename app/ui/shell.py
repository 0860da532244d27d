"""The cockpit window: Qt environment, backends, QML engine, and screenshots.

`prepare_environment()` must run before anything imports QtWebEngine; `Cockpit` then builds the
window on the world's car (loaded in parallel with the QML, waited for briefly so the first frame
already shows it) and upgrades the assistant to the agent and the voice pipeline as those finish
loading in the background, so the first frame never waits for a model.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import paths

log = logging.getLogger(__name__)

# Chromium on a machine without a GPU (offscreen, Xvfb): software compositing, no GPU process probes.
SOFTWARE_CHROMIUM_FLAGS = "--disable-gpu --disable-gpu-compositing --disable-dev-shm-usage"
# The map is the only page and it is our own (local HTML and tiles), so the renderer need not be a
# separate, sandboxed process. Three QtWebEngine processes (two zygotes and the renderer) each
# mapped Chromium's 130 MB library: the app's tree measured 1,970-2,014 MB with them and
# 1,696-1,729 MB in one process (issue 15, Intel Xeon, 2 cores). The cost: a renderer crash now
# takes the app with it; under `--watchdog` the kiosk is restarted (app/show). COCKPIT_WEBENGINE=multi
# keeps Chromium's own process model.
ONE_PROCESS_CHROMIUM_FLAGS = "--single-process"


def has_display() -> bool:
    return bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    )


def prepare_environment(offscreen: bool) -> None:
    """Environment Qt and Chromium read once at start-up; call before the first Qt import."""
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    software = offscreen or os.environ.get("QT_QPA_PLATFORM") == "offscreen" or not _has_gpu()
    if software:
        _add_chromium_flags(SOFTWARE_CHROMIUM_FLAGS)
    if os.environ.get("COCKPIT_WEBENGINE", "single") != "multi":
        _add_chromium_flags(ONE_PROCESS_CHROMIUM_FLAGS)
    # Chromium refuses to run its sandbox as root (containers, CI); only then turn it off.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    # Chromium's D-Bus and GPU-blocklist chatter would drown the cockpit's own log.
    os.environ.setdefault("QT_LOGGING_RULES", "qt.webenginecontext.debug=false")


def _add_chromium_flags(wanted: str) -> None:
    """Append the flags the user's QTWEBENGINE_CHROMIUM_FLAGS lacks; theirs stay first."""
    have = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    have += [f for f in wanted.split() if f not in have]
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join(have)


def _has_gpu() -> bool:
    return Path("/dev/dri").exists()


def create_application(argv: list[str] | None = None):
    """QtWebEngineQuick must be initialised before the QGuiApplication exists."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQuick import QQuickWindow, QSGRendererInterface
    from PySide6.QtWebEngineQuick import QtWebEngineQuick

    app = QGuiApplication.instance()
    if app is not None:
        return app
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" or not _has_gpu():
        # No GPU here: say so up front instead of letting the RHI fail over noisily.
        QQuickWindow.setGraphicsApi(QSGRendererInterface.GraphicsApi.Software)
    QtWebEngineQuick.initialize()
    app = QGuiApplication(argv or ["ai-cockpit"])
    app.setApplicationName(paths.APP_NAME)
    from app import __version__

    app.setApplicationVersion(__version__)
    return app


def _run_in_thread(job: Callable[[], Any], done: Callable[[Any], None], name: str) -> None:
    """Run a blocking job off the Qt thread; `done(result)` is delivered on the Qt thread."""
    from PySide6.QtCore import QObject, Signal

    class _Relay(QObject):
        finished = Signal(object)

    relay = _Relay()
    _RELAYS.add(relay)

    def deliver(result):
        # Released here, on the Qt thread: dropping it from the worker could free it mid-delivery.
        _RELAYS.discard(relay)
        done(result)

    relay.finished.connect(deliver)

    def work():
        try:
            result = job()
        except Exception as exc:  # reported to the caller, which decides whether it matters
            log.warning("%s failed: %s", name, exc)
            result = exc
        relay.finished.emit(result)

    threading.Thread(target=work, name=name, daemon=True).start()


_RELAYS: set = set()


class Cockpit:
    """One cockpit window and its backends."""

    def __init__(
        self,
        size: tuple[int, int] = (1920, 720),
        theme: str = "night",
        language: str = "en",
        use_real_services: bool = True,
        watch_network: bool = True,
        drive=None,
        cabin=None,
    ):
        """drive: a VehicleSource (tests); default the world's car. cabin: a CabinSource; default
        app.vehicle.load_cabin(). use_real_services=False keeps the scripted assistant (no agent)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtQml import QQmlApplicationEngine

        from app.ui import bridges, sources
        from app.ui.i18n import Translations
        from app.ui.icons import IconProvider
        from app.ui.mappage import CREDIT

        self.started = time.perf_counter()
        self.use_real_services = use_real_services
        self._agent_started = False
        self.world_s: float | None = None  # when the world's car took over (log and bench)
        # Without a given drive the car is the world's, loaded once the first frame is up (_load_world).
        self._world_pending = drive is None
        self.drive = drive or sources.NoCar()
        self.vehicle = bridges.VehicleBridge(self.drive)
        self.signal = bridges.SignalBridge(self.drive)
        self.map = bridges.MapBridge(self.drive)
        self.vehicle.listeners.append(self.map.on_vehicle)
        self.vehicle.listeners.append(self.signal.on_vehicle)
        self.cabin = bridges.CabinBridge(cabin if cabin is not None else _load_cabin())
        self.media = _start_media(self.cabin.cabin) if cabin is None else None
        self.cabin.listeners.append(self._on_cabin_state)
        self._on_cabin_state(self.cabin.property("state"))
        # The simulated assistant searches no places until the world service has loaded.
        self.sim_assistant = sources.SimAssistant(schedule=_qt_schedule, navigate=self.navigate)
        self.assistant = bridges.AssistantBridge(self.sim_assistant, parent=None)
        self.assistant.on_cards = self.map.set_markers
        self.map.destinationChanged.connect(self._on_destination)
        self.assistant.stateChanged.connect(self._on_assistant_state)
        self.system = bridges.SystemBridge()
        self.assistant.on_voice = self.system.set_voice
        self.assistant.on_network = self.system.set_online
        self.voice = None  # adapters.VoiceAssistant once the pipeline has loaded
        self.voice_task = None  # the asyncio task loading it
        self.voice_error: str | None = None if use_real_services else "simulation only (--sim)"

        self.engine = QQmlApplicationEngine()
        self.engine.addImageProvider("icon", IconProvider())
        self.translations = Translations(self.engine)
        self.system.languageSwitched.connect(self._on_language)
        self.engine.setInitialProperties(
            {
                "vehicleBackend": self.vehicle,
                "signalBackend": self.signal,
                "mapBackend": self.map,
                "assistantBackend": self.assistant,
                "systemBackend": self.system,
                "cabinBackend": self.cabin,
            }
        )
        self.engine.load(QUrl.fromLocalFile(str(paths.QML / "Main.qml")))
        roots = self.engine.rootObjects()
        if not roots:
            raise RuntimeError("Main.qml failed to load (see the QML errors above)")
        self.window = roots[0]
        self.resize(*size)
        self.set_theme(theme)
        self.set_language(language)
        if drive is not None and hasattr(drive, "world"):
            self._on_world(drive)
        self.vehicle.start()
        self.signal.start()
        self.map.refresh_route()
        self._credit = CREDIT
        self._map_error: Exception | None = None
        self.first_frame_s: float | None = None
        self.window.frameSwapped.connect(self._on_first_frame)
        if self._world_pending:
            from PySide6.QtCore import QTimer

            QTimer.singleShot(WORLD_LOAD_FALLBACK_MS, self._load_world)

        from app.ui import mappage

        _run_in_thread(mappage.build_page, self._on_page, "map-page")
        self._watch_models()
        from app.ui import adapters

        self.network = adapters.NetworkWatch(self.system.set_online, _run_in_thread)
        if watch_network:
            self.network.start()
        self._maybe_load_agent()

    # --- wiring -----------------------------------------------------------------------------
    def _load_world(self) -> None:
        """Load the world (the one simulated car) on a worker, polled from the Qt thread.

        Started after the first frame: loading it alongside the QML doubled the time to the first
        frame (both need the GIL), so the cluster and the map come up first (speed shown as "–")
        and the world's car joins when loaded (13x11 km map: 1.3 s warm, 4.4 s on the
        first run, which builds the store; 2 cores). Nothing else drives in between."""
        from PySide6.QtCore import QTimer

        if not self._world_pending:
            return
        self._world_pending = False
        job = _Job(adapters_load_world_drive, "world-load")

        def poll() -> None:
            if not job.done.is_set():
                return
            self._world_timer.stop()
            if isinstance(job.result, Exception):
                log.warning("world service unavailable: %s", job.result)
                self.voice_error = f"world service unavailable: {job.result}"
                self.assistant.toast.emit(f"Map data unavailable: {job.result}")
            else:
                self._on_world(job.result)

        self._world_timer = QTimer(interval=50)
        self._world_timer.timeout.connect(poll)
        self._world_timer.start()

    def _on_world(self, drive) -> None:
        self.world_s = time.perf_counter() - self.started
        log.info("world's car ready after %.2f s", self.world_s)
        self.use_vehicle_source(drive)
        self.sim_assistant.set_places(adapters_world_places(drive.world))
        attach = getattr(self.cabin.cabin, "attach_vehicle", None)
        if callable(attach):  # the drive mode sets the car's acceleration and consumption (range)
            attach(drive.world.vehicle)
        self._maybe_load_agent()

    def _maybe_load_agent(self) -> None:
        if not self.use_real_services or self._agent_started or not hasattr(self.drive, "world"):
            return
        if not hasattr(self, "network"):
            return  # still constructing: __init__ calls again at its end
        from app.ui import adapters

        self._agent_started = True
        adapters.upgrade_in_background(self, _run_in_thread)

    def _on_destination(self) -> None:
        """A route to one of the result places (however it was chosen) highlights its card and pin."""
        dest = self.map.property("destination") or {}
        if "lat" in dest and self.assistant.property("cards"):
            index = self.assistant.select_place(dest["lat"], dest["lon"], within_m=DESTINATION_MATCH_M)
            self.map.select(index)

    def _on_cabin_state(self, state: dict) -> None:
        self.vehicle.cabin = state or {}

    def _on_assistant_state(self) -> None:
        # Media ducks while the assistant speaks (app.vehicle's player fades it).
        self.cabin.duck(self.assistant.property("state") == "speaking")

    def _on_first_frame(self) -> None:
        if self.first_frame_s is None:
            self.first_frame_s = time.perf_counter() - self.started
            log.info("first frame after %.2f s", self.first_frame_s)
            self._load_world()

    def _on_page(self, result: Path | Exception) -> None:
        from PySide6.QtCore import QUrl

        if isinstance(result, Exception):
            self._map_error = result
            self.assistant.toast.emit(f"Map unavailable: {result}")
            return
        self.map.set_page(QUrl.fromLocalFile(str(result)).toString(), self._credit)

    def _on_language(self, language: str) -> None:
        self.translations.set_language(language)
        self.assistant.set_language(language)
        self.cabin.set_language(language)
        self.map.set_language(language)

    def navigate(self, lat: float, lon: float, name: str) -> None:
        index = self.assistant.select_place(lat, lon)
        self.map.select(index)
        try:
            self.drive.navigate_to(lat, lon, name)
        except Exception as exc:  # an unroutable pick is a toast, not a crash
            log.warning("navigation to %s failed: %s", name, exc)
            self.assistant.toast.emit(str(exc))
        self.map.refresh_route()

    def use_vehicle_source(self, source) -> None:
        """Switch the car, the signal and the map to another VehicleSource (the real world)."""
        self.drive = source
        self.vehicle.source = source
        self.signal.source = source
        self.map.source = source
        self.map.refresh_route()

    def use_voice(self, source) -> None:
        """The voice pipeline drives the assistant from now on; says at once if there is no microphone."""
        self.voice = source
        self.assistant.set_source(source)
        source.open_microphone()

    async def wait_for_voice(self, timeout: float) -> bool:
        """True once the voice pipeline is the assistant's source (False: it failed or is not loading)."""
        import asyncio

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.voice is None and self.voice_error is None and loop.time() < deadline:
            await asyncio.sleep(0.1)
        return self.voice is not None

    async def aclose(self) -> None:
        """Stop the network probe, the media audio and the voice pipeline (microphone, speech, workers)."""
        self.network.stop()
        if self.media is not None:
            self.media.stop()
        if self.voice_task is not None and not self.voice_task.done():
            self.voice_task.cancel()
        if self.voice is not None:
            await self.voice.close()

    def _watch_models(self) -> None:
        def states():
            from app.models import store  # written in parallel: tolerate its absence

            try:
                # An optional model that is not installed is a choice, not a fault.
                return store.states(include_optional=False)
            except TypeError:
                return store.states()

        def done(result):
            if isinstance(result, list):
                self.system.set_models(result)

        _run_in_thread(states, done, "model-states")

    # --- control (tests and the screenshot CLI use these) -----------------------------------
    def resize(self, width: int, height: int) -> None:
        self.window.setWidth(width)
        self.window.setHeight(height)

    def set_theme(self, theme: str) -> None:
        self.system.setTheme(theme)

    def set_language(self, language: str) -> None:
        self.system.setLanguage(language)
        if language == "en" and self.translations.language != "en":
            self._on_language("en")

    def find(self, name: str):
        from PySide6.QtCore import QObject

        return self.window.findChild(QObject, name)

    def map_ready(self) -> bool:
        web = self.find("mapWeb")
        return web is not None and web.property("title") == "cockpit-ready"

    def pump(self, seconds: float) -> None:
        """Run the Qt event loop for a while (tests and the screenshot path)."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    def wait_for_map(self, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while not self.map_ready() and time.monotonic() < deadline and self._map_error is None:
            self.pump(0.1)
        return self.map_ready()

    def grab(self):
        """The window as a QImage."""
        return self.window.grabWindow()

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not self.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        return path


# A route ends on the road nearest its place: a card's place this close to the route's end is its goal.
DESTINATION_MATCH_M = 80.0
# If no frame is drawn (a hidden window), the world loads after this anyway.
WORLD_LOAD_FALLBACK_MS = 1500


class _Job:
    """A blocking job on a plain thread; the Qt thread may wait for it with a timeout."""

    def __init__(self, job: Callable[[], Any], name: str):
        self.done = threading.Event()
        self.result: Any = None

        def work():
            try:
                self.result = job()
            except Exception as exc:
                log.warning("%s failed: %s", name, exc)
                self.result = exc
            self.done.set()

        threading.Thread(target=work, name=name, daemon=True).start()


def adapters_load_world_drive():
    from app.ui import adapters

    return adapters.load_world_drive()


def adapters_world_places(world):
    from app.ui import adapters

    return adapters.WorldPlaces(world)


def _load_cabin():
    """The process-wide cabin (app.vehicle, persisted per user); None (no climate bar) if it fails."""
    try:
        from app.vehicle import load_cabin

        cabin = load_cabin()
        cabin.start_up()
        return cabin
    except Exception as exc:
        log.warning("cabin failed to load, the climate bar is hidden: %s", exc)
        return None


def _start_media(cabin):
    """The cabin's generated music and ring tone, on the sound card if there is one (else paced silently)."""
    try:
        player = cabin.media_player
        log.info("cabin media output: %s", player.start("auto"))
        return player
    except Exception as exc:  # the fake cabin has no player; a broken one must not stop the cockpit
        log.info("no cabin media audio: %s", exc)
        return None


def _qt_schedule(delay_s: float, fn: Callable[[], None]) -> None:
    from PySide6.QtCore import QTimer

    QTimer.singleShot(int(delay_s * 1000), fn)

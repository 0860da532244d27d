"""Real services behind the cockpit's source interfaces, loaded in the background.

The cockpit starts on the simulations (sources.py). `upgrade_in_background` then loads the world
service (road graph, place store) and, if its model is present, the agent, each on a worker
thread; when one is ready its bridge swaps source on the Qt thread. Anything that fails to load
leaves the simulation in place and is logged, never raised: the demo must keep running.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from app.services import AgentTurn, TurnEvent, TurnListener

log = logging.getLogger(__name__)

# The demo drive when the world has no route yet: across the centre, through many signals.
DEMO_FROM = "People's Square"
DEMO_TO = "The Bund"


def _flat_advice(wave: Any) -> dict[str, Any] | None:
    if wave is None:
        return None
    sig = wave.signal
    return {
        "id": sig.id,
        "phase": sig.phase,
        "time_to_change_s": sig.time_to_change_s,
        "distance_m": sig.distance_m,
        "advice_kmh_min": wave.advice_kmh_min,
        "advice_kmh_max": wave.advice_kmh_max,
    }


class WorldDrive:
    """VehicleSource on app.world: the world's own simulated car, stepped from the UI clock."""

    def __init__(self, world: Any):
        self.world = world
        self._lock = getattr(world, "_lock", threading.RLock())
        if world.current_route is None:
            world.set_destination(DEMO_TO, origin=DEMO_FROM)

    def tick(self, dt: float) -> dict[str, Any]:
        with self._lock:
            state = self.world.vehicle.step(dt)
        return {**state.to_dict(), "drive_mode": "comfort"}

    def route(self) -> list[tuple[float, float]]:
        route = self.world.current_route
        return list(route.coords) if route else []

    def route_signals(self) -> list[dict[str, Any]]:
        route = self.world.current_route
        if route is None:
            return []
        plans = getattr(self.world.vehicle, "plans", {})
        now = self.world.now()
        ahead = self.signal_ahead()
        out = []
        for sig in route.signals:
            plan = plans.get(sig.id)
            phase = (
                plan.phase_at(now, getattr(sig, "approach", "main"))[0]
                if plan and plan.has_data
                else "unknown"
            )
            out.append({"id": sig.id, "lat": sig.lat, "lon": sig.lon, "phase": phase,
                        "next": bool(ahead and ahead["id"] == sig.id)})  # fmt: skip
        return out

    def signal_ahead(self) -> dict[str, Any] | None:
        return _flat_advice(self.world.signal_ahead())

    def navigate_to(self, lat: float, lon: float, name: str) -> None:
        self.world.set_destination((lat, lon))


class AgentAssistant:
    """AssistantSource on the agent alone (typed input; no microphone pipeline yet).

    Turns run on a worker thread; TurnEvents go to the bridge, which is safe to call from there
    because Qt queues its property-change signals to the GUI thread.
    """

    def __init__(self, agent: Any, navigate: Callable[[float, float, str], None]):
        self.agent = agent
        self._navigate = navigate
        self._listener: TurnListener = lambda event: None
        self._results: list[dict[str, Any]] = []

    def set_listener(self, listener: TurnListener) -> None:
        self._listener = listener
        self._emit("voice", engine="text", kind="local", online=False)

    def start_listening(self) -> None:
        self._emit("error", code="no_microphone", message="Voice input is not available yet: please type.")

    def stop_listening(self) -> None:
        pass

    def submit_text(self, text: str, language: str) -> None:
        self._emit("transcript", text=text, language=language)
        self._emit("state", state="thinking")
        threading.Thread(target=self._turn, args=(text, language), daemon=True, name="agent-turn").start()

    def pick(self, index: int) -> None:
        if 0 <= index < len(self._results):
            item = self._results[index]
            place = item.get("place") or item
            self._navigate(place["lat"], place["lon"], place.get("name", ""))

    def _turn(self, text: str, language: str) -> None:
        try:
            turn: AgentTurn = self.agent.respond(text, language_hint=language)
        except Exception as exc:
            log.exception("agent turn failed")
            self._emit("error", code="agent_failed", message=str(exc), language=language)
            return
        if turn.result:
            if turn.result.get("kind") in ("parking", "restaurants") and isinstance(
                turn.result.get("items"), list
            ):
                self._results = turn.result["items"]
            self._emit("result", tool=turn.tool, args=turn.args, result=turn.result)
        self._emit("reply", text=turn.reply, language=turn.language)
        self._emit("state", state="idle")

    def _emit(self, event: str, /, **data: Any) -> None:
        self._listener(TurnEvent(event, data))


def upgrade_in_background(cockpit: Any, run_in_thread: Callable) -> None:
    """Swap the cockpit's simulations for the real world and agent once they have loaded."""

    def load_world():
        from app.world import load_world

        return WorldDrive(load_world())

    def world_ready(result):
        if isinstance(result, Exception):
            log.info("world service unavailable, staying on the simulation: %s", result)
            return
        cockpit.use_vehicle_source(result)
        log.info("world service connected")
        run_in_thread(lambda: load_agent(result.world), agent_ready, "agent-load")

    def load_agent(world):
        from app.models import store

        missing = [s for s in store.states() if s.role == "agent" and s.state != "verified"]
        if missing:
            raise RuntimeError(f"agent model {missing[0].name} is {missing[0].state}")
        from app.agent import make_agent

        agent = make_agent(world=world)
        return AgentAssistant(agent, cockpit.navigate)

    def agent_ready(result):
        if isinstance(result, Exception):
            log.info("agent unavailable, typed input stays on the simulation: %s", result)
            return
        cockpit.assistant.set_source(result)
        log.info("agent connected")

    run_in_thread(load_world, world_ready, "world-load")

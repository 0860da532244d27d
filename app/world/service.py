"""The World service: one object the agent's tools and the UI call. (Skeleton: implementation follows.)"""

from __future__ import annotations

import threading

from app.world.api import (
    GreenWave,
    LatLon,
    Parking,
    Place,
    Restaurant,
    Route,
    Stop,
)

PlaceRef = str | Place | LatLon


class World:
    current_route: Route | None

    @classmethod
    def load(cls) -> World:
        return load_world()

    def find_place(self, query: str, near: LatLon | None = None) -> Place:
        raise NotImplementedError

    def suggest(self, query: str, limit: int = 5) -> list[str]:
        raise NotImplementedError

    def route(self, origin: PlaceRef, destination: PlaceRef) -> Route:
        raise NotImplementedError

    def set_destination(self, destination: PlaceRef, origin: PlaceRef | None = None) -> Route:
        raise NotImplementedError

    def search_parking(self, near: PlaceRef | None = None, limit: int = 5) -> list[Parking]:
        raise NotImplementedError

    def search_restaurants(
        self, cuisine: str | None = None, near: PlaceRef | None = None, limit: int = 5
    ) -> list[Restaurant]:
        raise NotImplementedError

    def add_stop(self, category: str, near: PlaceRef | None = None) -> Stop:
        raise NotImplementedError

    def next_signal(
        self, lat: float, lon: float, speed_kmh: float, heading_deg: float | None = None
    ) -> GreenWave | None:
        raise NotImplementedError

    def signal_ahead(self) -> GreenWave | None:
        raise NotImplementedError


_shared: World | None = None
_shared_lock = threading.Lock()


def load_world() -> World:
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = World()
        return _shared

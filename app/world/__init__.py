"""The world service: central-Shanghai places, routing, traffic signals and the simulated car.

Use `load_world()` for the shared instance; see app/world/api.py for the types.
"""

from __future__ import annotations

from app.world.api import (
    FindResult,
    GreenWave,
    NotFound,
    Parking,
    Place,
    PlaceHit,
    PlaceNotFound,
    PlaceSearch,
    Restaurant,
    Route,
    SignalOnRoute,
    SignalState,
    Stop,
    VehicleState,
    to_dict,
)

__all__ = [
    "FindResult",
    "GreenWave",
    "NotFound",
    "Parking",
    "Place",
    "PlaceHit",
    "PlaceNotFound",
    "PlaceSearch",
    "Restaurant",
    "Route",
    "SignalOnRoute",
    "SignalState",
    "Stop",
    "VehicleState",
    "World",
    "load_world",
    "to_dict",
]


def __getattr__(name: str):
    # Lazy so importing the types does not build the place store or the road graph.
    if name in ("World", "load_world"):
        from app.world import service

        return getattr(service, name)
    raise AttributeError(name)

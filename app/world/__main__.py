"""World CLI; prints JSON (a stable contract for scripts and the agent's tests).

    python -m app.world route "People's Square" "the Bund" [--brief]
    python -m app.world search parking --near "外滩"
    python -m app.world search restaurants --cuisine 川菜 --near "人民广场"
    python -m app.world signal --at 31.2335,121.4745 --speed 40 [--heading 90] [--time EPOCH]
    python -m app.world place "Waitan"
    python -m app.world drive "People's Square" "the Bund" [--follow-advice] [--time EPOCH]

Exit code 2 with {"error": {...}} for bad input (unknown place, unknown cuisine, no route).
"""

from __future__ import annotations

import argparse
import json
import sys

from app.world.api import NoRoute, PlaceNotFound, to_dict
from app.world.service import World, load_world


def _print(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _latlon(text: str) -> tuple[float, float]:
    lat, lon = (float(x) for x in text.split(","))
    return lat, lon


def _ref(text: str):
    """A place name, or 'lat,lon'."""
    try:
        return _latlon(text)
    except ValueError:
        return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app.world", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)

    r = sub.add_parser("route", help="route between two places")
    r.add_argument("origin")
    r.add_argument("destination")
    r.add_argument("--brief", action="store_true", help="leave out the coordinates")

    s = sub.add_parser("search", help="car parks or restaurants")
    s.add_argument("what", choices=["parking", "restaurants"])
    s.add_argument("--near")
    s.add_argument("--cuisine")
    s.add_argument("--limit", type=int, default=5)

    g = sub.add_parser("signal", help="next signal and green-wave advice")
    g.add_argument("--at", required=True, type=_latlon, help="LAT,LON")
    g.add_argument("--speed", type=float, default=0.0, help="km/h")
    g.add_argument("--heading", type=float, help="degrees, 0 = north")
    g.add_argument("--time", type=float, help="epoch seconds (default: now)")

    p = sub.add_parser("place", help="look up a place")
    p.add_argument("query")

    d = sub.add_parser("drive", help="simulate driving a route; prints the signal events")
    d.add_argument("origin")
    d.add_argument("destination")
    d.add_argument("--follow-advice", action="store_true")
    d.add_argument("--time", type=float, help="start time, epoch seconds (default: now)")

    args = ap.parse_args(argv)
    world = load_world()
    try:
        if args.cmd == "route":
            route = world.route(_ref(args.origin), _ref(args.destination))
            out = route.to_dict()
            if args.brief:
                out.pop("coords")
                out.pop("limits_kmh")
            _print(out)
        elif args.cmd == "search" and args.what == "parking":
            _print(
                {
                    "near": args.near,
                    "results": to_dict(
                        world.search_parking(_ref(args.near) if args.near else None, args.limit)
                    ),
                }
            )
        elif args.cmd == "search":
            found = world.search_restaurants(args.cuisine, _ref(args.near) if args.near else None, args.limit)
            _print({"near": args.near, "cuisine": args.cuisine, "results": to_dict(found)})
        elif args.cmd == "signal":
            if args.time is not None:
                world.vehicle.clock = args.time
            gw = world.next_signal(*args.at, args.speed, args.heading)
            _print(
                {"time": world.now(), "at": list(args.at), "speed_kmh": args.speed, "green_wave": to_dict(gw)}
            )
        elif args.cmd == "place":
            _print(world.find_place(args.query).to_dict())
        elif args.cmd == "drive":
            _print(_drive(world, args))
    except PlaceNotFound as exc:
        _print(exc.to_dict())
        return 2
    except (NoRoute, ValueError, LookupError) as exc:
        _print({"error": {"type": type(exc).__name__, "message": str(exc)}})
        return 2
    return 0


def _drive(world: World, args) -> dict:
    route = world.route(_ref(args.origin), _ref(args.destination))
    car = world.vehicle
    car.follow_advice = args.follow_advice
    car.start(route, clock=args.time, keep_speed=False)
    t0 = car.clock
    while not car.state.at_destination and car.clock - t0 < 3600:
        car.step(0.1)
    events = [e for e in car.events if e.kind != "pass_signal" or e.phase != "unknown"]
    return {
        "route": {"distance_m": route.distance_m, "eta_s": route.eta_s, "signals": len(route.signals)},
        "follow_advice": car.follow_advice,
        "start_time": t0,
        "drive_time_s": round(car.clock - t0, 1),
        "arrived": car.state.at_destination,
        "stops_at_red": sum(e.kind == "stop_at_red" for e in car.events),
        "events": [
            {
                "t": round(e.t - t0, 1),
                "kind": e.kind,
                "signal": e.signal_id,
                "phase": e.phase,
                "at_m": round(e.progress_m),
            }
            for e in events
        ],
        "final_state": car.state.to_dict(),
    }


if __name__ == "__main__":
    sys.exit(main())

"""World CLI; prints JSON (a stable contract for scripts and the agent's tests).

    python -m app.world route "People's Square" "the Bund" [--brief]
    python -m app.world search parking --near "外滩"
    python -m app.world search restaurants --cuisine 川菜 --near "人民广场"
    python -m app.world signal --at 31.2335,121.4745 --speed 40 [--heading 90] [--time EPOCH]
    python -m app.world place "Waitan"
    python -m app.world drive "People's Square" "the Bund" [--follow-advice] [--time EPOCH]
    python -m app.world route "人民广场" home --prefer avoid-congestion --at 08:30
    python -m app.world categories
    python -m app.world search places --category 医院 [--near P] [--along-route] [--open-now] [--sort cheapest]
    python -m app.world find "北京"
    python -m app.world places set home "延安东路100号" | places list | places remove home
    python -m app.world trip "People's Square" "the Bund" [--at 08:30]

Exit code 2 with {"error": {...}} for bad input (unknown place, unknown cuisine, no route).
"""

from __future__ import annotations

import argparse
import json
import sys

from app.world import routing
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
    r.add_argument("--prefer", default="fastest", choices=routing.PREFERENCES)
    r.add_argument("--at", help="clock time HH:MM for the simulated traffic (default: now)")

    s = sub.add_parser("search", help="car parks, restaurants, or places of any category")
    s.add_argument("what", choices=["parking", "restaurants", "places"])
    s.add_argument("--near")
    s.add_argument("--cuisine")
    s.add_argument("--limit", type=int, default=5)
    s.add_argument("--category", help="places: a key or any synonym (hospital, 医院, gas station, ...)")
    s.add_argument("--along-route", action="store_true", help="places: along the route --from A --to B")
    s.add_argument("--from", dest="route_from", help="with --along-route: route origin")
    s.add_argument("--to", dest="route_to", help="with --along-route: route destination")
    s.add_argument("--open-now", action="store_true")
    s.add_argument(
        "--sort", default="distance", help="distance|nearest|detour|rating|best-rated|price|cheapest"
    )
    s.add_argument("--radius", type=float, default=3000.0, help="metres")

    sub.add_parser("categories", help="every place category with its count and sources")

    f = sub.add_parser("find", help="look a place up: found | ambiguous | far_away | not_found")
    f.add_argument("query")
    f.add_argument("--near")

    sp = sub.add_parser("places", help="saved places: home, work, favourites")
    sp.add_argument("action", choices=["list", "set", "remove"])
    sp.add_argument("name", nargs="?")
    sp.add_argument("ref", nargs="?", help="set: a place name or LAT,LON")

    t = sub.add_parser("trip", help="start a trip and print its status (remaining distance, traffic ahead)")
    t.add_argument("origin")
    t.add_argument("destination")
    t.add_argument("--prefer", default="fastest", choices=routing.PREFERENCES)
    t.add_argument("--at", help="clock time HH:MM")

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
            route = world.route(_ref(args.origin), _ref(args.destination), args.prefer, args.at)
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
        elif args.cmd == "search" and args.what == "places":
            if not args.category:
                raise ValueError("search places needs --category (e.g. hospital, 医院, gas station)")
            if args.along_route:
                if not (args.route_from and args.route_to):
                    raise ValueError("--along-route needs the route: --from PLACE --to PLACE")
                world.set_destination(_ref(args.route_to), origin=_ref(args.route_from))
            found = world.search_places(
                args.category,
                near=_ref(args.near) if args.near else None,
                along_route=args.along_route,
                open_now=args.open_now,
                sort=args.sort,
                cuisine=args.cuisine,
                limit=args.limit,
                radius_m=args.radius,
            )
            _print({"near": args.near, **found.to_dict()})
        elif args.cmd == "categories":
            _print({"categories": world.categories()})
        elif args.cmd == "find":
            _print(world.find(args.query, _ref(args.near) if args.near else None).to_dict())
        elif args.cmd == "places":
            _print(_places(world, args))
        elif args.cmd == "trip":
            world.set_destination(_ref(args.destination), origin=_ref(args.origin), prefer=args.prefer)
            _print(world.trip_status(args.at))
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


def _places(world: World, args) -> dict:
    if args.action == "set":
        if not (args.name and args.ref):
            raise ValueError('places set needs a name and a place: places set home "延安东路100号"')
        world.set_saved(args.name, _ref(args.ref))
    elif args.action == "remove":
        if not args.name:
            raise ValueError("places remove needs a name: places remove home")
        if not world.remove_saved(args.name):
            raise LookupError(f"no saved place called {args.name!r}")
    return {
        "places": [
            {
                "name": e["name"],
                "demo": e["demo"],
                "ref": e["ref"],
                "place": e["place"].to_dict(),
                "target": e["target"].to_dict(),
            }
            for e in world.saved_entries()
        ]
    }


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

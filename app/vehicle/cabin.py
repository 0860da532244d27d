"""The simulated car's cabin: one command API that validates, clamps, reports, persists and notifies.

Every change goes through `set`, `adjust`, `do`, `undo` or `reset`. Each one runs under one lock
(the UI thread, the agent's executor and the media player's thread all call in), diffs the typed
state before and after, and returns a `Change` saying what was done in both languages. Subscribers
are called after the lock is released, so a subscriber may read the cabin again.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from app.vehicle import media, phone, questions
from app.vehicle.api import CabinError, Change, Outcome
from app.vehicle.spec import Control, InvalidValue, Spec, load_spec, norm
from app.vehicle.state import CabinState, flat, from_dict, get_path, has_path, set_path

log = logging.getLogger(__name__)

STATE_VERSION = 1
UNDO_DEPTH = 20
PACK_KWH = 75.0  # the world car's pack (app/world/vehicle.py)


Listener = Callable[[Change], None]


class Cabin:
    """The cabin. `Cabin(path)` keeps its state in a JSON file; `Cabin()` / `Cabin(path=None)` in memory.

    `clock` is injectable so tests drive the media position and the simulated phone without
    waiting; it defaults to wall-clock seconds so a position survives from one process to the next.
    """

    def __init__(self, path: str | Path | None = None, clock: Callable[[], float] = time.time):
        self.path = Path(path) if path is not None else None
        self.clock = clock
        self.spec_data: Spec = load_spec()
        self.library = media.load_library()
        self.contacts = phone.load_contacts()
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self._history: list[tuple[dict[str, Any], Change]] = []
        self._vehicle = None  # the world's simulated car, once attached
        self._player = None
        self._ducked = False
        self._saved_mtime: int | None = None  # our own last write, which reload() need not read
        self._s = self._load()

    # --- reading --------------------------------------------------------------------------------------
    def spec(self) -> list[dict[str, Any]]:
        """Every control as data (path, type, min/max/step, unit, choices, labels, synonyms, default)."""
        defaults = CabinState()
        out = []
        for c in self.spec_data.controls.values():
            d = c.to_dict()
            d["default"] = get_path(defaults, c.members[0] if c.members else c.path)
            out.append(d)
        return out

    def contact_names(self) -> list[list[str]]:
        """Each contact's names and synonyms in both languages (simulated contacts)."""
        return [
            [c["name_en"], c["name_zh"], *c.get("synonyms_en", ()), *c.get("synonyms_zh", ())]
            for c in self.contacts.contacts.values()
        ]

    def actions(self) -> list[dict[str, Any]]:
        """The declared actions (`do`) with their arguments, labels and synonyms."""
        out = [dict(a) for a in self.spec_data.actions.values()]
        for a in out:
            if a["name"] == "climate.feel":
                a["feelings"] = self.spec_data.feelings
        return out

    def get(self, path: str) -> Any:
        """One value; for a group control the shared value, or {member: value} when they differ."""
        with self._lock:
            ctl = self.spec_data.controls.get(path)
            if ctl is not None and ctl.members:
                values = {m: get_path(self._s, m) for m in ctl.members}
                return next(iter(values.values())) if len(set(values.values())) == 1 else values
            try:
                value = get_path(self._s, path)
            except AttributeError:
                raise KeyError(f"no cabin value at {path!r}") from None
            # A section ("climate", "seats.driver") comes back as plain data, never the live object.
            return asdict(value) if is_dataclass(value) else copy.deepcopy(value)

    def state(self) -> dict[str, Any]:
        """The whole cabin, JSON-ready; every section is simulated and says so."""
        self.tick()  # a track that ended moved on: subscribers hear it, not just this reader
        with self._lock:
            s = self._s
            out: dict[str, Any] = {}
            for section in ("climate", "seats", "windows", "lights"):
                out[section] = {**asdict(getattr(s, section)), "simulated": True}
            out["drive"] = self._drive_view()
            out["media"] = media.view(self, s.media, self.clock())
            out["phone"] = phone.view(self, s.phone, self.clock())
            out["telltales"] = questions.active_telltales(s, out["drive"])
            return out

    # --- commands -------------------------------------------------------------------------------------
    def set(self, path: str, value: Any) -> Change:
        """Set one control; out-of-range numbers are clamped to the limit and the reply says so."""
        return self._run("set", {"path": path, "value": value}, lambda s: self._set(s, path, value))

    def adjust(self, path: str, delta: Any = None) -> Change:
        """A relative change ("a bit warmer": +nudge). delta: a number, "up"/"down"/"调高", or None."""
        return self._run("adjust", {"path": path, "delta": delta}, lambda s: self._adjust(s, path, delta))

    def do(self, action: str, **args: Any) -> Change:
        """An action by name: media.play, phone.call, climate.feel, seats.recall… (see `actions()`)."""
        if action == "cabin.undo":
            return self.undo()
        if action == "cabin.reset":
            return self.reset()
        if action == "set":
            return self.set(args.get("path", ""), args.get("value"))
        if action == "adjust":
            return self.adjust(args.get("path", ""), args.get("delta"))
        handler = HANDLERS.get(action)
        if handler is None:
            en, zh = self.spec_data.message("unknown_action", action=action)
            return Change(False, action, requested=args, message_en=en, message_zh=zh, error="unknown_action")
        declared = self.spec_data.actions.get(action, {}).get("args", {})
        for name, info in declared.items():
            if info.get("required") and args.get(name) in (None, ""):
                en, zh = self.spec_data.message("missing_arg", action=action, arg=name)
                return Change(
                    False, action, requested=args, message_en=en, message_zh=zh, error="missing_arg"
                )
        return self._run(action, args, lambda s: handler(self, s, **args))

    def question(self, topic: str, **args: Any) -> dict[str, Any]:
        """Range, battery, tyres, service or a warning light: {topic, message_en, message_zh, …}."""
        self.tick()
        with self._lock:
            return questions.answer(self, topic, **args)

    def undo(self) -> Change:
        """Put back what the last undoable change changed (set, adjust, feel, recall…)."""
        with self._lock:
            if not self._history:
                en, zh = self.spec_data.message("nothing_to_undo")
                return Change(False, "cabin.undo", message_en=en, message_zh=zh, error="nothing_to_undo")
            old_values, undone = self._history.pop()
            before = flat(self._s)
            for path, value in old_values.items():
                set_path(self._s, path, copy.deepcopy(value))
            changes = _diff(before, flat(self._s))
            what_en, what_zh = self._describe_changes(changes)
            en, zh = self.spec_data.message("undone", what_en=what_en, what_zh=what_zh)
            change = Change(
                True, "cabin.undo", changes, requested=undone.action, message_en=en, message_zh=zh
            )
            self._after_change_locked(changes)
        self._notify(change)
        return change

    def reset(self) -> Change:
        """Everything back to the defaults (the demo stand's reset); the undo history is cleared."""
        with self._lock:
            before = flat(self._s)
            self._s = CabinState()
            self._history.clear()
            changes = _diff(before, flat(self._s))
            en, zh = self.spec_data.message("reset")
            change = Change(True, "cabin.reset", changes, message_en=en, message_zh=zh)
            self._after_change_locked(changes)
        self._notify(change)
        return change

    def start_up(self) -> Change:
        """The car starting (the cockpit app opening): a call cannot have lasted through it.

        The state file keeps the cabin between runs, so the CLI can ring in one command and hang
        up in the next; but a cockpit that opens on yesterday's simulated call, hours long, is
        wrong. Everything else (climate, seats, the paused song) stays as the driver left it.
        """
        return self._run("cabin.start_up", None, lambda s: phone.drop_call(self, s))

    def subscribe(self, fn: Listener) -> Callable[[], None]:
        """fn(change) after every change, on the thread that made it. Returns the unsubscribe call."""
        with self._lock:
            self._listeners.append(fn)

        def unsubscribe() -> None:
            with self._lock:
                if fn in self._listeners:
                    self._listeners.remove(fn)

        return unsubscribe

    def tick(self) -> Change | None:
        """Let time pass: a track that ended moves on, a ringing call is answered (simulated)."""
        with self._lock:
            before = flat(self._s)
            self._tick_locked()
            changes = _diff(before, flat(self._s))
            if not changes:
                return None
            en, zh = self._tick_message(changes)
            change = Change(True, "tick", changes, message_en=en, message_zh=zh)
            self._after_change_locked(changes)
        self._notify(change)
        return change

    # --- the world's car and the audio ----------------------------------------------------------------
    def attach_vehicle(self, vehicle: Any) -> None:
        """Drive the world's simulated car (app/world/vehicle.py): the drive mode sets its profile."""
        with self._lock:
            self._vehicle = vehicle
            self._apply_profile()

    @property
    def media_player(self):
        """The audio output of the media and the ring tone (started on first use)."""
        with self._lock:
            if self._player is None:
                from app.vehicle.audio import MediaPlayer

                self._player = MediaPlayer(self)
            return self._player

    def duck(self, on: bool) -> None:
        """Lower the media while the assistant speaks (the player applies it at once)."""
        with self._lock:
            self._ducked = bool(on)

    @property
    def ducked(self) -> bool:
        return self._ducked

    def playback(self) -> dict[str, Any]:
        """What the audio player needs each block, without building the whole state."""
        with self._lock:
            now = self.clock()
            m, p = self._s.media, self._s.phone
            item = media.sound_item(self, m)
            return {
                "item": item,
                "playing": m.playing,
                "position_s": media.position(m, now),
                "volume": m.volume,
                "ducked": self._ducked,
                "ring": p.direction if p.call_state == "ringing" else None,
            }

    # --- internals ------------------------------------------------------------------------------------
    def _run(self, action: str, requested: Any, fn: Callable[[CabinState], Outcome]) -> Change:
        self.tick()  # what time did (a track ended, a call connected) is its own change
        with self._lock:
            snapshot = copy.deepcopy(self._s)
            before = flat(self._s)
            try:
                try:
                    outcome = fn(self._s)
                except (TypeError, ValueError, AttributeError) as exc:
                    # Arguments of the wrong shape (a list for a contact, an unknown keyword…):
                    # a clear refusal, never a crash of the caller's turn.
                    log.warning("cabin %s%r refused: %s", action, requested, exc)
                    raise CabinError(
                        "invalid_args",
                        f"'{action}' cannot be done with {requested}",
                        f"无法用这些参数执行“{action}”：{requested}",
                    ) from exc
            except CabinError as exc:
                self._s = snapshot
                return Change(
                    False,
                    action,
                    requested=requested,
                    message_en=exc.message_en,
                    message_zh=exc.message_zh,
                    error=exc.code,
                    data=exc.data,
                )
            changes = _diff(before, flat(self._s))
            change = Change(
                True,
                action,
                changes,
                clamped=outcome.clamped,
                requested=requested,
                message_en=outcome.message_en,
                message_zh=outcome.message_zh,
                data=outcome.data,
            )
            if changes and outcome.undoable:
                self._history.append(({c["path"]: c["old"] for c in changes}, change))
                del self._history[:-UNDO_DEPTH]
            self._after_change_locked(changes)
        if changes:
            self._notify(change)
        return change

    def _after_change_locked(self, changes: list[dict[str, Any]]) -> None:
        if not changes:
            return
        if any(c["path"] == "drive.mode" for c in changes):
            self._apply_profile()
        self._save_locked()

    def _notify(self, change: Change) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for fn in listeners:
            try:
                fn(change)
            except Exception:  # one broken subscriber must not stop the others or the command
                log.exception("cabin subscriber failed")

    def control(self, path: str) -> Control:
        ctl = self.spec_data.controls.get(path)
        if ctl is None:
            en, zh = self.spec_data.message("unknown_path", path=path)
            raise CabinError("unknown_path", en, zh, {"known": sorted(self.spec_data.controls)})
        return ctl

    def _coerce(self, ctl: Control, value: Any) -> tuple[Any, str | None]:
        try:
            return ctl.coerce(value, self.spec_data.words)
        except InvalidValue:
            exp_en, exp_zh = ctl.expected()
            en, zh = self.spec_data.message(
                "invalid_value",
                value=value,
                label_en=ctl.label_en,
                label_zh=ctl.label_zh,
                expected_en=exp_en,
                expected_zh=exp_zh,
            )
            raise CabinError("invalid_value", en, zh) from None

    def _set(self, s: CabinState, path: str, value: Any) -> Outcome:
        ctl = self.control(path)
        new, clamped = self._coerce(ctl, value)
        members = ctl.members or (path,)
        olds = [get_path(s, m) for m in members]
        for m in members:
            set_path(s, m, new)
        old = olds[0] if len(set(olds)) == 1 else None  # zones that differed: not "already"
        en, zh = self._with_implied(s, ctl, self.describe(ctl, old, new, clamped))
        return Outcome(en, zh, clamped=clamped is not None)

    def _adjust(self, s: CabinState, path: str, delta: Any) -> Outcome:
        ctl = self.control(path)
        if ctl.type != "number":
            en, zh = self.spec_data.message("not_relative", label_en=ctl.label_en, label_zh=ctl.label_zh)
            raise CabinError("not_relative", en, zh)
        nudge = ctl.nudge or ctl.step or 1
        if delta is None or delta == "":
            step = nudge
        elif isinstance(delta, str) and self.spec_data.direction(delta) is not None:
            step = nudge * self.spec_data.direction(delta)
        else:
            try:
                step = float(delta)
            except (TypeError, ValueError):
                raise CabinError(
                    "invalid_value",
                    f"'{delta}' is not a change for {ctl.label_en} (a number, 'up' or 'down')",
                    f"“{delta}”不是{ctl.label_zh}的调整量（数字、调高或调低）",
                ) from None
        results = []
        for m in ctl.members or (path,):  # each zone moves by the step, keeping its offset
            old = get_path(s, m)
            new, clamped = self._coerce(ctl, old + step)
            set_path(s, m, new)
            results.append((m, old, new, clamped))
        any_clamped = any(r[3] for r in results)
        if len({(r[1], r[2]) for r in results}) == 1:
            _, old, new, clamped = results[0]
            en, zh = self.describe(ctl, old, new, clamped)
        else:
            parts = [self.describe(self.spec_data.controls[m], o, n, c) for m, o, n, c in results]
            j = self.spec_data.messages["joiner"]
            en, zh = j["en"].join(p[0] for p in parts), j["zh"].join(p[1] for p in parts)
        en, zh = self._with_implied(s, ctl, (en, zh))
        return Outcome(en, zh, clamped=any_clamped)

    def _with_implied(self, s: CabinState, ctl: Control, said: tuple[str, str]) -> tuple[str, str]:
        """Apply what the control implies (climate on for a temperature) and say it first."""
        parts = []
        for path, value in ctl.implies.items():
            other = self.spec_data.controls[path]
            old = get_path(s, path)
            if old != value:
                set_path(s, path, value)
                parts.append(self.describe(other, old, value))
        if not parts:
            return said
        j = self.spec_data.messages["joiner"]
        parts.append(said)
        return j["en"].join(p[0] for p in parts), j["zh"].join(p[1] for p in parts)

    def find_controls(self, text: str) -> list[str]:
        """Control paths named in the text (labels and synonyms from the spec), best first."""
        return self.spec_data.find_controls(text)

    def describe(self, ctl: Control, old: Any, new: Any, clamped: str | None = None) -> tuple[str, str]:
        """The reply for one control change, from the spec's message templates."""
        m = self.spec_data.message
        labels = {"label_en": ctl.label_en, "label_zh": ctl.label_zh}
        value = {"value_en": ctl.show(new, "en"), "value_zh": ctl.show(new, "zh")}
        if ctl.type == "number":
            if clamped and old == new:
                return m(f"number_already_{clamped}", **labels, **value)
            if clamped:
                limit = ctl.max if clamped == "max" else ctl.min
                return m(
                    f"number_{clamped}",
                    **labels,
                    **value,
                    limit_en=ctl.show(limit, "en"),
                    limit_zh=ctl.show(limit, "zh"),
                )
            if old == new:
                return m("number_already", **labels, **value)
            if new == 0 and ctl.zero_means_off:
                return m("number_off", **labels, off_en=ctl.off_en, off_zh=ctl.off_zh)
            return m("number_set", **labels, **value)
        if ctl.type == "bool":
            state_en = ctl.on_en if new else ctl.off_en
            state_zh = ctl.on_zh if new else ctl.off_zh
            key = "bool_already" if old == new else "bool_set"
            return m(
                key, **labels, state_en=state_en, state_zh=state_zh, state_zh_bare=state_zh.removeprefix("已")
            )
        return m("enum_already" if old == new else "enum_set", **labels, **value)

    def _describe_changes(self, changes: list[dict[str, Any]]) -> tuple[str, str]:
        parts = [
            self.describe(self.spec_data.controls[c["path"]], c["old"], c["new"])
            for c in changes
            if c["path"] in self.spec_data.controls
        ]
        j = self.spec_data.messages["joiner"]
        return j["en"].join(p[0] for p in parts), j["zh"].join(p[1] for p in parts)

    def _tick_message(self, changes: list[dict[str, Any]]) -> tuple[str, str]:
        paths = {c["path"]: c for c in changes}
        if "phone.call_state" in paths:
            c = paths["phone.call_state"]
            contact_id = paths.get("phone.contact_id", {}).get("old") or self._s.phone.contact_id
            known = self.contacts.known(contact_id)
            who = self.contacts.view(contact_id) if known else {"name_en": "the caller", "name_zh": "对方"}
            if c["new"] == "active":
                return f"Connected to {who['name_en']} (simulated)", f"已接通{who['name_zh']}（模拟）"
            if c["new"] == "idle":
                return f"Missed call from {who['name_en']} (simulated)", f"{who['name_zh']}的未接来电（模拟）"
        if "media.track_id" in paths and self._s.media.track_id in self.library.tracks:
            t = self.library.track_view(self._s.media.track_id)
            return (
                f"Now playing {t['title_en']} by {t['artist_en']}",
                f"正在播放{t['artist_zh']}的《{t['title_zh']}》",
            )
        return "", ""

    def _tick_locked(self) -> None:
        now = self.clock()
        media.tick(self, self._s.media, now)
        phone.tick(self, self._s, now)

    # --- drive ----------------------------------------------------------------------------------------
    def profile(self, mode: str | None = None) -> dict[str, float]:
        mode = mode or self._s.drive.mode
        return self.spec_data.controls["drive.mode"].choice_labels[mode]["profile"]

    def _apply_profile(self) -> None:
        v = self._vehicle
        if v is not None and hasattr(v, "set_drive_profile"):
            p = self.profile()
            v.set_drive_profile(p["max_accel_mps2"], p["consumption_kwh_per_km"])

    def _drive_view(self) -> dict[str, Any]:
        d = self._s.drive
        p = self.profile()
        if self._vehicle is not None:
            vs = self._vehicle.state
            battery, range_km = vs.battery_pct, vs.range_km
        else:
            battery = d.battery_pct
            range_km = round(battery / 100 * PACK_KWH / p["consumption_kwh_per_km"], 1)
        return {
            "mode": d.mode,
            "lane_keeping": d.lane_keeping,
            "parking_assist": d.parking_assist,
            "battery_pct": round(battery, 1),
            "range_km": round(range_km),
            "tyres": questions.tyres(),
            "next_service_km": questions.next_service_km(d.odometer_km),
            "odometer_km": round(d.odometer_km),
            "profile": p,
            "simulated": True,
        }

    # --- persistence ----------------------------------------------------------------------------------
    def _load(self) -> CabinState:
        if self.path is None or not self.path.exists():
            return CabinState()
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict) or not isinstance(raw.get("state"), dict):
                raise ValueError("no 'state' object")
        except (OSError, ValueError) as exc:
            backup = self.path.with_name(self.path.name + ".corrupt")
            log.warning(
                "cabin state %s unreadable (%s); starting from defaults, kept as %s", self.path, exc, backup
            )
            with contextlib.suppress(OSError):
                os.replace(self.path, backup)
            return CabinState()
        bad: list[str] = []
        s = from_dict(CabinState, raw["state"], bad)
        # Each control must also pass its spec (a hand-edited 35 °C comes back as the default).
        defaults = CabinState()
        for path, ctl in self.spec_data.controls.items():
            if ctl.members:
                continue
            value = get_path(s, path)
            try:
                ok, clamped = ctl.coerce(value, self.spec_data.words)
            except InvalidValue:
                ok, clamped = None, "invalid"
            if clamped or ok != value:
                bad.append(path)
                set_path(s, path, get_path(defaults, path))
        media.sanitize(self, s.media, bad)
        phone.sanitize(self, s.phone, bad)
        if bad:
            log.warning("cabin state %s: reset to defaults: %s", self.path, ", ".join(bad))
        self._history = _load_history(raw.get("history"))
        return s

    def _save_locked(self) -> None:
        if self.path is None:
            return
        # The undo history is saved too, so `set` in one process can be undone by `undo` in the next.
        history = [
            {"old": old, "action": ch.action, "requested": ch.requested, "message_en": ch.message_en}
            for old, ch in self._history
        ]
        data = {
            "version": STATE_VERSION,
            "saved_at": self.clock(),
            "state": asdict(self._s),
            "history": history,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
            os.replace(tmp, self.path)  # atomic: a reader sees the old file or the new one, never half
            self._saved_mtime = self.path.stat().st_mtime_ns
        except OSError as exc:
            log.warning("could not save the cabin state to %s: %s", self.path, exc)
            tmp.unlink(missing_ok=True)

    def reload(self) -> Change | None:
        """Pick up a change another process saved (the CLI while the app runs)."""
        if self.path is None:
            return None
        with self._lock:
            try:
                if self.path.stat().st_mtime_ns == self._saved_mtime:
                    return None  # the file is what this process wrote last
            except OSError:
                return None
            before = flat(self._s)
            self._s = self._load()
            changes = _diff(before, flat(self._s))
            if not changes:
                return None
            change = Change(True, "reload", changes)
            change.message_en, change.message_zh = self._describe_changes(changes)
            if any(c["path"] == "drive.mode" for c in changes):
                self._apply_profile()
        self._notify(change)
        return change

    def watch(self, interval_s: float = 1.0) -> Callable[[], None]:
        """Reload whenever another process saves the state file (the CLI while the app runs).

        A daemon thread polls the file's mtime; returns the call that stops it.
        """
        if self.path is None:
            return lambda: None
        stop = threading.Event()

        def mtime() -> int:
            try:
                return self.path.stat().st_mtime_ns
            except OSError:
                return 0

        def loop() -> None:
            seen = mtime()
            while not stop.wait(interval_s):
                now = mtime()
                if now != seen:
                    seen = now
                    try:
                        self.reload()
                    except Exception:
                        log.exception("cabin reload failed")

        threading.Thread(target=loop, name="cabin-watch", daemon=True).start()
        return stop.set


def _load_history(raw: Any) -> list[tuple[dict[str, Any], Change]]:
    """Saved undo entries whose paths still exist (an old file may name a removed field)."""
    out = []
    defaults = CabinState()
    for entry in raw if isinstance(raw, list) else []:
        old = entry.get("old") if isinstance(entry, dict) else None
        if not isinstance(old, dict) or not old or not all(has_path(defaults, p) for p in old):
            continue
        change = Change(True, str(entry.get("action", "set")), requested=entry.get("requested"))
        change.message_en = str(entry.get("message_en", ""))
        out.append((old, change))
    return out[-UNDO_DEPTH:]


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"path": p, "old": before[p], "new": after[p]} for p in after if before.get(p) != after[p]]


# --- actions that are not media or phone -----------------------------------------------------------------


def _feel(cabin: Cabin, s: CabinState, feeling: str, zone: str = "driver", **_: Any) -> Outcome:
    name = cabin.spec_data.find_feeling(feeling)
    if name is None:
        raise CabinError(
            "invalid_value",
            f"I don't know the feeling '{feeling}' (cold, hot, stuffy, foggy, too bright)",
            f"不明白“{feeling}”这种感受（冷、热、闷、起雾、太晒）",
        )
    zone = norm(zone) if zone else "driver"
    zones = ["driver", "passenger"] if zone in ("all", "both", "全部", "所有") else [zone]
    if any(z not in ("driver", "passenger") for z in zones):
        raise CabinError(
            "invalid_value",
            f"'{zone}' is not a zone (driver, passenger, all)",
            f"“{zone}”不是温区（主驾、副驾、全部）",
        )
    parts, clamped = [], False
    for effect in cabin.spec_data.feelings[name]["effects"]:
        for z in zones if "{zone}" in effect["path"] else [None]:
            path = effect["path"].format(zone=z)
            ctl = cabin.control(path)
            old = get_path(s, path)
            target = old + effect["adjust"] if "adjust" in effect else effect["set"]
            new, cl = cabin._coerce(ctl, target)
            if new == old and cl is None:
                continue  # already so: say only what changed
            set_path(s, path, new)
            clamped = clamped or cl is not None
            parts.append(cabin.describe(ctl, old, new, cl))
    j = cabin.spec_data.messages["joiner"]
    if not parts:
        return Outcome("The cabin is already set for that", "车内已经是这样设置的了")
    return Outcome(j["en"].join(p[0] for p in parts), j["zh"].join(p[1] for p in parts), clamped=clamped)


def _seat(s: CabinState, seat: str) -> str:
    seat = norm(seat or "driver")
    aliases = {"主驾": "driver", "副驾": "passenger", "driver": "driver", "passenger": "passenger"}
    if seat not in aliases:
        raise CabinError(
            "invalid_value", f"'{seat}' is not a seat (driver, passenger)", f"“{seat}”不是座椅（主驾、副驾）"
        )
    return aliases[seat]


def _recall(cabin: Cabin, s: CabinState, position: Any, seat: str = "driver", **_: Any) -> Outcome:
    path = f"seats.{_seat(s, seat)}.position"
    ctl = cabin.control(path)
    n, clamped = cabin._coerce(ctl, position)
    if clamped:
        raise CabinError(
            "invalid_value",
            "Seat memory positions are 1, 2 and 3",
            "座椅记忆位置只有1、2、3号",
            {"position": position},
        )
    old = get_path(s, path)
    set_path(s, path, n)
    en, zh = cabin.describe(ctl, old, n)
    return Outcome(en + " (simulated)", zh + "（模拟）")


def _save_seat(cabin: Cabin, s: CabinState, position: Any, seat: str = "driver", **_: Any) -> Outcome:
    path = f"seats.{_seat(s, seat)}.position"
    n, clamped = cabin._coerce(cabin.control(path), position)
    if clamped:
        raise CabinError("invalid_value", "Seat memory positions are 1, 2 and 3", "座椅记忆位置只有1、2、3号")
    set_path(s, path, n)
    return Outcome(
        f"Seat position saved as memory {n} (simulated)", f"座椅位置已保存为{n}号记忆（模拟）", undoable=False
    )


def _question(cabin: Cabin, s: CabinState, topic: str, **args: Any) -> Outcome:
    ans = questions.answer(cabin, topic, **args)
    if not ans.get("ok", True):
        raise CabinError(ans.get("error", "invalid_value"), ans["message_en"], ans["message_zh"], ans)
    return Outcome(ans["message_en"], ans["message_zh"], data=ans, undoable=False)


HANDLERS: dict[str, Callable[..., Outcome]] = {
    "climate.feel": _feel,
    "seats.recall": _recall,
    "seats.save": _save_seat,
    "car.question": _question,
    **media.HANDLERS,
    **phone.HANDLERS,
}

"""The simulated phone: demo contacts and messages (assets/vehicle/contacts.json), calls, a ring tone.

Nothing is ever dialled. An outgoing call rings for ANSWER_AFTER_S on the cabin's clock and is then
"answered"; an incoming one (phone.incoming, for the show mode) rings until answered or missed.
Contacts are found by name, relation or synonym in either language ("妈妈", "my wife", "office").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from app.paths import ASSETS
from app.vehicle.api import CabinError, Outcome
from app.vehicle.spec import norm
from app.vehicle.state import Phone

if TYPE_CHECKING:
    from app.vehicle.cabin import Cabin
    from app.vehicle.state import CabinState

CONTACTS_FILE = ASSETS / "vehicle" / "contacts.json"
ANSWER_AFTER_S = 4.0  # the simulated other side picks up after this long
MISSED_AFTER_S = 30.0  # an unanswered incoming call stops ringing
NUMBER_PREFIX = "number:"  # the id of a dialled number that is not a contact
MIN_DIAL_DIGITS = 3
MAX_RECENT_CALLS = 3  # a list read aloud while driving stays short


@dataclass(frozen=True)
class Contacts:
    contacts: dict[str, dict[str, Any]]
    messages: list[dict[str, Any]]
    recent_calls: list[dict[str, Any]]  # the demo phone's call log before this drive, newest first
    keys: dict[str, set[str]]  # normalised name -> contact ids
    surnames: frozenset[str] = frozenset()  # family names in both languages ("李", "li")

    def known(self, cid: str | None) -> bool:
        return cid is not None and (cid in self.contacts or _number_id(cid) is not None)

    def view(self, cid: str) -> dict[str, Any]:
        number = _number_id(cid)
        if number is not None:  # a number that is not in the book ("call 10086")
            return {
                "id": cid,
                "name_en": number,
                "name_zh": number,
                "relation": None,
                "relation_en": None,
                "relation_zh": None,
                "number": number,
                "demo": True,
            }
        c = self.contacts[cid]
        return {
            "id": cid,
            "name_en": c["name_en"],
            "name_zh": c["name_zh"],
            "relation": c["relation"],
            "relation_en": c["relation_en"],
            "relation_zh": c["relation_zh"],
            "number": c["number"],
            "demo": True,
        }

    def find(self, text: str) -> list[str]:
        """Contact ids for a name, relation or number as said; several when it is ambiguous."""
        q = norm(text)
        digits = "".join(ch for ch in q if ch.isdigit())
        if len(digits) >= 4:
            hits = [
                cid
                for cid, c in self.contacts.items()
                if "".join(ch for ch in c["number"] if ch.isdigit()).endswith(digits)
            ]
            if hits:
                return hits
        if q in self.keys:
            return sorted(self.keys[q], key=list(self.contacts).index)
        for key in sorted(self.keys, key=len, reverse=True):  # "call my mom please", "给老婆打电话"
            if (key.isascii() and f" {key} " in f" {q} ") or (
                not key.isascii() and len(key) >= 2 and key in q
            ):
                if self._names_someone_else(q, key):
                    continue
                return sorted(self.keys[key], key=list(self.contacts).index)
        best = process.extractOne(q, list(self.keys), scorer=fuzz.WRatio)
        if (
            best
            and best[1] >= 88
            and fuzz.ratio(q, best[0]) >= 70
            and not self._names_someone_else(q, best[0])
        ):
            return sorted(self.keys[best[0]], key=list(self.contacts).index)
        return []

    def _names_someone_else(self, q: str, key: str) -> bool:
        """Whether q gives key's title another family name: 李经理 is not the book's 张经理 (经理).

        The title is the key without its own family name ("经理" of "张经理", "manager" of
        "manager zhang"). Chinese puts the family name before the title, English after it.
        """
        if key.isascii():
            words, said = key.split(), q.split()
            title = words[:-1] if len(words) >= 2 and words[-1] in self.surnames else words
            own = words[-1] if title != words else None
            n = len(title)
            return any(
                said[i : i + n] == title and said[i + n] in self.surnames and said[i + n] != own
                for i in range(len(said) - n)
            )
        title = key[1:] if len(key) >= 3 and key[0] in self.surnames else key
        own = key[0] if title != key else None
        at = q.find(title)
        while at >= 0:
            if at > 0 and q[at - 1] in self.surnames and q[at - 1] != own:
                return True
            at = q.find(title, at + 1)
        return False


def _number_id(cid: str) -> str | None:
    if cid.startswith(NUMBER_PREFIX) and cid[len(NUMBER_PREFIX) :].lstrip("+").isdigit():
        return cid[len(NUMBER_PREFIX) :]
    return None


@lru_cache(maxsize=1)
def load_contacts() -> Contacts:
    raw = json.loads(CONTACTS_FILE.read_text(encoding="utf-8"))
    contacts = {c["id"]: c for c in raw["contacts"]}
    keys: dict[str, set[str]] = {}
    for cid, c in contacts.items():
        names = [
            c["name_en"],
            c["name_zh"],
            c["relation_en"],
            c["relation_zh"],
            *c["synonyms_en"],
            *c["synonyms_zh"],
        ]
        for name in names:
            keys.setdefault(norm(name), set()).add(cid)
    names = raw.get("surnames", {})
    surnames = frozenset(norm(n) for n in [*names.get("zh", []), *names.get("en", [])])
    return Contacts(contacts, raw["messages"], raw.get("recent_calls", []), keys, surnames)


# --- state -------------------------------------------------------------------------------------------


def tick(cabin: Cabin, s: CabinState, now: float) -> None:
    p = s.phone
    if p.call_state != "ringing" or p.since is None:
        return
    if p.direction == "outgoing" and now - p.since >= ANSWER_AFTER_S:
        p.call_state, p.since = "active", p.since + ANSWER_AFTER_S
    elif p.direction == "incoming" and now - p.since >= MISSED_AFTER_S:
        _end(cabin, s)


def view(cabin: Cabin, p: Phone, now: float) -> dict[str, Any]:
    book = cabin.contacts
    contact = book.view(p.contact_id) if book.known(p.contact_id) else None
    call = {
        "state": p.call_state,
        "direction": p.direction,
        "contact": contact,
        "duration_s": round(now - p.since) if p.call_state == "active" and p.since is not None else 0,
    }
    return {
        "call": call,
        "last_message": _message_view(cabin, _last_message(cabin)),
        "last_dialled": book.view(p.last_dialled) if book.known(p.last_dialled) else None,
        "contacts": len(book.contacts),
        "demo_contacts": True,
        "simulated": True,
    }


def sanitize(cabin: Cabin, p: Phone, bad: list[str]) -> None:
    if p.call_state not in ("idle", "ringing", "active") or (
        p.call_state != "idle" and not cabin.contacts.known(p.contact_id)
    ):
        bad.append("phone.call_state")
        p.call_state, p.direction, p.contact_id, p.since = "idle", None, None, None
    if p.last_dialled is not None and not cabin.contacts.known(p.last_dialled):
        p.last_dialled = None


def _last_message(cabin: Cabin, contact_id: str | None = None) -> dict[str, Any] | None:
    msgs = [m for m in cabin.contacts.messages if contact_id is None or m["contact"] == contact_id]
    return msgs[-1] if msgs else None


def _message_view(cabin: Cabin, m: dict[str, Any] | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "id": m["id"],
        "from": cabin.contacts.view(m["contact"]),
        "time": m["time"],
        "text_en": m["text_en"],
        "text_zh": m["text_zh"],
        "simulated": True,
    }


# --- commands ----------------------------------------------------------------------------------------


def _resolve(cabin: Cabin, text: Any) -> str:
    if cabin.contacts.known(text):  # an id, as redial and the UI pass it
        return str(text)
    hits = cabin.contacts.find(str(text))
    digits = "".join(ch for ch in str(text) if ch.isdigit())
    if not hits and len(digits) >= MIN_DIAL_DIGITS and len(digits) >= len(str(text).replace(" ", "")) - 1:
        return NUMBER_PREFIX + ("+" if str(text).strip().startswith("+") else "") + digits
    if not hits:
        raise CabinError(
            "not_found",
            f"There is no '{text}' in the demo contacts",
            f"演示通讯录里没有“{text}”",
            {"contacts": [cabin.contacts.view(c) for c in cabin.contacts.contacts]},
        )
    if len(hits) > 1:
        names_en = ", ".join(cabin.contacts.contacts[c]["name_en"] for c in hits)
        names_zh = "、".join(cabin.contacts.contacts[c]["name_zh"] for c in hits)
        raise CabinError(
            "ambiguous",
            f"Which one: {names_en}?",
            f"请问是哪一位：{names_zh}？",
            {"candidates": [cabin.contacts.view(c) for c in hits]},
        )
    return hits[0]


def _start(cabin: Cabin, s: CabinState, cid: str, direction: str) -> None:
    p, m = s.phone, s.media
    if p.call_state != "idle":
        other = cabin.contacts.view(p.contact_id)
        raise CabinError(
            "busy",
            f"You are on a call with {other['name_en']}; hang up first",
            f"正在和{other['name_zh']}通话，请先挂断",
        )
    p.call_state, p.direction, p.contact_id, p.since = "ringing", direction, cid, cabin.clock()
    if direction == "outgoing":
        p.last_dialled = cid
    if m.playing:  # a call pauses the media and hanging up brings it back, as in a real car
        from app.vehicle.media import pause

        pause(cabin, s)
        m.paused_for_call = True


def _end(cabin: Cabin, s: CabinState) -> None:
    p, m = s.phone, s.media
    p.call_state, p.direction, p.contact_id, p.since = "idle", None, None, None
    if m.paused_for_call:
        from app.vehicle.media import resume

        resume(cabin, s)


def call(cabin: Cabin, s: CabinState, contact: Any, **_: Any) -> Outcome:
    cid = _resolve(cabin, contact)
    _start(cabin, s, cid, "outgoing")
    c = cabin.contacts.view(cid)
    return Outcome(
        f"Calling {c['name_en']} (simulated call)",
        f"正在呼叫{c['name_zh']}（模拟通话）",
        data={"contact": cabin.contacts.view(cid)},
        undoable=False,
    )


def incoming(cabin: Cabin, s: CabinState, contact: Any, **_: Any) -> Outcome:
    cid = _resolve(cabin, contact)
    _start(cabin, s, cid, "incoming")
    c = cabin.contacts.view(cid)
    return Outcome(
        f"Incoming call from {c['name_en']} (simulated)",
        f"{c['name_zh']}来电（模拟）",
        data={"contact": cabin.contacts.view(cid)},
        undoable=False,
    )


def answer(cabin: Cabin, s: CabinState, **_: Any) -> Outcome:
    p = s.phone
    if p.call_state != "ringing" or p.direction != "incoming":
        raise CabinError("no_call", "There is no incoming call to answer", "当前没有来电")
    p.call_state, p.since = "active", cabin.clock()
    c = cabin.contacts.view(p.contact_id)
    return Outcome(
        f"Connected to {c['name_en']} (simulated)", f"已接通{c['name_zh']}（模拟）", undoable=False
    )


def hangup(cabin: Cabin, s: CabinState, **_: Any) -> Outcome:
    p = s.phone
    if p.call_state == "idle":
        raise CabinError("no_call", "There is no call to hang up", "当前没有通话")
    c = cabin.contacts.view(p.contact_id)
    secs = round(cabin.clock() - p.since) if p.call_state == "active" and p.since is not None else 0
    _end(cabin, s)
    length = f"{secs // 60}:{secs % 60:02d}"
    return Outcome(
        f"Call with {c['name_en']} ended ({length})",
        f"已挂断与{c['name_zh']}的通话（{length}）",
        data={"duration_s": secs},
        undoable=False,
    )


def drop_call(cabin: Cabin, s: CabinState) -> Outcome:
    """Ends whatever call there is without a word (the car restarting); idle stays idle."""
    if s.phone.call_state != "idle":
        _end(cabin, s)
    return Outcome("", "", undoable=False)


def redial(cabin: Cabin, s: CabinState, **_: Any) -> Outcome:
    if s.phone.last_dialled is None:
        raise CabinError("nothing_to_redial", "No number has been dialled yet", "还没有拨打过电话")
    return call(cabin, s, s.phone.last_dialled)


def read_message(cabin: Cabin, s: CabinState, contact: Any = None, **_: Any) -> Outcome:
    cid = _resolve(cabin, contact) if contact else None
    m = _last_message(cabin, cid)
    if m is None:
        who = cabin.contacts.contacts[cid]
        raise CabinError("not_found", f"No messages from {who['name_en']}", f"没有{who['name_zh']}的消息")
    c = cabin.contacts.contacts[m["contact"]]
    s.phone.last_message_id = m["id"]
    en = f"Message from {c['name_en']} at {m['time']}: {m['text_en']}"
    zh = f"{c['name_zh']}在{m['time']}发来消息：{m['text_zh']}"
    return Outcome(
        en, zh, data={"message": _message_view(cabin, m), "speak_en": en, "speak_zh": zh}, undoable=False
    )


def recent_calls(cabin: Cabin, s: CabinState, **_: Any) -> Outcome:
    """The call log, newest first: this drive's last dialled contact, then the demo phone's log."""
    book = cabin.contacts
    log = list(book.recent_calls)
    if s.phone.last_dialled is not None:
        log.insert(
            0, {"contact": s.phone.last_dialled, "time": None, "direction": "outgoing", "missed": False}
        )
    shown = [{**c, "contact": book.view(c["contact"]), "simulated": True} for c in log[:MAX_RECENT_CALLS]]
    en_parts, zh_parts = [], []
    for c in shown:
        who = c["contact"]
        # This drive's call has no clock time of its own (the cabin's clock is simulated).
        at_en, at_zh = (f" at {c['time']}", f"{c['time']}") if c["time"] else (" on this drive", "这次行车中")
        if c["direction"] == "outgoing":
            en_parts.append(f"you called {who['name_en']}{at_en}")
            zh_parts.append(f"{at_zh}您打给了{who['name_zh']}")
        elif c["missed"]:
            en_parts.append(f"a missed call from {who['name_en']}{at_en}")
            zh_parts.append(f"{at_zh}有{who['name_zh']}的未接来电")
        else:
            en_parts.append(f"{who['name_en']} called{at_en}")
            zh_parts.append(f"{at_zh}{who['name_zh']}打来过电话")
    if not en_parts:
        raise CabinError("not_found", "No recent calls", "没有最近的通话记录")
    en = "Recent calls on the demo phone: " + "; ".join(en_parts)
    zh = "演示手机的最近通话：" + "；".join(zh_parts)
    return Outcome(en, zh, data={"calls": shown, "speak_en": en, "speak_zh": zh}, undoable=False)


HANDLERS = {
    "phone.call": call,
    "phone.incoming": incoming,
    "phone.answer": answer,
    "phone.hangup": hangup,
    "phone.redial": redial,
    "phone.read_message": read_message,
    "phone.recent_calls": recent_calls,
}

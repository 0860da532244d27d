"""The simulated phone: contacts by name or relation in both languages, call, hang up, redial, messages."""

import pytest

from app.vehicle import Cabin
from app.vehicle.phone import ANSWER_AFTER_S, load_contacts

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def cabin(clock):
    return Cabin(clock=clock)


@pytest.mark.parametrize(
    "said, cid",
    [
        ("妈妈", "mom"),
        ("Mom", "mom"),
        ("老婆", "wife"),
        ("my wife", "wife"),
        ("office", "office"),
        ("公司", "office"),
        ("王磊", "wang_lei"),
    ],
)
def test_contacts_by_name_or_relation(said, cid):
    assert load_contacts().find(said) == [cid]


@pytest.mark.parametrize("said", ["李经理", "王经理的电话", "王老板", "manager li", "boss wang"])
def test_a_title_with_another_family_name_is_not_the_book_s_contact(said):
    # The book's manager is 张经理; 李经理 is someone the book does not have.
    assert load_contacts().find(said) == []


@pytest.mark.parametrize(
    "said, cid",
    [("经理", "boss"), ("帮我拨一下张经理", "boss"), ("call my boss", "boss"), ("manager zhang", "boss")],
)
def test_the_title_alone_or_with_its_own_family_name_still_finds_the_contact(said, cid):
    assert load_contacts().find(said) == [cid]


def test_contacts_are_marked_demo():
    book = load_contacts()
    assert len(book.contacts) >= 6 and all(book.view(c)["demo"] for c in book.contacts)


def test_call_rings_then_connects_then_hangs_up(cabin, clock):
    ch = cabin.do("phone.call", contact="妈妈")
    assert ch.ok and "模拟" in ch.message_zh and "simulated" in ch.message_en
    call = cabin.state()["phone"]["call"]
    assert call["state"] == "ringing" and call["contact"]["name_zh"] == "妈妈"
    clock.t += ANSWER_AFTER_S + 61
    call = cabin.state()["phone"]["call"]
    assert call["state"] == "active" and call["duration_s"] == 61
    ch = cabin.do("phone.hangup")
    assert ch.ok and "1:01" in ch.message_en
    assert cabin.state()["phone"]["call"]["state"] == "idle"
    assert cabin.do("phone.hangup").error == "no_call"


def test_a_call_pauses_the_media_and_hanging_up_resumes_it(cabin):
    cabin.do("media.play", genre="pop")
    cabin.do("phone.call", contact="office")
    assert cabin.state()["media"]["playing"] is False
    cabin.do("phone.hangup")
    assert cabin.state()["media"]["playing"] is True


def test_redial_and_busy(cabin):
    assert cabin.do("phone.redial").error == "nothing_to_redial"
    cabin.do("phone.call", contact="David")
    assert cabin.do("phone.call", contact="Mom").error == "busy"
    cabin.do("phone.hangup")
    assert cabin.do("phone.redial").ok
    assert cabin.state()["phone"]["call"]["contact"]["id"] == "david"


def test_unknown_and_ambiguous_contacts(cabin):
    ch = cabin.do("phone.call", contact="Elon")
    assert ch.error == "not_found" and "演示通讯录" in ch.message_zh
    ch = cabin.do("phone.call", contact="friend")
    assert ch.error == "ambiguous" and len(ch.data["candidates"]) > 1
    assert cabin.do("phone.call").error == "missing_arg"


def test_incoming_call_and_answer(cabin):
    cabin.do("phone.incoming", contact="老婆")
    assert cabin.state()["phone"]["call"]["direction"] == "incoming"
    assert cabin.do("phone.answer").ok and cabin.state()["phone"]["call"]["state"] == "active"


def test_read_the_last_message_returns_the_text_to_speak(cabin):
    ch = cabin.do("phone.read_message")
    assert ch.ok and ch.data["speak_zh"] == ch.message_zh and "牛奶" in ch.message_zh
    ch = cabin.do("phone.read_message", contact="妈妈")
    assert "dumplings" in ch.message_en and ch.data["message"]["from"]["id"] == "mom"


def test_recent_calls_read_the_demo_log_and_this_drive_s_call_newest_first(cabin):
    ch = cabin.do("phone.recent_calls")
    assert ch.ok and ch.data["speak_en"] == ch.message_en
    assert "missed call from Mom at 17:42" in ch.message_en and "妈妈的未接来电" in ch.message_zh
    assert all(c["simulated"] for c in ch.data["calls"]) and "演示" in ch.message_zh
    cabin.do("phone.call", contact="老婆")
    cabin.do("phone.hangup")
    ch = cabin.do("phone.recent_calls")
    assert (
        ch.data["calls"][0]["contact"]["id"] == "wife" and "you called Li Na on this drive" in ch.message_en
    )
    assert len(ch.data["calls"]) == 3  # read aloud while driving: short


def test_dialling_a_number_that_is_not_a_contact(cabin):
    ch = cabin.do("phone.call", contact="10086")
    assert ch.ok and cabin.state()["phone"]["call"]["contact"]["number"] == "10086"
    cabin.do("phone.hangup")
    assert cabin.do("phone.redial").ok
    cabin.do("phone.hangup")
    assert (
        cabin.do("phone.call", contact="138 0000 0101").data["contact"]["id"] == "mom"
    )  # a contact's number


def test_a_call_survives_between_cli_runs_but_not_the_car_starting(tmp_path, clock):
    state = tmp_path / "cabin.json"
    Cabin(state, clock=clock).do("phone.call", contact="Mom")
    assert Cabin(state, clock=clock).state()["phone"]["call"]["state"] == "ringing"  # the next CLI run
    cockpit = Cabin(state, clock=clock)
    cockpit.start_up()
    assert cockpit.state()["phone"]["call"]["state"] == "idle"
    assert Cabin(state, clock=clock).state()["phone"]["call"]["state"] == "idle"  # and it was saved
    assert cockpit.start_up().ok  # nothing to drop is no error

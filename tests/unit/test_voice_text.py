import pytest

from app.voice.text import (
    MAX_PIECE_LETTERS,
    SentenceSplitter,
    collapse_repeat,
    is_question,
    normalize,
    script_language,
    speech_length,
    split_sentences,
    to_simplified,
)
from app.voice.trace import TurnTrace

pytestmark = pytest.mark.unit


def test_sentences_stream_out_as_soon_as_they_are_complete():
    s = SentenceSplitter()
    assert s.feed("Navigating to the") == []
    assert s.feed(" Bund. It is 2 km") == ["Navigating to the Bund."]
    assert s.feed(" away.") == []  # no space after the stop yet: could be "2.5"
    assert s.flush() == ["It is 2 km away."]


def test_chinese_sentences_and_an_early_first_clause():
    assert split_sentences("好的，已为您找到三个停车场。最近的在两百米外。要去吗？") == [
        "好的，已为您找到三个停车场。",
        "最近的在两百米外。",
        "要去吗？",
    ]
    first = split_sentences("I found three parking lots near the Bund, the closest is 200 m away.")
    assert first == ["I found three parking lots near the Bund,", "the closest is 200 m away."]


def test_a_long_sentence_is_spoken_in_clauses_that_fit():
    long = (
        "Here are five restaurants near the Bund, the nearest is Lost Heaven at 400 m, "
        "then Mercato at 600 m, and Ultraviolet, which is simulated, at 900 m. Go?"
    )
    pieces = split_sentences(long, first_min_chars=1000)
    assert pieces == [
        "Here are five restaurants near the Bund,",
        "the nearest is Lost Heaven at 400 m, then Mercato at 600 m,",
        "and Ultraviolet, which is simulated, at 900 m.",
        "Go?",
    ]
    assert all(speech_length(p) <= MAX_PIECE_LETTERS for p in pieces)
    zh = "为您找到五家餐厅，最近的是外滩三号，四百米，其次是南京东路上的老正兴菜馆，六百米，还有一家模拟的停车场。"
    assert all(speech_length(p) <= MAX_PIECE_LETTERS for p in split_sentences(zh, first_min_chars=1000))
    assert "".join(split_sentences(zh, first_min_chars=1000)) == zh
    # Without a clause end to cut at, a long sentence stays whole rather than being cut mid-word.
    words = "word " * 30 + "end."
    assert split_sentences(words) == [words]


def test_decimal_numbers_are_not_sentence_ends():
    assert split_sentences("It is 2.5 km away. Go.") == ["It is 2.5 km away.", "Go."]


def test_normalisation_for_error_rates():
    assert normalize("Go forward 10 meters.", "en") == "go forward ten meters"
    assert normalize("He's ill-disposed!", "en") == "hes ill disposed"
    assert normalize("換一首歌，好嗎？", "zh") == "换一首歌好吗"
    assert to_simplified("導航到外灘") == "导航到外滩"


def test_language_and_question_helpers():
    assert script_language("导航到外滩") == "zh" and script_language("take me home") == "en"
    assert is_question("要导航过去吗") and is_question("Which one?") and not is_question("Okay.")


def test_trace_measures_from_end_of_speech():
    t = TurnTrace()
    t.mark("end_of_speech", 10.0)
    t.mark("first_audio", 10.4)
    t.mark("first_audio", 11.0)  # a later chunk does not move the first audio
    assert t.timings()["end_of_speech_to_first_audio_ms"] == 400.0


@pytest.mark.parametrize(
    "heard,kept",
    [
        ("next song next song", "next song"),
        ("Next song. Next song.", "Next song."),
        ("打开座椅加热打开床椅加热打开庶椅加燃", "打开座椅加热"),  # three copies, later ones misheard
        ("打开收音机打开收烟机", "打开收音机"),
        ("附近的停车场附近的停车场附近的停车场", "附近的停车场"),
    ],
)
def test_a_command_decoded_twice_keeps_its_first_copy(heard, kept):
    assert collapse_repeat(heard) == kept


@pytest.mark.parametrize(
    "said",
    [
        "好的好的",  # a short repeated word is speech, not a decode error
        "very very good",
        "导航去公司，把空调关了",
        "Find parking near the Bund and play some music.",
        "我想去外滩，外滩附近停车",
    ],
)
def test_ordinary_speech_is_not_collapsed(said):
    assert collapse_repeat(said) == said

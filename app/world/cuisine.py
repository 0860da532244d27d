"""Bilingual cuisine vocabulary, OSM cuisine-tag mapping, and cuisine inference from restaurant names.

Canonical keys are short English words; the agent and the UI translate them for display.
"""

from __future__ import annotations

# key -> words a driver may say, in English and Chinese. The first Chinese word is the display name.
VOCAB: dict[str, tuple[str, ...]] = {
    "sichuan": ("sichuan", "szechuan", "chuan", "chongqing", "川菜", "四川菜", "川味", "重庆菜", "川渝"),
    "hotpot": ("hotpot", "hot pot", "火锅"),
    "shanghainese": ("shanghainese", "shanghai food", "local", "benbang", "本帮菜", "上海菜", "沪菜"),
    "coffee": ("coffee", "cafe", "café", "coffee shop", "咖啡", "咖啡馆", "咖啡店"),
    "japanese": ("japanese", "sushi", "ramen", "日料", "日本菜", "日本料理", "寿司", "日式"),
    "korean": ("korean", "韩国菜", "韩餐", "韩国料理"),
    "cantonese": ("cantonese", "dim sum", "粤菜", "广东菜", "早茶"),
    "hunan": ("hunan", "hunanese", "湘菜", "湖南菜"),
    "dumplings": ("dumplings", "dumpling", "xiaolongbao", "shengjian", "饺子", "小笼包", "生煎", "汤包"),
    "noodles": ("noodles", "noodle", "面", "面条", "面馆", "拉面"),
    "chinese": ("chinese", "中餐", "中国菜"),
    "northwestern": ("northwestern", "xinjiang", "西北菜", "新疆菜"),
    "dongbei": ("dongbei", "northeastern", "东北菜"),
    "seafood": ("seafood", "fish", "海鲜"),
    "burger": ("burger", "burgers", "fast food", "汉堡", "快餐"),
    "chicken": ("chicken", "fried chicken", "炸鸡"),
    "pizza": ("pizza", "披萨", "比萨"),
    "italian": ("italian", "pasta", "意大利菜", "意餐"),
    "french": ("french", "法餐", "法国菜"),
    "western": ("western", "steak", "西餐", "牛排"),
    "thai": ("thai", "泰国菜", "泰餐"),
    "indian": ("indian", "印度菜"),
    "vietnamese": ("vietnamese", "越南菜"),
    "mexican": ("mexican", "墨西哥菜"),
    "american": ("american", "美式"),
    "vegetarian": ("vegetarian", "vegan", "素食", "素菜"),
    "dessert": ("dessert", "ice cream", "bakery", "甜品", "冰淇淋", "面包"),
}

# OSM cuisine tag values -> canonical key (the first recognised value of a ;-list wins).
TAG_MAP: dict[str, str] = {
    "coffee_shop": "coffee",
    "sushi": "japanese",
    "japanese": "japanese",
    "hunanese": "hunan",
    "东北菜": "dongbei",
    "重庆": "sichuan",
    "chongqing": "sichuan",
    "wonton": "dumplings",
    "steak_house": "western",
    "fish": "seafood",
    "lobster": "seafood",
    "donut": "dessert",
    "cake": "dessert",
    "bagel": "dessert",
    "sandwich": "western",
    "fine_dining": "western",
    "regional": "chinese",
    "asian": "chinese",
    "international": "western",
    "iberian": "western",
    "tea": "coffee",
}

# Name fragments -> cuisine, checked in order: specific dishes before the generic 面/noodle.
NAME_RULES: tuple[tuple[str, str], ...] = (
    ("火锅", "hotpot"),
    ("hotpot", "hotpot"),
    ("hot pot", "hotpot"),
    ("海底捞", "hotpot"),
    ("haidilao", "hotpot"),
    ("川菜", "sichuan"),
    ("四川", "sichuan"),
    ("sichuan", "sichuan"),
    ("szechuan", "sichuan"),
    ("重庆", "sichuan"),
    ("本帮", "shanghainese"),
    ("上海菜", "shanghainese"),
    ("shanghai restaurant", "shanghainese"),
    ("shanghai grandmother", "shanghainese"),
    ("咖啡", "coffee"),
    ("coffee", "coffee"),
    ("coffe", "coffee"),
    ("cafe", "coffee"),
    ("café", "coffee"),
    ("星巴克", "coffee"),
    ("starbucks", "coffee"),
    ("costa", "coffee"),
    ("日本料理", "japanese"),
    ("日式", "japanese"),
    ("寿司", "japanese"),
    ("sushi", "japanese"),
    ("japanese", "japanese"),
    ("吉野家", "japanese"),
    ("yoshinoya", "japanese"),
    ("tepan", "japanese"),
    ("韩国", "korean"),
    ("korean", "korean"),
    ("韩膳", "korean"),
    ("粤", "cantonese"),
    ("canton", "cantonese"),
    ("湘", "hunan"),
    ("hunan", "hunan"),
    ("新疆", "northwestern"),
    ("xinjiang", "northwestern"),
    ("西北", "northwestern"),
    ("东北", "dongbei"),
    ("東北", "dongbei"),
    ("海鲜", "seafood"),
    ("seafood", "seafood"),
    ("生煎", "dumplings"),
    ("汤包", "dumplings"),
    ("湯包", "dumplings"),
    ("馄饨", "dumplings"),
    ("馒头", "dumplings"),
    ("dumpling", "dumplings"),
    ("tang bao", "dumplings"),
    ("wonton", "dumplings"),
    ("麦当劳", "burger"),
    ("mcdonald", "burger"),
    ("macdonald", "burger"),
    ("汉堡", "burger"),
    ("burger", "burger"),
    ("肯德基", "chicken"),
    ("kfc", "chicken"),
    ("鸡排", "chicken"),
    ("必胜客", "pizza"),
    ("pizza", "pizza"),
    ("披萨", "pizza"),
    ("italian", "italian"),
    ("pasta", "italian"),
    ("osteria", "italian"),
    ("thai", "thai"),
    ("indian", "indian"),
    ("素", "vegetarian"),
    ("哈根达斯", "dessert"),
    ("häagen", "dessert"),
    ("haagen", "dessert"),
    ("bakery", "dessert"),
    ("steak", "western"),
    ("西餐", "western"),
    ("面", "noodles"),
    ("麵", "noodles"),
    ("noodle", "noodles"),
)

GENERIC = frozenset({"chinese", "western", "american"})

_WORD_TO_KEY = {w.lower(): key for key, words in VOCAB.items() for w in (key, *words)}


def canonical(word: str | None) -> str | None:
    """A cuisine word in English or Chinese ('川菜', 'Sichuan', 'hot pot') -> canonical key, or None."""
    if not word:
        return None
    w = word.strip().lower()
    if w in _WORD_TO_KEY:
        return _WORD_TO_KEY[w]
    for suffix in ("菜", "料理", " food", " cuisine", " restaurant", "餐厅", "馆", "店"):
        if w.endswith(suffix) and w[: -len(suffix)] in _WORD_TO_KEY:
            return _WORD_TO_KEY[w[: -len(suffix)]]
    return None


def from_tag(tag: str | None) -> str | None:
    if not tag:
        return None
    for value in tag.split(";"):
        v = value.strip().lower()
        key = TAG_MAP.get(v) or TAG_MAP.get(value.strip()) or (v if v in VOCAB else None)
        if key:
            return key
    return None


def infer_from_name(*names: str | None) -> str | None:
    text = " ".join(n for n in names if n).lower()
    for fragment, key in NAME_RULES:
        if fragment in text:
            return key
    return None


def classify(tag: str | None, amenity: str, *names: str | None) -> tuple[str | None, bool]:
    """(cuisine key, inferred?) for one restaurant: the OSM tag if it is usable, else the name."""
    tagged = from_tag(tag)
    if tagged and tagged not in GENERIC:
        return tagged, False
    # A generic tag ("chinese") loses to a specific dish in the name (名厨本帮菜 -> shanghainese).
    named = infer_from_name(*names)
    if named and named not in GENERIC:
        return named, True
    if tagged:
        return tagged, False
    if named:
        return named, True
    if amenity == "cafe":
        # An OSM café with no cuisine tag is almost always a coffee shop; still a guess, so flagged.
        return "coffee", True
    return None, False


def display_zh(key: str | None) -> str | None:
    if key is None or key not in VOCAB:
        return None
    return next((w for w in VOCAB[key] if not w.isascii()), None)

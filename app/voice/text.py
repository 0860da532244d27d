"""Text helpers shared by the recogniser, the speaker and the benchmark.

Kept free of model imports so the UI and the fast tests can use them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")

# A sentence ends at these marks; the Chinese ones need no following space.
_SENTENCE_END = re.compile(r"([.!?;]+[\"')\]]*\s+|[。！？；…]+[”’」』)]*\s*|\n+)")
# Where the first chunk may be cut early so the car starts talking sooner.
_CLAUSE_END = re.compile(r"([,:]\s+|[，：、]\s*)")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if CJK.search(text) else text


def script_language(text: str) -> str | None:
    """'zh' when the text is mostly Chinese characters, 'en' when mostly Latin, None when empty."""
    zh, en = len(CJK.findall(text)), len(LATIN.findall(text))
    if not zh and not en:
        return None
    # A Chinese character carries about as much as a 3-letter English word fragment.
    return "zh" if zh * 3 >= en else "en"


def is_question(text: str) -> bool:
    t = text.strip().rstrip("\"'”’)")
    return t.endswith(("?", "？")) or t.endswith(("吗", "呢", "吧"))


class SentenceSplitter:
    """Cuts a growing reply into speakable pieces as soon as each one is complete.

    The first piece may end at a comma once it is `first_min_chars` long: the
    synthesiser then has less to do before the first sound comes out.
    """

    def __init__(self, first_min_chars: int = 8):
        self.buffer = ""
        self.first_min_chars = first_min_chars
        self.emitted = 0

    def feed(self, fragment: str) -> list[str]:
        self.buffer += fragment
        out = []
        while True:
            piece = self._cut()
            if piece is None:
                return out
            if piece.strip():
                out.append(piece.strip())
                self.emitted += 1

    def flush(self) -> list[str]:
        rest, self.buffer = self.buffer.strip(), ""
        if rest:
            self.emitted += 1
            return [rest]
        return []

    def _cut(self) -> str | None:
        m = _SENTENCE_END.search(self.buffer)
        if self.emitted == 0:
            c = next(
                (c for c in _CLAUSE_END.finditer(self.buffer) if c.start() >= self.first_min_chars), None
            )
            if c and (not m or c.start() < m.start()):
                m = c
        if not m:
            return None
        piece, self.buffer = self.buffer[: m.end()], self.buffer[m.end() :]
        return piece


def split_sentences(text: str, first_min_chars: int = 8) -> list[str]:
    s = SentenceSplitter(first_min_chars)
    return s.feed(text) + s.flush()


# --- normalisation for WER / CER -------------------------------------------------

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ZH_DIGITS = "零一二三四五六七八九"


def _en_number(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _UNITS[n % 10])
    if n < 1000:
        rest = n % 100
        return _UNITS[n // 100] + " hundred" + ("" if rest == 0 else " " + _en_number(rest))
    if n < 1_000_000:
        rest = n % 1000
        return _en_number(n // 1000) + " thousand" + ("" if rest == 0 else " " + _en_number(rest))
    return " ".join(_UNITS[int(d)] for d in str(n))


def _zh_number(n: int) -> str:
    # Reference transcripts spell numbers the way they are read: 十, 二十五, 一百.
    if n < 10:
        return _ZH_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[ones] if ones else "")
    if n < 1000:
        h, rest = divmod(n, 100)
        tail = (
            ""
            if rest == 0
            else (
                "零" + _zh_number(rest)
                if rest < 10
                else _zh_number(rest)
                if rest >= 20
                else "一" + _zh_number(rest)
            )
        )
        return _ZH_DIGITS[h] + "百" + tail
    return "".join(_ZH_DIGITS[int(d)] for d in str(n))


def normalize_en(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"(\d),(\d)", r"\1\2", text)
    text = re.sub(r"\d+", lambda m: " " + _en_number(int(m.group())) + " ", text)
    text = text.replace("'", "").replace("-", " ")
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def normalize_zh(text: str) -> str:
    text = to_simplified(unicodedata.normalize("NFKC", text))
    text = re.sub(r"\d+", lambda m: _zh_number(int(m.group())), text)
    text = re.sub(r"[^\w]", "", text)
    return text.lower()


def normalize(text: str, language: str) -> str:
    return normalize_zh(text) if language == "zh" else normalize_en(text)


def collapse_repeat(text: str, similarity: float = 65.0) -> str:
    """The first copy of a transcript that Whisper wrote two or three times over.

    With the short window padded by silence, Whisper base sometimes decodes the command again
    into the padding: "next song next song", "打开座椅加热打开床椅加热打开庶椅加燃". A driver
    does not say a whole command twice in one breath, so when the text is 2 or 3 nearly equal
    copies (rapidfuzz ratio ≥ `similarity` against the first; the later ones are often
    misheard), only the first is kept. A copy must be a phrase (4+ characters in Mandarin,
    2+ words and 8+ letters in English): 好的好的 and "very very good" stay as they are.
    """
    from rapidfuzz.fuzz import ratio

    core = text.strip()
    zh = bool(CJK.search(core))
    units = list(re.sub(r"\s", "", core)) if zh else core.split()
    joiner = "" if zh else " "

    def bare(part: list[str]) -> str:
        return re.sub(r"[\s,.!?。，！？、]", "", joiner.join(part)).lower()

    for copies in (3, 2):  # three first: a triple also looks like two halves
        even = len(units) // copies
        for size in (even, even - 1, even + 1):
            if size < (4 if zh else 2):
                continue
            parts = [units[k : k + size] for k in range(0, len(units), size)]
            if len(parts) == copies + 1 and len(parts[-1]) <= 1:  # a stray last character
                stray = parts.pop()
                parts[-1] = parts[-1] + stray
            if len(parts) != copies:
                continue
            first = bare(parts[0])
            if not zh and len(first) < 8:
                continue
            if all(ratio(first, bare(p)) >= similarity for p in parts[1:]):
                return joiner.join(parts[0]).strip(" ,，")
    return text

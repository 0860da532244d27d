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


# The longest piece a voice is handed at once. A neural voice keeps the buffers of the longest
# piece it has spoken: piper grew from 207 MB (46-letter sentences) to 516 MB after one of 230,
# so a long sentence is spoken in clauses, which also starts it sooner. Without its arena
# (tts/piper.py) piper holds them only while it speaks, but that is still about 1.8 MB a letter:
# a 105-letter sentence was a 193 MB peak, the largest in an English turn, so pieces are at most
# 60 letters (issue 15; 2026-12-03, Xeon). A Chinese character is about three letters of speech.
MAX_PIECE_LETTERS = 60


def speech_length(text: str) -> int:
    return len(text) + 2 * len(CJK.findall(text))


class SentenceSplitter:
    """Cuts a growing reply into speakable pieces as soon as each one is complete.

    The first piece may end at a comma once it is `first_min_chars` long: the
    synthesiser then has less to do before the first sound comes out. A sentence longer than
    `max_letters` (by `speech_length`) is cut at its clause ends.
    """

    def __init__(self, first_min_chars: int = 8, max_letters: int = MAX_PIECE_LETTERS):
        self.buffer = ""
        self.first_min_chars = first_min_chars
        self.max_letters = max_letters
        self.emitted = 0

    def feed(self, fragment: str) -> list[str]:
        self.buffer += fragment
        return self._pieces(final=False)

    def flush(self) -> list[str]:
        out = self._pieces(final=True)
        rest, self.buffer = self.buffer.strip(), ""
        if rest:
            self.emitted += 1
            out.append(rest)
        return out

    def _pieces(self, final: bool) -> list[str]:
        out = []
        while True:
            piece = self._cut(final)
            if piece is None:
                return out
            if piece.strip():
                out.append(piece.strip())
                self.emitted += 1

    def _cut(self, final: bool) -> str | None:
        m = _SENTENCE_END.search(self.buffer)
        end = m.end() if m else None
        clauses = list(_CLAUSE_END.finditer(self.buffer[:end]))
        if self.emitted == 0:
            c = next((c for c in clauses if c.start() >= self.first_min_chars), None)
            if c and (end is None or c.start() < m.start()):
                end = c.end()
        sentence = self.buffer[:end] if end is not None else self.buffer if final else ""
        if speech_length(sentence.strip()) > self.max_letters:
            # The last clause end that keeps the piece short enough, else the first one there is.
            fits = [c for c in clauses if speech_length(self.buffer[: c.end()].strip()) <= self.max_letters]
            cut = fits[-1] if fits else next((c for c in clauses if c.end() < len(sentence)), None)
            if cut is not None:
                end = cut.end()
        if end is None:
            return None
        piece, self.buffer = self.buffer[:end], self.buffer[end:]
        return piece


def split_sentences(text: str, first_min_chars: int = 8) -> list[str]:
    s = SentenceSplitter(first_min_chars)
    return s.feed(text) + s.flush()


# Acknowledgements a reply may open with. They are welcome (the driver hears at once that the car
# understood) but they are not the answer: issue 15 counts time to the answer's first audio
# without them, and reports them apart as time to earcon.
ACKNOWLEDGEMENTS = ("好的", "好", "好嘞", "没问题", "收到", "OK", "Okay", "Sure", "Alright", "Got it")
_ACK = re.compile(
    r"^\s*("
    + "|".join(sorted(map(re.escape, ACKNOWLEDGEMENTS), key=len, reverse=True))
    + r")\s*[,，.!！。]\s*",
    re.IGNORECASE,
)


def split_acknowledgement(text: str) -> tuple[str, str]:
    """("好的，", "已为您导航到外滩。") for a reply that opens with an acknowledgement, else ("", text)."""
    m = _ACK.match(text)
    if not m or not text[m.end() :].strip():
        return "", text
    return text[: m.end()].strip(), text[m.end() :]


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

"""Speech recognition with faster-whisper (Whisper base, int8), Mandarin or English.

What makes it fast and right for a car on two CPU cores:
- The encoder sees a window just longer than the command instead of Whisper's
  fixed 30 s (CTranslate2 accepts shorter mel features). A 3 s command costs
  about 70 ms of encoder instead of 500 ms.
- The language comes from the same encoder pass (Whisper's language token,
  restricted to zh/en and tilted by the UI language), not a second pass.
- An English prompt carries the world's place names. Mandarin gets no prompt:
  any we tried (a "these are Mandarin sentences" line, the place names) made
  real conversational speech worse (CER 28.4 % -> 18.6 % without it on
  shared/eval/asr, no change on synthesised phrasings). Traditional
  characters that Whisper writes unprompted are converted by OpenCC.
- Speech longer than a command gets Whisper's own 30 s window at once: the
  short window saves little there and loses words (CER 18.6 % -> 15.7 %).
- A Mandarin transcript is then corrected against the domain lexicon by pinyin
  (app/voice/lexicon.py): 停车厂 -> 停车场, 路家嘴 -> 陆家嘴.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterable

import numpy as np

from app.services import Language, Transcript
from app.voice.text import CJK, collapse_repeat, to_simplified

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
FRAMES_PER_SECOND = 100
MAX_FRAMES = 3000

# Slow speaking rates, to tell a decode that stopped early from one that heard everything.
CHARS_PER_SPEECH_SECOND = {"en": 10.0, "zh": 3.0}
# A decode cut at a later pause still carries half the sentence; a needless re-decode only costs
# time (and only on clips of 4 s or more), so the bar is set high.
CUT_SHORT_SHARE = 0.6
MIN_SECONDS_TO_CHECK = 4.0
# Longer than any command; such speech is decoded with the full window straight away.
LONG_SPEECH_S = 6.0

PROMPT_EN = "Voice commands to the car navigation."


def place_names() -> tuple[list[str], list[str]]:
    """English and Chinese names of the world's landmarks, for the recogniser's prompt."""
    try:
        from app.world.data import load_landmarks

        places = load_landmarks()
    except Exception as exc:  # the world is optional for recognition; a bare prompt still works
        log.warning("no place names for the recogniser prompt: %s", exc)
        return [], []
    en = [p["en"] for p in places if p.get("en")]
    zh = [to_simplified(p["zh"]) for p in places if p.get("zh")]
    return en, zh


class WhisperRecognizer:
    """Implements app.services.SpeechRecognizer. Thread-safe: one decode at a time."""

    def __init__(
        self,
        model_dir: str | None = None,
        *,
        compute_type: str = "int8",
        cpu_threads: int = 2,
        beam_size: int = 3,
        hotwords: tuple[Iterable[str], Iterable[str]] | None = None,
        zh_place_names: bool = False,
        pad_seconds: float = 1.0,
        min_window_s: float = 3.0,
        language_prior: float = 0.6,
        lexicon_correction: bool = True,
        command_words: Iterable[str] | None = None,
    ):
        from faster_whisper import WhisperModel
        from faster_whisper.tokenizer import Tokenizer

        if model_dir is None:
            from app.models import path

            model_dir = str(path("whisper-base"))
        self.model = WhisperModel(model_dir, device="cpu", compute_type=compute_type, cpu_threads=cpu_threads)
        self.beam_size = beam_size
        self.pad_seconds = pad_seconds
        self.min_window_s = min_window_s
        self.language_prior = language_prior
        self._lock = threading.Lock()
        multilingual = self.model.model.is_multilingual
        self.multilingual = multilingual
        self.tokenizers = {
            lang: Tokenizer(
                self.model.hf_tokenizer,
                multilingual,
                task="transcribe",
                language=lang if multilingual else "en",
            )
            for lang in (("zh", "en") if multilingual else ("en",))
        }
        en_names, zh_names = hotwords if hotwords is not None else place_names()
        en_words = list(command_words) if command_words is not None else []
        if hotwords is None and not zh_place_names:
            # Measured on eval/asr: a list of Chinese names in the prompt leaks into ordinary
            # Mandarin speech, while Whisper already knows the landmarks' names and the lexicon
            # below fixes the homophones it gets wrong.
            zh_names = []
        self.prompts = {
            # Whisper reads the prompt as text that came before; a list of names primes their spelling.
            "en": self._prompt_tokens(
                "en",
                PROMPT_EN
                + (" " + ", ".join(en_words) + "." if en_words else "")
                + (" " + ", ".join(en_names) + "." if en_names else ""),
            ),
            "zh": self._prompt_tokens("zh", "，".join(zh_names) + "。") if multilingual and zh_names else [],
        }
        self.prompt_texts = {"en": ", ".join(en_words + list(en_names)), "zh": "，".join(zh_names)}
        # Mandarin homophones of domain terms (停车厂 -> 停车场) are corrected by pinyin: app/voice/lexicon.py.
        self.lexicon = None
        if lexicon_correction and multilingual:
            from app.voice.lexicon import default_lexicon

            self.lexicon = default_lexicon()

    def _prompt_tokens(self, lang: str, text: str) -> list[int]:
        tokens = self.tokenizers[lang].encode(" " + text.strip())
        return tokens[-200:]  # Whisper allows 223 prompt tokens

    def warm_up(self) -> None:
        self.transcribe(np.zeros(SAMPLE_RATE, np.float32), language_hint="en")

    def transcribe(
        self, audio, sample_rate: int = SAMPLE_RATE, language_hint: Language | None = None
    ) -> Transcript:
        audio = np.asarray(audio, dtype=np.float32)
        if sample_rate != SAMPLE_RATE:
            from app.voice.audio import resample

            audio = resample(audio, sample_rate, SAMPLE_RATE)
        with self._lock:
            return self._transcribe(audio, language_hint)

    def _window(self, n_samples: int) -> int:
        if n_samples > LONG_SPEECH_S * SAMPLE_RATE:
            return MAX_FRAMES
        seconds = max(self.min_window_s, n_samples / SAMPLE_RATE + self.pad_seconds)
        return min(MAX_FRAMES, int(math.ceil(seconds)) * FRAMES_PER_SECOND)

    def _transcribe(self, audio: np.ndarray, language_hint: Language | None) -> Transcript:
        t0 = time.perf_counter()
        duration = len(audio) / SAMPLE_RATE
        # Commands are short; a longer clip keeps its last 30 s, which is the part that matters.
        audio = audio[-MAX_FRAMES * SAMPLE_RATE // FRAMES_PER_SECOND :]
        feats = self.model.feature_extractor(audio)
        frames = self._window(len(audio))
        text, language, confidence = self._decode(feats, frames, language_hint)
        if frames < MAX_FRAMES and self._cut_short(text, language, audio):
            # A shortened window sometimes ends the decode at the first pause of a longer sentence
            # ("I found five." out of 6 s of speech); Whisper's own 30 s window hears it all.
            log.info("transcript %r is short for its speech; decoding again with the full window", text)
            frames = MAX_FRAMES
            text, language, confidence = self._decode(feats, frames, language_hint)
        if self._cut_short(text, language, audio):
            # Measured on piper renditions of a 6 s reply: about 1 in 150 full-window decodes still
            # stops at the first pause, and only with the place-name prompt. Without it, those heard
            # the whole sentence; the longer of the two is kept, since the prompt helps spelling.
            log.info("transcript %r is still short; decoding again without the prompt", text)
            bare = self._decode(feats, frames, language_hint, use_prompt=False)
            if len(bare[0].strip()) > len(text.strip()):
                text, language, confidence = bare
        log.debug("stt %.0f ms, %d frames, %s, %r", (time.perf_counter() - t0) * 1e3, frames, language, text)
        return Transcript(text=text, language=language, confidence=confidence, duration_s=duration)

    def _cut_short(self, text: str, language: str, audio: np.ndarray) -> bool:
        """Fewer than CUT_SHORT_SHARE of the characters the speech would carry at a slow speaking rate."""
        if len(audio) < MIN_SECONDS_TO_CHECK * SAMPLE_RATE:
            return False  # a command: the short window is reliable there, and this check costs time
        from app.voice.vad import speech_seconds

        slow_rate = CHARS_PER_SPEECH_SECOND[language]
        return len(text.strip()) < CUT_SHORT_SHARE * slow_rate * speech_seconds(audio)

    def _decode(
        self, feats: np.ndarray, frames: int, language_hint: Language | None, use_prompt: bool = True
    ) -> tuple[str, Language, float]:
        window = np.zeros((feats.shape[0], frames), np.float32)
        n = min(frames, feats.shape[-1])
        window[:, :n] = feats[:, :n]
        enc = self.model.encode(window)
        language = self._language(enc, language_hint)
        tok = self.tokenizers[language]
        has_prompt = use_prompt and self.prompts[language]
        previous = [tok.sot_prev, *self.prompts[language]] if has_prompt else []
        prompt = [*previous, *tok.sot_sequence, tok.no_timestamps]
        result = self.model.model.generate(
            enc,
            [prompt],
            beam_size=self.beam_size,
            return_scores=True,
            return_no_speech_prob=True,
            max_length=len(prompt) + 120,
            suppress_blank=True,
            suppress_tokens=[-1],
            repetition_penalty=1.1,
            no_repeat_ngram_size=4,
        )[0]
        ids = [t for t in result.sequences_ids[0] if t < tok.eot]
        # Whisper sometimes decodes a short command again into the window's padding.
        text = collapse_repeat(tok.decode(ids).strip())
        if language == "zh":
            text = to_simplified(text)
            if self.lexicon is not None:
                text = self.lexicon.correct(text)
        # scores are length-normalised log-probs; exp() gives a per-token probability.
        logprob = float(result.scores[0]) if result.scores else -1.0
        confidence = float(math.exp(min(0.0, logprob)) * (1.0 - result.no_speech_prob))
        return self._drop_prompt_echo(text, language), language, confidence

    def _language(self, enc, hint: Language | None) -> Language:
        if not self.multilingual:
            return "en"
        probs = dict(self.model.model.detect_language(enc)[0])
        zh, en = probs.get("<|zh|>", 0.0), probs.get("<|en|>", 0.0)
        # Cantonese and Japanese guesses on Mandarin speech are common for short clips.
        zh += probs.get("<|yue|>", 0.0) + 0.5 * probs.get("<|ja|>", 0.0)
        if hint in ("zh", "en"):
            prior = self.language_prior
            zh, en = (zh * prior, en * (1 - prior)) if hint == "zh" else (zh * (1 - prior), en * prior)
        return "zh" if zh > en else "en"

    def _drop_prompt_echo(self, text: str, language: str) -> str:
        # On unclear audio Whisper sometimes repeats its prompt; that is not what the driver said.
        stripped = text.strip(" .。，,")
        if len(stripped) >= 6 and (stripped in PROMPT_EN or stripped in self.prompt_texts[language]):
            return ""
        if language == "en" and CJK.search(text):
            return to_simplified(text)
        return text

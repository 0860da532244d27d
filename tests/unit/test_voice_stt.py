"""The recogniser's retries when a decode stops at the first pause, on a fake Whisper."""

import threading

import numpy as np
import pytest

from app.voice.stt import MAX_FRAMES, SAMPLE_RATE, WhisperRecognizer

pytestmark = pytest.mark.unit

LONG = "I found five: HaiDiLao, Haidifang Hotpot, Xinhua Cheng Seafood Hotpot. Which one?"


class FakeModel:
    def feature_extractor(self, audio):
        return np.zeros((80, len(audio) // 160), np.float32)


def recognizer(answers):
    """A recogniser whose decodes return `answers[(frames is full, prompt used)]`, and record each call."""
    rec = WhisperRecognizer.__new__(WhisperRecognizer)
    rec.model = FakeModel()
    rec.pad_seconds, rec.min_window_s = 1.0, 3.0
    rec._lock = threading.Lock()
    rec.calls = []

    def decode(feats, frames, hint, use_prompt=True):
        rec.calls.append((frames == MAX_FRAMES, use_prompt))
        return answers[(frames == MAX_FRAMES, use_prompt)], "en", 0.9

    rec._decode = decode
    return rec


@pytest.fixture(autouse=True)
def all_voiced(monkeypatch):
    # Silero is a real model; here every sample of the clip counts as speech.
    monkeypatch.setattr("app.voice.vad.speech_seconds", lambda audio: len(audio) / SAMPLE_RATE)


def speech(seconds):
    return np.zeros(int(seconds * SAMPLE_RATE), np.float32)


def test_a_short_command_is_decoded_once():
    rec = recognizer({(False, True): "turn on the AC"})
    assert rec.transcribe(speech(2.0)).text == "turn on the AC"
    assert rec.calls == [(False, True)]


def test_a_cut_short_decode_is_retried_with_the_full_window():
    rec = recognizer({(False, True): "I found five.", (True, True): LONG})
    assert rec.transcribe(speech(5.5)).text == LONG
    assert rec.calls == [(False, True), (True, True)]


def test_a_full_window_decode_still_cut_short_is_retried_without_the_prompt():
    rec = recognizer({(False, True): "I found five.", (True, True): "I found five.", (True, False): LONG})
    assert rec.transcribe(speech(5.5)).text == LONG
    assert rec.calls == [(False, True), (True, True), (True, False)]


def test_the_bare_decode_is_kept_only_when_it_hears_more():
    rec = recognizer({(True, True): "I found five, which one?", (True, False): "I found"})
    assert rec.transcribe(speech(7.0)).text == "I found five, which one?"
    assert rec.calls == [(True, True), (True, False)]

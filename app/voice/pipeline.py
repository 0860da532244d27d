"""The voice turn pipeline: microphone or file → VAD → recogniser → agent → speech, with barge-in.

API for the UI store (everything runs on one asyncio loop, e.g. qasync's):

    pipe = VoicePipeline(recognizer, agent, voices, sink)   # or app.voice.loader.load_pipeline()
    pipe.add_listener(fn)              # fn(TurnEvent): state, level, partial, transcript, reply,
                                       #   result, error, voice, trace (see app.services.TurnEvent)
    await pipe.run_text_turn(text)     # typed input; spoken reply
    await pipe.run_wav_turn(path)      # a WAV file as the driver's turn
    pipe.open_microphone(device=None)  # starts the level meter and hands-free listening; False if no device
    pipe.start_listening()             # push-to-talk pressed (Space): stops any reply within 100 ms
    pipe.stop_listening()              # released: the turn runs
    pipe.set_hands_free(True)          # VAD ends the turn after `silence_ms` of silence
    pipe.interrupt()                   # stop speaking now; history keeps only what was heard
    pipe.set_language_prior("zh")      # the UI language tilts zh/en detection
    await pipe.close()

Each turn returns a TurnResult and emits one `trace` event (see trace.py for the
definition of end of speech). Turn strategies (PushToTalk, HandsFree,
FollowUp) are small classes that decide when a captured utterance starts and
ends; the pipeline does the rest. Threads: the recogniser and the agent each
have one worker thread (a model is never run twice at once), synthesis uses
the loop's default executor, PortAudio calls back on its own thread and
hands frames to the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from app import heap
from app.services import Agent, AgentTurn, Language, SpeechRecognizer, Transcript, TurnEvent, TurnListener
from app.voice.audio import (
    NO_DEVICE_MESSAGE,
    SAMPLE_RATE,
    AudioUnavailable,
    Sink,
    WavSink,
    read_wav,
    resample,
    rms_db,
)
from app.voice.text import (
    is_question,
    script_language,
    split_acknowledgement,
    split_sentences,
)
from app.voice.trace import TurnTrace
from app.voice.tts.base import SynthesisError
from app.voice.tts.chain import VoiceChain

log = logging.getLogger(__name__)

NOT_CAUGHT = {"en": "Sorry, I didn't catch that.", "zh": "抱歉，我没听清。"}
TTS_FAILED = {
    "en": "Speech output failed; the reply is shown on screen.",
    "zh": "语音播放失败，回复已显示在屏幕上。",
}
COMMON_PHRASES = [(NOT_CAUGHT["en"], "en"), (NOT_CAUGHT["zh"], "zh"), ("OK,", "en"), ("好的，", "zh")]


@dataclass
class VoiceConfig:
    silence_ms: int = 500  # hands-free end of turn
    pause_ms: int = 200  # a pause this long starts a speculative recognition
    partial_every_s: float = 1.0  # partial transcripts while the driver speaks
    follow_up_s: float = 8.0  # answer a question without pressing again
    barge_in: bool = True  # hands-free: speaking over the car stops it (else the mic is gated)
    min_speech_s: float = 0.25  # less voiced audio than this is "didn't catch that"
    min_confidence: float = 0.2
    preroll_s: float = 0.3  # hands-free: audio kept from before the VAD fired
    output_rate: int = 22050


@dataclass
class TurnResult:
    transcript: str = ""
    language: Language = "en"
    tool: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    # One per action, in order ({tool, args, domain, ok, result}); an agent without `calls`
    # (the old one) gets a single call built from tool/args/result.
    calls: list[dict[str, Any]] = field(default_factory=list)
    reply: str = ""
    spoken: str = ""
    interrupted: bool = False
    caught: bool = True
    trace: TurnTrace = field(default_factory=TurnTrace)


class _Heard:
    """Which parts of a reply reached the driver, from the sink's count of played samples."""

    def __init__(self, language: Language):
        self.language = language
        self.base: int | None = None  # the sink's counter when this reply started
        self.sentences: list[list] = []  # [text, first sample, samples]
        self.parts: list[str] = []

    def queued(self, sentence: str, samples: int) -> None:
        if self.sentences and self.sentences[-1][0] is sentence:
            self.sentences[-1][2] += samples
        else:
            start = self.sentences[-1][1] + self.sentences[-1][2] if self.sentences else 0
            self.sentences.append([sentence, start, samples])

    def finish(self) -> None:
        self.parts = [s[0] for s in self.sentences]

    def cut(self, played_counter: int) -> str:
        played = played_counter - (played_counter if self.base is None else self.base)
        self.parts = []
        for sentence, start, n in self.sentences:
            if start + n <= played:
                self.parts.append(sentence)
            else:
                if played > start:
                    # The sentence being spoken is cut where the voice stopped, in proportion.
                    self.parts.append(sentence[: int(len(sentence) * (played - start) / n)].rstrip() + "…")
                break
        return self.text

    @property
    def text(self) -> str:
        return ("" if self.language == "zh" else " ").join(self.parts)


# --- turn strategies ------------------------------------------------------------


class PushToTalk:
    """Capture runs from press to release; VAD only feeds partials and speculation."""

    name = "push_to_talk"
    uses_vad_for_turns = False

    def on_vad(self, pipe: VoicePipeline, kind: str) -> None:
        return None


class HandsFree:
    """The VAD opens a capture when speech starts and closes it after `silence_ms` of silence."""

    name = "hands_free"
    uses_vad_for_turns = True

    def on_vad(self, pipe: VoicePipeline, kind: str) -> None:
        if kind == "speech_start" and not pipe.capturing:
            if pipe.speaking:
                pipe.interrupt()  # only reached when barge-in is on; otherwise frames are gated
            pipe.begin_capture(preroll=True)
        elif kind == "speech_end" and pipe.capturing:
            pipe.end_capture()


class FollowUp(HandsFree):
    """After a reply that asks something, listen hands-free for a while, then fall back."""

    name = "follow_up"

    def __init__(self, previous: PushToTalk | HandsFree, seconds: float):
        self.previous = previous
        self.deadline = time.monotonic() + seconds

    def expired(self) -> bool:
        return time.monotonic() > self.deadline


# --- the pipeline ---------------------------------------------------------------


class VoicePipeline:
    def __init__(
        self,
        recognizer: SpeechRecognizer,
        agent: Agent,
        voices: VoiceChain,
        sink: Sink | None = None,
        config: VoiceConfig | None = None,
        endpointer=None,
        mic=None,
    ):
        self.recognizer = recognizer
        self.agent = agent
        self.voices = voices
        self.voices.on_voice = lambda data: self.emit("voice", **data)
        self.sink = sink if sink is not None else WavSink()
        self.config = config or VoiceConfig()
        self.strategy: PushToTalk | HandsFree = PushToTalk()
        self.language_prior: Language = "en"
        self.listeners: list[TurnListener] = []
        self.mic = mic
        self._endpointer = endpointer
        self._stt_pool = ThreadPoolExecutor(1, thread_name_prefix="stt")
        self._agent_pool = ThreadPoolExecutor(1, thread_name_prefix="agent")
        self._turn_task: asyncio.Task | None = None
        # Set by the loader: slow voices starting and the phrase cache filling, after the pipeline is usable.
        self.voices_ready: asyncio.Future | None = None
        self._speak_task: asyncio.Task | None = None
        self._heard = _Heard("en")
        self._interrupted = False
        self.state = "idle"
        self._reset_capture()
        self._stream_pos = 0
        self._recent = np.zeros(0, np.float32)
        self._level_frames = 0
        self._follow_up_timer: asyncio.TimerHandle | None = None

    # --- listeners and state ---

    def add_listener(self, fn: TurnListener) -> Callable[[], None]:
        self.listeners.append(fn)
        return lambda: self.listeners.remove(fn)

    def emit(self, kind: str, /, **data) -> None:
        event = TurnEvent(kind, data)
        for fn in list(self.listeners):
            try:
                fn(event)
            except Exception:  # a broken watcher must not break the turn
                log.exception("turn listener failed on %s", kind)

    def _set_state(self, state: str, **extra) -> None:
        if state != self.state or extra:
            self.state = state
            self.emit("state", state=state, **extra)

    @property
    def speaking(self) -> bool:
        # An interrupted reply counts as silent at once, before its task has finished unwinding.
        return self._speak_task is not None and not self._speak_task.done() and not self._interrupted

    def set_language_prior(self, language: Language) -> None:
        self.language_prior = "zh" if language == "zh" else "en"

    def set_hands_free(self, on: bool) -> None:
        self.strategy = HandsFree() if on else PushToTalk()
        if not on and self.capturing:
            self._reset_capture()
            self._set_state("idle")

    # --- microphone and frames ---

    @property
    def endpointer(self):
        if self._endpointer is None:
            from app.voice.vad import Endpointer

            self._endpointer = Endpointer(silence_ms=self.config.silence_ms, pause_ms=self.config.pause_ms)
        return self._endpointer

    def open_microphone(self, device: int | str | None = None) -> bool:
        """Starts the microphone; on failure tells the UI (bilingual) and keeps typed input working."""
        from app.voice.audio import MicSource

        self.close_microphone()
        mic = MicSource(device)
        try:
            mic.start(asyncio.get_running_loop(), self.feed_frame)
        except AudioUnavailable as exc:
            self._no_device(str(exc))
            return False
        self.mic = mic
        return True

    def close_microphone(self) -> None:
        if self.mic is not None:
            self.mic.stop()
            self.mic = None

    def _no_device(self, detail: str) -> None:
        self._error("no_audio_device", NO_DEVICE_MESSAGE, self.language_prior, detail)

    def _error(self, code: str, messages: dict[str, str], language: str, detail: str) -> None:
        """Errors carry both languages: the UI shows the one it is in, whatever the turn's language."""
        self.emit(
            "error",
            code=code,
            message=f"{messages['en']} / {messages['zh']}",
            message_en=messages["en"],
            message_zh=messages["zh"],
            language=language,
            detail=detail,
        )
        self._set_state("idle")

    def feed_frame(self, frame: np.ndarray) -> None:
        """One block of 16 kHz mono float audio from the microphone (or a test); runs on the loop."""
        self._level_frames += 1
        if self._level_frames % 3 == 0:  # ~10 level updates a second is plenty for a meter
            self.emit("level", rms=rms_db(frame))
        # The car must not hear itself: while it speaks, the microphone is ignored unless
        # barge-in is on (hands-free) or the driver pressed talk (which already stopped speech).
        if self.speaking and not (self.config.barge_in and self.strategy.uses_vad_for_turns):
            return
        if isinstance(self.strategy, FollowUp) and self.strategy.expired() and not self.capturing:
            self._end_follow_up()
        self._stream_pos += len(frame)
        self._recent = np.concatenate([self._recent, frame])[-int(self.config.preroll_s * SAMPLE_RATE) :]
        if self.capturing:
            self._chunks.append(frame)
            self._captured += len(frame)
        if self.capturing or self.strategy.uses_vad_for_turns:
            for event in self.endpointer.feed(frame):
                self._on_vad(event)
        if self.capturing:
            self._maybe_partial()

    def _on_vad(self, event) -> None:
        if event.kind == "speech_start" and self.capturing:
            self._heard_speech = True
        if event.kind == "pause" and self.capturing:
            self._speculate()
        self.strategy.on_vad(self, event.kind)

    # --- capture ---

    def _reset_capture(self) -> None:
        self.capturing = False
        self._chunks: list[np.ndarray] = []
        self._captured = 0
        self._capture_start = 0
        self._heard_speech = False
        self._partial_at = 0
        self._stt_job: asyncio.Future | None = None
        self._speculation: tuple[int, asyncio.Future] | None = None

    def start_listening(self) -> None:
        """Push-to-talk pressed: cut off any reply, start capturing."""
        self.interrupt()
        if isinstance(self.strategy, FollowUp):
            self._end_follow_up()
        if self.mic is None and not self._external_frames():
            self._no_device("push-to-talk without a microphone")
            return
        self.begin_capture(preroll=False)

    def _external_frames(self) -> bool:
        return getattr(self, "accept_frames_without_mic", False)

    def stop_listening(self) -> asyncio.Task | None:
        """Push-to-talk released: the captured audio becomes a turn."""
        if self.capturing:
            return self.end_capture()
        return None

    def begin_capture(self, preroll: bool) -> None:
        self._reset_capture()
        self._capture_began = time.perf_counter()  # the press or the VAD start: the trace's speech_start
        self.capturing = True
        self._heard_speech = self.endpointer.in_speech
        if preroll and len(self._recent):
            self._chunks.append(self._recent.copy())
            self._captured = len(self._recent)
        self._capture_start = self._stream_pos - self._captured
        self._set_state("listening", mode=self.strategy.name)

    def end_capture(self) -> asyncio.Task:
        trace = TurnTrace()
        trace.mark("end_of_speech")
        if getattr(self, "_capture_began", None) is not None:
            trace.mark("speech_start", self._capture_began)
        audio = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.float32)
        voice_end = self.endpointer.last_voiced_sample - self._capture_start
        trace.notes["voiced"] = bool(self._heard_speech or self.endpointer.in_speech)
        spec = None
        if self._speculation and voice_end <= self._speculation[0] + 512:
            spec = self._speculation[1]  # nothing was said after the speculative cut: reuse it
        pending = self._stt_job
        self._reset_capture()
        if isinstance(self.strategy, FollowUp):
            self.strategy = self.strategy.previous
        self._turn_task = asyncio.ensure_future(self._turn(audio, trace, speculation=spec, pending=pending))
        return self._turn_task

    def _submit_stt(self, audio: np.ndarray) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(
            self._stt_pool, self.recognizer.transcribe, audio, SAMPLE_RATE, self.language_prior
        )

    def _maybe_partial(self) -> None:
        busy = self._stt_job is not None and not self._stt_job.done()
        grown = self._captured - self._partial_at >= self.config.partial_every_s * SAMPLE_RATE
        if busy or not grown or not self.endpointer.in_speech:
            return
        self._partial_at = self._captured
        job = self._submit_stt(np.concatenate(self._chunks))
        self._stt_job = job
        job.add_done_callback(self._on_partial)

    def _on_partial(self, job: asyncio.Future) -> None:
        if job.cancelled() or job.exception() or not self.capturing:
            return
        if job.result().text:
            self.emit("partial", text=job.result().text, language=job.result().language)

    def _speculate(self) -> None:
        # The driver paused: recognise now, so if this was the end the transcript is ready early.
        job = self._submit_stt(np.concatenate(self._chunks))
        self._speculation = (self._captured, job)
        self._stt_job = job
        job.add_done_callback(self._on_partial)

    # --- turns ---

    async def run_text_turn(self, text: str) -> TurnResult:
        self.interrupt()
        trace = TurnTrace()
        trace.mark("end_of_speech")
        language = script_language(text) or self.language_prior
        tr = Transcript(text=text.strip(), language=language)
        self._turn_task = asyncio.ensure_future(self._turn(None, trace, transcript=tr))
        return await self._turn_task

    async def run_wav_turn(self, path: str | Path) -> TurnResult:
        """A WAV file as one utterance; end of speech is the moment the file has been read."""
        self.interrupt()
        audio = read_wav(path)
        trace = TurnTrace()
        trace.mark("end_of_speech")
        trace.notes["audio_s"] = round(len(audio) / SAMPLE_RATE, 2)
        self._turn_task = asyncio.ensure_future(self._turn(audio, trace))
        return await self._turn_task

    async def stream_audio(self, audio: np.ndarray, realtime: float = 1.0, tail_s: float = 0.0) -> TurnResult:
        """Feeds audio as if spoken into the microphone with push-to-talk held, then releases.

        `realtime` 1.0 paces frames like a live microphone (so partials and speculation
        happen while "speaking"); 0 feeds as fast as possible. `tail_s` of silence is
        appended before the release, like a driver letting go of the button.
        """
        self.accept_frames_without_mic = True
        self.start_listening()
        audio = np.concatenate([audio, np.zeros(int(tail_s * SAMPLE_RATE), np.float32)])
        t0 = time.perf_counter()
        for i in range(0, len(audio), 512):
            self.feed_frame(audio[i : i + 512])
            if realtime:
                ahead = t0 + (i + 512) / SAMPLE_RATE / realtime - time.perf_counter()
                await asyncio.sleep(max(0.0, ahead))
        task = self.stop_listening()
        return await task

    async def _turn(
        self,
        audio: np.ndarray | None,
        trace: TurnTrace,
        *,
        transcript: Transcript | None = None,
        speculation: asyncio.Future | None = None,
        pending: asyncio.Future | None = None,
    ) -> TurnResult:
        result = TurnResult(trace=trace)
        try:
            self._set_state("thinking")
            if transcript is None:
                transcript = await self._recognise(audio, trace, speculation, pending)
            trace.mark("transcript")
            if transcript is None or not self._caught(transcript, trace):
                result.caught = False
                lang = transcript.language if transcript and transcript.text else self.language_prior
                result.language = lang
                result.reply = NOT_CAUGHT[lang]
                self.emit("reply", text=result.reply, language=lang, caught=False)
                result.spoken = await self._speak(result.reply, lang, trace)
                return result
            result.transcript = transcript.text
            self.emit(
                "transcript",
                text=transcript.text,
                language=transcript.language,
                confidence=round(transcript.confidence, 3),
            )
            turn = await self._respond(transcript, trace)
            result.tool, result.args, result.result = turn.tool, turn.args, turn.result
            result.calls = list(getattr(turn, "calls", None) or []) or [
                {"tool": turn.tool, "args": turn.args, "result": turn.result}
            ]
            result.reply, result.language = turn.reply, turn.language
            self.emit("reply", text=turn.reply, language=turn.language, caught=True)
            self.emit("result", tool=turn.tool, args=turn.args, result=turn.result, calls=result.calls)
            result.spoken = await self._speak(turn.reply, turn.language, trace)
            result.interrupted = self._interrupted
            if is_question(turn.reply) and not result.interrupted:
                self._start_follow_up()
            return result
        finally:
            trace.mark("done")
            self.emit("trace", **trace.to_dict())
            if self.state != "listening":
                self._set_state("idle")
            heap.trim()  # what the turn's voices and decoders freed goes back (app/heap.py)

    async def _recognise(self, audio, trace, speculation, pending) -> Transcript | None:
        if audio is None or len(audio) == 0:
            return None
        if "voiced" not in trace.notes:
            # A file: ask Silero whether there is any speech before spending a decode on it.
            from app.voice.vad import speech_seconds

            trace.notes["voiced"] = speech_seconds(audio) >= self.config.min_speech_s
        if not trace.notes["voiced"]:
            trace.notes["stt_ms"] = 0.0
            return None
        t0 = time.perf_counter()
        if speculation is not None:
            transcript = await speculation
            trace.notes["stt_source"] = "speculative"
        else:
            if pending is not None and not pending.done():
                await asyncio.wait([pending])  # the one recogniser thread is busy with a partial
            transcript = await self._submit_stt(audio)
            trace.notes["stt_source"] = "final"
        trace.notes["stt_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        return transcript

    def _caught(self, transcript: Transcript, trace: TurnTrace) -> bool:
        text = transcript.text.strip(" .,!?。，！？…-")
        if not text or transcript.confidence < self.config.min_confidence:
            trace.notes["not_caught"] = {
                "text": transcript.text,
                "confidence": round(transcript.confidence, 3),
            }
            return False
        return True

    async def _respond(self, transcript: Transcript, trace: TurnTrace) -> AgentTurn:
        trace.mark("agent_start")
        loop = asyncio.get_running_loop()
        job = loop.run_in_executor(self._agent_pool, self.agent.respond, transcript.text, transcript.language)
        try:
            turn = await asyncio.shield(job)
        except asyncio.CancelledError:
            # Barge-in while thinking: the answer was neither shown nor heard, so the agent must
            # forget the whole turn ("the second one" must not point into an unseen list).
            job.add_done_callback(lambda _: self._forget_turn())
            raise
        trace.mark("reply")
        trace.notes["tool"] = turn.tool
        trace.notes["decided_by"] = getattr(turn, "decided_by", None)
        trace.notes["agent_latency_ms"] = round(turn.latency_ms, 1)
        return turn

    # --- speaking and barge-in ---

    async def _speak(self, text: str, language: Language, trace: TurnTrace) -> str:
        self._heard = _Heard(language)
        self._interrupted = False
        self._speak_task = asyncio.ensure_future(self._play(text, language, trace, self._heard))
        try:
            await self._speak_task
        except asyncio.CancelledError:
            if not self._interrupted:
                raise
        except SynthesisError as exc:
            log.warning("no voice for the reply: %s", exc)
            self._error("tts_failed", TTS_FAILED, language, str(exc))
        except AudioUnavailable as exc:
            self._no_device(str(exc))
        return self._heard.text

    async def _play(self, text: str, language: Language, trace: TurnTrace, heard: _Heard) -> None:
        queue: asyncio.Queue = asyncio.Queue()
        trace.mark("tts_start")
        # An opening "好的，" / "OK," is its own short (cached) piece: heard at once, and kept out
        # of the answer's first-audio figure (it is time to earcon, issue 15).
        ack, rest = split_acknowledgement(text)

        async def produce():
            # Synthesis runs ahead of playback: sentence n+1 is made while sentence n plays.
            try:
                for sentence in ([ack] if ack else []) + split_sentences(rest):
                    async for rate, pcm in self.voices.speak(sentence, language):
                        await queue.put((sentence, rate, pcm))
            finally:
                await queue.put(None)

        producer = asyncio.ensure_future(produce())
        sink, rate_out = self.sink, self.config.output_rate
        ack_samples = 0
        try:
            while (item := await queue.get()) is not None:
                sentence, rate, pcm = item
                if heard.base is None:
                    await sink.start(rate_out)
                    heard.base = sink.played_samples
                    self._set_state("speaking")
                if rate != rate_out:
                    pcm = (
                        resample(np.frombuffer(pcm, "<i2").astype(np.float32), rate, rate_out)
                        .astype("<i2")
                        .tobytes()
                    )
                heard.queued(sentence, len(pcm) // 2)
                if ack and sentence is ack:
                    trace.mark("earcon")
                    ack_samples += len(pcm) // 2
                else:
                    # The answer's first sample is handed to the speaker now; after an acknowledgement
                    # it is heard only when that has played, so the later of the two counts.
                    handed = time.perf_counter()
                    ack_end = trace.marks.get("earcon", handed) + ack_samples / rate_out
                    trace.mark("first_audio", max(handed, ack_end))
                await sink.write(pcm)
            await producer  # re-raises a synthesis failure
            await sink.drain()
            heard.finish()
        finally:
            producer.cancel()

    def interrupt(self) -> str | None:
        """Stops speech now (barge-in) and clips the agent's history to what was heard.

        Returns the heard text, or None when nothing was being said.
        """
        if self._turn_task is not None and not self._turn_task.done() and not self.speaking:
            self._turn_task.cancel()  # still thinking: the answer would come after the new question
        if not self.speaking:
            return None
        self._interrupted = True
        self.sink.stop()
        self._speak_task.cancel()
        spoken = self._heard.cut(self.sink.played_samples)
        self._clip_history(spoken)
        self.emit("state", state="interrupted", spoken=spoken)
        return spoken

    def _forget_turn(self) -> None:
        forget = getattr(self.agent, "forget_last_turn", None)
        if not callable(forget):
            self._clip_history("")
            return
        try:
            forget()
        except Exception:
            log.exception("agent could not forget the cut-off turn")

    def _clip_history(self, spoken: str) -> None:
        # Optional agent hook: keep only what the driver actually heard in the conversation.
        clip = getattr(self.agent, "truncate_last_reply", None)
        if callable(clip):
            try:
                clip(spoken)
            except Exception:
                log.exception("agent could not clip its history")

    # --- follow-up window ---

    def _start_follow_up(self) -> None:
        if self.mic is None or isinstance(self.strategy, FollowUp):
            return
        if isinstance(self.strategy, HandsFree):
            return  # already listening hands-free
        self.strategy = FollowUp(self.strategy, self.config.follow_up_s)
        self.endpointer.reset()
        self._set_state("listening", mode="follow_up", seconds=self.config.follow_up_s)
        loop = asyncio.get_running_loop()
        self._follow_up_timer = loop.call_later(self.config.follow_up_s, self._follow_up_timeout)

    def _follow_up_timeout(self) -> None:
        if isinstance(self.strategy, FollowUp) and not self.capturing:
            self._end_follow_up()

    def _end_follow_up(self) -> None:
        if isinstance(self.strategy, FollowUp):
            self.strategy = self.strategy.previous
            self._set_state("idle")
        if self._follow_up_timer:
            self._follow_up_timer.cancel()
            self._follow_up_timer = None

    async def close(self) -> None:
        """Shutdown order: microphone, speech, the turn, then the worker threads."""
        self.close_microphone()
        self.interrupt()
        for task in (self._turn_task, self.voices_ready):
            if task is not None and not task.done():
                task.cancel()
                # Let it unwind (a voice still starting kills its process) before the engines close.
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        for engine in self.voices.engines:
            closer = getattr(engine, "close", None)
            if closer:
                await closer()
        self._stt_pool.shutdown(wait=False, cancel_futures=True)
        self._agent_pool.shutdown(wait=False, cancel_futures=True)

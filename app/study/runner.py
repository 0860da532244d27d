"""The headless run: a scripted participant plays a study through the real pipeline.

    python -m app.study run --study FILE --participant P99 --script SCRIPT [--headless] [--pace S]

Typed turns go through `VoicePipeline.run_text_turn` (the real agent and the real world), spoken
turns through `run_wav_turn` (Silero + Whisper): `wav: FILE` plays a recording, `say: TEXT`
synthesises the participant's sentence with the offline voice first. The session logs exactly
what an in-app session logs (app/study/session.py). Script steps per task (docs/study.md):

    type: TEXT | say: TEXT | wav: FILE | pick: N | drt: [RT_MS | null, ...] | wizard: {decision}
    mode: off|supervised|full | ui: {kind, ...} | note: TEXT | wait: SECONDS | mark: success|failure
    seq: 1-7
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from app.study.definition import Study, StudyError, task_order
from app.study.log import StudyLog
from app.study.session import StudySession
from app.study.wizard import WizardAgent, WizardConsole

log = logging.getLogger(__name__)
STEP_KINDS = ("type", "say", "wav", "pick", "drt", "wizard", "mode", "ui", "note", "wait", "mark", "seq")


@dataclass
class Services:
    pipe: Any
    world: Any = None
    cabin: Any = None
    recognizer: Any = None  # the fake one, told what each spoken turn says
    fake: bool = False


def load_script(path: str | Path, study: Study) -> dict:
    path = Path(path)
    if not path.is_file():
        raise StudyError(f"{path}: no such script")
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    tasks = doc.get("tasks") or {}
    for task_id, steps in tasks.items():
        study.task(task_id)  # an unknown task id is an error, not a silent skip
        for i, step in enumerate(steps or []):
            if not isinstance(step, dict) or len(step) != 1 or next(iter(step)) not in STEP_KINDS:
                raise StudyError(f"{path}: task {task_id} step {i + 1}: one of {STEP_KINDS}, got {step!r}")
    doc["_dir"] = path.parent
    return doc


async def build_services(fake: bool, cloud: bool = False) -> Services:
    from app.voice.audio import WavSink
    from app.voice.pipeline import VoicePipeline
    from app.voice.tts.chain import VoiceChain

    if fake:
        from app.study.fakes import ScriptedRecognizer, StudyFakeAgent
        from app.voice.fakes import FakeEndpointer, FakeSynthesizer

        rec = ScriptedRecognizer()
        voices = VoiceChain([FakeSynthesizer(seconds_per_char=0.002)])
        pipe = VoicePipeline(rec, StudyFakeAgent(), voices, WavSink(), endpointer=FakeEndpointer())
        return Services(pipe=pipe, recognizer=rec, fake=True)
    from app.voice.loader import load_agent, load_pipeline

    loop = asyncio.get_running_loop()
    agent = await loop.run_in_executor(None, load_agent)
    pipe = await load_pipeline(agent=agent, speaker=False, cloud=cloud)
    world = getattr(agent, "world", None)
    cabin = None
    with contextlib.suppress(Exception):  # the cabin package arrives with the cabin branch
        from app.vehicle import load_cabin

        cabin = load_cabin()
    return Services(pipe=pipe, world=world, cabin=cabin)


async def _wav_of(services: Services, text: str, language: str, out: Path) -> Path:
    """The participant's sentence, spoken by the offline voice, as a 16 kHz WAV."""
    from app.voice.audio import resample

    chunks, rate = [], 16000
    async for chunk_rate, pcm in services.pipe.voices.speak(text, language):
        rate = chunk_rate
        chunks.append(np.frombuffer(pcm, "<i2").astype(np.float32))
    audio = resample(np.concatenate(chunks), rate, 16000) if chunks else np.zeros(1600, np.float32)
    audio = np.concatenate([np.zeros(4000, np.float32), audio, np.zeros(8000, np.float32)])  # breaths
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(np.clip(audio, -32768, 32767).astype("<i2").tobytes())
    return out


class Runner:
    def __init__(self, study: Study, session: StudySession, services: Services, script: dict,
                 console: WizardConsole, pace: float = 0.5, out=print):  # fmt: skip
        self.study, self.session, self.services, self.script = study, session, services, script
        self.console, self.pace, self.out = console, pace, out
        self.last_result: dict | None = None
        self.tmp = Path(tempfile.mkdtemp(prefix="study-"))
        self._drt_task: asyncio.Task | None = None

    async def run(self) -> None:
        pipe = self.services.pipe
        remove = pipe.add_listener(self._on_event)
        self._drt_task = asyncio.ensure_future(self._drt_loop())
        try:
            for task_id in self.session.remaining():
                await self.run_task(task_id)
            answers = self.script.get("questionnaires") or {}
            for instrument in self.study.at_end:
                if instrument not in answers:
                    self.session.note(f"script has no answers for {instrument}")
                    continue
                self._questionnaire(instrument, answers[instrument], None)
            self.session.finish("complete")
        finally:
            self._drt_task.cancel()
            remove()

    def _on_event(self, event) -> None:
        self.session.on_turn_event(event)
        if event.kind == "result":
            self.last_result = event.data.get("result")
        if event.kind == "trace":
            self.out(f"turn {self.session.turn_index - 1} logged", flush=True)

    async def _drt_loop(self) -> None:
        while True:
            self.session.drt_tick()
            await asyncio.sleep(0.01)

    async def run_task(self, task_id: str) -> None:
        task = self.session.start_task(task_id)
        self.out(f"task {task_id} started", flush=True)
        steps = (self.script.get("tasks") or {}).get(task_id) or []
        outcome: tuple[str, str] | None = None
        for step in steps:
            if self.session.check_time():
                self.out(f"task {task_id} timed out", flush=True)
                break
            kind, value = next(iter(step.items()))
            if kind == "mark":
                outcome = (str(value), "script")
                continue
            if kind == "seq":
                continue  # answered after the task ends
            await self.step(kind, value, task.language)
            if self.pace:
                await asyncio.sleep(self.pace)
        if self.session.task is not None:
            if outcome is None:
                met = self.session.criterion_met
                outcome = (
                    ("success" if met else "failure", "criterion") if met is not None else ("unknown", "none")
                )
            self.session.end_task(*outcome)
        self.out(f"task {task_id} ended", flush=True)
        for instrument in self.study.after_each_task:
            answer = next((s[instrument] for s in steps if instrument in s), None)
            if answer is not None:
                self._questionnaire(instrument, answer, task_id)

    def _questionnaire(self, instrument: str, answer: Any, task_id: str | None) -> None:
        kw = {}
        if isinstance(answer, dict):  # tlx: {ratings, choices | weights}
            kw = {"weights": answer.get("weights"), "choices": answer.get("choices")}
            answer = answer.get("ratings")
        elif not isinstance(answer, list):
            answer = [answer]
        scores = self.session.questionnaire(instrument, answer, task_id=task_id, language="script", **kw)
        self.out(f"questionnaire {instrument}: {scores['score']}", flush=True)

    async def step(self, kind: str, value: Any, language: str) -> None:
        pipe, s = self.services.pipe, self.session
        if kind == "type":
            s.expect_input("typed")
            await pipe.run_text_turn(str(value))
        elif kind in ("say", "wav"):
            await self._spoken(kind, value, language)
        elif kind == "pick":
            self._pick(int(value))
        elif kind == "drt":
            await self._drt_presses(value if isinstance(value, list) else [value])
        elif kind == "wizard":
            self.console.preload(dict(value))
        elif kind == "mode":
            self.console.set_mode("off" if value is False else str(value))  # YAML: a bare off is false
        elif kind == "ui":
            s.ui_event(str(value.get("kind", "event")), {k: v for k, v in value.items() if k != "kind"})
        elif kind == "note":
            s.note(str(value))
        elif kind == "wait":
            await asyncio.sleep(float(value))

    async def _spoken(self, kind: str, value: Any, language: str) -> None:
        pipe, s = self.services.pipe, self.session
        if self.services.fake:
            from app.voice.fakes import tone

            # No models: a tone "spoken" into the capture path; the fake recogniser hears the text.
            self.services.recognizer.expect(str(value) if kind == "say" else Path(value).stem)
            s.expect_input("say" if kind == "say" else "wav")
            await pipe.stream_audio(tone(0.6), realtime=0, tail_s=0.6)
            return
        if kind == "wav":
            path = Path(value)
            path = path if path.is_absolute() else self.script["_dir"] / path
        else:
            lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in str(value)) else "en"
            path = await _wav_of(self.services, str(value), lang, self.tmp / f"say{s.turn_index}.wav")
        s.expect_input("wav" if kind == "wav" else "say")
        s.log.event("script_wav", {"path": str(path), "text": value if kind == "say" else None})
        await pipe.run_wav_turn(path)

    def _pick(self, n: int) -> None:
        """The participant taps card n (1-based) of the last result: logged, and navigated to."""
        items = (self.last_result or {}).get("items") or []
        if not 1 <= n <= len(items):
            self.session.ui_event("card_tap_invalid", {"index": n, "cards": len(items)})
            return
        item = items[n - 1]
        self.session.ui_event("card_tap", {"index": n, "name": item.get("name"), "id": item.get("id")})
        world = self.services.world
        if world is not None:
            try:
                place = item.get("place") or item
                from app.world.api import Place

                dest = Place(place.get("id", "card"), place.get("name", ""), place.get("name_en"),
                             place.get("name_zh"), place["lat"], place["lon"], place.get("kind", item.get("kind", "")))  # fmt: skip
                world.set_destination(dest)
            except Exception as exc:
                self.session.ui_event("card_navigate_failed", {"error": str(exc)})
        self.session.task_calls.append(
            {"tool": "card_pick", "args": {"name": item.get("name")}, "domain": None}
        )
        self.session._check_criterion()

    async def _drt_presses(self, rts: list) -> None:
        """Respond to each of the next stimuli after rt ms (None: let it pass, a miss)."""
        drt = self.session.drt
        if not drt.running:
            self.session.note("script DRT presses, but the DRT is off in this study")
            return
        hi = self.study.drt["isi_s"][1] + 1
        for rt in rts:
            seen = len(drt.stimuli)
            deadline = asyncio.get_running_loop().time() + hi
            while len(drt.stimuli) == seen and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.005)
            if len(drt.stimuli) == seen:
                continue
            onset = drt.stimuli[-1].onset
            if rt is None:
                await asyncio.sleep(self.study.drt["hit_window_ms"][1] / 1000 + 0.05)
                continue
            await asyncio.sleep(max(0.0, onset + rt / 1000 - drt.clock()))
            self.session.drt_respond()


async def run(study: Study, participant: str, script_path: Path, condition: str | None, *,
              pace: float = 0.5, fake: bool = False, cloud: bool = False, resume: str | None = None,
              wizard_page: bool = False, out=print) -> str:  # fmt: skip
    script = load_script(script_path, study)
    if resume:
        log_, row = StudyLog.resume(resume)
        cond = study.condition(row["condition"])
        import json

        order = json.loads(row["task_order"])
    else:
        cond = study.condition(condition or script.get("condition"))
        order = task_order(study, participant)
        log_ = StudyLog.create(study, participant, cond, order, mode="headless-fake" if fake else "headless")
    out(
        f"session {log_.session_id} ({study.name}, {participant}, condition {cond.key}, order {order})",
        flush=True,
    )
    services = await build_services(fake, cloud)
    session = StudySession(study, log_, cond, order, world=services.world)
    if services.cabin is not None:
        session.watch_cabin(services.cabin)
    # Without an operator page nobody can answer a full-wizard request: it gets the scripted
    # decision or, at once, the polite "one moment" (logged as wizard:timeout).
    console = WizardConsole(cond.wizard, cond.wizard_timeout_s, full_timeout_s=120.0 if wizard_page else 0.0)
    web = None
    if wizard_page:
        from app.study.wizard_web import WizardServer

        web = WizardServer(console, status=lambda: {"session": log_.session_id, "task": log_.task_id}).start()
        out(f"operator / wizard page (this computer only): {web.url}", flush=True)
    loop = asyncio.get_running_loop()
    console.on_mode = lambda mode: log_.event("wizard_mode", {"mode": mode})
    services.pipe.agent = WizardAgent(
        services.pipe.agent, console, services.world,
        on_decision=lambda rec: loop.call_soon_threadsafe(session.note_wizard, rec),
    )  # fmt: skip
    runner = Runner(study, session, services, script, console, pace=pace, out=out)
    try:
        await runner.run()
    except BaseException:
        with contextlib.suppress(Exception):
            session.finish("interrupted")
        raise
    finally:
        if web is not None:
            web.stop()
        await services.pipe.close()
        log_.close()
    return log_.session_id

"""CLI: `python -m app.voice --json --wav IN.wav [--wav MORE.wav …] [--out-dir DIR]`.

Prints one JSON object per input file (the contract for benchmarks and checks):
{"transcript","language","tool","args","reply","reply_wav","timings":{...}}.
Models load once per process. Without --json a short human summary is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
from pathlib import Path

from app.voice.audio import WavSink


def turn_json(result, reply_wav: Path | None) -> dict:
    return {
        "transcript": result.transcript,
        "language": result.language,
        "tool": result.tool,
        "args": result.args,
        "reply": result.reply,
        "reply_wav": str(reply_wav) if reply_wav else None,
        "timings": result.trace.timings(),
    }


async def main_async(args) -> int:
    from app.voice.loader import load_agent, load_pipeline

    agent = load_agent(fake=args.fake_agent)
    pipe = await load_pipeline(agent=agent, speaker=False, cloud=not args.offline)
    if pipe.voices_ready is not None:  # measure warm turns: every voice started, phrases cached
        await pipe.voices_ready
    pipe.set_language_prior(args.language)
    out_dir = Path(args.out_dir or tempfile.mkdtemp(prefix="voice-"))
    texts = [("text", t) for t in args.text or []]
    for i, (kind, item) in enumerate([("wav", w) for w in args.wav or []] + texts):
        name = Path(item).stem if kind == "wav" else f"text{i}"
        reply_wav = out_dir / f"{name}.reply.wav"
        sink = WavSink(reply_wav)
        pipe.sink = sink
        result = await (pipe.run_wav_turn(item) if kind == "wav" else pipe.run_text_turn(item))
        saved = sink.save() if sink.pcm else None
        out = turn_json(result, saved)
        if args.json:
            print(json.dumps(out, ensure_ascii=False), flush=True)
        else:
            t = out["timings"]
            print(
                f"{item}: [{result.language}] {result.transcript!r} -> {result.tool} {result.args}\n"
                f"  reply: {result.reply}\n  wav: {saved}  eos->audio {t['end_of_speech_to_first_audio_ms']} ms"
            )
    await pipe.close()
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.voice", description=__doc__.splitlines()[0])
    p.add_argument("--wav", action="append", help="input WAV (any rate; mono or stereo); repeatable")
    p.add_argument("--text", action="append", help="typed input instead of audio; repeatable")
    p.add_argument("--out-dir", help="where reply WAVs go (default: a temp dir)")
    p.add_argument("--json", action="store_true", help="one JSON object per input on stdout")
    p.add_argument(
        "--language", default="en", choices=["en", "zh"], help="UI language, the recogniser's prior"
    )
    p.add_argument("--offline", action="store_true", help="skip the cloud voice")
    p.add_argument("--fake-agent", action="store_true", help="scripted agent instead of Qwen")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    if not args.wav and not args.text:
        p.error("give at least one --wav or --text")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())

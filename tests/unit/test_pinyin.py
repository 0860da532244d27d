"""The compact phrase dictionary reads exactly what pypinyin's own json gives."""

import json
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from app import paths
from app.pinyin import read_phrases

pytestmark = pytest.mark.unit

JSON = Path(find_spec("pypinyin").submodule_search_locations[0]) / "phrases_dict.json"


def test_every_phrase_has_the_readings_of_the_json_file():
    expected = json.loads(JSON.read_text(encoding="utf-8"))
    phrases = read_phrases(JSON)
    assert len(phrases) == len(expected)
    assert all(phrases[word] == readings for word, readings in expected.items())
    assert phrases["朝阳"] == [["zhāo", "cháo"], ["yáng"]]  # a heteronym keeps both readings


def test_pretty_printed_minified_and_escaped_files_read_alike(tmp_path):
    sample = {"一丁": [["yī"], ["dīng"]], "那些": [["nà", "nèi"], ["xiē"]]}
    texts = (
        json.dumps(sample, ensure_ascii=False, indent=1),
        json.dumps(sample, ensure_ascii=False),
        json.dumps(sample),  # \u escapes
    )
    for i, text in enumerate(texts):
        path = tmp_path / f"{i}.json"
        path.write_text(text, encoding="utf-8")
        assert dict(read_phrases(path)) == sample


def test_pypinyin_reads_through_the_compact_dictionary_in_a_fresh_process():
    code = (
        "import app.pinyin, pypinyin.constants as c\n"
        "print(type(c.PHRASES_DICT).__name__, ' '.join(app.pinyin.lazy_pinyin('去朝阳公园，重庆南路')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=paths.ROOT, capture_output=True, text=True, check=True
    ).stdout.split(maxsplit=1)
    assert out[0] == "Phrases"
    assert out[1].strip() == "qu zhao yang gong yuan ， chong qing nan lu"

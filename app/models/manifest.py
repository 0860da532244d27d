"""Reads models/manifest.toml into typed records."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from app import paths


@dataclass(frozen=True)
class ModelFile:
    path: str  # relative to the model's folder
    parts: tuple[str, ...]  # members inside the package wheels, concatenated in order
    size: int
    sha256: str


@dataclass(frozen=True)
class ModelSpec:
    name: str
    role: str
    default: bool
    description: str
    license: str
    packages: tuple[str, ...]  # "dist-name==version", as pip understands it
    entry: str  # what a loader opens: a file in the folder, or "." for the folder itself
    files: tuple[ModelFile, ...]

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def fetch_command(self) -> str:
        # The installed app's launcher names itself here ("ai-cockpit models").
        return f"{os.environ.get('COCKPIT_MODELS_COMMAND', 'python -m app.models')} fetch {self.name}"


def load_manifest(path: Path = paths.MANIFEST) -> dict[str, ModelSpec]:
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    specs = {}
    for name, entry in raw.get("models", {}).items():
        files = tuple(
            ModelFile(
                path=f["path"], parts=tuple(f["parts"]), size=int(f["size"]), sha256=f["sha256"].lower()
            )
            for f in entry["files"]
        )
        specs[name] = ModelSpec(
            name=name,
            role=entry["role"],
            default=bool(entry.get("default", False)),
            description=entry.get("description", ""),
            license=entry.get("license", ""),
            packages=tuple(entry["packages"]),
            entry=entry.get("entry", "."),
            files=files,
        )
    return specs

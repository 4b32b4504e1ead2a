"""Desktop app entry: flags, one instance per Windows user, translations, then the main window.

`run_app` is called by `denshi_client.main.gui_main`; `--self-test` proves that Qt, the
translations, the icons and every screen import in a frozen build without showing anything.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable

log = logging.getLogger(__name__)

SCREEN_MODULES = (
    "worker", "i18n", "icons", "session_bridge", "connect_flow", "status_header", "inbox_view",
    "outbox_view", "history_view", "settings_dialog", "tray", "lifecycle", "main_window",
)


class AppOptions:
    """The app's flags (a plain class: `dataclasses` would add to the start-up imports)."""

    def __init__(self, demo: bool = False, accelerate: float = 1.0, lang: str | None = None,
                 minimized: bool = False, self_test: bool = False) -> None:
        self.demo = demo
        self.accelerate = accelerate
        self.lang = lang
        self.minimized = minimized
        self.self_test = self_test


def parse_args(argv: list[str]) -> AppOptions:
    p = argparse.ArgumentParser(prog="denshi-client", add_help=True)
    p.add_argument("--demo", action="store_true", help="run against the embedded stand-in service and VPN")
    p.add_argument("--accelerate", type=float, default=None, metavar="N", help="demo clock runs N times faster")
    p.add_argument("--lang", choices=("ja", "en"), default=None)
    p.add_argument("--minimized", action="store_true", help="start in the tray (or minimised)")
    p.add_argument("--self-test", action="store_true", help="load Qt, translations and screens, then exit 0")
    ns, _qt_args = p.parse_known_args(argv)
    accel = ns.accelerate if ns.accelerate is not None else 1.0
    if accel <= 0:
        p.error("--accelerate must be > 0")
    return AppOptions(demo=ns.demo or ns.accelerate is not None, accelerate=accel, lang=ns.lang,
                      minimized=ns.minimized, self_test=ns.self_test)


def instance_key() -> str:
    """Per Windows user (and per DENSHI_CLIENT_HOME), so two users on a shared PC never collide."""
    import hashlib

    from denshi_client.store.paths import app_paths

    digest = hashlib.sha256(str(app_paths().data_dir).encode("utf-8")).hexdigest()[:16]
    return f"denshi-client-{digest}"


def _self_test() -> int:
    import importlib

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from denshi_client.ui import i18n, icons

    app = QApplication.instance() or QApplication(["denshi-client", "-platform", "offscreen"])
    ok_en = i18n.install(app, "en")
    i18n.install(app, "ja")
    if icons.app_icon().isNull():
        print("self-test: app icon missing", file=sys.stderr)
        return 1
    for name in SCREEN_MODULES:
        importlib.import_module(f"denshi_client.ui.{name}")
    if not ok_en:
        print("self-test: English catalogue missing", file=sys.stderr)
        return 1
    print("self-test: ok")
    return 0


def print_webengine_version() -> int:
    """`--webengine-version`: the embedded page's Chromium version on stdout, for `doctor` (whose core may
    not load Qt). No window, no QApplication: a missing or broken engine fails this child, not the app."""
    try:
        from PySide6.QtWebEngineCore import qWebEngineChromiumVersion
    except ImportError as e:
        print(f"Qt WebEngine not available: {e}", file=sys.stderr)
        return 1
    print(qWebEngineChromiumVersion())
    return 0


def run_app(argv: list[str]) -> int:
    """Start-up order is chosen for a fast first paint: only what the window frame needs runs
    before it (Qt, the lock, the translations); logging, the single-instance server, the three
    views and the core services follow right after the first paint."""
    opts = parse_args(argv)
    if opts.self_test:
        return _self_test()

    from PySide6.QtCore import QLockFile
    from PySide6.QtWidgets import QApplication

    from denshi_client import APP_DISPLAY_NAME_EN
    from denshi_client.store.paths import app_paths
    from denshi_client.ui import i18n

    paths = app_paths().ensure()
    existing = QApplication.instance()
    # No AA_ShareOpenGLContexts: it made the QApplication create a shared OpenGL context before the first
    # paint (~20 ms of ~230 on xcb), and Qt WebEngine 6.12, loaded later for the first visit that needs it,
    # renders without it and does not ask for it (tests/ui/test_web_page.py checks Qt's messages).
    app = existing if isinstance(existing, QApplication) else QApplication(["denshi-client", *argv])
    app.setApplicationName(APP_DISPLAY_NAME_EN)
    app.setOrganizationName("DenshiClient")
    app.setQuitOnLastWindowClosed(False)  # the tray may keep the session; lifecycle decides when to quit

    lock = QLockFile(str(paths.data_dir / "ui.lock"))
    lock.setStaleLockTime(0)
    if not lock.tryLock(200):
        from denshi_client.ui import single_instance

        if single_instance.ask_running_to_raise(instance_key()):
            log.info("another instance is running; asked it to show its window")
            return 0
        lock.removeStaleLockFile()
        if not lock.tryLock(200):
            return 0

    i18n.install(app, opts.lang or _settings_language(paths) or "ja")
    from denshi_client.ui.bootstrap import build_main_window, load_services

    window = build_main_window(opts)
    servers: list[object] = []

    def after_first_paint() -> None:
        from denshi_client.logsetup import setup_logging
        from denshi_client.ui import none_guard, single_instance

        none_guard.top_up()  # PySide6 6.12 on Python 3.11 leaks references to None (see none_guard)
        from denshi_client.ui.icons import app_icon
        from denshi_client.ui.worker import tune_for_gui

        tune_for_gui()
        setup_logging(paths.log_dir)
        app.setWindowIcon(app_icon())
        window.setWindowIcon(app_icon())
        servers.append(single_instance.listen(instance_key(), window.bring_to_front))
        window.ensure_views()
        load_services(window, opts)

    on_first_paint(window, after_first_paint)
    if os.environ.get("DENSHI_CLIENT_EXIT_ON_SHOWN"):
        _exit_on_first_paint(window)
    if opts.minimized and window.tray_available():
        pass  # stays in the tray
    elif opts.minimized:
        window.showMinimized()
    else:
        window.show()
    if opts.minimized:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, after_first_paint)  # nothing will be painted
    try:
        return int(app.exec())
    finally:
        for server in servers:
            server.close()  # type: ignore[attr-defined]
        lock.unlock()


def on_first_paint(window: object, fn: Callable[[], object]) -> None:
    """Run `fn` once, from the event loop, just after the window's first paint."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _Once(QObject):
        done = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if not self.done and event.type() == QEvent.Type.Paint:
                self.done = True
                QTimer.singleShot(0, fn)
            return False

    f = _Once(window)  # type: ignore[arg-type]
    window.installEventFilter(f)  # type: ignore[attr-defined]


def _exit_on_first_paint(window: object) -> None:
    """For benchmarks/bench_startup.py: print the wall time of the first paint; quit when the core is in."""
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer

    class _Once(QObject):
        done = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if not self.done and event.type() == QEvent.Type.Paint:
                self.done = True
                print(f"first-paint {time.time():.6f}", flush=True)
                bridge = window.bridge  # type: ignore[attr-defined]

                def ready() -> None:
                    print(f"services-ready {time.time():.6f}", flush=True)
                    # the web engine (≈100 MB of Chromium) loads on the first visit that needs it, never here
                    print(f"web-engine-loaded {int('PySide6.QtWebEngineCore' in sys.modules)}", flush=True)
                    QTimer.singleShot(0, window.request_quit)  # type: ignore[attr-defined]

                bridge.services_ready.connect(ready)
                QTimer.singleShot(30000, window.request_quit)  # type: ignore[attr-defined]
            return False

    f = _Once(window)  # type: ignore[arg-type]
    window.installEventFilter(f)  # type: ignore[attr-defined]


def _settings_language(paths: object) -> str | None:
    """The language setting; the settings module is only loaded when a settings or policy file exists."""
    if not (paths.settings_file.exists() or paths.policy_file.exists()):  # type: ignore[attr-defined]
        return None
    try:
        from denshi_client.ui.session_bridge import settings_language

        return settings_language()
    except Exception:  # a broken file is reported later, in the window
        return None

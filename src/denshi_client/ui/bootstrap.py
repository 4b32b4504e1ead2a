"""Assembling the app: which services (demo or real), loading the core after the first paint,
and the start-up checks (a VPN an earlier run left up, transfers it left unfinished).

The window only lays out and renders; this module decides what it is connected to. Nothing here
is imported before the first paint except `build_main_window` (the core comes in on a worker).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from denshi_client import i18n as core_i18n
from denshi_client.errors import error_text
from denshi_client.ui.session_bridge import SessionBridge

if TYPE_CHECKING:
    from collections.abc import Callable

    from denshi_client.demo import DemoEnvironment
    from denshi_client.services import AppServices
    from denshi_client.session.recovery import RecoveryReport
    from denshi_client.session.transfers import QueueItem
    from denshi_client.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def build_services(opts: Any) -> tuple[AppServices, DemoEnvironment | None]:
    """(services, demo environment or None) for the app's options."""
    if getattr(opts, "demo", False):
        from denshi_client.demo import DemoEnvironment

        env = DemoEnvironment.start(accelerate=getattr(opts, "accelerate", 1.0))
        return env.services, env
    from denshi_client.services import AppServices

    return AppServices.from_settings(), None


def tick_interval_ms(accelerate: float) -> int:
    """An accelerated clock needs faster ticks for a smooth countdown (1 s real = N s demo)."""
    return max(100, min(1000, int(1000 / max(1.0, accelerate))))


def build_main_window(opts: Any) -> MainWindow:
    """The window paints first; `load_services(window, opts)` then brings the core in (see app.run_app)."""
    from denshi_client.ui.main_window import MainWindow

    bridge = SessionBridge(None, tick_ms=tick_interval_ms(getattr(opts, "accelerate", 1.0)))
    return MainWindow(bridge, demo_mode=bool(getattr(opts, "demo", False)), lazy_views=True)


def load_services(window: MainWindow, opts: Any, *, then: Callable[[], None] | None = None) -> None:
    """Build the core off the GUI thread after the first paint; attach it when ready."""
    def done(result: tuple[AppServices, DemoEnvironment | None]) -> None:
        services, env = result
        window.bridge.attach(services, env)
        window.after_shown()
        if then is not None:
            then()

    def failed(exc: BaseException) -> None:
        log.error("services failed to start: %s", exc, exc_info=exc)
        msg, hint = error_text(exc)
        failed_text = QCoreApplication.translate("MainWindow", "起動できませんでした。")
        window.header.set_state("offline", failed_text + msg)
        window.show_banner(failed_text + "\n" + msg + (("\n" + hint) if hint else ""), "error")

    from denshi_client.ui.worker import run_in_background

    run_in_background(lambda: build_services(opts), done, failed)


def run_startup_checks(window: MainWindow) -> None:
    """Start-up work that needs the window: recovery of a leftover VPN, unfinished transfers, the demo hint."""
    if window.demo_mode:
        demo = window.demo
        hint = core_i18n.pick(getattr(demo, "hint_ja", ""), getattr(demo, "hint_en", ""))
        if not hint:
            hint = QCoreApplication.translate(
                "MainWindow", "デモモードで起動しています。基金のサービスとVPNは、このPCの中の練習用のものです。")
        window.show_banner(hint, "info")
    from denshi_client.ui.worker import run_in_background

    run_in_background(window.bridge.recover, lambda r: _recovered(window, r), lambda e: _recovery_failed(window, e))
    run_in_background(window.bridge.pending_transfers, lambda q: _pending_found(window, q),
                      lambda e: log.warning("pending transfers unavailable: %s", e))
    window.history.refresh()


def _pending_found(window: MainWindow, queued: list[QueueItem]) -> None:
    """Nothing lost: what an earlier run left unfinished is listed, with how to finish it.

    Only the active establishment's (the bridge filters), and each received document by name:
    「0123 事業所の「掛金計算書」は、ZIPのパスワードが違うため開けませんでした。…」
    """
    uploads = window.outbox.add_interrupted(queued) if queued else 0
    try:
        notices = window.bridge.transfer_notices()
    except Exception as exc:  # a banner is not worth a failed start
        log.warning("transfer notices unavailable: %s", exc)
        notices = []
    parts = []
    if uploads:
        text = QCoreApplication.translate("MainWindow", "送信 %1件（「送信」タブで接続後に「再試行」）")
        parts.append(text.replace("%1", str(uploads)))
    lines = [core_i18n.pick(n.ja, n.en) for n in notices]
    if not parts and not lines:
        return
    lead = QCoreApplication.translate("MainWindow", "前回完了しなかった送受信があります: ")
    window.show_banner("\n".join(([lead + "、".join(parts)] if parts else []) + lines), "warning")
    if any(n.kind == "held" for n in notices) and window.views_built:
        window.inbox.refresh_held()


def _recovery_failed(window: MainWindow, exc: BaseException) -> None:
    """The VPN's state could not be read (e.g. the SoftEther service is stopped): say so, gently."""
    log.warning("start-up VPN check failed: %s", getattr(exc, "code", type(exc).__name__))
    msg, hint = error_text(exc)
    lead = QCoreApplication.translate("MainWindow", "VPNの状態を確認できませんでした。")
    window.show_banner(lead + "\n" + msg + (("\n" + hint) if hint else ""), "warning")


def _recovered(window: MainWindow, report: RecoveryReport | None) -> None:
    if report is None:
        return
    gone = list(getattr(report, "disconnected", []) or [])
    failed = list(getattr(report, "failed", []) or [])
    if gone:
        from denshi_client.session.model import EndCause
        from denshi_client.ui.window_notices import after_disconnect_text

        msg = core_i18n.pick(EndCause.RECOVERY.message_ja, EndCause.RECOVERY.message_en)
        window.show_banner(msg + after_disconnect_text(getattr(report, "internet", None)), "warning")
        window.tray.notify(QCoreApplication.translate("MainWindow", "VPNを切断しました"), msg)
    if failed:
        acc, err = failed[0]
        text = QCoreApplication.translate("MainWindow", "前回のVPN接続（%1）を切断できませんでした: ")
        window.show_banner(text.replace("%1", acc) + error_text(err)[0], "error")

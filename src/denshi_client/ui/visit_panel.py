"""The routine visit in the window (issue 13): say what it will do, do it by itself, then disconnect.

Before connecting, one line says what the next visit does (the queue of every establishment of the
login, the service hours). Once the session is READY in direct mode, the core's `VisitRunner.work`
(the same code as `denshi-client visit`) sends the queue and fetches and files every new notice on
the worker; its events come back as signals. When it is done the panel counts down
(`visit.disconnect_countdown_seconds`) and disconnects, with 今すぐ切断 / 接続を続ける beside it.
The OTP, the VPN and the end stay with the connect flow and the one `SessionMachine`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from denshi_client.ui.worker import run_in_background

if TYPE_CHECKING:
    from denshi_client.session.visit import VisitEvent, VisitOptions, VisitPlan, VisitReport, VisitRunner
    from denshi_client.ui.main_window import MainWindow

log = logging.getLogger(__name__)

_PROMINENT = "QPushButton { background: #b3261e; color: white; font-weight: bold; padding: 4px 12px; }"


def _hm(dt: Any) -> str:
    from denshi_client.clock import JST

    return dt.astimezone(JST).strftime("%H:%M")


class VisitPanel(QFrame):
    """One summary line (before), one status line (during / after) and the countdown row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitPanel")
        self.summary = QLabel()
        self.summary.setObjectName("visitSummary")
        self.summary.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("visitStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        self.countdown = QFrame()
        self.countdown.setObjectName("visitCountdown")
        self.countdown.setStyleSheet("QFrame#visitCountdown { background: #e6f4ea; border-radius: 4px; }")
        self.countdown_label = QLabel()
        self.countdown_label.setObjectName("visitCountdownText")
        self.countdown_label.setStyleSheet("color: #0d652d; font-weight: bold;")
        self.disconnect_now = QPushButton(self.tr("今すぐ切断(&Q)"))
        self.disconnect_now.setObjectName("visitDisconnectNow")
        self.keep = QPushButton(self.tr("接続を続ける(&V)"))
        self.keep.setObjectName("visitKeepConnected")
        row = QHBoxLayout(self.countdown)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.countdown_label, 1)
        row.addWidget(self.disconnect_now)
        row.addWidget(self.keep)
        self.countdown.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        lay.setSpacing(2)
        lay.addWidget(self.summary)
        lay.addWidget(self.status)
        lay.addWidget(self.countdown)

    def set_status(self, text: str, color: str = "#1f5fa8") -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color};")
        self.status.setVisible(bool(text))


class VisitController(QObject):
    """Runs the work of a visit once connected and the countdown after it; `disconnected` when it is over."""

    work_started = Signal()
    work_finished = Signal(object)   # VisitReport
    countdown_changed = Signal(int)  # seconds left
    disconnected = Signal()
    _from_worker = Signal(object)    # VisitEvent, any thread → GUI thread

    def __init__(self, window: MainWindow, panel: VisitPanel) -> None:
        super().__init__(window)
        self.window = window
        self.bridge = window.bridge
        self.panel = panel
        self.report: VisitReport | None = None
        self.vpn_was_up = False      # this visit reached the VPN (else nothing was disconnected)
        self.working = False
        self._visit_ran = False
        self._left = 0
        self._sent = 0
        self._filed = 0
        self.tick_ms = 1000
        self.timer = QTimer(self)
        self.timer.setObjectName("visitCountdownTimer")
        self.timer.timeout.connect(self._tick)
        self._from_worker.connect(self._on_visit_event)
        panel.disconnect_now.clicked.connect(self.disconnect_now)
        panel.keep.clicked.connect(self.keep_connected)
        self.bridge.event.connect(self._on_session)
        self.bridge.ended.connect(self._on_ended)

    # ----- settings and the core --------------------------------------------------------------
    def options(self) -> VisitOptions:
        from denshi_client.services import current_settings
        from denshi_client.session.visit import VisitOptions

        try:
            v = current_settings().visit
        except Exception as exc:  # a broken settings file: the settings screen says why; the defaults here
            log.warning("visit: settings unreadable (%s)", type(exc).__name__)
            return VisitOptions()
        return VisitOptions(send_queue=bool(v.send_queue), fetch_new=bool(v.fetch_new))

    def countdown_seconds(self) -> int:
        from denshi_client.services import current_settings

        try:
            return max(0, int(current_settings().visit.disconnect_countdown_seconds))
        except Exception:
            return 30

    def _runner(self, options: VisitOptions | None = None) -> VisitRunner:
        from denshi_client.session.visit import VisitRunner

        return VisitRunner(self.bridge.services, lambda *_: "", options=options or self.options(),
                           on_event=self._from_worker.emit)

    # ----- before connecting --------------------------------------------------------------------
    def refresh_summary(self) -> None:
        """What the next visit will do (worker: the queue file and the calendar)."""
        prof = self.bridge.active_profile()
        if prof is None or not self.bridge.ready:
            self.panel.summary.setText("")
            return
        try:
            runner = self._runner()
        except Exception as exc:
            log.debug("visit summary unavailable: %s", exc)
            return
        browser = self.bridge.is_browser_mode()
        run_in_background(lambda: runner.plan(prof), lambda plan: self._show_plan(plan, browser),
                          lambda exc: log.debug("visit plan failed: %s", exc))

    def _show_plan(self, plan: VisitPlan, browser: bool) -> None:
        parts: list[str] = []
        if browser:
            if self._embedded_page():
                parts.append(self.tr("ブラウザーモード: 接続すると基金のページをこの画面に開きます。"
                                     "終わったらページでログアウトしてください（VPNも切断します）"))
            else:
                parts.append(self.tr("ブラウザーモード: 接続後は基金の画面で操作し、"
                                     "終わったら「切断」を押してください"))
        else:
            total = sum(plan.queued.values())
            if plan.send_queue and total:
                if len(plan.queued) == 1:
                    where = next(iter(plan.queued))
                else:
                    where = self.tr("・").join(self.tr("%1 %2件").replace("%1", e).replace("%2", str(n))
                                               for e, n in plan.queued.items())
                parts.append(self.tr("送信待ち %1件（%2）").replace("%1", str(total)).replace("%2", where))
            elif plan.send_queue:
                parts.append(self.tr("送信待ちなし"))
            if plan.fetch_new:
                parts.append(self.tr("新着書類の受信"))
        if plan.open_now is True and plan.closes_at is not None:
            parts.append(self.tr("受付中（%1まで）").replace("%1", _hm(plan.closes_at)))
        elif plan.open_now is False and plan.next_open is not None:
            from denshi_client.clock import JST

            nxt = plan.next_open.astimezone(JST)
            parts.append(self.tr("受付時間外（次は %1 %2から）").replace("%1", f"{nxt.month}/{nxt.day}")
                         .replace("%2", _hm(nxt)))
        lead = self.tr("次の接続で: ") if not browser and (plan.send_queue or plan.fetch_new) else ""
        self.panel.summary.setText(lead + self.tr("・").join(parts))
        snap = self.bridge.snapshot()
        self.panel.summary.setVisible(snap is None or not snap.phase.active)

    def preflight(self, profile_id: str) -> None:
        """Worker thread, before the OTP is requested: what would waste it (VPN setting, ZIP passwords,
        hours against the queued work). Raises DenshiError with what to do in the app's words."""
        from denshi_client.errors import DenshiError

        services = self.bridge.services
        if services is None:
            return
        profile = services.session_profile(profile_id)
        from denshi_client.session.model import SessionMode

        if profile.mode is not SessionMode.DIRECT:
            return
        runner = self._runner()
        try:
            runner.preflight(profile, runner.login_group(profile))
        except DenshiError as e:
            raise _in_app_words(e) from None

    # ----- connected ------------------------------------------------------------------------------
    def _on_session(self, ev: Any) -> None:
        from denshi_client.session.model import Phase

        if ev.kind != "phase_changed":
            return
        phase = ev.snapshot.phase
        if phase is Phase.CHECKING_HOURS:
            self.vpn_was_up = False
            self._visit_ran = False
            self.report = None
            self.panel.set_status("")
        elif phase is Phase.CONNECTING_VPN:
            self.vpn_was_up = True
            self.panel.summary.hide()  # "the next visit" is this one now: the status line takes over
        elif phase is Phase.READY:
            if self.bridge.is_browser_mode():
                self.window.disconnect_button.setStyleSheet(_PROMINENT)
                self.panel.set_status(self.tr("作業が終わったら、基金のページでログアウトしてください。"
                                              "VPNも自動で切断します。") if self._embedded_page() else
                                      self.tr("基金の画面での作業が終わったら、上の「切断」を押してください。"),
                                      "#8a4b00")
            elif self.vpn_was_up:
                self.start_work()

    def start_work(self) -> None:
        if self.working:
            return
        options = self.options()
        if not (options.send_queue or options.fetch_new):
            return
        prof = self.bridge.active_profile()
        if prof is None:
            return
        runner = self._runner(options)
        self._set_working(True)
        self._visit_ran = True
        self._sent = self._filed = 0
        self.window.show_banner(self.tr("接続しました。送信待ちの送信と新着書類の受信を自動で行っています。"
                                        "終わると自動で切断します。"), "ok")
        self.panel.set_status(self.tr("作業を始めています…"))
        self.work_started.emit()
        run_in_background(lambda: runner.work(prof), self._work_done, self._work_failed)

    def _on_visit_event(self, ev: VisitEvent) -> None:
        if ev.kind == "step" and ev.detail.get("state") == "running":
            return
        if ev.kind == "sent":
            self._sent += 1
            self.panel.set_status(self.tr("送信しました: %1（%2）").replace("%1", ev.detail.get("target_name", ""))
                                  .replace("%2", ev.detail.get("establishment", "")))
        elif ev.kind == "filed":
            self._filed += 1
            self.panel.set_status(self.tr("受信して保存しました: %1（%2）").replace("%1", ev.detail.get("title", ""))
                                  .replace("%2", ev.detail.get("establishment", "")))
        elif ev.kind == "problem":
            self.panel.set_status(self.tr("一部の書類を処理できませんでした。終わりしだい内容をお知らせします。"),
                                  "#8a4b00")

    def _set_working(self, working: bool) -> None:
        """While the visit sends and fetches by itself, 送信 and the inbox's fetch buttons wait for it."""
        self.working = working
        w = self.window
        if getattr(w, "views_built", False):
            for view in (w.inbox, w.outbox):
                view.visit_busy = working
                view._update_buttons()

    def _work_done(self, rep: VisitReport) -> None:
        self._set_working(False)
        self.report = rep
        w = self.window
        w.history.refresh()
        w.outbox.refresh_ready()
        if self.bridge.can_transfer():
            w.inbox.refresh()
        for x in rep.received:  # 保存した書類 lists what the visit filed, as after a download by hand
            for f in x.get("files") or []:
                w.inbox.add_filed(Path(f))
        text = self._result_text(rep)
        ok = rep.error is None and not rep.problems
        self.panel.set_status(text, "#0d652d" if ok else "#8a4b00")
        self.work_finished.emit(rep)
        seconds = self.countdown_seconds()
        if seconds > 0 and self.bridge.can_transfer():
            self.start_countdown(seconds)
        elif self.bridge.can_transfer():
            w.show_banner(text + "\n" + self.tr("用事が済んだら「切断」を押してください。"), "ok" if ok else "warning")

    def _work_failed(self, exc: BaseException) -> None:  # work() catches everything; kept for safety
        from denshi_client.ui.connect_flow import error_text

        self._set_working(False)
        msg, hint = error_text(exc)
        self.panel.set_status(msg + (f"\n{hint}" if hint else ""), "#b3261e")

    def _result_text(self, rep: VisitReport) -> str:
        parts = []
        if rep.steps.get("send") != "off":
            parts.append(self.tr("送信 %1件").replace("%1", str(len(rep.sent))))
        if rep.steps.get("fetch") != "off":
            by_est: dict[str, int] = {}
            for x in rep.received:
                by_est[x["establishment"]] = by_est.get(x["establishment"], 0) + 1
            where = self.tr("・").join(self.tr("%1 %2件").replace("%1", e).replace("%2", str(n))
                                       for e, n in sorted(by_est.items()))
            parts.append(self.tr("受信 %1件").replace("%1", str(len(rep.received)))
                         + (self.tr("（%1）").replace("%1", where) if where else ""))
        # the separators are words too: the English catalogue has ", " and "; " where Japanese has 、 and ・
        text = self.tr("作業が終わりました: ") + self.tr("、").join(parts) + self.tr("。")
        if rep.problems or rep.error is not None:
            text += self.tr("処理できなかった書類は次の接続でもう一度行います（送信待ちは「送信」タブ、"
                            "受信の状況は「受信箱」タブでご確認ください）。")
        return text

    # ----- the countdown --------------------------------------------------------------------------
    def start_countdown(self, seconds: int) -> None:
        self._left = seconds
        self.window.banner.hide()  # the status line has the result, the countdown row the time: said once
        self.panel.countdown.show()
        self._show_left()
        self.timer.start(self.tick_ms)

    def _show_left(self) -> None:
        self.panel.countdown_label.setText(
            self.tr("%1秒後に切断します").replace("%1", str(self._left)))
        self.countdown_changed.emit(self._left)

    def _tick(self) -> None:
        self._left -= 1
        if self._left > 0:
            self._show_left()
            return
        self.disconnect_now()

    def _embedded_page(self) -> bool:
        """Browser mode shows the fund's page inside the app (else the system browser opens it)."""
        web = getattr(self.window, "web", None)
        return bool(web is not None and web.wants_embedded())

    def disconnect_now(self) -> None:
        from denshi_client.session.model import EndCause

        self.timer.stop()
        self.panel.countdown.hide()
        if self.bridge.ready and self.bridge.can_transfer():
            self.panel.set_status(self.tr("ログアウトしてVPNを切断しています…"))
            self.window.disconnect_button.setEnabled(False)
            self.bridge.end_async(EndCause.USER)

    def keep_connected(self) -> None:
        self.timer.stop()
        self.panel.countdown.hide()
        self.window.show_banner(self.tr("接続を続けています。用事が済んだら「切断」を押してください。"), "info")

    def _on_ended(self, snap: Any) -> None:
        self.timer.stop()
        self.panel.countdown.hide()
        self.window.disconnect_button.setStyleSheet("")
        ran = self._visit_ran
        self._visit_ran = False
        if ran and self.report is not None:
            self.panel.set_status(self._result_text(self.report).rstrip("。") + self.tr("。VPNは切断しました。"),
                                  "#0d652d")
        elif self.bridge.is_browser_mode():
            self.panel.set_status("")  # "log out / press 切断 when done" belonged to the visit that ended
        self.refresh_summary()
        if ran:
            self.disconnected.emit()


_APP_HINTS = {
    "vpn_account_missing": ("「ツール」→「初期設定アシスタント」で、基金から届いた接続設定ファイルを取り込んでから、"
                            "もう一度「接続」を押してください。ワンタイムパスワードはまだリクエストしていません。",
                            "Import the fund's connection file with Tools → Setup assistant, then press Connect again. "
                            "No one-time password has been requested yet."),
    "zip_password_missing": ("「ファイル」→「設定」の「事業所」タブでZIPパスワードを登録してから、もう一度「接続」を"
                             "押してください。ワンタイムパスワードはまだリクエストしていません。",
                             "Store the ZIP password in File → Settings, Establishments tab, then press Connect "
                             "again. No one-time password has been requested yet."),
    "too_late_for_queue": ("次の受付時間に「接続」を押してください。送信待ちは「送信」タブにそのまま残ります。"
                           "急ぐ場合は「ファイル」→「設定」で「接続したら送信待ちを自動で送信する」を外すと、"
                           "受信だけを行えます。",
                           "Press Connect during the next service hours; the queue stays in the Send tab. To only "
                           "receive now, turn off sending the queue in File → Settings."),
}


def _in_app_words(e: Any) -> Any:
    """The core's hint names CLI commands; the app names its own menus and buttons."""
    words = _APP_HINTS.get(getattr(e, "code", ""))
    if words is None:
        return e
    return type(e)(e.ja, e.en, code=e.code, hint_ja=words[0], hint_en=words[1])

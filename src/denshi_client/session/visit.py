"""The routine visit, headless: checks → OTP → VPN → login → send the queue → fetch and file → end.

Why a runner over the one `SessionMachine` (not a second state machine): the machine already owns
the hours rule, the OTP-before-VPN order, the clock and every way a visit ends with the VPN down.
This runner adds what a visit *does* while it is up, and what it checks before the OTP is
requested (an OTP cannot be used twice, so nothing that can be checked offline may waste one):
the VPN connection setting exists, the ZIP passwords are stored, the service stays open long
enough for the queued work. Each step's outcome stays in the report whatever comes after it
(a failed fetch does not un-send what was sent), and the VPN is taken down in every case.

Qt-free: the UI drives it from a worker thread and listens through `on_event`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from denshi_client.errors import DenshiError, SecretError, SessionError, ValidationError, VpnError
from denshi_client.portal.errors import AuthError
from denshi_client.session.model import EndCause, OtpRefused, Phase, SessionEvent, SessionMode, SessionProfile
from denshi_client.session.outbox_queue import OutboxEntry, SendQueue
from denshi_client.store.secrets import ZIP_PASSWORD
from denshi_client.vpn.model import ConnState

log = logging.getLogger(__name__)

OtpProvider = Callable[[SessionProfile, datetime], str]


@dataclass(frozen=True)
class VisitOptions:
    """`[visit]` settings: each of the two steps can be turned off (and locked by IT)."""

    send_queue: bool = True
    fetch_new: bool = True


@dataclass(frozen=True)
class VisitEvent:
    """For a UI: `kind` is "step" (detail = step name), "sent", "filed", "problem" or "progress"."""

    kind: str
    step: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VisitPlan:
    """What the next visit will do, as the main screen says it before connecting."""

    queued: dict[str, int]            # establishment -> queued uploads (in the login's order)
    fetch_new: bool
    send_queue: bool
    open_now: bool | None = None      # None: no service calendar
    closes_at: datetime | None = None
    next_open: datetime | None = None


@dataclass
class VisitReport:
    profile_id: str
    establishment: str
    user_id: str
    vpn_account: str
    steps: dict[str, str] = field(default_factory=dict)  # step -> ok | failed | off | skipped
    sent: list[dict[str, Any]] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    error: DenshiError | None = None
    vpn_started: bool = False
    vpn_down: bool | None = None
    internet_ok: bool | None = None
    end_phase: str = ""
    end_cause: str = ""
    vpn_up_seconds: float | None = None
    connect_seconds: float | None = None
    login_seconds: float | None = None
    send_seconds: float = 0.0
    fetch_seconds: float = 0.0
    disconnect_seconds: float | None = None

    @property
    def outcome(self) -> str:
        """ok: everything done and the VPN down; partial: connected, but some work failed;
        failed: the visit itself failed (nothing or only part of it ran); refused: stopped by a check
        before the OTP was requested or before the VPN started."""
        if self.error is not None and not self.vpn_started:
            return "refused"
        if self.error is not None or self.vpn_down is False:
            return "failed"
        if self.problems:
            return "partial"
        return "ok"

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile_id": self.profile_id, "establishment": self.establishment, "user_id": self.user_id,
            "vpn_account": self.vpn_account, "outcome": self.outcome, "steps": dict(self.steps),
            "sent": list(self.sent), "received": list(self.received), "problems": list(self.problems),
            "error": self.error.to_dict() if self.error else None, "vpn_started": self.vpn_started,
            "vpn_down": self.vpn_down, "internet_ok": self.internet_ok, "end_phase": self.end_phase,
            "end_cause": self.end_cause, "vpn_up_seconds": _r(self.vpn_up_seconds),
            "connect_seconds": _r(self.connect_seconds), "login_seconds": _r(self.login_seconds),
            "send_seconds": _r(self.send_seconds), "fetch_seconds": _r(self.fetch_seconds),
            "disconnect_seconds": _r(self.disconnect_seconds),
        }


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


def _problem(step: str, e: DenshiError, **extra: Any) -> dict[str, Any]:
    return {"step": step, **extra, **e.to_dict()}


class VisitRunner:
    """One visit of one login. Blocking: run it on a worker thread (the CLI: the main thread)."""

    def __init__(self, services: Any, otp_provider: OtpProvider, *, options: VisitOptions | None = None,
                 on_event: Callable[[VisitEvent], None] | None = None) -> None:
        self.services = services
        self.machine = services.machine
        self.clock = getattr(services, "clock", None) or services.machine.clock
        self.otp_provider = otp_provider
        self.options = options or VisitOptions()
        self.on_event = on_event
        self.queue = SendQueue(services.transfers, services.history, services.transfers.clock)
        self._marks: dict[str, float] = {}

    # ----- events --------------------------------------------------------------------------------
    def _emit(self, kind: str, step: str = "", **detail: Any) -> None:
        if self.on_event is None:
            return
        try:
            self.on_event(VisitEvent(kind, step, detail))
        except Exception:  # a broken listener never stops the visit (or its disconnect)
            log.exception("visit listener failed")

    def _on_session(self, ev: SessionEvent) -> None:
        if ev.kind != "phase_changed":
            return
        phase = ev.snapshot.phase
        now = self.clock.monotonic()
        if phase is Phase.CONNECTING_VPN:
            self._marks.setdefault("connect", now)
        elif phase is Phase.LOGGING_IN:
            self._marks.setdefault("connected", now)
        elif phase is Phase.READY:
            self._marks.setdefault("ready", now)
        elif phase is Phase.ENDING:
            self._marks.setdefault("ending", now)
        elif phase is Phase.VERIFYING_INTERNET:
            self._marks.setdefault("down", now)
        elif phase in (Phase.ENDED, Phase.FAILED):
            self._marks.setdefault("down", now)  # ended without a teardown (before the VPN)

    # ----- who is in this visit ---------------------------------------------------------------------
    def login_group(self, profile: SessionProfile) -> list[SessionProfile]:
        """The establishments this login sees that have a profile here (複数事業所管理): same user, same VPN."""
        group = [p for p in self.services.profiles_for_ui()
                 if p.user_id == profile.user_id and p.vpn_account == profile.vpn_account]
        return [profile] + [p for p in group if p.id != profile.id]

    def queued(self, group: Sequence[SessionProfile]) -> list[OutboxEntry]:
        return self.queue.entries([p.id for p in group]) if self.options.send_queue else []

    def plan(self, profile: SessionProfile) -> VisitPlan:
        """The queue of every establishment of the login and the service hours (no network)."""
        group = self.login_group(profile)
        counts: dict[str, int] = {}
        for e in self.queue.entries([p.id for p in group]):
            counts[e.establishment] = counts.get(e.establishment, 0) + 1
        cal = self.machine.deps.calendar
        if cal is None:
            return VisitPlan(counts, self.options.fetch_new, self.options.send_queue)
        now = self.clock.now()
        open_now = cal.is_open(now)
        return VisitPlan(counts, self.options.fetch_new, self.options.send_queue, open_now,
                         cal.closes_at(now) if open_now else None, None if open_now else cal.next_open(now))

    # ----- checks before the OTP -------------------------------------------------------------------
    def preflight(self, profile: SessionProfile, group: Sequence[SessionProfile]) -> None:
        """Everything that would waste an OTP, checked while mail still works. Raises DenshiError."""
        if profile.mode is not SessionMode.DIRECT:
            raise ValidationError(
                f"事業所 {profile.establishment} はブラウザーモードのため、自動の送受信はできません。",
                f"Establishment {profile.establishment} uses browser mode: the visit cannot send or fetch by itself.",
                code="browser_mode",
                hint_ja="アプリの「接続」から、基金の画面で操作してください。",
                hint_en="Use Connect in the app and work in the fund's page.")
        names = {a.name for a in self.services.vpn.list_accounts()}
        if profile.vpn_account not in names:
            raise VpnError(
                f"SoftEther VPN クライアントに接続設定「{profile.vpn_account}」がありません。",
                f"SoftEther VPN Client has no connection setting “{profile.vpn_account}”.",
                code="vpn_account_missing",
                hint_ja="基金から届いた接続設定ファイルを `denshi-client vpn import` で取り込むか、"
                        "プロファイルのVPN接続設定名をご確認ください。ワンタイムパスワードはまだ依頼していません。",
                hint_en="Import the fund's connection file (`denshi-client vpn import`) or check the profile's VPN "
                        "account name. No one-time password has been requested yet.")
        queued = self.queued(group)
        need = {profile.id} if self.options.fetch_new else set()
        need |= {e.profile_id for e in queued}
        for p in group:
            if p.id in need and self.services.secrets.get(p.id, ZIP_PASSWORD) is None:
                raise SecretError(
                    f"事業所 {p.establishment} のZIPパスワードが登録されていません。",
                    f"No ZIP password is stored for establishment {p.establishment}.",
                    code="zip_password_missing",
                    hint_ja=f"`denshi-client profile update {p.id} --zip-password-stdin` で登録してから、もう一度"
                            "接続してください。ワンタイムパスワードはまだ依頼していません。",
                    hint_en=f"Store it with `denshi-client profile update {p.id} --zip-password-stdin`, then "
                            "connect again. No one-time password has been requested yet.")
        self._check_time(queued)

    def _check_time(self, queued: Sequence[OutboxEntry]) -> None:
        """The service must stay open for the session minimum plus the queued uploads' estimate."""
        cal = self.machine.deps.calendar
        cfg = self.machine.config
        if cal is None or not cfg.enforce_hours:
            return
        now = self.clock.now()
        if not cal.is_open(now):
            return  # the machine says so, with the next opening time
        closes = cal.closes_at(now)
        if closes is None:
            return
        need = cfg.min_session_s + (self.machine.estimate_s(sum(e.size for e in queued)) if queued else 0.0)
        left = (closes - now).total_seconds()
        if left < need:
            raise SessionError(
                f"本日の受付終了まで約{max(0, int(left // 60))}分のため、送信待ち{len(queued)}件の送信が終わらない"
                "見込みです。接続は開始していません。",
                f"The service closes in about {max(0, int(left // 60))} min, too soon for the "
                f"{len(queued)} queued upload(s). Nothing was started.",
                code="too_late_for_queue",
                hint_ja="次の受付時間に接続してください。送信待ちはそのまま残ります。",
                hint_en="Connect during the next service hours; the queue is kept.")

    # ----- the visit ----------------------------------------------------------------------------------
    def run(self, profile: SessionProfile) -> VisitReport:
        group = self.login_group(profile)
        rep = VisitReport(profile.id, profile.establishment, profile.user_id, profile.vpn_account)
        rep.steps = {"checks": "", "otp": "", "vpn": "", "login": "",
                     "send": "off" if not self.options.send_queue else "",
                     "fetch": "off" if not self.options.fetch_new else "", "logout": "", "disconnect": "",
                     "internet": ""}
        self._marks = {}
        m = self.machine
        m.add_listener(self._on_session)
        try:
            self._run(profile, group, rep)
        finally:
            m.remove_listener(self._on_session)
        return rep

    def _step(self, rep: VisitReport, step: str, state: str) -> None:
        rep.steps[step] = state
        self._emit("step", step, state=state)

    def _run(self, profile: SessionProfile, group: list[SessionProfile], rep: VisitReport) -> None:
        m = self.machine
        self._emit("step", "checks", state="running")
        try:
            self.preflight(profile, group)
            m.start(profile)  # hours (the machine's rule), a VPN left up dropped, then the OTP request
        except DenshiError as e:
            self._step(rep, "checks", "failed")
            rep.error = e
            self._finish(rep)
            return
        self._step(rep, "checks", "ok")
        requested = m.snapshot().otp_requested_at or self.clock.now()
        try:
            otp = (self.otp_provider(profile, requested) or "").strip()
            if not re.match(m.config.otp_pattern, otp):
                raise ValidationError(
                    "ワンタイムパスワードの形式が正しくありません。VPNには接続していません。",
                    "The one-time password is not in the expected format. The VPN was not started.",
                    code="otp_format",
                    hint_ja="メールに記載されたコードを確認し、もう一度接続してください（コードは英数字4〜12文字です）。",
                    hint_en="Check the code in the e-mail and connect again (4-12 letters or digits).")
        except DenshiError as e:
            self._step(rep, "otp", "failed")
            rep.error = e
            m.end(EndCause.USER)  # before the VPN: nothing to disconnect
            self._finish(rep)
            return
        self._step(rep, "otp", "ok")
        rep.vpn_started = True
        try:
            m.submit_otp(otp)  # connect + login; on failure the machine has already disconnected
        except OtpRefused as e:  # the VPN is kept up for a retype; headless, there is no one to ask
            self._step(rep, "login", "failed")
            m.end(EndCause.OTP_ABANDONED)
            rep.error = AuthError(
                "ワンタイムパスワードが受け付けられなかったため、VPNを切断しました。"
                "メールの内容を確認し、もう一度接続してください。",
                "The one-time password was refused, so the VPN was disconnected. "
                "Check the e-mail and connect again.", code="otp_invalid")
            rep.error.__cause__ = e
            self._finish(rep)
            return
        except DenshiError as e:
            self._step(rep, "vpn" if "connected" not in self._marks else "login", "failed")
            rep.error = e
            self._finish(rep)
            return
        if m.phase is not Phase.READY:  # ended meanwhile (cut, cancelled)
            rep.error = SessionError("接続がすぐに終了したため、送受信は行っていません。",
                                     "The session ended at once; nothing was sent or received.", code="ended_early")
            self._finish(rep)
            return
        self._step(rep, "vpn", "ok")
        self._step(rep, "login", "ok")
        try:
            self.work(profile, rep, group)
        finally:
            self._step(rep, "disconnect", "running")
            m.end(EndCause.USER)
        self._finish(rep)

    def new_report(self, profile: SessionProfile) -> VisitReport:
        rep = VisitReport(profile.id, profile.establishment, profile.user_id, profile.vpn_account)
        rep.steps = {"send": "off" if not self.options.send_queue else "",
                     "fetch": "off" if not self.options.fetch_new else ""}
        return rep

    def work(self, profile: SessionProfile, rep: VisitReport | None = None,
             group: list[SessionProfile] | None = None) -> VisitReport:
        """What a visit does while the session is READY: send the login's queue, then fetch and file every
        new notice of every establishment it sees. Used by `run` and by the app once it is connected (the
        app's connect flow owns the OTP and the end). Never raises: an unexpected error lands in the report."""
        rep = rep if rep is not None else self.new_report(profile)
        group = group if group is not None else self.login_group(profile)
        m = self.machine
        try:
            portal = m.portal
            visible = set(getattr(getattr(portal, "session", None), "establishments", ()) or ())
            if self.options.send_queue:
                self._send(group, visible, rep)
            if self.options.fetch_new and m.phase is Phase.READY:
                self._fetch(profile, rep)
            elif self.options.fetch_new:
                self._step(rep, "fetch", "skipped")
        except Exception as e:  # never leave the VPN up on an unexpected error: the caller ends it
            log.exception("visit work failed")
            rep.error = e if isinstance(e, DenshiError) else SessionError(
                "送受信中に予期しないエラーが発生しました。VPNは切断します。",
                "An unexpected error occurred during the transfers. The VPN is being disconnected.", code="internal")
        return rep

    def _send(self, group: Sequence[SessionProfile], visible: set[str], rep: VisitReport) -> None:
        import time

        t0 = time.monotonic()
        tr = self.services.transfers
        failed = False
        for p in group:
            for item in [i for i in self.queue.items([p.id])]:
                if self.machine.phase is not Phase.READY:
                    failed = True
                    break
                if visible and item.establishment not in visible:
                    e = ValidationError(
                        f"このログインでは事業所 {item.establishment} の書類を送れません。送信待ちに残しました。",
                        f"This login cannot send for establishment {item.establishment}; the item stays queued.",
                        code="not_visible")
                    rep.problems.append(_problem("send", e, id=item.id, target_name=item.file_name))
                    failed = True
                    continue
                original = Path(item.source).name if item.source else ""
                try:
                    res = tr.upload(p, item)
                except DenshiError as e:
                    rep.problems.append(_problem("send", e, id=item.id, original_name=original,
                                                 target_name=item.file_name, establishment=item.establishment))
                    self._emit("problem", "send", id=item.id, code=e.code)
                    failed = True
                    continue
                r = res.receipt
                sent = {"id": item.id, "establishment": item.establishment, "original_name": original,
                        "target_name": item.file_name, "form_name": item.form_name, "receipt": r.server_id,
                        "received_at": r.received_at.isoformat() if isinstance(r.received_at, datetime) else
                        str(r.received_at), "size": item.size, "filed_copy": str(res.filed_copy or "")}
                rep.sent.append(sent)
                self._emit("sent", "send", **sent)
        rep.send_seconds = time.monotonic() - t0
        self._step(rep, "send", "failed" if failed else "ok")

    def _fetch(self, profile: SessionProfile, rep: VisitReport) -> None:
        import time

        t0 = time.monotonic()
        tr = self.services.transfers
        failed = False
        try:
            docs = [d for d in tr.inbox() if d.unread]
        except DenshiError as e:
            rep.problems.append(_problem("fetch", e))
            rep.fetch_seconds = time.monotonic() - t0
            self._step(rep, "fetch", "failed")
            return
        for d in docs:
            if self.machine.phase is not Phase.READY:
                failed = True
                break
            try:
                filed = tr.download(profile, [d])[0]
            except DenshiError as e:
                rep.problems.append(_problem("fetch", e, id=d.id, file_name=d.file_name, establishment=d.establishment))
                self._emit("problem", "fetch", id=d.id, code=e.code)
                failed = True
                continue
            got = {"id": d.id, "establishment": d.establishment, "title": d.title, "type": d.doc_type,
                   "file_name": d.file_name, "folder": str(filed.folder), "files": [str(f) for f in filed.files],
                   "already_filed": filed.already_filed}
            rep.received.append(got)
            self._emit("filed", "fetch", **got)
        rep.fetch_seconds = time.monotonic() - t0
        self._step(rep, "fetch", "failed" if failed else "ok")

    def _finish(self, rep: VisitReport) -> None:
        """Read how it ended; make sure (and say) the VPN is down."""
        m = self.machine
        snap = m.snapshot()
        rep.end_phase = snap.phase.value
        rep.end_cause = snap.end_cause.value if snap.end_cause else ""
        if snap.error is not None and rep.error is None:
            rep.error = snap.error
        marks = self._marks
        if rep.vpn_started:
            try:
                st = self.services.vpn.status(rep.vpn_account)
                rep.vpn_down = st.state is ConnState.OFFLINE
            except DenshiError as e:
                log.warning("VPN state after the visit unknown: %s", e.en)
                rep.vpn_down = False
            self._step(rep, "disconnect", "ok" if rep.vpn_down else "failed")
            if "ending" in marks:
                self._step(rep, "logout", "ok" if rep.error is None or rep.steps.get("login") == "ok" else "skipped")
            if "connect" in marks and "down" in marks:
                rep.vpn_up_seconds = marks["down"] - marks["connect"]
            if "connect" in marks and "connected" in marks:
                rep.connect_seconds = marks["connected"] - marks["connect"]
            if "connected" in marks and "ready" in marks:
                rep.login_seconds = marks["ready"] - marks["connected"]
            if "ending" in marks and "down" in marks:
                rep.disconnect_seconds = marks["down"] - marks["ending"]
            if snap.internet is not None:
                rep.internet_ok = bool(snap.internet.ok)
                self._step(rep, "internet", "ok" if rep.internet_ok else "failed")
        for k, v in list(rep.steps.items()):
            if v == "" or v == "running":
                rep.steps[k] = "skipped" if v == "" else "failed"
        self._emit("step", "done", outcome=rep.outcome)

"""The real driver: SoftEther VPN Client through vpncmd (see docs/vpn.md).

Traps handled here (measured, notes/softether-lab.md): AccountConnect returns 0
even when it will never connect and the client then retries forever; the reason
is only in the client log; `/IN:` batches echo passwords; `AccountImport` makes
`name (2)` on a clash and takes no path starting with `/`; AccountList and
AccountStatusGet can disagree for one poll right after a cut.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from denshi_client.clock import Clock, SystemClock
from denshi_client.redact import register_secret
from denshi_client.vpn import errors as E
from denshi_client.vpn.clientlog import ClientLog, LogCause
from denshi_client.vpn.locate import default_client_log_dir, find_vpncmd
from denshi_client.vpn.model import AccountInfo, ConnState, EndReason, SessionEnd, VpnStatus
from denshi_client.vpn.standin import check_account_name
from denshi_client.vpn.vpncmd import (
    ProcessRunner,
    Vpncmd,
    VpncmdResult,
    parse_account_list,
    parse_account_status,
)

# After a drop the client may retry this often, this far apart, then it stays Offline
# (SoftEther's default is forever, every 15 s). Enough to ride out a short glitch.
DEFAULT_RETRY_NUM = 2
DEFAULT_RETRY_INTERVAL_S = 10  # vpncmd refuses < 5

_CLIENT_OPTION_OVERRIDES = {
    # Pop-ups the SoftEther client would show on the user's desktop: our app shows its own.
    "HideStatusWindow": "bool HideStatusWindow true",
    "HideNicInfoWindow": "bool HideNicInfoWindow true",
}


def _end_reason(code: int) -> EndReason:
    if code == E.ERR_AUTO_DISCONNECTED:
        return EndReason.SESSION_LIMIT
    if code == E.ERR_DISCONNECTED:
        return EndReason.BY_US
    if code in (E.ERR_AUTH_FAILED, E.ERR_HUB_NOT_FOUND):
        return EndReason.AUTH_FAILED
    return EndReason.LOST


class SoftEtherDriver:
    """Implements `VpnDriver` and `ExplainsEnds` over vpncmd. Blocking; thread-safe per call."""

    def __init__(
        self,
        vpncmd_path: str | None = None,
        *,
        runner: ProcessRunner | None = None,
        clock: Clock | None = None,
        client_log_dir: Path | None = None,
        call_timeout: float = 30.0,
        retry_num: int = DEFAULT_RETRY_NUM,
        retry_interval_s: int = DEFAULT_RETRY_INTERVAL_S,
        poll_gap_s: float = 0.05,
        sleep: Callable[[float], None] = time.sleep,
        configured_vpncmd: str | None = None,
    ) -> None:
        exe = (vpncmd_path if (vpncmd_path and runner is not None)
               else find_vpncmd(vpncmd_path, configured=configured_vpncmd))
        self.vpncmd = Vpncmd(exe, runner, timeout=call_timeout)
        self.clock = clock or SystemClock()
        self.log = ClientLog(client_log_dir if client_log_dir is not None else default_client_log_dir(exe))
        self.retry_num = retry_num
        self.retry_interval_s = max(5, retry_interval_s)
        self.poll_gap_s = poll_gap_s
        self._sleep = sleep
        self._lock = threading.Lock()
        self._requested: dict[str, datetime] = {}  # account -> when we asked to disconnect
        self._connect_started: dict[str, datetime] = {}

    # ----- helpers ------------------------------------------------------------------------
    def _run(self, *args: str, account: str = "", ok: tuple[int, ...] = (0,),
             timeout: float | None = None) -> VpncmdResult:
        r = self.vpncmd.cmd(*args, timeout=timeout)
        if r.code not in ok:
            raise E.from_exit_code(r.code, account, r.text)
        return r

    def _now_local(self) -> datetime:
        # Client-log and vpncmd times are the PC's local wall clock: compare in that zone.
        return self.clock.now().astimezone()

    # ----- VpnDriver ----------------------------------------------------------------------
    def list_accounts(self) -> list[AccountInfo]:
        r = self._run("AccountList")
        return [AccountInfo(a.name, a.state, a.server, a.hub, a.nic) for a in parse_account_list(r.text)]

    def connected_accounts(self) -> list[str]:
        """Accounts not Offline (Connected or still retrying): what a crashed run may have left."""
        return [a.name for a in self.list_accounts() if a.state is not ConnState.OFFLINE]

    def status(self, account: str) -> VpnStatus:
        r = self._run("AccountStatusGet", account, account=account, ok=(0, E.ERR_ACCOUNT_INACTIVE))
        if r.code == E.ERR_ACCOUNT_INACTIVE:
            return VpnStatus(account, ConnState.OFFLINE)
        s = parse_account_status(r.text)
        return VpnStatus(account, s.state, s.established_since, s.server, s.session_status)

    def import_account(self, vpn_file: str, name: str) -> AccountInfo:
        """Import under exactly `name`: via a private temp name, then delete-old + rename.

        The old account survives until the new one imported fine; the `.vpn` (it holds a
        password hash) is only ever copied into a 0600 file in a 0700 temp folder.
        """
        check_account_name(name)
        try:
            raw = Path(vpn_file).read_bytes()
        except OSError:
            raise E.vpn_file_unreadable(vpn_file) from None
        text = raw.decode("utf-8-sig", errors="replace")
        if "declare root" not in text or "ClientOption" not in text:
            raise E.vpn_file_unreadable(vpn_file)
        temp_name = f"denshi-import-{uuid.uuid4().hex[:12]}"
        text = self._prepare_vpn_text(text, temp_name)
        tmpdir = tempfile.mkdtemp(prefix="denshi-vpn-")
        try:
            path = Path(tmpdir) / "import.vpn"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\r\n") as f:
                f.write(text)
            # vpncmd reads "/..." as an option (exit 38); on Unix it turns "\" back into "/".
            arg = str(path) if os.name == "nt" else str(path).replace("/", "\\")
            self._run("AccountImport", arg, account=name)
        finally:
            shutil.rmtree(tmpdir, ignore_errors=True)
        try:
            existing = {a.name: a for a in self.list_accounts()}
            if temp_name not in existing:
                raise E.vpn_file_unreadable(vpn_file)
            if name in existing:
                if existing[name].state is not ConnState.OFFLINE:
                    raise E.from_exit_code(E.ERR_ACCOUNT_ACTIVE, name)
                self._run("AccountDelete", name, account=name, ok=(0, E.ERR_ACCOUNT_NOT_FOUND))
            self._run("AccountRename", temp_name, f"/NEW:{name}", account=name)
        except BaseException:
            with contextlib.suppress(Exception):
                self.vpncmd.cmd("AccountDelete", temp_name)
            raise
        self.apply_safety_settings(name)
        for a in self.list_accounts():
            if a.name == name:
                return AccountInfo(a.name, a.state, a.server, a.hub, a.nic)
        raise E.from_exit_code(E.ERR_ACCOUNT_NOT_FOUND, name)

    def _prepare_vpn_text(self, text: str, account_name: str) -> str:
        """Set the account name, retry limits and hidden pop-ups in the (private) copy."""
        text = re.sub(r"(?m)^(\s*string\s+AccountName\s+).*$", lambda m: m.group(1) + account_name, text)
        overrides = dict(_CLIENT_OPTION_OVERRIDES)
        overrides["NumRetry"] = f"uint NumRetry {self.retry_num}"
        overrides["RetryInterval"] = f"uint RetryInterval {self.retry_interval_s}"
        for key, line in overrides.items():
            pat = re.compile(rf"(?m)^(\s*)(?:bool|uint)\s+{key}\s+\S+\s*$")
            if pat.search(text):
                text = pat.sub(lambda m, line=line: m.group(1) + line, text)  # type: ignore[misc]
            else:
                text = re.sub(r"(?m)^(\s*)declare\s+ClientOption\s*\n(\s*)\{\s*$",
                              lambda m, line=line: m.group(0) + "\n" + m.group(2) + "\t" + line,  # type: ignore[misc]
                              text, count=1)
        return text

    def apply_safety_settings(self, account: str) -> None:
        """Retry limits + no status pop-up, also for accounts created outside the app."""
        self._run("AccountRetrySet", account, f"/NUM:{self.retry_num}", f"/INTERVAL:{self.retry_interval_s}",
                  account=account)
        self._run("AccountStatusHide", account, account=account)

    def set_password(self, account: str, username: str | None, password: str) -> None:
        """Through a private `/IN:` batch: never in argv, output (which echoes it) discarded."""
        register_secret(password)
        if not password:
            raise E.empty_password()
        if any(c in password for c in '"\r\n'):
            raise E.VpnBadParameter(
                "このパスワードには VPN クライアントに渡せない文字（二重引用符・改行）が含まれています。",
                "The password contains characters the VPN client cannot take (double quote, line break).",
            )
        if username:
            self.set_username(account, username)
        code = self.vpncmd.batch_secret([f'AccountPasswordSet "{account}" /PASSWORD:"{password}" /TYPE:standard'])
        if code:
            raise E.from_exit_code(code, account)  # no output passed: it holds the password

    def set_username(self, account: str, username: str) -> None:
        self._run("AccountUsernameSet", account, f"/USERNAME:{username}", account=account)

    def connect(self, account: str, timeout: float = 30.0) -> VpnStatus:
        """AccountConnect, then poll until established; give up on Retrying with the log's cause.

        On failure the account is disconnected so the client does not retry forever.
        """
        deadline = time.monotonic() + timeout
        started = self._now_local().replace(microsecond=0)
        with self._lock:
            self._requested.pop(account, None)
            self._connect_started[account] = started
        self._run("AccountConnect", account, account=account, timeout=min(timeout, self.vpncmd.timeout))
        try:
            return self._wait_established(account, started, deadline, timeout)
        except (E.VpnConnectFailed, E.VpnAuthFailed):  # _fail() already disconnected
            raise
        except BaseException:
            # e.g. a hung vpncmd: do not leave the client retrying on its own
            with contextlib.suppress(Exception):
                self.disconnect(account, _requested=False)
            raise

    def _wait_established(self, account: str, started: datetime, deadline: float, timeout: float) -> VpnStatus:
        while True:
            left = deadline - time.monotonic()
            r = self.vpncmd.cmd("AccountStatusGet", account, timeout=max(2.0, min(self.vpncmd.timeout, left + 5)))
            if r.code == 0:
                s = parse_account_status(r.text)
                if s.state is ConnState.CONNECTED:
                    return VpnStatus(account, s.state, s.established_since, s.server, s.session_status)
                if s.retrying:
                    self._fail(account, started, "retrying")
            elif r.code == E.ERR_ACCOUNT_INACTIVE:
                # Went Offline by itself (the client gave up, or someone disconnected it meanwhile).
                self._fail(account, started, "offline")
            else:
                raise E.from_exit_code(r.code, account, r.text)
            if time.monotonic() >= deadline:
                self._fail(account, started, "deadline", timeout)
            self._sleep(self.poll_gap_s)

    def _fail(self, account: str, started: datetime, why: str, timeout: float = 0.0) -> None:
        cause: LogCause | None = None
        for _ in range(5):  # the log line may land a moment after the status changes
            cause = self.log.last_cause(account, since=started, now=self._now_local())
            if cause is not None:
                break
            self._sleep(0.1)
        with contextlib.suppress(E.VpnError):
            self.disconnect(account, _requested=False)
        if cause is not None:
            raise E.connect_failed(account, cause.cause, cause.code)
        if why == "deadline":
            raise E.not_established_in_time(account, timeout)
        raise E.connect_failed(account)

    def disconnect(self, account: str, timeout: float = 15.0, *, _requested: bool = True) -> None:
        if _requested:
            with self._lock:
                self._requested[account] = self._now_local()
        self._run("AccountDisconnect", account, account=account, ok=(0, E.ERR_ACCOUNT_INACTIVE),
                  timeout=min(timeout, self.vpncmd.timeout))

    # ----- ExplainsEnds -----------------------------------------------------------------------
    def last_end(self, account: str) -> SessionEnd | None:
        """Our own request first, then the client log's latest cause for the account."""
        with self._lock:
            req = self._requested.get(account)
            since = self._connect_started.get(account)
        cause = self.log.last_cause(account, since=since, now=self._now_local())
        if req is not None and (cause is None or cause.at <= req or cause.code == E.ERR_DISCONNECTED):
            return SessionEnd(EndReason.BY_US, E.ERR_DISCONNECTED, "disconnected by this app", req, requested=True)
        if cause is None:
            return None
        return SessionEnd(_end_reason(cause.code), cause.code, cause.cause, cause.at)

    def delete_account(self, account: str) -> None:
        self._run("AccountDelete", account, account=account)

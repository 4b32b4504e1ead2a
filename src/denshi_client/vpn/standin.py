"""An in-process VPN driver for demo mode and UI/session tests.

It follows the real SoftEther client's rules (see docs/vpn.md): a wrong password
fails the connect, an active account cannot be connected again, one account per
virtual adapter, disconnect is idempotent, and the server cuts a session after
`session_limit_s` measured on the injected clock, so a 90-minute cut can happen
in a test in microseconds. Tests force the other outside events with the
`simulate_*` methods. Passwords are never kept: only whether they were right.

With `state_file`, accounts and sessions survive between processes (the CLI in
demo mode), which also lets "a crash left a session up" be reproduced.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from denshi_client.clock import Clock
from denshi_client.redact import register_secret
from denshi_client.vpn import errors as E
from denshi_client.vpn.model import AccountInfo, ConnState, EndReason, SessionEnd, VpnStatus

# Without valid_password: any non-empty password is right except ones starting with "wrong".

_VALID_NAME = re.compile(r'^[^\x00-\x1f"\\]{1,255}$')


def check_account_name(name: str) -> None:
    """Names reach vpncmd as one argument; SoftEther caps them at 255 chars (MAX_ACCOUNT_NAME_LEN)."""
    if not name or not name.strip() or not _VALID_NAME.match(name) or name != name.strip():
        raise E.bad_account_name(name)


def parse_vpn_file(text: str) -> dict[str, str]:
    """The few fields of a `.vpn` (SoftEther config syntax) that the app shows."""
    out: dict[str, str] = {}
    for key in ("Hostname", "HubName", "DeviceName", "Username", "AccountName"):
        m = re.search(rf"^\s*string\s+{key}\s+(.*?)\s*$", text, re.M)
        if m:
            out[key] = m.group(1)
    m = re.search(r"^\s*uint\s+Port\s+(\d+)\s*$", text, re.M)
    if m:
        out["Port"] = m.group(1)
    return out


@dataclass
class _Account:
    name: str
    server: str
    hub: str
    nic: str
    username: str = ""
    password_ok: bool | None = None  # None = no password set
    state: ConnState = ConnState.OFFLINE
    established_since: datetime | None = None
    end: SessionEnd | None = None


class StandInVpnDriver:
    """Implements `VpnDriver` (and `ExplainsEnds`) without SoftEther."""

    def __init__(
        self,
        clock: Clock,
        session_limit_s: float = 5400,
        connect_delay_s: float = 0.3,
        *,
        valid_password: str | None = None,
        state_file: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.clock = clock
        self.session_limit_s = session_limit_s
        self.connect_delay_s = connect_delay_s
        self.valid_password = valid_password
        self.server_up = True
        self.service_running = True
        self._sleep = sleep
        self._state_file = state_file
        self._lock = threading.RLock()
        self._accounts: dict[str, _Account] = {}
        self._load()

    # ----- VpnDriver -------------------------------------------------------------------
    def list_accounts(self) -> list[AccountInfo]:
        with self._lock:
            self._check_service()
            self._tick()
            return [self._info(a) for _, a in sorted(self._accounts.items())]

    def status(self, account: str) -> VpnStatus:
        with self._lock:
            self._check_service()
            self._tick()
            a = self._get(account)
            detail = {
                ConnState.CONNECTED: "Connection Completed (Session Established)",
                ConnState.CONNECTING: "Retrying",
                ConnState.OFFLINE: "Offline",
            }[a.state]
            return VpnStatus(account=a.name, state=a.state,
                             established_since=a.established_since if a.state is ConnState.CONNECTED else None,
                             server=a.server, detail=detail)

    def import_account(self, vpn_file: str, name: str) -> AccountInfo:
        check_account_name(name)
        try:
            text = Path(vpn_file).read_text(encoding="utf-8", errors="replace")
        except OSError:
            raise E.vpn_file_unreadable(vpn_file) from None
        fields = parse_vpn_file(text)
        if "Hostname" not in fields:
            raise E.vpn_file_unreadable(vpn_file)
        with self._lock:
            self._check_service()
            self._tick()
            old = self._accounts.get(name)
            if old is not None and old.state is not ConnState.OFFLINE:
                raise E.from_exit_code(E.ERR_ACCOUNT_ACTIVE, name)
            server = fields["Hostname"] + (f":{fields['Port']}" if "Port" in fields else "")
            acc = _Account(name=name, server=server, hub=fields.get("HubName", ""),
                           nic=fields.get("DeviceName", "VPN"), username=fields.get("Username", ""),
                           # a .vpn with a password hash connects without set_password, as in SoftEther
                           password_ok=True if re.search(r"^\s*byte\s+HashedPassword\s+\S{8,}", text, re.M)
                           else None)
            self._accounts[name] = acc  # replaces: never a "name (2)"
            self._save()
            return self._info(acc)

    def set_password(self, account: str, username: str | None, password: str) -> None:
        register_secret(password)
        if not password:
            raise E.empty_password()
        with self._lock:
            self._check_service()
            a = self._get(account)
            if username:
                a.username = username
            a.password_ok = self._password_ok(password)
            self._save()

    def set_username(self, account: str, username: str) -> None:
        with self._lock:
            self._check_service()
            self._get(account).username = username
            self._save()

    def connect(self, account: str, timeout: float = 30.0) -> VpnStatus:
        with self._lock:
            self._check_service()
            self._tick()
            a = self._get(account)
            if a.state is not ConnState.OFFLINE:
                raise E.from_exit_code(E.ERR_ACCOUNT_ACTIVE, account)
            for other in self._accounts.values():
                if other is not a and other.nic.lower() == a.nic.lower() and other.state is not ConnState.OFFLINE:
                    raise E.from_exit_code(E.ERR_VLAN_IS_USED, account)
            a.state = ConnState.CONNECTING
            a.end = None
            self._save()
        if self.connect_delay_s > 0:
            self._sleep(min(self.connect_delay_s, timeout))
        with self._lock:
            if a.state is not ConnState.CONNECTING:  # disconnected meanwhile
                raise E.connect_failed(account, "disconnected while connecting", E.ERR_DISCONNECTED)
            failure: tuple[int, str] | None = None
            if not self.server_up:
                failure = (E.ERR_CONNECT_FAILED, "Connection to the server failed.")
            elif not a.password_ok:
                failure = (E.ERR_AUTH_FAILED, "User authentication failed.")
            if failure is not None:
                # Like the real driver: give up instead of leaving the client retrying forever.
                a.state = ConnState.OFFLINE
                a.end = SessionEnd(EndReason.AUTH_FAILED if failure[0] == E.ERR_AUTH_FAILED else EndReason.LOST,
                                   code=failure[0], detail=failure[1], at=self.clock.now())
                self._save()
                raise E.connect_failed(account, failure[1], failure[0])
            a.state = ConnState.CONNECTED
            a.established_since = self.clock.now()
            self._save()
            return VpnStatus(account, ConnState.CONNECTED, a.established_since, a.server,
                             "Connection Completed (Session Established)")

    def disconnect(self, account: str, timeout: float = 15.0) -> None:
        with self._lock:
            self._check_service()
            self._tick()
            a = self._get(account)
            if a.state is ConnState.OFFLINE:
                return
            a.state = ConnState.OFFLINE
            a.end = SessionEnd(EndReason.BY_US, code=E.ERR_DISCONNECTED, detail="disconnected by user",
                               at=self.clock.now(), requested=True)
            a.established_since = None
            self._save()

    def connected_accounts(self) -> list[str]:
        with self._lock:
            self._check_service()
            self._tick()
            return sorted(n for n, a in self._accounts.items() if a.state is not ConnState.OFFLINE)

    # ----- ExplainsEnds ----------------------------------------------------------------
    def last_end(self, account: str) -> SessionEnd | None:
        with self._lock:
            self._tick()
            a = self._accounts.get(account)
            return a.end if a else None

    # ----- extras (demo seeding, test hooks) ---------------------------------------------
    def add_account(self, name: str, server: str = "127.0.0.1:443", hub: str = "DEMO", nic: str = "VPN",
                    username: str = "demo", password: str | None = None) -> AccountInfo:
        """Seed an account without a .vpn file (demo mode, tests)."""
        check_account_name(name)
        with self._lock:
            acc = _Account(name=name, server=server, hub=hub, nic=nic, username=username)
            if password is not None:
                register_secret(password)
                acc.password_ok = self._password_ok(password)
            self._accounts[name] = acc
            self._save()
            return self._info(acc)

    def delete_account(self, account: str) -> None:
        with self._lock:
            a = self._get(account)
            if a.state is not ConnState.OFFLINE:
                raise E.from_exit_code(E.ERR_ACCOUNT_ACTIVE, account)
            del self._accounts[account]
            self._save()

    def simulate_server_cut(self, account: str | None = None) -> None:
        """The server's AutoDisconnect policy fires now (code 126): Offline, no retry."""
        with self._lock:
            for a in self._targets(account):
                if a.state is ConnState.CONNECTED:
                    self._end(a, SessionEnd(EndReason.SESSION_LIMIT, code=E.ERR_AUTO_DISCONNECTED,
                                            detail="session time limit", at=self.clock.now()))
            self._save()

    def simulate_network_loss(self, account: str | None = None) -> None:
        """Server gone / network down (code 13): the client keeps retrying, as SoftEther does."""
        with self._lock:
            for a in self._targets(account):
                if a.state is ConnState.CONNECTED:
                    a.state = ConnState.CONNECTING
                    a.established_since = None
                    a.end = SessionEnd(EndReason.LOST, code=E.ERR_TIMEOUTED, detail="time-out", at=self.clock.now())
            self._save()

    def simulate_network_restored(self, account: str | None = None) -> None:
        """A retrying client gets its session back (new established time)."""
        with self._lock:
            for a in self._targets(account):
                if a.state is ConnState.CONNECTING:
                    a.state = ConnState.CONNECTED
                    a.established_since = self.clock.now()
            self._save()

    # ----- internals ---------------------------------------------------------------------
    def _password_ok(self, password: str) -> bool:
        if self.valid_password is not None:
            return password == self.valid_password
        return bool(password) and not password.lower().startswith("wrong")

    def _check_service(self) -> None:
        if not self.service_running:
            raise E.from_exit_code(1)

    def _get(self, account: str) -> _Account:
        a = self._accounts.get(account)
        if a is None:
            raise E.from_exit_code(E.ERR_ACCOUNT_NOT_FOUND, account)
        return a

    def _targets(self, account: str | None) -> list[_Account]:
        return [self._get(account)] if account is not None else list(self._accounts.values())

    def _end(self, a: _Account, end: SessionEnd) -> None:
        a.state = ConnState.OFFLINE
        a.established_since = None
        a.end = end

    def _tick(self) -> None:
        """Apply the server-side session limit lazily, on the injected clock."""
        now = self.clock.now()
        changed = False
        for a in self._accounts.values():
            if a.state is ConnState.CONNECTED and a.established_since is not None:
                cut_at = a.established_since + timedelta(seconds=self.session_limit_s)
                if now >= cut_at:
                    self._end(a, SessionEnd(EndReason.SESSION_LIMIT, code=E.ERR_AUTO_DISCONNECTED,
                                            detail="session time limit", at=cut_at))
                    changed = True
        if changed:
            self._save()

    @staticmethod
    def _info(a: _Account) -> AccountInfo:
        return AccountInfo(name=a.name, state=a.state, server=a.server, hub=a.hub, nic=a.nic)

    def _save(self) -> None:
        if self._state_file is None:
            return
        data = {}
        for n, a in self._accounts.items():
            end = None
            if a.end is not None:
                end = {"reason": a.end.reason.value, "code": a.end.code, "detail": a.end.detail,
                       "at": a.end.at.isoformat() if a.end.at else None, "requested": a.end.requested}
            data[n] = {"server": a.server, "hub": a.hub, "nic": a.nic, "username": a.username,
                       "password_ok": a.password_ok, "state": a.state.value,
                       "established_since": a.established_since.isoformat() if a.established_since else None,
                       "end": end}
        self._state_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self._state_file)

    def _load(self) -> None:
        if self._state_file is None or not self._state_file.exists():
            return
        try:
            data = json.loads(self._state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        for n, d in data.items():
            end = None
            if d.get("end"):
                e = d["end"]
                end = SessionEnd(EndReason(e["reason"]), e.get("code"), e.get("detail", ""),
                                 datetime.fromisoformat(e["at"]) if e.get("at") else None, bool(e.get("requested")))
            acc = _Account(name=n, server=d.get("server", ""), hub=d.get("hub", ""), nic=d.get("nic", "VPN"),
                           username=d.get("username", ""), password_ok=d.get("password_ok"),
                           state=ConnState(d.get("state", "offline")),
                           established_since=datetime.fromisoformat(d["established_since"])
                           if d.get("established_since") else None, end=end)
            if acc.state is ConnState.CONNECTING and acc.end is None:
                acc = replace(acc, state=ConnState.OFFLINE)  # a connect() that died half-way
            self._accounts[n] = acc

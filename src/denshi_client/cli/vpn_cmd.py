"""CLI: `denshi-client vpn accounts|status|connect|disconnect|import` over the same drivers the app uses.

`--demo` (or DENSHI_VPN_DRIVER=standin) uses the stand-in, for demos and other teams' tests.
"""

from __future__ import annotations

import argparse
from typing import Any

from denshi_client import i18n
from denshi_client.cli.output import add_json_flag, emit, read_password_stdin
from denshi_client.vpn.model import AccountInfo, ConnState, VpnDriver, VpnStatus

_STATE_JA = {ConnState.OFFLINE: "未接続", ConnState.CONNECTING: "接続処理中", ConnState.CONNECTED: "接続中"}


def register(sub: argparse._SubParsersAction) -> None:
    common = argparse.ArgumentParser(add_help=False)
    add_json_flag(common)
    common.add_argument("--demo", action="store_true", help="use the stand-in driver (no SoftEther)")
    common.add_argument("--vpncmd", metavar="PATH", help="vpncmd to use (default: settings, then auto-detect)")

    p = sub.add_parser("vpn", help="VPN接続設定の一覧・接続・切断 / VPN accounts, connect, disconnect")
    vsub = p.add_subparsers(dest="vpn_command", metavar="ACTION")
    p.set_defaults(handler=lambda ns: (p.print_help(), 2)[1])

    a = vsub.add_parser("accounts", parents=[common], help="list VPN connection settings")
    a.set_defaults(handler=_accounts)
    s = vsub.add_parser("status", parents=[common], help="status of one account")
    s.add_argument("account")
    s.set_defaults(handler=_status)
    c = vsub.add_parser("connect", parents=[common], help="connect and wait until established")
    c.add_argument("account")
    c.add_argument("--timeout", type=float, default=30.0, help="seconds to wait (default 30)")
    c.set_defaults(handler=_connect)
    d = vsub.add_parser("disconnect", parents=[common], help="disconnect (no error when already offline)")
    d.add_argument("account")
    d.set_defaults(handler=_disconnect)
    i = vsub.add_parser("import", parents=[common], help="import the fund's .vpn file under a name")
    i.add_argument("file")
    i.add_argument("--name", required=True, help="account name to create or replace")
    i.add_argument("--username", help="VPN user name (if different from the file)")
    i.add_argument("--password-stdin", action="store_true", help="read the VPN password from standard input")
    i.set_defaults(handler=_import)


def _driver(ns: argparse.Namespace) -> VpnDriver:
    from denshi_client.services import vpn_driver

    return vpn_driver(demo=True if ns.demo else None, vpncmd_path=ns.vpncmd)


def _account_dict(a: AccountInfo) -> dict[str, Any]:
    return {"name": a.name, "state": a.state.value, "server": a.server, "hub": a.hub, "nic": a.nic}


def _status_dict(s: VpnStatus) -> dict[str, Any]:
    return {"account": s.account, "state": s.state.value,
            "established_since": s.established_since.isoformat() if s.established_since else None,
            "server": s.server, "detail": s.detail}


def _state_text(state: ConnState) -> str:
    return i18n.pick(_STATE_JA[state], state.value)


def _status_text(s: VpnStatus) -> str:
    line = f"{s.account}: {_state_text(s.state)}"
    if s.established_since:
        since = s.established_since.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        line += i18n.pick(f"（{since} から）", f" (since {since})")
    return line


def _accounts(ns: argparse.Namespace) -> int:
    accs = _driver(ns).list_accounts()
    if accs:
        text = "\n".join(f"{a.name}\t{_state_text(a.state)}\t{a.server}\t{a.hub}\t{a.nic}" for a in accs)
    else:
        text = i18n.pick("VPN接続設定はありません。", "No VPN connection settings.")
    emit({"ok": True, "accounts": [_account_dict(a) for a in accs]}, ns.json, text)
    return 0


_REASON_JA = {"by_us": "切断の操作による終了", "session_limit": "サーバーの接続時間の上限（90分）による切断",
              "lost": "サーバーとの通信が途絶えたための切断", "auth_failed": "認証の失敗（接続できませんでした）",
              "unknown": "不明"}
_REASON_EN = {"by_us": "disconnected on request", "session_limit": "the server's session limit (90 minutes)",
              "lost": "the connection to the server was lost", "auth_failed": "authentication failed",
              "unknown": "unknown"}


def _last_end(drv: VpnDriver, account: str) -> dict[str, Any] | None:
    """Why the account's last session ended (the SoftEther client log; the stand-in's own record)."""
    fn = getattr(drv, "last_end", None)
    end = fn(account) if callable(fn) else None
    if end is None:
        return None
    return {"reason": end.reason.value, "code": end.code, "detail": end.detail,
            "at": end.at.isoformat() if end.at else None}


def _status(ns: argparse.Namespace) -> int:
    drv = _driver(ns)
    st = drv.status(ns.account)
    data: dict[str, Any] = {"ok": True, **_status_dict(st)}
    text = _status_text(st)
    if st.state is ConnState.OFFLINE:
        end = _last_end(drv, ns.account)
        data["last_end"] = end
        if end is not None:
            at = ""
            if end["at"]:
                from datetime import datetime

                at = datetime.fromisoformat(end["at"]).astimezone().strftime("%Y-%m-%d %H:%M:%S")
            why_ja = _REASON_JA.get(end["reason"], end["reason"])
            why_en = _REASON_EN.get(end["reason"], end["reason"])
            code = f" (code {end['code']})" if end["code"] is not None else ""
            text += i18n.pick(f"\n  前回の接続: {at} に終了（{why_ja}{code}）",
                              f"\n  last session ended {at}: {why_en}{code}")
    emit(data, ns.json, text)
    return 0


def _connect(ns: argparse.Namespace) -> int:
    st = _driver(ns).connect(ns.account, timeout=ns.timeout)
    emit({"ok": True, **_status_dict(st)}, ns.json, _status_text(st))
    return 0


def _disconnect(ns: argparse.Namespace) -> int:
    _driver(ns).disconnect(ns.account)
    emit({"ok": True, "account": ns.account, "state": ConnState.OFFLINE.value}, ns.json,
         i18n.pick(f"{ns.account}: 切断しました。", f"{ns.account}: disconnected."))
    return 0


def _import(ns: argparse.Namespace) -> int:
    password = read_password_stdin() if ns.password_stdin else None
    drv = _driver(ns)
    info = drv.import_account(ns.file, ns.name)
    if password is not None:
        drv.set_password(ns.name, ns.username, password)
    elif ns.username:
        drv.set_username(ns.name, ns.username)  # type: ignore[attr-defined]  # both drivers have it
    emit({"ok": True, "account": _account_dict(info), "password_set": password is not None}, ns.json,
         i18n.pick(f"VPN接続設定「{info.name}」を取り込みました。",
                   f"Imported VPN connection setting \"{info.name}\"."))
    return 0

"""CLI: `denshi-client portal ...` — direct-mode transfers for IT and tests.

The session token between calls lives in the OS credential store (keyring: service "DenshiClient-portal",
user "cli:portal_session"), never in a file or argv; the OTP comes only on standard input.
Base URL and CA bundle come from `[service]` settings unless --base-url / --ca-bundle are given.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from denshi_client.cli.output import EXIT_OK, add_json_flag, emit, usable_folder
from denshi_client.clock import JST
from denshi_client.errors import DenshiError, ValidationError
from denshi_client.portal import errors as pe
from denshi_client.portal.client import HttpPortalClient, PortalSettings
from denshi_client.portal.model import InboxDocument, UploadReceipt
from denshi_client.redact import register_secret

KEYRING_SERVICE = "DenshiClient-portal"
_PROFILE, _KIND = "cli", "portal_session"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("portal", help="direct mode: OTP, login, inbox, download, upload, logout",
                       description="電子連携サービス（直接モード）の操作です。")
    add_json_flag(p)
    acts = p.add_subparsers(dest="action", metavar="ACTION")

    def cmd(name: str, help_: str) -> argparse.ArgumentParser:
        a = acts.add_parser(name, help=help_)
        # SUPPRESS: `portal --json inbox` and `portal inbox --json` both work (no default overriding the group's)
        a.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable JSON output")
        a.add_argument("--base-url", help="API base URL (default: [service] api_base_url)")
        a.add_argument("--ca-bundle", type=Path, help="CA certificate(s) to trust (default: [service] ca_bundle)")
        return a

    a = cmd("otp-request", "ask the service to e-mail a one-time password")
    a.add_argument("--user", required=True, help="user id")
    a.set_defaults(handler=_otp_request)
    a = cmd("login", "log in with user id and the OTP (read from stdin)")
    a.add_argument("--user", required=True, help="user id")
    a.add_argument("--otp-stdin", action="store_true", required=True, help="read the OTP from standard input")
    a.set_defaults(handler=_login)
    a = cmd("session", "show the current session (remaining time, establishments)")
    a.set_defaults(handler=_session)
    a = cmd("inbox", "list documents")
    a.add_argument("--establishment", help="only this establishment number")
    a.add_argument("--unread", action="store_true", help="only unread documents")
    a.set_defaults(handler=_inbox)
    a = cmd("download", "download documents by id (resumable, verified)")
    a.add_argument("ids", nargs="+", metavar="ID")
    a.add_argument("-d", "--dest", type=Path, required=True, help="destination folder")
    a.add_argument("--mark-read", action="store_true", help="mark each document read after download")
    a.set_defaults(handler=_download)
    a = cmd("upload", "upload a password ZIP (idempotent by --client-id)")
    a.add_argument("file", type=Path)
    a.add_argument("--form", required=True, help="form name (e.g. 資格取得届)")
    a.add_argument("--establishment", required=True, help="establishment number (4 digits)")
    a.add_argument("--client-id", help="idempotency id; reuse it to retry safely (default: new)")
    a.add_argument("--sha256", help="the file's SHA-256 if known (the service verifies it; no second hash pass)")
    a.set_defaults(handler=_upload)
    a = cmd("uploads", "upload history")
    a.set_defaults(handler=_uploads)
    a = cmd("logout", "log out and forget the stored session")
    a.set_defaults(handler=_logout)
    p.set_defaults(handler=lambda ns: (p.print_help(), 2)[1])


# ---- session token in the keyring ---------------------------------------------------------------------
def _store() -> Any:
    from denshi_client.store.secrets import SecretStore

    return SecretStore(service=KEYRING_SERVICE)


def _save_session(base_url: str, client: HttpPortalClient) -> None:
    s = client.session
    data = {"base_url": base_url, "token": client.token, "user_id": s.user_id if s else "",
            "expires_at": s.expires_at.isoformat() if s and s.expires_at else None}
    _store().set(_PROFILE, _KIND, json.dumps(data))


def _load_session(base_url: str) -> str | None:
    raw = _store().get(_PROFILE, _KIND)
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if data.get("base_url") != base_url:
        return None
    token = data.get("token")
    register_secret(token)
    return token if isinstance(token, str) else None


def _forget_session() -> None:
    _store().delete(_PROFILE, _KIND)


def _settings(ns: argparse.Namespace) -> PortalSettings:
    if ns.base_url:
        return PortalSettings(api_base_url=ns.base_url, ca_bundle=str(ns.ca_bundle) if ns.ca_bundle else None)
    from denshi_client.services import portal_settings

    s = portal_settings()
    if ns.ca_bundle:
        s = PortalSettings(api_base_url=s.api_base_url, ca_bundle=str(ns.ca_bundle))
    return s


def _client(ns: argparse.Namespace, *, logged_in: bool = True) -> tuple[HttpPortalClient, str]:
    s = _settings(ns)
    c = HttpPortalClient.from_settings(s)
    if logged_in:
        token = _load_session(c.base_url)
        if not token:
            c.close()
            raise pe.SessionExpired("ログインしていません。先に `denshi-client portal login` を実行してください。",
                                    "Not logged in. Run `denshi-client portal login` first.", code="unauthorized")
        c.token = token
    return c, c.base_url


def _doc_json(d: InboxDocument) -> dict[str, Any]:
    return {"id": d.id, "type": d.doc_type, "title": d.title, "establishment": d.establishment,
            "date": d.date.isoformat(), "size": d.size, "sha256": d.sha256, "file_name": d.file_name,
            "unread": d.unread}


def _receipt_json(r: UploadReceipt) -> dict[str, Any]:
    return {"server_id": r.server_id, "client_id": r.client_id, "received_size": r.received_size,
            "sha256": r.sha256, "received_at": r.received_at.isoformat() if isinstance(r.received_at, datetime)
            else str(r.received_at), "file_name": r.file_name, "form_name": r.form_name,
            "establishment": r.establishment}


# ---- handlers ---------------------------------------------------------------------------------------------
def _otp_request(ns: argparse.Namespace) -> int:
    c, _ = _client(ns, logged_in=False)
    with c:
        c.request_otp(ns.user)
    emit({"ok": True, "user_id": ns.user}, ns.json,
         f"ワンタイムパスワードの発行を依頼しました（{ns.user}）。メールをご確認ください。")
    return EXIT_OK


def _login(ns: argparse.Namespace) -> int:
    otp = sys.stdin.readline().strip()
    if not otp:
        raise ValidationError("標準入力からワンタイムパスワードを読み取れませんでした。",
                              "No one-time password was given on standard input.", code="no_otp")
    register_secret(otp)
    c, base = _client(ns, logged_in=False)
    with c:
        s = c.login(ns.user, otp)
        _save_session(base, c)
    data = {"ok": True, "user_id": s.user_id, "expires_at": s.expires_at.isoformat() if s.expires_at else None,
            "establishments": [{"number": n, "name": s.establishment_names.get(n, "")} for n in s.establishments]}
    emit(data, ns.json, f"ログインしました：{s.user_id}（事業所 {', '.join(s.establishments)}）"
         f" 有効期限 {s.expires_at.astimezone(JST):%H:%M}" if s.expires_at else "ログインしました")
    return EXIT_OK


def _session(ns: argparse.Namespace) -> int:
    c, _ = _client(ns)
    with c:
        s = c.current_session()
    data = {"ok": True, "user_id": s.user_id, "expires_at": s.expires_at.isoformat() if s.expires_at else None,
            "establishments": s.establishments}
    emit(data, ns.json, f"{s.user_id}: {', '.join(s.establishments)} (expires {s.expires_at})")
    return EXIT_OK


def _inbox(ns: argparse.Namespace) -> int:
    c, _ = _client(ns)
    with c:
        docs = c.inbox(establishment=ns.establishment, unread=True if ns.unread else None)
    lines = [f"{'*' if d.unread else ' '} {d.id}  {d.date}  {d.establishment}  {d.doc_type}  {d.title}  "
             f"({d.size:,} bytes)" for d in docs]
    emit({"ok": True, "documents": [_doc_json(d) for d in docs]}, ns.json, "\n".join(lines) or "（書類はありません）")
    return EXIT_OK


def _progress(json_mode: bool) -> Any:
    if json_mode or not sys.stderr.isatty():
        return None
    last = [-1]

    def cb(done: int, total: int) -> None:
        pct = done * 100 // total if total else 100
        if pct != last[0]:
            last[0] = pct
            sys.stderr.write(f"\r{pct:3d}% ({done:,}/{total:,})")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return cb


def _download(ns: argparse.Namespace) -> int:
    usable_folder(ns.dest)
    c, _ = _client(ns)
    out: list[dict[str, Any]] = []
    with c:
        docs = {d.id: d for d in c.inbox()}
        missing = [i for i in ns.ids if i not in docs]
        if missing:
            raise pe.NotFound(f"書類が見つかりません：{', '.join(missing)}",
                              f"No such document: {', '.join(missing)}")
        for i in ns.ids:
            try:
                path = c.download(docs[i], ns.dest, progress=_progress(ns.json))
            except OSError as e:  # a local file problem the client did not name: the same words as the client's
                from denshi_client.portal.download_files import save_error

                raise save_error(e, Path(ns.dest), docs[i].file_name or i) from None
            if ns.mark_read:
                c.mark_read(docs[i])
            out.append({"id": i, "path": str(path), "size": docs[i].size, "sha256": docs[i].sha256})
    emit({"ok": True, "downloads": out}, ns.json, "\n".join(f"{o['id']} -> {o['path']}" for o in out))
    return EXIT_OK


def _upload(ns: argparse.Namespace) -> int:
    if not ns.file.is_file():
        raise ValidationError(f"ファイルが見つかりません：{ns.file}", f"File not found: {ns.file}", code="no_file")
    c, _ = _client(ns)
    with c:
        r = c.upload(ns.file, form_name=ns.form, establishment=ns.establishment, client_id=ns.client_id,
                     progress=_progress(ns.json), sha256=ns.sha256)
    emit({"ok": True, "receipt": _receipt_json(r)}, ns.json,
         f"送信しました：{r.file_name}（受付番号 {r.server_id}、{r.received_size:,} bytes）")
    return EXIT_OK


def _uploads(ns: argparse.Namespace) -> int:
    c, _ = _client(ns)
    with c:
        rs = c.uploads()
    lines = [f"{r.received_at.astimezone(JST):%Y-%m-%d %H:%M}  {r.server_id}  {r.establishment}  {r.form_name}  "
             f"{r.file_name}" for r in rs]
    emit({"ok": True, "uploads": [_receipt_json(r) for r in rs]}, ns.json,
         "\n".join(lines) or "（送信履歴はありません）")
    return EXIT_OK


def _logout(ns: argparse.Namespace) -> int:
    s = _settings(ns)
    c = HttpPortalClient.from_settings(s)
    token = _load_session(c.base_url)
    with c:
        if token:
            c.token = token
            try:
                c.logout()
            except DenshiError:
                _forget_session()
                raise
    _forget_session()
    emit({"ok": True}, ns.json, "ログアウトしました。")
    return EXIT_OK

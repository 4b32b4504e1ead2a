"""The stand-in's web pages: the fund's service as its users see it in Chrome/Edge (browser mode).

Plain server-rendered HTML over the same state as the API (`StandInService`): the OTP request page
(outside the VPN in real life), the authentication page (user ID + OTP), the menu with ログアウト at the
top right, the notices with their password-ZIP downloads, the upload form and the 事業所情報 /
管理者情報 / 利用者情報 pages. A visitor is an HttpOnly cookie; every POST form carries a CSRF token
bound to it; everything shown is escaped. No JavaScript: the pages work as such portals work, so
the app's embedded page and the system browser both meet a realistic page.
"""

from __future__ import annotations

import hashlib
import html
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email.parser import BytesParser
from email.policy import HTTP
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

from denshi_client.clock import JST
from denshi_client.documents.forms import load_forms
from denshi_client.portal.standin.data import ESTABLISHMENTS, USERS

if TYPE_CHECKING:
    from denshi_client.portal.standin.server import StandInService, _Handler, _Session

WEB_PREFIX = "/web"
COOKIE = "DENSHI_SID"
LOGOUT_PATH = WEB_PREFIX + "/logout"
MAX_FORM = 64 * 1024
MAX_UPLOAD = 256 << 20  # a web form posts the whole file in one body


def _jst(stamp: str) -> str:
    """A record's ISO time as the fund's page shows it: Japan time, to the minute."""
    try:
        return datetime.fromisoformat(stamp).astimezone(JST).strftime("%Y/%m/%d %H:%M")
    except ValueError:
        return stamp[:16]


@dataclass
class _Visitor:
    csrf: str
    token: str | None = None  # the API session token once logged in
    flash: str = ""


@dataclass
class WebState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    visitors: dict[str, _Visitor] = field(default_factory=dict)


_STATE_LOCK = threading.Lock()


def _state(svc: StandInService) -> WebState:
    with _STATE_LOCK:
        st = getattr(svc, "_web_state", None)
        if st is None:
            st = WebState()
            svc._web_state = st  # type: ignore[attr-defined]
        return st


def e(s: object) -> str:
    return html.escape(str(s), quote=True)


_CSS = """
body{font-family:'Noto Sans CJK JP','Yu Gothic','Meiryo',sans-serif;margin:0;background:#f4f6f8;color:#222}
header{background:#1d4e89;color:#fff;display:flex;align-items:center;justify-content:space-between;padding:8px 16px}
header h1{font-size:18px;margin:0} header form{margin:0}
header button{background:#fff;color:#1d4e89;border:0;padding:6px 14px;border-radius:3px;cursor:pointer}
nav{background:#dfe7f1;padding:6px 16px} nav a{margin-right:18px;color:#1d4e89}
main{padding:16px 24px} table{border-collapse:collapse;background:#fff;min-width:720px}
th,td{border:1px solid #c8d0da;padding:6px 10px;text-align:left} th{background:#eef2f7}
.msg{background:#fff4d6;border:1px solid #e0c36b;padding:8px 12px;margin-bottom:12px}
.err{background:#fde2e2;border:1px solid #d77;padding:8px 12px;margin-bottom:12px}
.box{background:#fff;border:1px solid #c8d0da;padding:16px 24px;max-width:520px}
label{display:block;margin:10px 0 4px} input[type=text],select{font-size:16px;padding:4px;width:260px}
.new{color:#c00;font-weight:bold}
"""


class WebUi:
    """One request of the web pages; raises nothing at the handler (answers pages instead)."""

    def __init__(self, handler: _Handler, svc: StandInService) -> None:
        self.h = handler
        self.svc = svc
        self.state = _state(svc)
        self._set_cookie: str | None = None

    # ---- plumbing ----------------------------------------------------------------------------------
    def _visitor(self) -> tuple[str, _Visitor]:
        sid = None
        for part in (self.h.headers.get("Cookie") or "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == COOKIE:
                sid = v
        with self.state.lock:
            if sid and sid in self.state.visitors:
                return sid, self.state.visitors[sid]
            new_sid = secrets.token_urlsafe(24)
            visitor = _Visitor(csrf=secrets.token_urlsafe(24))
            self.state.visitors[new_sid] = visitor
        secure = "; Secure" if self.svc.tls else ""
        self._set_cookie = f"{COOKIE}={new_sid}; Path={WEB_PREFIX}; HttpOnly; SameSite=Lax{secure}"
        return new_sid, visitor

    def _send(self, status: int, body: str, *, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8")
        self.h.send_response(status)
        self.h.send_header("Content-Type", "text/html; charset=utf-8")
        self.h.send_header("Content-Length", str(len(data)))
        self.h.send_header("Cache-Control", "no-store")
        self.h.send_header("X-Frame-Options", "DENY")
        self.h.send_header("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'")
        if self._set_cookie:
            self.h.send_header("Set-Cookie", self._set_cookie)
        for k, v in (headers or {}).items():
            self.h.send_header(k, v)
        if self.h.close_connection:
            self.h.send_header("Connection", "close")
        self.h.end_headers()
        if self.h.command != "HEAD":
            self.h.wfile.write(data)

    def _redirect(self, where: str) -> None:
        self.h._drain()
        self._send(303, "", headers={"Location": where})

    def _page(self, title: str, content: str, v: _Visitor, *, status: int = 200, menu: bool = False) -> None:
        top = ""
        if menu:
            top = (f'<nav><a href="{WEB_PREFIX}/menu">メニュー</a><a href="{WEB_PREFIX}/notices">お知らせ一覧</a>'
                   f'<a href="{WEB_PREFIX}/upload">届書の送信</a><a href="{WEB_PREFIX}/establishment">事業所情報</a>'
                   f'<a href="{WEB_PREFIX}/admin">管理者情報</a><a href="{WEB_PREFIX}/users">利用者情報</a></nav>')
        logout = ""
        if menu:
            logout = (f'<form method="post" action="{LOGOUT_PATH}">{self._csrf_field(v)}'
                      '<button type="submit" id="logout">ログアウト</button></form>')
        flash = f'<div class="msg">{e(v.flash)}</div>' if v.flash else ""
        v.flash = ""
        self._send(status, f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>{e(title)}｜電子連携サービス</title>
<style>{_CSS}</style></head><body>
<header><h1>企業年金基金 電子連携サービス</h1>{logout}</header>{top}
<main><h2>{e(title)}</h2>{flash}{content}</main></body></html>""")

    def _csrf_field(self, v: _Visitor) -> str:
        return f'<input type="hidden" name="csrf" value="{e(v.csrf)}">'

    def _read_body(self, limit: int) -> bytes:
        if self.h._body_left is not None and self.h._body_left > limit:
            from denshi_client.portal.standin.server import ApiError

            self.h.close_connection = True
            raise ApiError(413, "too_large", "送信内容が大きすぎます。", "form too large")
        raw = bytearray()
        buf = memoryview(bytearray(65536))
        while n := self.h._read_body(buf):
            raw += buf[:n]
            if len(raw) > limit:
                from denshi_client.portal.standin.server import ApiError

                self.h.close_connection = True
                raise ApiError(413, "too_large", "送信内容が大きすぎます。", "form too large")
        return bytes(raw)

    def _form(self) -> dict[str, str]:
        q = parse_qs(self._read_body(MAX_FORM).decode("utf-8", "replace"), keep_blank_values=True)
        return {k: vals[0] for k, vals in q.items()}

    def _csrf_ok(self, v: _Visitor, given: str | None) -> bool:
        return bool(given) and secrets.compare_digest(v.csrf, given or "")

    def _session(self, v: _Visitor) -> _Session | None:
        """The logged-in API session, or None (expired or never): the caller sends to the login page."""
        from denshi_client.portal.standin.server import ApiError

        if v.token is None:
            return None
        try:
            return self.svc.session_for("Bearer " + v.token)
        except ApiError as ex:
            v.token = None
            v.flash = ("セッションの有効期限が切れました。もう一度ワンタイムパスワードを発行してログインしてください。"
                       if ex.code == "session_expired" else "ログインしてください。")
            return None

    # ---- routing -----------------------------------------------------------------------------------
    def handle(self, path: str) -> None:
        from denshi_client.portal.standin.server import ApiError

        _sid, v = self._visitor()
        m = self.h.command
        sub = path[len(WEB_PREFIX):].rstrip("/") or "/"
        try:
            if sub == "/" and m in ("GET", "HEAD"):
                return self._redirect(f"{WEB_PREFIX}/login")
            if sub == "/otp":
                return self._otp(v)
            if sub == "/login":
                return self._login(v)
            if sub == LOGOUT_PATH[len(WEB_PREFIX):] and m == "POST":
                return self._logout(v)
            if sub == "/logout/done" and m in ("GET", "HEAD"):
                return self._page("ログアウトしました", "<p>ログアウトしました。VPNを切断してください。</p>"
                                  f'<p><a href="{WEB_PREFIX}/login">認証ページへ</a></p>', v)
            s = self._session(v)
            if s is None:
                return self._redirect(f"{WEB_PREFIX}/login")
            self.svc.check_open()
            if sub == "/menu":
                return self._menu(v, s)
            if sub == "/notices":
                return self._notices(v, s)
            if sub.startswith("/notices/") and sub.endswith("/download") and m in ("GET", "HEAD"):
                rec = self.svc.doc_for(s, sub.split("/")[2])
                self.h._download(self.svc, rec)
                self.svc.mark_read(rec)
                return None
            if sub == "/upload":
                return self._upload(v, s)
            if sub in ("/establishment", "/admin", "/users"):
                return self._info(v, s, sub[1:])
            raise ApiError(404, "not_found", "ページが見つかりません。", "no such page")
        except ApiError as ex:
            if not self.h._body_consumed():
                self.h.close_connection = True
            back = f'<p><a href="{WEB_PREFIX}/menu">メニューへ戻る</a></p>' if v.token else ""
            return self._page("エラー", f'<div class="err">{e(ex.ja)}</div>{back}', v, status=ex.status,
                              menu=v.token is not None)

    # ---- pages -------------------------------------------------------------------------------------
    def _otp(self, v: _Visitor) -> None:
        from denshi_client.portal.standin.server import _USER_ID

        note = ""
        if self.h.command == "POST":
            f = self._form()
            if not self._csrf_ok(v, f.get("csrf")):
                return self._page("ワンタイムパスワード発行", '<div class="err">画面の有効期限が切れました。'
                                  "もう一度操作してください。</div>", v, status=403)
            uid = f.get("user_id", "").strip()
            if not _USER_ID.match(uid):
                note = '<div class="err">ユーザーIDを正しく入力してください。</div>'
            else:
                self.svc.request_otp(uid)
                note = ('<div class="msg">ワンタイムパスワードを登録メールアドレスへ送信しました。'
                        "メールが届いたらVPNに接続し、認証ページからログインしてください。</div>")
        self._page("ワンタイムパスワード発行", f"""{note}<div class="box">
<form method="post" action="{WEB_PREFIX}/otp">{self._csrf_field(v)}
<label for="user_id">ユーザーID</label><input type="text" id="user_id" name="user_id" autocomplete="username">
<p><button type="submit">ワンタイムパスワードを発行</button></p></form></div>""", v)

    def _login(self, v: _Visitor) -> None:
        from denshi_client.portal.standin.server import _OTP, _USER_ID, ApiError

        err = ""
        uid = ""
        if self.h.command == "POST":
            f = self._form()
            uid = f.get("user_id", "").strip()
            otp = f.get("otp", "").strip()
            if not self._csrf_ok(v, f.get("csrf")):
                err = "画面の有効期限が切れました。もう一度入力してください。"
            elif not _USER_ID.match(uid) or not _OTP.match(otp):
                err = "ユーザーIDまたはワンタイムパスワードが正しくありません。"
            else:
                try:
                    body = self.svc.login(uid, otp)
                except ApiError as ex:
                    err = ex.ja
                else:
                    with self.state.lock:
                        v.token = body["token"]
                        v.csrf = secrets.token_urlsafe(24)  # a new token after login
                    return self._redirect(f"{WEB_PREFIX}/menu")
        box = f'<div class="err" id="error">{e(err)}</div>' if err else ""
        self._page("認証", f"""{box}<div class="box">
<form method="post" action="{WEB_PREFIX}/login" id="login-form">{self._csrf_field(v)}
<label for="user_id">ユーザーID</label>
<input type="text" id="user_id" name="user_id" value="{e(uid)}" autocomplete="username">
<label for="otp">ワンタイムパスワード</label>
<input type="text" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" maxlength="6">
<p><button type="submit" id="login">ログイン</button></p></form>
<p><a href="{WEB_PREFIX}/otp">ワンタイムパスワードの発行はこちら</a></p></div>""", v,
                   status=401 if err else 200)

    def _logout(self, v: _Visitor) -> None:
        f = self._form()
        if not self._csrf_ok(v, f.get("csrf")):
            return self._page("エラー", '<div class="err">画面の有効期限が切れました。</div>', v, status=403)
        if v.token is not None:
            s = self._session(v)
            if s is not None:
                self.svc.logout(s)
        v.token = None
        v.flash = ""
        return self._redirect(f"{WEB_PREFIX}/logout/done")

    def _menu(self, v: _Visitor, s: _Session) -> None:
        user = USERS[s.user_id]
        unread = sum(1 for d in self.svc._docs.listing(list(user.establishments)) if d.unread)
        self._page("メニュー", f"""<p>{e(s.user_id)} さん、ようこそ。未読のお知らせが {unread} 件あります。</p>
<ul><li><a href="{WEB_PREFIX}/notices">お知らせ一覧（決定通知書・掛金の計算書・納入告知書）</a></li>
<li><a href="{WEB_PREFIX}/upload">届書の送信</a></li>
<li><a href="{WEB_PREFIX}/establishment">事業所情報</a></li><li><a href="{WEB_PREFIX}/admin">管理者情報</a></li>
<li><a href="{WEB_PREFIX}/users">利用者情報</a></li></ul>""", v, menu=True)

    def _notices(self, v: _Visitor, s: _Session) -> None:
        docs = self.svc._docs.listing(list(self.svc.establishments_of(s)))
        rows = "".join(
            f'<tr><td>{"<span class=new>新着</span>" if d.unread else ""}</td><td>{e(d.date)}</td>'
            f"<td>{e(d.establishment)}</td><td>{e(d.doc_type)}</td><td>{e(d.title)}</td>"
            f'<td><a class="download" href="{WEB_PREFIX}/notices/{quote(d.id, safe="")}/download">'
            f"{e(d.file_name)}</a></td><td>{d.size:,}</td></tr>" for d in docs)
        self._page("お知らせ一覧", f"""<p>ファイルはパスワード付きZIPです。
 パスワードは別途メールでお知らせしています。</p>
<table id="notices"><tr><th></th><th>日付</th><th>事業所番号</th><th>種類</th><th>件名</th><th>ファイル</th>
<th>サイズ</th></tr>{rows}</table>""", v, menu=True)

    def _upload(self, v: _Visitor, s: _Session) -> None:
        from denshi_client.portal.standin.server import _BAD_NAME, ApiError, UploadRecord

        ests = self.svc.establishments_of(s)
        note = ""
        if self.h.command == "POST":
            ctype = self.h.headers.get("Content-Type", "")
            if not ctype.lower().startswith("multipart/form-data"):
                raise ApiError(415, "unsupported_media_type", "送信形式が正しくありません。", "multipart expected")
            raw = self._read_body(MAX_UPLOAD)
            msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + raw)
            fields: dict[str, str] = {}
            file_name, data = "", b""
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                got = part.get_payload(decode=True)
                payload = got if isinstance(got, bytes) else b""
                if name == "file":
                    file_name = part.get_filename() or ""
                    data = payload
                elif isinstance(name, str):
                    fields[name] = payload.decode("utf-8", "replace")
            if not self._csrf_ok(v, fields.get("csrf")):
                raise ApiError(403, "csrf", "画面の有効期限が切れました。もう一度操作してください。", "csrf")
            form = fields.get("form_name", "")
            est = fields.get("establishment", "")
            if est not in ests:
                raise ApiError(403, "forbidden", "この事業所番号では送信できません。", "establishment")
            if not form or not file_name or not data or _BAD_NAME.search(file_name) or _BAD_NAME.search(form):
                note = '<div class="err">ファイルと届書の種類を選択してください。</div>'
            else:
                server_id = "U" + uuid.uuid4().hex[:20]
                rel = f"staging/{server_id}.part"
                (self.svc._up_dir / rel).write_bytes(data)
                rec = UploadRecord(server_id=server_id, client_id="web-" + uuid.uuid4().hex, user_id=s.user_id,
                                   status="staged", received_size=len(data),
                                   sha256=hashlib.sha256(data).hexdigest(),
                                   received_at=self.svc.clock.now().isoformat(), file_name=file_name,
                                   form_name=form, establishment=est, path=rel)
                self.svc.stage(rec)
                self.svc.commit(rec)
                note = (f'<div class="msg" id="receipt">「{e(file_name)}」（{e(form)}）を受け付けました。'
                        f"受付番号：{e(server_id)}</div>")
        options = "".join(f"<option>{e(n)}</option>" for n in load_forms().upload_names())
        est_opts = "".join(f'<option value="{e(n)}">{e(n)} {e(ESTABLISHMENTS[n].name)}</option>' for n in ests)
        mine = [r for r in self.svc.upload_records() if r.user_id == s.user_id and r.status == "received"]
        mine.sort(key=lambda r: r.received_at, reverse=True)
        rows = "".join(f"<tr><td>{e(_jst(r.received_at))}</td><td>{e(r.establishment)}</td><td>{e(r.form_name)}</td>"
                       f"<td>{e(r.file_name)}</td><td>{e(r.server_id)}</td></tr>" for r in mine[:20])
        self._page("届書の送信", f"""{note}<div class="box">
<form method="post" action="{WEB_PREFIX}/upload" enctype="multipart/form-data" id="upload-form">
{self._csrf_field(v)}
<label for="establishment">事業所</label><select id="establishment" name="establishment">{est_opts}</select>
<label for="form_name">届書の種類</label><select id="form_name" name="form_name">{options}</select>
<label for="file">ファイル（パスワード付きZIP）</label><input type="file" id="file" name="file" accept=".zip">
<p><button type="submit" id="send">送信</button></p></form></div>
<h3>送信履歴</h3><table id="sent"><tr><th>受付日時</th><th>事業所</th><th>届書</th><th>ファイル</th>
<th>受付番号</th></tr>{rows}</table>""", v, menu=True)

    def _info(self, v: _Visitor, s: _Session, which: str) -> None:
        user = USERS[s.user_id]
        if which == "establishment":
            rows = "".join(f"<tr><td>{e(n)}</td><td>{e(ESTABLISHMENTS[n].name)}</td></tr>"
                           for n in user.establishments)
            self._page("事業所情報", f"<table><tr><th>事業所番号</th><th>事業所名</th></tr>{rows}</table>", v,
                       menu=True)
        elif which == "admin":
            self._page("管理者情報", f"""<table><tr><th>管理者ユーザーID</th><td>{e(user.user_id)}</td></tr>
<tr><th>メールアドレス</th><td>{e(user.email)}</td></tr>
<tr><th>管理する事業所</th><td>{e("、".join(user.establishments))}</td></tr></table>""", v, menu=True)
        else:
            rows = "".join(f"<tr><td>{e(u.user_id)}</td><td>{e(u.email)}</td>"
                           f"<td>{e('、'.join(u.establishments))}</td></tr>"
                           for u in USERS.values() if set(u.establishments) & set(user.establishments))
            self._page("利用者情報", "<table><tr><th>ユーザーID</th><th>メールアドレス</th><th>事業所</th></tr>"
                       f"{rows}</table><p>PCの追加登録は基金の案内に従ってください。</p>", v, menu=True)


def handle(handler: Any, svc: StandInService, path: str) -> None:
    WebUi(handler, svc).handle(path)

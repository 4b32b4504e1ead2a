"""Japanese OTP mails built byte by byte, as real mailers send them (for the tests and the benchmark)."""

from __future__ import annotations

import base64
import quopri
from datetime import datetime
from email.utils import format_datetime, make_msgid

FUND = "otp@denshi.example.jp"
FUND_NAME = "電子連携サービス"
SUBJECT = "【電子連携サービス】ワンタイムパスワードのお知らせ"

_CODECS = {"iso-2022-jp": "iso2022_jp", "shift_jis": "cp932", "utf-8": "utf-8"}


def body_text(code: str, *, full_width: bool = False) -> str:
    shown = code.translate(str.maketrans("0123456789", "０１２３４５６７８９")) if full_width else code
    return ("株式会社サンプル 御中\r\n\r\n"
            "電子連携サービスのログインに必要なワンタイムパスワードをお知らせします。\r\n\r\n"
            f"ワンタイムパスワード：{shown}\r\n"
            "有効期限：2026年12月02日 10:30（日本時間）\r\n\r\n"
            "お問い合わせ：03-1234-5678（平日 9:00から17:00まで）\r\n")


def html_body(code: str, *, full_width: bool = False) -> str:
    shown = code.translate(str.maketrans("0123456789", "０１２３４５６７８９")) if full_width else code
    return ("<html><head><style>p{color:#333}</style><title>OTP 999999</title></head><body>"
            "<p>株式会社サンプル&nbsp;御中</p><p>ワンタイムパスワードをお知らせします。</p>"
            f"<table><tr><td>ワンタイムパスワード</td><td><b>{shown}</b></td></tr>"
            "<tr><td>有効期限</td><td>2026年12月02日&nbsp;10:30</td></tr></table>"
            "<p>お問い合わせ&#65306;03-1234-5678</p></body></html>")


def encoded_word(text: str, charset: str, enc: str = "B") -> str:
    data = text.encode(_CODECS[charset])
    if enc == "B":
        return f"=?{charset.upper()}?B?{base64.b64encode(data).decode()}?="
    q = "".join(chr(b) if chr(b).isalnum() and b < 128 else "_" if b == 32 else f"={b:02X}" for b in data)
    return f"=?{charset.upper()}?Q?{q}?="


def _encode(text: str, charset: str, cte: str) -> bytes:
    data = text.encode(_CODECS[charset])
    if cte == "base64":
        return base64.encodebytes(data).replace(b"\n", b"\r\n")
    if cte == "quoted-printable":
        return quopri.encodestring(data).replace(b"\n", b"\r\n")
    return data


def _part(ctype: str, text: str, charset: str, cte: str) -> bytes:
    return (f"Content-Type: {ctype}; charset=\"{charset}\"\r\nContent-Transfer-Encoding: {cte}\r\n\r\n"
            .encode() + _encode(text, charset, cte))


def make_mail(code: str, *, sender: str = FUND, sender_name: str = FUND_NAME, subject: str = SUBJECT,
              charset: str = "utf-8", cte: str = "base64", kind: str = "plain", date: datetime | None = None,
              full_width: bool = False, header_enc: str = "B", raw_subject: bool = False,
              text: str | None = None) -> bytes:
    """kind: plain | html | alternative. raw_subject: unencoded 8-bit subject in the body's charset."""
    hdr_cs = "iso-2022-jp" if charset == "iso-2022-jp" else charset
    if raw_subject:
        subj_bytes = subject.encode(_CODECS[charset])
    else:
        subj_bytes = encoded_word(subject, hdr_cs, header_enc).encode()
    head = [
        f"From: {encoded_word(sender_name, hdr_cs, header_enc)} <{sender}>".encode(),
        b"To: keiri@example.co.jp",
        b"Subject: " + subj_bytes,
        f"Date: {format_datetime(date) if date else 'Wed, 02 Dec 2026 10:00:00 +0900'}".encode(),
        f"Message-ID: {make_msgid(domain='denshi.example.jp')}".encode(),
        b"MIME-Version: 1.0",
    ]
    plain = text if text is not None else body_text(code, full_width=full_width)
    if kind == "plain":
        return b"\r\n".join(head) + b"\r\n" + _part("text/plain", plain, charset, cte)
    if kind == "html":
        return b"\r\n".join(head) + b"\r\n" + _part("text/html", html_body(code, full_width=full_width), charset, cte)
    boundary = "=_denshi_boundary_42"
    head.append(f'Content-Type: multipart/alternative; boundary="{boundary}"'.encode())
    parts = [_part("text/plain", plain, charset, cte), _part("text/html", html_body(code, full_width=full_width),
                                                              charset, cte)]
    body = b"This is a multi-part message in MIME format.\r\n"
    for p in parts:
        body += f"--{boundary}\r\n".encode() + p + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def make_decoy(*, sender: str = "news@shop.example.com", date: datetime | None = None) -> bytes:
    """Another sender's mail full of digits (an order number, a phone number, a six-digit code)."""
    text = ("ご注文ありがとうございます。\r\n注文番号：987654\r\n確認コード：246810\r\n"
            "お問い合わせ：0120-123-456\r\n")
    return make_mail("000000", sender=sender, sender_name="サンプル通販", subject="ご注文確認（確認コード 246810）",
                     text=text, date=date)

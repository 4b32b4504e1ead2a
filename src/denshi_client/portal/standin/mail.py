"""The stand-in's "e-mail": OTP messages written as .eml files into an outbox folder.

Each message is also delivered into the Maildir `<outbox>/Maildir` (tmp/, then new/), which demo mode
reads through the same mail-source interface as a real mailbox (denshi_client.mail.MaildirSource).
Only the path is logged, never the OTP.
"""

from __future__ import annotations

import email
import email.policy
import logging
import os
import re
import time
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from denshi_client.clock import JST

log = logging.getLogger(__name__)

SENDER_ADDRESS = "no-reply@standin.invalid"
SENDER = f"電子連携サービス <{SENDER_ADDRESS}>"
SUBJECT = "【電子連携サービス】ワンタイムパスワードのお知らせ"
_OTP_RE = re.compile(r"ワンタイムパスワード[:：]\s*([0-9]{6})")


def write_otp_mail(outbox: Path, *, user_id: str, to_addr: str, otp: str, expires_at: datetime,
                   sent_at: datetime) -> Path:
    """Write one RFC 5322 message (UTF-8 body, MIME-encoded Japanese subject). Returns its path."""
    outbox.mkdir(parents=True, exist_ok=True)
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = SENDER
    msg["To"] = to_addr
    msg["Subject"] = SUBJECT
    msg["Date"] = format_datetime(sent_at.astimezone(JST))
    msg["Message-ID"] = make_msgid(domain="standin.invalid")
    msg["X-Denshi-User-Id"] = user_id
    exp = expires_at.astimezone(JST).strftime("%Y年%m月%d日 %H:%M")
    msg.set_content(
        f"{user_id} 様\n\n"
        "電子連携サービスのログインに必要なワンタイムパスワードをお知らせします。\n\n"
        f"ワンタイムパスワード：{otp}\n"
        f"有効期限：{exp}（日本時間）\n\n"
        "このパスワードは一度だけ使用できます。お心当たりのない場合は、このメールを破棄してください。\n\n"
        "※このメールは送信専用です（スタンドイン・サービスによる模擬メール）。\n",
        charset="utf-8",
    )
    stamp = sent_at.astimezone(JST).strftime("%Y%m%d-%H%M%S")
    safe_user = re.sub(r"[^A-Za-z0-9._-]", "_", user_id)
    path = outbox / f"{stamp}-{safe_user}-{os.urandom(3).hex()}.eml"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(msg.as_bytes())
    os.replace(tmp, path)
    from denshi_client.mail.maildir import deliver

    deliver(maildir_of(outbox), msg.as_bytes(), f"{time.time_ns()}.{os.getpid()}_{os.urandom(3).hex()}.standin")
    log.info("stand-in: OTP mail for %s written to %s", user_id, path)
    return path


def maildir_of(outbox: Path) -> Path:
    """The Maildir the stand-in delivers its OTP mail into."""
    return outbox / "Maildir"


def read_otp(path: Path) -> str:
    """The OTP in one .eml written by `write_otp_mail`."""
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = msg.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""  # type: ignore[union-attr]
    m = _OTP_RE.search(text)
    if not m:
        raise ValueError(f"no OTP in {path.name}")
    return m.group(1)


def latest_otp_mail(outbox: Path, user_id: str | None = None) -> Path | None:
    """The newest OTP message (optionally for one user)."""
    if not outbox.is_dir():
        return None
    best: tuple[float, Path] | None = None
    for p in outbox.glob("*.eml"):
        if user_id is not None:
            msg = email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            if msg.get("X-Denshi-User-Id") != user_id:
                continue
        key = (p.stat().st_mtime_ns, p)
        if best is None or key > (best[0], best[1]):
            best = (key[0], p)
    return best[1] if best else None


def latest_otp(outbox: Path, user_id: str | None = None) -> str | None:
    p = latest_otp_mail(outbox, user_id)
    return read_otp(p) if p else None

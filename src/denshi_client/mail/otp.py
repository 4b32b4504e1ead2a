"""Waiting for the fund's OTP mail: fetch, recognise, wait, until a deadline on the injected clock."""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from denshi_client.clock import Clock, SystemClock
from denshi_client.mail.errors import OtpTimeout
from denshi_client.mail.recognise import OtpHit, OtpRule, find_otp
from denshi_client.mail.source import MailSource

log = logging.getLogger(__name__)


def wait_for_otp(source: MailSource, rule: OtpRule, since: datetime, timeout: float, *,
                 clock: Clock | None = None, cancel: threading.Event | None = None) -> OtpHit:
    """The newest OTP mail at or after `since`; OtpTimeout after `timeout` seconds (never a code in it).

    `cancel` ends the wait early (the user typed the code); that also raises OtpTimeout.
    """
    clock = clock or SystemClock()
    deadline = clock.monotonic() + timeout
    source.connect()
    try:
        while True:
            hit = find_otp(source.fetch_since(since), rule, since)
            if hit is not None:
                log.info("mail: OTP mail found (from %s, received %s)", hit.from_addr, hit.received_at.isoformat())
                return hit
            remaining = deadline - clock.monotonic()
            if remaining <= 0 or (cancel is not None and cancel.is_set()):
                break
            source.wait(min(remaining, 5.0) if cancel is not None else remaining)
            if cancel is not None and cancel.is_set():
                break
    finally:
        source.close()
    log.info("mail: no OTP mail within %.0f s", timeout)
    raise OtpTimeout(
        f"{timeout:.0f} 秒待ちましたが、基金からのワンタイムパスワードのメールが届きませんでした。",
        f"No one-time password mail from the fund arrived within {timeout:.0f} seconds.",
        hint_ja="受信箱にメールが届いているか、送信元アドレス（otp_mail.sender）と件名（otp_mail.subject_contains）"
                "の設定が合っているかご確認ください。コードは手で入力することもできます。",
        hint_en="Check that the mail reached your inbox and that otp_mail.sender / otp_mail.subject_contains match "
                "it. You can always type the code yourself.")

"""POP3 with poplib: every poll is a fresh session (a POP3 session never sees new mail), and mail stays.

No DELE is ever sent and messages are read with TOP rather than RETR, which servers such as Dovecot
treat as reading (\\Seen). POP3 has no arrival time: a message whose UIDL first shows up after our first
session arrived after it (time = when we first saw it); for the ones already there, the newest Received
header, else the Date header, tells.
"""

from __future__ import annotations

import contextlib
import logging
import poplib
import ssl
from datetime import datetime, timedelta

from denshi_client.clock import Clock, SystemClock
from denshi_client.mail.errors import MailError
from denshi_client.mail.recognise import RawMail, received_date, since_floor
from denshi_client.mail.source import MailAccount, Sleeper, real_sleep
from denshi_client.mail.tls import connection_error, login_error, make_context

log = logging.getLogger(__name__)

MAX_MESSAGES = 50  # the newest 50 are plenty for a mail sent a minute ago
WHOLE = 10_000_000  # TOP n WHOLE = the whole message without RETR
SLACK = timedelta(days=1)  # stop scanning below mail a day older than `since`


class Pop3Source:
    idling = False

    def __init__(self, account: MailAccount, password: str, *, poll_seconds: float = 15.0,
                 sleep: Sleeper = real_sleep, clock: Clock | None = None):
        self.account = account
        self._clock = clock or SystemClock()
        self._seen_first: set[str] | None = None  # UIDLs present at the first session
        self._password = password
        self.poll_seconds = poll_seconds
        self._sleep = sleep
        self._cache: dict[str, RawMail] = {}

    def __repr__(self) -> str:
        return f"Pop3Source({self.account.describe()})"

    @property
    def _where(self) -> str:
        return f"{self.account.host}:{self.account.effective_port}"

    def _session(self) -> poplib.POP3:
        a = self.account
        ctx = make_context(a.ca_bundle)
        try:
            if a.security == "ssl":
                p: poplib.POP3 = poplib.POP3_SSL(a.host, a.effective_port, timeout=a.timeout, context=ctx)
            else:
                p = poplib.POP3(a.host, a.effective_port, timeout=a.timeout)
        except (OSError, ssl.SSLError) as e:
            raise connection_error(e, self._where) from None
        try:
            if a.security == "starttls":
                try:
                    p.stls(context=ctx)
                except poplib.error_proto:
                    raise MailError(
                        f"メールサーバー {self._where} は STLS に対応していないため、"
                        "パスワードを送らずに中止しました。",
                        f"The mail server {self._where} does not offer STLS; stopped without sending the password.",
                        code="mail_no_starttls", hint_ja="接続方式を ssl（ポート 995）にしてお試しください。",
                        hint_en="Try --security ssl (port 995).") from None
            try:
                p.user(a.user)
                p.pass_(self._password)
            except poplib.error_proto:
                raise login_error(self._where) from None
        except MailError:
            _quiet_quit(p)
            raise
        except (OSError, ssl.SSLError) as e:
            _quiet_quit(p)
            raise connection_error(e, self._where) from None
        return p

    def connect(self) -> None:
        """Check that we can log in (POP3 has nothing to keep open between polls)."""
        _quiet_quit(self._session())
        log.info("mail: POP3 login to %s works", self._where)

    def fetch_since(self, since: datetime) -> list[RawMail]:
        floor = since_floor(since)
        p = self._session()
        out: list[RawMail] = []
        try:
            _, listing, _ = p.uidl()
            entries: list[tuple[int, str]] = []
            for line in listing:
                num_txt, _, uid = line.decode("ascii", "replace").partition(" ")
                entries.append((int(num_txt), uid.strip()))
            first = self._seen_first is None
            if self._seen_first is None:
                self._seen_first = {uid for _, uid in entries}
            seen_at = self._clock.now()
            for num, uid in reversed(entries[-MAX_MESSAGES:]):
                mail = self._cache.get(uid)
                if mail is None and not first and uid not in self._seen_first:
                    _, lines, _ = p.top(num, WHOLE)  # new since our first look: it arrived after that
                    mail = RawMail(seen_at, b"\r\n".join(lines) + b"\r\n", f"pop3:{uid}")
                    self._cache[uid] = mail
                if mail is None:
                    _, head, _ = p.top(num, 0)
                    when = received_date(b"\r\n".join(head))
                    if when is None:
                        continue
                    if when < floor - SLACK:
                        break  # everything below arrived earlier still
                    if when < floor:
                        continue
                    _, lines, _ = p.top(num, WHOLE)
                    mail = RawMail(when, b"\r\n".join(lines) + b"\r\n", f"pop3:{uid}")
                    self._cache[uid] = mail
                if mail.received_at >= floor:
                    out.append(mail)
        except poplib.error_proto as e:  # the server's own words help IT; they hold no secret of ours
            said = (e.args[0] if e.args and isinstance(e.args[0], bytes) else b"").decode("utf-8", "replace")[:120]
            raise MailError(f"メールサーバー {self._where} がメールの読み出しを拒みました（{said}）。",
                            f"The mail server {self._where} refused to give the mail ({said}).",
                            code="mail_server") from None
        except (OSError, ssl.SSLError) as e:
            raise connection_error(e, self._where) from None
        finally:
            _quiet_quit(p)
        return out

    def wait(self, seconds: float) -> None:
        self._sleep(max(0.0, min(seconds, self.poll_seconds)))

    def close(self) -> None:
        pass


def _quiet_quit(p: poplib.POP3) -> None:
    try:
        p.quit()  # QUIT without DELE: the server keeps every message
    except Exception:
        with contextlib.suppress(Exception):
            p.close()

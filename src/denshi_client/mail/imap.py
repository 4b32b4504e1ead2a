"""IMAP with IMAPClient: EXAMINE (read-only) and BODY.PEEK, so nothing is ever marked or moved.

IDLE where the server offers it, so a new mail wakes us at once; otherwise NOOP after one poll interval.
Bodies already fetched are kept by UID so a poll costs one SEARCH and one small FETCH.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
from datetime import UTC, datetime, timedelta
from typing import Any

from denshi_client.mail.errors import MailError
from denshi_client.mail.recognise import RawMail, since_floor
from denshi_client.mail.source import MailAccount, Sleeper, real_sleep
from denshi_client.mail.tls import connection_error, login_error, make_context

log = logging.getLogger(__name__)

MAX_IDLE_SECONDS = 300.0  # re-issue IDLE well before the 29-minute limit of RFC 2177
MAX_MESSAGES = 200  # never fetch more than the newest 200 candidates


class ImapSource:
    def __init__(self, account: MailAccount, password: str, *, poll_seconds: float = 15.0,
                 use_idle: bool = True, sleep: Sleeper = real_sleep):
        self.account = account
        self._password = password
        self.poll_seconds = poll_seconds
        self.use_idle = use_idle
        self._sleep = sleep
        self._client: Any = None
        self._cache: dict[int, RawMail] = {}
        self.idle_supported = False

    def __repr__(self) -> str:
        return f"ImapSource({self.account.describe()})"

    @property
    def idling(self) -> bool:
        return self.use_idle and self.idle_supported

    def connect(self) -> None:
        import imapclient
        import imapclient.exceptions as ie

        a = self.account
        where = f"{a.host}:{a.effective_port}"
        ctx = make_context(a.ca_bundle)
        try:
            client = imapclient.IMAPClient(a.host, port=a.effective_port, ssl=a.security == "ssl",
                                           ssl_context=ctx, timeout=a.timeout)
        except (OSError, ssl.SSLError) as e:
            raise connection_error(e, where) from None
        try:
            if a.security == "starttls":
                try:
                    client.starttls(ctx)
                except (ie.CapabilityError, ie.IMAPClientAbortError, ie.IMAPClientError):
                    raise MailError(
                        f"メールサーバー {where} は STARTTLS に対応していないため、パスワードを送らずに中止しました。",
                        f"The mail server {where} does not offer STARTTLS; stopped without sending the password.",
                        code="mail_no_starttls", hint_ja="接続方式を ssl（ポート 993）にしてお試しください。",
                        hint_en="Try --security ssl (port 993).") from None
            try:
                client.login(a.user, self._password)
            except ie.LoginError:
                raise login_error(where) from None
            client.normalise_times = False  # aware INTERNALDATEs
            try:
                client.select_folder(a.folder, readonly=True)
            except ie.IMAPClientError:
                raise MailError(f"フォルダー「{a.folder}」を開けませんでした。",
                                f"The folder “{a.folder}” could not be opened.", code="mail_folder",
                                hint_ja="`--folder` の名前を確認してください（通常は INBOX）。",
                                hint_en="Check --folder (usually INBOX).") from None
            self.idle_supported = client.has_capability("IDLE")
        except MailError:
            _quiet_logout(client)
            raise
        except (OSError, ssl.SSLError) as e:
            _quiet_logout(client)
            raise connection_error(e, where) from None
        self._client = client
        log.info("mail: IMAP logged in to %s (IDLE %s)", where, "yes" if self.idle_supported else "no")

    def _need(self) -> Any:
        if self._client is None:
            self.connect()
        return self._client

    def fetch_since(self, since: datetime) -> list[RawMail]:
        import imapclient.exceptions as ie

        c = self._need()
        floor = since_floor(since)
        try:
            # SINCE has day granularity and the server's time zone: ask a day early, filter exactly.
            day = (floor.astimezone(UTC) - timedelta(days=1)).date()
            uids = sorted(c.search(["SINCE", day]))[-MAX_MESSAGES:]
            if not uids:
                return []
            dates = c.fetch(uids, ["INTERNALDATE"])
            fresh = [u for u in uids if _aware(dates.get(u, {}).get(b"INTERNALDATE")) >= floor]
            missing = [u for u in fresh if u not in self._cache]
            if missing:
                for uid, data in c.fetch(missing, ["INTERNALDATE", "BODY.PEEK[]"]).items():
                    raw = data.get(b"BODY[]") or b""
                    self._cache[uid] = RawMail(_aware(data.get(b"INTERNALDATE")), bytes(raw), f"imap:{uid}")
        except (OSError, ssl.SSLError, ie.IMAPClientError) as e:
            self.close()
            raise connection_error(e, f"{self.account.host}:{self.account.effective_port}") from None
        return [self._cache[u] for u in fresh if u in self._cache]

    def wait(self, seconds: float) -> None:
        import imapclient.exceptions as ie

        c = self._need()
        try:
            if self.idling:
                c.idle()
                try:
                    c.idle_check(timeout=max(0.05, min(seconds, MAX_IDLE_SECONDS)))
                finally:
                    c.idle_done()
            else:
                self._sleep(max(0.0, min(seconds, self.poll_seconds)))
                c.noop()
        except (OSError, ssl.SSLError, ie.IMAPClientError) as e:
            self.close()
            raise connection_error(e, f"{self.account.host}:{self.account.effective_port}") from None

    def close(self) -> None:
        c, self._client = self._client, None
        if c is not None:
            _quiet_logout(c)


def _aware(d: Any) -> datetime:
    if not isinstance(d, datetime):
        return datetime.min.replace(tzinfo=UTC)
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _quiet_logout(client: Any) -> None:
    try:
        client.logout()
    except Exception:  # already broken: nothing more to say
        with contextlib.suppress(Exception):
            client.shutdown()

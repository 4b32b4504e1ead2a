"""One small interface over every mailbox: IMAP, POP3 and the demo's Maildir.

A source logs in once (`connect`), lists what arrived since a moment (`fetch_since`) without marking
or deleting anything, and can block until something may have changed (`wait`: IMAP IDLE where the
server offers it, otherwise a sleep of one poll interval on the injected clock).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from denshi_client.mail.recognise import RawMail

DEFAULT_PORTS = {("imap", "ssl"): 993, ("imap", "starttls"): 143, ("pop3", "ssl"): 995, ("pop3", "starttls"): 110}


@dataclass(frozen=True)
class MailAccount:
    """Where the mailbox is; the password is passed separately and never kept in this object."""

    protocol: str  # imap | pop3
    host: str
    user: str
    port: int = 0  # 0 = the protocol's standard port for the security chosen
    security: str = "ssl"  # ssl (implicit TLS) | starttls
    ca_bundle: str = ""  # extra CA file; empty = the system's trust store
    folder: str = "INBOX"
    timeout: float = 20.0

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[(self.protocol, self.security)]

    def describe(self) -> str:
        return f"{self.protocol}://{self.user}@{self.host}:{self.effective_port} ({self.security})"


class MailSource(Protocol):
    """What the OTP waiter needs from a mailbox."""

    poll_seconds: float

    def connect(self) -> None:
        """Connect and log in (raises MailError)."""

    def fetch_since(self, since: datetime) -> list[RawMail]:
        """Messages that arrived at or after `since` (never marked as read, never deleted)."""

    def wait(self, seconds: float) -> None:
        """Return when new mail may have arrived, or after `seconds` at the latest."""

    def close(self) -> None:
        """Log out; safe to call twice."""


class Sleeper(Protocol):
    def __call__(self, seconds: float) -> None: ...


def real_sleep(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)

"""The private Dovecot (one per test session) and a clean mailbox for every test that asks for one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import require
from tests.mail.dovecot import Dovecot, dovecot_binary


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[Dovecot]:
    binary = dovecot_binary()
    require(binary is not None, "dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d)")
    assert binary is not None
    d = Dovecot.start(binary)
    try:
        yield d
    finally:
        d.stop()


@pytest.fixture
def dovecot(dovecot_server: Dovecot) -> Dovecot:
    dovecot_server.clear()
    return dovecot_server

"""The mail sources against a real Dovecot: IMAPS/POP3S and STARTTLS, IDLE, decoys, certificates, passwords."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from denshi_client.mail.errors import EXIT_MAIL, MailError, OtpTimeout
from denshi_client.mail.imap import ImapSource
from denshi_client.mail.otp import wait_for_otp
from denshi_client.mail.pop3 import Pop3Source
from denshi_client.mail.recognise import OtpRule, RawMail, find_otp
from denshi_client.mail.source import MailAccount
from denshi_client.portal.standin.tlsca import ensure_test_ca
from tests.mail.dovecot import PASSWORD, USER, Dovecot
from tests.mail.mails import FUND, make_decoy, make_mail

RULE = OtpRule.from_settings(FUND, "ワンタイムパスワード")
MODES = [("imap", "ssl"), ("imap", "starttls"), ("pop3", "ssl"), ("pop3", "starttls")]


def account(d: Dovecot, protocol: str, security: str, **kw: object) -> MailAccount:
    port = {("imap", "ssl"): d.imaps_port, ("imap", "starttls"): d.imap_port,
            ("pop3", "ssl"): d.pop3s_port, ("pop3", "starttls"): d.pop3_port}[(protocol, security)]
    args: dict = {"protocol": protocol, "host": "127.0.0.1", "user": USER, "port": port, "security": security,
                  "ca_bundle": str(d.ca_cert), "timeout": 10.0}
    args.update(kw)
    return MailAccount(**args)


def source(d: Dovecot, protocol: str, security: str, password: str = PASSWORD, **kw: object):
    acct = account(d, protocol, security, **{k: v for k, v in kw.items() if k in ("ca_bundle", "host")})
    rest = {k: v for k, v in kw.items() if k not in ("ca_bundle", "host")}
    if protocol == "imap":
        return ImapSource(acct, password, **rest)
    return Pop3Source(acct, password, **{k: v for k, v in rest.items() if k != "use_idle"})


def now() -> datetime:
    return datetime.now(UTC)


ALL_KINDS = [(cs, cte, kind) for cs, cte in [("utf-8", "base64"), ("utf-8", "quoted-printable"),
                                               ("iso-2022-jp", "7bit"), ("iso-2022-jp", "base64"),
                                               ("shift_jis", "base64"), ("shift_jis", "quoted-printable"),
                                               ("shift_jis", "8bit"), ("utf-8", "8bit")]
             for kind in ("plain", "html", "alternative")]


@pytest.mark.parametrize(("protocol", "security"), MODES)
def test_every_encoding_survives_the_server(dovecot: Dovecot, protocol: str, security: str) -> None:
    since = now() - timedelta(seconds=5)
    want = {}
    for i, (cs, cte, kind) in enumerate(ALL_KINDS):
        code = f"{100000 + i * 7919:06d}"
        raw = make_mail(code, charset=cs, cte=cte, kind=kind, full_width=i % 2 == 1, header_enc="BQ"[i % 2],
                        date=since + timedelta(seconds=1))
        want[code] = (cs, cte, kind)
        dovecot.deliver(raw)
    src = source(dovecot, protocol, security)
    src.connect()
    try:
        mails = src.fetch_since(since)
    finally:
        src.close()
    assert len(mails) == len(ALL_KINDS)
    got = set()
    for m in mails:
        hit = find_otp([m], RULE, since)
        assert hit is not None, m
        got.add(hit.otp)
    assert got == set(want)


@pytest.mark.parametrize(("protocol", "security"), MODES)
def test_decoys_and_older_otp_are_skipped(dovecot: Dovecot, protocol: str, security: str) -> None:
    since = now()
    dovecot.deliver(make_mail("111111", date=since - timedelta(minutes=4)), arrived=since - timedelta(minutes=4))
    dovecot.deliver(make_decoy(date=since + timedelta(seconds=1)))
    dovecot.deliver(make_mail("222222", sender="otp@other.example.jp", date=since + timedelta(seconds=1)))
    src = source(dovecot, protocol, security, poll_seconds=0.2)
    with pytest.raises(OtpTimeout) as ei:
        wait_for_otp(src, RULE, since, 1.0)
    assert "111111" not in str(ei.value.to_dict()) and "246810" not in str(ei.value.to_dict())
    dovecot.deliver(make_mail("333333", charset="iso-2022-jp", cte="7bit", date=since + timedelta(seconds=2)))
    hit = wait_for_otp(source(dovecot, protocol, security, poll_seconds=0.2), RULE, since, 10.0)
    assert (hit.otp, hit.from_addr) == ("333333", FUND)


def test_imap_idle_wakes_at_once(dovecot: Dovecot) -> None:
    """With IDLE the mail is seen long before the (deliberately huge) poll interval would."""
    since = now()
    src = source(dovecot, "imap", "ssl", poll_seconds=120.0)
    delivered: list[float] = []

    def later() -> None:
        time.sleep(1.0)
        delivered.append(time.monotonic())
        dovecot.deliver(make_mail("424242", date=now()))

    t = threading.Thread(target=later)
    t.start()
    try:
        hit = wait_for_otp(src, RULE, since, 60.0)
    finally:
        t.join()
    assert hit.otp == "424242"
    assert src.idle_supported
    assert time.monotonic() - delivered[0] < 10.0  # a safety limit; the figure is in benchmarks/


def test_imap_polling_without_idle(dovecot: Dovecot) -> None:
    since = now()
    src = source(dovecot, "imap", "ssl", poll_seconds=0.5, use_idle=False)
    t = threading.Timer(1.0, lambda: dovecot.deliver(make_mail("515151", date=now())))
    t.start()
    try:
        hit = wait_for_otp(src, RULE, since, 30.0)
    finally:
        t.join()
    assert hit.otp == "515151" and not src.idling


@pytest.mark.parametrize(("protocol", "security"), MODES)
def test_nothing_is_deleted_or_marked_read(dovecot: Dovecot, protocol: str, security: str) -> None:
    import imapclient

    since = now()
    dovecot.deliver(make_mail("626262", date=since))
    for _ in range(2):  # read twice: still there
        hit = wait_for_otp(source(dovecot, protocol, security), RULE, since, 10.0)
        assert hit.otp == "626262"
    assert len(dovecot.message_files()) == 1
    ctx = __import__("denshi_client.mail.tls", fromlist=["make_context"]).make_context(str(dovecot.ca_cert))
    with imapclient.IMAPClient("127.0.0.1", port=dovecot.imaps_port, ssl_context=ctx) as c:
        c.login(USER, PASSWORD)
        c.select_folder("INBOX", readonly=True)
        flags = c.get_flags(c.search(["ALL"]))
    assert len(flags) == 1
    assert b"\\Seen" not in next(iter(flags.values()))


@pytest.mark.parametrize(("protocol", "security"), MODES)
def test_certificate_from_another_ca_is_refused(dovecot: Dovecot, protocol: str, security: str,
                                                tmp_path) -> None:
    other = ensure_test_ca(tmp_path / "other-ca")
    for bundle in (str(other.ca_cert), ""):  # a wrong CA, and the system store (which does not know ours)
        src = source(dovecot, protocol, security, ca_bundle=bundle)
        with pytest.raises(MailError) as ei:
            src.connect()
        e = ei.value
        assert e.code == "mail_certificate", e.to_dict()
        assert e.exit_code == EXIT_MAIL
        assert "証明書" in e.ja and "certificate" in e.en
        assert PASSWORD not in str(e.to_dict())


@pytest.mark.parametrize(("protocol", "security"), MODES)
def test_wrong_host_name_is_a_certificate_error(dovecot: Dovecot, protocol: str, security: str) -> None:
    """The certificate names 127.0.0.1 and localhost; connecting by another name must not be trusted."""
    import socket

    name = socket.gethostname()
    try:
        socket.getaddrinfo(name, None)
    except OSError:
        pytest.skip("this machine's own name does not resolve")
    src = source(dovecot, protocol, security, host=name)
    with pytest.raises(MailError) as ei:
        src.connect()
    assert ei.value.code in ("mail_certificate", "mail_refused")  # refused when the name is not 127.0.0.1


@pytest.mark.parametrize(("protocol", "security"), MODES)
def test_wrong_password(dovecot: Dovecot, protocol: str, security: str) -> None:
    src = source(dovecot, protocol, security, password="not-the-password")
    with pytest.raises(MailError) as ei:
        src.connect()
    assert ei.value.code == "mail_login"
    assert "not-the-password" not in str(ei.value.to_dict())


def test_missing_ca_bundle_file_is_named(dovecot: Dovecot, tmp_path) -> None:
    src = source(dovecot, "imap", "ssl", ca_bundle=str(tmp_path / "nope.pem"))
    with pytest.raises(MailError) as ei:
        src.connect()
    assert ei.value.code == "mail_ca_bundle" and "nope.pem" in ei.value.en


def test_fetch_since_is_exact_to_the_second(dovecot: Dovecot) -> None:
    since = now().replace(microsecond=0)
    dovecot.deliver(make_mail("700001"), arrived=since - timedelta(seconds=2))
    dovecot.deliver(make_mail("700002"), arrived=since + timedelta(seconds=1))
    src = source(dovecot, "imap", "ssl")
    src.connect()
    try:
        got: list[RawMail] = src.fetch_since(since)
    finally:
        src.close()
    assert [find_otp([m], RULE, since).otp for m in got] == ["700002"]  # type: ignore[union-attr]


def test_pop3_mail_new_since_the_first_look_counts_whatever_its_date(dovecot: Dovecot) -> None:
    """POP3 has no arrival time: a message that appears between polls arrived after the request."""
    since = now()
    old_date = since - timedelta(days=3)  # a sender's clock that is days off
    src = source(dovecot, "pop3", "ssl", poll_seconds=0.3)
    real_fetch = src.fetch_since
    looks: list[int] = []

    def fetch_then_deliver(s: datetime) -> list[RawMail]:
        got = real_fetch(s)
        looks.append(len(got))
        if len(looks) == 1:  # the mail arrives only after our first look
            dovecot.deliver(make_mail("818181", date=old_date))
        return got

    src.fetch_since = fetch_then_deliver  # type: ignore[method-assign]
    hit = wait_for_otp(src, RULE, since, 20.0)
    assert hit.otp == "818181" and hit.received_at >= since.replace(microsecond=0)
    assert looks[0] == 0
    # Already there at the first look and dated days ago: not this request's mail.
    with pytest.raises(OtpTimeout):
        wait_for_otp(source(dovecot, "pop3", "ssl", poll_seconds=0.3), RULE, since, 1.0)

"""`denshi-client mail setup|test` and `otp wait` as child processes against the private Dovecot."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from denshi_client.mail.errors import EXIT_MAIL, EXIT_OTP_TIMEOUT
from denshi_client.portal.standin.tlsca import ensure_test_ca
from denshi_client.store.paths import app_paths
from tests.conftest import run_cli
from tests.mail.dovecot import PASSWORD, USER, Dovecot
from tests.mail.mails import FUND, make_decoy, make_mail


def setup(d: Dovecot, protocol: str = "imap", security: str = "ssl", password: str = PASSWORD,
          ca: Path | None = None):
    port = {("imap", "ssl"): d.imaps_port, ("imap", "starttls"): d.imap_port,
            ("pop3", "ssl"): d.pop3s_port, ("pop3", "starttls"): d.pop3_port}[(protocol, security)]
    return run_cli("mail", "setup", "--protocol", protocol, "--host", "127.0.0.1", "--port", str(port),
                   "--security", security, "--user", USER, "--password-stdin", "--ca-bundle", str(ca or d.ca_cert),
                   "--json", input=password + "\n")


def secrets_leaked(*texts: str) -> list[str]:
    logs = "".join(p.read_text(errors="replace") for p in app_paths().log_dir.glob("*") if p.is_file()) \
        if app_paths().log_dir.is_dir() else ""
    settings = app_paths().settings_file.read_text() if app_paths().settings_file.exists() else ""
    return [t for t in texts if t in logs or t in settings]


@pytest.mark.parametrize(("protocol", "security"), [("imap", "ssl"), ("pop3", "starttls")])
def test_setup_test_and_wait(dovecot: Dovecot, protocol: str, security: str) -> None:
    r = setup(dovecot, protocol, security)
    assert r.returncode == 0, r.stderr + r.stdout
    assert json.loads(r.stdout)["password_stored"] is True
    assert PASSWORD not in r.stdout + r.stderr
    r = run_cli("mail", "test", "--json")
    assert r.returncode == 0, r.stdout
    info = json.loads(r.stdout)
    assert info["ok"] is True and info["protocol"] == protocol and info["idle"] is (protocol == "imap")
    assert run_cli("config", "set", "otp_mail.sender", FUND).returncode == 0

    since = datetime.now(UTC).replace(microsecond=0)
    dovecot.deliver(make_mail("101010"), arrived=since - timedelta(minutes=5))
    dovecot.deliver(make_decoy(date=since))
    timer = threading.Timer(1.5, lambda: dovecot.deliver(make_mail(
        "８６４２０１", charset="shift_jis", cte="quoted-printable", kind="html", date=datetime.now(UTC))))
    timer.start()
    try:
        r = run_cli("otp", "wait", "--since", since.isoformat(), "--timeout", "30", "--json")
    finally:
        timer.join()
    assert r.returncode == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"otp", "received_at", "from"}
    assert out["otp"] == "864201" and out["from"] == FUND
    assert datetime.fromisoformat(out["received_at"]) >= since
    assert secrets_leaked(PASSWORD, "864201", "101010") == []


def test_timeout_exits_21_without_a_code(dovecot: Dovecot) -> None:
    assert setup(dovecot).returncode == 0
    assert run_cli("config", "set", "otp_mail.sender", FUND).returncode == 0
    since = datetime.now(UTC)
    dovecot.deliver(make_mail("303030"), arrived=since - timedelta(minutes=2))  # too old
    dovecot.deliver(make_decoy(date=since))
    r = run_cli("otp", "wait", "--since", since.isoformat(), "--timeout", "2", "--json")
    assert r.returncode == EXIT_OTP_TIMEOUT, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert out["ok"] is False and out["error"]["code"] == "otp_timeout"
    assert "303030" not in r.stdout + r.stderr and "246810" not in r.stdout + r.stderr
    r = run_cli("otp", "wait", "--since", since.isoformat(), "--timeout", "1")
    assert r.returncode == EXIT_OTP_TIMEOUT and r.stdout == "" and "届きませんでした" in r.stderr


def test_wrong_password_and_wrong_ca_exit_20(dovecot: Dovecot, tmp_path: Path) -> None:
    assert setup(dovecot, password="wrong-password-99").returncode == 0
    r = run_cli("mail", "test", "--json")
    assert r.returncode == EXIT_MAIL and json.loads(r.stdout)["error"]["code"] == "mail_login"
    assert "wrong-password-99" not in r.stdout + r.stderr
    other = ensure_test_ca(tmp_path / "other")
    assert setup(dovecot, ca=other.ca_cert).returncode == 0
    r = run_cli("mail", "test")
    assert r.returncode == EXIT_MAIL and "証明書" in r.stderr, r.stderr
    r = run_cli("otp", "wait", "--timeout", "1", "--json")
    assert r.returncode in (3, EXIT_MAIL)  # no sender set (3) is checked before connecting


def test_not_configured_and_bad_input() -> None:
    r = run_cli("mail", "test", "--json")
    assert r.returncode == 3 and json.loads(r.stdout)["error"]["code"] == "mail_not_configured"
    r = run_cli("otp", "wait", "--since", "yesterday", "--json")
    assert r.returncode == 1 and json.loads(r.stdout)["error"]["code"] == "otp_since"
    r = run_cli("mail", "setup", "--protocol", "imap", "--host", "h", "--user", "u", "--password-stdin", input="\n")
    assert r.returncode == 1
    r = run_cli("config", "set", "otp_mail.code_pattern", "(unclosed")
    assert r.returncode == 3 and "正規表現" in r.stderr


def test_policy_locks_the_sender(dovecot: Dovecot) -> None:
    paths = app_paths()
    paths.policy_file.parent.mkdir(parents=True, exist_ok=True)
    paths.policy_file.write_text(f'[otp_mail]\nsender = "{FUND}"\nsubject_contains = "ワンタイム"\n'
                                 '[lock]\nkeys = ["otp_mail.*"]\n', encoding="utf-8")
    r = run_cli("config", "set", "otp_mail.sender", "me@example.com")
    assert r.returncode == 3 and "固定" in r.stderr
    assert setup(dovecot).returncode == 0
    since = datetime.now(UTC)
    dovecot.deliver(make_mail("979797", date=since))
    r = run_cli("otp", "wait", "--since", since.isoformat(), "--timeout", "20", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["otp"] == "979797"

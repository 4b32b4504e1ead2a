"""`denshi-client portal ...` and `sandbox` as real child processes against a real stand-in."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import keyring

from denshi_client.clock import SystemClock
from denshi_client.portal.standin import StandInService
from tests.conftest import run_cli


def _j(cp: subprocess.CompletedProcess[str]) -> dict:
    assert cp.stdout, cp.stderr
    return json.loads(cp.stdout)


def test_portal_cli_round_trip(tmp_path: Path) -> None:
    with StandInService(tmp_path / "sb", SystemClock(), enforce_hours=False) as svc:
        b = ["--base-url", svc.base_url, "--json"]
        assert _j(run_cli("portal", "otp-request", "--user", "demo", *b))["ok"]
        otp = svc.latest_otp("demo")
        assert otp
        cp = run_cli("portal", "login", "--user", "demo", "--otp-stdin", *b, input=otp + "\n")
        data = _j(cp)
        assert [e["number"] for e in data["establishments"]] == ["0123", "0456"]
        stored = keyring.get_password("DenshiClient-portal", "cli:portal_session")
        assert stored and json.loads(stored)["base_url"] == svc.base_url
        token = json.loads(stored)["token"]
        assert token not in cp.stdout + cp.stderr

        docs = _j(run_cli("portal", "inbox", "--unread", *b))["documents"]
        assert len(docs) == 10
        got = _j(run_cli("portal", "download", docs[0]["id"], "-d", str(tmp_path / "dl"), "--mark-read", *b))
        p = Path(got["downloads"][0]["path"])
        assert p.name == docs[0]["file_name"] and p.stat().st_size == docs[0]["size"]
        assert len(_j(run_cli("portal", "inbox", "--unread", *b))["documents"]) == 9

        f = tmp_path / "20240524_0123_資格取得届.zip"
        f.write_bytes(os.urandom(100_000))
        r1 = _j(run_cli("portal", "upload", str(f), "--form", "資格取得届", "--establishment", "0123",
                        "--client-id", "cli-test-0001", *b))["receipt"]
        r2 = _j(run_cli("portal", "upload", str(f), "--form", "資格取得届", "--establishment", "0123",
                        "--client-id", "cli-test-0001", *b))["receipt"]
        assert r1 == r2 and r1["received_size"] == 100_000
        assert len(_j(run_cli("portal", "uploads", *b))["uploads"]) == 1

        assert _j(run_cli("portal", "logout", *b))["ok"]
        assert keyring.get_password("DenshiClient-portal", "cli:portal_session") is None
        cp = run_cli("portal", "inbox", *b)
        assert cp.returncode == 7 and _j(cp)["error"]["code"] == "unauthorized"


def test_portal_cli_reports_unreachable_in_japanese(tmp_path: Path) -> None:
    cp = run_cli("portal", "otp-request", "--user", "demo", "--base-url", "http://127.0.0.1:9/api/v1")
    assert cp.returncode == 7
    assert "VPN接続の状態をご確認ください" in cp.stderr


def test_sandbox_command_serves_until_terminated(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "denshi_client", "sandbox", "--port", "0", "--json",
                             "--ignore-hours", "--data", str(tmp_path / "sb")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("}"):
                break
        info = json.loads("".join(lines))
        assert info["base_url"].startswith("http://127.0.0.1:")
        cp = run_cli("portal", "otp-request", "--user", "demo0789", "--base-url", info["base_url"], "--json")
        assert _j(cp)["ok"]
        otp = _j(run_cli("sandbox", "otp", "--user", "demo0789", "--data", str(tmp_path / "sb"), "--json"))
        assert len(otp["otp"]) == 6
        cp = run_cli("portal", "login", "--user", "demo0789", "--otp-stdin", "--base-url", info["base_url"],
                     "--json", input=otp["otp"] + "\n")
        assert _j(cp)["establishments"][0]["number"] == "0789"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0


def test_json_flag_works_before_or_after_the_action() -> None:
    for args in (("portal", "--json", "otp-request"), ("portal", "otp-request", "--json")):
        cp = run_cli(*args, "--user", "demo", "--base-url", "http://127.0.0.1:9/api/v1")
        assert cp.returncode == 7
        assert _j(cp)["error"]["code"] == "unreachable"

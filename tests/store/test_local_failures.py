"""Local trouble a PC really has — a read-only or full config folder, an unusable `-d`, a damaged history
database, a garbage CA file — ends with its documented exit code and a clear message, never exit 10 or a
traceback. Read-only and full folders are real: a small tmpfs mounted read-only, or filled up (root, as CI)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli, small_disk


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A real 256KB filesystem (root: tmpfs mount); unmounted afterwards."""
    with small_disk(tmp_path / "small", "256k") as d:
        yield d


def make_unwritable(d: Path, how: str) -> None:
    if how == "readonly":
        subprocess.run(["mount", "-o", "remount,ro", str(d)], check=True, capture_output=True)
        return
    fd = os.open(d / "filler.bin", os.O_WRONLY | os.O_CREAT)  # fill to the last block
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    with pytest.raises(OSError):
        (d / "probe").write_bytes(b"x" * 8192)


def _clean(cp: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in cp.stderr + cp.stdout
    assert cp.returncode != 10, cp.stderr


ADD = ("profile", "add", "--establishment", "0456", "--name", "支店", "--user-id", "u2")


@pytest.mark.parametrize("how", ["readonly", "full"])
@pytest.mark.parametrize("what", ["config_set", "profile_add", "profile_update"])
def test_unwritable_config_folder(small_fs: Path, how: str, what: str) -> None:
    env = {"DENSHI_CLIENT_HOME": str(small_fs / "home")}
    assert run_cli("profile", "add", "--establishment", "0123", "--name", "本社", "--user-id", "u1",
                   env=env).returncode == 0
    assert run_cli("config", "set", "ui.language", "ja", env=env).returncode == 0
    make_unwritable(small_fs, how)
    args = {"config_set": ("config", "set", "service.api_base_url", "https://fund.example.jp/api/v1"),
            "profile_add": ADD, "profile_update": ("profile", "update", "e0123", "--name", "新本社")}[what]
    cp = run_cli(*args, env=env)
    cpe = run_cli("--lang", "en", *args, env=env)
    _clean(cp)
    _clean(cpe)
    assert cp.returncode == (3 if what == "config_set" else 8), cp.stderr
    word = "空き容量" if how == "full" else "書き込め"
    assert word in cp.stderr, cp.stderr
    assert ("disk is full" if how == "full" else "could not be written") in cpe.stderr, cpe.stderr


@pytest.mark.parametrize("case", ["file", "too_long", "readonly"])
@pytest.mark.parametrize("cmd", ["portal", "zip"])
def test_unusable_destination_folder(tmp_path: Path, small_fs: Path, case: str, cmd: str) -> None:
    if case == "file":
        dest = tmp_path / "a-file"
        dest.write_text("x")
    elif case == "too_long":
        dest = tmp_path / ("長" * 120) / "x"
    else:
        make_unwritable(small_fs, "readonly")
        dest = small_fs / "dl"
    if cmd == "zip":
        src = tmp_path / "a.pdf"
        src.write_bytes(b"%PDF-1.4\n%%EOF\n")
        z = tmp_path / "a.zip"
        assert run_cli("zip", "pack", str(src), "-o", str(z), "--password-stdin", input="pw-123456\n").returncode == 0
        cp = run_cli("zip", "unpack", str(z), "-d", str(dest), "--password-stdin", input="pw-123456\n")
    else:
        from tests.portal.hostile_http import HostileServer, doc_entry, json_answer

        with HostileServer({"GET /documents": lambda s, m, p, b, sock: sock.sendall(
                json_answer({"documents": [doc_entry()]}))}) as srv:
            assert run_cli("portal", "login", "--user", "demo", "--otp-stdin", "--base-url", srv.base_url,
                           input="123456\n").returncode == 0
            cp = run_cli("portal", "download", "d1", "-d", str(dest), "--base-url", srv.base_url)
    _clean(cp)
    assert cp.returncode == 1, cp.stderr
    assert "保存先フォルダー" in cp.stderr, cp.stderr


def test_damaged_history_database(app_home: Path) -> None:
    """The header and schema are fine, a data page is not: found only when the rows are read."""
    from denshi_client.store.history import History

    h = History()
    for i in range(400):
        h.record(establishment="0123", profile_id="e0123", direction="send", file_name=f"{i:04d}_" + "書" * 60,
                 mode="direct", result="ok")
    h.close()
    db = next(app_home.rglob("history.sqlite3"))
    for side in db.parent.glob("history.sqlite3-*"):
        side.unlink()
    raw = bytearray(db.read_bytes())
    assert len(raw) > 40 * 4096
    for page in range(len(raw) // 4096 - 12, len(raw) // 4096 - 2):  # data pages near the end
        raw[page * 4096: page * 4096 + 4096] = os.urandom(4096)
    db.write_bytes(bytes(raw))
    for args in (("history", "list", "--limit", "1000"), ("history", "export", "-o", str(app_home / "h.csv")),
                 ("history", "list", "--search", "書")):
        cp = run_cli(*args)
        _clean(cp)
        assert cp.returncode == 8, cp.stderr
        assert "履歴" in cp.stderr


def test_garbage_ca_bundle(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_bytes(b"-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n" + os.urandom(200))
    for extra in ((), ("--lang", "en")):
        cp = run_cli(*extra, "portal", "otp-request", "--user", "demo", "--base-url", "https://127.0.0.1:9/api/v1",
                     "--ca-bundle", str(ca))
        _clean(cp)
        assert cp.returncode == 7, cp.stderr
        assert ("CA 証明書" in cp.stderr) if not extra else ("CA bundle" in cp.stderr)

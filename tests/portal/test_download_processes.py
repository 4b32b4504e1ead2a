"""Downloads through the real CLI in child processes against the real stand-in: two processes fetching
the same document into one folder, a process killed mid-download, and a disk that fills up (a real tmpfs)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from denshi_client.clock import SystemClock
from denshi_client.portal.standin import Fault, StandInService
from tests.conftest import run_cli, small_disk

MiB = 1 << 20
NAME = "20240524_0123_掛金計算書.zip"


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def logged_in(tmp_path: Path) -> Iterator[tuple[StandInService, list[str]]]:
    """A stand-in and the CLI logged in to it (the session token is in the test's keyring file)."""
    with StandInService(tmp_path / "sb", SystemClock(), enforce_hours=False) as svc:
        b = ["--base-url", svc.base_url, "--json"]
        assert run_cli("portal", "otp-request", "--user", "demo", *b).returncode == 0
        otp = svc.latest_otp("demo")
        assert otp
        cp = run_cli("portal", "login", "--user", "demo", "--otp-stdin", *b, input=otp + "\n")
        assert cp.returncode == 0, cp.stderr
        yield svc, b


def _add(svc: StandInService, tmp_path: Path, size: int) -> tuple[str, bytes]:
    body = os.urandom(size)
    src = tmp_path / "src.zip"
    src.write_bytes(body)
    return svc.add_document(src, establishment="0123", file_name=NAME, copy=True), body


def _popen(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "denshi_client", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=dict(os.environ))


def test_two_processes_downloading_one_document_never_corrupt_it(logged_in: tuple[StandInService, list[str]],
                                                                  tmp_path: Path) -> None:
    svc, b = logged_in
    doc_id, body = _add(svc, tmp_path, 8 * MiB)
    dest = tmp_path / "dl"
    for _ in range(2):  # both bodies arrive slowly, so the two downloads really overlap
        svc.faults.add(Fault("slow", "download", rate_bps=6 * MiB))
    procs = [_popen("portal", "download", doc_id, "-d", str(dest), *b) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]
    paths = {json.loads(o)["downloads"][0]["path"] for o, _ in outs}
    assert paths == {str(dest / NAME)}  # the second found the first one's verified file
    assert sorted(p.name for p in dest.iterdir()) == [NAME]  # no copy, no partial, no lock left
    assert _sha(dest / NAME) == hashlib.sha256(body).hexdigest()


def test_a_killed_download_leaves_no_lock_that_blocks_the_next(logged_in: tuple[StandInService, list[str]],
                                                               tmp_path: Path) -> None:
    svc, b = logged_in
    doc_id, body = _add(svc, tmp_path, 8 * MiB)
    dest = tmp_path / "dl"
    svc.faults.add(Fault("slow", "download", rate_bps=2 * MiB))
    p = _popen("portal", "download", doc_id, "-d", str(dest), *b)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(f.stat().st_size > MiB for f in dest.glob(".~denshi-*")):
        time.sleep(0.05)
    os.kill(p.pid, signal.SIGKILL)
    p.communicate(timeout=30)
    assert not (dest / NAME).exists()
    cp = run_cli("portal", "download", doc_id, "-d", str(dest), *b, timeout=60)
    assert cp.returncode == 0, cp.stderr
    assert _sha(dest / NAME) == hashlib.sha256(body).hexdigest()
    assert sorted(f.name for f in dest.iterdir()) == [NAME]


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real 2MB filesystem (root: tmpfs mount); unmounted afterwards."""
    with small_disk(tmp_path / "small-disk", "2m") as d:
        yield d


def test_a_full_disk_is_reported_as_a_full_disk(logged_in: tuple[StandInService, list[str]], tmp_path: Path,
                                               tmpfs: Path) -> None:
    svc, b = logged_in
    doc_id, body = _add(svc, tmp_path, 3 * MiB)
    dest = tmpfs / "受信"
    cp = run_cli("portal", "download", doc_id, "-d", str(dest), *b, timeout=60)
    assert cp.returncode == 8, (cp.returncode, cp.stderr)  # docs/cli.md: local data error
    err = json.loads(cp.stdout)["error"] if cp.stdout.strip() else {}
    text = cp.stderr + json.dumps(err, ensure_ascii=False)
    assert "Traceback" not in cp.stderr
    assert "disk_full" in text and str(dest) in text
    assert "空き容量" in text and "full" in text
    assert "VPN" not in text and "interrupted" not in text
    assert list(dest.iterdir()) == []  # the partial does not keep the disk full
    subprocess.run(["mount", "-o", "remount,size=64m", str(tmpfs)], check=True, capture_output=True)
    cp = run_cli("portal", "download", doc_id, "-d", str(dest), *b, timeout=60)
    assert cp.returncode == 0, cp.stderr
    assert _sha(dest / NAME) == hashlib.sha256(body).hexdigest()

"""Partial files of an unpack killed with SIGKILL are removed by the next unpack into that folder:
only files of ours (exact name pattern, this computer) whose writer process is gone.

Real child processes throughout: the CLI `zip unpack` killed mid-way, a live library unpack held
in its progress callback, and the next CLI run that cleans up.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import run_cli
from tests.core import zipfixtures as zf

from denshi_client.documents.archive import pack

# docs/zip.md: .~denshi-<host tag>-<pid>-<process start>-<random>-<entry>.part
PART = re.compile(r"^\.~denshi-([0-9a-f]{8})-([0-9]+)-([0-9]+)-([0-9a-f]{8})-([0-9]+)\.part$")

HELD_UNPACK = r"""
import sys
from pathlib import Path
from denshi_client.documents import archive

def progress(done, total):
    if done >= 4 << 20 and not getattr(progress, "held", False):
        progress.held = True
        print("held", flush=True)
        sys.stdin.readline()

pw = sys.stdin.readline().rstrip("\n")
res = archive.unpack(Path(sys.argv[1]), Path(sys.argv[2]), pw, progress=progress)
print(" ".join(f"{f.name}:{f.size}" for f in res.files), flush=True)
"""


def _parts(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in folder.iterdir() if ".part" in p.name}


def _cli_child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "denshi_client", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


def test_parts_of_a_killed_unpack_are_cleaned_by_the_next_run(tmp_path: Path) -> None:
    sizes = {f"big{i}.pdf": 24 << 20 for i in range(3)}
    src = zf.write_files(tmp_path / "src", {n: os.urandom(s) for n, s in sizes.items()})
    big = pack(src, tmp_path / "big.zip", zf.PASSWORD).path
    small = pack(zf.write_files(tmp_path / "s", {"small.pdf": b"%PDF small"}), tmp_path / "small.zip",
                 zf.PASSWORD).path
    dest = tmp_path / "dest"
    dest.mkdir()

    # 1. `zip unpack` killed (SIGKILL on POSIX, TerminateProcess on Windows) once it has written 2 MiB
    victim = _cli_child("zip", "unpack", str(big), "-d", str(dest), "--password-stdin")
    assert victim.stdin is not None
    victim.stdin.write(zf.PASSWORD + "\n")
    victim.stdin.flush()
    deadline = time.monotonic() + 60
    while sum(_parts(dest).values()) < 2 << 20:
        assert victim.poll() is None, f"the unpack ended before it could be killed: {victim.communicate()}"
        assert time.monotonic() < deadline, "no partial file appeared"
        time.sleep(0.001)
    victim.kill()
    victim.communicate()
    stale = _parts(dest)
    assert stale and sum(stale.values()) >= 2 << 20, stale  # the kill really left partial files behind
    assert not [p for p in dest.iterdir() if p.name not in stale]  # ... and nothing under a final name

    # 2. the next run into the folder removes them
    r = run_cli("zip", "unpack", str(small), "-d", str(dest), "--password-stdin", input=zf.PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert not set(_parts(dest)) & set(stale), f"stale partial files remain: {_parts(dest)}"
    assert (dest / "small.pdf").read_bytes() == b"%PDF small"

    m = PART.match(next(iter(stale)))
    assert m, f"partial file name not in the documented pattern: {stale}"
    host, dead_pid = m.group(1), int(m.group(2))

    # 3. decoys that are NOT ours or NOT stale, and one that is ours and stale although its pid is alive
    not_ours = {".~denshi-1234.part", ".~denshi-0badc0de-0.part", ".~other-abc.part", "report.part",
                f".~denshi-{host}-{dead_pid}-1-0badc0de-0.part.bak"}
    other_host = f".~denshi-{'0' * 8 if host != '0' * 8 else '1' * 8}-{dead_pid}-1-0badc0de-0.part"
    pid_reused = f".~denshi-{host}-{os.getpid()}-1-0badc0de-0.part"  # this pytest process did not start at tick 1
    for name in (*not_ours, other_host, pid_reused):
        (dest / name).write_bytes(b"decoy")

    # 4. a live unpack of ours into the same folder, held in its progress callback
    live = subprocess.Popen([sys.executable, "-c", HELD_UNPACK, str(big), str(dest)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        assert live.stdin is not None and live.stdout is not None
        live.stdin.write(zf.PASSWORD + "\n")
        live.stdin.flush()
        assert live.stdout.readline().strip() == "held"
        live_parts = set(_parts(dest)) - set(stale) - not_ours - {other_host, pid_reused}
        assert live_parts, "the live unpack has no partial file yet"

        # 5. another run cleans what is ours and stale, and nothing else
        r = run_cli("zip", "unpack", str(small), "-d", str(dest), "--password-stdin", input=zf.PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
        left = set(_parts(dest))
        assert not left & set(stale), f"stale partial files of the killed unpack remain: {left & set(stale)}"
        assert pid_reused not in left
        assert live_parts <= left, "a live unpack's partial file was deleted"
        assert not_ours <= left and other_host in left, "a file that is not ours (or not this PC's) was deleted"
        assert (dest / "small (2).pdf").read_bytes() == b"%PDF small"

        # 6. the live unpack finishes intact
        live.stdin.write("\n")
        live.stdin.flush()
        out, err = live.communicate(timeout=120)
        assert live.returncode == 0, err
        assert out.split() == [f"{n}:{s}" for n, s in sizes.items()]
        for n, s in sizes.items():
            assert (dest / n).stat().st_size == s
        assert set(_parts(dest)) == not_ours | {other_host}
    finally:
        if live.poll() is None:
            live.kill()
            live.communicate()

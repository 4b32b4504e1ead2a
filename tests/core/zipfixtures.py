"""Fixture archives made by the real tools (7-Zip, Info-ZIP, pyzipper) and hand-crafted hostile ones.

Everything is small so the suite stays fast; the big-file figures live in benchmarks/bench_zip.py.
"""

from __future__ import annotations

import contextlib
import os
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from tests.conftest import require_tool

PASSWORD = "Pass-1234"
JP_NAMES = ["20240524_0123_資格取得届.pdf", "掛金計算書_202410.pdf", "源泉徴収票_ソフト①髙.pdf"]
TRAIL_5C_NAME = "表ソ能_予定表.pdf"  # every one of 表 ソ 能 has 0x5C as its CP932 trail byte


def write_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, data in files.items():
        p = folder / name
        p.write_bytes(data)
        out.append(p)
    return out


def run(cmd: Sequence[str | bytes | os.PathLike[str]], cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run(list(cmd), cwd=cwd, capture_output=True, env=e, timeout=60)


def sevenzip(archive: Path, folder: Path, names: Sequence[str], *, em: str = "AES256", mx: int = 0,
             password: str = PASSWORD, extra: Sequence[str] = ()) -> Path:
    """`7zz a -tzip -mem=<em> -mx<mx>` run inside `folder` so entry names are the bare names."""
    tool = require_tool("7zz")
    r = run([tool, "a", "-tzip", f"-mem={em}", f"-mx{mx}", f"-p{password}", *extra, str(archive), *names],
            cwd=folder)
    assert r.returncode == 0, r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
    return archive


def infozip(archive: Path, folder: Path, names: Sequence[str | bytes], *, password: str | None = PASSWORD,
            locale: str = "C") -> Path:
    """Info-ZIP `zip [-P pw]`: with LC_ALL=C it stores the name bytes as given, without the UTF-8 flag."""
    tool = require_tool("zip")
    pw = ["-P", password] if password else []
    r = run([tool, "-q", "-X", *pw, str(archive), *names], cwd=folder, env={"LC_ALL": locale, "LANG": locale})
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    return archive


def sevenzip_extract(archive: Path, out: Path, password: str = PASSWORD) -> subprocess.CompletedProcess[bytes]:
    tool = require_tool("7zz")
    return run([tool, "x", "-y", f"-p{password}", f"-o{out}", str(archive)])


def sevenzip_test(archive: Path, password: str = PASSWORD) -> subprocess.CompletedProcess[bytes]:
    return run([require_tool("7zz"), "t", f"-p{password}", str(archive)])


def unzip_test(archive: Path, password: str = PASSWORD) -> subprocess.CompletedProcess[bytes]:
    return run([require_tool("unzip"), "-t", "-P", password, str(archive)])


def unzip_extract(archive: Path, out: Path, password: str = PASSWORD,
                  extra: Sequence[str] = ()) -> subprocess.CompletedProcess[bytes]:
    out.mkdir(parents=True, exist_ok=True)
    return run([require_tool("unzip"), "-q", *extra, "-P", password, str(archive)], cwd=out)


@contextlib.contextmanager
def pyzipper_cp932_names() -> Iterator[None]:
    """Make pyzipper write names CP932-encoded without bit 11, the way Japanese Windows tools do."""
    import pyzipper.zipfile as pzf

    orig = pzf.ZipInfo._encodeFilenameFlags

    def enc(self: pzf.ZipInfo) -> tuple[bytes, int]:
        return self.filename.encode("cp932"), self.flag_bits & ~0x800

    pzf.ZipInfo._encodeFilenameFlags = enc  # type: ignore[method-assign]
    try:
        yield
    finally:
        pzf.ZipInfo._encodeFilenameFlags = orig  # type: ignore[method-assign]


def pyzipper_aes(archive: Path, files: dict[str, bytes], password: str = PASSWORD, *, deflate: bool = True,
                 cp932_names: bool = False) -> Path:
    import pyzipper

    ctx = pyzipper_cp932_names() if cp932_names else contextlib.nullcontext()
    with ctx, pyzipper.AESZipFile(archive, "w", compression=pyzipper.ZIP_DEFLATED if deflate else pyzipper.ZIP_STORED,
                                  encryption=pyzipper.WZ_AES) as z:
        z.setpassword(password.encode())
        for name, data in files.items():
            z.writestr(name, data)
    return archive


def plain_zip(archive: Path, entries: Sequence[tuple[str | zipfile.ZipInfo, bytes]], *,
              deflate: bool = True) -> Path:
    """Unencrypted archive with arbitrary (hostile) names via the stdlib, which does not sanitise on write."""
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return archive


def symlink_info(name: str, target: str = "/etc/passwd") -> tuple[zipfile.ZipInfo, bytes]:
    zi = zipfile.ZipInfo(name)
    zi.create_system = 3
    zi.external_attr = (0o120777 << 16)
    return zi, target.encode()


def unicode_path_info(stored: str, real: str, *, good_crc: bool = True) -> zipfile.ZipInfo:
    """An ASCII-named entry with an Info-ZIP Unicode Path extra (0x7075) carrying the real name."""
    zi = zipfile.ZipInfo(stored)
    crc = zlib.crc32(stored.encode("ascii")) ^ (0 if good_crc else 1)
    body = b"\x01" + struct.pack("<I", crc) + real.encode("utf-8")
    zi.extra = struct.pack("<HH", 0x7075, len(body)) + body
    return zi


def patch_last_size(archive: Path, new_usize: int) -> None:
    """Lie about the last entry's uncompressed size (local and central headers) — the classic bomb trick."""
    data = bytearray(archive.read_bytes())
    struct.pack_into("<I", data, data.rfind(b"PK\x03\x04") + 22, new_usize)
    struct.pack_into("<I", data, data.rfind(b"PK\x01\x02") + 24, new_usize)
    archive.write_bytes(bytes(data))


def flip_byte(archive: Path, offset: int) -> None:
    data = bytearray(archive.read_bytes())
    data[offset] ^= 0x55
    archive.write_bytes(bytes(data))


def data_offset(archive: Path, index: int = 0) -> int:
    """Where entry `index`'s (encrypted) data starts."""
    with zipfile.ZipFile(archive) as z:
        info = z.infolist()[index]
    raw = archive.read_bytes()
    h = info.header_offset
    nlen, xlen = struct.unpack_from("<HH", raw, h + 26)
    return h + 30 + nlen + xlen


def listing(folder: Path) -> list[str]:
    """Everything under folder, hidden files included (to prove nothing was left behind)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))

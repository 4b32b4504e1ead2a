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


# ------------------------------------------------------------------ hand-laid archives (every field may lie)


def local_header(name: bytes, data: bytes, *, crc: int | None = None, method: int = 0, flags: int = 0,
                 extra: bytes = b"") -> bytes:
    """A local file header (stored, sizes from `data`) followed by its name and extra field."""
    crc = zlib.crc32(data) if crc is None else crc
    return struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, method, 0, 0x5821, crc, len(data), len(data),
                       len(name), len(extra)) + name + extra


def central_record(name: bytes, csize: int, usize: int, crc: int, offset: int, *, method: int = 0,
                   flags: int = 0) -> bytes:
    return struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, flags, method, 0, 0x5821, crc, csize, usize,
                       len(name), 0, 0, 0, 0, 0, offset) + name


def end_record(count: int, cd_size: int, cd_offset: int) -> bytes:
    return struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, cd_size, cd_offset, 0)


def shared_data_zip(archive: Path, data: bytes, n: int = 8, gap: int = 64) -> Path:
    """`n` entries whose data is ONE block: local headers sit `30 + len(data) + gap` bytes apart (so
    "header offset + 30 + compressed size" never overlaps), and each header's name is padded so that
    all of them end exactly where the shared block starts. The central names are ordinary."""
    step = 30 + len(data) + gap
    inner = local_header(b"z" * 8, data)  # the innermost header, followed directly by the data
    for _ in range(n - 1):  # wrap: header k's name = padding + every header after it
        inner = local_header(b"p" * (step - 30) + inner, data)
    blob = inner + data
    cd = bytearray()
    crc = zlib.crc32(data)
    for k in range(n):
        cd += central_record(f"f{k}.pdf".encode(), len(data), len(data), crc, k * step)
    archive.write_bytes(bytes(blob + cd + end_record(n, len(cd), len(blob))))
    return archive


def quoted_overlap_zip(archive: Path, data: bytes, name_pad: int = 200) -> Path:
    """Entry A's long local name pushes its data over entry B's local header (B is "quoted" inside A):
    the old "offset + 30 + size" span of A ends before B starts, the real one does not."""
    a_name = b"a" * name_pad
    b_local = local_header(b"b.pdf", data) + data
    # A's data: some bytes of its own, then B's local header and data (A's last bytes are B's first)
    a_data = data + b_local[:10]
    a_local = local_header(a_name, a_data)
    blob = a_local + data + b_local
    b_off = len(a_local) + len(data)
    cd = (central_record(b"a.pdf", len(a_data), len(a_data), zlib.crc32(a_data), 0)
          + central_record(b"b.pdf", len(data), len(data), zlib.crc32(data), b_off))
    archive.write_bytes(blob + cd + end_record(2, len(cd), len(blob)))
    return archive


def data_into_directory_zip(archive: Path, data: bytes, into: int = 20) -> Path:
    """The last entry's declared size runs `into` bytes past its data into the central directory (into the
    first entry's record, so its own CRC can be computed over those bytes)."""
    a_local = local_header(b"a.pdf", data) + data
    b_off = len(a_local)
    rec_a = central_record(b"a.pdf", len(data), len(data), zlib.crc32(data), 0)
    b_data = data + rec_a[:into]
    blob = a_local + local_header(b"b.pdf", b_data) + data
    rec_b = central_record(b"b.pdf", len(b_data), len(b_data), zlib.crc32(b_data), b_off)
    cd = rec_a + rec_b
    archive.write_bytes(blob + cd + end_record(2, len(cd), len(blob)))
    return archive


def long_local_extra_zip(archive: Path, files: dict[str, bytes], extra_len: int = 3000) -> Path:
    """Control: honest entries whose LOCAL headers carry a long padding extra field (0xCAFE) the central
    directory does not repeat — legal, and must unpack."""
    body = bytearray()
    cd = bytearray()
    pad = struct.pack("<HH", 0xCAFE, extra_len - 4) + b"\0" * (extra_len - 4)
    for name, data in files.items():
        off = len(body)
        body += local_header(name.encode(), data, extra=pad) + data
        cd += central_record(name.encode(), len(data), len(data), zlib.crc32(data), off)
    archive.write_bytes(bytes(body + cd + end_record(len(files), len(cd), len(body))))
    return archive


def flagged_utf8_zip(archive: Path, name: bytes, data: bytes, *, encrypted: bool = False) -> Path:
    """One entry whose name bytes are whatever is given (e.g. CP932) while flag bit 11 says UTF-8."""
    flags = 0x800 | (0x1 if encrypted else 0)
    loc = local_header(name, data, flags=flags)
    cd = central_record(name, len(data), len(data), zlib.crc32(data), 0, flags=flags)
    archive.write_bytes(loc + data + cd + end_record(1, len(cd), len(loc) + len(data)))
    return archive

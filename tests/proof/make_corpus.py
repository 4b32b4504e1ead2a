"""Regenerates the committed hostile ZIP corpus (tests/proof/corpus/) and its manifest of expected outcomes.

Why committed and generated: the files are the evidence (anyone can feed them to another unpacker), the
script says how each was made. Most entries are written byte by byte by a tiny raw ZIP writer, because a
normal ZIP library refuses to write the very things we test (traversal names, lying headers, overlapping
entries, links); encrypted ones are made by the app's own packer and then damaged on purpose.

    .venv/bin/python tests/proof/make_corpus.py          # rewrites corpus/*.zip and corpus/manifest.json

Output is deterministic except for AES salts (the packer draws them from the OS), so re-running changes
only the encrypted files' bytes, never their expected outcome.

Manifest outcome per file: `{"expect": "refuse", "codes": [...]}` (an ArchiveError with one of these
codes, nothing written) or `{"expect": "ok", "names": [...]}` (exactly these files in the target).
"""

from __future__ import annotations

import json
import stat
import struct
import sys
import tempfile
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
PASSWORD = "Corpus-Pass-7781"  # test-only; the secrets scan looks for it too
WRONG_PASSWORD = "not-the-password"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOS_TIME, DOS_DATE = 0x6000, 0x58B8  # 2024-05-24 12:00


@dataclass
class Raw:
    """One entry as the attacker writes it: every header field may lie."""

    name: bytes
    data: bytes = PDF
    method: int = 0
    flags: int = 0
    external_attr: int = 0
    create_system: int = 3  # 3 = Unix (mode bits in external_attr), 0 = FAT/Windows tools
    size: int | None = None  # declared uncompressed size (default: the truth)
    crc: int | None = None
    extra: bytes = b""
    plain: bytes | None = None  # for deflated entries: the uncompressed bytes (for size/CRC)
    version_needed: int = 20


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def raw_zip(entries: list[Raw], *, overlap_last_with_first: bool = False) -> bytes:
    """Local headers, central directory, end record — nothing checked."""
    body = bytearray()
    central = bytearray()
    offsets: list[int] = []
    for e in entries:
        plain = e.plain if e.plain is not None else e.data
        crc = zlib.crc32(plain) if e.crc is None else e.crc
        size = len(plain) if e.size is None else e.size
        offsets.append(len(body))
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, e.flags, e.method, DOS_TIME, DOS_DATE, crc,
                            len(e.data), size, len(e.name), len(e.extra)) + e.name + e.extra + e.data
    for i, e in enumerate(entries):
        plain = e.plain if e.plain is not None else e.data
        crc = zlib.crc32(plain) if e.crc is None else e.crc
        size = len(plain) if e.size is None else e.size
        off = offsets[0] if (overlap_last_with_first and i == len(entries) - 1) else offsets[i]
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (e.create_system << 8) | 20, e.version_needed,
                               e.flags, e.method, DOS_TIME, DOS_DATE, crc, len(e.data), size, len(e.name),
                               len(e.extra), 0, 0, 0, e.external_attr, off) + e.name + e.extra
    cd_off = len(body)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_off, 0)
    return bytes(body + central + end)


def _packed(names: list[str], fmt: str, *, legacy_cp932: bool = False, content: bytes = PDF) -> bytes:
    """A real password ZIP from the app's packer (for the encrypted cases)."""
    sys.path.insert(0, str(HERE.parent.parent / "src"))
    from denshi_client.documents.archive import ZipFormat, pack

    with tempfile.TemporaryDirectory() as td:
        srcs = []
        for i, _n in enumerate(names):
            p = Path(td) / f"src{i}.pdf"
            p.write_bytes(content)
            srcs.append(p)
        out = Path(td) / "out.zip"
        pack(srcs, out, PASSWORD, fmt=ZipFormat(fmt), arcnames=names, legacy_cp932_names=legacy_cp932)
        return out.read_bytes()


def _entry_data_span(blob: bytes, index: int = 0) -> tuple[int, int]:
    """(start, end) of entry `index`'s stored bytes, from its local header."""
    import io
    import zipfile

    info = zipfile.ZipFile(io.BytesIO(blob)).infolist()[index]
    off = info.header_offset
    n, m = struct.unpack_from("<HH", blob, off + 26)
    start = off + 30 + n + m
    return start, start + info.compress_size


def _flip(blob: bytes, at: int) -> bytes:
    b = bytearray(blob)
    b[at] ^= 0x5A
    return bytes(b)


def refuse(*codes: str) -> dict[str, object]:
    return {"expect": "refuse", "codes": list(codes)}


def ok(*names: str) -> dict[str, object]:
    return {"expect": "ok", "names": list(names)}


def build() -> dict[str, tuple[bytes, dict[str, object], str]]:
    """name -> (bytes, expected outcome, why it is hostile)."""
    c: dict[str, tuple[bytes, dict[str, object], str]] = {}

    def add(name: str, blob: bytes, expect: dict[str, object], why: str) -> None:
        c[name] = (blob, expect, why)

    link = (stat.S_IFLNK | 0o777) << 16
    # --- leaving the target folder
    add("traversal_dotdot.zip", raw_zip([Raw(b"../evil.pdf")]), refuse("unsafe_entry"), "../ in the name")
    add("traversal_deep.zip", raw_zip([Raw(b"ok.pdf"), Raw(b"a/b/../../../evil.pdf")]), refuse("unsafe_entry"),
        "a/b/../../../ after a harmless entry (all-or-nothing)")
    add("traversal_backslash.zip", raw_zip([Raw(b"..\\..\\evil.pdf", create_system=0)]), refuse("unsafe_entry"),
        "..\\ as Windows tools write it")
    add("traversal_dots_space.zip", raw_zip([Raw(b".. /evil.pdf")]), refuse("unsafe_entry"),
        "'.. ' acts as '..' on Win32 (trailing space trimmed)")
    add("traversal_dir_entry.zip", raw_zip([Raw(b"../outside/", data=b""), Raw(b"../outside/evil.pdf")]),
        refuse("unsafe_entry"), "a directory entry outside the target")
    add("absolute_posix.zip", raw_zip([Raw(b"/tmp/denshi-evil.pdf")]), refuse("unsafe_entry"), "absolute POSIX path")
    add("absolute_backslash.zip", raw_zip([Raw(b"\\Windows\\evil.pdf", create_system=0)]), refuse("unsafe_entry"),
        "root-relative Windows path")
    add("drive_absolute.zip", raw_zip([Raw(b"C:\\Windows\\System32\\evil.dll", create_system=0)]),
        refuse("unsafe_entry"), "drive-absolute path")
    add("drive_relative.zip", raw_zip([Raw(b"C:evil.pdf", create_system=0)]), refuse("unsafe_entry"),
        "drive-relative path (C:name)")
    add("unc_backslash.zip", raw_zip([Raw(b"\\\\server\\share\\evil.pdf", create_system=0)]), refuse("unsafe_entry"),
        "UNC path")
    add("unc_slash.zip", raw_zip([Raw(b"//server/share/evil.pdf")]), refuse("unsafe_entry"),
        "UNC path, forward slashes")
    add("nul_hides_traversal.zip", raw_zip([Raw(b"ok.pdf\x00/../../evil.pdf")]), refuse("unsafe_entry"),
        "NUL in the name hides a traversal from C-string readers")
    # --- links
    add("symlink_unix.zip", raw_zip([Raw(b"link.pdf", data=b"/etc/passwd", external_attr=link)]), refuse("link"),
        "Unix symlink entry")
    add("symlink_then_write.zip", raw_zip([Raw(b"d", data=b"..", external_attr=link), Raw(b"d/evil.pdf")]),
        refuse("link", "unsafe_entry"), "symlink to .. then a file through it")
    add("reparse_point.zip", raw_zip([Raw(b"junction.pdf", create_system=0, external_attr=0x400 | 0x20)]),
        refuse("link"), "Windows reparse-point attribute (junction / symlink)")
    # --- names Windows cannot take (renamed, never refused: the document itself is fine)
    add("reserved_con.zip", raw_zip([Raw(b"CON.pdf")]), ok("_CON.pdf"), "reserved device name CON")
    add("reserved_com1_lower.zip", raw_zip([Raw(b"com1.txt"), Raw(b"lpt9")]), ok("_com1.txt", "_lpt9"),
        "reserved device names, any case, with and without extension")
    add("reserved_nul_space.zip", raw_zip([Raw(b"NUL .pdf")]), ok("_NUL .pdf"), "'NUL ' (trailing space) is NUL")
    add("trailing_dots_spaces.zip", raw_zip([Raw(b"report.pdf. . ")]), ok("report.pdf"),
        "trailing dots and spaces vanish on Win32")
    add("forbidden_chars.zip", raw_zip([Raw(b'a<b>c:d"e|f?g*h.pdf')]), ok("a_b_c_d_e_f_g_h.pdf"),
        "characters Windows forbids")
    add("control_chars.zip", raw_zip([Raw(b"bell\x07tab\t.pdf")]), ok("bell_tab_.pdf"), "control characters")
    add("nul_in_name.zip", raw_zip([Raw(b"evil\x00.pdf")]), ok("evil_.pdf"), "NUL inside the name")
    long_name = ("長" * 300 + ".pdf").encode()
    add("overlong_name.zip", raw_zip([Raw(long_name, flags=0x800)]), {"expect": "ok", "count": 1, "max_len": 255},
        "900-byte name (NTFS 255 UTF-16 units, ext4 255 bytes)")
    add("nested_path_flattened.zip", raw_zip([Raw(b"a/b/c/deep.pdf"), Raw(b"x\\y\\win.pdf", create_system=0)]),
        ok("deep.pdf", "win.pdf"), "folders inside the ZIP (flattened, never created)")
    # --- collisions
    add("case_collision.zip", raw_zip([Raw(b"Report.pdf"), Raw(b"REPORT.PDF", data=PDF + b"%2")]),
        refuse("case_collision"), "two names that are one file on NTFS")
    nfc = unicodedata.normalize("NFC", "がいど.pdf").encode()
    nfd = unicodedata.normalize("NFD", "がいど.pdf").encode()
    add("nfc_nfd_collision.zip", raw_zip([Raw(nfc, flags=0x800), Raw(nfd, flags=0x800, data=PDF + b"%2")]),
        refuse("case_collision"), "NFC and NFD spellings of one name")
    add("duplicate_entries.zip", raw_zip([Raw(b"same.pdf"), Raw(b"same.pdf", data=PDF + b"%evil")]),
        refuse("case_collision"), "the same name twice (second would overwrite the first)")
    add("collision_after_sanitising.zip", raw_zip([Raw(b"a?.pdf"), Raw(b"a*.pdf", data=PDF + b"%2")]),
        refuse("case_collision"), "two names that become one after making them safe")
    # --- bombs
    zeros = bytes(20 << 20)
    add("bomb_ratio.zip", raw_zip([Raw(b"zeros.pdf", data=deflate(zeros), method=8, plain=zeros)]), refuse("bomb"),
        "20 MiB of zeros in ~20 KiB (ratio ~1000)")
    add("bomb_lying_size.zip", raw_zip([Raw(b"small.pdf", data=deflate(zeros), method=8, plain=zeros, size=4096)]),
        refuse("bomb", "corrupt"), "header says 4 KiB, stream inflates to 20 MiB")
    add("bomb_declared_huge.zip", raw_zip([Raw(b"huge.pdf", size=0xF0000000)]), refuse("bomb"),
        "one entry declares 3.75 GiB")
    add("bomb_total.zip", raw_zip([Raw(f"part{i}.pdf".encode(), size=900 << 20) for i in range(3)]),
        refuse("bomb"), "three entries of 900 MiB declared (over the 2 GiB total)")
    add("bomb_count.zip", raw_zip([Raw(f"{i}".encode(), data=b"") for i in range(1001)]),
        refuse("too_many_entries"), "1001 entries")
    add("bomb_overlap.zip", raw_zip([Raw(b"a.pdf", data=deflate(zeros[:2 << 20]), method=8, plain=zeros[:2 << 20]),
                                     Raw(b"b.pdf", data=deflate(zeros[:2 << 20]), method=8, plain=zeros[:2 << 20])],
                                    overlap_last_with_first=True),
        refuse("bomb"), "two central entries share one compressed stream (overlapping-file bomb)")
    # --- damaged / not a ZIP
    good = raw_zip([Raw(b"doc.pdf", data=deflate(PDF * 50), method=8, plain=PDF * 50)])
    add("truncated_half.zip", good[: len(good) // 2], refuse("truncated", "not_a_zip"), "cut in half")
    add("truncated_no_eocd.zip", good[:-22], refuse("truncated", "not_a_zip"), "end record missing")
    add("crc_mismatch.zip", raw_zip([Raw(b"doc.pdf", crc=0x12345678)]), refuse("corrupt"), "CRC does not match")
    add("not_a_zip.zip", b"This is not a ZIP file at all.\n" * 4, refuse("not_a_zip"), "text named .zip")
    add("empty_file.zip", b"", refuse("not_a_zip", "truncated"), "zero bytes")
    add("unsupported_lzma.zip", raw_zip([Raw(b"doc.pdf", method=14)]), refuse("unsupported"),
        "LZMA method (not supported: refused with a reason)")
    add("pkware_strong.zip", raw_zip([Raw(b"doc.pdf", flags=0x41)]), refuse("unsupported"),
        "PKWARE strong encryption flag")
    add("version_needed_too_high.zip", raw_zip([Raw(b"doc.pdf", version_needed=255)]),
        refuse("unsupported", "not_a_zip", "corrupt"), "'version needed to extract' 25.5 (Python's zipfile raises)")
    add("aes_without_extra.zip", raw_zip([Raw(b"doc.pdf", method=99, flags=0x1)]), refuse("corrupt"),
        "AES method without its extra field")
    # --- encryption: tampering and passwords (real archives from the app's packer, then damaged)
    aes = _packed(["決定通知書.pdf"], "aes256", content=PDF * 40)
    s, e = _entry_data_span(aes)
    add("aes_tampered_mac.zip", _flip(aes, e - 3), refuse("corrupt"), "AES-256: authentication code changed")
    add("aes_tampered_data.zip", _flip(aes, s + 30), refuse("corrupt"), "AES-256: one ciphertext byte changed")
    add("aes_truncated_entry.zip", aes[: s + 20], refuse("truncated", "not_a_zip"), "AES entry cut inside the salt")
    add("aes_wrong_password.zip", aes, {"expect": "refuse", "codes": ["wrong_password"], "password": WRONG_PASSWORD},
        "AES-256 opened with the wrong password")
    zc = _packed(["掛金計算書.pdf"], "zipcrypto", content=PDF * 40)
    add("zipcrypto_wrong_password.zip", zc, {"expect": "refuse", "codes": ["wrong_password", "corrupt"],
                                             "password": WRONG_PASSWORD},
        "ZipCrypto opened with the wrong password (1-in-256 check byte may pass: then CRC refuses)")
    zs, _ze = _entry_data_span(zc)
    add("zipcrypto_tampered.zip", _flip(zc, zs + 20), refuse("corrupt"), "ZipCrypto: one byte changed")
    add("aes_ok_control.zip", aes, ok("決定通知書.pdf"), "control: the untampered AES archive opens")
    # --- CP932 edge cases (as Japanese Windows tools write them: no UTF-8 flag, FAT host)
    add("cp932_5c_trail.zip", _packed(["表示ソ能.pdf"], "zipcrypto", legacy_cp932=True), ok("表示ソ能.pdf"),
        "CP932 trail byte 0x5C (表 ソ 能): must not split the name at a 'backslash'")
    add("cp932_nec_ext.zip", _packed(["①髙﨑㈱.pdf"], "zipcrypto", legacy_cp932=True), ok("①髙﨑㈱.pdf"),
        "NEC/IBM extension characters (not in Shift_JIS proper)")
    add("utf8_without_flag.zip", raw_zip([Raw("日本語の書類.pdf".encode(), create_system=0)]), ok("日本語の書類.pdf"),
        "UTF-8 bytes without the UTF-8 flag")
    add("cp932_5c_traversal.zip", raw_zip([Raw("表\\..\\..\\evil.pdf".encode("cp932"), create_system=0)]),
        refuse("unsafe_entry"), "CP932 0x5C trail byte next to a real ..\\ traversal")
    add("invalid_utf8_flagged.zip", raw_zip([Raw(b"\xff\xfe bad.pdf", flags=0x800)]),
        {"expect": "any"}, "UTF-8 flag set on bytes that are not UTF-8 (refused or made safe)")
    return c


def main() -> int:
    items = build()
    if CORPUS.exists():
        for p in CORPUS.glob("*.zip"):
            p.unlink()
    CORPUS.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, object] = {"password": PASSWORD, "files": {}}
    files: dict[str, object] = {}
    for name, (blob, expect, why) in sorted(items.items()):
        (CORPUS / name).write_bytes(blob)
        files[name] = {**expect, "why": why, "size": len(blob)}
    manifest["files"] = files
    (CORPUS / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    total = sum(len(b) for b, _e, _w in items.values())
    print(f"{len(items)} files, {total // 1024} KiB in {CORPUS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

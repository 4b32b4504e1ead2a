"""Hostile and broken archives: nothing escapes, nothing half-done is left, errors say what happened."""

from __future__ import annotations

import errno
import os
import shutil
import struct
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from tests.core import zipfixtures as zf

from denshi_client.documents.archive import UnpackLimits, ZipFormat, list_entries, pack, unpack
from denshi_client.documents.zip import reader
from denshi_client.errors import ArchiveError
from denshi_client.portal.model import CancelToken

DATA = os.urandom(200_000)


def _dest(tmp_path: Path, name: str = "out") -> Path:
    d = tmp_path / name
    d.mkdir()
    return d


def _unpack_fails(arc: Path, dest: Path, code: str | set[str], password: str = zf.PASSWORD,
                  **kw: object) -> ArchiveError:
    before = zf.listing(dest)
    with pytest.raises(ArchiveError) as ei:
        unpack(arc, dest, password, **kw)  # type: ignore[arg-type]
    assert ei.value.code in ({code} if isinstance(code, str) else code), (ei.value.code, ei.value.en)
    assert zf.listing(dest) == before, "something was left behind"
    assert ei.value.ja and ei.value.en
    return ei.value


def _two_file_archive(tmp_path: Path, fmt: ZipFormat = ZipFormat.AES256) -> Path:
    src = zf.write_files(tmp_path / "src", {"first.pdf": DATA, "second.pdf": DATA[::-1]})
    return pack(src, tmp_path / f"two-{fmt.value}.zip", zf.PASSWORD, fmt=fmt).path


# ----------------------------------------------------------------------------------- names and links


@pytest.mark.parametrize("name", [
    "../evil.pdf", "a/../../evil.pdf", "/tmp/evil_abs.pdf", "C:\\Windows\\evil.pdf", "C:evil.pdf",
    "\\\\server\\share\\evil.pdf", "..\\evil.pdf", "sub/.. /evil.pdf", "... /evil.pdf",
])
def test_traversal_names_are_refused(tmp_path: Path, name: str) -> None:
    arc = zf.plain_zip(tmp_path / "evil.zip", [("ok.pdf", b"ok"), (name, b"evil")])
    dest = _dest(tmp_path)
    err = _unpack_fails(arc, dest, "unsafe_entry")
    assert name in err.en
    assert not any(p.name.endswith("evil.pdf") for p in tmp_path.rglob("*"))
    assert not Path("/tmp/evil_abs.pdf").exists()


@pytest.mark.parametrize(("name", "expected"), [
    ("folder/sub/ok.pdf", "ok.pdf"),
    ("folder\\win.pdf", "win.pdf"),
    ('a<b>c:d"e|f?g*h.pdf', "a_b_c_d_e_f_g_h.pdf"),
    ("CON", "_CON"),
    ("NUL.pdf", "_NUL.pdf"),
    ("com1.txt", "_com1.txt"),
    ("con .pdf", "_con .pdf"),
    ("LPT9.pdf", "_LPT9.pdf"),
    ("name.pdf.", "name.pdf"),
    ("trailing.pdf ", "trailing.pdf"),
    ("tab\there.pdf", "tab_here.pdf"),
])
def test_names_are_made_safe(tmp_path: Path, name: str, expected: str) -> None:
    arc = zf.plain_zip(tmp_path / "n.zip", [("folder/", b""), (name, b"data")])
    dest = _dest(tmp_path)
    res = unpack(arc, dest, zf.PASSWORD)
    assert [f.name for f in res.files] == [expected]
    assert res.renamed == {name: expected}
    assert res.files[0].original_name == name
    assert (dest / expected).read_bytes() == b"data"
    assert zf.listing(dest) == [expected]


def test_overlong_names_are_capped(tmp_path: Path) -> None:
    long_ascii = "L" * 300 + ".pdf"
    long_jp = "長" * 100 + ".pdf"  # 104 UTF-16 units (fine on NTFS) but 304 UTF-8 bytes (too long on ext4)
    arc = zf.plain_zip(tmp_path / "long.zip", [(long_ascii, b"a"), (long_jp, b"b")])
    res = unpack(arc, _dest(tmp_path), zf.PASSWORD)
    names = sorted(f.name for f in res.files)
    assert all(n.endswith(".pdf") for n in names)
    assert all(len(n.encode("utf-16-le")) // 2 <= 255 and len(n.encode()) <= 255 for n in names)


def test_nul_byte_in_name(tmp_path: Path) -> None:
    arc = zf.plain_zip(tmp_path / "nul.zip", [("xAhidden.exe.pdf", b"x")])
    raw = arc.read_bytes().replace(b"xAhidden", b"x\x00hidden")
    arc.write_bytes(raw)
    res = unpack(arc, _dest(tmp_path), zf.PASSWORD)
    assert [f.name for f in res.files] == ["x_hidden.exe.pdf"]


def test_symlink_entry_is_refused(tmp_path: Path) -> None:
    arc = zf.plain_zip(tmp_path / "link.zip", [("a.pdf", b"a"), zf.symlink_info("passwd.pdf")])
    assert any(e.is_link for e in list_entries(arc))
    _unpack_fails(arc, _dest(tmp_path), "link")


def test_symlink_made_by_7zip_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "real.pdf").write_bytes(b"x")
    os.symlink("/etc/hostname", folder / "link.pdf")
    arc = zf.sevenzip(tmp_path / "l7.zip", folder, ["real.pdf", "link.pdf"], extra=["-snl"])
    _unpack_fails(arc, _dest(tmp_path), "link")


def test_windows_reparse_point_attribute_is_refused(tmp_path: Path) -> None:
    zi = zipfile.ZipInfo("junction.pdf")
    zi.create_system = 0
    zi.external_attr = 0x400  # FILE_ATTRIBUTE_REPARSE_POINT
    arc = zf.plain_zip(tmp_path / "rp.zip", [(zi, b"x")])
    _unpack_fails(arc, _dest(tmp_path), "link")


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("names", [
    ["Doc.pdf", "doc.pdf"],
    ["a/x.pdf", "b/X.PDF"],
    ["same.pdf", "same.pdf"],
    ["\u304c.pdf", "\u304b\u3099.pdf"],  # NFC vs NFD が
    ["con.pdf", "_CON.pdf"],  # collide after the reserved-name rename
])
def test_case_collisions_are_refused(tmp_path: Path, names: list[str]) -> None:
    arc = zf.plain_zip(tmp_path / "c.zip", [(n, n.encode()) for n in names])
    err = _unpack_fails(arc, _dest(tmp_path), "case_collision")
    assert "Windows" in err.en


def test_unicode_path_extra_is_honoured(tmp_path: Path) -> None:
    good = zf.unicode_path_info("form.pdf", "資格取得届.pdf")
    bad = zf.unicode_path_info("other.pdf", "偽物.pdf", good_crc=False)
    arc = zf.plain_zip(tmp_path / "up.zip", [(good, b"1"), (bad, b"2")])
    assert sorted(e.name for e in list_entries(arc)) == ["other.pdf", "資格取得届.pdf"]
    res = unpack(arc, _dest(tmp_path), zf.PASSWORD)
    assert sorted(f.name for f in res.files) == ["other.pdf", "資格取得届.pdf"]


# ----------------------------------------------------------------------------------- bombs and limits


def test_high_ratio_is_refused_before_writing(tmp_path: Path) -> None:
    arc = zf.plain_zip(tmp_path / "bomb.zip", [("zeros.pdf", bytes(5 * 1024 * 1024))])
    _unpack_fails(arc, _dest(tmp_path), "bomb")


def test_lying_header_is_caught_on_actual_bytes(tmp_path: Path) -> None:
    """Headers claim 1000 bytes; the stream inflates to 3 MiB. The real bytes decide."""
    arc = zf.plain_zip(tmp_path / "liar.zip", [("ok.pdf", b"fine"), ("zeros.pdf", bytes(3 * 1024 * 1024))])
    zf.patch_last_size(arc, 1000)
    assert list_entries(arc)[-1].size == 1000
    _unpack_fails(arc, _dest(tmp_path), "bomb")


def test_limits_entries_total_and_entry_size(tmp_path: Path) -> None:
    arc = zf.plain_zip(tmp_path / "many.zip", [(f"f{i}.pdf", DATA[:1000]) for i in range(5)], deflate=False)
    dest = _dest(tmp_path)
    _unpack_fails(arc, dest, "too_many_entries", limits=UnpackLimits(max_entries=4))
    _unpack_fails(arc, dest, "bomb", limits=UnpackLimits(max_total_bytes=4000))
    _unpack_fails(arc, dest, "bomb", limits=UnpackLimits(max_entry_bytes=999))
    assert len(unpack(arc, dest, "", limits=UnpackLimits(max_entries=5, max_total_bytes=5000)).files) == 5


def test_overlapping_entries_are_refused(tmp_path: Path) -> None:
    """Two central records pointing at the same data ("better zip bomb" layout)."""
    arc = zf.plain_zip(tmp_path / "ov.zip", [("a.pdf", DATA[:5000]), ("b.pdf", DATA[:5000])], deflate=False)
    raw = bytearray(arc.read_bytes())
    cd_b = raw.rfind(b"PK\x01\x02")
    struct.pack_into("<I", raw, cd_b + 42, 0)  # b.pdf now starts where a.pdf does
    arc.write_bytes(bytes(raw))
    _unpack_fails(arc, _dest(tmp_path), "bomb")


LAYOUTS = {
    "8 entries, one data block, padded local names": lambda a, d: zf.shared_data_zip(a, d, n=8),
    "data runs over the next local header": zf.quoted_overlap_zip,
    "data runs into the central directory": zf.data_into_directory_zip,
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_overlap_is_measured_from_the_real_local_headers(tmp_path: Path, layout: str) -> None:
    """Spans come from each local header's own name/extra lengths, not from "offset + 30 + size"."""
    arc = LAYOUTS[layout](tmp_path / "ov.zip", DATA[:4000])
    assert all(e.size > 0 for e in list_entries(arc))  # the directory itself is well-formed
    err = _unpack_fails(arc, _dest(tmp_path), "bomb", password="")
    assert "重な" in err.ja or "目次" in err.ja, err.ja
    assert "overlap" in err.en or "central directory" in err.en, err.en
    assert "パスワード" not in err.ja


def test_long_local_extra_fields_are_not_an_overlap(tmp_path: Path) -> None:
    """Control: honest entries whose local headers are longer than the central ones unpack."""
    files = {"a.pdf": DATA[:3000], "b.pdf": DATA[3000:6000]}
    arc = zf.long_local_extra_zip(tmp_path / "pad.zip", files)
    res = unpack(arc, _dest(tmp_path), "")
    assert {f.name: f.path.read_bytes() for f in res.files} == files


# ----------------------------------------------------------------------------------- broken archives


@pytest.mark.parametrize("fmt", list(ZipFormat))
def test_wrong_password_leaves_nothing(tmp_path: Path, fmt: ZipFormat) -> None:
    arc = _two_file_archive(tmp_path, fmt)
    # ZipCrypto checks a password by one random-looking byte: once in 256 archives a wrong one
    # passes it and the CRC catches it instead (whose message also names the password).
    codes = {"wrong_password"} if fmt is ZipFormat.AES256 else {"wrong_password", "corrupt"}
    _unpack_fails(arc, _dest(tmp_path), codes, password="not-the-password")


def test_wrong_password_7zip_archive(tmp_path: Path) -> None:
    src = zf.write_files(tmp_path / "s", {"a.pdf": DATA})
    arc = zf.sevenzip(tmp_path / "a.zip", src[0].parent, ["a.pdf"])  # ZipCrypto: see above
    _unpack_fails(arc, _dest(tmp_path), {"wrong_password", "corrupt"}, password="nope")


@pytest.mark.parametrize("fmt", list(ZipFormat))
def test_tampered_second_entry_leaves_nothing(tmp_path: Path, fmt: ZipFormat) -> None:
    """First entry is fine and already staged; the second fails HMAC/CRC → the first is removed too."""
    arc = _two_file_archive(tmp_path, fmt)
    zf.flip_byte(arc, zf.data_offset(arc, 1) + 5000)
    err = _unpack_fails(arc, _dest(tmp_path), "corrupt")
    assert "second.pdf" in err.en


def test_tampered_7zip_aes_archive(tmp_path: Path) -> None:
    src = zf.write_files(tmp_path / "s", {"a.pdf": DATA})
    arc = zf.sevenzip(tmp_path / "a.zip", src[0].parent, ["a.pdf"])
    zf.flip_byte(arc, zf.data_offset(arc) + 100_000)
    _unpack_fails(arc, _dest(tmp_path), "corrupt")


@pytest.mark.parametrize("cut", [0.5, 0.97])
def test_truncated_archive(tmp_path: Path, cut: float) -> None:
    arc = _two_file_archive(tmp_path)
    raw = arc.read_bytes()
    arc.write_bytes(raw[: int(len(raw) * cut)])
    _unpack_fails(arc, _dest(tmp_path), "truncated")


def test_data_cut_inside_entry_with_directory_intact(tmp_path: Path) -> None:
    """Central directory says more compressed bytes than the file holds."""
    arc = _two_file_archive(tmp_path)
    raw = bytearray(arc.read_bytes())
    cd_b = raw.rfind(b"PK\x01\x02")
    struct.pack_into("<I", raw, cd_b + 20, 50_000_000)  # compressed size of second.pdf
    arc.write_bytes(bytes(raw))
    _unpack_fails(arc, _dest(tmp_path), "truncated")


def test_not_a_zip_and_missing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"%PDF-1.7 not a zip" * 100)
    _unpack_fails(bad, _dest(tmp_path), "not_a_zip")
    with pytest.raises(ArchiveError) as ei:
        list_entries(tmp_path / "missing.zip")
    assert ei.value.code == "not_found"


def test_version_needed_too_high(tmp_path: Path) -> None:
    """zipfile raises NotImplementedError for 'version needed' > 6.3: a typed refusal, not a crash (D1)."""
    arc = zf.plain_zip(tmp_path / "v.zip", [("doc.pdf", b"x")])
    raw = bytearray(arc.read_bytes())
    struct.pack_into("<H", raw, raw.rfind(b"PK\x01\x02") + 6, 255)
    arc.write_bytes(bytes(raw))
    _unpack_fails(arc, _dest(tmp_path), "unsupported")
    with pytest.raises(ArchiveError) as ei:
        list_entries(arc)
    assert ei.value.code == "unsupported"


@pytest.mark.parametrize("method", ["LZMA", "Deflate64"])
def test_unsupported_method(tmp_path: Path, method: str) -> None:
    """Deflate64 is refused on purpose: stream-inflate 0.0.43 loops forever on some corrupt streams."""
    src = zf.write_files(tmp_path / "s", {"a.txt": os.urandom(50_000).hex().encode()})
    arc = zf.sevenzip(tmp_path / "m.zip", src[0].parent, ["a.txt"], mx=5, extra=[f"-mm={method}"])
    _unpack_fails(arc, _dest(tmp_path), "unsupported")


@pytest.mark.parametrize(("method", "label"), [("BZip2", "bzip2"), ("Deflate", "deflate")])
@pytest.mark.parametrize("em", ["AES256", "ZipCrypto"])
def test_tampered_compressed_entries(tmp_path: Path, method: str, label: str, em: str) -> None:
    """A flipped byte inside compressed, encrypted data: clear error, nothing kept, never a hang."""
    data = os.urandom(600_000).hex().encode()
    src = zf.write_files(tmp_path / "s", {"a.txt": data})
    arc = zf.sevenzip(tmp_path / "m.zip", src[0].parent, ["a.txt"], mx=5, em=em, extra=[f"-mm={method}"])
    assert list_entries(arc)[0].compression == label
    dest = _dest(tmp_path)
    unpack(arc, dest, zf.PASSWORD)
    assert (dest / "a.txt").read_bytes() == data
    zf.flip_byte(arc, zf.data_offset(arc) + 300_000)
    # AES: the HMAC decides → corrupt. ZipCrypto garbles everything after the flip, and garbage
    # that inflates past the declared size is reported as a bomb: either way nothing is kept.
    _unpack_fails(arc, _dest(tmp_path, "tampered"), "corrupt" if em == "AES256" else {"corrupt", "bomb"})


# ----------------------------------------------------------------------------------- destination


def test_existing_files_are_never_overwritten(tmp_path: Path) -> None:
    arc = _two_file_archive(tmp_path)
    dest = _dest(tmp_path)
    (dest / "first.pdf").write_bytes(b"mine")
    (dest / "SECOND.PDF").write_bytes(b"mine too")  # same file on NTFS
    (dest / "first (2).pdf").write_bytes(b"also mine")
    res = unpack(arc, dest, zf.PASSWORD)
    assert res.renamed == {"first.pdf": "first (3).pdf", "second.pdf": "second (2).pdf"}
    assert (dest / "first.pdf").read_bytes() == b"mine"
    assert (dest / "SECOND.PDF").read_bytes() == b"mine too"
    assert (dest / "first (2).pdf").read_bytes() == b"also mine"
    assert (dest / "first (3).pdf").read_bytes() == DATA
    assert (dest / "second (2).pdf").read_bytes() == DATA[::-1]
    # unpacking again never overwrites either
    again = unpack(arc, dest, zf.PASSWORD)
    assert [f.name for f in again.files] == ["first (4).pdf", "second (3).pdf"]


def test_missing_destination(tmp_path: Path) -> None:
    arc = _two_file_archive(tmp_path)
    with pytest.raises(ArchiveError) as ei:
        unpack(arc, tmp_path / "nope", zf.PASSWORD)
    assert ei.value.code == "no_destination"


def test_disk_full_precheck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arc = _two_file_archive(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda p: SimpleNamespace(total=100, used=90, free=10))
    _unpack_fails(arc, _dest(tmp_path), "disk_full")


def test_disk_full_while_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC in the middle of the second file: the staged first file goes too."""
    arc = _two_file_archive(tmp_path)
    real_open = open
    calls = {"n": 0}

    class Full:
        def __init__(self, f: object) -> None:
            self.f = f

        def write(self, data: bytes) -> int:
            calls["n"] += 1
            if calls["n"] > 1:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.f.write(data)  # type: ignore[attr-defined]

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *a: object) -> None:
            self.f.close()  # type: ignore[attr-defined]

    def fake_open(path: object, mode: str = "r", *a: object, **k: object) -> object:
        f = real_open(path, mode, *a, **k)  # type: ignore[call-overload]
        return Full(f) if mode == "xb" and str(path).endswith(".part") else f

    monkeypatch.setattr(reader, "open", fake_open, raising=False)
    _unpack_fails(arc, _dest(tmp_path), "disk_full")


# ----------------------------------------------------------------------------------- progress, cancel


def test_progress_and_cancel(tmp_path: Path) -> None:
    big = os.urandom(3 * 1024 * 1024)
    src = zf.write_files(tmp_path / "s", {"a.pdf": big, "b.pdf": big})
    seen: list[tuple[int, int]] = []
    res = pack(src, tmp_path / "p.zip", zf.PASSWORD, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (2 * len(big), 2 * len(big))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    seen.clear()
    unpack(res.path, _dest(tmp_path, "u1"), zf.PASSWORD, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (2 * len(big), 2 * len(big))

    token = CancelToken()

    def cancel_soon(done: int, total: int) -> None:
        if done > len(big):
            token.cancel()

    dest = _dest(tmp_path, "u2")
    _unpack_fails(res.path, dest, "cancelled", progress=cancel_soon, cancel=token)

    token2 = CancelToken()
    with pytest.raises(ArchiveError) as ei:
        pack(src, tmp_path / "c.zip", zf.PASSWORD, progress=lambda d, t: token2.cancel(), cancel=token2)
    assert ei.value.code == "cancelled"
    assert not (tmp_path / "c.zip").exists()
    assert not list(tmp_path.glob(".~*"))


# ----------------------------------------------------------------------------------- pack refusals


def test_pack_refusals(tmp_path: Path) -> None:
    src = zf.write_files(tmp_path / "s", {"a.pdf": b"a", "b.pdf": b"b"})
    cases: list[tuple[dict[str, object], str]] = [
        ({"password": ""}, "no_password"),
        ({"sources": [tmp_path / "missing.pdf"]}, "not_found"),
        ({"arcnames": ["../a.pdf", "b.pdf"]}, "unsafe_entry"),
        ({"arcnames": ["CON", "b.pdf"]}, "unsafe_entry"),
        ({"arcnames": ["A.pdf", "a.pdf"]}, "case_collision"),
        ({"arcnames": ["한국어.pdf", "b.pdf"], "legacy_cp932_names": True}, "unsafe_entry"),
    ]
    for kw, code in cases:
        args: dict[str, object] = {"sources": src, "out": tmp_path / "o.zip", "password": zf.PASSWORD, **kw}
        with pytest.raises(ArchiveError) as ei:
            pack(**args)  # type: ignore[arg-type]
        assert ei.value.code == code, kw
        assert not (tmp_path / "o.zip").exists()
    assert not list(tmp_path.glob(".~*"))


def test_empty_and_unencrypted_archives(tmp_path: Path) -> None:
    empty = zf.plain_zip(tmp_path / "e.zip", [])
    assert unpack(empty, _dest(tmp_path, "e"), "").files == []
    plain = zf.plain_zip(tmp_path / "p.zip", [("a.pdf", DATA)])
    res = unpack(plain, _dest(tmp_path, "p"), "")
    assert res.files[0].path.read_bytes() == DATA

"""Password ZIPs against the real tools: 7-Zip (7zz), Info-ZIP zip/unzip and pyzipper, both directions."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest
from tests.core import zipfixtures as zf

from denshi_client.documents import archive
from denshi_client.documents.archive import ZipFormat, list_entries, pack, unpack
from denshi_client.documents.zip import writer

pytestmark = pytest.mark.interop

RANDOM = os.urandom(300_000)  # like a scanned PDF: incompressible
TEXT = ("資格取得届 2024年5月24日 事業所番号 0123\n" * 4000).encode("utf-8")  # compressible


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    zf.write_files(folder, {zf.JP_NAMES[0]: RANDOM, zf.JP_NAMES[1]: TEXT, "empty.pdf": b""})
    return folder


def _check_unpacked(dest: Path, expected: dict[str, bytes], result: archive.UnpackResult) -> None:
    assert sorted(f.name for f in result.files) == sorted(expected)
    for f in result.files:
        assert f.path.parent == dest
        assert f.path.read_bytes() == expected[f.name]
        assert f.sha256 == _sha(expected[f.name])
        assert f.size == len(expected[f.name])
    assert zf.listing(dest) == sorted(expected)  # no temp files left


# ------------------------------------------------------------------------- reading what others wrote


@pytest.mark.parametrize("em", ["AES256", "ZipCrypto"])
@pytest.mark.parametrize("mx", [0, 5])  # Store and Deflate
def test_unpack_7zip_archives(tmp_path: Path, src: Path, em: str, mx: int) -> None:
    names = [zf.JP_NAMES[0], zf.JP_NAMES[1], "empty.pdf"]
    arc = zf.sevenzip(tmp_path / "7z.zip", src, names, em=em, mx=mx)
    entries = {e.name: e for e in list_entries(arc)}
    assert set(entries) == set(names)
    assert entries[zf.JP_NAMES[1]].compression == ("store" if mx == 0 else "deflate")
    assert entries[zf.JP_NAMES[0]].encryption == ("aes256" if em == "AES256" else "zipcrypto")
    dest = tmp_path / "out"
    dest.mkdir()
    res = unpack(arc, dest, zf.PASSWORD)
    _check_unpacked(dest, {zf.JP_NAMES[0]: RANDOM, zf.JP_NAMES[1]: TEXT, "empty.pdf": b""}, res)
    assert res.renamed == {}


def test_unpack_infozip_zipcrypto(tmp_path: Path, src: Path) -> None:
    (src / "plain.pdf").write_bytes(RANDOM)
    (src / "notes.txt").write_bytes(TEXT)
    arc = zf.infozip(tmp_path / "iz.zip", src, ["plain.pdf", "notes.txt"])
    infos = list_entries(arc)
    assert {e.encryption for e in infos} == {"zipcrypto"}
    dest = tmp_path / "out"
    dest.mkdir()
    res = unpack(arc, dest, zf.PASSWORD)
    _check_unpacked(dest, {"plain.pdf": RANDOM, "notes.txt": TEXT}, res)


def test_unpack_infozip_cp932_bytes_names(tmp_path: Path) -> None:
    """Names as CP932 bytes on disk, zipped by Info-ZIP under LC_ALL=C: no flag, raw CP932 in the archive."""
    folder = tmp_path / "sj"
    folder.mkdir()
    raw_names = [n.encode("cp932") for n in (*zf.JP_NAMES, zf.TRAIL_5C_NAME)]
    for i, rn in enumerate(raw_names):
        with open(os.path.join(os.fsencode(folder), rn), "wb") as f:
            f.write(RANDOM[: 1000 + i])
    arc = zf.infozip(tmp_path / "sj.zip", folder, raw_names)
    entries = list_entries(arc)
    assert not any(e.utf8_flag for e in entries)
    assert sorted(e.name for e in entries) == sorted([*zf.JP_NAMES, zf.TRAIL_5C_NAME])
    dest = tmp_path / "out"
    dest.mkdir()
    res = unpack(arc, dest, zf.PASSWORD)
    assert sorted(f.name for f in res.files) == sorted([*zf.JP_NAMES, zf.TRAIL_5C_NAME])


def test_unpack_infozip_utf8_bytes_without_flag(tmp_path: Path) -> None:
    """Info-ZIP 3.0 on Linux writes UTF-8 bytes without bit 11; UTF-8 must win over CP932."""
    folder = tmp_path / "u8"
    zf.write_files(folder, {zf.JP_NAMES[1]: TEXT})
    arc = zf.infozip(tmp_path / "u8.zip", folder, [zf.JP_NAMES[1].encode("utf-8")])
    (e,) = list_entries(arc)
    assert not e.utf8_flag
    assert e.name == zf.JP_NAMES[1]
    dest = tmp_path / "out"
    dest.mkdir()
    unpack(arc, dest, zf.PASSWORD)
    assert (dest / zf.JP_NAMES[1]).read_bytes() == TEXT


@pytest.mark.parametrize("deflate", [True, False])
def test_unpack_pyzipper_aes(tmp_path: Path, deflate: bool) -> None:
    files = {zf.JP_NAMES[0]: RANDOM, zf.JP_NAMES[2]: TEXT}
    arc = zf.pyzipper_aes(tmp_path / "pz.zip", files, deflate=deflate)
    dest = tmp_path / "out"
    dest.mkdir()
    _check_unpacked(dest, files, unpack(arc, dest, zf.PASSWORD))


def test_unpack_pyzipper_cp932_names_without_flag(tmp_path: Path) -> None:
    files = {n: RANDOM[:5000] for n in (*zf.JP_NAMES, zf.TRAIL_5C_NAME)}
    arc = zf.pyzipper_aes(tmp_path / "pzsj.zip", files, cp932_names=True)
    assert not any(e.utf8_flag for e in list_entries(arc))
    dest = tmp_path / "out"
    dest.mkdir()
    _check_unpacked(dest, files, unpack(arc, dest, zf.PASSWORD))


def test_unpack_non_ascii_passwords(tmp_path: Path, src: Path) -> None:
    """7-Zip refuses to *create* ZIPs with non-ASCII passwords; pyzipper uses UTF-8 and Japanese
    Windows tools use CP932 bytes (made here with Info-ZIP under LC_ALL=C). Both must open."""
    pw = "パスワード-2024"
    utf8 = zf.pyzipper_aes(tmp_path / "u.zip", {"a.pdf": RANDOM}, pw)
    cp932 = tmp_path / "s.zip"
    r = zf.run([zf.require_tool("zip"), "-q", "-P", pw.encode("cp932"), str(cp932), zf.JP_NAMES[1]], cwd=src,
               env={"LC_ALL": "C"})
    assert r.returncode == 0, r.stderr
    for arc, name, data in ((utf8, "a.pdf", RANDOM), (cp932, zf.JP_NAMES[1], TEXT)):
        dest = tmp_path / f"out-{arc.stem}"
        dest.mkdir()
        unpack(arc, dest, pw)
        assert (dest / name).read_bytes() == data


# ------------------------------------------------------------------------- others reading what we wrote


@pytest.mark.parametrize("fmt", list(ZipFormat))
def test_pack_read_back_by_7zip(tmp_path: Path, src: Path, fmt: ZipFormat) -> None:
    sources = sorted(src.iterdir())
    res = pack(sources, tmp_path / "ours.zip", zf.PASSWORD, fmt=fmt)
    assert res.sha256 == _sha(res.path.read_bytes())
    assert res.size == res.path.stat().st_size
    assert sorted(res.entries) == sorted(p.name for p in sources)
    t = zf.sevenzip_test(res.path)
    assert t.returncode == 0, t.stdout.decode(errors="replace")
    out = tmp_path / "x7"
    assert zf.sevenzip_extract(res.path, out).returncode == 0
    for p in sources:
        assert (out / p.name).read_bytes() == p.read_bytes()
    # 7-Zip's technical listing confirms the format and the UTF-8 flag
    slt = zf.run([zf.require_tool("7zz"), "l", "-slt", str(res.path)]).stdout.decode()
    assert ("AES-256" in slt) == (fmt is ZipFormat.AES256)
    assert ("ZipCrypto" in slt) == (fmt is ZipFormat.ZIPCRYPTO)
    assert "UTF8" in slt
    # and 7-Zip refuses a wrong password
    assert zf.sevenzip_test(res.path, "wrong-password").returncode != 0


def test_pack_zipcrypto_read_back_by_unzip(tmp_path: Path, src: Path) -> None:
    sources = sorted(src.iterdir())
    res = pack(sources, tmp_path / "zc.zip", zf.PASSWORD, fmt=ZipFormat.ZIPCRYPTO)
    t = zf.unzip_test(res.path)
    assert t.returncode == 0, t.stdout.decode(errors="replace")
    out = tmp_path / "uz"
    assert zf.unzip_extract(res.path, out).returncode == 0
    for p in sources:
        assert (out / p.name).read_bytes() == p.read_bytes()  # names came out as UTF-8 too
    assert zf.unzip_test(res.path, "wrong-password").returncode != 0


def test_pack_aes_unzip_says_unsupported(tmp_path: Path, src: Path) -> None:
    """Info-ZIP cannot do AES (method 99): why ZipCrypto exists as an option."""
    res = pack([src / zf.JP_NAMES[1]], tmp_path / "aes.zip", zf.PASSWORD)
    assert zf.unzip_test(res.path).returncode != 0


def test_pack_legacy_cp932_names(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    names = [*zf.JP_NAMES, zf.TRAIL_5C_NAME]
    sources = zf.write_files(folder, {n: TEXT for n in names})
    for fmt in ZipFormat:
        arc = pack(sources, tmp_path / f"legacy-{fmt.value}.zip", zf.PASSWORD, fmt=fmt, legacy_cp932_names=True).path
        with zipfile.ZipFile(arc) as z:
            infos = z.infolist()
        assert all(not (i.flag_bits & 0x800) for i in infos)
        assert sorted(i.orig_filename.encode("cp437") for i in infos) == sorted(n.encode("cp932") for n in names)
        assert sorted(e.name for e in list_entries(arc)) == sorted(names)
        assert zf.sevenzip_test(arc).returncode == 0
        if fmt is ZipFormat.ZIPCRYPTO:  # (this Debian unzip has no -O cp932: the data check is what counts)
            assert zf.unzip_test(arc).returncode == 0
        dest = tmp_path / f"back-{fmt.value}"
        dest.mkdir()
        assert sorted(f.name for f in unpack(arc, dest, zf.PASSWORD).files) == sorted(names)


def test_pack_non_ascii_password_read_by_tools(tmp_path: Path, src: Path) -> None:
    pw = "パスワード-2024"
    aes = pack([src / zf.JP_NAMES[1]], tmp_path / "jp.zip", pw)
    assert zf.sevenzip_test(aes.path, pw).returncode == 0
    zc = pack([src / zf.JP_NAMES[1]], tmp_path / "jpzc.zip", pw, fmt=ZipFormat.ZIPCRYPTO)
    assert zf.sevenzip_test(zc.path, pw).returncode == 0
    assert zf.unzip_test(zc.path, pw).returncode == 0


def test_zip64_fields_read_by_tools(tmp_path: Path, src: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ZIP64 is only needed past ~4 GiB; force it on small files to prove the layout."""
    monkeypatch.setattr(writer, "ZIP64_THRESHOLD", 0)
    sources = sorted(src.iterdir())
    for fmt in ZipFormat:
        res = pack(sources, tmp_path / f"z64-{fmt.value}.zip", zf.PASSWORD, fmt=fmt)
        assert b"PK\x06\x06" in res.path.read_bytes()
        assert zf.sevenzip_test(res.path).returncode == 0
        if fmt is ZipFormat.ZIPCRYPTO:
            assert zf.unzip_test(res.path).returncode == 0
        dest = tmp_path / f"z64-out-{fmt.value}"
        dest.mkdir()
        _check_unpacked(dest, {p.name: p.read_bytes() for p in sources}, unpack(res.path, dest, zf.PASSWORD))


def test_round_trip_many_chunks(tmp_path: Path) -> None:
    """Several MiB so that chunk and AES counter-span boundaries are crossed."""
    data = os.urandom(3 * 1024 * 1024 + 12345)
    text = os.urandom(1_600_000).hex().encode()  # compresses ~2:1, below the ratio limit
    sources = zf.write_files(tmp_path / "s", {"big.pdf": data, "big.txt": text})
    for fmt in ZipFormat:
        res = pack(sources, tmp_path / f"rt-{fmt.value}.zip", zf.PASSWORD, fmt=fmt)
        assert zf.sevenzip_test(res.path).returncode == 0
        dest = tmp_path / f"rt-{fmt.value}"
        dest.mkdir()
        _check_unpacked(dest, {"big.pdf": data, "big.txt": text}, unpack(res.path, dest, zf.PASSWORD))

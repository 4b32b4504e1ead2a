"""The two ciphers against references: our fast WinZip AES-CTR vs pycryptodomex's CTR mode,
our ZipCrypto vs stream-unzip's compiled decryptor (and 7-Zip in the interop tests)."""

from __future__ import annotations

import os

from Cryptodome.Cipher import AES
from Cryptodome.Util import Counter
from hypothesis import given, settings
from hypothesis import strategies as st

from denshi_client.documents import winzip_aes, zipcrypto


def _reference_ctr(key: bytes, data: bytes, start: int = 1) -> bytes:
    ctr = Counter.new(128, initial_value=start, little_endian=True)
    return AES.new(key, AES.MODE_CTR, counter=ctr).encrypt(data)


DATA = os.urandom(2 * 1024 * 1024 + 333)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 1_100_000), min_size=1, max_size=6))
def test_ctr_le_any_chunking(sizes: list[int]) -> None:
    key = bytes(range(32))
    c = winzip_aes.CtrLE(key)
    out, i = [], 0
    for n in sizes:
        out.append(c.process(DATA[i : i + n]))
        i += n
    assert b"".join(out) == _reference_ctr(key, DATA[:i])


def test_ctr_le_counter_carries() -> None:
    """Across 2^16 and 2^32 block boundaries the high counter bytes must carry like an integer."""
    key = os.urandom(32)
    for start in (65535 - 3, (1 << 32) - 5, (1 << 40) - 70000):
        c = winzip_aes.CtrLE(key)
        c._next = start
        assert c.process(DATA[:300_000]) == _reference_ctr(key, DATA[:300_000], start)


def test_winzip_key_derivation_matches_spec_lengths() -> None:
    key, mac_key, pwv = winzip_aes.derive_keys(b"pw", b"s" * 16, 32)
    assert (len(key), len(mac_key), len(pwv)) == (32, 32, 2)


def test_zipcrypto_round_trip_and_compiled_decryptor() -> None:
    assert zipcrypto.compiled_decryptor_available()
    data = os.urandom(50_000)
    enc = zipcrypto.ZipCryptoCipher(b"Pass-1234").encrypt(data)
    assert enc != data
    assert zipcrypto.decryptor(b"Pass-1234")(enc) == data
    assert zipcrypto.ZipCryptoCipher(b"Pass-1234").decrypt(enc) == data
    _cipher, header = zipcrypto.encryption_header(b"pw", 0xAB)
    assert zipcrypto.decryptor(b"pw")(header)[-1] == 0xAB


def test_unpack_without_per_file_hash_still_verifies(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The app's filing path skips the per-file SHA-256; the archive's HMAC/CRC still decide."""
    import hashlib

    import pytest

    from denshi_client.documents import archive
    from denshi_client.errors import ArchiveError

    src = tmp_path / "doc.pdf"
    data = os.urandom(300_000)
    src.write_bytes(data)
    for fmt in (archive.ZipFormat.AES256, archive.ZipFormat.ZIPCRYPTO):
        z = tmp_path / f"{fmt.value}.zip"
        archive.pack([src], z, "pw-123456", fmt=fmt)
        out = tmp_path / f"out-{fmt.value}"
        out.mkdir()
        res = archive.unpack(z, out, "pw-123456", hash_files=False)
        assert res.files[0].sha256 == ""
        assert hashlib.sha256(res.files[0].path.read_bytes()).digest() == hashlib.sha256(data).digest()
        bad = bytearray(z.read_bytes())
        bad[len(bad) // 2] ^= 0x01  # one flipped byte in the encrypted data
        zb = tmp_path / f"bad-{fmt.value}.zip"
        zb.write_bytes(bytes(bad))
        out2 = tmp_path / f"out2-{fmt.value}"
        out2.mkdir()
        with pytest.raises(ArchiveError):
            archive.unpack(zb, out2, "pw-123456", hash_files=False)
        assert list(out2.iterdir()) == []


def _zipcrypto_zip_with_header_collision(path, name: str, data: bytes, password: str) -> None:  # type: ignore[no-untyped-def]
    """A stored ZipCrypto entry encrypted with the CP932 password whose 12-byte header *also*
    passes the one-byte check under the UTF-8 password: the case that made CI flaky once in 256."""
    import struct
    import zlib

    sj, u8 = password.encode("cp932"), password.encode("utf-8")
    crc = zlib.crc32(data)
    check = crc >> 24
    for i in range(1_000_000):
        plain_head = i.to_bytes(11, "little") + bytes([check])
        cipher = zipcrypto.ZipCryptoCipher(sj)
        head = cipher.encrypt(plain_head)
        if zipcrypto.ZipCryptoCipher(u8).decrypt(head)[-1] == check:
            break
    body = head + cipher.encrypt(data)
    fname = name.encode("cp932")
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 1, 0, 0, 0x21, crc, len(body), len(data),
                        len(fname), 0) + fname
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 1, 0, 0, 0x21, crc, len(body),
                          len(data), len(fname), 0, 0, 0, 0, 0, 0) + fname
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(body), 0)
    path.write_bytes(local + body + central + end)


def test_a_utf8_password_passing_the_zipcrypto_check_by_chance_falls_back_to_cp932(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from denshi_client.documents.archive import ArchiveError, unpack

    data = b"%PDF-1.4\n" + os.urandom(50_000)
    arc = tmp_path / "s.zip"
    _zipcrypto_zip_with_header_collision(arc, "掛金計算書.pdf", data, "パスワード-2024")
    out = tmp_path / "out"
    out.mkdir()
    res = unpack(arc, out, "パスワード-2024")
    assert [f.path.name for f in res.files] == ["掛金計算書.pdf"]
    assert (out / "掛金計算書.pdf").read_bytes() == data
    assert sorted(p.name for p in out.iterdir()) == ["掛金計算書.pdf"]  # no .part left behind
    # a really wrong password is still refused with nothing written
    out2 = tmp_path / "out2"
    out2.mkdir()
    with pytest.raises(ArchiveError):
        unpack(arc, out2, "ちがうパスワード")
    assert list(out2.iterdir()) == []

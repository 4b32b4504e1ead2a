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

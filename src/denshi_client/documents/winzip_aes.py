"""WinZip AES (AE-1/AE-2) primitives, fast.

WinZip uses AES-CTR with a *little-endian* 128-bit counter starting at 1. pycryptodomex's
CTR mode supports that but runs at ~0.9 GB/s; here the counter blocks are built with a
precomputed template and encrypted in ECB mode (AES-NI, ~7 GB/s), then XORed with
strxor (~20 GB/s). PBKDF2 and HMAC-SHA1 come from hashlib/hmac (OpenSSL), which is
~3x faster than pycryptodomex's HMAC. Same bytes as the spec; verified against 7-Zip.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from typing import Any, cast

from Cryptodome.Cipher import AES
from Cryptodome.Util.strxor import strxor

BLOCK = 16
_SPAN = 65536  # counters whose low 16 bits run 0..65535 share the same upper 112 bits
SALT_LEN = {16: 8, 24: 12, 32: 16}
PWV_LEN = 2
MAC_LEN = 10
ITERATIONS = 1000


def derive_keys(password: bytes, salt: bytes, key_len: int) -> tuple[bytes, bytes, bytes]:
    """(AES key, HMAC key, 2-byte password verifier) per the WinZip AE spec."""
    km = hashlib.pbkdf2_hmac("sha1", password, salt, ITERATIONS, 2 * key_len + PWV_LEN)
    return km[:key_len], km[key_len : 2 * key_len], km[2 * key_len :]


def new_mac(mac_key: bytes) -> Any:
    return hmac.new(mac_key, digestmod="sha1")


class CtrLE:
    """AES-CTR with WinZip's little-endian counter; encrypt == decrypt, any chunk sizes.

    The counter blocks of one 65536-block span differ only in their low 16 bits, so a
    1 MiB buffer holds them; moving to the next span rewrites only the high bytes that
    changed (strided slice assignment). All buffers are reused: fresh 1 MiB allocations
    cost more than the AES itself (page faults).
    """

    def __init__(self, key: bytes) -> None:
        self._ecb = AES.new(key, AES.MODE_ECB)
        self._next = 1  # counter of the next keystream block to make
        self._counters = bytearray(_SPAN * BLOCK)
        for j in range(2):  # low 16 bits: block j of the span has j there
            self._counters[j::BLOCK] = bytes((k >> (8 * j)) & 0xFF for k in range(_SPAN))
        self._high = bytes(14)  # high 112 bits currently written into _counters
        self._ks = bytearray(_SPAN * BLOCK)
        self._ks_pos = self._ks_len = 0

    def _set_high(self, high: int) -> None:
        hb = high.to_bytes(14, "little")
        for k in range(14):
            if hb[k] != self._high[k]:
                self._counters[2 + k :: BLOCK] = bytes((hb[k],)) * _SPAN
        self._high = hb

    def _refill(self, want_bytes: int) -> None:
        lo = self._next & 0xFFFF
        count = min((want_bytes + BLOCK - 1) // BLOCK, _SPAN - lo)
        hb = self._next >> 16
        if hb.to_bytes(14, "little") != self._high:
            self._set_high(hb)
        src = memoryview(self._counters)[lo * BLOCK : (lo + count) * BLOCK]
        self._ecb.encrypt(src, output=memoryview(self._ks)[: count * BLOCK])
        self._next += count
        self._ks_pos, self._ks_len = 0, count * BLOCK

    def process_into(self, src: Any, dst: Any) -> None:
        """dst[:] = src XOR keystream; `dst` is a writable buffer of the same length (not `src`'s memory)."""
        n = len(src)
        src_v, dst_v, ks_v = memoryview(src), memoryview(dst), memoryview(self._ks)
        pos = 0
        while pos < n:
            if self._ks_pos == self._ks_len:
                self._refill(n - pos)
            take = min(n - pos, self._ks_len - self._ks_pos)
            strxor(cast(bytes, src_v[pos : pos + take]), cast(bytes, ks_v[self._ks_pos : self._ks_pos + take]),
                   output=cast(bytearray, dst_v[pos : pos + take]))
            pos += take
            self._ks_pos += take

    def process(self, data: Any) -> bytes:
        out = bytearray(len(data))
        if data:
            self.process_into(data, out)
        return bytes(out)


def aes_extra_field(vendor_version: int, strength: int, method: int) -> bytes:
    """The 0x9901 extra field: vendor version (1=AE-1, 2=AE-2), "AE", strength (3=256-bit), real method."""
    return struct.pack("<HHH2sBH", 0x9901, 7, vendor_version, b"AE", strength, method)

"""Entry-name decoding and the name sanitiser, with property tests for the unpacker's path handling."""

from __future__ import annotations

import unicodedata
import warnings
import zipfile
from pathlib import Path, PureWindowsPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.core import zipfixtures as zf

from denshi_client.documents import zipnames
from denshi_client.documents.archive import list_entries, unpack
from denshi_client.errors import ArchiveError

# ------------------------------------------------------------------------------------ decoding


@pytest.mark.parametrize("name", [*zf.JP_NAMES, zf.TRAIL_5C_NAME])
def test_cp932_without_flag(name: str) -> None:
    stored = name.encode("cp932").decode("cp437")  # what zipfile gives for a flag-less entry
    assert zipnames.decode_entry_name(stored, 0) == name


def test_trail_byte_0x5c_survives_windows_separator_rewrite() -> None:
    """On Windows zipfile turns '\\' into '/' in .filename; .orig_filename keeps the bytes."""
    orig = zf.TRAIL_5C_NAME.encode("cp932").decode("cp437")
    windows_filename = orig.replace("\\", "/")
    assert "/" in windows_filename
    assert zipnames.decode_entry_name(orig, 0) == zf.TRAIL_5C_NAME
    # and the decoded name is a single component: nothing to flatten
    assert zipnames.safe_name(zipnames.decode_entry_name(orig, 0)) == zf.TRAIL_5C_NAME


def test_utf8_bytes_without_flag_beat_cp932() -> None:
    stored = "掛金計算書_202410.pdf".encode().decode("cp437")
    assert zipnames.decode_entry_name(stored, 0) == "掛金計算書_202410.pdf"


def test_cp932_only_characters() -> None:
    """① and 髙 exist only in CP932 (not shift_jis): decoding must not use shift_jis."""
    stored = "①髙.pdf".encode("cp932").decode("cp437")
    assert zipnames.decode_entry_name(stored, 0) == "①髙.pdf"


def test_flagged_utf8_and_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "ガイド.pdf")
    assert zipnames.decode_entry_name(nfd, 0x800) == "ガイド.pdf"


@pytest.mark.parametrize("encrypted", [False, True])
def test_cp932_name_with_the_utf8_flag_gets_its_own_message(tmp_path: Path, encrypted: bool) -> None:
    """The flag says UTF-8, the bytes are CP932: say so and what to do, and do not blame the password."""
    name = zf.JP_NAMES[0]
    arc = zf.flagged_utf8_zip(tmp_path / "flag.zip", name.encode("cp932"), b"%PDF-1.7", encrypted=encrypted)
    dest = tmp_path / "dest"
    dest.mkdir()
    for call in (lambda: unpack(arc, dest, zf.PASSWORD), lambda: list_entries(arc)):
        with pytest.raises(ArchiveError) as ei:
            call()
        e = ei.value
        assert e.code == "name_encoding", (e.code, e.ja)
        assert name in e.ja and name in e.en  # the name as the sender meant it (read as CP932)
        assert "UTF-8" in e.ja and "UTF-8" in e.en
        assert "作り直" in e.hint_ja and e.hint_en
        assert "パスワード" not in e.ja + e.hint_ja and "password" not in (e.en + e.hint_en).lower()
    assert zf.listing(dest) == []


def test_undecodable_falls_back_to_cp437_view() -> None:
    stored = bytes([0x81, 0xFF, 0x41]).decode("cp437")  # neither UTF-8 nor CP932
    assert zipnames.decode_entry_name(stored, 0) == stored


def test_reserved_names() -> None:
    for n in ["CON", "con.pdf", "NUL.tar.gz", "COM1", "lpt9.txt", "CON .pdf", "COM¹", "CONIN$", "AUX"]:
        assert zipnames.is_reserved(n), n
        assert not zipnames.is_reserved(zipnames.safe_name(n)), n
        assert PureWindowsPath(n).is_reserved() or n.upper().startswith(("COM¹", "CONIN$")), n
    for n in ["CONSENT.pdf", "console", "COM10", "_CON.pdf", "nul_report.pdf"]:
        assert not zipnames.is_reserved(n), n


def test_numbered() -> None:
    assert zipnames.numbered("a.pdf", 2) == "a (2).pdf"
    assert zipnames.numbered("noext", 3) == "noext (3)"
    long = "L" * 251 + ".pdf"
    n = zipnames.numbered(long, 12)
    assert n.endswith(" (12).pdf") and len(n) <= 255


# ------------------------------------------------------------------------------------ properties

_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)} | {"\x7f"}

names = st.one_of(
    st.text(min_size=0, max_size=300),
    st.text(alphabet=st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr)), max_size=30),  # surrogates
    st.text(alphabet=st.sampled_from(list("./\\ :CONULPTcom1¹$<>?*|\"aあ長①\x00\t")), max_size=40),
    st.sampled_from(["CON", "nul.pdf", "..", ".", " ", "...", "a/../b", "C:\\x", "\\\\s\\x", "x.pdf. . "]),
)


@settings(max_examples=400, deadline=None)
@given(names)
def test_safe_name_properties(name: str) -> None:
    s = zipnames.safe_name(name)
    assert s and s not in (".", "..")
    assert not (_FORBIDDEN & set(s))
    assert not s.endswith((".", " "))
    assert not zipnames.is_reserved(s)
    assert not PureWindowsPath(s).is_reserved()
    assert len(s.encode("utf-16-le", "surrogatepass")) // 2 <= 255
    assert len(s.encode("utf-8", "surrogatepass")) <= 255
    assert zipnames.safe_name(s) == s  # idempotent
    base = Path("/dest")
    assert (base / s).parent == base
    assert PureWindowsPath("C:/dest", s).parent == PureWindowsPath("C:/dest")


entry_names = st.lists(
    st.one_of(
        st.text(alphabet=st.sampled_from(list("ab./\\ :C<>?*Nn\x01あ")), min_size=1, max_size=12),
        st.sampled_from(["../x.pdf", "/abs.pdf", "C:\\w.pdf", "d/", "CON", "A.pdf", "a.pdf"]),
    ),
    min_size=1, max_size=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entry_names)
def test_unpack_never_writes_outside(tmp_path_factory: pytest.TempPathFactory, entries: list[str]) -> None:
    """Whatever the names: either a clear refusal, or flat files directly inside dest, nothing else."""
    base = tmp_path_factory.mktemp("prop")
    arc = base / "p.zip"
    with zipfile.ZipFile(arc, "w") as z, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are part of the test
        for i, n in enumerate(entries):
            z.writestr(n, b"" if n.endswith("/") else f"{i}".encode())
    dest = base / "dest"
    dest.mkdir()
    try:
        res = unpack(arc, dest, "")
    except ArchiveError as e:
        assert e.code in {"unsafe_entry", "case_collision"}, e.code
        assert zf.listing(dest) == []
    else:
        assert sorted(p.name for p in dest.iterdir()) == sorted(f.name for f in res.files)
        assert all(p.is_file() and p.parent == dest for p in dest.iterdir())
        assert len({zipnames.fold(f.name) for f in res.files}) == len(res.files)
    assert sorted(p.name for p in base.iterdir()) == ["dest", "p.zip"]

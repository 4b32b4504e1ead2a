"""PDF sanity checks: real PDFs from Ghostscript, hand-built oddities, streaming."""

from __future__ import annotations

import subprocess
import tracemalloc
from pathlib import Path

import pytest
from tests.conftest import require_tool

from denshi_client.documents import pdfcheck
from denshi_client.documents.pdfcheck import check_pdf

PS_TWO_PAGES = (b"%!PS\n/Helvetica findfont 24 scalefont setfont\n"
                b"72 720 moveto (page one) show showpage\n72 720 moveto (page two) show showpage\n")


def minimal_pdf(pages: int = 1, *, extra_objects: list[bytes] | None = None, trailer_extra: bytes = b"",
                version: bytes = b"1.4", padding: int = 0) -> bytes:
    """A small, structurally correct PDF (objects, xref, trailer) built by hand."""
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages)).encode()
    objs.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(pages).encode() + b" >>")
    for _ in range(pages):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
    if padding:
        objs.append(b"<< /Length " + str(padding).encode() + b" >>\nstream\n" + b"x" * padding + b"\nendstream")
    objs += extra_objects or []
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += b"trailer\n<< /Size " + str(len(objs) + 1).encode() + b" /Root 1 0 R" + trailer_extra + b" >>\n"
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write(tmp_path: Path, data: bytes, name: str = "doc.pdf") -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def codes(result: pdfcheck.PdfCheckResult) -> tuple[list[str], list[str]]:
    return [f.code for f in result.errors], [f.code for f in result.warnings]


# --------------------------------------------------------------------------- real PDFs (Ghostscript)


@pytest.fixture(scope="module")
def gs_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    gs = require_tool("gs")
    d = tmp_path_factory.mktemp("gs")
    ps = d / "two.ps"
    ps.write_bytes(PS_TWO_PAGES)
    plain, locked = d / "plain.pdf", d / "locked.pdf"
    subprocess.run([gs, "-q", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", f"-sOutputFile={plain}", str(ps)],
                   check=True, timeout=60)
    subprocess.run([gs, "-q", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", "-sOwnerPassword=owner",
                    "-sUserPassword=user", f"-sOutputFile={locked}", str(ps)], check=True, timeout=60)
    return {"plain": plain, "locked": locked}


def test_real_pdf_passes(gs_pdfs: dict[str, Path]) -> None:
    r = check_pdf(gs_pdfs["plain"])
    assert r.ok and codes(r) == ([], [])
    assert r.pages == 2 and r.version is not None and not r.encrypted


def test_real_password_protected_pdf_is_refused(gs_pdfs: dict[str, Path]) -> None:
    r = check_pdf(gs_pdfs["locked"])
    assert not r.ok and r.encrypted
    assert codes(r)[0] == ["encrypted"]
    assert "パスワード" in r.errors[0].ja and "password" in r.errors[0].en


def test_real_pdf_cut_short_is_refused(gs_pdfs: dict[str, Path], tmp_path: Path) -> None:
    data = gs_pdfs["plain"].read_bytes()
    r = check_pdf(write(tmp_path, data[: len(data) // 2]))
    assert codes(r)[0] == ["truncated"]
    assert "途中" in r.errors[0].ja


# --------------------------------------------------------------------------- hand-built cases


def test_minimal_pdf_counts_pages(tmp_path: Path) -> None:
    r = check_pdf(write(tmp_path, minimal_pdf(pages=3)))
    assert r.ok and r.pages == 3 and r.version == "1.4"


def test_empty_file(tmp_path: Path) -> None:
    r = check_pdf(write(tmp_path, b""))
    assert codes(r) == (["empty"], []) and r.size == 0


def test_missing_file(tmp_path: Path) -> None:
    r = check_pdf(tmp_path / "nope.pdf")
    assert codes(r) == (["not_found"], [])


@pytest.mark.parametrize(("head", "hint"), [
    (b"PK\x03\x04" + b"\0" * 100, "Word・Excel"),
    (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "古い形式"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 100, "画像"),
    (b"Hello, this is text.\n", ""),
])
def test_not_a_pdf(tmp_path: Path, head: bytes, hint: str) -> None:
    r = check_pdf(write(tmp_path, head))
    assert codes(r) == (["not_pdf"], [])
    assert "PDFファイルではありません" in r.errors[0].ja and hint in r.errors[0].ja


def test_encrypt_in_trailer(tmp_path: Path) -> None:
    enc = b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <00> /U <00> >>"
    r = check_pdf(write(tmp_path, minimal_pdf(extra_objects=[enc], trailer_extra=b" /Encrypt 4 0 R")))
    assert r.encrypted and codes(r)[0] == ["encrypted"]


def test_the_word_encrypt_in_text_is_not_encryption(tmp_path: Path) -> None:
    r = check_pdf(write(tmp_path, minimal_pdf(extra_objects=[b"<< /Title (/Encrypt me) >>"])))
    assert r.ok and not r.encrypted


def test_too_large_is_an_error_and_the_body_is_not_scanned(tmp_path: Path) -> None:
    p = write(tmp_path, minimal_pdf(padding=200_000))
    r = check_pdf(p, max_bytes=100_000)
    assert codes(r)[0] == ["too_large"]
    assert r.pages is None
    assert "MiB" in r.errors[0].ja
    assert check_pdf(p, max_bytes=300_000).ok


def test_default_limit_is_20_mib() -> None:
    assert pdfcheck.DEFAULT_MAX_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize(("obj", "code"), [
    (b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>", "javascript"),
    (b"<< /Type /Action /S /Launch /F (calc.exe) >>", "launch"),
    (b"<< /Names << /EmbeddedFiles 9 0 R >> >>", "embedded_files"),
    (b"<< /AcroForm << /XFA 9 0 R >> >>", "xfa"),
])
def test_odd_content_gives_warnings_not_errors(tmp_path: Path, obj: bytes, code: str) -> None:
    r = check_pdf(write(tmp_path, minimal_pdf(extra_objects=[obj])))
    assert r.ok
    assert code in codes(r)[1]


def test_junk_around_the_pdf_is_a_warning(tmp_path: Path) -> None:
    r = check_pdf(write(tmp_path, b"\r\n\r\nJUNK" + minimal_pdf() + b"MORE JUNK AFTER THE END"))
    assert r.ok
    assert set(codes(r)[1]) == {"leading_garbage", "trailing_garbage"}
    assert check_pdf(write(tmp_path, minimal_pdf() + b"\r\n\x00\x00"), ).warnings == []


def test_no_pages_is_a_warning(tmp_path: Path) -> None:
    r = check_pdf(write(tmp_path, b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"))
    assert r.ok and r.pages == 0 and codes(r)[1] == ["no_pages"]


def test_pages_in_object_streams_are_unknown_not_zero(tmp_path: Path) -> None:
    data = (b"%PDF-1.5\n1 0 obj\n<< /Type /ObjStm /N 3 /First 10 /Filter /FlateDecode /Length 4 >>\n"
            b"stream\n\x78\x9c\x03\x00\nendstream\nendobj\n%%EOF\n")
    r = check_pdf(write(tmp_path, data))
    assert r.ok and r.pages is None and r.warnings == []


def test_odd_version_is_a_warning(tmp_path: Path) -> None:
    r = check_pdf(write(tmp_path, minimal_pdf(version=b"9.9")))
    assert r.ok and codes(r)[1] == ["odd_version"]


def test_result_to_dict(tmp_path: Path) -> None:
    import json

    d = check_pdf(write(tmp_path, minimal_pdf(pages=2))).to_dict()
    json.dumps(d)
    assert d["ok"] is True and d["pages"] == 2 and d["errors"] == []


# --------------------------------------------------------------------------- streaming


@pytest.mark.parametrize("chunk", [37, 100, 509, 4096])
def test_tokens_cut_by_chunk_borders_are_counted_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      chunk: int) -> None:
    enc = b"<< /Filter /Standard >>"
    data = minimal_pdf(pages=7, extra_objects=[enc, b"<< /S /JavaScript >>"], trailer_extra=b" /Encrypt 10 0 R")
    p = write(tmp_path, data)
    whole = check_pdf(p)
    monkeypatch.setattr(pdfcheck, "CHUNK", chunk)
    small = check_pdf(p)
    assert (small.pages, small.encrypted, codes(small)) == (whole.pages, whole.encrypted, codes(whole))
    assert small.pages == 7 and small.encrypted


def test_memory_stays_flat_and_progress_is_reported(tmp_path: Path) -> None:
    p = write(tmp_path, minimal_pdf(pages=2, padding=24 * 1024 * 1024))
    seen: list[tuple[int, int]] = []
    tracemalloc.start()
    try:
        r = check_pdf(p, max_bytes=64 * 1024 * 1024, progress=lambda done, total: seen.append((done, total)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.ok and r.pages == 2
    assert peak < 8 * 1024 * 1024, peak  # the file is 24 MiB
    assert seen[-1] == (r.size, r.size) and len(seen) >= 24

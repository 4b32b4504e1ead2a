"""The seeded inbox: real PDFs inside real password ZIPs in the formats the fund's tools write."""

from __future__ import annotations

from pathlib import Path

from denshi_client.documents.archive import list_entries, unpack
from denshi_client.portal.standin import DEMO_ZIP_PASSWORDS, StandInService
from tests.conftest import require_tool


def test_seed_zips_open_with_the_documented_passwords(service: StandInService, client, tmp_path: Path) -> None:
    encryptions: set[str] = set()
    legacy_names = 0
    for i, doc in enumerate(client.inbox()):
        path = client.download(doc, tmp_path / "dl")
        entries = list_entries(path)
        assert len(entries) == 1
        encryptions.add(entries[0].encryption)
        if not entries[0].utf8_flag:
            legacy_names += 1
        assert entries[0].name.endswith(".pdf") and doc.establishment in entries[0].name
        (tmp_path / f"out{i}").mkdir()
        res = unpack(path, tmp_path / f"out{i}", DEMO_ZIP_PASSWORDS[doc.establishment])
        pdf = res.files[0].path.read_bytes()
        assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
        assert doc.doc_type in res.files[0].name
    assert encryptions == {"aes256", "zipcrypto"}
    assert legacy_names >= 2  # CP932 names without the UTF-8 flag


def test_pdf_text_is_real_japanese(tmp_path: Path) -> None:
    import subprocess

    from denshi_client.portal.standin.pdfgen import make_pdf

    gs = require_tool("gs")  # Ghostscript reads the text back; missing in CI is a failure
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(make_pdf("掛金計算書（令和6年10月分）", ["事業所番号：0123", "掛金合計：1,234,500円"]))
    out = subprocess.run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=txtwrite", "-sOutputFile=-",
                          str(pdf)], capture_output=True, text=True, timeout=60).stdout
    assert "掛金計算書" in out and "1,234,500円" in out

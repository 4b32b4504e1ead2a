"""Small but real PDF files with Japanese text, written by hand (no PDF library in the product).

Japanese is set in the standard CJK font HeiseiKakuGo-W5 with the UniJIS-UCS2-H CMap, which every
PDF viewer maps to a system Gothic font, so nothing is embedded and a page is a few KiB. The xref
offsets are exact, so strict readers (Ghostscript, pdf.js, Acrobat) open the files without repair.
"""

from __future__ import annotations

from collections.abc import Sequence


def _utf16_hex(text: str) -> str:
    # UniJIS-UCS2-H takes 2-byte UCS-2 codes; characters beyond the BMP become '?'.
    return "".join(f"{ord(c):04X}" if ord(c) <= 0xFFFF else "003F" for c in text)


def _ascii_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(title: str, lines: Sequence[str], *, author: str = "電子連携サービス（スタンドイン）") -> bytes:
    """One A4 page: a bold-ish title and body lines. Returns the PDF bytes."""
    content_ops = ["BT", "/F1 16 Tf", "56 780 Td", f"<{_utf16_hex(title)}> Tj", "/F1 10.5 Tf", "0 -30 Td"]
    for line in lines:
        content_ops.append(f"<{_utf16_hex(line)}> Tj")
        content_ops.append("0 -17 Td")
    content_ops.append("ET")
    content_ops += ["0.5 w", "56 770 m 539 770 l S"]
    stream = "\n".join(content_ops).encode("ascii")

    info_title = "<FEFF" + _utf16_hex(title) + ">"
    info_author = "<FEFF" + _utf16_hex(author) + ">"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiKakuGo-W5 /Encoding /UniJIS-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiKakuGo-W5 "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 5 >> /FontDescriptor 7 0 R "
        b"/DW 1000 /W [1 95 500 231 632 500] >>",
        b"<< /Type /FontDescriptor /FontName /HeiseiKakuGo-W5 /Flags 4 /FontBBox [-92 -250 1010 922] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 737 /StemV 114 >>",
        ("<< /Title " + info_title + " /Author " + info_author + " /Producer ("
         + _ascii_escape("denshi-client stand-in") + ") >>").encode("ascii"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
            f"startxref\n{xref_at}\n%%EOF\n").encode()
    return bytes(out)

"""Cheap sanity checks for a PDF before it is zipped and sent to the fund.

Not a PDF parser: the aim is to catch the mistakes users really make — a Word file
renamed to .pdf, a half-copied download, a password-protected PDF the fund cannot
open, a scan far too large to upload — without an external dependency. The file is
read in chunks, so memory stays flat whatever its size.

Errors stop the upload; warnings are shown but do not (odd but readable files).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from denshi_client import i18n

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
HEAD_BYTES = 1024  # the spec lets %PDF- appear anywhere in the first 1024 bytes
TAIL_BYTES = 2048  # %%EOF must be in the last 1024; allow some slack for trailing junk
CHUNK = 1024 * 1024
_MARGIN = 32  # a match this close to the end of what was read may still grow (digits, /Page → /Pages)
_KEEP = 512  # bytes kept between chunks: longer than any token pattern can match

Level = Literal["error", "warning"]

_VERSION_RE = re.compile(rb"%PDF-(\d+\.\d+)")
_PAGE_RE = re.compile(rb"/Type\s*/Page(?![A-Za-z0-9])")
_PAGES_COUNT_RE = re.compile(rb"/Type\s*/Pages(?![A-Za-z0-9])[^>]{0,200}?/Count\s+(\d+)"
                             rb"|/Count\s+(\d+)[^>]{0,200}?/Type\s*/Pages(?![A-Za-z0-9])")
_ENCRYPT_RE = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_TOKENS: dict[str, re.Pattern[bytes]] = {
    "objstm": re.compile(rb"/Type\s*/ObjStm"),
    "javascript": re.compile(rb"/(?:JavaScript|JS)(?![A-Za-z])"),
    "launch": re.compile(rb"/Launch(?![A-Za-z])"),
    "embedded": re.compile(rb"/EmbeddedFiles?(?![A-Za-z])"),
    "xfa": re.compile(rb"/XFA(?![A-Za-z])"),
}


@dataclass(frozen=True)
class PdfFinding:
    code: str
    level: Level
    ja: str
    en: str

    def message(self, lang: str | None = None) -> str:
        return i18n.pick(self.ja, self.en, lang)

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "level": self.level, "message_ja": self.ja, "message_en": self.en}


@dataclass(frozen=True)
class PdfCheckResult:
    path: str
    size: int
    version: str | None = None
    pages: int | None = None  # None when it could not be counted cheaply (compressed object streams)
    encrypted: bool = False
    findings: tuple[PdfFinding, ...] = field(default=())

    @property
    def errors(self) -> list[PdfFinding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[PdfFinding]:
        return [f for f in self.findings if f.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "path": self.path, "size": self.size, "version": self.version, "pages": self.pages,
                "encrypted": self.encrypted, "errors": [f.to_dict() for f in self.errors],
                "warnings": [f.to_dict() for f in self.warnings]}


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"


def check_pdf(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> PdfCheckResult:
    """Check `path`; never raises for a bad file (a missing one is an error finding).

    `progress(done, total)` is called per chunk of the body scan, for large files in the UI.
    """
    p = Path(path)
    findings: list[PdfFinding] = []

    def err(code: str, ja: str, en: str) -> None:
        findings.append(PdfFinding(code, "error", ja, en))

    def warn(code: str, ja: str, en: str) -> None:
        findings.append(PdfFinding(code, "warning", ja, en))

    try:
        if not p.is_file():
            err("not_found", f"ファイルが見つかりません: {p.name}", f"File not found: {p.name}")
            return PdfCheckResult(str(p), 0, findings=tuple(findings))
        size = p.stat().st_size
        if size == 0:
            err("empty", "ファイルが空です（0バイト）。", "The file is empty (0 bytes).")
            return PdfCheckResult(str(p), 0, findings=tuple(findings))
        with p.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
            fh.seek(max(size - TAIL_BYTES, 0))
            tail = fh.read(TAIL_BYTES)
            version = _check_head(head, err, warn)
            if version is None:
                return PdfCheckResult(str(p), size, findings=tuple(findings))
            _check_tail(tail, err, warn)
            too_big = size > max_bytes
            if too_big:
                err("too_large",
                    f"ファイルが大きすぎます（{_mib(size)}、上限 {_mib(max_bytes)}）。"
                    "解像度を下げるか、分割してください。",
                    f"The file is too large ({_mib(size)}; the limit is {_mib(max_bytes)}). "
                    "Scan at a lower resolution or split it.")
                # Do not read a huge body: the verdict is already "no", and the tail still tells encryption.
                encrypted = bool(_ENCRYPT_RE.search(tail))
                hits: dict[str, int] = {}
                pages: int | None = None
            else:
                fh.seek(0)
                hits, encrypted, pages = _scan_body(fh, size, progress)
    except OSError as e:
        err("unreadable", f"ファイルを読み込めませんでした: {p.name}（{e.strerror or e}）",
            f"Cannot read the file: {p.name} ({e.strerror or e})")
        return PdfCheckResult(str(p), 0, findings=tuple(findings))

    if encrypted:
        err("encrypted",
            "PDFにパスワードや暗号化が設定されています。基金で開けないため、保護を解除したPDFを使ってください。",
            "The PDF is password-protected or encrypted; the fund cannot open it. Use an unprotected PDF.")
    if not too_big:
        if pages == 0:
            warn("no_pages", "ページが見つかりません。正しいPDFかご確認ください。",
                 "No pages were found. Please check that this is the right PDF.")
        if hits.get("javascript"):
            warn("javascript", "PDFにスクリプト（JavaScript）が含まれています。", "The PDF contains JavaScript.")
        if hits.get("launch"):
            warn("launch", "PDFに外部プログラムを起動する動作が含まれています。",
                 "The PDF contains an action that launches a program.")
        if hits.get("embedded"):
            warn("embedded_files", "PDFに別のファイルが添付されています。", "The PDF has embedded (attached) files.")
        if hits.get("xfa"):
            warn("xfa", "PDFが入力フォーム（XFA）形式です。基金の環境で正しく表示されない場合があります。",
                 "The PDF is an XFA form, which may not display correctly at the fund.")
    if version and version not in {f"1.{i}" for i in range(8)} | {"2.0"}:
        warn("odd_version", f"PDFのバージョン（{version}）が一般的ではありません。",
             f"Unusual PDF version ({version}).")
    return PdfCheckResult(str(p), size, version, pages, encrypted, tuple(findings))


def _check_head(head: bytes, err: Callable[[str, str, str], None], warn: Callable[[str, str, str], None]) -> str | None:
    m = _VERSION_RE.search(head)
    if m is None:
        hint_ja, hint_en = _guess_type(head)
        err("not_pdf", f"PDFファイルではありません{hint_ja}。PDF形式で保存し直してください。",
            f"This is not a PDF file{hint_en}. Please save it as PDF.")
        return None
    if m.start() != 0:
        warn("leading_garbage", "PDFの先頭に余分なデータがあります。", "There is extra data before the PDF header.")
    return m.group(1).decode("ascii")


def _check_tail(tail: bytes, err: Callable[[str, str, str], None], warn: Callable[[str, str, str], None]) -> None:
    pos = tail.rfind(b"%%EOF")
    if pos < 0:
        err("truncated", "PDFの終わりが見つかりません。ファイルが途中までしか保存されていない可能性があります。",
            "The end of the PDF (%%EOF) is missing; the file may be incomplete (cut off while saving or copying).")
        return
    rest = tail[pos + 5:]
    if rest.strip(b"\r\n\t \x00"):
        warn("trailing_garbage", "PDFの終わりの後に余分なデータがあります。",
             "There is extra data after the end of the PDF.")


def _guess_type(head: bytes) -> tuple[str, str]:
    """A friendlier reason for the commonest mix-ups (a renamed Word/Excel file, an image)."""
    if head.startswith(b"PK\x03\x04"):
        return "（Word・Excel・ZIPなどのファイルのようです）", " (it looks like a Word, Excel or ZIP file)"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "（古い形式のWord・Excelファイルのようです）", " (it looks like an old Word or Excel file)"
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG") or head[:4] in (b"II*\x00", b"MM\x00*"):
        return "（画像ファイルのようです）", " (it looks like an image)"
    return "", ""


def _scan_body(fh: BinaryIO, size: int, progress: Callable[[int, int], None] | None
               ) -> tuple[dict[str, int], bool, int | None]:
    """One pass over the file in chunks, counting tokens.

    A match is counted only once it ends at least `_MARGIN` bytes before the end of the
    data read so far (or at end of file), so a token cut by a chunk border ("/Type /Page"
    + "s") is judged only when complete, and never twice.
    """
    hits = dict.fromkeys(_TOKENS, 0)
    page_objs = 0
    max_count = 0
    encrypted = False
    buf = b""
    base = 0  # file offset of buf[0]
    counted_to = 0  # file offset: matches ending at or before it were already handled
    done = 0
    while True:
        chunk = fh.read(CHUNK)
        eof = not chunk
        buf += chunk
        done += len(chunk)
        limit = base + len(buf) - (0 if eof else _MARGIN)
        lo, hi = counted_to - base, limit - base  # count matches ending in (lo, hi] of buf

        page_objs += sum(1 for m in _PAGE_RE.finditer(buf) if lo < m.end() <= hi)
        for m in _PAGES_COUNT_RE.finditer(buf):
            if lo < m.end() <= hi:
                max_count = max(max_count, int(m.group(1) or m.group(2)))
        for key, rx in _TOKENS.items():
            hits[key] += sum(1 for m in rx.finditer(buf) if lo < m.end() <= hi)
        encrypted = encrypted or any(lo < m.end() <= hi for m in _ENCRYPT_RE.finditer(buf))
        counted_to = limit
        if progress is not None and chunk:
            progress(done, size)
        if eof:
            break
        keep = buf[-_KEEP:]
        base += len(buf) - len(keep)
        buf = keep
    pages: int | None
    if page_objs:
        pages = page_objs
    elif max_count:
        pages = max_count
    else:
        pages = None if hits["objstm"] else 0  # pages hidden in compressed object streams: unknown, not zero
    return hits, encrypted, pages

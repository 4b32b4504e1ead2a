"""Recognising the fund's OTP mail: pure functions over raw RFC 5322 bytes.

Japanese mail comes in many shapes (ISO-2022-JP, Shift_JIS, UTF-8; base64 or quoted-printable; text or
HTML only; multipart/alternative; MIME-encoded or even raw 8-bit headers), so decoding is forgiving and
never raises. Text is NFKC-normalised before matching so full-width digits and colons count. Nothing
here logs: a mail body and the code are secrets.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import email.utils
import html
import html.parser
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from typing import ClassVar

# A code right after a label such as 「ワンタイムパスワード：」; what follows may not look like a date or time.
_LABELS = (
    "ワンタイムパスワード", "ワンタイム・パスワード", "ワンタイムパスコード", "認証コード", "確認コード", "認証番号",
    "確認番号", "暗証番号", "パスコード", "セキュリティコード", "ログインコード", "認証キー", "パスワード",
    r"one[- ]?time[- ]?pass(?:word|code)", "verification code", "security code", "passcode", "otp", "code",
)
DEFAULT_CODE_PATTERN = (
    "(?:" + "|".join(_LABELS) + r")(?:\s*\([^)\n]{0,12}\))?(?:[^\d\n]{0,40}?\n){0,3}?[^\d\n]{0,40}?"
    r"(\d{4,8})(?![\d年月日時分秒]|[:/.,\-]\d)"
)
# With the default pattern only: a lone 6-digit number, when no labelled code is found.
_BARE_CODE = re.compile(r"(?<![A-Za-z0-9.,/\-])(\d{6})(?![A-Za-z0-9年月日時分秒]|[:/.,\-]\d)")

_CHARSET_FIX = {
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "windows-31j": "cp932", "cp932": "cp932", "x-ms-cp932": "cp932",
    "iso-2022-jp": "iso2022_jp_ext", "iso2022-jp": "iso2022_jp_ext", "csiso2022jp": "iso2022_jp_ext",
    "euc-jp": "euc_jis_2004", "x-euc-jp": "euc_jis_2004", "us-ascii": "utf-8",
}


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    cs = charset.strip().strip('"').lower()
    return _CHARSET_FIX.get(cs, cs)


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Bytes to text: the declared charset (made Windows-tolerant), then good guesses; never raises."""
    tried: list[str] = []
    candidates = [_codec(charset)]
    if b"\x1b$" in data or b"\x1b(" in data:
        candidates += ["iso2022_jp_ext", "iso2022_jp_2", "iso2022_jp_2004"]
    candidates += ["utf-8", "cp932", "euc_jis_2004"]
    for cs in candidates:
        if not cs or cs in tried:
            continue
        tried.append(cs)
        try:
            return data.decode(cs)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode(_codec(charset) or "utf-8", errors="replace") if _known(charset) else \
        data.decode("utf-8", errors="replace")


def _known(charset: str | None) -> bool:
    try:
        "".encode(_codec(charset) or "")
        return bool(charset)
    except LookupError:
        return False


def decode_header_value(value: str | email.header.Header | None) -> str:
    """A header as text: RFC 2047 words in any charset, raw 8-bit Shift_JIS/UTF-8 tolerated.

    compat32 hands a raw 8-bit header over as a Header in "unknown-8bit", which decode_bytes guesses.
    """
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        chunks = email.header.decode_header(value)
    else:
        raw = str(value)
        try:
            chunks = email.header.decode_header(raw)
        except Exception:  # a broken encoded word: take it as it stands
            chunks = [(raw, None)]
    out = []
    for part, cs in chunks:
        if isinstance(part, bytes):
            out.append(decode_bytes(part, cs))
        else:
            out.append(part)
    text = "".join(out)
    return re.sub(r"\s*\n\s*", " ", text).strip()


class _HtmlText(html.parser.HTMLParser):
    """Visible text of an HTML mail: no script/style, line breaks for block elements."""

    _BLOCK: ClassVar[frozenset[str]] = frozenset(
        {"br", "p", "div", "tr", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "td", "th"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    p = _HtmlText()
    try:
        p.feed(markup)
        p.close()
    except Exception:  # malformed markup: fall back to stripping tags
        return html.unescape(re.sub(r"<[^>]*>", " ", markup))
    return "".join(p.parts)


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    return decode_bytes(payload, part.get_content_charset())


def body_text(msg: Message) -> str:
    """The readable text: every text/plain part, else every text/html part made plain; attachments skipped."""
    plain: list[str] = []
    htmls: list[str] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        disp = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        if disp == "attachment":
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain":
            plain.append(_part_text(part))
        elif ctype == "text/html":
            htmls.append(html_to_text(_part_text(part)))
    return "\n".join(plain) if plain else "\n".join(htmls)


def normalise(text: str) -> str:
    """NFKC: full-width digits, letters and colons become their ASCII forms."""
    return unicodedata.normalize("NFKC", text)


@dataclass(frozen=True)
class ParsedMail:
    from_addr: str  # lower-case address only
    from_header: str  # decoded, for display
    subject: str
    date: datetime | None  # the Date header, aware
    text: str  # readable body, NFKC-normalised

    def __repr__(self) -> str:  # never print the body
        return f"ParsedMail(from={self.from_addr!r}, subject={self.subject!r}, date={self.date!r})"


def parse_mail(raw: bytes) -> ParsedMail:
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    from_header = decode_header_value(msg.get("From"))
    _, addr = email.utils.parseaddr(from_header)
    return ParsedMail(addr.strip().lower(), from_header, normalise(decode_header_value(msg.get("Subject"))),
                      header_date(msg.get("Date")), normalise(body_text(msg)))


def header_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        d = email.utils.parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def received_date(raw: bytes) -> datetime | None:
    """Arrival time from the top Received header (the last hop), else the Date header."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    for rec in msg.get_all("Received") or []:
        _, _, when = str(rec).rpartition(";")
        d = header_date(when.strip())
        if d is not None:
            return d
        break
    return header_date(msg.get("Date"))


@dataclass(frozen=True)
class OtpRule:
    """Which mail is the fund's OTP mail and where its code is."""

    senders: tuple[str, ...]  # addresses or "@domain", lower-case
    subject_contains: str = ""
    code_pattern: str = DEFAULT_CODE_PATTERN

    @classmethod
    def from_settings(cls, sender: str, subject_contains: str = "", code_pattern: str = "") -> OtpRule:
        senders = tuple(s.strip().lower() for s in re.split(r"[,\s;]+", sender) if s.strip())
        return cls(senders, subject_contains.strip(), code_pattern or DEFAULT_CODE_PATTERN)

    def sender_matches(self, addr: str) -> bool:
        addr = addr.lower()
        return any(addr.endswith(s) if s.startswith("@") else addr == s for s in self.senders)

    def subject_matches(self, subject: str) -> bool:
        want = normalise(self.subject_contains).casefold()
        return not want or want in normalise(subject).casefold()


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """The code pattern, case-insensitive; ValueError (with re's reason) when it is not a regex."""
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as e:
        raise ValueError(str(e)) from None


def extract_code(text: str, pattern: str = DEFAULT_CODE_PATTERN) -> str | None:
    """The code in a (normalised) text: group `code`, else group 1, else the whole match."""
    text = normalise(text)
    rx = compile_pattern(pattern)
    m = rx.search(text)
    if m:
        if "code" in rx.groupindex and m.group("code"):
            return normalise(m.group("code")).strip()
        for g in m.groups():
            if g:
                return normalise(g).strip()
        return m.group(0).strip()
    if pattern == DEFAULT_CODE_PATTERN:
        b = _BARE_CODE.search(text)
        if b:
            return b.group(1)
    return None


@dataclass(frozen=True)
class OtpHit:
    otp: str
    received_at: datetime
    from_addr: str
    subject: str

    def __repr__(self) -> str:  # the code stays out of reprs, logs and tracebacks
        return f"OtpHit(otp=***, received_at={self.received_at!r}, from={self.from_addr!r})"

    def to_dict(self) -> dict[str, str]:
        return {"otp": self.otp, "received_at": self.received_at.isoformat(), "from": self.from_addr}


@dataclass(frozen=True)
class RawMail:
    """One message as a source gives it: its arrival time at the mailbox and its bytes."""

    received_at: datetime
    raw: bytes
    ref: str = ""  # UID / UIDL / file name, for de-duplication only

    def __repr__(self) -> str:
        return f"RawMail(received_at={self.received_at!r}, ref={self.ref!r}, {len(self.raw)} bytes)"


def since_floor(since: datetime) -> datetime:
    """Arrival times have whole seconds: a mail in the request's own second still counts."""
    return since.replace(microsecond=0)


def find_otp(mails: Iterable[RawMail], rule: OtpRule, since: datetime) -> OtpHit | None:
    """The newest mail that arrived at or after `since`, is from the fund and carries a code."""
    floor = since_floor(since)
    fresh = sorted((m for m in mails if m.received_at >= floor), key=lambda m: m.received_at, reverse=True)
    for m in fresh:
        parsed = parse_mail(m.raw)
        if not rule.sender_matches(parsed.from_addr) or not rule.subject_matches(parsed.subject):
            continue
        code = extract_code(parsed.text, rule.code_pattern)
        if code:
            return OtpHit(code, m.received_at, parsed.from_addr, parsed.subject)
    return None

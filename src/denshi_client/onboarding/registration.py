"""The fund's administrator registration (電子連携管理者登録届): check, write, pack, and prepare the mail.

The fund reads row 2 of the Excel form in a fixed column order, names the file by the
6-digit establishment number, and only accepts it as a password ZIP whose password comes
in a separate mail. Every rule of that procedure lives here so the wizard and
`denshi-client register` cannot drift apart. No Qt: the wizard calls this from a worker.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

from denshi_client.clock import JST, Clock, SystemClock
from denshi_client.documents import naming
from denshi_client.errors import ValidationError
from denshi_client.redact import register_secret

# The fund's column order for row 2 (PRODUCT.md, 準備作業 1). Row 1 holds these headers.
FIELDS: tuple[str, ...] = (
    "input_date", "establishment", "admin_name", "admin_kana", "email", "user_id", "office_name", "pcs",
)
HEADERS_JA: tuple[str, ...] = (
    "入力日", "事業所番号", "管理者氏名（漢字）", "管理者氏名（カナ）", "管理者メールアドレス", "ユーザーID",
    "事業所名", "利用予定PC台数",
)
LABELS_EN: dict[str, str] = {
    "input_date": "input date", "establishment": "establishment number", "admin_name": "administrator name",
    "admin_kana": "administrator name (kana)", "email": "e-mail", "user_id": "user ID",
    "office_name": "establishment name", "pcs": "number of PCs",
}
MAX_PCS = 3

# Password alphabet without look-alikes (0/O/o, 1/l/I, 5/S, 2/Z, 8/B), so it can be read aloud or retyped.
_PW_ALPHABET = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679"
_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                       r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_USER_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_SPACE_RE = re.compile(r"[\s\u3000]+")


def _invalid(field: str, ja: str, en: str, hint_ja: str = "", hint_en: str = "") -> ValidationError:
    err = ValidationError(ja, en, code=f"invalid_{field}", hint_ja=hint_ja, hint_en=hint_en)
    err.field = field  # type: ignore[attr-defined]  # which input the UI should highlight
    return err


def _is_kana_char(ch: str) -> bool:
    o = ord(ch)
    return (0x3041 <= o <= 0x3096  # hiragana
            or 0x30A1 <= o <= 0x30FA  # katakana
            or ch in "ー・ゝゞヽヾ゛゜　")


def normalize_kana(text: str) -> str:
    """Half-width katakana become full-width (NFKC); any run of spaces becomes one full-width space."""
    t = unicodedata.normalize("NFKC", text)  # also maps the half-width ｰ to ー
    return _SPACE_RE.sub("\u3000", t).strip("\u3000")


def validate_kana(text: str) -> str:
    """The normalized kana name, or a ValidationError naming the characters that are not kana."""
    t = normalize_kana(text)
    if not t:
        raise _invalid("admin_kana", "管理者氏名（カナ）を入力してください。",
                       "Enter the administrator's name in kana.")
    bad = sorted({ch for ch in t if not _is_kana_char(ch)}, key=t.index)
    if bad:
        shown = "、".join(f"「{c}」" for c in bad[:5])
        raise _invalid(
            "admin_kana",
            "管理者氏名（カナ）には全角のカタカナ・ひらがなと空白、長音符「ー」だけを使えます"
            f"（使えない文字: {shown}）。",
            f"The kana name may contain only full-width katakana/hiragana, spaces and the long vowel mark ー "
            f"(not allowed: {' '.join(bad[:5])}).",
            hint_ja="例: デンシ　タロウ", hint_en="Example: デンシ　タロウ",
        )
    return t


def _clean_text(field: str, value: str, ja_label: str, max_len: int) -> str:
    t = unicodedata.normalize("NFC", value or "").strip()
    t = _SPACE_RE.sub(lambda m: "\u3000" if "\u3000" in m.group(0) else " ", t)
    if not t:
        raise _invalid(field, f"{ja_label}を入力してください。", f"Enter the {LABELS_EN[field]}.")
    if len(t) > max_len:
        raise _invalid(field, f"{ja_label}は{max_len}文字以内で入力してください。",
                       f"The {LABELS_EN[field]} may be at most {max_len} characters.")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in t):
        raise _invalid(field, f"{ja_label}に制御文字が含まれています。",
                       f"The {LABELS_EN[field]} contains control characters.")
    return t


@dataclass(frozen=True)
class Registration:
    """One administrator registration, already checked and normalized."""

    input_date: date
    establishment: int
    admin_name: str
    admin_kana: str
    email: str
    user_id: str
    office_name: str
    pcs: int

    @property
    def establishment6(self) -> str:
        return f"{self.establishment:06d}"

    @property
    def file_name(self) -> str:
        return naming.registration_file_name(self.establishment)

    @property
    def zip_name(self) -> str:
        return Path(self.file_name).with_suffix(".zip").name

    def row(self) -> list[object]:
        return [getattr(self, f) for f in FIELDS]

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {f: getattr(self, f) for f in FIELDS}
        d["input_date"] = self.input_date.isoformat()
        return d


def build_registration(*, establishment: int | str, admin_name: str, admin_kana: str, email: str, user_id: str,
                       office_name: str, pcs: int | str, input_date: date | str | None = None,
                       clock: Clock | None = None) -> Registration:
    """Check every field the way the fund will, and return the normalized registration."""
    if input_date is None or input_date == "":
        d = (clock or SystemClock()).now().astimezone(JST).date()
    elif isinstance(input_date, date):
        d = input_date
    else:
        d = naming.parse_date(input_date)
    try:
        est = naming.parse_establishment(establishment)  # one definition: 1-9999, shown here as 6 digits
    except ValidationError as e:
        raise _invalid("establishment", e.ja, e.en, e.hint_ja, e.hint_en) from None
    name = _clean_text("admin_name", admin_name, "管理者氏名（漢字）", 40)
    kana = validate_kana(admin_kana)
    mail = unicodedata.normalize("NFKC", email or "").strip()
    if not _EMAIL_RE.match(mail) or len(mail) > 254:
        raise _invalid("email", "メールアドレスの形式が正しくありません。", "The e-mail address is not valid.",
                       hint_ja="例: tanaka@example.co.jp", hint_en="Example: tanaka@example.co.jp")
    uid = unicodedata.normalize("NFKC", user_id or "").strip()
    if not _USER_ID_RE.match(uid):
        raise _invalid("user_id", "ユーザーIDは半角英数字（記号は . _ @ - のみ）で64文字以内で入力してください。",
                       "The user ID must be up to 64 ASCII letters/digits (symbols . _ @ - only).")
    office = _clean_text("office_name", office_name, "事業所名", 100)
    try:
        n = int(unicodedata.normalize("NFKC", str(pcs)).strip())
    except ValueError:
        n = 0
    if not 1 <= n <= MAX_PCS:
        raise _invalid("pcs", f"利用予定PC台数は1〜{MAX_PCS}台で入力してください。",
                       f"The number of PCs must be between 1 and {MAX_PCS}.")
    return Registration(d, est, name, kana, mail, uid, office, n)


def _atomic_save(wb: object, target: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".xlsx", dir=target.parent)
    os.close(fd)
    try:
        wb.save(tmp)  # type: ignore[attr-defined]
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_form(reg: Registration, out_dir: Path, *, template: Path | None = None) -> Path:
    """Write `電子連携管理者登録届(NNNNNN).xlsx`: the fund's own template with row 2 filled, or a fresh sheet."""
    from openpyxl import Workbook, load_workbook
    from openpyxl.styles import Font

    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / reg.file_name
    if template is not None:
        try:
            wb = load_workbook(template)
        except Exception as e:  # openpyxl raises many kinds for a bad file
            raise ValidationError(
                f"テンプレートファイルを開けませんでした（{template.name}）。"
                "基金から届いた .xlsx ファイルをご指定ください。",
                f"Could not open the template {template.name} ({type(e).__name__}). Use the fund's .xlsx file.",
                code="bad_template") from None
        ws = wb.worksheets[0]
    else:
        wb = Workbook()
        ws = wb.active
        ws.title = "電子連携管理者登録届"
        for col, h in enumerate(HEADERS_JA, start=1):
            c = ws.cell(row=1, column=col, value=h)
            c.font = Font(bold=True)
            ws.column_dimensions[c.column_letter].width = max(12, len(h) * 2 + 2)
    for col, value in enumerate(reg.row(), start=1):
        cell = ws.cell(row=2, column=col, value=value)
        if isinstance(value, date):
            cell.number_format = "yyyy/mm/dd"
        elif FIELDS[col - 1] == "establishment":
            cell.number_format = "000000"  # the value stays a number; Excel shows 000123
    _atomic_save(wb, target)
    return target


def generate_password(groups: int = 4, size: int = 4) -> str:
    """A strong password a person can read and retype: e.g. `Kp7m-x3Qa-9Tzr-w4Ne` (~90 bits)."""
    while True:
        pw = "-".join("".join(secrets.choice(_PW_ALPHABET) for _ in range(size)) for _ in range(groups))
        if any(c.isupper() for c in pw) and any(c.islower() for c in pw) and any(c.isdigit() for c in pw):
            register_secret(pw)
            return pw


def pack_form(form: Path, password: str, *, fmt: str | None = None) -> Path:
    """Pack the form into `電子連携管理者登録届(NNNNNN).zip` beside it (AES-256 unless ZipCrypto is chosen)."""
    from denshi_client.documents.archive import ZipFormat, pack

    if fmt is None:
        try:
            from denshi_client.store.settings import load_effective_settings

            fmt = load_effective_settings().zip.format
        except Exception:
            fmt = "aes256"
    out = form.with_suffix(".zip")
    pack([form], out, password, fmt=ZipFormat(fmt))
    return out


# --------------------------------------------------------------------------- the mails

def _to_address() -> str:
    from denshi_client.store.settings import load_effective_settings

    return load_effective_settings().fund.operations_desk_email


def form_mail(reg: Registration) -> tuple[str, str]:
    """Subject and body of the mail that carries the ZIP (the user attaches it by hand)."""
    subject = f"電子連携管理者登録届の提出（事業所番号 {reg.establishment6}）"
    body = "\n".join([
        "企業年金基金 業務課 御中",
        "",
        "いつもお世話になっております。",
        f"{reg.office_name}の{reg.admin_name}です。",
        "",
        "電子連携サービスの利用を申し込みたく、「電子連携管理者登録届」をお送りいたします。",
        f"パスワード付きZIPファイル「{reg.zip_name}」を添付しております。",
        "ZIPファイルのパスワードは、別のメールにてお知らせいたします。",
        "",
        f"事業所番号：{reg.establishment6}",
        f"事業所名：{reg.office_name}",
        f"管理者：{reg.admin_name}（{reg.admin_kana}）",
        f"メールアドレス：{reg.email}",
        f"利用予定PC台数：{reg.pcs}台",
        "",
        "お手数をおかけいたしますが、ご確認のほどよろしくお願いいたします。",
    ])
    return subject, body


def password_mail(reg: Registration, password: str) -> tuple[str, str]:
    """Subject and body of the separate mail with the ZIP password."""
    subject = f"電子連携管理者登録届のパスワード（事業所番号 {reg.establishment6}）"
    body = "\n".join([
        "企業年金基金 業務課 御中",
        "",
        f"{reg.office_name}の{reg.admin_name}です。",
        f"先ほどお送りした「{reg.zip_name}」のパスワードをお知らせいたします。",
        "",
        f"パスワード：{password}",
        "",
        "どうぞよろしくお願いいたします。",
    ])
    return subject, body


def mailto_url(to: str, subject: str, body: str) -> str:
    """RFC 6068 mailto: UTF-8 percent-encoding, CRLF line breaks, %20 (never '+') for spaces."""
    def enc(s: str) -> str:
        return quote(s.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")

    addr = quote(to, safe="@.!$'*+,;=:-_~") if to else ""
    return f"mailto:{addr}?subject={enc(subject)}&body={enc(body)}"


def open_mail_client(url: str) -> bool:
    """Hand the mailto to the default mail program; False if the system has none."""
    try:
        if sys.platform == "win32":
            os.startfile(url)  # type: ignore[attr-defined]  # noqa: S606 - the user's own mail program
            return True
        import webbrowser

        return webbrowser.open(url)
    except OSError:
        return False


@dataclass(frozen=True)
class RegistrationPackage:
    """What the user needs next: the files, the password to send separately, and both mails."""

    registration: Registration
    form: Path
    archive: Path
    password: str
    fmt: str
    to: str
    form_mailto: str
    password_mailto: str

    def to_dict(self) -> dict[str, object]:
        return {"registration": self.registration.to_dict(), "form": str(self.form), "zip": str(self.archive),
                "password": self.password, "zip_format": self.fmt, "to": self.to, "mailto": self.form_mailto}


def prepare(reg: Registration, out_dir: Path, *, template: Path | None = None, fmt: str | None = None,
            to: str | None = None, password: str | None = None, keep_xlsx: bool = True) -> RegistrationPackage:
    """Write the form, pack it, and build both mails. The plain .xlsx stays unless `keep_xlsx` is False."""
    if fmt is None:
        try:
            from denshi_client.store.settings import load_effective_settings

            fmt = load_effective_settings().zip.format
        except Exception:
            fmt = "aes256"
    pw = password or generate_password()
    register_secret(pw)
    form = write_form(reg, out_dir, template=template)
    archive = pack_form(form, pw, fmt=fmt)
    addr = _to_address() if to is None else to
    s1, b1 = form_mail(reg)
    s2, b2 = password_mail(reg, pw)
    final_form = form
    if not keep_xlsx:
        form.unlink(missing_ok=True)
    return RegistrationPackage(reg, final_form, archive, pw, fmt, addr, mailto_url(addr, s1, b1),
                               mailto_url(addr, s2, b2))


__all__: Sequence[str] = (
    "FIELDS", "HEADERS_JA", "Registration", "RegistrationPackage", "build_registration", "form_mail",
    "generate_password", "mailto_url", "normalize_kana", "open_mail_client", "pack_form", "password_mail",
    "prepare", "validate_kana", "write_form",
)

"""The fund's file-naming rules, in one place.

Upload name:        ``<YYYYMMDD>_<establishment number, zero-padded>_<form name>.pdf``
                    e.g. ``20240524_0123_資格取得届.pdf``
Registration file:  ``電子連携管理者登録届(NNNNNN).xlsx``

The fund processes names mechanically, and the PCs are Windows, so a name is only
"valid" when it follows the fund's pattern *and* Windows can store it. Validation
returns every problem at once (with Japanese and English text) so that the UI can
check as the user types; the strict helpers (`compose`, `parse`, `parse_date`, ...)
raise `ValidationError` with the first problem instead.

Widths and limits live in `NamingRules`; change `DEFAULT_RULES` (or pass rules) when
the fund changes them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import PurePath
from typing import TYPE_CHECKING, Protocol

from denshi_client import i18n
from denshi_client.documents import winnames
from denshi_client.errors import ValidationError

if TYPE_CHECKING:
    from denshi_client.documents.forms import FormCatalog


# --------------------------------------------------------------------------- rules


class KnownForms(Protocol):
    """What validation needs from a form list (`forms.FormCatalog` is one)."""

    def is_upload_form(self, name: str) -> bool: ...


@dataclass(frozen=True)
class NamingRules:
    """Everything about the names that the fund (or Windows) could change."""

    establishment_width: int = 4  # 0123 in upload names
    registration_width: int = 6  # 000123 in the registration file name
    extension: str = ".pdf"
    registration_prefix: str = "電子連携管理者登録届"
    registration_extension: str = ".xlsx"
    max_component_units: int = 255  # NTFS: UTF-16 code units per name component
    max_path_units: int = 260  # classic MAX_PATH, counting the terminating NUL

    @property
    def max_establishment(self) -> int:
        return 10**self.establishment_width - 1

    @property
    def max_registration(self) -> int:
        return 10**self.registration_width - 1


DEFAULT_RULES = NamingRules()

RESERVED_DEVICE_NAMES = winnames.RESERVED_DEVICE_NAMES  # the rules themselves live in winnames


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Problem:
    """One broken rule. `code` is stable (for tests and the UI); `ja`/`en` are for people."""

    code: str
    ja: str
    en: str
    field: str = "name"  # which input the UI should highlight: name, date, establishment, form, extension, path

    def message(self, lang: str | None = None) -> str:
        return i18n.pick(self.ja, self.en, lang)

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "field": self.field, "message_ja": self.ja, "message_en": self.en}

    def error(self) -> ValidationError:
        return ValidationError(self.ja, self.en, code=self.code)


@dataclass(frozen=True)
class Change:
    """One normalisation the user should be told about (全角→半角 and the like)."""

    before: str
    after: str
    ja: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"before": self.before, "after": self.after, "message_ja": self.ja, "message_en": self.en}


@dataclass(frozen=True)
class Normalized:
    text: str
    changes: tuple[Change, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@dataclass(frozen=True)
class UploadName:
    filing_date: date
    establishment: int
    form: str
    rules: NamingRules = field(default=DEFAULT_RULES, compare=False, repr=False)

    @property
    def establishment_text(self) -> str:
        return f"{self.establishment:0{self.rules.establishment_width}d}"

    @property
    def file_name(self) -> str:
        return f"{self.filing_date:%Y%m%d}_{self.establishment_text}_{self.form}{self.rules.extension}"

    def __str__(self) -> str:
        return self.file_name

    def to_dict(self) -> dict[str, str]:
        return {"name": self.file_name, "filing_date": self.filing_date.isoformat(),
                "establishment": self.establishment_text, "form": self.form}


@dataclass(frozen=True)
class ValidationResult:
    """What the UI needs while the user types: problems, warnings, and the fixed-up name."""

    name: str
    normalized: str
    changes: tuple[Change, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()
    parsed: UploadName | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "name": self.name,
            "normalized": self.normalized,
            "changes": [c.to_dict() for c in self.changes],
            "problems": [p.to_dict() for p in self.problems],
            "warnings": [w.to_dict() for w in self.warnings],
            "parsed": self.parsed.to_dict() if self.parsed else None,
        }


# --------------------------------------------------------------------------- normalisation


def _describe_char(ch: str) -> tuple[str, str]:
    if ch == "\u3000":
        return "全角空白", "full-width space"
    if unicodedata.category(ch) == "Zs":
        return "特殊な空白", "special space"
    name = unicodedata.name(ch, "")
    if name.startswith("FULLWIDTH DIGIT"):
        return "全角数字", "full-width digit"
    if name.startswith("FULLWIDTH LATIN"):
        return "全角英字", "full-width letter"
    if name.startswith("HALFWIDTH KATAKANA"):
        return "半角カナ", "half-width katakana"
    if name.startswith("FULLWIDTH"):
        return "全角記号", "full-width symbol"
    return "互換文字", "compatibility character"


def normalize(text: str, rules: NamingRules = DEFAULT_RULES) -> Normalized:
    """NFKC (全角英数字・空白 → 半角) and a lower-case extension, with each change described.

    NFKC also folds look-alikes such as the Kangxi radical ⽉ into 月, which PDF text
    extraction and some IMEs produce; the fund's server compares plain characters.
    """
    changes: list[Change] = []
    seen: set[tuple[str, str]] = set()
    out: list[str] = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n)
        if n != ch and (ch, n) not in seen:
            seen.add((ch, n))
            kind_ja, kind_en = _describe_char(ch)
            shown = f"「{n}」" if n.strip() else "半角空白"
            shown_en = repr(n) if n.strip() else "a normal space"
            changes.append(Change(ch, n, f"{kind_ja}「{ch}」を{shown}に変換しました。",
                                  f"Changed {kind_en} {ch!r} to {shown_en}."))
    # Per-character NFKC leaves combining sequences apart; finish on the whole string.
    per_char = "".join(out)
    result = unicodedata.normalize("NFKC", per_char)
    if result != per_char:
        changes.append(Change(per_char, result, "結合文字（濁点など）を1文字にまとめました。",
                              "Combined characters (such as voiced marks) into single characters."))
    ext = rules.extension
    if result.lower().endswith(ext) and not result.endswith(ext):
        old = result[-len(ext):]
        result = result[: -len(ext)] + ext
        changes.append(Change(old, ext, f"拡張子「{old}」を「{ext}」に変換しました。",
                              f"Changed the extension {old!r} to {ext!r}."))
    return Normalized(result, tuple(changes))


# --------------------------------------------------------------------------- dates

# (name, aliases, first day). An era's year 1 starts on its first day; it ends the day before the next era.
_ERAS: tuple[tuple[str, tuple[str, ...], date], ...] = (
    ("令和", ("令和", "令", "R"), date(2019, 5, 1)),
    ("平成", ("平成", "平", "H"), date(1989, 1, 8)),
    ("昭和", ("昭和", "昭", "S"), date(1926, 12, 25)),
    ("大正", ("大正", "大", "T"), date(1912, 7, 30)),
)
_ERA_BY_ALIAS = {alias.upper(): era for era in _ERAS for alias in era[1]}
_ERA_ALT = "|".join(sorted((re.escape(a) for a in _ERA_BY_ALIAS), key=len, reverse=True))

_ERA_RE = re.compile(
    rf"^(?P<era>{_ERA_ALT})\s*(?P<y>元|\d{{1,2}})\s*(?:年\s*|[./\-]\s*)"
    rf"(?P<m>\d{{1,2}})\s*(?:月\s*|[./\-]\s*)(?P<d>\d{{1,2}})\s*日?$",
    re.IGNORECASE,
)
_WESTERN_RE = re.compile(
    r"^(?P<y>\d{4})\s*(?:年\s*|[./\-]\s*)(?P<m>\d{1,2})\s*(?:月\s*|[./\-]\s*)(?P<d>\d{1,2})\s*日?$"
)
_COMPACT_RE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")

_DATE_HELP_JA = "例: 2024-05-24、2024/5/24、令和6年5月24日、R6.5.24"
_DATE_HELP_EN = "e.g. 2024-05-24, 2024/5/24, 令和6年5月24日, R6.5.24"


def _ja_date(d: date) -> str:
    # strftime's %-m is not portable (Windows has no "-" flag).
    return f"{d.year}年{d.month}月{d.day}日"


def _impossible_date(shown: str) -> ValidationError:
    return ValidationError(
        f"「{shown}」は存在しない日付です。届出年月日をご確認ください。",
        f"{shown!r} is not a real date. Please check the filing date.",
        code="date_impossible",
    )


def _make_date(y: int, m: int, d: int, shown: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise _impossible_date(shown) from None


def parse_date(value: str | date) -> date:
    """A filing date from what people type: ISO, 2024/5/24, 20240524, 2024年5月24日 or a Japanese era.

    Era dates are checked against the era's real span: 平成31年5月1日 does not exist
    (that day is 令和元年5月1日), nor does 令和元年4月30日.
    """
    if isinstance(value, date):
        return value
    text = normalize(str(value)).text.strip()
    if not text:
        raise ValidationError("届出年月日を入力してください。", "Please enter the filing date.", code="date_missing")
    if m := _ERA_RE.match(text):
        era_name, _aliases, first = _ERA_BY_ALIAS[m["era"].upper()]
        era_year = 1 if m["y"] == "元" else int(m["y"])
        if era_year < 1:
            raise _impossible_date(text)
        d = _make_date(first.year + era_year - 1, int(m["m"]), int(m["d"]), text)
        idx = [e[0] for e in _ERAS].index(era_name)
        end = _ERAS[idx - 1][2] if idx > 0 else None
        if d < first or (end is not None and d >= end):
            last = end - timedelta(days=1) if end else None
            span_ja = f"{_ja_date(first)}から" + (f"{_ja_date(last)}まで" if last else "")
            span_en = f"from {first.isoformat()}" + (f" to {last.isoformat()}" if last else "")
            raise ValidationError(
                f"「{text}」は存在しない日付です（{era_name}は{span_ja}です）。",
                f"{text!r} does not exist: the {era_name} era runs {span_en}.",
                code="date_impossible",
            )
        return d
    for rx in (_WESTERN_RE, _COMPACT_RE):
        if m := rx.match(text):
            return _make_date(int(m["y"]), int(m["m"]), int(m["d"]), text)
    raise ValidationError(
        f"届出年月日「{text}」を日付として読み取れませんでした（{_DATE_HELP_JA}）。",
        f"Cannot read the filing date {text!r} ({_DATE_HELP_EN}).",
        code="date_unreadable",
    )


def to_japanese_era(d: date) -> str:
    """令和6年5月24日 — for showing a date the way the fund's letters write it."""
    for name, _aliases, first in _ERAS:
        if d >= first:
            y = d.year - first.year + 1
            return f"{name}{'元' if y == 1 else y}年{d.month}月{d.day}日"
    return f"{d.year}年{d.month}月{d.day}日"


# --------------------------------------------------------------------------- establishment number


def parse_establishment(value: int | str, rules: NamingRules = DEFAULT_RULES) -> int:
    """THE definition of an establishment number, used by names, profiles, the CLI and the wizard.

    1 to 9999: upload names carry it as 4 zero-padded digits (0123), so nothing larger can ever
    be sent; the registration file shows the same number as 6 digits (000123) — two renderings
    of one number, not two ranges. Leading zeros are padding, not digits.
    """
    return _parse_number(value, rules.establishment_width, rules.max_establishment)


def establishment_text(value: int | str, rules: NamingRules = DEFAULT_RULES) -> str:
    """'０１２３', '123', 123 → '0123' (the upload-name rendering); ValidationError otherwise."""
    return f"{parse_establishment(value, rules):0{rules.establishment_width}d}"


def _parse_number(value: int | str, width: int, maximum: int) -> int:
    if isinstance(value, bool):
        raise TypeError("establishment number must be int or str")
    text = normalize(str(value)).text.strip()
    if not text:
        raise ValidationError("事業所番号を入力してください。", "Please enter the establishment number.",
                              code="establishment_missing")
    if not (text.isascii() and text.isdigit()):
        raise ValidationError(
            f"事業所番号は{width}桁以内の数字で入力してください（「{text}」には数字以外の文字が含まれています）。",
            f"The establishment number must be digits only, at most {width} ({text!r} contains other characters).",
            code="establishment_not_digits",
        )
    n = int(text)
    if n > maximum:
        raise ValidationError(
            f"事業所番号は{width}桁以内の数字で入力してください（「{text}」は{width}桁に収まりません）。",
            f"The establishment number must fit in {width} digits ({text!r} does not).",
            code="establishment_too_long",
        )
    if n == 0:
        raise ValidationError("事業所番号に0は使えません。番号をご確認ください。",
                              "The establishment number cannot be 0. Please check it.", code="establishment_zero")
    return n


# --------------------------------------------------------------------------- Windows file-name rules


utf16_units = winnames.utf16_units


def component_problems(name: str, rules: NamingRules = DEFAULT_RULES) -> list[Problem]:
    """Why Windows could not store `name` as one file name (empty list: it can)."""
    problems: list[Problem] = []
    if not name:
        return [Problem("empty", "ファイル名が空です。", "The file name is empty.")]
    bad = winnames.forbidden_chars(name)
    if bad:
        shown = " ".join(bad)
        problems.append(Problem(
            "forbidden_chars",
            f"ファイル名に使えない文字（{shown}）が含まれています。次の文字は使えません: \\ / : * ? \" < > |",
            f"The name contains characters Windows does not allow ({shown}). Not allowed: \\ / : * ? \" < > |",
        ))
    if any(winnames.is_control(c) for c in name):
        problems.append(Problem("control_chars", "ファイル名に制御文字（改行やタブなど）が含まれています。",
                                "The name contains control characters (line breaks, tabs and the like)."))
    if winnames.is_reserved(name):
        problems.append(Problem(
            "reserved_name",
            f"「{name.split('.', 1)[0]}」はWindowsの予約名のため、ファイル名に使えません。",
            f"{name.split('.', 1)[0]!r} is a reserved device name on Windows and cannot be a file name.",
        ))
    if name[-1] in ". ":
        problems.append(Problem("trailing_dot_space", "ファイル名の末尾に「.」や空白は使えません。",
                                "A file name cannot end with a dot or a space."))
    units = utf16_units(name)
    if units > rules.max_component_units:
        problems.append(Problem(
            "too_long",
            f"ファイル名が長すぎます（{units}文字、上限{rules.max_component_units}文字）。届書名を短くしてください。",
            f"The file name is too long ({units} UTF-16 units; the limit is {rules.max_component_units}).",
        ))
    return problems


def path_length_problems(folder: str | PurePath, name: str, rules: NamingRules = DEFAULT_RULES) -> list[Problem]:
    """Whether `folder\\name` fits in Windows' classic MAX_PATH (260 with the final NUL).

    Many Windows programs (Explorer's older dialogs, Office, some mailers) still fail beyond it,
    even where long paths are enabled.
    """
    folder_text = str(folder).rstrip("\\/")
    full = f"{folder_text}\\{name}" if folder_text else name
    units = utf16_units(full) + 1
    if units > rules.max_path_units:
        return [Problem(
            "path_too_long",
            f"保存先のフォルダーを含めたパスが長すぎます（{units - 1}文字、上限{rules.max_path_units - 1}文字）。"
            "浅いフォルダーに保存するか、ファイル名を短くしてください。",
            f"The full path is too long ({units - 1} UTF-16 units; Windows allows {rules.max_path_units - 1}). "
            "Use a shorter folder or a shorter name.",
            field="path",
        )]
    return []


def is_windows_safe(name: str, rules: NamingRules = DEFAULT_RULES) -> bool:
    return not component_problems(name, rules)


# --------------------------------------------------------------------------- the upload name


def _format_problem(rules: NamingRules) -> Problem:
    w = rules.establishment_width
    example = f"20240524_{123:0{w}d}_資格取得届{rules.extension}"
    return Problem(
        "pattern",
        f"ファイル名は「届出年月日(西暦8桁)_事業所番号({w}桁)_届書名{rules.extension}」の形式にしてください"
        f"（例: {example}）。",
        f"The name must be <filing date YYYYMMDD>_<establishment number, {w} digits>_<form name>"
        f"{rules.extension} (e.g. {example}).",
    )


def _form_problems(form: str, catalog: KnownForms | None, *, strict: bool) -> tuple[list[Problem], list[Problem]]:
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not form.strip():
        problems.append(Problem("form_missing", "届書名を入力してください。", "Please enter the form name.",
                                field="form"))
        return problems, warnings
    if form != form.strip():
        problems.append(Problem("form_spaces", "届書名の前後に空白は入れないでください。",
                                "The form name must not start or end with a space.", field="form"))
    if catalog is not None and not catalog.is_upload_form(form):
        p = Problem("form_unknown",
                    f"「{form}」は届書名の一覧にありません。届書名をご確認ください。",
                    f"{form!r} is not in the list of form names. Please check the form name.", field="form")
        (problems if strict else warnings).append(p)
    return problems, warnings


def validate(
    name: str,
    *,
    forms: KnownForms | None = None,
    strict_forms: bool = False,
    folder: str | PurePath | None = None,
    today: date | None = None,
    rules: NamingRules = DEFAULT_RULES,
) -> ValidationResult:
    """Every problem with `name` as an upload file name. Never raises on any text.

    A name that needs normalising (全角 digits, ``.PDF``) is reported as a problem, because
    the fund receives the exact name; `normalized` holds the corrected name. Unknown form
    names are warnings unless `strict_forms`, because the fund may add forms before our list.
    With `today`, a filing date in the future is a warning.
    """
    norm = normalize(name, rules)
    text = norm.text
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if norm.changed:
        problems.append(Problem(
            "needs_normalization",
            f"全角の英数字・空白などが含まれています。「{text}」に直してください。",
            f"The name contains full-width or compatibility characters; use {text!r} instead.",
        ))
    problems += component_problems(text, rules)
    if folder is not None:
        problems += path_length_problems(folder, text, rules)

    ext = rules.extension
    parsed: UploadName | None = None
    if not text.endswith(ext):
        stem, dot, suffix = text.rpartition(".")
        if not dot or not stem or " " in suffix or len(suffix) > 8:
            problems.append(Problem("extension_missing",
                                    f"拡張子「{ext}」がありません。PDFファイルを指定してください。",
                                    f"The name has no {ext!r} extension. Please use a PDF file.", field="extension"))
        else:
            problems.append(Problem("extension_not_pdf",
                                    f"拡張子が「.{suffix}」です。送信できるのはPDFファイル（{ext}）だけです。",
                                    f"The extension is '.{suffix}'; only PDF files ({ext}) can be sent.",
                                    field="extension"))
        stem = stem if dot else text
    else:
        stem = text[: -len(ext)]

    parts = stem.split("_", 2)
    if len(parts) < 3:
        problems.append(_format_problem(rules))
    else:
        date_part, est_part, form = parts
        filing: date | None = None
        if not (len(date_part) == 8 and date_part.isascii() and date_part.isdigit()):
            problems.append(Problem(
                "date_format",
                f"先頭の届出年月日は西暦8桁（例: 20240524）にしてください（現在: 「{date_part}」）。",
                f"The name must start with the filing date as 8 digits YYYYMMDD, e.g. 20240524 (got {date_part!r}).",
                field="date"))
        else:
            try:
                filing = _make_date(int(date_part[:4]), int(date_part[4:6]), int(date_part[6:]), date_part)
            except ValidationError as e:
                problems.append(Problem(e.code, e.ja, e.en, field="date"))
        w = rules.establishment_width
        if not (est_part.isascii() and est_part.isdigit()):
            problems.append(Problem(
                "establishment_not_digits",
                f"事業所番号は{w}桁の数字にしてください（現在: 「{est_part}」）。",
                f"The establishment number must be {w} digits (got {est_part!r}).", field="establishment"))
        elif len(est_part) != w:
            problems.append(Problem(
                "establishment_width",
                f"事業所番号は{w}桁にしてください（例: {123:0{w}d}）。現在は{len(est_part)}桁です。",
                f"The establishment number must have exactly {w} digits, zero-padded (e.g. {123:0{w}d}); "
                f"it has {len(est_part)}.", field="establishment"))
        elif int(est_part) == 0:
            problems.append(Problem("establishment_zero", "事業所番号に0は使えません。番号をご確認ください。",
                                    "The establishment number cannot be 0. Please check it.", field="establishment"))
        catalog: KnownForms | None = forms
        if catalog is None:
            catalog = _default_catalog() if strict_forms else _default_catalog_quiet()
        fp, fw = _form_problems(form, catalog, strict=strict_forms)
        problems += fp
        warnings += fw
        if filing is not None and today is not None and filing > today:
            warnings.append(Problem("date_future",
                                    f"届出年月日（{_ja_date(filing)}）が未来の日付です。",
                                    f"The filing date ({filing.isoformat()}) is in the future.", field="date"))
        if not problems and filing is not None:
            parsed = UploadName(filing, int(est_part), form, rules)
    return ValidationResult(name, text, norm.changes, tuple(_dedupe(problems)), tuple(warnings), parsed)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        if p.code not in seen:
            seen.add(p.code)
            out.append(p)
    return out


def _default_catalog() -> FormCatalog:
    from denshi_client.documents.forms import load_forms

    return load_forms()


def _default_catalog_quiet() -> FormCatalog | None:
    # A broken forms file must not make every name check crash; strict callers see the ConfigError.
    from denshi_client.errors import ConfigError

    try:
        return _default_catalog()
    except ConfigError:
        return None


def parse(name: str, *, rules: NamingRules = DEFAULT_RULES) -> UploadName:
    """The parts of a valid upload name; `ValidationError` (first problem) otherwise."""
    result = validate(name, forms=ANY_FORM, rules=rules)
    if result.parsed is None:
        raise result.problems[0].error()
    return result.parsed


class _AnyForm:
    """Accepts every form name: parsing reads a name, it does not judge the fund's list."""

    def is_upload_form(self, name: str) -> bool:
        return True


ANY_FORM: KnownForms = _AnyForm()


def compose(
    filing_date: date | str,
    establishment: int | str,
    form: str,
    *,
    forms: KnownForms | None = None,
    strict_forms: bool = False,
    folder: str | PurePath | None = None,
    rules: NamingRules = DEFAULT_RULES,
) -> str:
    """The upload name, or `ValidationError` for the first broken rule.

    Inputs are normalised (全角 → 半角) and dates may be era dates. With `strict_forms`
    the form must be in the catalog; otherwise `validate()` reports it as a warning.
    """
    d = parse_date(filing_date)
    n = parse_establishment(establishment, rules)
    f = normalize(form, rules).text.strip()
    if d.year < 1000 or d.year > 9999:
        raise ValidationError(f"届出年月日（{d.isoformat()}）をご確認ください。",
                              f"Please check the filing date ({d.isoformat()}).", code="date_format")
    name = UploadName(d, n, f, rules).file_name
    result = validate(name, forms=forms if forms is not None or strict_forms else ANY_FORM,
                      strict_forms=strict_forms, folder=folder, rules=rules)
    if not result.ok:
        raise result.problems[0].error()
    return name


# --------------------------------------------------------------------------- registration file


def registration_file_name(number: int | str, rules: NamingRules = DEFAULT_RULES) -> str:
    """電子連携管理者登録届(000123).xlsx — the onboarding form's required name (the same number, 6 digits)."""
    n = parse_establishment(number, rules)
    return f"{rules.registration_prefix}({n:0{rules.registration_width}d}){rules.registration_extension}"


def parse_registration_file_name(name: str, rules: NamingRules = DEFAULT_RULES) -> int:
    text = normalize(name).text
    w = rules.registration_width
    prefix, ext = re.escape(rules.registration_prefix), re.escape(rules.registration_extension)
    rx = re.compile(rf"^{prefix}\((\d{{{w}}})\){ext}$")
    m = rx.match(text)
    if not m or int(m[1]) == 0 or int(m[1]) > rules.max_establishment:
        example = f"{rules.registration_prefix}({123:0{w}d}){rules.registration_extension}"
        raise ValidationError(f"ファイル名は「{example}」の形式にしてください。",
                              f"The registration file must be named like {example!r}.", code="registration_pattern")
    return int(m[1])


# --------------------------------------------------------------------------- naming assistant


@dataclass(frozen=True)
class Suggestion:
    """A proposed upload name for a dropped file, and where each part came from.

    `origin` maps "date"/"establishment"/"form" to "given", "source" (found in the
    dropped file's name) or "today". `name` is None while a part is still missing or
    invalid; `problems` then says what to fill in.
    """

    source: str
    name: str | None
    filing_date: date | None
    establishment: int | None
    form: str | None
    origin: dict[str, str]
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    changes: tuple[Change, ...] = ()

    @property
    def ok(self) -> bool:
        return self.name is not None

    @property
    def unchanged(self) -> bool:
        return self.name == self.source

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "source": self.source,
            "name": self.name,
            "filing_date": self.filing_date.isoformat() if self.filing_date else None,
            "establishment": self.establishment,
            "form": self.form,
            "origin": dict(self.origin),
            "problems": [p.to_dict() for p in self.problems],
            "warnings": [w.to_dict() for w in self.warnings],
            "changes": [c.to_dict() for c in self.changes],
        }


_SRC_DATE_RES = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})日?(?!\d)"),
)
_SRC_ERA_RE = re.compile(
    rf"(?P<all>(?:{_ERA_ALT})\s*(?:元|\d{{1,2}})\s*[年./\-]\s*\d{{1,2}}\s*[月./\-]\s*\d{{1,2}}日?)", re.IGNORECASE
)


def _date_in(text: str) -> date | None:
    for m in _SRC_ERA_RE.finditer(text):
        try:
            return parse_date(m["all"])
        except ValidationError:
            continue
    for rx in _SRC_DATE_RES:
        for m in rx.finditer(text):
            try:
                return date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                continue
    return None


def suggest(
    source_name: str,
    *,
    filing_date: date | str | None = None,
    establishment: int | str | None = None,
    form: str | None = None,
    today: date | None = None,
    forms: FormCatalog | None = None,
    rules: NamingRules = DEFAULT_RULES,
) -> Suggestion:
    """Propose a valid upload name for a dropped file.

    Explicit values win; otherwise the date and form are looked for in the source name
    (a name that already follows the rule keeps its parts), and the date falls back to
    `today`. The establishment number is never guessed from free text — a wrong number
    would send a form under another employer's name.
    """
    norm = normalize(PurePath(source_name.replace("\\", "/")).name if source_name else "", rules)
    text = norm.text
    catalog = forms if forms is not None else _default_catalog_quiet()
    origin: dict[str, str] = {}
    problems: list[Problem] = []
    already = validate(text, forms=ANY_FORM, rules=rules)

    def _field_error(e: ValidationError, fld: str) -> Problem:
        return Problem(e.code, e.ja, e.en, field=fld)

    d: date | None = None
    if filing_date is not None and str(filing_date).strip():
        try:
            d, origin["date"] = parse_date(filing_date), "given"
        except ValidationError as e:
            problems.append(_field_error(e, "date"))
    elif already.parsed:
        d, origin["date"] = already.parsed.filing_date, "source"
    elif (found := _date_in(text)) is not None:
        d, origin["date"] = found, "source"
    elif today is not None:
        d, origin["date"] = today, "today"
    else:
        problems.append(Problem("date_missing", "届出年月日を入力してください。", "Please enter the filing date.",
                                field="date"))

    n: int | None = None
    if establishment is not None and str(establishment).strip():
        try:
            n, origin["establishment"] = parse_establishment(establishment, rules), "given"
        except ValidationError as e:
            problems.append(_field_error(e, "establishment"))
    elif already.parsed:
        n, origin["establishment"] = already.parsed.establishment, "source"
    else:
        problems.append(Problem("establishment_missing", "事業所番号を入力してください。",
                                "Please enter the establishment number.", field="establishment"))

    f: str | None = None
    if form is not None and form.strip():
        f, origin["form"] = normalize(form, rules).text.strip(), "given"
    elif already.parsed:
        f, origin["form"] = already.parsed.form, "source"
    elif catalog is not None and (info := catalog.find_in(text)) is not None:
        f, origin["form"] = info.name, "source"
    else:
        problems.append(Problem("form_missing", "届書名を選んでください。", "Please choose the form name.",
                                field="form"))

    if not text.lower().endswith(rules.extension):
        problems.append(Problem("extension_not_pdf", "PDFファイルではありません。送信できるのはPDFファイルだけです。",
                                "This is not a PDF file; only PDF files can be sent.", field="extension"))

    name: str | None = None
    warnings: tuple[Problem, ...] = ()
    if not problems and d is not None and n is not None and f is not None:
        candidate = UploadName(d, n, f, rules).file_name
        result = validate(candidate, forms=catalog, today=today, rules=rules)
        if result.ok:
            name, warnings = candidate, result.warnings
        else:
            problems += result.problems
    return Suggestion(source_name, name, d, n, f, origin, tuple(problems), warnings, norm.changes)

"""The upload name `<YYYYMMDD>_<0123>_<form>.pdf`: validating it as the user types, and the strict
`parse` / `compose` that raise the first problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

from denshi_client.documents.naming.dates import _ja_date, _make_date, parse_date
from denshi_client.documents.naming.establishment import parse_establishment
from denshi_client.documents.naming.rules import DEFAULT_RULES, Change, KnownForms, NamingRules, Problem, normalize
from denshi_client.documents.naming.windows import component_problems, path_length_problems
from denshi_client.errors import ValidationError

if TYPE_CHECKING:
    from denshi_client.documents.forms import FormCatalog


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

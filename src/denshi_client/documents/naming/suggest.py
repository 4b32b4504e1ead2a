"""The naming assistant: a valid upload name proposed for a dropped file, and where each part came from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

from denshi_client.documents.naming.dates import _ERA_ALT, parse_date
from denshi_client.documents.naming.establishment import parse_establishment
from denshi_client.documents.naming.rules import DEFAULT_RULES, Change, NamingRules, Problem, normalize
from denshi_client.documents.naming.upload import ANY_FORM, UploadName, _default_catalog_quiet, validate
from denshi_client.errors import ValidationError

if TYPE_CHECKING:
    from denshi_client.documents.forms import FormCatalog


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

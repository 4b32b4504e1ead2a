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

The rules are split by what they are about: `rules` (NamingRules, Problem, normalize), `dates`
(eras), `establishment` (the number and the registration file), `windows` (Windows-safe names as
problems), `upload` (validate, parse, compose) and `suggest` (the naming assistant). Callers import
this package: `from denshi_client.documents import naming`.
"""

from __future__ import annotations

from denshi_client.documents import winnames
from denshi_client.documents.naming.dates import parse_date, to_japanese_era
from denshi_client.documents.naming.establishment import (
    establishment_text,
    parse_establishment,
    parse_registration_file_name,
    registration_file_name,
)
from denshi_client.documents.naming.rules import (
    DEFAULT_RULES,
    Change,
    KnownForms,
    NamingRules,
    Normalized,
    Problem,
    normalize,
)
from denshi_client.documents.naming.suggest import Suggestion, suggest
from denshi_client.documents.naming.upload import ANY_FORM, UploadName, ValidationResult, compose, parse, validate
from denshi_client.documents.naming.windows import (
    component_problems,
    is_windows_safe,
    path_length_problems,
    utf16_units,
)

RESERVED_DEVICE_NAMES = winnames.RESERVED_DEVICE_NAMES  # the rules themselves live in winnames

__all__ = [
    "ANY_FORM", "DEFAULT_RULES", "RESERVED_DEVICE_NAMES", "Change", "KnownForms", "NamingRules", "Normalized",
    "Problem", "Suggestion", "UploadName", "ValidationResult", "component_problems", "compose",
    "establishment_text", "is_windows_safe", "normalize", "parse", "parse_date", "parse_establishment",
    "parse_registration_file_name", "path_length_problems", "registration_file_name", "suggest",
    "to_japanese_era", "utf16_units", "validate",
]

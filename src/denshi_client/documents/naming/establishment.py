"""The establishment number (THE definition, 1–9999) and the registration file name that carries it
as 6 digits."""

from __future__ import annotations

import re

from denshi_client.documents.naming.rules import DEFAULT_RULES, NamingRules, normalize
from denshi_client.errors import ValidationError


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

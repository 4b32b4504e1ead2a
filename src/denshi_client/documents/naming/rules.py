"""What the fund (or Windows) could change about names, the problem/change records every check
returns, and `normalize` (全角 → 半角) that every check starts from."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Protocol

from denshi_client import i18n
from denshi_client.errors import ValidationError


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

"""Typed, bilingual errors shared by every layer.

Every failure a user can meet carries a Japanese and an English message, so the
CLI and the UI can show it without knowing where it came from. Messages must
never contain secrets (passwords, OTPs, tokens): callers pass only names.
"""

from __future__ import annotations

from denshi_client import i18n


class DenshiError(Exception):
    """Base of every expected failure. `exit_code` is the CLI's documented code."""

    exit_code: int = 1
    code: str = "error"

    def __init__(self, ja: str, en: str, *, code: str | None = None, hint_ja: str = "", hint_en: str = ""):
        self.ja = ja
        self.en = en
        self.hint_ja = hint_ja
        self.hint_en = hint_en
        if code:
            self.code = code
        super().__init__(en)

    def message(self, lang: str | None = None) -> str:
        lang = lang or i18n.language()
        return self.ja if lang == "ja" else self.en

    def hint(self, lang: str | None = None) -> str:
        lang = lang or i18n.language()
        return self.hint_ja if lang == "ja" else self.hint_en

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message_ja": self.ja, "message_en": self.en}

    def __str__(self) -> str:
        return self.message()


def error_text(exc: BaseException, lang: str | None = None) -> tuple[str, str]:
    """(message, hint) for any exception, in `lang` (default: the current language).

    The one place an error becomes words for a person. A `DenshiError` speaks for itself;
    anything else gets a polite sentence naming only its type: its own text may be English-only
    or carry a path or a server's words, and is left to the log.
    """
    if isinstance(exc, DenshiError):
        return exc.message(lang), exc.hint(lang)
    kind = type(exc).__name__
    return (i18n.pick(f"予期しないエラーが発生しました（{kind}）。", f"An unexpected error occurred ({kind}).", lang),
            i18n.pick("ログファイルを添えて、社内の担当者にご連絡ください。",
                      "Please contact support with the log file.", lang))


def error_line(exc: BaseException, lang: str | None = None, *, inline: bool = False) -> str:
    """`error_text` as one label: the hint on its own line, or in brackets when `inline` (a table cell)."""
    message, hint = error_text(exc, lang)
    if not hint:
        return message
    return f"{message}（{hint}）" if inline else f"{message}\n{hint}"


class ValidationError(DenshiError):
    """Input that breaks a rule (a name, a date, a number)."""

    exit_code = 1
    code = "invalid"


class ConfigError(DenshiError):
    """A settings or policy file that cannot be used."""

    exit_code = 3
    code = "config"


class SecretError(DenshiError):
    """The OS credential store could not give or keep a secret."""

    exit_code = 4
    code = "secret"


class ArchiveError(DenshiError):
    """A password ZIP could not be made or opened safely."""

    exit_code = 5
    code = "archive"


class VpnError(DenshiError):
    """The VPN could not be driven as asked."""

    exit_code = 6
    code = "vpn"


class PortalError(DenshiError):
    """The fund's service (or its stand-in) refused or failed."""

    exit_code = 7
    code = "portal"


class StoreError(DenshiError):
    """Local data (profiles, history) could not be read or written."""

    exit_code = 8
    code = "store"


class SessionError(DenshiError):
    """The session rules refuse an action (closed hours, not enough time left)."""

    exit_code = 9
    code = "session"


class DiskFullError(StoreError):
    """The disk that should take a file is full (say so, and name the folder; it is not the network)."""

    code = "disk_full"

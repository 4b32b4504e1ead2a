"""The configured mailbox: settings `[mail]`/`[otp_mail]` plus the password from the credential store.

The password is stored under the keyring entry "otp-mail:mail_password" (service DenshiClient) and
only ever travels from there into the login call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from denshi_client.errors import ConfigError
from denshi_client.mail.errors import MailError
from denshi_client.mail.recognise import OtpRule
from denshi_client.mail.source import MailAccount, MailSource
from denshi_client.store.secrets import SecretStore

SECRET_ID: Final = "otp-mail"  # noqa: S105  (an entry name)
SECRET_KIND: Final = "mail_password"  # noqa: S105  (a kind name, not a password)


def account_from_settings(settings: object | None = None) -> MailAccount:
    """The mailbox as configured; ConfigError saying what to do when it is not set up."""
    from denshi_client.store.settings import load_effective_settings

    eff = settings or load_effective_settings()
    m = eff.mail  # type: ignore[attr-defined]
    if m.protocol == "none" or not m.host or not m.user:
        raise ConfigError("OTP を読むメールボックスが設定されていません。", "No mailbox is set up for reading the OTP.",
                          code="mail_not_configured",
                          hint_ja="`denshi-client mail setup --protocol imap --host ... --user ... --password-stdin` "
                                  "で設定してください。",
                          hint_en="Set it up with `denshi-client mail setup --protocol imap --host ... --user ... "
                                  "--password-stdin`.")
    return MailAccount(protocol=m.protocol, host=m.host, user=m.user, port=m.port, security=m.security,
                       ca_bundle=m.ca_bundle, folder=m.folder or "INBOX")


def rule_from_settings(settings: object | None = None) -> OtpRule:
    from denshi_client.store.settings import load_effective_settings

    eff = settings or load_effective_settings()
    o = eff.otp_mail  # type: ignore[attr-defined]
    if not o.sender.strip():
        raise ConfigError("OTP メールの送信元アドレスが設定されていません。",
                          "The sender of the OTP mail is not set.", code="otp_sender_missing",
                          hint_ja="`denshi-client config set otp_mail.sender アドレス` で設定してください。",
                          hint_en="Set it with `denshi-client config set otp_mail.sender ADDRESS`.")
    return OtpRule.from_settings(o.sender, o.subject_contains, o.code_pattern)


def store_password(password: str) -> None:
    SecretStore().set(SECRET_ID, SECRET_KIND, password)


def has_password() -> bool:
    """Whether a mail password is stored (the settings screen says so, never showing it)."""
    return SecretStore().get(SECRET_ID, SECRET_KIND) is not None


def load_password() -> str:
    pw = SecretStore().get(SECRET_ID, SECRET_KIND)
    if pw is None:
        raise MailError("メールのパスワードが資格情報マネージャーに登録されていません。",
                        "No mail password is stored in the credential store.", code="mail_password_missing",
                        hint_ja="`denshi-client mail setup ... --password-stdin` で登録してください。",
                        hint_en="Store it with `denshi-client mail setup ... --password-stdin`.")
    return pw


def make_source(account: MailAccount, password: str, *, poll_seconds: float = 15.0,
                use_idle: bool = True) -> MailSource:
    if account.protocol == "imap":
        from denshi_client.mail.imap import ImapSource

        return ImapSource(account, password, poll_seconds=poll_seconds, use_idle=use_idle)
    if account.protocol == "pop3":
        from denshi_client.mail.pop3 import Pop3Source

        return Pop3Source(account, password, poll_seconds=poll_seconds)
    raise ConfigError(f"メールの方式「{account.protocol}」には対応していません。",
                      f"Unknown mail protocol “{account.protocol}”.", code="mail_protocol")


def configured_source(settings: object | None = None) -> MailSource:
    """The mailbox from settings + keyring, or the demo's Maildir when DENSHI_DEMO_MAILDIR points at one."""
    import os

    demo = os.environ.get("DENSHI_DEMO_MAILDIR")
    if demo:
        from denshi_client.mail.maildir import MaildirSource

        return MaildirSource(Path(demo))
    from denshi_client.store.settings import load_effective_settings

    eff = settings or load_effective_settings()
    return make_source(account_from_settings(eff), load_password(),
                       poll_seconds=eff.mail.poll_seconds)  # type: ignore[attr-defined]

"""The mail reader's failures, each with the CLI exit code docs/cli.md documents."""

from __future__ import annotations

from denshi_client.errors import DenshiError

EXIT_MAIL = 20
EXIT_OTP_TIMEOUT = 21


class MailError(DenshiError):
    """The mailbox could not be reached, trusted or logged in to (code says which)."""

    exit_code = EXIT_MAIL
    code = "mail"


class OtpTimeout(DenshiError):
    """No OTP mail from the fund arrived in time; never carries a code."""

    exit_code = EXIT_OTP_TIMEOUT
    code = "otp_timeout"

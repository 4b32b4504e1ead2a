"""Reading the fund's one-time password from the user's mailbox (IMAP, POP3, or the demo's Maildir).

Qt-free core. Nothing here marks, moves or deletes mail, and no body or code is ever logged.
"""

from denshi_client.mail.errors import MailError, OtpTimeout
from denshi_client.mail.otp import wait_for_otp
from denshi_client.mail.recognise import OtpHit, OtpRule, RawMail, extract_code, find_otp, parse_mail
from denshi_client.mail.source import MailAccount, MailSource

__all__ = ["MailAccount", "MailError", "MailSource", "OtpHit", "OtpRule", "OtpTimeout", "RawMail", "extract_code",
           "find_otp", "parse_mail", "wait_for_otp"]

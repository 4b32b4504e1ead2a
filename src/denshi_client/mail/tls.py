"""TLS for the mailbox: verified always, with an optional CA bundle; errors that say what went wrong.

There is no switch to turn verification off, on purpose: a mailbox password sent to an unverified
server is a password given away.
"""

from __future__ import annotations

import socket
import ssl
from pathlib import Path

from denshi_client.mail.errors import MailError


def make_context(ca_bundle: str = "") -> ssl.SSLContext:
    """The system's trust store (Windows certificate store on Windows), plus the given CA file."""
    ctx = ssl.create_default_context()
    if ca_bundle:
        path = Path(ca_bundle)
        if not path.is_file():
            raise MailError(f"CA 証明書ファイル {path} が見つかりません。",
                            f"The CA bundle {path} does not exist.", code="mail_ca_bundle",
                            hint_ja="`denshi-client mail setup --ca-bundle` で正しいファイルを指定してください。",
                            hint_en="Give the right file with `denshi-client mail setup --ca-bundle`.")
        try:
            ctx.load_verify_locations(cafile=str(path))
        except (ssl.SSLError, OSError, ValueError):
            raise MailError(f"CA 証明書ファイル {path} を読み込めませんでした（PEM 形式か確認してください）。",
                            f"The CA bundle {path} could not be loaded (is it PEM?).", code="mail_ca_bundle") from None
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    return ctx


def connection_error(exc: BaseException, where: str) -> MailError:
    """A MailError for a failure while connecting: certificate, refused, time-out, name, TLS."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or exc.reason or "verify failed"
        return MailError(
            f"メールサーバー {where} の証明書を確認できなかったため、接続を中止しました（{reason}）。",
            f"The certificate of the mail server {where} could not be verified, so the connection was "
            f"stopped ({reason}).", code="mail_certificate",
            hint_ja="サーバー名が正しいか確認してください。社内の CA を使うサーバーなら、その CA 証明書を "
                    "`--ca-bundle` で指定してください。検証なしでの接続はいたしません。",
            hint_en="Check the server name. If the server uses a private CA, give its certificate with "
                    "--ca-bundle. Unverified connections are never made.")
    if isinstance(exc, ssl.SSLError):
        return MailError(f"メールサーバー {where} との暗号化通信を確立できませんでした（{exc.reason}）。",
                         f"A TLS connection to the mail server {where} could not be set up ({exc.reason}).",
                         code="mail_tls",
                         hint_ja="ポート番号と接続方式（ssl / starttls）の組み合わせを確認してください。",
                         hint_en="Check that the port and the security (ssl / starttls) belong together.")
    if isinstance(exc, socket.gaierror):
        return MailError(f"メールサーバー {where} の名前を解決できませんでした。",
                         f"The mail server name {where} could not be resolved.", code="mail_host")
    if isinstance(exc, TimeoutError | socket.timeout):
        return MailError(f"メールサーバー {where} から応答がありませんでした（時間切れ）。",
                         f"The mail server {where} did not answer in time.", code="mail_timeout",
                         hint_ja="VPN 接続中はメールを受信できない場合があります。VPN を切断してからお試しください。",
                         hint_en="Mail may not work while the VPN is up; try again with the VPN disconnected.")
    if isinstance(exc, ConnectionRefusedError):
        return MailError(f"メールサーバー {where} に接続を拒否されました。",
                         f"The mail server {where} refused the connection.", code="mail_refused",
                         hint_ja="サーバー名とポート番号を確認してください。",
                         hint_en="Check the host and the port.")
    return MailError(f"メールサーバー {where} に接続できませんでした（{type(exc).__name__}）。",
                     f"Could not connect to the mail server {where} ({type(exc).__name__}).", code="mail_connect")


def login_error(where: str) -> MailError:
    return MailError(f"メールサーバー {where} にログインできませんでした。ユーザー名かパスワードが違います。",
                     f"Could not log in to the mail server {where}: wrong user name or password.",
                     code="mail_login",
                     hint_ja="`denshi-client mail setup` でもう一度設定してください。Microsoft 365 や Gmail "
                             "ではアプリ パスワードが必要な場合があります。",
                     hint_en="Run `denshi-client mail setup` again. Microsoft 365 and Gmail may need an "
                             "app password.")

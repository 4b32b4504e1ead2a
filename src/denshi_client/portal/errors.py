"""Typed portal failures, so callers (UI, session clock, CLI) can react by type, not by text.

All are `denshi_client.errors.PortalError` (exit code 7). Messages are ours, not the server's:
the real fund will word things differently, and the user must always see the same sentence.
"""

from __future__ import annotations

import logging
import unicodedata

from denshi_client.errors import PortalError

log = logging.getLogger(__name__)
# How much of the server's own error text the log keeps (after control characters are removed).
MAX_SERVER_DETAIL = 300


class PortalUnreachable(PortalError):
    """No TCP/TLS connection: usually the VPN is down."""

    code = "unreachable"


class PortalTimeout(PortalError):
    code = "timeout"


class TlsError(PortalError):
    """The server certificate is not trusted (wrong or missing CA bundle)."""

    code = "tls"


class AuthError(PortalError):
    """User id / OTP refused (wrong, expired, already used)."""

    code = "auth"


class SessionExpired(PortalError):
    """The session token is gone: 90 minutes passed, logout, or never logged in."""

    code = "session_expired"


class ServiceClosed(PortalError):
    """Outside the fund's service hours."""

    code = "service_closed"


class NotFound(PortalError):
    code = "not_found"


class Forbidden(PortalError):
    code = "forbidden"


class IntegrityError(PortalError):
    """Bytes do not match the declared size/SHA-256 (download or upload receipt)."""

    code = "checksum_mismatch"


class UploadConflict(PortalError):
    """The client id was already used for a different file."""

    code = "conflict"


class TransferCancelled(PortalError):
    code = "cancelled"


class ServerError(PortalError):
    """5xx or an answer we cannot read."""

    code = "server"


class ProtocolError(ServerError):
    """An answer that breaks docs/openapi.yaml (not JSON, wrong types, absurd values, too deep or too large)."""

    code = "bad_response"


def bad_response(what_ja: str = "電子連携サービスの応答", what_en: str = "The service's answer") -> ProtocolError:
    return ProtocolError(
        f"{what_ja}を読み取れませんでした。時間をおいて再度お試しください。解決しない場合は基金にお問い合わせください。",
        f"{what_en} could not be read. Please try again later; if it persists, please contact the fund.",
    )


def sanitize(text: str, limit: int = MAX_SERVER_DETAIL) -> str:
    """Server text made safe for a log line: control/format characters dropped, length capped."""
    out = []
    for ch in text[: limit * 4]:
        if unicodedata.category(ch)[0] == "C":
            continue
        out.append(ch)
        if len(out) >= limit:
            out.append("…")
            break
    return "".join(out)


def unreachable() -> PortalUnreachable:
    return PortalUnreachable(
        "電子連携サービスに接続できません。VPN接続の状態をご確認ください。",
        "Cannot reach the document exchange service. Please check the VPN connection.",
    )


def timeout() -> PortalTimeout:
    return PortalTimeout(
        "電子連携サービスからの応答がありません。時間をおいて再度お試しください。",
        "The document exchange service did not answer in time. Please try again later.",
    )


def tls_untrusted() -> TlsError:
    return TlsError(
        "電子連携サービスの証明書を確認できませんでした。設定の証明書（CA）をご確認ください。",
        "The service's certificate could not be verified. Please check the CA bundle setting.",
        hint_ja="[service] ca_bundle に基金から配布された CA 証明書を指定してください。",
        hint_en="Set [service] ca_bundle to the CA certificate the fund provided.",
    )


def cancelled() -> TransferCancelled:
    return TransferCancelled("転送を中止しました。", "The transfer was cancelled.")


def checksum_mismatch(name: str) -> IntegrityError:
    return IntegrityError(
        f"「{name}」の内容が一覧の情報（サイズ・SHA-256）と一致しません。ファイルは保存していません。"
        "再度ダウンロードしてください。",
        f"'{name}' does not match its listed size/SHA-256. It was not saved. Please download it again.",
    )


def upload_mismatch(name: str) -> IntegrityError:
    return IntegrityError(
        f"「{name}」の送信内容をサービス側で確認できませんでした（受付内容が送信ファイルと一致しません）。"
        "再度送信してください。",
        f"The service's receipt for '{name}' does not match the file sent. Please send it again.",
    )


# Server error codes -> (class, ja, en). The server's own wording is only a fallback.
_BY_CODE: dict[str, tuple[type[PortalError], str, str]] = {
    "unauthorized": (SessionExpired, "ログインしていません。もう一度ログインしてください。",
                     "You are not logged in. Please log in again."),
    "session_expired": (SessionExpired, "セッションの有効期限（90分）が切れました。もう一度ログインしてください。",
                        "The session (90 minutes) has expired. Please log in again."),
    "otp_invalid": (AuthError, "ユーザーIDまたはワンタイムパスワードが正しくありません。",
                    "The user ID or one-time password is not correct."),
    "otp_expired": (AuthError, "ワンタイムパスワードの有効期限が切れています。もう一度発行してください。",
                    "The one-time password has expired. Please request a new one."),
    "otp_used": (AuthError, "このワンタイムパスワードは使用済みです。もう一度発行してください。",
                 "This one-time password was already used. Please request a new one."),
    "service_closed": (ServiceClosed, "現在はサービス提供時間外です。提供時間内に再度お試しください。",
                       "The service is closed now. Please try again during service hours."),
    "forbidden": (Forbidden, "この操作を行う権限がありません（事業所番号をご確認ください）。",
                  "You are not allowed to do this (please check the establishment number)."),
    "not_found": (NotFound, "指定された書類が見つかりません。", "The document was not found."),
    "conflict": (UploadConflict, "同じ送信IDで別のファイルが既に送信されています。",
                 "A different file was already sent with this upload id."),
    "checksum_mismatch": (IntegrityError, "送信内容がサービス側で確認できませんでした。再度送信してください。",
                          "The service could not verify the data sent. Please send it again."),
    "too_many_requests": (PortalError, "リクエストが多すぎます。しばらく待ってから再度お試しください。",
                          "Too many requests. Please wait a moment and try again."),
}


def from_response(status: int, body: object) -> PortalError:
    """A typed error for a non-success HTTP answer, always in our own words.

    The server's text never reaches the user (it may be long, or carry terminal control sequences); a
    sanitised, length-capped copy goes to the log for support.
    """
    code = ""
    if isinstance(body, dict):
        raw_code = body.get("code", "")
        code = raw_code if isinstance(raw_code, str) and raw_code.isascii() and len(raw_code) <= 64 else ""
        detail = " / ".join(sanitize(str(body.get(k, ""))) for k in ("message_en", "message_ja") if body.get(k))
        log.info("portal: HTTP %d, server code %r: %s", status, sanitize(str(raw_code), 64), detail)
    code = code if code.replace("_", "").isalnum() else ""
    if code in _BY_CODE:
        cls, mja, men = _BY_CODE[code]
        return cls(mja, men, code=code)
    if status == 401:
        cls, mja, men = _BY_CODE["unauthorized"]
        return cls(mja, men, code="unauthorized")
    if status >= 500:
        return ServerError(
            f"電子連携サービスでエラーが発生しました（HTTP {status}）。時間をおいて再度お試しください。",
            f"The document exchange service failed (HTTP {status}). Please try again later.",
            code=code or "server",
        )
    return PortalError(
        f"電子連携サービスが要求を受け付けませんでした（HTTP {status}）。"
        "時間をおいて再度お試しください。解決しない場合は基金にお問い合わせください。",
        f"The document exchange service refused the request (HTTP {status}). "
        "Please try again later; if it persists, please contact the fund.",
        code=code or f"http_{status}",
    )

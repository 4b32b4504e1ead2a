"""Typed VPN failures, keyed on SoftEther's numeric codes.

vpncmd's exit code *is* the SoftEther error code, and it does not change with the
language of vpncmd's output, so every decision hangs on it (never on the text).
Messages name accounts only; they never carry a password or .vpn contents.
"""

from __future__ import annotations

from denshi_client.errors import VpnError


class VpncmdNotFound(VpnError):
    code = "vpncmd_not_found"


class VpnServiceNotRunning(VpnError):
    code = "vpn_service_not_running"


class VpnAccountNotFound(VpnError):
    code = "vpn_account_not_found"


class VpnAccountExists(VpnError):
    code = "vpn_account_exists"


class VpnAlreadyConnected(VpnError):
    code = "vpn_already_connected"


class VpnNotConnected(VpnError):
    code = "vpn_not_connected"


class VpnBadParameter(VpnError):
    code = "vpn_bad_parameter"


class VpnAdapterInUse(VpnError):
    code = "vpn_adapter_in_use"


class VpnAdapterDisabled(VpnError):
    code = "vpn_adapter_disabled"


class VpnSessionLimit(VpnError):
    code = "vpn_session_limit"


class VpnAuthFailed(VpnError):
    code = "vpn_auth_failed"


class VpnConnectFailed(VpnError):
    """Never established before the deadline; `cause` is the client log's reason when known."""

    code = "vpn_connect_failed"


class VpnTimeout(VpnError):
    code = "vpn_timeout"


class VpnCommandFailed(VpnError):
    """Any other non-zero vpncmd exit code."""

    code = "vpn_command_failed"


# SoftEther error codes (Cedar/Mayaqua ERR_*), the subset this app meets.
ERR_CONNECT_FAILED = 1
ERR_DISCONNECTED = 6  # "disconnected by user"
ERR_HUB_NOT_FOUND = 8
ERR_AUTH_FAILED = 9
ERR_TIMEOUTED = 13
ERR_ACCOUNT_ALREADY_EXISTS = 34
ERR_ACCOUNT_ACTIVE = 35
ERR_ACCOUNT_NOT_FOUND = 36
ERR_ACCOUNT_INACTIVE = 37
ERR_INVALID_PARAMETER = 38
ERR_VLAN_IS_USED = 43
ERR_VLAN_IS_DISABLED = 44
ERR_AUTO_DISCONNECTED = 126

_SERVICE_HINT_JA = "「SoftEther VPN Client」サービスを開始してから、もう一度お試しください。"
_SERVICE_HINT_EN = "Start the \"SoftEther VPN Client\" service and try again."


def vpncmd_not_found(tried: str = "") -> VpncmdNotFound:
    return VpncmdNotFound(
        "SoftEther VPN Client の管理ツール（vpncmd）が見つかりません。",
        "The SoftEther VPN Client command-line tool (vpncmd) was not found.",
        hint_ja="SoftEther VPN Client をインストールするか、"
        "設定の [vpn] vpncmd_path に vpncmd の場所を指定してください。"
        + (f"（確認した場所: {tried}）" if tried else ""),
        hint_en="Install SoftEther VPN Client, or set [vpn] vpncmd_path in the settings."
        + (f" (Looked in: {tried})" if tried else ""),
    )


def timeout_error(what: str, seconds: float) -> VpnTimeout:
    return VpnTimeout(
        f"VPNクライアントの応答がありません（{what}、{seconds:g}秒で打ち切りました）。",
        f"The VPN client did not answer ({what}; gave up after {seconds:g} s).",
        hint_ja="PCの負荷が高いか、VPNクライアントのサービスが応答していない可能性があります。"
        "しばらく待ってから、もう一度お試しください。",
        hint_en="The PC may be busy or the VPN client service may be hung. Wait a moment and try again.",
    )


def connect_failed(account: str, cause: str = "", code: int | None = None) -> VpnError:
    """The error for 'never established'; picks a class from the client log's code when known."""
    if code == ERR_AUTH_FAILED:
        return VpnAuthFailed(
            f"VPN接続「{account}」のユーザー認証に失敗しました。パスワードが正しくない可能性があります。",
            f"User authentication failed for VPN connection \"{account}\". The password may be wrong.",
            hint_ja="基金から届いたVPNのパスワードを確認して、設定し直してください。",
            hint_en="Check the VPN password sent by the fund and set it again.",
        )
    if code == ERR_HUB_NOT_FOUND:
        return VpnConnectFailed(
            f"VPN接続「{account}」の接続先（仮想HUB）がサーバーに見つかりません。",
            f"The virtual hub of VPN connection \"{account}\" does not exist on the server.",
            hint_ja="基金から届いた接続設定ファイル（.vpn）を取り込み直してください。",
            hint_en="Import the fund's connection-settings file (.vpn) again.",
        )
    ja_cause = f"（理由: {cause}）" if cause else ""
    en_cause = f" (cause: {cause})" if cause else ""
    return VpnConnectFailed(
        f"VPN接続「{account}」を確立できませんでした{ja_cause}。",
        f"Could not establish VPN connection \"{account}\"{en_cause}.",
        hint_ja="インターネットに接続されているか、電子連携サービスの利用時間内かをご確認ください。",
        hint_en="Check the internet connection and that the service is within its hours.",
    )


def from_exit_code(code: int, account: str = "", output: str = "") -> VpnError:
    """Map a vpncmd exit code (= SoftEther error code) to a typed error.

    `output` is vpncmd's own message, kept only as a technical detail in the English
    text for unknown codes; callers must never pass output that echoes a secret.
    """
    a = account
    if code == 1:
        return VpnServiceNotRunning(
            "VPNクライアントのサービスが起動していません。" + _SERVICE_HINT_JA,
            "The VPN client service is not running. " + _SERVICE_HINT_EN,
        )
    if code == ERR_ACCOUNT_ALREADY_EXISTS:
        return VpnAccountExists(f"VPN接続設定「{a}」は既に登録されています。",
                                f"VPN connection setting \"{a}\" already exists.")
    if code == ERR_ACCOUNT_ACTIVE:
        return VpnAlreadyConnected(
            f"VPN接続「{a}」は既に接続中（または接続処理中）です。",
            f"VPN connection \"{a}\" is already connected (or connecting).",
            hint_ja="いったん切断してから、もう一度お試しください。",
            hint_en="Disconnect it first, then try again.",
        )
    if code == ERR_ACCOUNT_NOT_FOUND:
        return VpnAccountNotFound(
            f"VPN接続設定「{a}」が見つかりません。",
            f"VPN connection setting \"{a}\" does not exist.",
            hint_ja="基金から届いた接続設定ファイル（.vpn）を取り込んでください。",
            hint_en="Import the fund's connection-settings file (.vpn).",
        )
    if code == ERR_ACCOUNT_INACTIVE:
        return VpnNotConnected(f"VPN接続「{a}」は接続されていません。", f"VPN connection \"{a}\" is not connected.")
    if code == ERR_INVALID_PARAMETER:
        return VpnBadParameter(
            "VPNクライアントに渡した設定値が正しくありません。",
            "The VPN client rejected a parameter as invalid.",
        )
    if code == ERR_VLAN_IS_USED:
        return VpnAdapterInUse(
            f"VPN接続「{a}」が使う仮想LANカードは、別のVPN接続で使用中です。",
            f"The virtual network adapter of VPN connection \"{a}\" is in use by another connection.",
            hint_ja="SoftEther VPN クライアント接続マネージャーで、ほかの接続を切断してからお試しください。",
            hint_en="Disconnect the other connection in SoftEther VPN Client Manager first.",
        )
    if code == ERR_VLAN_IS_DISABLED:
        return VpnAdapterDisabled(
            f"VPN接続「{a}」が使う仮想LANカードが無効になっています。",
            f"The virtual network adapter of VPN connection \"{a}\" is disabled.",
            hint_ja="SoftEther VPN クライアント接続マネージャーで仮想LANカードを有効にしてください。",
            hint_en="Enable the virtual network adapter in SoftEther VPN Client Manager.",
        )
    if code == ERR_AUTO_DISCONNECTED:
        return VpnSessionLimit(
            "接続時間の上限に達したため、VPN接続がサーバーから切断されました。",
            "The server ended the VPN session because its time limit was reached.",
            hint_ja="必要であれば、もう一度接続してください。",
            hint_en="Connect again if you still need the service.",
        )
    if code == ERR_AUTH_FAILED:
        return connect_failed(a, code=code)
    detail = output.strip().splitlines()[-1] if output.strip() else ""
    return VpnCommandFailed(
        f"VPNクライアントの操作に失敗しました（エラーコード {code}）。",
        f"The VPN client command failed (error code {code})" + (f": {detail}" if detail else "."),
    )


def vpn_file_unreadable(path: str) -> VpnBadParameter:
    return VpnBadParameter(
        f"接続設定ファイルを読み込めませんでした: {path}",
        f"Could not read the connection-settings file: {path}",
        hint_ja="基金から届いた .vpn ファイルを指定してください。",
        hint_en="Choose the .vpn file sent by the fund.",
    )


def bad_account_name(name: str) -> VpnBadParameter:
    return VpnBadParameter(
        f"VPN接続設定の名前「{name}」は使えません（空欄・改行・引用符・255文字超は不可）。",
        f"\"{name}\" cannot be used as a VPN connection name (no blanks, line breaks, quotes or >255 chars).",
    )


def empty_password() -> VpnBadParameter:
    return VpnBadParameter("VPNのパスワードが空欄です。", "The VPN password is empty.")


def not_established_in_time(account: str, seconds: float) -> VpnConnectFailed:
    return VpnConnectFailed(
        f"VPN接続「{account}」が{seconds:g}秒以内に確立しなかったため、接続を中止しました。",
        f"VPN connection \"{account}\" was not established within {seconds:g} s, so the attempt was stopped.",
        hint_ja="インターネットに接続されているかをご確認のうえ、もう一度お試しください。",
        hint_en="Check the internet connection and try again.",
    )

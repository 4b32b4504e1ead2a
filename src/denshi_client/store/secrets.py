"""Secrets (ZIP password, VPN password) only in the OS credential store, via keyring.

On Windows that is the Credential Manager, per Windows user. Entries are
service "DenshiClient", username "<profile id>:<kind>". Values are registered
with the log redactor whenever they pass through here, and never appear in a
message: errors name the profile and the kind, nothing else.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import Final

from denshi_client.errors import SecretError
from denshi_client.redact import register_secret

SERVICE: Final = "DenshiClient"
ZIP_PASSWORD: Final = "zip_password"  # noqa: S105  (a kind name, not a password)
VPN_PASSWORD: Final = "vpn_password"  # noqa: S105
KIND_LABELS: dict[str, tuple[str, str]] = {
    ZIP_PASSWORD: ("ZIP のパスワード", "ZIP password"),
    VPN_PASSWORD: ("VPN のパスワード", "VPN password"),
}
# Windows CredWrite takes at most 2560 bytes of blob = 1280 UTF-16 code units;
# keyring does not check and fails with error 1783 ("The stub received bad data").
MAX_SECRET_UTF16_UNITS: Final = 1280

_KIND_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def _label(kind: str) -> tuple[str, str]:
    return KIND_LABELS.get(kind, (kind, kind))


def _backend_error(action_ja: str, action_en: str, exc: BaseException) -> SecretError:
    """Only the exception's type and Windows error code: its text could echo data."""
    import keyring.errors

    winerror = getattr(exc, "winerror", None) or (exc.args[0] if exc.args and isinstance(exc.args[0], int) else None)
    code_txt = f", {winerror}" if winerror else ""
    if isinstance(exc, keyring.errors.NoKeyringError):
        return SecretError(
            f"パスワードを保管する仕組み（資格情報マネージャー）が使えないため、{action_ja}できませんでした。",
            f"No credential store (keyring backend) is available, so the secret could not be {action_en}.",
            code="no_keyring", hint_ja="Windows の資格情報マネージャーが動いているか確認してください。",
            hint_en="Check that Windows Credential Manager is available (`denshi-client doctor`).")
    if isinstance(exc, EOFError):
        return SecretError(
            f"資格情報ストアがパスワードの入力を求めたため、{action_ja}できませんでした。",
            f"The keyring backend asked for a master password, so the secret could not be {action_en}.",
            code="keyring_prompt", hint_ja="keyring の設定（keyringrc.cfg）を確認してください。",
            hint_en="Configure a non-interactive keyring backend (see keyringrc.cfg).")
    return SecretError(
        f"資格情報マネージャーで{action_ja}できませんでした（{type(exc).__name__}{code_txt}）。",
        f"The credential store failed; the secret could not be {action_en} ({type(exc).__name__}{code_txt}).",
        code="keyring_failed")


_INTERACTIVE_BACKENDS = ("keyrings.alt.file.EncryptedKeyring",)


def _keyring() -> ModuleType:
    """keyring, with backends that would ask for a master password on a terminal left out.

    Why: with keyrings.alt next to pycryptodomex, keyring picks EncryptedKeyring, which
    prompts on stdin — a GUI worker thread would hang forever (notes/interop.md §2).
    """
    import keyring
    import keyring.errors

    kr = keyring.get_keyring()
    chain = list(getattr(kr, "backends", None) or [kr])  # a chainer lists its backends, best first
    bad = [b for b in chain if f"{type(b).__module__}.{type(b).__name__}" in _INTERACTIVE_BACKENDS]
    if bad:
        good = [b for b in chain if b not in bad]
        if not good:
            raise _backend_error("処理", "used", keyring.errors.NoKeyringError())
        keyring.set_keyring(good[0])
    return keyring


class SecretStore:
    """get/set/delete per (profile id, kind); values never leave except as return values."""

    def __init__(self, service: str = SERVICE):
        self.service = service

    @staticmethod
    def username(profile_id: str, kind: str) -> str:
        if not _ID_RE.match(profile_id) or not _KIND_RE.match(kind):
            raise SecretError("資格情報の名前が正しくありません。", "Invalid credential name.", code="secret_name")
        return f"{profile_id}:{kind}"

    def get(self, profile_id: str, kind: str) -> str | None:
        keyring = _keyring()

        user = self.username(profile_id, kind)
        try:
            value = keyring.get_password(self.service, user)
        except Exception as e:  # keyring backends raise many types; none may leak
            raise _backend_error("読み出し", "read", e) from None
        if value:
            register_secret(value)
        return value or None

    def require(self, profile_id: str, kind: str) -> str:
        value = self.get(profile_id, kind)
        if value is None:
            ja, en = _label(kind)
            raise SecretError(
                f"プロファイル「{profile_id}」の{ja}が登録されていません。",
                f"No {en} is stored for profile “{profile_id}”.", code=f"{kind}_missing",
                hint_ja=f"`denshi-client profile update {profile_id} --zip-password-stdin` などで登録してください。",
                hint_en=f"Store it with `denshi-client profile update {profile_id} --zip-password-stdin`.")
        return value

    def set(self, profile_id: str, kind: str, value: str) -> None:
        keyring = _keyring()

        user = self.username(profile_id, kind)
        ja, en = _label(kind)
        if not value:
            raise SecretError(f"{ja}が空です。", f"The {en} is empty.", code="secret_empty")
        register_secret(value)
        units = len(value.encode("utf-16-le")) // 2
        if units > MAX_SECRET_UTF16_UNITS:
            raise SecretError(
                f"{ja}が長すぎます（{MAX_SECRET_UTF16_UNITS} 文字まで）。",
                f"The {en} is too long (at most {MAX_SECRET_UTF16_UNITS} characters).", code="secret_too_long")
        try:
            keyring.set_password(self.service, user, value)
        except Exception as e:
            raise _backend_error("保存", "stored", e) from None

    def delete(self, profile_id: str, kind: str) -> bool:
        """True if something was deleted; an absent entry is not an error."""
        import keyring.errors

        keyring = _keyring()

        user = self.username(profile_id, kind)
        try:
            keyring.delete_password(self.service, user)
        except keyring.errors.PasswordDeleteError:
            return False
        except Exception as e:
            raise _backend_error("削除", "deleted", e) from None
        return True

    def delete_all(self, profile_id: str) -> list[str]:
        """Forget every known kind for a removed profile; returns the kinds deleted."""
        return [k for k in KIND_LABELS if self.delete(profile_id, k)]

    def has(self, profile_id: str, kind: str) -> bool:
        return self.get(profile_id, kind) is not None


def backend_name() -> str:
    """For doctor and `config paths`: which keyring backend is in use (no secret involved)."""
    import keyring

    kr = keyring.get_keyring()
    return f"{type(kr).__module__}.{type(kr).__name__}"


def get_zip_password_for_active_profile() -> str:
    """The ZIP password of the active profile; SecretError saying what to do when there is none."""
    from denshi_client.store.profiles import ProfileStore

    profile = ProfileStore().active()
    if profile is None:
        raise SecretError(
            "事業所のプロファイルが選ばれていないため、ZIP のパスワードを取り出せません。",
            "No establishment profile is active, so there is no ZIP password to use.", code="no_profile",
            hint_ja="`denshi-client profile add` で登録するか、`--password-stdin` でパスワードを渡してください。",
            hint_en="Add a profile with `denshi-client profile add`, or pass the password with `--password-stdin`.")
    return SecretStore().require(profile.id, ZIP_PASSWORD)

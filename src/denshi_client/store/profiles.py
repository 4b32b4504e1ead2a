"""Establishment profiles: several per Windows user, one of them active.

A consultant (社労士) works for many establishments from one PC, so every
establishment is a profile with its own number, user ID, VPN account and
folders. The file holds no secrets (those live in the OS keyring, keyed by the
profile id), so it can be shown, backed up and put in a support bundle.
"""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from denshi_client.errors import StoreError, ValidationError
from denshi_client.store.atomic import atomic_write_text, file_lock, write_problem
from denshi_client.store.paths import app_paths

if TYPE_CHECKING:
    from denshi_client.store.settings import EffectiveSettings

Mode = Literal["direct", "browser"]
MODES: tuple[str, ...] = ("direct", "browser")
FILE_FORMAT = 1

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_EMAIL_RE = re.compile(r"^[^@\s\"<>,;]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_USER_ID_RE = re.compile(r"^[\x21-\x7e]{1,64}$")
_UPLOAD_SUBFOLDER = "送信準備"


@dataclass(frozen=True)
class Profile:
    """One establishment as this Windows user works with it."""

    id: str
    establishment: str  # 1-9999 zero-padded to 4 ("0123"): store.profiles.normalize_establishment
    name: str
    user_id: str
    mode: str = "browser"
    vpn_account: str = ""
    download_folder: str = ""  # where the browser saves downloads (browser mode watches it)
    documents_folder: str = ""  # where received PDFs are filed
    upload_folder: str = ""  # upload-ready, password-zipped files for the browser's upload dialog
    related_establishments: tuple[str, ...] = ()  # 複数事業所管理
    email: str = ""

    @property
    def establishment4(self) -> str:
        return f"{int(self.establishment):04d}"

    @property
    def establishment6(self) -> str:
        return f"{int(self.establishment):06d}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["related_establishments"] = list(self.related_establishments)
        return d


def _invalid(ja: str, en: str, field_name: str) -> ValidationError:
    return ValidationError(ja, en, code=f"profile_{field_name}")


def normalize_establishment(value: str | int) -> str:
    """'０１２３', '123', 123 → '0123'. The range and the message are `documents.naming`'s (1–9999),
    the one definition the upload names, the CLI and the wizard use too."""
    from denshi_client.documents import naming

    try:
        return naming.establishment_text(value)
    except ValidationError as e:
        raise _invalid(e.ja, e.en, "establishment") from None


def _check_folder(value: str, label_ja: str, label_en: str, field_name: str) -> str:
    v = os.path.expandvars(os.path.expanduser(value.strip()))
    if not v:
        return ""
    if any(ord(c) < 32 for c in v) or not os.path.isabs(v):
        raise _invalid(f"{label_ja}「{value}」は使えません。ドライブから始まる完全なパスで指定してください"
                       f"（例: C:\\Users\\tanaka\\Downloads）。",
                       f"{label_en} “{value}” is not usable: give a full path (example: C:\\Users\\tanaka\\Downloads).",
                       field_name)
    return v


def validate_profile(p: Profile) -> Profile:
    """The profile in normal form, or a ValidationError saying which field and why."""
    if not _ID_RE.match(p.id):
        raise _invalid(f"プロファイル ID「{p.id}」は使えません。"
                       "英小文字・数字・-・_ の 40 文字以内で指定してください。",
                       f"Profile id “{p.id}” is not valid: use up to 40 lowercase letters, digits, '-' or '_'.", "id")
    est = normalize_establishment(p.establishment)
    name = p.name.strip()  # as typed: （株） stays full-width
    if not name or len(name) > 100 or any(ord(c) < 32 for c in name):
        raise _invalid("事業所名を 100 文字以内で入力してください。",
                       "Enter an establishment name of up to 100 characters.", "name")
    user_id = unicodedata.normalize("NFKC", p.user_id).strip()
    if not _USER_ID_RE.match(user_id):
        raise _invalid(f"ユーザーID「{p.user_id}」が正しくありません。"
                       "半角英数字・記号の 64 文字以内で入力してください。",
                       f"User ID “{p.user_id}” is not valid: use up to 64 ASCII letters, digits or symbols, no spaces.",
                       "user_id")
    if p.mode not in MODES:
        raise _invalid(f"接続方式「{p.mode}」は使えません。"
                       "direct（直接）または browser（ブラウザー）を指定してください。",
                       f"Mode “{p.mode}” is not valid: use direct or browser.", "mode")
    vpn = p.vpn_account.strip()
    if len(vpn) > 255 or any(ord(c) < 32 or c in '"' for c in vpn):
        raise _invalid(f"VPN 接続設定名「{p.vpn_account}」は使えません（255 文字以内、\" と制御文字は不可）。",
                       f"VPN account name “{p.vpn_account}” is not usable (up to 255 characters, no quotes).",
                       "vpn_account")
    related: list[str] = []
    for r in p.related_establishments:
        n = normalize_establishment(r)
        if n != est and n not in related:
            related.append(n)
    email = p.email.strip()
    if email and not _EMAIL_RE.match(email):
        raise _invalid(f"メールアドレス「{p.email}」の形式が正しくありません。",
                       f"E-mail address “{p.email}” is not valid.", "email")
    return replace(
        p, establishment=est, name=name, user_id=user_id, vpn_account=vpn, email=email,
        related_establishments=tuple(related),
        download_folder=_check_folder(p.download_folder, "ダウンロードフォルダー", "Download folder",
                                      "download_folder"),
        documents_folder=_check_folder(p.documents_folder, "書類の保存フォルダー", "Documents folder",
                                       "documents_folder"),
        upload_folder=_check_folder(p.upload_folder, "送信準備フォルダー", "Upload-ready folder",
                                    "upload_folder"),
    )


def default_download_folder() -> Path:
    home = os.environ.get("DENSHI_CLIENT_HOME")
    if home:
        return Path(home) / "downloads"
    import platformdirs

    return Path(platformdirs.user_downloads_dir())


def _slug_for(establishment: str, taken: Iterable[str]) -> str:
    used = set(taken)
    base = f"e{establishment}"
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def new_profile(*, establishment: str | int, name: str, user_id: str, mode: str = "browser",
                vpn_account: str | None = None, download_folder: str | None = None,
                documents_folder: str | None = None, upload_folder: str | None = None,
                related_establishments: Iterable[str] = (), email: str = "", profile_id: str | None = None,
                existing_ids: Iterable[str] = (), settings: EffectiveSettings | None = None) -> Profile:
    """A checked profile, with folders and the VPN account name filled from the settings when not given."""
    est = normalize_establishment(establishment)
    pid = profile_id or _slug_for(est, existing_ids)
    if vpn_account is None or documents_folder is None:
        if settings is None:
            from denshi_client.store.settings import load_effective_settings

            settings = load_effective_settings()
        if vpn_account is None:
            vpn_account = settings.vpn.account_name(est, pid)
        if documents_folder is None:
            documents_folder = str(settings.folders.documents_root_path() / est)
    if upload_folder is None:
        upload_folder = str(Path(documents_folder) / _UPLOAD_SUBFOLDER) if documents_folder else ""
    return validate_profile(Profile(
        id=pid, establishment=est, name=name, user_id=user_id, mode=mode, vpn_account=vpn_account,
        download_folder=str(default_download_folder()) if download_folder is None else download_folder,
        documents_folder=documents_folder, upload_folder=upload_folder,
        related_establishments=tuple(related_establishments), email=email))


@dataclass
class _FileState:
    active: str | None = None
    profiles: list[Profile] = field(default_factory=list)


_FIELDS = {f for f in Profile.__dataclass_fields__}


F = TypeVar("F", bound=Callable[..., Any])


def _locked(fn: F) -> F:
    """Read-modify-write under the profiles file's lock (app and CLI may change it at once)."""
    @functools.wraps(fn)
    def wrapper(self: ProfileStore, *args: Any, **kwargs: Any) -> Any:
        try:
            with file_lock(self.path):
                return fn(self, *args, **kwargs)
        except OSError as e:
            why_ja, why_en = write_problem(e)
            raise StoreError(f"事業所プロファイル {self.path} を書き込めませんでした（{why_ja}）。"
                             "変更は保存していません。",
                             f"The profiles file {self.path} could not be written ({why_en}). Nothing was changed.",
                             code="profiles_write") from None
    return cast(F, wrapper)


class ProfileStore:
    """The profiles file: read whole, changed, written back atomically.

    Each call re-reads the file, so the app and a CLI run in parallel see each
    other's changes; a broken file raises and is never overwritten.
    """

    def __init__(self, path: Path | None = None):
        self.path = path or app_paths().profiles_file

    # -- reading
    def _broken(self, ja_what: str, en_what: str, line: int | None = None) -> StoreError:
        where_ja = f"プロファイルファイル {self.path}" + (f" の {line} 行目" if line else "")
        where_en = f"Profiles file {self.path}" + (f", line {line}" if line else "")
        return StoreError(f"{where_ja}: {ja_what}", f"{where_en}: {en_what}", code="profiles_file",
                          hint_ja="ファイルは変更していません。バックアップから戻すか、内容を修正してください。",
                          hint_en="The file was left as it is; restore it from a backup or correct it.")

    def _read(self) -> _FileState:
        if not self.path.exists():
            return _FileState()
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            why = type(e).__name__
            raise self._broken(f"読み込めませんでした（{why}）。", f"it could not be read ({why}).") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise self._broken(f"JSON の形式が正しくありません（{e.msg}）。", f"it is not valid JSON ({e.msg}).",
                               e.lineno) from None
        if not isinstance(data, dict) or not isinstance(data.get("profiles", []), list):
            raise self._broken("想定した形式ではありません。", "it does not have the expected shape.")
        fmt = data.get("format", FILE_FORMAT)
        if not isinstance(fmt, int) or fmt > FILE_FORMAT:
            raise self._broken("より新しいバージョンのアプリで作られています。",
                               "it was written by a newer version of the app.")
        state = _FileState(active=data.get("active") if isinstance(data.get("active"), str) else None)
        for raw in data.get("profiles", []):
            if not isinstance(raw, dict):
                raise self._broken("プロファイルの形式が正しくありません。", "a profile entry has the wrong shape.")
            try:
                values = {k: v for k, v in raw.items() if k in _FIELDS}
                values["related_establishments"] = tuple(values.get("related_establishments") or ())
                state.profiles.append(validate_profile(Profile(**values)))
            except (TypeError, ValidationError) as e:
                pid = raw.get("id", "?")
                detail_ja = e.ja if isinstance(e, ValidationError) else "必要な項目がありません。"
                detail_en = e.en if isinstance(e, ValidationError) else "required fields are missing."
                raise self._broken(f"プロファイル「{pid}」: {detail_ja}", f"profile “{pid}”: {detail_en}") from None
        if state.active not in {p.id for p in state.profiles}:
            state.active = state.profiles[0].id if state.profiles else None
        return state

    def _write(self, state: _FileState) -> None:
        data = {"format": FILE_FORMAT, "active": state.active, "profiles": [p.to_dict() for p in state.profiles]}
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    def all(self) -> list[Profile]:
        return self._read().profiles

    def find(self, profile_id: str) -> Profile | None:
        return next((p for p in self._read().profiles if p.id == profile_id), None)

    def get(self, profile_id: str) -> Profile:
        p = self.find(profile_id)
        if p is None:
            raise _not_found(profile_id)
        return p

    def active_id(self) -> str | None:
        return self._read().active

    def active(self) -> Profile | None:
        state = self._read()
        return next((p for p in state.profiles if p.id == state.active), None)

    def require_active(self) -> Profile:
        p = self.active()
        if p is None:
            raise StoreError("事業所のプロファイルがまだ登録されていません。",
                             "No establishment profile has been set up yet.", code="no_profile",
                             hint_ja="`denshi-client profile add` で登録してください。",
                             hint_en="Add one with `denshi-client profile add`.")
        return p

    # -- changing
    @_locked
    def add(self, profile: Profile, *, make_active: bool = False) -> Profile:
        profile = validate_profile(profile)
        state = self._read()
        if any(p.id == profile.id for p in state.profiles):
            raise ValidationError(f"プロファイル ID「{profile.id}」はすでに使われています。",
                                  f"Profile id “{profile.id}” is already in use.", code="profile_exists")
        for p in state.profiles:
            if p.establishment == profile.establishment and p.user_id == profile.user_id:
                raise ValidationError(
                    f"事業所番号 {p.establishment}・ユーザーID {p.user_id} のプロファイル（{p.id}）は"
                    "すでに登録されています。",
                    f"A profile for establishment {p.establishment} with user ID {p.user_id} exists already ({p.id}).",
                    code="profile_exists")
        state.profiles.append(profile)
        if make_active or state.active is None:
            state.active = profile.id
        self._write(state)
        return profile

    @_locked
    def update(self, profile_id: str, **changes: Any) -> Profile:
        unknown = set(changes) - (_FIELDS - {"id"})
        if unknown:
            raise ValueError(f"unknown profile fields: {sorted(unknown)}")
        state = self._read()
        for i, p in enumerate(state.profiles):
            if p.id == profile_id:
                if "related_establishments" in changes:
                    changes["related_establishments"] = tuple(changes["related_establishments"])
                new = validate_profile(replace(p, **changes))
                state.profiles[i] = new
                self._write(state)
                return new
        raise _not_found(profile_id)

    @_locked
    def remove(self, profile_id: str) -> Profile:
        state = self._read()
        for p in state.profiles:
            if p.id == profile_id:
                state.profiles.remove(p)
                if state.active == profile_id:
                    state.active = state.profiles[0].id if state.profiles else None
                self._write(state)
                return p
        raise _not_found(profile_id)

    @_locked
    def use(self, profile_id: str) -> Profile:
        state = self._read()
        for p in state.profiles:
            if p.id == profile_id:
                state.active = p.id
                self._write(state)
                return p
        raise _not_found(profile_id)


def _not_found(profile_id: str) -> StoreError:
    return StoreError(f"プロファイル「{profile_id}」は見つかりません。", f"There is no profile “{profile_id}”.",
                      code="profile_not_found", hint_ja="`denshi-client profile list` で一覧を確認できます。",
                      hint_en="`denshi-client profile list` shows them all.")


def profile_from_mapping(data: Mapping[str, Any]) -> Profile:
    """For importers (onboarding): a dict with Profile's field names, checked."""
    values = {k: v for k, v in data.items() if k in _FIELDS}
    values["related_establishments"] = tuple(values.get("related_establishments") or ())
    return validate_profile(Profile(**values))

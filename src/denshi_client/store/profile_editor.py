"""Adding, changing and removing establishments (the wizard and the settings dialog), with the ZIP password
kept only in the credential store. The UI reaches it through `services` (`AppServices.profile_editor`,
`services.ProfileEditor`): ui/ never builds the stores itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from denshi_client.store.profiles import Profile, ProfileStore
    from denshi_client.store.secrets import SecretStore
    from denshi_client.store.settings import EffectiveSettings


def _profile_store() -> ProfileStore:
    from denshi_client.store.profiles import ProfileStore

    return ProfileStore()


def _secret_store() -> SecretStore:
    from denshi_client.store.secrets import SecretStore

    return SecretStore()


@dataclass
class ProfileEditor:
    """One place for an establishment's record and its password: all or nothing."""

    store: ProfileStore = field(default_factory=_profile_store)
    secrets: SecretStore = field(default_factory=_secret_store)
    settings: EffectiveSettings | None = None

    def all(self) -> list[Profile]:
        return self.store.all()

    def has_zip_password(self, profile_id: str) -> bool:
        from denshi_client.store.secrets import ZIP_PASSWORD

        return self.secrets.has(profile_id, ZIP_PASSWORD)

    def create(self, *, establishment: str, name: str, user_id: str, mode: str, zip_password: str,
               vpn_account: str | None = None, documents_folder: str | None = None,
               download_folder: str | None = None, make_active: bool = True,
               require_zip_password: bool = True) -> Profile:
        """A complete establishment: checked, stored, its ZIP password in the credential store, and active.
        No password → nothing is stored (a profile without one cannot open what the fund sends), unless the
        caller has warned the user (the profile dialog: the password may come later by a separate mail)."""
        if not zip_password and require_zip_password:
            from denshi_client.errors import ValidationError

            raise ValidationError("ZIPファイルのパスワードを入力してください（基金から別のメールで届いたものです）。",
                                  "Enter the ZIP password (the fund sends it in a separate e-mail).",
                                  code="profile_zip_password")
        from denshi_client.store.profiles import new_profile
        from denshi_client.store.secrets import ZIP_PASSWORD

        p = new_profile(establishment=establishment, name=name, user_id=user_id, mode=mode,
                        vpn_account=vpn_account or None, documents_folder=documents_folder or None,
                        download_folder=download_folder or None, existing_ids=[x.id for x in self.store.all()],
                        settings=self.settings)
        p = self.store.add(p, make_active=make_active)
        if not zip_password:
            return p
        try:
            self.secrets.set(p.id, ZIP_PASSWORD, zip_password)
        except Exception:
            self.store.remove(p.id)  # all or nothing: never a profile whose password was lost
            raise
        return p

    def update(self, profile_id: str, *, zip_password: str = "", **changes: Any) -> Profile:
        """Changes the fields given; a new ZIP password only when one is typed."""
        if "establishment" in changes:
            from denshi_client.store.profiles import normalize_establishment

            changes["establishment"] = normalize_establishment(changes["establishment"])
        p = self.store.update(profile_id, **changes)
        if zip_password:
            from denshi_client.store.secrets import ZIP_PASSWORD

            self.secrets.set(p.id, ZIP_PASSWORD, zip_password)
        return p

    def remove(self, profile_id: str) -> None:
        self.store.remove(profile_id)
        self.secrets.delete_all(profile_id)

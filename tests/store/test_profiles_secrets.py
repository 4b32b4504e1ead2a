"""Profiles file and keyring secrets, with the real PlaintextKeyring from tests/conftest.py."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from denshi_client import redact
from denshi_client.errors import SecretError, StoreError, ValidationError
from denshi_client.store.paths import app_paths
from denshi_client.store.profiles import Profile, ProfileStore, new_profile, normalize_establishment
from denshi_client.store.secrets import (
    MAX_SECRET_UTF16_UNITS,
    SERVICE,
    VPN_PASSWORD,
    ZIP_PASSWORD,
    SecretStore,
    get_zip_password_for_active_profile,
)


def make(est: str = "123", name: str = "テスト商事", user_id: str = "u123", **kw: object) -> Profile:
    store = ProfileStore()
    return new_profile(establishment=est, name=name, user_id=user_id, existing_ids=[p.id for p in store.all()],
                       **kw)  # type: ignore[arg-type]


def test_profiles_crud_and_active() -> None:
    store = ProfileStore()
    assert store.all() == [] and store.active() is None
    a = store.add(make("123"))
    b = store.add(make("４５６", name="第二工場", user_id="u456", mode="direct",
                       related_establishments=["457", "0458"]))
    assert a.id == "e0123" and b.id == "e0456" and b.establishment == "0456"
    assert b.related_establishments == ("0457", "0458")
    assert store.active_id() == "e0123"  # the first one becomes active
    assert a.vpn_account == "denshi-0123"
    assert Path(a.upload_folder).parent == Path(a.documents_folder)
    store.use("e0456")
    assert ProfileStore().active() == b  # persisted
    upd = store.update("e0456", name="第二工場（新）", email="admin@example.co.jp")
    assert upd.name == "第二工場（新）" and ProfileStore().get("e0456").email == "admin@example.co.jp"
    store.remove("e0456")
    assert store.active_id() == "e0123"
    with pytest.raises(StoreError):
        store.get("e0456")
    with pytest.raises(StoreError):
        store.use("nope")
    data = json.loads(app_paths().profiles_file.read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["active"] == "e0123"


def test_same_establishment_gets_a_new_slug_and_duplicates_are_refused() -> None:
    store = ProfileStore()
    store.add(make("123", user_id="a"))
    second = store.add(make("123", user_id="b"))
    assert second.id == "e0123-2"
    with pytest.raises(ValidationError):
        store.add(make("123", user_id="a"))


@pytest.mark.parametrize(("field", "value"), [
    ("establishment", "12a"), ("establishment", "0"), ("establishment", "1234567"), ("name", ""),
    ("user_id", "has space"), ("mode", "vpn"), ("profile_id", "Bad Id"), ("download_folder", "relative/dir"),
    ("email", "not-an-address"), ("related_establishments", ["x"]),
])
def test_validation_errors_are_clear(field: str, value: object) -> None:
    kw: dict[str, object] = {"establishment": "123", "name": "n", "user_id": "u"}
    kw[field] = value
    with pytest.raises(ValidationError) as ei:
        new_profile(**kw)  # type: ignore[arg-type]
    assert ei.value.ja and ei.value.en and ei.value.code.startswith("profile_")


def test_normalize_establishment() -> None:
    assert normalize_establishment("０１２３") == "0123"
    assert normalize_establishment(7) == "0007"
    assert normalize_establishment("9999") == "9999"
    with pytest.raises(ValidationError):
        normalize_establishment("123456")  # upload names have 4 digits: it could never be sent


def test_broken_profiles_file_is_reported_and_kept() -> None:
    path = app_paths().profiles_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{\n  "format": 1,\n  "profiles": [\n    {"id": "e1",}\n  ]\n}\n', encoding="utf-8")
    before = path.read_bytes()
    store = ProfileStore()
    with pytest.raises(StoreError) as ei:
        store.all()
    assert str(path) in ei.value.ja and "4 行目" in ei.value.ja
    with pytest.raises(StoreError):
        store.add(make())
    assert path.read_bytes() == before


def test_secret_roundtrip_uses_keyring_names() -> None:
    s = SecretStore()
    s.set("e0123", ZIP_PASSWORD, "Zip-パス-1234")
    assert keyring.get_password(SERVICE, "e0123:zip_password") == "Zip-パス-1234"
    assert s.get("e0123", ZIP_PASSWORD) == "Zip-パス-1234"
    assert s.get("e0123", VPN_PASSWORD) is None
    assert redact.redact("pw is Zip-パス-1234") == f"pw is {redact.MASK}"
    assert s.delete("e0123", ZIP_PASSWORD) is True
    assert s.delete("e0123", ZIP_PASSWORD) is False
    assert s.get("e0123", ZIP_PASSWORD) is None


def test_secret_length_limit_of_windows_credential_manager() -> None:
    s = SecretStore()
    s.set("e1", ZIP_PASSWORD, "x" * MAX_SECRET_UTF16_UNITS)
    with pytest.raises(SecretError) as ei:
        s.set("e2", ZIP_PASSWORD, "y" * (MAX_SECRET_UTF16_UNITS + 1))
    assert ei.value.code == "secret_too_long" and "y" * 10 not in ei.value.ja + ei.value.en
    with pytest.raises(SecretError):
        s.set("e2", ZIP_PASSWORD, "😀" * 641)  # 1282 UTF-16 units although only 641 characters
    assert s.get("e2", ZIP_PASSWORD) is None


def test_no_keyring_backend_maps_to_secret_error() -> None:
    prev = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(SecretError) as ei:
            SecretStore().set("e1", ZIP_PASSWORD, "Secret-Value-9")
        assert ei.value.code == "no_keyring"
        assert "Secret-Value-9" not in ei.value.ja + ei.value.en + repr(ei.value)
        with pytest.raises(SecretError):
            SecretStore().get("e1", ZIP_PASSWORD)
    finally:
        keyring.set_keyring(prev)


def test_zip_password_for_active_profile() -> None:
    with pytest.raises(SecretError) as ei:
        get_zip_password_for_active_profile()
    assert ei.value.code == "no_profile"
    store = ProfileStore()
    p = store.add(make())
    with pytest.raises(SecretError) as ei:
        get_zip_password_for_active_profile()
    assert ei.value.code == "zip_password_missing" and p.id in ei.value.ja
    SecretStore().set(p.id, ZIP_PASSWORD, "Active-Zip-77")
    assert get_zip_password_for_active_profile() == "Active-Zip-77"
    other = store.add(make("999", user_id="z"))
    SecretStore().set(other.id, ZIP_PASSWORD, "Other-Zip-88")
    store.use(other.id)
    assert get_zip_password_for_active_profile() == "Other-Zip-88"


def scan_for(root: Path, secret: str) -> list[Path]:
    """Files under root holding the secret as UTF-8, UTF-16 or base64."""
    needles = [secret.encode(), secret.encode("utf-16-le"), base64.b64encode(secret.encode())]
    return [p for p in root.rglob("*") if p.is_file() and any(n in p.read_bytes() for n in needles)]


def test_secrets_never_land_in_app_files(app_home: Path) -> None:
    secret = "Never-In-Files-42"
    store = ProfileStore()
    p = store.add(make())
    SecretStore().set(p.id, ZIP_PASSWORD, secret)
    SecretStore().set(p.id, VPN_PASSWORD, secret + "v")
    store.update(p.id, name="更新")
    from denshi_client.store import settings as cfg

    cfg.set_user_value("ui.language", "en")
    from denshi_client.store.history import History

    with History() as h:
        h.record(establishment="123", profile_id=p.id, direction="send", file_name="a.zip", mode="browser")
    assert scan_for(app_home, secret) == []
    assert scan_for(app_home, secret + "v") == []


ADDER = """
import sys
from denshi_client.store.profiles import ProfileStore, new_profile
from denshi_client.store.settings import load_effective_settings
s = load_effective_settings()
store = ProfileStore()
for i in range(8):
    n = int(sys.argv[1]) * 100 + i + 1
    store.add(new_profile(establishment=n, name=f"並行{n}", user_id=f"u{n}", profile_id=f"p{n}", settings=s))
"""


def test_parallel_writers_lose_nothing() -> None:
    import subprocess
    import sys

    procs = [subprocess.Popen([sys.executable, "-c", ADDER, str(k)]) for k in range(1, 5)]
    assert [p.wait(60) for p in procs] == [0, 0, 0, 0]
    assert len(ProfileStore().all()) == 32


def test_a_keyring_that_would_prompt_is_refused_not_waited_for() -> None:
    """keyrings.alt's EncryptedKeyring asks for a master password on stdin: a GUI worker would hang."""
    import keyring
    import pytest
    from keyrings.alt.file import EncryptedKeyring

    from denshi_client.errors import SecretError
    from denshi_client.store.secrets import SecretStore

    keyring.set_keyring(EncryptedKeyring())
    with pytest.raises(SecretError) as ei:
        SecretStore().get("p1", "zip_password")
    assert ei.value.code == "no_keyring"

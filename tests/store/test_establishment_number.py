"""One definition of the establishment number (issue 14, item 4): 1–9999, everywhere, with one message.

Upload names carry the number as 4 zero-padded digits, so a 5-digit profile could never send anything;
before, profiles and the wizard took 1–6 digits. The store, the registration form and the CLI must all
refuse 12345 with the message `documents.naming` gives.
"""

from __future__ import annotations

import pytest

from denshi_client.documents import naming
from denshi_client.errors import ValidationError
from denshi_client.onboarding import registration as rg
from denshi_client.store.profiles import ProfileStore, new_profile, normalize_establishment
from tests.conftest import run_cli

pytestmark = pytest.mark.usefixtures("app_home")


def the_message() -> str:
    with pytest.raises(ValidationError) as ei:
        naming.parse_establishment("12345")
    return ei.value.ja


def test_the_definition_is_1_to_9999() -> None:
    assert naming.establishment_text("９９９９") == "9999" and naming.establishment_text(7) == "0007"
    for bad in ("12345", "0", "", "12a", 10000):
        with pytest.raises(ValidationError):
            naming.establishment_text(bad)
    assert "4桁" in the_message()


def test_profiles_refuse_five_digits_with_the_same_message() -> None:
    msg = the_message()
    with pytest.raises(ValidationError) as ei:
        normalize_establishment("12345")
    assert ei.value.ja == msg and ei.value.code == "profile_establishment"
    with pytest.raises(ValidationError) as ei:
        new_profile(establishment="12345", name="五桁商事", user_id="u5")
    assert ei.value.ja == msg
    store = ProfileStore()
    p = store.add(new_profile(establishment="123", name="四桁商事", user_id="u4"))
    with pytest.raises(ValidationError) as ei:
        store.update(p.id, establishment="12345")
    assert ei.value.ja == msg and store.get(p.id).establishment == "0123"


def test_the_registration_form_refuses_five_digits_with_the_same_message() -> None:
    with pytest.raises(ValidationError) as ei:
        rg.build_registration(establishment="12345", admin_name="電子 太郎", admin_kana="デンシ タロウ",
                              email="taro@example.co.jp", user_id="taro01", office_name="五桁商事", pcs=1,
                              input_date="2026-12-02")
    assert ei.value.ja == the_message()
    assert naming.registration_file_name("123") == "電子連携管理者登録届(000123).xlsx"


def test_the_cli_refuses_five_digits_with_the_same_message() -> None:
    msg = the_message()
    r = run_cli("profile", "add", "--establishment", "12345", "--name", "五桁商事", "--user-id", "u5")
    assert r.returncode == 1 and msg in r.stderr, r.stderr
    r = run_cli("profile", "add", "--establishment", "123", "--name", "四桁商事", "--user-id", "u4",
                "--zip-password-stdin", input="Secret-0123\n")
    assert r.returncode == 0, r.stderr
    assert "パスワード" not in r.stderr  # a password was given: no warning
    r = run_cli("profile", "update", "e0123", "--establishment", "12345")
    assert r.returncode == 1 and msg in r.stderr, r.stderr


def test_the_cli_warns_on_stderr_when_a_profile_has_no_zip_password() -> None:
    r = run_cli("profile", "add", "--establishment", "456", "--name", "無パスワード商事", "--user-id", "u456")
    assert r.returncode == 0, r.stderr  # it is saved ...
    assert "Zipファイルのパスワード" in r.stderr and "登録されていません" in r.stderr  # ... with a warning
    r = run_cli("profile", "update", "e0456", "--name", "無パスワード商事 本社")
    assert r.returncode == 0 and "登録されていません" in r.stderr
    r = run_cli("profile", "update", "e0456", "--zip-password-stdin", input="Secret-0456\n")
    assert r.returncode == 0 and "登録されていません" not in r.stderr

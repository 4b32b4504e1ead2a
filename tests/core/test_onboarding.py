"""Onboarding: the registration form as the fund reads it, its password ZIP (opened by real 7-Zip), the mailto."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from openpyxl import Workbook, load_workbook
from tests.conftest import require_tool, run_cli

from denshi_client.errors import ValidationError
from denshi_client.onboarding import registration as rg

FORM = "電子連携管理者登録届(000123).xlsx"


def _reg(**kw: object) -> rg.Registration:
    args: dict[str, object] = dict(establishment="123", admin_name="電子 太郎", admin_kana="デンシ タロウ",
                                   email="taro@example.co.jp", user_id="taro01", office_name="株式会社サンプル",
                                   pcs=2, input_date="2026-11-27")
    args.update(kw)
    return rg.build_registration(**args)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- kana

@pytest.mark.parametrize(("typed", "expected"), [
    ("デンシ タロウ", "デンシ　タロウ"),
    ("ﾃﾞﾝｼ ﾀﾛｳ", "デンシ　タロウ"),  # half-width katakana, dakuten joined by NFKC
    ("ｺｰﾎﾟﾚｰﾄ", "コーポレート"),  # half-width long vowel mark
    ("でんし　たろう", "でんし　たろう"),  # hiragana stays as typed
    ("  ヤマダ\u3000 \u3000ハナコ  ", "ヤマダ　ハナコ"),  # runs of mixed spaces -> one full-width space
    ("ヴァイオリン・ケース", "ヴァイオリン・ケース"),
])
def test_kana_accepted_and_normalized(typed: str, expected: str) -> None:
    assert rg.validate_kana(typed) == expected


@pytest.mark.parametrize("bad", ["電子 太郎", "Denshi Taro", "デンシ1", "デンシ-タロウ", "デンシ（タロウ）", "", "   "])
def test_kana_rejected_with_field(bad: str) -> None:
    with pytest.raises(ValidationError) as ei:
        rg.validate_kana(bad)
    assert ei.value.field == "admin_kana"  # type: ignore[attr-defined]
    assert "カナ" in ei.value.ja


def test_kana_error_names_the_offending_characters() -> None:
    with pytest.raises(ValidationError) as ei:
        rg.validate_kana("デンシ 太郎")
    assert "「太」" in ei.value.ja and "「郎」" in ei.value.ja


@pytest.mark.parametrize(("field", "kw"), [
    ("establishment", {"establishment": "1234567"}),
    ("establishment", {"establishment": "12a"}),
    ("email", {"email": "taro@"}),
    ("email", {"email": "taro example.co.jp"}),
    ("user_id", {"user_id": "たろう"}),
    ("pcs", {"pcs": 0}),
    ("pcs", {"pcs": 4}),
    ("pcs", {"pcs": "x"}),
    ("admin_name", {"admin_name": "  "}),
    ("office_name", {"office_name": ""}),
])
def test_fields_rejected(field: str, kw: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as ei:
        _reg(**kw)
    assert ei.value.field == field  # type: ignore[attr-defined]


def test_fullwidth_digits_and_padding_accepted() -> None:
    r = _reg(establishment="０００１２３", pcs="３")
    assert r.establishment == 123 and r.pcs == 3
    assert r.file_name == FORM


# --------------------------------------------------------------------------- the form

def test_form_row2_in_the_funds_order(tmp_path: Path) -> None:
    reg = _reg()
    path = rg.write_form(reg, tmp_path)
    assert path.name == FORM
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == list(rg.HEADERS_JA)
    row = [c.value for c in ws[2]]
    assert row[0].date() == date(2026, 11, 27)
    assert row[1:] == [123, "電子 太郎", "デンシ　タロウ", "taro@example.co.jp", "taro01", "株式会社サンプル", 2]
    assert ws["B2"].number_format == "000000"
    assert ws.max_row == 2


def test_template_row2_filled_and_the_rest_kept(tmp_path: Path) -> None:
    tpl = tmp_path / "fund-template.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "登録届"
    ws.append(["入力日", "事業所番号", "氏名", "カナ", "メール", "ID", "事業所名", "台数"])
    ws.append([None] * 8)
    ws["J1"] = "基金記入欄"
    ws.column_dimensions["C"].width = 33
    wb.save(tpl)
    out = rg.write_form(_reg(), tmp_path / "out", template=tpl)
    ws2 = load_workbook(out)["登録届"]
    assert ws2["A1"].value == "入力日" and ws2["J1"].value == "基金記入欄"
    assert ws2["C1"].value == "氏名" and ws2.column_dimensions["C"].width == 33
    assert [c.value for c in ws2[2]][1:8] == [123, "電子 太郎", "デンシ　タロウ", "taro@example.co.jp", "taro01",
                                              "株式会社サンプル", 2]
    assert tpl.read_bytes() != out.read_bytes()  # the template itself is never modified
    assert load_workbook(tpl).active["B2"].value is None


def test_bad_template_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(ValidationError) as ei:
        rg.write_form(_reg(), tmp_path / "o", template=bad)
    assert "テンプレート" in ei.value.ja
    assert not (tmp_path / "o" / FORM).exists()


# --------------------------------------------------------------------------- password and ZIP

def test_password_is_strong_and_readable() -> None:
    seen = {rg.generate_password() for _ in range(50)}
    assert len(seen) == 50
    for pw in seen:
        assert len(pw) == 19 and pw.count("-") == 3
        assert not set(pw) & set("0O1lI5S2Z8Bo")
        assert any(c.isupper() for c in pw) and any(c.islower() for c in pw) and any(c.isdigit() for c in pw)


@pytest.mark.interop
@pytest.mark.parametrize("fmt", ["aes256", "zipcrypto"])
def test_zip_opens_with_real_7zip_and_the_password(tmp_path: Path, fmt: str) -> None:
    sevenzip = require_tool("7zz")
    pkg = rg.prepare(_reg(), tmp_path, fmt=fmt, to="gyomu@kikin.example.jp")
    assert pkg.archive.name == "電子連携管理者登録届(000123).zip"
    listing = subprocess.run([sevenzip, "l", "-slt", f"-p{pkg.password}", str(pkg.archive)],
                             capture_output=True, text=True, check=True).stdout
    assert f"Path = {FORM}" in listing
    assert ("Method = AES-256" in listing) if fmt == "aes256" else ("ZipCrypto" in listing)
    dest = tmp_path / "x"
    subprocess.run([sevenzip, "x", f"-p{pkg.password}", f"-o{dest}", str(pkg.archive)], check=True,
                   capture_output=True)
    assert (dest / FORM).read_bytes() == pkg.form.read_bytes()
    wrong = subprocess.run([sevenzip, "t", "-pwrong-password", str(pkg.archive)], capture_output=True, text=True)
    assert wrong.returncode != 0


# --------------------------------------------------------------------------- mail

def test_mailto_is_rfc6068_utf8() -> None:
    url = rg.mailto_url("gyomu@kikin.example.jp", "件名 テスト&?", "一行目\n二行目 100%")
    parts = urlsplit(url)
    assert parts.scheme == "mailto" and parts.path == "gyomu@kikin.example.jp"
    assert "+" not in parts.query and " " not in url and "\n" not in url
    assert "%0D%0A" in url and "%20" in url and "%25" in url and "%26" in url
    q = parse_qs(parts.query)
    assert q["subject"] == ["件名 テスト&?"]
    assert q["body"] == ["一行目\r\n二行目 100%"]


def test_mails_are_polite_and_carry_no_password_in_the_first() -> None:
    reg = _reg()
    pkg_pw = "Abcd-3467-Efgh-JkMn"
    s1, b1 = rg.form_mail(reg)
    s2, b2 = rg.password_mail(reg, pkg_pw)
    assert "000123" in s1 and "電子連携管理者登録届" in s1
    assert "添付" in b1 and "別のメール" in b1 and "よろしくお願いいたします" in b1
    assert pkg_pw not in s1 + b1
    assert pkg_pw in b2 and "パスワード" in s2


def test_recipient_comes_from_it_policy(tmp_path: Path, app_home: Path) -> None:
    from denshi_client.store.paths import app_paths

    app_paths().policy_file.write_text('[fund]\noperations_desk_email = "gyomu@kikin.example.jp"\n',
                                       encoding="utf-8")
    pkg = rg.prepare(_reg(), tmp_path)
    assert pkg.to == "gyomu@kikin.example.jp"
    assert pkg.form_mailto.startswith("mailto:gyomu@kikin.example.jp?subject=")


# --------------------------------------------------------------------------- CLI

def test_cli_register_json(tmp_path: Path) -> None:
    r = run_cli("register", "--establishment", "123", "--name", "電子 太郎", "--kana", "ﾃﾞﾝｼ ﾀﾛｳ",
                "--email", "taro@example.co.jp", "--user-id", "taro01", "--office", "株式会社サンプル",
                "--pcs", "1", "--date", "2026-11-27", "-o", str(tmp_path), "--zip-format", "zipcrypto",
                "--to", "gyomu@kikin.example.jp", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert Path(d["form"]).name == FORM and Path(d["zip"]).exists() and d["zip_format"] == "zipcrypto"
    assert d["registration"]["admin_kana"] == "デンシ　タロウ"
    body = parse_qs(urlsplit(d["mailto"]).query)["body"][0]
    assert "株式会社サンプル" in body and d["password"] not in body
    assert unquote(urlsplit(d["mailto"]).path) == "gyomu@kikin.example.jp"


def test_cli_register_invalid_kana_exit_1_in_japanese(tmp_path: Path) -> None:
    r = run_cli("register", "--establishment", "123", "--name", "電子 太郎", "--kana", "Denshi",
                "--email", "taro@example.co.jp", "--user-id", "taro01", "--office", "株式会社サンプル",
                "--pcs", "1", "-o", str(tmp_path))
    assert r.returncode == 1
    assert "カナ" in r.stderr
    assert not list(tmp_path.iterdir())


def test_cli_register_template(tmp_path: Path) -> None:
    tpl = tmp_path / "t.xlsx"
    wb = Workbook()
    wb.active.append(["A", "B", "C", "D", "E", "F", "G", "H"])
    wb.save(tpl)
    r = run_cli("register", "--establishment", "42", "--name", "山田 花子", "--kana", "ヤマダ ハナコ",
                "--email", "h@example.jp", "--user-id", "hanako", "--office", "山田商店", "--pcs", "3",
                "--template", str(tpl), "-o", str(tmp_path / "o"), "--json")
    assert r.returncode == 0, r.stderr
    ws = load_workbook(tmp_path / "o" / "電子連携管理者登録届(000042).xlsx").active
    assert ws["A1"].value == "A" and ws["B2"].value == 42 and ws["H2"].value == 3

"""The fund's naming rules: examples that pin each rule and each message."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from denshi_client.documents import naming
from denshi_client.documents.forms import FormCatalog, load_forms
from denshi_client.errors import ConfigError, ValidationError

# --------------------------------------------------------------------------- compose / parse


def test_compose_the_funds_example() -> None:
    assert naming.compose(date(2024, 5, 24), 123, "資格取得届") == "20240524_0123_資格取得届.pdf"


@pytest.mark.parametrize("when", ["2024-05-24", "2024/5/24", "2024.5.24", "20240524", "2024年5月24日",
                                  "令和6年5月24日", "R6.5.24", "r06.05.24", "令6.5.24", "R6/5/24",
                                  "２０２４／５／２４", "令和６年５月２４日", " 2024-05-24 "])
def test_compose_accepts_the_date_forms_people_type(when: str) -> None:
    assert naming.compose(when, "123", "資格取得届") == "20240524_0123_資格取得届.pdf"


@pytest.mark.parametrize("est", [123, "123", "0123", "００１２３", " 123 "])
def test_compose_normalises_the_establishment_number(est: int | str) -> None:
    assert naming.compose("2024-05-24", est, "資格喪失届") == "20240524_0123_資格喪失届.pdf"


def test_parse_gives_the_parts() -> None:
    u = naming.parse("20240524_0123_資格取得届.pdf")
    assert (u.filing_date, u.establishment, u.form, u.establishment_text) == (date(2024, 5, 24), 123, "資格取得届",
                                                                              "0123")
    assert u.file_name == "20240524_0123_資格取得届.pdf"


def test_parse_keeps_underscores_in_the_form_name() -> None:
    assert naming.parse("20240524_0123_届_その他.pdf").form == "届_その他"


def test_parse_raises_the_first_problem() -> None:
    with pytest.raises(ValidationError) as ei:
        naming.parse("20240230_0123_資格取得届.pdf")
    assert ei.value.code == "date_impossible"
    assert "存在しない日付" in ei.value.ja


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(("text", "expected"), [
    ("令和元年5月1日", date(2019, 5, 1)),
    ("令和1年5月1日", date(2019, 5, 1)),
    ("R1.5.1", date(2019, 5, 1)),
    ("H31.4.30", date(2019, 4, 30)),
    ("平成31年4月30日", date(2019, 4, 30)),
    ("平成元年1月8日", date(1989, 1, 8)),
    ("H1.1.8", date(1989, 1, 8)),
    ("昭和64年1月7日", date(1989, 1, 7)),
    ("S64.1.7", date(1989, 1, 7)),
    ("昭和元年12月25日", date(1926, 12, 25)),
    ("令和 6 年 5 月 24 日", date(2024, 5, 24)),
    ("2024-02-29", date(2024, 2, 29)),
])
def test_era_and_western_dates(text: str, expected: date) -> None:
    assert naming.parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "平成31年5月1日",  # that day is 令和元年5月1日
    "H31.5.1",
    "令和元年4月30日",  # still 平成
    "平成元年1月7日",  # still 昭和
    "昭和64年1月8日",  # already 平成
    "2023-02-29",
    "2024-13-01",
    "2024-04-31",
    "R6.2.30",
    "令和0年5月1日",
    "0000-01-01",
])
def test_impossible_dates_are_refused_in_both_languages(text: str) -> None:
    with pytest.raises(ValidationError) as ei:
        naming.parse_date(text)
    assert ei.value.code == "date_impossible"
    assert "存在しない日付です" in ei.value.ja
    assert "not a real date" in ei.value.en or "does not exist" in ei.value.en


def test_the_era_message_says_when_the_era_ends() -> None:
    with pytest.raises(ValidationError) as ei:
        naming.parse_date("平成31年5月1日")
    assert "2019年4月30日まで" in ei.value.ja
    assert "2019-04-30" in ei.value.en


@pytest.mark.parametrize("text", ["", "  ", "yesterday", "5/24", "2024-05", "X6.5.24", "令和六年五月二十四日"])
def test_unreadable_dates(text: str) -> None:
    with pytest.raises(ValidationError) as ei:
        naming.parse_date(text)
    assert ei.value.code in {"date_missing", "date_unreadable"}


def test_to_japanese_era() -> None:
    assert naming.to_japanese_era(date(2019, 5, 1)) == "令和元年5月1日"
    assert naming.to_japanese_era(date(2019, 4, 30)) == "平成31年4月30日"
    assert naming.to_japanese_era(date(2024, 5, 24)) == "令和6年5月24日"
    assert naming.to_japanese_era(date(1989, 1, 7)) == "昭和64年1月7日"


# --------------------------------------------------------------------------- establishment number


@pytest.mark.parametrize(("value", "code"), [
    ("12345", "establishment_too_long"),
    (10000, "establishment_too_long"),
    ("12a", "establishment_not_digits"),
    ("-12", "establishment_not_digits"),
    ("1.5", "establishment_not_digits"),
    ("", "establishment_missing"),
    ("0", "establishment_zero"),
    ("一二三", "establishment_not_digits"),
])
def test_bad_establishment_numbers(value: int | str, code: str) -> None:
    with pytest.raises(ValidationError) as ei:
        naming.compose("2024-05-24", value, "資格取得届")
    assert ei.value.code == code
    assert "事業所番号" in ei.value.ja and "establishment number" in ei.value.en


def test_establishment_message_reads_naturally() -> None:
    with pytest.raises(ValidationError) as ei:
        naming.parse_establishment("12345")
    assert ei.value.ja.startswith("事業所番号は4桁以内の数字で入力してください。") or \
        ei.value.ja.startswith("事業所番号は4桁以内の数字で入力してください（")


def test_widths_come_from_the_rules() -> None:
    rules = naming.NamingRules(establishment_width=5, registration_width=7)
    assert naming.compose("2024-05-24", 123, "資格取得届", rules=rules) == "20240524_00123_資格取得届.pdf"
    assert naming.validate("20240524_00123_資格取得届.pdf", rules=rules).ok
    assert not naming.validate("20240524_0123_資格取得届.pdf", rules=rules).ok
    assert naming.registration_file_name(123, rules) == "電子連携管理者登録届(0000123).xlsx"


# --------------------------------------------------------------------------- validate


def codes(name: str, **kw: object) -> list[str]:
    return [p.code for p in naming.validate(name, **kw).problems]  # type: ignore[arg-type]


def test_valid_name() -> None:
    r = naming.validate("20240524_0123_資格取得届.pdf")
    assert r.ok and not r.changes and not r.warnings
    assert r.parsed == naming.UploadName(date(2024, 5, 24), 123, "資格取得届")


def test_full_width_is_normalised_and_reported() -> None:
    r = naming.validate("２０２４０５２４_０１２３_資格取得届．ｐｄｆ")
    assert not r.ok and codes("２０２４０５２４_０１２３_資格取得届．ｐｄｆ") == ["needs_normalization"]
    assert r.normalized == "20240524_0123_資格取得届.pdf"
    kinds = {c.ja.split("「")[0] for c in r.changes}
    assert {"全角数字", "全角英字", "全角記号"} <= kinds
    assert naming.validate(r.normalized).ok


def test_upper_case_extension_is_a_normalisation() -> None:
    r = naming.validate("20240524_0123_資格取得届.PDF")
    assert r.normalized == "20240524_0123_資格取得届.pdf"
    assert [c.after for c in r.changes] == [".pdf"]


def test_normalize_reports_full_width_space_and_halfwidth_kana() -> None:
    n = naming.normalize("ｼｶｸ\u3000届")
    assert n.text == "シカク 届"
    assert any("全角空白" in c.ja for c in n.changes)
    assert any("半角カナ" in c.ja for c in n.changes)
    assert not naming.normalize(n.text).changed


def test_kangxi_radicals_from_pdf_text_are_folded() -> None:
    assert naming.normalize("5⽉24⽇").text == "5月24日"


@pytest.mark.parametrize(("name", "code"), [
    ("20240524_0123_資格取得届", "extension_missing"),
    ("20240524_0123_資格取得届.docx", "extension_not_pdf"),
    ("20240524_0123_資格取得届.pdf.zip", "extension_not_pdf"),
    ("20240524_123_資格取得届.pdf", "establishment_width"),
    ("20240524_12345_資格取得届.pdf", "establishment_width"),
    ("20240524_0000_資格取得届.pdf", "establishment_zero"),
    ("20240524_01a3_資格取得届.pdf", "establishment_not_digits"),
    ("2024524_0123_資格取得届.pdf", "date_format"),
    ("20241301_0123_資格取得届.pdf", "date_impossible"),
    ("20230229_0123_資格取得届.pdf", "date_impossible"),
    ("20240524_0123_.pdf", "form_missing"),
    ("20240524_0123_ 資格取得届.pdf", "form_spaces"),
    ("資格取得届.pdf", "pattern"),
    ("20240524_0123.pdf", "pattern"),
    ("20240524_0123_資格:取得届.pdf", "forbidden_chars"),
    ("20240524_0123_資格?取得届.pdf", "forbidden_chars"),
    ("20240524_0123_資格\t取得届.pdf", "control_chars"),
    ("20240524_0123_資格取得届.pdf.", "trailing_dot_space"),
    ("20240524_0123_資格取得届.pdf ", "trailing_dot_space"),
    ("", "empty"),
])
def test_each_rule_has_its_own_problem(name: str, code: str) -> None:
    r = naming.validate(name)
    assert not r.ok
    assert code in [p.code for p in r.problems]
    for p in r.problems:
        assert p.ja and p.en and p.ja != p.en


@pytest.mark.parametrize("name", ["CON", "con.pdf", "NUL.pdf", "Aux.PDF", "prn.txt", "COM1.pdf", "com9",
                                  "LPT1.pdf", "lpt9.tar.gz", "CON .pdf", "COM¹.pdf", "CONIN$.pdf",
                                  "LPT0.pdf", "com0", "CLOCK$.pdf"])
def test_reserved_device_names(name: str) -> None:
    problems = naming.component_problems(naming.normalize(name).text)
    assert "reserved_name" in [p.code for p in problems]
    assert "予約名" in problems[0].ja


@pytest.mark.parametrize("name", ["CONSOLE.pdf", "COM10.pdf", "LPT10.pdf", "com.pdf", "NULL.pdf", "xCON.pdf"])
def test_not_reserved(name: str) -> None:
    assert naming.component_problems(name) == []


def test_forbidden_characters_are_listed_in_the_message() -> None:
    p = naming.component_problems('a<b>c:d"e|f?g*h.pdf')[0]
    assert p.code == "forbidden_chars"
    for ch in '<>:"|?*':
        assert ch in p.ja


def test_length_counts_utf16_units_like_windows() -> None:
    # 長 is 3 bytes in UTF-8 but one UTF-16 unit: 250 of them fit on NTFS.
    assert naming.component_problems("長" * 251 + ".pdf") == []
    assert [p.code for p in naming.component_problems("長" * 252 + ".pdf")] == ["too_long"]
    # A character outside the BMP counts twice.
    assert naming.utf16_units("𠮷") == 2
    assert [p.code for p in naming.component_problems("𠮷" * 126 + ".pdf")] == ["too_long"]


def test_long_form_name_is_too_long() -> None:
    r = naming.validate("20240524_0123_" + "届" * 250 + ".pdf")
    assert "too_long" in [p.code for p in r.problems]


def test_full_path_length_against_max_path() -> None:
    name = "20240524_0123_資格取得届.pdf"  # 23 units
    folder_ok = "C:\\" + "a" * (259 - 3 - 1 - len(name))  # exactly 259 units with the backslash
    assert naming.path_length_problems(folder_ok, name) == []
    problems = naming.path_length_problems(folder_ok + "a", name)
    assert [p.code for p in problems] == ["path_too_long"]
    assert problems[0].field == "path"
    assert "path_too_long" in codes(name, folder=folder_ok + "a")
    assert naming.validate(name, folder=folder_ok).ok


def test_unknown_form_is_a_warning_unless_strict() -> None:
    r = naming.validate("20240524_0123_謎の届.pdf")
    assert r.ok and [w.code for w in r.warnings] == ["form_unknown"]
    strict = naming.validate("20240524_0123_謎の届.pdf", strict_forms=True)
    assert not strict.ok and [p.code for p in strict.problems] == ["form_unknown"]
    with pytest.raises(ValidationError):
        naming.compose("2024-05-24", 123, "謎の届", strict_forms=True)
    assert naming.compose("2024-05-24", 123, "謎の届") == "20240524_0123_謎の届.pdf"


def test_future_date_is_a_warning_when_today_is_known() -> None:
    r = naming.validate("20990101_0123_資格取得届.pdf", today=date(2024, 5, 24))
    assert r.ok and [w.code for w in r.warnings] == ["date_future"]


def test_problems_name_the_field_for_the_ui() -> None:
    r = naming.validate("20241301_12345_資格取得届.docx")
    fields = {p.code: p.field for p in r.problems}
    assert fields["date_impossible"] == "date"
    assert fields["establishment_width"] == "establishment"
    assert fields["extension_not_pdf"] == "extension"


def test_result_to_dict_is_json_ready() -> None:
    import json

    d = naming.validate("２０２４０５２４_0123_資格取得届.pdf").to_dict()
    json.dumps(d, ensure_ascii=False)
    assert d["ok"] is False and d["normalized"] == "20240524_0123_資格取得届.pdf"


def test_compose_refuses_a_form_name_that_breaks_windows() -> None:
    with pytest.raises(ValidationError) as ei:
        naming.compose("2024-05-24", 123, "資格/取得届")
    assert ei.value.code == "forbidden_chars"
    with pytest.raises(ValidationError) as ei:
        naming.compose("2024-05-24", 123, "   ")
    assert ei.value.code == "form_missing"


# --------------------------------------------------------------------------- registration file


@pytest.mark.parametrize(("number", "expected"), [
    (123, "電子連携管理者登録届(000123).xlsx"),
    ("1", "電子連携管理者登録届(000001).xlsx"),
    ("９９９９", "電子連携管理者登録届(009999).xlsx"),
])
def test_registration_file_name(number: int | str, expected: str) -> None:
    assert naming.registration_file_name(number) == expected
    assert naming.parse_registration_file_name(expected) == int(naming.normalize(str(number)).text)


@pytest.mark.parametrize("number", ["1234567", "12345", "abc", "", "0"])
def test_registration_number_must_fit(number: str) -> None:
    with pytest.raises(ValidationError) as ei:
        naming.registration_file_name(number)
    assert "事業所番号" in ei.value.ja


@pytest.mark.parametrize("name", ["電子連携管理者登録届(123).xlsx", "電子連携管理者登録届000123.xlsx",
                                  "電子連携管理者登録届(000123).xls", "電子連携管理者登録届(012345).xlsx"])
def test_parse_registration_file_name_refuses_other_shapes(name: str) -> None:
    with pytest.raises(ValidationError):
        naming.parse_registration_file_name(name)


# --------------------------------------------------------------------------- naming assistant


def test_suggest_finds_date_and_form_in_the_source_name() -> None:
    s = naming.suggest("スキャン_R6.5.24_資格喪失届（山田）.pdf", establishment=123)
    assert s.name == "20240524_0123_資格喪失届.pdf"
    assert s.origin == {"date": "source", "establishment": "given", "form": "source"}


def test_suggest_prefers_the_longest_form_name() -> None:
    s = naming.suggest("育児休業等終了届.pdf", establishment=1, today=date(2024, 6, 3))
    assert s.name == "20240603_0001_育児休業等終了届.pdf"
    assert s.origin["date"] == "today"


def test_suggest_explicit_values_win() -> None:
    s = naming.suggest("20240101_0999_資格取得届.pdf", filing_date="令和6年5月24日", form="氏名変更届",
                       establishment="０１２３")
    assert s.name == "20240524_0123_氏名変更届.pdf"


def test_suggest_keeps_a_name_that_already_follows_the_rule() -> None:
    s = naming.suggest("20240524_0123_資格取得届.pdf")
    assert s.unchanged and s.ok


def test_suggest_fixes_full_width_and_extension_case() -> None:
    s = naming.suggest("C:\\Users\\a\\Desktop\\２０２４０５２４_０１２３_資格取得届.PDF")
    assert s.name == "20240524_0123_資格取得届.pdf"
    assert s.changes


def test_suggest_never_guesses_the_establishment_number() -> None:
    s = naming.suggest("資格取得届 0123.pdf", today=date(2024, 5, 24))
    assert s.name is None
    assert [p.code for p in s.problems] == ["establishment_missing"]
    assert s.problems[0].field == "establishment"


def test_suggest_reports_what_is_missing() -> None:
    s = naming.suggest("document.docx")
    assert s.name is None
    assert {p.code for p in s.problems} == {"date_missing", "establishment_missing", "form_missing",
                                            "extension_not_pdf"}


def test_suggest_reports_bad_given_values() -> None:
    s = naming.suggest("資格取得届.pdf", establishment="12345", filing_date="H31.5.1")
    assert {p.code for p in s.problems} == {"establishment_too_long", "date_impossible"}


# --------------------------------------------------------------------------- form list (data, not code)


def test_bundled_form_list() -> None:
    cat = load_forms()
    names = cat.upload_names()
    assert 10 <= len(names) <= 15
    for expected in ("資格取得届", "資格喪失届", "氏名変更届", "住所変更届", "算定基礎届"):
        assert expected in names
    assert cat.download_names() == ["決定通知書", "掛金計算書", "納入告知書"]
    for name in names:  # every upload form makes a valid upload name
        assert naming.validate(naming.UploadName(date(2024, 5, 24), 1, name).file_name, forms=cat).ok


def test_override_file(tmp_path: Path) -> None:
    f = tmp_path / "forms.toml"
    f.write_text('[[upload]]\nname = "新様式届"\nen = "New form"\n', encoding="utf-8")
    cat = load_forms(f)
    assert cat.upload_names() == ["新様式届"]
    assert naming.validate("20240524_0123_新様式届.pdf", forms=cat, strict_forms=True).ok
    assert not naming.validate("20240524_0123_資格取得届.pdf", forms=cat, strict_forms=True).ok
    # An edited file is read again.
    f.write_text('[[upload]]\nname = "別の届"\n', encoding="utf-8")
    import os

    os.utime(f, (1, 1))
    assert load_forms(f).upload_names() == ["別の届"]


@pytest.mark.parametrize(("text", "fragment"), [
    ("[[upload]]\nname = \"資格/取得届\"\n", "ファイル名に使えません"),
    ("[[upload]]\nname = \"A\"\n[[upload]]\nname = \"A\"\n", "重複"),
    ("[[upload]]\nnmae = \"A\"\n", "name"),
    ("[[download]]\nname = \"決定通知書\"\n", "[[upload]]"),
    ("[[upload]\nname = 1\n", "書式"),
    ("unknown = 1\n[[upload]]\nname = \"A\"\n", "不明な項目"),
])
def test_broken_override_file_is_a_config_error(tmp_path: Path, text: str, fragment: str) -> None:
    f = tmp_path / "forms.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as ei:
        load_forms(f)
    assert fragment in ei.value.ja
    assert str(f) in ei.value.ja


def test_missing_override_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_forms(tmp_path / "nope.toml")


def test_catalog_find_in() -> None:
    cat = FormCatalog(upload=tuple(load_forms().upload))
    assert cat.find_in("2024 育児休業等取得者申出書 写し").name == "育児休業等取得者申出書"  # type: ignore[union-attr]
    assert cat.find_in("ｼｶｸ") is None

"""`denshi-client name ...` and `denshi-client hours`, run as a real child process."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.core.test_pdfcheck import minimal_pdf

EN = {"DENSHI_LANG": "en"}


def as_json(out: str) -> dict:
    return json.loads(out)


# --------------------------------------------------------------------------- name compose


def test_compose_the_issue_example() -> None:
    r = run_cli("name", "compose", "--date", "2024-05-24", "--establishment", "123", "--form", "資格取得届")
    assert (r.returncode, r.stdout, r.stderr) == (0, "20240524_0123_資格取得届.pdf\n", "")


def test_compose_with_an_era_date_and_json() -> None:
    r = run_cli("name", "compose", "--date", "令和6年5月24日", "-e", "１２３", "-f", "資格喪失届", "--json")
    assert r.returncode == 0, r.stderr
    assert as_json(r.stdout) == {"ok": True, "name": "20240524_0123_資格喪失届.pdf", "filing_date": "2024-05-24",
                                 "establishment": "0123", "form": "資格喪失届", "warnings": []}


def test_compose_refuses_with_a_clear_message() -> None:
    r = run_cli("name", "compose", "--date", "平成31年5月1日", "-e", "123", "-f", "資格取得届")
    assert r.returncode == 1 and r.stdout == ""
    assert "存在しない日付" in r.stderr and "令和" not in r.stdout
    r = run_cli("name", "compose", "--date", "2024-05-24", "-e", "12345", "-f", "資格取得届", env=EN)
    assert r.returncode == 1 and "fit in 4 digits" in r.stderr
    r = run_cli("name", "compose", "--date", "2024-05-24", "-e", "12345", "-f", "資格取得届", "--json")
    assert r.returncode == 1 and as_json(r.stdout)["error"]["code"] == "establishment_too_long"


def test_compose_unknown_form_warns_or_fails_when_strict() -> None:
    r = run_cli("name", "compose", "--date", "2024-05-24", "-e", "1", "-f", "謎の届")
    assert r.returncode == 0 and r.stdout == "20240524_0001_謎の届.pdf\n" and "一覧にありません" in r.stderr
    r = run_cli("name", "compose", "--date", "2024-05-24", "-e", "1", "-f", "謎の届", "--strict-forms")
    assert r.returncode == 1 and r.stdout == ""


# --------------------------------------------------------------------------- name check


def test_check_valid() -> None:
    r = run_cli("name", "check", "20240524_0123_資格取得届.pdf")
    assert r.returncode == 0 and r.stdout.startswith("OK: 20240524_0123_資格取得届.pdf")
    assert "令和6年5月24日" in r.stdout


def test_check_invalid_lists_every_reason_on_stderr() -> None:
    r = run_cli("name", "check", "２０２４０５２４_123_資格取得届.PDF")
    assert r.returncode == 1 and r.stdout == ""
    assert "全角" in r.stderr and "事業所番号は4桁" in r.stderr
    r = run_cli("name", "check", "CON.pdf", env=EN)
    assert r.returncode == 1 and "reserved device name" in r.stderr


def test_check_offers_the_normalised_name() -> None:
    r = run_cli("name", "check", "２０２４０５２４_０１２３_資格取得届.pdf")
    assert r.returncode == 1 and "修正案: 20240524_0123_資格取得届.pdf" in r.stderr


def test_check_json() -> None:
    r = run_cli("name", "check", "20240524_0123_資格取得届.docx", "--json")
    assert r.returncode == 1
    d = as_json(r.stdout)
    assert d["ok"] is False and [p["code"] for p in d["problems"]] == ["extension_not_pdf"]
    r = run_cli("name", "check", "20240524_0123_資格取得届.pdf", "--json")
    assert r.returncode == 0 and as_json(r.stdout)["parsed"]["establishment"] == "0123"


def test_check_a_path_checks_its_name_and_length(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 240)
    r = run_cli("name", "check", str(deep / "20240524_0123_資格取得届.pdf"), "--json")
    d = as_json(r.stdout)
    assert r.returncode == 1 and [p["code"] for p in d["problems"]] == ["path_too_long"]
    r = run_cli("name", "check", str(tmp_path / "20240524_0123_資格取得届.pdf"))
    assert r.returncode == 0


# --------------------------------------------------------------------------- forms, suggest, registration, pdfcheck


def test_forms_list_and_override(tmp_path: Path) -> None:
    r = run_cli("name", "forms")
    assert r.returncode == 0 and r.stdout.splitlines()[0] == "資格取得届" and "決定通知書" not in r.stdout
    r = run_cli("name", "forms", "--downloads", "--json")
    kinds = {f["name"]: f["kind"] for f in as_json(r.stdout)["forms"]}
    assert kinds["決定通知書"] == "download" and kinds["資格喪失届"] == "upload"
    f = tmp_path / "forms.toml"
    f.write_text('[[upload]]\nname = "新様式届"\n', encoding="utf-8")
    assert run_cli("name", "forms", "--forms-file", str(f)).stdout == "新様式届\n"
    f.write_text('[[upload]]\nname = "a/b"\n', encoding="utf-8")
    r = run_cli("name", "forms", "--forms-file", str(f))
    assert r.returncode == 3 and "ファイル名に使えません" in r.stderr


def test_suggest_and_registration() -> None:
    r = run_cli("name", "suggest", "scan_R6.5.24_資格喪失届.pdf", "-e", "5")
    assert (r.returncode, r.stdout) == (0, "20240524_0005_資格喪失届.pdf\n")
    r = run_cli("name", "suggest", "memo.pdf", "--json")
    assert r.returncode == 1 and {p["code"] for p in as_json(r.stdout)["problems"]} == {"establishment_missing",
                                                                                         "form_missing"}
    r = run_cli("name", "registration", "123")
    assert (r.returncode, r.stdout) == (0, "電子連携管理者登録届(000123).xlsx\n")
    assert run_cli("name", "registration", "1234567").returncode == 1


def test_pdfcheck(tmp_path: Path) -> None:
    ok = tmp_path / "ok.pdf"
    ok.write_bytes(minimal_pdf(pages=2))
    r = run_cli("name", "pdfcheck", str(ok))
    assert r.returncode == 0 and "2ページ" in r.stdout
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"PK\x03\x04 not a pdf")
    r = run_cli("name", "pdfcheck", str(bad), "--json")
    assert r.returncode == 1 and as_json(r.stdout)["errors"][0]["code"] == "not_pdf"
    r = run_cli("name", "pdfcheck", str(ok), "--max-mib", "0.0001")
    assert r.returncode == 1 and "大きすぎます" in r.stderr


def test_name_without_subcommand_is_usage() -> None:
    r = run_cli("name")
    assert r.returncode == 2 and "compose" in r.stderr


# --------------------------------------------------------------------------- hours


def test_hours_json_keys_and_offsets() -> None:
    r = run_cli("hours", "--at", "2024-05-24T19:30:00+09:00", "--json")
    assert r.returncode == 0, r.stderr
    d = as_json(r.stdout)
    assert (d["open"], d["closes_at"], d["next_open"]) == (True, "2024-05-24T20:00:00+09:00",
                                                          "2024-05-27T08:00:00+09:00")


def test_hours_closed_on_a_substitute_holiday_whatever_the_pcs_zone() -> None:
    for tz in ("UTC", "America/Los_Angeles"):
        r = run_cli("hours", "--at", "2024-05-06T01:00:00Z", "--json", env={"TZ": tz})
        d = as_json(r.stdout)
        assert (d["open"], d["closes_at"], d["next_open"]) == (False, None, "2024-05-07T08:00:00+09:00")
        assert d["reason"]["message_ja"] == "祝日（振替休日）"


def test_hours_text() -> None:
    r = run_cli("hours", "--at", "2024-05-24T19:30")  # no offset: Japan time
    assert r.returncode == 0
    assert r.stdout.splitlines() == ["日時: 2024-05-24 19:30 (+09:00)", "状態: 受付中",
                                     "受付終了: 2024-05-24 20:00 (+09:00)（あと30分）",
                                     "次の受付開始: 2024-05-27 08:00 (+09:00)"]
    r = run_cli("hours", "--at", "2024-12-30T10:00+09:00", env=EN)
    assert "Status: closed (year-end holidays)" in r.stdout
    assert "Next opens at: 2025-01-06 08:00 (+09:00)" in r.stdout


def test_hours_now() -> None:
    d = as_json(run_cli("hours", "--json").stdout)
    assert set(d) >= {"open", "closes_at", "next_open"}
    assert d["next_open"].endswith("+09:00")


def test_hours_bad_time() -> None:
    r = run_cli("hours", "--at", "tomorrow")
    assert r.returncode == 1 and "読み取れませんでした" in r.stderr


def test_hours_follows_the_settings_file(app_home: Path) -> None:
    from denshi_client.store.paths import app_paths

    f = app_paths().settings_file
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_text('[service]\nopen = "09:00"\nclosed_dates = ["2024-05-27"]\n', encoding="utf-8")
    d = as_json(run_cli("hours", "--at", "2024-05-24T08:30+09:00", "--json").stdout)
    assert (d["open"], d["next_open"]) == (False, "2024-05-24T09:00:00+09:00")
    d = as_json(run_cli("hours", "--at", "2024-05-24T20:00+09:00", "--json").stdout)
    assert d["next_open"] == "2024-05-28T09:00:00+09:00"
    f.write_text('[service]\nopen = "9am"\n', encoding="utf-8")
    r = run_cli("hours")
    assert r.returncode == 3 and "settings.toml" in r.stderr

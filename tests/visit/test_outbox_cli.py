"""`denshi-client outbox add/list/remove`: prepared offline (named, checked, zipped), refusals with exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import pyzipper

from denshi_client.portal.standin.pdfgen import make_pdf
from tests.conftest import run_cli

ZIP_PW = "Outbox-Test-0123"


def _pdf(folder: Path, name: str, title: str) -> Path:
    p = folder / name
    p.write_bytes(make_pdf(title, [title, "テスト用の届書です。"]))
    return p


@pytest.fixture
def profile(app_home: Path) -> str:
    r = run_cli("profile", "add", "--establishment", "123", "--name", "株式会社テスト", "--user-id", "u123",
                "--mode", "direct", "--use", "--zip-password-stdin", input=ZIP_PW + "\n")
    assert r.returncode == 0, r.stderr
    return "e0123"


def test_add_list_remove_with_real_pdfs(profile: str, tmp_path: Path) -> None:
    src = _pdf(tmp_path, "スキャン 001.pdf", "資格取得届")
    before = src.read_bytes()
    r = run_cli("outbox", "add", str(src), "--form", "資格取得届", "--date", "2026-12-02", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    added = json.loads(r.stdout)["items"]
    assert len(added) == 1
    item = added[0]
    assert item["original_name"] == "スキャン 001.pdf"
    assert item["target_name"] == "20261202_0123_資格取得届.pdf"
    assert item["establishment"] == "0123" and item["state"] == "ready"
    assert src.read_bytes() == before  # the source is never touched
    # the prepared ZIP opens with the establishment's password and holds the renamed PDF
    with pyzipper.AESZipFile(item["zip_path"]) as z:
        z.setpassword(ZIP_PW.encode())
        assert z.namelist() == ["20261202_0123_資格取得届.pdf"]
        assert z.read("20261202_0123_資格取得届.pdf") == before

    # survives a restart: a new process lists it
    r = run_cli("outbox", "list", "--json")
    assert r.returncode == 0, r.stderr
    listed = json.loads(r.stdout)["items"]
    assert [(i["id"], i["original_name"], i["target_name"], i["establishment"], i["state"]) for i in listed] == [
        (item["id"], "スキャン 001.pdf", "20261202_0123_資格取得届.pdf", "0123", "ready")]
    r = run_cli("outbox", "list")
    assert "スキャン 001.pdf" in r.stdout and "20261202_0123_資格取得届.pdf" in r.stdout

    r = run_cli("outbox", "remove", item["id"], "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(run_cli("outbox", "list", "--json").stdout)["items"] == []
    assert not Path(item["zip_path"]).exists()
    r = run_cli("outbox", "remove", item["id"])
    assert r.returncode == 1 and "見つかりません" in r.stderr


def test_refuses_not_a_pdf_and_duplicates(profile: str, tmp_path: Path) -> None:
    fake = tmp_path / "memo.pdf"
    fake.write_text("これはPDFではありません", encoding="utf-8")
    r = run_cli("outbox", "add", str(fake), "--form", "資格取得届", "--date", "2026-12-02", "--json")
    assert r.returncode == 1, r.stdout
    assert json.loads(r.stdout)["error"]["code"].startswith("pdf_")
    assert json.loads(run_cli("outbox", "list", "--json").stdout)["items"] == []

    a = _pdf(tmp_path, "a.pdf", "資格喪失届 A")
    b = _pdf(tmp_path, "b.pdf", "資格喪失届 B")
    assert run_cli("outbox", "add", str(a), "--form", "資格喪失届", "--date", "2026-12-02").returncode == 0
    r = run_cli("outbox", "add", str(b), "--form", "資格喪失届", "--date", "2026-12-02", "--json")
    assert r.returncode == 1
    err = json.loads(r.stdout)["error"]
    assert err["code"] == "already_queued" and "20261202_0123_資格喪失届.pdf" in err["message_ja"]
    # two files with one target name in one call: nothing is queued (all or nothing)
    c = _pdf(tmp_path, "c.pdf", "住所変更届")
    r = run_cli("outbox", "add", str(c), str(b), "--form", "住所変更届", "--date", "2026-12-02")
    assert r.returncode == 1 and "20261202_0123_住所変更届.pdf" in r.stderr
    names = [i["target_name"] for i in json.loads(run_cli("outbox", "list", "--json").stdout)["items"]]
    assert names == ["20261202_0123_資格喪失届.pdf"]


def test_refuses_what_was_sent_today(profile: str, tmp_path: Path) -> None:
    """A send of that very file name recorded today in the history: the fund would get it twice."""
    from denshi_client.store.history import History

    with History() as h:  # stamped now (today, whatever the date): the name carries the filing date
        rid = h.start(establishment="0123", profile_id=profile, direction="send",
                      file_name="20261202_0123_資格取得届.pdf", mode="direct", original_name="x.pdf")
        h.finish(rid, "ok", server_id="R-1")
    src = _pdf(tmp_path, "y.pdf", "資格取得届")
    r = run_cli("outbox", "add", str(src), "--form", "資格取得届", "--date", "2026-12-02", "--json")
    assert r.returncode == 1, r.stdout
    assert json.loads(r.stdout)["error"]["code"] == "already_sent"
    # another filing date is another name: accepted
    r = run_cli("outbox", "add", str(src), "--form", "資格取得届", "--date", "2026-12-03", "--json")
    assert r.returncode == 0, r.stdout + r.stderr


def test_missing_zip_password_is_a_keyring_error(app_home: Path, tmp_path: Path) -> None:
    r = run_cli("profile", "add", "--establishment", "456", "--name", "支店", "--user-id", "u456",
                "--mode", "direct", "--use")
    assert r.returncode == 0, r.stderr
    src = _pdf(tmp_path, "z.pdf", "資格取得届")
    r = run_cli("outbox", "add", str(src), "--form", "資格取得届", "--date", "2026-12-02", "--json")
    assert r.returncode == 4, r.stdout
    assert json.loads(run_cli("outbox", "list", "--json").stdout)["items"] == []

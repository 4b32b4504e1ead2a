"""The stand-in's web pages (browser mode's counterpart) over real HTTP on 127.0.0.1: the fund's whole
procedure OTP → login → notices → download → upload → logout, and what must be refused."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from denshi_client.clock import FakeClock
from denshi_client.documents import archive
from denshi_client.portal.standin import StandInService
from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS


def web(svc: StandInService) -> str:
    return svc.base_url.rsplit("/api/", 1)[0] + "/web"


@pytest.fixture
def browser(service: StandInService) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=web(service), follow_redirects=False, timeout=10) as c:
        yield c


def csrf(page: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', page)
    assert m, page
    return m.group(1)


def log_in(c: httpx.Client, svc: StandInService, user: str = "demo") -> httpx.Response:
    r = c.get("/otp")
    assert r.status_code == 200 and "ワンタイムパスワード発行" in r.text
    r = c.post("/otp", data={"csrf": csrf(r.text), "user_id": user})
    assert r.status_code == 200 and "送信しました" in r.text
    otp = svc.latest_otp(user)
    assert otp
    page = c.get("/login").text
    assert 'autocomplete="one-time-code"' in page
    r = c.post("/login", data={"csrf": csrf(page), "user_id": user, "otp": otp})
    assert r.status_code == 303 and r.headers["location"] == "/web/menu"
    return r


def test_whole_procedure(browser: httpx.Client, service: StandInService, tmp_path: Path) -> None:
    c = browser
    first = c.get("/login")
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/web" in cookie
    log_in(c, service)

    menu = c.get("/menu")
    assert menu.status_code == 200
    head = menu.text.split("</header>")[0]
    assert 'id="logout"' in head and "ログアウト" in head  # top right, in the header bar
    for title, path in (("事業所情報", "/establishment"), ("管理者情報", "/admin"), ("利用者情報", "/users")):
        assert title in menu.text
        page = c.get(path)
        assert page.status_code == 200 and title in page.text
    assert "株式会社サンプル商事 本社" in c.get("/establishment").text
    assert "nenkin-tanto@sample-shoji.example" in c.get("/admin").text

    # notices: every document of the account, each with a download of the real password ZIP
    notices = c.get("/notices").text
    links = re.findall(r'href="(/web/notices/[^"]+/download)"', notices)
    ours = [d for d in service.documents() if d.establishment in ("0123", "0456")]
    assert len(links) == len(ours) > 0
    doc = next(d for d in ours if d.establishment == "0123")
    r = c.get(f"/notices/{doc.id}/download")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert hashlib.sha256(r.content).hexdigest() == doc.sha256
    z = tmp_path / "dl.zip"
    z.write_bytes(r.content)
    (tmp_path / "out").mkdir()
    out = archive.unpack(z, tmp_path / "out", DEMO_ZIP_PASSWORDS["0123"])
    assert out.files and out.files[0].path.read_bytes().startswith(b"%PDF")
    assert not next(d for d in service.documents() if d.id == doc.id).unread

    # upload: a file and a form name; the service records it with its bytes
    up = c.get("/upload").text
    assert 'type="file"' in up and 'name="form_name"' in up and "資格取得届" in up
    body = b"PK\x03\x04 not really a zip but bytes all the same"
    r = c.post("/upload", data={"csrf": csrf(up), "form_name": "資格取得届", "establishment": "0123"},
               files={"file": ("20240524_0123_資格取得届.zip", body, "application/zip")})
    assert r.status_code == 200 and "受け付けました" in r.text
    recs = service.upload_records()
    assert len(recs) == 1
    rec = recs[0]
    assert (rec.file_name, rec.form_name, rec.establishment, rec.status) == (
        "20240524_0123_資格取得届.zip", "資格取得届", "0123", "received")
    assert service.upload_path(rec).read_bytes() == body and rec.server_id in r.text

    # logout: the API session is gone too; the pages send back to the login
    r = c.post("/logout", data={"csrf": csrf(c.get("/menu").text)})
    assert r.status_code == 303 and r.headers["location"] == "/web/logout/done"
    assert "ログアウトしました" in c.get("/logout/done").text
    r = c.get("/notices")
    assert r.status_code == 303 and r.headers["location"] == "/web/login"
    assert r.status_code == 303 and not service._sessions


def test_wrong_otp_is_refused(browser: httpx.Client, service: StandInService) -> None:
    c = browser
    page = c.get("/otp").text
    c.post("/otp", data={"csrf": csrf(page), "user_id": "demo"})
    otp = service.latest_otp("demo")
    assert otp
    wrong = f"{(int(otp) + 1) % 1_000_000:06d}"
    page = c.get("/login").text
    r = c.post("/login", data={"csrf": csrf(page), "user_id": "demo", "otp": wrong})
    assert r.status_code == 401 and "正しくありません" in r.text
    assert c.get("/menu").status_code == 303
    # the right one still works afterwards (one wrong try does not burn it)
    r = c.post("/login", data={"csrf": csrf(r.text), "user_id": "demo", "otp": otp})
    assert r.status_code == 303


def test_post_without_the_csrf_token_is_refused(browser: httpx.Client, service: StandInService) -> None:
    c = browser
    log_in(c, service)
    r = c.post("/upload", data={"csrf": "forged", "form_name": "資格取得届", "establishment": "0123"},
               files={"file": ("x.zip", b"abc", "application/zip")})
    assert r.status_code == 403 and not service.upload_records()
    r = c.post("/logout", data={"csrf": "forged"})
    assert r.status_code == 403 and service._sessions  # still logged in
    other = httpx.Client(base_url=web(service), follow_redirects=False)  # another visitor's token
    try:
        r = other.post("/logout", data={"csrf": csrf(c.get("/menu").text)})
        assert r.status_code == 403
    finally:
        other.close()


def test_expired_session_goes_back_to_login(browser: httpx.Client, service: StandInService,
                                            clock: FakeClock) -> None:
    c = browser
    log_in(c, service)
    assert c.get("/notices").status_code == 200
    clock.advance(91 * 60)
    r = c.get("/notices")
    assert r.status_code == 303 and r.headers["location"] == "/web/login"
    page = c.get("/login").text
    assert "有効期限が切れました" in page


def test_hostile_document_names_are_escaped(browser: httpx.Client, service: StandInService,
                                            tmp_path: Path) -> None:
    src = tmp_path / "evil.zip"
    src.write_bytes(b"PK\x05\x06" + bytes(18))
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>.zip'
    service.add_document(src, establishment="0123", title="<b>件名</b>&", file_name=evil)
    log_in(browser, service)
    page = browser.get("/notices").text
    assert "<script>" not in page and "<img" not in page and "<b>件名" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;.zip" in page
    assert "&lt;b&gt;件名&lt;/b&gt;&amp;" in page
    up = browser.get("/upload").text
    r = browser.post("/upload", data={"csrf": csrf(up), "form_name": "資格取得届", "establishment": "0123"},
                     files={"file": ('"><svg onload=alert(3)>.zip', b"abc", "application/zip")})
    assert r.status_code == 200 and "<svg" not in r.text and "&lt;svg onload=alert(3)&gt;" in r.text


def test_other_establishments_documents_are_not_served(browser: httpx.Client, service: StandInService) -> None:
    log_in(browser, service)
    other = next(d for d in service.documents() if d.establishment == "0789")
    r = browser.get(f"/notices/{other.id}/download")
    assert r.status_code == 403 and "権限" in r.text

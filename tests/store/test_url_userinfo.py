"""A password in a URL's userinfo (`https://user:pw@host/…`) is refused where settings are checked, and
masked wherever URLs are logged or bundled (defence in depth)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from denshi_client.redact import redact
from tests.conftest import run_cli

PW = "Pw-Zq81xK"
URL = f"https://clerk:{PW}@127.0.0.1:9/api/v1"


def _texts(cp: object) -> str:
    return cp.stdout + cp.stderr  # type: ignore[attr-defined]


def test_config_set_refuses_userinfo() -> None:
    for extra in ((), ("--lang", "en")):
        cp = run_cli(*extra, "config", "set", "service.api_base_url", URL)
        assert cp.returncode == 3, _texts(cp)
        assert PW not in _texts(cp)
        assert ("パスワード" in cp.stderr) if not extra else ("password" in cp.stderr)
    assert "clerk" not in run_cli("config", "show").stdout


def test_hand_written_userinfo_is_refused_at_load_and_never_logged_or_bundled(app_home: Path,
                                                                                tmp_path: Path) -> None:
    assert run_cli("config", "set", "ui.language", "ja").returncode == 0
    settings = next(app_home.rglob("settings.toml"))
    settings.write_text(settings.read_text(encoding="utf-8") + f'\n[service]\napi_base_url = "{URL}"\n',
                        encoding="utf-8")
    cp = run_cli("config", "validate")
    assert cp.returncode == 3 and PW not in _texts(cp)
    assert "settings.toml:" in cp.stderr + cp.stdout  # file:line
    cp = run_cli("portal", "otp-request", "--user", "demo")
    assert cp.returncode in (3, 7) and PW not in _texts(cp), _texts(cp)
    cp = run_cli("portal", "otp-request", "--user", "demo", "--base-url", URL)  # the flag is checked too
    assert cp.returncode == 7 and PW not in _texts(cp), _texts(cp)
    out = tmp_path / "bundle.zip"
    cp = run_cli("doctor", "--bundle", str(out))
    assert out.is_file(), _texts(cp)
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        blob = b"".join(z.read(n) for n in names)
    assert "config/settings.toml" in names and b"clerk:" not in blob and PW.encode() not in blob
    logs = "".join(p.read_text(encoding="utf-8", errors="replace") for p in app_home.rglob("*.log*"))
    assert PW not in logs


def test_redact_masks_userinfo_in_any_url() -> None:
    for text in (f"GET {URL}/documents", f"url='http://a:{PW}@h'", f"ftp://{PW}@x/y", f"HTTPS://u:{PW}@H/"):
        out = redact(text)
        assert PW not in out, out
    assert redact("see https://example.jp/a@b") == "see https://example.jp/a@b"  # '@' after the host stays

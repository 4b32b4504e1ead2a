"""HTTPS with a private CA, as the real fund will likely use: trusted only with the CA bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from denshi_client.clock import FakeClock
from denshi_client.portal import errors as pe
from denshi_client.portal.client import HttpPortalClient, PortalSettings
from denshi_client.portal.standin import StandInService

from .conftest import login


@pytest.fixture
def tls_service(tmp_path: Path, clock: FakeClock):
    with StandInService(tmp_path / "tls-standin", clock, tls=True) as svc:
        yield svc


def test_tls_with_custom_ca_bundle(tls_service: StandInService, tmp_path: Path) -> None:
    assert tls_service.base_url.startswith("https://127.0.0.1:")
    assert tls_service.ca_bundle is not None
    settings = PortalSettings(api_base_url=tls_service.base_url, ca_bundle=str(tls_service.ca_bundle))
    with HttpPortalClient.from_settings(settings) as c:
        login(c, tls_service)
        docs = c.inbox()
        out = c.download(docs[0], tmp_path / "dl")
        assert out.stat().st_size == docs[0].size
        src = tmp_path / "up.zip"
        src.write_bytes(b"PK" + b"\0" * 300_000)
        r = c.upload(src, form_name="資格喪失届", establishment="0456")
        assert r.received_size == 300_002


def test_tls_without_the_ca_is_refused_clearly(tls_service: StandInService) -> None:
    with HttpPortalClient(tls_service.base_url, retries=2, backoff_s=0.001) as c:
        with pytest.raises(pe.TlsError) as e:
            c.request_otp("demo")
        assert "証明書" in e.value.ja and e.value.hint_ja
        c.token = "t" * 40
        with pytest.raises(pe.TlsError):
            c.inbox()  # not retried into a VPN message


def test_tls_with_a_different_ca_is_refused(tls_service: StandInService, tmp_path: Path) -> None:
    from denshi_client.portal.standin.tlsca import ensure_test_ca

    other = ensure_test_ca(tmp_path / "other-ca")
    with HttpPortalClient(tls_service.base_url, ca_bundle=other.ca_cert) as c, pytest.raises(pe.TlsError):
        c.health()


def test_missing_ca_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(pe.TlsError) as e:
        HttpPortalClient("https://127.0.0.1:1/api/v1", ca_bundle=tmp_path / "nope.pem")
    assert "CA" in e.value.ja


def test_settings_block_feeds_the_client(tls_service: StandInService, app_home: Path) -> None:
    """[service] api_base_url / ca_bundle in the user's settings file are all the client needs."""
    from denshi_client.services import portal_settings
    from denshi_client.store.paths import app_paths

    f = app_paths().settings_file
    f.parent.mkdir(parents=True, exist_ok=True)
    ca = str(tls_service.ca_bundle).replace("\\", "/")
    f.write_text(f'[service]\napi_base_url = "{tls_service.base_url}"\nca_bundle = "{ca}"\n', encoding="utf-8")
    s = portal_settings()
    assert s.api_base_url == tls_service.base_url
    with HttpPortalClient.from_settings(s) as c:
        assert c.health()["status"] == "ok"

"""A routine visit over the REAL SoftEther lab (tests/vpn/lab.py) and the stand-in service.

Shared by tests/visit/test_visit_lab.py and benchmarks/bench_visit.py. One login ("demo") sees
0123 and 0456; both profiles use the lab's VPN account "fund". Run under
`flock /tmp/denshi-softether-lab.lock`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from denshi_client.documents.archive import ZipFormat, pack
from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS
from denshi_client.portal.standin.pdfgen import make_pdf

LAB_ACCOUNT = "fund"


def lab_driver(lab: Any) -> Any:
    from denshi_client.vpn.softether import SoftEtherDriver
    from denshi_client.vpn.vpncmd import SubprocessRunner
    from tests.vpn.lab import USER_PW

    drv = SoftEtherDriver("vpncmd", runner=SubprocessRunner(lab.prefix), client_log_dir=lab.client_log_dir)
    if LAB_ACCOUNT not in {a.name for a in drv.list_accounts()}:
        drv.import_account(str(lab.vpn_file), LAB_ACCOUNT)
        drv.set_password(LAB_ACCOUNT, "alice", USER_PW)
    return drv


def setup_home(work: Path, svc: Any, *, forms: int = 2, notices: int = 3, pdf_pad: int = 0) -> None:
    """Profiles, ZIP passwords, `forms` queued uploads and `notices` new documents (0123/0456 alternating)."""
    from denshi_client.store.profiles import ProfileStore, new_profile
    from denshi_client.store.secrets import ZIP_PASSWORD, SecretStore
    from denshi_client.store.settings import load_effective_settings

    settings = load_effective_settings()
    store = ProfileStore()
    for pid, est in (("lab-0123", "0123"), ("lab-0456", "0456")):
        if store.find(pid) is None:
            store.add(new_profile(establishment=est, name=f"ラボ {est}", user_id="demo", mode="direct",
                                  vpn_account=LAB_ACCOUNT, profile_id=pid, existing_ids=[p.id for p in store.all()],
                                  settings=settings), make_active=pid == "lab-0123")
        SecretStore().set(pid, ZIP_PASSWORD, DEMO_ZIP_PASSWORDS[est])
    for rec in svc.documents():
        svc.mark_read(rec)
    work.mkdir(parents=True, exist_ok=True)
    pad = ["x" * 70] * pdf_pad
    for i in range(notices):
        est = ("0123", "0456")[i % 2]
        title = f"通知{i + 1}"
        pdf = work / f"n{i}.pdf"
        pdf.write_bytes(make_pdf(title, [title, *pad]))
        z = work / f"20261202_{est}_{title}.zip"
        pack([pdf], z, DEMO_ZIP_PASSWORDS[est], fmt=ZipFormat.AES256, arcnames=[f"{title}.pdf"])
        svc.add_document(z, establishment=est, doc_type="決定通知書", title=title)
    for i in range(forms):
        est = ("0123", "0456")[i % 2]
        src = work / f"form{i}.pdf"
        src.write_bytes(make_pdf(f"届{i}", [f"届{i}", *pad]))
        forms_list = ["資格取得届", "資格喪失届", "住所変更届", "氏名変更届"]
        _queue(src, f"lab-{est}", forms_list[i % len(forms_list)])


def _queue(src: Path, profile_id: str, form: str) -> None:
    from denshi_client.cli.outbox_cmd import OfflineServices
    from denshi_client.session.outbox_queue import SendQueue

    off = OfflineServices()
    try:
        SendQueue(off.transfers, off.history, off.transfers.clock).add(
            off.session_profile(profile_id), [src], form_name=form, filing_date="2026-12-02")
    finally:
        off.close()


def lab_services(lab: Any, svc: Any) -> Any:
    from denshi_client.portal.client import HttpPortalClient
    from denshi_client.services import AppServices

    portals: list[Any] = []

    def portal_factory(profile: Any) -> Any:
        c = HttpPortalClient(svc.base_url)
        portals.append(c)
        return c

    return AppServices.from_settings(vpn=lab_driver(lab), portal_factory=portal_factory, probe=None,
                                     enforce_hours=False,
                                     config_overrides={"idle_timeout_s": 0, "connect_timeout_s": 30})


def stdin_like_otp(svc: Any) -> Any:
    """The OTP as a person types it after reading the mail: the stand-in's latest OTP mail."""
    def provider(profile: Any, requested_at: Any) -> str:
        otp = svc.latest_otp(profile.user_id)
        assert otp
        return otp
    return provider

"""Demo mode (`denshi-client --demo`): the whole app against the embedded stand-ins.

Why a separate home folder: a demo must never touch the user's real profiles,
history or VPN state, and must be the same every time. Everything lives under
`<data_dir>/demo` (or the folder given), with:

- the stand-in fund service in-process on 127.0.0.1 (its OTP "e-mails" are .eml files,
  `demo_otp()` reads the newest one so the UI can show it);
- the stand-in VPN driver (its server cuts after 90 minutes of the demo clock);
- three profiles: 0123 株式会社サンプル商事 本社 and its 大阪支店 0456 (direct mode, one login that sees
  both) and 0789 有限会社テスト工業 (browser mode), with their ZIP passwords in the credential store;
- browser mode against the stand-in's own web UI (`/web/otp`, `/web/login`): the app shows the
  authentication page in its embedded page, where the demo user logs in, downloads and uploads;
- a "demo browser" for what has no embedded page (the OTP request page before the VPN, the CLI, the
  system-browser setting): it does what a user would do — request the OTP, and download the
  establishment's ZIPs into the demo download folder like Chrome does (`.crdownload`, then renamed),
  so the watcher is seen at work;
- no service-hours rule (a demo runs at any hour) and, with `accelerate=N`, a clock N times
  faster (N=90: the 90-minute end in about a minute; idle is off then, or it would win).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from denshi_client.clock import Clock, ScaledClock, SystemClock
from denshi_client.portal.model import PortalClient
from denshi_client.services import AppServices
from denshi_client.session.model import ProbeResult, SessionProfile
from denshi_client.session.probe import make_probe

log = logging.getLogger(__name__)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

DEMO_PROFILES = (
    # id, establishment, user id, mode, VPN account
    ("demo-0123", "0123", "demo", "direct", "denshi-demo-0123"),
    ("demo-0456", "0456", "demo", "direct", "denshi-demo-0123"),  # the same login sees 0456 (複数事業所管理)
    ("demo-0789", "0789", "demo0789", "browser", "denshi-demo-0789"),
)
_VPN_PASSWORD = "demo-vpn-password"  # the stand-in only checks that it is not "wrong…"  # noqa: S105


def _demo_keyring(path: Path):  # type: ignore[no-untyped-def]
    """A keyring for the demo's made-up passwords, in the demo folder.

    Why: demo secrets must never land in the user's real credential store (they would sit
    beside real profiles), and a headless Linux box may have no usable store at all.
    """
    import json

    from keyring.backend import KeyringBackend

    class DemoKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def _load(self) -> dict[str, str]:
            try:
                return dict(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                return {}

        def _save(self, data: dict[str, str]) -> None:
            from denshi_client.store.atomic import atomic_write_text

            atomic_write_text(path, json.dumps(data, ensure_ascii=False))

        def get_password(self, service: str, username: str) -> str | None:
            return self._load().get(f"{service}\x00{username}")

        def set_password(self, service: str, username: str, password: str) -> None:
            data = self._load()
            data[f"{service}\x00{username}"] = password
            self._save(data)

        def delete_password(self, service: str, username: str) -> None:
            import keyring.errors

            data = self._load()
            if data.pop(f"{service}\x00{username}", None) is None:
                raise keyring.errors.PasswordDeleteError(username)
            self._save(data)

    return DemoKeyring()


class DemoEnvironment:
    def __init__(self) -> None:  # use DemoEnvironment.start()
        self.services: AppServices
        self.home = Path()
        self.factor = 1.0
        self.clock: Clock = SystemClock()
        self.service: object = None
        self.driver: object = None
        self.download_dir = Path()
        self._old_home: str | None = None
        self._stopped = False
        self._fetched: set[str] = set()
        self._browser_delay_s = 0.3
        self._real_open: Callable[[str], object] = webbrowser.open
        self._root = ""
        self._browser_threads: list[threading.Thread] = []
        self._old_keyring: object | None = None

    @classmethod
    def start(cls, accelerate: float | None = 1.0, *, home: Path | None = None,
              base_clock: Clock | None = None, browser_delay_s: float = 0.3,
              open_url: Callable[[str], object] | None = None,
              run_async: Callable[[Callable[[], None]], None] | None = None) -> DemoEnvironment:
        from denshi_client.portal.client import HttpPortalClient
        from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS, ESTABLISHMENTS
        from denshi_client.portal.standin.server import StandInService
        from denshi_client.store.paths import app_paths
        from denshi_client.store.profiles import ProfileStore, new_profile
        from denshi_client.store.secrets import ZIP_PASSWORD, SecretStore
        from denshi_client.store.settings import load_effective_settings
        from denshi_client.vpn.standin import StandInVpnDriver

        env = cls()
        env.home = Path(home) if home is not None else app_paths().data_dir / "demo"
        env.home.mkdir(parents=True, exist_ok=True)
        env._old_home = os.environ.get("DENSHI_CLIENT_HOME")
        os.environ["DENSHI_CLIENT_HOME"] = str(env.home)  # every store below now lives in the demo folder
        import keyring

        env._old_keyring = keyring.get_keyring()
        keyring.set_keyring(_demo_keyring(env.home / "demo-keyring.json"))
        env._browser_delay_s = browser_delay_s
        if open_url is not None:
            env._real_open = open_url
        factor = float(accelerate or 1.0)
        env.factor = factor
        base = base_clock or SystemClock()
        env.clock = ScaledClock(factor, base=base) if factor != 1.0 else base
        try:
            # The service keeps real time: its OTP must stay valid while a person types it.
            svc = StandInService(env.home / "standin", base if base_clock is not None else SystemClock())
            svc.start()
            env.service = svc
            env._root = svc.base_url.split("/api/")[0]
            env.driver = driver = StandInVpnDriver(env.clock, 5400, connect_delay_s=min(0.8, browser_delay_s * 2),
                                                   state_file=env.home / "vpn-standin.json")
            have = {a.name for a in driver.list_accounts()}
            env.download_dir = env.home / "downloads"
            env.download_dir.mkdir(exist_ok=True)
            settings = load_effective_settings()
            store = ProfileStore()
            secrets = SecretStore()
            for pid, est, user, mode, account in DEMO_PROFILES:
                if account not in have:
                    driver.add_account(account, server="127.0.0.1:443", hub="DENSHI", username=user,
                                       password=_VPN_PASSWORD)
                    have.add(account)  # one login, one VPN account, several establishments
                if store.find(pid) is None:
                    store.add(new_profile(establishment=est, name=ESTABLISHMENTS[est].name, user_id=user, mode=mode,
                                          vpn_account=account, download_folder=str(env.download_dir),
                                          profile_id=pid, existing_ids=[p.id for p in store.all()],
                                          settings=settings))
                secrets.set(pid, ZIP_PASSWORD, DEMO_ZIP_PASSWORDS[est])

            def portal_factory(profile: SessionProfile) -> PortalClient:
                return HttpPortalClient(svc.base_url)

            overrides: dict[str, float] = {"sleep_gap_s": 90.0 * factor, "vpn_poll_s": 2.0 * factor,
                                           "vpn_confirm_s": 1.0 * factor}
            if factor > 1.0:
                overrides["idle_timeout_s"] = 0.0
            env.services = AppServices.from_settings(
                settings=settings, clock=env.clock, vpn=driver, portal_factory=portal_factory,
                open_url=env.open_url, probe=env._probe(), run_async=run_async, enforce_hours=False, demo=True,
                config_overrides=overrides, record_clock=base)
            env.services.profile_hook = env._with_demo_pages
        except BaseException:
            env.stop()
            raise
        log.info("demo mode: home %s, service %s, clock x%g", env.home, svc.base_url, factor)
        return env

    # ----- the demo's pages --------------------------------------------------------------------
    def _probe(self) -> Callable[[], ProbeResult]:
        return make_probe(f"{self._root}/api/v1/health", timeout_s=2.0, attempts=1)

    def _with_demo_pages(self, p: SessionProfile) -> SessionProfile:
        """Demo profiles get the stand-in web UI's page addresses (the demo settings have none)."""
        return replace(p, otp_url=p.otp_url or self.otp_url(p.user_id),
                       auth_url=p.auth_url or self.auth_url(p.establishment))

    def otp_url(self, user_id: str) -> str:
        """The stand-in's OTP request page (the query is the demo browser's: it plays the user typing the ID)."""
        return f"{self._root}/web/otp?{urlencode({'user_id': user_id})}"

    def auth_url(self, establishment: str) -> str:
        """The stand-in's authentication page, as IT would configure the real one (one page for every office)."""
        return f"{self._root}/web/login"

    def simulates(self, url: str) -> bool:
        """A page the demo browser plays itself, never shown in the embedded page: the OTP request page
        (before the VPN, where a person would type the user ID into the system browser)."""
        return bool(self._root) and urlsplit(url).path == "/web/otp" and url.startswith(self._root + "/")

    def open_url(self, url: str) -> object:
        """The demo browser: the stand-in's pages act as a user would; anything else opens normally.

        The authentication page reaches it only when there is no embedded page (CLI, the system-browser
        setting, no web engine): the demo browser then downloads like Chrome into the download folder."""
        if not (self._root and url.startswith(self._root + "/web/")):
            return self._real_open(url)
        parts = urlsplit(url)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/web/otp":
            self._request_otp(q.get("user_id", ""))
        elif parts.path == "/web/login":
            prof = self.services.machine.profile
            establishment = prof.establishment if prof is not None else ""
            t = threading.Thread(target=self._download_like_a_browser, args=(establishment,),
                                 name="demo-browser", daemon=True)
            self._browser_threads.append(t)
            if self._browser_delay_s <= 0:
                t.run()  # tests: at once, on this thread
            else:
                t.start()
        return True

    def _request_otp(self, user_id: str) -> None:
        try:
            self.service.request_otp(user_id)  # type: ignore[attr-defined]
        except Exception as e:  # the stand-in's own limits (rate) — shown as no OTP
            log.warning("demo: OTP request refused: %s", e)

    def _download_like_a_browser(self, establishment: str) -> None:
        """Copy the establishment's ZIPs into the download folder the way Chrome writes them."""
        svc = self.service
        docs_dir = Path(svc.data_dir) / "documents"  # type: ignore[attr-defined]
        for rec in svc.documents():  # type: ignore[attr-defined]
            if rec.establishment != establishment or rec.id in self._fetched:
                continue
            src = Path(rec.path) if Path(rec.path).is_absolute() else docs_dir / rec.path
            final = self.download_dir / rec.file_name
            if final.exists():
                self._fetched.add(rec.id)
                continue
            part = final.with_name(final.name + ".crdownload")
            data = src.read_bytes()
            with open(part, "wb") as f:
                half = len(data) // 2
                f.write(data[:half])
                f.flush()
                if self._browser_delay_s > 0:
                    time.sleep(self._browser_delay_s)
                f.write(data[half:])
            os.replace(part, final)
            self._fetched.add(rec.id)
            if self._browser_delay_s > 0:
                time.sleep(self._browser_delay_s)

    # ----- what the UI shows ------------------------------------------------------------------
    def demo_otp(self, user_id: str | None = None) -> str | None:
        """The OTP the stand-in "e-mailed" last (for the current visit's user), read from its Maildir
        through the same mail-source interface and recogniser as a real mailbox."""
        import email

        from denshi_client.mail.recognise import find_otp

        if user_id is None:
            prof = self.services.machine.profile
            user_id = prof.user_id if prof is not None else None
        try:
            mails = self.mail_source().fetch_since(_EPOCH)
            if user_id is not None:
                mails = [m for m in mails if email.message_from_bytes(m.raw).get("X-Denshi-User-Id") == user_id]
            hit = find_otp(mails, self.otp_rule(), _EPOCH)
        except Exception:
            return None
        return hit.otp if hit else None

    def mail_source(self):  # type: ignore[no-untyped-def]
        """The demo's mailbox: the Maildir the stand-in delivers its OTP mail into."""
        from denshi_client.mail.maildir import MaildirSource
        from denshi_client.portal.standin.mail import maildir_of

        return MaildirSource(maildir_of(self.service.outbox))  # type: ignore[attr-defined]

    @staticmethod
    def otp_rule():  # type: ignore[no-untyped-def]
        """How the demo recognises the stand-in's OTP mail (the sender and subject it really uses)."""
        from denshi_client.mail.recognise import OtpRule
        from denshi_client.portal.standin.mail import SENDER_ADDRESS

        return OtpRule.from_settings(SENDER_ADDRESS, "ワンタイムパスワード")

    @property
    def hint_ja(self) -> str:
        text = ("デモモードで起動しています。実際の基金のサービスやVPNには接続しません。"
                "ワンタイムパスワードは、デモ用の模擬メールから読み取って画面に表示します。")
        if self.factor > 1.0:
            text += (f"時計は{self.factor:g}倍速で進みます。90分の接続上限による自動切断を"
                     f"約{max(1, round(90 / self.factor))}分で確認できます。")
        return text

    @property
    def hint_en(self) -> str:
        text = ("Demo mode: nothing here reaches the real fund's service or a real VPN. "
                "The one-time password is read from the demo's simulated e-mail and shown on screen.")
        if self.factor > 1.0:
            text += (f" The clock runs {self.factor:g} times faster: the 90-minute automatic disconnect comes in "
                     f"about {max(1, round(90 / self.factor))} minute(s).")
        return text

    def otp_hint_ja(self) -> str:
        otp = self.demo_otp()
        return f"デモ: ワンタイムパスワードは {otp} です" if otp else ""

    # ----- lifetime ---------------------------------------------------------------------------
    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        for t in self._browser_threads:
            if t.is_alive():
                t.join(timeout=5)
        services = getattr(self, "services", None)
        if services is not None:
            with contextlib.suppress(Exception):
                services.close()
        if self.service is not None:
            with contextlib.suppress(Exception):
                self.service.stop()  # type: ignore[attr-defined]
        old_kr = getattr(self, "_old_keyring", None)
        if old_kr is not None:
            import keyring

            keyring.set_keyring(old_kr)
        if self._old_home is None:
            os.environ.pop("DENSHI_CLIENT_HOME", None)
        else:
            os.environ["DENSHI_CLIENT_HOME"] = self._old_home

    def reset(self) -> None:
        """Forget every demo file (profiles, history, stand-in data); the next start seeds afresh."""
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)

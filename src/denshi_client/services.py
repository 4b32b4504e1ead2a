"""The one object that wires the app together, for the UI and the CLI alike, and the UI's door to
the user's files (settings, profiles, history): ui/ never imports the store itself.

Why one place: the UI, the CLI and demo mode must run the very same session rules
against the same stores; only the edges differ (real SoftEther or the stand-in, the
fund's URL or the embedded service, a system or an accelerated clock). Everything
here is built from the effective settings (user file + IT policy).

Light to import: the UI reads its language through it before the first paint and its views read
settings before the core is in, so the core (session, VPN, portal, the stores) is imported only by
the functions that build or use it. The store types the UI names come from here too (`History`,
`HistoryQuery`, `HistoryRecord`, `local_text`, `ProfileEditor`), loaded on first use (`__getattr__` below).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from denshi_client.errors import StoreError

if TYPE_CHECKING:

    from denshi_client.clock import Clock
    from denshi_client.portal.client import PortalSettings
    from denshi_client.portal.model import PortalClient
    from denshi_client.service_calendar import ServiceCalendar
    from denshi_client.session.browser_mode import BrowserMode
    from denshi_client.session.machine import SessionMachine
    from denshi_client.session.model import ProbeResult, SessionConfig, SessionProfile
    from denshi_client.session.recovery import Leftover, RecoveryReport, StateFile
    from denshi_client.session.transfers import QueueItem, Transfers
    from denshi_client.store.history import History as History
    from denshi_client.store.history import HistoryQuery as HistoryQuery
    from denshi_client.store.history import HistoryRecord as HistoryRecord
    from denshi_client.store.history import local_text as local_text
    from denshi_client.store.profile_editor import ProfileEditor as ProfileEditor
    from denshi_client.store.profiles import Profile, ProfileStore
    from denshi_client.store.secrets import SecretStore
    from denshi_client.store.settings import EffectiveSettings, KeySpec, UiSettings
    from denshi_client.vpn.model import VpnDriver

log = logging.getLogger(__name__)

UPLOAD_READY_DIR = "送信準備"


def session_config(settings: EffectiveSettings, **overrides: Any) -> SessionConfig:
    """The session rules from `[session]` and `[vpn]`; overrides for demo and tests."""
    from denshi_client.session.model import SessionConfig

    return SessionConfig.from_settings(settings.session, settings.vpn, **overrides)


def portal_settings(settings: EffectiveSettings | None = None) -> PortalSettings:
    """The portal client's `[service]` block (api_base_url, ca_bundle); the files' when not given."""
    from denshi_client.portal.client import DEFAULT_BASE_URL, PortalSettings

    svc = (settings or current_settings()).service
    return PortalSettings(api_base_url=svc.api_base_url or DEFAULT_BASE_URL, ca_bundle=svc.ca_bundle or None)


def configured_vpncmd(settings: EffectiveSettings | None = None) -> str | None:
    """`[vpn] vpncmd_path` (user + IT policy); a broken file raises its ConfigError, never ignored."""
    return (settings or current_settings()).vpn.vpncmd_path or None


def vpn_driver(*, demo: bool | None = None, vpncmd_path: str | None = None, clock: Clock | None = None) -> VpnDriver:
    """The driver for the CLI and the set-up wizard, with the settings' vpncmd path handed in.

    The settings are read only when they matter: for the real driver and no explicit path.
    """
    from denshi_client.vpn.factory import demo_requested, make_driver

    real = not (demo or (demo is None and demo_requested()))
    configured = configured_vpncmd() if real and not vpncmd_path else None
    return make_driver(demo=demo, vpncmd_path=vpncmd_path, clock=clock, configured_vpncmd=configured)


# ----- the settings files (user + IT policy), for the faces ------------------------------------
def current_settings() -> EffectiveSettings:
    """The settings as the files say now; a file that cannot be read raises its ConfigError (file and line)."""
    from denshi_client.store.settings import load_effective_settings

    return load_effective_settings()


def current_ui_settings() -> UiSettings:
    """`[ui]` as the files say now (the window asks on close: a change made meanwhile counts)."""
    return current_settings().ui


def default_settings() -> EffectiveSettings:
    """The built-in defaults (what a view shows when the files cannot be read)."""
    from denshi_client.store.settings import default_settings as defaults

    return defaults()


def setting_spec(key: str) -> KeySpec:
    """A key's type, default, range and choices (`store/settings/schema.py`)."""
    from denshi_client.store.settings import SPECS

    return SPECS[key]


def save_setting(key: str, value: Any) -> None:
    """Checks and writes one user setting; refused (ConfigError) when IT's policy locks the key."""
    from denshi_client.store.settings import set_user_value

    set_user_value(key, value)


def calendar_from(settings: EffectiveSettings) -> ServiceCalendar:
    from denshi_client.service_calendar import ServiceCalendar

    return ServiceCalendar(settings.service.calendar)


def to_session_profile(p: Profile, settings: EffectiveSettings) -> SessionProfile:
    """A stored profile with every blank filled from the settings (one place for the defaults)."""
    from denshi_client.session.model import SessionMode, SessionProfile
    from denshi_client.store.profiles import default_download_folder

    est = p.establishment4
    docs = p.documents_folder or str(settings.folders.documents_root_path() / est)
    return SessionProfile(
        id=p.id,
        establishment=est,
        name=p.name,
        vpn_account=p.vpn_account or settings.vpn.account_name(p.establishment, p.id),
        user_id=p.user_id,
        mode=SessionMode.DIRECT if p.mode == "direct" else SessionMode.BROWSER,
        auth_url=settings.service.auth_page_url,
        otp_url=settings.service.otp_request_url,
        download_dir=p.download_folder or str(default_download_folder()),
        documents_folder=docs,
        upload_folder=p.upload_folder or str(Path(docs) / UPLOAD_READY_DIR),
    )


@dataclass
class AppServices:
    settings: EffectiveSettings
    clock: Clock
    vpn: VpnDriver
    machine: SessionMachine
    transfers: Transfers
    browser: BrowserMode
    history: History
    secrets: SecretStore
    profile_store: ProfileStore
    state_file: StateFile
    calendar: ServiceCalendar | None
    portal_factory: Callable[[SessionProfile], PortalClient] | None
    extra_profiles: dict[str, SessionProfile] = field(default_factory=dict)
    profile_hook: Callable[[SessionProfile], SessionProfile] | None = None  # demo: its own page URLs
    demo: bool = False
    _portals: list[Any] = field(default_factory=list)

    @classmethod
    def from_settings(cls, *, settings: EffectiveSettings | None = None, clock: Clock | None = None,
                      vpn: VpnDriver | None = None,
                      portal_factory: Callable[[SessionProfile], PortalClient] | None = None,
                      open_url: Callable[[str], object] | None = None,
                      probe: Callable[[], ProbeResult] | None = None,
                      run_async: Callable[[Callable[[], None]], None] | None = None,
                      enforce_hours: bool = True, demo: bool = False,
                      config_overrides: dict[str, Any] | None = None,
                      record_clock: Clock | None = None) -> AppServices:
        """`record_clock` stamps history and files (demo: real time while the session clock runs fast)."""
        import webbrowser

        from denshi_client.clock import SystemClock
        from denshi_client.documents.archive import ZipFormat
        from denshi_client.session.browser_mode import BrowserMode
        from denshi_client.session.machine import SessionMachine
        from denshi_client.session.model import SessionDeps
        from denshi_client.session.probe import make_probe
        from denshi_client.session.recovery import StateFile
        from denshi_client.session.transfers import TransferQueue, Transfers
        from denshi_client.store.history import History
        from denshi_client.store.paths import app_paths

        settings = settings or current_settings()
        clock = clock or SystemClock()
        record_clock = record_clock or clock
        paths = app_paths().ensure()
        if vpn is None:
            from denshi_client.vpn.factory import make_driver

            vpn = make_driver(demo=demo or None, vpncmd_path=settings.vpn.vpncmd_path or None, clock=clock,
                              session_limit_s=settings.session.session_limit_minutes * 60.0)
        portals: list[Any] = []
        if portal_factory is None:
            portal_factory = _http_portal_factory(settings, portals)
        if probe is None:
            url = settings.service.otp_request_url or settings.service.api_base_url
            probe = make_probe(url, verify=settings.service.ca_bundle or True) if url else None
        calendar = calendar_from(settings) if enforce_hours else None
        state_file = StateFile(paths.state_file)
        config = session_config(settings, enforce_hours=enforce_hours, **(config_overrides or {}))
        machine = SessionMachine(
            SessionDeps(vpn=vpn, portal_for=portal_factory, calendar=calendar, probe=probe,
                        open_url=open_url or webbrowser.open, state_file=state_file, run_async=run_async),
            clock, config)
        history = History(clock=record_clock)
        from denshi_client.store.profiles import ProfileStore
        from denshi_client.store.secrets import SecretStore

        profile_store, secrets = ProfileStore(), SecretStore()
        transfers = Transfers(gate=machine, secrets=secrets, history=history,
                              queue=TransferQueue(paths.data_dir / "transfer-queue.json"),
                              cache_dir=paths.cache_dir, clock=record_clock, zip_format=ZipFormat(settings.zip.format),
                              documents_root=settings.folders.documents_root_path())
        browser = BrowserMode(machine, transfers, clock, run_async=run_async)
        services = cls(settings=settings, clock=clock, vpn=vpn, machine=machine, transfers=transfers, browser=browser,
                   history=history, secrets=secrets, profile_store=profile_store, state_file=state_file,
                   calendar=calendar, portal_factory=portal_factory, demo=demo, _portals=portals)
        transfers.profile_for_establishment = services.profile_for_establishment
        return services

    # ----- profiles ---------------------------------------------------------------------------
    def _finish(self, p: SessionProfile) -> SessionProfile:
        return self.profile_hook(p) if self.profile_hook is not None else p

    def profiles_for_ui(self) -> list[SessionProfile]:
        stored = [self._finish(to_session_profile(p, self.settings)) for p in self.profile_store.all()]
        known = {p.id for p in stored}
        return stored + [p for pid, p in self.extra_profiles.items() if pid not in known]

    def session_profile(self, profile_id: str) -> SessionProfile:
        p = self.profile_store.find(profile_id)
        if p is not None:
            return self._finish(to_session_profile(p, self.settings))
        if profile_id in self.extra_profiles:
            return self.extra_profiles[profile_id]
        raise StoreError(f"プロファイル「{profile_id}」が見つかりません。", f"Profile “{profile_id}” was not found.",
                         code="profile_not_found")

    def reload_profiles(self) -> None:
        """Profiles are re-read on every call; nothing is cached (kept for the UI's contract)."""

    def profile_for_establishment(self, establishment: str) -> SessionProfile | None:
        """複数事業所管理: the profile of a related establishment seen through another's login."""
        active = self.machine.profile
        matches = [p for p in self.profiles_for_ui() if p.establishment == establishment]
        if active is not None:  # prefer the same login (user id), as the fund pairs them
            same = [p for p in matches if p.user_id == active.user_id]
            matches = same or matches
        return matches[0] if matches else None

    def active_profile_id(self) -> str | None:
        """The establishment the user last worked with (kept by the profile store)."""
        return self.profile_store.active_id()

    def use_profile(self, profile_id: str) -> None:
        """Remember the user's choice of establishment for the next start."""
        self.profile_store.use(profile_id)

    def documents_root(self) -> Path:
        """Where documents go when a profile names no folder of its own (`[folders]`)."""
        return self.settings.folders.documents_root_path()

    def profile_editor(self) -> ProfileEditor:
        from denshi_client.store.profile_editor import ProfileEditor

        return ProfileEditor(self.profile_store, self.secrets, self.settings)

    def add_profile(self, *, establishment: str, name: str, user_id: str, mode: str, zip_password: str,
                    vpn_account: str | None = None) -> SessionProfile:
        """The set-up wizard's last step: a complete, active establishment, ready to connect."""
        p = self.profile_editor().create(establishment=establishment, name=name, user_id=user_id, mode=mode,
                                         zip_password=zip_password, vpn_account=vpn_account)
        return self.session_profile(p.id)

    def vpn_setting_names(self) -> list[str]:
        """The VPN client's connection settings (the fund's installer makes one): blocking, run it off the UI
        thread. SoftEther: `vpncmd AccountList`; demo: the stand-in's accounts."""
        return sorted({a.name for a in self.vpn.list_accounts()})

    def known_vpn_accounts(self) -> list[str]:
        return sorted({p.vpn_account for p in self.profiles_for_ui() if p.vpn_account})

    # ----- settings ---------------------------------------------------------------------------
    def apply_settings(self) -> None:
        """Settings changed in the UI: new rules apply from now (warnings, idle, ZIP format)."""
        from denshi_client.documents.archive import ZipFormat

        settings = current_settings()
        self.settings = settings
        old = self.machine.config
        self.machine.config = session_config(
            settings, enforce_hours=old.enforce_hours, sleep_gap_s=old.sleep_gap_s,
            default_throughput_bps=old.default_throughput_bps)
        if self.calendar is not None:
            self.calendar = calendar_from(settings)
            self.machine.deps.calendar = self.calendar
        self.transfers.zip_format = ZipFormat(settings.zip.format)
        self.transfers.documents_root = settings.folders.documents_root_path()

    # ----- never stranded ---------------------------------------------------------------------
    def recovery_check(self) -> list[Leftover]:
        """At start-up: VPN connections an earlier run left up (connected ones only)."""
        from denshi_client.session.recovery import find_leftover

        return [lo for lo in find_leftover(self.vpn, self.state_file, self.known_vpn_accounts()) if lo.connected]

    def recover(self, *, force: bool = False) -> RecoveryReport:
        """Drop what an earlier run left up; then check, as after every visit, that internet is back."""
        from denshi_client.session.model import ProbeResult
        from denshi_client.session.recovery import recover

        report = recover(self.vpn, self.state_file, self.known_vpn_accounts(), force=force)
        probe = self.machine.deps.probe
        if report.disconnected and probe is not None:
            report.internet = ProbeResult.run(probe)
        return report

    def pending_transfers(self, profile_id: str | None = None) -> list[QueueItem]:
        return self.transfers.pending(profile_id)

    # ----- lifetime ---------------------------------------------------------------------------
    def close(self) -> None:
        """After `machine.end(QUIT)`: release files and connections."""
        self.browser.detach()
        for p in self._portals:
            close = getattr(p, "close", None)
            if callable(close):
                try:
                    close()
                except Exception:
                    log.debug("closing a portal client failed", exc_info=True)
        self._portals.clear()
        try:
            self.history.close()
        except Exception:
            log.debug("closing the history failed", exc_info=True)


def _http_portal_factory(settings: EffectiveSettings, keep: list[Any]) -> Callable[[SessionProfile], PortalClient]:
    def factory(profile: SessionProfile) -> PortalClient:
        from denshi_client.portal.client import HttpPortalClient

        for old in keep:  # a new visit: the previous one is over
            old.close()
        keep.clear()
        client = HttpPortalClient.from_settings(portal_settings(settings))
        keep.append(client)
        return client

    return factory


def open_history() -> History:
    """The history on disk, for a view that asks before the core is in (the app's own is `AppServices.history`)."""
    from denshi_client.store.history import History

    return History()


# Names the UI takes from here instead of the store, loaded on first use (importing this module stays light).
_ON_FIRST_USE = {name: "denshi_client.store.history" for name in ("History", "HistoryQuery", "HistoryRecord",
                                                                  "local_text")}
_ON_FIRST_USE["ProfileEditor"] = "denshi_client.store.profile_editor"


def __getattr__(name: str) -> Any:
    module = _ON_FIRST_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)

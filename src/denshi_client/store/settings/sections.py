"""The typed settings the app runs with: one frozen dataclass per `[section]`.

Field defaults are read from the schema (`schema.default`), never written here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from denshi_client.store.settings.schema import SCHEMA, SECTIONS, Source, spec_or_error
from denshi_client.store.settings.schema import default as _d

if TYPE_CHECKING:
    from denshi_client.service_calendar import CalendarConfig


@dataclass(frozen=True)
class ServiceSettings:
    otp_request_url: str = _d("service.otp_request_url")
    auth_page_url: str = _d("service.auth_page_url")
    api_base_url: str = _d("service.api_base_url")
    ca_bundle: str = _d("service.ca_bundle")
    open: str = _d("service.open")
    close: str = _d("service.close")
    closed_dates: tuple[str, ...] = _d("service.closed_dates")
    year_end_closed: bool = _d("service.year_end_closed")

    def calendar_mapping(self) -> dict[str, Any]:
        """The hours part, in the shape `CalendarConfig.from_mapping` takes."""
        return {
            "open": self.open,
            "close": self.close,
            "closed_dates": list(self.closed_dates),
            "year_end_closed": self.year_end_closed,
        }

    @property
    def calendar(self) -> CalendarConfig:
        """The service hours and closed days as the calendar reads them (imported on use: the
        holiday tables are not free, and the session's model imports these settings at start)."""
        from denshi_client.service_calendar import CalendarConfig

        return CalendarConfig.from_mapping(self.calendar_mapping())


@dataclass(frozen=True)
class VpnSettings:
    vpncmd_path: str = _d("vpn.vpncmd_path")
    account_name_template: str = _d("vpn.account_name_template")
    poll_seconds: float = _d("vpn.poll_seconds")

    def account_name(self, establishment: str, profile_id: str = "") -> str:
        """The SoftEther account name for an establishment, from IT's naming rule."""
        n = int(establishment) if establishment.isdigit() else 0
        return self.account_name_template.format(
            establishment=establishment, establishment4=f"{n:04d}", establishment6=f"{n:06d}", profile=profile_id)


@dataclass(frozen=True)
class ZipSettings:
    format: str = _d("zip.format")


@dataclass(frozen=True)
class SessionSettings:
    warn_minutes: tuple[int, ...] = _d("session.warn_minutes")
    graceful_margin_minutes: int = _d("session.graceful_margin_minutes")
    idle_minutes: int = _d("session.idle_minutes")
    session_limit_minutes: int = _d("session.session_limit_minutes")


@dataclass(frozen=True)
class UiSettings:
    language: str = _d("ui.language")
    minimize_to_tray: bool = _d("ui.minimize_to_tray")


@dataclass(frozen=True)
class FundSettings:
    operations_desk_email: str = _d("fund.operations_desk_email")


@dataclass(frozen=True)
class MailSettings:
    protocol: str = _d("mail.protocol")
    host: str = _d("mail.host")
    port: int = _d("mail.port")
    security: str = _d("mail.security")
    user: str = _d("mail.user")
    ca_bundle: str = _d("mail.ca_bundle")
    folder: str = _d("mail.folder")
    poll_seconds: float = _d("mail.poll_seconds")


@dataclass(frozen=True)
class OtpMailSettings:
    sender: str = _d("otp_mail.sender")
    subject_contains: str = _d("otp_mail.subject_contains")
    code_pattern: str = _d("otp_mail.code_pattern")
    timeout_seconds: int = _d("otp_mail.timeout_seconds")
    auto_continue: bool = _d("otp_mail.auto_continue")


@dataclass(frozen=True)
class BrowserSettings:
    embedded: bool = _d("browser.embedded")
    otp_selector: str = _d("browser.otp_selector")
    form_selector: str = _d("browser.form_selector")
    logout_url_pattern: str = _d("browser.logout_url_pattern")


@dataclass(frozen=True)
class VisitSettings:
    send_queue: bool = _d("visit.send_queue")
    fetch_new: bool = _d("visit.fetch_new")
    disconnect_countdown_seconds: int = _d("visit.disconnect_countdown_seconds")


@dataclass(frozen=True)
class FoldersSettings:
    documents_root: str = _d("folders.documents_root")

    def documents_root_path(self) -> Path:
        """The folder to file documents in; the empty default means Documents\\電子連携."""
        if self.documents_root:
            return Path(os.path.expandvars(os.path.expanduser(self.documents_root)))
        home = os.environ.get("DENSHI_CLIENT_HOME")
        if home:
            return Path(home) / "documents"
        import platformdirs

        return Path(platformdirs.user_documents_dir()) / "電子連携"


_SECTION_TYPES: dict[str, type] = {
    "service": ServiceSettings, "vpn": VpnSettings, "zip": ZipSettings, "session": SessionSettings,
    "ui": UiSettings, "fund": FundSettings, "folders": FoldersSettings,
    "mail": MailSettings, "otp_mail": OtpMailSettings, "browser": BrowserSettings, "visit": VisitSettings,
}


@dataclass(frozen=True)
class EffectiveSettings:
    """What the app runs with, and for each key where it came from."""

    service: ServiceSettings
    vpn: VpnSettings
    zip: ZipSettings
    session: SessionSettings
    ui: UiSettings
    fund: FundSettings
    folders: FoldersSettings
    mail: MailSettings
    otp_mail: OtpMailSettings
    browser: BrowserSettings = field(default_factory=BrowserSettings)
    visit: VisitSettings = field(default_factory=VisitSettings)
    sources: Mapping[str, Source] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    policy_file: Path | None = None
    settings_file: Path | None = None
    ignored_user_keys: tuple[str, ...] = ()  # set by the user but locked by policy

    def value(self, key: str) -> Any:
        spec = spec_or_error(key)
        return getattr(getattr(self, spec.section), spec.name)

    def is_locked(self, key: str) -> bool:
        return key in self.locked

    def rows(self) -> list[dict[str, Any]]:
        """One row per key, for `config show` and the support bundle."""
        out = []
        for spec in SCHEMA:
            v = self.value(spec.key)
            out.append({"key": spec.key, "value": list(v) if isinstance(v, tuple) else v,
                        "source": self.sources.get(spec.key, "default"), "locked": spec.key in self.locked,
                        "user_value_ignored": spec.key in self.ignored_user_keys})
        return out


def default_settings() -> EffectiveSettings:
    """The built-in defaults alone (no files read): what an untouched install runs with."""
    sections = {sec: cls(**{s.name: s.default for s in SCHEMA if s.section == sec})
                for sec, cls in _SECTION_TYPES.items()}
    return EffectiveSettings(**sections)


assert tuple(_SECTION_TYPES) == SECTIONS, "every [section] needs its dataclass"

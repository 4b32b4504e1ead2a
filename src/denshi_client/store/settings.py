"""Settings: built-in defaults < IT's machine policy < the user's own settings.

IT pre-sets `%ProgramData%\\DenshiClient\\policy.toml` and may lock keys there
(`[lock] keys = ["zip.format", "service.*"]`); a locked key always takes the
policy's value (or the default, when the policy only locks it) and a user
change to it is refused. A file that cannot be read exactly as written is an
error naming the file and line: guessing would silently change how the app
talks to the fund, and rewriting would destroy IT's or the user's work.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import string
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from denshi_client.errors import ConfigError
from denshi_client.store.atomic import atomic_write_text, file_lock, write_problem
from denshi_client.store.paths import app_paths

Source = Literal["default", "policy", "user"]
FileKind = Literal["policy", "settings"]

LOCK_SECTION = "lock"
TEMPLATE_FIELDS = ("establishment", "establishment4", "establishment6", "profile")


# --------------------------------------------------------------------------- schema

@dataclass(frozen=True)
class KeySpec:
    """One setting: its type, default and the words docs and errors use."""

    section: str
    name: str
    kind: str  # str | bool | int | float | time | url | path | email | dates | minutes | choice | template | regex
    default: Any
    example: str
    ja: str
    en: str
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}"


def _k(section: str, name: str, kind: str, default: Any, example: str, ja: str, en: str, **kw: Any) -> KeySpec:
    return KeySpec(section, name, kind, default, example, ja, en, **kw)


# The mailbox the OTP is read from (the password lives in the keyring) and how the fund's mail is recognised.
_MAIL_KEYS: tuple[KeySpec, ...] = (
    _k("mail", "protocol", "choice", "none", '"imap"', "OTP メールを読む方式（none / imap / pop3）",
       "How the OTP mail is read (none / imap / pop3)", choices=("none", "imap", "pop3")),
    _k("mail", "host", "str", "", '"imap.example.co.jp"', "メールサーバー名", "Mail server host name"),
    _k("mail", "port", "int", 0, "993", "ポート番号（0 = 方式ごとの標準）", "Port (0 = the standard port)",
       low=0, high=65535),
    _k("mail", "security", "choice", "ssl", '"ssl"', "暗号化（ssl / starttls）", "Encryption (ssl / starttls)",
       choices=("ssl", "starttls")),
    _k("mail", "user", "str", "", '"keiri@example.co.jp"', "メールのユーザー名", "Mail user name"),
    _k("mail", "ca_bundle", "path", "", r'"C:\\ProgramData\\DenshiClient\\mail-ca.pem"',
       "メールサーバーの検証に使う CA 証明書ファイル（空欄 = Windows の証明書ストア）",
       "CA bundle for the mail server (empty = the system's certificate store)"),
    _k("mail", "folder", "str", "INBOX", '"INBOX"', "IMAP で読むフォルダー", "IMAP folder to read"),
    _k("mail", "poll_seconds", "float", 15.0, "15", "IDLE が使えないときにメールを確認する間隔（秒）",
       "How often to check for mail when IDLE is not available (seconds)", low=1, high=600),
    _k("otp_mail", "sender", "str", "", '"otp@denshi.example.jp"',
       "ワンタイムパスワードのメールの送信元アドレス（複数はカンマ区切り、@ドメイン も可）",
       "Sender address of the OTP mail (comma-separated; @domain allowed)"),
    _k("otp_mail", "subject_contains", "str", "", '"ワンタイムパスワード"',
       "件名に含まれる語句（空欄 = 問わない）", "Phrase the subject contains (empty = any)"),
    _k("otp_mail", "code_pattern", "regex", "", r'"認証コード[:：]\\s*(\\d{6})"',
       "コードを取り出す正規表現（空欄 = 標準のパターン）", "Regular expression for the code (empty = built-in)"),
    _k("otp_mail", "timeout_seconds", "int", 300, "300", "OTP メールを待つ時間（秒）",
       "How long to wait for the OTP mail (seconds)", low=5, high=3600),
    _k("otp_mail", "auto_continue", "bool", False, "false",
       "コードが届いたら確認なしで次へ進む", "Continue by itself once the code has arrived"),
)

# Browser mode's embedded page (Qt WebEngine): how the app meets the fund's page. IT adapts these to the
# real page (its OTP field, its logout address) by policy, without a new release.
_BROWSER_KEYS: tuple[KeySpec, ...] = (
    _k("browser", "embedded", "bool", True, "true",
       "ブラウザーモードで基金のページをアプリ内に表示する（false = 既定のブラウザーで開く）",
       "Show the fund's page inside the app in browser mode (false = open it in the system browser)"),
    _k("browser", "otp_selector", "str", 'input[autocomplete="one-time-code"]',
       "'input[autocomplete=\"one-time-code\"]'",
       "ワンタイムパスワード入力欄の CSS セレクター", "CSS selector of the one-time password field"),
    _k("browser", "logout_url_pattern", "regex", r"/logout", r'"/logout"',
       "ログアウト後のページの URL に一致する正規表現（一致したら接続を終了）",
       "Regular expression matching the URL after logging out (a match ends the visit)"),
)


@dataclass(frozen=True)
class BrowserSettings:
    embedded: bool = True
    otp_selector: str = 'input[autocomplete="one-time-code"]'
    logout_url_pattern: str = r"/logout"


# The routine visit (issue 13): what it does by itself once connected. Lockable like every key.
_VISIT_KEYS: tuple[KeySpec, ...] = (
    _k("visit", "send_queue", "bool", True, "true", "接続したら送信待ちを自動で送信する",
       "Send the queued uploads by themselves once connected"),
    _k("visit", "fetch_new", "bool", True, "true", "接続したら新しい書類を自動で受信して保存する",
       "Fetch and file the new documents by themselves once connected"),
    _k("visit", "disconnect_countdown_seconds", "int", 30, "30",
       "作業が終わってから自動で切断するまでの秒数（0 = 自動で切断しない）",
       "Seconds from the end of the work to the automatic disconnect (0 = stay connected)", low=0, high=600),
)

SCHEMA: tuple[KeySpec, ...] = (
    _k("service", "otp_request_url", "url", "", '"https://denshi.example.jp/otp"',
       "ワンタイムパスワードのリクエスト先 URL（空欄 = 未設定）",
       "URL where a one-time password is requested (empty = not set)"),
    _k("service", "auth_page_url", "url", "", '"https://denshi.example.jp/login"',
       "認証画面の URL（ブラウザーで開きます）", "URL of the authentication page (opened in the browser)"),
    _k("service", "api_base_url", "url", "", '"https://denshi.example.jp/api/"',
       "直接モードで使う API の基準 URL", "Base URL of the API used in direct mode"),
    _k("service", "ca_bundle", "path", "", r'"C:\\ProgramData\\DenshiClient\\fund-ca.pem"',
       "サーバー証明書の検証に使う CA 証明書ファイル（空欄 = Windows の証明書ストア）",
       "CA bundle used to verify the server (empty = the system's certificate store)"),
    _k("service", "open", "time", "08:00", '"08:00"', "受付開始時刻（日本時間）", "Opening time (Japan time)"),
    _k("service", "close", "time", "20:00", '"20:00"', "受付終了時刻（日本時間）", "Closing time (Japan time)"),
    _k("service", "closed_dates", "dates", (), '["2026-12-28", "2027-01-04"]',
       "土日祝以外の休業日（YYYY-MM-DD）", "Extra closed days besides weekends and holidays (YYYY-MM-DD)"),
    _k("service", "year_end_closed", "bool", True, "true",
       "年末年始（12月29日〜1月3日）を休業とする", "Closed over the year end (29 Dec to 3 Jan)"),
    _k("vpn", "vpncmd_path", "path", "", r'"C:\\Program Files\\SoftEther VPN Client\\vpncmd_x64.exe"',
       "vpncmd の場所（空欄 = 自動検出）", "Path of vpncmd (empty = find it automatically)"),
    _k("vpn", "account_name_template", "template", "denshi-{establishment}", '"denshi-{establishment}"',
       "VPN 接続設定名のひな形（{establishment} {establishment4} {establishment6} {profile}）",
       "VPN account name template ({establishment} {establishment4} {establishment6} {profile})"),
    _k("vpn", "poll_seconds", "float", 5.0, "5", "VPN の状態を確認する間隔（秒）",
       "How often the VPN state is polled (seconds)", low=0.2, high=60),
    _k("zip", "format", "choice", "aes256", '"aes256"',
       "送信用パスワード付 ZIP の暗号方式（aes256 / zipcrypto）",
       "Encryption of the password ZIPs we create (aes256 / zipcrypto)", choices=("aes256", "zipcrypto")),
    _k("session", "warn_minutes", "minutes", (15, 5, 1), "[15, 5, 1]",
       "切断の何分前に警告するか", "Minutes before the end at which to warn", low=1, high=1440),
    _k("session", "graceful_margin_minutes", "int", 2, "2",
       "サーバーに切断される何分前に自動でログアウト・切断するか",
       "Minutes before the server's cut at which we log out and disconnect ourselves", low=0, high=60),
    _k("session", "idle_minutes", "int", 20, "20",
       "操作がないまま何分たったら自動切断するか（0 = しない）",
       "Idle minutes before an automatic disconnect (0 = never)", low=0, high=1440),
    _k("session", "session_limit_minutes", "int", 90, "90",
       "VPN 接続の上限時間（分）", "Server-side VPN session limit (minutes)", low=1, high=1440),
    _k("ui", "language", "choice", "ja", '"ja"', "表示言語（ja / en）", "Display language (ja / en)",
       choices=("ja", "en")),
    _k("ui", "minimize_to_tray", "bool", True, "true",
       "ウィンドウを閉じたときタスクトレイに残す", "Keep running in the notification area when the window closes"),
    _k("fund", "operations_desk_email", "email", "", '"gyomu@kikin.example.jp"',
       "基金事務局 業務課のメールアドレス（登録届の送付先）",
       "E-mail address of the fund's operations desk (receives the registration form)"),
    _k("folders", "documents_root", "path", "", r'"D:\\電子連携"',
       "書類を整理して保存する最上位フォルダー（空欄 = ドキュメント\\電子連携）",
       "Top folder where documents are filed (empty = Documents\\電子連携)"),
    *_MAIL_KEYS,
    *_BROWSER_KEYS,
    *_VISIT_KEYS,
)

SPECS: dict[str, KeySpec] = {s.key: s for s in SCHEMA}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(s.section for s in SCHEMA))


# --------------------------------------------------------------------------- typed result

@dataclass(frozen=True)
class ServiceSettings:
    otp_request_url: str = ""
    auth_page_url: str = ""
    api_base_url: str = ""
    ca_bundle: str = ""
    open: str = "08:00"
    close: str = "20:00"
    closed_dates: tuple[str, ...] = ()
    year_end_closed: bool = True

    def calendar_mapping(self) -> dict[str, Any]:
        """The hours part, in the shape `CalendarConfig.from_mapping` takes."""
        return {
            "open": self.open,
            "close": self.close,
            "closed_dates": list(self.closed_dates),
            "year_end_closed": self.year_end_closed,
        }

    @property
    def calendar(self) -> Any:
        """A `service_calendar.CalendarConfig`, or the plain mapping while that module is absent."""
        try:
            from denshi_client.service_calendar import CalendarConfig  # type: ignore[import-not-found]
        except ImportError:
            return self.calendar_mapping()
        return CalendarConfig.from_mapping(self.calendar_mapping())


@dataclass(frozen=True)
class VpnSettings:
    vpncmd_path: str = ""
    account_name_template: str = "denshi-{establishment}"
    poll_seconds: float = 5.0

    def account_name(self, establishment: str, profile_id: str = "") -> str:
        """The SoftEther account name for an establishment, from IT's naming rule."""
        n = int(establishment) if establishment.isdigit() else 0
        return self.account_name_template.format(
            establishment=establishment, establishment4=f"{n:04d}", establishment6=f"{n:06d}", profile=profile_id)


@dataclass(frozen=True)
class ZipSettings:
    format: str = "aes256"


@dataclass(frozen=True)
class SessionSettings:
    warn_minutes: tuple[int, ...] = (15, 5, 1)
    graceful_margin_minutes: int = 2
    idle_minutes: int = 20
    session_limit_minutes: int = 90


@dataclass(frozen=True)
class UiSettings:
    language: str = "ja"
    minimize_to_tray: bool = True


@dataclass(frozen=True)
class FundSettings:
    operations_desk_email: str = ""


@dataclass(frozen=True)
class MailSettings:
    protocol: str = "none"
    host: str = ""
    port: int = 0
    security: str = "ssl"
    user: str = ""
    ca_bundle: str = ""
    folder: str = "INBOX"
    poll_seconds: float = 15.0


@dataclass(frozen=True)
class OtpMailSettings:
    sender: str = ""
    subject_contains: str = ""
    code_pattern: str = ""
    timeout_seconds: int = 300
    auto_continue: bool = False


@dataclass(frozen=True)
class VisitSettings:
    send_queue: bool = True
    fetch_new: bool = True
    disconnect_countdown_seconds: int = 30


@dataclass(frozen=True)
class FoldersSettings:
    documents_root: str = ""

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
    "mail": MailSettings, "otp_mail": OtpMailSettings, "visit": VisitSettings,
    "browser": BrowserSettings,
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
        spec = _spec_or_error(key)
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


# --------------------------------------------------------------------------- errors

class SettingsFileError(ConfigError):
    """A problem in one settings or policy file, with where it is."""

    def __init__(self, path: Path, line: int | None, ja_what: str, en_what: str, *, key: str | None = None,
                 column: int | None = None, code: str = "config_file", hint_ja: str = "", hint_en: str = ""):
        self.path = path
        self.line = line
        self.column = column
        self.key = key
        self.what_ja = ja_what
        self.what_en = en_what
        if line is not None:
            where_ja = f"設定ファイル {path} の {line} 行目" + (f" {column} 文字目" if column else "")
            where_en = f"Settings file {path}, line {line}" + (f", column {column}" if column else "")
        else:
            where_ja = f"設定ファイル {path}"
            where_en = f"Settings file {path}"
        super().__init__(f"{where_ja}: {ja_what}", f"{where_en}: {en_what}", code=code, hint_ja=hint_ja,
                         hint_en=hint_en)

    def location(self) -> str:
        """`file:line` for tools and editors."""
        return f"{self.path}:{self.line}" if self.line is not None else str(self.path)

    def to_dict(self) -> dict[str, str]:
        d = super().to_dict()
        d["file"] = str(self.path)
        if self.line is not None:
            d["line"] = str(self.line)
        if self.key:
            d["key"] = self.key
        return d


class _BadValue(Exception):
    def __init__(self, ja: str, en: str):
        super().__init__(en)
        self.ja = ja
        self.en = en


def _spec_or_error(key: str) -> KeySpec:
    spec = SPECS.get(key)
    if spec is None:
        raise ConfigError(f"「{key}」という設定項目はありません。", f"There is no setting called “{key}”.",
                          code="unknown_key", hint_ja="`denshi-client config show` で項目の一覧を確認できます。",
                          hint_en="`denshi-client config show` lists every key.")
    return spec


# --------------------------------------------------------------------------- value checks

_TIME_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL_RE = re.compile(rf"^[^@\s\"<>,;]+@{_LABEL}(?:\.{_LABEL})+$")
_KIND_WORD = {
    "str": ("文字列", "a string"),
    "url": ("URL の文字列", "a URL string"),
    "path": ("パスの文字列", "a path string"),
    "email": ("メールアドレスの文字列", "an e-mail address string"),
    "time": ('"HH:MM" 形式の文字列', 'an "HH:MM" string'),
    "choice": ("文字列", "a string"),
    "template": ("文字列", "a string"),
    "bool": ("true または false", "true or false"),
    "int": ("整数", "an integer"),
    "float": ("数値", "a number"),
    "dates": ("日付の配列", "a list of dates"),
    "regex": ("正規表現の文字列", "a regular expression string"),
    "minutes": ("整数の配列", "a list of integers"),
}


def _bad(spec: KeySpec, ja_reason: str = "", en_reason: str = "") -> _BadValue:
    ja = f"\"{spec.name}\" の値が正しくありません（例: {spec.example}）。"
    en = f"the value of \"{spec.name}\" is not valid (example: {spec.example})."
    if ja_reason:
        ja = f"\"{spec.name}\" の値が正しくありません。{ja_reason}（例: {spec.example}）。"
        en = f"the value of \"{spec.name}\" is not valid: {en_reason} (example: {spec.example})."
    return _BadValue(ja, en)


def _wrong_type(spec: KeySpec, value: Any) -> _BadValue:
    ja_t, en_t = _KIND_WORD[spec.kind]
    return _BadValue(f"\"{spec.name}\" には{ja_t}を指定してください（例: {spec.example}）。",
                     f"\"{spec.name}\" must be {en_t} (example: {spec.example}), not {type(value).__name__}.")


def _range(spec: KeySpec, v: float) -> None:
    if (spec.low is not None and v < spec.low) or (spec.high is not None and v > spec.high):
        raise _bad(spec, f"{spec.low:g}〜{spec.high:g} の範囲で指定してください",
                   f"it must be between {spec.low:g} and {spec.high:g}")


def check_value(spec: KeySpec, value: Any) -> Any:
    """The value in its normal form, or _BadValue. TOML dates become ISO strings."""
    kind = spec.kind
    if kind == "bool":
        if not isinstance(value, bool):
            raise _wrong_type(spec, value)
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise _wrong_type(spec, value)
        _range(spec, value)
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _wrong_type(spec, value)
        if not math.isfinite(value):
            raise _bad(spec)
        _range(spec, float(value))
        return float(value)
    if kind == "minutes":
        if not isinstance(value, list | tuple):
            raise _wrong_type(spec, value)
        out: list[int] = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, int):
                raise _wrong_type(spec, value)
            _range(spec, item)
            out.append(item)
        return tuple(sorted(set(out), reverse=True))
    if kind == "dates":
        if not isinstance(value, list | tuple):
            raise _wrong_type(spec, value)
        dates: list[str] = []
        for item in value:
            if isinstance(item, _dt.datetime) or not isinstance(item, str | _dt.date):
                raise _wrong_type(spec, value)
            if isinstance(item, str):
                try:
                    item = _dt.date.fromisoformat(item.strip())
                except ValueError:
                    raise _bad(spec, f"「{item}」は日付として読めません", f"“{item}” is not a date") from None
            dates.append(item.isoformat())
        return tuple(sorted(set(dates)))
    if not isinstance(value, str):
        raise _wrong_type(spec, value)
    if kind == "time":
        m = _TIME_RE.match(value)
        if not m or (m.group(1) == "24" and m.group(2) != "00"):
            raise _bad(spec)
        return value
    if kind == "choice":
        if value not in spec.choices:
            raise _bad(spec, f"{' / '.join(spec.choices)} のいずれかを指定してください",
                       f"it must be one of {', '.join(spec.choices)}")
        return value
    if kind == "url":
        if value == "":
            return value
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.netloc or any(c.isspace() for c in value):
            raise _bad(spec, "http:// または https:// で始まる URL を指定してください",
                       "it must be an http:// or https:// URL")
        if "@" in parts.netloc:  # user:password@ would end up in logs and support bundles
            raise _bad(spec, "URL にユーザー名やパスワード（user:password@）を含めることはできません",
                       "a URL must not contain a user name or password (user:password@)")
        return value
    if kind == "email":
        if value and not _EMAIL_RE.match(value):
            raise _bad(spec, "メールアドレスの形式ではありません", "it is not an e-mail address")
        return value
    if kind == "regex":
        try:
            re.compile(value)
        except re.error as e:
            raise _bad(spec, f"正規表現として読めません（{e}）", f"it is not a regular expression ({e})") from None
        return value
    if kind == "path":
        if any(ord(c) < 32 for c in value):
            raise _bad(spec, "制御文字は使えません", "control characters are not allowed")
        return value
    if kind == "template":
        try:
            names = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
        except ValueError:
            raise _bad(spec, "{ } の対応が取れていません", "its braces do not match") from None
        unknown = [n for n in names if n not in TEMPLATE_FIELDS]
        if unknown or not value.strip():
            raise _bad(spec, f"使える差し込み項目は {' '.join('{' + f + '}' for f in TEMPLATE_FIELDS)} です",
                       f"the allowed fields are {' '.join('{' + f + '}' for f in TEMPLATE_FIELDS)}")
        return value
    return value


def parse_cli_value(key: str, text: str) -> Any:
    """A value typed on the command line (`config set`), read by the key's type."""
    spec = _spec_or_error(key)
    t = text.strip()
    try:
        if spec.kind == "bool":
            low = t.lower()
            if low in ("true", "yes", "on", "1"):
                return True
            if low in ("false", "no", "off", "0"):
                return False
            raise _bad(spec)
        if spec.kind == "int":
            return int(t)
        if spec.kind == "float":
            return float(t)
        if spec.kind in ("minutes", "dates"):
            if t.startswith("["):
                return tomllib.loads(f"v = {t}")["v"]
            items = [p.strip() for p in t.split(",") if p.strip()]
            return [int(p) for p in items] if spec.kind == "minutes" else items
    except (ValueError, tomllib.TOMLDecodeError, _BadValue):
        b = _bad(spec)
        raise ConfigError(f"「{key}」: {b.ja}", f"“{key}”: {b.en}", code="config_value") from None
    return text


# --------------------------------------------------------------------------- reading files

_HEADER_RE = re.compile(r"^\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_KEY_RE = re.compile(r"^(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-.\" ']+?)\s*=")


def _norm_dotted(raw: str) -> str:
    return ".".join(p.strip().strip("\"'") for p in raw.split("."))


def find_line(text: str, section: str | None, key: str | None = None) -> int | None:
    """Line of `key` in `[section]` (or of the section header): tomllib keeps no positions."""
    current: str | None = None
    target = f"{section}.{key}" if section and key else (key or section)
    for number, raw in enumerate(text.splitlines(), 1):
        s = raw.strip().lstrip("\ufeff")
        if not s or s.startswith("#"):
            continue
        if s.startswith("[["):
            current = None
            continue
        m = _HEADER_RE.match(s)
        if m:
            current = _norm_dotted(m.group(1))
            if key is None and current == section:
                return number
            continue
        m = _KEY_RE.match(s)
        if m:
            k = _norm_dotted(m.group(1))
            full = f"{current}.{k}" if current else k
            if full == target or (key is None and section and full.startswith(section + ".")):
                return number
    return None


@dataclass
class ParsedFile:
    """One file's values (already checked) and, for a policy, its lock list."""

    path: Path
    kind: FileKind
    text: str
    values: dict[str, Any] = field(default_factory=dict)
    locks: frozenset[str] = frozenset()
    errors: list[SettingsFileError] = field(default_factory=list)

    def line_of(self, key: str) -> int | None:
        section, _, name = key.partition(".")
        return find_line(self.text, section, name)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        why = e.strerror or type(e).__name__
        raise SettingsFileError(path, None, f"読み込めませんでした（{why}）。", f"it could not be read ({why}).",
                                code="config_unreadable") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SettingsFileError(
            path, line, "UTF-8 として読めない文字があります。", "it contains bytes that are not UTF-8.",
            code="config_encoding", hint_ja="メモ帳などで「UTF-8」を選んで保存し直してください。",
            hint_en="Save the file again with the UTF-8 encoding.") from None


_TOML_POS_RE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _deep_line(text: str, limit: int = 100) -> int | None:
    """First line where [ / { nesting passes `limit` (tomllib recurses per level and gives no position)."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for ch in line:
            if ch in "[{":
                depth += 1
                if depth > limit:
                    return number
            elif ch in "]}":
                depth = max(0, depth - 1)
    return None


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise SettingsFileError(
            path, _deep_line(text), "[ ] や { } の入れ子が深すぎて読み込めません。",
            "brackets are nested too deeply to read.", code="config_syntax",
            hint_ja="ファイルが壊れていないか確認してください。",
            hint_en="Check whether the file is damaged.") from None
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = _TOML_POS_RE.search(msg)
        line = int(m.group(1)) if m else None
        col = int(m.group(2)) if m else None
        detail = _TOML_POS_RE.sub("", msg).strip()
        if line is None and "end of document" in msg:
            line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
        raise SettingsFileError(
            path, line, f"TOML の書き方に誤りがあります（{detail}）。",
            f"TOML syntax error ({detail}).", column=col, code="config_syntax",
            hint_ja="引用符（\"）や [ ] の閉じ忘れ、= の抜けがないか確認してください。",
            hint_en="Check for a missing quote, bracket or '='.") from None


def parse_settings_text(path: Path, text: str, kind: FileKind) -> ParsedFile:
    """Check one file completely, collecting every problem (for `config validate`)."""
    pf = ParsedFile(path, kind, text)
    data = _parse_toml(path, text)

    def err(line: int | None, ja: str, en: str, key: str | None = None, code: str = "config_value") -> None:
        pf.errors.append(SettingsFileError(path, line, ja, en, key=key, code=code))

    for section, body in data.items():
        if section == LOCK_SECTION:
            if kind != "policy":
                err(find_line(text, section), "[lock] は管理者用ポリシーファイルにだけ書けます。",
                    "[lock] is only allowed in the administrator's policy file.", code="config_lock_in_user")
                continue
            pf.locks = frozenset(_parse_locks(pf, body, err))
            continue
        if section not in SECTIONS:
            err(find_line(text, section), f"[{section}] という項目のまとまり（セクション）はありません。"
                f"使えるのは {', '.join('[' + s + ']' for s in SECTIONS)} です。",
                f"there is no section [{section}]; known sections: {', '.join('[' + s + ']' for s in SECTIONS)}.",
                code="config_unknown_section")
            continue
        if not isinstance(body, dict):
            err(find_line(text, None, section), f"\"{section}\" はセクション（[{section}]）として書いてください。",
                f"\"{section}\" must be a section ([{section}]).", code="config_type")
            continue
        for name, value in body.items():
            key = f"{section}.{name}"
            spec = SPECS.get(key)
            line = find_line(text, section, name) or find_line(text, section)
            if spec is None:
                known = ", ".join(s.name for s in SCHEMA if s.section == section)
                err(line, f"[{section}] に \"{name}\" という項目はありません（使える項目: {known}）。",
                    f"there is no key \"{name}\" in [{section}] (known keys: {known}).", key=key,
                    code="config_unknown_key")
                continue
            try:
                pf.values[key] = check_value(spec, value)
            except _BadValue as b:
                err(line, b.ja, b.en, key=key)
    _cross_check(pf, pf.values, err)
    return pf


def _parse_locks(pf: ParsedFile, body: Any, err: Callable[..., None]) -> set[str]:
    line = find_line(pf.text, LOCK_SECTION, "keys") or find_line(pf.text, LOCK_SECTION)
    if not isinstance(body, dict):
        err(line, "[lock] はセクションとして書いてください。", "[lock] must be a section.", code="config_lock")
        return set()
    extra = [k for k in body if k != "keys"]
    if extra:
        err(find_line(pf.text, LOCK_SECTION, extra[0]),
            f"[lock] に書けるのは keys だけです（\"{extra[0]}\" は使えません）。",
            f"[lock] only takes \"keys\" (not \"{extra[0]}\").", code="config_lock")
    keys = body.get("keys", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        err(line, "[lock] の keys には文字列の配列を指定してください（例: [\"zip.format\", \"service.*\"]）。",
            "[lock] keys must be a list of strings (example: [\"zip.format\", \"service.*\"]).", code="config_lock")
        return set()
    out: set[str] = set()
    for k in keys:
        expanded = expand_lock_pattern(k)
        if not expanded:
            err(line, f"[lock] の \"{k}\" に当たる設定項目がありません（例: \"zip.format\", \"service.*\", \"*\"）。",
                f"[lock] entry \"{k}\" matches no setting (examples: \"zip.format\", \"service.*\", \"*\").",
                key=k, code="config_lock")
        out |= expanded
    return out


def expand_lock_pattern(pattern: str) -> set[str]:
    """`*` = everything, `section.*` = a whole section, else one exact key."""
    p = pattern.strip()
    if p == "*":
        return set(SPECS)
    if p.endswith(".*"):
        sec = p[:-2]
        return {s.key for s in SCHEMA if s.section == sec}
    return {p} if p in SPECS else set()


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _cross_check(pf: ParsedFile, values: Mapping[str, Any], err: Callable[..., None]) -> None:
    """Rules between keys, checked on what this file sets (the merged view is checked again on load)."""
    for problem in cross_problems(values):
        key, ja, en = problem
        err(pf.line_of(key), ja, en, key=key)


_PARTNERS = {
    "service.close": ("service.open",),
    "session.graceful_margin_minutes": ("session.session_limit_minutes",),
    "session.warn_minutes": ("session.session_limit_minutes",),
}


def cross_problems(values: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    if "service.open" in values and "service.close" in values:
        if _minutes(values["service.close"]) <= _minutes(values["service.open"]):
            out.append(("service.close", f"\"close\" は \"open\"（{values['service.open']}）より後の時刻にしてください"
                        f"（例: \"20:00\"）。",
                        f"\"close\" must be later than \"open\" ({values['service.open']}) (example: \"20:00\")."))
    limit = values.get("session.session_limit_minutes")
    if limit is not None:
        margin = values.get("session.graceful_margin_minutes")
        if margin is not None and margin >= limit:
            out.append(("session.graceful_margin_minutes",
                        f"\"graceful_margin_minutes\" は接続上限（{limit} 分）より短くしてください（例: 2）。",
                        f"\"graceful_margin_minutes\" must be shorter than the session limit ({limit} min) "
                        "(example: 2)."))
        warn = values.get("session.warn_minutes")
        if warn and max(warn) >= limit:
            out.append(("session.warn_minutes",
                        f"\"warn_minutes\" は接続上限（{limit} 分）より短くしてください（例: [15, 5, 1]）。",
                        f"\"warn_minutes\" must all be shorter than the session limit ({limit} min) "
                        "(example: [15, 5, 1])."))
    return out


def detect_kind(path: Path, text: str) -> FileKind:
    if path.name.lower() == "policy.toml" or re.search(r"(?m)^\s*\[\s*lock\s*\]", text):
        return "policy"
    return "settings"


def validate_file(path: Path, kind: FileKind | None = None) -> list[SettingsFileError]:
    """Every problem in one file (empty list = valid); reading/syntax errors come as one item."""
    try:
        text = _read_text(path)
        pf = parse_settings_text(path, text, kind or detect_kind(path, text))
    except SettingsFileError as e:
        return [e]
    return pf.errors


def _load_file(path: Path, kind: FileKind) -> ParsedFile | None:
    if not path.exists():
        return None
    if path.is_dir():
        raise SettingsFileError(path, None, "ファイルではなくフォルダーです。", "it is a folder, not a file.",
                                code="config_unreadable")
    pf = parse_settings_text(path, _read_text(path), kind)
    if pf.errors:
        first = pf.errors[0]
        if len(pf.errors) > 1:
            first.hint_ja = (first.hint_ja + " " if first.hint_ja else "") + \
                f"ほかに {len(pf.errors) - 1} 件の問題があります（denshi-client config validate で一覧できます）。"
            first.hint_en = (first.hint_en + " " if first.hint_en else "") + \
                f"{len(pf.errors) - 1} more problem(s); `denshi-client config validate` lists them."
        raise first
    return pf


# --------------------------------------------------------------------------- layering

def _policy_path() -> Path:
    return app_paths().policy_file


def _settings_path() -> Path:
    return app_paths().settings_file


def _merge(policy: ParsedFile | None, user: ParsedFile | None,
           ) -> tuple[dict[str, Any], dict[str, Source], frozenset[str], tuple[str, ...]]:
    values: dict[str, Any] = {s.key: s.default for s in SCHEMA}
    sources: dict[str, Source] = {s.key: "default" for s in SCHEMA}
    locks = set(policy.locks) if policy else set()
    if policy:
        for k, v in policy.values.items():
            values[k], sources[k] = v, "policy"
    ignored: set[str] = set()
    if user:
        for k, v in user.values.items():
            if k in locks:
                ignored.add(k)
                continue
            values[k], sources[k] = v, "user"
    return values, sources, frozenset(locks), tuple(sorted(ignored))


def load_effective_settings(*, policy_file: Path | None = None, settings_file: Path | None = None) -> EffectiveSettings:
    """Defaults < policy < user, locks applied; raises SettingsFileError for any broken file."""
    ppath = policy_file or _policy_path()
    upath = settings_file or _settings_path()
    policy = _load_file(ppath, "policy")
    user = _load_file(upath, "settings")
    values, sources, locks, ignored = _merge(policy, user)
    for key, ja, en in cross_problems(values):
        # Blame the latest layer that set one of the keys involved: that file made the clash.
        rank = {"default": 0, "policy": 1, "user": 2}
        involved = [key, *_PARTNERS.get(key, ())]
        blame = max(involved, key=lambda k: rank[sources[k]])
        pf = user if sources[blame] == "user" else policy
        assert pf is not None  # the defaults never clash with each other
        raise SettingsFileError(pf.path, pf.line_of(blame), ja, en, key=key, code="config_value")
    sections: dict[str, Any] = {}
    for sec, cls in _SECTION_TYPES.items():
        sections[sec] = cls(**{s.name: values[s.key] for s in SCHEMA if s.section == sec})
    return EffectiveSettings(**sections, sources=sources, locked=locks, policy_file=ppath if policy else None,
                             settings_file=upath if user else None, ignored_user_keys=ignored)


def is_locked(key: str) -> bool:
    """Whether IT's policy fixes this key (a broken policy raises: we cannot tell)."""
    _spec_or_error(key)
    policy = _load_file(_policy_path(), "policy")
    return bool(policy and key in policy.locks)


def _locked_error(key: str, policy_path: Path) -> ConfigError:
    return ConfigError(
        f"「{key}」は管理者のポリシー（{policy_path}）で固定されているため、変更できません。",
        f"“{key}” is locked by the administrator's policy ({policy_path}) and cannot be changed.",
        code="locked", hint_ja="変更が必要な場合は社内の IT 担当者にご相談ください。",
        hint_en="Ask your IT department if it needs to change.")


def set_user_value(key: str, value: Any) -> EffectiveSettings:
    """Change one user setting (checked, lock-aware, atomic); returns the new effective settings."""
    return _change_user_value(key, value, remove=False)


def unset_user_value(key: str) -> EffectiveSettings:
    """Drop the user's own value so the policy or default applies again."""
    return _change_user_value(key, None, remove=True)


def _change_user_value(key: str, value: Any, *, remove: bool) -> EffectiveSettings:
    spec = _spec_or_error(key)
    upath = _settings_path()
    try:
        with file_lock(upath):
            _write_user_value(spec, upath, key, value, remove=remove)
    except OSError as e:
        why_ja, why_en = write_problem(e)
        raise ConfigError(f"設定ファイル {upath} を書き込めませんでした（{why_ja}）。設定は変更していません。",
                          f"The settings file {upath} could not be written ({why_en}). Nothing was changed.",
                          code="config_write") from None
    return load_effective_settings()


def _write_user_value(spec: KeySpec, upath: Path, key: str, value: Any, *, remove: bool) -> None:
    ppath = _policy_path()
    policy = _load_file(ppath, "policy")
    if policy and key in policy.locks:
        raise _locked_error(key, ppath)
    user = _load_file(upath, "settings")  # a broken user file raises here and is left untouched
    current = dict(user.values) if user else {}
    if remove:
        current.pop(key, None)
    else:
        try:
            current[key] = check_value(spec, value)
        except _BadValue as b:
            raise ConfigError(f"「{key}」: {b.ja}", f"“{key}”: {b.en}", code="config_value") from None
    merged, _, _, _ = _merge(policy, ParsedFile(upath, "settings", "", values=current))
    for k, ja, en in cross_problems(merged):
        raise ConfigError(f"「{k}」: {ja}", f"“{k}”: {en}", code="config_value")
    atomic_write_text(upath, dump_user_settings(current))


# --------------------------------------------------------------------------- writing

_USER_HEADER = (
    "# 電子連携クライアント ユーザー設定 / Denshi Client user settings\n"
    "# `denshi-client config set KEY VALUE` で変更できます（管理者が固定した項目は変更できません）。\n"
    "# Change with `denshi-client config set KEY VALUE` (keys locked by IT cannot be changed).\n"
)


def toml_value(value: Any) -> str:
    """One TOML value: enough of TOML for our own files (strings, numbers, booleans, arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("TOML value must be finite")
        r = repr(value)
        return r if any(c in r for c in ".eE") else r + ".0"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(s: str) -> str:
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def dump_sections(values: Mapping[str, Any], *, header: str = "") -> str:
    """Dotted keys grouped into `[section]` tables in schema order."""
    lines = [header.rstrip("\n")] if header else []
    by_section: dict[str, list[tuple[str, Any]]] = {}
    order = {s.key: i for i, s in enumerate(SCHEMA)}
    for k in sorted(values, key=lambda k: (order.get(k, 1 << 30), k)):
        sec, _, name = k.partition(".")
        by_section.setdefault(sec, []).append((name, values[k]))
    for sec in [*SECTIONS, *sorted(set(by_section) - set(SECTIONS))]:
        if sec not in by_section:
            continue
        if lines:
            lines.append("")
        lines.append(f"[{sec}]")
        for name, v in by_section[sec]:
            lines.append(f"{name} = {toml_value(v)}")
    return "\n".join(lines) + "\n"


def dump_user_settings(values: Mapping[str, Any]) -> str:
    return dump_sections(values, header=_USER_HEADER)


def iter_keys() -> Iterable[KeySpec]:
    return iter(SCHEMA)

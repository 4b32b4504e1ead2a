"""The settings schema: every key, its type, its one default and the words docs and errors use.

This is the only place a setting's default is written: the section dataclasses
(`sections.py`) and the session rules (`session.model.SessionConfig`) read it from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from denshi_client.errors import ConfigError

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
    _k("browser", "form_selector", "str", 'select[name="form_name"]', "'select[name=\"form_name\"]'",
       "送信画面の届書の種類を選ぶ欄の CSS セレクター（選んだ ZIP の届書名をアプリが選択。空 = しない）",
       "CSS selector of the upload page's form-type list (the app selects the chosen ZIP's form; empty = off)"),
    _k("browser", "logout_url_pattern", "regex", r"/logout", r'"/logout"',
       "ログアウト後のページの URL に一致する正規表現（一致したら接続を終了）",
       "Regular expression matching the URL after logging out (a match ends the visit)"),
)

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


def default(key: str) -> Any:
    """The built-in default of one key (the dataclasses' and SessionConfig's defaults come from here)."""
    return SPECS[key].default


def spec_or_error(key: str) -> KeySpec:
    spec = SPECS.get(key)
    if spec is None:
        raise ConfigError(f"「{key}」という設定項目はありません。", f"There is no setting called “{key}”.",
                          code="unknown_key", hint_ja="`denshi-client config show` で項目の一覧を確認できます。",
                          hint_en="`denshi-client config show` lists every key.")
    return spec


def iter_keys() -> Iterable[KeySpec]:
    return iter(SCHEMA)

"""`denshi-client doctor`: one line per thing that must be right on this PC, each with a fix.

IT and the fund's help desk need the same answers the app relies on, without guessing:
is vpncmd there and which version, is the VPN client service up, is there a virtual
adapter and an account, is IT's policy file valid, is the service reachable, is the clock
sane, is there disk space, does the credential store work, can the embedded page's engine
(Chromium 106 or later, as the fund requires) start. Every check is independent
(one failing never hides the others) and blocking; the UI runs them on a worker thread.
"""

from __future__ import annotations

import enum
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from denshi_client import __version__, i18n
from denshi_client.clock import Clock, SystemClock
from denshi_client.errors import DenshiError
from denshi_client.redact import redact
from denshi_client.store.paths import app_paths


class Status(enum.Enum):
    PASS = "pass"  # noqa: S105 - a status name
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class CheckResult:
    id: str
    status: Status
    title_ja: str
    title_en: str
    detail: str = ""  # English (or language-neutral: paths, versions)
    hint_ja: str = ""
    hint_en: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    detail_ja: str = ""  # when the detail is a phrase, its Japanese

    def title(self, lang: str | None = None) -> str:
        return i18n.pick(self.title_ja, self.title_en, lang)

    def detail_text(self, lang: str | None = None) -> str:
        return i18n.pick(self.detail_ja or self.detail, self.detail, lang)

    def hint(self, lang: str | None = None) -> str:
        return i18n.pick(self.hint_ja, self.hint_en, lang)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status.value, "title_ja": self.title_ja, "title_en": self.title_en,
                "detail": redact(self.detail),
                "detail_ja": redact(self.detail_ja or self.detail), "hint_ja": self.hint_ja, "hint_en": self.hint_en,
                "data": self.data}


# Thresholds: a registration ZIP is KBs, but a month of decision notices is tens of MB.
DISK_FAIL_BYTES = 100 * 1024**2
DISK_WARN_BYTES = 1024**3
PLAUSIBLE_YEARS = (2024, 2099)
REACH_TIMEOUT_S = 5.0
KEYRING_PROBE_SERVICE = "DenshiClient-doctor"
# This version did not exist before this instant: a PC clock behind it is wrong. A fact of the release
# (bump it with __version__), never a file's time, which copying, unpacking or installing can change.
RELEASE_FLOOR = datetime(2026, 11, 27, tzinfo=UTC)


@dataclass
class DoctorContext:
    """What the checks share: injected so tests (and demo mode) control every outside part."""

    demo: bool = False
    clock: Clock = field(default_factory=SystemClock)
    release_floor: datetime = RELEASE_FLOOR  # a clock more than a day behind it fails
    vpncmd_path: str | None = None
    runner: Any = None  # vpn.vpncmd.ProcessRunner; None = real subprocess
    driver: Any = None  # vpn.model.VpnDriver; None = made from settings / demo
    webengine_probe: Any = None  # (argv, timeout) -> (returncode, stdout, stderr); None = a child process
    _cache: dict[str, Any] = field(default_factory=dict)

    def settings(self) -> Any:
        if "settings" not in self._cache:
            from denshi_client.store.settings import load_effective_settings

            try:
                self._cache["settings"] = load_effective_settings()
            except DenshiError:
                self._cache["settings"] = None
        return self._cache["settings"]

    def configured_vpncmd(self) -> str | None:
        """`[vpn] vpncmd_path` from the settings this check read (none when they could not be read)."""
        s = self.settings()
        return (s.vpn.vpncmd_path or None) if s is not None else None

    def get_driver(self) -> Any:
        if self.driver is None:
            from denshi_client.vpn.factory import make_driver

            self.driver = make_driver(demo=True) if self.demo else make_driver(
                vpncmd_path=self.vpncmd_path, configured_vpncmd=self.configured_vpncmd())
        return self.driver


def _r(id_: str, status: Status, title: tuple[str, str], detail: str | tuple[str, str] = "",
       hint: tuple[str, str] = ("", ""), **data: Any) -> CheckResult:
    """`detail` is text, or (ja, en) when it is a phrase rather than a path or a number."""
    ja, en = detail if isinstance(detail, tuple) else ("", detail)
    return CheckResult(id_, status, title[0], title[1], en, hint[0], hint[1], data, ja)


# --------------------------------------------------------------------------- VPN

_NO_SERVICE = ("VPN Client サービスに接続できないため未確認", "the VPN Client service is not reachable")

T_VPNCMD = ("vpncmd（SoftEther VPN の操作コマンド）", "vpncmd (SoftEther VPN command line)")
T_SERVICE = ("SoftEther VPN Client サービス", "SoftEther VPN Client service")
T_ADAPTER = ("仮想 LAN カード（仮想ネットワークアダプター）", "Virtual network adapter")
T_ACCOUNTS = ("VPN 接続設定", "VPN connection settings (accounts)")
_VERSION_RE = re.compile(r"Version\s+([\d.]+)\s+Build\s+(\d+)", re.I)
_VER_JA_RE = re.compile(r"Ver\s*([\d.]+)\s*,?\s*Build\s*(\d+)", re.I)

H_INSTALL = ("基金から案内された「SoftEther VPN Client」をインストールしてください。別の場所にある場合は、"
             "設定 [vpn] vpncmd_path で場所を指定できます。",
             "Install the SoftEther VPN Client the fund provides, or set [vpn] vpncmd_path to where vpncmd is.")
H_SERVICE_WIN = ("「サービス」（services.msc）で「SoftEther VPN Client」を開始し、スタートアップの種類を「自動」に"
                 "してください。解決しない場合は SoftEther VPN Client を再インストールしてください。",
                 "Start the \"SoftEther VPN Client\" service in services.msc (startup type: Automatic), "
                 "or reinstall the SoftEther VPN Client.")
H_SERVICE_UNIX = ("`sudo vpnclient start` で VPN クライアントを起動してください。",
                  "Start the VPN client with `sudo vpnclient start`.")


def _vpncmd_probe(ctx: DoctorContext) -> dict[str, Any]:
    """One vpncmd call answers two checks: its banner gives the version, its exit code the service."""
    if "probe" in ctx._cache:
        return dict(ctx._cache["probe"])
    from denshi_client.vpn.locate import find_vpncmd
    from denshi_client.vpn.vpncmd import SubprocessRunner

    out: dict[str, Any] = {}
    try:
        configured = ctx.configured_vpncmd()
        exe = (ctx.vpncmd_path if (ctx.vpncmd_path and ctx.runner)
               else find_vpncmd(ctx.vpncmd_path, configured=configured))
    except DenshiError as e:
        out["error"] = e
        ctx._cache["probe"] = out
        return dict(out)
    out["path"] = exe
    runner = ctx.runner or SubprocessRunner()
    try:
        r = runner([exe, "localhost", "/CLIENT", "/PROGRAMMING", "/CMD", "VersionGet"], 20.0)
        text = r.stdout.decode("utf-8", errors="replace")
        m = _VERSION_RE.search(text) or _VER_JA_RE.search(text)
        out["version"] = f"{m.group(1)} Build {m.group(2)}" if m else ""
        out["code"] = r.code
        out["text"] = text[-400:]
    except Exception as e:  # a hung or broken vpncmd must not stop the other checks
        out["code"] = -1
        out["text"] = f"{type(e).__name__}: {e}"
        out["version"] = ""
    ctx._cache["probe"] = out
    return dict(out)


def check_vpncmd(ctx: DoctorContext) -> CheckResult:
    if ctx.demo:
        return _r("vpncmd", Status.PASS, T_VPNCMD, ("デモモード: 模擬 VPN を使用（vpncmd は使いません）",
                  "demo mode: stand-in VPN driver (vpncmd not used)"))
    p = _vpncmd_probe(ctx)
    if "error" in p:
        e: DenshiError = p["error"]
        return _r("vpncmd", Status.FAIL, T_VPNCMD, (e.ja, e.en), H_INSTALL)
    ver = p.get("version") or "?"
    return _r("vpncmd",
              Status.PASS, T_VPNCMD, (f"{p['path']}（バージョン {ver}）", f"{p['path']} (version {ver})"),
              path=p["path"], version=ver)


def check_service(ctx: DoctorContext) -> CheckResult:
    if ctx.demo:
        return _r("vpn_service",
                  Status.PASS, T_SERVICE, ("デモモード: 模擬 VPN を使用", "demo mode: stand-in VPN driver"))
    p = _vpncmd_probe(ctx)
    hint = H_SERVICE_WIN if os.name == "nt" else H_SERVICE_UNIX
    if "error" in p:
        return _r("vpn_service",
                  Status.SKIP, T_SERVICE, ("vpncmd が見つからないため未確認", "vpncmd not found"), H_INSTALL)
    if p["code"] == 0:
        return _r("vpn_service", Status.PASS, T_SERVICE, ("vpncmd からサービスに接続できました",
                  "vpncmd reached the VPN Client service on localhost"))
    return _r("vpn_service", Status.FAIL, T_SERVICE, (f"サービスに接続できません（vpncmd 終了コード {p['code']}）",
                                                      f"vpncmd exit code {p['code']}: cannot reach the service"), hint)


def _nic_names(ctx: DoctorContext) -> list[str] | None:
    from denshi_client.vpn.vpncmd import Vpncmd

    p = _vpncmd_probe(ctx)
    if "error" in p or p.get("code") != 0:
        return None
    r = Vpncmd(p["path"], ctx.runner, timeout=20.0).cmd("NicList")
    if not r.ok:
        return None
    rows = r.rows()
    return [row[0] for row in rows[1:] if row]


def check_adapter(ctx: DoctorContext) -> CheckResult:
    if ctx.demo:
        return _r("vpn_adapter",
                  Status.PASS, T_ADAPTER, ("デモモード: 模擬アダプター「VPN」", "demo mode: stand-in adapter \"VPN\""))
    names = _nic_names(ctx)
    if names is None:
        return _r("vpn_adapter", Status.SKIP, T_ADAPTER, _NO_SERVICE)
    if not names:
        return _r("vpn_adapter", Status.FAIL, T_ADAPTER, ("仮想 LAN カードがありません", "no virtual network adapter"),
                  ("SoftEther VPN クライアント接続マネージャーで「仮想 LAN カードの新規作成」を行い、名前を「VPN」と"
                   "してください。基金の .vpn ファイルを取り込むと必要なカードが案内されます。",
                   "Create a virtual network adapter named \"VPN\" in the SoftEther VPN Client Manager."))
    return _r("vpn_adapter", Status.PASS, T_ADAPTER, ", ".join(names), adapters=names)


def check_accounts(ctx: DoctorContext) -> CheckResult:
    if not ctx.demo:
        p = _vpncmd_probe(ctx)
        if "error" in p or p.get("code") != 0:
            return _r("vpn_accounts", Status.SKIP, T_ACCOUNTS, _NO_SERVICE)
    try:
        accounts = ctx.get_driver().list_accounts()
    except DenshiError as e:
        return _r("vpn_accounts", Status.FAIL, T_ACCOUNTS, (e.ja, e.en), (e.hint_ja or e.ja, e.hint_en or e.en))
    if not accounts:
        return _r("vpn_accounts",
                  Status.WARN, T_ACCOUNTS, ("VPN 接続設定はまだありません", "no VPN connection setting yet"),
                  ("基金から届いた .vpn ファイルを取り込んでください（アプリの「はじめての設定」または "
                   "`denshi-client vpn import`）。", "Import the fund's .vpn file (onboarding wizard or "
                   "`denshi-client vpn import`)."))
    names = [f"{a.name} ({a.state.value})" for a in accounts]
    return _r("vpn_accounts", Status.PASS, T_ACCOUNTS, ", ".join(names), accounts=[a.name for a in accounts])


# --------------------------------------------------------------------------- policy and settings

T_POLICY = ("IT ポリシーと設定ファイル", "IT policy and settings files")


def check_policy(ctx: DoctorContext) -> CheckResult:
    from denshi_client.store.settings import validate_file

    paths = app_paths()
    problems: list[str] = []
    seen: list[str] = []
    for path, kind in ((paths.policy_file, "policy"), (paths.settings_file, "settings")):
        if not path.exists():
            continue
        seen.append(str(path))
        for err in validate_file(path, kind):  # type: ignore[arg-type]
            problems.append(err.message())
    if problems:
        return _r("policy", Status.FAIL, T_POLICY, " / ".join(problems[:5]),
                  ("表示された行を直してください。IT ポリシーは `denshi-client config validate ファイル` で配布前に"
                   "確認できます（docs/it-guide.md）。",
                   "Fix the lines shown. Check a policy before deploying it with "
                   "`denshi-client config validate FILE` (docs/it-guide.md)."),
                  files=seen)
    detail = (", ".join(seen), ", ".join(seen)) if seen else (
        f"IT ポリシーなし（{paths.policy_file}）: 既定値で動作",
        f"no policy file ({paths.policy_file}): built-in defaults")
    return _r("policy", Status.PASS, T_POLICY, detail, files=seen)


# --------------------------------------------------------------------------- service reachability

T_REACH = ("基金のサービスへの接続", "Reaching the fund's service")


def _tcp_probe(url: str, timeout: float) -> tuple[bool, str]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    t0 = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True, f"{host}:{port} {1000 * (time.monotonic() - t0):.0f} ms"
    except OSError as e:
        return False, f"{host}:{port} {type(e).__name__}"


def check_reachability(ctx: DoctorContext) -> CheckResult:
    st = ctx.settings()
    urls = []
    if st is not None:
        urls = [u for u in (st.service.auth_page_url, st.service.api_base_url) if u]
    if ctx.demo:
        return _r("reachability",
                  Status.PASS, T_REACH, ("デモモード: 内蔵の模擬サービス", "demo mode: embedded stand-in service"))
    try:
        connected = ctx.get_driver().connected_accounts()
    except DenshiError:
        connected = []
    if not connected:
        return _r("reachability",
                  Status.SKIP, T_REACH, ("VPN 未接続のため未確認（サービスは VPN 経由でのみ接続できます）",
                                         "VPN not connected: the service is only reachable through it"),
                  ("VPN 接続中に、もう一度診断を実行すると確認できます。",
                   "Run the diagnostics again while the VPN is connected."))
    if not urls:
        return _r("reachability",
                  Status.WARN, T_REACH, ("サービスの URL が設定されていません（[service] auth_page_url）",
                                                            "no service URL configured ([service] auth_page_url)"),
                  ("IT ポリシーまたは設定で [service] auth_page_url を設定してください。",
                   "Set [service] auth_page_url in the policy or settings."))
    results = [(u, *_tcp_probe(u, REACH_TIMEOUT_S)) for u in urls]
    bad = [f"{u}: {d}" for u, ok, d in results if not ok]
    if bad:
        return _r("reachability", Status.FAIL, T_REACH, "; ".join(bad),
                  ("VPN が接続されているか、URL が基金の案内どおりかをご確認ください。"
                   "社内のプロキシやファイアウォールが通信を止めていないかもご確認ください。",
                   "Check that the VPN is connected and the URL matches the fund's instructions, and that no "
                   "proxy or firewall blocks it."))
    return _r("reachability", Status.PASS, T_REACH, "; ".join(f"{u}: {d}" for u, _, d in results))


# --------------------------------------------------------------------------- clock and time zone

T_CLOCK = ("時計とタイムゾーン", "Clock and time zone")
H_CLOCK = ("Windows の「日付と時刻」で「時刻を自動的に設定する」をオンにし、タイムゾーンを「(UTC+09:00) 大阪、札幌、"
           "東京」にしてください。",
           "In Windows \"Date & time\", turn on \"Set time automatically\" and choose "
           "(UTC+09:00) Osaka, Sapporo, Tokyo.")


def check_clock(ctx: DoctorContext) -> CheckResult:
    now = ctx.clock.now()
    year_ok = PLAUSIBLE_YEARS[0] <= now.year <= PLAUSIBLE_YEARS[1]
    behind = now < ctx.release_floor - timedelta(days=1)
    local = now.astimezone()
    off = local.utcoffset() or timedelta(0)
    tzname = local.tzname() or ""
    utc_text = f"{now.astimezone(UTC):%Y-%m-%d %H:%M}"
    zone = f"{tzname} UTC{off.total_seconds() / 3600:+.0f}"
    detail = f"now {utc_text} UTC, PC zone {zone}"
    detail_ja = f"現在 {utc_text}（協定世界時）、PCのタイムゾーン {zone}"
    if not year_ok or behind:
        why = ("（年が正しくありません）", " (year implausible)") if not year_ok else (
            "（このバージョンのリリースより前の日時です）", " (earlier than this version's release)")
        return _r("clock", Status.FAIL, T_CLOCK, (detail_ja + why[0], detail + why[1]), H_CLOCK)
    if off != timedelta(hours=9):
        return _r("clock", Status.WARN, T_CLOCK,
                  (detail_ja + "（日本時間ではありません）", detail + " (not Japan time)"),
                  ("受付時間は日本時間で判定しますので動作に支障はありませんが、表示される時刻が日本時間と異なります。"
                   "通常は「(UTC+09:00) 大阪、札幌、東京」をお使いください。",
                   "Service hours are computed in Japan time, so this works, but times you see differ from JST. "
                   "Normally use (UTC+09:00) Osaka, Sapporo, Tokyo."), offset_hours=off.total_seconds() / 3600)
    return _r("clock", Status.PASS, T_CLOCK, (detail_ja, detail))


# --------------------------------------------------------------------------- disk space

T_DISK = ("ディスクの空き容量", "Free disk space")


def _existing(p: Path) -> Path:
    while not p.exists() and p.parent != p:
        p = p.parent
    return p


def check_disk(ctx: DoctorContext) -> CheckResult:
    paths = app_paths()
    folders: dict[str, Path] = {"data": paths.data_dir, "logs": paths.log_dir}
    st = ctx.settings()
    if st is not None:
        folders["documents"] = st.folders.documents_root_path()
    worst = Status.PASS
    parts = []
    parts_ja = []
    names_ja = {"data": "データ", "logs": "ログ", "documents": "書類"}
    data: dict[str, int] = {}
    for label, folder in folders.items():
        try:
            free = shutil.disk_usage(_existing(folder)).free
        except OSError as e:
            parts.append(f"{label}: {type(e).__name__}")
            parts_ja.append(f"{names_ja[label]}: 確認できません（{type(e).__name__}）")
            worst = Status.FAIL
            continue
        data[label] = free
        parts.append(f"{label} {folder}: {free / 1024**3:.1f} GiB free")
        parts_ja.append(f"{names_ja[label]} {folder}: 空き {free / 1024**3:.1f} GB")
        if free < DISK_FAIL_BYTES:
            worst = Status.FAIL
        elif free < DISK_WARN_BYTES and worst is Status.PASS:
            worst = Status.WARN
    hint = ("不要なファイルを削除するか、設定 [folders] documents_root で空きのあるドライブを指定してください。",
            "Free some space, or point [folders] documents_root at a drive with room.")
    return _r("disk", worst, T_DISK, ("、".join(parts_ja), "; ".join(parts)),
              hint if worst is not Status.PASS else ("", ""), free=data)


# --------------------------------------------------------------------------- keyring

T_KEYRING = ("資格情報の保存先（Windows 資格情報マネージャー）", "Credential store (Windows Credential Manager)")
_INSECURE = ("PlaintextKeyring", "fail.Keyring", "null.Keyring", "chainer.ChainerBackend")


def check_keyring(ctx: DoctorContext) -> CheckResult:
    import keyring

    from denshi_client.redact import register_secret
    from denshi_client.store.secrets import backend_name

    name = backend_name()
    user = f"probe-{secrets.token_hex(4)}"
    value = f"doctor-{secrets.token_urlsafe(12)}"
    register_secret(value)
    hint = ("Windows の資格情報マネージャーが使えるか、ウイルス対策ソフトやグループポリシーが制限していないかを"
            "ご確認ください。", "Check that Windows Credential Manager is available and not blocked by policy.")
    try:
        keyring.set_password(KEYRING_PROBE_SERVICE, user, value)
        back = keyring.get_password(KEYRING_PROBE_SERVICE, user)
        keyring.delete_password(KEYRING_PROBE_SERVICE, user)
        gone = keyring.get_password(KEYRING_PROBE_SERVICE, user)
    except Exception as e:  # any backend failure is the answer, not a crash
        return _r("keyring", Status.FAIL, T_KEYRING, f"{name}: {type(e).__name__}", hint, backend=name)
    if back != value or gone is not None:
        return _r("keyring",
                  Status.FAIL, T_KEYRING, (f"{name}: 書き込み・読み出し・削除の確認に失敗",
                                           f"{name}: write/read/delete probe did not round-trip"), hint,
                  backend=name)
    if any(s in name for s in _INSECURE):
        return _r("keyring",
                  Status.WARN, T_KEYRING, (f"{name}: 使えますが暗号化されません",
                                           f"{name}: works, but stores secrets unencrypted"),
                  ("パスワードが暗号化されずに保存されます。Windows では資格情報マネージャーが使われます。",
                   "Secrets are stored unencrypted; on Windows the Credential Manager is used."), backend=name)
    return _r("keyring",
              Status.PASS, T_KEYRING, (f"{name}: 書き込み・読み出し・削除とも正常",
                                       f"{name}: write/read/delete ok"), backend=name)


# --------------------------------------------------------------------------- the embedded page's engine

T_WEBENGINE = ("アプリ内ページの表示エンジン（Qt WebEngine / Chromium）",
               "Embedded page engine (Qt WebEngine / Chromium)")
MIN_CHROMIUM = 106  # the fund supports Chrome / Edge 106 or later (ui/web_visit.py checks the same)
WEBENGINE_TIMEOUT_S = 30.0
WEBENGINE_FLAG = "--webengine-version"
_WEBENGINE_SNIPPET = ("from PySide6.QtWebEngineCore import qWebEngineChromiumVersion; "
                      "print(qWebEngineChromiumVersion())")
H_WEBENGINE_MISSING = ("ブラウザーモードでは、基金のページをシステムのブラウザー（Chrome / Edge）で開きます。"
                       "アプリ内で表示するには、アプリを再インストールしてください。",
                       "Browser mode opens the fund's page in the system browser (Chrome / Edge) instead; "
                       "reinstall the app to show it inside the app.")
H_WEBENGINE_OLD = (f"基金のページには Chromium {MIN_CHROMIUM} 以降が必要です。最新版のアプリをインストールするか、"
                   "設定 [browser] embedded = false でシステムのブラウザー（Chrome / Edge）をお使いください。",
                   f"The fund's page needs Chromium {MIN_CHROMIUM} or later: install the current app, or set "
                   "[browser] embedded = false to use the system browser (Chrome / Edge).")


def webengine_probe_argv(*, frozen: bool | None = None, executable: str | None = None) -> list[str]:
    """The child that reports the engine's version: Qt must not load in this (core) process, and a broken
    engine must not take doctor down with it. Frozen: the app's own console executable and its flag."""
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    exe = executable or sys.executable
    if not frozen:
        return [exe, "-c", _WEBENGINE_SNIPPET]
    cli = Path(exe).with_name("denshi-client.exe" if exe.lower().endswith(".exe") or sys.platform == "win32"
                              else "denshi-client")
    return [str(cli) if cli.is_file() else exe, WEBENGINE_FLAG]  # a windowed exe has no stdout


def _run_webengine_probe(argv: list[str], timeout: float) -> tuple[int, str, str]:
    """Output into files, not pipes: a helper the child leaves behind (a crash handler, Chromium's own
    process) can hold a pipe open, and reading it after the timeout would hang doctor (seen under wine)."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        try:
            code = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            raise
        out.seek(0)
        err.seek(0)
        return code, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")


def check_webengine(ctx: DoctorContext) -> CheckResult:
    probe = ctx.webengine_probe or _run_webengine_probe
    argv = webengine_probe_argv()
    why: tuple[str, str]
    try:
        code, out, err = probe(argv, WEBENGINE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        why = (f"{WEBENGINE_TIMEOUT_S:g} 秒以内に応答がありません", f"no answer within {WEBENGINE_TIMEOUT_S:g} s")
    except OSError as e:
        why = (f"起動できません（{type(e).__name__}）", f"cannot start: {type(e).__name__}")
    else:
        m = re.search(r"^(\d+)\.[\d.]+$", out.strip(), re.M) if code == 0 else None
        if m is not None:
            version, major = m.group(0), int(m.group(1))
            if major < MIN_CHROMIUM:
                return _r("webengine", Status.FAIL, T_WEBENGINE,
                          (f"Chromium {version}（{MIN_CHROMIUM} 以降が必要）",
                           f"Chromium {version} (needs {MIN_CHROMIUM} or later)"), H_WEBENGINE_OLD,
                          version=version, major=major)
            return _r("webengine", Status.PASS, T_WEBENGINE, (f"Chromium {version}", f"Chromium {version}"),
                      version=version, major=major)
        last = (err.strip().splitlines() or [f"exit {code}"])[-1][:200]
        why = (f"使用できません（{redact(last)}）", f"not available: {redact(last)}")
    return _r("webengine", Status.WARN, T_WEBENGINE, why, H_WEBENGINE_MISSING)


# --------------------------------------------------------------------------- running them

CHECKS: list[tuple[str, Callable[[DoctorContext], CheckResult]]] = [
    ("vpncmd", check_vpncmd),
    ("vpn_service", check_service),
    ("vpn_adapter", check_adapter),
    ("vpn_accounts", check_accounts),
    ("policy", check_policy),
    ("reachability", check_reachability),
    ("clock", check_clock),
    ("disk", check_disk),
    ("keyring", check_keyring),
    ("webengine", check_webengine),
]
TITLES: dict[str, tuple[str, str]] = {
    "vpncmd": T_VPNCMD, "vpn_service": T_SERVICE, "vpn_adapter": T_ADAPTER, "vpn_accounts": T_ACCOUNTS,
    "policy": T_POLICY, "reachability": T_REACH, "clock": T_CLOCK, "disk": T_DISK, "keyring": T_KEYRING,
    "webengine": T_WEBENGINE,
}


def run_checks(ctx: DoctorContext | None = None, *, only: Sequence[str] | None = None,
               progress: Callable[[int, int], None] | None = None, cancel: Any = None) -> list[CheckResult]:
    ctx = ctx or DoctorContext()
    todo = [(i, f) for i, f in CHECKS if not only or i in only]
    out: list[CheckResult] = []
    for n, (cid, fn) in enumerate(todo):
        if cancel is not None and getattr(cancel, "cancelled", False):
            break
        try:
            out.append(fn(ctx))
        except Exception as e:  # a bug in one check is reported as that check failing
            t = TITLES[cid]
            out.append(_r(cid, Status.FAIL, t, f"internal error: {type(e).__name__}: {redact(str(e))}"))
        if progress:
            progress(n + 1, len(todo))
    return out


def any_failed(results: Sequence[CheckResult]) -> bool:
    return any(r.status is Status.FAIL for r in results)


_MARK = {Status.PASS: "OK  ", Status.WARN: "WARN", Status.FAIL: "NG  ", Status.SKIP: "--  "}


def format_text(results: Sequence[CheckResult], lang: str | None = None) -> str:
    lang = lang or i18n.language()
    lines = [f"denshi-client {__version__} doctor ({sys.platform}, Python {sys.version.split()[0]})"]
    for r in results:
        lines.append(f"[{_MARK[r.status]}] {r.title(lang)}: {redact(r.detail_text(lang))}")
        if r.hint(lang) and r.status is not Status.PASS:
            lines.append(f"       {i18n.pick('対処', 'Fix', lang)}: {r.hint(lang)}")
    n_fail = sum(r.status is Status.FAIL for r in results)
    n_warn = sum(r.status is Status.WARN for r in results)
    lines.append(i18n.pick(f"結果: 問題 {n_fail} 件、注意 {n_warn} 件", f"Result: {n_fail} failed, {n_warn} warnings",
                           lang))
    return "\n".join(lines) + "\n"


def to_json(results: Sequence[CheckResult]) -> dict[str, Any]:
    return {"ok": not any_failed(results), "version": __version__, "platform": sys.platform,
            "checks": [r.to_dict() for r in results]}

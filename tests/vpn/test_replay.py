"""Replay tests: the driver on real vpncmd output recorded in English and Japanese (tests/vpn/record.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import ClassVar

import pytest

from denshi_client.clock import FakeClock
from denshi_client.vpn import errors as E
from denshi_client.vpn.clientlog import ClientLog, parse_line
from denshi_client.vpn.model import ConnState, EndReason, VpnEvent
from denshi_client.vpn.monitor import VpnMonitor
from denshi_client.vpn.softether import SoftEtherDriver
from denshi_client.vpn.vpncmd import RunResult, parse_account_status, parse_csv, parse_vpncmd_datetime

REC = Path(__file__).resolve().parent / "recorded"
LANGS = ["en", "ja"]


def recorded(lang: str, name: str) -> RunResult:
    text = (REC / lang / f"{name}.txt").read_text(encoding="utf-8")
    head, _, body = text.partition("\n")
    assert head.startswith("# exit: ")
    return RunResult(int(head.removeprefix("# exit: ")), body.encode("utf-8"))


class ReplayRunner:
    """Answers each vpncmd call from the script [(command, recording), ...], in order.

    Every test's script must be used up (checked after each test): a driver that skips a call it should
    make (a do-nothing disconnect) fails, as does one that makes a call it should not.
    """

    made: ClassVar[list[ReplayRunner]] = []

    def __init__(self, lang: str, script: Sequence[tuple[str, str]]) -> None:
        self.lang = lang
        self.script = list(script)
        self.calls: list[list[str]] = []
        ReplayRunner.made.append(self)

    def __call__(self, argv: Sequence[str], timeout: float) -> RunResult:
        self.calls.append(list(argv))
        assert argv[1:5] == ["localhost", "/CLIENT", "/PROGRAMMING", "/CSV"]
        if argv[5].startswith("/IN:"):
            return RunResult(0, b"")
        assert argv[5] == "/CMD"
        assert self.script, f"unexpected call {argv[6:]}"
        cmd, name = self.script.pop(0)
        assert argv[6] == cmd, f"expected {cmd}, got {argv[6:]}"
        if name == "ok":
            return RunResult(0, b'Connected to VPN Client "localhost".\n\n')
        return recorded(self.lang, name)


@pytest.fixture(autouse=True)
def _every_scripted_call_used() -> Iterator[None]:
    ReplayRunner.made.clear()
    yield
    left = [r.script for r in ReplayRunner.made if r.script]
    ReplayRunner.made.clear()
    assert not left, f"scripted vpncmd calls never made: {left}"


def make_driver(lang: str, script: Sequence[tuple[str, str]], tmp_path: Path,
                at: str = "2026-11-27T10:34:40") -> tuple[SoftEtherDriver, ReplayRunner, FakeClock]:
    logdir = tmp_path / "client_log"
    logdir.mkdir(exist_ok=True)
    shutil.copy(REC / lang / "client_log.txt", logdir / "client_20261127.log")
    clock = FakeClock(datetime.fromisoformat(at).astimezone())
    runner = ReplayRunner(lang, script)
    drv = SoftEtherDriver("vpncmd", runner=runner, clock=clock, client_log_dir=logdir, sleep=lambda s: None)
    return drv, runner, clock


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("rec", "expected"), [
    ("account_list_empty", []),
    ("account_list_offline", [("fund", ConnState.OFFLINE, "VPN")]),
    ("account_list_connected", [("fund", ConnState.CONNECTED, "VPN")]),
    ("account_list_connecting", [("fund", ConnState.CONNECTING, "VPN")]),
    ("account_list_two", [("cut", ConnState.OFFLINE, "VPN2"), ("fund", ConnState.OFFLINE, "VPN")]),
])
def test_account_list(lang: str, rec: str, expected: list[tuple[str, ConnState, str]], tmp_path: Path) -> None:
    drv, _, _ = make_driver(lang, [("AccountList", rec)], tmp_path)
    accs = drv.list_accounts()
    assert [(a.name, a.state, a.nic) for a in accs] == expected
    assert all(a.server == "127.0.0.1:15555" and a.hub == "VPN" for a in accs)


@pytest.mark.parametrize("lang", LANGS)
def test_status_connected_with_established_since(lang: str, tmp_path: Path) -> None:
    drv, _, _ = make_driver(lang, [("AccountStatusGet", "account_status_connected")], tmp_path)
    st = drv.status("fund")
    assert st.state is ConnState.CONNECTED and st.server == "127.0.0.1"
    assert st.established_since is not None and st.established_since.tzinfo is not None
    assert st.established_since.date().isoformat() == "2026-11-27"
    rows = dict(r[:2] for r in parse_csv(recorded(lang, "account_status_connected").stdout.decode()))
    key = "Current Session has been Established since" if lang == "en" else "現在のセッションの確立時刻"
    assert parse_vpncmd_datetime(rows[key]) == st.established_since


@pytest.mark.parametrize("lang", LANGS)
def test_status_falls_back_to_position_when_names_are_unknown(lang: str) -> None:
    text = recorded(lang, "account_status_connected").stdout.decode()
    lines = text.splitlines()
    # rename every item: as if a future version reworded them
    renamed = "\n".join(lines[:3] + [f"item{i}," + ln.split(",", 1)[1] for i, ln in enumerate(lines[3:])])
    s = parse_account_status(renamed)
    assert s.state is ConnState.CONNECTED and s.established_since == parse_account_status(text).established_since


@pytest.mark.parametrize("lang", LANGS)
def test_status_retrying_offline_and_missing(lang: str, tmp_path: Path) -> None:
    drv, _, _ = make_driver(lang, [("AccountStatusGet", "account_status_retrying"),
                                   ("AccountStatusGet", "account_status_not_connected"),
                                   ("AccountStatusGet", "account_status_no_such")], tmp_path)
    st = drv.status("fund")
    assert st.state is ConnState.CONNECTING and st.established_since is None
    assert parse_account_status(recorded(lang, "account_status_retrying").stdout.decode()).retrying
    assert drv.status("fund").state is ConnState.OFFLINE
    with pytest.raises(E.VpnAccountNotFound):
        drv.status("nosuch")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("cmd", "rec", "exc"), [
    ("AccountConnect", "account_connect_already", E.VpnAlreadyConnected),
    ("AccountConnect", "account_connect_nic_in_use", E.VpnAdapterInUse),
    ("AccountConnect", "account_connect_no_such", E.VpnAccountNotFound),
    ("AccountList", "service_not_running", E.VpnServiceNotRunning),
])
def test_error_exit_codes(lang: str, cmd: str, rec: str, exc: type[Exception], tmp_path: Path) -> None:
    drv, _, _ = make_driver(lang, [(cmd, rec)], tmp_path)
    with pytest.raises(exc) as ei:
        drv.connect("fund") if cmd == "AccountConnect" else drv.list_accounts()
    err = ei.value
    assert err.ja and err.en and err.ja != err.en  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", LANGS)
def test_bad_parameter_and_exists(lang: str, tmp_path: Path) -> None:
    drv, _, _ = make_driver(lang, [("AccountRetrySet", "account_retryset_bad_interval")], tmp_path)
    with pytest.raises(E.VpnBadParameter):
        drv.apply_safety_settings("fund")
    assert recorded(lang, "account_create_exists").code == E.ERR_ACCOUNT_ALREADY_EXISTS
    assert isinstance(E.from_exit_code(recorded(lang, "account_create_exists").code, "fund"), E.VpnAccountExists)
    assert recorded(lang, "account_import_slash_path").code == E.ERR_INVALID_PARAMETER


@pytest.mark.parametrize("lang", LANGS)
def test_disconnect_is_idempotent(lang: str, tmp_path: Path) -> None:
    drv, runner, _ = make_driver(lang, [("AccountDisconnect", "account_disconnect"),
                                        ("AccountDisconnect", "account_disconnect_not_connected")], tmp_path)
    drv.disconnect("fund")
    assert len(runner.script) == 1  # the first call really asked vpncmd to disconnect
    drv.disconnect("fund")  # "not connected" is not an error
    assert runner.script == []


@pytest.mark.parametrize("lang", LANGS)
def test_connect_success(lang: str, tmp_path: Path) -> None:
    drv, runner, _ = make_driver(lang, [("AccountConnect", "account_connect"),
                                        ("AccountStatusGet", "account_status_connected")], tmp_path)
    st = drv.connect("fund", timeout=5)
    assert st.state is ConnState.CONNECTED and st.established_since is not None
    assert [c[6] for c in runner.calls] == ["AccountConnect", "AccountStatusGet"]


@pytest.mark.parametrize("lang", LANGS)
def test_connect_wrong_password_reads_cause_from_log_and_disconnects(lang: str, tmp_path: Path) -> None:
    # the recorded wrong-password attempt was at 10:34:05 (en) / 10:34:26 (ja)
    at = "2026-11-27T10:34:05" if lang == "en" else "2026-11-27T10:34:26"
    drv, runner, _ = make_driver(lang, [("AccountConnect", "account_connect"),
                                        ("AccountStatusGet", "account_status_retrying"),
                                        ("AccountDisconnect", "account_disconnect")], tmp_path, at=at)
    with pytest.raises(E.VpnAuthFailed):
        drv.connect("fund", timeout=5)
    assert runner.calls[-1][6:] == ["AccountDisconnect", "fund"]  # not left retrying
    end = drv.last_end("fund")
    assert end is not None and end.code == 9 and end.reason is EndReason.AUTH_FAILED


@pytest.mark.parametrize("lang", LANGS)
def test_monitor_on_recorded_cut(lang: str, tmp_path: Path) -> None:
    at = "2026-11-27T10:34:07" if lang == "en" else "2026-11-27T10:34:28"
    drv, _, clock = make_driver(lang, [("AccountStatusGet", "account_status_connected")] * 2
                                + [("AccountStatusGet", "account_status_after_cut")] * 2, tmp_path, at=at)
    mon = VpnMonitor(drv, "cut", clock)
    got: list[VpnEvent] = []
    mon.add_listener(got.append)
    for _ in range(4):
        mon.poll()
    assert [e.kind for e in got] == ["connected", "disconnected"]
    assert got[1].reason is EndReason.SESSION_LIMIT
    assert "126" not in got[1].detail and got[1].detail  # the log's own words


@pytest.mark.parametrize("lang", LANGS)
def test_client_log_causes(lang: str, tmp_path: Path) -> None:
    shutil.copy(REC / lang / "client_log.txt", tmp_path / "client_20261127.log")
    log = ClientLog(tmp_path)
    now = datetime(2026, 11, 27, 12, 0).astimezone()
    assert [c.code for c in log.causes("fund", now=now)] == [6, 9]
    cut = log.last_cause("cut", now=now)
    assert cut is not None and cut.code == 126
    assert log.causes("fund", since=datetime(2026, 11, 27, 11, 0).astimezone(), now=now) == []
    assert ClientLog(None).causes("fund") == []


def test_log_line_forms() -> None:
    en = ('2026-11-27 09:45:40.123 VPN Connection Setting "a b": The connection has been either disconnected '
          'or it failed. Cause: Connection to the server failed. Check network connection. (code 1)')
    ja = ('2026-11-27 09:45:40.123 接続設定 "社内": 接続が切断されたか、接続に失敗しました。'
          '理由: タイムアウト (コード 13)')
    c1, c2 = parse_line(en), parse_line(ja)
    assert c1 is not None and (c1.account, c1.code) == ("a b", 1) and c1.cause.startswith("Connection to the")
    assert c2 is not None and (c2.account, c2.code, c2.cause) == ("社内", 13, "タイムアウト")
    assert parse_line("2026-11-27 09:45:40.123 Now connected.") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-27 (Fri) 09:34:40", (2026, 11, 27, 9, 34, 40)),
    ("2026年11月27日(金)  9時38分39秒", (2026, 11, 27, 9, 38, 39)),
    ("2026年1月2日(金) 10時04分09秒", (2026, 1, 2, 10, 4, 9)),
    ("-", None), ("－", None), ("", None),
])
def test_dates(text: str, expected: tuple[int, ...] | None) -> None:
    d = parse_vpncmd_datetime(text)
    if expected is None:
        assert d is None
    else:
        assert d is not None and d.tzinfo is not None
        assert (d.year, d.month, d.day, d.hour, d.minute, d.second) == expected


def test_csv_quoting_and_banner_forms() -> None:
    en = recorded("en", "account_status_connected").stdout.decode()
    rows = dict(r[:2] for r in parse_csv(en))
    assert rows["Outgoing Data Size"].endswith("bytes")
    assert parse_csv('VPN Client "localhost" に接続しました。\n\n項目,値\n"a,b","c ""d"""\n') == [
        ["項目", "値"], ["a,b", 'c "d"']]


def test_recordings_hold_no_secret() -> None:
    from tests.vpn.lab import SECRETS

    for p in REC.rglob("*.txt"):
        text = p.read_text(encoding="utf-8")
        assert not any(s in text for s in SECRETS), p

"""A real SoftEther VPN Server + Client on loopback, in private namespaces (needs root).

Python port of notes/softether-lab.sh: a holder process owns a network namespace
with only `lo` (nothing can leave the host) and a mount namespace where this
lab's own folders are bind-mounted over the paths compiled into the Debian build.
Every command then runs through `nsenter -t HOLDER -n -m --`. The server config
is seeded before the first start: DDNS, keep-alive, NAT-T, VPN Azure and JSON-RPC
off, one listener on 127.0.0.1. No admin password and all secret-carrying setup
goes through `/IN:` batch files, so no password ever appears in a process list.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

PORT = 15555
HUB = "VPN"
USER = "alice"
USER_PW = "alice-Lab-pw-7391"   # test-only secrets; the cmdline sampler looks for them
HUB_PW = "hub-Lab-pw-5526"
CUT_USER = "carol"              # has a short AutoDisconnect policy
CUT_PW = "carol-Lab-pw-2288"
SPACE_USER = "dave"             # a password with spaces, symbols and Japanese: tests the /IN: quoting
SPACE_PW = "p@ss word #1 & 日本語 'q'"
SECRETS = (USER_PW, HUB_PW, CUT_PW, SPACE_PW)
SOFTETHER_DIRS = ("/var/lib/softether", "/run/softether", "/var/log/softether")


def lab_available() -> tuple[bool, str]:
    if os.name != "posix" or os.geteuid() != 0:
        return False, "the SoftEther lab needs root (network namespaces)"
    for tool in ("vpncmd", "vpnserver", "vpnclient", "unshare", "nsenter", "ip"):
        if not shutil.which(tool):
            return False, f"{tool} is not installed"
    if not Path("/dev/net/tun").exists():
        return False, "/dev/net/tun is missing"
    return True, ""


class LabError(RuntimeError):
    pass


class SoftEtherLab:
    def __init__(self, name: str = "pytest", lang: str = "en", cut_seconds: int = 5,
                 base: Path | None = None) -> None:
        self.name = name
        self.lang = lang
        self.cut_seconds = cut_seconds
        self.dir = Path(tempfile.mkdtemp(prefix=f"selab-{name}-", dir=base))
        self.holder: subprocess.Popen[bytes] | None = None
        self.vpn_file = self.dir / "files" / "fund.vpn"
        self.cut_vpn_file = self.dir / "files" / "cut.vpn"

    # ----- plumbing ---------------------------------------------------------------------
    @property
    def prefix(self) -> list[str]:
        assert self.holder is not None
        return ["nsenter", "-t", str(self.holder.pid), "-n", "-m", "--"]

    @property
    def client_log_dir(self) -> Path:
        return self.dir / "log" / "client_log"

    def ns(self, *argv: str, timeout: float = 30, check: bool = False) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
        r = subprocess.run([*self.prefix, *argv], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           encoding="utf-8", errors="replace", timeout=timeout, env=env)
        if check and r.returncode:
            raise LabError(f"{argv[:4]} -> {r.returncode}: {r.stdout[-500:]} {r.stderr[-300:]}")
        return r

    def vs(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.ns("vpncmd", f"127.0.0.1:{PORT}", "/SERVER", "/PROGRAMMING", "/CSV", *args, check=check)

    def vc(self, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        return self.ns("vpncmd", "localhost", "/CLIENT", "/PROGRAMMING", "/CSV", *args, check=check)

    def _batch(self, target: Sequence[str], lines: Sequence[str]) -> None:
        """Commands with secrets: a 0600 /IN: file, output (it echoes them) dropped."""
        path = self.dir / "secret.in"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        try:
            r = self.ns("vpncmd", *target, "/PROGRAMMING", f"/IN:{path}")
            if r.returncode:
                raise LabError(f"batch on {target} failed with exit {r.returncode}")
        finally:
            path.unlink(missing_ok=True)

    def _wait(self, what: str, probe: Sequence[str], tries: int = 60) -> None:
        for _ in range(tries):
            if self.ns(*probe, timeout=10).returncode == 0:
                return
            time.sleep(0.2)
        raise LabError(f"{what} did not come up")

    def write_lang(self, lang: str) -> None:
        """vpncmd reads lang.config at every start; the daemons only at theirs."""
        self.lang = lang
        (self.dir / "db" / "lang.config").write_bytes(b"\xef\xbb\xbf# seeded by tests/vpn/lab.py\r\n"
                                                      + lang.encode() + b"\r\n")

    # ----- life cycle --------------------------------------------------------------------------
    @classmethod
    def reap_stale(cls, base: Path | None = None) -> int:
        """Stop labs left by a killed run (their owner process is gone); never touch a live run's lab."""
        reaped = 0
        for d in Path(base or tempfile.gettempdir()).glob("selab-*"):
            try:
                owner = int((d / "owner.pid").read_text())
                holder = int((d / "holder.pid").read_text())
            except (OSError, ValueError):
                continue
            if Path(f"/proc/{owner}").exists():
                continue
            stale = cls.__new__(cls)
            stale.dir, stale.name = d, d.name
            stale.holder = None
            with contextlib.suppress(OSError):
                if Path(f"/proc/{holder}/cmdline").read_bytes().startswith(b"sleep\0infinity"):
                    stale._stop_holder_pid(holder)
            shutil.rmtree(d, ignore_errors=True)
            reaped += 1
        return reaped

    def _stop_holder_pid(self, pid: int) -> None:
        pre = ["nsenter", "-t", str(pid), "-n", "-m", "--"]
        for daemon in ("vpnclient", "vpnserver"):
            with contextlib.suppress(Exception):
                subprocess.run([*pre, daemon, "stop"], capture_output=True, timeout=15)
        netns = os.readlink(f"/proc/{pid}/ns/net")
        for f in (self.dir / "run").glob(".pid_*"):
            with contextlib.suppress(OSError, ValueError):
                p = int(f.read_text().strip())
                if os.readlink(f"/proc/{p}/ns/net") == netns:
                    os.kill(p, signal.SIGTERM)
        os.kill(pid, signal.SIGTERM)

    def start(self) -> SoftEtherLab:
        self.reap_stale(self.dir.parent)
        (self.dir / "owner.pid").write_text(str(os.getpid()))
        for sub in ("db", "run", "log", "files"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        for d in SOFTETHER_DIRS:
            Path(d).mkdir(parents=True, exist_ok=True)
        ready = self.dir / "ready"
        script = (
            "set -e; ip link set lo up; "
            f"mount --bind '{self.dir}/db' /var/lib/softether; "
            f"mount --bind '{self.dir}/run' /run/softether; "
            f"mount --bind '{self.dir}/log' /var/log/softether; "
            f"touch '{ready}'; exec sleep infinity"
        )
        self.holder = subprocess.Popen(["unshare", "-n", "-m", "--propagation", "private", "--", "bash", "-c", script],
                                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        (self.dir / "holder.pid").write_text(str(self.holder.pid))
        for _ in range(100):
            if ready.exists():
                break
            if self.holder.poll() is not None:
                raise LabError("namespace holder exited")
            time.sleep(0.05)
        else:
            raise LabError("namespace setup timed out")
        self.write_lang(self.lang)
        (self.dir / "db" / "vpn_server.config").write_text(_SERVER_SEED.replace("@PORT@", str(PORT)), encoding="utf-8")
        self.start_server()
        self._batch([f"127.0.0.1:{PORT}", "/SERVER"], [
            f"HubCreate {HUB} /PASSWORD:{HUB_PW}",
            f"Hub {HUB}",
            f"UserCreate {USER} /GROUP:none /REALNAME:none /NOTE:none",
            f"UserPasswordSet {USER} /PASSWORD:{USER_PW}",
            f"UserCreate {CUT_USER} /GROUP:none /REALNAME:none /NOTE:none",
            f"UserPasswordSet {CUT_USER} /PASSWORD:{CUT_PW}",
            f"UserPolicySet {CUT_USER} /NAME:AutoDisconnect /VALUE:{self.cut_seconds}",
            f"UserCreate {SPACE_USER} /GROUP:none /REALNAME:none /NOTE:none",
            f'UserPasswordSet {SPACE_USER} /PASSWORD:"{SPACE_PW}"',
        ])
        self.start_client()
        self.vc("/CMD", "NicCreate", "VPN", check=True)
        self.vc("/CMD", "NicCreate", "VPN2", check=True)
        self._export_vpn("tmpl-fund", USER, "VPN", self.vpn_file)
        self._export_vpn("tmpl-cut", CUT_USER, "VPN2", self.cut_vpn_file)
        return self

    def _export_vpn(self, acct: str, user: str, nic: str, dest: Path) -> None:
        """A real `.vpn` as the fund would send it (without a password hash)."""
        self.vc("/CMD", "AccountCreate", acct, f"/SERVER:127.0.0.1:{PORT}", f"/HUB:{HUB}", f"/USERNAME:{user}",
                f"/NICNAME:{nic}", check=True)
        tmp = self.dir / "files" / "export.vpn"
        self.vc("/CMD", "AccountExport", acct, "/SAVEPATH:" + str(tmp).replace("/", "\\"), check=True)
        self.vc("/CMD", "AccountDelete", acct, check=True)
        tmp.replace(dest)
        os.chmod(dest, 0o600)

    def start_server(self) -> None:
        self.ns("vpnserver", "start")
        self._wait("vpnserver", ["vpncmd", f"127.0.0.1:{PORT}", "/SERVER", "/PROGRAMMING", "/CSV", "/CMD",
                                 "ServerInfoGet"])

    def stop_server(self) -> None:
        self.ns("vpnserver", "stop")
        self._kill_pidfiles("vpnserver")

    def start_client(self) -> None:
        self.ns("vpnclient", "start")  # ONCE: a second start breaks "stop" (notes §1)
        self._wait("vpnclient", ["vpncmd", "localhost", "/CLIENT", "/PROGRAMMING", "/CSV", "/CMD", "VersionGet"])

    def stop_client(self) -> None:
        self.ns("vpnclient", "stop")
        self._kill_pidfiles("vpnclient")

    def restart_client(self, lang: str | None = None) -> None:
        self.stop_client()
        if lang:
            self.write_lang(lang)
        self.start_client()

    def _kill_pidfiles(self, which: str | None = None) -> None:
        """Fallback when `stop` did not stop: SIGTERM the pids in our pid files, only in our netns."""
        if self.holder is None:
            return
        try:
            netns = os.readlink(f"/proc/{self.holder.pid}/ns/net")
        except OSError:
            return
        for f in (self.dir / "run").glob(".pid_*"):
            with contextlib.suppress(OSError, ValueError):
                pid = int(f.read_text().strip())
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                if which and which not in cmd:
                    continue
                if os.readlink(f"/proc/{pid}/ns/net") == netns:
                    for _ in range(30):
                        os.kill(pid, signal.SIGTERM)
                        time.sleep(0.1)
                        if not Path(f"/proc/{pid}").exists():
                            break

    def session_names(self) -> list[str]:
        r = self.vs("/ADMINHUB:" + HUB, "/CMD", "SessionList", check=False)
        return [line.split(",")[0] for line in r.stdout.splitlines() if line.startswith("SID-")]

    def kick_all(self) -> None:
        for sid in self.session_names():
            self.vs("/ADMINHUB:" + HUB, "/CMD", "SessionDisconnect", sid, check=False)

    def stop(self) -> None:
        """Always safe to call: daemons, then the holder (by pid), then the folder."""
        if self.holder is not None and self.holder.poll() is None:
            with contextlib.suppress(Exception):
                self.ns("vpnclient", "stop", timeout=15)
            with contextlib.suppress(Exception):
                self.ns("vpnserver", "stop", timeout=15)
            with contextlib.suppress(Exception):
                self._kill_pidfiles()
            self.holder.terminate()
            try:
                self.holder.wait(5)
            except subprocess.TimeoutExpired:
                self.holder.kill()
                self.holder.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> SoftEtherLab:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()


_SERVER_SEED = """declare root
{
\tdeclare DDnsClient
\t{
\t\tbool Disabled true
\t}
\tdeclare ListenerList
\t{
\t\tdeclare Listener0
\t\t{
\t\t\tbool DisableDos false
\t\t\tbool Enabled true
\t\t\tuint Port @PORT@
\t\t}
\t}
\tdeclare ServerConfiguration
\t{
\t\tbool DisableNatTraversal true
\t\tbool DisableIPv6Listener true
\t\tbool DisableJsonRpcWebApi true
\t\tbool EnableVpnAzure false
\t\tbool UseKeepConnect false
\t\tstring ListenIP 127.0.0.1
\t\tstring PortsUDP $
\t}
}
"""

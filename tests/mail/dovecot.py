"""A private Dovecot on 127.0.0.1 for the mail tests and the benchmark.

Own config folder, own free ports, its own test CA and server certificate, one passwd-file user and a
Maildir. IMAPS and POP3S (implicit TLS) plus IMAP/POP3 on plain ports that require STARTTLS before login.
Dovecot refuses to run its login processes as root: as root they run as `dovenull`, the internal ones as
`dovecot`, and the mail user is `dovecot` too (it owns the Maildir). Mail is delivered the way an MDA
does: written into tmp/, then renamed into new/.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from denshi_client.portal.standin.tlsca import ensure_test_ca

USER = "keiri"
PASSWORD = "Test-Pass-0123"  # the test account of a throw-away server


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)


def _free_ports(n: int) -> list[int]:
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


@dataclass
class Dovecot:
    root: Path
    imap_port: int
    imaps_port: int
    pop3_port: int
    pop3s_port: int
    ca_cert: Path
    proc: subprocess.Popen[bytes] | None = None
    uid: int = -1
    gid: int = -1

    @property
    def maildir(self) -> Path:
        return self.root / "mail" / USER / "Maildir"

    @property
    def log(self) -> Path:
        return self.root / "dovecot.log"

    # ------------------------------------------------------------------ start/stop

    @classmethod
    def start(cls, binary: str) -> Dovecot:
        root = Path(tempfile.mkdtemp(prefix="denshi-dovecot-"))
        os.chmod(root, 0o755)  # the mail and login users must reach their folders
        tls = ensure_test_ca(root / "tls")
        os.chmod(root / "tls", 0o755)
        ports = _free_ports(4)
        d = cls(root, *ports, ca_cert=tls.ca_cert)
        if os.geteuid() == 0:
            pw = pwd.getpwnam("dovecot")
            login_user, internal_user, mail_user = "dovenull", "dovecot", "dovecot"
        else:  # an unprivileged run: every process is this user
            pw = pwd.getpwuid(os.geteuid())
            login_user = internal_user = mail_user = pw.pw_name
        d.uid, d.gid = pw.pw_uid, pw.pw_gid
        for sub in ("cur", "new", "tmp"):
            (d.maildir / sub).mkdir(parents=True, exist_ok=True)
        for p in [root / "mail", root / "mail" / USER, d.maildir, *(d.maildir / s for s in ("cur", "new", "tmp"))]:
            os.chown(p, d.uid, d.gid)
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n", encoding="utf-8")
        os.chmod(root / "passwd", 0o644)
        conf = root / "dovecot.conf"
        conf.write_text(f"""
base_dir = {root}/run
state_dir = {root}/state
instance_name = denshi-test-{os.getpid()}-{ports[0]}
log_path = {d.log}
protocols = imap pop3
listen = 127.0.0.1
ssl = required
ssl_cert = <{tls.server_cert}
ssl_key = <{tls.server_key}
ssl_dh = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
mail_uid = {mail_user}
mail_gid = {pw.pw_gid}
first_valid_uid = {min(pw.pw_uid, 500)}
first_valid_gid = {min(pw.pw_gid, 500)}
mail_location = maildir:{root}/mail/%n/Maildir
mailbox_idle_check_interval = 1 secs
pop3_uidl_format = %08Xu%08Xv
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%n {root}/passwd
}}
userdb {{
  driver = static
  args = uid={pw.pw_uid} gid={pw.pw_gid} home={root}/mail/%n
}}
service imap-login {{
  inet_listener imap {{
    port = {d.imap_port}
  }}
  inet_listener imaps {{
    port = {d.imaps_port}
    ssl = yes
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = {d.pop3_port}
  }}
  inet_listener pop3s {{
    port = {d.pop3s_port}
    ssl = yes
  }}
}}
""", encoding="utf-8")
        d.proc = subprocess.Popen([binary, "-F", "-c", str(conf)], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        d._wait_ready()
        return d

    def _wait_ready(self, timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        pending = {self.imap_port, self.imaps_port, self.pop3_port, self.pop3s_port}
        while pending and time.monotonic() < end:
            if self.proc is not None and self.proc.poll() is not None:
                out = self.proc.stdout.read().decode(errors="replace") if self.proc.stdout else ""
                raise RuntimeError(f"dovecot exited ({self.proc.returncode}): {out}\n{self._log_tail()}")
            for port in list(pending):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        pending.discard(port)
                except OSError:
                    pass
            time.sleep(0.05)
        if pending:
            self.stop()
            raise RuntimeError(f"dovecot did not listen on {sorted(pending)}\n{self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None
        shutil.rmtree(self.root, ignore_errors=True)

    # ------------------------------------------------------------------ mailbox

    def deliver(self, raw: bytes, *, arrived: dt.datetime | None = None, name: str | None = None) -> Path:
        """Put one message into new/ (tmp/ then rename, as an MDA does); `arrived` sets its arrival time."""
        name = name or f"{time.time_ns()}.P{os.getpid()}R{os.urandom(4).hex()}.denshi-test"
        tmp = self.maildir / "tmp" / name
        tmp.write_bytes(raw)
        os.chown(tmp, self.uid, self.gid)
        if arrived is not None:
            ts = arrived.timestamp()
            os.utime(tmp, (ts, ts))
        dest = self.maildir / "new" / name
        os.rename(tmp, dest)
        return dest

    def clear(self) -> None:
        """Empty the mailbox (and Dovecot's index of it) between tests."""
        for sub in ("cur", "new", "tmp"):
            for p in (self.maildir / sub).iterdir():
                p.unlink()

    def message_files(self) -> list[Path]:
        return [p for sub in ("cur", "new") for p in (self.maildir / sub).iterdir()]

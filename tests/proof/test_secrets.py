"""Secrets: every log, settings/state file, history database and support bundle the suites produced, plus the
argv of every process seen during the real vpncmd runs and the CLI runs, searched for every secret used.

Secrets: the lab's VPN passwords, the establishments' ZIP passwords, the corpus password, every OTP and
session token the suites obtained (`conftest.remember`), and the ones this module uses for a CLI visit
(profile with ZIP password → OTP → login → inbox → download → upload → logout → support bundle).
Forms searched: plain UTF-8, UTF-16LE/BE, and base64 (standard and URL-safe, all three alignments).
The OS credential store (the keyring file) and the stand-in fund's own data are not app artefacts and are
not scanned. Runs last (conftest orders it), so the other suites' files are there.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.proof.conftest import SCAN_ROOTS, USED_SECRETS, Recorder, remember
from tests.proof.make_corpus import PASSWORD as CORPUS_PASSWORD

SUITE = "secrets"


def forms(secret: str) -> dict[str, re.Pattern[bytes]]:
    """Byte patterns for a secret as it could leak: plain, UTF-16, base64 at any alignment."""
    raw = secret.encode("utf-8")
    out: dict[str, re.Pattern[bytes]] = {}
    digits = secret.isdigit()
    if digits:  # an OTP: only as a whole number, never inside a longer one
        out["plain"] = re.compile(rb"(?<![0-9])" + re.escape(raw) + rb"(?![0-9])")
    else:
        out["plain"] = re.compile(re.escape(raw))
    out["utf-16le"] = re.compile(re.escape(secret.encode("utf-16-le")))
    out["utf-16be"] = re.compile(re.escape(secret.encode("utf-16-be")))
    if digits:
        return out
    for i in range(3):
        enc = base64.b64encode(b"\0" * i + raw + b"\0\0")
        n = len(raw)
        core = enc[-(-4 * i // 3):(4 * (i + n) - 3) // 3 + 1] if i else enc[:(4 * n - 3) // 3 + 1]
        if len(core) >= 6:
            out[f"base64@{i}"] = re.compile(re.escape(core))
            out[f"base64url@{i}"] = re.compile(re.escape(core.replace(b"+", b"-").replace(b"/", b"_")))
    return out


def _all_secrets() -> dict[str, str]:
    from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS
    from tests.vpn.lab import SECRETS as LAB

    named = {f"lab password {i + 1}": s for i, s in enumerate(LAB)}
    named.update({f"ZIP password {k}": v for k, v in DEMO_ZIP_PASSWORDS.items()})
    named["corpus ZIP password"] = CORPUS_PASSWORD
    for i, s in enumerate(sorted(USED_SECRETS)):
        if s not in named.values():
            kind = "OTP" if s.isdigit() else ("session token" if len(s) > 30 else "password")
            named[f"{kind} #{i + 1}"] = s
    return named


def _category(p: Path) -> str | None:
    n = p.name.lower()
    if "logs" in p.parts or n.endswith(".log") or re.search(r"\.log\.\d+$", n):
        return "log"
    if ".sqlite" in n or n.endswith((".db", "-wal", "-shm")):
        return "history database"
    if n.endswith(".zip") and "bundle" in n:
        return "support bundle"
    if n.endswith((".toml", ".json", ".ini", ".cfg", ".txt")):
        return "settings/state file"
    return None


def _files() -> Iterator[tuple[str, Path]]:
    seen: set[Path] = set()
    for root in SCAN_ROOTS:
        paths = [root] if root.is_file() else (root.rglob("*") if root.exists() else [])
        for p in paths:
            if p.is_file() and p not in seen:
                seen.add(p)
                cat = _category(p)
                if cat:
                    yield cat, p


@pytest.fixture(scope="module")
def cli_visit(proof_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A direct-mode visit through the real CLI in child processes, with its own secrets."""
    from denshi_client.clock import SystemClock
    from denshi_client.portal.standin import StandInService
    from denshi_client.portal.standin.pdfgen import make_pdf
    from tests.vpn.conftest import CmdlineSampler

    # A fresh app home each time: in a shuffled run pytest may set this module fixture up more than once.
    home = proof_home / f"cli-home-{secrets.token_hex(4)}"
    home.mkdir()
    zip_pw = "Zip-" + secrets.token_urlsafe(12)
    remember(zip_pw)
    work = tmp_path_factory.mktemp("cli-visit")
    # The keyring file stands for the OS credential store: outside the scanned app folders on purpose.
    env = {"DENSHI_CLIENT_HOME": str(home), "DENSHI_CLIENT_SITE_DIR": str(home / "site"),
           "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring", "XDG_DATA_HOME": str(work / "keyring")}
    steps: list[tuple[str, int, str]] = []
    with StandInService(work / "fund", SystemClock(), enforce_hours=False) as svc, \
            CmdlineSampler((*tuple(_all_secrets().values()), zip_pw)) as sampler:
        url = ["--base-url", svc.base_url]

        def run(name: str, *args: str, stdin: str | None = None) -> str:
            r = run_cli(*args, input=stdin, env=env, timeout=120)
            steps.append((name, r.returncode, (r.stderr[-300:] + r.stdout[-300:]) if r.returncode else ""))
            return r.stdout
        run("profile add", "profile", "add", "--establishment", "0123", "--name", "株式会社サンプル商事 本社",
            "--user-id", "demo", "--mode", "direct", "--use", "--zip-password-stdin", "--json", stdin=zip_pw + "\n")
        run("config set", "config", "set", "session.idle_minutes", "20")
        run("otp request", "portal", "otp-request", "--user", "demo", *url, "--json")
        otp = svc.latest_otp("demo") or ""
        sampler.add(otp)
        remember(otp)
        run("login", "portal", "login", "--user", "demo", "--otp-stdin", *url, "--json", stdin=otp + "\n")
        with svc._lock:  # the token the service issued (only the service and the keyring know it)
            tokens = list(svc._sessions)
        for t in tokens:
            sampler.add(t)
            remember(t)
        inbox = json.loads(run("inbox", "portal", "inbox", *url, "--json") or "{}")
        docs = inbox.get("documents", []) if isinstance(inbox, dict) else []
        if docs:
            run("download", "portal", "download", docs[0]["id"], "-d", str(work / "dl"), *url, "--json")
        pdf = work / "a.pdf"
        pdf.write_bytes(make_pdf("資格取得届", ["被保険者 山田 太郎"]))
        run("zip", "zip", "pack", str(pdf), "-o", str(work / "a.zip"), "--password-stdin", stdin=zip_pw + "\n")
        if (work / "a.zip").exists():
            run("upload", "portal", "upload", str(work / "a.zip"), "--form", "資格取得届", "--establishment", "0123",
                *url, "--json")
        run("logout", "portal", "logout", *url, "--json")
        run("support bundle", "doctor", "--bundle", str(home / "support-bundle.zip"), "--demo")
    # The history the app keeps of this visit (the GUI writes it; the portal CLI does not).
    from denshi_client.store.history import History

    with History(home / "data" / "history.sqlite3") as h:
        for name, code, _err in steps:
            h.record(establishment="0123", profile_id="e0123", direction="send" if name == "upload" else "receive",
                     file_name=f"{name}.pdf", mode="direct", result="ok" if code == 0 else "failed",
                     detail=f"CLI step {name}")
    SCAN_ROOTS.append(home)
    yield {"steps": steps, "sampler": sampler, "bundle": home / "support-bundle.zip"}


def test_cli_visit_ran(cli_visit: dict[str, object], proof: Recorder) -> None:
    steps = cli_visit["steps"]
    assert isinstance(steps, list)
    failed = [s for s in steps if s[1] != 0 and s[0] != "support bundle"]  # doctor exits 1 on a failed check
    proof.note(SUITE, "cli_steps", steps)
    bundle = cli_visit["bundle"]
    assert isinstance(bundle, Path) and bundle.exists(), steps
    assert not failed, failed


def test_no_secret_in_cli_argv(cli_visit: dict[str, object], proof: Recorder) -> None:
    s = cli_visit["sampler"]
    proof.add(SUITE, "argv of every process during the CLI visit (/proc/*/cmdline)",
              f"{s.samples} samples, {len(s.hits)} hits", not s.hits, where="process list",  # type: ignore[attr-defined]
              secrets=len(s.secrets), files=s.samples, hits=len(s.hits))  # type: ignore[attr-defined]
    assert not s.hits, s.hits[:3]  # type: ignore[attr-defined]


def scan(files: list[tuple[str, Path]], named: dict[str, str]) -> tuple[dict[str, dict[str, int]], list[str]]:
    patterns = {name: forms(s) for name, s in named.items()}
    by_cat: dict[str, dict[str, int]] = {}
    hits: list[str] = []
    for cat, path in files:
        blobs = [(str(path), path.read_bytes())]
        if cat == "support bundle":
            with zipfile.ZipFile(path) as z:
                blobs += [(f"{path}!{m}", z.read(m)) for m in z.namelist()]
        c = by_cat.setdefault(cat, {"files": 0, "bytes": 0, "hits": 0})
        c["files"] += 1
        for where, data in blobs:
            c["bytes"] += len(data)
            for name, pats in patterns.items():
                for form, pat in pats.items():
                    if pat.search(data):
                        c["hits"] += 1
                        hits.append(f"{name} ({form}) in {where}")
    return by_cat, hits


def test_scanner_finds_planted_secrets(tmp_path: Path) -> None:
    """Negative control: the scanner does see a secret in every form and every kind of file."""
    secret = "Planted-Secret-4242"
    payloads = {"plain": secret.encode(), "utf-16le": secret.encode("utf-16-le"),
                "utf-16be": secret.encode("utf-16-be")}
    for i in range(3):
        payloads[f"b64-{i}"] = b"x" + base64.b64encode(b"ab"[:i] + secret.encode() + b"yz")
    files: list[tuple[str, Path]] = []
    for form, data in payloads.items():
        p = tmp_path / "logs" / f"{form}.log"
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(b"2024-05-24 INFO something " + data + b" end\n")
        files.append(("log", p))
    z = tmp_path / "support-bundle.zip"
    with zipfile.ZipFile(z, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("logs/app.log", "token=" + secret)
    files.append(("support bundle", z))
    otp_file = tmp_path / "state.json"
    otp_file.write_text('{"otp": "493817", "size": 1493817}', encoding="utf-8")
    files.append(("settings/state file", otp_file))
    by_cat, hits = scan(files, {"planted": secret, "otp": "493817"})
    hit_files = {h.rsplit(" in ", 1)[1] for h in hits}
    assert {str(p) for _c, p in files if _c == "log"} <= hit_files, hits
    assert by_cat["support bundle"]["hits"] >= 1
    assert by_cat["settings/state file"]["hits"] == 1  # the OTP once, not inside 1493817


def test_no_secret_in_any_artefact(cli_visit: dict[str, object], proof: Recorder) -> None:
    named = _all_secrets()
    by_cat, hits = scan(list(_files()), named)
    for cat, c in sorted(by_cat.items()):
        proof.add(SUITE, f"{cat}s", f"{c['files']} files, {c['bytes'] // 1024} KiB, {c['hits']} hits", not c["hits"],
                  where=cat, secrets=len(named), files=c["files"], hits=c["hits"])
    proof.note(SUITE, "secrets", {"count": len(named), "kinds": sorted({n.split(" #")[0] for n in named}),
                                  "forms": ["plain", "utf-16le", "utf-16be", "base64 (3 alignments)",
                                            "base64url (3 alignments)"]})
    for must in ("log", "history database", "settings/state file", "support bundle"):
        assert must in by_cat, f"nothing of kind {must!r} was scanned: {sorted(by_cat)}"
    assert not hits, hits[:10]

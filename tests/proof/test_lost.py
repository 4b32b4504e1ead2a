"""Nothing lost: injected transfer faults against the real stand-in service over loopback.

The whole stack runs for real below the UI: the session machine (stand-in VPN driver, fake clock), the
httpx/http.client portal client, `session.transfers` with its on-disk queue, real password ZIPs, the real
SQLite history and the file keyring. Faults: connection resets at many offsets, 5xx, corrupted bodies,
expired sessions, the VPN cut mid-transfer (stand-in driver loss + the server resetting connections), a
slow link running past the session end, a full disk (a real 2 MiB tmpfs), and `kill -9` of a child
process mid-transfer followed by a resume in a new process.

The claim after every fault: the file either completed correctly (resumed) or the failure was reported
with a clear message and the item stayed queued, and a later resume completed it; nothing half-written
carries a final name; at the end the history agrees with what the server holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from denshi_client.clock import JST, FakeClock
from denshi_client.documents import archive
from denshi_client.errors import DenshiError
from denshi_client.portal.client import HttpPortalClient
from denshi_client.portal.model import InboxDocument
from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS
from denshi_client.portal.standin.faults import Fault
from denshi_client.portal.standin.pdfgen import make_pdf
from denshi_client.portal.standin.server import StandInService
from denshi_client.session import (
    EndCause,
    Phase,
    SessionConfig,
    SessionDeps,
    SessionMachine,
    SessionMode,
    SessionProfile,
)
from denshi_client.session.transfers import QueueItem, TransferQueue, Transfers
from denshi_client.store.history import History, HistoryQuery
from denshi_client.store.secrets import SecretStore
from denshi_client.vpn.standin import StandInVpnDriver
from tests.conftest import small_disk
from tests.proof.conftest import LONG, SCAN_ROOTS, Recorder, remember

SUITE = "lost"
NOW = datetime(2024, 5, 24, 9, 30, tzinfo=JST)
ACCOUNT = "denshi-0123"
ZIP_PW = DEMO_ZIP_PASSWORDS["0123"]
KiB, MiB = 1 << 10, 1 << 20
SIZE = 4 * MiB if LONG else 768 * KiB  # body of each generated document / upload (incompressible)
JA = "ぁ-ゖァ-ヺ一-龯"


def clear(e: DenshiError) -> bool:
    import re

    return bool(re.search(f"[{JA}]", e.ja)) and len(e.en.strip()) >= 8


def payload(seed: str, size: int = SIZE) -> bytes:
    """A 'scanned PDF': a real small PDF with incompressible bytes (a comment) after its header line."""
    pdf = make_pdf(seed[:30], ["テスト書類", seed])
    head, rest = pdf.split(b"\n", 1)
    want = max(0, size - len(pdf) - 3)
    filler = random.Random(seed).randbytes(want)
    return head + b"\n%" + filler + b"\n" + rest


@dataclass
class World:
    tmp: Path
    clock: FakeClock
    svc: StandInService
    client: HttpPortalClient
    vpn: StandInVpnDriver
    machine: SessionMachine
    profile: SessionProfile
    history: History
    queue: TransferQueue
    docs_root: Path
    history_path: Path
    upload_ids: list[str] = field(default_factory=list)
    filed: dict[str, bytes] = field(default_factory=dict)  # relative path -> expected bytes

    def transfers(self, cache: Path | None = None) -> Transfers:
        """A fresh Transfers on the same queue and history, as after a restart."""
        return Transfers(gate=self.machine, secrets=SecretStore(), history=self.history, queue=self.queue,
                         cache_dir=cache or self.tmp / "cache", clock=self.clock)

    def ready(self) -> None:
        """A (new) visit up to READY: hours, OTP e-mail, VPN, login."""
        if self.machine.phase is Phase.READY:
            return
        self.machine.tick()  # re-baselines the sleep detector after a test moved the clock
        self.vpn.simulate_network_restored(ACCOUNT)
        with contextlib.suppress(DenshiError):
            self.vpn.disconnect(ACCOUNT)
        self.machine.start(self.profile)
        otp = self.svc.latest_otp("demo")
        assert otp
        self.machine.submit_otp(otp)
        assert self.machine.phase is Phase.READY, self.machine.snapshot()
        remember(otp, self.client.token)

    def add_doc(self, case: str, size: int = SIZE) -> tuple[InboxDocument, bytes]:
        """A fresh password ZIP in the inbox holding one generated PDF."""
        body = payload(case, size)
        src = self.tmp / "srcdocs" / case
        src.mkdir(parents=True, exist_ok=True)
        pdf = src / f"{case}.pdf"
        pdf.write_bytes(body)
        z = src / f"{case}.zip"
        archive.pack([pdf], z, ZIP_PW, fmt=archive.ZipFormat.AES256)
        doc_id = self.svc.add_document(z, establishment="0123", doc_type="決定通知書", title=case,
                                       file_name=f"20240524_0123_{case}.zip")
        portal = self.machine.portal
        assert portal is not None
        return next(d for d in portal.inbox() if d.id == doc_id), body

    def new_pdf(self, case: str, size: int = SIZE) -> tuple[Path, bytes]:
        body = payload("up-" + case, size)
        p = self.tmp / "outbox-src" / f"{case}.pdf"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(body)
        return p, body


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, proof_home: Path) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("lost")
    clock = FakeClock(NOW)
    svc = StandInService(tmp / "standin", clock, enforce_hours=False, otp_requests_per_10min=100_000)
    svc.start()
    client = HttpPortalClient(svc.base_url, retries=2, backoff_s=0, sleep=lambda s: None, read_timeout=20)
    vpn = StandInVpnDriver(clock, connect_delay_s=0)
    vpn.add_account(ACCOUNT, password="pw")
    machine = SessionMachine(SessionDeps(vpn=vpn, portal_for=lambda p: client, run_async=lambda f: f()), clock,
                             SessionConfig(idle_timeout_s=0, enforce_hours=False, vpn_poll_s=1.0, vpn_confirm_s=0.5,
                                           default_throughput_bps=50 * MiB))
    docs_root = tmp / "docs" / "0123"
    profile = SessionProfile("e0123", "0123", "株式会社サンプル商事 本社", ACCOUNT, user_id="demo",
                             mode=SessionMode.DIRECT, documents_folder=str(docs_root))
    history_path = proof_home / "lost-history.sqlite3"
    history = History(history_path, clock=clock)
    w = World(tmp, clock, svc, client, vpn, machine, profile, history, TransferQueue(tmp / "queue.json"), docs_root,
              history_path)
    SCAN_ROOTS.extend([tmp / "cache", tmp / "queue.json", docs_root])
    remember(ZIP_PW)
    yield w
    with contextlib.suppress(Exception):
        machine.end()
    history.close()
    client.close()
    svc.stop()


@pytest.fixture(autouse=True)
def _zip_password(world: World) -> None:
    """The per-test keyring (tests/conftest.py) gets the establishment's ZIP password."""
    SecretStore().set("e0123", "zip_password", ZIP_PW)
    world.svc.faults.clear()


# ----------------------------------------------------------------------------------------------- checks
def no_half_files(root: Path) -> list[str]:
    """Temp/partial files left under the documents tree (never allowed after a case)."""
    if not root.exists():
        return []
    return [str(p) for p in root.rglob("*") if p.name.startswith(".~denshi-") or p.name.endswith(".part")]


def check_filed(world: World, files: list[Path], body: bytes) -> bool:
    return len(files) == 1 and files[0].read_bytes() == body


def check_upload(world: World, item: QueueItem, body: bytes) -> bool:
    recs = [r for r in world.svc.upload_records() if r.client_id == item.id and r.status == "received"]
    if len(recs) != 1:
        return False
    stored = world.svc.upload_path(recs[0])
    if hashlib.sha256(stored.read_bytes()).hexdigest() != item.sha256:
        return False
    out = world.tmp / "verify" / item.id
    out.mkdir(parents=True, exist_ok=True)
    res = archive.unpack(stored, out, ZIP_PW)
    return [f.path.read_bytes() for f in res.files] == [body]


@dataclass
class Outcome:
    first: str = ""
    final: str = ""
    reported: DenshiError | None = None
    ok: bool = False
    note: str = ""
    fired: bool | None = None  # the case's fault demonstrably happened (None: not checked = not counted)
    fired_note: str = ""


def fired_as_armed(faults: list[Fault]) -> tuple[bool, str]:
    """Every armed stand-in fault fired, `times` times exactly (or at least once for -1 = until cleared)."""
    ok = all(f.fired == f.times if f.times > 0 else f.fired >= 1 for f in faults)
    return ok, ", ".join(f"{f.kind}/{f.target} fired {f.fired}×" + (f" of {f.times}" if f.times > 0 else "")
                         for f in faults)


def record(proof: Recorder, case: str, direction: str, fault: str, out: Outcome, started: float,
           world: World) -> None:
    half = no_half_files(world.docs_root)
    lost = 0 if out.ok else 1
    proof.add(SUITE, case, f"{out.first} → {out.final}", out.ok and not half and bool(out.fired),
              direction=direction, fault=fault, fired=bool(out.fired), fired_note=out.fired_note,
              first_attempt=out.first, final=out.final, reported_clearly=None if out.reported is None
              else clear(out.reported), message_ja=out.reported.ja if out.reported else "",
              message_en=out.reported.en if out.reported else "", lost=lost, corrupted=0 if out.ok else 1,
              half_files=len(half), note=out.note, seconds=round(time.monotonic() - started, 2))
    assert out.fired, f"{case}: the fault did not fire ({out.fired_note})"
    assert not half, half
    assert out.reported is None or clear(out.reported), (out.reported.ja, out.reported.en)
    assert out.ok, f"{case}: {out}"


# ------------------------------------------------------------------------------- generic fault cases
@dataclass(frozen=True)
class Spec:
    case: str
    direction: str  # "download" | "upload"
    faults: tuple[Fault, ...]
    note: str = ""


def _specs() -> list[Spec]:
    out: list[Spec] = []
    offsets = [0, 1, 16 * KiB, 200 * KiB, SIZE // 2, SIZE - 100]
    if LONG:
        offsets += [KiB, 64 * KiB, 333 * KiB, SIZE // 3, 2 * SIZE // 3, SIZE - 1]
    for d, target in (("download", "download"), ("upload", "upload")):
        for off in offsets:
            out.append(Spec(f"{d}: reset at {off} B", d, (Fault("reset", target, after_bytes=off),)))
        out.append(Spec(f"{d}: reset twice (at 100 KiB, then 300 KiB)", d,
                        (Fault("reset", target, after_bytes=100 * KiB), Fault("reset", target, after_bytes=300 * KiB))))
        out.append(Spec(f"{d}: reset on every try (until cleared)", d,
                        (Fault("reset", target, times=-1, after_bytes=50 * KiB),)))
        for status in (500, 502, 503, 504):
            out.append(Spec(f"{d}: HTTP {status} once", d, (Fault("status", target, status=status),)))
        out.append(Spec(f"{d}: HTTP 503 on every try (until cleared)", d, (Fault("status", target, times=-1),)))
        out.append(Spec(f"{d}: session expired on the service", d, (Fault("expire", target),)))
        out.append(Spec(f"{d}: reset, then 503", d, (Fault("reset", target, after_bytes=10 * KiB),
                                                      Fault("status", target, status=503))))
    for off in (0, 150 * KiB, SIZE - 1):
        out.append(Spec(f"download: body corrupted at {off} B (SHA-256 mismatch)", "download",
                        (Fault("corrupt", "download", after_bytes=off),)))
    out.append(Spec("download: body corrupted on every try", "download", (Fault("corrupt", "download", times=-1),)))
    out.append(Spec("upload: stored copy corrupted on the service", "upload", (Fault("corrupt", "upload"),)))
    return out


SPECS = _specs()


@pytest.mark.parametrize("spec", SPECS, ids=[s.case for s in SPECS])
def test_fault(spec: Spec, world: World, proof: Recorder) -> None:
    started = time.monotonic()
    world.ready()
    case_id = f"c{SPECS.index(spec):03d}"
    out = Outcome()
    t = world.transfers()
    if spec.direction == "download":
        doc, body = world.add_doc(case_id)
    else:
        src, body = world.new_pdf(case_id)
        item = t.prepare_upload(world.profile, src, form_name="資格取得届", filing_date="2024-05-24")
        world.upload_ids.append(item.id)
    armed = [world.svc.faults.add(replace(f)) for f in spec.faults]
    try:
        if spec.direction == "download":
            [filed] = t.download(world.profile, [doc])
            good = check_filed(world, filed.files, body)
        else:
            t.upload(world.profile, item)
            good = check_upload(world, item, body)
        out.first = "completed (resumed automatically)" if good else "WRONG FILE"
        out.final, out.ok = ("ok" if good else "corrupted"), good
    except DenshiError as e:
        out.first, out.reported = f"reported ({e.code})", e
        world.svc.faults.clear()
        if world.client.token is None or e.code in ("session_expired", "unauthorized"):
            world.machine.end()  # the service ended our login: the user disconnects and connects again
        world.ready()
        t2 = world.transfers()  # e.g. after a restart
        pending = {i.id: i for i in t2.pending()}
        key = f"dl-{world.profile.id}-{doc.id}" if spec.direction == "download" else item.id
        if key not in pending:
            out.final = "NOT QUEUED (lost)"
        else:
            res2 = t2.resume(world.profile, pending[key])
            if spec.direction == "download":
                good = check_filed(world, res2.files, body)  # type: ignore[union-attr]
            else:
                good = check_upload(world, item, body)
            out.final, out.ok = ("resumed ok" if good else "corrupted"), good
    out.fired, out.fired_note = fired_as_armed(armed)
    record(proof, spec.case, spec.direction, ", ".join(f"{f.kind}/{f.target}" for f in spec.faults), out, started,
           world)


# ------------------------------------------------------------------- the two-step upload: the commit
# The app's uploads declare the checksum from packing, so the service verifies and commits in one PUT
# (faults on `commit` never fire there). The commit endpoint is reached when no checksum is declared:
# `denshi-client portal upload FILE` without `--sha256` (HttpPortalClient.upload(sha256=None)) stages the
# body (202) and then commits with POST /uploads/{client_id}/commit. These cases drive that path.
COMMIT_FAULTS = [
    ("commit answered 500", (Fault("status", "commit", status=500),)),
    ("commit answered 503", (Fault("status", "commit", status=503),)),
    ("commit answered 503 on every try", (Fault("status", "commit", times=-1),)),
    ("commit done, answer lost (reset instead of the 201)", (Fault("lose_answer", "commit"),)),
]


@pytest.mark.parametrize("name,faults", COMMIT_FAULTS, ids=[c[0] for c in COMMIT_FAULTS])
def test_commit_fault(name: str, faults: tuple[Fault, ...], world: World, proof: Recorder) -> None:
    started = time.monotonic()
    world.ready()
    portal = world.machine.portal
    assert portal is not None
    pdf, body = world.new_pdf(f"commit-{COMMIT_FAULTS.index((name, faults))}")
    zpath = pdf.with_suffix(".zip")
    archive.pack([pdf], zpath, ZIP_PW, fmt=archive.ZipFormat.AES256)
    cid = uuid.uuid4().hex
    armed = [world.svc.faults.add(replace(f)) for f in faults]
    out = Outcome()

    def send() -> None:
        portal.upload(zpath, form_name="資格取得届", establishment="0123", client_id=cid)  # no sha256: two steps

    try:
        send()
        out.first = "completed (retried automatically)"
    except DenshiError as e:
        out.first, out.reported = f"reported ({e.code})", e
        world.svc.faults.clear()
        send()  # the user runs the same command again (same client id)
    recs = [r for r in world.svc.upload_records() if r.client_id == cid and r.status == "received"]
    sha = hashlib.sha256(zpath.read_bytes()).hexdigest()
    good = len(recs) == 1 and recs[0].sha256 == sha
    if good:
        check = world.tmp / "verify" / cid
        check.mkdir(parents=True, exist_ok=True)
        good = [f.path.read_bytes() for f in archive.unpack(world.svc.upload_path(recs[0]), check, ZIP_PW).files] \
            == [body]
    out.final = ("one copy on the service" if good else f"{len(recs)} copies or corrupted") + \
        (" (sent again by the user)" if out.reported else "")
    out.ok = good
    out.fired, out.fired_note = fired_as_armed(armed)
    record(proof, f"upload (two-step, no checksum declared): {name}", "upload", "/".join(
        f"{f.kind}/{f.target}" for f in faults), out, started, world)


# ------------------------------------------------------------------------ the line goes mid-transfer
def _in_thread(fn: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["result"] = fn()
        except DenshiError as e:
            box["error"] = e
        except BaseException as e:  # a crash is recorded and fails the case
            box["crash"] = e

    th = threading.Thread(target=work, daemon=True)
    th.start()
    return th, box


class Threshold:
    """Progress hook that fires an event once `at` bytes went through."""

    def __init__(self, at: int) -> None:
        self.at = at
        self.event = threading.Event()

    def __call__(self, done: int, total: int) -> None:
        if done >= self.at:
            self.event.set()


def _wait(hook: Threshold, box: dict[str, Any]) -> None:
    for _ in range(300):
        if hook.event.wait(0.1) or box:
            break
    assert hook.event.is_set(), f"the transfer never got going: {box}"


def _start(world: World, direction: str, case_id: str, hook: Threshold, t: Transfers,
           profile: SessionProfile | None = None) -> tuple[Callable[[], Any], bytes, str, QueueItem | None]:
    prof = profile or world.profile
    if direction == "download":
        doc, body = world.add_doc(case_id)
        return (lambda: t.download(prof, [doc], progress=hook)), body, f"dl-{prof.id}-{doc.id}", None
    src, body = world.new_pdf(case_id)
    item = t.prepare_upload(prof, src, form_name="資格喪失届", filing_date="2024-05-24")
    world.upload_ids.append(item.id)
    return (lambda: t.upload(prof, item, progress=hook)), body, item.id, item


def _finish(world: World, direction: str, key: str, body: bytes, item: QueueItem | None, box: dict[str, Any],
            out: Outcome, profile: SessionProfile | None = None) -> None:
    """After the interruption: reported or done; then a new visit resumes what is queued."""
    prof = profile or world.profile
    if "crash" in box:
        out.first, out.final = f"CRASH {type(box['crash']).__name__}: {box['crash']}", "crashed"
        return
    if "result" in box:
        out.first = "finished before the cut took effect"
    else:
        e = box["error"]
        out.first, out.reported = f"reported ({e.code})", e
    world.svc.faults.clear()
    world.ready()
    t2 = world.transfers(profile and Path(world.tmp / "cache"))
    if "result" in box:
        res = box["result"]
        good = check_filed(world, res[0].files, body) if direction == "download" else check_upload(world, item, body)
        out.final, out.ok = ("ok" if good else "corrupted"), good
        return
    pending = {i.id: i for i in t2.pending()}
    if key not in pending:
        out.final = "NOT QUEUED (lost)"
        return
    res2 = t2.resume(prof, pending[key])
    good = check_filed(world, res2.files, body) if direction == "download" else check_upload(  # type: ignore[union-attr]
        world, item, body)  # type: ignore[arg-type]
    out.final, out.ok = ("resumed ok in the next visit" if good else "corrupted"), good


def _tick_until_ended(world: World, step_s: float = 1.0, ticks: int = 20) -> None:
    for _ in range(ticks):
        world.clock.advance(step_s)
        world.machine.tick()
        if world.machine.phase in (Phase.ENDED, Phase.FAILED):
            return


@pytest.mark.parametrize("at", [0.2, 0.7])
@pytest.mark.parametrize("direction", ["download", "upload"])
def test_vpn_cut_mid_transfer(direction: str, at: float, world: World, proof: Recorder) -> None:
    """The stand-in driver loses the line and the server resets connections; the machine ends the visit."""
    started = time.monotonic()
    world.ready()
    t = world.transfers()
    hook = Threshold(int(SIZE * at * 0.5))
    run, body, key, item = _start(world, direction, f"cut-{direction}-{at}", hook, t)
    slow = world.svc.faults.add(Fault("slow", direction, rate_bps=SIZE // 2))
    # The line dies under the body in flight (uploads sit in socket buffers, so progress alone is too late).
    cut = world.svc.faults.add(Fault("reset", direction, after_bytes=int(SIZE * at)))
    th, box = _in_thread(run)
    _wait(hook, box)
    for _ in range(300):  # the client's progress runs ahead of the server: the body must be on the line first
        if slow.fired or box:
            break
        time.sleep(0.01)
    world.vpn.simulate_network_loss(ACCOUNT)
    # The line is gone: every new connection drops. Only the upload retries (its body sat in socket
    # buffers); the download stops at its reset, so there this fault would have nothing to act on.
    gone = world.svc.faults.add(Fault("reset", "any", times=-1)) if direction == "upload" else None
    _tick_until_ended(world)
    th.join(30)
    assert not th.is_alive()
    snap = world.machine.snapshot()
    out = Outcome(note=f"visit ended: {snap.end_cause.value if snap.end_cause else snap.phase.value}")
    out.fired = (slow.fired == 1 and cut.fired == 1 and snap.end_cause is EndCause.NETWORK_LOST
                 and (gone is None or gone.fired >= 1))
    out.fired_note = (f"slow {slow.fired}×, reset at {cut.after_bytes} B {cut.fired}×"
                      + (f", later connections reset {gone.fired}×" if gone else "")
                      + f"; visit ended: {snap.end_cause.value if snap.end_cause else '-'}")
    _finish(world, direction, key, body, item, box, out)
    record(proof, f"{direction}: VPN cut at {int(at * 100)} % (driver loss + server resets)", direction,
           "vpn-cut", out, started, world)


@pytest.mark.parametrize("direction", ["download", "upload"])
def test_slow_link_past_the_session_end(direction: str, world: World, proof: Recorder) -> None:
    """A slow transfer still running when the app ends the visit before the 90-minute cut."""
    started = time.monotonic()
    world.ready()
    t = world.transfers()
    hook = Threshold(SIZE // 4)
    run, body, key, item = _start(world, direction, f"late-{direction}", hook, t)
    slow = world.svc.faults.add(Fault("slow", direction, rate_bps=SIZE // 3))
    th, box = _in_thread(run)
    _wait(hook, box)
    remaining = world.machine.remaining_s() or 0.0
    running = th.is_alive()  # the end arrives while the slow transfer is still going
    world.clock.advance(remaining + 1)
    world.machine.tick()
    th.join(30)
    assert not th.is_alive()
    snap = world.machine.snapshot()
    out = Outcome(note=f"visit ended: {snap.end_cause.value if snap.end_cause else snap.phase.value}")
    ended_gracefully = snap.end_cause is not None and snap.end_cause.value in ("limit", "sleep")
    _finish(world, direction, key, body, item, box, out)
    out.ok = out.ok and ended_gracefully
    out.fired = slow.fired == 1 and running
    out.fired_note = f"slow {slow.fired}×; still running when the visit ended: {running}"
    record(proof, f"{direction}: slow link running past the session end", direction, "slow+limit", out, started,
           world)


@pytest.mark.parametrize("direction", ["download", "upload"])
def test_refused_when_it_cannot_finish_in_time(direction: str, world: World, proof: Recorder) -> None:
    """Measured throughput says it cannot finish before the end: refused with the reason, done next visit."""
    started = time.monotonic()
    world.ready()
    t = world.transfers()
    for _ in range(30):
        world.machine.record_throughput(64 * KiB * 10, 10.0)  # a measured 64 KiB/s link
    world.clock.advance((world.machine.remaining_s() or 0) - 15)  # 15 s left
    hook = Threshold(0)
    run, body, key, _item = _start(world, direction, f"refuse-{direction}", hook, t)
    out = Outcome()
    try:
        run()
        out.first = "STARTED (should have been refused)"
    except DenshiError as e:
        out.first, out.reported = f"refused before start ({e.code})", e
    for _ in range(30):
        world.machine.record_throughput(100 * MiB, 0.1)
    world.machine.end()
    world.ready()
    t2 = world.transfers()
    if direction == "download":
        doc = next(d for d in t2.inbox() if d.title == f"refuse-{direction}")
        [filed] = t2.download(world.profile, [doc])
        good = check_filed(world, filed.files, body)
    else:
        [again] = [i for i in t2.pending() if i.id == key]
        t2.resume(world.profile, again)
        good = check_upload(world, again, body)
    out.final, out.ok = ("done in the next visit" if good else "corrupted"), good and out.reported is not None
    out.ok = out.ok and out.reported is not None and out.reported.code == "no_time"
    out.fired = out.reported is not None and out.reported.code == "no_time"
    out.fired_note = "refused on a measured 64 KiB/s link with 15 s left"
    record(proof, f"{direction}: refused, cannot finish before the session end", direction, "no-time", out,
           started, world)


# ------------------------------------------------------------------------------------------ full disk
@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real 2MB filesystem (root: tmpfs mount); unmounted afterwards."""
    with small_disk(tmp_path / "small-disk", "2m") as d:
        yield d


def _disk_fired(d: Path, need: int, out: Outcome) -> None:
    """The fault of a disk-full case: the 2 MiB disk could not hold the file, and the app said so."""
    st = os.statvfs(d)
    free = st.f_bavail * st.f_frsize
    out.fired = free < need and out.reported is not None
    out.fired_note = (f"{free // 1024} KiB free of 2 MiB for a {need // MiB} MiB file; "
                      f"reported: {out.reported is not None}")


def _grow(d: Path) -> None:
    subprocess.run(["mount", "-o", "remount,size=64m", str(d)], check=True, capture_output=True)


@pytest.mark.parametrize("where", ["documents folder", "download cache", "upload working copy"])  # D4: fixed
def test_disk_full(where: str, tmpfs: Path, world: World, proof: Recorder) -> None:
    started = time.monotonic()
    world.ready()
    big = 3 * MiB
    out = Outcome()
    if where == "upload working copy":
        t = Transfers(gate=world.machine, secrets=SecretStore(), history=world.history, queue=world.queue,
                      cache_dir=tmpfs / "cache", clock=world.clock)
        src, body = world.new_pdf("disk-up", big)
        try:
            t.prepare_upload(world.profile, src, form_name="資格取得届", filing_date="2024-05-24")
            out.first = "prepared (disk was not full?)"
        except DenshiError as e:
            out.first, out.reported = f"reported ({e.code})", e
        except OSError as e:
            out.first = f"CRASH OSError: {e.strerror}"
        leftovers = [p for p in (tmpfs / "cache").rglob("*") if p.is_file()]
        out.note = f"{len(leftovers)} working file(s) left on the full disk"
        assert not leftovers, leftovers
        _disk_fired(tmpfs, big, out)
        _grow(tmpfs)
        item = t.prepare_upload(world.profile, src, form_name="資格取得届", filing_date="2024-05-24")
        world.upload_ids.append(item.id)
        t.upload(world.profile, item)
        good = check_upload(world, item, body) and src.read_bytes() == body
        out.final, out.ok = ("sent after space was freed" if good else "corrupted"), good and out.reported is not None
        record(proof, f"upload: disk full ({where})", "upload", "disk-full", out, started, world)
        return
    prof = world.profile
    cache = world.tmp / "cache"
    if where == "documents folder":
        prof = replace(world.profile, documents_folder=str(tmpfs / "docs" / "0123"))
    else:
        cache = tmpfs / "cache"
    t = Transfers(gate=world.machine, secrets=SecretStore(), history=world.history, queue=world.queue,
                  cache_dir=cache, clock=world.clock)
    doc, body = world.add_doc(f"disk-{where.split()[1]}", big)
    key = f"dl-{prof.id}-{doc.id}"
    try:
        t.download(prof, [doc])
        out.first = "completed (disk was not full?)"
    except DenshiError as e:
        out.first, out.reported = f"reported ({e.code})", e
    except OSError as e:
        out.first = f"CRASH OSError: {e.strerror}"
    half = no_half_files(tmpfs / "docs")
    out.note = f"{len(half)} partial file(s) in the documents folder"
    _disk_fired(tmpfs, big, out)
    _grow(tmpfs)
    pending = {i.id: i for i in t.pending()}
    if key not in pending:
        out.final = "NOT QUEUED (lost)"
    else:
        res = t.resume(prof, pending[key])
        good = check_filed(world, res.files, body) and not half  # type: ignore[union-attr]
        out.final, out.ok = ("resumed ok after space was freed" if good else "corrupted"), good
    out.ok = out.ok and out.reported is not None
    record(proof, f"download: disk full ({where})", "download", "disk-full", out, started, world)


# --------------------------------------------------------------------------------- kill -9 of the app
CHILD = textwrap.dedent("""
    import json, sys
    from datetime import datetime
    from pathlib import Path
    from denshi_client.clock import FakeClock
    from denshi_client.portal.client import HttpPortalClient
    from denshi_client.portal.standin import mail
    from denshi_client.session import SessionConfig, SessionDeps, SessionMachine, SessionMode, SessionProfile
    from denshi_client.session.transfers import TransferQueue, Transfers
    from denshi_client.store.history import History
    from denshi_client.store.secrets import SecretStore
    from denshi_client.vpn.standin import StandInVpnDriver

    cfg = json.loads(sys.argv[1])
    clock = FakeClock(datetime.fromisoformat(cfg["now"]))
    client = HttpPortalClient(cfg["base_url"], retries=0, backoff_s=0)
    vpn = StandInVpnDriver(clock, connect_delay_s=0)
    vpn.add_account(cfg["profile"]["vpn_account"], password="pw")
    m = SessionMachine(SessionDeps(vpn=vpn, portal_for=lambda p: client, run_async=lambda f: f()), clock,
                       SessionConfig(idle_timeout_s=0, enforce_hours=False, default_throughput_bps=50 << 20))
    prof = SessionProfile(**{**cfg["profile"], "mode": SessionMode.DIRECT})
    m.start(prof)
    m.submit_otp(mail.latest_otp(Path(cfg["outbox"]), "demo"))
    hist = History(Path(cfg["history"]), clock=clock)
    t = Transfers(gate=m, secrets=SecretStore(), history=hist, queue=TransferQueue(Path(cfg["queue"])),
                  cache_dir=Path(cfg["cache"]), clock=clock)
    said = []

    def prog(done, total):
        if done >= cfg["signal_at"] and not said:
            said.append(1)
            print("reached", flush=True)

    if cfg["op"] == "download":
        doc = next(d for d in t.inbox() if d.id == cfg["doc_id"])
        t.download(prof, [doc], progress=prog)
    elif cfg["op"] == "upload":
        t.upload(prof, t.queue.get(cfg["key"]), progress=prog)
    else:
        item = next(i for i in t.pending() if i.id == cfg["key"])
        res = t.resume(prof, item)
        print(json.dumps({"resumed": True, "state": item.state}), flush=True)
    m.end()
    print("done", flush=True)
""")


def _child(world: World, op: str, key: str, *, doc_id: str = "", signal_at: int = 0) -> subprocess.Popen[str]:
    p = world.profile
    cfg = {"now": world.clock.now().isoformat(), "base_url": world.svc.base_url, "outbox": str(world.svc.outbox),
           "history": str(world.history_path), "queue": str(world.queue.path), "cache": str(world.tmp / "cache"),
           "op": op, "key": key, "doc_id": doc_id, "signal_at": signal_at,
           "profile": {"id": p.id, "establishment": p.establishment, "name": p.name, "vpn_account": p.vpn_account,
                       "user_id": p.user_id, "documents_folder": p.documents_folder}}
    return subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(cfg)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize("at", [0.1, 0.6])
@pytest.mark.parametrize("direction", ["download", "upload"])
def test_kill_9_mid_transfer_then_resume_in_a_new_process(direction: str, at: float, world: World,
                                                          proof: Recorder) -> None:
    started = time.monotonic()
    world.ready()
    t = world.transfers()
    case_id = f"kill-{direction}-{at}"
    if direction == "download":
        doc, body = world.add_doc(case_id)
        key, doc_id, item = f"dl-{world.profile.id}-{doc.id}", doc.id, None
    else:
        src, body = world.new_pdf(case_id)
        item = t.prepare_upload(world.profile, src, form_name="資格取得届", filing_date="2024-05-24")
        world.upload_ids.append(item.id)
        key, doc_id = item.id, ""
    slow = world.svc.faults.add(Fault("slow", direction, rate_bps=SIZE // 2))
    child = _child(world, direction, key, doc_id=doc_id, signal_at=int(SIZE * at))
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line == "reached", (line, child.stderr.read() if child.stderr else "")
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
    world.svc.faults.clear()
    out = Outcome(first="killed (SIGKILL) mid-transfer")
    out.fired = child.returncode == -signal.SIGKILL and slow.fired == 1
    out.fired_note = f"child exit {child.returncode} (SIGKILL = -{int(signal.SIGKILL)}) after {int(at * 100)} %"
    queued = {i.id: i for i in world.transfers().pending()}
    if key not in queued:
        out.final = "NOT QUEUED (lost)"
    else:
        out.note = f"queued as '{queued[key].state}' after the kill"
        again = _child(world, "resume", key)
        _so, se = again.communicate(timeout=120)
        if again.returncode != 0:
            out.final = f"resume process failed: {se[-300:]}"
        elif direction == "download":
            files = [p for p in Path(world.profile.documents_folder).rglob(f"{case_id}*.pdf")]
            good = check_filed(world, files, body)
            out.final, out.ok = ("resumed ok in a new process" if good else "corrupted"), good
        else:
            good = check_upload(world, item, body)  # type: ignore[arg-type]
            out.final, out.ok = ("resumed ok in a new process" if good else "corrupted"), good
    record(proof, f"{direction}: kill -9 of the app at {int(at * 100)} %, resumed by a new process", direction,
           "kill-9", out, started, world)


# ------------------------------------------------------------------------------------ two more shapes
def test_crash_after_the_service_received_the_upload(world: World, proof: Recorder) -> None:
    """The service got the file but the app died before noting the receipt: the retry must not send twice."""
    started = time.monotonic()
    world.ready()
    t = world.transfers()
    src, body = world.new_pdf("receipt-lost")
    item = t.prepare_upload(world.profile, src, form_name="資格取得届", filing_date="2024-05-24")
    world.upload_ids.append(item.id)
    portal = world.machine.portal
    assert portal is not None
    portal.upload(Path(item.zip_path), form_name=item.form_name, establishment="0123", client_id=item.id)
    out = Outcome(first="service received it, app crashed before the receipt")
    there = [r for r in world.svc.upload_records() if r.client_id == item.id and r.status == "received"]
    out.fired = len(there) == 1 and item.id in {i.id for i in world.transfers().pending()}
    out.fired_note = "received on the service while the app's queue still held it as unsent"
    [again] = [i for i in world.transfers().pending() if i.id == item.id]
    world.transfers().resume(world.profile, again)
    good = check_upload(world, item, body)
    out.final, out.ok = ("one copy on the service, history ok" if good else "DUPLICATE or corrupted"), good
    record(proof, "upload: app killed after the service received it (idempotent retry)", "upload", "lost-receipt",
           out, started, world)


def test_batch_download_stops_at_a_failure_and_loses_nothing(world: World, proof: Recorder) -> None:
    started = time.monotonic()
    world.ready()
    t = world.transfers()
    docs = [world.add_doc(f"batch-{i}") for i in range(3)]
    first_size = docs[0][0].size

    armed: list[Fault] = []

    def prog(done: int, total: int) -> None:
        if done >= first_size and not armed:
            armed.append(world.svc.faults.add(Fault("status", "download", times=-1, status=503)))

    out = Outcome()
    try:
        t.download(world.profile, [d for d, _b in docs], progress=prog)
        out.first = "completed"
    except DenshiError as e:
        out.first, out.reported = f"reported ({e.code}) after the first of three", e
    world.svc.faults.clear()
    out.fired = bool(armed) and armed[0].fired >= 1 and out.reported is not None
    out.fired_note = f"503 from the second document on: fired {armed[0].fired if armed else 0}×"
    t2 = world.transfers()
    for it in t2.pending():
        if it.id.startswith(f"dl-{world.profile.id}-") and it.file_name.startswith("20240524_0123_batch-"):
            t2.resume(world.profile, it)
    unread = [d for d in t2.inbox() if d.title.startswith("batch-") and d.unread]
    if unread:
        t2.download(world.profile, unread)
    files = {d.title: list(Path(world.profile.documents_folder).rglob(f"{d.title}.pdf")) for d, _b in docs}
    good = all(check_filed(world, files[d.title], b) for d, b in docs)
    out.final, out.ok = ("all three filed" if good else "missing or corrupted"), good
    record(proof, "download: batch of three, 503 from the second on", "download", "5xx-batch", out, started, world)


# ------------------------------------------------------------------------------------------ the ledger
def test_zz_history_agrees_with_the_service(world: World, proof: Recorder) -> None:
    """Every upload the service received is one 'ok' history row with its server id, and the reverse;
    no history row is left pending; nothing remains queued."""
    received = {r.server_id: r for r in world.svc.upload_records()
                if r.status == "received" and r.client_id in world.upload_ids}
    rows = world.history.search(HistoryQuery())
    sent_ok = {r.server_id for r in rows if r.direction == "send" and r.result == "ok" and r.server_id}
    pending_rows = world.history.pending()
    queued = world.transfers().pending()
    per_client = {cid: sum(1 for r in world.svc.upload_records() if r.client_id == cid and r.status == "received")
                  for cid in world.upload_ids}
    dupes = [c for c, n in per_client.items() if n > 1]
    missing_on_service = [c for c, n in per_client.items() if n == 0]
    ok = set(received) == sent_ok and not pending_rows and not queued and not dupes and not missing_on_service
    proof.note(SUITE, "ledger", {"uploads_received": len(received), "history_send_ok": len(sent_ok),
                                 "history_pending": len(pending_rows), "queued_after": len(queued),
                                 "duplicates": len(dupes), "missing_on_service": len(missing_on_service),
                                 "history_receive_ok": sum(1 for r in rows if r.direction == "receive"
                                                           and r.result == "ok")})
    proof.add(SUITE, "ledger: service uploads vs history", f"{len(received)} received = {len(sent_ok)} history "
              f"'ok' rows; {len(pending_rows)} pending rows; {len(queued)} still queued; {len(dupes)} duplicates",
              ok, direction="-", fault="-", lost=len(missing_on_service), corrupted=0, half_files=0)
    assert set(received) == sent_ok, (set(received) ^ sent_ok)
    assert not pending_rows, pending_rows[:3]
    assert not queued, queued[:3]
    assert not dupes and not missing_on_service


# -------------------------------------------------------------- browser mode: the download folder
class Browser:
    """Browser mode as today's real service needs it: the user downloads in the browser, the app files."""

    def __init__(self, tmp: Path) -> None:
        from denshi_client.session.browser_mode import BrowserMode

        self.tmp = tmp
        self.downloads = tmp / "Downloads"
        self.downloads.mkdir(parents=True)
        self.clock = FakeClock(NOW)
        self.vpn = StandInVpnDriver(self.clock, connect_delay_s=0)
        self.vpn.add_account(ACCOUNT, password="pw")
        self.machine = SessionMachine(SessionDeps(vpn=self.vpn, open_url=lambda u: None, run_async=lambda f: f()),
                                      self.clock, SessionConfig(idle_timeout_s=0, enforce_hours=False,
                                                                vpn_poll_s=1.0, vpn_confirm_s=0.5))
        self.history = History(tmp / "history.sqlite3", clock=self.clock)
        self.transfers = Transfers(gate=self.machine, secrets=SecretStore(), history=self.history,
                                   queue=TransferQueue(tmp / "queue.json"), cache_dir=tmp / "cache", clock=self.clock)
        self.mode = BrowserMode(self.machine, self.transfers, self.clock)
        self.events: list[Any] = []
        self.mode.add_listener(self.events.append)
        self.profile = SessionProfile("e0123", "0123", "株式会社サンプル商事 本社", ACCOUNT, mode=SessionMode.BROWSER,
                                      auth_url="https://service.example/auth", download_dir=str(self.downloads),
                                      documents_folder=str(tmp / "docs" / "0123"))
        SCAN_ROOTS.append(tmp / "history.sqlite3")

    def visit(self) -> None:
        self.machine.tick()
        self.vpn.simulate_network_restored(ACCOUNT)
        with contextlib.suppress(DenshiError):
            self.vpn.disconnect(ACCOUNT)
        self.machine.start(self.profile)
        self.machine.submit_otp(None)
        assert self.machine.phase is Phase.READY

    def tick(self, n: int = 1) -> None:
        for _ in range(n):
            self.clock.advance(1)
            self.machine.tick()

    def zip_bytes(self, name: str) -> tuple[bytes, bytes]:
        body = payload("browser-" + name, 200 * KiB)
        src = self.tmp / "src" / name
        src.mkdir(parents=True, exist_ok=True)
        (src / f"{name}.pdf").write_bytes(body)
        archive.pack([src / f"{name}.pdf"], src / f"{name}.zip", ZIP_PW)
        return (src / f"{name}.zip").read_bytes(), body

    def filed(self, name: str) -> list[Path]:
        return sorted((self.tmp / "docs" / "0123").rglob(f"{name}.pdf"))

    def history_rows(self, name: str) -> list[tuple[str, str]]:
        return [(r.file_name, r.result) for r in self.history.search(HistoryQuery(limit=1000)) if name in r.file_name]


def _browser_case(proof: Recorder, case: str, out: Outcome, started: float, b: Browser) -> None:
    half = no_half_files(b.tmp / "docs")
    proof.add(SUITE, case, f"{out.first} → {out.final}", out.ok and not half and bool(out.fired),
              direction="download (browser mode)", fired=bool(out.fired), fired_note=out.fired_note,
              fault=case.split(": ", 1)[-1], first_attempt=out.first, final=out.final,
              reported_clearly=None if out.reported is None else clear(out.reported),
              message_ja=out.reported.ja if out.reported else "", message_en=out.reported.en if out.reported else "",
              lost=0 if out.ok else 1, corrupted=0, half_files=len(half), note=out.note,
              seconds=round(time.monotonic() - started, 2))
    b.history.close()
    assert out.fired, f"{case}: the fault did not happen ({out.fired_note})"
    assert not half, half
    assert out.ok, f"{case}: {out}"


def test_browser_download_cut_by_the_vpn_end(tmp_path: Path, proof: Recorder) -> None:
    """Chrome writes .crdownload; the VPN is cut mid-download: nothing half is filed; the next visit's
    download is filed once."""
    started = time.monotonic()
    b = Browser(tmp_path)
    b.visit()
    data, body = b.zip_bytes("cut-in-browser")
    part = b.downloads / "20240524_0123_cut-in-browser.zip.crdownload"
    part.write_bytes(data[: len(data) // 3])
    b.tick(2)
    b.vpn.simulate_network_loss(ACCOUNT)
    b.tick(5)
    cause = b.machine.snapshot().end_cause
    out = Outcome(first=f"visit ended ({cause.value if cause else '?'}); {len(b.filed('cut-in-browser'))} filed "
                  "from the partial download")
    out.fired, out.fired_note = cause is EndCause.NETWORK_LOST, f"the visit ended: {cause.value if cause else '-'}"
    part.unlink()  # Chrome removes its partial file when the download fails
    b.visit()
    (b.downloads / "20240524_0123_cut-in-browser.zip").write_bytes(data)
    b.tick(3)
    files = b.filed("cut-in-browser")
    good = check_filed_browser(files, body) and b.history_rows("cut-in-browser") == [
        ("20240524_0123_cut-in-browser.zip", "ok")]
    out.final, out.ok = ("downloaded again in the next visit, filed once" if good else "missing"), good
    _browser_case(proof, "browser mode: VPN cut during the browser's download", out, started, b)


def check_filed_browser(files: list[Path], body: bytes) -> bool:
    return len(files) == 1 and files[0].read_bytes() == body


def test_browser_truncated_download_is_reported_then_the_retry_is_filed(tmp_path: Path, proof: Recorder) -> None:
    started = time.monotonic()
    b = Browser(tmp_path)
    b.visit()
    data, body = b.zip_bytes("truncated")
    (b.downloads / "20240524_0123_truncated.zip").write_bytes(data[: len(data) - 700])  # the browser gave up
    b.tick(3)
    failed = [e for e in b.events if e.kind == "failed"]
    out = Outcome(fired=bool(failed), fired_note="the truncated ZIP was seen and refused")
    if failed:
        out.first, out.reported = f"reported ({failed[0].error.code})", failed[0].error
    else:
        out.first = "NOT REPORTED"
    (b.downloads / "20240524_0123_truncated (1).zip").write_bytes(data)  # the user downloads it again
    b.tick(3)
    files = b.filed("truncated")
    rows = b.history_rows("truncated")
    good = check_filed_browser(files, body) and bool(failed) and sorted(r for _n, r in rows) == ["failed", "ok"]
    out.final, out.ok = ("second download filed; history: failed + ok" if good else f"wrong: {rows}"), good
    _browser_case(proof, "browser mode: truncated download (browser gave up)", out, started, b)


def test_browser_same_zip_twice_is_filed_once(tmp_path: Path, proof: Recorder) -> None:
    started = time.monotonic()
    b = Browser(tmp_path)
    b.visit()
    data, body = b.zip_bytes("twice")
    (b.downloads / "20240524_0123_twice.zip").write_bytes(data)
    b.tick(3)
    (b.downloads / "20240524_0123_twice (1).zip").write_bytes(data)
    b.tick(3)
    files = b.filed("twice")
    out = Outcome(first="downloaded twice by the user", fired=(b.downloads / "20240524_0123_twice (1).zip").exists()
                  or len(b.history_rows("twice")) >= 1, fired_note="the second copy arrived in the download folder")
    good = check_filed_browser(files, body)
    out.final, out.ok = ("filed once (second recognised as already filed)" if good else f"{len(files)} copies"), good
    _browser_case(proof, "browser mode: the same ZIP downloaded twice", out, started, b)


def test_browser_download_finishing_right_at_the_end(tmp_path: Path, proof: Recorder) -> None:
    """A ZIP that completes one poll before the visit ends: it must be filed (now or next visit) or reported,
    never silently skipped (the next visit takes files already in the folder as the user's old downloads)."""
    started = time.monotonic()
    b = Browser(tmp_path)
    b.visit()
    data, body = b.zip_bytes("last-second")
    b.tick(1)
    (b.downloads / "20240524_0123_last-second.zip").write_bytes(data)
    b.machine.end(EndCause.USER)  # before the next tick: the end's own last poll is its first sighting
    ended = b.machine.phase in (Phase.ENDED, Phase.FAILED)
    out = Outcome(first=f"visit ended before a tick saw the ZIP; filed now: {len(b.filed('last-second'))}",
                  fired=ended, fired_note="the visit ended before any tick after the ZIP arrived")
    b.visit()
    b.tick(4)
    files = b.filed("last-second")
    reported = [e for e in b.events if e.kind == "failed"]
    good = check_filed_browser(files, body) or bool(reported)
    out.final, out.ok = ("filed" if files else ("reported" if reported else "NOT FILED, NOT REPORTED")), good
    _browser_case(proof, "browser mode: download finished right at the end of the visit", out, started, b)

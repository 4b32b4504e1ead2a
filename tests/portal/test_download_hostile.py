"""Downloads against a hostile server (tests/portal/hostile_server.py): whatever names, ids and breaks it
sends, nothing is written outside the target folder, no file carries a final name unless verified, no
file the download did not create is touched, and received bytes are kept and resumed from."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from denshi_client.documents import naming, winnames
from denshi_client.portal import errors as pe
from denshi_client.portal.client import HttpPortalClient
from denshi_client.portal.model import InboxDocument

from .hostile_server import HostileDoc, HostileServer

MiB = 1 << 20


def _client(srv: HostileServer, **kw: object) -> HttpPortalClient:
    kw.setdefault("backoff_s", 0.001)
    kw.setdefault("read_timeout", 5.0)
    c = HttpPortalClient(srv.base_url, **kw)  # type: ignore[arg-type]
    c.request_otp("demo")
    c.login("demo", "123456")
    return c


@pytest.fixture
def srv() -> Iterator[HostileServer]:
    with HostileServer() as s:
        yield s


def _listed(c: HttpPortalClient, doc_id: str) -> InboxDocument:
    return next(d for d in c.inbox() if d.id == doc_id)


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


# ---- names: nothing outside the folder, no device names ------------------------------------------------------
HOSTILE = [
    ("../../../escaped-id", ""),
    ("../../../escaped-dots", ".."),
    ("/tmp/denshi-absolute-id", ""),
    ("C:\\Windows\\evil", "."),
    ("ok-id-1", "../../escaped-name.zip"),
    ("ok-id-2", "/tmp/denshi-absolute-name.zip"),
    ("ok-id-3", "C:\\evil.zip"),
    ("ok-id-4", "CON.zip"),
    ("ok-id-5", "nul"),
    ("ok-id-6", "COM1.pdf.zip"),
    ("ok-id-7", "lpt0 .zip"),
    ("ok-id-8", "a\x00b\x1f|c?.zip. . "),
    ("ok-id-9", ".~denshi-dl-0123456789abcdef01234567.partial"),
    ("ok-id-10", "長" * 300 + ".zip"),
]


def test_hostile_names_and_ids_stay_inside_the_folder(srv: HostileServer, tmp_path: Path) -> None:
    for i, (doc_id, name) in enumerate(HOSTILE):
        srv.add(HostileDoc(doc_id, name, f"document {i}".encode() * 100))
    dest = tmp_path / "a" / "b" / "c" / "dl"
    before = _files(tmp_path)
    with _client(srv) as c:
        for doc_id, _ in HOSTILE:
            out = c.download(_listed(c, doc_id), dest)
            assert out.parent == dest, (doc_id, out)
            assert _sha(out) == srv.docs[doc_id].sha256
    written = _files(tmp_path) - before
    assert {p.parent for p in written} == {dest}  # nothing anywhere else
    assert len(written) == len(HOSTILE)  # one file each, no leftovers (partials, locks, metadata)
    for p in written:
        assert naming.is_windows_safe(p.name) and not winnames.is_reserved(p.name), p.name
        assert not p.name.startswith(".~denshi-"), p.name
    assert not Path("/tmp/denshi-absolute-id.zip").exists() and not Path("/tmp/denshi-absolute-name.zip").exists()


def test_a_hostile_id_is_sent_as_one_path_segment(srv: HostileServer, tmp_path: Path) -> None:
    srv.add(HostileDoc("../../sessions/current", "x.zip", b"x" * 1000))
    with _client(srv) as c:
        c.download(_listed(c, "../../sessions/current"), tmp_path)
    (req,) = srv.content_requests()
    assert req.path == "/api/v1/documents/..%2F..%2Fsessions%2Fcurrent/content"


# ---- partials never clash with final names or other documents' partials --------------------------------------
def test_a_final_name_that_looks_like_a_partial_is_never_touched(srv: HostileServer, tmp_path: Path) -> None:
    a = srv.add(HostileDoc("A", "clash.zip.part", os.urandom(300_000)))
    b = srv.add(HostileDoc("B", "clash.zip", os.urandom(200_000)))
    with _client(srv) as c:
        out_a = c.download(_listed(c, "A"), tmp_path)
        out_b = c.download(_listed(c, "B"), tmp_path)
    assert out_a == tmp_path / "clash.zip.part" and _sha(out_a) == a.sha256
    assert out_b == tmp_path / "clash.zip" and _sha(out_b) == b.sha256
    assert _files(tmp_path) == {out_a, out_b}


def test_a_users_file_under_the_final_name_is_kept(srv: HostileServer, tmp_path: Path) -> None:
    doc = srv.add(HostileDoc("A", "report.zip", os.urandom(100_000)))
    (tmp_path / "report.zip").write_bytes(b"mine")
    (tmp_path / "report.zip.part").write_bytes(b"also mine")
    with _client(srv) as c:
        out = c.download(_listed(c, "A"), tmp_path)
    assert out.name == "report (2).zip" and _sha(out) == doc.sha256
    assert (tmp_path / "report.zip").read_bytes() == b"mine"
    assert (tmp_path / "report.zip.part").read_bytes() == b"also mine"


# ---- received bytes are kept on a break, and resumed from ------------------------------------------------------
def test_bytes_before_a_stall_are_kept(srv: HostileServer, tmp_path: Path) -> None:
    doc = srv.add(HostileDoc("A", "a.zip", os.urandom(2 * MiB)))
    srv.behaviour.stall_after, srv.behaviour.stall_s = 500_000, 3.0
    with _client(srv, read_timeout=0.5, retries=0) as c:
        with pytest.raises(pe.PortalTimeout):
            c.download(_listed(c, "A"), tmp_path)
        srv.behaviour.stall_after = None
        out = c.download(_listed(c, "A"), tmp_path)
    assert _sha(out) == doc.sha256
    first, second = srv.content_requests()
    assert "range" not in first.headers
    assert second.headers["range"] == "bytes=500000-"  # nothing received was thrown away
    assert second.status == 206


@pytest.mark.parametrize("by_reset", [False, True], ids=["close", "rst"])
def test_8mib_with_a_break_every_512kib_completes(srv: HostileServer, tmp_path: Path, by_reset: bool) -> None:
    doc = srv.add(HostileDoc("A", "big.zip", os.urandom(8 * MiB)))
    srv.behaviour.break_every, srv.behaviour.break_by_reset = 512 * 1024, by_reset
    with _client(srv) as c:
        out = c.download(_listed(c, "A"), tmp_path)
    assert _sha(out) == doc.sha256
    reqs = srv.content_requests()
    assert len(reqs) == 16  # each try continued exactly where the last stopped
    assert [r.headers.get("range") for r in reqs[1:]] == [f"bytes={i * 512 * 1024}-" for i in range(1, 16)]
    assert _files(tmp_path) == {out}


def test_a_server_that_gives_almost_nothing_per_try_is_reported_in_bounded_tries(srv: HostileServer,
                                                                                 tmp_path: Path) -> None:
    srv.add(HostileDoc("A", "big.zip", os.urandom(8 * MiB)))
    srv.behaviour.break_every = 1024
    with _client(srv, retries=2) as c, pytest.raises(pe.PortalError) as e:
        c.download(_listed(c, "A"), tmp_path)
    assert e.value.code == "interrupted"
    assert len(srv.content_requests()) <= 100


# ---- resume after the document changed: If-Range carries the validator of the kept bytes ---------------------
def test_resume_after_the_document_changed_starts_over(srv: HostileServer, tmp_path: Path) -> None:
    doc = srv.add(HostileDoc("A", "a.zip", os.urandom(4 * MiB)))
    old_etag = f'"{doc.sha256}"'
    srv.behaviour.break_every, srv.behaviour.break_times = 3 * MiB, 1
    with _client(srv, retries=0) as c:
        with pytest.raises(pe.PortalError):
            c.download(_listed(c, "A"), tmp_path)
        doc.data = os.urandom(4 * MiB)  # a corrected version replaces it, same size
        out = c.download(_listed(c, "A"), tmp_path)
    assert _sha(out) == doc.sha256
    reqs = srv.content_requests()
    assert len(reqs) == 2
    assert reqs[1].headers["range"] == f"bytes={3 * MiB}-"
    assert reqs[1].headers["if-range"] == old_etag  # the validator of the bytes kept, not of the new listing
    assert reqs[1].status == 200  # so the server sent the new version whole
    assert _files(tmp_path) == {out}


def test_a_server_that_ignores_range_restarts_cleanly(srv: HostileServer, tmp_path: Path) -> None:
    doc = srv.add(HostileDoc("A", "a.zip", os.urandom(2 * MiB)))
    srv.behaviour.break_every, srv.behaviour.break_times = MiB, 1
    srv.behaviour.ignore_range = True
    with _client(srv) as c:
        out = c.download(_listed(c, "A"), tmp_path)
    assert _sha(out) == doc.sha256 and _files(tmp_path) == {out}

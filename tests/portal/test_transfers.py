"""Every injected fault against the real client: the file completes correctly or the failure is reported,
and nothing half-written ever carries the final name."""

from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path

import pytest

from denshi_client.portal import errors as pe
from denshi_client.portal.client import HttpPortalClient
from denshi_client.portal.download_files import Slot
from denshi_client.portal.model import CancelToken, InboxDocument
from denshi_client.portal.standin import Fault, StandInService

from .conftest import login, make_client

MiB = 1 << 20


def _doc(client: HttpPortalClient, svc: StandInService, src: Path) -> InboxDocument:
    doc_id = svc.add_document(src, establishment="0123", file_name="20240524_0123_掛金計算書.zip", copy=False)
    return next(d for d in client.inbox() if d.id == doc_id)


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _partial(dest: Path, doc: InboxDocument, data: bytes | None = None, etag: str | None = None) -> Path:
    """The document's partial in `dest`; with `data`, plant one (recorded as bytes of version `etag`)."""
    slot = Slot(dest, doc.id)
    if data is not None:
        dest.mkdir(parents=True, exist_ok=True)
        slot.start(etag or f'"{doc.sha256}"', doc.size)
        slot.partial.write_bytes(data)
    return slot.partial


def _assert_nothing_final(dest: Path, doc: InboxDocument) -> None:
    assert not (dest / doc.file_name).exists()


class Starts:
    """Progress recorder: where each attempt started (a resume starts past 0)."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def __call__(self, done: int, total: int) -> None:
        self.calls.append((done, total))


# ---- downloads ---------------------------------------------------------------------------------------------
def test_download_plain(client: HttpPortalClient, service: StandInService, big_file: Path, tmp_path: Path) -> None:
    doc = _doc(client, service, big_file)
    prog = Starts()
    out = client.download(doc, tmp_path / "dl", progress=prog)
    assert out.name == doc.file_name and _sha(out) == _sha(big_file)
    assert prog.calls[-1] == (doc.size, doc.size)
    assert not list((tmp_path / "dl").glob("*.part"))


def test_download_resumes_after_reset(client: HttpPortalClient, service: StandInService, big_file: Path,
                                      tmp_path: Path) -> None:
    doc = _doc(client, service, big_file)
    service.faults.add(Fault("reset", "download", after_bytes=3 * MiB))
    service.faults.add(Fault("reset", "download", after_bytes=2 * MiB))
    prog = Starts()
    out = client.download(doc, tmp_path / "dl", progress=prog)
    assert _sha(out) == doc.sha256 == _sha(big_file)
    # total bytes received = file size: each attempt resumed where the last stopped
    received = sum(b - a for (a, _), (b, _) in zip([(0, 0), *prog.calls], prog.calls, strict=False) if b > a)
    assert received == doc.size


def test_download_reset_reported_then_resumed_by_next_call(service: StandInService, big_file: Path,
                                                           tmp_path: Path) -> None:
    with make_client(service, retries=0) as c:
        login(c, service)
        doc = _doc(c, service, big_file)
        service.faults.add(Fault("reset", "download", after_bytes=5 * MiB))
        with pytest.raises(pe.PortalError) as e:
            c.download(doc, tmp_path / "dl")
        assert e.value.code == "interrupted"
        part = _partial(tmp_path / "dl", doc)
        kept = part.stat().st_size
        assert 0 < kept <= 5 * MiB  # an RST also drops what was still in the socket buffer
        _assert_nothing_final(tmp_path / "dl", doc)
        prog = Starts()
        out = c.download(doc, tmp_path / "dl", progress=prog)
        assert prog.calls[0][0] > kept  # continued from the .part
        assert _sha(out) == doc.sha256 and not part.exists()


def test_download_5xx_is_retried(client: HttpPortalClient, service: StandInService, big_file: Path,
                                 tmp_path: Path) -> None:
    doc = _doc(client, service, big_file)
    service.faults.add(Fault("status", "download", status=503, times=2))
    assert _sha(client.download(doc, tmp_path / "dl")) == doc.sha256


def test_download_persistent_5xx_is_reported(client: HttpPortalClient, service: StandInService, big_file: Path,
                                             tmp_path: Path) -> None:
    doc = _doc(client, service, big_file)
    service.faults.add(Fault("status", "download", status=500, times=-1))
    with pytest.raises(pe.ServerError) as e:
        client.download(doc, tmp_path / "dl")
    assert "HTTP 500" in e.value.en
    _assert_nothing_final(tmp_path / "dl", doc)


def test_download_corrupt_body_is_an_error_and_leaves_nothing(client: HttpPortalClient, service: StandInService,
                                                              big_file: Path, tmp_path: Path) -> None:
    doc = _doc(client, service, big_file)
    service.faults.add(Fault("corrupt", "download", after_bytes=4 * MiB + 7))
    with pytest.raises(pe.IntegrityError) as e:
        client.download(doc, tmp_path / "dl")
    assert "SHA-256" in e.value.ja
    assert list((tmp_path / "dl").iterdir()) == []  # bad .part removed, no final file
    assert _sha(client.download(doc, tmp_path / "dl")) == doc.sha256  # a new try is clean


def test_download_damaged_part_is_found_and_replaced(client: HttpPortalClient, service: StandInService,
                                                     big_file: Path, tmp_path: Path) -> None:
    """The prefix already on disk is hashed too: damage before the resume point is found, the .part
    dropped and the document fetched once more from byte 0."""
    doc = _doc(client, service, big_file)
    dest = tmp_path / "dl"
    data = bytearray(big_file.read_bytes()[: 2 * MiB])
    data[100] ^= 1
    _partial(dest, doc, bytes(data))
    out = client.download(doc, dest)
    assert _sha(out) == doc.sha256 and list(dest.iterdir()) == [out]


def test_download_damaged_part_and_damaged_body_is_reported(client: HttpPortalClient, service: StandInService,
                                                            big_file: Path, tmp_path: Path) -> None:
    doc = _doc(client, service, big_file)
    dest = tmp_path / "dl"
    _partial(dest, doc, b"x" * MiB)
    service.faults.add(Fault("corrupt", "download", after_bytes=5 * MiB, times=-1))
    with pytest.raises(pe.IntegrityError):
        client.download(doc, dest)
    assert list(dest.iterdir()) == []


def test_download_slow_link_completes(client: HttpPortalClient, service: StandInService, tmp_path: Path) -> None:
    src = tmp_path / "small.zip"
    src.write_bytes(b"z" * (3 * MiB // 2))
    doc = _doc(client, service, src)
    service.faults.add(Fault("slow", "download", rate_bps=3 * MiB))
    prog = Starts()
    t0 = time.monotonic()
    out = client.download(doc, tmp_path / "dl", progress=prog)
    assert time.monotonic() - t0 >= 0.3  # the line really was slow
    assert _sha(out) == doc.sha256 and len(prog.calls) >= 2


def test_download_slow_beyond_read_timeout_is_a_timeout(service: StandInService, tmp_path: Path) -> None:
    src = tmp_path / "small.zip"
    src.write_bytes(b"z" * 65536)
    with make_client(service, read_timeout=0.3, retries=0) as c:
        login(c, service)
        doc = _doc(c, service, src)
        service.faults.add(Fault("slow", "download", rate_bps=1024))  # after the first 4 KiB: a 4 s pause
        with pytest.raises(pe.PortalTimeout):
            c.download(doc, tmp_path / "dl")
        _assert_nothing_final(tmp_path / "dl", doc)


def test_download_expired_session_is_reported(client: HttpPortalClient, service: StandInService, big_file: Path,
                                              tmp_path: Path) -> None:
    doc = _doc(client, service, big_file)
    service.faults.add(Fault("expire", "download"))
    with pytest.raises(pe.SessionExpired):
        client.download(doc, tmp_path / "dl")
    _assert_nothing_final(tmp_path / "dl", doc)


def test_download_cancel_keeps_part_for_resume(client: HttpPortalClient, service: StandInService, big_file: Path,
                                               tmp_path: Path) -> None:
    doc = _doc(client, service, big_file)
    token = CancelToken()

    def prog(done: int, total: int) -> None:
        if done >= 2 * MiB:
            token.cancel()

    with pytest.raises(pe.TransferCancelled):
        client.download(doc, tmp_path / "dl", progress=prog, cancel=token)
    _assert_nothing_final(tmp_path / "dl", doc)
    assert _partial(tmp_path / "dl", doc).exists()
    assert _sha(client.download(doc, tmp_path / "dl")) == doc.sha256


def test_download_changed_document_restarts(client: HttpPortalClient, service: StandInService, big_file: Path,
                                            tmp_path: Path) -> None:
    """A .part from an older version of the document: If-Range makes the server send it whole."""
    doc = _doc(client, service, big_file)
    dest = tmp_path / "dl"
    _partial(dest, doc, b"old version bytes" * 1000, etag='"' + "0" * 64 + '"')
    assert _sha(client.download(doc, dest)) == doc.sha256
    assert len(list(dest.iterdir())) == 1


def test_download_existing_name_gets_a_number(client: HttpPortalClient, service: StandInService, big_file: Path,
                                              tmp_path: Path) -> None:
    doc = _doc(client, service, big_file)
    dest = tmp_path / "dl"
    dest.mkdir()
    (dest / doc.file_name).write_bytes(b"someone else's file")
    out = client.download(doc, dest)
    assert out.name == "20240524_0123_掛金計算書 (2).zip" and _sha(out) == doc.sha256
    assert (dest / doc.file_name).read_bytes() == b"someone else's file"
    # Downloading the same document again finds the identical copy it saved: no "(3)", no second transfer.
    ino = out.stat().st_ino
    assert client.download(doc, dest) == out
    assert out.stat().st_ino == ino
    assert sorted(p.name for p in dest.iterdir()) == sorted([doc.file_name, out.name])


# ---- uploads -----------------------------------------------------------------------------------------------
def _up(client: HttpPortalClient, path: Path, cid: str | None = None, **kw: object):
    return client.upload(path, form_name="資格取得届", establishment="0123", client_id=cid or uuid.uuid4().hex,
                         **kw)  # type: ignore[arg-type]


def _stored(service: StandInService) -> list:
    return [r for r in service.upload_records() if r.status == "received"]


def test_upload_plain_and_receipt_verified(client: HttpPortalClient, service: StandInService,
                                           big_file: Path) -> None:
    prog = Starts()
    r = _up(client, big_file, progress=prog)
    assert r.received_size == big_file.stat().st_size and r.sha256 == _sha(big_file)
    assert r.file_name == big_file.name and r.form_name == "資格取得届" and r.establishment == "0123"
    [rec] = _stored(service)
    assert _sha(service.upload_path(rec)) == _sha(big_file)
    assert prog.calls[-1] == (big_file.stat().st_size,) * 2
    assert [u.server_id for u in client.uploads()] == [r.server_id]


def test_upload_retried_with_same_id_never_becomes_two(client: HttpPortalClient, service: StandInService,
                                                       big_file: Path) -> None:
    cid = uuid.uuid4().hex
    r1 = _up(client, big_file, cid)
    r2 = _up(client, big_file, cid)
    assert r1 == r2 and len(_stored(service)) == 1


def test_upload_reset_mid_body_is_resent_once(client: HttpPortalClient, service: StandInService,
                                              big_file: Path) -> None:
    service.faults.add(Fault("reset", "upload", after_bytes=3 * MiB))
    r = _up(client, big_file)
    assert r.sha256 == _sha(big_file)
    assert len(_stored(service)) == 1
    assert not list((service.data_dir / "uploads" / "staging").iterdir())


def test_upload_reset_on_commit_answer_still_one(client: HttpPortalClient, service: StandInService,
                                                 big_file: Path) -> None:
    """Commit done but its answer lost: the retry asks first and finds it received."""
    lost = service.faults.add(Fault("lose_answer", "commit"))  # no checksum sent: the upload commits in step 2
    r = _up(client, big_file)
    assert lost.fired == 1  # the service really committed, then dropped the line without answering
    assert r.sha256 == _sha(big_file) and len(_stored(service)) == 1


def test_upload_damaged_in_transit_is_sent_again(client: HttpPortalClient, service: StandInService,
                                                 big_file: Path) -> None:
    service.faults.add(Fault("corrupt", "upload", after_bytes=MiB + 3))
    r = _up(client, big_file)
    [rec] = _stored(service)
    assert r.sha256 == _sha(big_file) == _sha(service.upload_path(rec))


def test_upload_always_damaged_is_reported_and_not_kept(client: HttpPortalClient, service: StandInService,
                                                        big_file: Path) -> None:
    service.faults.add(Fault("corrupt", "upload", after_bytes=10, times=-1))
    with pytest.raises(pe.IntegrityError):
        _up(client, big_file)
    assert _stored(service) == []


def test_upload_persistent_reset_is_reported(client: HttpPortalClient, service: StandInService,
                                             big_file: Path) -> None:
    service.faults.add(Fault("reset", "upload", after_bytes=MiB, times=-1))
    with pytest.raises(pe.PortalError) as e:
        _up(client, big_file)
    assert e.value.code == "interrupted"
    assert _stored(service) == []


def test_upload_5xx_retried(client: HttpPortalClient, service: StandInService, big_file: Path) -> None:
    service.faults.add(Fault("status", "upload", status=503, times=2))
    _up(client, big_file)
    assert len(_stored(service)) == 1


def test_upload_same_id_other_file_is_a_conflict(client: HttpPortalClient, service: StandInService,
                                                 big_file: Path, tmp_path: Path) -> None:
    cid = uuid.uuid4().hex
    _up(client, big_file, cid)
    other = tmp_path / "other.zip"
    other.write_bytes(b"different")
    with pytest.raises(pe.UploadConflict):
        _up(client, other, cid)
    assert len(_stored(service)) == 1


def test_upload_expired_session(client: HttpPortalClient, service: StandInService, big_file: Path) -> None:
    service.faults.add(Fault("expire", "any"))
    with pytest.raises(pe.SessionExpired):
        _up(client, big_file)
    assert _stored(service) == []


def test_upload_slow_link(client: HttpPortalClient, service: StandInService, tmp_path: Path) -> None:
    src = tmp_path / "s.zip"
    src.write_bytes(b"q" * (200 * 1024))
    service.faults.add(Fault("slow", "upload", rate_bps=1 * MiB))
    assert _up(client, src).received_size == 200 * 1024


def test_upload_cancel_stores_nothing(client: HttpPortalClient, service: StandInService, big_file: Path) -> None:
    token = CancelToken()

    def prog(done: int, total: int) -> None:
        if done >= 2 * MiB:
            token.cancel()

    with pytest.raises(pe.TransferCancelled):
        _up(client, big_file, progress=prog, cancel=token)
    assert _stored(service) == []


def test_upload_to_foreign_establishment_forbidden(client: HttpPortalClient, big_file: Path) -> None:
    with pytest.raises(pe.Forbidden):
        client.upload(big_file, form_name="資格取得届", establishment="0789", client_id=uuid.uuid4().hex)


# ---- uploads with the digest known from packing -------------------------------------------------------------
def test_upload_with_known_sha_commits_in_one_step(client: HttpPortalClient, service: StandInService,
                                                   big_file: Path) -> None:
    sha = _sha(big_file)
    r = _up(client, big_file, sha256=sha)
    assert r.sha256 == sha and len(_stored(service)) == 1
    assert _up(client, big_file, r.client_id, sha256=sha) == r


def test_upload_with_known_sha_damaged_in_transit_is_resent(client: HttpPortalClient, service: StandInService,
                                                            big_file: Path) -> None:
    service.faults.add(Fault("corrupt", "upload", after_bytes=5))
    r = _up(client, big_file, sha256=_sha(big_file))
    [rec] = _stored(service)
    assert _sha(service.upload_path(rec)) == r.sha256 == _sha(big_file)


def test_upload_file_changed_since_packing_is_refused(client: HttpPortalClient, service: StandInService,
                                                      big_file: Path) -> None:
    stale = hashlib.sha256(b"what was packed").hexdigest()
    with pytest.raises(pe.IntegrityError):
        _up(client, big_file, sha256=stale)
    assert _stored(service) == []
    assert not list((service.data_dir / "uploads" / "staging").iterdir())


def test_empty_document(client: HttpPortalClient, service: StandInService, tmp_path: Path) -> None:
    src = tmp_path / "empty.zip"
    src.write_bytes(b"")
    doc = _doc(client, service, src)
    out = client.download(doc, tmp_path / "dl")
    assert out.stat().st_size == 0 and out.name == doc.file_name


def test_server_always_breaking_off_is_reported_not_looped(service: StandInService, big_file: Path,
                                                           tmp_path: Path) -> None:
    with make_client(service, retries=2) as c:
        login(c, service)
        doc = _doc(c, service, big_file)
        service.faults.add(Fault("reset", "download", after_bytes=256 * 1024, times=-1))  # each try a bit further
        with pytest.raises(pe.PortalError) as e:
            c.download(doc, tmp_path / "dl")
        assert e.value.code == "interrupted"
        _assert_nothing_final(tmp_path / "dl", doc)


def test_parallel_sends_of_one_id_store_one_upload(service: StandInService, big_file: Path) -> None:
    """Two sends of the same client id at once (a double click, a retry racing the first try)."""
    import threading

    cid = uuid.uuid4().hex
    results: list[object] = []
    clients = [make_client(service), make_client(service)]
    for c in clients:
        login(c, service)  # one after the other: a new OTP request replaces the previous OTP

    def send(c: HttpPortalClient) -> None:
        try:
            results.append(_up(c, big_file, cid))
        except pe.PortalError as e:
            results.append(e)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for c in clients:
        c.close()
    assert len(_stored(service)) == 1
    receipts = [r for r in results if not isinstance(r, Exception)]
    assert len(receipts) == 2 and receipts[0] == receipts[1], results

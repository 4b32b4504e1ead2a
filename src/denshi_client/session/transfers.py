"""Transfers during a visit: inbox → filed PDFs, outbox → uploaded password ZIPs, with history.

Why this layer and not the portal client alone: a transfer here is a whole business
step — refuse what cannot finish before the session ends, record it in the history
*before* it starts (so a crash leaves a visible 'pending' row), keep a small queue
on disk so an interrupted download or upload is listed and resumed on the next
start (an upload keeps its client id, so the retry is idempotent on the service),
decrypt with the profile's stored ZIP password and file the PDFs into the
establishment's folder tree. Source PDFs are never modified: they are copied.

Folder tree (`documents_folder` is `<documents_root>/<establishment 4 digits>` by default):

    <documents_folder>/受信/<YYYY>/<YYYYMM>/<PDFs from the fund>
    <documents_folder>/送信/<YYYY>/<YYYYMM>/<PDFs we sent, under their upload names>

Received documents go by the document's date (from the inbox; the arrival date in
browser mode), sent ones by the day they were sent.
"""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from denshi_client.clock import JST, Clock
from denshi_client.documents import archive, naming, pdfcheck, winnames
from denshi_client.errors import ArchiveError, DenshiError, SessionError, StoreError, ValidationError
from denshi_client.hashing import sha256_file
from denshi_client.portal.errors import SessionExpired
from denshi_client.portal.model import CancelToken, InboxDocument, PortalClient, ProgressCallback, UploadReceipt
from denshi_client.session.model import SessionMode, SessionProfile
from denshi_client.store.atomic import atomic_write_text
from denshi_client.store.history import bilingual
from denshi_client.store.secrets import ZIP_PASSWORD as ZIP_PASSWORD_KIND

log = logging.getLogger(__name__)

FILED_INDEX_LIMIT = 5000  # remembered ZIP digests (to avoid filing one twice)
RECEIVED_DIR = "受信"
SENT_DIR = "送信"
HOLDING_DIR = "未開封"  # <documents_folder>/受信/未開封: verified ZIPs that did not open (wrong password)
# Why a ZIP is held instead of dropped: the bytes are verified, only the password is missing or wrong.
# "corrupt" too: a wrong ZipCrypto password passes the check byte once in 256 and fails the CRC only.
HOLD_CODES = frozenset({"wrong_password", "no_password", "zip_password_missing", "corrupt"})


# The fund's file names start with <date>_<establishment>_ (browser mode has no other metadata).
_EST_IN_NAME = re.compile(r"^\d{8}_(\d{4})_")


class SecretSource(Protocol):
    def require(self, profile_id: str, kind: str) -> str: ...

    def set(self, profile_id: str, kind: str, value: str) -> None: ...


class HistoryLog(Protocol):
    """The subset of `store.history.History` used here."""

    def start(self, *, establishment: str, profile_id: str, direction: str, file_name: str, mode: str,
              original_name: str = "", size: int | None = None, sha256: str | None = None,
              detail: str = "") -> int: ...

    def finish(self, record_id: int, result: str, *, server_id: str | None = None, receipt: str | None = None,
               detail: str | None = None, size: int | None = None, sha256: str | None = None) -> Any: ...

    def find_by_sha256(self, sha256: str) -> Sequence[Any]: ...


class SessionGate(Protocol):
    """The subset of `SessionMachine` transfers need (time left, throughput, the portal)."""

    @property
    def portal(self) -> PortalClient | None: ...

    def require_transfer(self, size_bytes: int) -> None: ...

    def record_throughput(self, n_bytes: int, seconds: float) -> None: ...

    def busy(self, cancel: CancelToken | None = None) -> contextlib.AbstractContextManager[None]: ...

    def login_lost(self, portal: PortalClient | None = None) -> bool: ...


def filing_folder(profile: SessionProfile, direction: str, when: date, *, root: Path | None = None) -> Path:
    """`<documents_folder>/<受信|送信>/<YYYY>/<YYYYMM>`; one place for the tree's shape."""
    base = (Path(profile.documents_folder) if profile.documents_folder
            else (root or Path.cwd()) / winnames.safe_component(profile.establishment))
    sub = RECEIVED_DIR if direction == "receive" else SENT_DIR
    return base / sub / f"{when:%Y}" / f"{when:%Y%m}"


def holding_folder(profile: SessionProfile, *, root: Path | None = None) -> Path:
    """Per establishment, beside its received documents (not a temp folder: it must outlive the cache)."""
    return filing_folder(profile, "receive", date(2000, 1, 1), root=root).parent.parent / HOLDING_DIR


# ----------------------------------------------------------------------------- the persistent queue


class TransferState(enum.StrEnum):
    """Where a queued transfer stands. A StrEnum, so the queue file keeps its plain strings."""

    READY = "ready"              # queued, not started
    PREPARED = "prepared"        # upload: renamed and packed, not sent (browser mode hands it over)
    RUNNING = "running"
    INTERRUPTED = "interrupted"  # the line or the app went away: resumed on the next visit
    FAILED = "failed"
    CANCELLED = "cancelled"      # the user stopped it; still listed, still resumable
    HELD = "held"                # download: verified ZIP kept in the holding folder until a password opens it
    DONE = "done"


_RESUMABLE = frozenset({TransferState.READY, TransferState.RUNNING, TransferState.INTERRUPTED,
                        TransferState.FAILED, TransferState.CANCELLED})


@dataclass
class QueueItem:
    """One transfer that must not be forgotten: listed on the next start until done."""

    id: str                      # the upload's client id (idempotency key) / a download's own id
    kind: str                    # "upload" | "download"
    profile_id: str
    establishment: str
    file_name: str               # upload name (…pdf) or the ZIP's name
    state: TransferState = TransferState.READY
    created_at: str = ""
    form_name: str = ""
    filing_date: str = ""
    source: str = ""             # the user's original file (never modified)
    pdf: str = ""                # our renamed copy
    zip_path: str = ""           # upload: the packed ZIP
    size: int = 0
    sha256: str = ""
    doc: dict[str, Any] = field(default_factory=dict)  # download: the InboxDocument
    history_id: int | None = None
    attempts: int = 0
    error_ja: str = ""
    error_en: str = ""
    server_id: str = ""
    reason: str = ""             # held: the archive's error code (wrong_password / zip_password_missing ...)

    def __post_init__(self) -> None:
        self.state = TransferState(self.state)  # from the queue file: a plain string

    @property
    def resumable(self) -> bool:
        return self.state in _RESUMABLE


class TransferQueue:
    """A small JSON file (atomic writes) of unfinished transfers and of ZIPs already filed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
        except FileNotFoundError:
            pass
        except (OSError, ValueError):
            log.warning("transfer queue %s unreadable; starting a new one", self.path)
        return {"items": {}, "filed": {}}

    def _save(self, data: dict[str, Any]) -> None:
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1))

    def put(self, item: QueueItem) -> None:
        with self._lock:
            data = self._load()
            data.setdefault("items", {})[item.id] = asdict(item)
            self._save(data)

    def get(self, item_id: str) -> QueueItem | None:
        with self._lock:
            d = self._load().get("items", {}).get(item_id)
        return QueueItem(**d) if d else None

    def remove(self, item_id: str) -> None:
        with self._lock:
            data = self._load()
            if data.get("items", {}).pop(item_id, None) is not None:
                self._save(data)

    def items(self, profile_id: str | None = None) -> list[QueueItem]:
        with self._lock:
            raw = list(self._load().get("items", {}).values())
        out = [QueueItem(**d) for d in raw]
        return sorted((i for i in out if profile_id is None or i.profile_id == profile_id), key=lambda i: i.created_at)

    def filed(self, sha256: str) -> list[str] | None:
        with self._lock:
            paths = self._load().get("filed", {}).get(sha256)
        if paths and all(Path(p).exists() for p in paths):
            return list(paths)
        return None

    def mark_filed(self, sha256: str, paths: Sequence[Path]) -> None:
        with self._lock:
            data = self._load()
            filed = data.setdefault("filed", {})
            filed.pop(sha256, None)
            filed[sha256] = [str(p) for p in paths]
            for old in list(filed)[:-FILED_INDEX_LIMIT]:  # oldest first: years of ZIPs stay small
                del filed[old]
            self._save(data)


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class FiledDocument:
    """A received password ZIP, decrypted and filed."""

    zip_name: str
    folder: Path
    files: list[Path]
    sha256: str
    size: int
    doc_id: str = ""
    already_filed: bool = False
    history_id: int | None = None

    @property
    def message_ja(self) -> str:
        """What the user reads; an already-saved document points at the file it already is."""
        if self.already_filed:
            where = str(self.files[0]) if self.files else str(self.folder)
            return f"「{self.zip_name}」は保存済みです（{where}）。同じ書類は二重に保存しません。"
        return f"「{self.zip_name}」を復号して保存しました（{self.folder}）。"

    @property
    def message_en(self) -> str:
        if self.already_filed:
            where = str(self.files[0]) if self.files else str(self.folder)
            return f"'{self.zip_name}' is already saved ({where}); the same document is never saved twice."
        return f"'{self.zip_name}' was decrypted and saved ({self.folder})."


@dataclass(frozen=True)
class Notice:
    """A start-up/banner line about one unfinished document, naming its establishment and title."""

    kind: str          # "held" (opens offline with the right password) | "interrupted" (continues online)
    item_id: str
    establishment: str
    title: str
    ja: str
    en: str


@dataclass(frozen=True)
class UploadResult:
    item: QueueItem
    receipt: UploadReceipt
    filed_copy: Path | None


def login_lost_error() -> SessionError:
    """What a transfer says when the service refused our login mid-visit (the visit ends with it)."""
    return SessionError("電子連携サービスへのログインが無効になったため、送受信できませんでした。",
                        "The login to the document exchange service is no longer valid, so nothing could be "
                        "sent or received.", code="login_lost",
                        hint_ja="もう一度接続してください。途中の送受信は、次回の接続で続きから行えます。",
                        hint_en="Please connect again. An interrupted transfer continues in the next session.")


def _flush_to_disk(files: Sequence[Path], folder: Path) -> None:
    """Filed documents reach the disk before history says "saved" and the ZIP is deleted and the
    document marked read: after a power cut the history must not point at empty files."""
    for path in files:
        with open(path, "ab") as f:  # write access: Windows' FlushFileBuffers refuses read-only handles
            os.fsync(f.fileno())
    if os.name != "nt":  # the new names themselves (a directory cannot be opened for fsync on Windows)
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _files_by_size(folder: Path) -> dict[int, list[Path]]:
    """What the folder held before an unpack, by size: the cheap first test for a duplicate."""
    out: dict[int, list[Path]] = {}
    with contextlib.suppress(OSError), os.scandir(folder) as it:
        for e in it:
            with contextlib.suppress(OSError):
                if e.is_file() and e.name.lower().endswith(".pdf"):
                    out.setdefault(os.stat(e.path).st_size, []).append(Path(e.path))
    return out


def _drop_duplicates(new: Sequence[Path], before: dict[int, list[Path]]) -> tuple[list[Path], set[Path]]:
    """Same SHA-256 as a file already filed: drop the new copy, point at the old one."""
    out: list[Path] = []
    dropped: set[Path] = set()
    for p in new:
        same = [q for q in before.get(p.stat().st_size, []) if q != p]
        digest = sha256_file(p) if same else ""
        twin = next((q for q in same if sha256_file(q) == digest), None)
        if twin is None:
            out.append(p)
            continue
        p.unlink()
        out.append(twin)
        dropped.add(twin)
    return out, dropped


def _who(establishment: str, name: str = "") -> tuple[str, str]:
    ja = f"{establishment} 事業所" + (f"（{name}）" if name else "")
    en = f"establishment {establishment}" + (f" ({name})" if name else "")
    return ja, en


def _already_saved(paths: Sequence[Path]) -> str:
    """The history detail of a document that was filed before (both languages: the UI picks one)."""
    where = "; ".join(map(str, paths))
    return bilingual(f"保存済みです（既存のファイル: {where}）", f"Already saved (existing file: {where})")


def _held_text(item: QueueItem, profile: SessionProfile | None,
               names: dict[str, str] | None = None) -> tuple[str, str]:
    """「0123 事業所の「掛金計算書」は、ZIPのパスワードが違うため開けませんでした。…」"""
    title = str(item.doc.get("title") or "") or Path(item.file_name).stem
    name = (names or {}).get(item.establishment, "")
    if not name and profile is not None and profile.establishment == item.establishment:
        name = profile.name
    who = _who(item.establishment, name)
    missing = item.reason in ("no_password", "zip_password_missing")
    why_ja, why_en = ("ZIPのパスワードが違うため", "the ZIP password is wrong")
    if missing:
        why_ja, why_en = "ZIPのパスワードが登録されていないため", "no ZIP password is stored"
    elif item.reason == "corrupt":
        why_ja = "ZIPのパスワードが違うか、ファイルが壊れているため"
        why_en = "the ZIP password is wrong or the file is damaged"
    return (f"{who[0]}の「{title}」は、{why_ja}開けませんでした。ZIPファイルは保管してあります。"
            "「受信箱」タブの「パスワードを入力して開く」で正しいパスワードを入力すると、接続せずに開いて保存できます。",
            f"'{title}' for {who[1]} could not be opened because {why_en}. The ZIP file is kept: "
            "enter the right password with 'Enter password and open' on the Inbox tab to open and save it "
            "without connecting.")


def _mode(profile: SessionProfile) -> str:
    return "browser" if profile.mode is SessionMode.BROWSER else "direct"


def _doc_to_dict(doc: InboxDocument) -> dict[str, Any]:
    d = asdict(doc)
    d["date"] = doc.date.isoformat()
    return d


def _doc_from_dict(d: dict[str, Any]) -> InboxDocument:
    return InboxDocument(**{**d, "date": date.fromisoformat(d["date"])})


class Transfers:
    """Blocking; run on a worker thread. Progress via `progress(done, total)`, stop via CancelToken."""

    def __init__(self, *, gate: SessionGate | None, secrets: SecretSource, history: HistoryLog | None,
                 queue: TransferQueue, cache_dir: Path, clock: Clock,
                 zip_format: archive.ZipFormat = archive.ZipFormat.AES256, documents_root: Path | None = None,
                 profile_for_establishment: Callable[[str], SessionProfile | None] | None = None) -> None:
        """`profile_for_establishment`: one login may see several establishments (複数事業所管理);
        their documents go to their own folder, opened with their own ZIP password."""
        self.profile_for_establishment = profile_for_establishment
        self.gate = gate
        self.secrets = secrets
        self.history = history
        self.queue = queue
        self.cache_dir = cache_dir
        self.clock = clock
        self.zip_format = zip_format
        self.documents_root = documents_root

    # ----- helpers -----------------------------------------------------------------------
    def _portal(self) -> PortalClient:
        portal = self.gate.portal if self.gate is not None else None
        if portal is None:
            raise SessionError("電子連携サービスにログインしていないため、送受信できません。先に接続してください。",
                               "Not logged in to the service: connect first.", code="not_ready")
        return portal

    def _login_lost(self, portal: PortalClient) -> None:
        """The service refused the login (restarted, or dropped the token early): end the visit.

        Called after the transfer is recorded as interrupted, so nothing is lost. A new login needs
        a new OTP by e-mail, which does not work while the VPN is up, so the visit cannot go on.
        """
        if self.gate is not None:
            self.gate.login_lost(portal)

    def _hist_start(self, profile: SessionProfile, direction: str, file_name: str, **kw: Any) -> int | None:
        if self.history is None:
            return None
        try:
            return self.history.start(establishment=profile.establishment, profile_id=profile.id,
                                      direction=direction, file_name=file_name, mode=_mode(profile), **kw)
        except DenshiError as e:  # a history problem must not lose the document itself
            log.error("history start failed: %s", e.en)
            return None

    def _hist_finish(self, hid: int | None, result: str, **kw: Any) -> None:
        if self.history is None or hid is None:
            return
        try:
            self.history.finish(hid, result, **kw)
        except DenshiError as e:
            log.error("history finish failed: %s", e.en)

    def _zip_password(self, profile: SessionProfile) -> str:
        return self.secrets.require(profile.id, ZIP_PASSWORD_KIND)

    def _today(self) -> date:
        return self.clock.now().astimezone(JST).date()

    def _now_iso(self) -> str:
        return self.clock.now().isoformat()

    def folder_for(self, profile: SessionProfile, direction: str, when: date) -> Path:
        return filing_folder(profile, direction, when, root=self.documents_root)

    def owner_of(self, profile: SessionProfile, establishment: str) -> SessionProfile:
        """The profile whose folder and ZIP password a document of `establishment` belongs to."""
        if not establishment or establishment == profile.establishment:
            return profile
        other = self.profile_for_establishment(establishment) if self.profile_for_establishment else None
        if other is not None:
            return other
        # No profile of its own: a sibling folder, and (same login) this profile's password. The number
        # comes from the server: as a folder name it passes the Windows file-name policy first.
        folder_name = winnames.safe_component(establishment)
        base = Path(profile.documents_folder) if profile.documents_folder else None
        if base is not None and base.name == profile.establishment:
            base = base.parent / folder_name
        elif base is not None:
            base = base / folder_name
        return replace(profile, establishment=establishment, documents_folder=str(base) if base else "")

    # ----- filing a received ZIP (direct and browser mode) -----------------------------------
    def file_zip(self, profile: SessionProfile, zip_path: Path, *, doc: InboxDocument | None = None,
                 when: date | None = None, progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None, history_id: int | None = None,
                 password: str | None = None) -> FiledDocument:
        """Decrypt a received password ZIP into the tree; never two copies of one document.

        Idempotent by the ZIP's SHA-256 (the filed index), and by each PDF's SHA-256 beside it (the
        index lost, or the same PDF packed anew): an identical file already in the folder is kept and
        the new copy dropped. A ZIP that does not open for want of the right password is held (see
        `hold`) and the error names the establishment and the document.
        """
        m = _EST_IN_NAME.match(zip_path.name)
        profile = self.owner_of(profile, doc.establishment if doc else (m.group(1) if m else ""))
        size = zip_path.stat().st_size
        digest = sha256_file(zip_path)
        name = doc.file_name if doc else zip_path.name
        hid = history_id
        if hid is None:
            hid = self._hist_start(profile, "receive", name, original_name=zip_path.name, size=size, sha256=digest,
                                   detail=doc.title if doc else "")
        seen = self.queue.filed(digest)
        if seen is not None:
            paths = [Path(p) for p in seen]
            self._hist_finish(hid, "ok", detail=_already_saved(paths))
            return FiledDocument(name, paths[0].parent if paths else Path(), paths, digest, size,
                                 doc.id if doc else "", True, hid)
        folder = self.folder_for(profile, "receive", when or (doc.date if doc else self._today()))
        try:
            if password is None:
                password = self._zip_password(profile)
            folder.mkdir(parents=True, exist_ok=True)
            before = _files_by_size(folder)
            result = archive.unpack(zip_path, folder, password, progress=progress, cancel=cancel,
                                    hash_files=False)  # the ZIP itself is SHA-256-checked and recorded
            files, dropped = _drop_duplicates([f.path for f in result.files], before)
            _flush_to_disk([f for f in files if f not in dropped], folder)
        except DenshiError as e:
            self._hist_finish(hid, "cancelled" if e.code == "cancelled" else "failed", detail=bilingual(e.ja, e.en))
            if e.code in HOLD_CODES:
                raise self._held_error(profile, zip_path, doc, e) from None
            raise
        except OSError as e:
            err = StoreError(f"書類を保存できませんでした（{e.strerror or type(e).__name__}）。"
                             "保存先の空き容量と権限をご確認ください。",
                             f"Could not file the documents ({e.strerror or type(e).__name__}). "
                             "Please check free space and permissions.", code="file_failed")
            self._hist_finish(hid, "failed", detail=bilingual(err.ja, err.en))
            raise err from None
        self.queue.mark_filed(digest, files)
        again = bool(files) and len(dropped) == len(files)
        if again:
            self._hist_finish(hid, "ok", detail=_already_saved(files))
        else:
            self._hist_finish(hid, "ok", detail="; ".join(f.name for f in files))
        log.info("filed %d file(s) from %s into %s (%d already there)", len(files), name, folder, len(dropped))
        return FiledDocument(name, folder, files, digest, size, doc.id if doc else "", again, hid)

    # ----- saved or not ------------------------------------------------------------------------
    def saved(self, doc: InboxDocument) -> list[Path] | None:
        """Where this document was filed (None: never). An empty list: the history records it as
        received, but its files are no longer where they were put (moved by the user)."""
        if not doc.sha256:
            return None
        seen = self.queue.filed(doc.sha256)
        if seen is not None:
            return [Path(p) for p in seen]
        if self.history is not None:
            try:
                rows = self.history.find_by_sha256(doc.sha256)
            except DenshiError as e:
                log.warning("history lookup failed: %s", e.en)
                rows = []
            if any(r.direction == "receive" and r.result == "ok" for r in rows):
                return []
        return None

    def unsaved(self, docs: Sequence[InboxDocument]) -> list[InboxDocument]:
        return [d for d in docs if self.saved(d) is None]

    # ----- held ZIPs (wrong or missing password): opened offline later ---------------------------
    def hold(self, profile: SessionProfile, zip_path: Path, doc: InboxDocument | None,
             reason: str = "wrong_password") -> QueueItem:
        """Keep a verified ZIP that did not open in the establishment's holding folder, listed.

        Our own download cache is moved; anything else (the browser's download folder) is copied,
        since the user's folders are never changed.
        """
        digest = sha256_file(zip_path)
        item_id = f"held-{profile.id}-{digest[:16]}"
        old = self.queue.get(item_id)
        if old is not None and Path(old.zip_path).is_file():
            return old
        folder = holding_folder(profile, root=self.documents_root)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / winnames.safe_component(zip_path.name)
        n = 2
        while target.exists() and sha256_file(target) != digest:
            target = folder / f"{Path(zip_path.name).stem} ({n}).zip"
            n += 1
        if not target.exists():
            if zip_path.resolve().is_relative_to(self.cache_dir.resolve()):
                shutil.move(str(zip_path), target)
            else:
                shutil.copyfile(zip_path, target)
        m = _EST_IN_NAME.match(zip_path.name)
        item = QueueItem(id=item_id, kind="download", profile_id=profile.id,
                         establishment=doc.establishment if doc else (m.group(1) if m else profile.establishment),
                         file_name=doc.file_name if doc else zip_path.name, state=TransferState.HELD,
                         created_at=self._now_iso(), zip_path=str(target), size=target.stat().st_size,
                         sha256=digest, doc=_doc_to_dict(doc) if doc else {}, reason=reason)
        self.queue.put(item)
        log.info("kept %s in %s until the right ZIP password opens it", target.name, folder)
        return item

    def _held_error(self, profile: SessionProfile, zip_path: Path, doc: InboxDocument | None,
                    e: DenshiError) -> DenshiError:
        try:
            item = self.hold(profile, zip_path, doc, e.code)
        except OSError as ex:  # could not keep it: say what happened, as before
            log.warning("could not keep %s: %s", zip_path.name, ex)
            return e
        ja, en = _held_text(item, profile)
        kept = Path(item.zip_path).parent
        return ArchiveError(ja, en, code=e.code, hint_ja=f"ZIPファイルは「{kept}」に保管しています。",
                            hint_en=f"The ZIP file is kept in '{kept}'.")

    def held(self, profile_id: str | None = None) -> list[QueueItem]:
        """ZIPs waiting for the right password (listed in the inbox, opened without a visit)."""
        return [i for i in self.queue.items(profile_id)
                if i.state is TransferState.HELD and Path(i.zip_path).is_file()]

    def open_held(self, profile: SessionProfile, item: QueueItem, password: str, *,
                  remember: bool = False) -> FiledDocument:
        """Offline: open a held ZIP with the password the user typed; file it and record it.

        `remember`: the password opened the ZIP, so store it in the credential store for the
        establishment it belongs to. A wrong one leaves everything as it was.
        """
        zip_path = Path(item.zip_path)
        if not zip_path.is_file():
            self.queue.remove(item.id)
            raise StoreError("保管していたZIPファイルが見つかりません。移動または削除された可能性があります。",
                             "The kept ZIP file is missing; it may have been moved or deleted.", code="held_missing")
        doc = _doc_from_dict(item.doc) if item.doc else None
        owner = self.owner_of(profile, item.establishment)
        filed = self.file_zip(owner, zip_path, doc=doc, password=password)
        if remember:
            self.secrets.set(owner.id, ZIP_PASSWORD_KIND, password)
        self.queue.remove(item.id)
        with contextlib.suppress(OSError):
            zip_path.unlink()  # filed: the held copy has done its work
        return filed

    def notices(self, profile_id: str, names: dict[str, str] | None = None) -> list[Notice]:
        """Banner lines for one establishment's unfinished documents, each naming it and the document."""
        out: list[Notice] = []
        for item in self.queue.items(profile_id):
            if item.kind != "download":
                continue
            title = str(item.doc.get("title") or "") or Path(item.file_name).stem
            who = _who(item.establishment, (names or {}).get(item.establishment, ""))
            if item.state is TransferState.HELD and Path(item.zip_path).is_file():
                ja, en = _held_text(item, None, names)
                out.append(Notice("held", item.id, item.establishment, title, ja, en))
            elif item.resumable:
                out.append(Notice(
                    "interrupted", item.id, item.establishment, title,
                    f"{who[0]}の「{title}」の受信が途中で止まっています。接続後にもう一度ダウンロードすると、続きから受信します。",
                    f"Receiving '{title}' for {who[1]} stopped part-way. Download it again after connecting "
                    "to continue where it stopped."))
        return out

    # ----- inbox (direct mode) -----------------------------------------------------------------
    def inbox(self) -> list[InboxDocument]:
        portal = self._portal()
        try:
            return portal.inbox()
        except SessionExpired as e:
            self._login_lost(portal)
            raise login_lost_error() from e

    def download(self, profile: SessionProfile, docs: Sequence[InboxDocument], *,
                 progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
                 only_new: bool = False) -> list[FiledDocument]:
        """Download, verify, decrypt, file, mark read — one document after the other.

        `only_new`: skip documents already saved (the default of the inbox's main button; one
        chosen on purpose is fetched again, and still not filed twice). `progress(done, total)`
        covers all documents' bytes. The first failure stops the rest and is raised; what was
        filed before stays filed, the failed one stays queued for resume (or held, see `hold`).
        """
        self._portal()
        if only_new:
            docs = self.unsaved(docs)
        total = sum(d.size for d in docs)
        if self.gate is not None:
            self.gate.require_transfer(total)
        out: list[FiledDocument] = []
        done_before = 0
        for doc in docs:
            item = self._queue_download(profile, doc)
            filed = self._download_one(profile, doc, item, progress, cancel, done_before, total)
            out.append(filed)
            done_before += doc.size
        return out

    def _queue_download(self, profile: SessionProfile, doc: InboxDocument) -> QueueItem:
        item_id = f"dl-{profile.id}-{doc.id}"
        item = self.queue.get(item_id) or QueueItem(
            id=item_id, kind="download", profile_id=profile.id, establishment=profile.establishment,
            file_name=doc.file_name, created_at=self._now_iso(), size=doc.size, sha256=doc.sha256,
            doc=_doc_to_dict(doc))
        self.queue.put(item)
        return item

    def _download_one(self, profile: SessionProfile, doc: InboxDocument, item: QueueItem,
                      progress: ProgressCallback | None, cancel: CancelToken | None, offset: int,
                      total: int) -> FiledDocument:
        portal = self._portal()
        cache = self.cache_dir / "downloads" / profile.id
        if item.history_id is None:
            item.history_id = self._hist_start(self.owner_of(profile, doc.establishment), "receive", doc.file_name,
                                               size=doc.size, sha256=doc.sha256, detail=doc.title)
        item.state, item.attempts = TransferState.RUNNING, item.attempts + 1
        self.queue.put(item)

        def prog(done: int, _tot: int) -> None:
            if progress is not None:
                progress(offset + done, total)

        t0 = time.monotonic()
        try:
            cancel = cancel or CancelToken()  # so that an end of the session can stop it cleanly
            busy = self.gate.busy(cancel) if self.gate is not None else contextlib.nullcontext()
            with busy:
                path = portal.download(doc, cache, progress=prog, cancel=cancel)
        except SessionExpired as e:
            err = login_lost_error()
            self._interrupted(item, err)  # stays queued: the next visit resumes it (the .part is kept)
            self._login_lost(portal)
            raise err from e
        except DenshiError as e:
            self._interrupted(item, e)
            raise
        if self.gate is not None:
            self.gate.record_throughput(doc.size, time.monotonic() - t0)
        try:
            filed = self.file_zip(profile, path, doc=doc, cancel=cancel, history_id=item.history_id)
        except DenshiError as e:
            if e.code in HOLD_CODES and not path.exists():  # held: listed as such, opened offline
                self.queue.remove(item.id)
                raise
            item.state = TransferState.CANCELLED if e.code == "cancelled" else TransferState.FAILED
            item.error_ja, item.error_en = e.ja, e.en
            item.history_id = None  # the history row is closed; a retry opens a new one
            self.queue.put(item)
            raise
        mark = getattr(portal, "mark_read", None)
        lost = False
        if callable(mark):
            try:
                mark(doc)
            except DenshiError as e:  # filed is what matters; the mark comes again next time
                log.warning("could not mark %s read: %s", doc.id, e.en)
                lost = isinstance(e, SessionExpired)
        with contextlib.suppress(OSError):
            path.unlink()  # the PDFs are filed; the ZIP can be fetched again
        self.queue.remove(item.id)
        if lost:
            self._login_lost(portal)
        return filed

    def _interrupted(self, item: QueueItem, e: DenshiError) -> None:
        cancelled = e.code == "cancelled"
        item.state = TransferState.CANCELLED if cancelled else TransferState.INTERRUPTED
        item.error_ja, item.error_en = e.ja, e.en
        self._hist_finish(item.history_id, "cancelled" if cancelled else "failed", detail=bilingual(e.ja, e.en))
        item.history_id = None
        self.queue.put(item)

    # ----- outbox --------------------------------------------------------------------------------
    def prepare_upload(self, profile: SessionProfile, source: Path, *, form_name: str, filing_date: date | str,
                       strict_forms: bool = False) -> QueueItem:
        """Copy, name, check and pack one PDF; queue it with its client id. The source is untouched."""
        source = Path(source)
        if not source.is_file():
            raise ValidationError(f"ファイル「{source.name}」が見つかりません。",
                                  f"File '{source.name}' was not found.", code="not_found")
        name = naming.compose(filing_date, profile.establishment, form_name, strict_forms=strict_forms)
        check = pdfcheck.check_pdf(source)
        if not check.ok:
            first = check.errors[0]
            raise ValidationError(f"「{source.name}」はPDFとして送信できません：{first.ja}",
                                  f"'{source.name}' cannot be sent as a PDF: {first.en}", code=f"pdf_{first.code}")
        cid = uuid.uuid4().hex
        work = self.cache_dir / "outbox" / cid
        pdf = work / name
        zip_path = work / (Path(name).stem + ".zip")
        try:
            work.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, pdf)  # a copy: the user's file is never renamed or changed
            packed = archive.pack([pdf], zip_path, self._zip_password(profile), fmt=self.zip_format,
                                  arcnames=[name])
        except (OSError, DenshiError) as e:
            shutil.rmtree(work, ignore_errors=True)  # nothing half-made stays on a full disk
            if isinstance(e, DenshiError):
                raise
            raise StoreError(f"送信の準備ができませんでした（{e.strerror or type(e).__name__}）。"
                             "作業フォルダーの空き容量と権限をご確認ください。元のファイルは変更していません。",
                             f"Could not prepare the upload ({e.strerror or type(e).__name__}). Please check free "
                             "space and permissions of the work folder. The original file was not changed.",
                             code="disk_full" if getattr(e, "errno", None) == 28 else "prepare_failed") from None
        item = QueueItem(id=cid, kind="upload", profile_id=profile.id, establishment=profile.establishment,
                         file_name=name, created_at=self._now_iso(), form_name=form_name,
                         filing_date=str(naming.parse_date(filing_date)), source=str(source), pdf=str(pdf),
                         zip_path=str(zip_path), size=packed.size, sha256=packed.sha256)
        if profile.mode is SessionMode.BROWSER:
            return self._place_upload_ready(profile, item)  # the browser sends it: nothing to queue
        self.queue.put(item)
        return item

    def _place_upload_ready(self, profile: SessionProfile, item: QueueItem) -> QueueItem:
        """Browser mode: the ZIP goes to the upload-ready folder; the user picks it in the browser."""
        folder = Path(profile.upload_folder) if profile.upload_folder else self.cache_dir / "upload-ready" / profile.id
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / Path(item.zip_path).name
        n = 2
        while target.exists() and sha256_file(target) != item.sha256:
            target = folder / f"{Path(item.zip_path).stem} ({n}).zip"
            n += 1
        shutil.copyfile(item.zip_path, target)
        hid = self._hist_start(profile, "send", item.file_name, original_name=Path(item.source).name, size=item.size,
                               sha256=item.sha256, detail=f"upload-ready: {target}")
        self._hist_finish(hid, "ok", detail=bilingual(f"送信準備フォルダーに作成: {target}", f"prepared in {target}"))
        return replace(item, zip_path=str(target), state=TransferState.PREPARED)

    def upload(self, profile: SessionProfile, item: QueueItem, *, progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> UploadResult:
        """Send a queued item (direct mode); a retry reuses the item's client id."""
        portal = self._portal()
        zip_path = Path(item.zip_path)
        if not zip_path.is_file():
            raise StoreError("送信用のZIPファイルが見つかりません。もう一度、送信の準備からやり直してください。",
                             "The ZIP to send is missing. Please prepare the upload again.", code="upload_missing")
        if self.gate is not None:
            self.gate.require_transfer(item.size)
        if item.history_id is None:
            item.history_id = self._hist_start(profile, "send", item.file_name, original_name=Path(item.source).name,
                                               size=item.size, sha256=item.sha256, detail=item.form_name)
        item.state, item.attempts = TransferState.RUNNING, item.attempts + 1
        self.queue.put(item)
        t0 = time.monotonic()
        try:
            cancel = cancel or CancelToken()  # so that an end of the session can stop it cleanly
            busy = self.gate.busy(cancel) if self.gate is not None else contextlib.nullcontext()
            with busy:
                receipt = portal.upload(zip_path, form_name=item.form_name, establishment=item.establishment,
                                        client_id=item.id, progress=progress, cancel=cancel,
                                        sha256=item.sha256 or None)  # known from packing: one hash pass
        except SessionExpired as e:
            err = login_lost_error()
            self._interrupted(item, err)  # stays queued with its client id: the retry cannot send it twice
            self._login_lost(portal)
            raise err from e
        except DenshiError as e:
            self._interrupted(item, e)
            raise
        if self.gate is not None:
            self.gate.record_throughput(item.size, time.monotonic() - t0)
        if receipt.received_size != item.size or receipt.sha256 != item.sha256 or receipt.client_id != item.id:
            err = SessionError("送信の受領内容が送ったファイルと一致しません。もう一度送信してください。",
                               "The receipt does not match the file sent. Please send it again.",
                               code="receipt_mismatch")
            self._interrupted(item, err)
            raise err
        self._hist_finish(item.history_id, "ok", server_id=receipt.server_id,
                          receipt=json.dumps({"server_id": receipt.server_id, "client_id": receipt.client_id,
                                              "received_at": receipt.received_at.isoformat(),
                                              "size": receipt.received_size, "sha256": receipt.sha256},
                                             ensure_ascii=False))
        copy = self._file_sent_copy(profile, item)
        self.queue.remove(item.id)
        if zip_path.parent.parent == self.cache_dir / "outbox":  # our working copy, not a user folder
            shutil.rmtree(zip_path.parent, ignore_errors=True)
        return UploadResult(replace(item, state=TransferState.DONE, server_id=receipt.server_id), receipt, copy)

    def _file_sent_copy(self, profile: SessionProfile, item: QueueItem) -> Path | None:
        pdf = Path(item.pdf)
        if not pdf.is_file():
            return None
        folder = self.folder_for(profile, "send", self._today())
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / pdf.name
            n = 2
            while target.exists():
                target = folder / f"{pdf.stem} ({n}){pdf.suffix}"
                n += 1
            shutil.copyfile(pdf, target)
            return target
        except OSError as e:
            log.warning("could not keep a copy of the sent file: %s", e)
            return None

    # ----- after a crash / cut --------------------------------------------------------------------
    def pending(self, profile_id: str | None = None) -> list[QueueItem]:
        """Unfinished transfers for the UI to list at start (and offer to resume)."""
        return [i for i in self.queue.items(profile_id) if i.resumable]

    def resume(self, profile: SessionProfile, item: QueueItem, *, progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> UploadResult | FiledDocument:
        if item.kind == "upload":
            return self.upload(profile, item, progress=progress, cancel=cancel)
        doc = _doc_from_dict(item.doc)
        self._portal()
        if self.gate is not None:
            self.gate.require_transfer(doc.size)
        return self._download_one(profile, doc, item, progress, cancel, 0, doc.size)

    def discard(self, item: QueueItem) -> None:
        """The user gives up on an item: forget it (and our working copy, never the source)."""
        self.queue.remove(item.id)
        work = self.cache_dir / "outbox" / item.id
        if work.is_dir():
            shutil.rmtree(work, ignore_errors=True)

"""Filing a received password ZIP (direct and browser mode): decrypt, drop duplicates, flush to disk;
and held ZIPs (wrong or missing password), opened offline later."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from denshi_client.documents import archive, winnames
from denshi_client.errors import ArchiveError, DenshiError, StoreError
from denshi_client.hashing import sha256_file
from denshi_client.portal.model import CancelToken, InboxDocument, ProgressCallback
from denshi_client.session.model import SessionProfile
from denshi_client.session.transfer_base import _TransfersBase
from denshi_client.session.transfer_model import (
    _EST_IN_NAME,
    HOLD_CODES,
    FiledDocument,
    Notice,
    _doc_from_dict,
    _doc_to_dict,
    holding_folder,
)
from denshi_client.session.transfer_queue import QueueItem, TransferState
from denshi_client.store.history import bilingual
from denshi_client.store.secrets import ZIP_PASSWORD as ZIP_PASSWORD_KIND

log = logging.getLogger(__name__)


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



class _Filing(_TransfersBase):
    """Received ZIPs into the folder tree, or into the holding folder until a password opens them."""

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


"""CLI: `denshi-client zip pack|unpack|list` — a thin face over documents.archive.

The password comes from standard input (`--password-stdin`) or the active profile's
keyring entry, never from argv (other users can read the process list).
"""

from __future__ import annotations

import argparse
import contextlib
import os
from pathlib import Path
from typing import Any

from denshi_client import i18n
from denshi_client.cli.output import EXIT_OK, add_json_flag, emit, read_password_stdin, usable_folder
from denshi_client.errors import ArchiveError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("zip", help="password ZIPs: pack, unpack, list / パスワード付き ZIP")
    zsub = p.add_subparsers(dest="zip_command", metavar="ACTION")

    pk = zsub.add_parser("pack", help="pack files into a password ZIP (AES-256 by default)")
    pk.add_argument("files", nargs="+", type=Path, metavar="FILE")
    pk.add_argument("-o", "--output", required=True, type=Path, metavar="OUT.zip")
    pk.add_argument("--format", choices=["aes256", "zipcrypto"], default="aes256",
                    help="aes256 (default) or zipcrypto (opens in Windows Explorer, weak)")
    pk.add_argument("--force", action="store_true", help="replace OUT.zip if it exists")
    _password_flag(pk)
    add_json_flag(pk)
    pk.set_defaults(handler=_pack)

    up = zsub.add_parser("unpack", help="unpack a password ZIP into a folder (never overwrites)")
    up.add_argument("archive", type=Path, metavar="ARCHIVE")
    up.add_argument("-d", "--dest", required=True, type=Path, metavar="DIR", help="created if missing")
    _password_flag(up)
    add_json_flag(up)
    up.set_defaults(handler=_unpack)

    ls = zsub.add_parser("list", help="list entries (names and sizes are not encrypted in ZIP)")
    ls.add_argument("archive", type=Path, metavar="ARCHIVE")
    add_json_flag(ls)
    ls.set_defaults(handler=_list)

    add_json_flag(p)
    p.set_defaults(handler=lambda ns: _usage(p))


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help()
    return 2


def _password_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from one line of standard input (else: the active profile's keyring)")


def _password(ns: argparse.Namespace) -> str:
    if ns.password_stdin:
        return read_password_stdin()
    from denshi_client.store import secrets

    return secrets.get_zip_password_for_active_profile()


def _pack(ns: argparse.Namespace) -> int:
    from denshi_client.documents.archive import ZipFormat, pack

    out: Path = ns.output
    if out.exists() and not ns.force:
        raise ArchiveError(f"「{out}」は既にあります。上書きする場合は --force を付けてください。",
                           f"'{out}' already exists; add --force to replace it.", code="exists")
    pw = _password(ns)
    res = pack(ns.files, out, pw, fmt=ZipFormat(ns.format))
    data = {"ok": True, "path": str(res.path), "size": res.size, "sha256": res.sha256, "entries": res.entries,
            "format": ns.format}
    text = i18n.pick(f"{res.path} を作成しました（{len(res.entries)} 件、{res.size:,} バイト、{ns.format}）",
                     f"Created {res.path} ({len(res.entries)} file(s), {res.size:,} bytes, {ns.format})")
    emit(data, ns.json, text)
    return EXIT_OK


def _unpack(ns: argparse.Namespace) -> int:
    from denshi_client.documents.archive import unpack

    pw = _password(ns)
    dest: Path = ns.dest
    made = not os.path.lexists(dest)  # False (never raises) for a path the system refuses as too long
    # like `unzip -d`: a newcomer expects the folder to be made (and removed again on failure)
    usable_folder(dest)
    try:
        res = unpack(ns.archive, dest, pw, hash_files=bool(ns.json))  # only --json reports a SHA-256 per file
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                dest.rmdir()
        raise
    files: list[dict[str, Any]] = [
        {"name": f.name, "path": str(f.path), "size": f.size, "sha256": f.sha256, "original_name": f.original_name}
        for f in res.files
    ]
    lines = [i18n.pick(f"{len(files)} 件のファイルを {ns.dest} に展開しました。",
                       f"Unpacked {len(files)} file(s) into {ns.dest}.")]
    lines += [f"  {f['name']}  ({f['size']:,})" for f in files]
    for orig, new in res.renamed.items():
        lines.append(i18n.pick(f"  名前を変更: {orig} → {new}", f"  renamed: {orig} -> {new}"))
    emit({"ok": True, "files": files, "renamed": res.renamed}, ns.json, "\n".join(lines))
    return EXIT_OK


def _list(ns: argparse.Namespace) -> int:
    from denshi_client.documents.archive import list_entries

    entries = list_entries(ns.archive)
    rows = [
        {"name": e.name, "safe_name": e.safe_name, "size": e.size, "compressed_size": e.compressed_size,
         "encrypted": e.encrypted, "encryption": e.encryption, "compression": e.compression, "method": e.method,
         "is_dir": e.is_dir, "is_link": e.is_link, "utf8_flag": e.utf8_flag,
         "modified": e.modified.isoformat() if e.modified else None}
        for e in entries
    ]
    lines = [f"{r['size']:>12,}  {r['method']:<18}  {r['name']}" for r in rows]
    emit({"ok": True, "entries": rows}, ns.json, "\n".join(lines) if lines else i18n.pick("（空）", "(empty)"))
    return EXIT_OK

"""CLI: `denshi-client profile add|list|show|use|update|remove` — establishment profiles.

The ZIP password is taken only from standard input (`--zip-password-stdin`) and
goes straight to the OS keyring; nothing here prints it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from denshi_client.cli.output import EXIT_OK, add_json_flag, emit, read_password_stdin
from denshi_client.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("profile", help="establishment profiles (事業所の登録・切り替え)")
    add_json_flag(p)
    ps = p.add_subparsers(dest="profile_cmd", metavar="ACTION")

    a = ps.add_parser("add", help="add an establishment profile")
    _profile_fields(a, required=True)
    a.add_argument("--id", dest="profile_id", help="profile id (default: e<establishment>, e.g. e0123)")
    a.add_argument("--use", action="store_true", help="make it the active profile")
    a.add_argument("--zip-password-stdin", action="store_true",
                   help="read the ZIP password from one line of standard input and keep it in the OS keyring")
    add_json_flag(a)
    a.set_defaults(handler=_add)

    u = ps.add_parser("update", help="change fields of a profile")
    u.add_argument("profile_id", metavar="ID")
    _profile_fields(u, required=False)
    u.add_argument("--zip-password-stdin", action="store_true", help="replace the stored ZIP password (stdin)")
    u.add_argument("--forget-zip-password", action="store_true", help="delete the stored ZIP password")
    add_json_flag(u)
    u.set_defaults(handler=_update)

    ls = ps.add_parser("list", help="list profiles (* = active)")
    add_json_flag(ls)
    ls.set_defaults(handler=_list)

    sh = ps.add_parser("show", help="show one profile (default: the active one)")
    sh.add_argument("profile_id", metavar="ID", nargs="?")
    add_json_flag(sh)
    sh.set_defaults(handler=_show)

    us = ps.add_parser("use", help="make a profile the active one")
    us.add_argument("profile_id", metavar="ID")
    add_json_flag(us)
    us.set_defaults(handler=_use)

    rm = ps.add_parser("remove", help="remove a profile and its stored secrets")
    rm.add_argument("profile_id", metavar="ID")
    rm.add_argument("--keep-secrets", action="store_true", help="leave its keyring entries in place")
    add_json_flag(rm)
    rm.set_defaults(handler=_remove)

    p.set_defaults(handler=lambda ns: _list(ns))


def _profile_fields(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--establishment", required=required, help="establishment number (事業所番号), e.g. 0123")
    p.add_argument("--name", required=required, help="establishment name (事業所名)")
    p.add_argument("--user-id", required=required, help="user ID given by the fund (ユーザーID)")
    p.add_argument("--mode", choices=["browser", "direct"], default="browser" if required else None,
                   help="browser (works with the real service today) or direct")
    p.add_argument("--vpn-account", help="SoftEther VPN account name (default: from the policy's template)")
    p.add_argument("--download-folder", help="the browser's download folder (watched in browser mode)")
    p.add_argument("--documents-folder", help="where received PDFs are filed")
    p.add_argument("--upload-folder", help="upload-ready folder (password ZIPs for the browser's upload dialog)")
    p.add_argument("--related", action="append", default=None, metavar="NUMBER[,NUMBER...]",
                   help="related establishments managed with this one (複数事業所管理); repeatable")
    p.add_argument("--email", help="administrator e-mail")


def _related(ns: argparse.Namespace) -> list[str] | None:
    if ns.related is None:
        return None
    return [x.strip() for item in ns.related for x in item.split(",") if x.strip()]


def _row(p: Any, *, active_id: str | None, store_secrets: bool = True) -> dict[str, Any]:
    d: dict[str, Any] = p.to_dict()
    d["active"] = p.id == active_id
    if store_secrets:
        from denshi_client.store.secrets import ZIP_PASSWORD, SecretStore

        d["zip_password_stored"] = SecretStore().has(p.id, ZIP_PASSWORD)
    return d


_LABELS = [
    ("id", "プロファイル ID", "Profile id"), ("establishment", "事業所番号", "Establishment number"),
    ("name", "事業所名", "Establishment name"), ("user_id", "ユーザーID", "User ID"), ("mode", "接続方式", "Mode"),
    ("vpn_account", "VPN 接続設定名", "VPN account"), ("download_folder", "ダウンロードフォルダー", "Download folder"),
    ("documents_folder", "書類の保存フォルダー", "Documents folder"),
    ("upload_folder", "送信準備フォルダー", "Upload-ready folder"),
    ("related_establishments", "関連事業所", "Related establishments"), ("email", "メールアドレス", "E-mail"),
    ("zip_password_stored", "ZIP のパスワード", "ZIP password"), ("active", "使用中", "Active"),
]


def _describe(d: dict[str, Any]) -> str:
    lines = []
    for key, ja, en in _LABELS:
        v = d.get(key)
        if isinstance(v, bool):
            if key == "zip_password_stored":
                v = pick("登録済み", "stored") if v else pick("未登録", "not stored")
            else:
                v = pick("はい", "yes") if v else pick("いいえ", "no")
        elif isinstance(v, list):
            v = ", ".join(v) or "-"
        lines.append(f"{pick(ja, en)}: {v if v not in (None, '') else '-'}")
    return "\n".join(lines)


def _warn_no_zip_password(d: dict[str, Any]) -> None:
    """Saved anyway (the password may come later by a separate mail), but said on stderr, never silently."""
    if not d.get("zip_password_stored"):
        sys.stderr.write(pick(
            f"注意: プロファイル「{d['id']}」にはZipファイルのパスワードが登録されていません。受信した書類を開けず、"
            "送信用のZipファイルも作成できません。基金から届いたパスワードを "
            f"`denshi-client profile update {d['id']} --zip-password-stdin` で登録してください。",
            f"Warning: profile “{d['id']}” has no ZIP password: received documents cannot be opened and uploads "
            f"cannot be packed. Store the fund's password with "
            f"`denshi-client profile update {d['id']} --zip-password-stdin`.") + "\n")
        sys.stderr.flush()


def _add(ns: argparse.Namespace) -> int:
    from denshi_client.store.profiles import ProfileStore, new_profile
    from denshi_client.store.secrets import ZIP_PASSWORD, SecretStore

    password = read_password_stdin() if ns.zip_password_stdin else None
    store = ProfileStore()
    profile = new_profile(
        establishment=ns.establishment, name=ns.name, user_id=ns.user_id, mode=ns.mode,
        vpn_account=ns.vpn_account, download_folder=ns.download_folder, documents_folder=ns.documents_folder,
        upload_folder=ns.upload_folder, related_establishments=_related(ns) or (), email=ns.email or "",
        profile_id=ns.profile_id, existing_ids=[p.id for p in store.all()])
    profile = store.add(profile, make_active=ns.use)
    if password is not None:
        try:
            SecretStore().set(profile.id, ZIP_PASSWORD, password)
        except Exception:
            store.remove(profile.id)  # no half-made profile without the password the user gave
            raise
    d = _row(profile, active_id=store.active_id())
    _warn_no_zip_password(d)
    emit({"ok": True, "profile": d}, ns.json,
         pick(f"プロファイル「{profile.id}」（{profile.establishment} {profile.name}）を登録しました。",
              f"Added profile “{profile.id}” ({profile.establishment} {profile.name}).") + "\n" + _describe(d))
    return EXIT_OK


def _update(ns: argparse.Namespace) -> int:
    from denshi_client.store.profiles import ProfileStore
    from denshi_client.store.secrets import ZIP_PASSWORD, SecretStore

    store = ProfileStore()
    store.get(ns.profile_id)  # fail before reading stdin
    password = read_password_stdin() if ns.zip_password_stdin else None
    changes: dict[str, Any] = {}
    for attr in ("establishment", "name", "user_id", "mode", "vpn_account", "download_folder", "documents_folder",
                 "upload_folder", "email"):
        v = getattr(ns, attr)
        if v is not None:
            changes[attr] = v
    related = _related(ns)
    if related is not None:
        changes["related_establishments"] = related
    profile = store.update(ns.profile_id, **changes) if changes else store.get(ns.profile_id)
    secrets = SecretStore()
    if password is not None:
        secrets.set(profile.id, ZIP_PASSWORD, password)
    elif ns.forget_zip_password:
        secrets.delete(profile.id, ZIP_PASSWORD)
    d = _row(profile, active_id=store.active_id())
    _warn_no_zip_password(d)
    emit({"ok": True, "profile": d}, ns.json,
         pick(f"プロファイル「{profile.id}」を更新しました。", f"Updated profile “{profile.id}”.")
         + "\n" + _describe(d))
    return EXIT_OK


def _list(ns: argparse.Namespace) -> int:
    from denshi_client.store.profiles import ProfileStore

    store = ProfileStore()
    profiles = store.all()
    active = store.active_id()
    rows = [_row(p, active_id=active) for p in profiles]
    if not rows:
        text = pick("登録されたプロファイルはありません。`denshi-client profile add` で登録できます。",
                    "No profiles yet. Add one with `denshi-client profile add`.")
    else:
        head = pick("  ID / 事業所番号 / 事業所名 / ユーザーID / 方式 / ZIPパスワード",
                    "  ID / establishment / name / user ID / mode / ZIP password")
        body = [
            f"{'*' if r['active'] else ' '} {r['id']}  {r['establishment']}  {r['name']}  {r['user_id']}  {r['mode']}  "
            + (pick("登録済み", "stored") if r["zip_password_stored"] else pick("未登録", "not stored"))
            for r in rows]
        text = "\n".join([head, *body])
    emit({"active": active, "profiles": rows}, ns.json, text)
    return EXIT_OK


def _show(ns: argparse.Namespace) -> int:
    from denshi_client.store.profiles import ProfileStore

    store = ProfileStore()
    profile = store.get(ns.profile_id) if ns.profile_id else store.require_active()
    d = _row(profile, active_id=store.active_id())
    emit(d, ns.json, _describe(d))
    return EXIT_OK


def _use(ns: argparse.Namespace) -> int:
    from denshi_client.store.profiles import ProfileStore

    store = ProfileStore()
    profile = store.use(ns.profile_id)
    emit({"ok": True, "active": profile.id}, ns.json,
         pick(f"使用するプロファイルを「{profile.id}」（{profile.establishment} {profile.name}）に切り替えました。",
              f"Now using profile “{profile.id}” ({profile.establishment} {profile.name})."))
    return EXIT_OK


def _remove(ns: argparse.Namespace) -> int:
    from denshi_client.store.profiles import ProfileStore
    from denshi_client.store.secrets import SecretStore

    store = ProfileStore()
    profile = store.remove(ns.profile_id)
    deleted = [] if ns.keep_secrets else SecretStore().delete_all(profile.id)
    emit({"ok": True, "removed": profile.id, "secrets_deleted": deleted, "active": store.active_id()}, ns.json,
         pick(f"プロファイル「{profile.id}」を削除しました。", f"Removed profile “{profile.id}”.")
         + (pick("（保存していたパスワードも削除しました）", " (its stored passwords were deleted too)")
            if deleted else ""))
    return EXIT_OK

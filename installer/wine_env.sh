# Sourced by the build/test scripts: one private wine prefix under the git-ignored .work/ folder.
# Pitfalls handled here (../shared/notes/packaging.md §3): HOME is private so winemenubuilder cannot
# write .lnk/.desktop files into the real home (P1); winemenubuilder/mono/gecko are disabled;
# Qt variables must be passed as WINEQT_* because wine filters QT_* (P6).
: "${WORK:=$REPO/.work}"
export WINEPREFIX="${WINEPREFIX:-$WORK/wine/prefix}"
export HOME="$WORK/wine/home"
export WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=d;mshtml=d"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEARCH=win64
export PYTHONUTF8=1
export WINEQT_QPA_PLATFORM=offscreen
unset DISPLAY
mkdir -p "$HOME"

# winpath /abs/unix/path -> Z:\abs\unix\path (wine maps / to Z:)
winpath() { printf 'Z:%s' "$(printf '%s' "$1" | tr '/' '\\')"; }

# Wine needs pipes on both standard streams, or Python dies with "Invalid handle" (notes §4).
wrun() { echo | wine "$@" 2>&1 | cat; return "${PIPESTATUS[1]}"; }

wine_prefix_ready() {
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    mkdir -p "$WINEPREFIX"
    wine wineboot --init >/dev/null 2>&1 || true
    wineserver -w || true
  fi
}

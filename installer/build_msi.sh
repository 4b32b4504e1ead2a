#!/usr/bin/env bash
# Builds DenshiClient-<version>.msi from a Windows onedir with wixl (msitools) + msibuild post-processing.
#
#   installer/build_msi.sh PAYLOAD_DIR OUT.msi [VERSION]
#
# wixl 0.101 rejects absolute Source paths (pitfall W1), so everything is referenced relative to a
# scratch folder holding a `payload` symlink.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PAYLOAD="$(cd "$1" && pwd)"
OUT="$(realpath -m "$2")"
VERSION="${3:-$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$REPO/src/denshi_client/__init__.py")}"
[ -f "$PAYLOAD/DenshiClient.exe" ] || { echo "not a Windows onedir (no DenshiClient.exe): $PAYLOAD" >&2; exit 2; }
S="$(mktemp -d "${TMPDIR:-/tmp}/denshi-msi.XXXXXX")"
trap 'rm -rf "$S"' EXIT
cd "$S"
ln -s "$PAYLOAD" payload
cp "$REPO/resources/icons/app.ico" app.ico
cp "$REPO/installer/product.wxs" product.wxs
find payload/ | sort | wixl-heat --var var.SourceDir --directory-ref INSTALLDIR --component-group CG.AppFiles \
  -p payload/ --win64 > appfiles.wxs
wixl -a x64 -D SourceDir=payload -D Win64=yes -D Version="$VERSION" -D IconFile=app.ico product.wxs appfiles.wxs -o app.msi \
  2> wixl.log || { cat wixl.log >&2; exit 1; }
"$REPO/installer/postprocess_msi.sh" app.msi
mkdir -p "$(dirname "$OUT")"
mv app.msi "$OUT"
echo "$OUT ($(du -m --apparent-size "$OUT" | cut -f1) MB, version $VERSION)"

#!/usr/bin/env bash
# Install the map's third-party JavaScript from the npm registry at pinned versions
# into static/vendor/ (git-ignored), so that the map needs no CDN at run time.
# Idempotent: does nothing when the pinned versions are already in place.
set -euo pipefail
cd "$(dirname "$0")/.."
PINS="leaflet@1.9.4 supercluster@8.0.1 leaflet.markercluster@1.5.3 jquery@3.7.1 axe-core@4.14.1"
DEST=static/vendor
STAMP="$DEST/.installed"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$PINS" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm est requis pour installer Leaflet (apt-get install npm)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm install --silent --no-save --no-package-lock --no-audit --no-fund $PINS >/dev/null)
rm -rf "$DEST"
mkdir -p "$DEST/leaflet" "$DEST/supercluster" "$DEST/markercluster"
cp -r "$WORK/node_modules/leaflet/dist/." "$DEST/leaflet/"
cp "$WORK/node_modules/leaflet/LICENSE" "$DEST/leaflet/"
cp "$WORK/node_modules/supercluster/dist/supercluster.min.js" "$DEST/supercluster/"
cp "$WORK/node_modules/supercluster/LICENSE" "$DEST/supercluster/"
# Only the benchmark's "obvious pattern" baseline uses Leaflet.markercluster and jQuery
# (folium's popups need jQuery).
mkdir -p "$DEST/jquery"
cp "$WORK/node_modules/jquery/dist/jquery.min.js" "$WORK/node_modules/jquery/LICENSE.txt" "$DEST/jquery/"
cp -r "$WORK/node_modules/leaflet.markercluster/dist/." "$DEST/markercluster/"
cp "$WORK/node_modules/leaflet.markercluster/MIT-LICENCE.txt" "$DEST/markercluster/" 2>/dev/null || true
# axe-core checks accessibility in the browser tests only (never loaded by the app's pages).
mkdir -p "$DEST/axe-core"
cp "$WORK/node_modules/axe-core/axe.min.js" "$WORK/node_modules/axe-core/LICENSE" "$DEST/axe-core/"
echo "$PINS" > "$STAMP"
echo "Ressources cartographiques installées : $PINS"

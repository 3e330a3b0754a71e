#!/usr/bin/env bash
# Copies the pinned front-end packages (package.json / package-lock.json) into the repo,
# so the site never loads anything from a CDN at run time.
#   static/vendor/leaflet/                 Leaflet JS, CSS and marker images
#   static/vendor/leaflet.markercluster/   MarkerCluster JS and CSS
#   tests/browser/vendor/axe.min.js        axe-core, only for the browser tests
# Run from anywhere: bash scripts/vendor.sh. The copied files are committed; node_modules/ is not.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

npm ci --no-audit --no-fund

NM="$ROOT/node_modules"

pkg_version() {
    node -p "require('$NM/$1/package.json').version"
}

pkg_license() {
    node -p "require('$NM/$1/package.json').license"
}

# write_notice DEST_DIR PACKAGE LICENSE_FILE FILES...
write_notice() {
    local dest="$1" pkg="$2" license_file="$3"
    shift 3
    {
        echo "$pkg $(pkg_version "$pkg")"
        echo
        echo "Licence: $(pkg_license "$pkg") (full text below, copied from the package)."
        echo "Copied from the npm package by scripts/vendor.sh; do not edit by hand."
        echo "Files: $*"
        echo
        echo "----------------------------------------------------------------------"
        echo
        cat "$NM/$pkg/$license_file"
    } > "$dest/LICENSE"
}

# Leaflet
LEAFLET="$ROOT/static/vendor/leaflet"
rm -rf "$LEAFLET"
mkdir -p "$LEAFLET/images"
cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.css" "$LEAFLET/"
cp "$NM/leaflet/dist/images/"*.png "$LEAFLET/images/"
write_notice "$LEAFLET" leaflet LICENSE leaflet.js leaflet.css "images/*.png"

# Leaflet.markercluster
CLUSTER="$ROOT/static/vendor/leaflet.markercluster"
rm -rf "$CLUSTER"
mkdir -p "$CLUSTER"
cp "$NM/leaflet.markercluster/dist/leaflet.markercluster.js" \
   "$NM/leaflet.markercluster/dist/MarkerCluster.css" \
   "$NM/leaflet.markercluster/dist/MarkerCluster.Default.css" \
   "$CLUSTER/"
write_notice "$CLUSTER" leaflet.markercluster MIT-LICENCE.txt \
    leaflet.markercluster.js MarkerCluster.css MarkerCluster.Default.css

# Some files in the npm packages are mode 755; plain data files should not be executable.
# (The files are otherwise copied byte for byte; the sourceMappingURL comments stay,
# browsers only fetch .map files when the developer tools are open.)
find "$LEAFLET" "$CLUSTER" -type f -exec chmod 644 {} +

# axe-core (browser tests only, never served to residents)
AXE="$ROOT/tests/browser/vendor"
mkdir -p "$AXE"
rm -f "$AXE/axe.min.js" "$AXE/LICENSE"
cp "$NM/axe-core/axe.min.js" "$AXE/axe.min.js"
chmod 644 "$AXE/axe.min.js"
write_notice "$AXE" axe-core LICENSE axe.min.js

echo "Vendored: leaflet $(pkg_version leaflet), leaflet.markercluster $(pkg_version leaflet.markercluster), axe-core $(pkg_version axe-core)"

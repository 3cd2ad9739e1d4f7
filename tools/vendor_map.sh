#!/usr/bin/env bash
# Vendors the map: Leaflet from npm (static/vendor/leaflet/) and Denmark's outline from
# Natural Earth 1:10m (npm world-atlas, TopoJSON), converted to GeoJSON with npm
# topojson-client (static/vendor/denmark/denmark.geojson). Run by hand to upgrade;
# the site and the tests never fetch anything.
set -euo pipefail
cd "$(dirname "$0")/.."
LEAFLET=1.9.4 WORLD_ATLAS=2.0.2 TOPOJSON_CLIENT=3.1.0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "leaflet@$LEAFLET" "world-atlas@$WORLD_ATLAS" "topojson-client@$TOPOJSON_CLIENT" >/dev/null)
for pkg in "$work"/*.tgz; do mkdir -p "${pkg%.tgz}" && tar xzf "$pkg" -C "${pkg%.tgz}"; done
rm -rf static/vendor/leaflet && mkdir -p static/vendor/leaflet static/vendor/denmark
cp -r "$work/leaflet-$LEAFLET/package/dist/"{leaflet.js,leaflet.js.map,leaflet.css,images} "$work/leaflet-$LEAFLET/package/LICENSE" static/vendor/leaflet/
cp "$work/world-atlas-$WORLD_ATLAS/package/LICENSE" static/vendor/denmark/LICENSE-world-atlas
node tools/denmark_outline.js "$work/topojson-client-$TOPOJSON_CLIENT/package" \
  "$work/world-atlas-$WORLD_ATLAS/package/countries-10m.json" > static/vendor/denmark/denmark.geojson

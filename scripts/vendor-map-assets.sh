#!/usr/bin/env bash
# Vendors the map's browser files into src/RestorationWorkflow.Web/wwwroot/lib (no CDN, no node at run time):
#   leaflet 1.9.4 and leaflet-draw 1.0.4 (dist js/css/images + licence), and the Natural Earth country outlines
#   from world-atlas 2.0.2 (countries-50m TopoJSON, public domain) converted once to GeoJSON with topojson-client
#   3.1.0, coordinates rounded to 0.001° (~110 m, finer than the 1:50m data), plus the ISO 3166-1 numeric → alpha-2
#   table from Debian's iso-codes (apt package iso-codes, /usr/share/iso-codes/json/iso_3166-1.json).
# Needs npm, node and the iso-codes package. Usage: scripts/vendor-map-assets.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lib="$root/src/RestorationWorkflow.Web/wwwroot/lib"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent leaflet@1.9.4 leaflet-draw@1.0.4 world-atlas@2.0.2 topojson-client@3.1.0 >/dev/null
for f in *.tgz; do d=${f%.tgz}; mkdir -p "$d"; tar xzf "$f" -C "$d"; done

rm -rf "$lib/leaflet" "$lib/leaflet-draw" "$lib/natural-earth"
mkdir -p "$lib/leaflet" "$lib/leaflet-draw" "$lib/natural-earth"
cp leaflet-1.9.4/package/dist/leaflet.js leaflet-1.9.4/package/dist/leaflet.css leaflet-1.9.4/package/LICENSE "$lib/leaflet/"
cp -r leaflet-1.9.4/package/dist/images "$lib/leaflet/"
cp leaflet-draw-1.0.4/package/dist/leaflet.draw.js leaflet-draw-1.0.4/package/dist/leaflet.draw.css "$lib/leaflet-draw/"
cp -r leaflet-draw-1.0.4/package/dist/images "$lib/leaflet-draw/"
# The npm package ships no licence file; its package.json says MIT. The text of the project's MIT-LICENSE.md:
cat > "$lib/leaflet-draw/LICENSE" <<'LICENSE'
Copyright 2012-2017 Jon West, Jacob Toye, and Leaflet

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation the
rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit
persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the
Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE
WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENSE
cp world-atlas-2.0.2/package/LICENSE "$lib/natural-earth/LICENSE.world-atlas"

cat > convert.js <<'JS'
const fs = require('fs');
const topojson = require('./topojson-client-3.1.0/package/dist/topojson-client.js');
const [out] = process.argv.slice(2);
const topology = JSON.parse(fs.readFileSync('world-atlas-2.0.2/package/countries-50m.json', 'utf8'));
const collection = topojson.feature(topology, topology.objects.countries);
const round = v => Math.round(v * 1000) / 1000;
const ring = r => {
  const out = [];
  for (const [x, y] of r) {
    const p = [round(x), round(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
};
const polygon = rings => rings.map(ring).filter(r => r.length >= 4);
for (const f of collection.features) {
  const g = f.geometry;
  if (g && g.type === 'Polygon') g.coordinates = polygon(g.coordinates);
  if (g && g.type === 'MultiPolygon') g.coordinates = g.coordinates.map(polygon).filter(p => p.length > 0);
  f.properties = { name: f.properties.name };
}
fs.writeFileSync(out + '/countries-50m.geojson', JSON.stringify(collection));
const iso = JSON.parse(fs.readFileSync('/usr/share/iso-codes/json/iso_3166-1.json', 'utf8'))['3166-1'];
const table = {};
for (const c of iso.sort((a, b) => a.numeric.localeCompare(b.numeric))) table[c.numeric] = c.alpha_2;
fs.writeFileSync(out + '/iso3166-numeric-alpha2.json', JSON.stringify(table, null, 0) + '\n');
JS
node convert.js "$lib/natural-earth"
echo "Vendored into $lib: leaflet, leaflet-draw, natural-earth"

// Sites on a map (Leaflet, vendored): the project page's map and the site editor's. Reads everything from data-*
// attributes (no inline script, see SecurityHeaders.cs). Without Map:TileUrl there is no tile layer: the sites are drawn
// over the vendored Natural Earth country outlines.
(function () {
  'use strict';

  var siteStyle = { color: '#b3261e', weight: 2, fillColor: '#f6c343', fillOpacity: 0.55 };
  var otherStyle = { color: '#2f4f6b', weight: 1.5, fillColor: '#9fb8cf', fillOpacity: 0.45 };

  function baseMap(element, options) {
    var map = L.map(element, L.extend({ worldCopyJump: false, minZoom: 1, maxZoom: 18 }, options || {}));
    map.setView([0, 20], 2);
    var tileUrl = element.dataset.tileUrl;
    if (tileUrl) {
      L.tileLayer(tileUrl, { attribution: element.dataset.tileAttribution || '' }).addTo(map);
    }
    map.attributionControl.addAttribution('Natural Earth');
    return map;
  }

  // Calls fn with every position ([lon, lat]) of a GeoJSON geometry, Feature or FeatureCollection.
  function eachPosition(geojson, fn) {
    var walk = function (c) {
      if (!Array.isArray(c)) { return; }
      if (typeof c[0] === 'number') { fn(c); return; }
      c.forEach(walk);
    };
    if (!geojson) { return; }
    if (geojson.type === 'FeatureCollection') { (geojson.features || []).forEach(function (f) { eachPosition(f, fn); }); return; }
    if (geojson.type === 'Feature') { eachPosition(geojson.geometry, fn); return; }
    walk(geojson.coordinates);
  }

  // A site across the antimeridian comes split at 180° (RFC 7946 §3.1.9): drawn as is, its parts lie at both ends of the
  // map and fitting them spans the world. When moving western longitudes east by 360° brings the sites closer together,
  // the map draws them so (Leaflet takes longitudes above 180) and the country outlines west of 0° get a copy there.
  function acrossAntimeridian() {
    var min = Infinity, max = -Infinity, minShifted = Infinity, maxShifted = -Infinity;
    Array.prototype.forEach.call(arguments, function (geojson) {
      eachPosition(geojson, function (p) {
        var x = p[0], shifted = x < 0 ? x + 360 : x;
        min = Math.min(min, x); max = Math.max(max, x);
        minShifted = Math.min(minShifted, shifted); maxShifted = Math.max(maxShifted, shifted);
      });
    });
    return min < max && maxShifted - minShifted < max - min;
  }

  // A copy with western longitudes moved east by 360°.
  function shiftEast(geojson) {
    var copy = JSON.parse(JSON.stringify(geojson));
    eachPosition(copy, function (p) { if (p[0] < 0) { p[0] += 360; } });
    return copy;
  }

  // A drawn polygon back to −180…180 for the server: one reaching east of 180° moves west by 360° from 180° on, so a
  // part that touched the line at −180 touches it there again (one drawn across the line is refused by the server).
  function wrapWest(polygon) {
    var east = false;
    eachPosition({ coordinates: polygon }, function (p) { if (p[0] > 180) { east = true; } });
    if (east) { eachPosition({ coordinates: polygon }, function (p) { if (p[0] >= 180) { p[0] -= 360; } }); }
    return polygon;
  }

  // A few Natural Earth rings jump across 180° (Fiji near 16.5° S, Chukotka, Wrangel Island): drawn as is, each would be a
  // stripe round the world. Their longitudes are made continuous; a ring that winds round a pole (Antarctica) stays.
  function unwrapRing(ring) {
    var out = [[ring[0][0], ring[0][1]]], jumped = false, i, x, min = ring[0][0];
    for (i = 1; i < ring.length; i++) {
      x = ring[i][0];
      while (x - out[i - 1][0] > 180) { x -= 360; jumped = true; }
      while (out[i - 1][0] - x > 180) { x += 360; jumped = true; }
      out.push([x, ring[i][1]]);
      min = Math.min(min, x);
    }
    if (!jumped || Math.abs(out[out.length - 1][0] - out[0][0]) > 1e-9) { return ring; }
    if (min < -180) { out.forEach(function (p) { p[0] += 360; }); }
    return out;
  }

  function polygonsOf(geometry) {
    if (!geometry) { return []; }
    if (geometry.type === 'Polygon') { return [geometry.coordinates]; }
    if (geometry.type === 'MultiPolygon') { return geometry.coordinates; }
    return [];
  }

  // The outlines with their jumping rings unwrapped; with shift, also a copy east of 180° of every polygon west of 0°.
  function prepareOutlines(geojson, shift) {
    var features = [];
    (geojson.features || []).forEach(function (feature) {
      var polygons = polygonsOf(feature.geometry).map(function (polygon) { return polygon.map(unwrapRing); });
      if (polygons.length === 0) { features.push(feature); return; }
      if (shift) {
        polygons = polygons.concat(polygons.filter(function (polygon) {
          return polygon[0].every(function (p) { return p[0] <= 0; });
        }).map(function (polygon) {
          return polygon.map(function (ring) { return ring.map(function (p) { return [p[0] + 360, p[1]]; }); });
        }));
      }
      features.push({ type: 'Feature', id: feature.id, properties: feature.properties, geometry: { type: 'MultiPolygon', coordinates: polygons } });
    });
    return { type: 'FeatureCollection', features: features };
  }

  // Loads the country outlines under everything else; resolves with the project's country layer (or null).
  function addOutlines(map, element, shift) {
    var country = element.dataset.country || '';
    var pane = map.createPane('outlines');
    pane.classList.add('outlines-pane');
    // Below the sites (overlay pane, 400) and above tiles (200).
    pane.style.zIndex = 350;
    return fetch(element.dataset.outlines, { credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (geojson) {
        if (!geojson) { return null; }
        var own = null;
        L.geoJSON(prepareOutlines(geojson, shift), {
          pane: 'outlines',
          interactive: false,
          style: function (feature) {
            var mine = country && String(feature.id) === country;
            return { color: '#8a9a90', weight: mine ? 1.2 : 0.6, fillColor: mine ? '#dcebd9' : '#f1efe8', fillOpacity: 1 };
          },
          onEachFeature: function (feature, layer) {
            if (country && String(feature.id) === country) { own = own ? own.extend(layer.getBounds()) : layer.getBounds(); }
          }
        }).addTo(map);
        element.classList.add('outlines-loaded');
        return own;
      })
      .catch(function () { return null; });
  }

  function siteLayer(collection, style) {
    return L.geoJSON(collection, {
      style: function () { return style; },
      onEachFeature: function (feature, layer) {
        var p = feature.properties || {};
        if (p.name) { layer.bindTooltip(p.name + (p.computedHectares != null ? ' · ' + p.computedHectares + ' ha' : '')); }
        if (layer.getElement) { layer.on('add', function () { var e = layer.getElement(); if (e) { e.setAttribute('data-site', p.id || ''); } }); }
      }
    });
  }

  // The overview stops at zoom 8 so that small sites keep their surroundings (borders, coast) in view.
  function fit(map, bounds, maxZoom) {
    if (bounds && bounds.isValid()) { map.fitBounds(bounds.pad(0.6), { maxZoom: maxZoom || 12 }); return true; }
    return false;
  }

  function parseSites(element) {
    try { return JSON.parse(element.dataset.sites || '{"type":"FeatureCollection","features":[]}'); }
    catch (e) { return { type: 'FeatureCollection', features: [] }; }
  }

  // The project page: every site, read-only.
  var overview = document.getElementById('sites-map');
  if (overview) {
    var map = baseMap(overview);
    var collection = parseSites(overview);
    var pacific = acrossAntimeridian(collection);
    var sites = siteLayer(pacific ? shiftEast(collection) : collection, siteStyle).addTo(map);
    var fitted = fit(map, sites.getBounds(), 8);
    if (pacific) { overview.dataset.antimeridian = 'shifted'; }
    addOutlines(map, overview, pacific).then(function (country) {
      if (!fitted) { fit(map, country); }
      overview.classList.add('map-ready');
    });
  }

  // The site editor: the other sites for reference, the boundary drawn (leaflet-draw) or uploaded.
  var editor = document.getElementById('site-editor-map');
  if (editor) {
    var field = document.getElementById(editor.dataset.boundaryField);
    var status = document.getElementById('boundary-status');
    var fileInput = document.getElementById('BoundaryFile');
    var editMap = baseMap(editor);
    var otherSites = parseSites(editor);
    var initial = null;
    try { initial = field.value.trim() ? JSON.parse(field.value) : null; } catch (e) { initial = null; }
    var pacificEditor = acrossAntimeridian(otherSites, initial);
    var others = siteLayer(pacificEditor ? shiftEast(otherSites) : otherSites, otherStyle).addTo(editMap);
    var drawn = new L.FeatureGroup().addTo(editMap);

    var say = function (key) { if (status) { status.textContent = status.dataset[key] || ''; } };

    // The drawn polygons as one GeoJSON geometry: a Polygon, or a MultiPolygon for several.
    var write = function () {
      var polygons = [];
      drawn.eachLayer(function (layer) {
        var g = layer.toGeoJSON().geometry;
        if (g.type === 'Polygon') { polygons.push(wrapWest(g.coordinates)); }
        if (g.type === 'MultiPolygon') { polygons = polygons.concat(g.coordinates.map(wrapWest)); }
      });
      if (polygons.length === 0) { field.value = ''; say('empty'); return; }
      var geometry = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
      field.value = JSON.stringify(geometry);
      say('drawn');
    };

    // Shows a GeoJSON geometry (or a Feature / FeatureCollection holding one) as editable polygons.
    var show = function (geojson) {
      drawn.clearLayers();
      L.geoJSON(pacificEditor ? shiftEast(geojson) : geojson, { style: function () { return siteStyle; } }).eachLayer(function (layer) {
        if (layer instanceof L.Polygon) {
          var latlngs = layer.getLatLngs();
          // A multipolygon arrives as one layer of several polygons: split it so each can be edited.
          if (Array.isArray(latlngs[0]) && Array.isArray(latlngs[0][0])) {
            latlngs.forEach(function (p) { drawn.addLayer(L.polygon(p, siteStyle)); });
          } else {
            drawn.addLayer(layer);
          }
        }
      });
      fit(editMap, drawn.getBounds());
    };

    if (initial) {
      try { show(initial); say('drawn'); } catch (e) { say('empty'); }
    } else if (field.value.trim()) {
      say('empty');
    } else {
      say('empty');
    }

    editMap.addControl(new L.Control.Draw({
      position: 'topright',
      draw: {
        polygon: { allowIntersection: false, showArea: false, shapeOptions: siteStyle },
        rectangle: { shapeOptions: siteStyle, showArea: false },
        polyline: false, circle: false, marker: false, circlemarker: false
      },
      edit: { featureGroup: drawn }
    }));
    editMap.on(L.Draw.Event.CREATED, function (e) { drawn.addLayer(e.layer); write(); });
    editMap.on(L.Draw.Event.EDITED, write);
    editMap.on(L.Draw.Event.DELETED, write);

    if (fileInput) {
      fileInput.addEventListener('change', function () {
        var file = fileInput.files && fileInput.files[0];
        if (!file) { return; }
        var reader = new FileReader();
        reader.onload = function () {
          try {
            var geojson = JSON.parse(String(reader.result));
            show(geojson);
            write();
            // The server reads the file too: keep it, so its own checks apply to what was uploaded.
          } catch (e) {
            say('badFile');
          }
        };
        reader.readAsText(file);
      });
    }

    var fittedEditor = drawn.getLayers().length > 0 || fit(editMap, others.getBounds());
    addOutlines(editMap, editor, pacificEditor).then(function (country) {
      if (!fittedEditor) { fit(editMap, country); }
      editor.classList.add('map-ready');
    });
  }

  // The portfolio: every site of the projects in view as a dot (GeoJSON points from the page's Sites handler), drawn on a
  // canvas (thousands of markers); a dot opens its project.
  var portfolio = document.getElementById('portfolio-map');
  if (portfolio) {
    var pmap = baseMap(portfolio, { preferCanvas: true });
    addOutlines(pmap, portfolio).then(function () {
      return fetch(portfolio.dataset.sitesUrl, { credentials: 'same-origin' });
    }).then(function (response) { return response && response.ok ? response.json() : null; })
      .then(function (collection) {
        if (collection && collection.features && collection.features.length > 0) {
          var dots = L.geoJSON(collection, {
            pointToLayer: function (feature, latlng) {
              var ha = (feature.properties && feature.properties.hectares) || 0;
              return L.circleMarker(latlng, L.extend({ radius: Math.max(3, Math.min(12, Math.sqrt(ha) / 4)) }, siteStyle));
            },
            onEachFeature: function (feature, layer) {
              var p = feature.properties || {};
              layer.bindTooltip(p.code + ' · ' + p.hectares + ' ha');
              layer.on('click', function () { window.location.href = '/Projects/' + encodeURIComponent(p.projectId); });
            }
          }).addTo(pmap);
          fit(pmap, dots.getBounds(), 6);
        }
        portfolio.dataset.sites = String(collection && collection.features ? collection.features.length : 0);
        portfolio.classList.add('map-ready');
      })
      .catch(function () { portfolio.classList.add('map-ready'); });
  }
})();

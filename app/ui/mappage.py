"""The offline map page: a folium map with vector Shanghai roads and a small JS API for live updates.

There is no tile server in the car, so the page draws the OSM road network itself from the
bundled GeoJSON. folium writes the page; every CDN reference it would add (Leaflet, jQuery,
Bootstrap, awesome-markers) is replaced by the Leaflet copy in assets/leaflet/ or dropped, so the
page makes zero network requests. The QML map view drives the page only through `window.cockpit`
(setCar, setRoute, setMarkers, setSignals, setTheme, setDestination, setLanguage) via runJavaScript: no reload per change.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from app import paths

log = logging.getLogger(__name__)

# People's Square: the middle of the bundled road data.
CENTER = (31.2304, 121.4737)
START_ZOOM = 16
CREDIT = "© OpenStreetMap contributors, ODbL"
# Bump when the page's structure changes; the JS and CSS text are part of the cache key anyway.
PAGE_VERSION = "11"

# Road classes drawn as "major" (wider, brighter); the rest are minor streets.
MAJOR = {"primary", "primary_link", "secondary", "secondary_link", "trunk", "motorway"}


def roads_path() -> Path:
    return paths.ASSETS / "world" / "roads.geojson"


def load_road_lines(path: Path | None = None) -> dict[str, list[list[list[float]]]]:
    """Road polylines as {"major": [...], "minor": [...]}, each line [[lat, lon], ...] at ~1 m precision."""
    data = json.loads((path or roads_path()).read_text(encoding="utf-8"))
    lines: dict[str, list] = {"major": [], "minor": []}
    for feature in data["features"]:
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "LineString":
            continue
        cls = "major" if feature["properties"].get("highway") in MAJOR else "minor"
        # Five decimals is ~1 m: plenty for a display and halves the page size.
        lines[cls].append([[round(lat, 5), round(lon, 5)] for lon, lat in geometry["coordinates"]])
    return lines


# Labels: major roads by name (one label per LABEL_SPACING_M of road, at most LABELS_PER_ROAD) and
# the landmarks in assets/world/landmarks.json, each in English and Chinese.
LABEL_CLASSES = {"trunk", "primary", "secondary"}
LABEL_MIN_M = 400.0
LABEL_SPACING_M = 900.0
LABELS_PER_ROAD = 3


def _line_m(coords: list[list[float]]) -> float:
    import math

    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(coords, coords[1:], strict=False):
        dx = (lon2 - lon1) * 111_320 * math.cos(math.radians(lat1))
        total += math.hypot(dx, (lat2 - lat1) * 110_540)
    return total


def load_labels(path: Path | None = None) -> list[dict]:
    """Map labels [{lat, lon, en, zh, kind: road|landmark}]: where to write which name, both languages."""
    import math

    data = json.loads((path or roads_path()).read_text(encoding="utf-8"))
    by_name: dict[str, list[tuple[float, list]]] = {}
    names: dict[str, tuple[str, str]] = {}
    for feature in data["features"]:
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        if props.get("highway") not in LABEL_CLASSES or geometry.get("type") != "LineString":
            continue
        zh = props.get("name:zh") or props.get("name") or ""
        en = props.get("name:en") or ""
        if not (zh or en):
            continue
        key = zh or en
        names[key] = (en or zh, zh or en)
        coords = geometry["coordinates"]
        by_name.setdefault(key, []).append((_line_m(coords), coords))
    labels: list[dict] = []
    for key, lines in by_name.items():
        if sum(length for length, _ in lines) < LABEL_MIN_M:
            continue
        placed: list[tuple[float, float]] = []
        for _, coords in sorted(lines, key=lambda x: -x[0]):
            lon, lat = coords[len(coords) // 2]
            far = all(
                math.hypot((lon - plon) * 95_000, (lat - plat) * 110_540) >= LABEL_SPACING_M
                for plat, plon in placed
            )
            if far:
                placed.append((lat, lon))
                en, zh = names[key]
                labels.append(
                    {"lat": round(lat, 5), "lon": round(lon, 5), "en": en, "zh": zh, "kind": "road"}
                )
            if len(placed) >= LABELS_PER_ROAD:
                break
    landmarks = paths.ASSETS / "world" / "landmarks.json"
    if landmarks.exists():
        for place in json.loads(landmarks.read_text(encoding="utf-8")).get("places", []):
            if place.get("outside_map") or "lat" not in place:
                continue
            labels.append({"lat": place["lat"], "lon": place["lon"], "en": place.get("en") or place.get("zh"),
                           "zh": place.get("zh") or place.get("en"), "kind": "landmark"})  # fmt: skip
    return labels


_JS_API = """
(function () {
  const map = %(map)s;
  const ROADS = %(roads)s;
  const LABELS = %(labels)s;
  const CENTER = %(center)s;
  const START_ZOOM = %(zoom)s;
  const THEMES = {
    night: {bg: '#0b1018', minor: '#1c2533', major: '#2f3d54', route: '#3fd0ff', routeCasing: '#0b3d52',
            car: '#3fd0ff', label: '#e8edf5', labelBg: 'rgba(16,20,27,0.88)'},
    day:   {bg: '#e7ebf0', minor: '#ffffff', major: '#ffd9a0', route: '#0a7cff', routeCasing: '#b8d6ff',
            car: '#0a7cff', label: '#101620', labelBg: 'rgba(255,255,255,0.92)'}
  };
  const MARKER_COLOURS = {parking: '#4c8dff', restaurant: '#ff8a3d', place: '#8c6cff', destination: '#35d07f'};
  const SIGNAL_COLOURS = {red: '#ff4d4f', amber: '#ffb020', green: '#35d07f', unknown: '#7d8799'};
  let theme = THEMES.night;
  const renderer = L.canvas({padding: 0.3});
  const roadLayers = {minor: [], major: []};
  for (const cls of ['minor', 'major']) {
    for (const line of ROADS[cls]) {
      roadLayers[cls].push(L.polyline(line, {renderer, interactive: false, weight: cls === 'major' ? 6 : 3,
                                              color: theme[cls], opacity: 1, lineCap: 'round'}).addTo(map));
    }
  }
  const routeCasing = L.polyline([], {renderer, weight: 11, color: theme.routeCasing, interactive: false}).addTo(map);
  const routeLine = L.polyline([], {renderer, weight: 6, color: theme.route, interactive: false}).addTo(map);
  const labelLayer = L.layerGroup().addTo(map);
  const signalLayer = L.layerGroup().addTo(map);
  const destinationLayer = L.layerGroup().addTo(map);
  const markerLayer = L.layerGroup().addTo(map);
  let language = 'en', destination = null, routeKey = '', markerKey = '', resumeTimer = null;

  function carHtml() {
    return '<svg viewBox="-20 -20 40 40" width="40" height="40">' +
      '<circle r="17" fill="' + theme.car + '" fill-opacity="0.18"/>' +
      '<path d="M0,-13 L9,10 L0,5 L-9,10 Z" fill="' + theme.car + '" stroke="#ffffff" stroke-width="2" stroke-linejoin="round"/></svg>';
  }
  const carIcon = () => L.divIcon({className: 'cockpit-car', html: '<div class="car-rot">' + carHtml() + '</div>',
                                   iconSize: [40, 40], iconAnchor: [20, 20]});
  const car = L.marker(CENTER, {icon: carIcon(), interactive: false, zIndexOffset: 1000}).addTo(map);

  // The car glides between updates: each setCar starts a short tween from where it is drawn now.
  const RECENTRE_DRIFT = 0.12;  // fraction of the map's size
  let lastMarkers = [];
  let from = {lat: CENTER[0], lon: CENTER[1], heading: 0}, to = from, t0 = 0, duration = 1;
  let drawn = from, follow = true;
  function lerpAngle(a, b, t) { const d = ((b - a + 540) %% 360) - 180; return a + d * t; }
  function frame(now) {
    const t = Math.min(1, (now - t0) / duration);
    drawn = {lat: from.lat + (to.lat - from.lat) * t, lon: from.lon + (to.lon - from.lon) * t,
             heading: lerpAngle(from.heading, to.heading, t)};
    car.setLatLng([drawn.lat, drawn.lon]);
    const el = car.getElement();
    if (el) el.firstChild.style.transform = 'rotate(' + drawn.heading + 'deg)';
    if (t < 1) requestAnimationFrame(frame);
  }
  // Labels in the UI language; where two would overlap on screen the later one is hidden.
  function drawLabels() {
    labelLayer.clearLayers();
    const cls = k => k === 'landmark' ? 'map-label landmark' : 'map-label road';
    LABELS.forEach(l => {
      const text = esc(language === 'zh' ? l.zh : l.en);
      L.marker([l.lat, l.lon], {icon: L.divIcon({className: cls(l.kind), html: '<span>' + text + '</span>',
                                iconSize: null}), interactive: false, keyboard: false}).addTo(labelLayer);
    });
    declutter();
  }
  function declutter() {
    // The destination flag, the result pins and the car come first: labels give way to them.
    const taken = [];
    [destinationLayer, markerLayer].forEach(layer => layer.eachLayer(m => {
      const el = m.getElement();
      if (el) el.querySelectorAll('div').forEach(d => taken.push(d.getBoundingClientRect()));
    }));
    labelLayer.eachLayer(m => {
      const el = m.getElement();
      if (!el) return;
      el.style.visibility = 'visible';
      const r = el.firstChild.getBoundingClientRect();
      const hit = r.width === 0 || taken.some(t => r.left < t.right + 6 && r.right > t.left - 6 &&
                                                  r.top < t.bottom + 4 && r.bottom > t.top - 4);
      if (hit) el.style.visibility = 'hidden'; else taken.push(r);
    });
  }
  map.on('zoomend moveend', declutter);
  // Show a route or results whole, then return to following the car.
  function fitTo(points) {
    if (!points.length) return;
    const bounds = L.latLngBounds(points.map(p => [p[0], p[1]]));
    bounds.extend([to.lat, to.lon]);
    map.fitBounds(bounds, {padding: [56, 56], maxZoom: 17, animate: false});
    follow = false;
    clearTimeout(resumeTimer);
    resumeTimer = setTimeout(() => { follow = true; map.setView([to.lat, to.lon], START_ZOOM, {animate: false}); },
                             window.cockpit.fitHoldMs);
  }
  function drawDestination() {
    destinationLayer.clearLayers();
    if (!destination || destination.lat === undefined) return;
    const name = esc((language === 'zh' ? destination.name_zh : destination.name_en) || '');
    const html = '<div class="flag"><svg viewBox="0 0 24 24" width="18" height="18"><path d="M6 21V4h11l-2 4 2 4H6" ' +
                 'fill="#fff" stroke="#fff" stroke-width="1.5" stroke-linejoin="round"/></svg></div>' +
                 (name ? '<div class="pin-label" style="color:' + theme.label + ';background:' + theme.labelBg + '">' + name + '</div>' : '');
    L.marker([destination.lat, destination.lon], {icon: L.divIcon({className: 'cockpit-destination', html,
             iconSize: [32, 32], iconAnchor: [16, 16]}), interactive: false, zIndexOffset: 500}).addTo(destinationLayer);
  }

  function esc(s) { return String(s).replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c])); }

  window.cockpit = {
    ready: true,
    fitHoldMs: 10000,  // after fitting a route or results, follow the car again after this
    setCar(lat, lon, heading, ms) {
      from = drawn; to = {lat, lon, heading}; t0 = performance.now(); duration = Math.max(1, ms || 900);
      requestAnimationFrame(frame);
      // Recentre in steps, only when the car drifts from the middle: while Leaflet pans, its canvas
      // (the roads) is redrawn behind the DOM car marker, which then floats beside its road.
      if (follow) {
        const p = map.latLngToContainerPoint([lat, lon]), size = map.getSize();
        const drift = Math.max(Math.abs(p.x - size.x / 2) / size.x, Math.abs(p.y - size.y / 2) / size.y);
        if (drift > RECENTRE_DRIFT) map.panTo([lat, lon], {animate: false});
      }
    },
    setFollow(on) { follow = !!on; if (follow) map.panTo([to.lat, to.lon], {animate: false}); },
    setRoute(coords) {
      coords = coords || [];
      routeLine.setLatLngs(coords); routeCasing.setLatLngs(coords);
      const key = coords.length > 1 ? JSON.stringify([coords[0], coords[coords.length - 1], coords.length]) : '';
      if (key && key !== routeKey) fitTo(coords);  // a new route: show it whole
      routeKey = key;
    },
    setMarkers(items) {
      items = items || [];
      lastMarkers = items;
      markerLayer.clearLayers();
      const anySelected = items.some(m => m.selected);
      items.forEach((m, i) => {
        const colour = MARKER_COLOURS[m.kind] || theme.route;
        const cls = 'pin' + (m.selected ? ' selected' : anySelected ? ' dimmed' : '');
        // Numbers match the cards, which carry the names (three labels would overlap); the chosen
        // place gets its name from the destination flag once the route is set.
        const html = '<div class="' + cls + '" style="background:' + colour + '">' + (i + 1) + '</div>';
        L.marker([m.lat, m.lon], {icon: L.divIcon({className: 'cockpit-pin', html, iconSize: [28, 28], iconAnchor: [14, 14]}),
                                  interactive: false, zIndexOffset: m.selected ? 2000 : 1500 - i}).addTo(markerLayer);
      });
      const key = JSON.stringify(items.map(m => [m.lat, m.lon, m.batch]));  // batch: a new search
      if (items.length && key !== markerKey) fitTo(items.map(m => [m.lat, m.lon]));  // new results: show them all
      markerKey = key;
      declutter();
    },
    setDestination(place) { destination = place && place.lat !== undefined ? place : null; drawDestination(); declutter(); },
    setLanguage(code) { language = code === 'zh' ? 'zh' : 'en'; drawLabels(); drawDestination(); },
    // For tests: how many result pins lie inside the visible map, and whether the view follows the car.
    probe() {
      const size = map.getSize();
      const inside = lastMarkers.filter(m => {
        const p = map.latLngToContainerPoint([m.lat, m.lon]);
        return p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y;
      }).length;
      const labels = [];
      labelLayer.eachLayer(m => { const el = m.getElement(); if (el && el.style.visibility !== 'hidden') labels.push(el.textContent); });
      return {pins: lastMarkers.length, pinsInView: inside, follow, zoom: map.getZoom(), labels,
              selected: lastMarkers.findIndex(m => m.selected), destination: !!destination};
    },
    setSignals(items) {
      signalLayer.clearLayers();
      (items || []).forEach(s => {
        L.circleMarker([s.lat, s.lon], {renderer, radius: s.next ? 8 : 5, weight: 2, color: '#ffffff',
                       fillColor: SIGNAL_COLOURS[s.phase] || SIGNAL_COLOURS.unknown, fillOpacity: 1,
                       interactive: false}).addTo(signalLayer);
      });
    },
    setTheme(name) {
      theme = THEMES[name] || THEMES.night;
      document.body.dataset.theme = name;
      map.getContainer().style.background = theme.bg;
      for (const cls of ['minor', 'major']) roadLayers[cls].forEach(l => l.setStyle({color: theme[cls]}));
      routeLine.setStyle({color: theme.route}); routeCasing.setStyle({color: theme.routeCasing});
      car.setIcon(carIcon());
      window.cockpit.setMarkers(lastMarkers);  // their labels carry theme colours
      drawDestination();
      frame(performance.now());
    },
    setZoom(z) { map.setZoom(z, {animate: false}); }
  };
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('%(credit)s');
  window.cockpit.setTheme('night');
  drawLabels();
  document.title = 'cockpit-ready';
})();
"""

_CSS = """
<style>
  html, body { margin: 0; padding: 0; overflow: hidden; }
  body[data-theme=night], body[data-theme=night] .folium-map { background: #0b1018; }
  body[data-theme=day], body[data-theme=day] .folium-map { background: #e7ebf0; }
  .leaflet-container { font-family: 'Noto Sans CJK SC', 'Noto Sans', sans-serif; }
  .cockpit-car .car-rot { width: 40px; height: 40px; will-change: transform; }
  .cockpit-pin .pin { width: 28px; height: 28px; border-radius: 14px; color: #fff; font: 700 15px/28px sans-serif;
                      text-align: center; border: 2px solid #fff; box-sizing: border-box;
                      box-shadow: 0 2px 6px rgba(0,0,0,0.45); }
  .cockpit-pin .pin-label { position: absolute; left: 32px; top: 2px; white-space: nowrap; padding: 2px 8px;
                            border-radius: 6px; font: 600 14px/20px 'Noto Sans CJK SC', sans-serif; }
  .cockpit-pin .pin.selected { transform: scale(1.35); box-shadow: 0 0 0 4px rgba(255,255,255,0.55), 0 2px 8px rgba(0,0,0,0.5); }
  .cockpit-pin .pin.dimmed { opacity: 0.55; }
  .cockpit-destination .flag { width: 32px; height: 32px; border-radius: 16px; background: #35d07f; border: 2px solid #fff;
                               box-sizing: border-box; display: flex; align-items: center; justify-content: center;
                               box-shadow: 0 2px 6px rgba(0,0,0,0.45); }
  .cockpit-destination .pin-label { position: absolute; left: 36px; top: 4px; white-space: nowrap; padding: 2px 8px;
                                    border-radius: 6px; font: 600 14px/20px 'Noto Sans CJK SC', sans-serif; }
  .map-label span { position: absolute; transform: translate(-50%, -50%); white-space: nowrap; pointer-events: none;
                    font: 500 12px/14px 'Noto Sans CJK SC', 'Noto Sans', sans-serif; }
  .map-label.landmark span { font-weight: 700; font-size: 13px; }
  body[data-theme=night] .map-label span { color: #aab4c5; text-shadow: 0 0 3px #0b1018, 0 0 3px #0b1018; }
  body[data-theme=night] .map-label.landmark span { color: #e3c98f; }
  body[data-theme=day] .map-label span { color: #44505f; text-shadow: 0 0 3px #fff, 0 0 3px #fff; }
  body[data-theme=day] .map-label.landmark span { color: #7a4b00; }
  .leaflet-control-attribution { font-size: 12px !important; }
  body[data-theme=night] .leaflet-control-attribution { background: rgba(11,16,24,0.75) !important; color: #9aa4b6; }
</style>
"""


def _local_url(path: Path) -> str:
    return path.resolve().as_uri()


def build_page(out_dir: Path | None = None, roads: Path | None = None) -> Path:
    """Write the map page (cached by content) and return its path. Blocking: run it off the Qt thread."""
    import folium
    from branca.element import Element, MacroElement
    from jinja2 import Template

    roads = roads or roads_path()
    out_dir = out_dir or paths.cache_dir() / "map"
    out_dir.mkdir(parents=True, exist_ok=True)
    stat = roads.stat()
    key = hashlib.sha1(
        f"{PAGE_VERSION}|{roads}|{stat.st_size}|{stat.st_mtime_ns}|{paths.ASSETS}|{_JS_API}|{_CSS}".encode()
    ).hexdigest()[:12]
    page = out_dir / f"cockpit_map_{key}.html"
    if page.exists():
        return page

    leaflet = paths.ASSETS / "leaflet"
    fmap = folium.Map(
        location=CENTER,
        zoom_start=START_ZOOM,
        tiles=None,
        prefer_canvas=True,
        zoom_control=False,
        control_scale=False,
    )
    # Only Leaflet itself, from the bundled copy; the Bootstrap/jQuery/awesome-markers CDN links go.
    fmap.default_js = [("leaflet", _local_url(leaflet / "leaflet.js"))]
    fmap.default_css = [("leaflet_css", _local_url(leaflet / "leaflet.css"))]
    fmap.get_root().header.add_child(Element(_CSS), name="cockpit_css")

    api = MacroElement()
    api._template = Template(
        "{% macro script(this, kwargs) %}"
        + _JS_API.replace("%(map)s", "{{ this._parent.get_name() }}")
        .replace("%(roads)s", json.dumps(load_road_lines(roads), separators=(",", ":")))
        .replace("%(labels)s", json.dumps(load_labels(roads), ensure_ascii=False, separators=(",", ":")))
        .replace("%(zoom)s", str(START_ZOOM))
        .replace("%(credit)s", CREDIT)
        .replace("%%", "%")
        .replace("%(center)s", json.dumps(list(CENTER)))
        + "{% endmacro %}"
    )
    fmap.add_child(api, name="cockpit_api")
    html = fmap.get_root().render()
    for leftover in ("http://", "https://"):
        # Leaflet's own attribution link is the only allowed URL text; anything else would be a CDN fetch.
        for line in html.splitlines():
            if leftover in line and ("src=" in line or "href=" in line or "@import" in line):
                raise RuntimeError(f"map page still references the network: {line.strip()[:120]}")
    tmp = page.with_suffix(".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(page)
    log.info("map page written: %s (%d kB)", page, len(html) // 1024)
    return page

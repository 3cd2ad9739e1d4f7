// Maps with Leaflet (static/vendor/leaflet): the centre, its stops and the van's path,
// over the tiles of MAP_TILE_URL or, without them, over Denmark's outline (vendored
// Natural Earth), so that nothing is fetched from another host. The data comes from
// a JSON script element named by data-map; no inline script or style (CSP).
(function () {
  "use strict";

  const OUTLINE_STYLE = { color: "#7a8b99", weight: 1, fillColor: "#e9efe6", fillOpacity: 1 };
  const STOP_STYLE = { radius: 8, color: "#ffffff", weight: 2, fillColor: "#b4451f", fillOpacity: 1 };
  const HOME_STYLE = { radius: 9, color: "#ffffff", weight: 2, fillColor: "#1f4e79", fillOpacity: 1 };
  let outline = null;

  function json(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function landOutline(config) {
    if (!outline) outline = fetch(config.outline).then((response) => response.json());
    return outline;
  }

  // Ray casting over the outline's islands (rings of [lon, lat]).
  function inside(ring, lon, lat) {
    let hit = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x1, y1] = ring[i];
      const [x2, y2] = ring[j];
      if (y1 > lat !== y2 > lat && lon < ((x2 - x1) * (lat - y1)) / (y2 - y1) + x1) hit = !hit;
    }
    return hit;
  }

  function onLand(geojson, lat, lon) {
    return geojson.features.some((feature) =>
      feature.geometry.coordinates.some(
        ([outer, ...holes]) => inside(outer, lon, lat) && !holes.some((hole) => inside(hole, lon, lat))
      )
    );
  }

  function marker(place, style) {
    const dot = L.circleMarker([place.lat, place.lon], style);
    if (place.label) dot.bindTooltip(place.label);
    if (place.url) {
      dot.on("click", () => {
        window.location.href = place.url;
      });
      dot.on("add", () => {
        const path = dot.getElement();
        if (path) {
          path.classList.add("map-link");
          path.setAttribute("role", "link");
          path.setAttribute("aria-label", place.label);
        }
      });
    }
    return dot;
  }

  function draw(element) {
    if (element.dataset.drawn) return;
    element.dataset.drawn = "1";
    const config = json("map-config");
    const data = json(element.dataset.map);
    if (!config || !data) return;
    const map = L.map(element, { scrollWheelZoom: false });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (config.tiles) {
      L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 18 }).addTo(map);
    } else {
      map.attributionControl.addAttribution("Natural Earth");
      landOutline(config).then((geojson) => {
        L.geoJSON(geojson, { style: OUTLINE_STYLE, interactive: false }).addTo(map).bringToBack();
      });
    }
    const points = [];
    (data.path || []).forEach((line) => {
      L.polyline(line, { color: "#1f4e79", weight: 4, opacity: 0.8 }).addTo(map);
      points.push(...line);
    });
    if (data.home) {
      marker(data.home, HOME_STYLE).addTo(map);
      points.push([data.home.lat, data.home.lon]);
    }
    const stops = (data.stops || []).map((place) => {
      points.push([place.lat, place.lon]);
      return marker(place, STOP_STYLE).addTo(map);
    });
    if (points.length > 1) map.fitBounds(points, { padding: [24, 24], maxZoom: 13 });
    else if (points.length === 1) map.setView(points[0], 12);
    else map.setView([56.0, 10.5], 6);
    if (element.dataset.pick) pick(map, config, stops[0] || null, data);
  }

  // Placing a stop: a click on the map sets the coordinates; typed ones move the dot.
  function pick(map, config, dot, data) {
    const latitude = document.getElementById("id_latitude");
    const longitude = document.getElementById("id_longitude");
    const warning = document.getElementById("place-warning");
    if (!latitude || !longitude) return;
    map.getContainer().classList.add("map-pick");
    const show = (lat, lon) => {
      if (!dot) dot = marker({ lat, lon, label: data.label || "" }, STOP_STYLE).addTo(map);
      dot.setLatLng([lat, lon]);
      if (warning) {
        landOutline(config).then((geojson) => {
          warning.hidden = onLand(geojson, lat, lon);
        });
      }
    };
    map.on("click", (event) => {
      latitude.value = event.latlng.lat.toFixed(5);
      longitude.value = event.latlng.lng.toFixed(5);
      show(event.latlng.lat, event.latlng.lng);
    });
    const typed = () => {
      const lat = parseFloat(latitude.value.replace(",", "."));
      const lon = parseFloat(longitude.value.replace(",", "."));
      if (Number.isFinite(lat) && Number.isFinite(lon)) show(lat, lon);
    };
    latitude.addEventListener("change", typed);
    longitude.addEventListener("change", typed);
  }

  function drawAll(root) {
    if (typeof L === "undefined") return;
    root.querySelectorAll("[data-map]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", () => drawAll(document));
  document.addEventListener("htmx:afterSettle", (event) => drawAll(event.target));
})();

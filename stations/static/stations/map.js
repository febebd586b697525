// The stations map: Leaflet from this site's static files, the stations from the GeoJSON endpoint
// (the same search as the list), and the background tiles from the tile server the site names, if
// any. No tile server, or one that does not answer: the markers stay, on a plain background, and
// the note says so. Without JavaScript the section stays hidden and the list is the page.
(function () {
  "use strict";
  var section = document.querySelector("[data-station-map]");
  if (!section || typeof window.L === "undefined" || !window.fetch) return;
  var L = window.L;
  var data = section.dataset;
  var note = section.querySelector("[data-map-note]");
  var canvas = section.querySelector("[data-map-canvas]");

  function say(text) { note.textContent = text; }

  function distance(metres) {
    if (metres === null || metres === undefined) return "";
    if (metres < 1000) return data.labelM.replace("%(m)s", Math.round(metres));
    return data.labelKm.replace("%(km)s", (metres / 1000).toFixed(1));
  }

  // A popup built from DOM nodes with textContent: station names and addresses are editors'
  // text, never parsed as HTML.
  function popup(props) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.title;
    var title = document.createElement("p");
    title.className = "map-popup-title";
    title.appendChild(link);
    box.appendChild(title);
    var facts = document.createElement("p");
    var state = document.createElement("strong");
    state.className = props.open_now ? "is-open" : "is-closed";
    state.textContent = props.open_now ? data.labelOpen : data.labelClosed;
    facts.appendChild(state);
    var away = distance(props.distance_m);
    if (away) facts.appendChild(document.createTextNode(" · " + away));
    box.appendChild(facts);
    if (props.address) {
      var address = document.createElement("p");
      address.textContent = props.address;
      box.appendChild(address);
    }
    return box;
  }

  section.hidden = false;
  canvas.setAttribute("role", "region");
  canvas.setAttribute("aria-label", data.labelMap);
  var map = L.map(canvas, {attributionControl: false, zoomControl: false, scrollWheelZoom: false});
  L.control.zoom({zoomInTitle: data.labelZoomIn, zoomOutTitle: data.labelZoomOut}).addTo(map);
  // Hashed static file names (the manifest storage) would defeat Leaflet's guess of its image
  // folder, so the icon's files are named here.
  var icon = L.icon({iconUrl: data.icon, iconRetinaUrl: data.icon2x, shadowUrl: data.shadow,
                     iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41]});
  var closedIcon = L.icon({iconUrl: data.icon, iconRetinaUrl: data.icon2x, shadowUrl: data.shadow,
                           iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41],
                           className: "marker-closed"});

  if (data.tiles) {
    var loaded = 0, failed = 0;
    var tiles = L.tileLayer(data.tiles, {maxZoom: 19, subdomains: "abc"});
    tiles.on("tileload", function () { loaded += 1; });
    tiles.on("tileerror", function () { failed += 1; });
    // Once the first screen of tiles has settled: none arrived means the server is out of reach
    // (this machine may well have no internet); take the broken tiles away and say so.
    tiles.on("load", function () {
      if (failed && !loaded && map.hasLayer(tiles)) {
        map.removeLayer(tiles);
        section.classList.add("map-plain");
        say(data.tilesFailed);
      }
    });
    tiles.addTo(map);
  } else {
    section.classList.add("map-plain");
  }

  var bounds = [];
  if (data.here) {
    var here = data.here.split(",").map(Number);
    L.circleMarker(here, {radius: 9, weight: 3, color: "#0b4f8a", fillColor: "#2a7bd1", fillOpacity: 0.9})
      .bindTooltip(data.labelHere).addTo(map);
    bounds.push(here);
  }
  // A first view before the stations arrive (Leaflet needs one); replaced by their bounds.
  map.setView(bounds[0] || [31.23, 121.47], 14);

  fetch(data.geojson, {headers: {Accept: "application/geo+json"}, credentials: "same-origin"})
    .then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then(function (collection) {
      collection.features.forEach(function (feature) {
        var props = feature.properties;
        var point = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
        var label = props.title + " · " + (props.open_now ? data.labelOpen : data.labelClosed);
        L.marker(point, {icon: props.open_now ? icon : closedIcon, alt: label, title: label, keyboard: true})
          .bindPopup(popup(props)).addTo(map);
        bounds.push(point);
      });
      section.setAttribute("data-markers", String(collection.features.length));
      // Room above each point for its 41 px pin.
      if (bounds.length > 1) map.fitBounds(bounds, {paddingTopLeft: [30, 55], paddingBottomRight: [30, 20], maxZoom: 16});
      else if (bounds.length === 1) map.setView(bounds[0], 16);
    })
    .catch(function () {
      say(data.loadFailed);
      section.setAttribute("data-markers", "0");
    });
})();

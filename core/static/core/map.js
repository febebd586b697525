// Shared drawn maps (core/maps.py): Leaflet from this site's static files, the markers from a
// GeoJSON address, the background tiles from the tile server the site names, if any. No tile
// server, or one that does not answer: the markers stay, on a plain background, and the note says
// so. Without JavaScript the section stays hidden and the page's list is the page.
//
// A plugin's own script calls FengchaoMap.draw(section, {popup: props -> Node, label: props ->
// text, grey: props -> true for a greyed pin}); popups must be built with textContent, never
// innerHTML (titles and addresses are people's text).
(function () {
  "use strict";

  function draw(section, options) {
    if (!section || typeof window.L === "undefined" || !window.fetch) return null;
    var L = window.L;
    var data = section.dataset;
    var note = section.querySelector("[data-map-note]");
    var canvas = section.querySelector("[data-map-canvas]");
    options = options || {};

    function say(text) { note.textContent = text; }

    section.hidden = false;
    canvas.setAttribute("role", "region");
    canvas.setAttribute("aria-label", data.labelMap);
    var map = L.map(canvas, {attributionControl: false, zoomControl: false, scrollWheelZoom: false});
    L.control.zoom({zoomInTitle: data.labelZoomIn, zoomOutTitle: data.labelZoomOut}).addTo(map);
    // Hashed static file names (the manifest storage) would defeat Leaflet's guess of its image
    // folder, so the icon's files are named here.
    function pin(className) {
      return L.icon({iconUrl: data.icon, iconRetinaUrl: data.icon2x, shadowUrl: data.shadow,
                     iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41],
                     className: className || ""});
    }
    var icon = pin(""), greyIcon = pin("marker-grey");

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
    // A first view before the markers arrive (Leaflet needs one); replaced by their bounds.
    var centre = (data.centre || "31.23,121.47").split(",").map(Number);
    map.setView(bounds[0] || centre, 14);

    fetch(data.geojson, {headers: {Accept: "application/geo+json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (collection) {
        collection.features.forEach(function (feature) {
          var props = feature.properties;
          var point = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
          var label = options.label ? options.label(props) : props.title;
          var grey = options.grey ? options.grey(props) : false;
          var marker = L.marker(point, {icon: grey ? greyIcon : icon, alt: label, title: label, keyboard: true});
          if (options.popup) marker.bindPopup(options.popup(props));
          marker.addTo(map);
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
    return map;
  }

  // A paragraph with a text, for popups.
  function line(text, className) {
    var p = document.createElement("p");
    if (className) p.className = className;
    p.textContent = text;
    return p;
  }

  // The popup's title: a link to the item's page, 44 px tall.
  function titleLink(text, url) {
    var p = document.createElement("p");
    p.className = "map-popup-title";
    var link = document.createElement("a");
    link.href = url;
    link.textContent = text;
    p.appendChild(link);
    return p;
  }

  window.FengchaoMap = {draw: draw, line: line, titleLink: titleLink};
})();

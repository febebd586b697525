// The stations map: core/map.js draws it (Leaflet, tiles or a plain background, markers from the
// GeoJSON endpoint, the same search as the list); this script says what a station's pin and
// popup show: its name linked to its page, open or closed now, the distance, the address.
(function () {
  "use strict";
  var section = document.querySelector("[data-map].station-map");
  if (!section || !window.FengchaoMap) return;
  var data = section.dataset;
  var FM = window.FengchaoMap;

  function distance(metres) {
    if (metres === null || metres === undefined) return "";
    if (metres < 1000) return data.labelM.replace("%(m)s", Math.round(metres));
    return data.labelKm.replace("%(km)s", (metres / 1000).toFixed(1));
  }

  function popup(props) {
    var box = document.createElement("div");
    box.appendChild(FM.titleLink(props.title, props.url));
    var facts = document.createElement("p");
    var state = document.createElement("strong");
    state.className = props.open_now ? "is-open" : "is-closed";
    state.textContent = props.open_now ? data.labelOpen : data.labelClosed;
    facts.appendChild(state);
    var away = distance(props.distance_m);
    if (away) facts.appendChild(document.createTextNode(" · " + away));
    box.appendChild(facts);
    if (props.address) box.appendChild(FM.line(props.address));
    return box;
  }

  FM.draw(section, {
    popup: popup,
    label: function (props) { return props.title + " · " + (props.open_now ? data.labelOpen : data.labelClosed); },
    grey: function (props) { return !props.open_now; }
  });
})();

// The public reports map: core/map.js draws it (Leaflet, tiles or a plain background, markers
// from /api/v3/reports/geojson with the list's filters); this script says what a report's pin and
// popup show: its number and category linked to its page, its status, the community, how many
// said "me too", and the first photo's thumbnail. Points are rounded (~100 m) and carry no person.
(function () {
  "use strict";
  var section = document.querySelector("[data-map].report-map");
  if (!section || !window.FengchaoMap) return;
  var data = section.dataset;
  var FM = window.FengchaoMap;

  function popup(props) {
    var box = document.createElement("div");
    box.appendChild(FM.titleLink(props.title, props.url));
    var facts = document.createElement("p");
    var state = document.createElement("strong");
    state.textContent = props.status_label;
    facts.appendChild(state);
    if (props.community) facts.appendChild(document.createTextNode(" · " + props.community));
    box.appendChild(facts);
    if (props.supporters) box.appendChild(FM.line(data.labelSupporters.replace("%(n)s", props.supporters)));
    if (props.thumbnail_url) {
      var img = document.createElement("img");
      img.className = "map-popup-thumb";
      img.src = props.thumbnail_url;
      img.alt = data.labelPhoto;
      img.loading = "lazy";
      box.appendChild(img);
    }
    if (props.description) box.appendChild(FM.line(props.description));
    return box;
  }

  FM.draw(section, {
    popup: popup,
    label: function (props) { return props.title + " · " + props.status_label; },
    grey: function (props) { return !props.open; }
  });
})();

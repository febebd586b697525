// Phone console: show matching diners while staff type (name, phone digits or pinyin initials).
// Progressive enhancement: without JavaScript the form still searches on submit.
(function () {
  "use strict";
  var input = document.getElementById("id_q");
  var box = document.getElementById("live-results");
  if (!input || !box || !window.fetch) { return; }
  var timer = null;
  var last = "";
  function render(items) {
    box.textContent = "";
    if (!items.length) { return; }
    var list = document.createElement("ul");
    list.className = "live-list";
    items.forEach(function (d) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "?q=" + encodeURIComponent(d.phone || d.name);
      a.className = "button secondary";
      a.textContent = d.name + " · " + (d.initials || "") + " · " + (d.phone || "—") +
        (d.community ? " · " + d.community.name : "") + " " + (d.building || "");
      li.appendChild(a);
      list.appendChild(li);
    });
    box.appendChild(list);
  }
  function search() {
    var q = input.value.trim();
    if (q === last) { return; }
    last = q;
    if (!q) { render([]); return; }
    fetch(box.dataset.api + "?limit=8&q=" + encodeURIComponent(q), {credentials: "same-origin",
      headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {items: []}; })
      .then(function (body) { if (input.value.trim() === q) { render(body.items || []); } })
      .catch(function () { /* the submit button still works */ });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
})();

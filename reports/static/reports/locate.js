// With JavaScript, "Use my location" fills the latitude and longitude fields from the phone.
// Without it the form works as it is: an address, a chosen community or a typed point.
(function () {
  var form = document.querySelector("[data-locate]");
  if (!form || !("geolocation" in navigator)) return;
  var row = form.querySelector("[data-locate-row]");
  var button = form.querySelector("[data-locate-button]");
  var status = form.querySelector("[data-locate-status]");
  row.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.getAttribute("data-waiting") || "…";
    navigator.geolocation.getCurrentPosition(function (position) {
      form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(6);
      form.querySelector("[name=lng]").value = position.coords.longitude.toFixed(6);
      var community = form.querySelector("[name=community]"); if (community) community.value = "";
      var note = form.querySelector("[data-locate-status]"); if (note) note.textContent = form.getAttribute("data-found") || "✓";
    }, function () {
      status.textContent = form.getAttribute("data-denied") || "";
    }, {enableHighAccuracy: true, timeout: 10000, maximumAge: 60000});
  });
})();

// With JavaScript, "Use my location" fills the point from the phone and submits the form.
// Without it the form works as it is: a community or a typed point.
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
      form.querySelector("[name=community]").value = "";
      form.submit();
    }, function () {
      status.textContent = form.getAttribute("data-denied") || "";
    }, {enableHighAccuracy: true, timeout: 10000, maximumAge: 60000});
  });
})();

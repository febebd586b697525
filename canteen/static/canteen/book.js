// Booking form: say at once when home delivery cannot reach the chosen diner (their address is
// outside the canteen's delivery area), instead of only after submitting. Progressive
// enhancement: without JavaScript the area is named on the form and the form refuses on submit.
(function () {
  "use strict";
  var form = document.querySelector("form[data-delivery-check]");
  var box = document.getElementById("delivery-check");
  if (!form || !box) { return; }
  var select = form.querySelector("select[name=diner]");
  var hidden = form.querySelector("input[type=hidden][name=diner]");
  function chosen() {
    if (select) {
      var option = select.options[select.selectedIndex];
      return option ? {name: option.text, outside: option.getAttribute("data-outside") === "1"} : null;
    }
    return hidden ? {name: form.getAttribute("data-diner-name"), outside: form.getAttribute("data-outside") === "1"} : null;
  }
  function check() {
    var mode = form.querySelector("input[name=mode]:checked");
    var diner = chosen();
    var problem = mode && mode.value === "delivery" && diner && diner.outside;
    // The live region stays in the page (an empty one is announced reliably once text arrives).
    box.textContent = "";
    if (problem) {
      var p = document.createElement("p");
      p.className = "form-errors";
      p.textContent = box.getAttribute("data-message").replace("{name}", diner.name);
      box.appendChild(p);
    }
  }
  form.addEventListener("change", check);
  check();
}());

// "Print" buttons on the production sheet and the delivery list (no inline handlers: the site's
// Content-Security-Policy allows scripts from files only).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});

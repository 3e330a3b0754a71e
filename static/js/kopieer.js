// "Kopieer de verwijzing": hidden without JavaScript (then staff select the read-only text themselves); with it,
// one click copies the text and a status line says so (read out by screen readers).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-kopieer]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-kopieer"));
    var status = button.parentNode.querySelector("[data-kopieer-status]");
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      function done(ok) {
        if (status) status.textContent = ok ? "De verwijzing is gekopieerd." : "Kopiëren lukte niet. Selecteer de tekst en kopieer hem zelf.";
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { done(true); }, function () { done(false); });
      } else {
        field.select();
        done(document.execCommand("copy"));
      }
    });
  });
});

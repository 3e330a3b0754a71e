// "Kopieer de link" (templates/_delen.html): hidden without JavaScript, when the e-mail, WhatsApp and SMS links
// still work; with it, one click copies the link and a status line says so (read out by screen readers).
document.querySelectorAll("[data-deel-link]").forEach(function (button) {
  var status = button.parentNode.querySelector("[data-deel-status]");
  var link = button.getAttribute("data-deel-link");
  // The status texts come with the button (templates/_delen.html), in the page's language.
  var gelukt = button.getAttribute("data-deel-gelukt");
  var mislukt = button.getAttribute("data-deel-mislukt");
  if (!navigator.clipboard || !window.isSecureContext) return;  // no way to copy: the button stays hidden
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(link).then(function () {
      status.textContent = gelukt;
    }, function () {
      status.textContent = mislukt;
    });
  });
});

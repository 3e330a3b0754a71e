// "Snel weg": leave for a neutral site and replace this page in the history, so the back button does not return
// here. Without JavaScript the link still leaves (as a normal link).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-snel-weg]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.replace(link.href);
    });
  });
});

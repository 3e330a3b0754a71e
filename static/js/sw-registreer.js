// Registers the offline service worker (/sw.js, see its comments for what it keeps). Without support or without
// JavaScript the site works as before, only not offline.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () {
      // Not registered (private mode, blocked by the browser): nothing the resident can or needs to do.
    });
  });
}

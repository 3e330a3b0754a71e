// "Lees voor": reads the page's main text (#inhoud) aloud with the browser's own speech synthesis, in the page's
// language. No text leaves the device. The button stays hidden unless this browser has a voice for the language:
// a button that reads Dutch with an English voice, or does nothing, helps nobody.
(function () {
  var synth = window.speechSynthesis;
  var button = document.querySelector("[data-voorlezen]");
  if (!synth || !button || typeof SpeechSynthesisUtterance === "undefined") return;
  var taal = (document.documentElement.lang || "nl").toLowerCase();
  var LEES = button.textContent;
  var STOP = button.getAttribute("data-voorlezen-stop");
  var stem = null;
  var bezig = false;

  function kiesStem() {
    var stemmen = synth.getVoices().filter(function (v) {
      var l = v.lang.toLowerCase().replace("_", "-");
      return l === taal || l.split("-")[0] === taal.split("-")[0];
    });
    // A voice on the device first: it needs no connection and sends nothing away.
    stem = stemmen.filter(function (v) { return v.localService; })[0] || stemmen[0] || null;
    button.hidden = !stem;
  }

  // Only the page's own text, one block at a time: not the buttons, forms, breadcrumbs, map or hidden parts, and not
  // what is left off a printed page (share, print and similar controls).
  var WEG = "nav, button, input, select, textarea, script, style, [hidden], [aria-hidden='true'], " +
    ".leaflet-container, .no-print";
  var BLOK = "h1, h2, h3, h4, p, li, dt, dd, th, td, caption, figcaption, legend, label, summary, blockquote";

  function stukken() {
    var kopie = document.getElementById("inhoud").cloneNode(true);
    kopie.querySelectorAll(WEG).forEach(function (el) { el.remove(); });
    kopie.querySelectorAll(BLOK).forEach(function (el) { el.append("\n"); });
    return kopie.textContent.split(/\n+/).map(function (s) { return s.replace(/\s+/g, " ").trim(); })
      .filter(Boolean);
  }

  function klaar() {
    bezig = false;
    button.textContent = LEES;
  }

  button.addEventListener("click", function () {
    if (bezig) {
      synth.cancel();
      klaar();
      return;
    }
    synth.cancel();
    var delen = stukken();
    if (!delen.length || !stem) return;
    bezig = true;
    button.textContent = STOP;
    // One utterance per block: long single utterances are cut off by some browsers.
    delen.forEach(function (tekst, i) {
      var u = new SpeechSynthesisUtterance(tekst);
      u.voice = stem;
      u.lang = stem.lang;
      u.rate = 0.9;  // a little slower than normal: easier to follow
      if (i === delen.length - 1) u.onend = klaar;
      u.onerror = klaar;
      synth.speak(u);
    });
  });

  // Voices often arrive after the page has loaded (Chrome): check again when they do.
  synth.addEventListener("voiceschanged", kiesStem);
  window.addEventListener("pagehide", function () { synth.cancel(); });
  kiesStem();
})();

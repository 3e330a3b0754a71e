// Offline help for residents with little data or a weak connection (issue 14). Served at /sw.js by
// app/routes/bereik.py, which gives the static URLs below their content hash.
//
// What is kept: the home page, the emergency numbers, the offline page, the stylesheet and read-aloud, and the
// last wijk page the resident opened with its printable folder and its map (the map's scripts and the wijk's public
// outlines and places; no background tiles: they are another site's and cost data). Nothing else is ever stored: no listing, no
// search, no vraagwijzer step or result, no contact form, nothing of beheer, medewerkers or the API, and no answer
// the server marked no-store or private. Pages always come from the network first, so nobody reads old opening
// hours while online.
"use strict";

const CACHE = "wijkentree-offline";
const OFFLINE = "/offline";
const VASTE_PAGINAS = ["/", "/vraagwijzer/spoed", OFFLINE];
// Read-aloud works offline too: it helps most those who read with difficulty.
const STATISCH = ["/static/css/site.css", "/static/favicon.svg", "/static/js/voorlezen.js"];
// Fetched only with the first wijk kept, never at install: a resident who never opens a wijk pays no data for them.
const KAART = ["/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
  "/static/js/kaart.js", "/static/vendor/leaflet/leaflet.css", "/static/vendor/leaflet.markercluster/MarkerCluster.css",
  "/static/vendor/leaflet.markercluster/MarkerCluster.Default.css"];
// The map data of the kept wijk: open data, answered from the cache only when the network is gone.
const KAART_DATA = /^\/api\/v1\/(wijken|locaties\.geojson)$/;
const WIJK = /^\/wijken\/[a-z0-9-]+$/;
// Never even answered by the worker: these go to the network exactly as without it.
const NOOIT = /^\/(beheer|medewerkers|api|contact)(\/|$)/;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // cache: "reload" skips the HTTP cache, so the stored copies are fresh.
    return cache.addAll(VASTE_PAGINAS.concat(STATISCH).map(function (url) {
      return new Request(url, {cache: "reload"});
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  // An older worker's stylesheet (another hash) is of no use any more.
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.filter(function (request) {
        var url = new URL(request.url);
        var bekend = STATISCH.concat(KAART).indexOf(url.pathname + url.search) !== -1;
        return url.pathname.startsWith("/static/") && !bekend;
      }).map(function (request) { return cache.delete(request); }));
    });
  }).then(function () { return self.clients.claim(); }));
});

function bewaarbaar(response) {
  var control = response.headers.get("cache-control") || "";
  return response.ok && response.type === "basic" && !/no-store|private/.test(control);
}

function bewaar(request, response) {
  if (!bewaarbaar(response)) return Promise.resolve();
  var kopie = response.clone();
  return caches.open(CACHE).then(function (cache) { return cache.put(request, kopie); });
}

// Only the last wijk: opening another replaces the one kept before, with its folder (and the folder's QR code) and
// its map data; the map's scripts stay (they are the same for every wijk).
function bewaarWijk(pad, response) {
  if (!bewaarbaar(response)) return Promise.resolve();
  var kopie = response.clone();
  var tekst = response.clone().text();
  return Promise.all([caches.open(CACHE), tekst]).then(function (open) {
    var cache = open[0];
    var gevonden = /data-locaties="([^"]+)"/.exec(open[1]);
    var data = ["/api/v1/wijken"].concat(gevonden ? [gevonden[1].replace(/&amp;/g, "&")] : []);
    var erbij = [pad + "/folder", pad + "/qr.svg"].concat(data);
    return cache.keys().then(function (requests) {
      var paden = requests.map(function (r) { var u = new URL(r.url); return u.pathname + u.search; });
      var oud = requests.filter(function (r, i) {
        var p = new URL(r.url).pathname;
        var wijkDeel = p.startsWith("/wijken/") && p !== pad && erbij.indexOf(paden[i]) === -1;
        return wijkDeel || (KAART_DATA.test(p) && erbij.indexOf(paden[i]) === -1);
      });
      // Fetched once per wijk, not on every visit: it costs data.
      var ontbreekt = erbij.concat(KAART).filter(function (url) { return paden.indexOf(url) === -1; });
      return Promise.all(oud.map(function (r) { return cache.delete(r); })).then(function () {
        return cache.put(pad, kopie);
      }).then(function () {
        return Promise.all(ontbreekt.map(function (url) {
          return fetch(url).then(function (r) { return bewaarbaar(r) ? cache.put(url, r) : undefined; });
        }));
      });
    });
  }).catch(function () { /* not kept this time; the page itself was shown */ });
}

function isWijkDeel(pad) {
  return WIJK.test(pad) || /^\/wijken\/[a-z0-9-]+\/(folder|qr\.svg)$/.test(pad);
}

function pagina(event, pad) {
  var request = event.request;
  return fetch(request).then(function (response) {
    if (VASTE_PAGINAS.indexOf(pad) !== -1 && !new URL(request.url).search) {
      event.waitUntil(bewaar(pad, response));
    } else if (WIJK.test(pad) && !new URL(request.url).search) {
      event.waitUntil(bewaarWijk(pad, response));
    } else if (isWijkDeel(pad)) {
      event.waitUntil(caches.match(pad).then(function (oud) { return oud ? bewaar(pad, response) : undefined; }));
    }
    return response;
  }).catch(function () {
    return caches.match(pad).then(function (kopie) {
      if (kopie) return kopie;  // only the pages above are ever stored
      if (request.mode === "navigate") return caches.match(OFFLINE);
      return Response.error();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;  // a form that is sent is never kept or answered from the cache
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (KAART_DATA.test(url.pathname)) {
    // Network first; the kept copy (only the kept wijk's) when offline, and refreshed when it is there.
    event.respondWith(fetch(request).then(function (response) {
      var kopie = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) {
        return cache.match(request).then(function (oud) {
          return oud && bewaarbaar(response) ? cache.put(request, kopie) : undefined;
        });
      }));
      return response;
    }).catch(function () {
      return caches.match(request).then(function (kopie) { return kopie || Response.error(); });
    }));
    return;
  }
  if (NOOIT.test(url.pathname)) return;
  if (url.pathname.startsWith("/static/")) {
    // Static URLs carry their content hash: a kept copy is always right.
    event.respondWith(caches.match(request).then(function (kopie) {
      return kopie || fetch(request).then(function (response) {
        if (STATISCH.indexOf(url.pathname + url.search) !== -1) event.waitUntil(bewaar(request, response));
        return response;
      });
    }));
    return;
  }
  if (request.mode === "navigate" || isWijkDeel(url.pathname)) {
    event.respondWith(pagina(event, url.pathname));
  }
});

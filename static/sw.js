// Offline help for residents with little data or a weak connection (issue 14). Served at /sw.js by
// app/routes/bereik.py, which gives the static URLs below their content hash.
//
// What is kept: the home page, the emergency numbers, the offline page, the stylesheet and read-aloud, and the
// last wijk page the resident opened with its printable folder. Nothing else is ever stored: no listing, no
// search, no vraagwijzer step or result, no contact form, nothing of beheer, medewerkers or the API, and no answer
// the server marked no-store or private. Pages always come from the network first, so nobody reads old opening
// hours while online.
"use strict";

const CACHE = "wijkentree-offline";
const OFFLINE = "/offline";
const VASTE_PAGINAS = ["/", "/vraagwijzer/spoed", OFFLINE];
// Read-aloud works offline too: it helps most those who read with difficulty.
const STATISCH = ["/static/css/site.css", "/static/favicon.svg", "/static/js/voorlezen.js"];
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
        return url.pathname.startsWith("/static/") && STATISCH.indexOf(url.pathname + url.search) === -1;
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

// Only the last wijk: opening another wijk replaces the one kept before, with its folder (and the folder's QR code).
function bewaarWijk(pad, response) {
  if (!bewaarbaar(response)) return Promise.resolve();
  var map = [pad + "/folder", pad + "/qr.svg"];
  var kopie = response.clone();
  return caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      var nieuw = !requests.some(function (r) { return new URL(r.url).pathname === pad + "/folder"; });
      var oud = requests.filter(function (r) {
        var p = new URL(r.url).pathname;
        return p.startsWith("/wijken/") && p !== pad && map.indexOf(p) === -1;
      });
      return Promise.all(oud.map(function (r) { return cache.delete(r); })).then(function () {
        return cache.put(pad, kopie);
      }).then(function () {
        // The folder is fetched once per wijk, not on every visit: it costs data.
        return nieuw ? Promise.all(map.map(function (url) {
          return fetch(url).then(function (r) { return bewaarbaar(r) ? cache.put(url, r) : undefined; });
        })) : undefined;
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
  if (url.origin !== self.location.origin || NOOIT.test(url.pathname)) return;
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

/*
 * Wijkentree Hengelo: kaart.js
 *
 * Progressive enhancement: without JavaScript (or when Leaflet does not load) the page
 * works as it is and .kaart shows its .kaart__fallback text. No eval, no inline handlers,
 * no style attributes in HTML strings (CSP: script-src 'self'; style-src 'self').
 *
 * Needs, loaded before this file: static/vendor/leaflet/leaflet.js (global L) and
 * static/vendor/leaflet.markercluster/leaflet.markercluster.js (optional; without it the
 * markers are shown unclustered).
 *
 * Markup, per map:
 *   <div class="kaart" data-kaart
 *        data-label="Kaart met hulp in de buurt"          aria-label of the region
 *        data-tiles="https://.../{z}/{x}/{y}.png"         empty: no background tiles
 *        data-attribution="Kaartgegevens &copy; ..."      HTML, shown in the corner
 *        data-locaties="/api/...geojson"                  Points: naam, url, adres, plaatsing, wijkentree
 *        data-wijken="/api/...geojson"                    Polygons: code, naam, slug
 *        data-wijk="WK016402"                             optional: highlight and zoom to this wijk
 *        data-punt="52.26,6.79"                           optional: the resident's postcode
 *        data-teksten='{"locatie": "Locatie", ...}'>      every text the map writes, in the page's language
 *     <p class="kaart__fallback">...</p>
 *   </div>
 * A form with data-locatie-form gets hidden inputs lat/lon filled and is submitted
 * after "Toon mijn locatie".
 */
(function () {
  'use strict';

  var HENGELO = [52.2658, 6.7931];
  var IMAGE_PATH = '/static/vendor/leaflet/images/';
  var LIJN = '#00437a';
  // The map's texts, from data-teksten (templates/_kaart.html), so they follow the page's language.
  var T = {};

  function ready(fn) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', fn);
    } else {
      fn();
    }
  }

  function esc(text) {
    return String(text == null ? '' : text)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;');
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text != null) {
      node.textContent = text;
    }
    return node;
  }

  // Only site-relative or http(s) links end up in a popup.
  function veiligeUrl(url) {
    if (typeof url !== 'string' || !url) {
      return null;
    }
    if (/^\/(?!\/)/.test(url) || /^https?:\/\//i.test(url)) {
      return url;
    }
    return null;
  }

  function getJSON(url) {
    return window.fetch(url, {
      credentials: 'same-origin',
      headers: { Accept: 'application/geo+json, application/json' }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response.json();
    });
  }

  function leesPunt(value) {
    if (!value) {
      return null;
    }
    var parts = String(value).split(',');
    if (parts.length !== 2) {
      return null;
    }
    var lat = parseFloat(parts[0]);
    var lon = parseFloat(parts[1]);
    if (!isFinite(lat) || !isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      return null;
    }
    return L.latLng(lat, lon);
  }

  function prefersReducedMotion() {
    return !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
  }

  /* A small note in the top right corner of the map; one control per map, one line per message. */
  function meldingen(map) {
    var box = null;
    var shown = {};
    var Control = L.Control.extend({
      options: { position: 'topright' },
      onAdd: function () {
        box = el('div', 'kaart__melding');
        box.setAttribute('role', 'status');
        L.DomEvent.disableClickPropagation(box);
        return box;
      }
    });
    return function (text) {
      if (shown[text]) {
        return;
      }
      shown[text] = true;
      if (!box) {
        new Control().addTo(map);
      }
      box.appendChild(el('p', null, text));
    };
  }

  function popupInhoud(p) {
    var wrap = el('div', 'kaart__popup');
    var title = el('p', 'kaart__popup-naam');
    var naam = p.naam || T.locatie;
    var url = veiligeUrl(p.url);
    if (url) {
      var link = el('a', null, naam);
      link.href = url;
      title.appendChild(link);
    } else {
      title.textContent = naam;
    }
    wrap.appendChild(title);
    if (p.wijkentree === true) {
      var wt = el('p');
      wt.appendChild(el('span', 'tag', T.wijkentree));
      wrap.appendChild(wt);
    }
    var adres = el('p', 'kaart__popup-adres', p.adres ? p.adres : T.adresOnbekend);
    if (p.adres) {
      adres.lang = 'nl';  // the listing's own address stays Dutch
    }
    wrap.appendChild(adres);
    if (p.plaatsing === 'benadering') {
      var approx = el('p');
      approx.appendChild(el('span', 'tag tag--approx', T.benadering));
      wrap.appendChild(approx);
    }
    return wrap;
  }

  function maakMarker(feature) {
    var g = feature && feature.geometry;
    if (!g || g.type !== 'Point' || !g.coordinates || g.coordinates.length < 2) {
      return null;
    }
    var lon = Number(g.coordinates[0]);
    var lat = Number(g.coordinates[1]);
    if (!isFinite(lat) || !isFinite(lon)) {
      return null;
    }
    var p = feature.properties || {};
    var wijkentree = p.wijkentree === true;
    var benadering = p.plaatsing === 'benadering';
    var className = 'kaart__marker' +
      (wijkentree ? ' kaart__marker--wijkentree' : '') +
      (benadering ? ' kaart__marker--benadering' : '');
    var naam = (wijkentree ? T.wijkentree + ': ' : '') + (p.naam || T.locatie);
    var icon = L.divIcon({
      className: className,
      html: '<span class="kaart__pin"></span><span class="visually-hidden">' + esc(naam) + '</span>',
      iconSize: [32, 38],
      iconAnchor: [16, 36],
      popupAnchor: [0, -34]
    });
    var marker = L.marker([lat, lon], {
      icon: icon,
      keyboard: true,
      riseOnHover: true,
      zIndexOffset: wijkentree ? 500 : 0
    });
    marker.bindPopup(function () {
      return popupInhoud(p);
    }, { maxWidth: 280, autoPanPadding: [16, 16] });

    // Keyboard: Enter on a marker opens its popup; move focus to the link in it,
    // and back to the marker when the popup closes (Escape or the close button).
    var focusInPopup = false;
    marker.on('popupopen', function () {
      var iconEl = marker.getElement();
      var popupEl = marker.getPopup() && marker.getPopup().getElement();
      focusInPopup = false;
      if (iconEl && popupEl && document.activeElement === iconEl) {
        var link = popupEl.querySelector('.kaart__popup a[href]');
        if (link) {
          link.focus();
          focusInPopup = true;
        }
      }
    });
    marker.on('popupclose', function () {
      var popupEl = marker.getPopup() && marker.getPopup().getElement();
      var iconEl = marker.getElement();
      if (focusInPopup && iconEl && popupEl && popupEl.contains(document.activeElement)) {
        iconEl.focus();
      }
      focusInPopup = false;
    });
    return marker;
  }

  function clusterIcon(cluster) {
    var n = cluster.getChildCount();
    return L.divIcon({
      className: 'kaart__cluster',
      // The number shows; a screen reader reads the whole phrase, in which a translation may put the number anywhere.
      html: '<div><span aria-hidden="true">' + n + '</span><span class="visually-hidden">' +
        esc(T.cluster.replace('{n}', n)) + '</span></div>',
      iconSize: [40, 40]
    });
  }

  function locatieKnop(container, map, toonPunt) {
    if (!('geolocation' in navigator) || window.isSecureContext === false || !container.parentNode) {
      return;
    }
    var button = el('button', 'button button--secondary kaart__locatie', T.toonLocatie);
    button.type = 'button';
    var status = el('p', 'kaart__status');
    status.setAttribute('role', 'status');
    container.parentNode.insertBefore(button, container.nextSibling);
    container.parentNode.insertBefore(status, button.nextSibling);

    function veld(form, name, value) {
      var input = form.querySelector('input[name="' + name + '"]');
      if (!input) {
        input = el('input');
        input.type = 'hidden';
        input.name = name;
        form.appendChild(input);
      }
      input.value = value;
    }

    button.addEventListener('click', function () {
      button.disabled = true;
      status.textContent = T.zoeken;
      navigator.geolocation.getCurrentPosition(function (pos) {
        // Four decimals is about 10 metres: precise enough, and no more than needed.
        var lat = pos.coords.latitude.toFixed(4);
        var lon = pos.coords.longitude.toFixed(4);
        var punt = L.latLng(Number(lat), Number(lon));
        toonPunt(punt, T.uwLocatie);
        map.setView(punt, Math.max(map.getZoom(), 15));
        var form = document.querySelector('form[data-locatie-form]');
        if (form) {
          veld(form, 'lat', lat);
          veld(form, 'lon', lon);
          status.textContent = T.gevondenLaden;
          // The prototype method, in case the form has a field named "submit".
          HTMLFormElement.prototype.submit.call(form);
        } else {
          status.textContent = T.opDeKaart;
          button.disabled = false;
        }
      }, function (error) {
        button.disabled = false;
        if (error && error.code === 1) {
          status.textContent = T.geenToestemming;
        } else {
          status.textContent = T.nietGevonden;
        }
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
    });
  }

  function startKaart(container) {
    if (container.getAttribute('data-kaart-gestart') === 'ja') {
      return;
    }
    try {
      T = JSON.parse(container.getAttribute('data-teksten') || '{}');
    } catch (e) {
      return;  // no texts to show: the fallback text and the list stay
    }
    var fallback = container.querySelector('.kaart__fallback');
    var reduce = prefersReducedMotion();
    var map;

    var punt = leesPunt(container.getAttribute('data-punt'));

    try {
      if (fallback) {
        fallback.parentNode.removeChild(fallback);
      }
      map = L.map(container, {
        // Start at the postcode or the centre of Hengelo, until the data is in.
        center: punt || HENGELO,
        zoom: punt ? 14 : 12,
        zoomSnap: 0.5,
        minZoom: 8,
        // markercluster needs a maxZoom on the map, also when there is no tile layer.
        maxZoom: 19,
        zoomControl: false,
        scrollWheelZoom: false,
        // On phones one finger scrolls the page; two fingers move and zoom the map.
        dragging: !L.Browser.mobile,
        fadeAnimation: !reduce,
        zoomAnimation: !reduce,
        markerZoomAnimation: !reduce
      });
    } catch (e) {
      if (fallback && !fallback.parentNode) {
        container.appendChild(fallback);
      }
      return;
    }
    container.setAttribute('data-kaart-gestart', 'ja');
    container.setAttribute('role', 'region');
    container.setAttribute('aria-label', container.getAttribute('data-label') || T.kaart);

    L.control.zoom({ zoomInTitle: T.inzoomen, zoomOutTitle: T.uitzoomen }).addTo(map);

    // Mouse wheel zooms only after the map got focus (click or Tab), so the page scrolls normally.
    map.on('focus', function () { map.scrollWheelZoom.enable(); });
    map.on('blur', function () { map.scrollWheelZoom.disable(); });

    var melding = meldingen(map);

    var tiles = container.getAttribute('data-tiles');
    if (tiles) {
      var laag = L.tileLayer(tiles, {
        attribution: container.getAttribute('data-attribution') || '',
        maxZoom: 19
      });
      laag.on('tileerror', function () {
        melding(T.tegelsWeg);
      });
      laag.addTo(map);
    }

    // Popups: a label in the page's language on the close button. A tap that closes a popup must not open a wijk.
    var popupOpen = false;
    var klikSluitPopup = false;
    map.on('popupopen', function (e) {
      popupOpen = true;
      var node = e.popup.getElement();
      var close = node && node.querySelector('.leaflet-popup-close-button');
      if (close) {
        close.setAttribute('aria-label', T.sluiten);
        close.setAttribute('title', T.sluiten);
      }
    });
    map.on('popupclose', function () { popupOpen = false; });
    // Leaflet only listens for Escape while the map itself has focus; also close a popup
    // with Escape when focus is on a marker or on the link inside the popup.
    L.DomEvent.on(container, 'keydown', function (e) {
      if ((e.key === 'Escape' || e.keyCode === 27) && popupOpen) {
        map.closePopup();
      }
    });
    map.on('preclick', function () { klikSluitPopup = popupOpen; });

    var puntLagen = {};
    function toonPunt(latlng, label) {
      if (puntLagen[label]) {
        map.removeLayer(puntLagen[label]);
      }
      puntLagen[label] = L.circleMarker(latlng, {
        radius: 10,
        color: '#1a1a1a',
        weight: 3,
        fillColor: '#ffdd00',
        fillOpacity: 1,
        interactive: false
      }).bindTooltip(esc(label), { permanent: true, direction: 'right', offset: [10, 0] }).addTo(map);
    }

    if (punt) {
      toonPunt(punt, T.uwPostcode);
    }

    var wijkCode = container.getAttribute('data-wijk') || '';
    var wijkenUrl = container.getAttribute('data-wijken');
    var locatiesUrl = container.getAttribute('data-locaties');

    var wijken = wijkenUrl ? getJSON(wijkenUrl).then(function (data) {
      var gekozen = null;
      var laag = L.geoJSON(data, {
        style: function (feature) {
          var code = feature.properties && feature.properties.code;
          if (wijkCode && code === wijkCode) {
            return { color: LIJN, weight: 4, opacity: 1, fillColor: LIJN, fillOpacity: 0.1 };
          }
          return { color: LIJN, weight: 1.5, opacity: 0.7, dashArray: '6 4', fillColor: LIJN, fillOpacity: 0 };
        },
        onEachFeature: function (feature, layer) {
          var p = feature.properties || {};
          if (p.naam) {
            layer.bindTooltip(esc(p.naam), { sticky: true, direction: 'top' });
          }
          if (wijkCode && p.code === wijkCode) {
            gekozen = layer;
          }
          if (p.slug && p.code !== wijkCode) {
            layer.on('click', function () {
              if (klikSluitPopup) {
                klikSluitPopup = false;
                return;
              }
              window.location.href = '/wijken/' + encodeURIComponent(p.slug);
            });
          }
        }
      }).addTo(map);
      // Leaflet's tooltip focus listeners make SVG paths focusable in Chromium. Keep the
      // outlines out of the Tab order: they have no name, and the wijken are also listed as links.
      laag.eachLayer(function (layer) {
        var node = layer.getElement && layer.getElement();
        if (node) {
          node.setAttribute('tabindex', '-1');
        }
      });
      if (gekozen) {
        gekozen.bringToFront();
        return gekozen.getBounds();
      }
      return laag.getBounds();
    }, function () {
      melding(T.wijkenWeg);
      return null;
    }) : Promise.resolve(null);

    var locaties = locatiesUrl ? getJSON(locatiesUrl).then(function (data) {
      var groep = typeof L.markerClusterGroup === 'function' ?
        L.markerClusterGroup({
          showCoverageOnHover: false,
          maxClusterRadius: 50,
          spiderfyOnMaxZoom: true,
          animate: !reduce,
          iconCreateFunction: clusterIcon
        }) :
        L.featureGroup();
      var features = (data && data.features) || [];
      var markers = [];
      for (var i = 0; i < features.length; i++) {
        var m = maakMarker(features[i]);
        if (m) {
          markers.push(m);
        }
      }
      if (groep.addLayers) {
        groep.addLayers(markers);
      } else {
        for (var j = 0; j < markers.length; j++) {
          groep.addLayer(markers[j]);
        }
      }
      groep.addTo(map);
      return markers.length ? groep.getBounds() : null;
    }, function () {
      melding(T.plaatsenWeg);
      return null;
    }) : Promise.resolve(null);

    // Fit once both are in: the chosen wijk, else all wijken, else the markers.
    Promise.all([wijken, locaties]).then(function (bounds) {
      var doel = bounds[0] || bounds[1];
      if (doel && doel.isValid()) {
        map.fitBounds(doel, { padding: [16, 16], maxZoom: 16, animate: false });
      }
    });

    locatieKnop(container, map, toonPunt);
  }

  ready(function () {
    if (!window.L || !window.fetch || !window.Promise) {
      return;
    }
    L.Icon.Default.imagePath = IMAGE_PATH;
    var kaarten = document.querySelectorAll('.kaart[data-kaart]');
    for (var i = 0; i < kaarten.length; i++) {
      startKaart(kaarten[i]);
    }
  });
})();

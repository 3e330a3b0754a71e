/*
 * Wijkentree Hengelo: wijkanalyse.js, the choropleth of /beheer/wijkanalyse.
 *
 * Progressive enhancement: without JavaScript the page shows the same figures in a table. No inline script or
 * style (CSP): each wijk gets a CSS class per class (static/css/wijkanalyse.css) and a permanent label with its
 * value and class name, so the map never depends on colour alone.
 *
 * Markup: <div data-wijkanalyse data-wijken="/api/v1/wijken" data-klassen='{"WK016400": {"klasse": 2,
 *          "label": "midden", "waarde": 4.1}}' data-tiles="..." data-attribution="..." data-label="...">
 */
(function () {
  'use strict';

  function start(container) {
    if (!window.L || !window.fetch) {
      return;
    }
    var klassen = JSON.parse(container.getAttribute('data-klassen') || '{}');
    var fallback = container.querySelector('.kaart__fallback');
    if (fallback) {
      fallback.remove();
    }
    container.setAttribute('role', 'region');
    container.setAttribute('aria-label', container.getAttribute('data-label') || 'Kaart');
    var map = L.map(container, { scrollWheelZoom: false }).setView([52.2658, 6.7931], 12);
    var tiles = container.getAttribute('data-tiles');
    if (tiles) {
      L.tileLayer(tiles, { attribution: container.getAttribute('data-attribution') || '' }).addTo(map);
    }
    window.fetch(container.getAttribute('data-wijken'), { credentials: 'same-origin' })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var laag = L.geoJSON(data, {
          interactive: false,
          style: function (feature) {
            var k = klassen[feature.properties.code] || { klasse: 0 };
            return { className: 'wijkanalyse__wijk wijkanalyse__wijk--' + k.klasse };
          },
          onEachFeature: function (feature, layer) {
            var k = klassen[feature.properties.code] || { label: 'geen', waarde: null };
            var waarde = k.waarde === null || k.waarde === undefined ? '–' : String(k.waarde);
            layer.bindTooltip(feature.properties.naam + ': ' + waarde + ' (' + k.label + ')', {
              permanent: true, direction: 'center', className: 'wijkanalyse__label'
            });
          }
        }).addTo(map);
        map.fitBounds(laag.getBounds());
      })
      .catch(function () {
        container.appendChild(document.createTextNode('De kaart kon niet laden. De getallen staan in de tabel.'));
      });
  }

  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-wijkanalyse]'), start);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
}());

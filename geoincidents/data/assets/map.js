/* geoincidents: draws one incident map from the JSON that render.py puts into the page.
 *
 * Article text (names, sentences, titles, URLs) reaches the page only through
 * textContent / createTextNode, never as HTML. The one HTML string handed to
 * Leaflet (the layer control's labels) is escaped on the Python side.
 */
function geoincidentsMap(map, config, points, basemap) {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function httpUrl(raw) {
    if (typeof raw !== "string" || !raw) return null;
    var url;
    try {
      url = new URL(raw);
    } catch (e) {
      return null;
    }
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  }

  function popupContent(p) {
    var box = el("div", "gi-popup-body");

    var place = el("div", "gi-place");
    place.appendChild(el("strong", "gi-name", p.name));
    if (p.cc) place.appendChild(el("span", "gi-cc", " (" + p.cc + ")"));
    if (p.surface) {
      place.appendChild(el("span", "gi-surface-label", " \u00b7 as written: "));
      place.appendChild(el("span", "gi-surface", p.surface));
    }
    box.appendChild(place);

    var event = [p.type, p.subtype].filter(Boolean).join(" \u2014 ");
    var when = p.date ? event ? " \u00b7 " + p.date : p.date : "";
    if (event || when) {
      var line = el("div", "gi-event");
      if (event) line.appendChild(el("span", "gi-type", event));
      if (when) line.appendChild(el("span", "gi-date", when));
      box.appendChild(line);
    }

    if (p.quote) {
      var quote = el("blockquote", "gi-sentence");
      quote.appendChild(document.createTextNode(p.quote[0]));
      if (p.quote[1]) quote.appendChild(el("mark", null, p.quote[1]));
      quote.appendChild(document.createTextNode(p.quote[2]));
      box.appendChild(quote);
    }

    if (p.extra && p.extra.length) {
      var list = el("dl", "gi-extra");
      p.extra.forEach(function (pair) {
        list.appendChild(el("dt", null, pair[0]));
        list.appendChild(el("dd", null, pair[1]));
      });
      box.appendChild(list);
    }

    if (p.source || p.doc) {
      var source = el("div", "gi-source");
      var href = httpUrl(p.href);
      if (p.source && href) {
        var link = el("a", null, p.source);
        link.href = href;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        source.appendChild(link);
      } else if (p.source) {
        source.appendChild(el("span", "gi-source-text", p.source));
      }
      if (p.doc) source.appendChild(el("span", "gi-doc", (p.source ? " \u00b7 " : "") + "doc " + p.doc));
      box.appendChild(source);
    }
    return box;
  }

  function textControl(position, build) {
    var control = L.control({position: position});
    control.onAdd = function () {
      var box = build();
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    return control.addTo(map);
  }

  var style = config.style;
  map.getContainer().classList.add("gi-map");
  map.setMinZoom(1);
  map.setMaxZoom(18);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(config.attribution);

  function pane(name, zIndex) {
    map.createPane(name).style.zIndex = String(zIndex);
    return name;
  }
  var basemapPane = pane("gi-basemap", 250);
  var mentionPane = pane("gi-mentions", 410);
  var incidentPane = pane("gi-incidents", 420);

  // Title box first, so that it sits above the zoom buttons.
  if (config.title || config.subtitle) {
    textControl("topleft", function () {
      var box = el("div", "gi-title leaflet-control");
      if (config.title) box.appendChild(el("h1", null, config.title));
      if (config.subtitle) box.appendChild(el("p", null, config.subtitle));
      return box;
    });
  }
  L.control.zoom({position: "topleft"}).addTo(map);

  var overlays = {};
  var tiles = [];
  map.eachLayer(function (layer) {
    if (layer instanceof L.TileLayer) tiles.push(layer);
  });
  tiles.forEach(function (layer) {
    overlays[config.tiles_label] = layer;
  });

  var countries = L.geoJSON(basemap, {
    pane: basemapPane,
    style: function () { return style.basemap; },
    onEachFeature: function (feature, layer) {  // the country's name on hover
      var name = feature.properties && feature.properties.name;
      if (name) layer.bindTooltip(function () { return document.createTextNode(name); },
                                  {sticky: true, className: "gi-country-tip"});
    },
  });
  if (!tiles.length) countries.addTo(map);
  overlays[config.basemap_label] = countries;

  var layers = {};
  var specs = {};
  config.layers.forEach(function (spec) {
    specs[spec.key] = spec;
    layers[spec.key] = L.featureGroup().addTo(map);
    overlays[spec.label_html] = layers[spec.key];
  });

  points.forEach(function (p) {
    var spec = specs[p.key];
    var incident = spec.kind === "incident";
    var options = Object.assign({}, incident ? style.incident_marker : style.mention_marker, {
      pane: incident ? incidentPane : mentionPane,
      className: spec.class_name,
    });
    if (incident) options.fillColor = spec.colour;
    var marker = L.circleMarker([p.lat, p.lon], options);
    // the tooltip first: its click handler (which opens it) then runs before the popup's
    marker.bindTooltip(function () { return document.createTextNode(p.name); }, {direction: "top"});
    marker.bindPopup(function () { return popupContent(p); }, {maxWidth: 380, className: "gi-popup"});
    marker.on("popupopen", function () { marker.closeTooltip(); });
    marker.addTo(layers[p.key]);
  });

  L.control.layers(null, overlays, {position: "topright", collapsed: true}).addTo(map);

  if (config.layers.length) {
    textControl("bottomright", function () {
      var box = el("div", "gi-legend leaflet-control");
      config.layers.forEach(function (spec) {
        var row = el("div", "gi-legend-row");
        var swatch = el("span", "gi-swatch gi-swatch-" + spec.kind);
        if (spec.kind === "incident") swatch.style.backgroundColor = spec.colour;
        row.appendChild(swatch);
        row.appendChild(el("span", null, spec.legend));
        box.appendChild(row);
      });
      return box;
    });
  }

  // The first view: the incidents (else every point, else the world), with no animation.
  var bounds = config.bounds && L.latLngBounds(config.bounds);
  if (!bounds) {
    map.setView(config.world_view.center, config.world_view.zoom, {animate: false});
  } else if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
    map.setView(bounds.getCenter(), style.single_point_zoom, {animate: false});
  } else {
    map.fitBounds(bounds, {padding: [40, 40], maxZoom: style.max_fit_zoom, animate: false});
  }

  window.geoincidents = {map: map, points: points, layers: layers, countries: countries};
  return window.geoincidents;
}

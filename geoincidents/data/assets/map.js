/* geoincidents: draws one incident map from the JSON that render.py puts into the page.
 *
 * Article text (names, sentences, titles, URLs, actors) reaches the page only through
 * textContent / createTextNode, never as HTML. The one HTML string handed to
 * Leaflet (the layer control's labels) is escaped on the Python side.
 *
 * Points crowd into numbered clusters (Leaflet.markercluster); places with the same
 * coordinates spread apart when their cluster is clicked. Incidents known only to a
 * region or country are drawn as a circle (an approximate area), not a pin. The
 * layer control and the time slider decide together which points are shown.
 * When everything is drawn, window.geoincidents.ready is true (and <body> gets
 * data-gi-ready="1"): what a page capture waits for.
 */
function geoincidentsMap(map, config, table, basemap) {
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

  // ------------------------------------------------------------ the points table

  function decode(table) {
    var text = {};
    table.text_columns.forEach(function (c) { text[c] = true; });
    var strings = table.strings;
    var previous = {};
    table.delta_columns.forEach(function (c) { previous[c] = 0; });
    return table.rows.map(function (row) {
      var p = {};
      table.columns.forEach(function (column, i) {
        var value = i < row.length ? row[i] : 0;
        if (column in previous) value = previous[column] = previous[column] + value;
        if (column === "extra") {
          p.extra = [];
          for (var k = 0; value && k + 1 < value.length; k += 2) p.extra.push([strings[value[k]], strings[value[k + 1]]]);
        } else if (column === "doc") {
          var doc = value ? table.docs[value - 1] : [0, 0, 0];
          p.doc = strings[doc[0]] || "";
          p.source = strings[doc[1]] || "";
          p.href = strings[doc[2]] || "";
        } else if (text[column]) {
          p[column] = strings[value] || "";
        } else {
          p[column] = value || 0;
        }
      });
      var spec = config.layers[p.layer];
      p.key = spec.key;
      p.kind = spec.kind;
      p.type = spec.kind === "incident" ? spec.event_type : "";
      var s = p.sentence;
      var end = p.hl_start + p.hl_length;
      if (s && end <= s.length) {
        p.quote = [s.slice(0, p.hl_start), s.slice(p.hl_start, end), s.slice(end)];
      } else if (s) {
        p.quote = ["", "", s];
      }
      if (p.date) {
        var precision = config.time_precision[String(p.time_precision)];
        p.when = (p.time_precision === 3 ? p.date.slice(0, 7) : p.date) + (precision ? " (" + precision + ")" : "");
      }
      return p;
    });
  }

  // The basemap's rings come delta-encoded in integers (see render.py): back to [lon, lat].
  function undelta(basemap) {
    var scale = basemap.delta_scale;
    if (!scale) return basemap;
    function ring(flat) {
      var out = [], x = 0, y = 0;
      for (var i = 0; i + 1 < flat.length; i += 2) {
        x += flat[i];
        y += flat[i + 1];
        out.push([x / scale, y / scale]);
      }
      return out;
    }
    basemap.features.forEach(function (f) {
      var g = f.geometry;
      g.coordinates = g.type === "Polygon" ? g.coordinates.map(ring)
        : g.coordinates.map(function (polygon) { return polygon.map(ring); });
    });
    delete basemap.delta_scale;
    return basemap;
  }

  // ------------------------------------------------------------ popups

  function row(list, label, value) {
    if (!value) return;
    list.appendChild(el("dt", null, label));
    list.appendChild(el("dd", null, value));
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
    if (event) {
      var line = el("div", "gi-event");
      line.appendChild(el("span", "gi-type", event));
      box.appendChild(line);
    }

    var facts = el("dl", "gi-facts");
    row(facts, "Date", p.when || p.date);
    row(facts, "Actor 1", p.actor1);
    row(facts, "Actor 2", p.actor2);
    row(facts, "Claimed by", p.claimed_by);
    row(facts, "Disputed by", p.disputed_by);
    row(facts, "Location", config.geo_precision[String(p.geo_precision)]);
    p.extra.forEach(function (pair) { row(facts, pair[0], pair[1]); });
    if (facts.childNodes.length) box.appendChild(facts);

    if (p.quote) {
      var quote = el("blockquote", "gi-sentence");
      quote.appendChild(document.createTextNode(p.quote[0]));
      if (p.quote[1]) quote.appendChild(el("mark", null, p.quote[1]));
      quote.appendChild(document.createTextNode(p.quote[2]));
      box.appendChild(quote);
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

  // ------------------------------------------------------------ the map

  var points = decode(table);
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
  var areaPane = pane("gi-areas", 405);
  var mentionPane = pane("gi-mentions", 410);
  var mentionClusterPane = pane("gi-mention-clusters", 415);
  var incidentPane = pane("gi-incidents", 420);
  var incidentClusterPane = pane("gi-incident-clusters", 425);

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

  var countries = L.geoJSON(undelta(basemap), {
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

  function clusterGroup(kind, clusterPane) {
    return L.markerClusterGroup({
      maxClusterRadius: function (zoom) {
        return zoom >= style.cluster.close_zoom ? style.cluster.max_radius_px_close : style.cluster.max_radius_px;
      },
      clusterPane: clusterPane,
      animate: false,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      zoomToBoundsOnClick: true,
      spiderLegPolylineOptions: {weight: 1, color: "#444444", opacity: 0.6},
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        var size = n < 10 ? 26 : n < 100 ? 32 : n < 1000 ? 38 : 44;
        var inner = el("div", "gi-cluster-inner");
        inner.appendChild(el("span", null, String(n)));
        return L.divIcon({html: inner, className: "gi-cluster gi-cluster-" + kind, iconSize: L.point(size, size)});
      },
    });
  }
  var groups = {
    incident: clusterGroup("incident", incidentClusterPane),
    mention: clusterGroup("mention", mentionClusterPane),
    area: L.featureGroup(),
  };

  var specs = {};
  config.layers.forEach(function (spec) { specs[spec.key] = spec; });

  var hasAreas = false;
  var entries = points.map(function (p) {
    var spec = specs[p.key];
    var incident = spec.kind === "incident";
    var marker, group;
    if (incident && p.area_km > 0) {
      hasAreas = true;
      group = "area";
      marker = L.circle([p.lat, p.lon], Object.assign({}, style.area, {
        radius: p.area_km * 1000,
        color: spec.colour,
        fillColor: spec.colour,
        pane: areaPane,
        className: spec.class_name + " gi-area",
      }));
    } else {
      group = incident ? "incident" : "mention";
      var options = Object.assign({}, incident ? style.incident_marker : style.mention_marker, {
        pane: incident ? incidentPane : mentionPane,
        className: spec.class_name,
      });
      if (incident) options.fillColor = spec.colour;
      marker = L.circleMarker([p.lat, p.lon], options);
    }
    // the tooltip first: its click handler (which opens it) then runs before the popup's
    marker.bindTooltip(function () { return document.createTextNode(p.name); },
                       {direction: "top", sticky: group === "area"});
    marker.bindPopup(function () { return popupContent(p); }, {maxWidth: 380, className: "gi-popup"});
    marker.on("popupopen", function () { marker.closeTooltip(); });
    return {point: p, marker: marker, group: group, shown: false};
  });

  // ------------------------------------------------------------ what is shown

  var dates = config.dates;
  var state = {on: {}, from: dates.length ? dates[0] : null, to: dates.length ? dates[dates.length - 1] : null};
  var started = false;
  var timeLabel = null;

  function wanted(entry) {
    var p = entry.point;
    if (!state.on[p.key]) return false;
    if (p.kind !== "incident" || !p.date || state.from === null) return true;
    return state.from <= p.date && p.date <= state.to;
  }

  function refresh() {
    if (!started) return;
    var add = {incident: [], mention: [], area: []};
    var remove = {incident: [], mention: [], area: []};
    entries.forEach(function (entry) {
      var want = wanted(entry);
      if (want !== entry.shown) {
        (want ? add : remove)[entry.group].push(entry.marker);
        entry.shown = want;
      }
    });
    ["incident", "mention"].forEach(function (g) {
      if (remove[g].length) groups[g].removeLayers(remove[g]);
      if (add[g].length) groups[g].addLayers(add[g]);
    });
    remove.area.forEach(function (m) { groups.area.removeLayer(m); });
    add.area.forEach(function (m) { groups.area.addLayer(m); });
    if (timeLabel) timeLabel();
  }

  // One entry in the layer control per event type (and one for mentions): a layer of
  // its own that, when switched, says which points to show and redraws the clusters.
  var Toggle = L.Layer.extend({
    initialize: function (key) { this._giKey = key; },
    onAdd: function () { state.on[this._giKey] = true; refresh(); },
    onRemove: function () { state.on[this._giKey] = false; refresh(); },
  });
  var layers = {};
  config.layers.forEach(function (spec) {
    layers[spec.key] = new Toggle(spec.key);
    overlays[spec.label_html] = layers[spec.key];
  });

  L.control.layers(null, overlays, {position: "topright", collapsed: true}).addTo(map);

  if (config.layers.length) {
    textControl("bottomright", function () {
      var box = el("div", "gi-legend leaflet-control");
      config.layers.forEach(function (spec) {
        var line = el("div", "gi-legend-row");
        var swatch = el("span", "gi-swatch gi-swatch-" + spec.kind);
        if (spec.kind === "incident") swatch.style.backgroundColor = spec.colour;
        line.appendChild(swatch);
        line.appendChild(el("span", null, spec.legend));
        box.appendChild(line);
      });
      if (hasAreas) {
        var line = el("div", "gi-legend-row gi-legend-note");
        line.appendChild(el("span", "gi-swatch gi-swatch-area"));
        line.appendChild(el("span", null, "Region or country only (approximate area)"));
        box.appendChild(line);
      }
      var note = el("div", "gi-legend-row gi-legend-note");
      note.appendChild(el("span", "gi-swatch gi-swatch-cluster", "n"));
      note.appendChild(el("span", null, "Places close together (click to zoom or spread)"));
      box.appendChild(note);
      return box;
    });
  }

  // ------------------------------------------------------------ the time slider

  function setDates(from, to) {
    var i = Math.max(0, dates.indexOf(from));
    var j = dates.indexOf(to);
    if (j < 0) j = dates.length - 1;
    if (i > j) { var k = i; i = j; j = k; }
    state.from = dates[i];
    state.to = dates[j];
    if (sliders) { sliders[0].value = String(i); sliders[1].value = String(j); }
    refresh();
  }

  var sliders = null;
  if (dates.length > 1) {
    textControl("bottomleft", function () {
      var box = el("div", "gi-time leaflet-control");
      var head = el("div", "gi-time-label");
      var range = el("span", "gi-time-range");
      var count = el("span", "gi-time-count");
      head.appendChild(range);
      head.appendChild(count);
      box.appendChild(head);
      sliders = ["from", "to"].map(function (which, index) {
        var label = el("label", "gi-time-row");
        label.appendChild(el("span", "gi-time-which", which));
        var input = el("input", "gi-time-" + which);
        input.type = "range";
        input.min = "0";
        input.max = String(dates.length - 1);
        input.step = "1";
        input.value = String(index ? dates.length - 1 : 0);
        input.setAttribute("aria-label", "Show incidents dated " + which);
        label.appendChild(input);
        box.appendChild(label);
        return input;
      });
      function onInput(event) {
        var i = Number(sliders[0].value);
        var j = Number(sliders[1].value);
        if (i > j) {  // the thumbs do not cross: the one moved pushes the other
          if (event.target === sliders[0]) j = i; else i = j;
        }
        setDates(dates[i], dates[j]);
      }
      sliders.forEach(function (input) { input.addEventListener("input", onInput); });
      var dated = points.filter(function (p) { return p.kind === "incident" && p.date; }).length;
      var undated = points.filter(function (p) { return p.kind === "incident" && !p.date; }).length;
      timeLabel = function () {
        range.textContent = state.from === state.to ? state.from : state.from + " \u2013 " + state.to;
        var shown = entries.filter(function (e) { return e.shown && e.point.kind === "incident" && e.point.date; }).length;
        count.textContent = " \u00b7 " + shown + " of " + dated + " dated incidents" +
          (undated ? " (" + undated + " undated always shown)" : "");
      };
      return box;
    });
  }

  // ------------------------------------------------------------ first view, then draw

  // The first view: the incidents (else every point, else the world), with no animation.
  var bounds = config.bounds && L.latLngBounds(config.bounds);
  if (!bounds) {
    map.setView(config.world_view.center, config.world_view.zoom, {animate: false});
  } else if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
    map.setView(bounds.getCenter(), style.single_point_zoom, {animate: false});
  } else {
    // keep the points clear of the title box (top left) and the legend and slider (bottom)
    var size = map.getSize();
    var box = function (selector) {
      var node = map.getContainer().querySelector(selector);
      return node ? node.offsetHeight + 10 : 0;
    };
    var top = box(".gi-title") + 20;
    var bottom = Math.max(box(".gi-legend"), box(".gi-time")) + 30;
    var padding = top + bottom < 0.6 * size.y
      ? {paddingTopLeft: [50, top], paddingBottomRight: [40, bottom]} : {padding: [40, 40]};
    map.fitBounds(bounds, Object.assign(padding, {maxZoom: style.max_fit_zoom, animate: false}));
  }

  groups.area.addTo(map);
  groups.mention.addTo(map);
  groups.incident.addTo(map);
  config.layers.forEach(function (spec) { layers[spec.key].addTo(map); });
  started = true;
  refresh();

  // Open the popup of point i, zooming in or spreading its cluster when it is hidden in one.
  function openPopup(i, done) {
    var entry = entries[i];
    if (!entry || !entry.shown) return false;
    var open = function () { entry.marker.openPopup(); if (done) done(); };
    if (entry.group === "area" || map.hasLayer(entry.marker)) open();
    else groups[entry.group].zoomToShowLayer(entry.marker, open);
    return true;
  }

  var api = {
    map: map, points: points, layers: layers, countries: countries, groups: groups,
    markers: entries.map(function (e) { return e.marker; }),
    dates: dates, setDates: setDates, openPopup: openPopup,
    shown: function () { return entries.filter(function (e) { return e.shown; }).length; },
    ready: false,
  };
  window.geoincidents = api;

  // Ready when drawn; with online tiles, once the tiles in view have loaded (or failed).
  var pending = tiles.filter(function (t) { return map.hasLayer(t) && t.isLoading && t.isLoading(); });
  function markReady() {
    api.ready = true;
    document.body.setAttribute("data-gi-ready", "1");
  }
  if (!pending.length) {
    markReady();
  } else {
    var left = pending.length;
    pending.forEach(function (t) { t.once("load", function () { if (--left === 0) markReady(); }); });
  }
  return api;
}

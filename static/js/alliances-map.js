/*
 * Carte des alliances — the map's client side (our own code, served locally).
 *
 * Why: a folium map that embeds one Python object per marker is slow (about 11 s
 * for 1,000 markers here). Instead the browser fetches the points once from a
 * static file, clusters them with supercluster, and draws only what is in view.
 * Python sends only a small "view" object on each rerun (which points are kept,
 * which one is selected, where to zoom) through streamlit-folium's feature group.
 *
 * No text from data is turned into HTML here: tooltips come pre-escaped from the
 * project's one HTML builder (components/html.py); labels use textContent.
 */
(function () {
  "use strict";
  // Timestamps of the map's start-up steps, read by the benchmark (bench/run.py).
  const marks = (window.__alliancesMarks = [["script", Date.now()]]);
  const mark = (name) => marks.push([name, Date.now()]);

  const state = {
    map: null,
    options: null,
    points: null, // {lat: [], lng: [], nature: []}
    labels: null, // pre-escaped tooltip HTML, one per point
    index: null,
    indexedMask: undefined, // the view mask the index was built for
    layer: null,
    selectedLayer: null,
    pending: null,
    view: null,
    lastViewKey: null,
    nonce: 0,
    markerByPos: new Map(),
  };

  function decodeMask(b64, size) {
    if (b64 === null || b64 === undefined) return null;
    const bin = atob(b64);
    const keep = [];
    for (let i = 0; i < size; i++) {
      if (bin.charCodeAt(i >> 3) & (1 << (i & 7))) keep.push(i);
    }
    return keep;
  }

  function buildIndex(kept) {
    const p = state.points;
    const features = new Array(kept.length);
    for (let k = 0; k < kept.length; k++) {
      const i = kept[k];
      features[k] = {
        type: "Feature",
        properties: { i: i, e: p.nature[i] },
        geometry: { type: "Point", coordinates: [p.lng[i], p.lat[i]] },
      };
    }
    const index = new Supercluster({
      radius: 55,
      maxZoom: state.options.clusterMaxZoom,
      map: (props) => ({ e: props.e }),
      reduce: (acc, props) => { acc.e += props.e; },
    });
    index.load(features);
    return index;
  }

  function clusterIcon(count, ecosystems) {
    const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 48;
    const share = Math.round((100 * ecosystems) / count);
    const c = state.options.colors;
    const div = document.createElement("div");
    div.style.background = `conic-gradient(${c[1]} 0 ${share}%, ${c[0]} ${share}% 100%)`;
    const span = document.createElement("span");
    span.textContent = count >= 10000 ? Math.round(count / 1000) + " k" : String(count);
    div.appendChild(span);
    return L.divIcon({
      html: div.outerHTML,
      className: "marker-cluster alliances-cluster",
      iconSize: L.point(size, size),
    });
  }

  // Touch: one finger scrolls the page, two fingers move the map (as on the maps people know).
  function touchGestures(map) {
    if (!("ontouchstart" in window) && !(navigator.maxTouchPoints > 0)) return;
    const box = map.getContainer();
    map.dragging.disable();
    box.style.touchAction = "pan-y";
    const hint = L.DomUtil.create("div", "alliances-touch-hint", box);
    hint.textContent = "Utilisez deux doigts pour déplacer la carte";
    box.addEventListener("touchstart", (e) => {
      if (e.touches.length >= 2) { map.dragging.enable(); hint.classList.remove("shown"); }
      else { hint.classList.add("shown"); setTimeout(() => hint.classList.remove("shown"), 1500); }
    }, { passive: true });
    box.addEventListener("touchend", (e) => { if (e.touches.length < 2) map.dragging.disable(); }, { passive: true });
  }

  // Keyboard: every point and cluster can be reached with Tab and opened with Enter or Space.
  function focusable(layer, label) {
    layer.on("add", () => {
      const el = layer.getElement ? layer.getElement() : layer._icon;
      if (!el || el.dataset.alliancesKeys) return;
      el.dataset.alliancesKeys = "1";
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", label);
      el.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        layer.fire("click", { latlng: layer.getLatLng(), originalEvent: event }, true); // propagates like a mouse click
      });
    });
  }

  function plainText(html) {
    const holder = document.createElement("div");
    holder.innerHTML = html.replace(/<br\s*\/?>/g, " — "); // our own escaped tooltip markup
    return holder.textContent.replace(/\s+/g, " ").trim();
  }

  function onPointClick(e) {
    // Give the tooltip a fresh nonce so that streamlit-folium reports every click,
    // even a second click on the same marker.
    const marker = e.target;
    state.nonce += 1;
    marker.setTooltipContent(marker._alliancesBase + `<span hidden>#${state.nonce}</span>`);
  }

  function pointMarker(i) {
    const p = state.points;
    // An initiative attached to a territory (no commune named by its source) is drawn
    // at the territory's chief town, bigger, with a dark dashed ring.
    const territory = p.territory && p.territory[i];
    const marker = L.circleMarker([p.lat[i], p.lng[i]], {
      radius: territory ? 9 : 7,
      weight: territory ? 2.5 : 1.5,
      color: territory ? "#1a1a1a" : "#ffffff",
      dashArray: territory ? "3 2" : null,
      fillColor: state.options.colors[p.nature[i]],
      fillOpacity: 0.95,
      className: territory ? "alliances-point alliances-territory" : "alliances-point",
    });
    const label = state.labels ? state.labels[i] : "";
    marker._alliancesBase = `<span hidden>§${p.id[i]}§</span>` + label;
    marker.bindTooltip(marker._alliancesBase, { direction: "top", offset: [0, -6] });
    marker.on("click", onPointClick);
    focusable(marker, plainText(label) + " : Entrée pour ouvrir la fiche");
    state.markerByPos.set(i, marker);
    return marker;
  }

  // Initiatives often share a point (the town hall of their commune): fan such
  // markers out in a small ring on screen, so that each can be seen and clicked.
  function spread(markers) {
    const groups = new Map();
    markers.forEach((m) => {
      const ll = m._alliancesHome || m.getLatLng();
      m._alliancesHome = ll;
      const key = ll.lat.toFixed(5) + "," + ll.lng.toFixed(5);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(m);
    });
    groups.forEach((group) => {
      if (group.length === 1) {
        group[0].setLatLng(group[0]._alliancesHome);
        return;
      }
      const center = state.map.latLngToLayerPoint(group[0]._alliancesHome);
      const radius = 9 + 2.2 * group.length;
      group.forEach((m, k) => {
        const angle = (2 * Math.PI * k) / group.length;
        const p = L.point(center.x + radius * Math.cos(angle), center.y + radius * Math.sin(angle));
        m.setLatLng(state.map.layerPointToLatLng(p));
      });
    });
  }

  function render() {
    if (!state.map) return;
    if (!state.index) {
      drawSelection();
      return;
    }
    const map = state.map;
    const b = map.getBounds();
    const zoom = Math.round(map.getZoom());
    const items = state.index.getClusters(
      [b.getWest() - 1, Math.max(-85, b.getSouth() - 1), b.getEast() + 1, Math.min(85, b.getNorth() + 1)],
      zoom
    );
    state.layer.clearLayers();
    state.markerByPos = new Map();
    const singles = [];
    for (const item of items) {
      if (item.properties.cluster) {
        const [lng, lat] = item.geometry.coordinates;
        const m = L.marker([lat, lng], {
          icon: clusterIcon(item.properties.point_count, item.properties.e),
          keyboard: false,
        });
        focusable(m, `Grappe de ${item.properties.point_count} initiatives : Entrée pour zoomer`);
        const id = item.properties.cluster_id;
        m.on("click", () => {
          const z = Math.min(state.index.getClusterExpansionZoom(id), state.options.maxZoom);
          map.setView([lat, lng], z);
        });
        state.layer.addLayer(m);
      } else {
        const marker = pointMarker(item.properties.i);
        singles.push(marker);
        state.layer.addLayer(marker);
      }
    }
    spread(singles);
    drawSelection();
  }

  function drawSelection() {
    if (state.selectedLayer) {
      state.map.removeLayer(state.selectedLayer);
      state.selectedLayer = null;
    }
    const view = state.view;
    const drawn = view && view.selected >= 0 ? state.markerByPos.get(view.selected) : null;
    const where = drawn ? drawn.getLatLng() // where it is drawn, once fanned out
      : view && view.selectedAt ? view.selectedAt
      : view && view.selected >= 0 && state.points ? [state.points.lat[view.selected], state.points.lng[view.selected]]
      : null;
    if (!where) return;
    state.selectedLayer = L.circleMarker(where, {
      radius: 13, weight: 3, color: "#d62728", fill: false, interactive: false,
      className: "alliances-selected",
    }).addTo(state.map);
  }

  // Once the first markers are drawn, tell the page (as streamlit-folium reports a
  // click), so that it can fill what it left for later (the list) without delaying the map.
  const READY = "§carte-prête§";
  function signalReady() {
    const g = window.__GLOBAL_DATA__;
    if (state.readySent || !g || !window.Streamlit) return;
    state.readySent = true;
    const data = { last_object_clicked_tooltip: READY };
    g.last_object_clicked_tooltip = READY;
    g.previous_data = data;
    window.Streamlit.setComponentValue(data);
  }

  function moveTo(view) {
    if (view.viewKey === state.lastViewKey) return;
    state.lastViewKey = view.viewKey;
    if (view.focus) {
      state.map.setView(view.focus, Math.max(state.map.getZoom(), 10));
    } else if (view.fit) {
      state.map.fitBounds(view.fit, { padding: [10, 10] });
    }
  }

  function applyView() {
    const view = state.view;
    if (!view) return;
    if (state.options.points) {
      if (!state.points) return; // applied again once the points are loaded
      // Re-cluster only when the kept points change, not when only the selection does
      // (rebuilding takes ~0.3 s at 100,000 points).
      if (!state.index || view.mask !== state.indexedMask) {
        const size = state.points.lat.length;
        let kept = decodeMask(view.mask, size);
        if (kept === null) kept = Array.from({ length: size }, (_, i) => i);
        state.index = buildIndex(kept);
        state.indexedMask = view.mask;
      }
    }
    moveTo(view);
    render();
    applyChoropleth(view.choropleth || null);
    applyNearby(view.nearby || null);
    mark("rendered");
    if (state.options.signalReady) requestAnimationFrame(signalReady);
    const count = document.getElementById("alliances-count");
    if (count) count.textContent = view.countLabel || "";
  }

  // Territory layers (régions, départements, EPCI) are fetched once and kept.
  const geojsonCache = {};
  function getJSON(url) {
    if (!geojsonCache[url]) geojsonCache[url] = fetch(url).then((r) => r.json());
    return geojsonCache[url];
  }

  function fillLegend(div, title, rows) {
    div.replaceChildren();
    const strong = document.createElement("strong");
    strong.textContent = title;
    div.appendChild(strong);
    rows.forEach(([text, color, square]) => {
      const row = document.createElement("div");
      const dot = document.createElement("span");
      dot.className = square === "ring" ? "dot ring" : square ? "dot square" : "dot";
      dot.style.background = color;
      row.appendChild(dot);
      row.appendChild(document.createTextNode(" " + text));
      div.appendChild(row);
    });
    const count = document.createElement("div");
    count.id = "alliances-count";
    count.className = "count";
    div.appendChild(count);
  }

  function setLegend(title, rows) {
    const div = document.querySelector(".alliances-legend");
    if (div) fillLegend(div, title, rows);
  }

  function applyChoropleth(ch) {
    const token = (state.choroToken = (state.choroToken || 0) + 1);
    if (!ch) {
      if (state.choroLayer) state.map.removeLayer(state.choroLayer);
      state.choroLayer = null;
      return;
    }
    setLegend(ch.legendTitle, ch.legend);
    getJSON(ch.url).then((geojson) => {
      if (token !== state.choroToken) return; // a newer view came meanwhile
      if (state.choroLayer) state.map.removeLayer(state.choroLayer);
      state.choroLayer = L.geoJSON(geojson, {
        renderer: state.choroRenderer,
        style: (f) => ({
          fillColor: ch.colors[f.properties.code] || ch.emptyColor,
          fillOpacity: 0.88, color: "#ffffff", weight: 0.7,
        }),
        onEachFeature: (f, layer) => {
          const tip = ch.tooltips[f.properties.code];
          if (tip) layer.bindTooltip(tip, { sticky: true });
        },
      }).addTo(state.map);
      const count = document.getElementById("alliances-count");
      if (count) count.textContent = state.view.countLabel || "";
    });
  }

  function applyNearby(nb) {
    if (state.nearLayer) state.map.removeLayer(state.nearLayer);
    state.nearLayer = null;
    if (!state.options.points) state.markerByPos = new Map();
    if (!nb) return;
    const group = L.featureGroup();
    const markers = [];
    L.circle(nb.center, {
      radius: nb.radius, color: "#d62728", weight: 2, fillOpacity: 0.04, interactive: false,
    }).addTo(group);
    L.circleMarker(nb.center, {
      radius: 6, color: "#ffffff", weight: 2, fillColor: "#d62728", fillOpacity: 1, interactive: false,
      className: "alliances-origin",
    }).addTo(group);
    nb.lat.forEach((lat, k) => {
      const marker = L.circleMarker([lat, nb.lng[k]], {
        radius: 7, weight: 1.5, color: "#ffffff", fillColor: state.options.colors[nb.nature[k]],
        fillOpacity: 0.95, className: "alliances-point", bubblingMouseEvents: false,
      });
      marker._alliancesBase = `<span hidden>§${nb.ids[k]}§</span>` + nb.labels[k];
      marker.bindTooltip(marker._alliancesBase, { direction: "top", offset: [0, -6] });
      marker.on("click", onPointClick);
      focusable(marker, plainText(nb.labels[k]) + " : Entrée pour ouvrir la fiche");
      group.addLayer(marker);
      markers.push(marker);
      state.markerByPos.set(nb.pos[k], marker);
    });
    state.nearLayer = group.addTo(state.map);
    state.nearMarkers = markers;
    spread(markers);
    drawSelection();
  }

  // Boundaries are drawn on a canvas (tens of thousands of vertices are slow as SVG),
  // and fetched only once the first markers are on screen: on a slow link their 100 kB
  // would otherwise share the bandwidth with the points and delay them.
  function addBoundaries(map, url, style, after) {
    return after
      .then(() => fetch(url))
      .then((r) => r.json())
      .then((geojson) => {
        L.geoJSON(geojson, {
          style: style, interactive: false, pane: "boundaries", renderer: state.boundaryRenderer,
        }).addTo(map);
      })
      .catch((err) => console.error("Contours indisponibles", url, err));
  }

  function addLegend(map, options) {
    const legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      const div = L.DomUtil.create("div", "alliances-legend");
      fillLegend(div, options.legendTitle, options.legend);
      return div;
    };
    legend.addTo(map);
  }

  function addViews(map, options) {
    const control = L.control({ position: "topright" });
    control.onAdd = function () {
      const div = L.DomUtil.create("div", "alliances-views leaflet-bar");
      options.views.forEach(([text, bounds]) => {
        const a = document.createElement("a");
        a.href = "#";
        a.textContent = text;
        a.title = "Voir " + text;
        a.addEventListener("click", (ev) => {
          ev.preventDefault();
          map.fitBounds(bounds);
        });
        div.appendChild(a);
      });
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    control.addTo(map);
  }

  function init(map, options) {
    mark("init");
    state.map = map;
    state.options = options;
    map.createPane("boundaries");
    map.getPane("boundaries").style.zIndex = 350;
    state.boundaryRenderer = L.canvas({ pane: "boundaries", padding: 0.2 });
    state.choroRenderer = L.canvas({ padding: 0.2 });
    state.layer = L.featureGroup().addTo(map);
    L.control.scale({ imperial: false }).addTo(map); // metric only
    // Hidden then shown again (the phone's Carte / Liste switch): redraw at the new size.
    if (window.ResizeObserver) {
      let size = "";
      new ResizeObserver(() => {
        const box = map.getContainer();
        const now = `${box.clientWidth}x${box.clientHeight}`;
        if (now === size || !box.clientWidth) return;
        size = now;
        map.invalidateSize({ pan: false });
        map.fire("viewreset"); // reproject the drawn points at the new size
        render();
      }).observe(map.getContainer());
    }
    touchGestures(map);
    document.documentElement.lang = "fr";
    document.title = "Carte interactive des alliances";
    const zoom = { ".leaflet-control-zoom-in": "Zoomer", ".leaflet-control-zoom-out": "Dézoomer" };
    Object.entries(zoom).forEach(([selector, text]) => {
      const button = map.getContainer().querySelector(selector);
      if (button) { button.title = text; button.setAttribute("aria-label", text); }
    });
    addLegend(map, options);
    addViews(map, options);
    map.on("moveend", render);
    map.on("zoomend", () => {
      if (state.nearMarkers) spread(state.nearMarkers);
      drawSelection();
    });
    if (!options.points) {
      // No point layer on this page: draw the boundaries at once.
      addBoundaries(map, options.regions, {
        color: "#6b6b6b", weight: 1.4, fillColor: "#f7f4ec", fillOpacity: 1,
      }, Promise.resolve()).then(() => addBoundaries(map, options.departements, {
        color: "#b5b0a5", weight: 0.6, fill: false,
      }, Promise.resolve()));
      return;
    }
    let pointsShown;
    const shown = new Promise((resolve) => { pointsShown = resolve; });
    addBoundaries(map, options.regions, {
      color: "#6b6b6b", weight: 1.4, fillColor: "#f7f4ec", fillOpacity: 1,
    }, shown).then(() => addBoundaries(map, options.departements, {
      color: "#b5b0a5", weight: 0.6, fill: false,
    }, shown));
    fetch(options.points)
      .then((r) => r.json())
      .then((points) => {
        state.points = points;
        mark("points");
        applyView();
        requestAnimationFrame(() => setTimeout(pointsShown, 0));
        return fetch(options.labels);
      })
      .then((r) => r.json())
      .then((labels) => {
        state.labels = labels;
        render();
      })
      .catch((err) => console.error("Points indisponibles", err));
  }

  function apply(view) {
    mark("view");
    state.view = view;
    applyView();
  }

  window.AlliancesMap = { init: init, apply: apply };
})();

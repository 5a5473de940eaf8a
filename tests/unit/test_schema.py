"""Validation of one record: French messages naming the line, field and bad value."""

import pytest

from data.schema import is_http_url, validate

GOOD = {
    "id": "atelier-velo",
    "name": "Atelier vélo",
    "nature": "partnership",
    "forms": ["patronage"],
    "commune_code": "69123",
    "sources": ["https://example.org/a"],
}


def check(**over):
    record = {**GOOD, **over}
    return validate(record, line=12, commune_exists=lambda code: code in {"69123", "2A004", "97411"})


def test_valid_record_builds_an_initiative():
    item, problems = check(themes="Emploi; mobility", forms=["Mécénat", "innovation sociétale"])
    assert problems == []
    assert item.forms == ("patronage", "societal_innovation")
    assert item.themes == ("employment", "mobility")


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        (
            {"commune_code": "1A001"},
            "ligne 12, champ « code commune (INSEE) » : « 1A001 » n'est pas un code commune",
        ),
        ({"commune_code": "99999"}, "« 99999 » n'est pas une commune du référentiel"),
        (
            {"forms": ["mecenatt"]},
            "champ « formes de partenariat » : « mecenatt » n'est pas une forme de partenariat",
        ),
        ({"forms": []}, "au moins une forme de partenariat est requise"),
        ({"nature": "cooperative"}, "« cooperative » n'est pas une nature"),
        ({"name": "  "}, "champ « nom » : valeur obligatoire manquante"),
        ({"sources": []}, "au moins une source publique"),
        ({"sources": ["javascript:alert(1)"]}, "« javascript:alert(1) » n'est pas une adresse http(s)"),
        ({"website": "data:text/html,x"}, "« data:text/html,x » n'est pas une adresse http(s)"),
        ({"latitude": "abc", "longitude": "2"}, "« abc » n'est pas un nombre"),
        ({"latitude": "95", "longitude": "2"}, "« 95 » est hors de l'intervalle"),
        ({"verified_on": "27/11/2026"}, "« 27/11/2026 » n'est pas une date AAAA-MM-JJ"),
        ({"id": "Pas Bon"}, "« Pas Bon » n'est pas un identifiant"),
        ({"themes": ["climat"]}, "« climat » n'est pas un thème"),
    ],
)
def test_problems_are_worded_in_french(over, expected):
    item, problems = check(**over)
    assert item is None
    assert any(expected in str(p) for p in problems), [str(p) for p in problems]
    assert all(str(p).startswith("ligne 12, champ « ") for p in problems)


def test_corsican_and_overseas_codes_are_codes():
    for code in ("2A004", "97411"):
        item, problems = check(commune_code=code.lower())
        assert problems == [] and item.commune_code == code


def test_sources_may_be_optional_for_synthetic_data():
    item, problems = validate({**GOOD, "sources": []}, require_sources=False)
    assert problems == [] and item.sources == ()


@pytest.mark.parametrize(
    ("url", "ok"), [("https://a.fr", True), ("http://a.fr/x", True), ("javascript:x", False), ("a.fr", False)]
)
def test_is_http_url(url, ok):
    assert is_http_url(url) is ok

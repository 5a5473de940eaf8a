"""The proposal form and a database fault, under AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data.repository import Repository
from tests.app.conftest import APP


@pytest.fixture
def form(monkeypatch, reference, tmp_path):
    url = f"sqlite:///{tmp_path / 'propositions.sqlite3'}"
    monkeypatch.setenv("ALLIANCES_DATABASE_URL", url)
    monkeypatch.delenv("ALLIANCES_DEMO_N", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/propose.py").run()
    assert not at.exception
    return at, Repository(url)


def fill(at, name: str, *, sources: str = "https://example.org/source", trap: str = "") -> None:
    at.text_input(key="pf_commune_text_0").input("rennes").run()
    at.text_input(key="pf_name_0").input(name)
    at.multiselect(key="pf_forms_0").select("patronage")
    at.text_area(key="pf_sources_0").input(sources)
    at.text_input(key="pf_site_pro").input(trap)
    next(b for b in at.button if b.label == "Envoyer la proposition").click().run()


def test_a_valid_proposal_gets_a_reference_and_waits_for_moderation(form):
    at, repo = form
    fill(at, "Épicerie ${alert(1)} <b>solidaire</b>")
    assert "P-000001" in at.success[0].value
    pending = repo.proposals()
    assert [p.record["name"] for p in pending] == ["Épicerie ${alert(1)} <b>solidaire</b>"]  # stored as text
    assert pending[0].record["commune_code"] == "35238"
    assert not repo.snapshot().items or all(
        i.name != pending[0].record["name"] for i in repo.snapshot().items
    )


def test_each_bad_field_is_named_in_french(form):
    at, repo = form
    fill(at, "", sources="javascript:alert(1)")
    message = at.error[0].value.replace("\\", "")  # Markdown escapes removed
    assert "champ « nom » : valeur obligatoire manquante" in message
    assert "« javascript:alert(1) » n'est pas une adresse http(s)" in message
    assert repo.proposals() == []


def test_honeypot_stores_nothing(form):
    at, repo = form
    fill(at, "Robot", trap="http://spam.example")
    assert "champ caché" in at.error[0].value and repo.proposals() == []


def test_rate_limit_per_session(form):
    at, repo = form
    for k in range(5):
        at.text_input(key=f"pf_commune_text_{k}").input("rennes").run()
        at.text_input(key=f"pf_name_{k}").input(f"Proposition {k}")
        at.multiselect(key=f"pf_forms_{k}").select("patronage")
        at.text_area(key=f"pf_sources_{k}").input("https://example.org/x")
        next(b for b in at.button if b.label == "Envoyer la proposition").click().run()
    assert len(repo.proposals()) == 5
    at.text_input(key="pf_commune_text_5").input("rennes").run()
    at.text_input(key="pf_name_5").input("Une de trop")
    at.multiselect(key="pf_forms_5").select("patronage")
    at.text_area(key="pf_sources_5").input("https://example.org/x")
    next(b for b in at.button if b.label == "Envoyer la proposition").click().run()
    assert "Trop de propositions" in at.error[0].value and len(repo.proposals()) == 5


def test_control_characters_are_refused_with_a_message(form):
    at, repo = form
    fill(at, "Nom \u202eà l'envers")
    assert "caractère interdit" in at.error[0].value and repo.proposals() == []


def test_corrupt_database_keeps_the_map_with_a_notice(monkeypatch, reference, tmp_path):
    bad = tmp_path / "abimee.sqlite3"
    bad.write_bytes(b"pas une base" * 500)
    monkeypatch.setenv("ALLIANCES_DATABASE_URL", f"sqlite:///{bad}")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert "ne peuvent pas être lues" in at.warning[0].value
    assert at.markdown[0].value.startswith("### ") and "initiatives sur" in at.markdown[0].value
    at.switch_page("pages/propose.py").run()
    assert not at.exception and "une proposition envoyée maintenant sera refusée" in at.error[0].value
    fill(at, "Atelier saisi pendant la panne")  # sent anyway: refused out loud, nothing typed is lost
    assert "n'a pas pu être enregistrée" in at.error[-1].value and "Rien n'a été perdu" in at.error[-1].value
    assert at.text_input(key="pf_name_0").value == "Atelier saisi pendant la panne"

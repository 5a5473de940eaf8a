"""« Par où commencer ? » step by step, and « Fiche territoire » from its address, under AppTest."""

from __future__ import annotations

from tests.conftest import ROOT


def _subheaders(app) -> list[str]:
    return [s.value for s in app.subheader]


def test_three_questions_then_the_answer_with_its_permalink(app):
    app.switch_page("pages/guide.py").run()
    assert not app.exception and "1. Qui êtes-vous ?" in _subheaders(app)
    app.radio[0].set_value("entreprise").run()
    next(b for b in app.button if b.label == "Continuer").click().run()
    assert "2. Où agissez-vous ?" in _subheaders(app) and app.query_params["qui"] in (
        "entreprise",
        ["entreprise"],
    )
    app.text_input(key="guide_commune_text").input("lyon").run()
    app.selectbox(key="guide_commune").set_value("69123").run()
    next(b for b in app.button if b.label == "Continuer").click().run()
    assert "3. Que cherchez-vous ?" in _subheaders(app)
    app.radio[0].set_value("performance")
    app.multiselect[0].set_value(["employment"]).run()
    next(b for b in app.button if b.label == "Voir ma feuille de route").click().run()
    assert not app.exception and "Votre feuille de route" in _subheaders(app)
    text = " ".join(m.value for m in app.markdown)
    assert "Pratiques responsables" in text and "Mécénat" in text and "fragilites=emploi" in text
    assert "Présentez votre projet au catalyseur le plus proche" in app.success[0].value


def test_a_brief_from_its_address_and_an_unknown_territory(app):
    app.switch_page("pages/brief.py")
    app.query_params["niveau"] = "departement"
    app.query_params["code"] = "23"
    app.run()
    assert not app.exception and "Creuse (département)" in _subheaders(app)
    assert [m.label for m in app.metric][:2] == ["Initiatives", "Pour 100 000 habitants"]
    app.query_params["code"] = "999"
    app.run()
    assert not app.exception and "Territoire inconnu" in app.warning[0].value


def test_changing_the_level_drops_the_other_levels_code(app):
    app.switch_page("pages/brief.py")
    app.query_params["niveau"] = "departement"
    app.query_params["code"] = "23"
    app.run()
    app.radio[0].set_value("commune").run()  # « 23 » is no commune: the picker starts empty
    assert not app.exception and not app.metric


def test_text_from_the_data_reaches_the_brief_as_text(app, monkeypatch):
    monkeypatch.setenv("ALLIANCES_DATA", str(ROOT / "tests" / "data" / "hostile.json"))
    monkeypatch.setenv("ALLIANCES_DATABASE_URL", "sqlite://")  # in memory: only the hostile file
    app.switch_page("pages/brief.py")
    app.query_params["niveau"] = "commune"
    app.query_params["code"] = "69123"
    app.run()
    assert not app.exception
    listed = next(m.value for m in app.markdown if "example.org/source" in m.value)
    assert r"\$\{alert\(1\)\}\<img src=x onerror=alert\(2\)\>" in listed  # escaped, not markup
    assert "[source](<https://example.org/source>)" in listed

"""The « À proximité », « Territoires » and « Importer » pages under AppTest."""

import pytest
from streamlit.testing.v1 import AppTest

from data import accounts
from data.repository import Repository
from tests.app.conftest import APP


def texts(at) -> str:
    """The page's text as read (Markdown escapes removed)."""
    parts = [m.value for m in at.markdown] + [s.value for s in at.subheader] + [i.value for i in at.info]
    return " ".join(parts).replace("\\", "")


def test_nearby_without_origin_invites_a_choice(app):
    app.switch_page("pages/nearby.py").run()
    assert not app.exception
    assert app.title[0].value == "À proximité"
    assert "Choisissez une commune" in texts(app)


def test_nearby_from_a_commune_link(app):
    app.switch_page("pages/nearby.py")
    app.query_params["commune"] = "69123"
    app.query_params["rayon"] = "30"
    app.run()
    assert not app.exception
    page = texts(app)
    assert "Mon catalyseur" in page
    assert "à moins de 30 km de Lyon (69)" in page
    assert app.slider(key="n_radius").value == 30
    assert app.query_params["commune"] in ("69123", ["69123"])


def test_nearby_typing_a_commune(app):
    app.switch_page("pages/nearby.py").run()
    app.text_input(key="n_text").input("st etienne").run()
    assert app.selectbox(key="n_commune").value == "42218"
    assert "de Saint-Étienne (42)" in texts(app)
    app.slider(key="n_radius").set_value(5).run()
    assert app.query_params["rayon"] in ("5", ["5"])


def test_nearby_from_an_unknown_initiative(app):
    app.switch_page("pages/nearby.py")
    app.query_params["initiative"] = "nexiste-pas"
    app.run()
    assert any("nexiste-pas" in w.value.replace("\\", "") for w in app.warning)


def test_territories_levels_and_coverage(app):
    app.switch_page("pages/territories.py").run()
    assert not app.exception
    assert app.title[0].value == "Territoires"
    app.radio(key="t_level").set_value("departements").run()
    assert not app.exception
    app.radio(key="t_measure").set_value("far").run()
    assert not app.exception
    assert "Chiffres par département" in texts(app)
    app.radio(key="t_level").set_value("epci").run()
    assert not app.exception


def test_import_page_is_refused_without_login(app):
    app.switch_page("pages/import.py").run()
    assert [t.value for t in app.title] != ["Importer des initiatives"]
    assert "réservé aux administrateurs" in app.error[0].value


def test_import_page_for_an_administrator(monkeypatch, reference, tmp_path):
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    monkeypatch.setenv("ALLIANCES_DATABASE_URL", url)
    monkeypatch.delenv("ALLIANCES_DEMO_N", raising=False)
    repo = Repository(url)
    accounts.create_account(repo, "camille", "un-mot-de-passe-long", "admin")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_actor"] = accounts.authenticate(repo, "camille", "un-mot-de-passe-long")
    at.switch_page("pages/import.py").run()
    assert not at.exception
    assert at.title[0].value == "Importer des initiatives"
    assert at.checkbox[0].value is True  # « vérifier seulement » by default


def test_territories_link_reopens_the_view(app):
    app.switch_page("pages/territories.py")
    app.query_params.update(
        {"niveau": "departements", "mesure": "zones-blanches", "distance": "40", "forme": "mecenat"}
    )
    app.run()
    assert not app.exception
    assert app.radio(key="t_level").value == "departements"
    assert app.radio(key="t_measure").value == "far"
    assert app.slider(key="t_threshold").value == 40
    assert app.multiselect(key="f_forms").value == ["patronage"]
    app.radio(key="t_level").set_value("epci").run()
    assert app.query_params["niveau"] in ("epci", ["epci"])
    assert app.query_params["forme"] in ("mecenat", ["mecenat"])


@pytest.mark.parametrize("raw", ["inf", "-inf", "1e999", "9" * 400])
def test_nearby_radius_parameter_is_clamped_with_a_notice(app, raw):
    app.switch_page("pages/nearby.py")
    app.query_params.update({"commune": "69123", "rayon": raw})
    app.run()
    assert not app.exception
    assert any("Paramètre « rayon »" in w.value for w in app.warning)
    assert app.slider[0].value == 30


def test_territories_distance_parameter_is_clamped_with_a_notice(app):
    app.switch_page("pages/territories.py")
    app.query_params.update({"niveau": "departements", "mesure": "zones-blanches", "distance": "9" * 400})
    app.run()
    assert not app.exception
    assert any("Paramètre « distance »" in w.value for w in app.warning)
    assert app.slider(key="t_threshold").value == 30


def test_my_catalyst_is_selectable_and_distances_read_in_french(app):
    app.switch_page("pages/nearby.py")
    app.query_params.update({"commune": "69123", "rayon": "30"})
    app.run()
    catalysts = [b for b in app.button if b.key and b.key.startswith("n_catalyst_")]
    assert catalysts and " km — " in catalysts[0].label and "," in catalysts[0].label.split(" km")[0]
    catalysts[0].click().run()
    assert not app.exception
    assert app.query_params["id"]  # the catalyst's initiative is selected (detail and map follow)
    table = next(df.value for df in app.dataframe if "Distance" in df.value.columns)
    assert table["Distance"].str.fullmatch(r"\d+,\d km").all()


def test_territories_follow_the_region_filter(app):
    app.switch_page("pages/territories.py")
    app.query_params.update({"niveau": "departements", "region": "76"})  # Occitanie: 13 départements
    app.run()
    assert not app.exception
    figures = next(df.value for df in app.dataframe if "Territoire" in df.value.columns)
    assert len(figures) == 13 and set(figures["Code"]) >= {"31", "34", "66"}
    assert any("zones blanches se mesurent toujours" in c.value for c in app.caption)

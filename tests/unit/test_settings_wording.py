"""Settings from the environment, and French wording of counts."""

from pathlib import Path

import pytest

from components import settings, wording


def test_defaults():
    s = settings.from_env({})
    assert s.demo_n == 0 and s.tiles_url == "" and s.data_file is None
    assert s.cache_dir.name == "reference"


def test_values():
    s = settings.from_env(
        {"ALLIANCES_DEMO_N": "100_000", "ALLIANCES_CACHE_DIR": "/tmp/c", "ALLIANCES_DATA": "x.json"}
    )
    assert s.demo_n == 100_000 and s.cache_dir == Path("/tmp/c") and s.data_file == Path("x.json")


@pytest.mark.parametrize("raw", ["mille", "-3"])
def test_bad_values_are_named(raw):
    with pytest.raises(ValueError, match=f"ALLIANCES_DEMO_N : « {raw} »"):
        settings.from_env({"ALLIANCES_DEMO_N": raw})


@pytest.mark.parametrize(
    ("kept", "total", "text"),
    [
        (0, 5, "0 initiative sur 5"),
        (1, 5, "1 initiative sur 5"),
        (12345, 100000, "12\u202f345 initiatives sur 100\u202f000"),
    ],
)
def test_count_label(kept, total, text):
    assert wording.count_label(kept, total) == text


@pytest.mark.parametrize(
    ("count", "page", "expected"),
    [
        (0, 1, (1, 0, 0)),
        (250, 1, (1, 0, 100)),
        (250, 3, (3, 200, 250)),
        (250, 9, (3, 200, 250)),
        (250, 0, (1, 0, 100)),
    ],
)
def test_page_bounds(count, page, expected):
    from components.table import page_bounds

    assert page_bounds(count, page) == expected


def test_coverage_tables_use_french_labels(small_catalog):
    from components.about import coverage_tables

    tables = coverage_tables(small_catalog)
    nature = dict(zip(tables["Nature"]["Nature"], tables["Nature"]["Initiatives"], strict=True))
    assert nature == {"Dynamique partenariale": 3, "Écosystème territorial": 2}
    forms = dict(zip(tables["Forme"]["Forme de partenariat"], tables["Forme"]["Initiatives"], strict=True))
    assert forms["Mécénat"] == 2 and forms["Pratiques responsables"] == 1
    assert tables["Région"]["Initiatives"].sum() == 5


def test_readme_settings_table_is_the_declared_one():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert settings.settings_table() in readme
    for setting in settings.DECLARED:
        assert setting.help and setting.default

"""Importing spreadsheets: real and malformed files under tests/data/import/."""

import sqlite3
import threading

import pytest

from data import store
from data.columns import map_headers
from data.importer import import_file
from data.readers import UnreadableFile, read_file
from data.schema import Initiative
from geo.geocode import Geocoder
from tests.conftest import CACHE, DATA

FILES = DATA / "import"


@pytest.fixture(scope="module")
def geocoder(reference):
    return Geocoder.from_cache(CACHE)


def run(name, geocoder, db, **kw):
    return import_file((FILES / name).read_bytes(), name, geocoder=geocoder, db_path=db, **kw)


@pytest.mark.parametrize(
    ("name", "note"),
    [
        ("cp1252_pointvirgule.csv", "encodage Windows-1252, séparateur point-virgule"),
        ("utf8_bom_virgule.csv", "encodage UTF-8 (avec BOM), séparateur virgule"),
        ("tabulations.tsv", "encodage UTF-8, séparateur tabulation"),
        ("unicode_excel.txt", "encodage UTF-16, séparateur tabulation"),
        ("classeur.xlsx", "feuille « Initiatives »"),
        ("points.geojson", "GeoJSON"),
    ],
)
def test_formats_are_read(name, note):
    table = read_file((FILES / name).read_bytes(), name)
    assert any(n.startswith(note) for n in table.notes)
    assert table.rows


def test_messy_csv_every_row_lands_or_is_explained(geocoder, tmp_path):
    db = tmp_path / "a.sqlite3"
    report = run("cp1252_pointvirgule.csv", geocoder, db)
    assert report.rows == 6 and len(report.accepted) == 2 and len(report.rejected) == 4
    codes = {item.name: item.commune_code for item in report.accepted}
    assert codes == {
        "Exemple fictif – Épicerie solidaire": "69266",
        "Exemple fictif – Pôle coopératif": "42218",
    }
    epicerie = next(i for i in report.accepted if i.commune_code == "69266")
    assert epicerie.themes == ("poverty", "food") and epicerie.forms == ("patronage",)
    messages = {r.line: r.message for r in report.rejected}
    assert messages[4].startswith("ligne 4, colonne commune : « Saint-Denis »")
    assert "97411" in messages[4] and "93066" in messages[4]  # ambiguous, never guessed
    assert messages[5].startswith("ligne 5, champ « formes de partenariat » : « mecenatt »")
    assert messages[6].startswith("ligne 6, colonne code_postal")
    assert "source publique" in messages[7]
    assert "colonnes ignorées (inconnues) : « Couleur »" in report.notes
    assert report.counts.added == 2
    csv = report.rejected_csv().decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("ligne;champ;valeur;message;Nom de l'initiative")


def test_reimport_creates_no_duplicate(geocoder, tmp_path):
    db = tmp_path / "a.sqlite3"
    first = run("utf8_bom_virgule.csv", geocoder, db)
    again = run("utf8_bom_virgule.csv", geocoder, db)
    assert first.counts == store.WriteCounts(added=2)
    assert again.counts == store.WriteCounts(unchanged=2)
    assert len(store.read_all(db)) == 2


def test_dry_run_writes_nothing(geocoder, tmp_path):
    db = tmp_path / "a.sqlite3"
    report = run("tabulations.tsv", geocoder, db, dry_run=True)
    assert len(report.accepted) == 2 and report.counts is None and not db.exists()


def test_geojson_points_and_xlsx_formulas(geocoder, tmp_path):
    report = run("points.geojson", geocoder, tmp_path / "g.sqlite3")
    assert [i.commune_code for i in report.accepted] == ["69123"]
    assert report.accepted[0].latitude == pytest.approx(45.764)
    assert "hors de France" in report.rejected[0].message
    book = run("classeur.xlsx", geocoder, tmp_path / "x.sqlite3")
    assert [i.commune_code for i in book.accepted] == ["69123"]
    # A formula cell is never read as text: the row is refused, not imported as a formula.
    assert book.rejected[0].line == 3 and "nom" in book.rejected[0].message


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("vide.csv", "« vide.csv » est vide."),
        ("entete_seule.csv", "ne contient que la ligne d'en-tête"),
        ("doublon_entete.csv", "la colonne « ville » apparaît deux fois (colonnes 2 et 3)"),
        ("binaire.csv", "n'est pas un fichier texte (contenu binaire)"),
        ("executable_renomme.xlsx", "n'est pas un classeur Excel (.xlsx) valide"),
        ("bombe.xlsx", "se décompresse en 315 Mo : trop gros"),
        ("sans_localisation.csv", "aucune colonne pour situer l'initiative"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(name, message, geocoder, tmp_path):
    db = tmp_path / "a.sqlite3"
    with pytest.raises(UnreadableFile, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(name, geocoder, db)
    assert not db.exists()


def test_unknown_format_and_size_cap():
    with pytest.raises(UnreadableFile, match="format non pris en charge"):
        read_file(b"x", "notes.pdf")
    with pytest.raises(UnreadableFile, match="Mo : au plus"):
        read_file(b"a" * (21 * 1024 * 1024), "gros.csv")


def test_header_variants_map_onto_the_schema():
    mapping, unknown, duplicates = map_headers(
        [
            "Nom de l'initiative",
            "Code INSEE",
            "CP",
            "Ville",
            "Forme de partenariat",
            "Thèmes / fragilités",
            "Nom",
        ]
    )
    assert list(mapping.values()) == ["name", "code_insee", "code_postal", "commune", "forms", "themes"]
    assert duplicates == ["Nom"] and unknown == []


def item(n: int) -> Initiative:
    return Initiative(
        id=f"t-{n}",
        name=f"Test {n}",
        nature="partnership",
        commune_code="69123",
        forms=("patronage",),
        sources=("https://example.org",),
    )


def test_concurrent_writers_lose_nothing(tmp_path):
    db = tmp_path / "c.sqlite3"
    errors = []

    def writer(thread: int):
        try:
            for k in range(50):
                store.write(db, [item(thread * 1000 + k)], source_file="t")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.read_all(db)) == 1000


def test_a_failing_import_leaves_nothing(tmp_path):
    db = tmp_path / "f.sqlite3"

    def items():
        for n in range(1000):
            if n == 999:
                raise sqlite3.OperationalError("disque plein (simulé)")
            yield item(n)

    with pytest.raises(sqlite3.OperationalError):
        store.write(db, items(), source_file="t")
    assert store.read_all(db) == []
    assert store.version(db).startswith("0:")

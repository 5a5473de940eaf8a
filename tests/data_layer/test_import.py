"""Importing spreadsheets: real and malformed files under tests/data/import/, through the store."""

import pytest

from data import accounts
from data.columns import map_headers
from data.importer import import_file
from data.readers import UnreadableFile, read_file
from data.repository import Repository
from geo.geocode import Geocoder
from tests.conftest import CACHE, DATA

FILES = DATA / "import"
PASSWORD = "un-mot-de-passe-long"


@pytest.fixture(scope="module")
def geocoder(reference):
    return Geocoder.from_cache(CACHE)


@pytest.fixture
def repo(tmp_path):
    repository = Repository(f"sqlite:///{tmp_path / 'import.sqlite3'}")
    accounts.create_account(repository, "camille", PASSWORD, "admin")
    repository.admin = accounts.authenticate(repository, "camille", PASSWORD)
    return repository


def run(name, geocoder, repo, **kw):
    return import_file(
        (FILES / name).read_bytes(), name, geocoder=geocoder, repo=repo, actor=repo.admin, **kw
    )


def stored(repo) -> list:
    return list(repo.snapshot().items)


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


def test_messy_csv_every_row_lands_or_is_explained(geocoder, repo):
    report = run("cp1252_pointvirgule.csv", geocoder, repo)
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
    assert report.outcome.added == 2
    assert {h.note for i in stored(repo) for h in repo.history(i.id)} == {
        "import du fichier « cp1252_pointvirgule.csv »"
    }
    csv = report.rejected_csv().decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("ligne;champ;valeur;message;Nom de l'initiative")


def test_reimport_creates_no_duplicate(geocoder, repo):
    first = run("utf8_bom_virgule.csv", geocoder, repo)
    again = run("utf8_bom_virgule.csv", geocoder, repo)
    assert (first.outcome.added, again.outcome.added, again.outcome.unchanged) == (2, 0, 2)
    assert len(stored(repo)) == 2


def test_dry_run_writes_nothing(geocoder, repo):
    revision = repo.revision()
    report = run("tabulations.tsv", geocoder, repo, dry_run=True)
    assert len(report.accepted) == 2 and report.outcome is None and repo.revision() == revision


def test_geojson_points_and_xlsx_formulas(geocoder, repo):
    report = run("points.geojson", geocoder, repo)
    assert [i.commune_code for i in report.accepted] == ["69123"]
    assert report.accepted[0].latitude == pytest.approx(45.764)
    assert "hors de France" in report.rejected[0].message
    book = run("classeur.xlsx", geocoder, repo)
    assert [i.commune_code for i in book.accepted] == ["69123"]
    # A formula cell is never read as text: the row is refused, not imported as a formula.
    assert book.rejected[0].line == 3 and "nom" in book.rejected[0].message


def test_a_row_with_a_referential_id_never_replaces_it(geocoder, repo):
    from tests.conftest import make_initiative

    repo.seed([make_initiative("ref-lyon", name="Fiche du référentiel")], "s")
    data = "nom;id;nature;code insee;forme;sources\nÉcrasement;ref-lyon;partnership;69123;mécénat;https://example.org/a\n"
    report = import_file(data.encode(), "ecrase.csv", geocoder=geocoder, repo=repo, actor=repo.admin)
    assert report.outcome.added == 0 and report.rejected_count == 1
    assert "initiative du référentiel" in report.rejected[0].message
    assert "0 valide(s)" in report.summary() and "0 ajoutée(s)" in report.summary()
    assert repo.get("ref-lyon").item.name == "Fiche du référentiel"


# ---- defects found by the black-box probe: each has its file under tests/data/import/ ---------------


def test_one_cp1252_byte_in_a_utf8_file_is_refused_with_its_line(geocoder, repo):
    with pytest.raises(UnreadableFile, match=r"ligne 4 : octet 0xE9 invalide en UTF-8.*deux encodages"):
        run("utf8_un_octet_cp1252.csv", geocoder, repo)
    assert stored(repo) == []


def test_bom_file_with_a_bad_byte_is_refused_not_a_traceback():
    with pytest.raises(UnreadableFile, match="ligne 2 : octet 0xE9"):
        read_file(b"\xef\xbb\xbfnom;commune\nCr\xe9che;Lyon\n", "bom.csv")


def test_bad_coordinates_are_refused_not_replaced(geocoder, repo):
    report = run("coordonnees_douteuses.csv", geocoder, repo)
    messages = {r.line: r.message for r in report.rejected}
    assert set(messages) == {2, 3, 4}
    assert "colonnes latitude/longitude" in messages[2] and "999" in messages[2]
    assert "colonnes latitude/longitude" in messages[3]
    assert "hors de Lyon" in messages[4]
    assert [i.name for i in stored(repo)] == ["Bon point"]


def test_control_characters_and_bidi_overrides_are_refused(geocoder, repo):
    report = run("caracteres_de_controle.geojson", geocoder, repo)
    assert report.accepted_count == 0
    assert "caractère interdit (NUL) en position 4" in report.rejected[0].message
    assert "U+202E" in report.rejected[1].message


def test_broken_xlsx_and_odd_geojson_are_explained_not_tracebacks(geocoder, repo):
    with pytest.raises(UnreadableFile, match="classeur endommagé après la ligne"):
        run("classeur_casse.xlsx", geocoder, repo)
    report = run("geometries.geojson", geocoder, repo)
    messages = [r.message for r in report.rejected]
    assert "pas de géométrie (geometry: null) ; ligne vide" in messages[0]
    assert "géométrie Polygon non prise en charge" in messages[1]
    assert "« coordinates » d'un Point doit être une liste" in messages[2]
    assert "« properties » devrait être un objet, pas list" in messages[3]
    assert "« properties » devrait être un objet, pas str" in messages[4]
    assert [i.name for i in stored(repo)] == ["Bon point"]
    with pytest.raises(UnreadableFile, match="trop profondément imbriqué"):
        read_file(b"[" * 10_000 + b"]" * 10_000, "profond.geojson")


def test_csv_structure_problems_name_the_real_cause(geocoder, repo):
    table = read_file((FILES / "pointvirgule_virgules_dans_nom.csv").read_bytes(), "a.csv")
    assert (
        table.notes[0].endswith("séparateur point-virgule")
        and table.rows[0][0] == "Atelier, vélo et réemploi"
    )
    mixed = run("separateurs_melanges.csv", geocoder, repo)
    assert "séparée par des virgules, pas par des point-virgules" in mixed.rejected[0].message
    assert "ligne vide" not in mixed.rejected[0].message
    with pytest.raises(UnreadableFile, match=r"ligne 2 : CSV mal formé.*guillemet"):
        run("guillemet_non_ferme.csv", geocoder, repo)


def test_size_limit_is_said_in_the_same_unit_as_the_help():
    with pytest.raises(UnreadableFile, match=r"pèse 21,0 Mo : au plus 20 Mo"):
        read_file(b"a" * (21 * 1024 * 1024), "gros.csv")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("vide.csv", "« vide.csv » est vide."),
        ("entete_seule.csv", "ne contient que la ligne d'en-tête"),
        ("doublon_entete.csv", "la colonne « ville » apparaît deux fois (colonnes 2 et 3)"),
        ("binaire.csv", "n'est pas un fichier texte (contenu binaire)"),
        ("executable_renomme.xlsx", "n'est pas un classeur Excel (.xlsx) valide"),
        ("bombe.xlsx", "se décompresse en 300 Mo : trop gros"),
        ("sans_localisation.csv", "aucune colonne pour situer l'initiative"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(name, message, geocoder, repo):
    revision = repo.revision()
    with pytest.raises(UnreadableFile, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(name, geocoder, repo)
    assert repo.revision() == revision and stored(repo) == []


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


def test_same_name_in_two_territories_is_two_initiatives(geocoder, repo):
    data = (
        "nom;nature;forme;sources;échelle de rattachement;code du territoire\n"
        "Club des mécènes;ecosystem;mécénat;https://example.org/a;départementale;29\n"
        "Club des mécènes;ecosystem;mécénat;https://example.org/b;départementale;56\n"
        "Club des mécènes;ecosystem;mécénat;https://example.org/c;départementale;29\n"
    ).encode()
    report = import_file(data, "clubs.csv", geocoder=geocoder, repo=repo, actor=repo.admin, dry_run=True)
    assert report.accepted_count == 2 and report.warnings == []
    assert [r.message for r in report.rejected] == ["ligne 4 : même initiative qu'à la ligne 2"]

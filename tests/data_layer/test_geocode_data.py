"""The geocoding command line (``python -m data.geocode_file``) on small real and malformed files.

The files mimic what spreadsheets save in France: Windows-1252 with « ; », UTF-8 with
a BOM and « , », tab-separated text, rows of the wrong length, an empty file, a binary
one. The rows name real communes; the « Ligne de test » labels are not initiatives.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from data import geocode_file as _geocode_cli
from geo.geocode import Geocoder
from geo.reference import load_commune_shapes
from tests.conftest import CACHE, DATA, ROOT

FILES = DATA / "geocode"
ADDED = list(_geocode_cli.OUTPUT_COLUMNS)


@pytest.fixture(scope="module")
def shared_geocoder(reference) -> Geocoder:
    return Geocoder(reference, shapes=lambda: load_commune_shapes(CACHE))


@pytest.fixture
def run(monkeypatch, shared_geocoder, tmp_path, capsys):
    """Run the command line in-process (with one geocoder for the module); return its outputs."""
    monkeypatch.setattr(_geocode_cli.Geocoder, "from_cache", classmethod(lambda cls, path: shared_geocoder))

    def _run(name: str, *extra: str):
        source = FILES / name
        output = tmp_path / f"{source.stem}.out.csv"
        code = _geocode_cli.main([str(source), "-o", str(output), "--cache", str(CACHE), *extra])
        captured = capsys.readouterr()
        return code, output, captured.out, captured.err

    return _run


def _read(path: Path, encoding: str = "utf-8-sig", delimiter: str = ";") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def _by_column(table: list[list[str]]) -> list[dict[str, str]]:
    header, *rows = table
    return [dict(zip(header, row, strict=True)) for row in rows]


class TestCp1252Semicolon:
    def test_columns_rows_and_order(self, run):
        code, output, _, _ = run("communes_cp1252.csv")
        assert code == 0
        table = _read(output)
        source = _read(FILES / "communes_cp1252.csv", encoding="cp1252")
        assert table[0] == source[0] + ADDED
        # Every input row, in order, with its cells untouched (accents included).
        assert [row[: len(source[0])] for row in table[1:]] == source[1:]

    @pytest.mark.parametrize(
        ("row_id", "statut", "code"),
        [
            ("1", "ok", "54471"),
            ("2", "ok", "42218"),
            ("3", "ok", "51108"),
            ("4", "ok", "94038"),
            ("5", "ok", "89048"),  # with a neighbour's postcode: the exact name wins
            ("6", "ambigu", ""),
            ("7", "ok", "69123"),
            ("8", "ok", "69123"),
        ],
    )
    def test_answers(self, run, row_id, statut, code):
        _, output, _, _ = run("communes_cp1252.csv")
        row = next(r for r in _by_column(_read(output)) if r["id"] == row_id)
        assert (row["statut"], row["code_insee_trouve"]) == (statut, code)

    def test_details_of_answers(self, run):
        _, output, _, _ = run("communes_cp1252.csv")
        rows = {r["id"]: r for r in _by_column(_read(output))}
        assert rows["1"]["commune_trouvee"] == "Saint-Boingt"
        assert rows["1"]["methode"] == "code_postal+nom" and rows["1"]["score"] == "1"
        assert float(rows["1"]["latitude_trouvee"]) == pytest.approx(48.43, abs=0.05)
        assert "93066" in rows["6"]["candidats"].split("|") and "97411" in rows["6"]["candidats"].split("|")
        assert "« ABCDE »" in rows["8"]["message"]
        assert "89320" in rows["5"]["message"] and float(rows["5"]["score"]) < 1

    def test_output_is_semicolon_utf8_with_a_bom_for_excel(self, run):
        _, output, _, _ = run("communes_cp1252.csv")
        raw = output.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        assert "Châlons-en-Champagne".encode() in raw
        assert raw.splitlines()[0].count(b";") == 4 + len(ADDED)

    def test_summary(self, run):
        _, output, out, err = run("communes_cp1252.csv")
        assert "8 lignes géocodées" in out and "lignes/s" in out
        assert "ok" in out and "7" in out.split("ok")[1].splitlines()[0]
        assert "ambigu" in out and "1" in out.split("ambigu")[1].splitlines()[0]
        assert "séparateur point-virgule" in out and "Windows-1252" in out
        assert str(output) in out
        assert err == ""  # short file: no progress lines


class TestBomComma:
    def test_headers_recognised_and_answers(self, run):
        code, output, out, _ = run("codes_bom.csv")
        assert code == 0
        assert "code_insee ← « Code INSEE »" in out and "commune ← « Ville »" in out
        table = _read(output)
        assert table[0] == ["Code INSEE", "Ville", "Département", "Note", *ADDED]
        rows = _by_column(table)
        assert [r["code_insee_trouve"] for r in rows] == ["69123", "75056", "2A004", "01001", "", "97411"]
        assert [r["statut"] for r in rows] == ["ok", "ok", "ok", "ok", "invalide", "ok"]
        assert rows[1]["methode"] == "arrondissement"
        assert rows[2]["Note"] == "Corse, minuscules"  # quoted comma kept in its cell
        assert "« 1A001 »" in rows[4]["message"]


class TestTabs:
    def test_addresses_and_coordinates(self, run):
        code, output, out, _ = run("adresses.tsv")
        assert code == 0 and "séparateur tabulation" in out
        rows = _by_column(_read(output))
        assert [r["id"] for r in rows] == ["a", "b", "c", "d", "e", "f"]
        assert [r["code_insee_trouve"] for r in rows] == ["54471", "69123", "69123", "69123", "", "76351"]
        assert [r["methode"] for r in rows] == [
            "adresse",
            "adresse",
            "coordonnees",
            "coordonnees_inversees",
            "coordonnees",
            "adresse",
        ]
        assert rows[4]["statut"] == "introuvable" and "hors de France" in rows[4]["message"]
        assert float(rows[3]["latitude_trouvee"]) == pytest.approx(45.764)

    def test_formula_cells_are_neutralised_in_the_output(self, run, tmp_path):
        source = tmp_path / "formules.csv"
        source.write_text(
            'nom;code insee\n=HYPERLINK("http://x");69123\n@SUM(A1:A2);75056\n', encoding="utf-8"
        )
        code = _geocode_cli.main([str(source), "-o", str(tmp_path / "f.out.csv"), "--cache", str(CACHE)])
        rows = _by_column(_read(tmp_path / "f.out.csv"))
        assert code == 0 and [r["nom"] for r in rows] == ['\'=HYPERLINK("http://x")', "'@SUM(A1:A2)"]

    def test_utf16_and_xlsx_are_read_like_the_importer_reads_them(self, run):
        code, _output, out, _ = run("../import/unicode_excel.txt")
        assert code == 0 and "UTF-16" in out
        code, _output, out, _ = run("../import/classeur.xlsx")
        assert code == 0 and "feuille" in out


class TestMalformed:
    def test_rows_of_the_wrong_length_are_kept_and_reported(self, run):
        code, output, _, err = run("ragged.csv")
        assert code == 0
        assert "ligne 4 : 4 valeurs pour 3 colonnes" in err
        table = _read(output)
        assert table[0] == ["id", "code_insee", "commune", *ADDED]
        assert [row[0] for row in table[1:]] == ["1", "2", "3", "4"]
        assert table[2][:3] == ["2", "76351", ""]
        assert [r["code_insee_trouve"] for r in _by_column(table)] == ["69123", "76351", "13055", "2B033"]

    @pytest.mark.parametrize(
        ("name", "words"),
        [
            ("empty.csv", ["vide"]),
            ("binary.csv", ["binaire"]),
            ("missing.csv", ["introuvable"]),
            ("no_known_column.csv", ["aucune colonne reconnue", "ville natale", "code_insee"]),
        ],
    )
    def test_unreadable_files_are_explained_in_french(self, run, name, words):
        code, output, out, err = run(name)
        assert code == 1 and not output.exists() and out == ""
        assert err.startswith("Erreur : ")
        assert name in err
        for word in words:
            assert word in err

    def test_missing_reference_is_explained(self, tmp_path, capsys):
        code = _geocode_cli.main(
            [str(FILES / "ragged.csv"), "-o", str(tmp_path / "o.csv"), "--cache", str(tmp_path)]
        )
        assert code == 1 and "make geo" in capsys.readouterr().err


def test_progress_on_long_files(run, tmp_path, monkeypatch):
    monkeypatch.setattr(_geocode_cli, "PROGRESS_EVERY", 1_000)
    source = tmp_path / "long.csv"
    lines = ["id;code_insee;commune"] + [f"{i};{69123 if i % 2 else 76351};" for i in range(2_500)]
    source.write_text("\n".join(lines), encoding="utf-8")
    output = tmp_path / "long.out.csv"
    code = _geocode_cli.main([str(source), "-o", str(output), "--cache", str(CACHE)])
    assert code == 0
    assert len(_read(output)) == 2_501


def test_progress_lines_go_to_stderr(run, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(_geocode_cli, "PROGRESS_EVERY", 1_000)
    source = tmp_path / "long.csv"
    source.write_text("code_insee\n" + "69123\n" * 2_500, encoding="utf-8")
    assert _geocode_cli.main([str(source), "-o", str(tmp_path / "out.csv")]) == 0
    captured = capsys.readouterr()
    assert "… 1\u202f000 / 2\u202f500 lignes (40 %)" in captured.err
    assert "…" not in captured.out and "2\u202f500 lignes géocodées" in captured.out


def test_module_entry_point(tmp_path):
    """``python -m data.geocode_file`` really runs (a separate process, the real cache)."""
    output = tmp_path / "out.csv"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "data.geocode_file",
            str(FILES / "codes_bom.csv"),
            "-o",
            str(output),
            "--cache",
            str(CACHE),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "6 lignes géocodées" in completed.stdout
    assert len(_read(output)) == 7

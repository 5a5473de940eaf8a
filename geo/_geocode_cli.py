"""Command line of the geocoder: geocode a CSV file as it comes out of a spreadsheet.

Usage: ``python -m geo.geocode IN.csv -o OUT.csv [--cache cache/reference]``.

Why so lenient on input: the files come from Excel or LibreOffice in France, so they
are UTF-8 (with or without BOM) or Windows-1252, separated by « ; », « , » or tabs,
with headers such as « Code INSEE », « CP » or « Ville ». We detect all of that rather
than asking, keep every column and every row in order (short rows are padded, long
rows keep their extra values in extra columns, with a warning naming the line) and
append our answer. The output uses the input's separator, and a BOM when the input
came from Excel (BOM or Windows-1252), so that Excel reopens it with its accents.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from geo import names
from geo.geocode import FIELDS, STATUTS, Geocoder, Result

#: Columns appended to every row.
OUTPUT_COLUMNS = (
    "code_insee_trouve",
    "commune_trouvee",
    "latitude_trouvee",
    "longitude_trouvee",
    "methode",
    "score",
    "statut",
    "candidats",
    "message",
)
#: Header spellings accepted for each field (compared folded: « Code INSEE » → « code_insee »).
COLUMN_NAMES = {
    "code_insee": ("code_insee", "insee", "code_commune", "code_commune_insee", "codeinsee", "cog", "depcom"),
    "code_postal": ("code_postal", "cp", "codepostal", "code_post", "postcode"),
    "commune": ("commune", "nom_commune", "ville", "localite", "libelle_commune", "nom_de_la_commune"),
    "departement": ("departement", "dep", "dept", "code_departement", "num_departement"),
    "adresse": ("adresse", "adresse_postale", "adresse_complete", "address"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng", "long"),
}
PROGRESS_EVERY = 20_000
_SEPARATORS = {";": "« ; »", ",": "« , »", "\t": "tabulation"}


class CsvError(ValueError):
    """A file that cannot be read as CSV (the message is in French and names the file)."""


class Table(NamedTuple):
    """A CSV file read as text."""

    header: list[str]
    rows: list[list[str]]
    delimiter: str
    encoding: str
    warnings: list[str]


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise CsvError(
            f"fichier « {path} » illisible : ni UTF-8 ni Windows-1252 (octet {raw[error.start]:#x} "
            f"à la position {error.start})"
        ) from error


def _delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def read_table(path: Path) -> Table:
    """Read a CSV file, detecting its encoding and separator.

    Raises
    ------
    CsvError
        If the file is missing, empty or not CSV; the French message names the file.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise CsvError(f"fichier « {path} » introuvable") from error
    except OSError as error:
        raise CsvError(f"fichier « {path} » illisible : {error.strerror}") from error
    text, encoding = _decode(raw, path)
    if not text.strip():
        raise CsvError(f"fichier « {path} » vide : attendu une ligne d'en-tête puis des lignes")
    if "\x00" in text:
        raise CsvError(f"fichier « {path} » binaire (caractère NUL) : attendu un fichier CSV texte")
    delimiter = _delimiter(text.splitlines()[0])
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise CsvError(f"fichier « {path} » : CSV mal formé ({error})") from error
    header = [h.strip() for h in records[0]]
    rows = [r for r in records[1:] if any(cell.strip() for cell in r)]
    warnings: list[str] = []
    width = len(header)
    for number, row in enumerate(records[1:], start=2):
        if len(row) != width and any(cell.strip() for cell in row):
            warnings.append(f"ligne {number} : {len(row)} champs au lieu de {width}")
    widest = max([width, *map(len, rows)])
    header += [f"colonne_{i + 1}" for i in range(width, widest)]
    rows = [row + [""] * (widest - len(row)) for row in rows]
    return Table(header, rows, delimiter, encoding, warnings)


def field_columns(header: list[str]) -> dict[str, int]:
    """Map each geocoding field to the position of its column in ``header``.

    Examples
    --------
    >>> field_columns(["Nom", "Code INSEE", "CP", "Ville"])
    {'code_insee': 1, 'code_postal': 2, 'commune': 3}
    """
    folded = ["_".join(names.fold(h).split()) for h in header]
    found: dict[str, int] = {}
    for field in FIELDS:
        for position, name in enumerate(folded):
            if name in COLUMN_NAMES[field] and position not in found.values():
                found[field] = position
                break
    return found


def _number(value: float) -> str:
    return "" if value != value else f"{value:.6f}"


def _cells(result: Result) -> list[str]:
    return [
        result.code_insee,
        result.commune,
        _number(result.latitude),
        _number(result.longitude),
        result.methode,
        f"{result.score:.3g}",
        result.statut,
        "|".join(result.candidats),
        result.message,
    ]


def _french_int(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def summary(results: list[Result], seconds: float) -> str:
    """A short French summary: counts per statut and rows per second."""
    counts = Counter(r.statut for r in results)
    total = len(results)
    rate = total / seconds if seconds > 0 else float("inf")
    lines = [
        f"{_french_int(total)} lignes géocodées en {seconds:.2f} s ({_french_int(rate)} lignes/s)".replace(
            ".", ","
        )
    ]
    for statut in STATUTS:
        share = 100 * counts[statut] / total if total else 0.0
        lines.append(f"  {statut:<12} {_french_int(counts[statut]):>9}  ({share:.1f} %)".replace(".", ","))
    return "\n".join(lines)


def geocode_table(table: Table, geocoder: Geocoder, *, progress: bool = True) -> list[Result]:
    """Geocode every row of ``table``, reporting progress on stderr for long files."""
    columns = field_columns(table.header)
    records = [{field: row[i] for field, i in columns.items()} for row in table.rows]

    def report(done: int, total: int) -> None:
        print(
            f"… {_french_int(done)} / {_french_int(total)} lignes ({100 * done // total} %)", file=sys.stderr
        )

    return geocoder.geocode_many(records, progress=report if progress else None, every=PROGRESS_EVERY)


def write_table(path: Path, table: Table, results: list[Result]) -> None:
    """Write the input rows, in order, followed by the geocoding columns."""
    taken = set(table.header)
    added = [c if c not in taken else f"{c}_geocodage" for c in OUTPUT_COLUMNS]
    encoding = "utf-8" if table.encoding == "utf-8" else "utf-8-sig"
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=table.delimiter, lineterminator="\r\n")
        writer.writerow(table.header + added)
        for row, result in zip(table.rows, results, strict=True):
            writer.writerow(row + _cells(result))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 done, 1 unreadable input)."""
    parser = argparse.ArgumentParser(
        prog="python -m geo.geocode",
        description="Géocode un fichier CSV : retrouve la commune (code INSEE) et un point de chaque ligne.",
    )
    parser.add_argument(
        "input", type=Path, help="fichier CSV (UTF-8, UTF-8 BOM ou Windows-1252 ; « ; », « , » ou tabulation)"
    )
    parser.add_argument("-o", "--output", type=Path, help="fichier écrit (par défaut : ENTRÉE.geocode.csv)")
    parser.add_argument("--cache", type=Path, default=Path("cache/reference"), help="géographie de référence")
    parser.add_argument("--quiet", action="store_true", help="ne pas afficher la progression")
    args = parser.parse_args(argv)
    output = args.output or args.input.with_suffix(".geocode.csv")
    try:
        table = read_table(args.input)
    except CsvError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    columns = field_columns(table.header)
    if not columns:
        expected = ", ".join(FIELDS)
        print(
            f"Erreur : aucune colonne reconnue dans « {args.input} » (colonnes lues : "
            f"{', '.join(table.header)}) ; attendu au moins une de : {expected}",
            file=sys.stderr,
        )
        return 1
    for warning in table.warnings[:20]:
        print(f"Attention : {warning}", file=sys.stderr)
    if len(table.warnings) > 20:
        print(f"Attention : {len(table.warnings) - 20} autres lignes de longueur inattendue", file=sys.stderr)
    try:
        geocoder = Geocoder.from_cache(args.cache)
    except FileNotFoundError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    used = ", ".join(f"{field} ← « {table.header[i]} »" for field, i in columns.items())
    print(f"Colonnes utilisées : {used} (séparateur {_SEPARATORS[table.delimiter]}, {table.encoding})")
    start = time.perf_counter()
    results = geocode_table(table, geocoder, progress=not args.quiet and len(table.rows) > PROGRESS_EVERY)
    seconds = time.perf_counter() - start
    write_table(output, table, results)
    print(summary(results, seconds))
    print(f"Résultat écrit dans « {output} »")
    return 0

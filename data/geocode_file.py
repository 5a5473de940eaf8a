"""Command line of the geocoder: geocode a file as it comes out of a spreadsheet.

Usage: ``python -m data.geocode_file ENTRÉE [-o SORTIE.csv] [--cache cache/reference]``.

Why here and not in ``geo/``: it reads files through the importer's one reader
(:func:`data.readers.read_file`: CSV in UTF-8, UTF-8 with BOM, Windows-1252 or UTF-16 and
any of « ; », « , », tabulation; XLSX; GeoJSON) and writes through the project's one CSV
writer (:func:`data.export.to_csv`: « ; », UTF-8 with BOM for Excel, formula cells
neutralised). Every row is kept, in order, with its cells, followed by our answer;
rows the reader could not trust are reported with their line.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from data.columns import map_headers
from data.export import to_csv
from data.readers import Table, UnreadableFile, read_file
from geo.geocode import FIELDS, STATUTS, Geocoder, Result
from geo.reference import DEFAULT_CACHE

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
PROGRESS_EVERY = 20_000


def field_columns(header: list[str]) -> dict[str, int]:
    """Map each geocoding field to the position of its column in ``header``.

    Examples
    --------
    >>> field_columns(["Nom", "Code INSEE", "CP", "Ville"])
    {'code_insee': 1, 'code_postal': 2, 'commune': 3}
    """
    mapping, _, _ = map_headers(header)
    return {field: position for position, field in mapping.items() if field in FIELDS}


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
    columns = field_columns(table.headers)
    records = [{field: row[i] for field, i in columns.items()} for row in table.rows]

    def report(done: int, total: int) -> None:
        print(
            f"… {_french_int(done)} / {_french_int(total)} lignes ({100 * done // total} %)", file=sys.stderr
        )

    return geocoder.geocode_many(records, progress=report if progress else None, every=PROGRESS_EVERY)


def output_frame(table: Table, results: list[Result]) -> pd.DataFrame:
    """The input rows, in order, followed by the geocoding columns."""
    taken = set(table.headers)
    added = [c if c not in taken else f"{c}_geocodage" for c in OUTPUT_COLUMNS]
    rows = [[*row, *_cells(result)] for row, result in zip(table.rows, results, strict=True)]
    return pd.DataFrame(rows, columns=[*table.headers, *added], dtype=object)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 done, 1 unreadable input)."""
    parser = argparse.ArgumentParser(
        prog="python -m data.geocode_file",
        description="Géocode un fichier (CSV, XLSX ou GeoJSON) : retrouve la commune (code INSEE) et un "
        "point de chaque ligne.",
    )
    parser.add_argument(
        "input", type=Path, help="fichier CSV (tout encodage et séparateur courants), XLSX ou GeoJSON"
    )
    parser.add_argument(
        "-o", "--output", type=Path, help="fichier CSV écrit (par défaut : ENTRÉE.geocode.csv)"
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="géographie de référence")
    parser.add_argument("--quiet", action="store_true", help="ne pas afficher la progression")
    args = parser.parse_args(argv)
    output = args.output or args.input.with_suffix(".geocode.csv")
    try:
        table = read_file(args.input.read_bytes(), args.input.name)
    except FileNotFoundError:
        print(f"Erreur : fichier « {args.input} » introuvable", file=sys.stderr)
        return 1
    except (UnreadableFile, OSError) as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    columns = field_columns(table.headers)
    if not columns:
        expected = ", ".join(FIELDS)
        print(
            f"Erreur : aucune colonne reconnue dans « {args.input} » (colonnes lues : "
            f"{', '.join(table.headers)}) ; attendu au moins une de : {expected}",
            file=sys.stderr,
        )
        return 1
    problems = [f"ligne {line} : {text}" for line, text in table.problems.items()]
    for warning in problems[:20]:
        print(f"Attention : {warning}", file=sys.stderr)
    if len(problems) > 20:
        print(f"Attention : {len(problems) - 20} autres lignes douteuses", file=sys.stderr)
    try:
        geocoder = Geocoder.from_cache(args.cache)
    except FileNotFoundError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    used = ", ".join(f"{field} ← « {table.headers[i]} »" for field, i in columns.items())
    print(f"Colonnes utilisées : {used} ({'; '.join(table.notes)})")
    start = time.perf_counter()
    results = geocode_table(table, geocoder, progress=not args.quiet and len(table.rows) > PROGRESS_EVERY)
    seconds = time.perf_counter() - start
    output.write_bytes(to_csv(output_frame(table, results)))
    print(summary(results, seconds))
    print(f"Résultat écrit dans « {output} » (séparateur « ; », UTF-8 avec BOM)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

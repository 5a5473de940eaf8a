"""Import a spreadsheet of initiatives: read, map columns, geocode, validate, store.

Every row either lands in the database, on the right commune, or comes back in the
report with its line number and a French message naming the field and the bad value
— never silently dropped or misplaced. Valid rows are written in one transaction;
a file that cannot be read changes nothing.

Command line: ``python -m data.importer FILE [--db PATH] [--rapport rejets.csv] [--essai]``.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data import store, taxonomy
from data.columns import map_headers
from data.export import to_csv
from data.readers import Table, UnreadableFile, read_file
from data.schema import MULTI_FIELDS, Initiative, validate
from geo.geocode import FIELDS as GEO_FIELDS
from geo.geocode import Geocoder

DEFAULT_DB = Path("var/alliances.sqlite3")
_GEO_LABEL = {field: field for field in GEO_FIELDS}


@dataclass(frozen=True)
class Rejection:
    """A row that was not imported, and why."""

    line: int
    field: str
    value: str
    message: str
    row: dict[str, str]


@dataclass
class ImportReport:
    """The outcome of one import."""

    file_name: str
    rows: int = 0
    accepted: list[Initiative] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: store.WriteCounts | None = None

    def rejected_csv(self) -> bytes:
        """The rejected rows, with line, field, value and message first (CSV bytes)."""
        frame = pd.DataFrame(
            [
                {"ligne": r.line, "champ": r.field, "valeur": r.value, "message": r.message, **r.row}
                for r in self.rejected
            ]
        )
        return to_csv(
            frame if not frame.empty else pd.DataFrame(columns=["ligne", "champ", "valeur", "message"])
        )

    def summary(self) -> str:
        """A French summary line."""
        parts = [
            f"{self.rows} ligne(s) lue(s)",
            f"{len(self.accepted)} valide(s)",
            f"{len(self.rejected)} rejetée(s)",
        ]
        if self.counts is not None:
            parts.append(
                f"{self.counts.added} ajoutée(s), {self.counts.updated} mise(s) à jour, "
                f"{self.counts.unchanged} inchangée(s)"
            )
        return " ; ".join(parts)


def _record(table: Table, mapping: dict[int, str], row: list[str]) -> dict[str, str]:
    return {mapping[i]: row[i] for i in mapping if i < len(row)}


def _stable_id(name: str, commune_code: str) -> str:
    return (taxonomy.slug(name)[:60].strip("-") or "initiative") + "-" + commune_code.lower()


def check_rows(
    table: Table,
    geocoder: Geocoder,
    *,
    file_name: str = "fichier",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Map, geocode and validate every row of a table (nothing is written)."""
    report = ImportReport(file_name=file_name, rows=len(table.rows), notes=list(table.notes))
    mapping, unknown, duplicates = map_headers(table.headers)
    if unknown:
        report.notes.append("colonnes ignorées (inconnues) : " + ", ".join(f"« {h} »" for h in unknown))
    if duplicates:
        report.notes.append("colonnes en double ignorées : " + ", ".join(f"« {h} »" for h in duplicates))
    if "name" not in mapping.values():
        raise UnreadableFile(f"« {file_name} » : aucune colonne « nom » (ou « nom de l'initiative »).")
    if not set(GEO_FIELDS) & set(mapping.values()):
        raise UnreadableFile(
            f"« {file_name} » : aucune colonne pour situer l'initiative (code INSEE, code postal, commune, "
            "adresse ou latitude/longitude)."
        )
    records = [_record(table, mapping, row) for row in table.rows]
    originals = [dict(zip(table.headers, row, strict=False)) for row in table.rows]
    located = geocoder.geocode_many(records, progress=progress, every=500)
    seen: dict[str, int] = {}
    for line, record, original, found in zip(table.lines, records, originals, located, strict=True):
        if not found.ok:
            where = next(
                (f for f in ("code_insee", "code_postal", "commune", "adresse", "latitude") if record.get(f)),
                "commune",
            )
            message = f"ligne {line}, colonne {_GEO_LABEL[where]} : {found.message or found.statut}"
            report.rejected.append(Rejection(line, where, record.get(where, ""), message, original))
            continue
        values = {k: v for k, v in record.items() if k not in GEO_FIELDS}
        for key in MULTI_FIELDS:
            if key in values:
                values[key] = [part for part in values[key].replace("|", ";").split(";")]
        values["commune_code"] = found.code_insee
        if record.get("latitude") and record.get("longitude"):
            values["latitude"], values["longitude"] = found.latitude, found.longitude
        elif math.isnan(found.latitude):
            message = (
                f"ligne {line}, colonne commune : la commune « {found.commune} » ({found.code_insee}) "
                "n'a pas de position connue : indiquez latitude et longitude"
            )
            report.rejected.append(Rejection(line, "commune", found.commune, message, original))
            continue
        values.setdefault("id", "")
        if not values["id"]:
            values["id"] = _stable_id(values.get("name", ""), found.code_insee)
        item, problems = validate(values, line=line, commune_exists=lambda code: True)
        if problems:
            first = problems[0]
            message = "; ".join(str(p) for p in problems)
            report.rejected.append(Rejection(line, first.field, first.value, message, original))
            continue
        if item.id in seen:
            report.rejected.append(
                Rejection(
                    line,
                    "id",
                    item.id,
                    f"ligne {line} : même initiative qu'à la ligne {seen[item.id]}",
                    original,
                )
            )
            continue
        seen[item.id] = line
        report.accepted.append(item)
    return report


def import_file(
    data: bytes,
    file_name: str,
    *,
    geocoder: Geocoder,
    db_path: Path,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Read, check and (unless ``dry_run``) store a file's initiatives in one transaction.

    Raises
    ------
    UnreadableFile
        When the file cannot be read at all (nothing is written).
    """
    report = check_rows(read_file(data, file_name), geocoder, file_name=file_name, progress=progress)
    if not dry_run and report.accepted:
        report.counts = store.write(db_path, report.accepted, source_file=file_name)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Importe un fichier d'initiatives (CSV, XLSX, GeoJSON).")
    parser.add_argument("fichier", type=Path)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="base SQLite (défaut : %(default)s)")
    parser.add_argument("--cache", type=Path, default=Path("cache/reference"))
    parser.add_argument("--rapport", type=Path, help="écrire les lignes rejetées dans ce CSV")
    parser.add_argument("--essai", action="store_true", help="vérifier sans rien enregistrer")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        data = args.fichier.read_bytes()
    except OSError as error:
        print(f"Fichier illisible : {args.fichier} ({error.strerror})", file=sys.stderr)
        return 2
    geocoder = Geocoder.from_cache(args.cache)
    try:
        report = import_file(
            data,
            args.fichier.name,
            geocoder=geocoder,
            db_path=args.db,
            dry_run=args.essai,
            progress=lambda done, total: print(f"\r{done}/{total}", end="", file=sys.stderr),
        )
    except UnreadableFile as error:
        print(f"Import refusé : {error}", file=sys.stderr)
        return 2
    for note in report.notes:
        print(f"note : {note}")
    for rejection in report.rejected[:20]:
        print(f"rejetée : {rejection.message}")
    if len(report.rejected) > 20:
        print(f"… et {len(report.rejected) - 20} autres rejets (voir --rapport)")
    if args.rapport:
        args.rapport.write_bytes(report.rejected_csv())
    print(
        report.summary()
        + f" en {time.perf_counter() - start:.1f} s"
        + (" (essai : rien d'enregistré)" if args.essai else "")
    )
    return 0 if not report.rejected else 1


if __name__ == "__main__":
    raise SystemExit(main())

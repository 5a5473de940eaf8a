"""Import a spreadsheet of initiatives: read, map columns, geocode, validate, store.

Every row either lands in the database, on the right commune, or comes back in the
report with its line number and a French message naming the field and the bad value
— never silently dropped or misplaced. Rows are checked a chunk at a time and the
checked rows wait in temporary files, so a 200,000-row file keeps memory bounded; then
the repository stores them in one transaction (all or nothing), with a history row
naming the file for each change.

Command line: ``python -m data.importer FICHIER --compte NOM [--rapport rejets.csv] [--essai]``.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data import db
from data.columns import map_headers
from data.export import to_csv, unneutralise
from data.readers import Table, UnreadableFile, read_file
from data.repository import Actor, ImportOutcome, Repository, import_key
from data.schema import MULTI_FIELDS, Initiative, validate
from geo.geocode import FIELDS as GEO_FIELDS
from geo.geocode import Geocoder, Result
from geo.reference import DEFAULT_CACHE

CHUNK = 5_000
#: Rejections and warnings kept in memory for display (all of them go to the report file).
SHOWN = 1_000
_POINT_DROPPED = ("coordonnées ignorées", "point de la commune retenu")


@dataclass(frozen=True)
class Rejection:
    """A row that was not imported, and why."""

    line: int
    field: str
    value: str
    message: str


class _Spool:
    """Pickled items in a temporary file: written once, read back in order."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the report)
        self.count = 0

    def add(self, value: object) -> None:
        pickle.dump(value, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator:
        self._file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self._file)


@dataclass
class ImportReport:
    """The outcome of one import (the rows themselves wait in temporary files)."""

    file_name: str
    headers: list[str] = field(default_factory=list)
    rows: int = 0
    notes: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)  # the first SHOWN
    warnings: list[str] = field(default_factory=list)  # the first SHOWN
    rejected_count: int = 0
    outcome: ImportOutcome | None = None
    _accepted: _Spool = field(default_factory=_Spool, repr=False)
    _rejected_rows: _Spool = field(default_factory=_Spool, repr=False)

    @property
    def accepted_count(self) -> int:
        return self._accepted.count

    @property
    def accepted(self) -> list[Initiative]:
        """Every accepted initiative (loads them all: for small files and tests)."""
        return [item for _, item, _ in self._accepted]

    def accepted_rows(self) -> Iterator[tuple[int, Initiative, bool]]:
        """``(line, initiative, id given by the file)`` for every accepted row, streamed."""
        return iter(self._accepted)

    def reject(self, rejection: Rejection, original: list[str] | None = None) -> None:
        self.rejected_count += 1
        if len(self.rejected) < SHOWN:
            self.rejected.append(rejection)
        self._rejected_rows.add((rejection, original or []))

    def rejected_csv(self) -> bytes:
        """Every rejected row: line, field, value and message, then the row's own cells."""
        columns = ["ligne", "champ", "valeur", "message", *self.headers]
        rows = [
            [
                r.line,
                r.field,
                r.value,
                r.message,
                *list(original),
                *[""] * (len(self.headers) - len(original)),
            ]
            for r, original in self._rejected_rows
        ]
        return to_csv(pd.DataFrame(rows, columns=columns))

    def summary(self) -> str:
        """A French summary line."""
        parts = [
            f"{self.rows} ligne(s) lue(s)",
            f"{self.accepted_count - (len(self.outcome.refused) if self.outcome else 0)} valide(s)",
            f"{self.rejected_count} rejetée(s)",
        ]
        if self.outcome is not None:
            parts.append(
                f"{self.outcome.added} ajoutée(s), {self.outcome.updated} mise(s) à jour, "
                f"{self.outcome.unchanged} inchangée(s)"
            )
        if self.warnings:
            parts.append(f"{len(self.warnings)} avertissement(s)")
        return " ; ".join(parts)


def _geo_rejection(line: int, record: dict[str, str], found: Result, hint: str = "") -> Rejection | None:
    """Why a row cannot be placed, or None when it can (``hint``: what the reader noticed)."""
    if not found.ok:
        where = next(
            (f for f in ("code_insee", "code_postal", "commune", "adresse", "latitude") if record.get(f)),
            "commune",
        )
        if hint:
            return Rejection(line, where, record.get(where, ""), f"ligne {line} : {hint} ; {found.message}")
        return Rejection(
            line,
            where,
            record.get(where, ""),
            f"ligne {line}, colonne {where} : {found.message or found.statut}",
        )
    gave_point = record.get("latitude") or record.get("longitude")
    if gave_point and any(text in found.message for text in _POINT_DROPPED):
        value = f"{record.get('latitude', '')} ; {record.get('longitude', '')}"
        return Rejection(
            line, "latitude", value, f"ligne {line}, colonnes latitude/longitude : {found.message}"
        )
    if found.latitude != found.latitude:  # NaN: a commune without a known position
        return Rejection(
            line,
            "commune",
            found.commune,
            (
                f"ligne {line}, colonne commune : la commune « {found.commune} » ({found.code_insee}) "
                "n'a pas de position connue : indiquez latitude et longitude"
            ),
        )
    return None


def _values(record: dict[str, str], found: Result | None) -> dict:
    """The schema's fields of a row; ``found`` is None for a row attached to a territory."""
    values: dict = {k: unneutralise(v) for k, v in record.items() if k not in GEO_FIELDS}
    for key in MULTI_FIELDS:
        if key in values:
            values[key] = values[key].replace("|", ";").split(";")
    values["commune_code"] = found.code_insee if found is not None else ""
    if found is not None and record.get("latitude") and record.get("longitude"):
        values["latitude"], values["longitude"] = found.latitude, found.longitude
    values["id"] = values.get("id", "").strip() or "a-attribuer"
    return values


def _check_chunk(
    report: ImportReport,
    table: Table,
    mapping: dict[int, str],
    start: int,
    stop: int,
    geocoder: Geocoder,
    seen: dict[tuple[str, str], int],
) -> None:
    chunk = table.rows[start:stop]
    records = [{mapping[i]: row[i] for i in mapping if i < len(row)} for row in chunk]
    located = geocoder.geocode_many(records, every=10**9)
    for offset, (row, record, found) in enumerate(zip(chunk, records, located, strict=True)):
        line = table.lines[start + offset]
        problem = table.problems.get(line)
        refusal = Rejection(line, "ligne", "", f"ligne {line} : {problem}") if problem else None
        attached = bool(record.get("territory_level", "").strip())  # no commune to find
        if not attached:
            refusal = refusal or _geo_rejection(line, record, found, table.hints.get(line, ""))
        if refusal is None:
            explicit = bool(record.get("id", "").strip())
            item, problems = validate(
                _values(record, None if attached else found),
                line=line,
                commune_exists=lambda code: True,
                territory_exists=geocoder.reference.territory_exists,
            )
            if problems:
                refusal = Rejection(
                    line, problems[0].field, problems[0].value, "; ".join(str(p) for p in problems)
                )
            elif (same := (import_key(item), item.id if explicit else "")) in seen:
                refusal = Rejection(
                    line, "name", item.name, f"ligne {line} : même initiative qu'à la ligne {seen[same]}"
                )
            else:
                seen[same] = line
                report._accepted.add((line, item, explicit))
                if not attached and found.message and len(report.warnings) < SHOWN:
                    report.warnings.append(f"ligne {line} : {found.message}")
        if refusal is not None:
            report.reject(refusal, row)
        table.rows[start + offset] = None  # free the row as soon as it is checked


def check_rows(
    table: Table,
    geocoder: Geocoder,
    *,
    file_name: str = "fichier",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Map, geocode and validate every row of a table, a chunk at a time (nothing is written)."""
    report = ImportReport(
        file_name=file_name, headers=list(table.headers), rows=len(table.rows), notes=list(table.notes)
    )
    mapping, unknown, duplicates = map_headers(table.headers)
    if unknown:
        report.notes.append("colonnes ignorées (inconnues) : " + ", ".join(f"« {h} »" for h in unknown))
    if duplicates:
        report.notes.append("colonnes en double ignorées : " + ", ".join(f"« {h} »" for h in duplicates))
    if "name" not in mapping.values():
        found = ", ".join(f"« {h} »" for h in table.headers[:8])
        raise UnreadableFile(
            f"« {file_name} » : aucune colonne « nom » (ou « nom de l'initiative ») "
            f"parmi les colonnes lues : {found}."
        )
    if not {*GEO_FIELDS, "territory_level"} & set(mapping.values()):
        raise UnreadableFile(
            f"« {file_name} » : aucune colonne pour situer l'initiative (code INSEE, code postal, commune, "
            "adresse, latitude/longitude, ou échelle de rattachement et code du territoire)."
        )
    seen: dict = {}
    for start in range(0, len(table.rows), CHUNK):
        stop = min(start + CHUNK, len(table.rows))
        _check_chunk(report, table, mapping, start, stop, geocoder, seen)
        if progress is not None:
            progress(stop, len(table.rows))
    return report


def import_file(
    data: bytes,
    file_name: str,
    *,
    geocoder: Geocoder,
    repo: Repository | None,
    actor: Actor | None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Read, check and (unless ``dry_run``) store a file's initiatives in one transaction.

    Raises
    ------
    UnreadableFile
        When the file cannot be read at all (nothing is written).
    data.db.StoreError
        When the store refuses the write (role, lock, disk…); nothing is written.
    """
    report = check_rows(read_file(data, file_name), geocoder, file_name=file_name, progress=progress)
    if not dry_run and report.accepted_count:
        report.outcome = repo.import_rows(actor, report.accepted_rows(), file_name=file_name)
        for line, ident, message in report.outcome.refused:
            report.reject(Rejection(line, "id", ident, f"ligne {line} : {message}"))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data.importer", description="Importe un fichier d'initiatives (CSV, XLSX, GeoJSON)."
    )
    parser.add_argument("fichier", type=Path)
    parser.add_argument(
        "--base",
        default=os.environ.get("ALLIANCES_DATABASE_URL") or db.DEFAULT_URL,
        help="adresse de la base (défaut : ALLIANCES_DATABASE_URL ou %(default)s)",
    )
    parser.add_argument("--compte", default="", help="compte administrateur au nom duquel importer")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--rapport", type=Path, help="écrire les lignes rejetées dans ce CSV")
    parser.add_argument("--essai", action="store_true", help="vérifier sans rien enregistrer")
    args = parser.parse_args(argv)
    if not args.essai and not args.compte:
        parser.error("--compte NOM est requis pour enregistrer (ou --essai pour seulement vérifier)")
    start = time.perf_counter()
    try:
        data = args.fichier.read_bytes()
    except OSError as error:
        print(f"Fichier illisible : {args.fichier} ({error.strerror})", file=sys.stderr)
        return 2
    try:
        repo = None if args.essai else Repository(args.base)
        report = import_file(
            data,
            args.fichier.name,
            geocoder=Geocoder.from_cache(args.cache),
            repo=repo,
            actor=Actor(args.compte, "admin") if args.compte else None,
            dry_run=args.essai,
            progress=lambda done, total: print(f"\r{done}/{total}", end="", file=sys.stderr),
        )
    except (UnreadableFile, db.StoreError) as error:
        print(f"\nImport refusé, rien n'a été enregistré : {error}", file=sys.stderr)
        return 2
    print(file=sys.stderr)
    for note in report.notes:
        print(f"note : {note}")
    for rejection in report.rejected[:20]:
        print(f"rejetée : {rejection.message}")
    if report.rejected_count > 20:
        print(f"… et {report.rejected_count - 20} autres rejets (voir --rapport)")
    if args.rapport:
        args.rapport.write_bytes(report.rejected_csv())
    elapsed = time.perf_counter() - start
    print(report.summary() + f" en {elapsed:.1f} s" + (" (essai : rien d'enregistré)" if args.essai else ""))
    return 0 if not report.rejected_count else 1


if __name__ == "__main__":
    raise SystemExit(main())

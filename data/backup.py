"""Back up the whole database to one portable file, and restore it.

Why a file of our own: it moves between SQLite and PostgreSQL (a test instance's SQLite
can be restored into the production PostgreSQL and back). The file is gzip-compressed
JSON lines: a header, then one line per row of every table (initiatives, history,
proposals, accounts with their password hashes, revision). Keep it as safe as the
database itself. Login sessions are not saved: everyone logs in again after a restore.

Command line::

    python -m data.backup sauvegarder alliances-2026-11-30.jsonl.gz
    python -m data.backup restaurer alliances-2026-11-30.jsonl.gz   # replaces everything
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from pathlib import Path

import sqlalchemy as sa

from data import db
from data.db import StoreError
from data.repository import Repository

FORMAT = "carte-des-alliances/sauvegarde"
TABLES = (db.initiatives, db.history, db.proposals, db.accounts, db.revision)
_SEQUENCES = {"history": "seq", "proposals": "id"}


def dump(repo: Repository, path: Path) -> dict[str, int]:
    """Write every row of every table to ``path``; return the row count of each table."""
    counts: dict[str, int] = {}
    tmp = path.with_name(path.name + ".tmp")
    with db.read_transaction(repo.engine) as connection, gzip.open(tmp, "wt", encoding="utf-8") as out:
        out.write(json.dumps({"format": FORMAT, "version": 1, "tables": [t.name for t in TABLES]}) + "\n")
        for table in TABLES:
            counts[table.name] = 0
            key = next(iter(table.primary_key.columns))
            for row in connection.execute(sa.select(table).order_by(key)).mappings():
                out.write(json.dumps({"t": table.name, "r": dict(row)}, ensure_ascii=False) + "\n")
                counts[table.name] += 1
    os.replace(tmp, path)
    return counts


def restore(repo: Repository, path: Path) -> dict[str, int]:
    """Replace the whole database by the content of a backup file (all or nothing)."""
    by_name = {table.name: table for table in TABLES}
    counts = {name: 0 for name in by_name}
    try:
        source = gzip.open(path, "rt", encoding="utf-8")  # noqa: SIM115 (closed by the with below)
        header = json.loads(source.readline())
    except (OSError, ValueError) as error:
        raise StoreError(f"« {path} » n'est pas une sauvegarde lisible ({error})") from error
    if header.get("format") != FORMAT:
        raise StoreError(f"« {path} » n'est pas une sauvegarde de la Carte des alliances")
    with source, db.write_transaction(repo.engine, bump=False) as connection:
        for table in (*reversed(TABLES), db.login_sessions):
            connection.execute(sa.delete(table))
        batch: dict[str, list[dict]] = {name: [] for name in by_name}
        for number, line in enumerate(source, start=2):
            try:
                entry = json.loads(line)
                rows = batch[entry["t"]]
            except (ValueError, KeyError) as error:
                raise StoreError(f"« {path} », ligne {number} : entrée illisible ({error})") from error
            rows.append(entry["r"])
            counts[entry["t"]] += 1
            if len(rows) >= 1000:
                connection.execute(sa.insert(by_name[entry["t"]]), rows)
                rows.clear()
        for name, rows in batch.items():
            if rows:
                connection.execute(sa.insert(by_name[name]), rows)
        connection.execute(sa.update(db.revision).values(value=db.revision.c.value + 1))
        if repo.engine.dialect.name == "postgresql":
            for name, column in _SEQUENCES.items():
                connection.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', '{column}'), "
                        f"COALESCE((SELECT MAX({column}) FROM {name}), 0) + 1, false)"
                    )
                )
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.backup", description="Sauvegarde et restauration.")
    parser.add_argument(
        "--base",
        default=os.environ.get("ALLIANCES_DATABASE_URL") or db.DEFAULT_URL,
        help="adresse de la base (défaut : ALLIANCES_DATABASE_URL ou %(default)s)",
    )
    parser.add_argument("action", choices=["sauvegarder", "restaurer"])
    parser.add_argument("fichier", type=Path)
    args = parser.parse_args(argv)
    try:
        repo = Repository(args.base)
        counts = dump(repo, args.fichier) if args.action == "sauvegarder" else restore(repo, args.fichier)
    except (StoreError, OSError) as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 2
    done = "sauvegardées dans" if args.action == "sauvegarder" else "restaurées depuis"
    print(f"Tables {done} {args.fichier} : " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

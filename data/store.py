"""The database of imported initiatives (SQLite): the one place that writes.

Why SQLite this way (see ``shared/reference/safety.md``): Streamlit runs sessions on
several threads, so each call opens its own connection, in WAL mode with a busy
timeout, and writes in one ``BEGIN IMMEDIATE`` transaction: an import is all or
nothing, and two imports never interleave. Initiatives are keyed by their id, so
importing the same file again updates rather than duplicates.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from data.schema import Initiative

_SCHEMA = """
CREATE TABLE IF NOT EXISTS initiatives (
    id TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    source_file TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class WriteCounts:
    """What one import did to the database."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection for this thread (WAL, 5 s busy timeout), closed on exit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=5, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA busy_timeout=5000")
        connection.executescript(_SCHEMA)
        yield connection
    finally:
        connection.close()


def _to_json(item: Initiative) -> str:
    return json.dumps(asdict(item), ensure_ascii=False, sort_keys=True)


def write(path: Path, items: Iterable[Initiative], *, source_file: str) -> WriteCounts:
    """Insert or update initiatives in one transaction (all or nothing)."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    added = updated = unchanged = 0
    with connect(path) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            for item in items:
                record = _to_json(item)
                row = connection.execute("SELECT record FROM initiatives WHERE id = ?", (item.id,)).fetchone()
                if row is None:
                    added += 1
                elif row[0] == record:
                    unchanged += 1
                    continue
                else:
                    updated += 1
                connection.execute(
                    "INSERT INTO initiatives (id, record, source_file, imported_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET record = excluded.record, "
                    "source_file = excluded.source_file, imported_at = excluded.imported_at",
                    (item.id, record, source_file, now),
                )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return WriteCounts(added, updated, unchanged)


def read_all(path: Path) -> list[Initiative]:
    """Every imported initiative (none when the database does not exist yet)."""
    if not path.exists():
        return []
    with connect(path) as connection:
        rows = connection.execute("SELECT record FROM initiatives ORDER BY id").fetchall()
    items = []
    for (record,) in rows:
        values = json.loads(record)
        for key in ("forms", "trades", "actor_types", "partners", "themes", "sources"):
            values[key] = tuple(values[key])
        items.append(Initiative(**values))
    return items


def version(path: Path) -> str:
    """Changes whenever the database changes (a cache key for the app)."""
    if not path.exists():
        return "vide"
    with connect(path) as connection:
        count, last = connection.execute("SELECT COUNT(*), MAX(imported_at) FROM initiatives").fetchone()
    return f"{count}:{last}"

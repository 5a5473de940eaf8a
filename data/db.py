"""The database: engine, tables, migrations and the one transaction door.

Why this module: the inventory lives in one database that several app instances can
share. SQLite is the embedded default (a file under ``var/``, nothing to install or
type); PostgreSQL is used when ``ALLIANCES_DATABASE_URL`` says so. Both are driven
through SQLAlchemy Core, and the schema is created and upgraded by Alembic on first
use, under a lock, so a fresh clone needs no command.

Every write goes through :func:`write_transaction`: on SQLite it begins with
``BEGIN IMMEDIATE`` (a writer waits for the lock instead of failing half-way), on
PostgreSQL it first bumps the revision row, which serialises writers the same way. The
revision is bumped inside the same transaction as the change, so a reader that sees the
new revision sees the change too. Driver errors are translated into :class:`StoreError`
subclasses whose messages are French and name the cause (locked, disk full, read-only,
corrupt, unreachable), never a raw ``OperationalError``.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

#: The embedded default: a SQLite file under the project's ``var/`` (created on first use).
DEFAULT_URL = f"sqlite:///{Path(__file__).resolve().parent.parent / 'var' / 'alliances.sqlite3'}"
BUSY_TIMEOUT_MS = 60_000

metadata = sa.MetaData()

initiatives = sa.Table(
    "initiatives",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("record", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # published | archived
    sa.Column("origin", sa.String(16), nullable=False),  # referential | import | proposal
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("seed_hash", sa.String(64), nullable=False, server_default=""),
    sa.Column("import_key", sa.String(400), nullable=True, index=True),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("updated_by", sa.String(120), nullable=False),
)

history = sa.Table(
    "history",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("initiative_id", sa.String(80), nullable=False, index=True),
    sa.Column("proposal_id", sa.Integer, nullable=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("actor", sa.String(120), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("version", sa.Integer, nullable=True),
    sa.Column("before", sa.Text, nullable=True),
    sa.Column("after", sa.Text, nullable=True),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
)

proposals = sa.Table(
    "proposals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),  # new | correction | ended
    sa.Column("initiative_id", sa.String(80), nullable=False, index=True),
    sa.Column("base_version", sa.Integer, nullable=True),
    sa.Column("record", sa.Text, nullable=False),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    sa.Column("contact", sa.String(200), nullable=False, server_default=""),
    sa.Column("status", sa.String(16), nullable=False, index=True),  # pending | approved | rejected
    sa.Column("submitted_at", sa.String(32), nullable=False),
    sa.Column("decided_at", sa.String(32), nullable=True),
    sa.Column("decided_by", sa.String(120), nullable=True),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
)

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("username", sa.String(80), primary_key=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),  # moderator | admin
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.String(32), nullable=True),
    sa.Column("created_at", sa.String(32), nullable=False),
)

login_sessions = sa.Table(
    "login_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(80), nullable=False),
    sa.Column("expires_at", sa.String(32), nullable=False),
)

revision = sa.Table(
    "revision",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
    sa.Column("seed_digest", sa.String(64), nullable=False, server_default=""),
)


#: The map's data files (points and tooltips of one catalog, gzip-compressed), named by
#: their content's hash. Derived from the initiatives, kept here so that any instance can
#: serve the files of a page that another instance drew.
map_files = sa.Table(
    "map_files",
    metadata,
    sa.Column("name", sa.String(120), primary_key=True),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False, index=True),
)


class StoreError(RuntimeError):
    """A database fault, worded in French for the person who met it."""


class StoreBusy(StoreError):
    """Another writer held the lock for too long."""


class StoreUnavailable(StoreError):
    """The database cannot be read or written right now (corrupt, unreachable, disk full…)."""


class Conflict(StoreError):
    """An edit was made from a version that is no longer the current one."""

    def __init__(self, message: str, *, current: dict | None = None, proposed: dict | None = None):
        super().__init__(message)
        self.current = current or {}
        self.proposed = proposed or {}


class Forbidden(StoreError):
    """The actor's role does not allow this change."""


_CAUSES = (
    (
        "database is locked",
        StoreBusy,
        "la base est occupée par une autre écriture ; réessayez dans un instant",
    ),
    ("disk is full", StoreUnavailable, "le disque de la base est plein : rien n'a été enregistré"),
    ("no space left", StoreUnavailable, "le disque de la base est plein : rien n'a été enregistré"),
    ("readonly", StoreUnavailable, "la base est en lecture seule : rien n'a été enregistré"),
    ("read-only", StoreUnavailable, "la base est en lecture seule : rien n'a été enregistré"),
    ("not a database", StoreUnavailable, "le fichier de la base est endommagé (ce n'est pas une base)"),
    ("malformed", StoreUnavailable, "le fichier de la base est endommagé"),
    ("unable to open", StoreUnavailable, "le fichier de la base ne peut pas être ouvert"),
    ("disk i/o error", StoreUnavailable, "erreur d'écriture sur le disque de la base"),
    ("connection", StoreUnavailable, "le serveur de base de données ne répond pas"),
    ("could not", StoreUnavailable, "le serveur de base de données ne répond pas"),
)


def translate(error: BaseException) -> StoreError:
    """The :class:`StoreError` that says in French what a driver error means.

    >>> str(translate(sa.exc.OperationalError("x", {}, Exception("database is locked"))))
    'la base est occupée par une autre écriture ; réessayez dans un instant'
    """
    if isinstance(error, StoreError):
        return error
    text = str(getattr(error, "orig", error)).lower()
    if isinstance(error, OSError) and error.errno == 28:
        text = "no space left"
    elif isinstance(error, OSError) and error.errno in (13, 30):
        text = "read-only"
    for needle, kind, message in _CAUSES:
        if needle in text:
            return kind(message)
    return StoreUnavailable(f"la base de données ne répond pas correctement ({type(error).__name__})")


def _sqlite_path(url: sa.engine.URL) -> Path | None:
    database = url.database
    return Path(database) if database and database != ":memory:" else None


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and explicit BEGINs."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # connect_timeout: an unreachable server fails in seconds (the map then says so).
        return sa.create_engine(
            parsed, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args={"connect_timeout": 5}
        )
    path = _sqlite_path(parsed)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we send BEGIN ourselves (see _on_begin)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get("alliances_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A consistent read (one snapshot of the whole database); errors translated."""
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                yield connection
    except sa.exc.SQLAlchemyError as error:
        raise translate(error) from error


@contextmanager
def write_transaction(engine: Engine, *, bump: bool = True) -> Iterator[Connection]:
    """The one way to change the database: all or nothing, writers one at a time.

    With ``bump`` (every change to the inventory) the revision is bumped first, inside
    the transaction: on PostgreSQL that row lock queues concurrent writers; on SQLite
    ``BEGIN IMMEDIATE`` already did. Account and login writes pass ``bump=False``: they
    do not change what the map shows.
    """
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(alliances_write=True)
            with connection.begin():
                if bump:
                    connection.execute(sa.update(revision).values(value=revision.c.value + 1))
                yield connection
    except StoreError:
        raise
    except (sa.exc.SQLAlchemyError, OSError) as error:
        raise translate(error) from error


def current_revision(connection: Connection) -> int:
    """The revision number as seen by ``connection``."""
    return int(connection.execute(sa.select(revision.c.value)).scalar_one())


_MIGRATION_LOCK = threading.Lock()
_PG_LOCK_KEY = 7_212_026


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest Alembic revision (idempotent, locked).

    Concurrent starts are safe: a file lock (SQLite) or an advisory lock (PostgreSQL)
    lets one process migrate while the others wait.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    if _at_head(engine, config):
        return  # the usual case: no lock, no write (a read-only database still opens)
    with _MIGRATION_LOCK, _process_lock(engine), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _at_head(engine: Engine, config) -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head


@contextmanager
def _process_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                connection.commit()
        return
    path = _sqlite_path(engine.url)
    if path is None:
        yield
        return
    lock_path = path.with_name(path.name + ".migration-lock")
    descriptor = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)

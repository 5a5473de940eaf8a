"""The repository: the only code that reads or writes initiatives, proposals and history.

Why one door: the inventory is kept by many hands (visitors propose, moderators decide,
administrators import, the bundled referential seeds). Every change passes here, inside
one :func:`data.db.write_transaction`, and leaves an append-only history row saying who,
when, what and the record before and after. Nothing is deleted: an initiative that ended
is archived (hidden from the map, restorable). Every function that changes data checks
the actor's role itself, against the accounts table, whatever page called it.

An edit carries the version it was made from; saving over a newer version raises
:class:`data.db.Conflict` with both records, never a silent overwrite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from data import db, taxonomy
from data.db import Conflict, Forbidden, StoreError
from data.schema import Initiative

ROLES = {"moderator": 1, "admin": 2}
ROLE_LABELS = {"moderator": "modérateur", "admin": "administrateur"}
VISITOR = "visiteur"
SEED_ACTOR = "référentiel"
ACTIONS = {
    "proposed": "proposée",
    "approved": "validée",
    "edited": "modifiée",
    "rejected": "refusée",
    "archived": "archivée",
    "restored": "restaurée",
    "imported": "importée",
}
PROPOSAL_KINDS = {
    "new": "nouvelle initiative",
    "correction": "correction",
    "ended": "n'existe plus",
}
_BATCH = 1000


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a logged-in account (its role is checked in the database)."""

    username: str
    role: str


@dataclass(frozen=True)
class Stored:
    """An initiative as stored, with its status, version and origin."""

    item: Initiative
    status: str
    version: int
    origin: str


@dataclass(frozen=True)
class Snapshot:
    """Every published initiative as of one revision (read in one transaction)."""

    revision: int
    items: tuple[Initiative, ...]


@dataclass(frozen=True)
class HistoryRow:
    """One line of an initiative's history."""

    seq: int
    initiative_id: str
    proposal_id: int | None
    action: str
    actor: str
    at: str
    version: int | None
    before: dict | None
    after: dict | None
    note: str


@dataclass(frozen=True)
class Proposal:
    """A proposal from the field, waiting for (or past) moderation."""

    id: int
    kind: str
    initiative_id: str
    base_version: int | None
    record: dict
    comment: str
    contact: str
    status: str
    submitted_at: str
    decided_at: str | None = None
    decided_by: str | None = None
    reason: str = ""

    @property
    def reference(self) -> str:
        """The number given to the person who proposed it, e.g. ``P-000042``."""
        return reference_of(self.id)


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: counts, and the rows refused by the store (line, message)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: tuple[tuple[int, str, str], ...] = ()


def reference_of(proposal_id: int) -> str:
    """``P-000042`` for proposal 42."""
    return f"P-{proposal_id:06d}"


def now() -> str:
    """UTC time as ISO text (seconds), the format of every timestamp in the store."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def record_json(item: Initiative) -> str:
    """Canonical JSON of an initiative (sorted keys: equal records, equal text)."""
    return json.dumps(asdict(item), ensure_ascii=False, sort_keys=True)


def record_hash(text: str) -> str:
    """Short digest of a record's JSON text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def item_from_json(text: str) -> Initiative:
    """The :class:`Initiative` stored as JSON text (fields unknown to this version ignored)."""
    values = json.loads(text)
    known = Initiative.__dataclass_fields__
    values = {k: v for k, v in values.items() if k in known}
    for key in ("forms", "trades", "actor_types", "partners", "themes", "sources"):
        values[key] = tuple(values.get(key) or ())
    return Initiative(**values)


def import_key(item: Initiative) -> str:
    """The key that recognises the same initiative in two imports (name and place)."""
    place = item.commune_code or f"{item.territory_level}:{item.territory_code}"
    return f"{' '.join(taxonomy.fold(item.name).split())}|{place}"[:400]


def new_id(name: str) -> str:
    """A stable identifier for a new initiative: never changes with its name or commune."""
    base = taxonomy.slug(name)[:60].strip("-") or "initiative"
    return f"{base}-{secrets.token_hex(3)}"


class Repository:
    """The store of the living inventory (SQLite by default, PostgreSQL by URL)."""

    def __init__(self, url: str = db.DEFAULT_URL):
        self.url = url
        try:
            self.engine = db.make_engine(url)
            db.migrate(self.engine)
        except StoreError:
            raise
        except Exception as error:
            raise db.translate(error) from error

    # ---- reads -------------------------------------------------------------------------
    def revision(self) -> int:
        """The current revision (one cheap query)."""
        with db.read_transaction(self.engine) as connection:
            return db.current_revision(connection)

    def snapshot(self) -> Snapshot:
        """Every published initiative and the revision they belong to."""
        with db.read_transaction(self.engine) as connection:
            number = db.current_revision(connection)
            rows = connection.execute(
                sa.select(db.initiatives.c.record)
                .where(db.initiatives.c.status == "published")
                .order_by(db.initiatives.c.id)
            )
            items = tuple(item_from_json(record) for (record,) in rows)
        return Snapshot(number, items)

    def map_file(self, name: str) -> bytes | None:
        """A map data file another instance published (gzip bytes), or None."""
        table = db.map_files
        with db.read_transaction(self.engine) as connection:
            return connection.execute(sa.select(table.c.content).where(table.c.name == name)).scalar()

    def publish_map_file(self, name: str, content: bytes, *, keep: int = 40) -> None:
        """Keep a map data file (named by its content's hash) for every instance to serve.

        Derived data, not a change to the inventory: no revision bump, no role (the app
        publishes the files of what it shows). Writing the same name twice is a no-op;
        only the ``keep`` newest files are kept, so pages drawn a while ago still load.
        """
        table = db.map_files
        with db.read_transaction(self.engine) as connection:
            if connection.execute(sa.select(table.c.name).where(table.c.name == name)).first():
                return
        with db.write_transaction(self.engine, bump=False) as connection:
            if connection.execute(sa.select(table.c.name).where(table.c.name == name)).first():
                return
            # microseconds: orders the files written within one second
            stamp = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
            connection.execute(sa.insert(table).values(name=name, content=content, created_at=stamp))
            old = sa.select(table.c.name).order_by(table.c.created_at.desc(), table.c.name).offset(keep)
            connection.execute(sa.delete(table).where(table.c.name.in_(old)))

    def get(self, initiative_id: str) -> Stored | None:
        """One initiative, published or archived."""
        with db.read_transaction(self.engine) as connection:
            return _get(connection, initiative_id)

    def archived(self) -> list[Stored]:
        """Archived initiatives (hidden from the map), newest change first."""
        table = db.initiatives
        with db.read_transaction(self.engine) as connection:
            rows = connection.execute(
                sa.select(table).where(table.c.status == "archived").order_by(table.c.updated_at.desc())
            ).mappings()
            return [_stored(row) for row in rows]

    def history(self, initiative_id: str) -> list[HistoryRow]:
        """An initiative's history, oldest first."""
        table = db.history
        with db.read_transaction(self.engine) as connection:
            rows = connection.execute(
                sa.select(table).where(table.c.initiative_id == initiative_id).order_by(table.c.seq)
            ).mappings()
            return [_history_row(row) for row in rows]

    def proposals(self, status: str = "pending") -> list[Proposal]:
        """Proposals with a status, oldest first (the moderation queue for ``pending``)."""
        table = db.proposals
        with db.read_transaction(self.engine) as connection:
            rows = connection.execute(
                sa.select(table).where(table.c.status == status).order_by(table.c.id)
            ).mappings()
            return [_proposal(row) for row in rows]

    def proposal(self, proposal_id: int) -> Proposal | None:
        """One proposal by its number."""
        with db.read_transaction(self.engine) as connection:
            return _get_proposal(connection, proposal_id)

    # ---- writes ------------------------------------------------------------------------
    def seed(self, items: Sequence[Initiative], digest: str) -> int:
        """Load the bundled referential idempotently; return how many records changed.

        New initiatives are added; a referential initiative nobody edited follows the
        file; an edited, archived or imported one is left alone. A file already seeded
        (same ``digest``) costs one read.
        """
        with db.read_transaction(self.engine) as connection:
            if _seed_digest(connection) == digest:
                return 0
        with db.write_transaction(self.engine) as connection:
            if _seed_digest(connection) == digest:
                return 0
            changed = _seed(connection, items)
            connection.execute(sa.update(db.revision).values(seed_digest=digest))
        return changed

    def propose(
        self,
        item: Initiative,
        *,
        kind: str = "new",
        target: str = "",
        base_version: int | None = None,
        comment: str = "",
        contact: str = "",
    ) -> Proposal:
        """Record a visitor's proposal (not shown on the map until approved)."""
        if kind not in PROPOSAL_KINDS:
            raise ValueError(f"type de proposition inconnu : « {kind} »")
        with db.write_transaction(self.engine) as connection:
            if kind == "new":
                target = new_id(item.name)
            elif _get(connection, target) is None:
                raise StoreError(f"l'initiative « {target} » n'existe pas")
            item = replace(item, id=target)
            values = {
                "kind": kind,
                "initiative_id": target,
                "base_version": base_version,
                "record": record_json(item),
                "comment": comment,
                "contact": contact,
                "status": "pending",
                "submitted_at": now(),
            }
            proposal_id = connection.execute(
                sa.insert(db.proposals).values(**values).returning(db.proposals.c.id)
            ).scalar_one()
            note = f"{PROPOSAL_KINDS[kind]} ({reference_of(proposal_id)})"
            _log(
                connection,
                target,
                "proposed",
                VISITOR,
                after=values["record"],
                proposal=proposal_id,
                note=note,
            )
            return _get_proposal(connection, proposal_id)

    def approve(
        self,
        actor: Actor,
        proposal_id: int,
        *,
        item: Initiative | None = None,
        base_version: int | None = None,
    ) -> Stored | None:
        """Approve a proposal, optionally as edited by the moderator (``item``).

        ``base_version`` is the version the moderator's edit started from (default: the
        version the proposal was made from). Returns the initiative as stored.
        """
        with db.write_transaction(self.engine) as connection:
            _require(connection, actor, "moderator")
            proposal = _pending(connection, proposal_id)
            record = record_json(replace(item, id=proposal.initiative_id)) if item else None
            record = record or json.dumps(proposal.record, ensure_ascii=False, sort_keys=True)
            if proposal.kind == "new" and base_version is None:
                _insert(connection, proposal.initiative_id, record, origin="proposal", actor=actor.username)
                _log(
                    connection,
                    proposal.initiative_id,
                    "approved",
                    actor.username,
                    version=1,
                    after=record,
                    proposal=proposal_id,
                    note=f"validation de {proposal.reference}",
                )
            else:
                start = proposal.base_version if base_version is None else base_version
                if proposal.kind == "ended":
                    _set_status(
                        connection,
                        actor,
                        proposal.initiative_id,
                        "archived",
                        start,
                        proposal=proposal_id,
                        note=proposal.comment,
                    )
                else:
                    _update(
                        connection,
                        actor,
                        proposal.initiative_id,
                        record,
                        start,
                        action="approved",
                        proposal=proposal_id,
                        note=f"validation de {proposal.reference}",
                    )
            _decide(connection, proposal_id, actor, "approved", "")
            return _get(connection, proposal.initiative_id)

    def reject(self, actor: Actor, proposal_id: int, reason: str) -> None:
        """Reject a proposal with a reason (kept in its history)."""
        if not reason.strip():
            raise StoreError("indiquez la raison du refus")
        with db.write_transaction(self.engine) as connection:
            _require(connection, actor, "moderator")
            proposal = _pending(connection, proposal_id)
            _decide(connection, proposal_id, actor, "rejected", reason.strip())
            _log(
                connection,
                proposal.initiative_id,
                "rejected",
                actor.username,
                proposal=proposal_id,
                note=f"{proposal.reference} : {reason.strip()}",
            )

    def edit(self, actor: Actor, item: Initiative, base_version: int, *, note: str = "") -> Stored:
        """Save a moderator's edit made from ``base_version`` (conflict if it is stale)."""
        with db.write_transaction(self.engine) as connection:
            _require(connection, actor, "moderator")
            _update(connection, actor, item.id, record_json(item), base_version, action="edited", note=note)
            return _get(connection, item.id)

    def archive(self, actor: Actor, initiative_id: str, base_version: int, *, note: str = "") -> None:
        """Hide an initiative that ended (kept, with its history, restorable)."""
        with db.write_transaction(self.engine) as connection:
            _require(connection, actor, "moderator")
            _set_status(connection, actor, initiative_id, "archived", base_version, note=note)

    def restore(self, actor: Actor, initiative_id: str, base_version: int, *, note: str = "") -> None:
        """Show an archived initiative again."""
        with db.write_transaction(self.engine) as connection:
            _require(connection, actor, "moderator")
            _set_status(connection, actor, initiative_id, "published", base_version, note=note)

    def import_rows(
        self, actor: Actor, rows: Iterable[tuple[int, Initiative, bool]], *, file_name: str
    ) -> ImportOutcome:
        """Store an import's checked rows ``(line, initiative, id given by the file)`` at once.

        All or nothing. A row never replaces a record it did not create: a row whose id
        (or name and commune) is that of a referential, proposed or edited initiative is
        refused with its line. Importing the same file again changes nothing.
        """
        with db.write_transaction(self.engine) as connection:
            _require(connection, actor, "admin")
            return _import(connection, actor, rows, file_name)


# ---- helpers (all run inside a transaction) -------------------------------------------


def _stored(row) -> Stored:
    return Stored(item_from_json(row["record"]), row["status"], row["version"], row["origin"])


def _get(connection: Connection, initiative_id: str) -> Stored | None:
    row = (
        connection.execute(sa.select(db.initiatives).where(db.initiatives.c.id == initiative_id))
        .mappings()
        .first()
    )
    return _stored(row) if row else None


def _history_row(row) -> HistoryRow:
    load = lambda text: json.loads(text) if text else None  # noqa: E731
    return HistoryRow(
        row["seq"],
        row["initiative_id"],
        row["proposal_id"],
        row["action"],
        row["actor"],
        row["at"],
        row["version"],
        load(row["before"]),
        load(row["after"]),
        row["note"],
    )


def _proposal(row) -> Proposal:
    values = dict(row)
    values["record"] = json.loads(values["record"])
    return Proposal(**values)


def _get_proposal(connection: Connection, proposal_id: int) -> Proposal | None:
    row = (
        connection.execute(sa.select(db.proposals).where(db.proposals.c.id == proposal_id)).mappings().first()
    )
    return _proposal(row) if row else None


def _pending(connection: Connection, proposal_id: int) -> Proposal:
    proposal = _get_proposal(connection, proposal_id)
    if proposal is None:
        raise StoreError(f"la proposition {reference_of(proposal_id)} n'existe pas")
    if proposal.status != "pending":
        raise StoreError(f"la proposition {proposal.reference} a déjà été traitée ({proposal.status})")
    return proposal


def _require(connection: Connection, actor: Actor | None, role: str) -> None:
    """Check in the database that ``actor`` is an active account with at least ``role``."""
    needed = ROLE_LABELS[role]
    if actor is None:
        raise Forbidden(f"action réservée à un compte {needed} : connectez-vous")
    row = connection.execute(
        sa.select(db.accounts.c.role, db.accounts.c.active).where(db.accounts.c.username == actor.username)
    ).first()
    if row is None or not row.active or ROLES.get(row.role, 0) < ROLES[role]:
        raise Forbidden(f"le compte « {actor.username} » n'a pas le rôle {needed} requis pour cette action")


def _log(
    connection: Connection,
    initiative_id: str,
    action: str,
    actor: str,
    *,
    version: int | None = None,
    before: str | None = None,
    after: str | None = None,
    proposal: int | None = None,
    note: str = "",
) -> None:
    connection.execute(
        sa.insert(db.history).values(
            initiative_id=initiative_id,
            proposal_id=proposal,
            action=action,
            actor=actor,
            at=now(),
            version=version,
            before=before,
            after=after,
            note=note,
        )
    )


def _insert(
    connection: Connection,
    ident: str,
    record: str,
    *,
    origin: str,
    actor: str,
    key: str | None = None,
    seed_hash: str = "",
) -> None:
    if key is None:
        key = import_key(item_from_json(record))
    connection.execute(
        sa.insert(db.initiatives).values(
            id=ident,
            record=record,
            status="published",
            origin=origin,
            version=1,
            seed_hash=seed_hash,
            import_key=key,
            updated_at=now(),
            updated_by=actor,
        )
    )


def _current(connection: Connection, initiative_id: str, base_version: int | None, proposed: str) -> Stored:
    current = _get(connection, initiative_id)
    if current is None:
        raise StoreError(f"l'initiative « {initiative_id} » n'existe pas")
    if base_version is not None and current.version != base_version:
        raise Conflict(
            f"« {current.item.name} » a été modifiée entre-temps (version {current.version}, "
            f"vous partiez de la version {base_version}) : comparez les deux versions avant d'enregistrer",
            current=asdict(current.item),
            proposed=json.loads(proposed) if proposed else {},
        )
    return current


def _update(
    connection: Connection,
    actor: Actor,
    initiative_id: str,
    record: str,
    base_version: int | None,
    *,
    action: str,
    proposal: int | None = None,
    note: str = "",
) -> None:
    current = _current(connection, initiative_id, base_version, record)
    item = item_from_json(record)
    version = current.version + 1
    connection.execute(
        sa.update(db.initiatives)
        .where(db.initiatives.c.id == initiative_id)
        .values(
            record=record,
            version=version,
            updated_at=now(),
            updated_by=actor.username,
            import_key=import_key(item),
        )
    )
    _log(
        connection,
        initiative_id,
        action,
        actor.username,
        version=version,
        before=record_json(current.item),
        after=record,
        proposal=proposal,
        note=note,
    )


def _set_status(
    connection: Connection,
    actor: Actor,
    initiative_id: str,
    status: str,
    base_version: int | None,
    *,
    proposal: int | None = None,
    note: str = "",
) -> None:
    current = _current(connection, initiative_id, base_version, "")
    if current.status == status:
        raise StoreError(
            f"« {current.item.name} » est déjà {'archivée' if status == 'archived' else 'publiée'}"
        )
    version = current.version + 1
    connection.execute(
        sa.update(db.initiatives)
        .where(db.initiatives.c.id == initiative_id)
        .values(status=status, version=version, updated_at=now(), updated_by=actor.username)
    )
    action = "archived" if status == "archived" else "restored"
    text = record_json(current.item)
    _log(
        connection,
        initiative_id,
        action,
        actor.username,
        version=version,
        before=text,
        after=text,
        proposal=proposal,
        note=note,
    )


def _decide(connection: Connection, proposal_id: int, actor: Actor, status: str, reason: str) -> None:
    connection.execute(
        sa.update(db.proposals)
        .where(db.proposals.c.id == proposal_id)
        .values(status=status, decided_at=now(), decided_by=actor.username, reason=reason)
    )


def _seed_digest(connection: Connection) -> str:
    return connection.execute(sa.select(db.revision.c.seed_digest)).scalar_one()


def _seed(connection: Connection, items: Sequence[Initiative]) -> int:
    table = db.initiatives
    existing = {
        row.id: row
        for row in connection.execute(
            sa.select(table.c.id, table.c.record, table.c.origin, table.c.seed_hash, table.c.status)
        )
    }
    changed = _retire_removed(connection, existing, {item.id for item in items})
    for item in items:
        record = record_json(item)
        digest = record_hash(record)
        row = existing.get(item.id)
        if row is None:
            _insert(connection, item.id, record, origin="referential", actor=SEED_ACTOR, seed_hash=digest)
            _log(
                connection,
                item.id,
                "imported",
                SEED_ACTOR,
                version=1,
                after=record,
                note="référentiel fourni (data/referentiel/initiatives.json)",
            )
            changed += 1
        elif row.origin == "referential" and row.seed_hash == record_hash(row.record) != digest:
            system = Actor(SEED_ACTOR, "admin")
            _update(
                connection,
                system,
                item.id,
                record,
                None,
                action="imported",
                note="mise à jour du référentiel fourni",
            )
            connection.execute(sa.update(table).where(table.c.id == item.id).values(seed_hash=digest))
            changed += 1
    return changed


def _retire_removed(connection: Connection, existing: dict, kept: set[str]) -> int:
    """Archive the referential initiatives nobody edited that the new file no longer holds
    (removed after a second reading of their source); edited ones are left to moderators."""
    system = Actor(SEED_ACTOR, "admin")
    retired = 0
    for row in existing.values():
        unedited = row.origin == "referential" and row.seed_hash == record_hash(row.record)
        if row.id not in kept and unedited and row.status == "published":
            _set_status(connection, system, row.id, "archived", None, note="retirée du référentiel fourni")
            retired += 1
    return retired


def _import(
    connection: Connection, actor: Actor, rows: Iterable[tuple[int, Initiative, bool]], file_name: str
) -> ImportOutcome:
    table = db.initiatives
    by_id: dict[str, tuple[str, str, int]] = {}
    by_key: dict[str, str] = {}
    for row in connection.execute(
        sa.select(table.c.id, table.c.origin, table.c.record, table.c.import_key, table.c.version)
    ):
        by_id[row.id] = (row.origin, record_hash(row.record), row.version)
        if row.import_key:
            by_key.setdefault(row.import_key, row.id)
    added = updated = unchanged = 0
    refused: list[tuple[int, str, str]] = []
    inserts: list[dict] = []
    logs: list[dict] = []
    stamp = now()
    note = f"import du fichier « {file_name} »"
    for line, item, explicit in rows:
        key = import_key(item)
        ident = item.id if explicit else by_key.get(key, "")
        known = by_id.get(ident) if ident else None
        if known is None and explicit and key in by_key and by_id[by_key[key]][0] != "import":
            known, ident = by_id[by_key[key]], by_key[key]
        if known is not None and known[0] != "import":
            refused.append((line, ident, _refusal(ident, known[0])))
            continue
        if known is None:
            ident = ident or new_id(item.name)
            record = record_json(replace(item, id=ident))
            inserts.append(
                dict(
                    id=ident,
                    record=record,
                    status="published",
                    origin="import",
                    version=1,
                    seed_hash="",
                    import_key=key,
                    updated_at=stamp,
                    updated_by=actor.username,
                )
            )
            logs.append(
                dict(
                    initiative_id=ident,
                    proposal_id=None,
                    action="imported",
                    actor=actor.username,
                    at=stamp,
                    version=1,
                    before=None,
                    after=record,
                    note=note,
                )
            )
            by_id[ident], by_key[key] = ("import", record_hash(record), 1), ident
            added += 1
        else:
            record = record_json(replace(item, id=ident))
            if record_hash(record) == known[1]:
                unchanged += 1
                continue
            _update(connection, actor, ident, record, None, action="imported", note=note)
            by_id[ident] = ("import", record_hash(record), known[2] + 1)
            updated += 1
        if len(inserts) >= _BATCH:
            _flush(connection, inserts, logs)
    _flush(connection, inserts, logs)
    return ImportOutcome(added, updated, unchanged, tuple(refused))


def _refusal(ident: str, origin: str) -> str:
    what = {"referential": "du référentiel", "proposal": "validée par la modération"}.get(origin, "existante")
    return (
        f"l'initiative « {ident} » est une initiative {what} : un import ne la remplace pas "
        "(proposez une correction depuis sa fiche)"
    )


def _flush(connection: Connection, inserts: list[dict], logs: list[dict]) -> None:
    if inserts:
        connection.execute(sa.insert(db.initiatives), inserts)
        connection.execute(sa.insert(db.history), logs)
        inserts.clear()
        logs.clear()

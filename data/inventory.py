"""What one app instance shows: the database's published initiatives, one revision at a time.

Why a holder: every page of every session reads the same catalog, and rebuilding it on
each rerun would cost a query and a join per click. The inventory asks the database for
its revision at most every ``refresh_seconds`` (one cheap query per instance, not per
session), loads a new snapshot only when the revision changed, and swaps to it in one
step, keeping the one before for pages still drawing it and dropping anything older.

When the database cannot be read (corrupt or truncated file, unreadable folder, full
disk, PostgreSQL down) the inventory keeps the last good catalog — or, when it never
had one, the bundled referential — and says so in a French notice; it recovers by
itself at the next check once the fault is gone.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from data.catalog import Catalog, build_catalog, read_records, validate_records
from data.db import StoreError
from data.repository import Repository
from geo.reference import Reference

FALLBACK_REVISION = -1


@dataclass(frozen=True)
class Loaded:
    """A catalog and the revision it was read at; ``notice`` is set while the store is down."""

    revision: int
    catalog: Catalog
    notice: str = ""

    @property
    def read_only(self) -> bool:
        """Whether writes should be refused (the store could not be read)."""
        return bool(self.notice)


def notice_for(error: BaseException) -> str:
    """The French notice shown while the database cannot be read."""
    return (
        f"Les données ne peuvent pas être lues pour l'instant ({error}). La carte montre les "
        "dernières données lues, en lecture seule : propositions et modifications sont refusées "
        "jusqu'au retour de la base."
    )


class Inventory:
    """The published initiatives of one database, refreshed by revision (thread-safe)."""

    def __init__(
        self,
        repository: Callable[[], Repository],
        reference: Reference,
        seed_path: Path,
        *,
        refresh_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._repository = repository
        self._reference = reference
        self._seed_path = seed_path
        self._refresh = refresh_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._loaded: Loaded | None = None
        self._previous: Loaded | None = None
        self._checked = -math.inf
        self._seeded = False

    def current(self) -> Loaded:
        """The newest catalog, checking the revision when the last check is old enough."""
        loaded = self._loaded
        if loaded is not None and self._clock() - self._checked < self._refresh:
            return loaded
        with self._lock:
            if self._loaded is not None and self._clock() - self._checked < self._refresh:
                return self._loaded
            self._checked = self._clock()
            try:
                self._check()
            except StoreError as error:
                self._fault(error)
            return self._loaded

    def refresh(self) -> Loaded:
        """Check the revision now (after this instance changed the database)."""
        self._checked = -math.inf
        return self.current()

    def catalog_at(self, revision: int) -> Catalog:
        """The catalog of ``revision`` if still held, else the newest one."""
        for loaded in (self._loaded, self._previous):
            if loaded is not None and loaded.revision == revision:
                return loaded.catalog
        return self.current().catalog

    def _check(self) -> None:
        repo = self._repository()
        if not self._seeded:
            items = validate_records(read_records(self._seed_path), self._reference)
            digest = hashlib.sha256(self._seed_path.read_bytes()).hexdigest()
            repo.seed(items, digest)
            self._seeded = True
        number = repo.revision()
        if self._loaded is None or self._loaded.read_only or number != self._loaded.revision:
            snapshot = repo.snapshot()
            self._swap(Loaded(snapshot.revision, build_catalog(snapshot.items, self._reference)))

    def _swap(self, loaded: Loaded) -> None:
        if self._loaded is not None and self._loaded.revision != FALLBACK_REVISION:
            self._previous = replace(self._loaded, notice="")
        self._loaded = loaded

    def _fault(self, error: StoreError) -> None:
        notice = notice_for(error)
        if self._loaded is not None:
            self._loaded = replace(self._loaded, notice=notice)
            return
        try:
            items = validate_records(read_records(self._seed_path), self._reference)
        except Exception:  # even the bundled file is unreadable: show an empty map with the notice
            items = []
        self._loaded = Loaded(FALLBACK_REVISION, build_catalog(items, self._reference), notice)

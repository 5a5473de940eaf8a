"""The instance's inventory: one catalog per revision, swapped in one step, and what happens when
the database cannot be read (corrupt, truncated, unreadable): the last good data, a notice,
and recovery without a restart."""

from __future__ import annotations

import json
import shutil

import pytest

from data.inventory import FALLBACK_REVISION, Inventory
from data.repository import Repository
from tests.conftest import make_initiative


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def seed_file(tmp_path):
    path = tmp_path / "referentiel.json"
    records = [
        {
            "id": "ref-a",
            "name": "Référence A",
            "nature": "partnership",
            "commune_code": "35238",
            "forms": ["patronage"],
            "sources": ["https://example.org/a"],
        },
        {
            "id": "ref-b",
            "name": "Référence B",
            "nature": "ecosystem",
            "commune_code": "69123",
            "forms": ["economic_cooperation"],
            "sources": ["https://example.org/b"],
        },
    ]
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def make(tmp_path, reference, seed_file, clock, name="base.sqlite3"):
    url = f"sqlite:///{tmp_path / name}"
    state = {"repo": None}

    def repository():
        if state["repo"] is None:
            state["repo"] = Repository(url)
        return state["repo"]

    return Inventory(repository, reference, seed_file, refresh_seconds=2, clock=clock), repository


def test_seeds_then_swaps_to_each_new_revision(tmp_path, reference, seed_file):
    clock = Clock()
    inventory, repository = make(tmp_path, reference, seed_file, clock)
    first = inventory.current()
    assert len(first.catalog) == 2 and not first.notice
    repository().propose(make_initiative("x"))  # a change: the revision moves on
    repository().propose(make_initiative("y"))  # a second one within the same second
    assert inventory.current() is first  # not checked again before refresh_seconds
    clock.now = 2.5
    second = inventory.current()
    assert second.revision == first.revision + 2
    assert inventory.catalog_at(first.revision) is first.catalog  # a page still drawing it keeps it
    clock.now = 5
    assert inventory.current() is second  # same revision: no reload


def test_corrupt_database_shows_the_last_good_data_then_recovers(tmp_path, reference, seed_file):
    clock = Clock()
    inventory, repository = make(tmp_path, reference, seed_file, clock)
    good = inventory.current()
    repository().engine.dispose()
    path = tmp_path / "base.sqlite3"
    saved = tmp_path / "copie.sqlite3"
    shutil.copy(path, saved)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"base.sqlite3{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"\x00" * 4096)  # truncated, overwritten: not a database any more
    clock.now = 3
    faulty = inventory.current()
    assert faulty.catalog is good.catalog and faulty.read_only
    assert "ne peuvent pas être lues" in faulty.notice and "endommagé" in faulty.notice
    shutil.copy(saved, path)  # the fault is gone
    repository().engine.dispose()
    clock.now = 6
    back = inventory.current()
    assert not back.notice and len(back.catalog) == 2


def test_a_database_that_never_opened_falls_back_to_the_bundled_file(tmp_path, reference, seed_file):
    clock = Clock()
    bad = tmp_path / "abimee.sqlite3"
    bad.write_bytes(b"pas une base" * 500)
    inventory = Inventory(lambda: Repository(f"sqlite:///{bad}"), reference, seed_file, clock=clock)
    loaded = inventory.current()
    assert loaded.revision == FALLBACK_REVISION and len(loaded.catalog) == 2
    assert "lecture seule" in loaded.notice

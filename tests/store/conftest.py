"""Store fixtures: a repository on each backend, accounts, a dump for exact comparisons."""

from __future__ import annotations

import gzip
import json

import pytest

from data import accounts, backup
from data.repository import Repository
from tests.conftest import BACKENDS, PG_URL, _fresh_postgres, make_initiative

PASSWORD = "un-mot-de-passe-long"


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    if request.param == "postgresql":
        if not PG_URL:
            pytest.fail(
                "ALLIANCES_TEST_PG_URL absent : lancez les tests avec `make test` (qui démarre PostgreSQL)"
            )
        return _fresh_postgres(PG_URL)
    return f"sqlite:///{tmp_path / 'store.sqlite3'}"


@pytest.fixture
def repo(store_url) -> Repository:
    repository = Repository(store_url)
    yield repository
    repository.engine.dispose()


@pytest.fixture
def moderator(repo):
    accounts.create_account(repo, "claude", PASSWORD, "moderator")
    return accounts.authenticate(repo, "claude", PASSWORD)


@pytest.fixture
def admin(repo):
    accounts.create_account(repo, "camille", PASSWORD, "admin")
    return accounts.authenticate(repo, "camille", PASSWORD)


@pytest.fixture
def seeded(repo):
    items = [make_initiative(f"ref-{k}", name=f"Référence {k}", commune_code="35238") for k in range(3)]
    repo.seed(items, "seed-1")
    return items


def full_dump(repo, tmp_path) -> list[dict]:
    """Every row of every table, as plain data (for before/after comparisons)."""
    path = tmp_path / f"dump-{id(repo)}.jsonl.gz"
    backup.dump(repo, path)
    with gzip.open(path, "rt", encoding="utf-8") as source:
        return [json.loads(line) for line in source]

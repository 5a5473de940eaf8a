"""Concurrency, atomicity, backups and faults, on SQLite and PostgreSQL.

Figures (how long 20 × 50 writers take, etc.) come from ``python -m bench.store``; these
tests only check outcomes: every row exactly once, every history row present, nothing
half-written, French messages.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from data import backup
from data.db import StoreError
from data.repository import Repository
from tests.conftest import ROOT, make_initiative
from tests.store.conftest import full_dump


def _run_threads(count: int, target) -> list[BaseException]:
    errors: list[BaseException] = []

    def guarded(number: int) -> None:
        try:
            target(number)
        except BaseException as error:  # collected and asserted on below
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_twenty_writers_fifty_proposals_each(repo):
    def writer(number: int) -> None:
        for k in range(50):
            repo.propose(make_initiative("x", name=f"Proposition {number}-{k}"))

    assert _run_threads(20, writer) == []
    pending = repo.proposals("pending")
    assert len(pending) == 1000 and len({p.initiative_id for p in pending}) == 1000
    histories = sum(len(repo.history(p.initiative_id)) for p in pending[:50])
    assert histories == 50
    assert repo.revision() == 1000


def _rows(start: int, stop: int):
    return [
        (k + 2, make_initiative("a-attribuer", name=f"Import {k}", commune_code="35238"), False)
        for k in range(start, stop)
    ]


def test_four_overlapping_imports_store_every_row_exactly_once(repo, admin):
    def importer(number: int) -> None:
        repo.import_rows(admin, _rows(number * 300, number * 300 + 600), file_name=f"f{number}.csv")

    assert _run_threads(4, importer) == []
    names = [item.name for item in repo.snapshot().items]
    assert len(names) == len(set(names)) == 1500
    assert sum(len(repo.history(i.id)) for i in repo.snapshot().items) == 1500


def test_an_import_failing_at_row_999_leaves_the_store_as_before(repo, admin, seeded, tmp_path):
    before = full_dump(repo, tmp_path)

    def rows():
        for line, item, explicit in _rows(0, 2000):
            if line == 999:
                raise RuntimeError("panne simulée à la ligne 999")
            yield line, item, explicit

    with pytest.raises(RuntimeError):
        repo.import_rows(admin, rows(), file_name="casse.csv")
    assert full_dump(repo, tmp_path) == before


_KILLED_IMPORT = """
import sys, time
from data.repository import Actor, Repository
from tests.conftest import make_initiative
repo = Repository(sys.argv[1])
def rows():
    for k in range(20000):
        if k == 5000:
            print("au milieu", flush=True)
            time.sleep(60)
        yield k + 2, make_initiative("a-attribuer", name=f"Tuée {k}", commune_code="35238"), False
repo.import_rows(Actor("camille", "admin"), rows(), file_name="tuee.csv")
"""


def test_a_process_killed_mid_import_leaves_the_store_as_before(repo, admin, seeded, store_url, tmp_path):
    before = full_dump(repo, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_IMPORT, store_url],
        stdout=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        text=True,
    )
    assert child.stdout.readline().strip() == "au milieu"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    fresh = Repository(store_url)
    assert full_dump(fresh, tmp_path) == before
    fresh.propose(make_initiative("x"))  # and the store still takes writes
    fresh.engine.dispose()


def test_backup_round_trip_keeps_every_record_and_history_row(repo, moderator, seeded, tmp_path):
    proposal = repo.propose(make_initiative("x", name="Épicerie « Ô » ${x} <b>"))
    repo.approve(moderator, proposal.id)
    repo.reject(moderator, repo.propose(make_initiative("y")).id, "Doublon")
    path = tmp_path / "sauvegarde.jsonl.gz"
    counts = backup.dump(repo, path)
    assert counts["history"] == 3 + 2 + 2 and counts["initiatives"] == 4
    other = Repository(f"sqlite:///{tmp_path / 'restauree.sqlite3'}")
    backup.restore(other, path)
    mine, theirs = full_dump(repo, tmp_path), full_dump(other, tmp_path)
    revision = lambda rows: [r for r in rows if r.get("t") != "revision"]  # noqa: E731 (the restore bumps it)
    assert revision(theirs) == revision(mine)
    assert other.revision() > 0 and other.propose(make_initiative("z")).id == 3  # numbering goes on


def test_restore_refuses_a_file_that_is_not_a_backup(repo, tmp_path):
    path = tmp_path / "autre.jsonl.gz"
    path.write_bytes(b"pas du gzip")
    with pytest.raises(StoreError, match="n'est pas une sauvegarde"):
        backup.restore(repo, path)


# ---- faults of an SQLite file (PostgreSQL's are the deployment issue's) -------------------------------


def test_corrupt_file_gives_a_french_error_never_a_traceback(tmp_path):
    path = tmp_path / "abimee.sqlite3"
    path.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    with pytest.raises(StoreError, match="endommagé"):
        Repository(f"sqlite:///{path}")


@pytest.mark.skipif(os.geteuid() == 0 and not Path("/usr/bin/setpriv").exists(), reason="needs setpriv")
def test_read_only_database_refuses_writes_clearly():
    tmp_path = Path(tempfile.mkdtemp(prefix="alliances-lecture-"))  # a folder another user can reach
    url = f"sqlite:///{tmp_path / 'lecture.sqlite3'}"
    Repository(url).engine.dispose()
    code = (
        "from data.repository import Repository\nfrom data.db import StoreError\n"
        "from tests.conftest import make_initiative\n"
        f"try:\n    Repository({url!r}).propose(make_initiative('x'))\n"
        "except StoreError as e:\n    print('refus:', e)\n"
    )
    os.chmod(tmp_path, 0o555)
    for name in os.listdir(tmp_path):
        os.chmod(tmp_path / name, 0o444)
    try:
        out = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": "/tmp"},
            timeout=60,
        )
    finally:
        os.chmod(tmp_path, 0o755)
    assert "Traceback" not in out.stderr, out.stderr
    assert (
        "refus: la base est en lecture seule" in out.stdout
        or "refus: le fichier de la base ne peut pas être ouvert" in out.stdout
    ), out.stdout


def test_full_disk_is_said_and_nothing_is_half_written(tmp_path):
    import sqlalchemy as sa

    from data import db

    repo = Repository(f"sqlite:///{tmp_path / 'pleine.sqlite3'}")
    before = full_dump(repo, tmp_path)

    @sa.event.listens_for(repo.engine, "connect")
    def _tiny(dbapi_connection, _record) -> None:
        dbapi_connection.execute("PRAGMA max_page_count = 12")

    repo.engine.dispose()
    rows = [
        (k, make_initiative("a-attribuer", name=f"Gros {k}", description="x" * 1900), False)
        for k in range(500)
    ]
    from data import accounts

    with db.write_transaction(repo.engine, bump=False) as connection:
        connection.execute(
            sa.insert(db.accounts).values(
                username="camille",
                password_hash="x",
                role="admin",
                active=True,
                failures=0,
                created_at="2026",
            )
        )
    with pytest.raises(StoreError, match="plein"):
        repo.import_rows(accounts_actor(), rows, file_name="gros.csv")
    repo.engine.dispose()
    plain = Repository(f"sqlite:///{tmp_path / 'pleine.sqlite3'}")
    after = [r for r in full_dump(plain, tmp_path) if r.get("t") not in ("accounts",)]
    assert after == [r for r in before if r.get("t") != "accounts"]
    del accounts


def accounts_actor():
    from data.repository import Actor

    return Actor("camille", "admin")

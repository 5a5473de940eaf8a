"""Stress figures of the store (``make stress`` or ``python -m bench.store``).

Prints, for SQLite and (when ``ALLIANCES_TEST_PG_URL`` names one) PostgreSQL:

- 20 writers × 50 proposals at once: time, proposals stored, history rows, errors;
- 4 imports at once of 20,000 rows each, overlapping by half: time, rows stored
  (expected 50,000, each exactly once), errors;
- a 200,000-row CSV import through ``data.importer`` (all valid, then all rejected),
  in a child process: time and peak memory (``ru_maxrss``).

All rows are synthetic, generated here by code (names « Essai de charge N »); nothing is
asserted: the tests check outcomes, this prints figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

from data import accounts, db
from data.repository import Repository
from data.schema import Initiative

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mot-de-passe-de-charge"


def _item(name: str, code: str = "35238") -> Initiative:
    return Initiative(
        id="a-attribuer",
        name=name,
        nature="partnership",
        commune_code=code,
        forms=("patronage",),
        sources=("https://example.org/essai-de-charge",),
        synthetic=True,
    )


def _fresh(url: str) -> Repository:
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    repo = Repository(url)
    accounts.create_account(repo, "charge", PASSWORD, "admin")
    return repo


def _threads(count: int, target) -> tuple[float, list[str]]:
    errors: list[str] = []

    def run(number: int) -> None:
        try:
            target(number)
        except Exception as error:  # reported in the figures
            errors.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, errors


def writers(url: str) -> str:
    repo = _fresh(url)
    elapsed, errors = _threads(
        20, lambda n: [repo.propose(_item(f"Essai de charge {n}-{k}")) for k in range(50)]
    )
    with repo.engine.connect() as connection:
        stored = connection.execute(sa.select(sa.func.count()).select_from(db.proposals)).scalar_one()
        logged = connection.execute(sa.select(sa.func.count()).select_from(db.history)).scalar_one()
    repo.engine.dispose()
    return (
        f"20 × 50 propositions : {elapsed:.1f} s ({1000 / elapsed:.0f}/s), {stored} enregistrées, "
        f"{logged} lignes d'historique, {len(errors)} erreur(s) {errors[:1]}"
    )


def imports(url: str) -> str:
    repo = _fresh(url)
    actor = accounts.authenticate(repo, "charge", PASSWORD)

    def one(number: int) -> None:
        rows = (
            (k + 2, _item(f"Essai de charge {k}"), False)
            for k in range(number * 10_000, number * 10_000 + 20_000)
        )
        repo.import_rows(actor, rows, file_name=f"charge-{number}.csv")

    elapsed, errors = _threads(4, one)
    with repo.engine.connect() as connection:
        stored = connection.execute(sa.select(sa.func.count()).select_from(db.initiatives)).scalar_one()
        distinct = connection.execute(
            sa.select(sa.func.count(sa.distinct(db.initiatives.c.import_key)))
        ).scalar_one()
    repo.engine.dispose()
    return (
        f"4 imports simultanés de 20 000 lignes (recouvrement de moitié) : {elapsed:.1f} s, {stored} fiches "
        f"({distinct} distinctes, 50 000 attendues), {len(errors)} erreur(s) {errors[:1]}"
    )


_CHILD = """
import resource, sys, time
from pathlib import Path
from data import accounts
from data.importer import import_file
from data.repository import Repository
from geo.geocode import Geocoder
from geo.reference import DEFAULT_CACHE
repo = Repository(sys.argv[1])
accounts.create_account(repo, "charge", sys.argv[3], "admin")
actor = accounts.authenticate(repo, "charge", sys.argv[3])
data = Path(sys.argv[2]).read_bytes()
geocoder = Geocoder.from_cache(DEFAULT_CACHE)
start = time.perf_counter()
report = import_file(data, Path(sys.argv[2]).name, geocoder=geocoder, repo=repo, actor=actor)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{report.summary()} en {elapsed:.1f} s ; mémoire de pointe {peak:.0f} Mo")
"""


def big_import(valid: bool) -> str:
    folder = Path(tempfile.mkdtemp(prefix="alliances-charge-"))
    path = folder / ("valides.csv" if valid else "rejetees.csv")
    with path.open("w", encoding="utf-8") as out:
        out.write("nom;nature;code insee;forme;sources\n")
        for k in range(200_000):
            form = "mécénat" if valid else "mecenatt"
            out.write(f"Essai de charge {k};partnership;35238;{form};https://example.org/charge/{k}\n")
    url = f"sqlite:///{folder / 'charge.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, url, str(path), PASSWORD],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    what = "200 000 lignes valides" if valid else "200 000 lignes toutes rejetées"
    return f"import de {what} ({path.stat().st_size / 2**20:.1f} Mo) : " + (
        done.stdout.strip() or done.stderr[-500:]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sans-gros-import", action="store_true", help="sauter l'import de 200 000 lignes")
    args = parser.parse_args(argv)
    print("Données synthétiques générées par programme (« Essai de charge N »).\n")
    backends = [("SQLite", f"sqlite:///{Path(tempfile.mkdtemp(prefix='alliances-charge-')) / 'a.sqlite3'}")]
    if os.environ.get("ALLIANCES_TEST_PG_URL"):
        backends.append(("PostgreSQL", os.environ["ALLIANCES_TEST_PG_URL"]))
    for label, url in backends:
        print(f"{label} — {writers(url)}")
        if label == "SQLite":
            url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='alliances-charge-')) / 'b.sqlite3'}"
        print(f"{label} — {imports(url)}")
    if not args.sans_gros_import:
        print(big_import(valid=True))
        print(big_import(valid=False))
    print(
        f"\n(processus du banc : {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} Mo au plus)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

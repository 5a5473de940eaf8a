"""Command line: build the reference geography cache once.

Usage: ``python -m geo.build [--cache DIR] [--display DIR] [--force]``.
It is idempotent: an up-to-date, intact cache is left as it is; a missing, outdated or
damaged one is rebuilt into a fresh folder swapped in at the end, under a file lock.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from geo import reference


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Construit la géographie de référence.")
    parser.add_argument("--cache", type=Path, default=reference.DEFAULT_CACHE)
    parser.add_argument("--display", type=Path, default=Path("static/gen"))
    parser.add_argument("--force", action="store_true", help="reconstruire même si à jour")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.force:
        (args.cache / "manifest.json").unlink(missing_ok=True)
    built = reference.ensure_built_locked(args.cache, display_dir=args.display)
    elapsed = time.perf_counter() - start
    state = f"construite en {elapsed:.1f} s" if built else "déjà à jour"
    print(f"Géographie de référence {state} : {args.cache}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

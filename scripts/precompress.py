"""Copy Streamlit's front-end files with Brotli and gzip versions beside them, for the proxy.

Why: Streamlit sends its ~60 scripts uncompressed; compressing them on the fly in the
proxy costs CPU on every request and, at the fast levels used on the fly, about 15 %
more bytes than Brotli at its best level, computed once here. The files' names carry a
hash, so the proxy may serve them itself (deploy/nginx/alliances.conf, ``/static/``) and
browsers may keep them for a year. Usage (``make proxy-static``, run by ``make cluster``):
``python scripts/precompress.py [--out var/proxy-static]``; files already done are skipped.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import brotli
import streamlit

SOURCE = Path(streamlit.__file__).parent / "static"
COMPRESSIBLE = {".js", ".css", ".html", ".json", ".svg", ".ttf", ".map", ".txt", ".mjs"}


def _one(job: tuple[Path, Path]) -> int:
    source, target = job
    target.parent.mkdir(parents=True, exist_ok=True)
    done = 0
    if source.suffix in COMPRESSIBLE and source.stat().st_size >= 512:
        data = source.read_bytes()
        Path(f"{target}.br").write_bytes(brotli.compress(data, quality=11))
        Path(f"{target}.gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        done = 1
    shutil.copyfile(source, target)  # last: its presence marks the file as done
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("var/proxy-static"))
    args = parser.parse_args(argv)
    jobs = []
    for source in (SOURCE / "static").rglob("*"):
        target = args.out / source.relative_to(SOURCE)
        if source.is_file() and not (target.exists() and target.stat().st_size == source.stat().st_size):
            jobs.append((source, target))
    with ProcessPoolExecutor() as pool:
        compressed = sum(pool.map(_one, jobs, chunksize=8))
    print(f"Fichiers de Streamlit pour le proxy : {len(jobs)} copiés, {compressed} compressés ({args.out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

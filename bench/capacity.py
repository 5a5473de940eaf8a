"""How many visitors one instance serves: memory per open session, time to the map under load.

Usage: ``make bench-capacity`` (or ``python -m bench.capacity [--waves 1,5,10,20]``).

One instance (``serve.py``, the bundled referential in a SQLite file of its own) on this
machine. For each wave of K visitors, K browser tabs open the map at the same moment;
the figure is the median and the slowest time to the first marker, and the instance's
resident memory once the K sessions are open (they stay open until the end, so the
memory grows wave after wave). The browser runs on the same 2 cores as the instance, so
times under load are pessimistic: read them as an order of magnitude. The instance's own
processor time per visitor (from /proc) does not depend on the browser: it is the cost of
one more visitor. Printed, never asserted by a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.run import _WAIT_JS, _rss_mb
from bench.server import CHROMIUM, CHROMIUM_ARGS, start_streamlit

MARKERS = ".alliances-cluster, .alliances-point"


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time the instance has used (its own process and threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _open(context, url: str) -> float:
    page = context.new_page()
    page.goto(url, wait_until="commit")
    return page.evaluate(_WAIT_JS, ["map", MARKERS, ""]) / 1000


def _wave(browser, url: str, visitors: int) -> list[float]:
    """K visitors at once, each in its own browser context (its own Streamlit session)."""
    contexts = [browser.new_context(viewport={"width": 1200, "height": 800}) for _ in range(visitors)]
    pages = [context.new_page() for context in contexts]
    for page in pages:  # all navigations start before any is awaited
        page.goto(url, wait_until="commit")
    began = time.perf_counter()
    times = []
    for page in pages:
        page.evaluate(_WAIT_JS, ["map", MARKERS, ""])
        times.append(time.perf_counter() - began)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waves", default="1,5,10,20")
    args = parser.parse_args(argv)
    waves = [int(k) for k in args.waves.split(",") if k]
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'capacite.sqlite3'}"
        proc, url = start_streamlit("serve.py", {"ALLIANCES_DATABASE_URL": db})
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context()
                _open(context, url)  # warm-up: catalog, geography, map files
                context.close()
                base = _rss_mb(proc.pid)
                print(f"Une instance, mémoire au repos après un premier visiteur : {base:.0f} Mo")
                sessions = 0
                for visitors in waves:
                    cpu = _cpu_seconds(proc.pid)
                    times = _wave(browser, url, visitors)
                    cpu = (_cpu_seconds(proc.pid) - cpu) / visitors
                    sessions += visitors
                    rss = _rss_mb(proc.pid)
                    print(
                        f"  {visitors:>3} visiteurs en même temps : premier marqueur en "
                        f"{statistics.median(times):.1f} s (médiane), {max(times):.1f} s (le plus lent) ; "
                        f"serveur {cpu:.2f} s de processeur par visiteur ; "
                        f"{sessions} sessions ouvertes, {rss:.0f} Mo "
                        f"(+{(rss - base) / sessions:.1f} Mo par session)".replace(".", ","),
                        flush=True,
                    )
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Capacity of one instance (or of `make cluster`) under simulated visitors, measured by a real one.

Usage: ``make bench-load`` (or ``python -m bench.load [--visitors 5,10,20,40,80]
[--seconds 60] [--url https://127.0.0.1:8080/]``). Without ``--url`` one instance is
started here on the bundled referential (its own SQLite file).

Why a protocol client: one Chromium per visitor saturates this 2-core machine before the
server does. A simulated visitor here costs little: it speaks Streamlit's own websocket
protocol (the ``BackMsg``/``ForwardMsg`` protobuf messages of the installed Streamlit),
opens the map like a browser (the first run, then the one the map triggers once it is on
screen, which draws the filters), then every 10 s (± 2 s) chooses a région in
the « Région » filter (the multiselect's state, as the browser sends it) and waits for the
run to finish. Meanwhile one real Chromium visitor opens the map and changes a filter,
again and again; its times are the figures that matter.

Printed for each number of simulated visitors: the real visitor's time to the first marker
and to a filter's effect (median and 95th percentile), errors, the simulated visitors' own
run times, the server's resident memory per open session; then memory every 30 s for two
minutes after they leave, and the server's processor time per page load and per filter change. Figures,
never asserted by a test.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import ssl
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.capacity import _cpu_seconds
from bench.run import Config, _rss_mb, _visit
from bench.server import CHROMIUM, CHROMIUM_ARGS, start_streamlit
from components.wording import decimal

FILTER_EVERY_S = 10.0
REGION_LABEL = "Région"


class Visitor:
    """One simulated visitor: a Streamlit session driven over its websocket."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.ws_url = f"{scheme}://{parts.netloc}/_stcore/stream"
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.ws = None
        self.region: tuple[str, list[str]] | None = None  # widget id, option labels

    async def open(self) -> float:
        context = ssl._create_unverified_context() if self.ws_url.startswith("wss") else None
        self.ws = await websockets.connect(
            self.ws_url, subprotocols=["streamlit"], max_size=None, ssl=context, origin=self.origin
        )
        first = await self.run({})
        # the browser's map then signals it is on screen, and that rerun draws the filters
        return first + await self.run({})

    async def run(self, states: dict[str, list[str]]) -> float:
        """One script run with these widget states; seconds until the script finished."""
        message = BackMsg()
        message.rerun_script.query_string = ""
        for widget_id, values in states.items():
            state = message.rerun_script.widget_states.widgets.add()
            state.id = widget_id
            state.string_array_value.data.extend(values)
        began = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self.ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                if element.WhichOneof("type") == "multiselect" and element.multiselect.label == REGION_LABEL:
                    self.region = (element.multiselect.id, list(element.multiselect.options))
            elif kind == "script_finished":
                return time.perf_counter() - began

    async def change_filter(self) -> float:
        widget_id, options = self.region
        return await self.run({widget_id: [random.choice(options)]})

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


@dataclass
class Wave:
    visitors: int
    loads: list[float] = field(default_factory=list)
    changes: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def _simulate(
    url: str, count: int, seconds: float, wave: Wave, opened: threading.Event
) -> list[Visitor]:
    visitors = [Visitor(url) for _ in range(count)]
    for visitor in visitors:  # they arrive over ~2 s
        try:
            wave.loads.append(await visitor.open())
        except Exception as error:  # counted, not hidden
            wave.errors.append(f"ouverture : {error}")
        await asyncio.sleep(2 / max(count, 1))
    opened.set()

    async def keep_changing(visitor: Visitor) -> None:
        deadline = time.monotonic() + seconds
        await asyncio.sleep(random.uniform(0, FILTER_EVERY_S))
        while time.monotonic() < deadline and visitor.region:
            try:
                wave.changes.append(await visitor.change_filter())
            except Exception as error:
                wave.errors.append(f"filtre : {error}")
                return
            await asyncio.sleep(FILTER_EVERY_S + random.uniform(-2, 2))

    await asyncio.gather(*(keep_changing(v) for v in visitors if v.ws is not None))
    return visitors


def _in_thread(coroutine):
    """Run a coroutine to its end in its own thread (Playwright's sync API holds this one's loop)."""
    result: dict = {}
    thread = threading.Thread(target=lambda: result.setdefault("value", asyncio.run(coroutine)))
    thread.start()
    thread.join()
    return result["value"]


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)] if values else float("nan")


def run_wave(browser, url: str, count: int, seconds: float, pid: int | None) -> str:
    wave = Wave(count)
    opened = threading.Event()
    holder: dict = {}

    def simulate() -> None:
        holder["visitors"] = asyncio.run(_simulate_and_close(url, count, seconds, wave, opened))

    thread = threading.Thread(target=simulate)
    thread.start()
    opened.wait()
    rss_open = _rss_mb(pid) if pid else float("nan")
    ready, filters = [], []
    config = Config("carte", "serve.py", 0, "app")
    while thread.is_alive():
        try:
            first, change, _, _ = _visit(browser, url, config, measure_filter=True)
            ready.append(first)
            filters.append(change)
        except Exception as error:
            wave.errors.append(f"navigateur : {str(error)[:80]}")
    thread.join()
    return (
        f"  {count:>3} simulés : visiteur réel, premier marqueur {decimal(statistics.median(ready))} s "
        f"(95 % : {decimal(_p95(ready))} s), filtre {decimal(statistics.median(filters))} s "
        f"(95 % : {decimal(_p95(filters))} s), {len(ready)} visites ; simulés, ouverture "
        f"{decimal(statistics.median(wave.loads))} s, "
        f"filtre {decimal(statistics.median(wave.changes or [0]))} s "
        f"(95 % : {decimal(_p95(wave.changes))} s, {len(wave.changes)} changements) ; "
        f"erreurs : {len(wave.errors)}" + (f" ; mémoire {decimal(rss_open, 0)} Mo" if pid else "")
    ), rss_open


async def _simulate_and_close(url, count, seconds, wave, opened):
    visitors = await _simulate(url, count, seconds, wave, opened)
    for visitor in visitors:
        await visitor.close()
    return len(visitors)


async def _costs(url: str, pid: int, n: int = 20) -> tuple[float, float]:
    """Server processor seconds per page load and per filter change (one visitor, in turn)."""
    visitor = Visitor(url)
    await visitor.open()
    before = _cpu_seconds(pid)
    for _ in range(n):
        await visitor.change_filter()
    per_change = (_cpu_seconds(pid) - before) / n
    await visitor.close()
    before = _cpu_seconds(pid)
    for _ in range(n):
        other = Visitor(url)
        await other.open()
        await other.close()
    return (_cpu_seconds(pid) - before) / n, per_change


def _after_departure(pid: int, base: float, pause: float, step: float = 30) -> str:
    """Resident memory every ``step`` seconds after the last visitors left, up to ``pause``."""
    began, samples = time.monotonic(), []
    for mark in [*range(int(step), int(pause), int(step)), pause]:
        time.sleep(max(0.0, began + mark - time.monotonic()))
        rss = _rss_mb(pid)
        samples.append(f"{int(mark)} s : {decimal(rss, 0)} Mo ({decimal((rss - base) / base * 100, 0)} %)")
    return "  après leur départ (écart au repos) — " + " ; ".join(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", default="5,10,20,40,80")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--url", default="")
    parser.add_argument("--pause", type=float, default=130, help="seconds to wait after the visitors leave")
    parser.add_argument(
        "--system-malloc",
        action="store_true",
        help="start the instance with the default allocators, not jemalloc (scripts/serve.sh)",
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        proc = None
        url = args.url
        if not url:
            env = {"ALLIANCES_DATABASE_URL": f"sqlite:///{Path(folder) / 'l.sqlite3'}"}
            if args.system_malloc:
                env["ALLIANCES_SYSTEM_MALLOC"] = "1"
            proc, url = start_streamlit("serve.py", env)
        pid = proc.pid if proc else None
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--ignore-certificate-errors"]
                )
                _visit(browser, url, Config("carte", "serve.py", 0, "app"), measure_filter=False)  # warm-up
                base = _rss_mb(pid) if pid else float("nan")
                if pid:
                    load, change = _in_thread(_costs(url, pid))
                    print(
                        f"{url} — processeur du serveur : {decimal(load, 2)} s par ouverture de la carte, "
                        f"{decimal(change, 2)} s par changement de filtre ; "
                        f"mémoire au repos {decimal(base, 0)} Mo",
                        flush=True,
                    )
                for count in [int(v) for v in args.visitors.split(",") if v]:
                    line, rss = run_wave(browser, url, count, args.seconds, pid)
                    per_session = (rss - base) / count if pid else float("nan")
                    print(line + (f" (+{decimal(per_session)} Mo par session)" if pid else ""), flush=True)
                browser.close()
            if pid:
                print(_after_departure(pid, base, args.pause), flush=True)
        finally:
            if proc:
                proc.terminate()
                proc.wait(timeout=15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

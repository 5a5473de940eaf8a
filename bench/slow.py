"""A visit on a slow connection, cold and warm, through the proxy or straight to Streamlit.

Usage: ``make cluster`` then ``make bench-slow`` (or ``python -m bench.slow
[--url https://127.0.0.1:8080/] [--runs 3] [--down-kbit 1600] [--latency-ms 150]``).

Chromium's own network throttling (DevTools protocol) limits every request of the page
and of the map frame to the given bandwidth and adds the latency. For each run, in a new
browser profile (cold cache) the visitor opens the URL and waits for the first marker or
cluster inside the map frame; then opens it again in the same profile (warm cache). It
prints the medians and, for the cold visit, bytes received, responses and how many came
compressed. Timings are figures to read, never asserted by a test.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.run import _WAIT_JS
from bench.server import CHROMIUM, CHROMIUM_ARGS, ROOT

MARKERS = ".alliances-cluster, .alliances-point"


@dataclass
class Visit:
    seconds: float
    bytes: int = 0
    responses: int = 0
    compressed: int = 0


@dataclass
class Figures:
    cold: list[Visit] = field(default_factory=list)
    warm: list[Visit] = field(default_factory=list)


def _throttled_visit(page, url: str, down_kbit: float, latency_ms: float) -> Visit:
    client = page.context.new_cdp_session(page)
    client.send("Network.enable")
    client.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency_ms,
            "downloadThroughput": down_kbit * 1000 / 8,
            "uploadThroughput": down_kbit * 1000 / 8 / 2,
        },
    )
    visit = Visit(0.0)

    def finished(event):
        visit.bytes += int(event.get("encodedDataLength", 0))

    def received(event):
        visit.responses += 1
        headers = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
        if headers.get("content-encoding") in ("gzip", "br", "zstd", "deflate"):
            visit.compressed += 1

    client.on("Network.loadingFinished", finished)
    client.on("Network.responseReceived", received)
    client.on(
        "Network.webSocketFrameReceived",
        lambda e: setattr(visit, "bytes", visit.bytes + len(e["response"].get("payloadData", ""))),
    )
    page.goto(url, wait_until="commit")
    visit.seconds = page.evaluate(_WAIT_JS, ["map", MARKERS, ""]) / 1000
    page.wait_for_timeout(500)  # let the last responses be counted
    client.detach()
    return visit


def _trust(cert: Path | None) -> list[str]:
    """Chromium flag that trusts this one self-signed certificate (so that, as with a real
    certificate, the browser keeps files in its cache: it does not for a refused one)."""
    if cert is None or not cert.exists():
        return []
    key = subprocess.run(
        ["openssl", "x509", "-in", str(cert), "-pubkey", "-noout"], capture_output=True, check=True
    ).stdout
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-outform", "der"], input=key, capture_output=True, check=True
    )
    spki = base64.b64encode(hashlib.sha256(der.stdout).digest()).decode()
    return [f"--ignore-certificate-errors-spki-list={spki}"]


def measure(url: str, runs: int, down_kbit: float, latency_ms: float, cert: Path | None = None) -> Figures:
    figures = Figures()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + _trust(cert))
        for _ in range(runs):
            context = browser.new_context(
                viewport={"width": 1400, "height": 900}, locale="fr-FR", ignore_https_errors=True
            )
            figures.cold.append(_throttled_visit(context.new_page(), url, down_kbit, latency_ms))
            figures.warm.append(_throttled_visit(context.new_page(), url, down_kbit, latency_ms))
            context.close()
        browser.close()
    return figures


def _median(visits: list[Visit], attr: str) -> float:
    return statistics.median(getattr(v, attr) for v in visits)


def _spread(visits: list[Visit]) -> str:
    if len(visits) < 2:
        return ""
    low, high = min(v.seconds for v in visits), max(v.seconds for v in visits)
    return f", de {low:.1f} à {high:.1f} s".replace(".", ",")


def report(url: str, figures: Figures, down_kbit: float, latency_ms: float) -> str:
    def fr(x: float, digits: int = 1) -> str:
        return f"{x:.{digits}f}".replace(".", ",")

    cold, warm = figures.cold, figures.warm
    return "\n".join(
        [
            f"{url} — {fr(down_kbit / 1000)} Mbit/s, {latency_ms:.0f} ms, médiane de {len(cold)} visite(s)",
            f"  premier marqueur, cache vide  : {fr(_median(cold, 'seconds'))} s (cible ≤ 6 s)",
            f"  premier marqueur, cache chaud : {fr(_median(warm, 'seconds'))} s (cible ≤ 2 s)",
            f"  reçu, cache vide  : {fr(_median(cold, 'bytes') / 1e6, 2)} Mo, "
            f"{_median(cold, 'responses'):.0f} réponses dont {_median(cold, 'compressed'):.0f} compressées",
            f"  reçu, cache chaud : {fr(_median(warm, 'bytes') / 1e6, 2)} Mo, "
            f"{_median(warm, 'responses'):.0f} réponses",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", help="page(s) to visit (default: make cluster's)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--down-kbit", type=float, default=1600)
    parser.add_argument("--latency-ms", type=float, default=150)
    parser.add_argument(
        "--cert",
        type=Path,
        default=ROOT / "var" / "cluster" / "tls" / "cert.pem",
        help="self-signed certificate of make cluster, trusted for this run",
    )
    args = parser.parse_args(argv)
    for url in args.url or ["https://127.0.0.1:8080/"]:
        figures = measure(url, args.runs, args.down_kbit, args.latency_ms, args.cert)
        print(report(url, figures, args.down_kbit, args.latency_ms), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`make cluster` as a visitor and an operator meet it: nginx in front of two instances on PostgreSQL.

One cluster for the module (scripts/cluster.sh, on free ports and a database of its own).
The faults are real: an instance is killed, PostgreSQL is stopped then started again.
"""

from __future__ import annotations

import gzip
import os
import re
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from bench.server import ROOT
from components import wording
from data import accounts
from data.repository import Repository
from tests.browser.conftest import ACCOUNT_PASSWORD, log_in, warm_up
from tests.conftest import make_initiative

RUN = ROOT / "var" / "cluster"
DB = "alliances_cluster_test"
HEADING = "h3"


def _free_block() -> int:
    """A port P such that P, P+1 and P+2 are free."""
    for base in range(18_000, 19_000, 10):
        try:
            for port in (base, base + 1, base + 2):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("aucun bloc de ports libre")


def _cluster(action: str, port: int, *extra: str) -> None:
    env = {**os.environ, "PORT": str(port), "ALLIANCES_CLUSTER_DB": DB}
    subprocess.run(["scripts/cluster.sh", action, *extra], cwd=ROOT, env=env, check=True, capture_output=True)


def _pg(action: str) -> None:
    version = sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: int(v))[-1]
    subprocess.run(["pg_ctlcluster", version, "main", action], check=True, capture_output=True)


@pytest.fixture(scope="module")
def cluster():
    subprocess.run(["su", "postgres", "-c", f"dropdb --if-exists {DB}"], check=False, capture_output=True)
    port = _free_block()
    _cluster("start", port)
    try:
        yield port, (RUN / "database-url").read_text().strip()
    finally:
        _cluster("stop", port)


@pytest.fixture(scope="module")
def pages(cluster, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, ignore_https_errors=True)
    yield context
    context.close()


def _get(url: str, **headers) -> tuple[int, dict, bytes]:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    request = urllib.request.Request(url, headers=headers, method=headers.pop("method", "GET"))
    try:
        with urllib.request.urlopen(request, context=context, timeout=20) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def _count(page) -> int:
    page.locator(HEADING).first.wait_for(timeout=30_000)
    text = page.locator(HEADING).first.inner_text()
    return int(re.search(r"sur ([\d\u202f\u00a0 ]+)", text).group(1).replace("\u202f", "").replace(" ", ""))


def _until(done, deadline: float, message: str, between) -> None:
    """Call ``between`` (wait, reload…) until ``done()``; fail with ``message`` past ``deadline``."""
    while not done():
        assert time.monotonic() < deadline, message
        between()


def _serving_port() -> str:
    lines = [line for line in (RUN / "nginx-access.log").read_text().splitlines() if "host-config" in line]
    return re.search(r"upstream=127\.0\.0\.1:(\d+)", lines[-1]).group(1)


def test_the_proxy_compresses_caches_and_shows_only_what_visitors_need(cluster):
    port, _ = cluster
    proxy = f"https://127.0.0.1:{port}"
    status, headers, body = _get(proxy + "/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip" and b"<html" in gzip.decompress(body)
    assert "alliances_route=" in headers.get("set-cookie", "")  # the sticky route
    script = re.search(rb'src="\./(static/js/index\.[^"]+\.js)"', gzip.decompress(body)).group(1).decode()
    status, headers, _ = _get(f"{proxy}/{script}", **{"Accept-Encoding": "br, gzip"})
    assert status == 200 and headers.get("content-encoding") in ("br", "gzip")
    assert "immutable" in headers.get("cache-control", "")
    assert _get(proxy + "/_stcore/metrics")[0] == 404
    status, _, body = _get(proxy + "/_stcore/upload_file/x/y", method="PUT")
    assert status == 403 and "réservé aux administrateurs" in body.decode()
    status, headers, _ = _get(f"http://127.0.0.1:{port}/")  # plain http on the TLS port
    assert status in (301, 200)
    listening = Path("/proc/net/tcp").read_text()
    for instance in (port + 1, port + 2):  # bound to 127.0.0.1 only
        assert f"0100007F:{instance:04X}" in listening and f"00000000:{instance:04X}" not in listening


def test_a_filter_through_the_proxy_and_map_files_from_any_instance(cluster, pages):
    port, _ = cluster
    page = pages.new_page()
    files = []
    page.on("request", lambda r: files.append(r.url) if "/donnees/points-" in r.url else None)
    page.goto(f"https://127.0.0.1:{port}/")
    _count(page)
    page.wait_for_timeout(1500)
    total = _count(page)
    regions = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    regions.locator("input").click()  # a filter, through the proxy's websocket
    page.keyboard.type("Bret")
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('region=53')", timeout=15_000)
    page.get_by_text(f"sur {wording.number(total)}").first.wait_for()
    page.wait_for_timeout(1000)
    assert 0 < int(page.locator(HEADING).first.inner_text().split()[0]) < total
    name = files[0].rsplit("/", 1)[1]
    bodies = {_get(f"http://127.0.0.1:{port + n}/donnees/{name}")[2] for n in (1, 2)}
    assert len(bodies) == 1 and b'"lat"' in bodies.pop()
    page.close()


def test_a_proposal_approved_on_one_instance_shows_on_the_other_within_five_seconds(cluster, pages, browser):
    port, database = cluster
    other = pages.new_page()
    other.goto(f"http://127.0.0.1:{port + 2}/")  # a visitor on instance 2
    before = _count(other)
    repo = Repository(database)
    accounts.create_account(repo, "moderatrice", ACCOUNT_PASSWORD, "moderator")
    item = replace(make_initiative("fictive-cluster", name="Fiche fictive (test)"), commune_code="35238")
    repo.propose(item, kind="new", target="", base_version=None, comment="", contact="")  # a visitor's
    warm_up(browser, f"http://127.0.0.1:{port + 1}")  # streamlit#9624: first deep link of a server
    moderator = pages.new_page()  # the moderator works on instance 1
    log_in(moderator, f"http://127.0.0.1:{port + 1}", "moderatrice")
    moderator.goto(f"http://127.0.0.1:{port + 1}/moderation")
    moderator.get_by_text("Propositions en attente (1)").wait_for(timeout=30_000)
    moderator.get_by_role("button", name="Valider", exact=True).click()
    moderator.get_by_text("validée.").first.wait_for(timeout=30_000)
    _until(
        lambda: _count(other) == before + 1,
        time.monotonic() + 5,
        "fiche approuvée invisible en 5 s sur l'autre instance",
        lambda: (other.wait_for_timeout(500), other.reload()),
    )
    repo.engine.dispose()
    other.close()
    moderator.close()


def test_a_killed_instance_hands_its_visitors_to_the_other_with_the_same_view(cluster, pages):
    port, _ = cluster
    page = pages.new_page()
    page.goto(f"https://127.0.0.1:{port}/?region=94")
    shown = _count(page)
    heading = page.locator(HEADING).first.inner_text()
    form = pages.new_page()  # same browser, same route: the same instance
    form.goto(f"https://127.0.0.1:{port}/proposer")
    form.get_by_label("Nom de l'initiative").first.fill("Texte tapé avant la panne")
    instance = 1 if _serving_port() == str(port + 1) else 2

    def moved() -> bool:  # the page reconnected through the proxy to the other instance
        return _serving_port() != str(port + instance)

    def settled() -> bool:
        return not page.locator('[data-testid="stStatusWidget"]').count() and _count(page) == shown

    os.kill(int((RUN / f"instance-{instance}.pid").read_text()), signal.SIGKILL)
    try:
        deadline = time.monotonic() + 30  # for both
        _until(
            moved,
            deadline,
            "la page ne s'est pas reconnectée à l'autre instance",
            lambda: page.wait_for_timeout(500),
        )
        _until(
            settled,
            deadline,
            "la vue n'est pas revenue après la reconnexion",
            lambda: page.wait_for_timeout(500),
        )
        assert page.locator(HEADING).first.inner_text() == heading and page.url.endswith("?region=94")
        assert form.get_by_label("Nom de l'initiative").first.input_value() == "Texte tapé avant la panne"
    finally:
        _cluster("instance", port, str(instance))
        page.close()
        form.close()


def test_postgresql_down_then_up_is_announced_and_recovers_without_restart(cluster, pages):
    port, _ = cluster
    page = pages.new_page()
    page.goto(f"https://127.0.0.1:{port}/")
    shown = _count(page)
    _pg("stop")
    try:
        page.wait_for_timeout(2500)  # one revision check later
        page.reload()
        page.get_by_text("Les données ne peuvent pas être lues pour l'instant").wait_for(timeout=30_000)
        assert _count(page) == shown  # the last snapshot, read-only
        page.goto(f"https://127.0.0.1:{port}/proposer")
        page.get_by_text("une proposition envoyée maintenant sera refusée").wait_for(timeout=30_000)
    finally:
        _pg("start")

    def reload() -> None:
        page.wait_for_timeout(1000)
        page.goto(f"https://127.0.0.1:{port}/")
        _count(page)

    _until(
        lambda: not page.get_by_text("Les données ne peuvent pas être lues").count(),
        time.monotonic() + 30,
        "la carte ne s'est pas rétablie après le retour de PostgreSQL",
        reload,
    )
    page.close()

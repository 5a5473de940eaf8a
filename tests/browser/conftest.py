"""Browser fixtures: a real `streamlit run` server and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.server import CHROMIUM, ROOT, start_streamlit
from bench.server import CHROMIUM_ARGS as ARGS

SHOTS = Path(__file__).parent / "screenshots"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"], iframe[title="Carte interactive des alliances"]'


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def start_server(env_extra: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """Start the app on a free local port and wait until it answers."""
    return start_streamlit("serve.py", env_extra, timeout=60)


ACCOUNT_PASSWORD = "un-mot-de-passe-long"


def start_server_with_account(
    browser, folder: Path, username: str, role: str
) -> tuple[subprocess.Popen, str, str]:
    """A server on its own database, with an account created by the command line (as the README
    tells a deployment to do); returns the process, its URL and the database URL."""
    db_url = f"sqlite:///{folder / 'alliances.sqlite3'}"
    env = {**os.environ, "ALLIANCES_DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "data.accounts", "creer", username, "--role", role],
        input=ACCOUNT_PASSWORD + "\n",
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    proc, url = start_server({"ALLIANCES_DATABASE_URL": db_url})
    warm_up(browser, url)
    return proc, url, db_url


def log_in(page, url: str, username: str) -> None:
    """Log in through the « Connexion » page and wait for the logged-in sidebar."""
    page.goto(url + "/connexion")
    page.get_by_label("Nom de compte").fill(username)
    page.get_by_label("Mot de passe").fill(ACCOUNT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name="Se déconnecter").wait_for(timeout=30_000)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} est absent : installez le paquet Debian chromium (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def warm_up(browser, url: str) -> None:
    """Visit the home page once, as a live server has been visited.

    Streamlit answers the very first deep link to a secondary ``st.navigation``
    page of a fresh server with a « Page not found » dialog (streamlit#9624).
    """
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.locator("h1").first.wait_for(timeout=60_000)
    context.close()


@pytest.fixture(scope="session")
def server(browser):
    proc, url = start_server({})
    warm_up(browser, url)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def shot(page, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_map(page, timeout: float = 30_000):
    frame = page.frame_locator(MAP_FRAME).first
    # the first one in view: Leaflet keeps the paths of points outside the view, empty ("M0 0")
    frame.locator(".alliances-cluster, .alliances-point").filter(visible=True).first.wait_for(timeout=timeout)
    return frame

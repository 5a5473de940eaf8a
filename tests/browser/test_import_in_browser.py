"""Uploading a spreadsheet on the import page, logged in as an administrator, in Debian's Chromium."""

import pytest

from tests.browser.conftest import log_in, shot, start_server_with_account
from tests.conftest import DATA


@pytest.fixture(scope="module")
def admin_server(browser, tmp_path_factory):
    proc, url, _ = start_server_with_account(browser, tmp_path_factory.mktemp("db"), "dominique", "admin")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_upload_reports_every_row(page, admin_server):
    page.goto(admin_server + "/importer")
    page.get_by_text("Importer des initiatives").wait_for(
        state="detached", timeout=5_000
    )  # not without login
    log_in(page, admin_server, "dominique")
    page.goto(admin_server + "/importer")
    page.get_by_text("Importer des initiatives").first.wait_for(timeout=30_000)
    page.locator("input[type=file]").set_input_files(str(DATA / "import" / "cp1252_pointvirgule.csv"))
    page.get_by_text("Vérifier seulement (ne rien enregistrer)").click()  # really import
    page.get_by_role("button", name="Importer").click()
    page.get_by_text("6 ligne(s) lue(s) ; 2 valide(s) ; 4 rejetée(s)").wait_for(timeout=60_000)
    page.get_by_text("« Saint-Denis » désigne").first.wait_for(state="attached")  # a grid cell
    page.get_by_role("button", name="Télécharger les lignes rejetées (CSV)").wait_for()
    shot(page, "import-rapport")
    # The two imported initiatives are now on the map.
    page.goto(admin_server + "/?q=exemple%20fictif")
    page.get_by_text("2 initiatives sur").first.wait_for(timeout=30_000)

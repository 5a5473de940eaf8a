"""The living inventory in Debian's Chromium: propose, log in, moderate, see it on the map.

One server with its own database and an administrator created by the command line, as
the README tells a deployment to do. The tests run in order (one journey).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from data import accounts
from data.repository import Repository
from tests.browser.conftest import ACCOUNT_PASSWORD as PASSWORD
from tests.browser.conftest import log_in, shot, start_server_with_account, wait_for_map

NAME = "Jardin partagé des Tilleuls (essai navigateur)"


@pytest.fixture(scope="module")
def inventory_server(browser, tmp_path_factory):
    proc, url, db_url = start_server_with_account(
        browser, tmp_path_factory.mktemp("inventaire"), "camille", "admin"
    )
    yield url, db_url
    proc.terminate()
    proc.wait(timeout=10)


def _choose(page, label: str, option: str) -> None:
    page.get_by_label(label).click()
    page.get_by_role("option", name=option).click()
    page.keyboard.press("Escape")


def _login(page, url: str) -> None:
    log_in(page, url, "camille")


def test_moderation_is_refused_without_login(page, inventory_server):
    inventory_server, _ = inventory_server
    page.goto(inventory_server + "/moderation")
    page.locator("h1").first.wait_for(timeout=30_000)
    assert page.get_by_text("Propositions en attente").count() == 0
    assert page.get_by_role("link", name="Modération").count() == 0  # not in the navigation either


def test_visitor_proposal_is_moderated_then_shown_on_the_map(page, inventory_server):
    inventory_server, _ = inventory_server
    page.goto(inventory_server + "/proposer")
    page.get_by_role("textbox", name="Commune où agit l'initiative *").fill("villeurbanne")
    page.keyboard.press("Enter")
    page.get_by_text("Commune trouvée").wait_for(timeout=30_000)
    page.get_by_label("Nom de l'initiative *").fill(NAME)
    _choose(page, "Formes de partenariat *", "Innovation sociétale")
    page.get_by_label("Sources publiques * (une adresse http(s) par ligne)").fill(
        "https://example.org/tilleuls"
    )
    page.get_by_label("Message pour l'équipe de modération").fill("<img src=x onerror=alert(1)> ${alert(2)}")
    shot(page, "proposition-formulaire")
    page.get_by_role("button", name="Envoyer la proposition").click()
    page.get_by_text("Votre proposition porte le numéro").wait_for(timeout=30_000)
    assert page.get_by_text("P-000001").count() >= 1
    shot(page, "proposition-envoyee")
    page.goto(inventory_server + "/?q=essai+navigateur")
    page.get_by_text("0 initiative sur").first.wait_for(timeout=30_000)  # not on the map before moderation

    _login(page, inventory_server)
    page.goto(inventory_server + "/moderation")  # a reload: the cookie keeps the login
    page.get_by_text("Propositions en attente (1)").wait_for(timeout=30_000)
    page.get_by_text("<img src=x onerror=alert(1)> ${alert(2)}").wait_for()  # shown as text
    shot(page, "moderation-file")
    page.get_by_role("button", name="Valider", exact=True).click()
    page.get_by_text("P-000001 validée.").wait_for(timeout=30_000)
    assert page.dialogs == []

    page.goto(inventory_server + "/?q=essai+navigateur")
    page.get_by_text("1 initiative sur").first.wait_for(timeout=30_000)
    wait_for_map(page)


def _stored(db_url: str):
    repo = Repository(db_url)
    item = next(i for i in repo.snapshot().items if i.name == NAME)
    return repo, repo.get(item.id)


def _propose_correction(browser, url: str, ident: str, new_name: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    visitor = context.new_page()
    visitor.goto(f"{url}/proposer?corriger={ident}")
    visitor.get_by_text("Signaler une correction").first.wait_for(timeout=30_000)
    visitor.get_by_label("Nom de l'initiative *").fill(new_name)
    visitor.get_by_role("button", name="Envoyer la proposition").click()
    visitor.get_by_text("Votre proposition porte le numéro").wait_for(timeout=30_000)
    context.close()


def test_correction_shows_its_diff_and_a_stale_one_a_conflict(browser, page, inventory_server):
    url, db_url = inventory_server
    repo, stored = _stored(db_url)
    _propose_correction(browser, url, stored.item.id, NAME + " – rue des Tilleuls")
    _login(page, url)
    page.goto(url + "/moderation")
    page.get_by_text("Propositions en attente (1)").wait_for(timeout=30_000)
    page.get_by_text("correction").first.wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
    shot(page, "moderation-diff")
    # Meanwhile another moderator edits the record: approving the stale correction is a conflict.
    moderator = accounts.authenticate(repo, "camille", PASSWORD)
    repo.edit(moderator, replace(stored.item, description="Modifiée ailleurs"), stored.version)
    page.get_by_role("button", name="Valider", exact=True).click()
    page.get_by_text("a été modifiée entre-temps").wait_for(timeout=30_000)
    page.get_by_text("Version enregistrée entre-temps").wait_for()
    shot(page, "moderation-conflit")
    assert repo.get(stored.item.id).item.name == NAME  # nothing overwritten


def test_history_lists_every_step(page, inventory_server):
    url, db_url = inventory_server
    _repo, stored = _stored(db_url)
    _login(page, url)
    page.goto(f"{url}/moderation?initiative={stored.item.id}")
    page.get_by_role("tab", name="Historique et fiches").click()
    for step in ("proposée", "validée", "modifiée"):
        page.get_by_text(step, exact=True).first.wait_for(state="attached", timeout=30_000)
    shot(page, "moderation-historique")

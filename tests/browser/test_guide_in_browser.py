"""« Par où commencer ? » on a phone, with the keyboard alone, down to the PDF."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.browser.conftest import shot


def _tab_until(page, test: str, limit: int = 40) -> None:
    """Press Tab until the focused element passes ``test`` (a JS expression on ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({test}); }}"):
            return
    raise AssertionError(f"aucun élément atteint au clavier : {test}")


def test_the_guided_path_with_the_keyboard_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + "/par-ou-commencer")
    page.get_by_text("1. Qui êtes-vous ?").wait_for(timeout=30_000)
    _tab_until(page, "el.type === 'radio'")
    page.keyboard.press("Space")  # « Une entreprise »
    page.get_by_role("button", name="Continuer").and_(page.locator(":enabled")).wait_for(timeout=15_000)
    _tab_until(page, "(el.innerText || '').includes('Continuer') && !el.disabled")
    page.keyboard.press("Enter")
    page.get_by_text("2. Où agissez-vous ?").wait_for(timeout=15_000)
    page.get_by_role("textbox", name="Votre commune").focus()
    page.keyboard.type("lyon")
    page.keyboard.press("Enter")
    page.get_by_text("Commune trouvée").wait_for(timeout=15_000)
    page.get_by_role("button", name="Continuer").and_(page.locator(":enabled")).wait_for(timeout=15_000)
    _tab_until(page, "(el.innerText || '').includes('Continuer') && !el.disabled")
    page.keyboard.press("Enter")
    page.get_by_text("3. Que cherchez-vous ?").wait_for(timeout=15_000)
    _tab_until(page, "el.type === 'radio'")
    page.keyboard.press("Space")  # « Concilier performance et engagement »
    ready = page.get_by_role("button", name="Voir ma feuille de route").and_(page.locator(":enabled"))
    ready.wait_for(timeout=15_000)
    _tab_until(page, "(el.innerText || '').includes('Voir ma feuille de route') && !el.disabled")
    page.keyboard.press("Enter")
    page.get_by_text("Votre feuille de route").wait_for(timeout=30_000)
    assert "qui=entreprise" in page.url and "commune=69123" in page.url and "objectif=performance" in page.url
    width = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(width) <= 0  # no sideways scrolling
    shot(page, "par-ou-commencer-telephone")
    page.get_by_role("button", name="Télécharger ma feuille de route (PDF)").focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 1 and "Ma feuille de route" in text and "Lyon" in text
    context.close()

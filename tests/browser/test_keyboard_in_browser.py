"""The keyboard route to an initiative's detail, in Debian's Chromium: a focused marker opens with
Enter, a focused cluster zooms, and the list's picker works with typing and Enter."""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import shot, wait_for_map


def test_enter_on_a_focused_marker_opens_its_detail(page, server):
    page.goto(server + "/?region=94")  # Corse
    frame = wait_for_map(page)
    cluster = frame.locator(".alliances-cluster").first
    if cluster.count():
        assert cluster.get_attribute("tabindex") == "0" and "Grappe de" in cluster.get_attribute("aria-label")
        cluster.focus()
        page.keyboard.press("Enter")  # zooms in
        page.wait_for_timeout(800)
    point = frame.locator("path.alliances-point").first
    point.wait_for(timeout=15_000)
    assert point.get_attribute("tabindex") == "0" and point.get_attribute("role") == "button"
    assert "Entrée pour ouvrir la fiche" in point.get_attribute("aria-label")
    point.focus()
    shot(page, "clavier-marqueur")
    page.keyboard.press("Enter")
    page.locator(".detail-panel").wait_for(timeout=15_000)
    assert "id=" in page.url


def test_the_list_picker_opens_a_detail_with_the_keyboard(page, server):
    page.goto(server + "/?region=94")
    wait_for_map(page)
    picker = page.get_by_label("Ouvrir la fiche de… (clavier : tapez quelques lettres puis Entrée)")
    picker.wait_for(timeout=30_000)
    page.get_by_text("Liste —").first.wait_for(timeout=30_000)  # the page has settled
    options = page.get_by_role("option")
    for _ in range(3):  # the list may still be redrawn once under the focus: focus it again
        picker.focus()
        page.keyboard.press("ArrowDown")  # opens the list of initiatives, keyboard only
        try:
            options.first.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:  # redrawn meanwhile: try again
            page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    page.locator(".detail-panel").wait_for(timeout=15_000)
    assert "id=" in page.url


def test_typing_bret_then_enter_chooses_bretagne_only(page, server):
    """Defect 4: Streamlit's « Select N matches » entry came first, and the fuzzy match of
    « Bret » also found Bourgogne-Franche-Comté, so Enter chose both régions."""
    page.goto(server + "/")
    wait_for_map(page)
    regions = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    regions.locator("input").wait_for(timeout=30_000)
    regions.locator("input").click()
    page.keyboard.type("Bret")
    page.get_by_role("option").first.wait_for()
    assert not any("match" in text.lower() for text in page.get_by_role("option").all_inner_texts())
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('region=')", timeout=15_000)
    page.wait_for_timeout(1500)
    assert "region=53" in page.url and "27" not in page.url.split("region=")[1].split("&")[0]
    assert regions.inner_text().count("Bourgogne") == 0

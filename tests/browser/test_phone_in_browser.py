"""The explorer on a phone (390 × 844, touch) and every page at 320 px, in Debian's Chromium."""

from __future__ import annotations

import pytest

from tests.browser.conftest import MAP_FRAME, shot, wait_for_map

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    yield page
    context.close()


def _sidebar_open(page) -> bool:
    box = page.locator('[data-testid="stSidebar"]').bounding_box()
    return box is not None and box["width"] > 100 and box["x"] + box["width"] > 100


def test_filters_button_opens_them_and_a_choice_closes_them(phone, server):
    phone.goto(server)
    wait_for_map(phone)
    shot(phone, "telephone-accueil")
    assert not _sidebar_open(phone)
    phone.get_by_role("button", name="Ouvrir les filtres").click()
    phone.wait_for_timeout(800)
    assert _sidebar_open(phone)
    shot(phone, "telephone-filtres")
    phone.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    phone.get_by_role("option").filter(has_text="Bretagne").first.click()
    phone.wait_for_url("**region=53**", timeout=30_000)
    phone.wait_for_timeout(1_500)
    assert not _sidebar_open(phone)


def test_map_list_switch_and_a_readable_detail(phone, server):
    phone.goto(server + "/?region=94")
    wait_for_map(phone)
    phone.locator(".st-key-vue_telephone").get_by_text("Liste").click()
    phone.locator(MAP_FRAME).first.wait_for(state="hidden", timeout=15_000)
    phone.get_by_text("Liste — 1 à").wait_for(timeout=15_000)
    shot(phone, "telephone-liste")
    phone.get_by_label("Ouvrir la fiche de… (clavier : tapez quelques lettres puis Entrée)").tap()
    phone.get_by_role("option").first.tap()  # on a touch screen the picker is a plain list
    panel = phone.locator(".detail-panel")
    panel.wait_for(timeout=15_000)
    panel.scroll_into_view_if_needed()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    shot(phone, "telephone-fiche")
    phone.locator(".st-key-vue_telephone").get_by_text("Carte").click()
    phone.wait_for_timeout(2_000)
    assert phone.locator(MAP_FRAME).first.bounding_box()["height"] > 300  # the map is back, full size
    frame = phone.locator(MAP_FRAME).first.element_handle().content_frame()
    drawn = "document.querySelectorAll('path.alliances-point:not([d=\"M0 0\"]), .alliances-cluster').length"
    assert frame.evaluate(drawn) > 0


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/a-proximite?commune=69123",
        "/territoires",
        "/proposer",
        "/connexion",
        "/accessibilite",
        "/fiche-territoire?niveau=epci&code=200034825",
        "/par-ou-commencer?qui=entreprise&commune=69123&objectif=performance",
    ],
)
def test_no_horizontal_overflow_at_320_px(browser, server, path):
    context = browser.new_context(viewport={"width": 320, "height": 700}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + path)
    page.locator("h1").first.wait_for(timeout=60_000)
    page.wait_for_timeout(2_500)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert widths[0] <= widths[1]

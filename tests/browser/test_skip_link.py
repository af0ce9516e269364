import pytest

pytestmark = pytest.mark.browser


def test_tab_focuses_the_visible_skip_link(site, page, axe):
    page.goto(site + "/")
    axe(page)
    page.keyboard.press("Tab")
    link = page.locator(".skip-link")
    assert link.evaluate("el => el === document.activeElement")
    assert link.is_visible()
    box = link.bounding_box()
    assert box is not None and box["y"] >= 0
    link.press("Enter")
    assert page.url.endswith("#contenu")


def test_the_english_home_page_passes_the_audit(site, page, axe):
    page.goto(site + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    axe(page)

"""Staff place a photo's focal point with a click on its preview; the crops follow."""

import pytest
from playwright.sync_api import expect

from tests.factories import CaseFactory, OutcomeEventFactory, camera_photo

pytestmark = pytest.mark.browser


def test_a_click_on_the_preview_sets_the_focal_point_and_the_crops_keep_it(
    site, page, django_user_model, admin_login
):
    from cases.models import Case

    user = django_user_model.objects.create_superuser(
        "chef", "chef@example.invalid", "chef-pw-2026"
    )
    # A wide photo: its 4:3 crop can move from left to right.
    case = CaseFactory(photo=camera_photo(size=(3200, 1200)), photo_alt_fr="Portrait")
    OutcomeEventFactory(case=case)
    admin_login(user, "chef-pw-2026", f"/admin/cases/case/{case.pk}/change/")
    expect(
        page.get_by_text("Cliquez sur la photo pour y placer le point à garder.")
    ).to_be_visible()
    crop = page.locator(".focal-picker__crop")
    assert crop.get_attribute("x") == "800"  # centred: (3200 - 1600) / 2

    picker = page.locator(".focal-picker")
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.1, "y": box["height"] * 0.3})
    expect(page.get_by_label("Point à garder\u00a0: de gauche à droite (%)")).to_have_value("10")
    expect(page.get_by_label("Point à garder\u00a0: de haut en bas (%)")).to_have_value("30")
    assert crop.get_attribute("x") == "0"  # the crop follows, stopped by the left edge

    page.get_by_role("button", name="Enregistrer et continuer les modifications").click()
    page.wait_for_url(f"**/admin/cases/case/{case.pk}/change/")
    case = Case.objects.get(pk=case.pk)
    assert (case.photo_focal_x, case.photo_focal_y) == (10, 30)
    assert case.photo_renditions  # made on commit (the immediate backend of the tests)

"""The urgent appeal: on every page, cheap (cached), and on time."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from petitions.appeals import appeal_current
from tests.factories import AppealFactory, PetitionFactory

pytestmark = pytest.mark.django_db


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_the_current_appeal_is_on_every_public_page_and_readable_without_javascript(client):
    petition = PetitionFactory(slug="gaza")
    AppealFactory(label="URGENCE GAZA", text="Signez pour les civils.", url="", petition=petition)
    for path in ["/", "/petitions/", "/petitions/gaza/", "/mentions-legales/"]:
        html = client.get(path).content.decode()
        assert '<strong class="urgent-banner__label">URGENCE GAZA</strong>' in html, path
        assert '<a href="/petitions/gaza/">Signez pour les civils.</a>' in html, path
        # The dismiss button waits for the script; the banner itself is never hidden in HTML.
        assert "data-appeal-dismiss hidden" in html
        assert '<aside class="urgent-banner"' in html
    # A classic script right after the banner hides a dismissed one before the page is drawn.
    assert '</aside>\n<script src="/static/js/banner.js"></script>' in html
    assert "<script>" not in html and "style=" not in html


def test_no_appeal_no_banner_and_no_script(client):
    html = client.get("/").content.decode()
    assert "urgent-banner" not in html
    assert "banner.js" not in html


def test_a_cached_appeal_costs_no_query(django_assert_num_queries):
    AppealFactory()
    appeal_current()
    with django_assert_num_queries(0):
        assert appeal_current() is not None


def test_an_appeal_that_starts_later_appears_once_its_start_has_passed(
    django_assert_num_queries,
):
    now = timezone.now()
    AppealFactory(
        label="BIENTÔT", starts_at=now + timedelta(hours=2), ends_at=now + timedelta(days=1)
    )
    with at(now):
        assert appeal_current() is None
    with at(now + timedelta(minutes=4)), django_assert_num_queries(0):
        assert appeal_current() is None  # still cached: nothing has changed
    with at(now + timedelta(hours=2, seconds=1)):
        assert appeal_current().label == "BIENTÔT"


def test_an_appeal_past_its_end_disappears_even_from_the_cache():
    now = timezone.now()
    AppealFactory(
        label="FIN", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(minutes=3)
    )
    with at(now):
        assert appeal_current().label == "FIN"
    with at(now + timedelta(minutes=3)):
        assert appeal_current() is None


def test_the_cache_timeout_never_goes_past_the_end_of_the_appeal():
    from django.core.cache import cache

    from petitions.appeals import CACHE_KEY

    now = timezone.now()
    AppealFactory(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(seconds=90))
    with at(now):
        appeal_current()
    appeal, valid_until = cache.get(CACHE_KEY)
    assert valid_until == now + timedelta(seconds=90)


def test_a_newer_appeal_takes_over_when_it_starts():
    now = timezone.now()
    AppealFactory(
        label="ANCIEN", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=5)
    )
    AppealFactory(
        label="NOUVEAU", starts_at=now + timedelta(hours=1), ends_at=now + timedelta(days=2)
    )
    with at(now):
        assert appeal_current().label == "ANCIEN"
    with at(now + timedelta(hours=1)):
        assert appeal_current().label == "NOUVEAU"


def test_saving_or_deleting_an_appeal_clears_the_cache():
    assert appeal_current() is None
    appeal = AppealFactory(label="NOUVEL APPEL")
    assert appeal_current().label == "NOUVEL APPEL"
    appeal.is_active = False
    appeal.save()
    assert appeal_current() is None
    appeal.is_active = True
    appeal.save()
    appeal.delete()
    assert appeal_current() is None


def test_an_appeal_needs_exactly_one_link_and_an_end_after_its_start():
    from django.core.exceptions import ValidationError

    from petitions.models import Appeal

    now = timezone.now()
    appeal = Appeal(label="X", text="Y", starts_at=now, ends_at=now - timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        appeal.full_clean()
    assert set(error.value.message_dict) == {"ends_at", "url"}


def test_the_banner_never_shows_in_the_admin_nor_on_the_bare_error_pages(client, admin_client):
    # Error pages run no context processor and no query (core/errors.py): they cannot fail.
    AppealFactory(label="URGENCE GAZA")
    assert "URGENCE GAZA" in client.get("/").content.decode()
    missing = client.get("/nexiste-pas/")
    assert missing.status_code == 404
    assert "urgent-banner" not in missing.content.decode()
    assert "urgent-banner" not in client.get("/admin/login/").content.decode()
    assert "urgent-banner" not in admin_client.get("/admin/").content.decode()


def test_an_appeal_waits_for_its_petition_to_leave_draft():
    petition = PetitionFactory(slug="bientot", status="draft")
    AppealFactory(label="BIENTÔT", url="", petition=petition)
    assert appeal_current() is None
    petition.status = "open"
    petition.save()
    assert appeal_current().label == "BIENTÔT"


def test_the_banner_text_is_set_the_french_way_in_french(client):
    AppealFactory(label="URGENCE", text="Signez vite !")
    assert ">Signez vite\u00a0!</a>" in client.get("/").content.decode()
    assert ">Signez vite !</a>" in client.get("/en/").content.decode()


def test_an_appeal_whose_petition_was_deleted_leads_nowhere_and_is_not_shown():
    petition = PetitionFactory(slug="supprimee")
    AppealFactory(label="ORPHELIN", url="", petition=petition)
    assert appeal_current().label == "ORPHELIN"
    petition.delete()
    assert appeal_current() is None


def test_a_banner_ends_when_its_petition_is_won_and_the_list_says_which_is_live(admin_client):
    from petitions.services import petition_mark_won

    petition = PetitionFactory(status="open")
    live = AppealFactory(petition=petition, url="")
    later = AppealFactory(
        petition=petition,
        url="",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=4),
    )
    listing = admin_client.get("/admin/petitions/appeal/").content.decode()
    assert "en ligne maintenant" in listing
    assert appeal_current() == live
    petition_mark_won(petition=petition)
    live.refresh_from_db()
    later.refresh_from_db()
    assert live.ends_at <= timezone.now()
    assert later.is_active is False
    assert appeal_current() is None
    listing = admin_client.get("/admin/petitions/appeal/").content.decode()
    assert "en ligne maintenant" not in listing
    assert "terminé" in listing


def test_closing_the_petition_in_the_admin_ends_its_banner(admin_client):
    petition = PetitionFactory(status="open")
    AppealFactory(petition=petition, url="")
    petition.status = "closed"
    petition.save()
    assert appeal_current() is None  # the banner never leads to a closed petition


def test_an_overlapping_banner_is_refused_naming_the_other():
    AppealFactory(label="URGENCE GAZA", text="Signez.")
    newer = AppealFactory.build(label="SOUDAN", text="Agissez.")
    with pytest.raises(ValidationError) as refused:
        newer.full_clean()
    message = refused.value.message_dict["starts_at"][0]
    assert "URGENCE GAZA — Signez." in message
    newer.starts_at = timezone.now() + timedelta(days=2)
    newer.ends_at = timezone.now() + timedelta(days=3)
    newer.full_clean()  # after the other one: accepted

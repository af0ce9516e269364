import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils.html import strip_tags

from tests.factories import TierFactory

ROOT = Path(__file__).resolve().parents[2]
NBSP = "\u00a0"


def widget_text(html: str) -> str:
    start = html.index('<section class="gift-widget"')
    section = html[start : html.index("</section>", start)]
    return re.sub(r"[ \t\r\n]+", " ", strip_tags(section).replace("&nbsp;", NBSP)).strip()


@pytest.mark.django_db
def test_the_home_page_shows_the_tiers_and_what_the_default_gift_really_costs(client, tiers):
    html = client.get("/").content.decode()
    text = widget_text(html)
    assert (
        f"Grâce à la réduction d’impôts de 66{NBSP}%, votre don ne vous coûtera que "
        f"5,10{NBSP}€/mois"
    ) in text
    assert "ou montant libre" in text
    assert "Pour les foyers imposables" in text
    assert f"10,00{NBSP}€/mois 15,00{NBSP}€/mois 25,00{NBSP}€/mois 50,00{NBSP}€/mois" in text
    # One radio group in a fieldset with a legend; values never localised.
    assert "<legend>Montant de votre don mensuel</legend>" in html
    assert html.count('type="radio" name="amount"') == 4
    assert '<input type="radio" name="amount" value="15" checked>' in html
    assert 'method="get" action="/don/"' in html
    assert 'data-rate="0.66"' in html
    assert '<script type="module" src="/static/js/gift-widget.js"></script>' in html


@pytest.mark.django_db
def test_inactive_tiers_are_not_offered(client, tiers):
    TierFactory(amount=100, is_active=False)
    assert 'value="100"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_victories_page_shows_the_widget(client, tiers):
    html = client.get("/victoires/").content.decode()
    assert "votre don ne vous coûtera que" in widget_text(html)


@pytest.mark.django_db
def test_the_english_widget_prints_money_the_english_way(client, tiers):
    text = widget_text(client.get("/en/").content.decode())
    assert "your gift will only cost you €5.10/month" in text
    assert 'action="/en/donate/"' in client.get("/en/").content.decode()


def test_a_malformed_creditor_identifier_stops_the_start_with_one_line():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL", "SEPA_"))
    }
    env.update(
        DJANGO_DEBUG="1", SEPA_CREDITOR_ID="FR00ZZZ12345", DJANGO_SETTINGS_MODULE="config.settings"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Configuration error: SEPA_CREDITOR_ID must be a French creditor")


# --- The cached offer ---------------------------------------------------------------

WIDGET = "{% load donations_tags %}{% gift_widget %}"


def render_widget() -> str:
    from django.template import Context, Template

    return Template(WIDGET).render(Context({}))


@pytest.mark.django_db
def test_the_widget_asks_the_database_nothing_once_its_offer_is_cached(
    tiers, django_assert_num_queries
):
    from django.core.cache import cache

    from donations.models import GiftSettings

    GiftSettings.load()  # the settings row exists, as on any site that has run once
    cache.clear()
    with django_assert_num_queries(2):
        cold = render_widget()
    with django_assert_num_queries(0):
        warm = render_widget()
    assert warm == cold


@pytest.mark.django_db
def test_a_tier_or_rate_changed_by_staff_shows_at_once_on_a_warm_page(admin_client, tiers):
    assert "5,10\u00a0€" in widget_text(admin_client.get("/").content.decode())
    fifteen = tiers[1]
    response = admin_client.post(
        f"/admin/donations/tier/{fifteen.pk}/change/",
        {
            "amount": "20",
            "description_fr": "Deux heures d’enquête.",
            "description_en": "",
            "order": "2",
            "is_default": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    text = widget_text(admin_client.get("/").content.decode())
    assert f"20,00{NBSP}€/mois" in text and f"15,00{NBSP}€/mois" not in text
    assert f"ne vous coûtera que 6,80{NBSP}€/mois" in text
    settings_page = admin_client.get("/admin/donations/giftsettings/")["Location"]
    admin_client.post(
        settings_page, {"tax_rate_percent": "75", "free_amount_min": "5", "free_amount_max": "1000"}
    )
    assert f"ne vous coûtera que 5,00{NBSP}€/mois" in widget_text(
        admin_client.get("/").content.decode()
    )
    admin_client.post(f"/admin/donations/tier/{tiers[3].pk}/delete/", {"post": "yes"})
    assert f"50,00{NBSP}€/mois" not in widget_text(admin_client.get("/").content.decode())
    # The gift form offers the same, fresh tiers.
    form_page = admin_client.get("/don/").content.decode()
    assert 'value="20"' in form_page and 'value="50"' not in form_page


@pytest.mark.django_db(transaction=True)
def test_a_page_read_during_a_staff_change_does_not_keep_the_old_offer(tiers):
    from django.core.cache import cache
    from django.db import transaction

    from donations import offer

    old_offer = offer.gift_offer()
    with transaction.atomic():
        tiers[0].delete()
        # Another process, which does not see the change yet, caches the old tiers ...
        cache.set(offer.CACHE_KEY, old_offer)
    # ... and they are forgotten once the change is committed.
    assert 'value="10"' not in render_widget()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/victoires/", "/en/victories/"])
def test_a_warm_page_with_the_widget_asks_nothing_of_the_gift_tables(client, tiers, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as context:
        html = client.get(url).content.decode()
    assert "votre don ne vous coûtera que" in html or "your gift will only cost you" in html
    assert [q["sql"] for q in context.captured_queries if "donations_" in q["sql"]] == []

import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from core.formats import format_money
from donations import tax
from donations.models import Mandate
from tests.factories import MandateFactory, TierFactory, summary_token

pytestmark = pytest.mark.browser

NBSP = "\u00a0"


@pytest.fixture
def tiers(transactional_db):
    return [
        TierFactory(amount=Decimal("10"), order=1),
        TierFactory(amount=Decimal("15"), order=2, is_default=True),
        TierFactory(amount=Decimal("25"), order=3),
        TierFactory(amount=Decimal("50"), order=4),
    ]


def fill_gift_form(page, *, iban):
    """A donor's details on /don/, with ``iban``, the mandate accepted."""
    page.get_by_label("Prénom").fill("Camille")
    page.locator("#id_last_name").fill("Martin")
    page.get_by_label("Adresse e-mail").fill("camille@example.org")
    page.locator("#id_street").fill("12 rue des Lilas")
    page.get_by_label("Code postal").fill("69003")
    page.get_by_label("Ville").fill("Lyon")
    page.get_by_label("Titulaire du compte").fill("Camille Martin")
    page.get_by_label("IBAN").fill(iban)
    page.get_by_label("J’ai lu le mandat de prélèvement SEPA").check()


def test_the_widget_script_computes_the_net_cost_as_python_does(site, page, tiers):
    page.goto(site + "/")
    amounts = [str(euros) for euros in range(1, 1001)] + [
        f"{euros}.{cents:02d}" for euros in (0, 1, 7, 13, 99, 250, 999) for cents in range(100)
    ]
    for rate in ("0.66", "0.75", "0.6"):
        printed = page.evaluate(
            """async ([amounts, rate]) => {
                const m = await import('/static/js/gift-widget.js');
                const r = m.parseRate(rate);
                return amounts.map((a) => [
                    m.formatMoney(m.netCostCents(m.toCents(a), r), 'fr'),
                    m.formatMoney(m.netCostCents(m.toCents(a), r), 'en'),
                ]);
            }""",
            [amounts, rate],
        )
        expected = [
            [
                format_money(tax.net_cost(Decimal(a), Decimal(rate)), "fr"),
                format_money(tax.net_cost(Decimal(a), Decimal(rate)), "en"),
            ]
            for a in amounts
        ]
        mismatches = [
            (a, got, want)
            for a, got, want in zip(amounts, printed, expected, strict=True)
            if got != want
        ]
        assert not mismatches, mismatches[:5]
    # Thousands are separated by U+00A0, as Django's French format does (not U+202F).
    assert (
        page.evaluate(
            "async () => (await import('/static/js/gift-widget.js')).formatMoney(123456789, 'fr')"
        )
        == f"1{NBSP}234{NBSP}567,89{NBSP}€"
    )


def test_a_donor_picks_a_tier_gives_and_confirms_from_the_email(site, page, axe, tiers):
    page.goto(site + "/")
    # « Faire un don » in the header opens the compact widget (a disclosure button).
    give = page.locator(".site-header").get_by_role("button", name="Faire un don")
    expect(give).to_have_attribute("aria-expanded", "false")
    give.click()
    expect(give).to_have_attribute("aria-expanded", "true")
    axe(page)
    line = page.locator(".gift-widget [data-gift-net]")
    expect(line).to_have_text(f"5,10{NBSP}€")
    page.locator("label.gift-widget__tier", has_text="25,00").click()
    expect(line).to_have_text(f"8,50{NBSP}€")
    page.get_by_label("ou montant libre").fill("40")
    expect(line).to_have_text(f"13,60{NBSP}€")
    # Emptying the free amount goes back to the tier the page opened on.
    page.get_by_label("ou montant libre").fill("")
    expect(line).to_have_text(f"5,10{NBSP}€")
    expect(page.locator('.gift-widget input[value="15"]')).to_be_checked()
    page.get_by_label("ou montant libre").fill("40")
    page.locator("label.gift-widget__tier", has_text="25,00").click()
    expect(page.get_by_label("ou montant libre")).to_have_value("")
    expect(line).to_have_text(f"8,50{NBSP}€")
    page.get_by_role("button", name="Je donne chaque mois").click()

    page.wait_for_url(re.compile(r"/don/\?amount=25"))
    axe(page)
    expect(page.locator('input[name="amount_choice"][value="25"]')).to_be_checked()
    expect(page.locator(".gift-form [data-gift-net]")).to_have_text(f"8,50{NBSP}€")
    fill_gift_form(page, iban="fr76 3000 6000 0112 3456 7890 188")
    page.get_by_role("button", name="Valider mon don mensuel").click()

    # A wrong IBAN: the error next to the field, what was typed kept.
    expect(page.locator("#id_iban_error")).to_have_text(
        "Cet IBAN n’est pas valide : la clé de contrôle ne correspond pas."
    )
    expect(page.get_by_label("Ville")).to_have_value("Lyon")
    axe(page)
    page.get_by_label("IBAN").fill("fr76 3000 6000 0112 3456 7890 189")
    page.get_by_label("J’ai lu le mandat de prélèvement SEPA").check()
    page.get_by_role("button", name="Valider mon don mensuel").click()

    page.wait_for_url(re.compile(r"/don/envoye/\?don="))
    axe(page)
    assert Mandate.objects.get().state == "pending"
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/don/confirmer/[\w-]+/)", message.body).group(1)

    page.goto(site + link)
    axe(page)
    assert Mandate.objects.get().state == "pending"
    page.get_by_role("button", name="Je confirme mon don mensuel").click()

    page.wait_for_url(re.compile(r"/don/merci/"))
    axe(page)
    mandate = Mandate.objects.get()
    assert mandate.state == "active"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merci, votre don mensuel est confirmé"
    )
    summary = page.locator(".summary")
    expect(summary).to_contain_text(mandate.rum)
    expect(summary).to_contain_text("FR76 **** **** **** **** **** 189")
    expect(summary).to_contain_text(f"25,00{NBSP}€")
    expect(summary).to_contain_text(f"8,50{NBSP}€/mois")
    assert len(mail.outbox) == 2


def test_the_gift_pages_fit_a_phone_without_sideways_scrolling(site, page, axe, tiers):
    mandate = MandateFactory()
    token = summary_token(mandate)
    page.set_viewport_size({"width": 390, "height": 800})
    for path in ["/", "/don/?amount=37", "/en/donate/", f"/don/merci/{token}/"]:
        page.goto(site + path)
        axe(page)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide"
    page.goto(site + f"/don/merci/{token}/")
    box = page.locator(".summary .iban").bounding_box()
    assert box["height"] < 40  # the masked IBAN stays on one line


def test_a_double_click_on_the_gift_button_gives_one_mandate_and_one_email(site, page, tiers):
    page.goto(site + "/don/?amount=25")
    fill_gift_form(page, iban="FR76 3000 6000 0112 3456 7890 189")
    page.get_by_role("button", name="Valider mon don mensuel").dblclick()
    page.wait_for_url(re.compile(r"/don/envoye/\?don="))
    page.go_back()
    page.wait_for_load_state()
    assert Mandate.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("click_other", [False, True])
def test_typing_a_free_amount_gives_that_amount(site, page, tiers, click_other):
    page.goto(site + "/don/")
    expect(page.locator('input[name="amount_choice"][value="15"]')).to_be_checked()
    if click_other:
        page.get_by_label("Autre montant").check()
    page.get_by_label("Montant libre, en euros par mois").fill("40")
    expect(page.get_by_label("Autre montant")).to_be_checked()
    expect(page.locator('input[name="amount_choice"][value="15"]')).not_to_be_checked()
    expect(page.locator(".gift-form [data-gift-net]")).to_have_text(f"13,60{NBSP}€")
    fill_gift_form(page, iban="FR76 3000 6000 0112 3456 7890 189")
    page.get_by_role("button", name="Valider mon don mensuel").click()
    page.wait_for_url(re.compile(r"/don/envoye/\?don="))
    expect(page.locator(".gift-sent__amount")).to_contain_text(f"40,00{NBSP}€")
    assert Mandate.objects.get().amount == Decimal("40")
    assert f"40,00{NBSP}€" in mail.outbox[0].body


def test_without_javascript_a_typed_free_amount_wins_over_the_checked_tier(site, browser, tiers):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/don/")
    page.get_by_label("Montant libre, en euros par mois").fill("40")
    expect(page.locator('input[name="amount_choice"][value="15"]')).to_be_checked()  # no script
    fill_gift_form(page, iban="FR76 3000 6000 0112 3456 7890 189")
    page.get_by_role("button", name="Valider mon don mensuel").click()
    page.wait_for_url(re.compile(r"/don/envoye/\?don="))
    expect(page.locator(".gift-sent__amount")).to_contain_text(f"40,00{NBSP}€")
    assert Mandate.objects.get().amount == Decimal("40")
    context.close()


def test_the_widget_says_when_an_amount_cannot_be_given(site, page, tiers):
    page.goto(site + "/")
    page.locator(".site-header").get_by_role("button", name="Faire un don").click()
    free = page.get_by_label("ou montant libre")
    line = page.locator(".gift-widget__net")
    error = page.locator("#gift-widget-free-error")
    free.fill("4")
    expect(error).to_have_text(f"Le montant libre est d’au moins 5,00{NBSP}€ par mois.")
    expect(line).to_be_hidden()
    expect(free).to_have_attribute("aria-invalid", "true")
    free.fill("1001")
    expect(error).to_have_text(f"Le montant libre est d’au plus 1{NBSP}000,00{NBSP}€ par mois.")
    page.get_by_role("button", name="Je donne chaque mois").click()
    assert "/don/" not in page.url  # the browser keeps the form: the message says why
    free.fill("40")
    expect(error).to_be_hidden()
    expect(page.locator(".gift-widget [data-gift-net]")).to_have_text(f"13,60{NBSP}€")
    page.get_by_role("button", name="Je donne chaque mois").click()
    page.wait_for_url(re.compile(r"/don/\?.*free_amount=40"))
    expect(page.get_by_label("Autre montant")).to_be_checked()
    expect(page.locator(".gift-form [data-gift-net]")).to_have_text(f"13,60{NBSP}€")


def test_the_script_refuses_the_same_free_amounts_as_the_form(site, page, tiers):
    from donations.forms import GiftForm
    from donations.models import GiftSettings

    gift_settings = GiftSettings.load()
    page.goto(site + "/don/")
    typed = [
        "4",
        "5",
        "40",
        "1000",
        "1001",
        "12.5",
        "12,5",
        "abc",
        "-3",
        "+7",
        "0",
        "007",
        " 40 ",
        "",
    ]
    script = page.evaluate(
        """async (typed) => {
            const m = await import('/static/js/gift-widget.js');
            const form = document.querySelector('.gift-form');
            const messages = {min: form.dataset.msgMin, max: form.dataset.msgMax,
                              invalid: form.dataset.msgInvalid};
            return typed.map((t) => m.freeAmountProblem(t, 5, 1000, messages) || "");
        }""",
        typed,
    )
    python = [GiftForm.initial_for_amount(t, tiers, gift_settings, free=True)[1] for t in typed]
    assert script == python

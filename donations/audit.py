"""The gift pages `make audit` and the test suite check beyond the sitemap (core/audit.py):
the form with its errors, the "check your mailbox" page, the confirmation page of a
pending mandate and the thank-you page of an active one. Audit and test databases only:
this creates a pending mandate."""

from decimal import Decimal

from django.core import signing

from core.audit import AuditPage, in_both_languages
from core.tokens import token_issue
from donations import services
from donations.models import Mandate
from donations.privacy import PENDING
from donations.tasks import MANDATE_PURPOSE
from donations.views import GIFT_SENT_SALT, SUMMARY_HOURS, SUMMARY_PURPOSE


def pages() -> list[AuditPage]:
    pending, _created = services.mandate_create(
        donor_data={
            "civility": "",
            "first_name": "Camille",
            "last_name": "Audit",
            "email": "camille.audit@exemple.fr",
            "street": "1 rue de Paris",
            "postal_code": "75001",
            "city": "Paris",
            "country": "FR",
            "newsletter": False,
        },
        amount=Decimal(15),
        debit_day=5,
        account_holder="Camille Audit",
        iban="FR7630006000011234567890189",
        idempotency_key="make-audit",
    )
    active = Mandate.objects.active().order_by("pk").first()
    sent = signing.dumps(pending.pk, salt=GIFT_SENT_SALT)
    pages = [AuditPage(f"{page.path}?amount=25") for page in in_both_languages("donations:gift")]
    pages += in_both_languages("donations:gift", data={"amount": ""})
    pages += [
        AuditPage(f"{page.path}?don={sent}") for page in in_both_languages("donations:gift-sent")
    ]
    confirm = token_issue(purpose=MANDATE_PURPOSE, target=pending, days=PENDING.days)
    pages += in_both_languages("donations:mandate-confirm", token=confirm)
    if active is not None:
        summary = token_issue(purpose=SUMMARY_PURPOSE, target=active, hours=SUMMARY_HOURS)
        pages += in_both_languages("donations:mandate-done", token=summary)
        # The same address an hour later: the thank-you without personal data.
        pages += in_both_languages("donations:mandate-done", token="x" * 43)
    return pages

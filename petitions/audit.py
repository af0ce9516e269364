"""The petition pages `make audit` and the test suite check beyond the sitemap
(core/audit.py): the form with its errors, "check your mailbox", the resend form, the
confirmation page (a real token and an unknown one) and the thank-you page. Audit and test
databases only: this creates a pending signature."""

from core.audit import AuditPage, in_both_languages
from core.tokens import token_issue
from petitions.models import Petition, Signature
from petitions.privacy import UNCONFIRMED
from petitions.tasks import SIGNATURE_PURPOSE


def pages() -> list[AuditPage]:
    petition = Petition.objects.open().order_by("pk").first()
    if petition is None:
        return []
    signature = Signature.objects.create(
        petition=petition,
        first_name="Camille",
        last_name="Audit",
        email=f"camille.audit.{petition.pk}.{Signature.objects.count()}@exemple.fr",
        country="FR",
        language="fr",
    )
    token = token_issue(purpose=SIGNATURE_PURPOSE, target=signature, days=UNCONFIRMED.days)
    slug = petition.slug
    return [
        *in_both_languages("petitions:sign", slug=slug, data={"first_name": ""}),
        *in_both_languages("petitions:check-email", slug=slug),
        *in_both_languages("petitions:resend", slug=slug),
        *in_both_languages("petitions:confirm", token=token),
        *in_both_languages("petitions:confirm", token="jeton-inconnu"),  # noqa: S106
        *in_both_languages("petitions:thanks", slug=slug),
    ]

"""factory_boy factories for every app's tests, one section per app."""

import factory  # noqa: F401

# --- cases -------------------------------------------------------------------------


def _cases_now_plus(**delta):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(**delta)


class CaseFactory(factory.django.DjangoModelFactory):
    """A published victory with no events or figures (add them with the factories below)."""

    class Meta:
        model = "cases.Case"

    name = factory.Sequence(lambda n: f"Personne Numéro {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-").replace("é", "e"))
    gender = "female"
    country = "TR"
    headline_fr = "Une militante libérée"
    headline_en = "An activist freed"
    story_fr = "Elle a été arrêtée pour avoir manifesté.\n\nElle est libre."
    story_en = "She was arrested for protesting.\n\nShe is free."
    quote_fr = "Merci à vous !"
    quote_en = "Thank you!"
    is_published = True
    published_at = factory.LazyFunction(lambda: _cases_now_plus(days=-1))


class OutcomeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.OutcomeEvent"

    case = factory.SubFactory(CaseFactory)
    kind = "released"
    date = factory.LazyFunction(lambda: _cases_now_plus(days=-30).date())
    date_precision = "day"


class MobilisationFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.MobilisationFigure"

    case = factory.SubFactory(CaseFactory)
    scope = "world"
    count = 1000
    qualifier = "exact"
    unit = "signatures"


# --- petitions ---------------------------------------------------------------------


def _petitions_now_plus(**delta):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(**delta)


class PetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "petitions.Petition"

    title = factory.Sequence(lambda n: f"Libérez la militante n° {n}")
    slug = factory.Sequence(lambda n: f"petition-{n}")
    target = "Président de la République"
    ask = "Libérez-la immédiatement et sans condition."
    text = "Elle est détenue pour avoir manifesté pacifiquement."
    goal = 50000
    status = "open"
    opens_at = factory.LazyFunction(lambda: _petitions_now_plus(days=-1))


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "petitions.Signature"
        skip_postgeneration_save = True

    petition = factory.SubFactory(PetitionFactory)
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.Sequence(lambda n: f"signataire{n}@exemple.fr")
    country = "FR"
    language = "fr"

    @factory.post_generation
    def with_token(obj, create, extracted, **kwargs):
        from core.tokens import confirmation_token, token_digest

        if create and not obj.token_digest:
            obj.token_digest = token_digest(confirmation_token(purpose="signature", pk=obj.pk))
            obj.save(update_fields=["token_digest"])


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "petitions.Appeal"

    label = "URGENCE GAZA"
    text = "Signez pour la protection des civils."
    url = "https://exemple.org/appel"
    starts_at = factory.LazyFunction(lambda: _petitions_now_plus(hours=-1))
    ends_at = factory.LazyFunction(lambda: _petitions_now_plus(days=1))


# --- donations ---------------------------------------------------------------------


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "donations.Tier"

    amount = factory.Sequence(lambda n: 10 + 5 * n)
    description = "Finance une heure d'enquête."
    order = factory.Sequence(int)
    is_active = True


class DonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "donations.Donor"

    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.Sequence(lambda n: f"donateur{n}@example.org")
    street = "12 rue des Lilas"
    postal_code = "69003"
    city = "Lyon"
    country = "FR"


class MandateFactory(factory.django.DjangoModelFactory):
    """An active mandate on the example French IBAN (FR76 3000 6000 0112 3456 7890 189)."""

    class Meta:
        model = "donations.Mandate"

    donor = factory.SubFactory(DonorFactory)
    rum = factory.Sequence(lambda n: f"TEST-{n:08d}")
    state = "active"
    amount = 15
    debit_day = 5
    account_holder = "Camille Martin"
    iban = "FR7630006000011234567890189"
    iban_masked = "FR76 **** **** **** **** **** 189"
    signature_place = "Lyon"
    signed_at = factory.LazyFunction(lambda: _donations_now())
    first_debit_on = factory.LazyFunction(lambda: _donations_first_debit())


def _donations_now():
    from django.utils import timezone

    return timezone.now()


def _donations_first_debit():
    from datetime import date

    return date(2026, 12, 15)


class DebitFactory(factory.django.DjangoModelFactory):
    """A debit scheduled for the 5th of a month, on an active mandate."""

    class Meta:
        model = "donations.Debit"

    mandate = factory.SubFactory(MandateFactory)
    due_on = factory.Sequence(lambda n: _donations_month(n).replace(day=5))
    month = factory.LazyAttribute(lambda o: o.due_on.replace(day=1))
    amount = 15
    sequence_type = "RCUR"
    end_to_end_id = factory.Sequence(lambda n: f"TEST-E2E-{n:08d}")
    remittance = "Don mensuel Victoires"
    status = "scheduled"


def _donations_month(n):
    from datetime import date

    return date(2026 + n // 12, n % 12 + 1, 1)

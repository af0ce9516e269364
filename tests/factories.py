"""factory_boy factories for every app's tests, one section per app."""

import factory  # noqa: F401

# --- cases -------------------------------------------------------------------------

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

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


def emailed_token(obj) -> str:
    """The token of the confirmation link for a pending signature or mandate, issued as its
    email task issues it (a new one replaces the last)."""
    from core.tokens import token_issue
    from donations.tasks import MANDATE_PURPOSE
    from petitions.tasks import SIGNATURE_PURPOSE

    purpose = {"petitions.signature": SIGNATURE_PURPOSE, "donations.mandate": MANDATE_PURPOSE}
    return token_issue(purpose=purpose[obj._meta.label_lower], target=obj, days=7)


def summary_token(mandate) -> str:
    """The token of the page summing up a confirmed mandate, as the confirmation gives it."""
    from core.tokens import token_issue
    from donations.views import SUMMARY_HOURS, SUMMARY_PURPOSE

    return token_issue(purpose=SUMMARY_PURPOSE, target=mandate, hours=SUMMARY_HOURS)


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
    description = "Finance une heure d’enquête."
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


# --- photos ------------------------------------------------------------------------


def camera_photo(
    name="IMG_0001.jpg", size=(1600, 1200), image_format="JPEG", mode="RGB", orientation=1
):
    """A photo as a phone sends it: GPS position, device, XMP packet, comment, ICC profile.

    The left quarter is red and the rest blue, so a test can see which way it was turned.
    """
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import ExifTags, Image, ImageCms, ImageDraw

    image = Image.new("RGB", size, (11, 79, 156))
    ImageDraw.Draw(image).rectangle([0, 0, size[0] // 4, size[1]], fill=(220, 20, 20))
    if mode != "RGB":
        image = image.convert(mode)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)}
    )
    options = {
        "exif": exif,
        "xmp": b'<x:xmpmeta xmlns:x="adobe:ns:meta/">GPSLatitude 48,51.4N</x:xmpmeta>',
    }
    if mode == "RGB":
        options["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    if image_format == "JPEG":
        options["comment"] = b"Taken at a secret address"
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def metadata_found(path) -> list[str]:
    """The metadata an image file still carries: EXIF, GPS, XMP, ICC profile, comment."""
    from PIL import ExifTags, Image

    data = path.read_bytes()
    found = []
    with Image.open(path) as image:
        exif = image.getexif()
        if len(exif):
            found.append("EXIF")
        if len(exif.get_ifd(ExifTags.IFD.GPSInfo)):
            found.append("GPS")
        found += [key for key in ("exif", "xmp", "icc_profile", "comment") if image.info.get(key)]
    for marker in (b"Exif\x00\x00", b"adobe:ns:meta", b"xmpmeta", b"PhoneMaker", b"secret"):
        if marker in data:
            found.append(repr(marker))
    return found

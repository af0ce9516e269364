"""Demo petitions: an open one behind the urgent appeal, and won ones linked to victories.

Every text is written for the demo. Loading twice changes nothing: slugs (and the appeal's
label) are the natural keys, and existing rows are left as they are.
"""

from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from core.demo import DEMO_PASSWORD_SUFFIX, demo_staff_user
from petitions.models import Appeal, Petition, Signature

OPEN_PETITION = {
    "slug": "gaza-proteger-les-civils",
    "status": Petition.Status.OPEN,
    "goal": 200_000,
    "offline_count": 3_250,
    "title_fr": "Gaza : protéger les civils, rendre justice à toutes les victimes",
    "title_en": "Gaza: protect civilians, bring justice to every victim",
    "target_fr": "Ministre de l’Europe et des Affaires étrangères",
    "target_en": "French Minister for Europe and Foreign Affairs",
    "ask_fr": (
        "Agissez pour que les civils soient protégés et que tous les crimes commis contre "
        "eux fassent l’objet d’enquêtes indépendantes."
    ),
    "ask_en": (
        "Act so that civilians are protected and every crime committed against them is "
        "independently investigated."
    ),
    "text_fr": (
        "Des familles entières vivent sous les bombes, sans abri sûr, sans eau potable ni "
        "soins. Les hôpitaux, les écoles et les convois humanitaires doivent être épargnés, "
        "comme le droit international l’exige de toutes les parties.\n\n"
        "Nous demandons à la France de peser de tout son poids pour un accès humanitaire sans "
        "entrave, la libération de toutes les personnes retenues en otage ou détenues "
        "arbitrairement, et des enquêtes indépendantes sur les crimes commis contre toutes les "
        "victimes, quelles qu’elles soient."
    ),
    "text_en": (
        "Whole families live under the bombs, with no safe shelter, clean water or care. "
        "Hospitals, schools and aid convoys must be spared, as international law requires of "
        "every party.\n\n"
        "We ask France to use all its weight for unhindered humanitarian access, the release "
        "of everyone held hostage or arbitrarily detained, and independent investigations "
        "into the crimes committed against all victims, whoever they are."
    ),
}

APPEAL = {
    "label_fr": "URGENCE GAZA",
    "label_en": "URGENT: GAZA",
    "text_fr": "Justice pour toutes les victimes, protection pour tous les civils : signez l’appel.",
    "text_en": "Justice for every victim, protection for every civilian: sign the appeal.",
}

WON_PETITIONS = [
    {
        "slug": "liberez-alexandra-skotchilenko",
        "case": "alexandra-skotchilenko",
        "goal": 500_000,
        "offline_count": 21_300,
        "title_fr": "Libérez Alexandra Skotchilenko",
        "title_en": "Free Alexandra Skotchilenko",
        "target_fr": "Procureur général de la Fédération de Russie",
        "target_en": "Prosecutor General of the Russian Federation",
        "ask_fr": "Libérez sans condition une artiste emprisonnée pour des étiquettes de prix.",
        "ask_en": "Free, unconditionally, an artist jailed for price tags.",
        "text_fr": (
            "Cinq petits papiers glissés dans un supermarché contre sept ans de prison : "
            "Alexandra n’a fait qu’exprimer pacifiquement son opposition à la guerre."
        ),
        "text_en": (
            "Five slips of paper in a supermarket for seven years in prison: Alexandra only "
            "voiced her opposition to the war, peacefully."
        ),
    },
    {
        "slug": "sauvez-magai-matiop-ngong",
        "case": "magai-matiop-ngong",
        "goal": 500_000,
        "offline_count": 14_800,
        "title_fr": "Sauvez Magai Matiop Ngong de la peine de mort",
        "title_en": "Save Magai Matiop Ngong from the death penalty",
        "target_fr": "Président Salva Kiir",
        "target_en": "President Salva Kiir",
        "ask_fr": "Annulez la condamnation à mort d’un adolescent jugé sans avocat.",
        "ask_en": "Overturn the death sentence of a teenager tried without a lawyer.",
        "text_fr": (
            "Il avait 15 ans au moment des faits. Le droit international interdit de condamner "
            "à mort une personne mineure au moment du crime dont on l’accuse."
        ),
        "text_en": (
            "He was 15 at the time. International law forbids sentencing to death anyone who "
            "was a child when the crime they are accused of took place."
        ),
    },
    {
        "slug": "acquittez-taner-kilic",
        "case": "taner-kilic",
        "goal": 200_000,
        "offline_count": 9_600,
        "title_fr": "Acquittez Taner Kılıç",
        "title_en": "Acquit Taner Kılıç",
        "target_fr": "Ministre de la Justice de Turquie",
        "target_en": "Minister of Justice of Türkiye",
        "ask_fr": "Mettez fin aux poursuites contre un défenseur des droits humains.",
        "ask_en": "End the prosecution of a human rights defender.",
        "text_fr": (
            "Défendre les droits humains n’est pas un crime. Les accusations portées contre "
            "Taner ne reposent sur aucune preuve."
        ),
        "text_en": (
            "Defending human rights is not a crime. The charges against Taner rest on no "
            "evidence at all."
        ),
    },
]

DEMO_SIGNERS = [
    ("Louise", "Bernard", "louise.bernard@demo.invalid", "FR", "fr"),
    ("Karim", "Haddad", "karim.haddad@demo.invalid", "FR", "fr"),
    ("Emma", "Walsh", "emma.walsh@demo.invalid", "IE", "en"),
]


def _petition(data, **extra):
    fields = {k: v for k, v in data.items() if k not in ("slug", "case")}
    fields.update(extra)
    petition, created = Petition.objects.get_or_create(slug=data["slug"], defaults=fields)
    return petition, created


def load(*, stdout):
    now = timezone.now()
    petition, created = _petition(OPEN_PETITION, opens_at=now - timedelta(days=3))
    if created:
        for first, last, email, country, language in DEMO_SIGNERS:
            Signature.objects.create(
                petition=petition,
                first_name=first,
                last_name=last,
                email=email,
                country=country,
                language=language,
                confirmed_at=now,
            )
        petition.confirmed_count = petition.signatures.confirmed().count()
        petition.save(update_fields=["confirmed_count"])
        stdout.write(f"Pétition ouverte : {petition.title}")
    Appeal.objects.get_or_create(
        label_fr=APPEAL["label_fr"],
        defaults={
            **APPEAL,
            "petition": petition,
            "starts_at": now - timedelta(hours=1),
            "ends_at": now + timedelta(days=60),
        },
    )

    Case = apps.get_model("cases", "Case")
    for data in WON_PETITIONS:
        case = Case.objects.filter(slug=data["case"]).first()
        won, created = _petition(
            data, status=Petition.Status.WON, case=case, opens_at=now - timedelta(days=900)
        )
        if created:
            stdout.write(f"Pétition gagnée : {won.title}")

    _, created = demo_staff_user(username="mobilisation", group_name="Mobilisation")
    if created:
        stdout.write(
            f"Compte de démonstration : mobilisation / mobilisation{DEMO_PASSWORD_SUFFIX} "
            "(signatures et exports)"
        )

"""Demo content: the nine published victories, the page's texts, the `editeur` account.

The facts are those of the reference page; every text is written for this site, in French
and in English; the quotes are the persons' own words. No photograph: three stories get an
illustration drawn by our code (cases.illustrations), the others the typographic card. Loading twice changes nothing: slugs are the natural keys.
"""

from datetime import UTC, date, datetime

from django.core.files.base import ContentFile

from cases import illustrations, rules
from cases.models import Case, VictoryPage
from cases.services import case_upsert
from core.demo import DEMO_PASSWORD_SUFFIX, demo_staff_user

PUBLISHED_AT = datetime(2025, 12, 10, 8, 0, tzinfo=UTC)

PAGE = {
    "title_fr": "Ces victoires remportées ensemble",
    "title_en": "The victories we won together",
    "intro_fr": (
        "Chaque année, autour du 10 décembre, Journée internationale des droits humains, des "
        "millions de personnes signent nos pétitions pour des femmes et des hommes dont les "
        "droits sont bafoués ou menacés.\n\n"
        "Et cela change des vies : des personnes sont libérées, d’autres protégées des "
        "violences, des condamnations à mort sont annulées. Voici quelques-unes de ces "
        "victoires."
    ),
    "intro_en": (
        "Every year around December 10, Human Rights Day, millions of people "
        "sign our petitions for women and men whose rights are violated or under threat.\n\n"
        "And lives change: people are freed, others are protected from violence, death "
        "sentences are overturned. Here are some of those victories."
    ),
    "hero_alt_fr": (
        "Illustration de démonstration : des milliers de points jaunes sur fond noir, "
        "qui se rassemblent en une vague."
    ),
    "hero_alt_en": (
        "Demonstration illustration: thousands of yellow dots on black, gathering into a wave."
    ),
    "hero_caption_fr": (
        "Chaque point, une signature : une image dessinée pour la démonstration du site, en "
        "attendant la photographie créditée que l’équipe publiera."
    ),
    "hero_caption_en": (
        "Every dot a signature: an image drawn for the site’s demonstration, until the team "
        "publishes a credited photograph."
    ),
    "hero_credit": illustrations.CREDIT,
}


def _ev(kind, day, precision="day", fr="", en=""):
    return {
        "kind": kind,
        "date": day,
        "date_precision": precision,
        "label_fr": "",
        "label_en": "",
        "detail_fr": fr,
        "detail_en": en,
    }


def _fig(scope, count, qualifier=rules.EXACT, unit=rules.SIGNATURES):
    return {"scope": scope, "count": count, "qualifier": qualifier, "unit": unit}


W, F = rules.WORLD, rules.FRANCE
MORE, NEAR = rules.MORE_THAN, rules.NEARLY

CASES = [
    {
        "slug": "alexandra-skotchilenko",
        "fields": {
            "name": "Alexandra Skotchilenko",
            "gender": rules.FEMALE,
            "country": "RU",
            "headline_fr": "Une artiste opposée à la guerre en Ukraine, graciée et libérée",
            "headline_en": "An artist who spoke out against the war in Ukraine, pardoned and freed",
            "charges_fr": (
                "Diffusion de « fausses informations » sur l’armée russe, au titre d’un article "
                "voté à la hâte par le Parlement russe en mars 2022."
            ),
            "charges_en": (
                "Spreading “false information” about the Russian army, under an article rushed "
                "through the Russian parliament in March 2022."
            ),
            "sentence_fr": "Sept ans de prison, prononcés le 16 novembre 2023.",
            "sentence_en": "Seven years in prison, handed down on November 16, 2023.",
            "story_fr": (
                "Dans un supermarché de Saint-Pétersbourg, Alexandra avait remplacé des "
                "étiquettes de prix par de petits messages : l’armée russe avait bombardé une "
                "école d’art de Marioupol où près de 400 personnes s’abritaient.\n\n"
                "Pour ces quelques bouts de papier, elle a été condamnée à sept ans de prison. "
                "En détention, elle a connu l’insalubrité, le harcèlement et le refus de soins."
            ),
            "story_en": (
                "In a St Petersburg supermarket, Alexandra swapped price tags for small "
                "notes: the Russian army had bombed an art school in Mariupol where about 400 "
                "people were sheltering.\n\n"
                "For those few slips of paper she was sentenced to seven years. In detention "
                "she faced unsanitary conditions, harassment and was refused medical care."
            ),
            "quote_fr": "Votre solidarité m’a aidée à survivre et à croire aux miracles.",
            "quote_en": "Your solidarity helped me survive and believe in miracles.",
        },
        "events": [
            _ev(rules.PARDONED, date(2024, 8, 1)),
            _ev(rules.RELEASED, date(2024, 8, 1)),
        ],
        "figures": [_fig(W, 594_400, MORE), _fig(F, 115_100)],
    },
    {
        "slug": "magai-matiop-ngong",
        "fields": {
            "name": "Magai Matiop Ngong",
            "gender": rules.MALE,
            "country": "SS",
            "headline_fr": "Condamné à mort à 15 ans, sauvé de la potence puis libéré",
            "headline_en": "Sentenced to death at 15, saved from the gallows, then freed",
            "charges_fr": "Accusé du meurtre de son cousin, alors qu’il avait 15 ans.",
            "charges_en": "Accused of killing his cousin when he was 15.",
            "sentence_fr": (
                "La mort par pendaison, une peine annulée par la cour d’appel du Soudan du Sud "
                "le 14 avril 2020."
            ),
            "sentence_en": (
                "Death by hanging, a sentence overturned by South Sudan’s Court of Appeal on "
                "April 14, 2020."
            ),
            "story_fr": (
                "Magai n’a vu aucun avocat, ni à son arrestation ni à son procès, en novembre "
                "2017. Un procès inéquitable l’a envoyé dans le couloir de la mort.\n\n"
                "Des centaines de milliers de personnes ont demandé au président Salva Kiir "
                "d’annuler sa condamnation. La peine de mort a d’abord été levée, puis Magai a "
                "retrouvé la liberté."
            ),
            "story_en": (
                "Magai had no lawyer when he was arrested, nor at his trial in November 2017. "
                "An unfair trial put him on death row.\n\n"
                "Hundreds of thousands of people urged President Salva Kiir to overturn his "
                "sentence. The death sentence was lifted first; then Magai walked free."
            ),
            "quote_fr": "Merci de m’avoir sauvé la vie.",
            "quote_en": "Thank you for saving my life.",
        },
        "events": [
            _ev(rules.DEATH_SENTENCE_ANNULLED, date(2020, 4, 14)),
            _ev(
                rules.RELEASED,
                date(2022, 4, 4),
                fr="après plus de quatre ans de prison",
                en="after more than four years in prison",
            ),
        ],
        "figures": [_fig(W, 765_000, MORE), _fig(F, 100_000, MORE)],
    },
    {
        "slug": "neth-nahara",
        "fields": {
            "name": "Neth Nahara",
            "legal_name": "Ana da Silva Miguel",
            "gender": rules.FEMALE,
            "country": "AO",
            "headline_fr": "Une voix de TikTok en Angola, libre après près d’un an de détention arbitraire",
            "headline_en": "A TikTok voice in Angola, free after almost a year of arbitrary detention",
            "charges_fr": (
                "Arrêtée en 2024, au lendemain d’un direct sur TikTok où elle critiquait le "
                "président João Lourenço."
            ),
            "charges_en": (
                "Arrested in 2024, the day after a TikTok live stream in which she criticised "
                "President João Lourenço."
            ),
            "sentence_fr": "Six mois de prison après un procès expéditif, portés ensuite à deux ans.",
            "sentence_en": "Six months in prison after a summary trial, later raised to two years.",
            "story_fr": (
                "Neth Nahara a été jugée en quelques heures pour ses mots. Sa peine a ensuite "
                "été alourdie.\n\n"
                "Pendant ses huit premiers mois de détention, elle a été privée des soins dont "
                "elle a besoin pour son VIH. Le président angolais a finalement annoncé sa grâce."
            ),
            "story_en": (
                "Neth Nahara was tried within hours for what she said. Her sentence was then "
                "made heavier.\n\n"
                "For her first eight months in detention she was denied the treatment she "
                "needs for her HIV. Angola’s president finally announced her pardon."
            ),
            "arrest_date": date(2024, 1, 1),
            "arrest_date_precision": "year",
            "quote_fr": "Je tiens à vous dire merci !",
            "quote_en": "I want to say thank you!",
        },
        # Pardoned on 25 December 2024 and then released; the release's date is not
        # published, so the event has none (the page writes « puis libérée »).
        "events": [_ev(rules.PARDONED, date(2024, 12, 25)), _ev(rules.RELEASED, None)],
        "figures": [_fig(W, 550_500), _fig(F, 68_400)],
    },
    {
        "slug": "bernardo-caal-xol",
        "fields": {
            "name": "Bernardo Caal Xol",
            "gender": rules.MALE,
            "country": "GT",
            "headline_fr": "Un enseignant qui défendait l’accès à l’eau, libre après quatre ans de prison",
            "headline_en": "A teacher who defended access to water, free after four years in prison",
            "charges_fr": (
                "Des accusations montées de toutes pièces. Son vrai « crime » : avoir dénoncé "
                "l’exploitation illégale des ressources naturelles par de puissants intérêts "
                "économiques."
            ),
            "charges_en": (
                "Trumped-up charges. His real “crime”: exposing the illegal exploitation of "
                "natural resources by powerful economic interests."
            ),
            "sentence_fr": "Plus de sept ans de prison.",
            "sentence_en": "More than seven years in prison.",
            "story_fr": (
                "Bernardo défendait la rivière Cahabón et les droits du peuple autochtone maya "
                "q’eqchi'. Arrêté en janvier 2018, il a été condamné sur la base d’accusations "
                "inventées.\n\n"
                "Il a passé plus de quatre ans derrière les barreaux avant de retrouver les siens."
            ),
            "story_en": (
                "Bernardo stood up for the Cahabón river and the rights of the Maya Q’eqchi' "
                "Indigenous people. Arrested in January 2018, he was convicted on invented "
                "charges.\n\n"
                "He spent more than four years behind bars before going home to his family."
            ),
            "arrest_date": date(2018, 1, 1),
            "arrest_date_precision": "month",
            "quote_fr": "Je tiens à remercier chacune et chacun d’entre vous.",
            "quote_en": "I want to thank each and every one of you.",
        },
        "events": [
            _ev(
                rules.RELEASED,
                date(2022, 3, 24),
                fr="après plus de quatre ans derrière les barreaux",
                en="after more than four years behind bars",
            )
        ],
        "figures": [_fig(W, 500_000, MORE)],
    },
    {
        "slug": "germain-rukuki",
        "fields": {
            "name": "Germain Rukuki",
            "gender": rules.MALE,
            "country": "BI",
            "headline_fr": "Un militant contre la torture, père de trois enfants, enfin auprès des siens",
            "headline_en": "An anti-torture activist and father of three, back with his family at last",
            "charges_fr": "De fausses accusations liées à ses activités pacifiques.",
            "charges_en": "False charges linked to his peaceful work.",
            "sentence_fr": "Trente-deux ans de prison.",
            "sentence_en": "Thirty-two years in prison.",
            "story_fr": (
                "Arrêté en juillet 2017, Germain a été enfermé dans une cellule avec plus de "
                "cent autres personnes, et sa santé s’est gravement dégradée.\n\n"
                "Son plus jeune enfant est né quelques semaines après son arrestation ; sa "
                "famille a dû fuir le pays. Il l’a retrouvée après quatre ans de détention "
                "arbitraire."
            ),
            "story_en": (
                "Arrested in July 2017, Germain was held in a cell with more than a hundred "
                "other people, and his health seriously deteriorated.\n\n"
                "His youngest child was born a few weeks after his arrest; his family had to "
                "flee the country. He was reunited with them after four years of arbitrary "
                "detention."
            ),
            "arrest_date": date(2017, 7, 1),
            "arrest_date_precision": "month",
            "quote_fr": "Cette mobilisation a vraiment un impact positif.",
            "quote_en": "This mobilisation truly makes a positive difference.",
        },
        "events": [
            _ev(
                rules.RELEASED,
                date(2021, 6, 30),
                fr="après quatre ans de détention arbitraire",
                en="after four years of arbitrary detention",
            )
        ],
        "figures": [_fig(W, 436_000, MORE), _fig(F, 50_000)],
    },
    {
        "slug": "phyoe-phyoe-aung",
        "fields": {
            "name": "Phyoe Phyoe Aung",
            "gender": rules.FEMALE,
            "country": "MM",
            "headline_fr": "Une étudiante syndicaliste, libérée avec ses camarades",
            "headline_en": "A student union leader, freed together with her fellow students",
            "charges_fr": (
                "« Manifestation illégale » et « trouble à l’ordre public », après une "
                "manifestation pacifique contre la loi sur l’éducation de 2014. Elle risquait "
                "neuf ans de prison."
            ),
            "charges_en": (
                "“Unlawful assembly” and “disturbing public order”, after a peaceful protest "
                "against the 2014 education law. She faced nine years in prison."
            ),
            "story_fr": (
                "En mars 2015, Phyoe Phyoe Aung a été arrêtée avec plus de cent autres "
                "étudiantes et étudiants qui manifestaient pacifiquement.\n\n"
                "Des lettres du monde entier lui sont parvenues en prison. Après plus d’un an "
                "de détention, les charges ont été abandonnées."
            ),
            "story_en": (
                "In March 2015, Phyoe Phyoe Aung was arrested with more than a hundred other "
                "students who were protesting peacefully.\n\n"
                "Letters from all over the world reached her in prison. After more than a year "
                "in detention, the charges were dropped."
            ),
            "arrest_date": date(2015, 3, 1),
            "arrest_date_precision": "month",
            "quote_fr": "Recevoir des lettres est une réelle source d’inspiration.",
            "quote_en": "Receiving letters is a real source of inspiration.",
        },
        "events": [
            _ev(rules.CHARGES_DROPPED, date(2016, 4, 1), "month"),
            _ev(
                rules.RELEASED,
                date(2016, 4, 1),
                "month",
                fr="après plus d’un an de détention",
                en="after more than a year in detention",
            ),
        ],
        "figures": [
            _fig(W, 394_000, MORE, rules.LETTERS_EMAILS_TWEETS),
            _fig(F, 50_000, MORE),
        ],
    },
    {
        "slug": "ibrahim-ezz-el-din",
        "fields": {
            "name": "Ibrahim Ezz el-Din",
            "gender": rules.MALE,
            "country": "EG",
            "headline_fr": "Un chercheur en droits humains, libre après trois ans de détention arbitraire",
            "headline_en": "A human rights researcher, free after three years of arbitrary detention",
            "charges_fr": (
                "Accusé à tort d'« appartenance à un groupe terroriste ». Il était chercheur à "
                "la Commission égyptienne pour les droits et les libertés."
            ),
            "charges_en": (
                "Falsely accused of “membership of a terrorist group”. He was a researcher at "
                "the Egyptian Commission for Rights and Freedoms."
            ),
            "story_fr": (
                "Arrêté le 11 juin 2019, Ibrahim a disparu pendant 167 jours, durant lesquels "
                "il a été torturé.\n\n"
                "Il a ensuite été détenu dans des conditions inhumaines, privé de soins, "
                "jusqu’à sa libération près de trois ans plus tard."
            ),
            "story_en": (
                "Arrested on June 11, 2019, Ibrahim was forcibly disappeared for 167 days, "
                "during which he was tortured.\n\n"
                "He was then held in inhumane conditions and denied medical care, until his "
                "release nearly three years later."
            ),
            "arrest_date": date(2019, 6, 11),
            "arrest_date_precision": "day",
            "quote_fr": "Vous avez été les rayons de soleil dans l’obscurité totale.",
            "quote_en": "You were the rays of sunshine in total darkness.",
        },
        "events": [
            _ev(
                rules.RELEASED,
                date(2022, 4, 26),
                fr="après près de trois ans derrière les barreaux",
                en="after nearly three years behind bars",
            )
        ],
        "figures": [_fig(W, 390_000, MORE), _fig(F, 55_000, MORE)],
    },
    {
        "slug": "maxima-acuna",
        "fields": {
            "name": "Máxima Acuña",
            "gender": rules.FEMALE,
            "country": "PE",
            "headline_fr": "Une paysanne péruvienne, et une décision historique pour les défenseurs de l’environnement",
            "headline_en": "A Peruvian farmer, and a landmark ruling for environmental defenders",
            "charges_fr": (
                "Poursuivie sans fondement pour occupation illégale de terres, après s’être "
                "opposée à la mine d’or et de cuivre que la société Yanacocha voulait "
                "construire sur ses terres."
            ),
            "charges_en": (
                "Groundlessly prosecuted for illegally occupying land, after she opposed the "
                "gold and copper mine the Yanacocha company wanted to build on her land."
            ),
            "story_fr": (
                "Menaces, intimidations, violences : Máxima et sa famille ont tout subi pour "
                "avoir refusé de céder leur terre. Elle a reçu le prix Goldman pour "
                "l’environnement.\n\n"
                "Après cinq ans de bataille judiciaire, la Cour suprême du Pérou a mis fin "
                "aux poursuites."
            ),
            "story_en": (
                "Threats, intimidation, violence: Máxima and her family endured it all for "
                "refusing to give up their land. She received the Goldman Environmental "
                "Prize.\n\n"
                "After five years of legal battle, Peru’s Supreme Court ended the prosecution."
            ),
            "quote_fr": "Elles me donnent du courage et m’encouragent à continuer à me battre.",
            "quote_en": "They give me courage and encourage me to keep on fighting.",
        },
        "events": [
            _ev(
                rules.CHARGES_DROPPED,
                date(2017, 5, 1),
                "month",
                fr="après cinq ans de bataille judiciaire",
                en="after five years of legal battle",
            )
        ],
        "figures": [_fig(W, 150_000, MORE), _fig(F, 41_000, NEAR)],
    },
    {
        "slug": "taner-kilic",
        "fields": {
            "name": "Taner Kılıç",
            "gender": rules.MALE,
            "country": "TR",
            "headline_fr": "L’ancien président de notre section turque, acquitté après six ans de harcèlement judiciaire",
            "headline_en": "The former chair of our Turkish section, acquitted after six years of judicial harassment",
            "charges_fr": (
                "« Appartenance à une organisation terroriste », dans la répression qui a "
                "frappé la société civile turque après la tentative de coup d’État de "
                "juillet 2016."
            ),
            "charges_en": (
                "“Membership of a terrorist organisation”, in the crackdown on Turkish civil "
                "society after the attempted coup of July 2016."
            ),
            "sentence_fr": "Six ans et trois mois de prison.",
            "sentence_en": "Six years and three months in prison.",
            "story_fr": (
                "Taner a été arrêté chez lui, à l’aube, le 6 juin 2017. Il a passé quatorze "
                "mois en détention provisoire.\n\n"
                "Presque six ans jour pour jour après son arrestation, il a été acquitté."
            ),
            "story_en": (
                "Taner was arrested at home at dawn on June 6, 2017. He spent fourteen months "
                "in pre-trial detention.\n\n"
                "Almost exactly six years after his arrest, he was acquitted."
            ),
            "arrest_date": date(2017, 6, 6),
            "arrest_date_precision": "day",
            "detention_fr": "quatorze mois de détention provisoire",
            "detention_en": "fourteen months of pre-trial detention",
            "quote_fr": "Je remercie chacune des personnes qui ont pris ma défense.",
            "quote_en": "I thank every single person who stood up for me.",
        },
        "events": [_ev(rules.ACQUITTED, date(2023, 1, 1), "year")],
        "figures": [_fig(W, 2_000_000), _fig(F, 85_000)],
    },
]

# Three stories get a drawing that echoes them; the others show the typographic card.
ILLUSTRATIONS = {
    "bernardo-caal-xol": {
        "draw": illustrations.river,
        "photo_alt_fr": "Illustration de démonstration : des bandes bleues ondulent comme une rivière sous un soleil jaune.",
        "photo_alt_en": "Demonstration illustration: blue bands ripple like a river under a yellow sun.",
        "photo_caption_fr": "Une rivière dessinée pour la démonstration du site, en écho au combat de Bernardo Caal Xol pour la rivière Cahabón.",
        "photo_caption_en": "A river drawn for the site’s demonstration, echoing Bernardo Caal Xol’s fight for the Cahabón river.",
    },
    "maxima-acuna": {
        "draw": illustrations.mountain,
        "photo_alt_fr": "Illustration de démonstration : des crêtes de montagne vertes et noires au-dessus d’un champ jaune.",
        "photo_alt_en": "Demonstration illustration: green and black mountain ridges above a yellow field.",
        "photo_caption_fr": "Des montagnes dessinées pour la démonstration du site, en écho à la terre que Máxima Acuña a refusé de céder.",
        "photo_caption_en": "Mountains drawn for the site’s demonstration, echoing the land Máxima Acuña refused to give up.",
    },
    "alexandra-skotchilenko": {
        "draw": illustrations.labels,
        "photo_alt_fr": "Illustration de démonstration : de petites étiquettes blanches éparpillées sur un fond jaune.",
        "photo_alt_en": "Demonstration illustration: small white labels scattered on a yellow background.",
        "photo_caption_fr": "Des étiquettes dessinées pour la démonstration du site, en écho aux messages qu’Alexandra Skotchilenko avait glissés dans un supermarché.",
        "photo_caption_en": "Labels drawn for the site’s demonstration, echoing the notes Alexandra Skotchilenko slipped into a supermarket.",
    },
}


def _ensure_photo(case: Case) -> None:
    """Draw the case’s illustration once; a case without one has no photo at all."""
    art = ILLUSTRATIONS.get(case.slug)
    if art is None:
        if case.photo:
            case.photo.delete(save=False)
            case.photo_alt_fr = case.photo_alt_en = ""
            case.save()
        return
    texts = {k: v for k, v in art.items() if k != "draw"}
    texts["photo_credit"] = illustrations.CREDIT
    changed = [name for name, value in texts.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, texts[name])
    if case.photo and case.photo.storage.exists(case.photo.name) and case.photo_width == 1600:
        if changed:
            case.save(update_fields=[*changed, "updated_at"])
        return
    if case.photo:
        case.photo.delete(save=False)
    case.photo.save(f"{case.slug}.jpg", ContentFile(art["draw"]()), save=True)


def _load_page() -> None:
    page = VictoryPage.objects.first() or VictoryPage()
    changed = page.pk is None
    for name, value in PAGE.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    if (
        not page.hero_image
        or not page.hero_image.storage.exists(page.hero_image.name)
        or page.hero_width != 2000
    ):
        if page.hero_image:
            page.hero_image.delete(save=False)
        page.hero_image.save(
            "victoires-hero.jpg", ContentFile(illustrations.signatures_field()), save=False
        )
        changed = True
    if changed:
        page.full_clean()
        page.save()


def load(*, stdout):
    _, created = demo_staff_user(username="editeur", group_name="Éditeurs")
    if created:
        stdout.write(
            f"Compte de démonstration : editeur / editeur{DEMO_PASSWORD_SUFFIX} (victoires)"
        )
    _load_page()
    for data in CASES:
        fields = {
            "legal_name": "",
            "charges_fr": "",
            "charges_en": "",
            "sentence_fr": "",
            "sentence_en": "",
            "arrest_date": None,
            "arrest_date_precision": "day",
            "is_published": True,
            "published_at": PUBLISHED_AT,
            **data["fields"],
        }
        case = case_upsert(
            slug=data["slug"], fields=fields, events=data["events"], figures=data["figures"]
        )
        _ensure_photo(case)
    stdout.write(f"Victoires : {len(CASES)} victoires de démonstration.")

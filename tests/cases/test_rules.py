"""The sentences the victories page writes, with the exact expected text (U+00A0 in French)."""

from datetime import date

import pytest

from cases import rules
from cases.rules import Event, Figure

NB = "\u00a0"
W, F = rules.WORLD, rules.FRANCE


def test_slug_transliterates_turkish_letters_like_the_admin_prefill():
    assert rules.slug_from_name("Taner Kılıç") == "taner-kilic"


def test_slug_transliterates_spanish_and_keeps_hyphens():
    assert rules.slug_from_name("Máxima Acuña") == "maxima-acuna"
    assert rules.slug_from_name("Ibrahim Ezz el-Din") == "ibrahim-ezz-el-din"


def test_slug_never_takes_a_reserved_path():
    assert rules.slug_from_name("Flux") == "flux-1"


@pytest.mark.parametrize(
    ("gender", "expected"),
    [(rules.FEMALE, "libérée"), (rules.MALE, "libéré"), (rules.UNSPECIFIED, "libéré·e")],
)
def test_outcome_word_agrees_with_the_gender_in_french(gender, expected):
    assert rules.outcome_word(rules.RELEASED, gender, "fr") == expected


def test_outcome_word_has_no_agreement_in_english():
    assert rules.outcome_word(rules.PARDONED, rules.FEMALE, "en") == "pardoned"


def test_death_sentence_annulled_agrees_with_the_sentence_not_the_person():
    assert rules.outcome_word(rules.DEATH_SENTENCE_ANNULLED, rules.MALE) == "peine de mort annulée"


# --- Alexandra Skotchilenko: world "plus de" and an exact France figure ----------------

SKOTCHILENKO = [Figure(W, 594_400, rules.MORE_THAN), Figure(F, 115_100)]


def test_skotchilenko_mobilisation_in_french():
    assert rules.mobilisation_sentence(SKOTCHILENKO, "fr") == (
        f"Plus de 594{NB}400 personnes à travers le monde, dont 115{NB}100 en France, "
        "ont signé la pétition."
    )


def test_skotchilenko_mobilisation_in_english():
    assert rules.mobilisation_sentence(SKOTCHILENKO, "en") == (
        "More than 594,400 people around the world, including 115,100 in France, "
        "signed the petition."
    )


def test_skotchilenko_pardoned_and_released_the_same_day():
    events = [Event(rules.RELEASED, date(2024, 8, 1)), Event(rules.PARDONED, date(2024, 8, 1))]
    [group] = rules.outcome_groups(events)
    assert (
        rules.outcome_sentence(group, rules.FEMALE, "fr") == "Graciée et libérée le 1er août 2024."
    )
    assert rules.outcome_sentence(group, rules.FEMALE, "en") == (
        "Pardoned and released on August 1, 2024."
    )


# --- Phyoe Phyoe Aung: letters, emails and tweets beside signatures --------------------

PHYOE = [
    Figure(W, 394_000, rules.MORE_THAN, rules.LETTERS_EMAILS_TWEETS),
    Figure(F, 50_000, rules.MORE_THAN),
]


def test_phyoe_phyoe_aung_letters_are_not_signatures_in_french():
    assert rules.mobilisation_sentence(PHYOE, "fr") == (
        f"Plus de 394{NB}000 lettres, courriels et tweets ont été envoyés à travers le monde, "
        f"et plus de 50{NB}000 personnes ont signé la pétition en France."
    )


def test_phyoe_phyoe_aung_letters_are_not_signatures_in_english():
    assert rules.mobilisation_sentence(PHYOE, "en") == (
        "More than 394,000 letters, emails and tweets were sent around the world, "
        "and more than 50,000 people signed the petition in France."
    )


def test_phyoe_phyoe_aung_released_agrees_with_her_and_the_charges_have_their_own_clause():
    events = [
        Event(rules.RELEASED, date(2016, 4, 1), "month", detail="après plus d’un an de détention"),
        Event(rules.CHARGES_DROPPED, date(2016, 4, 1), "month"),
    ]
    [group] = rules.outcome_groups(events)
    assert rules.outcome_sentence(group, rules.FEMALE, "fr") == (
        "Libérée en avril 2016, après plus d’un an de détention : les charges ont été abandonnées."
    )
    assert rules.outcome_sentence(group, rules.FEMALE, "en") == (
        "Released in April 2016, après plus d’un an de détention: the charges were dropped."
    )
    assert rules.outcome_headline(group, rules.FEMALE, "fr") == "Libérée"
    assert rules.outcome_headline(group[:1], rules.FEMALE, "fr") == "Charges abandonnées"


def test_every_country_django_countries_lists_has_its_french_place_phrase():
    from django_countries import countries

    from cases.places import FRENCH_PLACE

    codes = {country.code for country in countries}
    assert codes - set(FRENCH_PLACE) == set()
    for code in codes:
        phrase = FRENCH_PLACE[code]
        assert phrase.split(" ")[0] in {"en", "au", "aux", "à", "dans", "sur"}, phrase
        assert "'" not in phrase, phrase  # curly apostrophes only


@pytest.mark.parametrize(
    ("code", "phrase"),
    [
        ("YE", "au Yémen"),
        ("CD", "en République démocratique du Congo"),
        ("IL", "en Israël"),
        ("NL", "aux Pays-Bas"),
        ("US", "aux États-Unis"),
        ("MX", "au Mexique"),
        ("CU", "à Cuba"),
        ("IR", "en Iran"),
        ("CI", "en Côte d’Ivoire"),
    ],
)
def test_a_figure_counted_in_a_country_is_placed_the_french_way(code, phrase):
    from django_countries import countries

    figure = Figure(rules.COUNTRY, 1_000, country_code=code, country_name=countries.name(code))
    assert rules.place_phrase(figure, "fr") == phrase


def test_no_country_name_has_a_straight_apostrophe_in_either_language():
    from django.utils import translation
    from django_countries import countries

    for language in ("fr", "en"):
        with translation.override(language):
            assert [c.name for c in countries if "'" in c.name] == [], language
    with translation.override("en"):
        assert countries.name("US") == "United States"


def test_every_country_django_countries_lists_has_its_english_place_phrase():
    from django_countries import countries

    from cases.places import ENGLISH_PLACE

    codes = {country.code for country in countries}
    assert codes - set(ENGLISH_PLACE) == set()
    for code in codes:
        phrase = ENGLISH_PLACE[code]
        assert phrase.split(" ")[0] in {"in", "on"}, phrase
        assert "(" not in phrase and "'" not in phrase, phrase  # no formal "Bahamas (The)"


@pytest.mark.parametrize(
    ("code", "phrase"),
    [
        ("TR", "in Turkey"),
        ("NL", "in the Netherlands"),
        ("US", "in the United States"),
        ("GB", "in the United Kingdom"),
        ("BS", "in the Bahamas"),
        ("GM", "in the Gambia"),
        ("CD", "in the Democratic Republic of the Congo"),
        ("PH", "in the Philippines"),
        ("IM", "on the Isle of Man"),
        ("YE", "in Yemen"),
        ("CI", "in Côte d’Ivoire"),
    ],
)
def test_a_figure_counted_in_a_country_is_placed_the_english_way(code, phrase):
    from django.utils import translation
    from django_countries import countries

    with translation.override("en"):
        figure = Figure(rules.COUNTRY, 1_000, country_code=code, country_name=countries.name(code))
    assert rules.place_phrase(figure, "en") == phrase


# --- Máxima Acuña: "près de" -----------------------------------------------------------

ACUNA = [Figure(W, 150_000, rules.MORE_THAN), Figure(F, 41_000, rules.NEARLY)]


def test_maxima_acuna_nearly_in_french():
    assert rules.mobilisation_sentence(ACUNA, "fr") == (
        f"Plus de 150{NB}000 personnes à travers le monde, dont près de 41{NB}000 en France, "
        "ont signé la pétition."
    )


def test_maxima_acuna_nearly_in_english():
    assert rules.mobilisation_sentence(ACUNA, "en") == (
        "More than 150,000 people around the world, including nearly 41,000 in France, "
        "signed the petition."
    )


# --- Bernardo Caal Xol: a world figure only --------------------------------------------


def test_bernardo_caal_xol_world_figure_only_in_french():
    figures = [Figure(W, 500_000, rules.MORE_THAN)]
    assert rules.mobilisation_sentence(figures, "fr") == (
        f"Plus de 500{NB}000 personnes à travers le monde ont signé la pétition."
    )


def test_bernardo_caal_xol_world_figure_only_in_english():
    figures = [Figure(W, 500_000, rules.MORE_THAN)]
    assert rules.mobilisation_sentence(figures, "en") == (
        "More than 500,000 people around the world signed the petition."
    )


# --- Taner Kılıç: a date known to the year ---------------------------------------------


def test_taner_kilic_acquitted_in_a_year_in_french():
    event = Event(rules.ACQUITTED, date(2023, 1, 1), "year")
    assert rules.outcome_sentence([event], rules.MALE, "fr") == "Acquitté en 2023."


def test_taner_kilic_acquitted_in_a_year_in_english():
    event = Event(rules.ACQUITTED, date(2023, 1, 1), "year")
    assert rules.outcome_sentence([event], rules.MALE, "en") == "Acquitted in 2023."


# --- Magai Matiop Ngong: two events, the latest first ----------------------------------

MAGAI = [
    Event(rules.DEATH_SENTENCE_ANNULLED, date(2020, 4, 14)),
    Event(
        rules.RELEASED,
        date(2022, 4, 4),
        detail="après plus de quatre ans de prison",
    ),
]


def test_magai_matiop_ngong_two_events_latest_first_in_french():
    sentences = [rules.outcome_sentence(g, rules.MALE, "fr") for g in rules.outcome_groups(MAGAI)]
    assert sentences == [
        "Libéré le 4 avril 2022, après plus de quatre ans de prison.",
        "Peine de mort annulée le 14 avril 2020.",
    ]


def test_magai_matiop_ngong_two_events_latest_first_in_english():
    events = [MAGAI[0], Event(rules.RELEASED, date(2022, 4, 4))]
    sentences = [rules.outcome_sentence(g, rules.MALE, "en") for g in rules.outcome_groups(events)]
    assert sentences == ["Released on April 4, 2022.", "Death sentence annulled on April 14, 2020."]


# --- More rules --------------------------------------------------------------------------


def test_unspecified_gender_writes_the_inclusive_form():
    event = Event(rules.RELEASED, date(2021, 6, 30))
    assert rules.outcome_sentence([event], rules.UNSPECIFIED, "fr") == "Libéré·e le 30 juin 2021."


def test_another_country_takes_its_french_preposition():
    figures = [
        Figure(W, 10_000),
        Figure(F, 2_000),
        Figure(rules.COUNTRY, 1_000, country_code="CA", country_name="Canada"),
    ]
    assert rules.mobilisation_sentence(figures, "fr") == (
        f"10{NB}000 personnes à travers le monde, dont 2{NB}000 en France et 1{NB}000 au "
        "Canada, ont signé la pétition."
    )


def test_a_country_count_above_the_world_count_of_its_unit_is_detected():
    assert rules.figures_exceed_world([Figure(W, 100), Figure(F, 101)])
    assert not rules.figures_exceed_world(
        [Figure(W, 100, unit=rules.LETTERS_EMAILS_TWEETS), Figure(F, 101)]
    )


def test_totals_say_plus_de_when_a_term_is_a_lower_bound():
    assert (
        rules.totals_sentence(
            people=9, countries=9, signatures=5_385_900, lower_bound=True, language="fr"
        )
        == f"9 personnes dans 9 pays, grâce à plus de 5{NB}385{NB}900 signatures."
    )
    assert (
        rules.totals_sentence(
            people=2, countries=1, signatures=1_500, lower_bound=False, language="en"
        )
        == "2 people in 1 country, thanks to 1,500 signatures."
    )


def test_two_figures_for_the_same_place_and_unit_are_detected():
    world = rules.Figure(scope="world", count=10)
    france = rules.Figure(scope="france", count=5)
    assert not rules.figures_repeated([world, france])
    assert not rules.figures_repeated(
        [world, rules.Figure(scope="world", count=3, unit="messages")]
    )
    assert rules.figures_repeated([world, rules.Figure(scope="world", count=3)])
    assert rules.figures_repeated(
        [france, rules.Figure(scope="country", count=3, country_code="FR")]
    )


def test_totals_say_nothing_when_no_victory_is_published():
    assert rules.totals_sentence(people=0, countries=0, signatures=0, lower_bound=False) == ""


def test_neth_nahara_pardoned_then_released_on_a_date_nobody_published():
    events = [Event(rules.PARDONED, date(2024, 12, 25)), Event(rules.RELEASED, None)]
    [group] = rules.outcome_groups(events)
    assert rules.outcome_sentence(group, rules.FEMALE, "fr") == (
        "Graciée le 25 décembre 2024, puis libérée."
    )
    assert rules.outcome_sentence(group, rules.FEMALE, "en") == (
        "Pardoned on December 25, 2024, then released."
    )
    assert rules.outcome_headline(group, rules.FEMALE, "fr") == "Graciée et libérée"


@pytest.mark.parametrize(
    ("figures", "language", "expected"),
    [
        (
            [
                Figure(scope="france", count=115_100),
                Figure(scope="world", count=594_400, qualifier="more_than"),
            ],
            "fr",
            ("plus de 594\u00a0400", "signatures à travers le monde"),
        ),
        (
            [Figure(scope="world", count=594_400, qualifier="more_than")],
            "en",
            ("more than 594,400", "signatures around the world"),
        ),
        (
            [
                Figure(scope="world", count=2_000_000, unit="letters_emails_tweets"),
                Figure(scope="world", count=41_000, qualifier="nearly"),
            ],
            "fr",
            ("près de 41\u00a0000", "signatures à travers le monde"),
        ),
        (
            [Figure(scope="france", count=85_000)],
            "fr",
            ("85\u00a0000", "signatures en France"),
        ),
        (
            [Figure(scope="world", count=1, unit="messages")],
            "fr",
            ("1", "message de soutien à travers le monde"),
        ),
        ([], "fr", ("", "")),
    ],
)
def test_the_share_card_shows_the_world_signatures_first(figures, language, expected):
    assert rules.card_figure(figures, language) == expected

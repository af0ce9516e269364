"""Pure rules of the victories: slugs, French agreement, outcome and mobilisation sentences.

No database access here: every function takes plain values and returns text, so each rule
is tested directly with the exact expected words.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.text import slugify
from text_unidecode import unidecode

from cases.places import ENGLISH_PLACE, FRENCH_PLACE
from core.formats import format_date, format_int, is_plural

# --- Slugs -------------------------------------------------------------------------

RESERVED_SLUGS = {"flux", "feed", "apercu", "preview"}


def slug_from_name(name: str, max_length: int = 80) -> str:
    """'Taner Kılıç' -> 'taner-kilic': transliterated, as the admin's prefill writes it."""
    slug = slugify(unidecode(name or ""))[:max_length].strip("-")
    if slug in RESERVED_SLUGS:
        slug = f"{slug}-1"
    return slug


# --- Kinds, genders, scopes ----------------------------------------------------------

FEMALE, MALE, UNSPECIFIED = "female", "male", "unspecified"

RELEASED = "released"
PARDONED = "pardoned"
ACQUITTED = "acquitted"
DEATH_SENTENCE_ANNULLED = "death_sentence_annulled"
CHARGES_DROPPED = "charges_dropped"
OTHER = "other"

# Order in which several events of the same date are written ("graciée et libérée").
KIND_ORDER = [DEATH_SENTENCE_ANNULLED, CHARGES_DROPPED, ACQUITTED, PARDONED, RELEASED, OTHER]

# French participles by gender: female, male, unspecified (inclusive middle dot).
_FR_KIND = {
    RELEASED: ("libérée", "libéré", "libéré·e"),
    PARDONED: ("graciée", "gracié", "gracié·e"),
    ACQUITTED: ("acquittée", "acquitté", "acquitté·e"),
    DEATH_SENTENCE_ANNULLED: ("peine de mort annulée",) * 3,
    CHARGES_DROPPED: ("charges abandonnées",) * 3,
}
_EN_KIND = {
    RELEASED: "released",
    PARDONED: "pardoned",
    ACQUITTED: "acquitted",
    DEATH_SENTENCE_ANNULLED: "death sentence annulled",
    CHARGES_DROPPED: "charges dropped",
}
_GENDER_INDEX = {FEMALE: 0, MALE: 1, UNSPECIFIED: 2}


def _is_en(language: str | None) -> bool:
    return (language or "fr").lower().startswith("en")


def outcome_word(
    kind: str, gender: str = UNSPECIFIED, language: str = "fr", label: str = ""
) -> str:
    """The outcome in lower case, agreed in French: 'libérée', 'libéré', 'libéré·e'.

    ``label`` is the editor's own words for the kind "other".
    """
    if kind == OTHER or kind not in _EN_KIND:
        return (label or "").strip()
    if _is_en(language):
        return _EN_KIND[kind]
    return _FR_KIND[kind][_GENDER_INDEX.get(gender, 2)]


def date_phrase(value: date, precision: str = "day", language: str = "fr") -> str:
    """'le 1er août 2024', 'en avril 2016', 'en 2023'; 'on August 1, 2024', 'in 2023'."""
    written = format_date(value, precision, "en" if _is_en(language) else "fr")
    if _is_en(language):
        return ("on " if precision == "day" else "in ") + written
    return ("le " if precision == "day" else "en ") + written


def _join(words: list[str], language: str) -> str:
    conj = " and " if _is_en(language) else " et "
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + conj + words[-1]


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Event:
    kind: str
    date: date
    date_precision: str = "day"
    label: str = ""
    detail: str = ""


def _kind_rank(event) -> int:
    return KIND_ORDER.index(event.kind) if event.kind in KIND_ORDER else 99


def outcome_groups(events: Iterable) -> list[list]:
    """Events grouped by date, the latest date first; inside a date in KIND_ORDER.

    An event whose date is not known (« puis libérée ») joins the latest dated group, after
    its dated events; alone, it makes a group of its own.
    """
    by_date: dict[date, list] = {}
    undated = []
    for event in events:
        if event.date is None:
            undated.append(event)
        else:
            by_date.setdefault(event.date, []).append(event)
    groups = []
    for day in sorted(by_date, reverse=True):
        groups.append(sorted(by_date[day], key=_kind_rank))
    undated.sort(key=_kind_rank)
    if groups:
        groups[0].extend(undated)
    elif undated:
        groups.append(undated)
    return groups


# Outcomes that are things done to the case, not to the person: they do not agree with
# the person, so they are never joined to a participle (« Charges abandonnées et libérée »).
_NOUN_KINDS = (CHARGES_DROPPED, DEATH_SENTENCE_ANNULLED)
_CLAUSES = {
    "fr": {
        CHARGES_DROPPED: "les charges ont été abandonnées",
        DEATH_SENTENCE_ANNULLED: "la peine de mort a été annulée",
    },
    "en": {
        CHARGES_DROPPED: "the charges were dropped",
        DEATH_SENTENCE_ANNULLED: "the death sentence was annulled",
    },
}


def _split_kinds(events: list) -> tuple[list, list]:
    persons = [e for e in events if e.kind not in _NOUN_KINDS]
    things = [e for e in events if e.kind in _NOUN_KINDS]
    return persons, things


def outcome_headline(events: Iterable, gender: str = UNSPECIFIED, language: str = "fr") -> str:
    """One date's events as the large word of a card: 'Graciée et libérée', 'Acquitté'.

    What happened to the person comes first; « Charges abandonnées » only when it stands alone.
    """
    persons, things = _split_kinds(list(events))
    shown = persons or things
    words = [outcome_word(e.kind, gender, language, getattr(e, "label", "")) for e in shown]
    return _capitalise(_join([w for w in words if w], language))


def outcome_sentence(
    events: Iterable, gender: str = UNSPECIFIED, language: str = "fr", with_detail: bool = True
) -> str:
    """One date's events as a sentence: 'Graciée et libérée le 1er août 2024.'

    The detail of the last event follows after a comma ('…, après quatre ans de détention.').
    When charges were dropped (or a death sentence annulled) on the date the person was
    freed, the participles agree with the person and the rest is its own clause:
    'Libérée en avril 2016, après plus d'un an de détention : les charges ont été abandonnées.'
    """
    events = list(events)
    if not events:
        return ""
    persons, things = _split_kinds(events)
    main = [e for e in persons or things if e.date is not None]
    later = [e for e in persons or things if e.date is None]
    if main:
        words = [outcome_word(e.kind, gender, language, getattr(e, "label", "")) for e in main]
        first = main[0]
        text = (
            _capitalise(_join([w for w in words if w], language))
            + " "
            + date_phrase(first.date, first.date_precision, language)
        )
        if later:
            words = [outcome_word(e.kind, gender, language, getattr(e, "label", "")) for e in later]
            text += (", then " if _is_en(language) else ", puis ") + _join(words, language)
    else:
        words = [outcome_word(e.kind, gender, language, getattr(e, "label", "")) for e in later]
        text = _capitalise(_join([w for w in words if w], language))
    details = [e.detail for e in events if with_detail and getattr(e, "detail", "")]
    if details:
        text += ", " + details[-1].strip().rstrip(".")
    if persons and things:
        clauses = _CLAUSES["en" if _is_en(language) else "fr"]
        text += " : " if not _is_en(language) else ": "
        text += _join([clauses[e.kind] for e in things], language)
    return text + "."


# --- Mobilisation ------------------------------------------------------------------

WORLD, FRANCE, COUNTRY = "world", "france", "country"
EXACT, MORE_THAN, NEARLY = "exact", "more_than", "nearly"
SIGNATURES = "signatures"
LETTERS_EMAILS_TWEETS = "letters_emails_tweets"
MESSAGES = "messages"

_UNIT_WORDS = {
    "fr": {LETTERS_EMAILS_TWEETS: "lettres, courriels et tweets", MESSAGES: "messages de soutien"},
    "en": {LETTERS_EMAILS_TWEETS: "letters, emails and tweets", MESSAGES: "messages of support"},
}


@dataclass(frozen=True)
class Figure:
    scope: str
    count: int
    qualifier: str = EXACT
    unit: str = SIGNATURES
    country_code: str = ""
    country_name: str = ""


def quantity(count: int, qualifier: str, language: str = "fr") -> str:
    """'plus de 594 400', 'près de 41 000', '115 100' (no-break spaces in French)."""
    en = _is_en(language)
    number = format_int(count, "en" if en else "fr")
    if qualifier == MORE_THAN:
        return ("more than " if en else "plus de ") + number
    if qualifier == NEARLY:
        return ("nearly " if en else "près de ") + number
    return number


def place_phrase(figure: Figure, language: str = "fr") -> str:
    """Where a figure was counted: 'à travers le monde', 'en France', 'au Yémen'."""
    en = _is_en(language)
    if figure.scope == WORLD:
        return "around the world" if en else "à travers le monde"
    if figure.scope == FRANCE or figure.country_code == "FR":
        return "in France" if en else "en France"
    return country_place(figure.country_code, figure.country_name, language)


def country_place(code: str, name: str = "", language: str = "fr") -> str:
    """« au Yémen », « in the Netherlands »: the table's phrase for a code."""
    en = _is_en(language)
    phrase = (ENGLISH_PLACE if en else FRENCH_PLACE).get((code or "").upper())
    if phrase:
        return phrase
    # A code the tables do not know yet (a test keeps them full).
    return f"{'in' if en else 'en'} {name or code}"


def _people(count: int, language: str) -> str:
    if _is_en(language):
        return "person" if count == 1 else "people"
    return "personne" if count <= 1 else "personnes"  # French: « 0 personne », « 1 personne »


def _signature_clause(figures: list[Figure], language: str) -> str:
    en = _is_en(language)
    world = next((f for f in figures if f.scope == WORLD), None)
    others = [f for f in figures if f.scope != WORLD]
    others.sort(key=lambda f: 0 if (f.scope == FRANCE or f.country_code == "FR") else 1)
    parts = [
        f"{quantity(f.count, f.qualifier, language)} {place_phrase(f, language)}" for f in others
    ]
    signed = "signed the petition" if en else "ont signé la pétition"
    if world is None:
        head = others[0]
        verb = signed if head.count > 1 or en else "a signé la pétition"
        tail = _join(parts[1:], language)
        text = f"{quantity(head.count, head.qualifier, language)} {_people(head.count, language)} {verb} {place_phrase(head, language)}"
        if tail:
            text += (", and " if en else ", et ") + tail
        return text
    text = (
        f"{quantity(world.count, world.qualifier, language)} {_people(world.count, language)} "
        f"{place_phrase(world, language)}"
    )
    if parts:
        text += (", including " if en else ", dont ") + _join(parts, language) + ","
    return f"{text} {signed}"


def _other_unit_clause(figures: list[Figure], unit: str, language: str) -> str:
    en = _is_en(language)
    words = _UNIT_WORDS["en" if en else "fr"][unit]
    verb = "were sent" if en else "ont été envoyés"
    world = next((f for f in figures if f.scope == WORLD), None)
    others = [f for f in figures if f.scope != WORLD]
    head = world or others[0]
    rest = [f for f in others if f is not head]
    text = f"{quantity(head.count, head.qualifier, language)} {words} {verb} {place_phrase(head, language)}"
    if rest:
        parts = [
            f"{quantity(f.count, f.qualifier, language)} {place_phrase(f, language)}" for f in rest
        ]
        text += (", including " if en else ", dont ") + _join(parts, language)
    return text


def mobilisation_sentence(figures: Iterable[Figure], language: str = "fr") -> str:
    """The mobilisation as a person writes it.

    'Plus de 594 400 personnes à travers le monde, dont 115 100 en France, ont signé la
    pétition.' Figures in other units than signatures make their own clause, world first.
    """
    figures = [f for f in figures if f.count and f.count > 0]
    if not figures:
        return ""
    by_unit: dict[str, list[Figure]] = {}
    for figure in figures:
        by_unit.setdefault(figure.unit, []).append(figure)
    clauses = []
    for unit, group in by_unit.items():
        has_world = any(f.scope == WORLD for f in group)
        clause = (
            _signature_clause(group, language)
            if unit == SIGNATURES
            else _other_unit_clause(group, unit, language)
        )
        clauses.append((0 if has_world else 1, clause))
    clauses.sort(key=lambda item: item[0])
    joiner = ", and " if _is_en(language) else ", et "
    return _capitalise(joiner.join(c for _, c in clauses)) + "."


def figures_repeated(figures: Iterable[Figure]) -> bool:
    """True when two figures count the same place in the same unit (the sentence keeps one)."""
    seen = set()
    for figure in figures:
        code = "FR" if figure.scope == FRANCE else figure.country_code
        place = (WORLD, "") if figure.scope == WORLD else (COUNTRY, code)
        if (place, figure.unit) in seen:
            return True
        seen.add((place, figure.unit))
    return False


def figures_exceed_world(figures: Iterable[Figure]) -> bool:
    """True when a country's count is above the world count of the same unit."""
    figures = list(figures)
    for unit in {f.unit for f in figures}:
        world = [f.count for f in figures if f.unit == unit and f.scope == WORLD]
        if world and any(
            f.count > world[0] for f in figures if f.unit == unit and f.scope != WORLD
        ):
            return True
    return False


# --- Totals --------------------------------------------------------------------------


def totals_sentence(
    *, people: int, countries: int, signatures: int, lower_bound: bool, language: str = "fr"
) -> str:
    """'9 personnes dans 9 pays, grâce à plus de 5 385 900 signatures.' ('' with no one)."""
    if not people:
        return ""
    en = _is_en(language)
    qualifier = MORE_THAN if lower_bound else EXACT
    n_people = format_int(people, "en" if en else "fr")
    n_countries = format_int(countries, "en" if en else "fr")
    if en:
        text = f"{n_people} {_people(people, language)} in {n_countries} {'country' if countries == 1 else 'countries'}"
        if signatures:
            text += f", thanks to {quantity(signatures, qualifier, language)} signatures"
        return text + "."
    text = f"{n_people} {_people(people, language)} dans {n_countries} pays"
    if signatures:
        text += f", grâce à {quantity(signatures, qualifier, language)} signatures"
    return text + "."


# --- Sharing -------------------------------------------------------------------------


_UNIT_NOUNS = {
    "fr": {
        SIGNATURES: ("signature", "signatures"),
        LETTERS_EMAILS_TWEETS: ("lettre, courriel ou tweet", "lettres, courriels et tweets"),
        MESSAGES: ("message de soutien", "messages de soutien"),
    },
    "en": {
        SIGNATURES: ("signature", "signatures"),
        LETTERS_EMAILS_TWEETS: ("letter, email or tweet", "letters, emails and tweets"),
        MESSAGES: ("message of support", "messages of support"),
    },
}


def card_figure(figures: Iterable[Figure], language: str = "fr") -> tuple[str, str]:
    """The share card's figure: the world signatures (or the world figure of another unit,
    or else the largest), as ('plus de 594 400', 'signatures à travers le monde');
    ('', '') without any."""
    figures = [f for f in figures if f.count and f.count > 0]
    if not figures:
        return "", ""

    def rank(figure):
        return (figure.scope != WORLD, figure.unit != SIGNATURES, -figure.count)

    figure = min(figures, key=rank)
    en = _is_en(language)
    singular, plural = _UNIT_NOUNS["en" if en else "fr"][figure.unit]
    noun = plural if is_plural(figure.count, "en" if en else "fr") else singular
    return quantity(
        figure.count, figure.qualifier, language
    ), f"{noun} {place_phrase(figure, language)}"


def share_links(url: str, text: str, name: str) -> list[tuple[str, str]]:
    """Plain links that open each service's own share page: no script of theirs on ours."""
    from urllib.parse import quote, urlencode

    message = f"{name} : {text}" if text else name
    return [
        (
            "E-mail",
            "mailto:?" + urlencode({"subject": name, "body": f"{message}\n{url}"}, quote_via=quote),
        ),
        ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": f"{message} {url}"})),
        ("Mastodon", "https://mastodonshare.com/?" + urlencode({"text": message, "url": url})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{message} {url}"})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
    ]

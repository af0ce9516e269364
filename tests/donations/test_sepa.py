"""The SEPA rules (donations.sepa): IBAN, BIC, RUM, ICS, countries, characters."""

import pytest

from donations import sepa


def test_a_new_mandate_reference_fits_the_sepa_rules():
    rum = sepa.rum_new(pk=42)
    assert sepa.rum_is_valid(rum)
    assert len(rum) <= 35
    assert rum.startswith("DON-00000042-")


def test_two_mandate_references_for_the_same_id_differ():
    assert len({sepa.rum_new(pk=7) for _ in range(50)}) == 50


@pytest.mark.parametrize(
    ("rum", "valid"),
    [
        ("DON-00000042-ABCD1234", True),
        ("a/b-c?d:e(f).g,h'i+j", True),
        ("DON 42", False),
        ("DON_42", False),
        ("DON-é", False),
        ("", False),
        ("X" * 35, True),
        ("X" * 36, False),
    ],
)
def test_a_mandate_reference_uses_only_the_allowed_characters(rum, valid):
    assert sepa.rum_is_valid(rum) is valid


def test_an_iban_is_masked_but_for_its_country_check_digits_and_last_three():
    assert sepa.iban_mask("FR7630006000011234567890189") == "FR76 **** **** **** **** **** 189"
    assert sepa.iban_mask("fr76 3000 6000 0112 3456 7890 189") == (
        "FR76 **** **** **** **** **** 189"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("FR7630006000011234567890189", "FR7630006000011234567890189"),
        ("DE89370400440532013000", "DE89370400440532013000"),
        ("fr76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
        (" de89 3704 0044 0532 0130 00 ", "DE89370400440532013000"),
        ("CH9300762011623852957", "CH9300762011623852957"),
    ],
)
def test_valid_sepa_ibans_are_accepted_in_any_case_and_spacing(raw, expected):
    assert sepa.iban_check(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("FR7630006000011234567890188", "checksum"),
        ("DE88370400440532013000", "checksum"),
        ("FR763000600001123456789018", "length"),
        ("DE8937040044053201300012", "length"),
        ("US64SVBKUS6S3300958879", "outside_sepa"),
        ("BR1800360305000010009795493C1", "outside_sepa"),
        # New Caledonia and French Polynesia are outside SEPA, under their own code...
        ("NC8430006000011234567890189", "outside_sepa"),
        ("PF5730006000011234567890189", "outside_sepa"),
        # ...and under FR with a bank of Nouméa (Banque calédonienne d'investissement).
        ("FR7617499000011234567890140", "outside_sepa"),
        ("not an iban", "format"),
        ("", "format"),
    ],
)
def test_invalid_or_non_sepa_ibans_are_refused_with_a_reason(raw, code):
    with pytest.raises(sepa.IBANProblem) as problem:
        sepa.iban_check(raw)
    assert problem.value.code == code


def test_the_bic_is_required_only_outside_the_eea():
    assert sepa.bic_required("CH9300762011623852957")
    assert sepa.bic_required("GB29NWBK60161331926819")
    assert not sepa.bic_required("FR7630006000011234567890189")
    assert not sepa.bic_required("DE89370400440532013000")


def test_a_bic_has_8_or_11_characters():
    assert sepa.bic_check("pofi chbe xxx") == "POFICHBEXXX"
    assert sepa.bic_check("POFICHBE") == "POFICHBE"
    with pytest.raises(sepa.IBANProblem):
        sepa.bic_check("POFICH")


@pytest.mark.parametrize(
    ("ics", "valid"),
    [
        ("FR72ZZZ123456", True),
        ("FR53ZZZ999999", True),
        ("FR33ZZZ8A1B2C", True),  # a national part with letters
        ("FR34ZZZ8A1B2C", False),  # wrong check digits
        ("FR73ZZZ123456", False),
        ("DE98ZZZ09999999999", False),  # a valid German one: not French
        ("DE72ZZZ123456", False),
        ("FR72ZZZ12345", False),  # 12 characters
        ("FR72ZZZ1234567", False),  # 14 characters
        ("fr72zzz123456", False),  # written as it must be: capitals
        ("FR72 ZZZ 123456", False),
        ("", False),
        (None, False),
    ],
)
def test_the_creditor_identifier_is_checked(ics, valid):
    assert sepa.ics_is_valid(ics) is valid


def test_the_sepa_list_has_41_countries_30_in_the_eea():
    assert len(sepa.SEPA_COUNTRIES) == 41
    assert sum(area == sepa.EEA for area in sepa.SEPA_COUNTRIES.values()) == 30
    assert {"AL", "ME", "MD", "MK", "RS"} <= sepa.SEPA_NON_EEA
    assert not sepa.SEPA_EEA & sepa.SEPA_NON_EEA


# The examples of each new member's IBAN format (SWIFT IBAN registry), and a BIC of one of
# its banks.
NEW_MEMBERS = [
    ("AL47 2121 1009 0000 0002 3569 8741", "NCBAALTX"),
    ("ME25 5050 0001 2345 6789 51", "CKBCMEPG"),
    ("MD24 AG00 0225 1000 1310 4168", "AGRNMD2X"),
    ("MK07 2501 2000 0058 984", "KOBSMK2X"),
    ("RS35 2600 0560 1001 6113 79", "AIKBRS22"),
]


@pytest.mark.parametrize(("raw", "bic"), NEW_MEMBERS)
def test_an_iban_of_each_new_member_is_accepted_and_needs_its_bic(raw, bic):
    iban = sepa.iban_check(raw)
    assert iban == raw.replace(" ", "")
    assert sepa.bic_required(iban)
    assert sepa.bic_check(bic) == bic
    assert sepa.recent_member(iban) is not None


def test_an_old_member_is_not_a_recent_one():
    assert sepa.recent_member("FR7630006000011234567890189") is None
    assert sepa.recent_member("CH9300762011623852957") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kılıç & Fils – N’Diaye", "Kilic + Fils - N'Diaye"),
        ("Łukasz Dvořák", "Lukasz Dvorak"),
        ("Straße 5", "Strasse 5"),
        ("Zoé  Lefèvre\n", "Zoe Lefevre"),
        ("« Don » mensuel", "' Don ' mensuel"),
        ("50 % * 3 = 1€", "50 . . 3 . 1EUR"),
        ("DON-00000042-ABCD1234", "DON-00000042-ABCD1234"),
    ],
)
def test_bank_bound_text_maps_to_the_epc_latin_characters(text, expected):
    converted = sepa.sepa_text(text)
    assert converted == expected
    assert all(sepa.SEPA_CHARACTERS.fullmatch(char) for char in converted)


def test_bank_bound_text_is_cut_to_its_field():
    assert sepa.sepa_text("Å" * 80, max_length=70) == "A" * 70

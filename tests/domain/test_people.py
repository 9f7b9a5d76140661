"""People: field rules, names, and when a membership counts."""

from __future__ import annotations

import datetime as dt

import pytest

from perr_desktop import i18n, paths
from perr_desktop.domain.people import (
    check_membership_dates,
    display_name,
    formal_name,
    gender_label,
    is_active,
    validate_membership,
    validate_person,
)
from perr_desktop.errors import ValidationError

TODAY = dt.date(2024, 6, 15)
# The French catalogue is being written alongside: until it is compiled and translates
# the civilities, the French assertion is an expected failure (not a strict one).
FRENCH_CIVILITIES = (
    (paths.translations_dir() / "fr" / "LC_MESSAGES" / "messages.mo").is_file()
    and i18n.translator("fr").gettext("Ms") != "Ms"
)


def refused(changes: dict, field: str) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        validate_person(changes, today=TODAY)
    assert excinfo.value.field == field
    return excinfo.value


# -- validate_person ----------------------------------------------------------------------

def test_a_full_person_is_normalised():
    assert validate_person({
        "first_name": "  Hélène ", "last_name": "Garnier", "gender": "femme",
        "organisation": " Centre  social ", "email": " helene.garnier@example.fr ",
        "phone": "05 45 12 34 56", "address": "  12 rue des Lilas\n16000 Angoulême ",
        "birth_year": "1968", "lives_in_qpv": True, "notes": "", "consent_date": "2024-01-10",
        "consent_contact": 1, "consent_photos": "",
    }, today=TODAY) == {
        "first_name": "Hélène", "last_name": "Garnier", "gender": "femme",
        "organisation": "Centre social", "email": "helene.garnier@example.fr",
        "phone": "05 45 12 34 56", "address": "12 rue des Lilas\n16000 Angoulême",
        "birth_year": 1968, "lives_in_qpv": 1, "notes": "", "consent_date": "2024-01-10",
        "consent_contact": 1, "consent_photos": 0,
    }


@pytest.mark.parametrize("email", [
    "helene.garnier", "helene@example", "helene garnier@example.fr", "@example.fr",
    "a@b@example.fr",
])
def test_bad_email_refused(email):
    error = refused({"email": email}, "email")
    assert email.strip() in error.message


@pytest.mark.parametrize("email", ["h@example.fr", "helene.garnier+perr@mairie-angouleme.fr"])
def test_good_email_accepted(email):
    assert validate_person({"email": email}, today=TODAY) == {"email": email}


def test_empty_email_and_phone_are_allowed():
    assert validate_person({"email": "  ", "phone": ""}, today=TODAY) == {"email": "", "phone": ""}


@pytest.mark.parametrize("phone", ["06 12 34 56 78", "+33 6 12 34 56 78", "05.45.12.34.56",
                                   "(0)5-45-12-34-56"])
def test_good_phone_accepted(phone):
    assert validate_person({"phone": phone}, today=TODAY) == {"phone": phone}


@pytest.mark.parametrize("phone", ["abc", "12345", "06 12 34 56 78 poste 12", "++33612345678"])
def test_bad_phone_refused(phone):
    refused({"phone": phone}, "phone")


@pytest.mark.parametrize(("year", "stored"), [
    (1900, 1900), ("1968", 1968), (" 2001 ", 2001), (TODAY.year, TODAY.year), ("", None),
    (None, None),
])
def test_birth_year_accepted(year, stored):
    assert validate_person({"birth_year": year}, today=TODAY) == {"birth_year": stored}


@pytest.mark.parametrize("year", [1899, TODAY.year + 1, "soixante", "1968.5"])
def test_birth_year_refused(year):
    refused({"birth_year": year}, "birth_year")


def test_consent_date_in_the_future_refused():
    refused({"consent_date": "2024-06-16"}, "consent_date")
    refused({"consent_date": "16/06/2024"}, "consent_date")
    assert validate_person({"consent_date": "2024-06-15"}, today=TODAY) == {
        "consent_date": "2024-06-15"}
    assert validate_person({"consent_date": None}, today=TODAY) == {"consent_date": None}


@pytest.mark.parametrize(("first", "last"), [("", ""), ("  ", "\t"), (None, None)])
def test_a_person_needs_a_name(first, last):
    refused({"first_name": first, "last_name": last}, "last_name")


def test_one_name_is_enough():
    assert validate_person({"first_name": "", "last_name": "Garnier"}, today=TODAY)[
        "last_name"] == "Garnier"
    assert validate_person({"first_name": "Hélène", "last_name": ""}, today=TODAY)[
        "first_name"] == "Hélène"


def test_gender():
    assert validate_person({"gender": ""}, today=TODAY) == {"gender": "non_precise"}
    assert validate_person({"gender": "homme"}, today=TODAY) == {"gender": "homme"}
    refused({"gender": "autre"}, "gender")


def test_lives_in_qpv_three_states():
    assert validate_person({"lives_in_qpv": None}, today=TODAY) == {"lives_in_qpv": None}
    assert validate_person({"lives_in_qpv": ""}, today=TODAY) == {"lives_in_qpv": None}
    assert validate_person({"lives_in_qpv": False}, today=TODAY) == {"lives_in_qpv": 0}
    assert validate_person({"lives_in_qpv": 1}, today=TODAY) == {"lives_in_qpv": 1}


def test_unknown_field_is_a_bug():
    with pytest.raises(ValueError, match="search_key"):
        validate_person({"search_key": "x"}, today=TODAY)


# -- names ---------------------------------------------------------------------------------

def test_display_name():
    assert display_name("  Hélène ", "Garnier") == "Hélène Garnier"
    assert display_name("", "Garnier") == "Garnier"
    assert display_name("Hélène", "") == "Hélène"
    assert display_name("Jean  Pierre", "Le   Goff") == "Jean Pierre Le Goff"


def test_formal_name_in_english():
    i18n.set_language("en")
    assert formal_name("femme", "Hélène", "Garnier") == "Ms Garnier"
    assert formal_name("homme", "Karim", "Benali") == "Mr Benali"
    assert formal_name("femme", "Hélène", "") == "Ms Hélène"
    # No civility when the person did not say: the full name instead.
    assert formal_name("non_precise", "Sam", "Martin") == "Sam Martin"


def test_gender_label_in_english():
    i18n.set_language("en")
    assert gender_label("femme") == "woman"
    assert gender_label("non_precise") == "not specified"


@pytest.mark.xfail(not FRENCH_CIVILITIES, reason="catalogue not yet compiled", strict=False)
def test_formal_name_in_french():
    i18n.set_language("fr")
    assert formal_name("femme", "Hélène", "Garnier") == "Mme Garnier"
    assert formal_name("homme", "Karim", "Benali") == "M. Benali"


# -- memberships -----------------------------------------------------------------------------

MEMBERSHIP = {"joined_on": "2024-01-01", "left_on": "2024-06-01"}


@pytest.mark.parametrize(("day", "active"), [
    (dt.date(2023, 12, 31), False),
    (dt.date(2024, 1, 1), True),    # the day of joining counts
    (dt.date(2024, 5, 31), True),
    (dt.date(2024, 6, 1), False),   # the day of leaving does not
])
def test_is_active_on_the_boundaries(day, active):
    assert is_active(MEMBERSHIP, day) is active


def test_is_active_with_open_dates():
    assert is_active({"joined_on": None, "left_on": None}, dt.date(1990, 1, 1)) is True
    assert is_active({"joined_on": None, "left_on": "2024-06-01"}, dt.date(2000, 1, 1)) is True
    assert is_active({"joined_on": "2024-01-01", "left_on": None}, dt.date(2099, 1, 1)) is True
    assert is_active({}, dt.date(2024, 1, 1)) is True


def test_is_active_defaults_to_today():
    today = dt.date.today()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert is_active({"joined_on": today.isoformat(), "left_on": None}) is True
    assert is_active({"joined_on": tomorrow, "left_on": None}) is False
    assert is_active({"joined_on": None, "left_on": today.isoformat()}) is False


def test_check_membership_dates():
    check_membership_dates("2024-01-01", "2024-01-01")
    check_membership_dates("2024-01-01", None)
    check_membership_dates(None, "2024-01-01")
    with pytest.raises(ValidationError) as excinfo:
        check_membership_dates("2024-01-02", "2024-01-01")
    assert excinfo.value.field == "left_on"


def test_validate_membership():
    assert validate_membership({
        "college": " habitants ", "joined_on": dt.date(2024, 1, 1), "left_on": "",
        "notes": "  tirée au sort  ",
    }) == {"college": "habitants", "joined_on": "2024-01-01", "left_on": None,
           "notes": "tirée au sort"}
    with pytest.raises(ValidationError) as excinfo:
        validate_membership({"joined_on": "janvier"})
    assert excinfo.value.field == "joined_on"
    with pytest.raises(ValueError):
        validate_membership({"id": "x"})

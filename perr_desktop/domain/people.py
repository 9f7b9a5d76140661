"""People and their membership of councils: names, contact, consent, colleges."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

from perr_desktop.domain.text import MAX_TEXT, clean, limit_length, parse_iso_date
from perr_desktop.errors import ValidationError
from perr_desktop.i18n import N_, _


class Gender(StrEnum):
    FEMME = "femme"
    HOMME = "homme"
    NON_PRECISE = "non_precise"


GENDER_LABELS = {
    Gender.FEMME: N_("woman"),
    Gender.HOMME: N_("man"),
    Gender.NON_PRECISE: N_("not specified"),
}
CIVILITY = {Gender.FEMME: N_("Ms"), Gender.HOMME: N_("Mr"), Gender.NON_PRECISE: ""}

PERSON_FIELDS = (
    "first_name", "last_name", "gender", "organisation", "email", "phone", "address",
    "birth_year", "lives_in_qpv", "notes", "consent_date", "consent_contact", "consent_photos",
)
MEMBERSHIP_FIELDS = ("council_id", "person_id", "college", "role", "joined_on", "left_on", "notes")

# Deliberately loose: one @, something on each side, a dot in the domain.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 .()\-]{6,25}$")


def gender_label(gender: str) -> str:
    return _(GENDER_LABELS[Gender(gender)])


def display_name(first_name: str, last_name: str) -> str:
    """« Hélène Garnier », the way a person is named in lists and forms."""
    return " ".join(p for p in (clean(first_name), clean(last_name)) if p)


def formal_name(gender: str, first_name: str, last_name: str) -> str:
    """« Mme Garnier »: civility and surname, as on a sign-in sheet or a letter."""
    civility = CIVILITY.get(Gender(gender), "")
    name = clean(last_name) or clean(first_name)
    return f"{_(civility)} {name}" if civility else display_name(first_name, last_name)


def validate_person(changes: dict[str, Any], today: dt.date | None = None) -> dict[str, Any]:
    """Normalised values for the given person fields, or a ValidationError."""
    today = today or dt.date.today()
    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field not in PERSON_FIELDS:
            raise ValueError(f"not an editable person field: {field}")
        if field == "gender":
            try:
                out[field] = Gender(value or Gender.NON_PRECISE).value
            except ValueError:
                raise ValidationError(_("Unknown gender: %(value)s.") % {"value": value},
                                      field) from None
        elif field == "email":
            email = clean(value)
            if email and not _EMAIL.match(email):
                raise ValidationError(
                    _("%(value)s is not an email address.") % {"value": email}, field
                )
            out[field] = limit_length(email, field)
        elif field == "phone":
            phone = clean(value)
            if phone and not _PHONE.match(phone):
                raise ValidationError(
                    _("%(value)s is not a telephone number.") % {"value": phone}, field
                )
            out[field] = phone
        elif field == "birth_year":
            out[field] = _birth_year(value, today)
        elif field == "lives_in_qpv":
            out[field] = None if value is None or value == "" else int(bool(value))
        elif field in ("consent_contact", "consent_photos"):
            out[field] = int(bool(value))
        elif field == "consent_date":
            day = parse_iso_date(value, field)
            if day is not None and day > today:
                raise ValidationError(_("The date of consent cannot be in the future."), field)
            out[field] = day.isoformat() if day else None
        elif field in ("notes", "address"):
            out[field] = limit_length(str(value or "").strip(), field, MAX_TEXT)
        else:
            out[field] = limit_length(clean(value), field)
    if "first_name" in out and "last_name" in out and not (out["first_name"] or out["last_name"]):
        raise ValidationError(_("A person needs a first name or a last name."), "last_name")
    return out


def _birth_year(value: Any, today: dt.date) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        raise ValidationError(
            _("%(value)s is not a year.") % {"value": value}, "birth_year"
        ) from None
    if not 1900 <= year <= today.year:
        raise ValidationError(
            _("The year of birth must be between 1900 and %(year)d.") % {"year": today.year},
            "birth_year",
        )
    return year


def validate_membership(values: dict[str, Any], today: dt.date | None = None) -> dict[str, Any]:
    """Normalised membership fields; joining and leaving dates must be in order."""
    out: dict[str, Any] = {}
    for field, value in values.items():
        if field not in MEMBERSHIP_FIELDS:
            raise ValueError(f"not a membership field: {field}")
        if field in ("joined_on", "left_on"):
            day = parse_iso_date(value, field)
            out[field] = day.isoformat() if day else None
        elif field == "notes":
            out[field] = limit_length(str(value or "").strip(), field, MAX_TEXT)
        else:
            out[field] = clean(value)
    return out


def check_membership_dates(joined_on: str | None, left_on: str | None) -> None:
    if joined_on and left_on and left_on < joined_on:
        raise ValidationError(
            _("The date of leaving cannot be before the date of joining."), "left_on"
        )


def is_active(membership: dict[str, Any], on: dt.date | None = None) -> bool:
    """A membership counts on a day when it has begun and not yet ended."""
    day = (on or dt.date.today()).isoformat()
    joined, left = membership.get("joined_on"), membership.get("left_on")
    return (joined is None or joined <= day) and (left is None or left > day)

"""Meetings: times, statuses, votes, quorum, attendance and head counts."""

from __future__ import annotations

import datetime as dt
import math
import re
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from perr_desktop.domain.text import clean, limit_length, require_text
from perr_desktop.errors import ValidationError
from perr_desktop.i18n import N_, _

# Meetings happen in the neighbourhoods: their times are wall-clock times in Paris,
# stored as "YYYY-MM-DDTHH:MM" and given an offset only when leaving the application.
TIMEZONE = ZoneInfo("Europe/Paris")
LONG_TEXT = 200_000  # minutes of a long evening: a twenty-page note must fit


class MinutesStatus(StrEnum):
    BROUILLON = "brouillon"
    VALIDE = "valide"


class ActionStatus(StrEnum):
    A_FAIRE = "a_faire"
    EN_COURS = "en_cours"
    FAIT = "fait"
    ABANDONNE = "abandonne"


OPEN_ACTION_STATUSES = (ActionStatus.A_FAIRE, ActionStatus.EN_COURS)

ACTION_STATUS_LABELS = {
    ActionStatus.A_FAIRE: N_("to do"),
    ActionStatus.EN_COURS: N_("in progress"),
    ActionStatus.FAIT: N_("done"),
    ActionStatus.ABANDONNE: N_("dropped"),
}
MINUTES_STATUS_LABELS = {
    MinutesStatus.BROUILLON: N_("draft"),
    MinutesStatus.VALIDE: N_("approved"),
}


class Attendance(StrEnum):
    """Codes of the system entries of the ``attendance_status`` vocabulary."""

    PRESENT = "present"
    EXCUSE = "excuse"
    ABSENT = "absent"
    REPRESENTE = "represente"


class AgeBand(StrEnum):
    MOINS_16 = "moins_16"
    DE_16_A_25 = "16_25"
    DE_26_A_59 = "26_59"
    PLUS_60 = "60_plus"
    NON_PRECISE = "non_precise"


AGE_BAND_LABELS = {
    AgeBand.MOINS_16: N_("under 16"),
    AgeBand.DE_16_A_25: N_("16 to 25"),
    AgeBand.DE_26_A_59: N_("26 to 59"),
    AgeBand.PLUS_60: N_("60 and over"),
    AgeBand.NON_PRECISE: N_("age not given"),
}


def action_status_label(status: str) -> str:
    return _(ACTION_STATUS_LABELS[ActionStatus(status)])


def minutes_status_label(status: str) -> str:
    return _(MINUTES_STATUS_LABELS[MinutesStatus(status)])


def age_band_label(band: str) -> str:
    return _(AGE_BAND_LABELS[AgeBand(band)])


def age_band(birth_year: int | None, on: dt.date) -> AgeBand:
    """The band of someone born in ``birth_year``, by the age reached during that year."""
    if birth_year is None:
        return AgeBand.NON_PRECISE
    age = on.year - birth_year
    if age < 16:
        return AgeBand.MOINS_16
    if age <= 25:
        return AgeBand.DE_16_A_25
    if age <= 59:
        return AgeBand.DE_26_A_59
    return AgeBand.PLUS_60


# -- times ----------------------------------------------------------------------------

def parse_local(value: str | dt.datetime | None, field: str) -> dt.datetime | None:
    """A wall-clock time (« 2026-11-26T18:30 »), naive, or a ValidationError."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(
                _("%(value)s is not a valid date and time.") % {"value": value}, field
            ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(TIMEZONE).replace(tzinfo=None)
    return moment.replace(second=0, microsecond=0)


def store_local(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def aware(value: str) -> dt.datetime:
    """A stored wall-clock time with its Paris offset (+01:00 in winter, +02:00 in summer)."""
    return dt.datetime.fromisoformat(value).replace(tzinfo=TIMEZONE)


def iso_with_offset(value: str | None) -> str | None:
    return aware(value).isoformat() if value else None


# -- validation -----------------------------------------------------------------------

MEETING_FIELDS = ("kind", "title", "starts_at", "ends_at", "venue", "notes", "cancelled")


def validate_meeting(changes: dict[str, Any], current: dict[str, Any] | None = None
                     ) -> dict[str, Any]:
    """Normalised meeting fields; the end, when given, must come after the start."""
    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field not in MEETING_FIELDS:
            raise ValueError(f"not an editable meeting field: {field}")
        if field == "title":
            out[field] = limit_length(
                require_text(value, field, _("A meeting needs a title.")), field)
        elif field == "kind":
            out[field] = require_text(value, field, _("Choose the kind of meeting."))
        elif field in ("starts_at", "ends_at"):
            moment = parse_local(value, field)
            if moment is None and field == "starts_at":
                raise ValidationError(_("A meeting needs a date and a start time."), field)
            out[field] = store_local(moment) if moment else None
        elif field == "cancelled":
            out[field] = int(bool(value))
        elif field == "notes":
            out[field] = limit_length(str(value or "").strip(), field, LONG_TEXT)
        else:
            out[field] = limit_length(clean(value), field)
    merged = {**(current or {}), **out}
    starts, ends = merged.get("starts_at"), merged.get("ends_at")
    if starts and ends and ends <= starts:
        raise ValidationError(_("The meeting must end after it starts."),
                              "ends_at" if "ends_at" in out else "starts_at")
    return out


def validate_agenda_item(changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "title":
            out[field] = limit_length(
                require_text(value, field, _("An agenda item needs a title.")), field)
        elif field == "duration_minutes":
            out[field] = _count(value, field, minimum=1,
                                message=_("A duration is a number of minutes."))
        elif field == "presenter":
            out[field] = limit_length(clean(value), field)
        elif field == "objective_code":
            out[field] = value or None
        elif field == "notes":
            out[field] = limit_length(str(value or ""), field, LONG_TEXT)
        else:
            raise ValueError(f"not an agenda item field: {field}")
    return out


def validate_decision(changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "text":
            out[field] = limit_length(
                require_text(value, field, _("Write what was decided.")), field, LONG_TEXT)
        elif field in ("votes_for", "votes_against", "votes_abstain"):
            out[field] = _count(value, field, minimum=0,
                                message=_("A number of votes is a whole number."))
        elif field == "agenda_item_id":
            out[field] = value or None
        else:
            raise ValueError(f"not a decision field: {field}")
    return out


ACTION_FIELDS = ("text", "assignee_person_id", "assignee_body", "due_on", "status",
                 "agenda_item_id")


def validate_action(changes: dict[str, Any]) -> dict[str, Any]:
    from perr_desktop.domain.text import parse_iso_date

    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "text":
            out[field] = limit_length(
                require_text(value, field, _("Write what is to be done.")), field, LONG_TEXT)
        elif field == "status":
            try:
                out[field] = ActionStatus(value).value
            except ValueError:
                raise ValidationError(
                    _("Unknown action status: %(value)s.") % {"value": value}, field
                ) from None
        elif field == "due_on":
            day = parse_iso_date(value, field)
            out[field] = day.isoformat() if day else None
        elif field == "assignee_body":
            out[field] = clean(value)
        elif field in ("assignee_person_id", "agenda_item_id"):
            out[field] = value or None
        else:
            raise ValueError(f"not an action field: {field}")
    return out


def _count(value: Any, field: str, *, minimum: int, message: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError(message, field)
    text = str(value).strip()
    if not re.fullmatch(r"-?[0-9]+", text):  # ASCII digits only: « ² » is no number
        raise ValidationError(message, field)
    number = int(text)
    if number < minimum:
        raise ValidationError(message, field)
    return number


def quorum_required(members: int, percent: int | None) -> int | None:
    """How many members must be present or represented: ``percent`` of the members,
    rounded up (half of 15 members: 8). None when the council has no quorum rule."""
    if percent is None or members == 0:
        return None
    return math.ceil(members * percent / 100)

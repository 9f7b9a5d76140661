"""Walking diagnostics: walks, stops, observations, positions and follow-up rules."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

from perr_desktop.domain.text import MAX_TEXT, clean, limit_length, parse_iso_date, require_text
from perr_desktop.errors import ValidationError
from perr_desktop.i18n import N_, _


class Period(StrEnum):
    JOUR = "jour"
    NUIT = "nuit"


PERIOD_LABELS = {Period.JOUR: N_("day"), Period.NUIT: N_("night")}

# Follow-up status families (the ``grouping`` of the followup_status vocabulary).
OPEN, FIXED, CLOSED = "open", "fixed", "closed"
FIRST_STATUS = "a_transmettre"
SENT_STATUS = "transmis"
# Without an answer this long after it was sent, a problem is « à relancer ».
REMINDER_AFTER_DAYS = 30

WALK_FIELDS = ("title", "walk_date", "start_time", "period", "weather", "notes",
               "counted_participants", "previous_walk_id")
STOP_FIELDS = ("name", "address", "latitude", "longitude", "plan_x", "plan_y", "notes")
OBSERVATION_FIELDS = ("stop_id", "theme", "positive", "description", "feeling", "proposal",
                      "priority", "objective_code", "tags", "latitude", "longitude", "plan_x",
                      "plan_y")


def period_label(period: str) -> str:
    return _(PERIOD_LABELS[Period(period)])


def validate_walk(changes: dict[str, Any], today: dt.date | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field not in WALK_FIELDS:
            raise ValueError(f"not a walk field: {field}")
        if field == "title":
            out[field] = limit_length(require_text(value, field, _("A walk needs a title.")),
                                      field)
        elif field == "walk_date":
            day = parse_iso_date(value, field)
            if day is None:
                raise ValidationError(_("A walk needs a date."), field)
            out[field] = day.isoformat()
        elif field == "start_time":
            out[field] = _time(value, field)
        elif field == "period":
            try:
                out[field] = Period(value or Period.JOUR).value
            except ValueError:
                raise ValidationError(_("A walk is by day or by night."), field) from None
        elif field == "counted_participants":
            out[field] = _whole(value, field, _("A number of participants is a whole "
                                                "number."))
        elif field == "notes":
            out[field] = limit_length(str(value or "").strip(), field, MAX_TEXT * 20)
        elif field == "previous_walk_id":
            out[field] = value or None
        else:
            out[field] = limit_length(clean(value), field)
    return out


def validate_stop(changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field not in STOP_FIELDS:
            raise ValueError(f"not a stop field: {field}")
        if field == "name":
            out[field] = limit_length(require_text(value, field, _("A stop needs a name.")),
                                      field)
        elif field in ("latitude", "longitude"):
            out[field] = coordinate(value, field)
        elif field in ("plan_x", "plan_y"):
            out[field] = plan_position(value, field)
        elif field == "notes":
            out[field] = limit_length(str(value or "").strip(), field, MAX_TEXT)
        else:
            out[field] = limit_length(clean(value), field)
    return out


def validate_observation(changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field not in OBSERVATION_FIELDS:
            raise ValueError(f"not an observation field: {field}")
        if field in ("description", "feeling", "proposal"):
            out[field] = limit_length(str(value or "").strip(), field, MAX_TEXT * 5)
        elif field == "positive":
            out[field] = int(_yes_no(value, field))
        elif field == "priority":
            if value is None or value == "" or value == 0:
                out[field] = None
            else:
                text = str(value).strip()
                if isinstance(value, bool) or text not in ("1", "2", "3"):
                    raise ValidationError(_("The priority is 1, 2 or 3."), field)
                out[field] = int(text)
        elif field in ("latitude", "longitude"):
            out[field] = coordinate(value, field)
        elif field in ("plan_x", "plan_y"):
            out[field] = plan_position(value, field)
        elif field == "tags":
            out[field] = normalise_tags(value)
        else:
            out[field] = value or None
    return out


_YES = {"1", "true", "oui", "yes", "+", "positif", "positive"}
_NO = {"0", "false", "non", "no", "-", "−", "négatif", "negatif", "negative", ""}


def _yes_no(value: Any, field: str) -> bool:
    """A strong (True) or weak (False) point, from a bool or from text (« oui », « 0 »…):
    a text « 0 » must never turn a problem into a strength."""
    if isinstance(value, bool | int):
        return bool(value)
    text = str(value or "").strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError(_("%(value)s: say whether it is a strong or a weak point.")
                          % {"value": value}, field)


def normalise_tags(value: Any) -> str:
    """« TFPB, éclairage ,TFPB » → « TFPB, éclairage »: comma-separated, each once."""
    parts = value if isinstance(value, list | tuple) else re.split(r"[,;]", str(value or ""))
    seen: list[str] = []
    for part in parts:
        tag = clean(part)
        if tag and tag.casefold() not in (s.casefold() for s in seen):
            seen.append(tag)
    return limit_length(", ".join(seen), "tags")


def coordinate(value: Any, field: str) -> float | None:
    """A latitude or longitude in decimal degrees (« 45,648 » typed the French way too)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise ValidationError(_("%(value)s is not a coordinate in degrees.") % {"value": value},
                              field) from None
    limit = 90 if field == "latitude" else 180
    if not -limit <= number <= limit:
        raise ValidationError(_("%(value)s is out of range for a coordinate.") % {
            "value": value}, field)
    return number


def plan_position(value: Any, field: str) -> float | None:
    """A position on the plan image, as a fraction of its width or height."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Not a position on the plan."), field)
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        raise ValidationError(_("Not a position on the plan."), field) from None
    if not 0 <= number <= 1:
        raise ValidationError(_("Not a position on the plan."), field)
    return number


def _time(value: Any, field: str) -> str | None:
    if value is None or value == "":
        return None
    # « 20:30 », « 20h30 », « 20h », « 20 »: the ways a time is written in France.
    match = re.fullmatch(r"(\d{1,2})(?:[:hH](\d{2})?)?", str(value).strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
        raise ValidationError(_("%(value)s is not a time of day.") % {"value": value}, field)
    return f"{int(match.group(1)):02d}:{int(match.group(2) or 0):02d}"


def _whole(value: Any, field: str, message: str) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]+", str(value).strip()):
        raise ValidationError(message, field)
    return int(str(value).strip())


def validate_step(changes: dict[str, Any], today: dt.date | None = None) -> dict[str, Any]:
    """A dated step of a follow-up: not in the future, reminder after the step."""
    today = today or dt.date.today()
    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field in ("step_date", "next_reminder_on"):
            day = parse_iso_date(value, field)
            out[field] = day.isoformat() if day else None
        elif field == "note":
            out[field] = limit_length(str(value or "").strip(), field, MAX_TEXT)
        elif field in ("status", "channel"):
            out[field] = clean(value)
        else:
            raise ValueError(f"not a follow-up step field: {field}")
    if "step_date" in out:
        if out["step_date"] is None:
            raise ValidationError(_("A follow-up step needs a date."), "step_date")
        if out["step_date"] > today.isoformat():
            raise ValidationError(_("A follow-up step cannot be dated in the future."),
                                  "step_date")
    if out.get("next_reminder_on") and out.get("step_date") and \
            out["next_reminder_on"] <= out["step_date"]:
        raise ValidationError(_("The reminder must come after the step."), "next_reminder_on")
    return out

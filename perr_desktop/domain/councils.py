"""Citizen councils: statuses and the rules a council's fields obey."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from perr_desktop.domain.text import MAX_TEXT, clean, limit_length, parse_iso_date, require_text
from perr_desktop.errors import ValidationError
from perr_desktop.i18n import N_, _


class CouncilStatus(StrEnum):
    EN_CREATION = "en_creation"
    ACTIF = "actif"
    EN_SOMMEIL = "en_sommeil"


STATUS_LABELS = {
    CouncilStatus.EN_CREATION: N_("being set up"),
    CouncilStatus.ACTIF: N_("active"),
    CouncilStatus.EN_SOMMEIL: N_("dormant"),
}

EDITABLE_FIELDS = (
    "name", "status", "facilitator_name", "facilitator_contact", "venue", "recognised_on",
    "notes", "quorum_percent",
)


def status_label(status: str) -> str:
    return _(STATUS_LABELS[CouncilStatus(status)])


def validate_changes(changes: dict[str, Any], today: dt.date | None = None) -> dict[str, Any]:
    """Normalised values for the given council fields, or a ValidationError."""
    today = today or dt.date.today()
    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field not in EDITABLE_FIELDS:
            raise ValueError(f"not an editable council field: {field}")
        if field == "name":
            out[field] = limit_length(
                require_text(value, field, _("A council needs a name.")), field
            )
        elif field == "status":
            try:
                out[field] = CouncilStatus(value).value
            except ValueError:
                raise ValidationError(
                    _("Unknown council status: %(status)s.") % {"status": value}, field
                ) from None
        elif field == "recognised_on":
            day = parse_iso_date(value, field)
            if day is not None and day > today:
                raise ValidationError(
                    _("The date of the prefectoral order cannot be in the future."), field
                )
            out[field] = day.isoformat() if day else None
        elif field == "quorum_percent":
            out[field] = _percent(value, field)
        elif field == "notes":
            out[field] = limit_length(str(value or "").strip(), field, MAX_TEXT)
        else:
            out[field] = limit_length(clean(value), field)
    return out


def _percent(value: Any, field: str) -> int | None:
    """The council's quorum as a share of its members; None: no quorum rule."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        percent = int(str(value).strip().rstrip("%").strip())
    except ValueError:
        raise ValidationError(_("The quorum is a percentage of the members, from 1 to 100."),
                              field) from None
    if not 1 <= percent <= 100:
        raise ValidationError(_("The quorum is a percentage of the members, from 1 to 100."),
                              field)
    return percent

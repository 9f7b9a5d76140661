"""Meetings as an iCalendar file (RFC 5545) for calendar programs.

Each meeting is one VEVENT whose UID is derived from the meeting's id: importing a later
export again updates the events instead of duplicating them. Times are the Paris
wall-clock times of the records, written with ``TZID=Europe/Paris`` and the matching
VTIMEZONE, so that a laptop or phone set to another time zone still shows them right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event, Timezone

from perr_desktop.domain import meetings as rules
from perr_desktop.errors import user_errors
from perr_desktop.i18n import get_language, translator
from perr_desktop.services.councils import require_council
from perr_desktop.services.meetings import list_meetings, require_meeting
from perr_desktop.services.reference import vocabulary_labels
from perr_desktop.storage import files

PRODID = "-//PERR Desktop//FR"
TZID = "Europe/Paris"
DEFAULT_LENGTH = dt.timedelta(hours=2)  # a meeting planned without an end

# SEQUENCE only has to grow each time the event changes. The records keep no revision
# counter, but ``updated_at`` moves forward on every write (records.update) and travels
# with the record when two laptops merge: the whole seconds from a fixed epoch to the
# latest change therefore grow with every edit, are the same on every export and on every
# laptop, and need no extra column. The epoch is 2020 rather than 1970 so the number stays
# within iCalendar's 32-bit INTEGER until 2088 (Unix seconds overflow it in 2038).
SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def uid(meeting_id: str) -> str:
    return f"{meeting_id}@perr-desktop"


def _utc(value: str) -> dt.datetime:
    """A record timestamp (« 2026-03-01T09:00:00.000000Z ») as an aware UTC datetime;
    iCalendar has no fractions of a second."""
    return dt.datetime.fromisoformat(value).astimezone(dt.UTC).replace(microsecond=0)


def sequence(last_change: dt.datetime) -> int:
    return max(0, int((last_change - SEQUENCE_EPOCH).total_seconds()))


def _last_change(db, meeting: dict[str, Any]) -> str:
    """When anything the event shows last changed: the meeting, its agenda (removed items
    included: removing one changes the description), its council's name, its kind's label."""
    return db.scalar(
        """SELECT max(t) FROM (
               SELECT :updated AS t
               UNION ALL SELECT updated_at FROM agenda_items WHERE meeting_id = :id
               UNION ALL SELECT updated_at FROM councils WHERE id = :council
               UNION ALL SELECT updated_at FROM vocabulary
                         WHERE kind = 'meeting_kind' AND code = :kind)""",
        {"updated": meeting["updated_at"], "id": meeting["id"],
         "council": meeting["council_id"], "kind": meeting["kind"]})


def _description(kind_label: str, agenda: list[dict[str, Any]], lang: str) -> str:
    _ = translator(lang).gettext
    lines = [kind_label]
    if agenda:
        lines += ["", _("Agenda:")]
        for number, item in enumerate(agenda, start=1):
            details = []
            if item["duration_minutes"]:
                details.append(_("%(minutes)s min") % {"minutes": item["duration_minutes"]})
            if item["presenter"]:
                details.append(item["presenter"])
            suffix = f" ({', '.join(details)})" if details else ""
            lines.append(f"{number}. {item['title']}{suffix}")
    return "\n".join(lines)


def _event(db, meeting: dict[str, Any], council_name: str, kind_label: str,
           lang: str) -> Event:
    agenda = db.query("SELECT * FROM agenda_items WHERE meeting_id = ? AND deleted_at IS NULL "
                      "ORDER BY position", (meeting["id"],))
    start = rules.aware(meeting["starts_at"])
    if meeting["ends_at"]:
        end = rules.aware(meeting["ends_at"])
    else:  # two hours of real time, even across a change of clocks
        end = (start.astimezone(dt.UTC) + DEFAULT_LENGTH).astimezone(rules.TIMEZONE)
    changed = _utc(_last_change(db, meeting))

    event = Event()
    event.add("uid", uid(meeting["id"]))
    # Without METHOD, DTSTAMP is the time the event was last changed (RFC 5545, 3.8.7.2):
    # taking it from the records, not the clock, makes two exports of an unchanged
    # meeting identical.
    event.add("dtstamp", changed)
    event.add("created", _utc(meeting["created_at"]))
    event.add("last-modified", changed)
    event.add("sequence", sequence(changed))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"{meeting['title']} — {council_name}")
    if meeting["venue"]:
        event.add("location", meeting["venue"])
    event.add("description", _description(kind_label, agenda, lang))
    event.add("categories", [kind_label])
    event.add("status", "CANCELLED" if meeting["cancelled"] else "CONFIRMED")
    return event


def meeting_calendar(db, meeting_ids: Iterable[str], lang: str | None = None,
                     name: str | None = None) -> bytes:
    """The VCALENDAR of these meetings, texts in ``lang``; ``name`` (X-WR-CALNAME)
    defaults to the names of the meetings' councils."""
    lang = lang or get_language()
    kinds = vocabulary_labels(db, "meeting_kind", lang)
    meetings = [require_meeting(db, meeting_id) for meeting_id in dict.fromkeys(meeting_ids)]
    council_names = {c: _council_name(db, c)
                     for c in dict.fromkeys(m["council_id"] for m in meetings)}

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name or ", ".join(council_names.values()))
    for meeting in meetings:
        calendar.add_component(_event(db, meeting, council_names[meeting["council_id"]],
                                      kinds.get(meeting["kind"], meeting["kind"]), lang))

    # The VTIMEZONE lists every change of clocks in its span: the years of the meetings
    # (and the next, for a meeting ending after midnight on 31 December) are enough and
    # keep it short, where icalendar's default span, 1970-2038, lists sixty-eight years.
    years = [int(m["starts_at"][:4]) for m in meetings] or [dt.date.today().year]
    first, last = dt.date(min(years), 1, 1), dt.date(max(years) + 2, 1, 1)
    calendar.add_missing_timezones(first_date=first, last_date=last)
    if not calendar.timezones:
        # No event refers to it, but a VCALENDAR needs at least one component: an empty
        # council still gets a valid file that calendar programs accept.
        calendar.add_component(Timezone.from_tzid(TZID, first_date=first, last_date=last))
    return calendar.to_ical()


def _council_name(db, council_id: str) -> str:
    # The host council of a meeting may have been deleted since: its name still applies.
    row = db.query_one("SELECT name FROM councils WHERE id = ?", (council_id,))
    return row["name"] if row else ""


def write_atomically(path: Path | str, data: bytes) -> None:
    """Write a calendar whole or not at all; a full disk or a locked folder is one
    sentence for the user."""
    with user_errors(path):
        files.write_atomically(path, data)


def export_meeting(db, meeting_id: str, path: Path | str, lang: str | None = None) -> int:
    """Write one meeting to ``path``; returns the number of events written (1)."""
    require_meeting(db, meeting_id)
    write_atomically(path, meeting_calendar(db, [meeting_id], lang))
    return 1


def export_council(db, council_id: str, path: Path | str, lang: str | None = None) -> int:
    """Write every meeting of the council, those it is invited to included, to ``path``;
    returns the number of events written."""
    council = require_council(db, council_id)
    ids = [m["id"] for m in list_meetings(db, council_id)]
    write_atomically(path, meeting_calendar(db, ids, lang, name=council["name"]))
    return len(ids)

"""Meetings as an iCalendar file, read back by icalendar and by vobject (an independent
parser that builds its own time zone from the file's VTIMEZONE)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import vobject
from icalendar import Calendar

from perr_desktop.errors import UserError
from perr_desktop.services import calendar, councils, meetings
from perr_desktop.services import people as people_service

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def build(db) -> dict[str, Any]:
    """Champ de Manœuvre's council with members and three meetings (winter, summer,
    cancelled), L'Étang des Moines invited to the winter one, and Ma Campagne's own
    meeting, which no export of the other two may carry."""
    councils.create_qpv_councils(db)
    by_name = {c["name"]: c["id"] for c in councils.list_councils(db)}
    champ, etang = by_name["Champ de Manœuvre"], by_name["L'Étang des Moines"]
    ma_campagne = by_name["Ma Campagne"]

    def member(council_id: str, first: str, last: str, **fields: Any) -> str:
        person_id = people_service.create_person(db, first_name=first, last_name=last,
                                                 **fields)
        people_service.add_membership(db, council_id, person_id, "habitants",
                                      joined_on="2020-01-01")
        return person_id

    helene = member(champ, "Hélène", "Garnier", gender="femme")
    karim = member(champ, "Karim", "Benali", gender="homme")
    zoe = member(champ, "Zoé", "Lefèvre", gender="femme")
    noemie = member(etang, "Noémie", "Da Silva", gender="femme")

    summer = meetings.plan_meeting(
        db, champ, "cafe_citoyen", "Café citoyen de la fête des voisins", "2026-06-18T18:30",
        venue="Square de L'Étang des Moines")
    summer_action = meetings.add_action(db, summer, "Demander un banc près de l'arrêt de bus",
                                        assignee_body="Mairie de Soyaux", due_on="2026-09-30")

    cancelled = meetings.plan_meeting(
        db, champ, "bureau", "Réunion de bureau de rentrée", "2026-09-10T18:30",
        "2026-09-10T20:00", venue="Local associatif")
    meetings.cancel_meeting(db, cancelled)

    winter = meetings.plan_meeting(
        db, champ, "pleniere", "Séance plénière d'automne", "2026-11-26T18:30",
        "2026-11-26T20:30", venue="Maison de quartier du Champ de Manœuvre",
        guest_council_ids=[etang])
    welcome = meetings.add_agenda_item(db, winter, "Accueil et émargement", 15,
                                       "Hélène Garnier")
    budget = meetings.add_agenda_item(db, winter, "Budget participatif « Champ de Manœuvre »",
                                      45)
    meetings.set_attendance(db, winter, helene, "present")
    meetings.set_attendance(db, winter, karim, "represente", proxy_person_id=helene)
    meetings.set_attendance(db, winter, zoe, "excuse")
    meetings.set_headcount(db, winter, "femme", "16_25", True, True, 3)
    decision = meetings.add_decision(db, winter, "Le conseil soutient le projet de jardin "
                                     "partagé.", budget, votes_for=7, votes_against=1,
                                     votes_abstain=2)
    action = meetings.add_action(db, winter, "Écrire au bailleur pour l'éclairage du hall",
                                 budget, assignee_person_id=helene, due_on="2026-12-15")
    meetings.follow_up_action(db, winter, summer_action, "en_cours", "Relancé en octobre")

    other = meetings.plan_meeting(db, ma_campagne, "pleniere", "Plénière de Ma Campagne",
                                  "2026-10-01T18:00")
    return {
        "champ": champ, "etang": etang, "ma_campagne": ma_campagne,
        "helene": helene, "karim": karim, "zoe": zoe, "noemie": noemie,
        "winter": winter, "summer": summer, "cancelled": cancelled, "other": other,
        "welcome": welcome, "budget": budget, "decision": decision, "action": action,
        "summer_action": summer_action,
    }


@pytest.fixture
def ticking(clock, monkeypatch):
    """The shared clock, for the reference lists seeded when the database opens too: the
    event's last change takes the kind's label into account."""
    from perr_desktop.storage import reference

    monkeypatch.setattr(reference, "now_utc", clock)
    return clock


@pytest.fixture
def data(ticking, db):
    return db, build(db)


def events_by_uid(cal: Calendar) -> dict[str, Any]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def uid(meeting_id: str) -> str:
    return f"{meeting_id}@perr-desktop"


# -- the calendar ----------------------------------------------------------------------------

def test_council_calendar_parses_with_icalendar(data, tmp_path):
    db, ids = data
    path = tmp_path / "champ.ics"
    assert calendar.export_council(db, ids["champ"], path, "fr") == 3
    raw = path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    cal = Calendar.from_ical(raw)
    assert str(cal["PRODID"]) == "-//PERR Desktop//FR"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "Champ de Manœuvre"
    [timezone] = cal.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Paris"
    assert events_by_uid(cal).keys() == {
        uid(ids["summer"]), uid(ids["cancelled"]), uid(ids["winter"])}


def test_times_carry_the_paris_zone_winter_and_summer(data):
    db, ids = data
    cal = Calendar.from_ical(calendar.meeting_calendar(db, [ids["winter"], ids["summer"]], "fr"))
    events = events_by_uid(cal)
    winter, summer = events[uid(ids["winter"])], events[uid(ids["summer"])]
    for event in (winter, summer):
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert event["DTEND"].params["TZID"] == "Europe/Paris"
    utc = dt.UTC
    assert winter.decoded("DTSTART").astimezone(utc) == dt.datetime(2026, 11, 26, 17, 30,
                                                                     tzinfo=utc)
    assert winter.decoded("DTEND").astimezone(utc) == dt.datetime(2026, 11, 26, 19, 30,
                                                                  tzinfo=utc)
    assert summer.decoded("DTSTART").astimezone(utc) == dt.datetime(2026, 6, 18, 16, 30,
                                                                    tzinfo=utc)
    # Planned without an end: two hours.
    assert summer.decoded("DTEND") - summer.decoded("DTSTART") == dt.timedelta(hours=2)
    assert b"DTSTART;TZID=Europe/Paris:20261126T183000" in cal.to_ical()


def test_a_second_parser_reads_the_same_times_from_the_vtimezone(data):
    db, ids = data
    raw = calendar.meeting_calendar(db, [ids["winter"], ids["summer"], ids["cancelled"]], "fr")
    parsed = vobject.readOne(raw.decode("utf-8"))
    events = {e.uid.value: e for e in parsed.vevent_list}
    assert len(parsed.vevent_list) == 3 == len(events)
    assert parsed.x_wr_calname.value == "Champ de Manœuvre"
    winter, summer = events[uid(ids["winter"])], events[uid(ids["summer"])]
    assert winter.dtstart.params["X-VOBJ-ORIGINAL-TZID"] == ["Europe/Paris"]
    # vobject builds its own tzinfo (dateutil's tzical) from the VTIMEZONE in the file.
    assert "Europe/Paris" in repr(winter.dtstart.value.tzinfo)
    assert (winter.dtstart.value.tzname(), summer.dtstart.value.tzname()) == ("CET", "CEST")
    assert winter.dtstart.value.utcoffset() == dt.timedelta(hours=1)
    assert summer.dtstart.value.utcoffset() == dt.timedelta(hours=2)
    assert winter.dtstart.value.astimezone(dt.UTC).time() == dt.time(17, 30)
    assert summer.dtstart.value.astimezone(dt.UTC).time() == dt.time(16, 30)
    assert winter.summary.value == "Séance plénière d'automne — Champ de Manœuvre"
    assert summer.location.value == "Square de L'Étang des Moines"
    assert events[uid(ids["cancelled"])].status.value == "CANCELLED"


def test_uids_are_stable_and_one_event_per_meeting(data, tmp_path):
    db, ids = data
    first = calendar.meeting_calendar(db, [ids["winter"], ids["summer"]], "fr")
    second = calendar.meeting_calendar(db, [ids["summer"], ids["winter"], ids["winter"]], "fr")
    assert events_by_uid(Calendar.from_ical(first)).keys() == events_by_uid(
        Calendar.from_ical(second)).keys() == {uid(ids["winter"]), uid(ids["summer"])}
    assert len(Calendar.from_ical(second).walk("VEVENT")) == 2
    # Nothing changed: the same bytes, whatever the clock says (DTSTAMP comes from the
    # records).
    path = tmp_path / "a.ics"
    calendar.export_meeting(db, ids["winter"], path, "fr")
    again = path.read_bytes()
    calendar.export_meeting(db, ids["winter"], path, "fr")
    assert path.read_bytes() == again


def _event(db, meeting_id: str, lang: str = "fr"):
    [event] = Calendar.from_ical(calendar.meeting_calendar(db, [meeting_id], lang)).walk(
        "VEVENT")
    return event


def test_sequence_grows_when_the_meeting_changes(data):
    db, ids = data
    before = _event(db, ids["winter"])
    meetings.update_meeting(db, ids["winter"], venue="Salle des fêtes de Soyaux")
    moved = _event(db, ids["winter"])
    assert int(moved["SEQUENCE"]) > int(before["SEQUENCE"])
    assert moved.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")
    assert moved.decoded("DTSTAMP") == moved.decoded("LAST-MODIFIED")
    assert moved.decoded("CREATED") == before.decoded("CREATED")
    assert str(moved["LOCATION"]) == "Salle des fêtes de Soyaux"
    # An agenda change shows in the description: the calendar must take it too.
    meetings.add_agenda_item(db, ids["winter"], "Questions diverses")
    assert int(_event(db, ids["winter"])["SEQUENCE"]) > int(moved["SEQUENCE"])


def test_timestamps_come_from_the_records(data):
    db, ids = data
    row = db.query_one("SELECT created_at, updated_at FROM meetings WHERE id = ?",
                       (ids["summer"],))
    event = _event(db, ids["summer"])
    created = dt.datetime.fromisoformat(row["created_at"]).replace(microsecond=0)
    assert event.decoded("CREATED") == created
    assert event.decoded("CREATED").utcoffset() == dt.timedelta(0)
    assert int(event["SEQUENCE"]) >= 0


def test_status_cancelled_and_confirmed(data):
    db, ids = data
    assert str(_event(db, ids["cancelled"])["STATUS"]) == "CANCELLED"
    assert str(_event(db, ids["winter"])["STATUS"]) == "CONFIRMED"
    meetings.cancel_meeting(db, ids["cancelled"], cancelled=False)
    assert str(_event(db, ids["cancelled"])["STATUS"]) == "CONFIRMED"


def test_summary_location_description_and_categories(data):
    db, ids = data
    event = _event(db, ids["winter"], "en")
    assert str(event["SUMMARY"]) == "Séance plénière d'automne — Champ de Manœuvre"
    assert str(event["LOCATION"]) == "Maison de quartier du Champ de Manœuvre"
    assert event["CATEGORIES"].cats == ["Plenary session"]
    assert str(event["DESCRIPTION"]) == (
        "Plenary session\n\nAgenda:\n"
        "1. Accueil et émargement (15 min, Hélène Garnier)\n"
        "2. Budget participatif « Champ de Manœuvre » (45 min)")
    french = _event(db, ids["winter"], "fr")
    assert french["CATEGORIES"].cats == ["Séance plénière"]
    assert str(french["DESCRIPTION"]).startswith("Séance plénière\n")
    # No agenda: the kind alone.
    assert str(_event(db, ids["summer"], "en")["DESCRIPTION"]) == "Citizens' café"


def test_accents_survive_in_utf8(data):
    db, ids = data
    raw = calendar.meeting_calendar(db, [ids["winter"], ids["summer"]], "fr")
    unfolded = raw.replace(b"\r\n ", b"")
    assert "Champ de Manœuvre".encode() in unfolded
    assert "L'Étang des Moines".encode() in unfolded
    assert "« Champ de Manœuvre »".encode() in unfolded
    cal = Calendar.from_ical(raw)
    assert str(events_by_uid(cal)[uid(ids["summer"])]["LOCATION"]) == (
        "Square de L'Étang des Moines")


def test_a_guest_council_gets_the_meetings_it_is_invited_to(data, tmp_path):
    db, ids = data
    path = tmp_path / "etang.ics"
    assert calendar.export_council(db, ids["etang"], path, "fr") == 1
    cal = Calendar.from_ical(path.read_bytes())
    assert str(cal["X-WR-CALNAME"]) == "L'Étang des Moines"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == uid(ids["winter"])
    # Named after the council that hosts it.
    assert str(event["SUMMARY"]).endswith("— Champ de Manœuvre")


def test_a_council_without_meetings_still_gets_a_valid_calendar(db, tmp_path):
    council_id = councils.create_council(db, "Conseil citoyen de Bel-Air")
    path = tmp_path / "vide.ics"
    assert calendar.export_council(db, council_id, path, "fr") == 0
    cal = Calendar.from_ical(path.read_bytes())
    assert cal.walk("VEVENT") == []
    assert [str(t["TZID"]) for t in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert vobject.readOne(path.read_text(encoding="utf-8")).x_wr_calname.value == (
        "Conseil citoyen de Bel-Air")


# -- writing and errors ------------------------------------------------------------------------

def test_export_replaces_the_file_and_leaves_no_partial(data, tmp_path):
    db, ids = data
    out = tmp_path / "sorties"
    out.mkdir()
    path = out / "réunion.ics"
    path.write_text("ancienne version", encoding="utf-8")
    assert calendar.export_meeting(db, ids["winter"], path, "fr") == 1
    assert len(Calendar.from_ical(path.read_bytes()).walk("VEVENT")) == 1
    assert sorted(p.name for p in out.iterdir()) == ["réunion.ics"]


def test_unknown_meeting_is_a_user_error_and_writes_nothing(data, tmp_path):
    db, _ids = data
    path = tmp_path / "a.ics"
    path.write_bytes(b"unchanged")
    with pytest.raises(UserError) as excinfo:
        calendar.export_meeting(db, UNKNOWN, path, "fr")
    assert UNKNOWN in excinfo.value.message
    assert path.read_bytes() == b"unchanged"
    with pytest.raises(UserError):
        calendar.meeting_calendar(db, [UNKNOWN], "fr")


def test_unknown_or_deleted_council_is_a_user_error(data, tmp_path):
    db, ids = data
    out = tmp_path / "sorties"
    out.mkdir()
    with pytest.raises(UserError):
        calendar.export_council(db, UNKNOWN, out / "a.ics", "fr")
    councils.delete_council(db, ids["ma_campagne"])
    with pytest.raises(UserError):
        calendar.export_council(db, ids["ma_campagne"], out / "a.ics", "fr")
    assert list(out.iterdir()) == []


def test_deleted_meeting_is_not_exported(data, tmp_path):
    db, ids = data
    meetings.delete_meeting(db, ids["cancelled"])
    with pytest.raises(UserError):
        calendar.export_meeting(db, ids["cancelled"], tmp_path / "a.ics", "fr")
    calendar.export_council(db, ids["champ"], tmp_path / "b.ics", "fr")
    assert uid(ids["cancelled"]) not in events_by_uid(
        Calendar.from_ical((tmp_path / "b.ics").read_bytes()))


@pytest.mark.parametrize("target", ["missing-folder/a.ics", "."])
def test_file_system_errors_become_user_errors(data, tmp_path, target):
    db, ids = data
    path = Path(tmp_path, target)
    with pytest.raises(UserError) as excinfo:
        calendar.export_meeting(db, ids["winter"], path, "fr")
    assert str(path) in excinfo.value.message
    leftovers = [p.name for p in (tmp_path, tmp_path.parent) for p in p.iterdir()
                 if p.name.endswith(".partial")]
    assert leftovers == []


def test_sequence_stays_a_32_bit_integer():
    assert calendar.sequence(dt.datetime(2087, 12, 31, tzinfo=dt.UTC)) < 2**31
    assert calendar.sequence(dt.datetime(2019, 1, 1, tzinfo=dt.UTC)) == 0

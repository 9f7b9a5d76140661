"""Meeting rules: Paris wall-clock times, meeting fields, votes and durations, quorum,
age bands."""

from __future__ import annotations

import datetime as dt

import pytest

from perr_desktop.domain import meetings as rules
from perr_desktop.domain.meetings import AgeBand
from perr_desktop.errors import ValidationError

# -- times ------------------------------------------------------------------------------

def test_parse_local_reads_a_wall_clock_time_and_drops_seconds():
    assert rules.parse_local("2026-11-26T18:30", "starts_at") == dt.datetime(2026, 11, 26, 18, 30)
    # A space instead of the T, seconds and microseconds typed or pasted: minutes kept.
    assert rules.parse_local(" 2026-11-26 18:30:59.123 ", "starts_at") == dt.datetime(
        2026, 11, 26, 18, 30)
    moment = rules.parse_local(dt.datetime(2026, 11, 26, 18, 30, 12), "starts_at")
    assert moment == dt.datetime(2026, 11, 26, 18, 30)
    assert moment.tzinfo is None


@pytest.mark.parametrize("value", [None, ""])
def test_parse_local_empty_is_none(value):
    assert rules.parse_local(value, "ends_at") is None


@pytest.mark.parametrize("value, expected", [
    # Winter: Paris is UTC+1.
    (dt.datetime(2026, 11, 26, 17, 30, tzinfo=dt.UTC), dt.datetime(2026, 11, 26, 18, 30)),
    # Summer: Paris is UTC+2.
    (dt.datetime(2026, 7, 2, 16, 30, tzinfo=dt.UTC), dt.datetime(2026, 7, 2, 18, 30)),
    # A time from elsewhere (New York, summer: UTC-4) lands on the Paris clock.
    (dt.datetime(2026, 7, 2, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=-4))),
     dt.datetime(2026, 7, 2, 18, 30)),
    # Text with an offset, as found in an ICS file or an exchange package.
    ("2026-11-26T17:30:00+00:00", dt.datetime(2026, 11, 26, 18, 30)),
    ("2026-07-02T18:30:00+02:00", dt.datetime(2026, 7, 2, 18, 30)),
])
def test_parse_local_converts_an_aware_time_to_paris_wall_time(value, expected):
    moment = rules.parse_local(value, "starts_at")
    assert moment == expected
    assert moment.tzinfo is None


@pytest.mark.parametrize("value", ["demain 18h30", "2026-13-01T18:30", "2026-11-26T25:00",
                                   "26/11/2026 18:30", "18:30"])
@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
def test_parse_local_refuses_garbage_naming_the_field(value, field):
    with pytest.raises(ValidationError) as excinfo:
        rules.parse_local(value, field)
    assert excinfo.value.field == field
    assert value in str(excinfo.value)
    assert "n'est pas une date et une heure valides" in str(excinfo.value)


def test_store_local_is_minutes_without_offset():
    assert rules.store_local(dt.datetime(2026, 3, 5, 9, 5, 42)) == "2026-03-05T09:05"


@pytest.mark.parametrize("stored, expected", [
    ("2026-11-26T18:30", "2026-11-26T18:30:00+01:00"),   # winter
    ("2026-07-02T18:30", "2026-07-02T18:30:00+02:00"),   # summer
    # Around the changes of time (last Sundays of March and October 2026).
    ("2026-03-28T12:00", "2026-03-28T12:00:00+01:00"),
    ("2026-03-29T12:00", "2026-03-29T12:00:00+02:00"),
    ("2026-10-24T12:00", "2026-10-24T12:00:00+02:00"),
    ("2026-10-25T12:00", "2026-10-25T12:00:00+01:00"),
])
def test_iso_with_offset_gives_the_paris_offset_of_the_day(stored, expected):
    assert rules.iso_with_offset(stored) == expected
    moment = rules.aware(stored)
    assert moment.utcoffset() == dt.timedelta(hours=int(expected[-5:-3]))
    # The wall-clock time itself is unchanged, only labelled.
    assert rules.store_local(moment.replace(tzinfo=None)) == stored


def test_aware_round_trips_through_parse_local():
    moment = rules.aware("2026-07-02T18:30")
    assert moment.astimezone(dt.UTC) == dt.datetime(2026, 7, 2, 16, 30, tzinfo=dt.UTC)
    assert rules.parse_local(moment, "starts_at") == dt.datetime(2026, 7, 2, 18, 30)


@pytest.mark.parametrize("value", [None, ""])
def test_iso_with_offset_of_nothing_is_none(value):
    assert rules.iso_with_offset(value) is None


# -- validate_meeting -----------------------------------------------------------------

def test_validate_meeting_normalises():
    values = rules.validate_meeting({
        "kind": "pleniere", "title": "  Séance   plénière ", "starts_at": "2026-11-26 18:30",
        "ends_at": "2026-11-26T20:30:45", "venue": " Maison de quartier ",
        "notes": "  Ordre du jour envoyé.\n\n", "cancelled": "yes",
    })
    assert values == {
        "kind": "pleniere", "title": "Séance plénière", "starts_at": "2026-11-26T18:30",
        "ends_at": "2026-11-26T20:30", "venue": "Maison de quartier",
        "notes": "Ordre du jour envoyé.", "cancelled": 1,
    }
    assert rules.validate_meeting({"cancelled": 0}) == {"cancelled": 0}
    assert rules.validate_meeting({"ends_at": ""}) == {"ends_at": None}


@pytest.mark.parametrize("ends_at", ["2026-11-26T18:00", "2026-11-26T18:30",
                                     "2026-11-25T20:00"])
def test_validate_meeting_refuses_an_end_not_after_the_start(ends_at):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_meeting({"starts_at": "2026-11-26T18:30", "ends_at": ends_at})
    assert excinfo.value.field == "ends_at"
    assert str(excinfo.value) == "La réunion doit se terminer après son début."


def test_validate_meeting_accepts_an_end_one_minute_after_the_start():
    values = rules.validate_meeting({"starts_at": "2026-11-26T18:30",
                                     "ends_at": "2026-11-26T18:31"})
    assert values["ends_at"] == "2026-11-26T18:31"


CURRENT = {"title": "Plénière", "kind": "pleniere", "starts_at": "2026-11-26T18:30",
           "ends_at": "2026-11-26T20:30"}


@pytest.mark.parametrize("changes, field", [
    ({"ends_at": "2026-11-26T18:30"}, "ends_at"),      # only the end moves, onto the start
    ({"ends_at": "2026-11-26T17:00"}, "ends_at"),      # only the end moves, before the start
    ({"starts_at": "2026-11-26T20:30"}, "starts_at"),  # only the start moves, onto the end
    ({"starts_at": "2026-11-27T18:30"}, "starts_at"),  # only the start moves, to the next day
])
def test_validate_meeting_checks_the_order_against_the_current_record(changes, field):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_meeting(changes, CURRENT)
    assert excinfo.value.field == field


def test_validate_meeting_against_the_current_record_accepts_consistent_changes():
    # Both move together: the pair is checked, not each against the old value.
    values = rules.validate_meeting({"starts_at": "2026-11-27T18:30",
                                     "ends_at": "2026-11-27T20:00"}, CURRENT)
    assert values == {"starts_at": "2026-11-27T18:30", "ends_at": "2026-11-27T20:00"}
    # The end removed: the start may then move anywhere.
    assert rules.validate_meeting({"starts_at": "2026-11-27T21:00", "ends_at": None},
                                  CURRENT) == {"starts_at": "2026-11-27T21:00", "ends_at": None}
    # Only the changed fields come back.
    assert rules.validate_meeting({"title": "Autre"}, CURRENT) == {"title": "Autre"}


@pytest.mark.parametrize("title", ["", "   ", None, "\n\t"])
def test_validate_meeting_refuses_an_empty_title(title):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_meeting({"title": title})
    assert excinfo.value.field == "title"
    assert str(excinfo.value) == "Une réunion doit avoir un titre."


def test_validate_meeting_refuses_a_title_of_more_than_a_line():
    assert rules.validate_meeting({"title": "x" * 300})["title"] == "x" * 300
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_meeting({"title": "x" * 301})
    assert excinfo.value.field == "title"


@pytest.mark.parametrize("value", [None, ""])
def test_validate_meeting_refuses_a_missing_start(value):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_meeting({"starts_at": value})
    assert excinfo.value.field == "starts_at"


@pytest.mark.parametrize("kind", ["", "  ", None])
def test_validate_meeting_refuses_an_empty_kind(kind):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_meeting({"kind": kind})
    assert excinfo.value.field == "kind"


def test_validate_meeting_accepts_long_notes_up_to_long_text():
    notes = ("Compte rendu détaillé. " * 10_000)[:rules.LONG_TEXT - 1] + "."
    assert len(notes) == rules.LONG_TEXT
    assert rules.validate_meeting({"notes": notes})["notes"] == notes
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_meeting({"notes": notes + "x"})
    assert excinfo.value.field == "notes"


def test_validate_meeting_refuses_unknown_fields_as_a_bug():
    with pytest.raises(ValueError, match="minutes_status"):
        rules.validate_meeting({"minutes_status": "valide"})


# -- votes and durations --------------------------------------------------------------

VOTE_FIELDS = ("votes_for", "votes_against", "votes_abstain")


@pytest.mark.parametrize("field", VOTE_FIELDS)
@pytest.mark.parametrize("value, expected", [
    (11, 11), (0, 0), ("2", 2), (" 14 ", 14), ("", None), ("  ", None), (None, None),
])
def test_votes_accept_whole_numbers_and_blank(field, value, expected):
    assert rules.validate_decision({field: value}) == {field: expected}


@pytest.mark.parametrize("field", VOTE_FIELDS)
@pytest.mark.parametrize("value", [-1, "-1", "abc", "3.5", 3.5, 2.0, "1e3", True, False,
                                   "onze", [3]])
def test_votes_refuse_negative_non_numeric_and_bool(field, value):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_decision({field: value})
    assert excinfo.value.field == field
    assert str(excinfo.value) == "Un nombre de voix est un nombre entier."


def test_votes_refuse_a_doubled_minus_sign_as_bad_input():
    with pytest.raises(ValidationError):
        rules.validate_decision({"votes_for": "--3"})


def test_decision_text_is_required_and_may_be_long():
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_decision({"text": "  "})
    assert excinfo.value.field == "text"
    long_text = "d" * rules.LONG_TEXT
    assert rules.validate_decision({"text": long_text})["text"] == long_text


@pytest.mark.parametrize("value, expected", [(90, 90), ("15", 15), (1, 1), ("", None),
                                             (None, None)])
def test_durations_accept_minutes_and_blank(value, expected):
    assert rules.validate_agenda_item({"duration_minutes": value}) == {
        "duration_minutes": expected}


@pytest.mark.parametrize("value", [0, "0", -10, "-5", "1h30", 1.5, True, "quinze"])
def test_durations_refuse_zero_negative_non_numeric_and_bool(value):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_agenda_item({"duration_minutes": value})
    assert excinfo.value.field == "duration_minutes"
    assert str(excinfo.value) == "Une durée s'exprime en minutes (un nombre entier)."


def test_agenda_item_fields():
    assert rules.validate_agenda_item({
        "title": "  Cadre de vie ", "presenter": " Mme  Garnier ", "objective_code": "",
        "notes": "x" * rules.LONG_TEXT,
    }) == {"title": "Cadre de vie", "presenter": "Mme Garnier", "objective_code": None,
           "notes": "x" * rules.LONG_TEXT}
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_agenda_item({"title": ""})
    assert excinfo.value.field == "title"


def test_action_fields():
    assert rules.validate_action({"text": " Écrire au maire ", "due_on": "2026-12-15",
                                  "status": "en_cours", "assignee_body": " Ville ",
                                  "assignee_person_id": ""}) == {
        "text": "Écrire au maire", "due_on": "2026-12-15", "status": "en_cours",
        "assignee_body": "Ville", "assignee_person_id": None}
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_action({"status": "termine"})
    assert excinfo.value.field == "status"
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_action({"due_on": "15/12/2026"})
    assert excinfo.value.field == "due_on"


# -- quorum ---------------------------------------------------------------------------

@pytest.mark.parametrize("members, percent, expected", [
    (15, 50, 8),     # half of 15 is 7.5: rounded up
    (16, 50, 8),     # exactly half
    (17, 50, 9),
    (1, 50, 1),
    (10, 33, 4),     # 3.3 → 4
    (10, 30, 3),     # exactly 3: not pushed to 4 by rounding
    (100, 7, 7),
    (12, 100, 12),
    (12, 1, 1),
    (0, 50, None),   # no members invited: no quorum to reach
    (16, None, None),  # the council has no quorum rule
])
def test_quorum_required(members, percent, expected):
    assert rules.quorum_required(members, percent) == expected


# -- age bands ------------------------------------------------------------------------

@pytest.mark.parametrize("birth_year, band", [
    (2026, AgeBand.MOINS_16),
    (2011, AgeBand.MOINS_16),      # 15 this year
    (2010, AgeBand.DE_16_A_25),    # 16
    (2001, AgeBand.DE_16_A_25),    # 25
    (2000, AgeBand.DE_26_A_59),    # 26
    (1967, AgeBand.DE_26_A_59),    # 59
    (1966, AgeBand.PLUS_60),       # 60
    (1930, AgeBand.PLUS_60),
    (None, AgeBand.NON_PRECISE),
])
@pytest.mark.parametrize("on", [dt.date(2026, 1, 1), dt.date(2026, 12, 31)])
def test_age_band_by_the_age_reached_during_the_year(birth_year, band, on):
    assert rules.age_band(birth_year, on) == band


def test_age_band_moves_with_the_year():
    assert rules.age_band(2010, dt.date(2025, 12, 31)) == AgeBand.MOINS_16
    assert rules.age_band(2010, dt.date(2026, 1, 1)) == AgeBand.DE_16_A_25


def test_labels_are_french():
    assert rules.action_status_label("a_faire") == "à faire"
    assert rules.action_status_label("en_cours") == "en cours"
    with pytest.raises(ValueError):
        rules.action_status_label("termine")

"""Walking-diagnostic rules: walk fields, stops and coordinates, plan positions,
observations (priority, strength or problem, tags) and follow-up steps."""

from __future__ import annotations

import datetime as dt

import pytest

from perr_desktop.domain import walks as rules
from perr_desktop.errors import ValidationError

# -- walks ------------------------------------------------------------------------------

def test_validate_walk_normalises_every_field():
    values = rules.validate_walk({
        "title": "  Diagnostic   de nuit ", "walk_date": " 2026-11-19 ", "start_time": "20:30",
        "period": "nuit", "weather": "  pluie   fine ", "notes": "  Départ du centre social.\n\n",
        "counted_participants": " 17 ", "previous_walk_id": "",
    })
    assert values == {
        "title": "Diagnostic de nuit", "walk_date": "2026-11-19", "start_time": "20:30",
        "period": "nuit", "weather": "pluie fine", "notes": "Départ du centre social.",
        "counted_participants": 17, "previous_walk_id": None,
    }


def test_validate_walk_returns_only_the_fields_given():
    assert rules.validate_walk({"weather": "sec"}) == {"weather": "sec"}
    assert rules.validate_walk({"walk_date": dt.date(2026, 11, 19)}) == {
        "walk_date": "2026-11-19"}


@pytest.mark.parametrize("title", ["", "   ", None, "\n\t"])
def test_validate_walk_refuses_an_empty_title(title):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_walk({"title": title})
    assert excinfo.value.field == "title"
    assert str(excinfo.value) == "Un diagnostic en marchant doit avoir un titre."


def test_validate_walk_refuses_a_title_longer_than_a_line():
    assert rules.validate_walk({"title": "x" * 300})["title"] == "x" * 300
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_walk({"title": "x" * 301})
    assert excinfo.value.field == "title"


@pytest.mark.parametrize("day", [None, ""])
def test_validate_walk_requires_a_date(day):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_walk({"walk_date": day})
    assert excinfo.value.field == "walk_date"
    assert str(excinfo.value) == "Un diagnostic en marchant doit avoir une date."


@pytest.mark.parametrize("day", ["19/11/2026", "2026-02-30", "demain"])
def test_validate_walk_refuses_a_date_that_is_not_one(day):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_walk({"walk_date": day})
    assert excinfo.value.field == "walk_date"
    assert day in str(excinfo.value)


@pytest.mark.parametrize("period, expected", [
    ("jour", "jour"), ("nuit", "nuit"), (rules.Period.NUIT, "nuit"),
    # Not chosen: by day.
    (None, "jour"), ("", "jour"),
])
def test_validate_walk_period_is_day_or_night(period, expected):
    assert rules.validate_walk({"period": period}) == {"period": expected}


@pytest.mark.parametrize("period", ["soir", "matin", "day", "Nuit "])
def test_validate_walk_refuses_any_other_period(period):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_walk({"period": period})
    assert excinfo.value.field == "period"
    assert str(excinfo.value) == "Un diagnostic se fait de jour ou de nuit."


def test_period_label_is_translated():
    assert rules.period_label("nuit") == "de nuit"
    assert rules.period_label(rules.Period.JOUR) == "de jour"


@pytest.mark.parametrize("typed, stored", [
    ("20:30", "20:30"), ("20h30", "20:30"), ("20H30", "20:30"), ("8h05", "08:05"),
    (" 18:30 ", "18:30"), ("20", "20:00"), ("0:00", "00:00"), ("23:59", "23:59"),
    (None, None), ("", None),
])
def test_validate_walk_reads_a_start_time_typed_the_french_way(typed, stored):
    assert rules.validate_walk({"start_time": typed}) == {"start_time": stored}


def test_validate_walk_reads_20h_as_eight_pm():
    assert rules.validate_walk({"start_time": "20h"}) == {"start_time": "20:00"}


@pytest.mark.parametrize("typed", ["25:00", "24:00", "20:60", "20:5", "2030", "huit heures",
                                   "20:30:00", "-1:00"])
def test_validate_walk_refuses_a_time_that_is_not_one(typed):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_walk({"start_time": typed})
    assert excinfo.value.field == "start_time"
    assert str(excinfo.value) == f"{typed} n'est pas une heure valide."


@pytest.mark.parametrize("typed, expected", [
    (12, 12), ("12", 12), (" 7 ", 7), (0, 0), ("0", 0), (None, 0), ("", 0)])
def test_validate_walk_counted_participants_is_a_whole_number(typed, expected):
    assert rules.validate_walk({"counted_participants": typed}) == {
        "counted_participants": expected}


@pytest.mark.parametrize("typed", ["-1", -3, "2.5", 2.5, "douze", True, "1 2"])
def test_validate_walk_refuses_counted_participants_that_are_not_a_whole_number(typed):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_walk({"counted_participants": typed})
    assert excinfo.value.field == "counted_participants"
    assert str(excinfo.value) == "Un nombre de participants est un nombre entier."


def test_validate_walk_refuses_an_unknown_field_as_a_programming_error():
    with pytest.raises(ValueError, match="not a walk field: council_id"):
        rules.validate_walk({"council_id": "x"})


# -- stops and coordinates --------------------------------------------------------------

def test_validate_stop_normalises():
    values = rules.validate_stop({
        "name": "  Place   du marché ", "address": " 12 rue   de Basseau ",
        "latitude": "45,648", "longitude": " 0.1319 ", "plan_x": 0.25, "plan_y": "1",
        "notes": "  Éclairage faible.\n"})
    assert values == {"name": "Place du marché", "address": "12 rue de Basseau",
                      "latitude": 45.648, "longitude": 0.1319, "plan_x": 0.25, "plan_y": 1.0,
                      "notes": "Éclairage faible."}


@pytest.mark.parametrize("name", ["", "  ", None])
def test_validate_stop_requires_a_name(name):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_stop({"name": name})
    assert excinfo.value.field == "name"
    assert str(excinfo.value) == "Un arrêt doit avoir un nom."


@pytest.mark.parametrize("typed, expected", [
    ("45,648", 45.648),          # French decimal comma
    ("45.648", 45.648), (45.648, 45.648), (" -0,5 ", -0.5), (0, 0.0),
    ("90", 90.0), ("-90", -90.0),
    (None, None), ("", None), ("   ", None),
])
def test_latitude_in_degrees(typed, expected):
    assert rules.validate_stop({"latitude": typed}) == {"latitude": expected}
    assert rules.coordinate(typed, "latitude") == expected


@pytest.mark.parametrize("typed, expected", [
    ("0,1319", 0.1319), ("180", 180.0), ("-180", -180.0),
    # 91 is out of range for a latitude but not for a longitude.
    ("91", 91.0),
])
def test_longitude_in_degrees(typed, expected):
    assert rules.validate_stop({"longitude": typed}) == {"longitude": expected}


@pytest.mark.parametrize("field, typed", [
    ("latitude", "91"), ("latitude", 90.0001), ("latitude", "-91"),
    ("longitude", "181"), ("longitude", -180.5), ("longitude", "nan"),
])
def test_a_coordinate_out_of_range_is_refused_naming_the_field(field, typed):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_stop({field: typed})
    assert excinfo.value.field == field
    assert str(excinfo.value) == f"{typed} est hors des limites d'une coordonnée."


@pytest.mark.parametrize("field", ["latitude", "longitude"])
@pytest.mark.parametrize("typed", ["45°38'N", "quarante", "45,6,1", "1e"])
def test_a_coordinate_that_is_not_a_number_is_refused_naming_the_field(field, typed):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_stop({field: typed})
    assert excinfo.value.field == field
    assert str(excinfo.value) == f"{typed} n'est pas une coordonnée en degrés."


@pytest.mark.parametrize("typed, expected", [
    (0, 0.0), (1, 1.0), ("0.5", 0.5), (0.333, 0.333), (None, None), ("", None)])
def test_plan_position_is_a_fraction_of_the_image(typed, expected):
    assert rules.plan_position(typed, "plan_x") == expected
    assert rules.validate_stop({"plan_y": typed}) == {"plan_y": expected}


@pytest.mark.parametrize("field", ["plan_x", "plan_y"])
@pytest.mark.parametrize("typed", [-0.01, 1.01, "2", "milieu", [0.5]])
def test_plan_position_outside_the_image_is_refused(field, typed):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_stop({field: typed})
    assert excinfo.value.field == field
    assert str(excinfo.value) == "Ce n'est pas une position sur le plan."


def test_validate_stop_refuses_an_unknown_field_as_a_programming_error():
    with pytest.raises(ValueError, match="not a stop field: position"):
        rules.validate_stop({"position": 3})


# -- observations -----------------------------------------------------------------------

def test_validate_observation_normalises():
    values = rules.validate_observation({
        "stop_id": "s1", "theme": "eclairage", "positive": False,
        "description": "  Lampadaire éteint depuis 3 semaines devant le n° 12\n",
        "feeling": "", "proposal": " Réparer ", "priority": "1", "objective_code": "",
        "tags": "TFPB, éclairage ,tfpb", "latitude": "45,6481", "longitude": "0,1302",
        "plan_x": 0.4, "plan_y": 0.6})
    assert values == {
        "stop_id": "s1", "theme": "eclairage", "positive": 0,
        "description": "Lampadaire éteint depuis 3 semaines devant le n° 12", "feeling": "",
        "proposal": "Réparer", "priority": 1, "objective_code": None,
        "tags": "TFPB, éclairage", "latitude": 45.6481, "longitude": 0.1302,
        "plan_x": 0.4, "plan_y": 0.6}


@pytest.mark.parametrize("typed, expected", [
    (1, 1), (2, 2), (3, 3), ("1", 1), (" 3 ", 3), (None, None), ("", None), (0, None)])
def test_validate_observation_priority_is_1_2_or_3(typed, expected):
    assert rules.validate_observation({"priority": typed}) == {"priority": expected}


@pytest.mark.parametrize("typed", [4, -1, "0", "4", "haute", "1.5", [1]])
def test_validate_observation_refuses_any_other_priority(typed):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_observation({"priority": typed})
    assert excinfo.value.field == "priority"
    assert str(excinfo.value) == "La priorité est 1, 2 ou 3."


@pytest.mark.parametrize("typed, expected", [
    (True, 1), (False, 0), (1, 1), (0, 0), (None, 0), ("", 0), ("oui", 1), ("1", 1)])
def test_validate_observation_positive_is_stored_as_0_or_1(typed, expected):
    assert rules.validate_observation({"positive": typed}) == {"positive": expected}


@pytest.mark.parametrize("typed", ["0", "False"])
def test_validate_observation_positive_reads_false_strings_as_a_problem(typed):
    assert rules.validate_observation({"positive": typed}) == {"positive": 0}


@pytest.mark.parametrize("typed, expected", [
    ("TFPB, éclairage ,tfpb", "TFPB, éclairage"),
    ("  tfpb ;TFPB;  parties   communes ", "tfpb, parties communes"),
    (["TFPB", " Éclairage ", "éclairage", ""], "TFPB, Éclairage"),
    (("a", "b"), "a, b"),
    ("", ""), (None, ""), (" , ; ", ""),
])
def test_tags_are_comma_separated_each_once_first_spelling_kept(typed, expected):
    assert rules.normalise_tags(typed) == expected
    assert rules.validate_observation({"tags": typed}) == {"tags": expected}


def test_tags_longer_than_a_line_are_refused():
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_observation({"tags": ", ".join(f"tag{i:03d}" for i in range(60))})
    assert excinfo.value.field == "tags"


@pytest.mark.parametrize("field", ["description", "feeling", "proposal"])
def test_observation_texts_are_long_but_limited(field):
    assert rules.validate_observation({field: "x" * 50_000}) == {field: "x" * 50_000}
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_observation({field: "x" * 50_001})
    assert excinfo.value.field == field


def test_observation_coordinates_and_plan_positions_follow_the_stop_rules():
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_observation({"latitude": "91"})
    assert excinfo.value.field == "latitude"
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_observation({"longitude": "181"})
    assert excinfo.value.field == "longitude"
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_observation({"plan_x": 1.5})
    assert excinfo.value.field == "plan_x"


def test_validate_observation_refuses_an_unknown_field_as_a_programming_error():
    with pytest.raises(ValueError, match="not an observation field: number"):
        rules.validate_observation({"number": 4})


# -- follow-up steps --------------------------------------------------------------------

TODAY = dt.date(2025, 3, 10)


def test_validate_step_normalises():
    values = rules.validate_step({
        "status": " programme ", "step_date": "2025-02-10", "channel": "reponse_ecrite",
        "note": "  Travaux prévus en mars.\n", "next_reminder_on": "2025-03-31"}, TODAY)
    assert values == {"status": "programme", "step_date": "2025-02-10",
                      "channel": "reponse_ecrite", "note": "Travaux prévus en mars.",
                      "next_reminder_on": "2025-03-31"}


def test_validate_step_accepts_today_and_no_reminder():
    assert rules.validate_step({"step_date": "2025-03-10", "next_reminder_on": ""}, TODAY) == {
        "step_date": "2025-03-10", "next_reminder_on": None}


@pytest.mark.parametrize("day", [None, ""])
def test_validate_step_requires_a_date(day):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_step({"status": "transmis", "step_date": day}, TODAY)
    assert excinfo.value.field == "step_date"
    assert str(excinfo.value) == "Une étape de suivi doit avoir une date."


def test_validate_step_refuses_a_date_in_the_future():
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_step({"step_date": "2025-03-11"}, TODAY)
    assert excinfo.value.field == "step_date"
    assert str(excinfo.value) == "Une étape de suivi ne peut pas être datée dans le futur."


def test_validate_step_future_is_judged_against_the_real_day_by_default():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        rules.validate_step({"step_date": tomorrow.isoformat()})
    assert rules.validate_step({"step_date": dt.date.today()}) == {
        "step_date": dt.date.today().isoformat()}


@pytest.mark.parametrize("reminder", ["2025-02-10", "2025-02-09", "2024-12-31"])
def test_validate_step_refuses_a_reminder_not_after_the_step(reminder):
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_step({"step_date": "2025-02-10", "next_reminder_on": reminder}, TODAY)
    assert excinfo.value.field == "next_reminder_on"
    assert str(excinfo.value) == "La relance doit venir après l'étape."


def test_validate_step_accepts_a_reminder_the_day_after_the_step_even_in_the_future():
    values = rules.validate_step({"step_date": "2025-03-10",
                                  "next_reminder_on": "2025-03-11"}, TODAY)
    assert values["next_reminder_on"] == "2025-03-11"


def test_validate_step_refuses_a_reminder_that_is_not_a_date():
    with pytest.raises(ValidationError) as excinfo:
        rules.validate_step({"step_date": "2025-02-10", "next_reminder_on": "mars"}, TODAY)
    assert excinfo.value.field == "next_reminder_on"


def test_validate_step_refuses_an_unknown_field_as_a_programming_error():
    with pytest.raises(ValueError, match="not a follow-up step field: body"):
        rules.validate_step({"body": "ville"}, TODAY)


def test_follow_up_constants_match_the_vocabulary():
    from perr_desktop.storage.reference import load_json

    statuses = {e["code"]: e["grouping"] for e in load_json("vocabularies.json")[
        "followup_status"]}
    assert statuses[rules.FIRST_STATUS] == rules.OPEN
    assert statuses[rules.SENT_STATUS] == rules.OPEN
    assert set(statuses.values()) == {rules.OPEN, rules.FIXED, rules.CLOSED}
    assert rules.REMINDER_AFTER_DAYS == 30

"""Walk use cases (journey 4): the walk and its repetition a year later, the route, who took
part, observations numbered for good, photos put on observations by hand or by time."""

from __future__ import annotations

import pytest

from perr_desktop.errors import NotFoundError, ValidationError
from perr_desktop.services import councils, people
from perr_desktop.services import walks as svc
from tests.services.walks_helpers import (
    add_photo,
    add_plan,
    dump,
    photo_row,
    row,
    set_created_at,
)

NIGHT = "2026-11-19"
A_YEAR_LATER = "2027-11-18"


@pytest.fixture
def council(db):
    return councils.create_council(db, "Basseau Grande-Garenne", status="actif")


@pytest.fixture
def other_council(db):
    return councils.create_council(db, "Ma Campagne", status="actif")


@pytest.fixture
def walk(db, council):
    return svc.create_walk(db, council, "Diagnostic de nuit", NIGHT, period="nuit",
                           start_time="20h30", weather="sec, froid")


@pytest.fixture
def other_walk(db, council):
    return svc.create_walk(db, council, "Diagnostic de jour", "2026-06-11")


def numbers(db, walk_id):
    return [o["number"] for o in svc.observations(db, walk_id)]


def stop_names(db, walk_id):
    return [(s["position"], s["name"]) for s in svc.stops(db, walk_id)]


# -- walks ------------------------------------------------------------------------------

def test_create_walk_stores_the_validated_fields(db, council, walk):
    stored = svc.require_walk(db, walk)
    assert {k: stored[k] for k in ("council_id", "title", "walk_date", "period", "start_time",
                                   "weather", "notes", "counted_participants",
                                   "previous_walk_id", "plan_media_id")} == {
        "council_id": council, "title": "Diagnostic de nuit", "walk_date": NIGHT,
        "period": "nuit", "start_time": "20:30", "weather": "sec, froid", "notes": "",
        "counted_participants": 0, "previous_walk_id": None, "plan_media_id": None}


def test_create_walk_is_by_day_unless_said(db, council):
    walk_id = svc.create_walk(db, council, "Marche", "2026-06-11")
    assert svc.require_walk(db, walk_id)["period"] == "jour"
    assert svc.require_walk(db, walk_id)["start_time"] is None


@pytest.mark.parametrize("kwargs, field", [
    ({"title": "  "}, "title"),
    ({"walk_date": ""}, "walk_date"),
    ({"walk_date": "19/11/2026"}, "walk_date"),
    ({"period": "soir"}, "period"),
    ({"start_time": "25:00"}, "start_time"),
])
def test_create_walk_refuses_bad_fields_and_writes_nothing(db, council, kwargs, field):
    before = dump(db)
    args = {"title": "Diagnostic", "walk_date": NIGHT, **kwargs}
    with pytest.raises(ValidationError) as excinfo:
        svc.create_walk(db, council, **args)
    assert excinfo.value.field == field
    assert dump(db) == before


def test_create_walk_needs_a_living_council(db, council):
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.create_walk(db, "no-such-council", "Diagnostic", NIGHT)
    assert excinfo.value.field == "council_id"
    councils.delete_council(db, council)
    with pytest.raises(ValidationError):
        svc.create_walk(db, council, "Diagnostic", NIGHT)
    assert dump(db) == before


def test_create_walk_links_an_existing_previous_walk(db, council, walk):
    again = svc.create_walk(db, council, "Diagnostic de nuit", A_YEAR_LATER,
                            previous_walk_id=walk)
    assert svc.require_walk(db, again)["previous_walk_id"] == walk


def test_create_walk_refuses_a_previous_walk_that_does_not_exist(db, council, walk):
    svc.delete_walk(db, walk)
    before = dump(db)
    for previous in ("no-such-walk", walk):
        with pytest.raises(NotFoundError) as excinfo:
            svc.create_walk(db, council, "Diagnostic", A_YEAR_LATER, previous_walk_id=previous)
        assert previous in str(excinfo.value)
    assert dump(db) == before


def test_update_walk_changes_only_what_is_given(db, clock, walk):
    before = svc.require_walk(db, walk)
    svc.update_walk(db, walk, weather="pluie", counted_participants="14", notes=" RAS ")
    after = svc.require_walk(db, walk)
    assert (after["weather"], after["counted_participants"], after["notes"]) == (
        "pluie", 14, "RAS")
    assert {k: after[k] for k in ("title", "walk_date", "period", "start_time")} == {
        k: before[k] for k in ("title", "walk_date", "period", "start_time")}
    assert after["updated_at"] > before["updated_at"]


def test_update_walk_previous_walk_must_be_another_existing_walk(db, walk, other_walk):
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.update_walk(db, walk, previous_walk_id=walk)
    assert excinfo.value.field == "previous_walk_id"
    assert str(excinfo.value) == "Un diagnostic ne peut pas être comparé avec lui-même."
    with pytest.raises(NotFoundError):
        svc.update_walk(db, walk, previous_walk_id="no-such-walk")
    assert dump(db) == before

    svc.update_walk(db, walk, previous_walk_id=other_walk)
    assert svc.require_walk(db, walk)["previous_walk_id"] == other_walk
    svc.update_walk(db, walk, previous_walk_id="")
    assert svc.require_walk(db, walk)["previous_walk_id"] is None


def test_update_walk_refuses_a_deleted_previous_walk(db, walk, other_walk):
    svc.delete_walk(db, other_walk)
    with pytest.raises(NotFoundError):
        svc.update_walk(db, walk, previous_walk_id=other_walk)
    assert svc.require_walk(db, walk)["previous_walk_id"] is None


def test_update_walk_refuses_an_empty_title_or_date(db, walk):
    before = dump(db)
    with pytest.raises(ValidationError):
        svc.update_walk(db, walk, title="")
    with pytest.raises(ValidationError):
        svc.update_walk(db, walk, walk_date=None)
    assert dump(db) == before


def test_delete_walk_leaves_a_tombstone(db, council, walk, other_walk):
    svc.delete_walk(db, walk)
    assert row(db, "walks", walk)["deleted_at"] is not None
    assert [w["id"] for w in svc.list_walks(db, council)] == [other_walk]
    with pytest.raises(NotFoundError):
        svc.require_walk(db, walk)
    with pytest.raises(NotFoundError):
        svc.get_walk(db, walk)
    with pytest.raises(NotFoundError):
        svc.update_walk(db, walk, weather="pluie")
    with pytest.raises(NotFoundError):
        svc.add_stop(db, walk, "Place du marché")
    with pytest.raises(NotFoundError):
        svc.delete_walk(db, walk)


def test_list_walks_newest_first_per_council_with_counts(db, council, other_council, walk,
                                                         other_walk):
    elsewhere = svc.create_walk(db, other_council, "Marche exploratoire", "2026-09-01")
    stop = svc.add_stop(db, walk, "Place du marché")
    svc.add_stop(db, walk, "Parking")
    svc.add_observation(db, walk, stop_id=stop, theme="eclairage", positive=False)
    svc.add_observation(db, walk, theme="espaces_verts", positive=True)
    gone = svc.add_observation(db, walk, theme="proprete", positive=True)
    svc.remove_observation(db, gone)
    add_photo(db, walk, "2026-11-19T20:40:00", "a.jpg")
    svc.remove_photo(db, add_photo(db, walk, "2026-11-19T20:41:00", "b.jpg"))

    assert [w["id"] for w in svc.list_walks(db)] == [walk, elsewhere, other_walk]
    rows = svc.list_walks(db, council)
    assert [w["id"] for w in rows] == [walk, other_walk]
    first = rows[0]
    assert (first["council_name"], first["observation_count"], first["positive_count"],
            first["photo_count"], first["stop_count"]) == ("Basseau Grande-Garenne", 2, 1, 1, 2)
    assert (rows[1]["observation_count"], rows[1]["stop_count"]) == (0, 0)


def test_set_plan_puts_an_image_on_the_walk(db, walk):
    plan = add_plan(db)
    svc.set_plan(db, walk, plan)
    assert svc.get_walk(db, walk)["plan"]["original_name"] == "plan-basseau.png"
    svc.set_plan(db, walk, None)
    assert svc.get_walk(db, walk)["plan"] is None


def test_repeat_walk_copies_the_route_and_the_plan_and_links_the_walks(db, council, walk):
    plan = add_plan(db)
    svc.set_plan(db, walk, plan)
    svc.add_stop(db, walk, "Centre social", address="1 rue de Basseau", latitude="45,648",
                 longitude="0,131", plan_x=0.1, plan_y=0.2, notes="départ")
    removed = svc.add_stop(db, walk, "Impasse")
    svc.add_stop(db, walk, "Square", address="place Mauriac", plan_x=0.8, plan_y=0.9)
    svc.add_stop(db, walk, "Arrêt de bus")
    svc.remove_stop(db, removed)
    svc.add_observation(db, walk, theme="eclairage", description="Lampadaire éteint")
    svc.add_participant(db, walk, "habitant", name="Mme Garnier")

    again = svc.repeat_walk(db, walk, A_YEAR_LATER)

    copy = svc.require_walk(db, again)
    assert {k: copy[k] for k in ("council_id", "title", "walk_date", "period", "start_time",
                                 "plan_media_id", "previous_walk_id")} == {
        "council_id": council, "title": "Diagnostic de nuit", "walk_date": A_YEAR_LATER,
        "period": "nuit", "start_time": "20:30", "plan_media_id": plan,
        "previous_walk_id": walk}
    fields = ("position", "name", "address", "latitude", "longitude", "plan_x", "plan_y")
    assert [{k: s[k] for k in fields} for s in svc.stops(db, again)] == [
        {k: s[k] for k in fields} for s in svc.stops(db, walk)]
    assert [(s["position"], s["name"], s["latitude"], s["plan_y"])
            for s in svc.stops(db, again)] == [
        (1, "Centre social", 45.648, 0.2), (2, "Square", None, 0.9),
        (3, "Arrêt de bus", None, None)]
    # New rows, not the old ones moved; what was found and who came are not copied.
    assert not {s["id"] for s in svc.stops(db, again)} & {s["id"] for s in svc.stops(db, walk)}
    assert len(svc.stops(db, walk)) == 3
    assert svc.observations(db, again) == []
    assert svc.participants(db, again) == []
    # The next stop added goes after the copied ones.
    svc.add_stop(db, again, "Nouvel arrêt")
    assert stop_names(db, again)[-1] == (4, "Nouvel arrêt")


def test_repeat_walk_may_change_the_period(db, walk):
    again = svc.repeat_walk(db, walk, A_YEAR_LATER, period="jour")
    assert svc.require_walk(db, again)["period"] == "jour"
    assert svc.require_walk(db, walk)["period"] == "nuit"


def test_repeat_walk_of_a_missing_walk_or_with_a_bad_date_writes_nothing(db, walk):
    svc.add_stop(db, walk, "Centre social")
    before = dump(db)
    with pytest.raises(NotFoundError):
        svc.repeat_walk(db, "no-such-walk", A_YEAR_LATER)
    with pytest.raises(ValidationError):
        svc.repeat_walk(db, walk, "l'an prochain")
    assert dump(db) == before


# -- stops ------------------------------------------------------------------------------

def test_add_stop_numbers_the_route_in_order(db, walk):
    first = svc.add_stop(db, walk, " Centre   social ", address="1 rue de Basseau",
                         latitude="45,6482", longitude="0,1319")
    svc.add_stop(db, walk, "Parking")
    svc.add_stop(db, walk, "Square")
    assert stop_names(db, walk) == [(1, "Centre social"), (2, "Parking"), (3, "Square")]
    stored = row(db, "walk_stops", first)
    assert (stored["address"], stored["latitude"], stored["longitude"]) == (
        "1 rue de Basseau", 45.6482, 0.1319)


@pytest.mark.parametrize("name, fields, field", [
    ("", {}, "name"),
    ("Parking", {"latitude": "91"}, "latitude"),
    ("Parking", {"longitude": "181"}, "longitude"),
    ("Parking", {"latitude": "nord"}, "latitude"),
    ("Parking", {"plan_x": 1.2}, "plan_x"),
])
def test_add_stop_refuses_bad_fields_and_writes_nothing(db, walk, name, fields, field):
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.add_stop(db, walk, name, **fields)
    assert excinfo.value.field == field
    assert dump(db) == before


def test_update_stop(db, walk):
    stop = svc.add_stop(db, walk, "Parking")
    svc.update_stop(db, stop, name="Parking Lidl", plan_x="0.5", latitude="45,65")
    stored = row(db, "walk_stops", stop)
    assert (stored["name"], stored["plan_x"], stored["latitude"], stored["position"]) == (
        "Parking Lidl", 0.5, 45.65, 1)
    with pytest.raises(ValidationError):
        svc.update_stop(db, stop, name=" ")
    assert row(db, "walk_stops", stop)["name"] == "Parking Lidl"


@pytest.mark.parametrize("name, offset, expected", [
    ("Square", -1, ["Centre", "Square", "Parking", "Bus"]),
    ("Parking", 1, ["Centre", "Square", "Parking", "Bus"]),
    ("Square", -10, ["Square", "Centre", "Parking", "Bus"]),   # clamped to the first place
    ("Centre", 10, ["Parking", "Square", "Bus", "Centre"]),    # clamped to the last place
    ("Centre", -1, ["Centre", "Parking", "Square", "Bus"]),    # already first
    ("Parking", 0, ["Centre", "Parking", "Square", "Bus"]),
])
def test_move_stop(db, walk, name, offset, expected):
    ids = {n: svc.add_stop(db, walk, n) for n in ("Centre", "Parking", "Square", "Bus")}
    svc.move_stop(db, ids[name], offset)
    assert stop_names(db, walk) == list(enumerate(expected, start=1))


def test_removing_a_stop_renumbers_the_route_without_a_gap(db, walk):
    ids = {n: svc.add_stop(db, walk, n) for n in ("Centre", "Parking", "Square")}
    svc.remove_stop(db, ids["Parking"])
    assert stop_names(db, walk) == [(1, "Centre"), (2, "Square")]
    svc.move_stop(db, ids["Square"], -1)
    assert stop_names(db, walk) == [(1, "Square"), (2, "Centre")]


def test_remove_stop_keeps_its_observations_and_photos_unlinked(db, walk):
    centre = svc.add_stop(db, walk, "Centre")
    parking = svc.add_stop(db, walk, "Parking")
    observation = svc.add_observation(db, walk, stop_id=parking, theme="eclairage")
    elsewhere = svc.add_observation(db, walk, stop_id=centre, theme="proprete")
    on_observation = add_photo(db, walk, "2026-11-19T20:40:00", "a.jpg")
    svc.assign_photo(db, on_observation, observation_id=observation)
    on_stop = add_photo(db, walk, "2026-11-19T20:41:00", "b.jpg", stop_id=parking)

    svc.remove_stop(db, parking)

    assert row(db, "walk_stops", parking)["deleted_at"] is not None
    assert stop_names(db, walk) == [(1, "Centre")]
    kept = {o["id"]: o for o in svc.observations(db, walk)}
    assert kept[observation]["stop_id"] is None
    assert kept[observation]["stop_name"] is None
    assert kept[elsewhere]["stop_id"] == centre
    assert (photo_row(db, on_observation)["stop_id"],
            photo_row(db, on_observation)["observation_id"]) == (None, observation)
    assert photo_row(db, on_stop)["stop_id"] is None
    assert photo_row(db, on_stop)["deleted_at"] is None
    with pytest.raises(NotFoundError):
        svc.remove_stop(db, parking)
    # A removed stop cannot be chosen any more.
    with pytest.raises(ValidationError):
        svc.update_observation(db, elsewhere, stop_id=parking)


# -- participants -----------------------------------------------------------------------

def test_participants_from_the_directory_or_typed(db, clock, walk):
    garnier = people.create_person(db, first_name="Hélène", last_name="Garnier")
    dupont = people.create_person(db, first_name="Bernard", last_name="Dupont",
                                  organisation="Logélia")
    svc.add_participant(db, walk, "animateur", person_id=garnier)
    svc.add_participant(db, walk, "partenaire", person_id=dupont)
    svc.add_participant(db, walk, "partenaire", person_id=dupont, organisation="Ville")
    svc.add_participant(db, walk, "habitant", name="  Mme   Lopez ")
    svc.add_participant(db, walk, "partenaire", name="Technicien", organisation=" Ville ")

    rows = svc.participants(db, walk)
    assert [(r["display"], r["role"], r["organisation"], r["person_id"]) for r in rows] == [
        ("Hélène Garnier", "animateur", "", garnier),
        ("Bernard Dupont", "partenaire", "Logélia", dupont),
        ("Bernard Dupont", "partenaire", "Ville", dupont),
        ("Mme Lopez", "habitant", "", None),
        ("Technicien", "partenaire", "Ville", None),
    ]


@pytest.mark.parametrize("role", ["", "maire", "Habitant"])
def test_add_participant_refuses_a_role_outside_the_vocabulary(db, walk, role):
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.add_participant(db, walk, role, name="Mme Lopez")
    assert excinfo.value.field == "role"
    assert str(excinfo.value) == f"Rôle inconnu : {role}."
    assert dump(db) == before


def test_add_participant_needs_a_person_or_a_name(db, walk):
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.add_participant(db, walk, "habitant", name="   ")
    assert excinfo.value.field == "name"
    with pytest.raises(NotFoundError):
        svc.add_participant(db, walk, "habitant", person_id="no-such-person")
    with pytest.raises(NotFoundError):
        svc.add_participant(db, "no-such-walk", "habitant", name="Mme Lopez")
    assert dump(db) == before


def test_remove_participant(db, walk):
    kept = svc.add_participant(db, walk, "habitant", name="Mme Lopez")
    gone = svc.add_participant(db, walk, "habitant", name="M. Roux")
    svc.remove_participant(db, gone)
    assert [r["id"] for r in svc.participants(db, walk)] == [kept]
    assert row(db, "walk_participants", gone)["deleted_at"] is not None


# -- observations -----------------------------------------------------------------------

def test_observations_are_numbered_within_their_walk(db, walk, other_walk):
    first = svc.add_observation(db, walk, theme="eclairage")
    svc.add_observation(db, walk, theme="proprete")
    svc.add_observation(db, other_walk, theme="voirie")
    svc.add_observation(db, walk, theme="bruit")
    svc.add_observation(db, other_walk, theme="voirie")
    assert numbers(db, walk) == [1, 2, 3]
    assert numbers(db, other_walk) == [1, 2]
    assert row(db, "observations", first)["number"] == 1


def test_a_removed_observations_number_is_never_reused(db, walk):
    ids = [svc.add_observation(db, walk, theme="eclairage") for _ in range(3)]
    svc.remove_observation(db, ids[1])
    assert numbers(db, walk) == [1, 3]
    svc.add_observation(db, walk, theme="proprete")
    assert numbers(db, walk) == [1, 3, 4]
    # Even the last one: its number is not handed out again.
    svc.remove_observation(db, ids[2])
    svc.remove_observation(db, svc.observations(db, walk)[-1]["id"])
    svc.add_observation(db, walk, theme="bruit")
    assert numbers(db, walk) == [1, 5]


def test_add_observation_stores_the_fields_and_its_stop(db, walk):
    stop = svc.add_stop(db, walk, "Rue de Basseau")
    svc.add_stop(db, walk, "Parking")
    third = svc.add_stop(db, walk, "n° 12")
    observation = svc.add_observation(
        db, walk, bodies=["ville"], stop_id=third, theme="eclairage", positive=False,
        description="lampadaire éteint depuis 3 semaines devant le n° 12", priority=1,
        objective_code="R1.01", tags="TFPB, éclairage ,tfpb")
    stored = svc.observations(db, walk)[0]
    assert stored["id"] == observation
    assert {k: stored[k] for k in ("number", "stop_id", "stop_name", "stop_position", "theme",
                                   "positive", "description", "priority", "objective_code",
                                   "tags")} == {
        "number": 1, "stop_id": third, "stop_name": "n° 12", "stop_position": 3,
        "theme": "eclairage", "positive": 0,
        "description": "lampadaire éteint depuis 3 semaines devant le n° 12", "priority": 1,
        "objective_code": "R1.01", "tags": "TFPB, éclairage"}
    followups = db.query("SELECT body, status FROM followups WHERE observation_id = ?",
                         (observation,))
    assert followups == [{"body": "ville", "status": "a_transmettre"}]
    assert stop != third


def test_an_observation_cannot_point_to_another_walks_stop(db, walk, other_walk):
    foreign = svc.add_stop(db, other_walk, "Parking")
    mine = svc.add_stop(db, walk, "Centre")
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.add_observation(db, walk, stop_id=foreign, theme="eclairage")
    assert excinfo.value.field == "stop_id"
    assert str(excinfo.value) == "Cet arrêt a été supprimé, ou appartient à un autre diagnostic."
    assert dump(db) == before

    observation = svc.add_observation(db, walk, stop_id=mine)
    before = dump(db)
    with pytest.raises(ValidationError):
        svc.update_observation(db, observation, stop_id=foreign)
    assert dump(db) == before


@pytest.mark.parametrize("fields, field, message", [
    ({"theme": "pollution"}, "theme", "Thème inconnu : pollution."),
    ({"objective_code": "Z9.99"}, "objective_code", "Objectif du PERR inconnu : Z9.99."),
    ({"priority": 5}, "priority", "La priorité est 1, 2 ou 3."),
    ({"bodies": ["ville", "mairie"]}, "body", "Valeur inconnue : mairie."),
])
def test_add_observation_refuses_unknown_references_and_writes_nothing(db, walk, fields,
                                                                      field, message):
    svc.add_observation(db, walk, theme="eclairage")
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.add_observation(db, walk, **{"theme": "proprete", **fields})
    assert excinfo.value.field == field
    assert str(excinfo.value) == message
    assert dump(db) == before
    # The refused one did not use up a number.
    svc.add_observation(db, walk, theme="bruit")
    assert numbers(db, walk) == [1, 2]


def test_add_observation_to_a_missing_walk(db):
    with pytest.raises(NotFoundError):
        svc.add_observation(db, "no-such-walk", theme="eclairage")


def test_update_observation(db, walk):
    stop = svc.add_stop(db, walk, "Centre")
    observation = svc.add_observation(db, walk, theme="eclairage", priority=2)
    svc.update_observation(db, observation, stop_id=stop, theme="securite", priority=None,
                           positive=True, proposal=" Ajouter un lampadaire ")
    stored = row(db, "observations", observation)
    assert (stored["stop_id"], stored["theme"], stored["priority"], stored["positive"],
            stored["proposal"], stored["number"]) == (
        stop, "securite", None, 1, "Ajouter un lampadaire", 1)
    before = dump(db)
    with pytest.raises(ValidationError):
        svc.update_observation(db, observation, theme="pollution")
    with pytest.raises(ValidationError):
        svc.update_observation(db, observation, objective_code="Z9")
    assert dump(db) == before


def test_remove_observation_unlinks_photos_and_tombstones_follow_ups(db, walk):
    from perr_desktop.services import followups

    stop = svc.add_stop(db, walk, "Centre")
    observation = svc.add_observation(db, walk, bodies=["ville", "bailleur"], stop_id=stop,
                                      theme="eclairage")
    kept = svc.add_observation(db, walk, bodies=["ville"], theme="proprete")
    photo = add_photo(db, walk, "2026-11-19T20:40:00", "a.jpg")
    svc.assign_photo(db, photo, observation_id=observation)

    svc.remove_observation(db, observation)

    assert row(db, "observations", observation)["deleted_at"] is not None
    assert [o["id"] for o in svc.observations(db, walk)] == [kept]
    stored = photo_row(db, photo)
    assert (stored["observation_id"], stored["stop_id"], stored["deleted_at"]) == (
        None, stop, None)
    rows = db.query("SELECT body, deleted_at FROM followups WHERE observation_id = ? "
                    "ORDER BY body", (observation,))
    assert [r["body"] for r in rows] == ["bailleur", "ville"]
    assert all(r["deleted_at"] for r in rows)
    assert list(followups.for_walk(db, walk)) == [kept]
    assert [r["observation_id"] for r in followups.search(db)] == [kept]
    with pytest.raises(NotFoundError):
        svc.remove_observation(db, observation)


def test_list_observations_filters_by_council_and_walk(db, council, other_council, walk,
                                                       other_walk):
    elsewhere = svc.create_walk(db, other_council, "Marche", "2026-10-01")
    a = svc.add_observation(db, walk, theme="eclairage")
    b = svc.add_observation(db, walk, theme="proprete")
    c = svc.add_observation(db, other_walk, theme="voirie")
    d = svc.add_observation(db, elsewhere, theme="bruit")
    gone = svc.add_observation(db, walk, theme="bruit")
    svc.remove_observation(db, gone)

    # Newest walk first, then by number.
    assert [o["id"] for o in svc.list_observations(db)] == [a, b, d, c]
    assert [o["id"] for o in svc.list_observations(db, council_id=council)] == [a, b, c]
    assert [o["id"] for o in svc.list_observations(db, walk_id=other_walk)] == [c]
    assert [o["id"] for o in svc.list_observations(db, council_id=other_council)] == [d]
    assert svc.list_observations(db, council_id=other_council, walk_id=walk) == []
    first = svc.list_observations(db, walk_id=walk)[0]
    assert (first["council_id"], first["walk_date"], first["walk_title"]) == (
        council, NIGHT, "Diagnostic de nuit")
    svc.delete_walk(db, walk)
    assert [o["id"] for o in svc.list_observations(db, council_id=council)] == [c]


def test_get_walk_gathers_everything(db, council, walk):
    from perr_desktop.services import followups

    stop = svc.add_stop(db, walk, "Centre")
    observation = svc.add_observation(db, walk, bodies=["ville"], stop_id=stop,
                                      theme="eclairage")
    plain = svc.add_observation(db, walk, theme="proprete")
    photo = add_photo(db, walk, "2026-11-19T20:40:00", "a.jpg")
    loose = add_photo(db, walk, "2026-11-19T20:50:00", "b.jpg")
    svc.assign_photo(db, photo, observation_id=observation)
    svc.add_participant(db, walk, "habitant", name="Mme Lopez")
    followup_id = db.scalar("SELECT id FROM followups WHERE observation_id = ?",
                            (observation,))
    followups.add_step(db, followup_id, "transmis", step_date="2026-11-20")

    full = svc.get_walk(db, walk)
    assert full["council"]["name"] == "Basseau Grande-Garenne"
    assert [s["id"] for s in full["stops"]] == [stop]
    assert [p["display"] for p in full["participants"]] == ["Mme Lopez"]
    assert [p["id"] for p in full["photos"]] == [photo, loose]
    by_id = {o["id"]: o for o in full["observations"]}
    assert [p["id"] for p in by_id[observation]["photos"]] == [photo]
    assert by_id[plain]["photos"] == []
    assert [(f["body"], f["status"], [s["status"] for s in f["steps"]])
            for f in by_id[observation]["followups"]] == [("ville", "transmis", ["transmis"])]
    assert by_id[plain]["followups"] == []
    assert full["plan"] is None


# -- photos -----------------------------------------------------------------------------

def test_assign_photo_to_an_observation_also_puts_it_on_its_stop(db, walk):
    svc.add_stop(db, walk, "Centre")
    stop = svc.add_stop(db, walk, "n° 12")
    observation = svc.add_observation(db, walk, stop_id=stop, theme="eclairage")
    no_stop = svc.add_observation(db, walk, theme="proprete")
    photo = add_photo(db, walk, "2026-11-19T20:40:00")

    svc.assign_photo(db, photo, observation_id=observation)
    assert (photo_row(db, photo)["observation_id"], photo_row(db, photo)["stop_id"]) == (
        observation, stop)
    # Moved to an observation noted away from any stop: off the stop too.
    svc.assign_photo(db, photo, observation_id=no_stop)
    assert (photo_row(db, photo)["observation_id"], photo_row(db, photo)["stop_id"]) == (
        no_stop, None)
    # Put on a stop only: no longer on an observation.
    svc.assign_photo(db, photo, stop_id=stop)
    assert (photo_row(db, photo)["observation_id"], photo_row(db, photo)["stop_id"]) == (
        None, stop)
    # Taken off everything.
    svc.assign_photo(db, photo)
    assert (photo_row(db, photo)["observation_id"], photo_row(db, photo)["stop_id"]) == (
        None, None)


def test_assign_photo_to_another_walk_is_refused(db, walk, other_walk):
    foreign_stop = svc.add_stop(db, other_walk, "Parking")
    foreign = svc.add_observation(db, other_walk, stop_id=foreign_stop, theme="eclairage")
    photo = add_photo(db, walk, "2026-11-19T20:40:00")
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.assign_photo(db, photo, observation_id=foreign)
    assert excinfo.value.field == "observation_id"
    assert str(excinfo.value) == "Cette observation appartient à un autre diagnostic."
    with pytest.raises(ValidationError) as excinfo:
        svc.assign_photo(db, photo, stop_id=foreign_stop)
    assert excinfo.value.field == "stop_id"
    assert dump(db) == before


def test_assign_photo_to_a_removed_observation_is_refused(db, walk):
    observation = svc.add_observation(db, walk, theme="eclairage")
    svc.remove_observation(db, observation)
    photo = add_photo(db, walk, "2026-11-19T20:40:00")
    with pytest.raises(NotFoundError):
        svc.assign_photo(db, photo, observation_id=observation)
    assert photo_row(db, photo)["observation_id"] is None


def test_flag_identifiable_and_printable(db, walk):
    photo = add_photo(db, walk, "2026-11-19T20:40:00")
    assert svc.printable(photo_row(db, photo)) is True

    svc.flag_identifiable(db, photo, True)
    assert (photo_row(db, photo)["identifiable"], photo_row(db, photo)["include_anyway"]) == (
        1, 0)
    assert svc.printable(photo_row(db, photo)) is False

    svc.flag_identifiable(db, photo, True, include_anyway=True)
    assert (photo_row(db, photo)["identifiable"], photo_row(db, photo)["include_anyway"]) == (
        1, 1)
    assert svc.printable(photo_row(db, photo)) is True

    # No longer identifiable: the « include anyway » choice goes with the flag.
    svc.flag_identifiable(db, photo, False, include_anyway=True)
    assert (photo_row(db, photo)["identifiable"], photo_row(db, photo)["include_anyway"]) == (
        0, 0)
    assert svc.printable(photo_row(db, photo)) is True
    # The listing carries what printable needs.
    assert svc.printable(svc.photos(db, walk)[0]) is True


def test_set_caption_and_remove_photo(db, walk):
    photo = add_photo(db, walk, "2026-11-19T20:40:00")
    svc.set_caption(db, photo, "  Lampadaire   éteint ")
    assert photo_row(db, photo)["caption"] == "Lampadaire éteint"
    svc.set_caption(db, photo, "x" * 400)
    assert photo_row(db, photo)["caption"] == "x" * 300
    svc.remove_photo(db, photo)
    assert svc.photos(db, walk) == []
    assert photo_row(db, photo)["deleted_at"] is not None


# -- photos matched by time -------------------------------------------------------------

def observation_at(db, walk_id, utc_stamp, **fields):
    observation = svc.add_observation(db, walk_id, **fields)
    set_created_at(db, "observations", observation, utc_stamp)
    return observation


def placed(db, photo_id):
    stored = photo_row(db, photo_id)
    return stored["observation_id"], stored["stop_id"]


def test_match_photos_by_time_in_winter(db, walk, other_walk):
    """January: Paris is UTC+1, so an observation typed at 19:10 UTC was noted at 20:10."""
    lamp_stop = svc.add_stop(db, walk, "n° 12")
    square_stop = svc.add_stop(db, walk, "Square")
    lamp = observation_at(db, walk, "2026-01-15T19:10:00.000000Z", stop_id=lamp_stop,
                          theme="eclairage")
    square = observation_at(db, walk, "2026-01-15T19:40:00.000000Z", stop_id=square_stop,
                            theme="proprete")
    # Noted at the same time on another walk: not a candidate.
    observation_at(db, other_walk, "2026-01-15T19:55:00.000000Z", theme="bruit")
    near_lamp = add_photo(db, walk, "2026-01-15T20:12:00", "1.jpg")
    closer_to_lamp = add_photo(db, walk, "2026-01-15T20:24:00", "2.jpg")      # 14 / 16 min
    closer_to_square = add_photo(db, walk, "2026-01-15T20:26:00", "3.jpg")    # 16 / 14 min
    edge = add_photo(db, walk, "2026-01-15T20:55:00", "4.jpg")               # 15 min exactly
    too_late = add_photo(db, walk, "2026-01-15T20:55:01", "5.jpg")
    utc_clock = add_photo(db, walk, "2026-01-15T19:10:00", "6.jpg")   # 1 h before, Paris time
    no_time = add_photo(db, walk, None, "7.jpg")

    assert svc.match_photos_by_time(db, walk) == 4

    assert placed(db, near_lamp) == (lamp, lamp_stop)
    assert placed(db, closer_to_lamp) == (lamp, lamp_stop)
    assert placed(db, closer_to_square) == (square, square_stop)
    assert placed(db, edge) == (square, square_stop)
    for photo in (too_late, utc_clock, no_time):
        assert placed(db, photo) == (None, None)
    # Run again: nothing more to do, nothing moved.
    before = dump(db)
    assert svc.match_photos_by_time(db, walk) == 0
    assert dump(db) == before


def test_match_photos_by_time_in_summer(db, walk):
    """July: Paris is UTC+2, so an observation typed at 20:10 UTC was noted at 22:10."""
    stop = svc.add_stop(db, walk, "Square")
    observation = observation_at(db, walk, "2026-07-02T20:10:00.000000Z", stop_id=stop,
                                 theme="eclairage")
    near = add_photo(db, walk, "2026-07-02T22:05:00", "1.jpg")
    winter_offset = add_photo(db, walk, "2026-07-02T21:10:00", "2.jpg")   # as if UTC+1
    utc_clock = add_photo(db, walk, "2026-07-02T20:10:00", "3.jpg")

    assert svc.match_photos_by_time(db, walk) == 1
    assert placed(db, near) == (observation, stop)
    assert placed(db, winter_offset) == (None, None)
    assert placed(db, utc_clock) == (None, None)


def test_match_photos_by_time_around_midnight(db, walk):
    # 23:05 UTC on 19 November is 00:05 on the 20th in Paris.
    observation = observation_at(db, walk, "2026-11-19T23:05:00.000000Z", theme="eclairage")
    after_midnight = add_photo(db, walk, "2026-11-20T00:01:00", "1.jpg")
    same_clock_other_day = add_photo(db, walk, "2026-11-19T00:05:00", "2.jpg")
    assert svc.match_photos_by_time(db, walk) == 1
    assert placed(db, after_midnight) == (observation, None)
    assert placed(db, same_clock_other_day) == (None, None)


def test_match_photos_by_time_leaves_assigned_photos_alone(db, walk):
    lamp_stop = svc.add_stop(db, walk, "n° 12")
    other_stop = svc.add_stop(db, walk, "Parking")
    lamp = observation_at(db, walk, "2026-01-15T19:10:00.000000Z", stop_id=lamp_stop)
    other = observation_at(db, walk, "2026-01-15T19:40:00.000000Z", stop_id=other_stop)
    on_other = add_photo(db, walk, "2026-01-15T20:10:00", "1.jpg")
    svc.assign_photo(db, on_other, observation_id=other)
    on_stop = add_photo(db, walk, "2026-01-15T20:11:00", "2.jpg", stop_id=other_stop)
    removed = add_photo(db, walk, "2026-01-15T20:12:00", "3.jpg")
    svc.remove_photo(db, removed)
    free = add_photo(db, walk, "2026-01-15T20:13:00", "4.jpg")

    assert svc.match_photos_by_time(db, walk) == 1
    assert placed(db, on_other) == (other, other_stop)
    assert placed(db, on_stop) == (None, other_stop)
    assert placed(db, removed) == (None, None)
    assert placed(db, free) == (lamp, lamp_stop)


def test_match_photos_by_time_ignores_removed_observations(db, walk):
    gone = observation_at(db, walk, "2026-01-15T19:10:00.000000Z", theme="eclairage")
    kept = observation_at(db, walk, "2026-01-15T19:30:00.000000Z", theme="proprete")
    svc.remove_observation(db, gone)
    photo = add_photo(db, walk, "2026-01-15T20:10:00", "1.jpg")   # 0 min from the removed one
    assert svc.match_photos_by_time(db, walk) == 0
    assert placed(db, photo) == (None, None)
    near = add_photo(db, walk, "2026-01-15T20:25:00", "2.jpg")
    assert svc.match_photos_by_time(db, walk) == 1
    assert placed(db, near) == (kept, None)


def test_match_photos_by_time_window_can_be_widened(db, walk):
    observation = observation_at(db, walk, "2026-01-15T19:10:00.000000Z")
    photo = add_photo(db, walk, "2026-01-15T20:40:00", "1.jpg")     # 30 min later
    assert svc.match_photos_by_time(db, walk) == 0
    assert svc.match_photos_by_time(db, walk, window_minutes=30) == 1
    assert placed(db, photo) == (observation, None)


def test_match_photos_by_time_without_observations(db, walk):
    photo = add_photo(db, walk, "2026-01-15T20:40:00", "1.jpg")
    assert svc.match_photos_by_time(db, walk) == 0
    assert placed(db, photo) == (None, None)


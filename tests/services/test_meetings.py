"""Meeting use cases: plan and copy, agenda, invitations and attendance, head counts,
minutes, actions carried over (journey 3), approval locking, amendments."""

from __future__ import annotations

import datetime as dt

import pytest

from perr_desktop.errors import NotFoundError, UserError, ValidationError
from perr_desktop.services import councils, people
from perr_desktop.services import meetings as svc
from tests.services.meetings_helpers import (
    action_row,
    attendance_row,
    count,
    dump,
    invited,
    member,
    person,
)

# A Thursday evening in winter, then the following plénières of the same council.
NOV = "2026-11-26T18:30"
NOV_END = "2026-11-26T20:30"
DEC = "2026-12-17T18:30"
JAN = "2027-01-21T18:30"
OCT = "2026-10-15T18:30"

LOCKED = "Ce compte rendu a été validé et ne peut plus être modifié"


@pytest.fixture
def council(db):
    return councils.create_council(db, "Basseau Grande-Garenne", status="actif",
                                   venue="Maison de quartier de Basseau")


@pytest.fixture
def other_council(db):
    return councils.create_council(db, "Ma Campagne", status="actif",
                                   venue="Centre social de Ma Campagne")


def plan(db, council_id, starts_at=NOV, title="Séance plénière", **kw):
    return svc.plan_meeting(db, council_id, "pleniere", title, starts_at, **kw)


# -- planning -------------------------------------------------------------------------

def test_plan_meeting_invites_exactly_the_members_active_on_the_day(db, council,
                                                                    other_council):
    third = councils.create_council(db, "Bel-Air Grand Font")
    garnier = member(db, council, "Hélène", "Garnier")
    joined_that_day = member(db, council, "Karim", "Benali", joined_on="2026-11-26")
    leaves_next_day = member(db, council, "Lucie", "Moreau", left_on="2026-11-27")
    no_dates = member(db, council, "Paul", "Roux", joined_on=None)
    member(db, council, "Daniel", "Dupont", left_on="2026-06-30")        # left before
    member(db, council, "Inès", "Martin", joined_on="2026-12-01")        # joins after
    member(db, council, "Marc", "Petit", left_on="2026-11-26")           # left that day
    guest = member(db, other_council, "Zoé", "Zaoui")
    member(db, other_council, "Yves", "Lopez", left_on="2025-01-01")     # former guest member
    member(db, third, "Anne", "Blanc")                                   # council not invited
    person(db, "Bernard", "Durand", organisation="Logélia")             # no membership
    gone = member(db, council, "Élodie", "Émery")
    people.delete_person(db, gone)

    meeting_id = plan(db, council, guest_council_ids=[other_council])

    assert invited(db, meeting_id) == {garnier, joined_that_day, leaves_next_day, no_dates,
                                       guest}
    rows = svc.attendance(db, meeting_id)
    assert [r["name"] for r in rows] == ["Karim Benali", "Hélène Garnier", "Lucie Moreau",
                                         "Paul Roux", "Zoé Zaoui"]
    assert {(r["invited"], r["member"], r["status"], r["proxy_person_id"]) for r in rows} == {
        (1, 1, None, None)}


def test_plan_meeting_invites_a_member_of_both_councils_once(db, council, other_council):
    both = member(db, council, "Hélène", "Garnier")
    people.add_membership(db, other_council, both, "habitants", joined_on="2021-01-01")
    meeting_id = plan(db, council, guest_council_ids=[other_council])
    assert db.scalar("SELECT count(*) FROM attendance WHERE meeting_id = ?",
                     (meeting_id,)) == 1


def test_plan_meeting_stores_what_was_given(db, council, other_council):
    meeting_id = svc.plan_meeting(
        db, council, "bureau", "  Réunion   de bureau ", "2026-11-26 18:30", "2026-11-26T20:00",
        venue=" Salle  polyvalente ", guest_council_ids=[other_council, council],
        objective_codes=["D3", "R3"], notes="Préparer la plénière")
    meeting = svc.get_meeting(db, meeting_id)
    assert {k: meeting[k] for k in ("council_id", "kind", "title", "starts_at", "ends_at",
                                    "venue", "notes", "cancelled", "minutes_status",
                                    "copied_from_id", "validated_at")} == {
        "council_id": council, "kind": "bureau", "title": "Réunion de bureau",
        "starts_at": "2026-11-26T18:30", "ends_at": "2026-11-26T20:00",
        "venue": "Salle polyvalente", "notes": "Préparer la plénière", "cancelled": 0,
        "minutes_status": "brouillon", "copied_from_id": None, "validated_at": None}
    # The host council given as a guest too is not its own guest.
    assert meeting["guest_councils"] == [{"id": other_council, "name": "Ma Campagne"}]
    # In the order of the PERR (renforcer before développer).
    assert meeting["objective_codes"] == ["R3", "D3"]
    assert meeting["council"]["name"] == "Basseau Grande-Garenne"


def test_plan_meeting_takes_the_council_usual_venue_when_none_is_given(db, council):
    meeting_id = plan(db, council)
    assert svc.get_meeting(db, meeting_id)["venue"] == "Maison de quartier de Basseau"
    meeting_id = plan(db, council, venue="   ")
    assert svc.get_meeting(db, meeting_id)["venue"] == "Maison de quartier de Basseau"


def test_plan_meeting_can_leave_invitations_for_later(db, council):
    garnier = member(db, council, "Hélène", "Garnier")
    meeting_id = plan(db, council, invite_members=False)
    assert invited(db, meeting_id) == set()
    assert svc.invite_members_of_councils(db, meeting_id) == 1
    assert invited(db, meeting_id) == {garnier}
    # Twice: nobody is invited twice.
    assert svc.invite_members_of_councils(db, meeting_id) == 0
    assert count(db, "attendance") == 1


@pytest.mark.parametrize("kwargs, field, message", [
    ({"kind": "apero"}, "kind", "Type de réunion inconnu : apero."),
    ({"objective_codes": ["D3", "Z9.99"]}, "objective_code",
     "Objectif du PERR inconnu : Z9.99."),
])
def test_plan_meeting_refuses_unknown_codes_and_writes_nothing(db, council, other_council,
                                                                kwargs, field, message):
    member(db, council, "Hélène", "Garnier")
    before = dump(db)
    args = {"kind": "pleniere", "title": "Plénière", "starts_at": NOV,
            "guest_council_ids": [other_council], **kwargs}
    with pytest.raises(ValidationError) as excinfo:
        svc.plan_meeting(db, council, **args)
    assert excinfo.value.field == field
    assert str(excinfo.value) == message
    assert dump(db) == before


def test_plan_meeting_refuses_a_deleted_council(db, council, other_council):
    councils.delete_council(db, council)
    with pytest.raises(ValidationError) as excinfo:
        plan(db, council)
    assert excinfo.value.field == "council_id"
    assert str(excinfo.value) == "Ce conseil n'existe pas ou a été supprimé."
    # A deleted guest council is refused too, after the meeting row was written: the
    # whole plan is undone.
    before = dump(db)
    with pytest.raises(ValidationError):
        plan(db, other_council, guest_council_ids=[council])
    assert dump(db) == before
    assert count(db, "meetings") == 0


def test_plan_meeting_refuses_an_end_before_the_start(db, council):
    with pytest.raises(ValidationError) as excinfo:
        plan(db, council, ends_at="2026-11-26T17:00")
    assert excinfo.value.field == "ends_at"
    assert count(db, "meetings") == 0


# -- update, cancel, delete -----------------------------------------------------------

def test_update_meeting_checks_the_end_against_the_stored_start(db, council, clock):
    meeting_id = plan(db, council, ends_at=NOV_END)
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.update_meeting(db, meeting_id, ends_at="2026-11-26T18:30")
    assert excinfo.value.field == "ends_at"
    with pytest.raises(ValidationError) as excinfo:
        svc.update_meeting(db, meeting_id, starts_at="2026-11-26T21:00")
    assert excinfo.value.field == "starts_at"
    with pytest.raises(ValidationError) as excinfo:
        svc.update_meeting(db, meeting_id, kind="apero")
    assert excinfo.value.field == "kind"
    assert dump(db) == before

    after = svc.update_meeting(db, meeting_id, starts_at="2026-11-26T19:00",
                               title="Plénière d'automne")
    row = db.query_one("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
    assert (row["starts_at"], row["ends_at"], row["title"]) == (
        "2026-11-26T19:00", NOV_END, "Plénière d'automne")
    assert after["updated_at"] == row["updated_at"] > before["meetings"][0]["updated_at"]


def test_cancel_keeps_the_meeting_listed_and_can_be_undone(db, council):
    earlier = plan(db, council, OCT)
    meeting_id = plan(db, council, NOV)
    later = plan(db, council, DEC)
    svc.cancel_meeting(db, meeting_id)
    assert svc.get_meeting(db, meeting_id)["cancelled"] == 1
    listed = svc.list_meetings(db, council)
    assert [(m["id"], m["cancelled"]) for m in listed] == [
        (earlier, 0), (meeting_id, 1), (later, 0)]
    # A cancelled meeting approves no minutes: the next meeting looks past it.
    assert svc.previous_meeting(db, later)["id"] == earlier
    assert svc.next_meeting(db, earlier)["id"] == later
    svc.cancel_meeting(db, meeting_id, cancelled=False)
    assert svc.get_meeting(db, meeting_id)["cancelled"] == 0
    assert svc.previous_meeting(db, later)["id"] == meeting_id


def test_delete_meeting_refuses_a_meeting_with_actions(db, council):
    meeting_id = plan(db, council)
    action_id = svc.add_action(db, meeting_id, "Écrire au maire")
    before = dump(db)
    with pytest.raises(UserError) as excinfo:
        svc.delete_meeting(db, meeting_id)
    assert "annulée" in str(excinfo.value)
    assert dump(db) == before
    # Once the action is removed, the meeting can go.
    svc.remove_action(db, action_id)
    svc.delete_meeting(db, meeting_id)
    assert svc.list_meetings(db) == []
    with pytest.raises(NotFoundError):
        svc.get_meeting(db, meeting_id)
    assert db.scalar("SELECT deleted_at IS NOT NULL FROM meetings WHERE id = ?",
                     (meeting_id,)) == 1


def test_delete_meeting_without_actions(db, council):
    member(db, council, "Hélène", "Garnier")
    keep = plan(db, council, DEC)
    meeting_id = plan(db, council)
    svc.add_agenda_item(db, meeting_id, "Accueil")
    svc.delete_meeting(db, meeting_id)
    assert [m["id"] for m in svc.list_meetings(db)] == [keep]


# -- copy -----------------------------------------------------------------------------

@pytest.fixture
def source(db, council, other_council):
    """A bureau held in November, with minutes, attendance and a head count."""
    ids = {
        "garnier": member(db, council, "Hélène", "Garnier"),
        "dupont": member(db, council, "Daniel", "Dupont", left_on="2026-12-01"),
        "martin": member(db, council, "Inès", "Martin", joined_on="2026-12-01"),
        "zaoui": member(db, other_council, "Zoé", "Zaoui"),
    }
    meeting_id = svc.plan_meeting(
        db, council, "bureau", "Bureau mensuel", NOV, "2026-11-26T20:45",
        venue="Salle polyvalente", guest_council_ids=[other_council],
        objective_codes=["D3", "R3"], notes="Notes de la séance")
    items = [
        svc.add_agenda_item(db, meeting_id, "Accueil", 10, "Mme Garnier"),
        svc.add_agenda_item(db, meeting_id, "Cadre de vie", 45, "M. Dupont", "R3"),
        svc.add_agenda_item(db, meeting_id, "Santé", None, "", "D3.01"),
    ]
    svc.set_item_notes(db, items[1], "Les lampadaires rue de Basseau.")
    svc.add_decision(db, meeting_id, "Écrire à la Ville", items[1], 11, 2, 1)
    action_id = svc.add_action(db, meeting_id, "Envoyer le courrier", items[1],
                               assignee_person_id=ids["garnier"], due_on="2026-12-10")
    svc.set_attendance(db, meeting_id, ids["garnier"], "present")
    svc.set_attendance(db, meeting_id, ids["dupont"], "excuse")
    svc.set_headcount(db, meeting_id, "femme", "16_25", True, True, 2)
    return {"id": meeting_id, "items": items, "action": action_id, **ids}


def test_copy_meeting_prepares_the_next_meeting_like_the_last(db, council, other_council,
                                                             source):
    before = dump(db)
    copy_id = svc.copy_meeting(db, source["id"], DEC)
    copy = svc.get_meeting(db, copy_id)
    original = svc.get_meeting(db, source["id"])

    assert {k: copy[k] for k in ("council_id", "kind", "title", "venue", "starts_at",
                                 "ends_at", "copied_from_id", "minutes_status", "notes")} == {
        "council_id": council, "kind": "bureau", "title": "Bureau mensuel",
        "venue": "Salle polyvalente", "starts_at": DEC,
        # Same length as the original: 2 h 15.
        "ends_at": "2026-12-17T20:45", "copied_from_id": source["id"],
        "minutes_status": "brouillon", "notes": ""}
    assert copy["objective_codes"] == ["R3", "D3"]
    assert copy["guest_councils"] == [{"id": other_council, "name": "Ma Campagne"}]
    fields = ("position", "title", "duration_minutes", "presenter", "objective_code")
    assert [tuple(i[f] for f in fields) for i in copy["agenda"]] == [
        (1, "Accueil", 10, "Mme Garnier", None),
        (2, "Cadre de vie", 45, "M. Dupont", "R3"),
        (3, "Santé", None, "", "D3.01"),
    ]
    assert [tuple(i[f] for f in fields) for i in copy["agenda"]] == [
        tuple(i[f] for f in fields) for i in original["agenda"]]
    assert {i["id"] for i in copy["agenda"]}.isdisjoint(source["items"])
    # Notes, decisions, attendance and head counts belong to the original only.
    assert [i["notes"] for i in copy["agenda"]] == ["", "", ""]
    assert copy["decisions"] == []
    assert copy["actions"] == []
    assert copy["headcounts"] == []
    assert {r["status"] for r in copy["attendance"]} == {None}
    # The members current on the new date: Dupont has left, Martin has joined.
    assert invited(db, copy_id) == {source["garnier"], source["martin"], source["zaoui"]}
    # The open action of the original comes back as a point en suspens.
    assert [a["id"] for a in copy["outstanding"]] == [source["action"]]
    # The original is untouched.
    after = dump(db)
    for table in ("agenda_items", "decisions", "actions", "headcounts"):
        assert [r for r in after[table] if r["id"] in {x["id"] for x in before[table]}] == \
            before[table]
    assert [r for r in after["attendance"] if r["meeting_id"] == source["id"]] == [
        r for r in before["attendance"] if r["meeting_id"] == source["id"]]


def test_copy_meeting_with_an_explicit_end_or_no_end(db, council, source):
    copy_id = svc.copy_meeting(db, source["id"], DEC, "2026-12-17T19:30")
    assert svc.get_meeting(db, copy_id)["ends_at"] == "2026-12-17T19:30"
    open_ended = plan(db, council, OCT)
    copy_id = svc.copy_meeting(db, open_ended, DEC)
    assert svc.get_meeting(db, copy_id)["ends_at"] is None


def test_copy_meeting_across_a_change_of_time_keeps_the_wall_clock_length(db, source):
    # November (winter) to July (summer): still 18:30 to 20:45 on the Paris clock.
    copy_id = svc.copy_meeting(db, source["id"], "2027-07-01T18:30")
    assert svc.get_meeting(db, copy_id)["ends_at"] == "2027-07-01T20:45"


def test_copy_meeting_of_approved_minutes(db, council, source):
    svc.validate_minutes(db, source["id"])
    copy_id = svc.copy_meeting(db, source["id"], DEC)
    copy = svc.get_meeting(db, copy_id)
    assert copy["minutes_status"] == "brouillon"
    assert len(copy["agenda"]) == 3


def test_copy_meeting_refuses_a_bad_date_and_writes_nothing(db, source):
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.copy_meeting(db, source["id"], "17/12/2026")
    assert excinfo.value.field == "starts_at"
    with pytest.raises(ValidationError) as excinfo:
        svc.copy_meeting(db, source["id"], DEC, "2026-12-17T18:00")
    assert excinfo.value.field == "ends_at"
    assert dump(db) == before


# -- agenda ---------------------------------------------------------------------------

def agenda_titles(db, meeting_id):
    rows = svc.get_meeting(db, meeting_id)["agenda"]
    assert [r["position"] for r in rows] == list(range(1, len(rows) + 1))
    return [r["title"] for r in rows]


def test_move_agenda_item_keeps_positions_one_to_n(db, council):
    meeting_id = plan(db, council)
    a, b, c, d = (svc.add_agenda_item(db, meeting_id, t) for t in "ABCD")
    svc.move_agenda_item(db, c, -1)
    assert agenda_titles(db, meeting_id) == ["A", "C", "B", "D"]
    svc.move_agenda_item(db, a, +1)
    assert agenda_titles(db, meeting_id) == ["C", "A", "B", "D"]
    # At the ends, nothing moves.
    svc.move_agenda_item(db, c, -1)
    svc.move_agenda_item(db, d, +1)
    assert agenda_titles(db, meeting_id) == ["C", "A", "B", "D"]
    svc.move_agenda_item(db, d, -3)
    assert agenda_titles(db, meeting_id) == ["D", "C", "A", "B"]
    # A removed item leaves a gap that the next move closes.
    svc.remove_agenda_item(db, c)
    svc.move_agenda_item(db, b, -1)
    assert agenda_titles(db, meeting_id) == ["D", "B", "A"]
    assert svc.add_agenda_item(db, meeting_id, "E")
    assert agenda_titles(db, meeting_id) == ["D", "B", "A", "E"]


def test_move_agenda_item_only_touches_its_meeting(db, council):
    first = plan(db, council)
    second = plan(db, council, DEC)
    svc.add_agenda_item(db, first, "X")
    y = svc.add_agenda_item(db, first, "Y")
    svc.add_agenda_item(db, second, "P")
    svc.add_agenda_item(db, second, "Q")
    svc.move_agenda_item(db, y, -1)
    assert agenda_titles(db, first) == ["Y", "X"]
    assert agenda_titles(db, second) == ["P", "Q"]


@pytest.mark.parametrize("use", ["notes", "decision", "action"])
def test_remove_agenda_item_refuses_an_item_in_use(db, council, use):
    meeting_id = plan(db, council)
    item = svc.add_agenda_item(db, meeting_id, "Cadre de vie")
    if use == "notes":
        svc.set_item_notes(db, item, "On a parlé des lampadaires.")
    elif use == "decision":
        svc.add_decision(db, meeting_id, "Écrire à la Ville", item)
    else:
        svc.add_action(db, meeting_id, "Envoyer le courrier", item)
    before = dump(db)
    with pytest.raises(UserError) as excinfo:
        svc.remove_agenda_item(db, item)
    assert "retirez-les d'abord" in str(excinfo.value)
    assert dump(db) == before
    assert agenda_titles(db, meeting_id) == ["Cadre de vie"]


def test_remove_agenda_item_when_its_uses_are_gone(db, council):
    meeting_id = plan(db, council)
    item = svc.add_agenda_item(db, meeting_id, "Cadre de vie")
    svc.add_agenda_item(db, meeting_id, "Questions diverses")
    decision = svc.add_decision(db, meeting_id, "Écrire à la Ville", item)
    svc.set_item_notes(db, item, "   \n")   # blank notes do not count
    svc.remove_decision(db, decision)
    svc.remove_agenda_item(db, item)
    assert [r["title"] for r in svc.get_meeting(db, meeting_id)["agenda"]] == [
        "Questions diverses"]


def test_a_decision_or_action_cannot_point_to_another_meeting_item(db, council):
    meeting_id = plan(db, council)
    other = plan(db, council, DEC)
    foreign_item = svc.add_agenda_item(db, other, "Ailleurs")
    before = dump(db)
    for call in (lambda: svc.add_decision(db, meeting_id, "Oui", foreign_item),
                 lambda: svc.add_action(db, meeting_id, "Faire", foreign_item)):
        with pytest.raises(ValidationError) as excinfo:
            call()
        assert excinfo.value.field == "agenda_item_id"
    assert dump(db) == before


# -- attendance -----------------------------------------------------------------------

@pytest.fixture
def hall(db, council):
    """A plénière with four invited members and a partner invited by name."""
    ids = {name: member(db, council, first, name.capitalize())
           for name, first in [("garnier", "Hélène"), ("benali", "Karim"),
                               ("moreau", "Lucie"), ("roux", "Paul")]}
    meeting_id = plan(db, council)
    ids["partner"] = person(db, "Bernard", "Durand", organisation="Logélia")
    svc.invite(db, meeting_id, ids["partner"])
    return {"id": meeting_id, **ids}


@pytest.mark.parametrize("status", ["present", "excuse", "absent"])
def test_set_attendance_records_each_status(db, hall, status):
    svc.set_attendance(db, hall["id"], hall["garnier"], status)
    row = attendance_row(db, hall["id"], hall["garnier"])
    assert (row["status"], row["proxy_person_id"], row["invited"], row["member"]) == (
        status, None, 1, 1)
    # The others stay unrecorded.
    others = [r["status"] for r in svc.attendance(db, hall["id"])
              if r["person_id"] != hall["garnier"]]
    assert others == [None] * 4
    # And it can be cleared.
    svc.set_attendance(db, hall["id"], hall["garnier"], None)
    assert attendance_row(db, hall["id"], hall["garnier"])["status"] is None


def test_set_attendance_refuses_an_unknown_status(db, hall):
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.set_attendance(db, hall["id"], hall["garnier"], "en_retard")
    assert excinfo.value.field == "status"
    assert dump(db) == before


def test_represented_by_a_present_participant(db, hall):
    svc.set_attendance(db, hall["id"], hall["benali"], "present")
    svc.set_attendance(db, hall["id"], hall["garnier"], "represente", hall["benali"])
    row = attendance_row(db, hall["id"], hall["garnier"])
    assert (row["status"], row["proxy_person_id"]) == ("represente", hall["benali"])
    shown = {r["name"]: r["proxy_name"] for r in svc.attendance(db, hall["id"])}
    assert shown["Hélène Garnier"] == "Karim Benali"
    assert shown["Karim Benali"] == ""
    # Marked present afterwards: the proxy is dropped.
    svc.set_attendance(db, hall["id"], hall["garnier"], "present", hall["benali"])
    row = attendance_row(db, hall["id"], hall["garnier"])
    assert (row["status"], row["proxy_person_id"]) == ("present", None)


def test_a_walk_in_may_hold_a_proxy(db, hall):
    neighbour = svc.add_walk_in(db, hall["id"], first_name="Nadia", last_name="Haddad")
    svc.set_attendance(db, hall["id"], hall["roux"], "represente", neighbour)
    assert attendance_row(db, hall["id"], hall["roux"])["proxy_person_id"] == neighbour


@pytest.mark.parametrize("proxy_status, proxy_key, message", [
    ("excuse", "benali", "Le pouvoir doit être détenu par une personne présente à la réunion."),
    ("absent", "benali", "Le pouvoir doit être détenu par une personne présente à la réunion."),
    (None, "benali", "Le pouvoir doit être détenu par une personne présente à la réunion."),
    ("present", "garnier", "Une personne ne peut pas détenir son propre pouvoir."),
    ("present", None, "Indiquez qui détient le pouvoir."),
])
def test_represented_refused_without_a_present_proxy(db, hall, proxy_status, proxy_key,
                                                     message):
    if proxy_status:
        svc.set_attendance(db, hall["id"], hall["benali"], proxy_status)
        svc.set_attendance(db, hall["id"], hall["garnier"], "present")
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.set_attendance(db, hall["id"], hall["garnier"], "represente",
                           hall[proxy_key] if proxy_key else None)
    assert excinfo.value.field == "proxy_person_id"
    assert str(excinfo.value) == message
    assert dump(db) == before


def test_represented_refused_when_the_proxy_is_not_on_the_list(db, hall):
    stranger = person(db, "Yann", "Le Goff")
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.set_attendance(db, hall["id"], hall["garnier"], "represente", stranger)
    assert "Yann Le Goff" in str(excinfo.value)
    assert dump(db) == before


@pytest.mark.parametrize("status", ["absent", "excuse", "represente", None])
def test_a_proxy_holder_cannot_leave_while_holding_a_proxy(db, hall, status):
    svc.set_attendance(db, hall["id"], hall["benali"], "present")
    svc.set_attendance(db, hall["id"], hall["moreau"], "present")
    svc.set_attendance(db, hall["id"], hall["garnier"], "represente", hall["benali"])
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.set_attendance(db, hall["id"], hall["benali"], status, hall["moreau"])
    assert excinfo.value.field == "status"
    assert "détient un pouvoir" in str(excinfo.value)
    assert dump(db) == before
    # Once the proxy is changed, the former holder can be marked absent.
    svc.set_attendance(db, hall["id"], hall["garnier"], "represente", hall["moreau"])
    svc.set_attendance(db, hall["id"], hall["benali"], "absent")
    assert attendance_row(db, hall["id"], hall["benali"])["status"] == "absent"


def test_attendance_of_someone_not_invited_is_refused_naming_them(db, hall):
    stranger = person(db, "Hélène", "Dupuis", gender="femme")
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.set_attendance(db, hall["id"], stranger, "present")
    assert excinfo.value.field == "person_id"
    assert str(excinfo.value).startswith("Hélène Dupuis n'est pas invité(e) à cette réunion")
    assert dump(db) == before


def test_attendance_of_an_uninvited_person_is_refused(db, hall):
    svc.uninvite(db, hall["id"], hall["roux"])
    assert hall["roux"] not in invited(db, hall["id"])
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.set_attendance(db, hall["id"], hall["roux"], "excuse")
    assert "Paul Roux" in str(excinfo.value)
    assert dump(db) == before
    # Invited again, the same row comes back.
    svc.invite(db, hall["id"], hall["roux"])
    row = attendance_row(db, hall["id"], hall["roux"])
    assert (row["invited"], row["member"], row["status"]) == (1, 1, None)
    assert db.scalar("SELECT count(*) FROM attendance WHERE person_id = ?", (hall["roux"],)) == 1


def test_uninvite_refuses_someone_whose_attendance_is_recorded(db, hall):
    svc.set_attendance(db, hall["id"], hall["moreau"], "excuse")
    before = dump(db)
    with pytest.raises(UserError):
        svc.uninvite(db, hall["id"], hall["moreau"])
    assert dump(db) == before


def test_invite_a_partner_is_not_a_member(db, hall):
    row = attendance_row(db, hall["id"], hall["partner"])
    assert (row["invited"], row["member"], row["status"]) == (1, 0, None)


def test_add_walk_in_from_the_directory(db, hall):
    neighbour = person(db, "Nadia", "Haddad", gender="femme")
    assert svc.add_walk_in(db, hall["id"], neighbour) == neighbour
    row = attendance_row(db, hall["id"], neighbour)
    assert (row["invited"], row["member"], row["status"]) == (0, 0, "present")


def test_add_walk_in_of_a_member_who_was_not_invited(db, council):
    garnier = member(db, council, "Hélène", "Garnier")
    meeting_id = plan(db, council, invite_members=False)
    svc.add_walk_in(db, meeting_id, garnier)
    row = attendance_row(db, meeting_id, garnier)
    assert (row["invited"], row["member"], row["status"]) == (0, 1, "present")


def test_add_walk_in_of_an_invited_member_marks_them_present(db, hall):
    svc.set_attendance(db, hall["id"], hall["moreau"], "excuse")
    svc.add_walk_in(db, hall["id"], hall["moreau"])
    row = attendance_row(db, hall["id"], hall["moreau"])
    assert (row["invited"], row["member"], row["status"]) == (1, 1, "present")
    assert db.scalar("SELECT count(*) FROM attendance WHERE person_id = ?",
                     (hall["moreau"],)) == 1


def test_add_walk_in_of_a_new_person(db, hall):
    people_before = count(db, "people")
    new_id = svc.add_walk_in(db, hall["id"], first_name="Nadia", last_name="Haddad",
                             gender="femme", birth_year=2004, lives_in_qpv=True)
    assert count(db, "people") == people_before + 1
    created = people.get_person(db, new_id)
    assert (created["name"], created["gender"], created["birth_year"],
            created["lives_in_qpv"]) == ("Nadia Haddad", "femme", 2004, 1)
    assert created["memberships"] == []
    row = attendance_row(db, hall["id"], new_id)
    assert (row["invited"], row["member"], row["status"]) == (0, 0, "present")


def test_add_walk_in_with_an_invalid_new_person_writes_nothing(db, hall):
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.add_walk_in(db, hall["id"], first_name="Nadia", last_name="Haddad",
                        email="nadia-at-example")
    assert excinfo.value.field == "email"
    with pytest.raises(ValidationError):
        svc.add_walk_in(db, hall["id"], first_name="", last_name="")
    with pytest.raises(NotFoundError):
        svc.add_walk_in(db, hall["id"], "no-such-person")
    assert dump(db) == before


def test_add_walk_in_rolls_back_the_new_person_when_the_attendance_fails(db, hall,
                                                                        monkeypatch):
    """The person is written first; if recording the attendance fails, no orphan stays."""
    def broken(*args, **kwargs):
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(svc, "_is_member", broken)
    before = dump(db)
    with pytest.raises(RuntimeError):
        svc.add_walk_in(db, hall["id"], first_name="Nadia", last_name="Haddad")
    assert dump(db) == before


def test_mark_unrecorded_absent(db, hall):
    svc.set_attendance(db, hall["id"], hall["garnier"], "present")
    svc.set_attendance(db, hall["id"], hall["benali"], "excuse")
    assert svc.mark_unrecorded_absent(db, hall["id"]) == 2
    statuses = {r["person_id"]: r["status"] for r in svc.attendance(db, hall["id"])}
    assert statuses == {hall["garnier"]: "present", hall["benali"]: "excuse",
                        hall["moreau"]: "absent", hall["roux"]: "absent",
                        # A partner is not a member: nobody expected them.
                        hall["partner"]: None}
    assert svc.mark_unrecorded_absent(db, hall["id"]) == 0


# -- head counts ----------------------------------------------------------------------

def headcount_rows(db, meeting_id):
    return [(r["gender"], r["age_band"], r["lives_in_qpv"], r["first_time"], r["count"])
            for r in db.query("SELECT * FROM headcounts WHERE meeting_id = ? "
                              "AND deleted_at IS NULL ORDER BY gender, age_band, lives_in_qpv",
                              (meeting_id,))]


def test_set_headcount_inserts_then_updates_the_same_line(db, hall):
    svc.set_headcount(db, hall["id"], "femme", "16_25", True, True, 2)
    svc.set_headcount(db, hall["id"], "femme", "16_25", True, True, 3)
    svc.set_headcount(db, hall["id"], "femme", "16_25", None, None, 1)
    svc.set_headcount(db, hall["id"], "homme", "60_plus", False, None, 1)
    assert headcount_rows(db, hall["id"]) == [
        ("femme", "16_25", None, None, 1),
        ("femme", "16_25", 1, 1, 3),
        ("homme", "60_plus", 0, None, 1),
    ]
    assert svc.attendance_summary(db, hall["id"])["counted"] == 5


def test_set_headcount_zero_removes_the_line_from_the_counts(db, hall):
    svc.set_headcount(db, hall["id"], "femme", "16_25", True, True, 2)
    svc.set_headcount(db, hall["id"], "homme", "26_59", None, None, 1)
    svc.set_headcount(db, hall["id"], "femme", "16_25", True, True, 0)
    assert svc.attendance_summary(db, hall["id"])["counted"] == 1
    meeting = svc.get_meeting(db, hall["id"])
    assert [(h["gender"], h["count"]) for h in meeting["headcounts"]] == [("homme", 1)]
    assert svc.list_meetings(db)[0]["counted"] == 1
    # Set again: the same line, not a new one.
    svc.set_headcount(db, hall["id"], "femme", "16_25", True, True, 4)
    assert count(db, "headcounts") == 2
    assert svc.attendance_summary(db, hall["id"])["counted"] == 5
    # Zero for a line that does not exist writes nothing.
    svc.set_headcount(db, hall["id"], "non_precise", "moins_16", None, None, 0)
    assert count(db, "headcounts") == 2


@pytest.mark.parametrize("gender, band, value, field", [
    ("femme", "16_25", -1, "count"),
    ("femme", "16_25", True, "count"),
    ("femme", "16_25", 2.0, "count"),
    ("femme", "16_25", "2", "count"),
    ("dame", "16_25", 2, "gender"),
    ("femme", "18_25", 2, "gender"),
])
def test_set_headcount_refuses_bad_values(db, hall, gender, band, value, field):
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.set_headcount(db, hall["id"], gender, band, None, None, value)
    assert excinfo.value.field == field
    assert dump(db) == before


# -- attendance summary ---------------------------------------------------------------

def test_attendance_summary_counts_exactly(db, council):
    members = [member(db, council, f"Prénom{n:02d}", f"Membre{n:02d}") for n in range(16)]
    meeting_id = plan(db, council)
    for person_id in members[:10]:
        svc.set_attendance(db, meeting_id, person_id, "present")
    for person_id in members[10:13]:
        svc.set_attendance(db, meeting_id, person_id, "excuse")
    svc.set_attendance(db, meeting_id, members[13], "represente", members[0])
    # members[14] and members[15]: nobody marked them.
    svc.add_walk_in(db, meeting_id, first_name="Nadia", last_name="Haddad", gender="femme")
    svc.add_walk_in(db, meeting_id, first_name="Omar", last_name="Said", gender="homme")
    svc.set_headcount(db, meeting_id, "femme", "16_25", True, True, 2)
    svc.set_headcount(db, meeting_id, "femme", "26_59", True, None, 1)
    svc.set_headcount(db, meeting_id, "homme", "60_plus", None, None, 1)
    # Partners invited by name are neither members nor walk-ins unless they came.
    excused_partner = person(db, "Bernard", "Durand", organisation="Logélia")
    svc.invite(db, meeting_id, excused_partner)
    svc.set_attendance(db, meeting_id, excused_partner, "excuse")
    svc.invite(db, meeting_id, person(db, "Claire", "Fabre", organisation="Ville"))

    expected = {
        "members_invited": 16, "present": 10, "excused": 3, "absent": 0, "represented": 1,
        "not_recorded": 2, "walk_ins": 2, "counted": 4, "participants": 16,
        "host_members": 16, "voting": 11, "quorum_required": 8, "quorum_reached": True,
    }
    assert svc.attendance_summary(db, meeting_id) == expected
    assert svc.get_meeting(db, meeting_id)["summary"] == expected
    assert svc.list_meetings(db)[0]["present_count"] == 12   # 10 members + 2 walk-ins

    svc.mark_unrecorded_absent(db, meeting_id)
    summary = svc.attendance_summary(db, meeting_id)
    assert (summary["absent"], summary["not_recorded"]) == (2, 0)


def test_quorum_is_reached_at_half_rounded_up(db, council):
    members = [member(db, council, f"P{n:02d}", f"M{n:02d}") for n in range(15)]
    meeting_id = plan(db, council)
    for person_id in members[:6]:
        svc.set_attendance(db, meeting_id, person_id, "present")
    svc.set_attendance(db, meeting_id, members[6], "represente", members[0])
    # Non-members present do not make the quorum.
    for n in range(3):
        svc.add_walk_in(db, meeting_id, first_name="Voisin", last_name=str(n))
    summary = svc.attendance_summary(db, meeting_id)
    assert (summary["quorum_required"], summary["quorum_reached"]) == (8, False)
    svc.set_attendance(db, meeting_id, members[7], "present")
    summary = svc.attendance_summary(db, meeting_id)
    assert (summary["quorum_required"], summary["quorum_reached"]) == (8, True)


def test_no_quorum_rule_no_quorum(db, council):
    councils.update_council(db, council, quorum_percent=None)
    garnier = member(db, council, "Hélène", "Garnier")
    meeting_id = plan(db, council)
    svc.set_attendance(db, meeting_id, garnier, "present")
    summary = svc.attendance_summary(db, meeting_id)
    assert (summary["quorum_required"], summary["quorum_reached"]) == (None, None)


def test_no_member_invited_no_quorum(db, council):
    meeting_id = plan(db, council)
    svc.add_walk_in(db, meeting_id, first_name="Nadia", last_name="Haddad")
    summary = svc.attendance_summary(db, meeting_id)
    assert summary["members_invited"] == 0
    assert (summary["quorum_required"], summary["quorum_reached"]) == (None, None)
    assert summary["participants"] == 1


# -- minutes --------------------------------------------------------------------------

def test_decisions_with_votes_in_agenda_order(db, council):
    meeting_id = plan(db, council)
    first = svc.add_agenda_item(db, meeting_id, "Cadre de vie")
    second = svc.add_agenda_item(db, meeting_id, "Santé")
    d1 = svc.add_decision(db, meeting_id, "Organiser un diagnostic en marchant", second)
    d2 = svc.add_decision(db, meeting_id, "Écrire à la Ville", first, "11", "2", "1")
    d3 = svc.add_decision(db, meeting_id, "Sans point")
    decisions = svc.get_meeting(db, meeting_id)["decisions"]
    assert [d["id"] for d in decisions] == [d2, d1, d3]
    assert [(d["votes_for"], d["votes_against"], d["votes_abstain"]) for d in decisions] == [
        (11, 2, 1), (None, None, None), (None, None, None)]
    svc.update_decision(db, d2, votes_for="", text="Écrire au maire")
    row = db.query_one("SELECT * FROM decisions WHERE id = ?", (d2,))
    assert (row["text"], row["votes_for"], row["votes_against"]) == ("Écrire au maire", None, 2)
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.add_decision(db, meeting_id, "Non", votes_against=-2)
    assert excinfo.value.field == "votes_against"
    with pytest.raises(ValidationError):
        svc.update_decision(db, d1, text=" ")
    assert dump(db) == before


def test_actions_with_assignee(db, council):
    garnier = member(db, council, "Hélène", "Garnier")
    meeting_id = plan(db, council)
    to_person = svc.add_action(db, meeting_id, "Envoyer le courrier",
                               assignee_person_id=garnier, assignee_body="Ville",
                               due_on="2026-12-10")
    to_body = svc.add_action(db, meeting_id, "Réparer le lampadaire", assignee_body="Ville")
    actions = svc.get_meeting(db, meeting_id)["actions"]
    assert [(a["id"], a["assignee"], a["assignee_body"], a["status"], a["position"],
             a["due_on"], a["council_id"]) for a in actions] == [
        (to_person, "Hélène Garnier", "", "a_faire", 1, "2026-12-10", council),
        (to_body, "Ville", "Ville", "a_faire", 2, None, council),
    ]
    with pytest.raises(NotFoundError):
        svc.add_action(db, meeting_id, "Faire", assignee_person_id="no-such-person")
    assert count(db, "actions") == 2


def test_update_action_status_sets_and_clears_closed_on(db, council):
    meeting_id = plan(db, council)
    action_id = svc.add_action(db, meeting_id, "Envoyer le courrier")
    svc.update_action(db, action_id, status="fait")
    assert (action_row(db, action_id)["status"], action_row(db, action_id)["closed_on"]) == (
        "fait", dt.date.today().isoformat())
    svc.update_action(db, action_id, status="en_cours")
    assert (action_row(db, action_id)["status"], action_row(db, action_id)["closed_on"]) == (
        "en_cours", None)
    with pytest.raises(ValidationError):
        svc.update_action(db, action_id, status="termine")


# -- carry-over (journey 3) -----------------------------------------------------------

@pytest.fixture
def year(db, council, other_council):
    """October, November, December and January plénières of one council, a December
    meeting of another, and three actions decided in November."""
    ids = {
        "oct": plan(db, council, OCT, "Plénière d'octobre"),
        "nov": plan(db, council, NOV, "Plénière de novembre"),
        "dec": plan(db, council, DEC, "Plénière de décembre"),
        "jan": plan(db, council, JAN, "Plénière de janvier"),
        "elsewhere": plan(db, other_council, DEC, "Plénière de Ma Campagne"),
    }
    ids["done"] = svc.add_action(db, ids["nov"], "Écrire au maire")
    ids["going"] = svc.add_action(db, ids["nov"], "Rencontrer le bailleur")
    ids["dropped"] = svc.add_action(db, ids["nov"], "Organiser une fête")
    return ids


def outstanding(db, meeting_id):
    return [(a["id"], a["status_here"]) for a in svc.outstanding_actions(db, meeting_id)]


def test_open_actions_carry_over_to_later_meetings_of_the_same_council(db, year):
    expected = [(year["done"], "a_faire"), (year["going"], "a_faire"),
                (year["dropped"], "a_faire")]
    assert outstanding(db, year["dec"]) == expected
    assert outstanding(db, year["jan"]) == expected
    # Not in the meeting that decided them, an earlier one, or another council's.
    assert outstanding(db, year["nov"]) == []
    assert outstanding(db, year["oct"]) == []
    assert outstanding(db, year["elsewhere"]) == []
    rows = svc.get_meeting(db, year["dec"])["outstanding"]
    assert [(r["text"], r["meeting_title"], r["update"]) for r in rows] == [
        ("Écrire au maire", "Plénière de novembre", None),
        ("Rencontrer le bailleur", "Plénière de novembre", None),
        ("Organiser une fête", "Plénière de novembre", None),
    ]


def test_follow_up_closes_or_keeps_actions_open(db, year):
    svc.follow_up_action(db, year["dec"], year["done"], "fait", "Courrier envoyé le 2/12.")
    svc.follow_up_action(db, year["dec"], year["going"], "en_cours")
    svc.follow_up_action(db, year["dec"], year["dropped"], "abandonne", "Plus de budget.")

    assert [(action_row(db, year[k])["status"], action_row(db, year[k])["closed_on"])
            for k in ("done", "going", "dropped")] == [
        ("fait", "2026-12-17"), ("en_cours", None), ("abandonne", "2026-12-17")]
    # The December minutes still list all three, as discussed that evening.
    rows = svc.outstanding_actions(db, year["dec"])
    assert [(r["id"], r["status_here"], r["update"]["note"]) for r in rows] == [
        (year["done"], "fait", "Courrier envoyé le 2/12."),
        (year["going"], "en_cours", ""),
        (year["dropped"], "abandonne", "Plus de budget."),
    ]
    # In January only the one still in progress comes back.
    assert outstanding(db, year["jan"]) == [(year["going"], "en_cours")]
    assert [a["id"] for a in svc.list_actions(db, open_only=True)] == [year["going"]]
    # A later follow-up in January closes it.
    svc.follow_up_action(db, year["jan"], year["going"], "fait")
    assert action_row(db, year["going"])["closed_on"] == "2027-01-21"
    assert outstanding(db, year["jan"]) == [(year["going"], "fait")]
    assert outstanding(db, year["dec"])[1] == (year["going"], "en_cours")
    assert svc.list_actions(db, open_only=True) == []


def test_following_up_twice_in_a_meeting_updates_the_same_record(db, year):
    svc.follow_up_action(db, year["dec"], year["done"], "en_cours", "Brouillon prêt")
    svc.follow_up_action(db, year["dec"], year["done"], "fait", "Envoyé")
    updates = db.query("SELECT * FROM action_updates WHERE action_id = ?", (year["done"],))
    assert [(u["meeting_id"], u["status"], u["note"]) for u in updates] == [
        (year["dec"], "fait", "Envoyé")]
    assert action_row(db, year["done"])["status"] == "fait"
    # And back to in progress: reopened, closed_on cleared.
    svc.follow_up_action(db, year["dec"], year["done"], "en_cours")
    assert (action_row(db, year["done"])["status"],
            action_row(db, year["done"])["closed_on"]) == ("en_cours", None)
    assert count(db, "action_updates") == 1


def test_an_older_follow_up_does_not_override_a_newer_one(db, year):
    svc.follow_up_action(db, year["jan"], year["done"], "fait")
    svc.follow_up_action(db, year["dec"], year["done"], "en_cours", "Recorded late")
    action = action_row(db, year["done"])
    assert (action["status"], action["closed_on"]) == ("fait", "2027-01-21")
    assert dict(outstanding(db, year["dec"]))[year["done"]] == "en_cours"
    assert dict(outstanding(db, year["jan"]))[year["done"]] == "fait"
    # The other way round: the newer one wins again.
    svc.follow_up_action(db, year["dec"], year["going"], "fait")
    svc.follow_up_action(db, year["jan"], year["going"], "en_cours")
    action = action_row(db, year["going"])
    assert (action["status"], action["closed_on"]) == ("en_cours", None)


@pytest.mark.parametrize("case", ["other_council", "own_meeting"])
def test_follow_up_refuses_an_action_that_is_not_outstanding_here(db, year, case):
    if case == "other_council":
        meeting_id = year["elsewhere"]
    else:
        meeting_id = year["nov"]
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.follow_up_action(db, meeting_id, year["done"], "fait")
    assert excinfo.value.field == "action_id"
    assert str(excinfo.value) == "Cette action n'est pas un point en suspens de cette réunion."
    assert dump(db) == before


def test_follow_up_refuses_an_unknown_status(db, year):
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.follow_up_action(db, year["dec"], year["done"], "termine")
    assert excinfo.value.field == "status"
    assert dump(db) == before


def test_follow_up_refuses_an_action_decided_at_a_later_meeting(db, year):
    later_action = svc.add_action(db, year["jan"], "Préparer le bilan")
    before = dump(db)
    with pytest.raises(ValidationError):
        svc.follow_up_action(db, year["dec"], later_action, "fait")
    assert dump(db) == before


def test_points_en_suspens_of_a_meeting_do_not_change_when_a_later_one_closes_them(db, year):
    assert [a for a, _ in outstanding(db, year["dec"])] == [
        year["done"], year["going"], year["dropped"]]
    svc.follow_up_action(db, year["jan"], year["done"], "fait")
    assert [a for a, _ in outstanding(db, year["dec"])] == [
        year["done"], year["going"], year["dropped"]]


def test_remove_action_refuses_one_that_was_followed_up(db, year):
    svc.follow_up_action(db, year["dec"], year["going"], "en_cours")
    before = dump(db)
    with pytest.raises(UserError) as excinfo:
        svc.remove_action(db, year["going"])
    assert "abandonnée" in str(excinfo.value)
    assert dump(db) == before
    svc.remove_action(db, year["done"])
    assert [a for a, _ in outstanding(db, year["jan"])] == [year["going"], year["dropped"]]


# -- approval, locking, amendments ----------------------------------------------------

@pytest.fixture
def approved(db, council, clock):
    """November minutes approved at the December meeting, with something of every kind;
    an October action still open; the December meeting still a draft."""
    oct_id = plan(db, council, OCT)
    garnier = member(db, council, "Hélène", "Garnier")
    benali = member(db, council, "Karim", "Benali")
    partner = person(db, "Bernard", "Durand", organisation="Logélia")
    nov_id = plan(db, council, NOV, ends_at=NOV_END, objective_codes=["D3"])
    dec_id = plan(db, council, DEC)
    old_action = svc.add_action(db, oct_id, "Demander un banc")
    item = svc.add_agenda_item(db, nov_id, "Cadre de vie", 30)
    svc.add_agenda_item(db, nov_id, "Questions diverses")
    svc.set_item_notes(db, item, "Discussion sur les lampadaires.")
    decision = svc.add_decision(db, nov_id, "Écrire à la Ville", item, 11, 2, 1)
    action = svc.add_action(db, nov_id, "Envoyer le courrier", item)
    svc.set_attendance(db, nov_id, garnier, "present")
    svc.set_headcount(db, nov_id, "femme", "16_25", True, True, 2)
    svc.follow_up_action(db, nov_id, old_action, "en_cours")
    svc.validate_minutes(db, nov_id, dec_id)
    return {"oct": oct_id, "nov": nov_id, "dec": dec_id, "item": item, "decision": decision,
            "action": action, "old_action": old_action, "garnier": garnier,
            "benali": benali, "partner": partner, "council": council}


def test_validate_minutes_records_the_approval(db, approved):
    meeting = svc.get_meeting(db, approved["nov"])
    assert meeting["minutes_status"] == "valide"
    assert meeting["validated_in_meeting_id"] == approved["dec"]
    assert meeting["validated_at"] is not None
    assert svc.previous_meeting(db, approved["dec"])["id"] == approved["nov"]


LOCKED_CALLS = {
    "update_meeting": lambda db, a: svc.update_meeting(db, a["nov"], title="Autre titre"),
    "update_meeting_end": lambda db, a: svc.update_meeting(db, a["nov"],
                                                           ends_at="2026-11-26T21:00"),
    "set_meeting_notes": lambda db, a: svc.set_meeting_notes(db, a["nov"], "Ajout"),
    "cancel_meeting": lambda db, a: svc.cancel_meeting(db, a["nov"]),
    "delete_meeting": lambda db, a: svc.delete_meeting(db, a["nov"]),
    "set_objectives": lambda db, a: svc.set_objectives(db, a["nov"], ["R3"]),
    "set_guest_councils": lambda db, a: svc.set_guest_councils(db, a["nov"], []),
    "add_agenda_item": lambda db, a: svc.add_agenda_item(db, a["nov"], "Nouveau point"),
    "update_agenda_item": lambda db, a: svc.update_agenda_item(db, a["item"],
                                                               duration_minutes=45),
    "move_agenda_item": lambda db, a: svc.move_agenda_item(db, a["item"], +1),
    "remove_agenda_item": lambda db, a: svc.remove_agenda_item(db, a["item"]),
    "set_item_notes": lambda db, a: svc.set_item_notes(db, a["item"], "Réécrit"),
    "add_decision": lambda db, a: svc.add_decision(db, a["nov"], "Autre décision"),
    "update_decision": lambda db, a: svc.update_decision(db, a["decision"], votes_for=12),
    "remove_decision": lambda db, a: svc.remove_decision(db, a["decision"]),
    "add_action": lambda db, a: svc.add_action(db, a["nov"], "Autre action"),
    "update_action": lambda db, a: svc.update_action(db, a["action"], text="Réécrit"),
    "update_action_status": lambda db, a: svc.update_action(db, a["action"], status="fait"),
    "remove_action": lambda db, a: svc.remove_action(db, a["action"]),
    "follow_up_in_locked_meeting": lambda db, a: svc.follow_up_action(
        db, a["nov"], a["old_action"], "fait"),
    "set_attendance": lambda db, a: svc.set_attendance(db, a["nov"], a["garnier"], "absent"),
    "set_attendance_unrecorded": lambda db, a: svc.set_attendance(db, a["nov"], a["benali"],
                                                                  "present"),
    "mark_unrecorded_absent": lambda db, a: svc.mark_unrecorded_absent(db, a["nov"]),
    "set_headcount": lambda db, a: svc.set_headcount(db, a["nov"], "femme", "16_25", True,
                                                     True, 5),
    "set_headcount_new_line": lambda db, a: svc.set_headcount(db, a["nov"], "homme",
                                                              "60_plus", None, None, 1),
    "add_walk_in": lambda db, a: svc.add_walk_in(db, a["nov"], a["partner"]),
    "add_walk_in_new_person": lambda db, a: svc.add_walk_in(db, a["nov"], first_name="Nadia",
                                                            last_name="Haddad"),
    "invite": lambda db, a: svc.invite(db, a["nov"], a["partner"]),
    "uninvite": lambda db, a: svc.uninvite(db, a["nov"], a["benali"]),
    "invite_members_of_councils": lambda db, a: svc.invite_members_of_councils(db, a["nov"]),
    "validate_minutes_again": lambda db, a: svc.validate_minutes(db, a["nov"]),
}


@pytest.mark.parametrize("name", LOCKED_CALLS)
def test_approved_minutes_are_locked(db, approved, name):
    before = dump(db)
    with pytest.raises(UserError) as excinfo:
        LOCKED_CALLS[name](db, approved)
    assert str(excinfo.value).startswith(LOCKED)
    assert dump(db) == before


def test_actions_of_approved_minutes_still_move_on_in_a_later_meeting(db, approved):
    assert [(a["id"], a["status_here"]) for a in
            svc.outstanding_actions(db, approved["dec"])] == [
        (approved["old_action"], "en_cours"), (approved["action"], "a_faire")]
    svc.follow_up_action(db, approved["dec"], approved["action"], "fait", "Envoyé")
    action = action_row(db, approved["action"])
    assert (action["status"], action["closed_on"]) == ("fait", "2026-12-17")
    assert dict(outstanding(db, approved["dec"]))[approved["action"]] == "fait"
    # The approved minutes themselves are unchanged.
    assert svc.get_meeting(db, approved["nov"])["actions"][0]["text"] == "Envoyer le courrier"
    assert svc.get_meeting(db, approved["nov"])["minutes_status"] == "valide"


@pytest.mark.parametrize("approved_in", ["oct", "nov"])
def test_validate_minutes_refuses_approval_at_an_earlier_meeting(db, council, approved_in):
    ids = {"oct": plan(db, council, OCT), "nov": plan(db, council, NOV)}
    ids["nov_again"] = plan(db, council, NOV, title="Même heure")
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        target = ids["nov_again"] if approved_in == "nov" else ids[approved_in]
        svc.validate_minutes(db, ids["nov"], target)
    assert excinfo.value.field == "approved_in_meeting_id"
    assert str(excinfo.value) == "Un compte rendu est validé lors d'une réunion ultérieure."
    assert dump(db) == before
    assert svc.get_meeting(db, ids["nov"])["minutes_status"] == "brouillon"


def test_validate_minutes_without_a_later_meeting(db, council):
    meeting_id = plan(db, council)
    svc.validate_minutes(db, meeting_id)
    meeting = svc.get_meeting(db, meeting_id)
    assert (meeting["minutes_status"], meeting["validated_in_meeting_id"]) == ("valide", None)


def test_add_amendment_refused_on_a_draft(db, council):
    meeting_id = plan(db, council)
    with pytest.raises(UserError) as excinfo:
        svc.add_amendment(db, meeting_id, "Lire 12 voix pour et non 11.")
    assert str(excinfo.value) == (
        "Ce compte rendu est encore un brouillon : corrigez-le directement.")
    assert count(db, "amendments") == 0


def test_add_amendment_on_approved_minutes(db, approved):
    later = svc.add_amendment(db, approved["nov"], "Mme Garnier était excusée.", "2027-02-18")
    first = svc.add_amendment(db, approved["nov"], " Lire 12 voix pour et non 11. ",
                              "2027-01-21")
    amendments = svc.get_meeting(db, approved["nov"])["amendments"]
    # In the order they were recorded, whatever order they were typed in.
    assert [(a["id"], a["text"], a["recorded_on"]) for a in amendments] == [
        (first, "Lire 12 voix pour et non 11.", "2027-01-21"),
        (later, "Mme Garnier était excusée.", "2027-02-18"),
    ]
    # The minutes themselves stay as approved.
    assert svc.get_meeting(db, approved["nov"])["decisions"][0]["votes_for"] == 11
    with pytest.raises(ValidationError) as excinfo:
        svc.add_amendment(db, approved["nov"], "   ")
    assert excinfo.value.field == "text"
    assert count(db, "amendments") == 2


def test_add_amendment_is_dated_today_by_default(db, approved, meetings_today):
    meetings_today(dt.date(2027, 3, 4))
    amendment_id = svc.add_amendment(db, approved["nov"], "Correction")
    row = db.query_one("SELECT * FROM amendments WHERE id = ?", (amendment_id,))
    assert (row["meeting_id"], row["recorded_on"]) == (approved["nov"], "2027-03-04")


@pytest.mark.parametrize("day", ["2026-11-25", "2027-03-05", "n'importe quoi"])
def test_add_amendment_refuses_a_date_before_the_meeting_or_after_today(
        db, approved, meetings_today, day):
    meetings_today(dt.date(2027, 3, 4))
    with pytest.raises(ValidationError) as excinfo:
        svc.add_amendment(db, approved["nov"], "Correction", day)
    assert excinfo.value.field == "recorded_on"
    assert count(db, "amendments") == 0


# -- reading --------------------------------------------------------------------------

def test_list_meetings_includes_those_a_council_was_a_guest_of(db, council, other_council):
    hosted = plan(db, other_council, DEC, "Chez Ma Campagne")
    guest = plan(db, council, NOV, "Inter-conseils", guest_council_ids=[other_council])
    plan(db, council, OCT, "Seul")
    listed = svc.list_meetings(db, other_council)
    assert [(m["id"], m["guest_names"]) for m in listed] == [(guest, "Ma Campagne"),
                                                             (hosted, None)]
    assert [m["title"] for m in svc.list_meetings(db, start="2026-11-01",
                                                  end="2026-12-17")] == ["Inter-conseils"]
    assert [m["title"] for m in svc.list_meetings(db, descending=True)] == [
        "Chez Ma Campagne", "Inter-conseils", "Seul"]

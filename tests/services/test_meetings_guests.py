"""Inter-council meetings and changes after planning: who is invited, whose quorum."""

from __future__ import annotations

import pytest

from perr_desktop.errors import UserError, ValidationError
from perr_desktop.services import councils
from perr_desktop.services import meetings as svc
from tests.services.meetings_helpers import action_row, invited, member

NOV = "2026-11-26T18:30"
DEC = "2026-12-17T18:30"


@pytest.fixture
def host(db):
    return councils.create_council(db, "Champ de Manœuvre", status="actif")


@pytest.fixture
def guest(db):
    return councils.create_council(db, "L'Étang des Moines", status="actif")


def test_guest_councils_added_later_are_invited_and_withdrawn(db, host, guest):
    ours = member(db, host, "Hélène", "Garnier")
    theirs = member(db, guest, "Loïc", "Le Bihan")
    meeting = svc.plan_meeting(db, host, "inter_conseils", "Échange", NOV)
    assert invited(db, meeting) == {ours}

    svc.set_guest_councils(db, meeting, [guest])
    assert invited(db, meeting) == {ours, theirs}

    svc.set_guest_councils(db, meeting, [])
    assert invited(db, meeting) == {ours}


def test_a_guest_whose_attendance_is_recorded_stays_when_their_council_is_withdrawn(
        db, host, guest):
    theirs = member(db, guest, "Loïc", "Le Bihan")
    meeting = svc.plan_meeting(db, host, "inter_conseils", "Échange", NOV,
                               guest_council_ids=[guest])
    svc.set_attendance(db, meeting, theirs, "present")
    svc.set_guest_councils(db, meeting, [])
    assert theirs in invited(db, meeting)


def test_quorum_counts_the_host_council_members_only(db, host, guest):
    ours = [member(db, host, f"Membre{i}", "Hôte") for i in range(4)]
    theirs = [member(db, guest, f"Membre{i}", "Invité") for i in range(6)]
    meeting = svc.plan_meeting(db, host, "inter_conseils", "Échange", NOV,
                               guest_council_ids=[guest])
    for person_id in theirs:
        svc.set_attendance(db, meeting, person_id, "present")
    svc.set_attendance(db, meeting, ours[0], "present")
    summary = svc.attendance_summary(db, meeting)
    assert summary["members_invited"] == 10
    assert summary["present"] == 7
    assert summary["quorum_required"] == 2           # half of the host's 4 members
    assert summary["quorum_reached"] is False        # guests do not make the quorum
    svc.set_attendance(db, meeting, ours[1], "present")
    assert svc.attendance_summary(db, meeting)["quorum_reached"] is True


def test_moving_the_meeting_invites_whoever_is_a_member_on_the_new_day(db, host):
    early = member(db, host, "Anaïs", "Lefèvre", joined_on="2020-01-01",
                   left_on="2026-12-01")
    late = member(db, host, "Zoé", "N'Diaye", joined_on="2026-12-05")
    meeting = svc.plan_meeting(db, host, "pleniere", "Plénière", NOV)
    assert invited(db, meeting) == {early}
    svc.update_meeting(db, meeting, starts_at=DEC)
    assert invited(db, meeting) == {late}


def test_minutes_are_approved_at_a_meeting_of_the_same_council_that_took_place(db, host,
                                                                                guest):
    first = svc.plan_meeting(db, host, "pleniere", "Plénière", NOV)
    elsewhere = svc.plan_meeting(db, guest, "pleniere", "Plénière", DEC)
    cancelled = svc.plan_meeting(db, host, "pleniere", "Plénière annulée", DEC)
    svc.cancel_meeting(db, cancelled)
    for approving in (elsewhere, cancelled):
        with pytest.raises(ValidationError):
            svc.validate_minutes(db, first, approving)
    assert svc.require_meeting(db, first)["minutes_status"] == "brouillon"


def test_a_meeting_where_actions_were_followed_up_cannot_be_deleted(db, host):
    first = svc.plan_meeting(db, host, "pleniere", "Plénière", NOV)
    action = svc.add_action(db, first, "Écrire au bailleur")
    second = svc.plan_meeting(db, host, "pleniere", "Plénière", DEC)
    svc.follow_up_action(db, second, action, "fait")
    with pytest.raises(UserError):
        svc.delete_meeting(db, second)
    assert action_row(db, action)["status"] == "fait"


def test_an_action_closed_in_its_own_minutes_is_closed_on_the_meeting_day(db, host):
    meeting = svc.plan_meeting(db, host, "pleniere", "Plénière", NOV)
    action = svc.add_action(db, meeting, "Réserver la salle")
    svc.update_action(db, action, status="fait")
    assert action_row(db, action)["closed_on"] == "2026-11-26"


def test_removing_someone_from_the_directory_withdraws_pending_invitations(db, host):
    from perr_desktop.services import people

    gone = member(db, host, "Jérôme", "Lacôte")
    past = svc.plan_meeting(db, host, "pleniere", "Plénière", NOV)
    svc.set_attendance(db, past, gone, "present")
    coming = svc.plan_meeting(db, host, "pleniere", "Plénière", DEC)
    people.delete_person(db, gone)
    assert gone in invited(db, past)            # what happened stays counted
    assert gone not in invited(db, coming)      # not on the next sign-in sheet
    assert svc.attendance_summary(db, past)["present"] == 1


def test_what_happens_at_a_meeting_waits_for_its_day(db, host, meetings_today):
    import datetime as dt

    from tests.services.meetings_helpers import dump

    someone = member(db, host, "Hélène", "Garnier")
    earlier = svc.plan_meeting(db, host, "pleniere", "Plénière", NOV)
    action = svc.add_action(db, earlier, "Écrire au bailleur")
    coming = svc.plan_meeting(db, host, "pleniere", "Plénière", DEC)
    meetings_today(dt.date(2026, 12, 1))
    before = dump(db)
    refusals = [
        lambda: svc.set_attendance(db, coming, someone, "present"),
        lambda: svc.add_walk_in(db, coming, first_name="Nadia", last_name="Koné"),
        lambda: svc.set_headcount(db, coming, "femme", "16_25", True, True, 2),
        lambda: svc.mark_unrecorded_absent(db, coming),
        lambda: svc.follow_up_action(db, coming, action, "fait"),
        lambda: svc.validate_minutes(db, earlier, coming),
        lambda: svc.validate_minutes(db, coming),
    ]
    for attempt in refusals:
        with pytest.raises(UserError) as excinfo:
            attempt()
        assert "pas encore eu lieu" in excinfo.value.message
    assert dump(db) == before
    meetings_today(dt.date(2026, 12, 17))            # the evening itself
    svc.set_attendance(db, coming, someone, "present")
    svc.validate_minutes(db, earlier, coming)
    validated = svc.require_meeting(db, earlier)["validated_at"]
    assert validated.startswith("2026-12-17T17:30")  # 18:30 in Paris, in UTC

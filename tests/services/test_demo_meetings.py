"""The demonstration's meetings: two believable years per council, read back only through
the public services (meetings, councils), never by raw SQL."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest

from perr_desktop.errors import UserError
from perr_desktop.services import councils, demo, meetings
from perr_desktop.services import people as people_service
from perr_desktop.storage.database import open_database

# A fixed "today" (in the past, as the rules refuse future consent dates) keeps runs equal.
TODAY = dt.date(2026, 6, 15)
TWO_YEARS_AGO = dt.date(2024, 6, 15)
BASSEAU = "Basseau Grande-Garenne"
INTERMEDIATE = {"cafe_citoyen", "stand_marche", "porte_a_porte", "fete_quartier"}
PUBLIC = INTERMEDIATE | {"rencontre_thematique"}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    database = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    database.summary = demo.populate(database, today=TODAY, with_walks=False)
    yield database
    database.close()


@pytest.fixture(scope="module")
def world(demo_db):
    """Everything read once: councils by name, and every meeting in full."""
    by_name = {c["name"]: councils.get_council(demo_db, c["id"])
               for c in councils.list_councils(demo_db)}
    full = [meetings.get_meeting(demo_db, m["id"]) for m in meetings.list_meetings(demo_db)]
    return {"councils": by_name, "meetings": full}


def day_of(meeting: dict) -> dt.date:
    return dt.date.fromisoformat(meeting["starts_at"][:10])


def held(meeting: dict) -> bool:
    return day_of(meeting) < TODAY


def involving(world, name: str) -> list[dict]:
    council_id = world["councils"][name]["id"]
    return [m for m in world["meetings"] if m["council_id"] == council_id
            or council_id in {g["id"] for g in m["guest_councils"]}]


def hosted(world, name: str) -> list[dict]:
    council_id = world["councils"][name]["id"]
    return [m for m in world["meetings"] if m["council_id"] == council_id]


def active_names(world) -> list[str]:
    return sorted(n for n, c in world["councils"].items() if c["status"] == "actif")


def snapshot(db) -> list[tuple]:
    """Every meeting with all that belongs to it, without ids and clock-bound timestamps."""
    out = []
    for row in meetings.list_meetings(db):
        m = meetings.get_meeting(db, row["id"])
        out.append((
            m["council"]["name"], m["kind"], m["title"], m["starts_at"], m["ends_at"],
            m["venue"], m["minutes_status"], tuple(g["name"] for g in m["guest_councils"]),
            tuple(m["objective_codes"]),
            tuple((i["position"], i["title"], i["duration_minutes"], i["presenter"],
                   i["objective_code"], i["notes"]) for i in m["agenda"]),
            tuple((a["name"], a["status"], a["member"], a["invited"], a["proxy_name"])
                  for a in m["attendance"]),
            tuple((h["gender"], h["age_band"], h["lives_in_qpv"], h["first_time"], h["count"])
                  for h in m["headcounts"]),
            tuple((d["text"], d["votes_for"], d["votes_against"], d["votes_abstain"])
                  for d in m["decisions"]),
            tuple((a["text"], a["assignee"], a["due_on"], a["status"], a["closed_on"])
                  for a in m["actions"]),
            tuple((a["text"], a["status_here"], (a["update"] or {}).get("note"))
                  for a in m["outstanding"]),
            tuple((a["text"], a["recorded_on"]) for a in m["amendments"]),
        ))
    return out


# -- determinism and the summary --------------------------------------------------------

def test_same_seed_gives_the_same_meetings(tmp_path):
    runs = []
    for name, seed in (("a", 2026), ("b", 2026), ("c", 7)):
        with open_database(tmp_path / f"{name}.sqlite") as db:
            summary = demo.populate(db, seed=seed, today=TODAY, with_walks=False)
            runs.append((summary, snapshot(db)))
    (summary_a, data_a), (summary_b, data_b), (_summary_c, data_c) = runs
    assert summary_a == summary_b
    assert data_a == data_b
    assert len(data_a) == summary_a.meetings
    assert data_a != data_c


def test_a_failure_among_the_meetings_leaves_nothing_behind(db, monkeypatch):
    real_add = meetings.add_action
    calls = []

    def failing_add(*args, **kwargs):
        calls.append(1)
        if len(calls) == 60:
            raise RuntimeError("disk unplugged")
        return real_add(*args, **kwargs)

    monkeypatch.setattr(meetings, "add_action", failing_add)
    with pytest.raises(RuntimeError):
        demo.populate(db, today=TODAY, with_walks=False)
    assert len(calls) == 60
    assert councils.list_councils(db) == []
    assert meetings.list_meetings(db) == []
    assert meetings.list_actions(db) == []
    assert people_service.list_people(db) == []


def test_summary_counts_meetings_and_actions(demo_db, world):
    assert demo_db.summary.meetings == len(world["meetings"])
    assert demo_db.summary.actions == len(meetings.list_actions(demo_db))


# -- the calendar ---------------------------------------------------------------------

def test_each_active_council_meets_for_two_years(world):
    for name in active_names(world):
        listed = involving(world, name)
        assert len(listed) >= 14, name
        # About 8-12 a year: not a meeting every week either.
        assert len(listed) <= 32, name
        days = [day_of(m) for m in listed]
        assert min(days) <= TWO_YEARS_AGO + dt.timedelta(days=100), name
        assert TWO_YEARS_AGO <= min(days)
        # The next ones are already planned (after the summer break, in July).
        assert any(TODAY <= d <= TODAY + dt.timedelta(days=100) for d in days), name


def test_mostly_plenieres_with_every_other_kind_around_them(world):
    for name in active_names(world):
        kinds = Counter(m["kind"] for m in involving(world, name))
        assert kinds.most_common(1)[0][0] == "pleniere", name
        assert kinds["pleniere"] >= 10, name
        for kind in ("bureau", "rencontre_thematique", "inter_conseils", "formation_commune"):
            assert kinds[kind] >= 1, (name, kind)
        assert sum(kinds[k] for k in INTERMEDIATE) >= 1, name
        # Roughly monthly: never more than two months without a plénière, but for summer.
        days = sorted(day_of(m) for m in involving(world, name) if m["kind"] == "pleniere")
        for before, after in itertools.pairwise(days):
            assert (after - before).days <= (105 if after.month in (9, 10) else 70), \
                (name, before, after)


def test_meetings_happen_at_believable_times_and_places(world):
    for m in world["meetings"]:
        start = dt.datetime.fromisoformat(m["starts_at"])
        end = dt.datetime.fromisoformat(m["ends_at"])
        assert start.month != 8, m["title"]
        assert dt.timedelta(minutes=60) <= end - start <= dt.timedelta(hours=7)
        assert m["venue"]
        if m["kind"] == "pleniere":
            assert start.strftime("%H:%M") in ("18:00", "18:30")
            assert start.weekday() < 5
        if m["kind"] == "stand_marche":
            assert start.weekday() == 5 and start.hour < 12
    # Plénières are mostly held at the council's usual venue, sometimes elsewhere.
    plenieres = [m for m in world["meetings"] if m["kind"] == "pleniere"]
    usual = sum(m["venue"] == m["council"]["venue"] for m in plenieres)
    assert 0.75 * len(plenieres) <= usual < len(plenieres)


def test_inter_council_meetings_have_guests(world):
    shared = [m for m in world["meetings"]
              if m["kind"] in ("inter_conseils", "formation_commune")]
    assert any(m["kind"] == "inter_conseils" and m["guest_councils"] for m in shared)
    for m in shared:
        assert 1 <= len(m["guest_councils"]) <= 2, m["title"]
    # Members of the guest councils are invited with the host's.
    m = next(m for m in shared if held(m))
    guest_ids = {g["id"] for g in m["guest_councils"]}
    invited = {a["person_id"] for a in m["attendance"] if a["member"]}
    for guest_id in guest_ids:
        council = next(c for c in world["councils"].values() if c["id"] == guest_id)
        guest_members = {r["person_id"] for r in council["members"]}
        assert invited & guest_members, council["name"]


def test_the_council_being_set_up_meets_only_since_its_members_joined(world):
    council = world["councils"][BASSEAU]
    assert council["status"] == "en_creation"
    joined = min(r["joined_on"] for r in council["members"])
    listed = involving(world, BASSEAU)
    assert 2 <= len(listed) < 14
    assert all(m["starts_at"][:10] >= joined for m in listed)
    first = min(listed, key=lambda m: m["starts_at"])
    assert first["title"] == "Séance constitutive du conseil citoyen"
    assert "D4.01" in first["objective_codes"]  # « Créant le conseil citoyen … »


def test_only_members_on_the_day_are_invited(world):
    memberships = {}
    for council in world["councils"].values():
        for row in council["members"]:
            memberships.setdefault((council["id"], row["person_id"]), []).append(row)
    for m in world["meetings"]:
        councils_here = {m["council_id"], *(g["id"] for g in m["guest_councils"])}
        day = m["starts_at"][:10]
        for a in m["attendance"]:
            if not a["member"]:
                continue
            rows = [r for c in councils_here for r in memberships.get((c, a["person_id"]), ())]
            assert any(r["joined_on"] <= day and (r["left_on"] is None or r["left_on"] > day)
                       for r in rows), (m["title"], day, a["name"])


# -- agendas ----------------------------------------------------------------------------

def test_agendas_are_real_french_with_durations_presenters_and_objectives(demo_db, world):
    codes = {c for m in world["meetings"] for c in m["objective_codes"]}
    assert {"D4.02", "D4.03", "D4.04", "D4.05", "D4.08"} <= codes
    titles = Counter(i["title"] for m in world["meetings"] for i in m["agenda"])
    assert titles["Questions diverses"] >= 40
    assert titles["Points en suspens"] >= 20
    assert titles["Approbation du compte rendu de la séance précédente"] >= 20
    assert any(t.startswith("Point sur le diagnostic en marchant") for t in titles)
    assert any(t.startswith(("Préparation de la fête", "Préparation du stand",
                             "Préparation du café", "Préparation de la rencontre"))
               for t in titles)
    assert any("NPNRU" in t for t in titles)
    for m in world["meetings"]:
        assert 3 <= len(m["agenda"]) <= 6, m["title"]
        assert [i["position"] for i in m["agenda"]] == list(range(1, len(m["agenda"]) + 1))
        assert m["objective_codes"], m["title"]
        for item in m["agenda"]:
            assert item["duration_minutes"] and item["presenter"], item["title"]
        tagged = {i["objective_code"] for i in m["agenda"] if i["objective_code"]}
        assert tagged <= set(m["objective_codes"]), m["title"]


def test_the_urban_renewal_programme_is_presented_only_where_it_happens(world):
    for m in world["meetings"]:
        if any("NPNRU" in i["title"] for i in m["agenda"]):
            assert m["council"]["name"] in ("Basseau Grande-Garenne", "Bel-Air Grand Font")


def test_plenieres_are_prepared_by_copying_the_last_one(world):
    plenieres = [m for m in world["meetings"] if m["kind"] == "pleniere"]
    assert sum(bool(m["copied_from_id"]) for m in plenieres) >= len(plenieres) * 0.8


# -- what happened, and what has not yet --------------------------------------------------

def test_past_meetings_have_attendance_and_minutes(world):
    for m in world["meetings"]:
        if not held(m):
            continue
        members = [a for a in m["attendance"] if a["member"]]
        assert all(a["status"] for a in members), m["title"]
        assert m["summary"]["present"] >= 1, m["title"]
        assert any(i["notes"].strip() for i in m["agenda"]), m["title"]


def test_future_meetings_are_only_planned(world):
    future = [m for m in world["meetings"] if not held(m)]
    assert len(future) >= 5
    for m in future:
        assert day_of(m) <= TODAY + dt.timedelta(days=100)
        if m["kind"] not in INTERMEDIATE:  # nobody is convened to a stall or a party
            assert m["attendance"], m["title"]  # members are invited…
        assert not any(a["status"] for a in m["attendance"])  # …nobody has come yet
        assert not m["headcounts"] and not m["decisions"] and not m["actions"]
        assert not any(i["notes"] for i in m["agenda"])
        assert m["minutes_status"] == "brouillon"


def test_nothing_happened_after_today(demo_db, world):
    for m in world["meetings"]:
        happened = (any(a["status"] for a in m["attendance"]) or m["headcounts"]
                    or m["decisions"] or m["actions"] or m["amendments"])
        if happened:
            assert day_of(m) < TODAY, m["title"]
        for a in m["amendments"]:
            assert m["starts_at"][:10] < a["recorded_on"] < TODAY.isoformat()
    for action in meetings.list_actions(demo_db):
        if action["closed_on"]:
            assert action["meeting_starts_at"][:10] <= action["closed_on"] < TODAY.isoformat()


def test_attendance_varies_like_real_evenings(world):
    statuses = Counter(a["status"] for m in world["meetings"] if held(m)
                       for a in m["attendance"] if a["member"])
    total = sum(statuses.values())
    assert 0.45 <= statuses["present"] / total <= 0.8
    assert statuses["excuse"] > statuses["absent"] > statuses["represente"] > 0
    for m in world["meetings"]:
        by_person = {a["person_id"]: a for a in m["attendance"]}
        holders = Counter(a["proxy_person_id"] for a in m["attendance"] if a["proxy_person_id"])
        for holder, count in holders.items():
            assert by_person[holder]["status"] == "present"
            assert count == 1  # one proxy each


def test_walk_ins_are_new_people_and_people_already_known(demo_db, world):
    walk_ins = [a for m in world["meetings"] for a in m["attendance"] if not a["member"]]
    assert len(walk_ins) >= 20
    people = {a["person_id"] for a in walk_ins}
    firsts = Counter(a["person_id"] for a in walk_ins)
    assert any(n > 1 for n in firsts.values())  # some come back
    notes = [people_service.get_person(demo_db, p)["notes"] for p in sorted(people)]
    newcomers = [n for n in notes if n.startswith("Première venue")]
    assert 5 <= len(newcomers) <= 25
    assert len(newcomers) < len(notes)  # others were already in the directory


def test_public_events_are_counted_anonymously(world):
    public = [m for m in world["meetings"] if m["kind"] in PUBLIC and held(m)]
    assert public and all(m["headcounts"] for m in public)
    assert any(m["headcounts"] for m in world["meetings"] if m["kind"] == "pleniere")
    for m in public:
        if m["kind"] == "fete_quartier":
            assert m["summary"]["counted"] >= 50


def test_participation_figures_make_a_dashboard_worth_reading(world):
    women = men = young = total = 0
    for m in world["meetings"]:
        if not held(m):
            continue
        for a in m["attendance"]:
            if a["status"] == "present":
                total += 1
                women += a["gender"] == "femme"
                men += a["gender"] == "homme"
                year = int(m["starts_at"][:4])
                young += bool(a["birth_year"]) and year - a["birth_year"] <= 25
        for h in m["headcounts"]:
            total += h["count"]
            women += h["count"] * (h["gender"] == "femme")
            men += h["count"] * (h["gender"] == "homme")
            young += h["count"] * (h["age_band"] in ("moins_16", "16_25"))
    assert women > men
    assert 0.5 < women / total < 0.65
    assert 0.05 < young / total < 0.3


# -- minutes, actions, approval -------------------------------------------------------------

def test_minutes_record_decisions_with_votes_and_actions(demo_db, world):
    decisions = [d for m in world["meetings"] for d in m["decisions"]]
    voted = [d for d in decisions if d["votes_for"] is not None]
    assert len(voted) >= 10 and len(decisions) > len(voted)
    assert any(d["votes_against"] or d["votes_abstain"] for d in voted)
    for m in world["meetings"]:
        voters = m["summary"]["present"] + m["summary"]["represented"]
        for d in m["decisions"]:
            if d["votes_for"] is not None:
                assert d["votes_for"] + d["votes_against"] + d["votes_abstain"] <= voters
                assert d["votes_for"] > d["votes_against"]
    actions = meetings.list_actions(demo_db)
    bodies = {a["assignee_body"] for a in actions if a["assignee_body"]}
    assert {"Logélia", "GrandAngoulême", "Ville d'Angoulême"} <= bodies
    assert sum(bool(a["assignee_person_id"]) for a in actions) > len(actions) / 2
    assert all(a["due_on"] for a in actions)
    assert {a["status"] for a in actions} == {"a_faire", "en_cours", "fait", "abandonne"}


def test_open_actions_carry_over_to_a_later_meeting(demo_db, world):
    for name in active_names(world):
        council_id = world["councils"][name]["id"]
        carried = []
        for m in hosted(world, name):
            for row in meetings.outstanding_actions(demo_db, m["id"]):
                assert row["council_id"] == council_id
                assert row["meeting_starts_at"] < m["starts_at"]
                if row["status"] in ("a_faire", "en_cours"):
                    carried.append((m, row))
        assert carried, name
        # Some are still open today and wait on the next planned meeting.
        assert any(not held(m) for m, _row in carried), name


def test_earlier_actions_are_followed_up_with_a_note(world):
    updates = [o for m in world["meetings"] for o in m["outstanding"] if o["update"]]
    assert {u["update"]["status"] for u in updates} >= {"fait", "en_cours", "abandonne"}
    assert all(u["update"]["note"] for u in updates)
    suspens = [i for m in world["meetings"] for i in m["agenda"]
               if i["title"] == "Points en suspens" and i["notes"]]
    assert any(" : fait." in i["notes"] for i in suspens)


def test_minutes_are_approved_at_a_later_meeting_except_the_last(world):
    by_id = {m["id"]: m for m in world["meetings"]}
    for name in world["councils"]:
        past = [m for m in hosted(world, name) if held(m)]
        drafts = [m for m in past if m["minutes_status"] == "brouillon"]
        assert 1 <= len(drafts) <= 3, (name, [m["title"] for m in drafts])
        last_ones = sorted(past, key=lambda m: m["starts_at"])[-4:]
        assert all(m in last_ones for m in drafts), name
        for m in past:
            if m["minutes_status"] == "valide":
                at = by_id[m["validated_in_meeting_id"]]
                assert at["council_id"] == m["council_id"]
                assert m["starts_at"] < at["starts_at"] and held(at)


def test_approved_minutes_are_locked(demo_db, world):
    approved = next(m for m in world["meetings"] if m["minutes_status"] == "valide")
    with pytest.raises(UserError):
        meetings.add_decision(demo_db, approved["id"], "Décision ajoutée après coup")
    with pytest.raises(UserError):
        meetings.set_item_notes(demo_db, approved["agenda"][0]["id"], "Réécrit")
    assert meetings.get_meeting(demo_db, approved["id"])["decisions"] == approved["decisions"]


def test_one_approved_minutes_carries_an_amendment(world):
    amended = [m for m in world["meetings"] if m["amendments"]]
    assert len(amended) == 1
    assert amended[0]["minutes_status"] == "valide"
    assert amended[0]["amendments"][0]["text"].startswith("Rectificatif")

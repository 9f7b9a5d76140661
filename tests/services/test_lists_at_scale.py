"""The lists read a page at a time (issue 7) give what the whole lists gave."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from perr_desktop.domain import walks as rules
from perr_desktop.domain.text import search_key
from perr_desktop.services import councils, followups, meetings, people, reference, walks

TODAY = dt.date(2026, 3, 10)
BODIES = ("ville", "bailleur", "agglomeration", "police_municipale")
STATUSES = ("transmis", "pris_en_compte", "programme", "resolu", "refuse")


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(followups, "_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def scene(db, today):
    """Three walks in two councils, thirty observations, their follow-ups with steps."""
    rng = random.Random(3)
    bgg = councils.create_council(db, "Basseau Grande-Garenne")
    mc = councils.create_council(db, "Ma Campagne")
    for council, day in ((bgg, "2025-06-12"), (bgg, "2026-01-22"), (mc, "2026-01-22")):
        walk = walks.create_walk(db, council, f"Diagnostic {day}", day)
        stop = walks.add_stop(db, walk, rng.choice(["Rue de Basseau", "Square Émile", "Parc"]))
        for n in range(10):
            observation = walks.add_observation(
                db, walk, bodies=rng.sample(BODIES, rng.randint(1, 2)),
                description=rng.choice(["Lampadaire éteint", "Banc cassé", "Trottoir"])
                + f" {n}", stop_id=stop if n % 2 else None, theme="eclairage")
            for followup in db.query("SELECT id FROM followups WHERE observation_id = ?",
                                     (observation,)):
                step_day = dt.date.fromisoformat(day) + dt.timedelta(days=10)
                for status in rng.sample(STATUSES, rng.randint(0, 2)):
                    if step_day >= TODAY:
                        break
                    reminder = (step_day + dt.timedelta(days=rng.choice([20, 400]))
                                if rng.random() < 0.3 else None)
                    followups.add_step(db, followup["id"], status, step_day.isoformat(),
                                       next_reminder_on=reminder and reminder.isoformat())
                    step_day += dt.timedelta(days=rng.randint(5, 60))
    return {"bgg": bgg, "mc": mc}


def reference_ids(db, to_remind=False, **filters) -> list[str]:
    """The list as FollowupPage computed it before issue 7: every row, in Python."""
    text = filters.pop("text", "")
    rows = followups.search(db, **filters)
    wanted = search_key(text.strip())
    if wanted:
        rows = [r for r in rows if wanted in search_key(" ".join(
            (r["description"], r["proposal"], r["stop_name"] or "", r["walk_title"])))]
    if to_remind:
        rows = [r for r in rows if r["overdue"]]
    labels = reference.vocabulary_labels(db, "body")
    rows.sort(key=lambda r: (0 if r["overdue"] else 1,
                             -dt.date.fromisoformat(r["walk_date"]).toordinal(),
                             r["number"], search_key(labels.get(r["body"], r["body"]))))
    return [r["id"] for r in rows]


def body_order(db) -> dict[str, int]:
    labels = reference.vocabulary_labels(db, "body")
    return {code: n for n, code in enumerate(sorted(labels,
                                                    key=lambda c: search_key(labels[c])))}


@pytest.mark.parametrize("filters", [
    {}, {"group": rules.OPEN}, {"group": rules.FIXED}, {"to_remind": True},
    {"body": "ville"}, {"status": "transmis"}, {"older_than_days": 91},
    {"theme": "eclairage", "group": rules.OPEN}, {"text": "lampadaire"},
])
def test_the_suivi_list_in_sql_is_the_list_in_python(db, scene, filters):
    filters = dict(filters)
    listing = followups.list_ids(db, body_order=body_order(db), **filters)
    expected = reference_ids(db, **filters)
    assert listing.ids == expected
    remind = filters.pop("to_remind", False)
    everything = followups.search(db, **{k: v for k, v in filters.items() if k != "text"})
    if not filters.get("text"):
        assert listing.total == len(everything)
        assert listing.overdue == sum(1 for r in everything if r["overdue"])
    assert set(listing.late) <= {r["id"] for r in everything if r["overdue"]}
    assert remind or len(listing.ids) == listing.total


def test_the_suivi_list_sorted_by_a_column(db, scene):
    by_walk = followups.list_ids(db, sort="walk_date", body_order=body_order(db)).ids
    dates = [followups.get(db, i)["walk_date"] for i in by_walk]
    assert dates == sorted(dates)
    latest_first = followups.list_ids(db, sort="walk_date", descending=True).ids
    assert [followups.get(db, i)["walk_date"] for i in latest_first] == sorted(dates,
                                                                             reverse=True)
    by_stop = followups.list_ids(db, sort="stop_name").ids
    stops = [followups.get(db, i)["stop_name"] for i in by_stop]
    named = [s for s in stops if s]
    assert stops == named + [None] * (len(stops) - len(named))    # empty ones last
    assert named == sorted(named, key=search_key)


def test_list_rows_are_the_rows_of_search(db, scene):
    ids = followups.list_ids(db).ids
    rows = followups.list_rows(db, ids[:7])
    for followup_id in ids[:7]:
        assert rows[followup_id] == followups.get(db, followup_id)


def test_meetings_listed_by_ids_and_pages(db, meetings_today):
    bgg = councils.create_council(db, "Basseau Grande-Garenne")
    mc = councils.create_council(db, "Ma Campagne")
    plenary = meetings.plan_meeting(db, bgg, "pleniere", "Zèbre", "2026-01-29T18:30")
    bureau = meetings.plan_meeting(db, bgg, "bureau", "Écoles", "2026-02-05T18:00")
    joint = meetings.plan_meeting(db, mc, "pleniere", "Ateliers", "2026-03-12T18:00",
                                  guest_council_ids=[bgg])
    assert meetings.meeting_ids(db, descending=True) == [
        m["id"] for m in meetings.list_meetings(db, descending=True)]
    assert meetings.meeting_ids(db, bgg) == [plenary, bureau, joint]      # guests too
    assert meetings.meeting_ids(db, kind="bureau") == [bureau]
    assert meetings.meeting_ids(db, sort="title") == [joint, bureau, plenary]  # É as E
    assert meetings.meeting_ids(db, sort="title", descending=True) == [plenary, bureau,
                                                                      joint]
    rows = meetings.meeting_rows(db, [joint, plenary])
    whole = {m["id"]: m for m in meetings.list_meetings(db)}
    assert rows == {joint: whole[joint], plenary: whole[plenary]}
    assert meetings.next_meeting_id(db, today=dt.date(2026, 2, 1)) == bureau
    assert meetings.next_meeting_id(db, today=dt.date(2026, 2, 5)) == bureau  # that day
    assert meetings.next_meeting_id(db, today=dt.date(2027, 1, 1)) == joint   # the latest
    assert meetings.next_meeting_id(db, mc, today=dt.date(2026, 1, 1)) == joint


def test_the_directory_to_pick_from(db):
    assert people.choices(db) == []
    mark = people.directory_mark(db)
    helene = people.create_person(db, first_name="Hélène", last_name="Garnier",
                                  organisation="Centre social")
    karim = people.create_person(db, first_name="Karim", last_name="Benali")
    assert people.choices(db) == [(karim, "Karim Benali", ""),
                                  (helene, "Hélène Garnier", "Centre social")]
    assert people.labelled_choices(db) == [("Karim Benali", karim),
                                           ("Hélène Garnier (Centre social)", helene)]
    assert people.directory_mark(db) != mark

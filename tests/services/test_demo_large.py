"""The large demonstration (issue 7), generated at 2 % of its size: written straight in
SQL, it must still keep every rule the services keep, and read back through them."""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3

import pytest

from perr_desktop.cli import main
from perr_desktop.errors import UserError
from perr_desktop.services import demo, demo_large, followups, meetings, people, walks
from perr_desktop.storage import media
from perr_desktop.storage.database import open_database

TODAY = dt.date(2026, 6, 15)  # in the past: the rules refuse consent dates in the future
SCALE = 0.02
# The issue's figures for the full size (ten years of five councils).
FULL = {"meetings": 2000, "walks": 500, "observations": 25_000, "photos": 25_000,
        "attendance": 60_000, "followup_steps": 50_000}


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """One reduced large demonstration shared by the read-only tests of this module."""
    path = tmp_path_factory.mktemp("large") / "large.sqlite"
    summary = demo_large.create_large_database(path, seed=7, today=TODAY, scale=SCALE)
    database = open_database(path)
    database.summary = summary
    yield database
    database.close()


def count(db, table: str) -> int:
    return db.scalar(f"SELECT count(*) FROM {table}")


def test_counts_are_the_issues_figures_scaled_down(large):
    summary = large.summary
    for key, full in FULL.items():
        actual = getattr(summary, key)
        assert 0.75 * full * SCALE <= actual <= 1.3 * full * SCALE, (key, actual)
    assert summary.councils == 5
    # The councils keep their size at any scale: the people have a floor.
    assert 3000 * SCALE <= summary.people <= 3000 * SCALE + 300
    for key, table in (("people", "people"), ("meetings", "meetings"), ("walks", "walks"),
                       ("observations", "observations"), ("photos", "photos"),
                       ("attendance", "attendance"), ("followup_steps", "followup_steps"),
                       ("memberships", "memberships"), ("actions", "actions")):
        assert count(large, table) == getattr(summary, key), key
    assert "5 conseils" in str(summary)


def test_database_is_sound_and_checks_healthy(large, capsys):
    assert [r[0] for r in large.execute("PRAGMA integrity_check")] == ["ok"]
    assert large.execute("PRAGMA foreign_key_check").fetchall() == []
    assert main(["check", "--db", str(large.path)]) == 0
    assert "bon état" in capsys.readouterr().out


def test_the_services_read_it(large):
    listed = meetings.list_meetings(large)
    assert len(listed) == large.summary.meetings
    held = [m for m in listed if m["present_count"]]
    assert held
    for meeting in held[::3]:
        full = meetings.get_meeting(large, meeting["id"])
        assert full["attendance"] and full["agenda"]
    all_walks = walks.list_walks(large)
    assert len(all_walks) == large.summary.walks
    for walk in all_walks:
        full = walks.get_walk(large, walk["id"])
        assert full["stops"] and full["observations"] and full["photos"] and full["plan"]
    rows = followups.search(large)
    assert len(rows) == count(large, "followups")
    assert any(r["overdue"] for r in rows) or any(r["group"] == "fixed" for r in rows)
    ids = people.search_people_ids(large)
    assert len(ids) == large.summary.people
    assert len(people.people_rows(large, ids[:100])) == 100
    assert people.search_people_ids(large, members_only=True)


def test_same_seed_gives_the_same_file(large, tmp_path):
    again = tmp_path / "again.sqlite"
    summary = demo_large.create_large_database(again, seed=7, today=TODAY, scale=SCALE)
    assert summary == large.summary
    other = sqlite3.connect(again)
    try:
        for table in demo_large.COLUMNS:
            ours = large.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            theirs = other.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            assert ours == theirs, table
    finally:
        other.close()
    first = large.scalar("SELECT id FROM people ORDER BY rowid LIMIT 1")
    different = demo_large.create_large_database(tmp_path / "other.sqlite", seed=8,
                                                 today=TODAY, scale=SCALE)
    with open_database(tmp_path / "other.sqlite") as db:
        assert db.scalar("SELECT id FROM people ORDER BY rowid LIMIT 1") != first
    assert different.councils == 5


def test_ids_are_uuid4(large):
    for (record_id,) in large.execute("SELECT id FROM observations LIMIT 50"):
        assert len(record_id) == 36 and record_id[14] == "4" and record_id[19] in "89ab"


def test_attendance_is_of_members_invited_or_of_walk_ins(large):
    rows = large.query(
        """SELECT a.person_id, a.invited, a.member, a.status, m.council_id, m.starts_at,
                  (SELECT group_concat(council_id) FROM meeting_guest_councils g
                   WHERE g.meeting_id = m.id) AS guests
           FROM attendance a JOIN meetings m ON m.id = a.meeting_id""")
    spells: dict[str, list[tuple[str, str, str | None]]] = {}
    for row in large.query("SELECT person_id, council_id, joined_on, left_on FROM memberships"):
        spells.setdefault(row["person_id"], []).append(
            (row["council_id"], row["joined_on"], row["left_on"]))
    for row in rows:
        day = row["starts_at"][:10]
        councils = {row["council_id"], *(row["guests"] or "").split(",")}
        member = any(c in councils and joined <= day and (left is None or left > day)
                     for c, joined, left in spells.get(row["person_id"], ()))
        assert bool(row["member"]) == member, row
        if row["invited"]:
            assert member, row  # only members are convened
        else:
            assert row["status"] == "present", row  # a walk-in came


def test_proxies_are_held_by_someone_present(large):
    rows = large.query("SELECT meeting_id, person_id, proxy_person_id FROM attendance "
                       "WHERE status = 'represente'")
    assert rows
    holders = [(r["meeting_id"], r["proxy_person_id"]) for r in rows]
    assert len(holders) == len(set(holders))  # one proxy each
    for row in rows:
        assert row["proxy_person_id"] != row["person_id"]
        assert large.scalar("SELECT status FROM attendance WHERE meeting_id = ? AND "
                            "person_id = ?", (row["meeting_id"], row["proxy_person_id"])) \
            == "present"


def test_only_meetings_that_took_place_have_attendance_and_minutes(large):
    for meeting in large.query("SELECT * FROM meetings"):
        held = meeting["starts_at"][:10] < TODAY.isoformat() and not meeting["cancelled"]
        recorded = large.scalar(
            """SELECT (SELECT count(*) FROM attendance WHERE meeting_id = :m
                       AND status IS NOT NULL)
                    + (SELECT count(*) FROM headcounts WHERE meeting_id = :m)
                    + (SELECT count(*) FROM decisions WHERE meeting_id = :m)
                    + (SELECT count(*) FROM action_updates WHERE meeting_id = :m)
                    + (SELECT count(*) FROM agenda_items WHERE meeting_id = :m
                       AND notes <> '')""", {"m": meeting["id"]})
        if not held:
            assert recorded == 0, meeting["title"]
            assert meeting["minutes_status"] == "brouillon"


def test_minutes_are_approved_at_a_later_meeting_of_the_council(large):
    approved = large.query(
        """SELECT m.starts_at, m.council_id, m.validated_at, l.starts_at AS later_start,
                  l.council_id AS later_council, l.cancelled AS later_cancelled
           FROM meetings m JOIN meetings l ON l.id = m.validated_in_meeting_id
           WHERE m.minutes_status = 'valide'""")
    assert approved
    assert len(approved) == large.scalar(
        "SELECT count(*) FROM meetings WHERE minutes_status = 'valide'")
    for row in approved:
        assert row["later_start"] > row["starts_at"]
        assert row["later_council"] == row["council_id"]
        assert not row["later_cancelled"] and row["later_start"][:10] < TODAY.isoformat()
        assert row["validated_at"].endswith("Z")
    for row in large.query("SELECT a.recorded_on, m.starts_at, m.minutes_status FROM "
                           "amendments a JOIN meetings m ON m.id = a.meeting_id"):
        assert row["minutes_status"] == "valide"
        assert row["starts_at"][:10] <= row["recorded_on"] < TODAY.isoformat()


def test_actions_take_the_status_of_their_latest_follow_up(large):
    for action in large.query("SELECT a.*, m.starts_at FROM actions a "
                              "JOIN meetings m ON m.id = a.meeting_id"):
        updates = large.query(
            """SELECT u.status, m.starts_at, m.council_id FROM action_updates u
               JOIN meetings m ON m.id = u.meeting_id WHERE u.action_id = ?
               ORDER BY m.starts_at""", (action["id"],))
        for update in updates:
            assert update["starts_at"] > action["starts_at"]
            assert update["council_id"] == action["council_id"]
        expected = updates[-1]["status"] if updates else "a_faire"
        assert action["status"] == expected
        assert (action["closed_on"] is not None) == (expected in ("fait", "abandonne"))
        assert bool(action["assignee_person_id"]) != bool(action["assignee_body"])


def test_observations_are_numbered_one_to_n_in_each_walk(large):
    for walk in large.query("SELECT id FROM walks"):
        numbers = [r[0] for r in large.execute(
            "SELECT number FROM observations WHERE walk_id = ? ORDER BY number", (walk["id"],))]
        assert numbers == list(range(1, len(numbers) + 1))
    assert large.scalar(
        """SELECT count(*) FROM observations o JOIN walk_stops s ON s.id = o.stop_id
           WHERE s.walk_id <> o.walk_id""") == 0


def test_follow_up_steps_lie_between_the_walk_and_today(large):
    rows = large.query(
        """SELECT s.step_date, s.next_reminder_on, w.walk_date FROM followup_steps s
           JOIN followups f ON f.id = s.followup_id
           JOIN observations o ON o.id = f.observation_id JOIN walks w ON w.id = o.walk_id""")
    assert rows
    for row in rows:
        assert row["walk_date"] <= row["step_date"] <= TODAY.isoformat()
        assert row["next_reminder_on"] is None or row["next_reminder_on"] > row["step_date"]
    for followup in large.query("SELECT * FROM followups"):
        history = followups.steps(large, followup["id"])
        days = [step["step_date"] for step in history]
        assert days == sorted(set(days))  # one step a day: their order is their dates'
        latest = history[-1] if history else None
        assert followup["status"] == (latest["status"] if latest else "a_transmettre")
        assert followup["next_reminder_on"] == (latest["next_reminder_on"] if latest else None)


def test_memberships_do_not_overlap_and_nobody_joins_before_sixteen(large):
    spells: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for row in large.query("SELECT m.*, p.birth_year FROM memberships m "
                           "JOIN people p ON p.id = m.person_id"):
        spells.setdefault((row["council_id"], row["person_id"]), []).append(
            (row["joined_on"], row["left_on"] or "9999-12-31"))
        if row["birth_year"]:
            assert int(row["joined_on"][:4]) - row["birth_year"] >= 16
        assert row["joined_on"] < TODAY.isoformat()
    for periods in spells.values():
        periods.sort()
        for (_start, end), (start, _end) in itertools.pairwise(periods):
            assert end <= start


def test_photos_are_on_their_observations_stop_and_stored(large):
    rows = large.query(
        """SELECT p.*, o.stop_id AS observation_stop, o.walk_id AS observation_walk,
                  s.walk_id AS stop_walk, m.sha256, m.kind
           FROM photos p JOIN media m ON m.id = p.media_id
           LEFT JOIN observations o ON o.id = p.observation_id
           LEFT JOIN walk_stops s ON s.id = p.stop_id""")
    for row in rows:
        assert row["kind"] == "photo"
        assert row["stop_walk"] == row["walk_id"]
        if row["observation_id"]:
            assert row["observation_walk"] == row["walk_id"]
            assert row["observation_stop"] == row["stop_id"]
        assert not row["include_anyway"] or row["identifiable"]
    for sha256, in large.execute("SELECT sha256 FROM media"):
        assert media.working_path(large.path, sha256).is_file()
        assert media.thumbnail_path(large.path, sha256).is_file()
    files = {p.name for p in large.media_dir.rglob("*.jpg")}
    assert len(files) == 2 * count(large, "media")  # no orphan file
    assert count(large, "media") == large.summary.pictures


def test_codes_and_timestamps_are_valid(large):
    def codes(kind: str) -> set[str]:
        return {r[0] for r in large.execute(
            "SELECT code FROM vocabulary WHERE kind = ?", (kind,))}

    for sql, kind in (("SELECT kind FROM meetings", "meeting_kind"),
                      ("SELECT college FROM memberships", "college"),
                      ("SELECT role FROM memberships", "member_role"),
                      ("SELECT status FROM attendance WHERE status IS NOT NULL",
                       "attendance_status"),
                      ("SELECT theme FROM observations", "observation_theme"),
                      ("SELECT body FROM followups", "body"),
                      ("SELECT status FROM followup_steps", "followup_status"),
                      ("SELECT channel FROM followup_steps", "followup_channel"),
                      ("SELECT role FROM walk_participants", "walk_role")):
        assert {r[0] for r in large.execute(sql)} <= codes(kind), kind
    limit = TODAY.isoformat()
    for table in demo_large.COLUMNS:
        assert large.scalar(f"SELECT count(*) FROM {table} WHERE updated_at < created_at "
                            f"OR created_at >= ?", (limit,)) == 0, table
    assert large.scalar("SELECT count(*) FROM people WHERE consent_date >= ?", (limit,)) == 0


def test_a_database_with_councils_is_refused(large):
    with pytest.raises(UserError):
        demo_large.create_large_database(large.path, today=TODAY, scale=SCALE)


def test_the_command_asks_for_the_large_size(tmp_path, monkeypatch, capsys):
    called = {}

    def fake(path):
        called["path"] = path
        return demo_large.LargeSummary(5, 3000, 700, 2000, 2000, 500, 25_000, 25_000)

    monkeypatch.setattr(demo_large, "create_large_database", fake)
    assert "large" in demo.SIZES
    assert main(["demo", "--size", "large", "--db", str(tmp_path / "big.sqlite")]) == 0
    assert called["path"].name == "big.sqlite"
    assert "3\u202f000 personnes" in capsys.readouterr().out

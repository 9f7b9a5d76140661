"""Builders for the meeting service tests: people with dated memberships, table dumps."""

from __future__ import annotations

from typing import Any

from perr_desktop.services import people

# Every table a meeting use case may write to (people and memberships: a walk-in creates a
# person).
MEETING_TABLES = (
    "meetings", "meeting_guest_councils", "meeting_objectives", "agenda_items", "attendance",
    "headcounts", "decisions", "actions", "action_updates", "amendments", "people",
    "memberships",
)


def dump(db, tables: tuple[str, ...] = MEETING_TABLES) -> dict[str, list[dict[str, Any]]]:
    """Every row, every column (tombstones included) of ``tables``: compare two dumps to
    prove that a refused action wrote nothing."""
    return {table: db.query(f"SELECT * FROM {table} ORDER BY id") for table in tables}


def member(db, council_id: str, first: str, last: str, joined_on: str | None = "2020-01-01",
           left_on: str | None = None, **fields: Any) -> str:
    """A person who is (or was) a member of ``council_id`` between the given dates."""
    person_id = people.create_person(db, first_name=first, last_name=last, **fields)
    people.add_membership(db, council_id, person_id, "habitants", joined_on=joined_on,
                          left_on=left_on)
    return person_id


def person(db, first: str, last: str, **fields: Any) -> str:
    """Someone of the directory who is no council's member (a partner, a neighbour)."""
    return people.create_person(db, first_name=first, last_name=last, **fields)


def attendance_row(db, meeting_id: str, person_id: str) -> dict[str, Any] | None:
    return db.query_one("SELECT * FROM attendance WHERE meeting_id = ? AND person_id = ? "
                        "AND deleted_at IS NULL", (meeting_id, person_id))


def invited(db, meeting_id: str) -> set[str]:
    """The people on the meeting's list (invited or come), tombstones left out."""
    return {r["person_id"] for r in db.query(
        "SELECT person_id FROM attendance WHERE meeting_id = ? AND deleted_at IS NULL",
        (meeting_id,))}


def action_row(db, action_id: str) -> dict[str, Any]:
    return db.query_one("SELECT * FROM actions WHERE id = ?", (action_id,))


def count(db, table: str) -> int:
    return db.scalar(f"SELECT count(*) FROM {table}")

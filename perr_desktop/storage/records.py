"""Generic record writes: ids, timestamps and tombstones, the same for every table."""

from __future__ import annotations

from typing import Any

from perr_desktop.errors import NotFoundError
from perr_desktop.i18n import _
from perr_desktop.storage.ids import new_id, now_utc

_TABLES = frozenset({
    "councils", "council_neighbourhoods", "neighbourhoods", "people", "memberships",
    "vocabulary", "perr_objectives", "meetings", "meeting_guest_councils",
    "meeting_objectives", "agenda_items", "attendance", "headcounts", "decisions", "actions",
    "action_updates", "amendments", "media", "walks", "walk_stops", "walk_participants",
    "observations", "photos", "followups", "followup_steps",
})


def _table(name: str) -> str:
    if name not in _TABLES:
        raise ValueError(f"unknown table {name!r}")
    return name


def insert(db, table: str, values: dict[str, Any], record_id: str | None = None) -> str:
    now = now_utc()
    row = {**values, "id": record_id or new_id(), "created_at": now, "updated_at": now}
    columns = ", ".join(row)
    marks = ", ".join(f":{c}" for c in row)
    db.execute(f"INSERT INTO {_table(table)} ({columns}) VALUES ({marks})", row)
    return row["id"]


def get(db, table: str, record_id: str, *, include_deleted: bool = False) -> dict[str, Any]:
    row = db.query_one(f"SELECT * FROM {_table(table)} WHERE id = ?", (record_id,))
    if row is None or (row["deleted_at"] and not include_deleted):
        raise NotFoundError(_("No record with the id %(id)s.") % {"id": record_id})
    return row


def update(db, table: str, record_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``changes``; only fields whose value differs are written, and only then is
    ``updated_at`` moved (an unchanged record must not look newer to another laptop)."""
    current = get(db, table, record_id)
    changed = {k: v for k, v in changes.items() if current[k] != v}
    if not changed:
        return current
    changed["updated_at"] = now_utc()
    assignments = ", ".join(f"{c} = :{c}" for c in changed)
    db.execute(
        f"UPDATE {_table(table)} SET {assignments} WHERE id = :_id", {**changed, "_id": record_id}
    )
    return {**current, **changed}


def soft_delete(db, table: str, record_id: str) -> None:
    get(db, table, record_id)
    now = now_utc()
    db.execute(
        f"UPDATE {_table(table)} SET deleted_at = ?, updated_at = ? WHERE id = ?",
        (now, now, record_id),
    )


def restore(db, table: str, record_id: str) -> None:
    get(db, table, record_id, include_deleted=True)
    db.execute(
        f"UPDATE {_table(table)} SET deleted_at = NULL, updated_at = ? WHERE id = ?",
        (now_utc(), record_id),
    )

"""Builders for the walk and follow-up service tests: photos without files, timestamps
set by hand, table dumps."""

from __future__ import annotations

import hashlib
from typing import Any

from perr_desktop.storage import records

# Every table a walk or follow-up use case may write to.
WALK_TABLES = ("media", "walks", "walk_stops", "walk_participants", "observations", "photos",
               "followups", "followup_steps")


def dump(db, tables: tuple[str, ...] = WALK_TABLES) -> dict[str, list[dict[str, Any]]]:
    """Every row, every column (tombstones included) of ``tables``: compare two dumps to
    prove that a refused action wrote nothing."""
    return {table: db.query(f"SELECT * FROM {table} ORDER BY id") for table in tables}


def add_photo(db, walk_id: str, taken_at: str | None = None, name: str = "IMG.jpg",
              **fields: Any) -> str:
    """A photo of the walk, as the importer would leave it (a media row and a photo row),
    with no file on disk: the rules only need the rows. ``taken_at`` is the camera's
    wall-clock time in Paris."""
    sha = hashlib.sha256(f"{walk_id}/{name}/{taken_at}".encode()).hexdigest()
    with db.transaction():
        media_id = records.insert(db, "media", {
            "sha256": sha, "kind": "photo", "original_name": name, "width": 4032,
            "height": 3024, "taken_at": taken_at})
        return records.insert(db, "photos", {"walk_id": walk_id, "media_id": media_id,
                                             **fields})


def add_plan(db, name: str = "plan-basseau.png") -> str:
    with db.transaction():
        return records.insert(db, "media", {
            "sha256": hashlib.sha256(name.encode()).hexdigest(), "kind": "plan",
            "original_name": name, "width": 2000, "height": 1400})


def set_created_at(db, table: str, record_id: str, utc_stamp: str) -> None:
    """Pretend the record was typed at ``utc_stamp`` (« 2026-01-15T20:10:00.000000Z »)."""
    with db.transaction():
        db.execute(f"UPDATE {table} SET created_at = ? WHERE id = ?", (utc_stamp, record_id))


def photo_row(db, photo_id: str) -> dict[str, Any]:
    return db.query_one("SELECT * FROM photos WHERE id = ?", (photo_id,))


def row(db, table: str, record_id: str) -> dict[str, Any]:
    return db.query_one(f"SELECT * FROM {table} WHERE id = ?", (record_id,))

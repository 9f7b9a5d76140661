"""check_database: a read-only health check that never changes the file it looks at."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from perr_desktop.services import people
from perr_desktop.storage import migrations, records
from perr_desktop.storage.database import check_database, open_database


def sidecars(path: Path) -> list[str]:
    return sorted(
        p.name for p in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal"))
        if p.exists()
    )


@pytest.fixture
def closed_db(db_path):
    """A healthy database with a few rows, closed cleanly (WAL checkpointed and removed)."""
    with open_database(db_path) as db, db.transaction():
        council = records.insert(db, "councils", {"name": "Ma Campagne"})
        person = records.insert(db, "people", {"first_name": "Hélène", "last_name": "Garnier"})
        records.insert(db, "memberships", {
            "council_id": council, "person_id": person, "college": "habitants"})
    assert sidecars(db_path) == []
    return db_path


def test_healthy_database_has_no_problems(closed_db):
    assert check_database(closed_db) == []


def test_healthy_database_left_byte_identical(closed_db):
    before = closed_db.read_bytes()
    assert check_database(closed_db) == []
    assert closed_db.read_bytes() == before


def test_check_while_the_database_is_open(db):
    with db.transaction():
        records.insert(db, "councils", {"name": "Ma Campagne"})
    assert check_database(db.path) == []


def test_check_leaves_no_wal_or_shm_files_behind(closed_db):
    # A read-only connection to a WAL file creates -wal/-shm and cannot remove them on close;
    # the check must not leave them next to a closed database.
    before = closed_db.read_bytes()
    assert check_database(closed_db) == []
    assert sidecars(closed_db) == []
    assert closed_db.read_bytes() == before


def test_check_on_an_open_database_sees_uncheckpointed_writes(db):
    """While the application has the file open, the -wal holds recent writes: a check
    must read through it, not see a stale main file (or report a damage)."""
    with db.transaction():
        records.insert(db, "councils", {"name": "Ma Campagne"})
    assert Path(f"{db.path}-wal").exists()
    assert check_database(db.path) == []
    with db.transaction():
        records.insert(db, "councils", {"name": "Bel-Air"})
    assert db.scalar("SELECT count(*) FROM councils") == 2


def test_missing_file_is_one_message(tmp_path):
    path = tmp_path / "absent.sqlite"
    problems = check_database(path)
    assert len(problems) == 1
    assert str(path) in problems[0]
    assert not path.exists()


def test_text_file_is_one_message_and_left_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("ordre du jour\n", encoding="utf-8")
    problems = check_database(path)
    assert len(problems) == 1
    assert str(path) in problems[0]
    assert path.read_text(encoding="utf-8") == "ordre du jour\n"
    assert sidecars(path) == []


def test_empty_file_is_reported(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    problems = check_database(path)
    assert len(problems) == 1
    assert str(path) in problems[0]
    assert path.stat().st_size == 0


def test_folder_is_reported(tmp_path):
    assert len(check_database(tmp_path)) == 1


def test_other_application_sqlite_is_reported_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    problems = check_database(path)
    assert len(problems) == 1
    assert str(path) in problems[0]
    assert path.read_bytes() == before


def test_missing_tables_are_reported(closed_db):
    conn = sqlite3.connect(closed_db, isolation_level=None)
    conn.execute("DROP TABLE vocabulary")
    conn.close()
    problems = check_database(closed_db)
    assert len(problems) == 1
    assert "vocabulary" in problems[0]


def _orphan_membership(path: Path, council_id: str, person_id: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        "INSERT INTO memberships (id, created_at, updated_at, council_id, person_id, college) "
        "VALUES ('m-orphan', 'x', 'x', ?, ?, 'habitants')",
        (council_id, person_id),
    )
    conn.close()


def test_broken_foreign_keys_are_reported(closed_db):
    conn = sqlite3.connect(closed_db)
    person_id = conn.execute("SELECT id FROM people").fetchone()[0]
    conn.close()
    _orphan_membership(closed_db, "no-such-council", person_id)
    problems = check_database(closed_db)
    assert len(problems) == 1
    assert re.findall(r"\d+", problems[0]) == ["1"]


def test_broken_foreign_keys_counts_records_not_references(closed_db):
    _orphan_membership(closed_db, "no-such-council", "no-such-person")
    problems = check_database(closed_db)
    assert len(problems) == 1
    assert re.findall(r"\d+", problems[0]) == ["1"]


def test_damaged_pages_are_reported_not_raised(db_path):
    with open_database(db_path) as db:
        for i in range(200):
            people.create_person(db, first_name=f"Prénom{i}", last_name="Garnier",
                                 notes="compte rendu " * 40)
    data = bytearray(db_path.read_bytes())
    page = 4096
    assert len(data) > 10 * page
    data[5 * page:5 * page + 3000] = b"A" * 3000
    db_path.write_bytes(bytes(data))
    problems = check_database(db_path)
    assert len(problems) >= 1
    assert all(isinstance(p, str) and p for p in problems)


def test_older_schema_is_not_a_problem_by_itself(tmp_path):
    """A database one migration behind opens fine (it will be migrated): check accepts it."""
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    migrations.apply(conn, target=max(1, migrations.LATEST_VERSION - 1))
    conn.close()
    assert check_database(path) == []

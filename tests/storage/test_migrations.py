"""Every earlier schema version migrates to the latest, keeping its rows, with a backup.

Written against ``migrations.LATEST_VERSION`` so that it keeps checking every path as
migrations are added. A future migration that adds a NOT NULL column without a default
to councils, people or memberships must extend :func:`insert_sample_rows`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from perr_desktop import paths
from perr_desktop.storage import migrations
from perr_desktop.storage.database import check_database, open_database

SAMPLE = {
    "council": "c0000000-0000-4000-8000-000000000001",
    "person": "p0000000-0000-4000-8000-000000000001",
    "membership": "m0000000-0000-4000-8000-000000000001",
}
STAMP = "2024-03-01T10:00:00.000000Z"


def build_at_version(path: Path, version: int) -> None:
    """A database file whose schema stops at ``version`` (0: an empty SQLite file)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        assert migrations.apply(conn, target=version) == list(range(1, version + 1))
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        if version >= 1:
            insert_sample_rows(conn)
    finally:
        conn.close()


def insert_sample_rows(conn: sqlite3.Connection) -> None:
    """A council, a person and a membership, using columns present since version 1."""
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO councils (id, created_at, updated_at, name) VALUES (?, ?, ?, ?)",
        (SAMPLE["council"], STAMP, STAMP, "Ma Campagne"),
    )
    conn.execute(
        "INSERT INTO people (id, created_at, updated_at, first_name, last_name) "
        "VALUES (?, ?, ?, ?, ?)",
        (SAMPLE["person"], STAMP, STAMP, "Hélène", "Garnier"),
    )
    conn.execute(
        "INSERT INTO memberships (id, created_at, updated_at, council_id, person_id, college, "
        "joined_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (SAMPLE["membership"], STAMP, STAMP, SAMPLE["council"], SAMPLE["person"], "habitants",
         "2023-09-01"),
    )
    conn.execute("COMMIT")


def sample_rows(conn: sqlite3.Connection) -> tuple:
    return (
        conn.execute("SELECT id, name FROM councils ORDER BY id").fetchall(),
        conn.execute("SELECT id, first_name, last_name FROM people ORDER BY id").fetchall(),
        conn.execute(
            "SELECT id, council_id, person_id, college, joined_on FROM memberships ORDER BY id"
        ).fetchall(),
    )


EXPECTED_ROWS = (
    [(SAMPLE["council"], "Ma Campagne")],
    [(SAMPLE["person"], "Hélène", "Garnier")],
    [(SAMPLE["membership"], SAMPLE["council"], SAMPLE["person"], "habitants", "2023-09-01")],
)


def schema(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()


def backups(db_path: Path, version: int) -> list[Path]:
    """The database files of the backups made before migrating from ``version``."""
    folder = paths.backups_dir(db_path)
    return sorted(folder.glob(f"*_before-migration-v{version}/database.sqlite"))


@pytest.fixture
def extra_migration(monkeypatch):
    """Append migration steps for the length of a test.

    ``migrations.apply``'s default ``target`` is bound when the module is imported, so it
    is wrapped to follow the patched ``LATEST_VERSION``.
    """
    original_apply = migrations.apply

    def add(*steps):
        monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, *steps])
        monkeypatch.setattr(migrations, "LATEST_VERSION", len(migrations.MIGRATIONS))
        monkeypatch.setattr(
            migrations, "apply",
            lambda conn, target=None: original_apply(
                conn, migrations.LATEST_VERSION if target is None else target),
        )
        return migrations.LATEST_VERSION

    return add


# -- every earlier version ------------------------------------------------------------------

@pytest.mark.parametrize("version", range(migrations.LATEST_VERSION))
def test_every_earlier_version_migrates_to_the_latest(tmp_path, version):
    path = tmp_path / "perr.sqlite"
    build_at_version(path, version)

    with open_database(path) as db:
        assert db.schema_version == migrations.LATEST_VERSION
        assert db.query("PRAGMA foreign_key_check") == []
        assert db.scalar("PRAGMA integrity_check") == "ok"
        assert db.scalar("SELECT count(*) FROM neighbourhoods") == 5
        if version >= 1:
            assert sample_rows(db.conn) == EXPECTED_ROWS
    assert check_database(path) == []

    found = backups(path, version)
    if version == 0:
        assert not paths.backups_dir(path).exists()
    else:
        assert len(found) == 1
        backup = sqlite3.connect(found[0])
        try:
            assert backup.execute("PRAGMA user_version").fetchone()[0] == version
            assert sample_rows(backup) == EXPECTED_ROWS
        finally:
            backup.close()


def test_sample_rows_fit_the_latest_schema(tmp_path):
    """The helper above stays valid: at LATEST it must insert without complaint."""
    path = tmp_path / "perr.sqlite"
    build_at_version(path, migrations.LATEST_VERSION)
    with open_database(path) as db:
        assert sample_rows(db.conn) == EXPECTED_ROWS
    # Already at the latest version: nothing to back up.
    assert not paths.backups_dir(path).exists()


def test_schema_from_migrations_equals_a_fresh_database(tmp_path):
    fresh = tmp_path / "fresh.sqlite"
    open_database(fresh).close()

    stepped = tmp_path / "stepped.sqlite"
    conn = sqlite3.connect(stepped, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    for version in range(1, migrations.LATEST_VERSION + 1):
        assert migrations.apply(conn, target=version) == [version]
    conn.close()
    open_database(stepped).close()

    a, b = sqlite3.connect(fresh), sqlite3.connect(stepped)
    try:
        assert schema(a) == schema(b)
        assert len(schema(a)) >= 8
    finally:
        a.close()
        b.close()


def test_apply_is_idempotent(tmp_path):
    conn = sqlite3.connect(tmp_path / "perr.sqlite", isolation_level=None)
    try:
        assert migrations.apply(conn) == list(range(1, migrations.LATEST_VERSION + 1))
        assert migrations.apply(conn) == []
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
    finally:
        conn.close()


def test_latest_version_matches_the_list():
    assert migrations.LATEST_VERSION == len(migrations.MIGRATIONS) >= 1


# -- a new migration, simulated ----------------------------------------------------------------

def _add_phone_book(conn: sqlite3.Connection) -> None:
    migrations.run_script(conn, """
        ALTER TABLE people ADD COLUMN nickname TEXT NOT NULL DEFAULT '';
        UPDATE people SET nickname = lower(first_name);
    """)


def test_a_new_migration_backs_up_then_migrates_keeping_rows(tmp_path, extra_migration):
    path = tmp_path / "perr.sqlite"
    previous = migrations.LATEST_VERSION
    build_at_version(path, previous)
    open_database(path).close()  # seeded, at the current latest

    latest = extra_migration(_add_phone_book)
    assert check_database(path) == []  # an older schema is not a problem
    with open_database(path) as db:
        assert db.schema_version == latest == previous + 1
        assert sample_rows(db.conn) == EXPECTED_ROWS
        assert db.scalar("SELECT nickname FROM people") == "hélène"

    [backup_path] = backups(path, previous)
    backup = sqlite3.connect(backup_path)
    try:
        assert backup.execute("PRAGMA user_version").fetchone()[0] == previous
        assert sample_rows(backup) == EXPECTED_ROWS
        columns = [r[1] for r in backup.execute("PRAGMA table_info(people)")]
        assert "nickname" not in columns
    finally:
        backup.close()


def _fails_midway(conn: sqlite3.Connection) -> None:
    migrations.run_script(conn, """
        CREATE TABLE future_feature (id TEXT PRIMARY KEY NOT NULL) STRICT;
        ALTER TABLE councils ADD COLUMN colour TEXT;
        DELETE FROM memberships;
    """)
    raise RuntimeError("migration step failed halfway")


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path, extra_migration):
    path = tmp_path / "perr.sqlite"
    previous = migrations.LATEST_VERSION
    build_at_version(path, previous)
    conn = sqlite3.connect(path)
    schema_before = schema(conn)
    conn.close()

    extra_migration(_fails_midway)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(RuntimeError, match="halfway"):
            migrations.apply(conn, target=previous + 1)
        assert conn.in_transaction is False
        assert conn.execute("PRAGMA user_version").fetchone()[0] == previous
        assert schema(conn) == schema_before
        assert sample_rows(conn) == EXPECTED_ROWS
    finally:
        conn.close()


def test_a_failing_migration_through_open_database(tmp_path, extra_migration):
    path = tmp_path / "perr.sqlite"
    previous = migrations.LATEST_VERSION
    build_at_version(path, previous)
    open_database(path).close()
    conn = sqlite3.connect(path)
    schema_before = schema(conn)
    conn.close()

    extra_migration(_fails_midway)
    with pytest.raises(RuntimeError, match="halfway"):
        open_database(path)

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == previous
        assert schema(conn) == schema_before
        assert sample_rows(conn) == EXPECTED_ROWS
    finally:
        conn.close()
    # The backup was taken before the attempt, and is intact.
    assert len(backups(path, previous)) == 1


def _breaks_foreign_keys(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM councils")  # memberships still point at it


def test_a_migration_that_breaks_foreign_keys_is_rolled_back(tmp_path, extra_migration):
    path = tmp_path / "perr.sqlite"
    previous = migrations.LATEST_VERSION
    build_at_version(path, previous)
    extra_migration(_breaks_foreign_keys)
    conn = sqlite3.connect(path, isolation_level=None)
    # Foreign keys off, as some table rebuilds require: apply still checks them.
    try:
        with pytest.raises(sqlite3.IntegrityError, match="foreign keys"):
            migrations.apply(conn, target=previous + 1)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == previous
        assert sample_rows(conn) == EXPECTED_ROWS
    finally:
        conn.close()


def test_run_script_refuses_an_incomplete_statement(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.sqlite", isolation_level=None)
    try:
        with pytest.raises(ValueError, match="incomplete"):
            migrations.run_script(conn, "CREATE TABLE a (x);\nCREATE TABLE b (y")
    finally:
        conn.close()


# -- migration 6: the search index ----------------------------------------------------------

def test_migration_6_indexes_the_records_already_there(tmp_path):
    """Observations, meetings and their minutes written before the index existed are
    found after the migration; records in the bin are not; the triggers then follow."""
    from perr_desktop.services import search

    path = tmp_path / "perr.sqlite"
    build_at_version(path, 5)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    rows = {
        "walks": ("w1", "council_id, title, walk_date",
                  (SAMPLE["council"], "Diagnostic de nuit", "2024-02-01")),
        "observations": ("o1", "walk_id, number, description",
                         ("w1", 1, "Lampadaire éteint rue Hélène-Boucher")),
        "meetings": ("m1", "council_id, kind, title, starts_at, notes",
                     (SAMPLE["council"], "pleniere", "Plénière", "2024-02-08T18:30",
                      "Éclairage discuté")),
        "agenda_items": ("a1", "meeting_id, position, title, notes",
                         ("m1", 1, "Propreté", "Encombrants rue Basseau")),
        "decisions": ("d1", "meeting_id, text", ("m1", "Passage hebdomadaire demandé")),
    }
    conn.execute("BEGIN")
    for table, (record_id, columns, values) in rows.items():
        marks = ", ".join("?" * (len(values) + 3))
        conn.execute(f"INSERT INTO {table} (id, created_at, updated_at, {columns}) "
                     f"VALUES ({marks})", (record_id, STAMP, STAMP, *values))
    conn.execute("INSERT INTO observations (id, created_at, updated_at, deleted_at, walk_id, "
                 "number, description) VALUES ('o2', ?, ?, ?, 'w1', 2, 'Poubelle renversée')",
                 (STAMP, STAMP, STAMP))
    conn.execute("COMMIT")
    conn.close()

    with open_database(path) as db:
        assert db.schema_version == migrations.LATEST_VERSION >= 6
        kinds = {(hit.kind, hit.id) for hit in search.search(db, "eclairage")}
        assert kinds == {("meeting", "m1")}
        assert [(h.kind, h.id) for h in search.search(db, "helene lampa")] == [
            ("observation", "o1")]
        assert [h.id for h in search.search(db, "encombrants")] == ["a1"]
        assert [h.id for h in search.search(db, "hebdo")] == ["d1"]
        assert search.search(db, "poubelle") == []            # in the bin
        assert db.scalar("PRAGMA integrity_check") == "ok"
        with db.transaction():
            db.execute("UPDATE observations SET deleted_at = NULL WHERE id = 'o2'")
        assert [h.id for h in search.search(db, "poubelle")] == ["o2"]
    assert check_database(path) == []

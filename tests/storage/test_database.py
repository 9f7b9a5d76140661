"""Opening, seeding, transactions, refusing foreign files, backups and locks."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from perr_desktop.errors import (
    DatabaseLockedError,
    NewerSchemaError,
    NotADatabaseError,
    UserError,
)
from perr_desktop.storage import database, migrations, records
from perr_desktop.storage.database import EXPECTED_TABLES, check_database, open_database
from perr_desktop.storage.ids import reference_id
from perr_desktop.storage.reference import VOCABULARY_KINDS, load_json, seed

# DOMAIN.md, "The five QPV of GrandAngoulême" (INSEE RP 2020).
QPV = {
    "Basseau Grande-Garenne": ("Angoulême", 3560, 1),
    "Ma Campagne": ("Angoulême", 1943, 0),
    "Bel-Air Grand Font": ("Angoulême", 2623, 1),
    "L'Étang des Moines": ("La Couronne", 1478, 0),
    "Champ de Manœuvre": ("Soyaux", 4055, 0),
}


def sidecars(path: Path) -> list[Path]:
    """SQLite's -wal, -shm and -journal files next to ``path`` that exist."""
    return [
        p for p in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal"))
        if p.exists()
    ]


def count(db, table: str) -> int:
    return db.scalar(f"SELECT count(*) FROM {table}")


def make_future_database(path: Path) -> None:
    """A database of ours, closed cleanly, stamped with a schema we do not know yet."""
    open_database(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1:d}")
    conn.close()
    assert sidecars(path) == []


def make_foreign_sqlite(path: Path, user_version: int = 0) -> None:
    """Another application's SQLite file (rollback journal, its own tables)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('courses: pain, lait')")
    conn.execute(f"PRAGMA user_version = {user_version:d}")
    conn.close()


# -- a new database ---------------------------------------------------------------------

def test_new_database_uses_wal_foreign_keys_and_latest_schema(db_path):
    assert not db_path.exists()
    with open_database(db_path) as db:
        assert db_path.is_file()
        assert db.scalar("PRAGMA journal_mode") == "wal"
        assert db.scalar("PRAGMA foreign_keys") == 1
        assert db.scalar("PRAGMA user_version") == migrations.LATEST_VERSION
        assert db.schema_version == migrations.LATEST_VERSION
        assert db.scalar("PRAGMA busy_timeout") == database.BUSY_TIMEOUT_MS
        tables = {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type='table'")}
        assert set(EXPECTED_TABLES) <= tables
        # Autocommit between user actions: nothing is left open.
        assert db.conn.in_transaction is False


def test_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError), db.transaction():
        records.insert(db, "memberships", {
            "council_id": "no-such-council", "person_id": "no-such-person",
            "college": "habitants",
        })
    assert count(db, "memberships") == 0


def test_new_database_in_a_missing_folder_creates_the_folder(tmp_path):
    path = tmp_path / "a" / "b" / "perr.sqlite"
    with open_database(path) as db:
        assert db.schema_version == migrations.LATEST_VERSION
    assert path.is_file()


def test_missing_file_without_create_is_a_user_error_and_creates_nothing(db_path):
    with pytest.raises(UserError) as excinfo:
        open_database(db_path, create=False)
    assert str(db_path) in excinfo.value.message
    assert not db_path.exists()
    assert not db_path.parent.joinpath(db_path.name + "-wal").exists()


# -- reference data -----------------------------------------------------------------------

def test_the_five_qpv_are_seeded_with_their_populations(db):
    rows = db.query(
        "SELECT name, commune, population, urban_renewal, deleted_at FROM neighbourhoods"
    )
    assert {r["name"]: (r["commune"], r["population"], r["urban_renewal"]) for r in rows} == QPV
    assert all(r["deleted_at"] is None for r in rows)


@pytest.mark.parametrize("kind", VOCABULARY_KINDS)
def test_every_vocabulary_kind_is_seeded(db, kind):
    shipped = load_json("vocabularies.json")[kind]
    rows = db.query(
        "SELECT code, label_fr, label_en, system, sort_order FROM vocabulary "
        "WHERE kind = ? ORDER BY sort_order", (kind,)
    )
    assert len(rows) == len(shipped) > 0
    assert [r["code"] for r in rows] == [e["code"] for e in shipped]
    assert [r["label_fr"] for r in rows] == [e["fr"] for e in shipped]
    assert all(r["label_en"] for r in rows)
    assert [r["system"] for r in rows] == [int(e.get("system", False)) for e in shipped]


def test_system_vocabulary_entries_are_flagged(db):
    system = {
        (r["kind"], r["code"])
        for r in db.query("SELECT kind, code FROM vocabulary WHERE system = 1")
    }
    assert {("college", "habitants"), ("college", "acteurs_locaux"),
            ("attendance_status", "present"), ("member_role", "membre")} <= system
    assert ("meeting_kind", "bureau") not in system


def test_the_perr_tree_is_seeded_complete(db):
    levels = {
        r["level"]: r["n"]
        for r in db.query("SELECT level, count(*) AS n FROM perr_objectives GROUP BY level")
    }
    assert levels == {"pillar": 2, "theme": 13, "objective": 87, "sub_objective": 13}
    assert db.scalar(
        "SELECT count(*) FROM perr_objectives WHERE label_fr = '' OR label_en = ''"
    ) == 0
    # Every node hangs under a node of the level above.
    parent_levels = {
        (r["level"], r["parent_level"])
        for r in db.query(
            """SELECT o.level, p.level AS parent_level FROM perr_objectives o
               LEFT JOIN perr_objectives p ON p.code = o.parent_code"""
        )
    }
    assert parent_levels == {
        ("pillar", None), ("theme", "pillar"), ("objective", "theme"),
        ("sub_objective", "objective"),
    }
    pillar = db.query_one("SELECT * FROM perr_objectives WHERE code = 'R'")
    assert (pillar["label_fr"], pillar["label_en"]) == ("Renforcer", "Strengthen")
    # Reading order: sort_order follows the tree, pillars first.
    first = db.query("SELECT code FROM perr_objectives ORDER BY sort_order LIMIT 3")
    assert [r["code"] for r in first] == ["R", "R1", "R1.01"]


def test_seed_is_a_no_op_when_already_up_to_date(db):
    before = db.query("SELECT id, updated_at FROM vocabulary ORDER BY id")
    assert seed(db) is False
    assert db.query("SELECT id, updated_at FROM vocabulary ORDER BY id") == before


def test_reseeding_keeps_user_edits_and_removals(db_path):
    with open_database(db_path) as db:
        counts = {t: count(db, t) for t in ("neighbourhoods", "vocabulary", "perr_objectives")}
        bureau = reference_id("meeting_kind", "bureau")
        cafe = reference_id("meeting_kind", "cafe_citoyen")
        with db.transaction():
            records.update(db, "vocabulary", bureau, {"label_fr": "Bureau du conseil"})
            records.soft_delete(db, "vocabulary", cafe)
            records.update(db, "neighbourhoods", reference_id("neighbourhood", "ma-campagne"),
                           {"population": 2000})
        # As if a new version shipped different reference files.
        db.execute("DELETE FROM meta WHERE key = 'reference_fingerprint'")

    with open_database(db_path) as db:
        assert {t: count(db, t) for t in counts} == counts
        assert db.query_one("SELECT label_fr FROM vocabulary WHERE id = ?", (bureau,)) == {
            "label_fr": "Bureau du conseil"}
        assert db.scalar("SELECT deleted_at FROM vocabulary WHERE id = ?", (cafe,)) is not None
        assert db.scalar(
            "SELECT population FROM neighbourhoods WHERE code = 'ma-campagne'"
        ) == 2000
        assert db.scalar(
            "SELECT value FROM meta WHERE key = 'reference_fingerprint'"
        ) is not None
        # And once more: still nothing duplicated.
        db.execute("DELETE FROM meta WHERE key = 'reference_fingerprint'")
        assert seed(db) is True
        assert {t: count(db, t) for t in counts} == counts


def test_reference_ids_agree_across_databases(tmp_path):
    def ids(path):
        with open_database(path) as db:
            return {
                table: {(r["code"], r["id"]) for r in db.query(f"SELECT code, id FROM {table}")}
                for table in ("neighbourhoods", "vocabulary", "perr_objectives")
            }

    first, second = ids(tmp_path / "laptop1.sqlite"), ids(tmp_path / "laptop2.sqlite")
    assert first == second
    assert len(first["perr_objectives"]) == 115
    assert ("ma-campagne", reference_id("neighbourhood", "ma-campagne")) in first["neighbourhoods"]


# -- transactions -------------------------------------------------------------------------

def test_transaction_commits_for_other_connections(db, db_path):
    with db.transaction():
        records.insert(db, "councils", {"name": "Ma Campagne"})
    other = sqlite3.connect(db_path)
    try:
        assert other.execute("SELECT name FROM councils").fetchall() == [("Ma Campagne",)]
    finally:
        other.close()


def test_transaction_that_raises_writes_nothing(db):
    with pytest.raises(RuntimeError, match="boom"), db.transaction():
        records.insert(db, "councils", {"name": "Ma Campagne"})
        records.insert(db, "people", {"first_name": "Hélène", "last_name": "Garnier"})
        raise RuntimeError("boom")
    assert count(db, "councils") == 0
    assert count(db, "people") == 0
    assert db.conn.in_transaction is False


def test_nested_transaction_rolls_back_only_the_inner_part(db):
    with db.transaction():
        records.insert(db, "councils", {"name": "Extérieur"})
        with pytest.raises(RuntimeError), db.transaction():
            records.insert(db, "councils", {"name": "Intérieur"})
            raise RuntimeError("inner")
        records.insert(db, "councils", {"name": "Après"})
    assert sorted(r["name"] for r in db.query("SELECT name FROM councils")) == [
        "Après", "Extérieur"]
    assert db.conn.in_transaction is False


def test_inner_error_not_caught_rolls_back_everything(db):
    with pytest.raises(RuntimeError), db.transaction():
        records.insert(db, "councils", {"name": "Extérieur"})
        with db.transaction():
            records.insert(db, "councils", {"name": "Intérieur"})
            raise RuntimeError("inner")
    assert count(db, "councils") == 0


# -- files that are not ours ------------------------------------------------------------------

def _text_file(path: Path) -> None:
    path.write_text("Compte rendu de la séance plénière\n", encoding="utf-8")


def _random_file(path: Path) -> None:
    path.write_bytes(os.urandom(4096))


def _tiny_file(path: Path) -> None:
    path.write_bytes(b"SQLite")  # a truncated header


def _foreign_sqlite(path: Path) -> None:
    make_foreign_sqlite(path)


@pytest.mark.parametrize(
    "make", [_text_file, _random_file, _tiny_file, _foreign_sqlite],
    ids=["text", "random-bytes", "truncated-header", "other-application"],
)
def test_files_that_are_not_ours_are_refused_untouched(tmp_path, make):
    path = tmp_path / "perr.sqlite"
    make(path)
    before = path.read_bytes()
    with pytest.raises(NotADatabaseError) as excinfo:
        open_database(path)
    assert str(path) in excinfo.value.message
    assert path.read_bytes() == before
    assert sidecars(path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["perr.sqlite"]


def test_a_folder_is_refused(tmp_path):
    folder = tmp_path / "perr.sqlite"
    folder.mkdir()
    with pytest.raises(NotADatabaseError):
        open_database(folder)
    assert list(folder.iterdir()) == []
    assert sidecars(folder) == []


def test_other_application_with_a_user_version_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    make_foreign_sqlite(path, user_version=migrations.LATEST_VERSION)
    before = path.read_bytes()
    try:
        with pytest.raises(NotADatabaseError):
            open_database(path)
    finally:
        assert path.read_bytes() == before


def test_a_zero_byte_file_becomes_a_new_database(tmp_path):
    # SQLite treats an empty file as an empty database; nothing can be lost by
    # initialising it (and `touch perr.sqlite` then opening it is a fair thing to do).
    path = tmp_path / "empty.sqlite"
    path.touch()
    with open_database(path) as db:
        assert db.schema_version == migrations.LATEST_VERSION
        assert count(db, "neighbourhoods") == 5
    assert check_database(path) == []


def test_a_zero_byte_file_is_refused_when_not_creating(tmp_path):
    # `list --db x` must not quietly turn a truncated file into a new database.
    path = tmp_path / "truncated.sqlite"
    path.touch()
    with pytest.raises(NotADatabaseError) as excinfo:
        open_database(path, create=False)
    assert "truncated.sqlite" in excinfo.value.message
    assert path.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["truncated.sqlite"]


def test_newer_schema_is_refused_untouched(db_path):
    make_future_database(db_path)
    before = db_path.read_bytes()
    with pytest.raises(NewerSchemaError) as excinfo:
        open_database(db_path)
    message = excinfo.value.message
    assert str(migrations.LATEST_VERSION + 1) in message
    assert str(migrations.LATEST_VERSION) in message
    assert db_path.read_bytes() == before
    assert sidecars(db_path) == []

    problems = check_database(db_path)
    assert problems == [message]
    assert db_path.read_bytes() == before


# -- backup --------------------------------------------------------------------------------

def test_backup_to_makes_a_readable_copy(db, tmp_path):
    with db.transaction():
        council = records.insert(db, "councils", {"name": "Ma Campagne"})
        person = records.insert(db, "people", {"first_name": "Hélène", "last_name": "Garnier"})
        records.insert(db, "memberships", {
            "council_id": council, "person_id": person, "college": "habitants"})
    target = tmp_path / "backups" / "copy.sqlite"
    assert db.backup_to(target) == target
    assert not target.with_name("copy.sqlite.partial").exists()

    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
        for table in ("councils", "people", "memberships", "vocabulary", "perr_objectives"):
            assert copy.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() == \
                db.conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    finally:
        copy.close()
    assert check_database(target) == []
    with open_database(target) as restored:
        assert restored.query("SELECT id, name FROM councils") == [
            {"id": council, "name": "Ma Campagne"}]


def test_backup_to_an_existing_file_replaces_it(db, tmp_path):
    target = tmp_path / "copy.sqlite"
    target.write_text("old", encoding="utf-8")
    db.backup_to(target)
    assert target.read_bytes().startswith(database.SQLITE_HEADER)


# -- a locked database ------------------------------------------------------------------------

def test_a_write_while_another_program_holds_the_lock_is_a_user_error(db_path, monkeypatch):
    # BUSY_TIMEOUT_MS is read each time a connection is made: patching it is enough.
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)
    db = open_database(db_path)
    assert db.scalar("PRAGMA busy_timeout") == 50
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(DatabaseLockedError), db.transaction():
            records.insert(db, "councils", {"name": "Ma Campagne"})
        # WAL: reading still works while the other program writes.
        assert count(db, "neighbourhoods") == 5
        other.execute("ROLLBACK")
        assert db.conn.in_transaction is False
        with db.transaction():
            records.insert(db, "councils", {"name": "Ma Campagne"})
        assert count(db, "councils") == 1
    finally:
        other.close()
        db.close()


def test_default_busy_timeout_is_set_on_every_connection(db):
    assert database.BUSY_TIMEOUT_MS == 5000
    assert db.scalar("PRAGMA busy_timeout") == 5000


# -- issue 7: statistics at close, a backup that can be stopped -----------------------------

def test_closing_after_writes_refreshes_the_planner_statistics(tmp_path):
    from perr_desktop.services import people as people_service
    from perr_desktop.storage.database import open_database as open_db

    path = tmp_path / "perr.sqlite"
    with open_db(path) as db:
        for n in range(50):
            people_service.create_person(db, first_name=f"P{n}", last_name="Martin")
        # Queries whose plans statistics would inform (SQLite analyses those tables).
        db.query("SELECT * FROM memberships WHERE person_id = 'x' AND council_id = 'y'")
        db.query("SELECT * FROM people WHERE sort_key > 'm' ORDER BY sort_key")
    with open_db(path) as db:
        assert db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    # A connection that only read leaves the file as it was.
    before = path.read_bytes()
    with open_db(path) as db:
        db.query("SELECT * FROM people")
    assert path.read_bytes() == before
    # Nor does one whose writes were all rolled back (a refused import, a failed action).
    path = tmp_path / "fresh.sqlite"
    open_db(path).close()
    before = path.read_bytes()
    with open_db(path) as db:
        with pytest.raises(RuntimeError), db.transaction():
            for n in range(50):
                people_service.create_person(db, first_name=f"Q{n}", last_name="Durand")
            db.query("SELECT * FROM people WHERE sort_key > 'm' ORDER BY sort_key")
            raise RuntimeError("the action fails")
    assert path.read_bytes() == before


def test_a_cancelled_backup_copy_stops_and_leaves_nothing(tmp_path):
    from perr_desktop.services import people as people_service
    from perr_desktop.storage import database as database_module
    from perr_desktop.storage.database import CopyCancelled
    from perr_desktop.storage.database import open_database as open_db

    path = tmp_path / "perr.sqlite"
    with open_db(path) as db:
        for n in range(300):
            people_service.create_person(db, first_name=f"P{n}", last_name="x" * 300)
        steps: list[int] = []

        def cancelled() -> bool:
            steps.append(1)
            return len(steps) >= 2

        original = database_module.BACKUP_STEP_PAGES
        database_module.BACKUP_STEP_PAGES = 4
        try:
            with pytest.raises(CopyCancelled):
                db.backup_to(tmp_path / "copy.sqlite", cancelled=cancelled)
            assert not list(tmp_path.glob("copy.sqlite*"))
            done = db.backup_to(tmp_path / "whole.sqlite", cancelled=lambda: False)
        finally:
            database_module.BACKUP_STEP_PAGES = original
    with open_db(done) as copy:
        assert copy.scalar("SELECT count(*) FROM people") == 300

"""Backups of the database and its media, their rotation, restoring one, and the lock
that keeps a second program away (storage/backups.py, storage/lock.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from perr_desktop import paths
from perr_desktop.cli import main
from perr_desktop.errors import NewerSchemaError, UserError
from perr_desktop.services import councils, people, walks
from perr_desktop.storage import backups, lock, media, migrations, records
from perr_desktop.storage.database import check_database, open_database

NOW = dt.datetime(2026, 3, 1, 14, 2, 5)  # naive: local time, as the user's clock says


# -- helpers ----------------------------------------------------------------------------

def add_photo(db, walk_id: str, content: bytes) -> str:
    """A photo as the importer leaves it: its two files first, then its rows."""
    sha = hashlib.sha256(content).hexdigest()
    media.folder(db.path, sha).mkdir(parents=True, exist_ok=True)
    media.thumbnail_path(db.path, sha).write_bytes(b"thumb " + content)
    media.working_path(db.path, sha).write_bytes(b"working " + content)
    with db.transaction():
        media_id = records.insert(db, "media", {"sha256": sha, "kind": "photo",
                                                "original_name": "IMG.jpg", "width": 40,
                                                "height": 30})
        records.insert(db, "photos", {"walk_id": walk_id, "media_id": media_id})
    return sha


@pytest.fixture
def filled(db):
    """A council, a person, a walk with one photo (files in the media folder)."""
    council = councils.create_council(db, "Conseil citoyen de Ma Campagne")
    person = people.create_person(db, first_name="Hélène", last_name="Garnier")
    walk = walks.create_walk(db, council, "Diagnostic de printemps", "2026-03-01")
    sha = add_photo(db, walk, b"photo one")
    return {"db": db, "council": council, "person": person, "walk": walk, "sha": sha}


def names(db) -> list[str]:
    return [r["last_name"] for r in db.query(
        "SELECT last_name FROM people WHERE deleted_at IS NULL ORDER BY last_name")]


def media_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def hidden_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def corrupt(path: Path) -> None:
    """Scribble over the middle of a database file (its first page stays readable)."""
    data = bytearray(path.read_bytes())
    start = 4096 * 2
    data[start:start + 6000] = (b"\x00\xffdamaged" * 1000)[:6000]
    path.write_bytes(bytes(data))


# -- making a backup ----------------------------------------------------------------------

def test_a_backup_holds_the_database_the_media_and_what_it_is(filled):
    db = filled["db"]
    folder = backups.make_backup(db, backups.START, now=NOW)

    assert folder.parent == paths.backups_dir(db.path)
    assert folder.name == "2026-03-01_14-02-05_start"
    assert sorted(p.name for p in folder.iterdir()) == ["backup.json", "database.sqlite",
                                                         "media"]
    assert hidden_leftovers(folder.parent) == []

    manifest = json.loads((folder / "backup.json").read_text(encoding="utf-8"))
    assert manifest["reason"] == "start"
    assert manifest["schema_version"] == migrations.LATEST_VERSION
    assert manifest["app_version"]
    assert dt.datetime.fromisoformat(manifest["created_at"]).replace(tzinfo=None) == NOW
    assert manifest["counts"] == {"councils": 1, "people": 1, "meetings": 0, "walks": 1,
                                  "photos": 1}
    assert manifest["sizes"]["database"] == (folder / "database.sqlite").stat().st_size
    assert manifest["sizes"]["media_files"] == 2

    copy = sqlite3.connect(folder / "database.sqlite")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT last_name FROM people").fetchall() == [("Garnier",)]
        # One self-contained file: it opens without -wal/-shm.
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        copy.close()
    live = paths.media_dir(db.path)
    assert media_files(folder / "media") == media_files(live)
    # Media files are immutable: the backup links them instead of copying.
    working = media.working_path(db.path, filled["sha"])
    assert (folder / "media" / working.relative_to(live)).stat().st_ino == working.stat().st_ino


def test_media_are_copied_when_the_file_system_cannot_link(filled, monkeypatch):
    db = filled["db"]

    def no_links(*_args):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    folder = backups.make_backup(db, backups.MANUAL, now=NOW)
    working = media.working_path(db.path, filled["sha"])
    copied = folder / "media" / working.relative_to(paths.media_dir(db.path))
    assert copied.read_bytes() == working.read_bytes()
    assert copied.stat().st_ino != working.stat().st_ino


def test_a_backup_that_fails_midway_leaves_nothing(filled, monkeypatch):
    db = filled["db"]

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_link_or_copy", full_disk)
    with pytest.raises(UserError, match=r"disque est plein|disk is full"):
        backups.make_backup(db, backups.PERIODIC, now=NOW)
    assert list(paths.backups_dir(db.path).iterdir()) == []


def test_a_cancelled_backup_leaves_nothing(filled):
    db = filled["db"]
    with pytest.raises(backups.BackupCancelled):
        backups.make_backup(db, backups.START, now=NOW, cancelled=lambda: True)
    assert list(paths.backups_dir(db.path).iterdir()) == []


def test_two_backups_in_the_same_second_both_kept(db):
    first = backups.make_backup(db, backups.START, now=NOW)
    second = backups.make_backup(db, backups.START, now=NOW)
    assert first != second
    assert second.name == first.name + "-2"


def test_a_migration_backup_is_named_after_the_schema_it_holds(db):
    folder = backups.make_backup(db, backups.MIGRATION, now=NOW)
    assert folder.name == f"2026-03-01_14-02-05_before-migration-v{migrations.LATEST_VERSION}"


# -- listing ------------------------------------------------------------------------------

def test_list_is_newest_first_with_dates_reasons_contents_and_sizes(filled):
    db = filled["db"]
    backups.make_backup(db, backups.START, now=NOW - dt.timedelta(days=2))
    people.create_person(db, first_name="Karim", last_name="Benali")
    backups.make_backup(db, backups.PERIODIC, now=NOW)

    listed = backups.list_backups(db.path)
    assert [b.reason for b in listed] == ["periodic", "start"]
    assert [b.created_at.replace(tzinfo=None) for b in listed] == [
        NOW, NOW - dt.timedelta(days=2)]
    assert [b.counts["people"] for b in listed] == [2, 1]
    assert all(b.ok and b.managed for b in listed)
    assert listed[0].size > (listed[0].path / "database.sqlite").stat().st_size
    assert "2" in listed[0].contents() and "1" in listed[1].contents()
    assert listed[0].contents().startswith(backups.contents_text({"councils": 1})[:9])
    assert listed[0].reason_label() == backups.reason_label("periodic")
    assert listed[0].size_text()


def test_damaged_and_partial_backups_are_listed_as_damaged_never_raise(filled):
    db = filled["db"]
    good = backups.make_backup(db, backups.START, now=NOW - dt.timedelta(hours=3))
    torn = backups.make_backup(db, backups.START, now=NOW - dt.timedelta(hours=2))
    (torn / "backup.json").write_text('{"created_at": ', encoding="utf-8")
    headless = backups.make_backup(db, backups.START, now=NOW - dt.timedelta(hours=1))
    (headless / "database.sqlite").write_bytes(b"")
    folder = paths.backups_dir(db.path)
    (folder / "2026-03-01_15-00-00_start").mkdir()              # empty: a manual mistake
    (folder / "truncated.sqlite").write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    (folder / "notes.txt").write_text("not a backup", encoding="utf-8")
    (folder / ".partial-xyz").mkdir()                            # being built: not listed
    db.backup_to(folder / "perr-20260301-120000.sqlite")         # « Save a backup copy… »

    listed = {b.path.name: b for b in backups.list_backups(db.path)}
    assert set(listed) == {good.name, torn.name, headless.name, "2026-03-01_15-00-00_start",
                           "truncated.sqlite", "perr-20260301-120000.sqlite"}
    assert listed[good.name].ok
    for name in (torn.name, headless.name, "2026-03-01_15-00-00_start", "truncated.sqlite"):
        assert not listed[name].ok, name
        assert listed[name].damaged
        assert not listed[name].managed
    copy = listed["perr-20260301-120000.sqlite"]
    assert copy.ok and copy.reason == backups.COPY and copy.counts["people"] == 1


def test_a_zip_copy_in_the_folder_is_listed_and_never_rotated(filled):
    """« Save a backup copy… » suggests the backups folder: the zip it writes is listed
    with what it holds, is never deleted by the rotation; a broken zip is damaged."""
    db = filled["db"]
    folder = paths.backups_dir(db.path)
    copy = backups.export_backup(db.path, folder / "copie-cle-usb.zip",
                                 now=NOW - dt.timedelta(days=400))
    (folder / "abimee.zip").write_bytes(b"PK\x03\x04 not really")
    backups.make_backup(db, backups.START, now=NOW)

    listed = {b.path.name: b for b in backups.list_backups(db.path)}
    zipped = listed[copy.name]
    assert zipped.ok and not zipped.managed and zipped.reason == backups.COPY
    assert zipped.counts["people"] == 1 and zipped.counts["photos"] == 1
    assert zipped.created_at.replace(tzinfo=None) == NOW - dt.timedelta(days=400)
    assert zipped.size == copy.stat().st_size
    assert not listed["abimee.zip"].ok and listed["abimee.zip"].damaged
    assert backups.latest_good_backup(db.path).reason == backups.START

    backups.prune(db.path, keep_recent=1, keep_daily=0, keep_weekly=0, budget_bytes=0,
                  now=NOW)
    assert copy.exists() and (folder / "abimee.zip").exists()


def test_no_backups_folder_lists_nothing(db_path):
    assert backups.list_backups(db_path) == []


# -- rotation -----------------------------------------------------------------------------

def fake(created: dt.datetime, size: int = 10) -> backups.BackupInfo:
    return backups.BackupInfo(path=Path(created.isoformat()), created_at=created.astimezone(),
                              reason="periodic", size=size, managed=True)


def kept_after(listing: list[backups.BackupInfo], **rules) -> list[dt.datetime]:
    removed = {id(b) for b in backups.choose_removals(listing, NOW, **rules)}
    return sorted((b.created_at.replace(tzinfo=None) for b in listing if id(b) not in removed),
                  reverse=True)


def test_rotation_keeps_recent_daily_and_weekly_backups():
    # Every six hours for 120 days up to NOW (a Sunday).
    listing = [fake(NOW - dt.timedelta(hours=6 * i)) for i in range(4 * 120)]
    kept = kept_after(listing, keep_recent=10, keep_daily=14, keep_weekly=8,
                      budget_bytes=None)

    assert kept[:10] == [NOW - dt.timedelta(hours=6 * i) for i in range(10)]
    days = {k.date() for k in kept}
    for back in range(14):
        assert NOW.date() - dt.timedelta(days=back) in days
    # One per week for 8 weeks (Monday to Sunday), nothing older.
    mondays = {k.date() - dt.timedelta(days=k.weekday()) for k in kept}
    this_monday = NOW.date() - dt.timedelta(days=NOW.weekday())
    assert mondays == {this_monday - dt.timedelta(weeks=w) for w in range(8)}
    # The newest of each older week: Sunday's last backup (20:02).
    older = [k for k in kept if (NOW.date() - k.date()).days >= 14]
    assert older and all(k.weekday() == 6 and k.hour == 20 for k in older)
    assert len(kept) == 10 + (14 - 3) + (8 - 2)   # days/weeks already covered count once


def test_rotation_keeps_the_newest_even_alone_or_over_budget():
    assert kept_after([fake(NOW - dt.timedelta(days=400))], keep_recent=0, keep_daily=0,
                      keep_weekly=0) == [NOW - dt.timedelta(days=400)]
    listing = [fake(NOW - dt.timedelta(days=i), size=100) for i in range(5)]
    assert kept_after(listing, budget_bytes=1) == [NOW]


def test_over_budget_the_oldest_daily_and_weekly_ones_go_first():
    listing = [fake(NOW - dt.timedelta(hours=i), size=100) for i in range(3)]          # recent
    listing += [fake(NOW - dt.timedelta(days=d), size=100) for d in (3, 5, 30, 40)]  # older
    kept = kept_after(listing, keep_recent=3, keep_daily=14, keep_weekly=8,
                      budget_bytes=500)
    assert kept == [NOW, NOW - dt.timedelta(hours=1), NOW - dt.timedelta(hours=2),
                    NOW - dt.timedelta(days=3), NOW - dt.timedelta(days=5)]
    kept = kept_after(listing, keep_recent=3, keep_daily=14, keep_weekly=8,
                      budget_bytes=200)
    assert kept == [NOW, NOW - dt.timedelta(hours=1)]


def test_prune_on_disk_with_a_fake_clock(filled):
    db = filled["db"]
    made = [backups.make_backup(db, backups.PERIODIC, now=NOW - dt.timedelta(days=d))
            for d in range(0, 60, 3)]
    folder = paths.backups_dir(db.path)
    damaged = folder / "2025-01-01_00-00-00_start"
    damaged.mkdir()
    stale = folder / ".partial-old"
    stale.mkdir()
    os.utime(stale, (0, 0))
    fresh_partial = folder / ".partial-now"   # a backup being built right now: left alone
    fresh_partial.mkdir()

    removed = backups.prune(db.path, keep_recent=2, keep_daily=7, keep_weekly=4,
                            budget_bytes=None, now=NOW)
    left = sorted(p.name for p in folder.iterdir())
    expected = {m.name for m in made[:3]}                         # 0, 3, 6 days ago
    expected |= {made[d // 3].name for d in (9, 15, 21)}  # the newest of 3 older weeks
    assert set(left) == expected | {damaged.name, fresh_partial.name}
    assert sorted(p.name for p in removed) == sorted(
        m.name for m in made if m.name not in expected)


def test_prune_counts_linked_media_once_and_live_ones_not_at_all(filled):
    db = filled["db"]
    big = b"x" * 2_000_000
    add_photo(db, filled["walk"], big)
    made = [backups.make_backup(db, backups.PERIODIC, now=NOW - dt.timedelta(days=d))
            for d in range(3)]
    databases = sum((m / "database.sqlite").stat().st_size + (m / "backup.json").stat().st_size
                    for m in made)
    # The media are links to the live files: within budget, nothing goes.
    assert backups.prune(db.path, budget_bytes=databases + 1000, now=NOW) == []
    # Once the live media folder has lost them, the backups are the only copy: they weigh.
    for file in paths.media_dir(db.path).rglob("*.jpg"):
        file.unlink()
    removed = backups.prune(db.path, budget_bytes=databases + 1000, now=NOW)
    assert [p.name for p in removed] == [made[2].name, made[1].name]


# -- restoring ----------------------------------------------------------------------------

def test_restore_round_trip(filled):
    db = filled["db"]
    path = db.path
    backup = backups.make_backup(db, backups.START, now=NOW)
    live = paths.media_dir(path)
    media_before = media_files(live)

    people.create_person(db, first_name="Karim", last_name="Benali")
    people.delete_person(db, filled["person"])
    later = add_photo(db, filled["walk"], b"photo two")
    lost = media.working_path(path, filled["sha"])
    lost.unlink()                                   # a media file lost meanwhile
    db.close()

    before = backups.restore(backup, path, now=NOW + dt.timedelta(hours=1))

    with open_database(path) as restored:
        assert names(restored) == ["Garnier"]
        assert restored.scalar("SELECT count(*) FROM photos") == 1
    assert check_database(path) == []
    # The lost file is back; the newer one, unknown to the backup, is still there.
    assert lost.read_bytes() == media_before[str(lost.relative_to(live))]
    assert media.working_path(path, later).exists()
    # The state before the restore was backed up first, media included.
    assert before is not None and before.name.endswith("_before-restore")
    listed = {b.path: b for b in backups.list_backups(path)}
    assert listed[before].reason == backups.RESTORE and listed[before].counts["people"] == 1
    with open_database(before / "database.sqlite", seed=False) as former:
        assert names(former) == ["Benali"]
    assert (before / "media" / media.working_path(path, later).relative_to(live)).exists()
    assert hidden_leftovers(path.parent) == []


def test_restore_sets_a_stale_wal_aside(filled):
    """A -wal left beside the database (say, by a crash) must not be replayed into the
    restored file."""
    db = filled["db"]
    path = db.path
    backup = backups.make_backup(db, backups.START, now=NOW)
    db.execute("PRAGMA wal_autocheckpoint = 0")
    people.create_person(db, first_name="Karim", last_name="Benali")
    wal = path.with_name(path.name + "-wal")
    stale = wal.read_bytes()
    db.close()                  # the last connection folds the WAL in and deletes it
    assert not wal.exists()
    wal.write_bytes(stale)      # as if a crash had left it there

    backups.restore(backup, path, now=NOW)
    assert not wal.exists()
    with open_database(path) as restored:
        assert names(restored) == ["Garnier"]
        assert restored.scalar("PRAGMA integrity_check") == "ok"


def test_restore_from_the_single_file_of_the_command_line(filled, tmp_path):
    db = filled["db"]
    path = db.path
    target = backups.export_backup(path, tmp_path / "out" / "copie.zip")
    with zipfile.ZipFile(target) as archive:
        listed = sorted(archive.namelist())
    assert listed[:2] == ["backup.json", "database.sqlite"]
    assert len(listed) == 4 and all(n.startswith("media/") for n in listed[2:])
    people.create_person(db, first_name="Karim", last_name="Benali")
    db.close()
    for file in paths.media_dir(path).rglob("*"):
        if file.is_file():
            file.unlink()

    backups.restore(target, path, now=NOW)
    with open_database(path) as restored:
        assert names(restored) == ["Garnier"]
    assert media.working_path(path, filled["sha"]).read_bytes() == b"working photo one"


def test_export_is_just_the_database_when_there_is_no_media(db, tmp_path):
    people.create_person(db, first_name="Hélène", last_name="Garnier")
    target = backups.export_backup(db.path, tmp_path / "copie.sqlite")
    assert target.read_bytes().startswith(b"SQLite format 3\x00")
    # … unless a zip is asked for.
    assert zipfile.is_zipfile(backups.export_backup(db.path, tmp_path / "copie.zip"))
    fresh = tmp_path / "elsewhere" / "perr.sqlite"
    assert backups.restore(target, fresh) is None        # nothing there to back up first
    with open_database(fresh) as restored:
        assert names(restored) == ["Garnier"]


def snapshot(path: Path) -> dict[str, bytes]:
    """The database's folder, files and bytes (a lock file left by a killed holder aside)."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir())
            if p.is_file() and p.suffix != ".lock"}


@pytest.mark.parametrize("damage", ["scribbled", "truncated", "random", "zip-without-db",
                                    "not-ours", "empty-folder"])
def test_a_damaged_backup_is_refused_and_nothing_changes(filled, tmp_path, damage):
    db = filled["db"]
    path = db.path
    backup = backups.make_backup(db, backups.START, now=NOW)
    db.close()
    if damage == "scribbled":
        corrupt(backup / "database.sqlite")
    elif damage == "truncated":
        data = (backup / "database.sqlite").read_bytes()
        (backup / "database.sqlite").write_bytes(data[: len(data) // 3])
    elif damage == "random":
        backup = tmp_path / "random.zip"
        backup.write_bytes(os.urandom(5000))
    elif damage == "zip-without-db":
        backup = tmp_path / "partial.zip"
        with zipfile.ZipFile(backup, "w") as archive:
            archive.writestr("backup.json", "{}")
            archive.writestr("../../evil.txt", "outside")
    elif damage == "not-ours":
        backup = tmp_path / "other.sqlite"
        other = sqlite3.connect(backup)
        other.execute("CREATE TABLE t (x)")
        other.commit()
        other.close()
    else:
        backup = tmp_path / "empty"
        backup.mkdir()
    before = snapshot(path)
    backups_before = sorted(p.name for p in paths.backups_dir(path).iterdir())

    with pytest.raises(UserError) as excinfo:
        backups.restore(backup, path, now=NOW)
    assert "\n" not in excinfo.value.message
    assert snapshot(path) == before
    assert sorted(p.name for p in paths.backups_dir(path).iterdir()) == backups_before
    assert hidden_leftovers(path.parent) == []
    assert not (tmp_path.parent / "evil.txt").exists()


def test_a_backup_from_a_newer_version_is_refused(db, tmp_path):
    future = tmp_path / "future.sqlite"
    db.backup_to(future)
    conn = sqlite3.connect(future)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(NewerSchemaError):
        backups.restore(future, db.path)


def test_restoring_over_a_damaged_database_keeps_a_copy_of_it(filled):
    db = filled["db"]
    path = db.path
    good = backups.make_backup(db, backups.START, now=NOW)
    db.close()
    corrupt(path)
    assert backups.quick_problem(path)
    assert backups.latest_good_backup(path).path == good

    aside = backups.copy_aside(path, now=NOW)
    damaged_bytes = path.read_bytes()
    before = backups.restore(good, path, now=NOW + dt.timedelta(minutes=1))

    assert aside.name == "perr-damaged-2026-03-01_14-02-05.sqlite"
    assert aside.read_bytes() == damaged_bytes
    assert backups.quick_problem(path) is None
    # The pre-restore backup of a damaged file is a byte copy, listed as damaged.
    assert (before / "database.sqlite").read_bytes() == damaged_bytes
    assert not {b.path: b for b in backups.list_backups(path)}[before].ok


def test_quick_problem_and_the_latest_good_backup(filled):
    db = filled["db"]
    path = db.path
    assert backups.quick_problem(path) is None
    older = backups.make_backup(db, backups.START, now=NOW - dt.timedelta(days=1))
    newer = backups.make_backup(db, backups.START, now=NOW)
    corrupt(newer / "database.sqlite")
    assert backups.latest_good_backup(path).path == older
    db.close()

    path.write_bytes(b"")
    assert backups.quick_problem(path)          # empty, with backups to come back to
    lonely = path.with_name("new.sqlite")
    lonely.write_bytes(b"")
    assert backups.quick_problem(lonely) is None  # empty and nothing else: a new database
    assert backups.quick_problem(path.with_name("missing.sqlite")) is None


# -- the lock -----------------------------------------------------------------------------

HOLDER = """
import os, sys, time
from pathlib import Path
from perr_desktop.storage import lock
lock.acquire(Path(sys.argv[1]), sys.argv[2])
print("locked", flush=True)
if sys.argv[3] == "die":
    os.kill(os.getpid(), 9)
time.sleep(60)
"""


def hold_in_other_process(db_path: Path, program: str = "gui", then: str = "wait"):
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path), program, then],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "locked"
    return process


@pytest.fixture
def other_window(db_path):
    process = hold_in_other_process(db_path)
    yield process
    process.kill()
    process.wait()


def test_a_second_process_is_refused_with_who_and_since_when(db_path, other_window):
    with pytest.raises(lock.AlreadyOpenError) as excinfo:
        lock.acquire(db_path, lock.GUI)
    holder = excinfo.value.holder
    assert holder.pid == other_window.pid
    assert holder.is_gui
    assert holder.started_at is not None
    assert holder.since() in excinfo.value.message
    assert lock.is_locked(db_path)
    assert not lock.holds(db_path)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_writing_commands_are_refused_while_the_window_is_open(db, capsys, tmp_path):
    people.create_person(db, first_name="Hélène", last_name="Garnier")
    backup = backups.make_backup(db, backups.START, now=NOW)
    db.close()
    path = db.path
    before = path.read_bytes()
    process = hold_in_other_process(path)
    try:
        for argv in (["demo"], ["restore", str(backup)],
                     ["import", "photos", str(tmp_path), "--walk", "x"]):
            code, out, err = run(capsys, *argv, "--db", str(path))
            assert code == 1, argv
            assert len(err.splitlines()) == 1 and "Traceback" not in err
            assert out == ""
        # Reading needs no lock.
        code, out, _err = run(capsys, "list", "people", "--db", str(path), "--json")
        assert code == 0 and "Garnier" in out
        code, _out, _err = run(capsys, "backup", "--db", str(path), "-o",
                               str(tmp_path / "b.sqlite"))
        assert code == 0
    finally:
        process.kill()
        process.wait()
    assert path.read_bytes() == before


def test_a_lock_left_by_a_dead_process_is_taken_over(db_path):
    process = hold_in_other_process(db_path, then="die")
    assert process.wait() == -signal.SIGKILL
    file = lock.lock_path(db_path)
    assert file.exists()                                   # left behind by the crash
    assert json.loads(file.read_text())["pid"] == process.pid

    lock.acquire(db_path, lock.GUI)
    try:
        assert json.loads(file.read_text())["pid"] == os.getpid()
        assert lock.holds(db_path)
    finally:
        lock.release(db_path)
    assert not file.exists()


def test_the_lock_is_reentrant_within_the_process(db_path):
    with lock.hold(db_path), lock.hold(db_path, "restore"):
        assert lock.holds(db_path)
    assert not lock.holds(db_path)
    assert not lock.lock_path(db_path).exists()


def test_a_command_holding_the_lock_is_named_as_such(db_path):
    process = hold_in_other_process(db_path, program="command import")
    try:
        with pytest.raises(lock.AlreadyOpenError) as excinfo:
            lock.acquire(db_path, lock.GUI)
        assert not excinfo.value.holder.is_gui
        assert excinfo.value.message != lock._message(lock.Holder(program="gui"), "gui")
    finally:
        process.kill()
        process.wait()


def test_restore_is_refused_while_another_program_has_the_database(filled):
    db = filled["db"]
    backup = backups.make_backup(db, backups.START, now=NOW)
    db.close()
    before = snapshot(db.path)
    process = hold_in_other_process(db.path)
    try:
        with pytest.raises(lock.AlreadyOpenError):
            backups.restore(backup, db.path)
    finally:
        process.kill()
        process.wait()
    assert snapshot(db.path) == before


# -- the command line ---------------------------------------------------------------------

def test_cli_backup_and_restore(filled, capsys, tmp_path):
    db = filled["db"]
    path = db.path
    db.close()
    target = tmp_path / "sauvegarde.zip"
    code, out, err = run(capsys, "backup", "--db", str(path), "-o", str(target))
    assert (code, err) == (0, "")
    assert str(target) in out
    with open_database(path) as again:
        people.create_person(again, first_name="Karim", last_name="Benali")

    code, out, err = run(capsys, "restore", str(target), "--db", str(path))
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 2
    with open_database(path) as restored:
        assert names(restored) == ["Garnier"]
    assert not lock.lock_path(path).exists()


def test_cli_restore_of_a_bad_file_fails_in_one_line_leaving_the_database(db, capsys,
                                                                         tmp_path):
    people.create_person(db, first_name="Hélène", last_name="Garnier")
    db.close()
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    before = db.path.read_bytes()
    for file in (bad, tmp_path / "missing.zip"):
        code, _out, err = run(capsys, "restore", str(file), "--db", str(db.path))
        assert code == 1
        assert len(err.splitlines()) == 1 and "Traceback" not in err
        assert re.search(r"bad\.zip|missing\.zip", err)
    assert db.path.read_bytes() == before


def test_cli_backup_of_a_missing_database_fails_in_one_line(capsys, tmp_path):
    code, _out, err = run(capsys, "backup", "--db", str(tmp_path / "none.sqlite"), "-o",
                          str(tmp_path / "x.zip"))
    assert code == 1 and len(err.splitlines()) == 1
    assert not (tmp_path / "x.zip").exists()

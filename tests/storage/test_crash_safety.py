"""Killed at any moment (kill -9), a writer leaves the database consistent, with every
acknowledged edit in it and no action half applied."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from perr_desktop.services import councils, meetings, walks
from perr_desktop.storage import media
from perr_desktop.storage.database import open_database

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX kill -9")

# One numbered user action per transaction, through the services: a person, their
# membership, a decision of the meeting, and the council's counter. « ACK n » is printed
# only once the transaction has returned, as the window would say « saved ».
WRITER = r"""
import sys
from perr_desktop.services import councils, meetings, people
from perr_desktop.storage.database import open_database

db = open_database(sys.argv[1], create=False)
council = db.scalar("SELECT id FROM councils WHERE name = 'Conseil du crash'")
meeting = db.scalar("SELECT id FROM meetings WHERE council_id = ?", (council,))
n = int(db.scalar("SELECT notes FROM councils WHERE id = ?", (council,)) or 0)
print("READY", flush=True)
while True:
    n += 1
    with db.transaction():
        person = people.create_person(db, first_name="Action", last_name=f"Writer {n:06d}")
        people.add_membership(db, council, person, "habitants", joined_on="2024-01-01")
        meetings.add_decision(db, meeting, f"Decision {n:06d}")
        councils.update_council(db, council, notes=str(n))
    print(f"ACK {n}", flush=True)
"""

RUNS = 30


def environment() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return env


class Run:
    """A child process whose stdout lines are collected as they come."""

    def __init__(self, argv: list[str]) -> None:
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True,
                                        env=environment())
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.strip())
            if line.startswith("READY"):
                self.ready.set()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.reader.join(5)

    def acknowledged(self) -> list[int]:
        return [int(line.split()[1]) for line in self.lines if line.startswith("ACK ")]


def check_consistent(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    return conn


def test_a_writer_killed_at_random_moments_loses_no_acknowledged_action(tmp_path):
    path = tmp_path / "perr.sqlite"
    with open_database(path) as db:
        council = councils.create_council(db, "Conseil du crash")
        meetings.plan_meeting(db, council, "pleniere", "Plénière", "2024-03-01T18:00",
                              invite_members=False)
    rng = random.Random(20260301)
    acknowledged = 0
    started = time.monotonic()
    for run_number in range(RUNS):
        run = Run([sys.executable, "-c", WRITER, str(path)])
        if run_number % 3 == 0:
            # Anywhere: while Python starts, the database opens, or the writing goes on.
            time.sleep(rng.uniform(0.0, 0.5))
        else:
            assert run.ready.wait(20), "the writer never started"
            time.sleep(rng.uniform(0.0, 0.25))
        run.kill()
        acks = run.acknowledged()
        assert acks == sorted(acks)
        acknowledged = max([acknowledged, *acks])

        conn = check_consistent(path)
        try:
            people = [r[0] for r in conn.execute(
                "SELECT last_name FROM people WHERE last_name LIKE 'Writer %' "
                "ORDER BY last_name")]
            done = len(people)
            # Every acknowledged action is there; at most one more (committed, killed
            # before it could say so); numbered without a gap.
            assert acknowledged <= done <= acknowledged + 1, (run_number, acks, done)
            assert people == [f"Writer {n:06d}" for n in range(1, done + 1)]
            # Never half applied: each part of an action is there exactly when the others are.
            assert conn.execute(
                "SELECT count(*) FROM memberships m JOIN people p ON p.id = m.person_id "
                "WHERE p.last_name LIKE 'Writer %'").fetchone()[0] == done
            assert [r[0] for r in conn.execute(
                "SELECT text FROM decisions ORDER BY position")] == [
                f"Decision {n:06d}" for n in range(1, done + 1)]
            notes = conn.execute("SELECT notes FROM councils WHERE name = 'Conseil du crash'"
                                 ).fetchone()[0]
            assert int(notes or 0) == done
            acknowledged = done  # the next run goes on from what is stored
        finally:
            conn.close()
    assert acknowledged > RUNS  # the kills did land in the middle of real work
    assert time.monotonic() - started < 60


def write_pictures(folder: Path, count: int) -> None:
    folder.mkdir()
    rng = random.Random(7)
    for i in range(count):
        image = Image.new("RGB", (640, 480), tuple(rng.randrange(256) for _ in range(3)))
        for x in range(0, 640, 40):  # a little detail, so that no two files are alike
            image.paste(tuple(rng.randrange(256) for _ in range(3)), (x, 0, x + 20, 480))
        image.save(folder / f"IMG_{i:04d}.jpg", quality=85)


def test_a_killed_photo_import_leaves_rows_only_for_files_present(tmp_path):
    path = tmp_path / "perr.sqlite"
    with open_database(path) as db:
        council = councils.create_council(db, "Conseil citoyen de Basseau")
        walk = walks.create_walk(db, council, "Diagnostic", "2026-03-01")
    pictures = tmp_path / "phone"
    write_pictures(pictures, 40)
    rng = random.Random(11)
    imported_before = 0
    for _attempt in range(4):
        run = Run([sys.executable, "-m", "perr_desktop", "import", "photos", str(pictures),
                   "--walk", walk, "--db", str(path)])
        time.sleep(rng.uniform(0.4, 1.0))
        run.kill()
        conn = check_consistent(path)
        try:
            rows = conn.execute(
                "SELECT m.sha256 FROM photos p JOIN media m ON m.id = p.media_id "
                "WHERE p.deleted_at IS NULL AND m.deleted_at IS NULL").fetchall()
        finally:
            conn.close()
        for (sha,) in rows:
            assert media.working_path(path, sha).is_file()
            assert media.thumbnail_path(path, sha).is_file()
        assert len(rows) >= imported_before
        imported_before = len(rows)
    # The lock of each killed import was recovered: a last one completes the walk.
    finished = subprocess.run([sys.executable, "-m", "perr_desktop", "import", "photos",
                               str(pictures), "--walk", walk, "--db", str(path)],
                              capture_output=True, text=True, env=environment(), timeout=120)
    assert finished.returncode == 0, finished.stderr
    with open_database(path) as db:
        assert db.scalar("SELECT count(*) FROM photos WHERE deleted_at IS NULL") == 40

"""The integrity check of a large database runs while the window opens (ui/start_check)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QMessageBox

from perr_desktop.services import councils, people
from perr_desktop.settings import Settings
from perr_desktop.storage import backups, migrations
from perr_desktop.storage.database import open_database
from perr_desktop.ui import start_check
from tests.ui.helpers import OFFSCREEN_SIZE_HINTS

pytestmark = OFFSCREEN_SIZE_HINTS


def corrupt(path) -> None:
    data = bytearray(path.read_bytes())
    data[8192:14192] = (b"\x00\xffdamaged" * 1000)[:6000]
    path.write_bytes(bytes(data))


@pytest.fixture
def application(qtbot, db_path, monkeypatch):
    """The real Application, every database « large » (checked in the background)."""
    from perr_desktop.app import Application

    monkeypatch.setattr(start_check, "BACKGROUND_FROM_BYTES", 0)
    locale = QLocale()
    app = Application(QApplication.instance(), Settings(), db_path)
    yield app
    if app.window is not None:
        app.window.close()
        app.window.deleteLater()
    app.close()
    QLocale.setDefault(locale)


@pytest.fixture
def filled(db_path):
    with open_database(db_path) as db:
        councils.create_qpv_councils(db)
        people.create_person(db, first_name="Hélène", last_name="Garnier")
        backup = backups.make_backup(db, backups.MANUAL)
    return backup


def test_only_a_large_database_of_the_current_schema_is_checked_late(tmp_path, monkeypatch):
    path = tmp_path / "perr.sqlite"
    assert not start_check.in_background(path)                  # missing
    open_database(path).close()
    assert not start_check.in_background(path)                  # small
    monkeypatch.setattr(start_check, "BACKGROUND_FROM_BYTES", 0)
    assert start_check.in_background(path)
    older = tmp_path / "older.sqlite"
    import sqlite3

    conn = sqlite3.connect(older, isolation_level=None)
    migrations.apply(conn, target=migrations.LATEST_VERSION - 1)
    conn.close()
    assert not start_check.in_background(older)                 # a migration writes
    (tmp_path / "other").write_bytes(b"not a database" * 10)
    assert not start_check.in_background(tmp_path / "other")


def test_a_healthy_large_database_is_backed_up_once_checked_and_painted(
        qtbot, application, filled):
    assert application.start()
    qtbot.addWidget(application.window)
    assert application.window.councils.model.rowCount() == 5   # open before the answer
    # The check waits for the first paint: its thread does not slow that paint down.
    check = application._check
    assert check is not None and not check.isRunning() and not check.isFinished()
    qtbot.waitUntil(lambda: application._check is None, timeout=10_000)   # answered
    qtbot.waitUntil(lambda: len(backups.list_backups(application.home_path)) == 2,
                    timeout=10_000)
    application.backups.wait()
    assert backups.list_backups(application.home_path)[0].reason == backups.START


def test_damage_found_late_offers_the_latest_good_backup(qtbot, application, filled,
                                                        modals):
    path = application.home_path
    # Damage the file where the window never reads at start: only the check sees it.
    with open_database(path) as db:
        for n in range(400):
            people.create_person(db, first_name=f"P{n}", last_name="x" * 200)
    size = path.stat().st_size
    data = bytearray(path.read_bytes())
    data[size - 40000:size - 30000] = b"\xff" * 10000
    path.write_bytes(bytes(data))
    assert backups.quick_problem(path)

    def restore(box: QMessageBox) -> None:
        [button] = [b for b in box.buttons()
                    if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
        button.click()

    modals.expect(restore, QMessageBox)
    assert application.start()                     # opened: the first page reads fine
    first = application.window
    qtbot.waitUntil(lambda: application._check is None, timeout=10_000)
    qtbot.waitUntil(lambda: any(kind == "information" for kind, *_r in modals.messages),
                    timeout=10_000)
    window = application.window
    assert window is not None and window is not first
    qtbot.addWidget(window)
    assert application.db.scalar(
        "SELECT count(*) FROM people WHERE deleted_at IS NULL") == 1   # the backup's
    assert [p for p in path.parent.iterdir() if "-damaged-" in p.name]


def test_a_file_too_damaged_to_open_gets_the_same_choice(qtbot, application, filled,
                                                          modals):
    corrupt(application.home_path)

    def quit_(box: QMessageBox) -> None:
        [button] = [b for b in box.buttons()
                    if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole]
        button.click()

    modals.expect(quit_, QMessageBox)
    assert not application.start()
    assert application.window is None
    assert not [kind for kind, *_r in modals.messages if kind == "critical"]


def test_quitting_before_the_answer_stops_the_check(qtbot, application, filled):
    assert application.start()
    qtbot.addWidget(application.window)
    application.close()                       # cancels and waits for the thread
    assert application._check is None

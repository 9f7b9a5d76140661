"""« Restaurer une sauvegarde… », the automatic backups, the check at start and the
polite refusal of a second window (ui/backups.py, app.py)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from perr_desktop import paths
from perr_desktop.i18n import _
from perr_desktop.services import councils, people, walks
from perr_desktop.settings import Settings
from perr_desktop.storage import backups, lock, media
from perr_desktop.storage.database import open_database
from perr_desktop.ui.backups import BackupScheduler, RestoreDialog
from tests.storage.test_backups import add_photo
from tests.ui.helpers import LEFT, OFFSCREEN_SIZE_HINTS, click_destructive, show

pytestmark = OFFSCREEN_SIZE_HINTS

NOW = dt.datetime(2026, 3, 1, 14, 2, 5)


def names(db) -> list[str]:
    return [r["last_name"] for r in db.query(
        "SELECT last_name FROM people WHERE deleted_at IS NULL ORDER BY last_name")]


def texts(dialog: RestoreDialog, row: int) -> list[str]:
    item = dialog.table.topLevelItem(row)
    return [item.text(column) for column in range(dialog.table.columnCount())]


def corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[8192:14192] = (b"\x00\xffdamaged" * 1000)[:6000]
    path.write_bytes(bytes(data))


@pytest.fixture
def application(qtbot, db_path):
    """The real Application, its windows closed, its locks given back, Qt's locale put back."""
    from perr_desktop.app import Application

    qt_app = QApplication.instance()
    locale = QLocale()
    app = Application(qt_app, Settings(), db_path)
    yield app
    if app.window is not None:
        app.window.close()
        app.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if app._qt_translator is not None:
        qt_app.removeTranslator(app._qt_translator)
    app.close()
    QLocale.setDefault(locale)
    assert not lock.holds(db_path)


@pytest.fixture
def history(db_path):
    """Hélène and the five QPV councils in a backup; then Karim added, Hélène removed."""
    with open_database(db_path) as db:
        councils.create_qpv_councils(db)
        helene = people.create_person(db, first_name="Hélène", last_name="Garnier")
        backup = backups.make_backup(db, backups.START, now=NOW)
        people.create_person(db, first_name="Karim", last_name="Benali")
        people.delete_person(db, helene)
    return backup


# -- the dialog -------------------------------------------------------------------------

def test_the_dialog_lists_backups_newest_first_with_what_they_hold(qtbot, db):
    councils.create_qpv_councils(db)
    people.create_person(db, first_name="Hélène", last_name="Garnier")
    backups.make_backup(db, backups.START, now=NOW - dt.timedelta(days=1))
    torn = backups.make_backup(db, backups.PERIODIC, now=NOW - dt.timedelta(hours=1))
    (torn / "backup.json").write_text("{", encoding="utf-8")
    people.create_person(db, first_name="Karim", last_name="Benali")
    newest = backups.make_backup(db, backups.MANUAL, now=NOW)

    dialog = show(qtbot, RestoreDialog(db.path), 900, 480)

    assert dialog.table.topLevelItemCount() == 3
    date, reason, contents, size = texts(dialog, 0)
    assert "2026" in date and "14:02" in date
    assert reason == backups.reason_label(backups.MANUAL)
    assert contents == backups.contents_text({"councils": 5, "people": 2})
    assert size
    assert texts(dialog, 2)[1] == backups.reason_label(backups.START)
    # The damaged one is shown, and cannot be chosen.
    damaged = dialog.table.topLevelItem(1)
    assert not damaged.flags() & Qt.ItemFlag.ItemIsEnabled
    assert dialog.backups[1].damaged in damaged.text(2)
    # The newest good one is selected, ready to restore.
    assert dialog.selected().path == newest
    assert dialog.restore_button.isEnabled()
    assert str(paths.backups_dir(db.path)) in dialog.folder.text()
    assert not dialog.empty.isVisible()


def test_with_no_backup_the_dialog_says_when_the_first_one_comes(qtbot, db):
    dialog = show(qtbot, RestoreDialog(db.path), 900, 480)
    assert dialog.table.topLevelItemCount() == 0
    assert dialog.empty.isVisible()
    assert not dialog.restore_button.isEnabled()


def test_back_up_now_adds_a_manual_backup_to_the_list(qtbot, db):
    dialog = show(qtbot, RestoreDialog(db.path), 900, 480)
    qtbot.mouseClick(dialog.backup_button, LEFT)
    assert dialog.table.topLevelItemCount() == 1
    assert texts(dialog, 0)[1] == backups.reason_label(backups.MANUAL)
    assert dialog.restore_button.isEnabled()


def choose_first_and_restore(qtbot):
    def handle(dialog: RestoreDialog) -> None:
        show(qtbot, dialog, 900, 480)
        item = dialog.table.topLevelItem(0)
        rect = dialog.table.visualItemRect(item)
        qtbot.mouseClick(dialog.table.viewport(), LEFT, pos=rect.center())
        assert dialog.restore_button.isEnabled()
        qtbot.mouseClick(dialog.restore_button, LEFT)
    return handle


def confirmation_says_a_backup_comes_first(box: QMessageBox) -> None:
    assert "2026" in box.text()
    click_destructive(box)


def test_restoring_from_the_file_menu_asks_then_restores_and_reopens(
        qtbot, application, history, modals):
    path = application.home_path
    assert application.open(path)
    first = application.window
    qtbot.addWidget(first)
    assert names(application.db) == ["Benali"]
    action = next(a for a in first.actions() if a.text() == _restore_text())
    modals.expect(choose_first_and_restore(qtbot), RestoreDialog)
    modals.expect(confirmation_says_a_backup_comes_first, QMessageBox)

    action.trigger()

    second = application.window
    qtbot.addWidget(second)
    assert second is not first and second.isVisible() and not first.isVisible()
    assert names(application.db) == ["Garnier"]
    assert second.statusBar().currentMessage()
    reasons = [b.reason for b in backups.list_backups(path)]
    assert reasons == [backups.RESTORE, backups.START]
    before = backups.list_backups(path)[0]
    assert before.counts["people"] == 1          # Karim, kept in the backup made first
    assert lock.holds(path)


def _restore_text() -> str:
    return _("&Restore a backup…")


def test_cancelling_the_confirmation_changes_nothing(qtbot, application, history, modals):
    path = application.home_path
    assert application.open(path)
    window = application.window
    qtbot.addWidget(window)
    modals.expect(choose_first_and_restore(qtbot), RestoreDialog)
    modals.expect(lambda box: None, QMessageBox)   # closed without choosing: cancel

    window.restore_backup()

    assert application.window is window
    assert names(application.db) == ["Benali"]
    assert [b.reason for b in backups.list_backups(path)] == [backups.START]


def test_a_damaged_backup_is_refused_with_a_sentence_and_nothing_changes(
        qtbot, application, history, modals):
    path = application.home_path
    corrupt(history / "database.sqlite")
    assert application.open(path)
    window = application.window
    qtbot.addWidget(window)

    application.restore_backup(str(history))

    assert application.window is window
    assert names(application.db) == ["Benali"]
    [(kind, _title, text)] = modals.messages
    assert kind == "warning" and str(history) in text


def choose_reason_and_restore(qtbot, reason: str):
    def handle(dialog: RestoreDialog) -> None:
        show(qtbot, dialog, 900, 480)
        [row] = [i for i, b in enumerate(dialog.backups) if b.reason == reason]
        rect = dialog.table.visualItemRect(dialog.table.topLevelItem(row))
        qtbot.mouseClick(dialog.table.viewport(), LEFT, pos=rect.center())
        qtbot.mouseClick(dialog.restore_button, LEFT)
    return handle


def test_save_a_backup_copy_writes_one_zip_with_the_photos_that_restore_lists(
        qtbot, application, history, modals, monkeypatch):
    path = application.home_path
    with open_database(path) as db:
        council = councils.list_councils(db)[0]["id"]
        sha = add_photo(db, walks.create_walk(db, council, "Diagnostic", "2026-03-01"),
                        b"photo one")
    assert application.open(path)
    window = application.window
    qtbot.addWidget(window)
    asked = []

    def save_as(parent, title, suggested, filter_):
        asked.append(suggested)
        return str(paths.backups_dir(path) / "copie-cle-usb.sqlite"), filter_

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    next(a for a in window.actions() if a.text() == _("Save a &backup copy…")).trigger()

    [suggested] = asked
    assert suggested.startswith(str(paths.backups_dir(path))) and suggested.endswith(".zip")
    copy = paths.backups_dir(path) / "copie-cle-usb.zip"     # a zip whatever the name
    with zipfile.ZipFile(copy) as archive:
        held = set(archive.namelist())
    assert {"backup.json", "database.sqlite"} <= held
    photo = media.working_path(path, sha).relative_to(paths.media_dir(path))
    assert f"media/{photo.as_posix()}" in held
    assert str(copy) in window.statusBar().currentMessage()

    people.create_person(application.db, first_name="Zoé", last_name="Zaoui")
    media.working_path(path, sha).unlink()                   # a photo lost meanwhile
    modals.expect(choose_reason_and_restore(qtbot, backups.COPY), RestoreDialog)
    modals.expect(click_destructive, QMessageBox)

    application.window.restore_backup()

    qtbot.addWidget(application.window)
    assert names(application.db) == ["Benali"]
    assert media.working_path(path, sha).read_bytes() == b"working photo one"
    assert copy.exists()                                      # a restore keeps its source


# -- background backups -------------------------------------------------------------------

def test_periodic_backups_only_when_something_changed(qtbot, db):
    scheduler = BackupScheduler(interval_ms=3_600_000)
    scheduler.watch(db)
    folder = paths.backups_dir(db.path)

    scheduler.periodic()
    assert not scheduler.running and not folder.exists()

    people.create_person(db, first_name="Hélène", last_name="Garnier")
    with qtbot.waitSignal(scheduler.made, timeout=10_000):
        scheduler.periodic()
    scheduler.wait()
    [made] = backups.list_backups(db.path)
    assert made.reason == backups.PERIODIC and made.counts["people"] == 1

    scheduler.periodic()
    assert not scheduler.running

    # A write by another connection (a worker thread, say) counts too.
    with open_database(db.path) as other:
        people.create_person(other, first_name="Karim", last_name="Benali")
    assert scheduler.changed()
    with qtbot.waitSignal(scheduler.made, timeout=10_000):
        scheduler.periodic()
    scheduler.wait()
    assert len(backups.list_backups(db.path)) == 2
    scheduler.watch(None)
    assert not scheduler.timer.isActive()


def test_closing_cancels_a_running_backup_without_leaving_a_partial_one(qtbot, db):
    scheduler = BackupScheduler()
    scheduler.watch(db)
    assert scheduler.back_up(backups.START)
    scheduler.stop()
    folder = paths.backups_dir(db.path)
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")] \
        if folder.exists() else []
    assert leftovers == []
    assert not scheduler.running


def test_the_start_backs_up_once_the_window_has_painted(qtbot, application, history):
    assert application.start()
    window = application.window
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: len(backups.list_backups(application.home_path)) == 2,
                    timeout=10_000)
    application.backups.wait()
    newest = backups.list_backups(application.home_path)[0]
    assert newest.reason == backups.START and newest.counts["people"] == 1


def test_the_demonstration_data_is_not_backed_up(qtbot, application, tmp_path):
    demo = tmp_path / "demo.sqlite"
    open_database(demo).close()
    assert application.open(demo, demo=True)
    qtbot.addWidget(application.window)
    people.create_person(application.db, first_name="Hélène", last_name="Garnier")
    application.backups.periodic()
    assert not application.backups.running


# -- at start -----------------------------------------------------------------------------

def click(role: QMessageBox.ButtonRole):
    def handle(box: QMessageBox) -> None:
        [button] = [b for b in box.buttons() if box.buttonRole(b) == role]
        button.click()
    return handle


def test_a_damaged_database_at_start_offers_the_latest_good_backup(
        qtbot, application, history, modals):
    path = application.home_path
    corrupt(path)
    damaged = path.read_bytes()

    def explains_then_restores(box: QMessageBox) -> None:
        assert str(path) in box.text()
        # SQLite's English words are for whoever helps, under « Show details… ».
        assert "malformed" not in box.text() + box.informativeText()
        assert "malformed" in box.detailedText()
        assert "2026" in box.informativeText()
        assert backups.contents_text({"councils": 5, "people": 1}) in box.informativeText()
        click(QMessageBox.ButtonRole.AcceptRole)(box)

    modals.expect(explains_then_restores, QMessageBox)

    assert application.start()

    qtbot.addWidget(application.window)
    assert names(application.db) == ["Garnier"]
    [aside] = [p for p in path.parent.iterdir() if "-damaged-" in p.name]
    assert aside.read_bytes() == damaged
    [(kind, _title, text)] = modals.messages
    assert kind == "information" and aside.name in text


def test_a_damaged_database_without_backup_leaves_the_file_and_quits(application, modals):
    path = application.home_path
    with open_database(path) as db:
        councils.create_qpv_councils(db)
    corrupt(path)
    damaged = path.read_bytes()

    def only_quit(box: QMessageBox) -> None:
        answers = [b for b in box.buttons()
                   if box.buttonRole(b) != QMessageBox.ButtonRole.ActionRole]  # not details
        assert [box.buttonRole(b) for b in answers] == [QMessageBox.ButtonRole.RejectRole]
        assert str(paths.backups_dir(path)) in box.informativeText()
        click(QMessageBox.ButtonRole.RejectRole)(box)

    modals.expect(only_quit, QMessageBox)

    assert not application.start()
    assert application.window is None
    assert path.read_bytes() == damaged


def test_choosing_quit_restores_nothing(application, history, modals):
    path = application.home_path
    corrupt(path)
    damaged = path.read_bytes()
    modals.expect(click(QMessageBox.ButtonRole.RejectRole), QMessageBox)

    assert not application.start()
    assert path.read_bytes() == damaged
    assert not [p for p in path.parent.iterdir() if "-damaged-" in p.name]


HOLDER = """
import sys, time
from pathlib import Path
from perr_desktop.storage import lock
lock.acquire(Path(sys.argv[1]))
print("locked", flush=True)
time.sleep(60)
"""


def test_a_second_window_on_the_same_database_is_refused_politely(application, history,
                                                                  modals):
    path = application.home_path
    other = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE,
                             text=True)
    try:
        assert other.stdout.readline().strip() == "locked"
        assert not application.start()
    finally:
        other.kill()
        other.wait()
    assert application.window is None
    [(kind, _title, text)] = modals.messages
    assert kind == "information"
    holder = lock.read_holder(path)          # what the killed window left in its file
    assert holder.is_gui and holder.since() in text
    assert text == lock._message(holder, lock.GUI)   # « already open … since 14:02 … »
    # The other window has gone (killed): its lock is recovered at the next start.
    modals.messages.clear()
    assert application.start()
    assert modals.messages == []

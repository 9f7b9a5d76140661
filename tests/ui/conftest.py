"""GUI test fixtures: no modal dialog may block, a main window on a fresh database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from perr_desktop.services import councils
from perr_desktop.settings import Settings
from tests.ui.helpers import ModalDriver, show


@pytest.fixture(autouse=True)
def modals(monkeypatch, qtbot):
    """Every ``exec()`` of a dialog goes through a :class:`ModalDriver`; message boxes
    are recorded. A dialog the test did not ask for fails the test; one it asked for
    and that never opened fails it too."""
    driver = ModalDriver(qtbot)
    monkeypatch.setattr(QDialog, "exec", lambda dialog: driver.exec(dialog))
    for kind, answer in (("warning", QMessageBox.StandardButton.Ok),
                         ("critical", QMessageBox.StandardButton.Ok),
                         ("information", QMessageBox.StandardButton.Ok),
                         ("question", QMessageBox.StandardButton.No),
                         ("about", None)):
        monkeypatch.setattr(QMessageBox, kind, driver.static_box(kind, answer))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: driver.messages.append(("save", "", "")) or ("", ""))
    yield driver
    assert driver.pending() == 0, "a dialog the test expected never opened"


@pytest.fixture
def settings():
    return Settings()


@pytest.fixture
def qpv_db(db):
    """A database with the five QPV councils, as after « create » on the welcome page."""
    councils.create_qpv_councils(db)
    return db


@pytest.fixture
def make_window(qtbot, settings):
    """Build the main window on a database and show it, active, 1280×800."""
    from perr_desktop.ui.main_window import MainWindow

    def build(database, demo: bool = False) -> MainWindow:
        window = MainWindow(database, settings, demo=demo)
        return show(qtbot, window)

    return build




def _event_loops_run() -> bool:
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    return loop.exec() == 0


@pytest.fixture(autouse=True)
def live_event_loop(qapp):
    """Local event loops must work: qtbot.waitUntil and the worker's progress loop run one.

    test_smoke.py runs the real ``QApplication.exec()`` through ``app.run(smoke=True)``;
    the quit that ends it leaves the main thread's « quit now » flag set, and every later
    ``QEventLoop.exec()`` would return at once. Only ``QApplication.exec()`` clears that
    flag: enter it and leave it at once."""
    if not _event_loops_run():
        QTimer.singleShot(0, lambda: qapp.exit(0))
        qapp.exec()
        assert _event_loops_run()
    yield
@pytest.fixture(autouse=True)
def _background_reads_end():
    """No background read (ui/worker.BackgroundReader) outlives its test: its file is
    removed with the test's folder, and a thread still running at exit aborts Python."""
    yield
    from perr_desktop.ui.worker import wait_for_readers

    wait_for_readers()

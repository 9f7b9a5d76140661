"""Long work off the GUI thread, with a progress dialog that can be cancelled.

The work gets its own database connection (one SQLite connection per thread), reports
progress through a signal, and checks ``cancelled()`` between items. The window stays
responsive meanwhile; the dialog is modal so nothing else writes at the same time.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from perr_desktop.errors import UserError
from perr_desktop.i18n import _

Work = Callable[[Any, Callable[[int, int, str], None], Callable[[], bool]], Any]


class _Thread(QThread):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    crashed = Signal(object)  # a bug: re-raised on the GUI thread, traceback and all

    def __init__(self, db_path: Path | None, work: Work, stop: threading.Event) -> None:
        super().__init__()
        self.db_path, self.work, self.stop = db_path, work, stop

    def run(self) -> None:  # runs in the worker thread
        from perr_desktop.storage.database import open_database

        def progress(done: int, total: int, name: str) -> None:
            self.progressed.emit(done, total, name)

        try:
            if self.db_path is None:  # the work opens what it needs itself
                result = self.work(None, progress, self.stop.is_set)
            else:
                with open_database(self.db_path, create=False) as db:
                    result = self.work(db, progress, self.stop.is_set)
        except UserError as exc:
            self.failed.emit(exc.message)
        except Exception as exc:  # a bug: handed over to the GUI thread, not swallowed
            self.crashed.emit(exc)
        else:
            self.succeeded.emit(result)


def run_with_progress(parent: QWidget | None, db_path: Path | None, title: str,
                      work: Work) -> Any:
    """Run ``work(db, progress, cancelled)`` in a worker thread; return its result, or
    raise the UserError it raised. ``progress(done, total, name)`` updates the dialog.
    With ``db_path`` None the work gets no connection and opens what it needs."""
    stop = threading.Event()
    dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    # Modal: nothing else writes while the worker does.
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(300)
    dialog.setValue(0)  # starts the 300 ms clock now, not at the first file
    dialog.canceled.connect(stop.set)
    thread = _Thread(db_path, work, stop)
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def progressed(done: int, total: int, name: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(_("%(title)s\n%(done)d of %(total)d — %(name)s")
                            % {"title": title, "done": done, "total": total, "name": name})

    thread.progressed.connect(progressed)
    thread.succeeded.connect(lambda result: outcome.update(result=result))
    thread.failed.connect(lambda message: outcome.update(error=message))
    thread.crashed.connect(lambda exc: outcome.update(crash=exc))
    thread.finished.connect(loop.quit)
    thread.start()
    loop.exec()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    if "crash" in outcome:
        raise outcome["crash"]
    if "error" in outcome:
        raise UserError(outcome["error"])
    return outcome.get("result")


# -- reading in the background -----------------------------------------------------------

class _ReadThread(QThread):
    answered = Signal(int, object)
    refused = Signal(int, str)
    crashed = Signal(object)  # a bug: re-raised on the GUI thread

    def __init__(self, db_path: Path, work: Callable[[Any], Any], number: int) -> None:
        super().__init__()
        self.db_path, self.work, self.number = db_path, work, number

    def run(self) -> None:  # in the thread, with its own connection
        from perr_desktop.storage.database import open_as_is

        try:
            with open_as_is(self.db_path) as db:
                result = self.work(db)
        except UserError as exc:
            self.refused.emit(self.number, exc.message)
        except Exception as exc:
            self.crashed.emit(exc)
        else:
            self.answered.emit(self.number, result)


class _Reaper(QObject):
    """Lets go of each reading thread on the GUI thread, once it has finished."""

    def __init__(self) -> None:
        super().__init__()
        self.running: set[_ReadThread] = set()

    def reap(self) -> None:
        for thread in [t for t in self.running if t.isFinished()]:
            thread.wait()
            self.running.discard(thread)
            thread.deleteLater()


_reaper: _Reaper | None = None


def wait_for_readers() -> None:
    """Let every background read end (before quitting: a thread still running when the
    program ends would abort it; at the end of a test)."""
    if _reaper is not None:
        for thread in list(_reaper.running):
            thread.wait()
        _reaper.reap()


class BackgroundReader(QObject):
    """Reading work off the GUI thread, for what may appear a moment later (the
    dashboard's figures, the retention banner of the People page): the window never
    waits for a query over ten years of data (issue 7).

    :meth:`read` runs ``work(db)`` in a thread, with its own connection to the same file
    (SQLite in WAL mode: reading never blocks the window's writes); :attr:`answered`
    brings its result back on the GUI thread, :attr:`refused` the sentence of a
    UserError. A newer read supersedes an older one, whose answer is dropped; so does
    the reader's deletion (its page closed)."""

    answered = Signal(object)
    refused = Signal(str)

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self._number = 0
        self.busy = False

    def read(self, work: Callable[[Any], Any]) -> None:
        global _reaper
        if _reaper is None:
            _reaper = _Reaper()
            # Whatever ends the program (a script, a test run), no read is left running
            # when Python tears Qt down: that would abort the process.
            atexit.register(wait_for_readers)
        self._number += 1
        thread = _ReadThread(self.db_path, work, self._number)
        thread.answered.connect(self._answered)
        thread.refused.connect(self._refused)
        thread.crashed.connect(self._crashed)
        thread.finished.connect(_reaper.reap)
        _reaper.running.add(thread)
        self.busy = True
        thread.start(QThread.Priority.LowPriority)

    def _answered(self, number: int, result: Any) -> None:
        if number == self._number:
            self.busy = False
            self.answered.emit(result)

    def _refused(self, number: int, message: str) -> None:
        if number == self._number:
            self.busy = False
            self.refused.emit(message)

    def _crashed(self, exc: BaseException) -> None:
        self.busy = False
        raise exc  # a bug in the work: on the GUI thread, traceback and all

    def wait(self) -> None:
        """Until the latest read has answered (tests and benchmarks)."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer

        deadline = QDeadlineTimer(30_000)
        while self.busy and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

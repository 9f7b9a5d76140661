"""Automatic backups of the open database, in the background.

Apart from :mod:`perr_desktop.ui.backups` (the dialogs) so that the window's start loads
neither the dialogs nor :mod:`perr_desktop.storage.backups`: the work is imported by the
thread that does it, once the window has painted (issue 7).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from perr_desktop.errors import UserError

if TYPE_CHECKING:
    from perr_desktop.storage.database import Database

PERIODIC_MS = 30 * 60 * 1000
# The reasons of storage/backups.py this module gives (the same strings, not imported).
START = "start"
PERIODIC = "periodic"


class _BackupThread(QThread):
    made = Signal(str)
    failed = Signal(str)
    crashed = Signal(object)  # a bug: re-raised on the GUI thread

    def __init__(self, db_path: Path, reason: str, stop: threading.Event) -> None:
        super().__init__()
        self.db_path, self.reason, self.stop = db_path, reason, stop

    def run(self) -> None:  # in the worker thread, with its own connection
        from perr_desktop.storage import backups
        from perr_desktop.storage.database import open_as_is

        try:
            with open_as_is(self.db_path) as db:
                made = backups.make_backup(db, self.reason, cancelled=self.stop.is_set)
            if not self.stop.is_set():
                backups.prune(self.db_path)
        except backups.BackupCancelled:
            return
        except UserError as exc:
            self.failed.emit(exc.message)
        except Exception as exc:
            self.crashed.emit(exc)
        else:
            self.made.emit(str(made))


class BackupScheduler(QObject):
    """Automatic backups of the open database, never on the GUI thread: one when asked
    (at start), then every ``interval_ms`` of use if something was written since the last
    one — by the window's connection (its ``total_changes``) or another one (``PRAGMA
    data_version``). Each backup is followed by the rotation."""

    made = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, interval_ms: int = PERIODIC_MS) -> None:
        super().__init__(parent)
        self._db: Database | None = None
        self._mark: tuple[int, int] | None = None
        self._thread: _BackupThread | None = None
        self._stop = threading.Event()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.periodic)

    def watch(self, db: Database | None) -> None:
        """Back up ``db`` from now on (None: nothing, as for the demonstration data)."""
        if self._db is not None and (db is None or db.path != self._db.path):
            self.stop()
        self._db = db
        self._mark = self._change_mark()
        if db is None:
            self.timer.stop()
        else:
            self.timer.start()

    def _change_mark(self) -> tuple[int, int] | None:
        if self._db is None or self._db.closed:
            return None
        return self._db.change_mark()

    def changed(self) -> bool:
        mark = self._change_mark()
        return mark is not None and mark != self._mark

    @property
    def running(self) -> bool:
        return self._thread is not None

    def back_up(self, reason: str) -> bool:
        """Start a backup in the background; False if one is running or nothing is open."""
        if self._thread is not None or self._db is None or self._db.closed:
            return False
        self._mark = self._change_mark()
        self._stop = threading.Event()
        thread = _BackupThread(self._db.path, reason, self._stop)
        thread.made.connect(self.made)
        thread.failed.connect(self.failed)
        thread.crashed.connect(self._crashed)
        thread.finished.connect(self._finished)
        self._thread = thread
        thread.start(QThread.Priority.LowPriority)
        return True

    def periodic(self) -> None:
        if self.changed():
            self.back_up(PERIODIC)

    def wait(self) -> None:
        """Let the running backup finish (tests; before a restore it is stopped)."""
        if self._thread is not None:
            self._thread.wait()
            self._finished()

    def stop(self) -> None:
        """Cancel the running backup (its partial folder is removed) and wait for it."""
        self._stop.set()
        self.wait()

    def _finished(self) -> None:
        if self._thread is not None and self._thread.isFinished():
            self._thread.deleteLater()
            self._thread = None

    def _crashed(self, exc: BaseException) -> None:
        raise exc

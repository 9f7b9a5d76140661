"""Long work off the GUI thread, with a progress dialog that can be cancelled.

The work gets its own database connection (one SQLite connection per thread), reports
progress through a signal, and checks ``cancelled()`` between items. The window stays
responsive meanwhile; the dialog is modal so nothing else writes at the same time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QThread, Signal
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

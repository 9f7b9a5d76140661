"""The integrity check of the window's start, in the background for a large database.

``PRAGMA quick_check`` reads the whole file: a few milliseconds for a year of data, but
about two tenths of a second for ten years of five councils, more than Qt takes to show a
bare window. A small file is checked before it is opened (:func:`check_at_start` then
asks what to do before any window appears); a large one is checked in a thread started
once the window has painted its first page (so that the thread does not slow that first
paint down: issue 7). The start backup waits for its answer (a damaged
file is never backed up), and when it finds damage the window is closed and the same
dialog offers the latest good backup.

A database that needs a migration is always checked first: the migration writes to it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QThread, Signal

from perr_desktop.storage import migrations

# Below this size the check costs less than a frame or two: done before opening.
BACKGROUND_FROM_BYTES = 16 * 2**20
_USER_VERSION_OFFSET = 60  # PRAGMA user_version in the SQLite header, big-endian


def in_background(path: Path) -> bool:
    """Whether the start may check ``path`` while its window opens: a large database
    of the current schema (read from the file's header, without opening it)."""
    try:
        if path.stat().st_size < BACKGROUND_FROM_BYTES:
            return False
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return False
    version = int.from_bytes(header[_USER_VERSION_OFFSET:_USER_VERSION_OFFSET + 4], "big")
    return version == migrations.LATEST_VERSION


class StartCheck(QThread):
    """``backups.quick_problem`` in a thread; :attr:`answered` carries its answer (None:
    healthy) unless :meth:`cancel` was called first."""

    answered = Signal(object)

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)
        self.problem: str | None = None  # the answer, once the thread has finished
        self._stop = threading.Event()

    def run(self) -> None:  # in the thread, with its own read-only connection
        from perr_desktop.storage import backups

        self.problem = backups.quick_problem(self.path, cancelled=self._stop.is_set)
        if not self._stop.is_set():
            self.answered.emit(self.problem)

    def cancel(self) -> None:
        """Stop the check (quitting before it answered) and wait for the thread."""
        self._stop.set()
        self.wait()

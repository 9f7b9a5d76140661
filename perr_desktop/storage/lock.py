"""One program at a time writes a database: a lock file beside it, held by the OS.

``<db>.lock`` (``perr.sqlite.lock``) holds who took it — process id, computer name, start
time and what is running (the window, or a command) — as a line of JSON, and is locked
with the operating system's own file lock (``fcntl.flock`` on POSIX, ``msvcrt.locking``
on Windows). The OS drops that lock when the process ends, however it ends: a lock file
left behind by a crash is not locked any more, and the next program simply takes it
over. The file's content only serves to tell the user who has the database open.

Within one process the lock is re-entrant (the window holds it; the restore it runs in a
worker thread takes it again): only other processes are kept out. SQLite's own locks
still protect every transaction; this lock keeps a second window, or a command that
writes, away from a database the window is working on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from perr_desktop import i18n
from perr_desktop.errors import DatabaseLockedError, user_errors
from perr_desktop.i18n import _

GUI = "gui"

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    # Lock one byte far past the JSON, so that others can still read who holds it.
    _LOCK_OFFSET = 0x7FFFFFFF

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Holder:
    """Who holds a database's lock, as written in the lock file (fields may be unknown)."""

    pid: int | None = None
    hostname: str = ""
    started_at: dt.datetime | None = None
    program: str = ""

    @property
    def is_gui(self) -> bool:
        return self.program == GUI

    def since(self) -> str:
        """« 14:02 », « 25/11/2026 14:02 » on another day, and the computer if not this one."""
        if self.started_at is None:
            when = _("a moment ago")
        else:
            local = self.started_at.astimezone()
            if local.date() == dt.date.today():
                when = i18n.format_time(local, "short")
            else:
                when = i18n.format_datetime(local.replace(tzinfo=None), "short")
        if self.hostname and self.hostname != _hostname():
            return _("%(time)s, on the computer %(host)s") % {"time": when,
                                                               "host": self.hostname}
        return when


class AlreadyOpenError(DatabaseLockedError):
    """Another program holds the database's lock; ``holder`` says who, when known."""

    def __init__(self, message: str, holder: Holder) -> None:
        super().__init__(message)
        self.holder = holder


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _key(db_path: Path) -> str:
    return os.path.normcase(str(Path(db_path).expanduser().resolve()))


class _Held:
    def __init__(self, fd: int, path: Path) -> None:
        self.fd, self.path, self.count = fd, path, 1


_registry: dict[str, _Held] = {}
_registry_lock = threading.Lock()


def read_holder(db_path: Path) -> Holder:
    """What the lock file says (empty fields when it is missing or being written)."""
    try:
        data = json.loads(lock_path(db_path).read_text(encoding="utf-8"))
        started = data.get("started_at")
        return Holder(
            pid=data.get("pid") if isinstance(data.get("pid"), int) else None,
            hostname=str(data.get("hostname") or ""),
            started_at=dt.datetime.fromisoformat(started) if started else None,
            program=str(data.get("program") or ""),
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return Holder()


def is_locked(db_path: Path) -> bool:
    """Whether another process holds the lock now (never takes it for long)."""
    if _key(db_path) in _registry:
        return False
    try:
        with hold(db_path, program="probe"):
            return False
    except AlreadyOpenError:
        return True


def _message(holder: Holder, program: str) -> str:
    since = holder.since()
    if holder.program and not holder.is_gui:
        return _("A PERR Desktop command is already working on this database (since "
                 "%(since)s): wait until it has finished, then try again.") % {"since": since}
    if program == GUI:
        return _("PERR Desktop is already open on this database (since %(since)s). Close the "
                 "other window first, or carry on working in it.") % {"since": since}
    return _("PERR Desktop is open on this database (since %(since)s): close it, then run "
             "the command again.") % {"since": since}


def acquire(db_path: Path, program: str = GUI) -> None:
    """Take the lock of ``db_path`` for this process (re-entrant), or raise
    :class:`AlreadyOpenError` naming the holder. ``program`` says who asks (« gui », or
    the command) and is what others are told."""
    key = _key(db_path)
    with _registry_lock:
        held = _registry.get(key)
        if held is not None:
            held.count += 1
            return
        path = lock_path(Path(db_path).expanduser())
        with user_errors(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = _lock_file(path)
        if fd is None:
            holder = read_holder(Path(db_path).expanduser())
            raise AlreadyOpenError(_message(holder, program), holder)
        try:
            _write_holder(fd, program)
        except OSError:
            _release_fd(fd, path)
            raise
        _registry[key] = _Held(fd, path)


def _lock_file(path: Path) -> int | None:
    """An open, OS-locked descriptor of the lock file, or None if another holds it."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            return None
        if os.name == "nt":  # pragma: no cover - an open file cannot be deleted there
            return fd
        # The holder we waited for may have deleted the file as it released it: then we
        # locked a file nobody else will look at. Start again on the file at the path.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def _hostname() -> str:
    """This computer's name, as ``socket.gethostname()`` says it (without loading the
    socket module at every start where ``os.uname`` exists)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def _write_holder(fd: int, program: str) -> None:
    record = {"pid": os.getpid(), "hostname": _hostname(),
              "started_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
              "program": program}
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, (json.dumps(record) + "\n").encode("utf-8"))


def _release_fd(fd: int, path: Path) -> None:
    if os.name == "nt":  # pragma: no cover
        _unlock(fd)
        os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()
        return
    # Delete while still holding the lock: whoever opened the file meanwhile sees that
    # it was replaced (see _lock_file) instead of sharing a deleted file.
    with contextlib.suppress(OSError):
        path.unlink()
    _unlock(fd)
    os.close(fd)


def release(db_path: Path) -> None:
    """Give back one hold of this process; the lock goes when the last one does."""
    key = _key(db_path)
    with _registry_lock:
        held = _registry.get(key)
        if held is None:
            return
        held.count -= 1
        if held.count > 0:
            return
        del _registry[key]
        _release_fd(held.fd, held.path)


def holds(db_path: Path) -> bool:
    """Whether this process holds the lock of ``db_path``."""
    return _key(db_path) in _registry


@contextlib.contextmanager
def hold(db_path: Path, program: str = GUI) -> Iterator[None]:
    """``with hold(path, "restore"):`` the lock for the length of the block."""
    acquire(db_path, program)
    try:
        yield
    finally:
        release(db_path)

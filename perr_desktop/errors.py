"""The one family of errors a user can cause.

A :class:`UserError` carries a sentence for the user (already translated when raised):
the GUI shows it in a dialog, the command line prints it on one line and exits 1.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from perr_desktop.i18n import _


class UserError(Exception):
    """Bad input, a damaged or locked file, a full disk: the user can act on it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotADatabaseError(UserError):
    pass


class NewerSchemaError(UserError):
    pass


class DatabaseLockedError(UserError):
    pass


class DiskFullError(UserError):
    pass


class ValidationError(UserError):
    """A value a user typed that the rules refuse; ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(UserError):
    pass


def error_from_sqlite(exc: sqlite3.Error, path: Path | str | None = None) -> UserError | None:
    """Map an SQLite failure the user can cause to a readable error, or None for a bug."""
    text = str(exc).lower()
    where = str(path) if path is not None else ""
    if "file is not a database" in text or "malformed" in text or "not a database" in text:
        return NotADatabaseError(
            _("The file %(path)s is not a PERR Desktop database, or it is damaged.")
            % {"path": where}
        )
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(
            _("The database is being used by another program; close it and try again.")
        )
    if "disk is full" in text or "database or disk is full" in text:
        return DiskFullError(_("The disk is full: free some space, then try again."))
    if "unable to open" in text:
        return UserError(_("The database %(path)s cannot be opened: check that the file "
                           "exists and that you may read it.") % {"path": where})
    if "readonly" in text or "read-only" in text:
        return UserError(
            _("The database %(path)s is read-only; it cannot be changed.") % {"path": where}
        )
    if "disk i/o error" in text:
        return UserError(
            _("The disk could not be read or written (%(path)s); check the drive.")
            % {"path": where}
        )
    return None


def error_from_os(exc: OSError, path: Path | str | None = None) -> UserError:
    where = str(path or exc.filename or "")
    if exc.errno == errno.ENOSPC:
        return DiskFullError(_("The disk is full: free some space, then try again."))
    if exc.errno in (errno.EACCES, errno.EPERM):
        return UserError(_("You are not allowed to use %(path)s: choose another place, or "
                           "ask whoever manages this computer.") % {"path": where})
    if exc.errno == errno.ENOENT:
        return UserError(_("File not found: %(path)s.") % {"path": where})
    if exc.errno == errno.EISDIR:
        return UserError(_("%(path)s is a folder, not a file.") % {"path": where})
    return UserError(
        _("The file %(path)s could not be used: %(reason)s.")
        % {"path": where, "reason": exc.strerror or exc.__class__.__name__}
    )


@contextlib.contextmanager
def user_errors(path: Path | str | None = None) -> Iterator[None]:
    """Turn SQLite and file-system failures the user can cause into :class:`UserError`."""
    try:
        yield
    except UserError:
        raise
    except sqlite3.Error as exc:
        mapped = error_from_sqlite(exc, path)
        if mapped is None:
            raise
        raise mapped from exc
    except OSError as exc:
        raise error_from_os(exc, path) from exc

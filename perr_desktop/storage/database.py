"""Opening, checking, migrating and backing up the SQLite database.

One :class:`Database` per thread. Every connection runs with foreign keys on, WAL, and
SQLite in autocommit mode: a user action is one explicit transaction
(:meth:`Database.transaction`), never an implicit one left open.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perr_desktop import paths
from perr_desktop.domain.text import search_key
from perr_desktop.errors import NewerSchemaError, NotADatabaseError, UserError, user_errors
from perr_desktop.i18n import _, ngettext
from perr_desktop.storage import migrations

if TYPE_CHECKING:
    import sqlite_utils

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 16 * 1024  # page cache of each connection, at most
# Pages copied per step of a cancellable backup: 2 MiB of 4 KiB pages, most steps about
# 2 ms on the large demonstration, so quitting while a backup runs hardly waits.
BACKUP_STEP_PAGES = 512


class CopyCancelled(Exception):
    """A cancellable :meth:`Database.backup_to` was cancelled."""


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite before SQLite gets a chance to touch it."""
    with user_errors(path):
        if path.is_dir():
            raise NotADatabaseError(
                _("%(path)s is a folder, not a PERR Desktop database.") % {"path": path}
            )
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise NotADatabaseError(
            _("The file %(path)s is not a PERR Desktop database, or it is damaged.")
            % {"path": path}
        )


def _newer_schema_error(path: Path, version: int) -> NewerSchemaError:
    return NewerSchemaError(
        _(
            "The database %(path)s was written by a newer version of PERR Desktop "
            "(schema %(found)d; this version knows up to %(known)d). "
            "Install the latest version to open it."
        )
        % {"path": path, "found": version, "known": migrations.LATEST_VERSION}
    )


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        # With no -wal beside it the file holds everything: open it immutable, so that
        # SQLite creates no -wal/-shm and takes no lock. Otherwise read through the WAL.
        wal = path.with_name(path.name + "-wal")
        mode = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?{mode}", uri=True, isolation_level=None,
            check_same_thread=False,
        )
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not read_only:
        # SQLite's default page cache is 2 MiB: the lists over ten years (the « Suivi »
        # list walks indexes of several MiB) would read the same pages again and again.
        # (Not for the read-only looks: the integrity check reads every page once.)
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB:d}")
    # fold(text): lower case without accents, for sorting and matching as French readers
    # expect (COLLATE NOCASE only folds ASCII: it puts « Émilie » after « Zoé »).
    conn.create_function("fold", 1, _fold, deterministic=True)
    return conn


def _fold(value: object) -> str:
    return search_key(value) if isinstance(value, str) else ""


class Database:
    """A connection to one PERR Desktop database, at the latest schema."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.closed = False
        # Changes rolled back: total_changes counts them, close() must not (see there).
        self._discarded_changes = 0

    @functools.cached_property
    def utils(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, made when first needed: importing it
        (and its plugins) costs a tenth of a second, too much for the window's start."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # -- transactions --------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One user action: everything inside commits together or not at all.

        Nested use joins the outer transaction through a savepoint.
        """
        with user_errors(self.path):
            if self.conn.in_transaction:
                with self.utils.atomic():
                    yield self
                return
            self.conn.execute("BEGIN IMMEDIATE")
            before = self.conn.total_changes
            try:
                yield self
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                    self._discarded_changes += self.conn.total_changes - before
                raise

    # -- queries -------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        with user_errors(self.path):
            cursor = self.conn.execute(sql, params)
            columns = [c[0] for c in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def query_one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def change_mark(self) -> tuple[int, int]:
        """What changes when anything is written to the file, by this connection (its
        ``total_changes``) or another one (``PRAGMA data_version``): what was read for
        one mark need not be read again while it stays the same."""
        return self.conn.total_changes, self.scalar("PRAGMA data_version")

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        with user_errors(self.path):
            row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        with user_errors(self.path):
            return self.conn.execute(sql, params)

    @property
    def schema_version(self) -> int:
        return self.scalar("PRAGMA user_version")

    @property
    def media_dir(self) -> Path:
        return paths.media_dir(self.path)

    def backup_to(self, target: Path, cancelled: Callable[[], bool] | None = None) -> Path:
        """A consistent copy through SQLite's online backup API (safe while in use).

        With ``cancelled``, the copy goes BACKUP_STEP_PAGES pages at a time and stops
        (raising :class:`CopyCancelled`, nothing left behind) as soon as it returns True:
        quitting the application must not wait for the backup of a large database."""
        with user_errors(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            dest = sqlite3.connect(str(partial))
            try:
                if cancelled is None:
                    self.conn.backup(dest)
                else:
                    def progress(_status: int, _remaining: int, _total: int) -> None:
                        if cancelled():
                            raise CopyCancelled

                    self.conn.backup(dest, pages=BACKUP_STEP_PAGES, progress=progress)
                # The copy inherits WAL mode: make it one self-contained file instead, that
                # opens read-only without creating -wal/-shm beside it.
                dest.execute("PRAGMA journal_mode = DELETE")
            except CopyCancelled:
                dest.close()
                partial.unlink(missing_ok=True)
                raise
            finally:
                dest.close()
            partial.replace(target)
        return target

    def close(self, optimize: bool = True) -> None:
        """Close the connection, first letting SQLite refresh the statistics its query
        planner relies on where they are missing or stale (``PRAGMA optimize``, as the
        SQLite documentation advises before closing; ``analysis_limit`` keeps it to a
        few milliseconds, whatever the size of the file). Only after a write was kept: a
        connection that only read, or whose writes were all rolled back (a refused
        import), leaves the file exactly as it was."""
        if self.closed:
            return
        self.closed = True
        try:
            kept = self.conn.total_changes - self._discarded_changes
            if optimize and kept and not self.conn.in_transaction:
                self.conn.execute("PRAGMA analysis_limit = 400")
                self.conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass  # busy, read-only file…: the statistics wait for another time
        finally:
            self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def read_snapshot(db: Database) -> Iterator[None]:
    """Every query inside reads the same state of the database (a deferred read
    transaction; inside the caller's transaction, that one)."""
    if db.conn.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    finally:
        if db.conn.in_transaction:
            db.execute("COMMIT")


def _timestamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def open_database(path: Path | str, *, create: bool = True, seed: bool = True) -> Database:
    """Open (creating, migrating and seeding as needed) the database at ``path``.

    A file that is not SQLite, or from a newer schema, is refused before anything is
    written. A backup (database and media, see :mod:`backups`) is made before any
    migration runs.
    """
    from perr_desktop.storage import reference

    path = Path(path).expanduser()
    exists = path.exists()
    if exists:
        _check_header(path)
        if not create and path.stat().st_size == 0:
            raise NotADatabaseError(_("The file %(path)s is empty.") % {"path": path})
    elif not create:
        raise UserError(_("File not found: %(path)s.") % {"path": path})
    else:
        with user_errors(path.parent):
            path.parent.mkdir(parents=True, exist_ok=True)

    with user_errors(path):
        conn = _connect(path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            _refuse_foreign(conn, path, version)
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit is on disk before the edit is acknowledged (a laptop whose
            # battery dies mid-meeting loses nothing already saved).
            conn.execute("PRAGMA synchronous = FULL")
            db = Database(conn, path)
            if 0 < version < migrations.LATEST_VERSION:
                from perr_desktop.storage import backups

                backups.make_backup(db, backups.MIGRATION)
            migrations.apply(conn)
            if seed:
                reference.seed(db)
        except BaseException:
            conn.close()
            raise
    return db


def open_as_is(path: Path | str) -> Database:
    """A connection to an existing database exactly as it is: no migration, no seeding,
    whatever its schema version (backups read through it)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise UserError(_("File not found: %(path)s.") % {"path": path})
    _check_header(path)
    with user_errors(path):
        return Database(_connect(path), path)


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0


def _refuse_foreign(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse, before writing anything, a file that is not (yet) one of ours."""
    if version > migrations.LATEST_VERSION:
        raise _newer_schema_error(path, version)
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    ours = application_id == migrations.APPLICATION_ID
    if (version == 0 and _has_tables(conn)) or (version > 0 and not ours):
        raise NotADatabaseError(
            _("The file %(path)s is an SQLite database, but not one of PERR Desktop.")
            % {"path": path}
        )


EXPECTED_TABLES = (
    "councils", "council_neighbourhoods", "memberships", "neighbourhoods", "people",
    "perr_objectives", "vocabulary", "meetings", "meeting_guest_councils",
    "meeting_objectives", "agenda_items", "attendance", "headcounts", "decisions", "actions",
    "action_updates", "amendments", "media", "walks", "walk_stops", "walk_participants",
    "observations", "photos", "followups", "followup_steps",
)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """Look into a database without writing anything, not even -wal/-shm files."""
    _check_header(path)
    with user_errors(path):
        conn = _connect(path, read_only=True)
    try:
        yield conn
    finally:
        conn.close()


def holds_councils(path: Path) -> bool:
    """Whether ``path`` is a database with at least one council (read-only look)."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    with read_only(path) as conn, user_errors(path):
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        return "councils" in tables and conn.execute(
            "SELECT count(*) FROM councils WHERE deleted_at IS NULL").fetchone()[0] > 0


def check_database(path: Path | str) -> list[str]:
    """Problems found in the database at ``path``; an empty list means healthy.

    Opens the file read-only: the file is left byte-identical whatever it holds.
    """
    path = Path(path).expanduser()
    if not path.exists():
        return [_("File not found: %(path)s.") % {"path": path}]
    try:
        _check_header(path)
        if path.stat().st_size == 0:
            return [_("The file %(path)s is empty.") % {"path": path}]
        with read_only(path) as conn, user_errors(path):
            return _problems(conn, path)
    except UserError as exc:
        return [exc.message]


def _problems(conn: sqlite3.Connection, path: Path) -> list[str]:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    _refuse_foreign(conn, path, version)
    if version == 0:
        return [_("The file %(path)s is an SQLite database, but not one of PERR Desktop.")
                % {"path": path}]
    problems = []
    integrity = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
    if integrity != ["ok"]:
        problems.append(
            _("The database is damaged: %(detail)s.") % {"detail": "; ".join(integrity[:3])}
        )
    if version == migrations.LATEST_VERSION:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = sorted(set(EXPECTED_TABLES) - present)
        if missing:
            problems.append(
                _("Tables are missing (%(tables)s): restore a backup copy.")
                % {"tables": ", ".join(missing)}
            )
    # One row per dangling reference: count the records, not the references.
    broken = {(row[0], row[1]) for row in conn.execute("PRAGMA foreign_key_check")}
    if broken:
        problems.append(
            ngettext(
                "%(count)d record points to a record that does not exist.",
                "%(count)d records point to records that do not exist.",
                len(broken),
            )
            % {"count": len(broken)}
        )
    return problems

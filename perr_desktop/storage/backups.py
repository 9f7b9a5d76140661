"""Backups of a database and its media folder, their rotation, and restoring one.

A backup is a folder in ``<db>-backups/`` named by its local time and its reason, so that
a file manager sorts them by date::

    perr-backups/2026-03-01_14-02-05_start/
        backup.json        app and schema versions, time, reason, counts, sizes
        database.sqlite    the database through SQLite's online backup API (never a file
                           copy of a live database), as one self-contained file
        media/ab/ab…​.jpg   the media files: hard links to the live ones when the file
                           system allows (media files are immutable and named by their
                           hash, so a link costs nothing), else copies

It is built under a hidden temporary name and renamed when complete: a folder with a
plain name is a whole backup. ``perr-desktop backup -o FILE`` writes the same tree as one
zip file, or just the SQLite file when the database has no media; so does « Save a backup
copy… » in the window (always a zip there). :func:`restore` takes any of the three, and
the plain ``.sqlite`` copies of earlier versions. Such single files put in the backups
folder are listed with the others (reason ``copy``) and never deleted by the rotation.

Reasons: ``start`` (the window opened), ``periodic`` (every 30 minutes of work, if
something changed), ``before migration`` (the folder is then ``…_before-migration-vN``,
N the schema version it holds), ``manual`` and ``before restore``.

Rotation (:func:`prune`), among the backups this module made (damaged ones and files
put there by hand are never deleted):

1. the newest backup is always kept;
2. so are the ``keep_recent`` most recent ones;
3. for each of the last ``keep_daily`` days (today included), the newest of that day;
4. for each of the last ``keep_weekly`` weeks (Monday to Sunday, this one included),
   the newest of that week;
5. everything else is deleted; then, while the backups still take more than
   ``budget_bytes`` of disk, the oldest kept ones go, the daily and weekly ones first,
   then the recent ones — never the newest. Disk use counts each file once: a media
   file hard-linked into several backups and into the live media folder costs nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from perr_desktop import __version__, i18n, paths
from perr_desktop.errors import NewerSchemaError, NotADatabaseError, UserError, user_errors
from perr_desktop.i18n import _, ngettext
from perr_desktop.storage import lock, migrations
from perr_desktop.storage.database import (
    SQLITE_HEADER,
    CopyCancelled,
    Database,
    _check_header,
    open_as_is,
    read_only,
)

START = "start"
PERIODIC = "periodic"
MIGRATION = "before migration"
MANUAL = "manual"
RESTORE = "before restore"
COPY = "copy"  # a plain .sqlite file found in the folder

FORMAT_VERSION = 1
MANIFEST = "backup.json"
DATABASE = "database.sqlite"
MEDIA = "media"
STAMP_FORMAT = "%Y-%m-%d_%H-%M-%S"
PARTIAL_PREFIX = ".partial-"
LEFTOVER_AGE = dt.timedelta(hours=1)

KEEP_RECENT, KEEP_DAILY, KEEP_WEEKLY = 10, 14, 8
BUDGET_BYTES = 2 * 1024**3

# What backup.json counts, and shows as the contents of a backup.
COUNTED = ("councils", "people", "meetings", "walks", "photos")
# A media file's name inside its two-letter folder: its SHA-256, a variant, an extension.
_MEDIA_NAME = re.compile(r"^[0-9a-f]{64}(-[a-z0-9]+)?\.[a-z0-9]{1,5}$")
_MEDIA_FOLDER = re.compile(r"^[0-9a-f]{2}$")
_ZIP_HEADER = b"PK\x03\x04"

Cancelled = Callable[[], bool]


class BackupCancelled(Exception):
    """The backup was asked to stop (the application is closing); nothing was kept."""


# -- what a backup holds ---------------------------------------------------------------

@dataclass(frozen=True)
class BackupInfo:
    """One backup as listed: where, when, why, what it holds. ``damaged`` says why it
    cannot be used (None when it looks whole)."""

    path: Path
    created_at: dt.datetime | None
    reason: str
    counts: dict[str, int] = field(default_factory=dict)
    size: int = 0
    schema_version: int | None = None
    app_version: str = ""
    damaged: str | None = None
    managed: bool = False  # made by this module: rotation may delete it

    @property
    def ok(self) -> bool:
        return self.damaged is None

    def reason_label(self) -> str:
        return reason_label(self.reason)

    def contents(self) -> str:
        """« 5 conseils, 130 personnes, 110 réunions, 10 diagnostics, 191 photos »."""
        if self.damaged:
            return self.damaged
        return contents_text(self.counts)

    def size_text(self) -> str:
        return size_text(self.size)


def reason_label(reason: str) -> str:
    # TRANSLATORS: why a backup was made, shown in the list of backups.
    labels = {START: _("at start"), PERIODIC: _("periodic"), MIGRATION: _("before migration"),
              MANUAL: _("manual"), RESTORE: _("before restore"), COPY: _("copy")}
    return labels.get(reason, reason)


def contents_text(counts: dict[str, int]) -> str:
    def n(key: str) -> dict[str, str]:
        return {"count": i18n.format_number(counts.get(key, 0))}

    return ", ".join((
        ngettext("%(count)s council", "%(count)s councils", counts.get("councils", 0))
        % n("councils"),
        ngettext("%(count)s person", "%(count)s people", counts.get("people", 0)) % n("people"),
        ngettext("%(count)s meeting", "%(count)s meetings", counts.get("meetings", 0))
        % n("meetings"),
        ngettext("%(count)s walk", "%(count)s walks", counts.get("walks", 0)) % n("walks"),
        ngettext("%(count)s photo", "%(count)s photos", counts.get("photos", 0)) % n("photos"),
    ))


def size_text(size: int) -> str:
    """« 12,4 Mo » / « 12.4 MB » (Babel's units)."""
    from babel.units import format_unit

    locale = i18n.locale()
    if size < 1024 * 1024:
        return format_unit(max(1, round(size / 1024)), "digital-kilobyte", length="short",
                           format="#,##0", locale=locale)
    if size < 1024**3:
        return format_unit(size / 1024**2, "digital-megabyte", length="short",
                           format="#,##0.#", locale=locale)
    return format_unit(size / 1024**3, "digital-gigabyte", length="short",
                       format="#,##0.##", locale=locale)


# -- making one -----------------------------------------------------------------------

def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def _local(moment: dt.datetime | None) -> dt.datetime:
    if moment is None:
        return _now()
    return moment.astimezone() if moment.tzinfo is None else moment


def _slug(reason: str, schema_version: int | None) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "backup"
    if reason == MIGRATION and schema_version is not None:
        slug += f"-v{schema_version}"
    return slug


def make_backup(db: Database, reason: str, *, now: dt.datetime | None = None,
                cancelled: Cancelled | None = None, folder: Path | None = None) -> Path:
    """Back up ``db`` and its media folder into a new folder of ``paths.backups_dir``
    (or ``folder``); returns it. Safe while the database is in use."""
    now = _local(now)
    target_dir = Path(folder) if folder is not None else paths.backups_dir(db.path)
    with user_errors(target_dir):
        target_dir.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(dir=target_dir, prefix=PARTIAL_PREFIX))
    try:
        with user_errors(target_dir):
            manifest = _fill(db, building, reason, now, cancelled)
            final = _free_name(target_dir, f"{now.strftime(STAMP_FORMAT)}_"
                                           f"{_slug(reason, manifest['schema_version'])}")
            os.rename(building, final)
            _fsync_dir(target_dir)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return final


def _fill(db: Database, building: Path, reason: str, now: dt.datetime,
          cancelled: Cancelled | None) -> dict:
    try:
        database = db.backup_to(building / DATABASE, cancelled=cancelled)
    except CopyCancelled:
        raise BackupCancelled from None
    if cancelled is not None and cancelled():
        raise BackupCancelled
    counts, version = _read_counts(database)
    media_files, media_bytes = _link_tree(db.media_dir, building / MEDIA, cancelled)
    manifest = {
        "format": FORMAT_VERSION,
        "app_version": __version__,
        "schema_version": version,
        "created_at": now.isoformat(timespec="seconds"),
        "reason": reason,
        "database": DATABASE,
        "source": db.path.name,
        "counts": counts,
        "sizes": {"database": database.stat().st_size, "media": media_bytes,
                  "media_files": media_files},
    }
    _write_json(building / MANIFEST, manifest)
    return manifest


def _free_name(folder: Path, name: str) -> Path:
    candidate, n = folder / name, 2
    while candidate.exists():
        candidate, n = folder / f"{name}-{n}", n + 1
    return candidate


def _write_json(path: Path, data: dict) -> None:
    with path.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - no directory handles there
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_counts(database: Path) -> tuple[dict[str, int], int]:
    """Live records per kind, and the schema version, of a (closed) database file."""
    with read_only(database) as conn, user_errors(database):
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master "
                                              "WHERE type = 'table'")}
        counts = {}
        for table in COUNTED:
            counts[table] = conn.execute(
                f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[0] \
                if table in tables else 0
        return counts, conn.execute("PRAGMA user_version").fetchone()[0]


def _media_files(root: Path) -> Iterable[tuple[Path, str]]:
    """``(file, "ab/abcdef….jpg")`` for each media file under ``root`` (links and stray
    temporary files left out)."""
    if not root.is_dir():
        return
    for sub in sorted(root.iterdir()):
        if not _MEDIA_FOLDER.match(sub.name) or sub.is_symlink() or not sub.is_dir():
            continue
        for item in sorted(sub.iterdir()):
            if _MEDIA_NAME.match(item.name) and not item.is_symlink() and item.is_file():
                yield item, f"{sub.name}/{item.name}"


def _link_tree(source: Path, target: Path, cancelled: Cancelled | None = None,
               only_missing: bool = False) -> tuple[int, int]:
    """Hard-link (else copy) every media file of ``source`` into ``target``; returns the
    number of files and their bytes. With ``only_missing``, files already there stay."""
    count = size = 0
    can_link = True
    for item, relative in _media_files(source):
        if cancelled is not None and cancelled():
            raise BackupCancelled
        dest = target / relative
        if only_missing and dest.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        can_link = _link_or_copy(item, dest, can_link)
        count += 1
        size += dest.stat().st_size
    return count, size


def _link_or_copy(source: Path, dest: Path, try_link: bool = True) -> bool:
    """Put ``source`` at ``dest`` atomically; returns whether linking still looks possible
    (another device, FAT, a network share: copies from then on)."""
    temporary = dest.with_name(f".{dest.name}.{os.urandom(4).hex()}.part")
    try:
        if try_link:
            try:
                os.link(source, temporary)
            except OSError:
                try_link = False
        if not try_link:
            with source.open("rb") as src, temporary.open("wb") as out:
                shutil.copyfileobj(src, out, 1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
        os.replace(temporary, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return try_link


# -- listing --------------------------------------------------------------------------

def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of the database at ``db_path``, newest first. Whatever is unreadable
    or incomplete is listed as damaged; nothing here raises for a bad backup."""
    folder = paths.backups_dir(Path(db_path))
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                found.append(_folder_info(entry))
            elif entry.is_file() and entry.suffix.lower() in (".sqlite", ".db", ".sqlite3"):
                found.append(_plain_info(entry))
            elif entry.is_file() and entry.suffix.lower() == ".zip":
                found.append(_zip_info(entry))
        except (OSError, ValueError):
            continue
    undated = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(found, key=lambda info: (info.created_at or undated, info.path.name),
                  reverse=True)


def _damaged(path: Path, why: str, created_at: dt.datetime | None = None,
             reason: str = "") -> BackupInfo:
    return BackupInfo(path=path, created_at=created_at or _stamp_of(path), reason=reason,
                      damaged=why)


def _stamp_of(path: Path) -> dt.datetime | None:
    """The time in a backup's name, else the file's modification time."""
    match = re.match(r"^(\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2})", path.name)
    if match:
        with contextlib.suppress(ValueError):
            return dt.datetime.strptime(match.group(1), STAMP_FORMAT).astimezone()
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    except OSError:
        return None


def _folder_info(folder: Path) -> BackupInfo:
    incomplete = _("incomplete or unreadable backup")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("damaged"):
            return _damaged(folder, _("copy of a damaged database, kept as it was"),
                            _local(dt.datetime.fromisoformat(manifest["created_at"])),
                            str(manifest.get("reason", "")))
        info = _manifest_info(folder, manifest)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return _damaged(folder, incomplete)
    try:
        with (folder / DATABASE).open("rb") as fh:
            whole = fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        whole = False
    if not whole:
        return _damaged(folder, incomplete, info.created_at, info.reason)
    return dataclasses.replace(info, managed=True)


def _manifest_info(path: Path, manifest: dict, reason: str | None = None) -> BackupInfo:
    """A backup as its ``backup.json`` describes it (raises when a field is missing)."""
    created = _local(dt.datetime.fromisoformat(manifest["created_at"]))
    counts = {key: int(manifest["counts"].get(key, 0)) for key in COUNTED}
    sizes = manifest.get("sizes", {})
    size = int(sizes.get("database", 0)) + int(sizes.get("media", 0))
    version = int(manifest["schema_version"])
    damaged = (_("made by a newer version of PERR Desktop")
               if version > migrations.LATEST_VERSION else None)
    return BackupInfo(path, created, reason or str(manifest["reason"]), counts, size, version,
                      str(manifest.get("app_version", "")), damaged=damaged)


def _zip_info(file: Path) -> BackupInfo:
    """A single-file backup (« Save a backup copy… », ``perr-desktop backup -o``) put in
    the backups folder: listed, never deleted by the rotation."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            member = archive.getinfo(MANIFEST)
            if DATABASE not in names or member.file_size > 1024 * 1024:
                raise ValueError(MANIFEST)
            manifest = json.loads(archive.read(member).decode("utf-8"))
        info = _manifest_info(file, manifest, COPY)
        return dataclasses.replace(info, size=file.stat().st_size)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile,
            zipfile.LargeZipFile, EOFError):
        return _damaged(file, _("incomplete or unreadable backup"), reason=COPY)


def _plain_info(file: Path) -> BackupInfo:
    reason = MIGRATION if "-before-migration-" in file.name else COPY
    created = _stamp_of(file)
    try:
        counts, version = _read_counts(file)
        size = file.stat().st_size
    except (UserError, sqlite3.Error, OSError):
        return _damaged(file, _("unreadable database copy"), created, reason)
    damaged = (_("made by a newer version of PERR Desktop")
               if version > migrations.LATEST_VERSION else None)
    return BackupInfo(file, created, reason, counts, size, version, damaged=damaged)


# -- rotation -------------------------------------------------------------------------

def choose_removals(backups: list[BackupInfo], now: dt.datetime, *,
                    keep_recent: int = KEEP_RECENT, keep_daily: int = KEEP_DAILY,
                    keep_weekly: int = KEEP_WEEKLY, budget_bytes: int | None = BUDGET_BYTES,
                    disk_use: Callable[[list[BackupInfo]], int] | None = None,
                    ) -> list[BackupInfo]:
    """The backups the rotation rule (module docstring) deletes, oldest first."""
    ordered = sorted((b for b in backups if b.managed and b.created_at is not None),
                     key=lambda b: b.created_at, reverse=True)
    if not ordered:
        return []
    today = _local(now).astimezone().date()
    this_monday = today - dt.timedelta(days=today.weekday())
    recent = ordered[:max(1, keep_recent)]
    days: dict[dt.date, BackupInfo] = {}
    weeks: dict[dt.date, BackupInfo] = {}
    for backup in ordered:
        day = backup.created_at.astimezone().date()
        if (today - day).days < keep_daily:
            days.setdefault(day, backup)
        monday = day - dt.timedelta(days=day.weekday())
        if (this_monday - monday).days // 7 < keep_weekly:
            weeks.setdefault(monday, backup)
    kept_ids = {id(b) for b in (*recent, *days.values(), *weeks.values())}
    kept = [b for b in ordered if id(b) in kept_ids]
    removed = [b for b in ordered if id(b) not in kept_ids]
    if budget_bytes is not None:
        measure = disk_use or (lambda chosen: sum(b.size for b in chosen))
        recent_ids = {id(b) for b in recent}
        # Oldest first: the daily and weekly ones, then the recent ones; never the newest.
        candidates = ([b for b in reversed(kept) if id(b) not in recent_ids]
                      + [b for b in reversed(kept) if id(b) in recent_ids])
        candidates = [b for b in candidates if b is not ordered[0]]
        while candidates and measure(kept) > budget_bytes:
            victim = candidates.pop(0)
            kept.remove(victim)
            removed.append(victim)
    return sorted(removed, key=lambda b: b.created_at)


def prune(db_path: Path, keep_recent: int = KEEP_RECENT, keep_daily: int = KEEP_DAILY,
          keep_weekly: int = KEEP_WEEKLY, budget_bytes: int | None = BUDGET_BYTES, *,
          now: dt.datetime | None = None) -> list[Path]:
    """Apply the rotation rule to the backups of ``db_path``; returns what was deleted.
    Leftovers of an interrupted backup or restore (hidden, over an hour old) go too."""
    db_path = Path(db_path)
    now = _local(now)
    _remove_leftovers(db_path, now)
    backups = list_backups(db_path)
    removals = choose_removals(backups, now, keep_recent=keep_recent, keep_daily=keep_daily,
                               keep_weekly=keep_weekly, budget_bytes=budget_bytes,
                               disk_use=_disk_meter(db_path, backups))
    removed = []
    for backup in removals:
        with contextlib.suppress(OSError):
            shutil.rmtree(backup.path)
            removed.append(backup.path)
    return removed


def _disk_meter(db_path: Path, backups: list[BackupInfo]
                ) -> Callable[[list[BackupInfo]], int]:
    """Bytes a set of backups occupies on disk: each file once, files shared with the
    live media folder (hard links) not at all."""
    def inodes(root: Path) -> dict[tuple[int, int], int]:
        found = {}
        for folder, _dirs, files in os.walk(root):
            for name in files:
                with contextlib.suppress(OSError):
                    info = os.lstat(os.path.join(folder, name))
                    found[(info.st_dev, info.st_ino)] = info.st_size
        return found

    live = inodes(paths.media_dir(db_path))
    per_backup = {b.path: inodes(b.path) for b in backups if b.managed}

    def measure(chosen: list[BackupInfo]) -> int:
        seen: dict[tuple[int, int], int] = {}
        for backup in chosen:
            seen.update(per_backup.get(backup.path, {}))
        return sum(size for key, size in seen.items() if key not in live)

    return measure


def _remove_leftovers(db_path: Path, now: dt.datetime) -> None:
    places = [(paths.backups_dir(db_path), PARTIAL_PREFIX),
              (db_path.parent, f".{db_path.stem}-restore-")]
    for folder, prefix in places:
        with contextlib.suppress(OSError):
            for entry in folder.iterdir():
                if not entry.name.startswith(prefix):
                    continue
                with contextlib.suppress(OSError):
                    age = now - dt.datetime.fromtimestamp(entry.stat().st_mtime).astimezone()
                    if age > LEFTOVER_AGE:
                        shutil.rmtree(entry, ignore_errors=True)


# -- a single file: perr-desktop backup -o FILE -----------------------------------------

def export_backup(db_path: Path, target: Path, *, now: dt.datetime | None = None) -> Path:
    """Write a backup of ``db_path`` as one file: a zip holding the same tree as a backup
    folder (``backup.json``, ``database.sqlite``, ``media/…``), or — when the database
    has no media files and ``target`` does not end in ``.zip`` — just the SQLite file.
    The target is replaced only once the new file is complete."""
    db_path, target = Path(db_path).expanduser(), Path(target).expanduser()
    with user_errors(target.parent):
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))
    try:
        with open_as_is(db_path) as db, user_errors(target):
            manifest = _fill_for_export(db, work, now)
            if manifest["sizes"]["media_files"] == 0 and target.suffix.lower() != ".zip":
                os.replace(work / DATABASE, target)
            else:
                _write_zip(work / "backup.zip", work, db.media_dir)
                os.replace(work / "backup.zip", target)
            _fsync_dir(target.parent)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _fill_for_export(db: Database, work: Path, now: dt.datetime | None) -> dict:
    """backup.json and database.sqlite in ``work``; media counted, not copied (they go
    straight into the zip)."""
    database = db.backup_to(work / DATABASE)
    counts, version = _read_counts(database)
    files = list(_media_files(db.media_dir))
    manifest = {
        "format": FORMAT_VERSION, "app_version": __version__, "schema_version": version,
        "created_at": _local(now).isoformat(timespec="seconds"), "reason": MANUAL,
        "database": DATABASE, "source": db.path.name, "counts": counts,
        "sizes": {"database": database.stat().st_size,
                  "media": sum(f.stat().st_size for f, _r in files),
                  "media_files": len(files)},
    }
    _write_json(work / MANIFEST, manifest)
    return manifest


def _write_zip(target: Path, work: Path, media_root: Path) -> None:
    with zipfile.ZipFile(target, "w", allowZip64=True) as archive:
        archive.write(work / MANIFEST, MANIFEST, zipfile.ZIP_DEFLATED)
        archive.write(work / DATABASE, DATABASE, zipfile.ZIP_DEFLATED)
        for file, relative in _media_files(media_root):
            # JPEG is compressed already: stored as is.
            archive.write(file, f"{MEDIA}/{relative}", zipfile.ZIP_STORED)
    with target.open("rb+") as fh:
        os.fsync(fh.fileno())


# -- restoring ------------------------------------------------------------------------

def _damaged_backup(path: Path) -> UserError:
    return UserError(_("The backup %(path)s is damaged or incomplete: it cannot be "
                       "restored. Nothing was changed.") % {"path": path})


def _unpack(source: Path, work: Path) -> tuple[Path, Path | None]:
    """The database file and media folder of a backup folder, zip or SQLite file; a zip
    is unpacked into ``work`` (only the names a backup holds: nothing else is written)."""
    if source.is_dir():
        database = source / DATABASE
        if not database.is_file():
            raise _damaged_backup(source)
        media = source / MEDIA
        return database, media if media.is_dir() else None
    with user_errors(source), source.open("rb") as fh:
        head = fh.read(len(SQLITE_HEADER))
    if head == SQLITE_HEADER:
        return source, None
    if not head.startswith(_ZIP_HEADER):
        raise UserError(_("%(path)s is not a PERR Desktop backup.") % {"path": source})
    try:
        with zipfile.ZipFile(source) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            wanted = [m for m in members if _wanted_member(m.filename)]
            if DATABASE not in {m.filename for m in wanted}:
                raise _damaged_backup(source)
            needed = sum(m.file_size for m in wanted)
            with user_errors(work):
                work.mkdir(parents=True, exist_ok=True)
                if shutil.disk_usage(work).free < needed + 50 * 1024 * 1024:
                    raise UserError(_("The disk is full: free some space, then try again."))
                for member in wanted:
                    dest = work.joinpath(*member.filename.split("/"))
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(member) as src, dest.open("wb") as out:
                        shutil.copyfileobj(src, out, 1024 * 1024)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise _damaged_backup(source) from None
    media = work / MEDIA
    return work / DATABASE, media if media.is_dir() else None


def _wanted_member(name: str) -> bool:
    if name in (DATABASE, MANIFEST):
        return True
    parts = name.split("/")
    return (len(parts) == 3 and parts[0] == MEDIA and bool(_MEDIA_FOLDER.match(parts[1]))
            and bool(_MEDIA_NAME.match(parts[2])))


def verify(database: Path, shown_as: Path | None = None) -> int:
    """Check a backup's database (header, integrity, ours, not from a newer version);
    returns its schema version, or raises :class:`UserError`."""
    shown_as = shown_as or database
    try:
        _check_header(database)
        with read_only(database) as conn:
            integrity = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except (NotADatabaseError, sqlite3.Error):
        raise _damaged_backup(shown_as) from None
    except UserError:
        raise
    if integrity != ["ok"] or database.stat().st_size == 0:
        raise _damaged_backup(shown_as)
    if version == 0 or application_id != migrations.APPLICATION_ID:
        raise UserError(_("%(path)s is not a PERR Desktop backup.") % {"path": shown_as})
    if version > migrations.LATEST_VERSION:
        raise NewerSchemaError(
            _("The backup %(path)s was made by a newer version of PERR Desktop (schema "
              "%(found)d; this version knows up to %(known)d): install the latest version "
              "to restore it.")
            % {"path": shown_as, "found": version, "known": migrations.LATEST_VERSION})
    return version


def quick_problem(db_path: Path, cancelled: Cancelled | None = None) -> str | None:
    """What is wrong with the database file, for the check at start (``PRAGMA
    quick_check``); None when it looks whole, or is not ours to judge (missing, newer,
    foreign: opening it says so), or when ``cancelled`` stopped the check."""
    db_path = Path(db_path)
    try:
        if not db_path.is_file():
            return None
        if db_path.stat().st_size == 0:
            # Empty: a new database, unless there are backups to come back to.
            return _("the file is empty") if any(b.ok for b in list_backups(db_path)) else None
        with db_path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
        if header != SQLITE_HEADER:
            return _("the file is not an SQLite database any more")
        with read_only(db_path) as conn:
            if cancelled is not None:  # interrupts the check (« interrupted » is no damage)
                conn.set_progress_handler(lambda: 1 if cancelled() else 0, 10_000)
            result = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    except sqlite3.DatabaseError as exc:
        if _is_damage(exc):
            return str(exc)
        return None  # locked, unreadable…: not damage; opening it will say what is wrong
    except (OSError, UserError):
        return None  # unreadable for another reason (permissions…): opening will say why
    return None if result == ["ok"] else "; ".join(result)


def _is_damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def latest_good_backup(db_path: Path) -> BackupInfo | None:
    """The newest backup that passes :func:`verify`."""
    for backup in list_backups(db_path):
        if not backup.ok:
            continue
        database = backup.path / DATABASE if backup.path.is_dir() else backup.path
        try:
            verify(database, backup.path)
        except UserError:
            continue
        return backup
    return None


def aside_name(db_path: Path, now: dt.datetime | None = None) -> Path:
    """Where :func:`copy_aside` puts the copy: ``<stem>-damaged-<time>.sqlite``."""
    db_path = Path(db_path)
    stamp = _local(now).strftime(STAMP_FORMAT)
    return _free_name(db_path.parent, f"{db_path.stem}-damaged-{stamp}{db_path.suffix}")


def copy_aside(db_path: Path, *, now: dt.datetime | None = None) -> Path:
    """Copy a (damaged) database file, and its -wal, beside it as
    ``<stem>-damaged-<time>.sqlite``: nothing is overwritten without a copy."""
    db_path = Path(db_path)
    target = aside_name(db_path, now)
    with user_errors(target):
        _copy_file(db_path, target)
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists():
            _copy_file(wal, target.with_name(target.name + "-wal"))
    return target


def _copy_file(source: Path, target: Path) -> None:
    with source.open("rb") as src, target.open("wb") as out:
        shutil.copyfileobj(src, out, 1024 * 1024)
        out.flush()
        os.fsync(out.fileno())


@dataclass
class PreparedRestore:
    """A restore whose slow part is done (backup verified and copied beside the target,
    former state backed up, missing media in place): :meth:`commit` swaps the file in.
    Every connection to the database must be closed before the commit."""

    db_path: Path
    staged: Path
    work: Path
    before: Path | None
    source: Path

    def commit(self) -> None:
        """Replace the database by the staged copy (quick; -wal/-shm dealt with)."""
        db_path = self.db_path
        with lock.hold(db_path, "restore"):
            _checkpoint(db_path)
            moved = []
            try:
                with user_errors(db_path):
                    # A -wal left beside the new file would be replayed into it: set aside.
                    for suffix in ("-wal", "-shm", "-journal"):
                        side = db_path.with_name(db_path.name + suffix)
                        if side.exists():
                            aside = self.work / f"former{suffix}"
                            os.replace(side, aside)
                            moved.append((aside, side))
                    os.replace(self.staged, db_path)
            except BaseException:
                for aside, side in reversed(moved):
                    with contextlib.suppress(OSError):
                        os.replace(aside, side)
                raise
            with contextlib.suppress(OSError):
                _fsync_dir(db_path.parent)
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


def _checkpoint(db_path: Path) -> None:
    """Fold the -wal into the database (the -wal is then empty); harmless if it fails."""
    if not db_path.is_file():
        return
    with contextlib.suppress(sqlite3.Error, OSError):
        conn = sqlite3.connect(str(db_path), isolation_level=None, timeout=1)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()


def prepare_restore(backup_path: Path, db_path: Path, *,
                    now: dt.datetime | None = None) -> PreparedRestore:
    """Everything of :func:`restore` but the swap; a damaged backup raises
    :class:`UserError` and nothing is changed."""
    source, db_path = Path(backup_path).expanduser(), Path(db_path).expanduser()
    if not source.exists():
        raise UserError(_("File not found: %(path)s.") % {"path": source})
    with lock.hold(db_path, "restore"):
        with user_errors(db_path.parent):
            db_path.parent.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(dir=db_path.parent,
                                         prefix=f".{db_path.stem}-restore-"))
        try:
            database, media = _unpack(source, work / "unpacked")
            verify(database, source)
            staged = work / db_path.name
            _copy_database(database, staged, source)
            before = None
            if db_path.is_file() and db_path.stat().st_size > 0:
                before = _backup_current(db_path, now)
            if media is not None:
                with user_errors(paths.media_dir(db_path)):
                    _link_tree(media, paths.media_dir(db_path), only_missing=True)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    return PreparedRestore(db_path, staged, work, before, source)


def _copy_database(database: Path, staged: Path, shown_as: Path) -> None:
    """The backup's database beside the target, through the backup API, checked."""
    with read_only(database) as src, user_errors(staged):
        dest = sqlite3.connect(str(staged), isolation_level=None)
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            ok = dest.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            dest.close()
    if not ok:
        raise _damaged_backup(shown_as)


def _backup_current(db_path: Path, now: dt.datetime | None) -> Path:
    """A backup of the database about to be replaced: through the backup API if it can
    be read, else (damaged) a byte copy of its files, marked as such."""
    if quick_problem(db_path) is None:
        try:
            with open_as_is(db_path) as current:
                return make_backup(current, RESTORE, now=now)
        except NotADatabaseError:
            pass
    return _raw_backup(db_path, now)


def _raw_backup(db_path: Path, now: dt.datetime | None) -> Path:
    now = _local(now)
    target_dir = paths.backups_dir(db_path)
    with user_errors(target_dir):
        target_dir.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(dir=target_dir, prefix=PARTIAL_PREFIX))
        try:
            _copy_file(db_path, building / DATABASE)
            wal = db_path.with_name(db_path.name + "-wal")
            if wal.exists():
                _copy_file(wal, building / f"{DATABASE}-wal")
            files, media_bytes = _link_tree(paths.media_dir(db_path), building / MEDIA)
            _write_json(building / MANIFEST, {
                "format": FORMAT_VERSION, "app_version": __version__, "schema_version": None,
                "created_at": now.isoformat(timespec="seconds"), "reason": RESTORE,
                "database": DATABASE, "source": db_path.name, "damaged": True, "counts": {},
                "sizes": {"database": (building / DATABASE).stat().st_size,
                          "media": media_bytes, "media_files": files}})
            final = _free_name(target_dir, f"{now.strftime(STAMP_FORMAT)}_"
                                           f"{_slug(RESTORE, None)}-damaged")
            os.rename(building, final)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
    return final


def restore(backup_path: Path, db_path: Path, *, now: dt.datetime | None = None
            ) -> Path | None:
    """Replace the database at ``db_path`` by a backup (folder, zip, or SQLite file).

    First the backup is verified (a damaged one raises :class:`UserError`, nothing
    changed), then the current state is backed up (reason « before restore »), the media
    files the backup has and the media folder lacks are added (none is ever deleted), and
    the database file is replaced in one rename, its -wal and -shm set aside so that
    nothing stale is replayed into it. Refused while another program has the database
    open. Returns the backup of the former state (None when there was no database)."""
    prepared = prepare_restore(backup_path, db_path, now=now)
    try:
        prepared.commit()
    finally:
        prepared.discard()
    return prepared.before

"""Exchange packages between laptops: export, safe reading, merge, conflicts, shared folder.

A package is one zip (``.perrpack``) described in ``docs/exchange-format.md``: a
``manifest.json``, the records as JSON lines (``records/<table>.jsonl``, every column),
the sender's merge bases (``sync/bases.jsonl``) and the images (``media/<sha256>.jpg``
and ``media/<sha256>-thumb.jpg``). No Qt here: the GUI runs :func:`import_package` in a
worker thread with its own connection.

Merging is a three-way merge per field. The *base* of a record is the version both
databases held at their last exchange: this database remembers the versions it took from
each peer (``sync_records``), and each package carries what its sender took from each of
its peers, so the first package coming back from a laptop that was started from ours
already has a base. A field changed on one side only is taken from that side; a field
changed on both sides to different values makes a conflict (``conflicts``), left for the
user to settle with :func:`settle_conflict`; nothing is silently lost. The whole import is
one transaction; images are staged in the media folder under temporary names and moved
into place only once the transaction has committed.

A package is read as hostile until proven otherwise: paths, links, duplicate names, zip
bombs (declared sizes, ratios and the bytes actually read), checksums, the manifest, each
JSON line, each field's type and size, the tables and columns, and finally every
reference (``PRAGMA foreign_key_check`` before the commit). The first problem found
refuses the whole package with one sentence; the database and the media folder are left
exactly as they were.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import sqlite3
import stat
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perr_desktop import __version__, i18n, paths
from perr_desktop.domain.meetings import AgeBand, age_band
from perr_desktop.domain.people import display_name
from perr_desktop.domain.text import search_key
from perr_desktop.errors import UserError, user_errors
from perr_desktop.i18n import N_, _, ngettext
from perr_desktop.storage import media, migrations, records
from perr_desktop.storage.database import read_snapshot

FORMAT = "perr-desktop-exchange"
FORMAT_VERSION = 1
SUFFIX = ".perrpack"

# -- limits (a package is read as hostile until proven otherwise) ----------------------------
KIB, MIB, GIB = 1024, 1024 ** 2, 1024 ** 3
MAX_ENTRIES = 200_000                 # files in one zip (two per image)
MAX_TOTAL_BYTES = 16 * GIB            # everything, unpacked
MAX_MANIFEST_BYTES = 1 * MIB
MAX_RECORDS_BYTES = 512 * MIB         # one records file, or the bases, unpacked
MAX_MEDIA_BYTES = 64 * MIB            # one image
MAX_RATIO = 100                       # unpacked / packed; our JSON lines pack about 8 to 1
RATIO_FLOOR = 1 * MIB                 # below this size a high ratio cannot hurt
MAX_LINE_BYTES = 8 * MIB
MAX_FIELD_CHARS = 1_000_000           # one text field (the forms cap them at 10 000)
_CHUNK = 256 * KIB

# Tables of this database that never travel (the search index, migration 6, is made
# from the records by triggers, on each laptop).
LOCAL_TABLES = frozenset({"meta", "sync_state", "sync_records", "conflicts", "pseudonyms",
                          "search_map", "search_fts", "search_fts_data", "search_fts_idx",
                          "search_fts_content", "search_fts_docsize", "search_fts_config"})
# Reference rows (ids derived from codes): always sent whole, so that codes resolve.
REFERENCE_TABLES = ("neighbourhoods", "vocabulary", "perr_objectives")
_RECORD_COLUMNS = ("id", "created_at", "updated_at", "deleted_at")
# Columns computed from others: recomputed after a merge, never a conflict of their own.
_DERIVED = {"people": ("search_key", "sort_key")}
# Columns a conflict never involves (the versions' own bookkeeping).
_BOOKKEEPING = frozenset({"id", "created_at", "updated_at"})

_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-]{0,63}$")
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+\-]\d{2}:\d{2})$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ENTRY = re.compile(r"^(manifest\.json|sync/bases\.jsonl|records/[a-z][a-z0-9_]{0,62}\.jsonl"
                    r"|media/[0-9a-f]{64}(-thumb)?\.jpg)$")
_DIRECTORY_ENTRIES = frozenset({"records/", "media/", "sync/"})
_JPEG = b"\xff\xd8\xff"
_INT_MIN, _INT_MAX = -(2 ** 63), 2 ** 63 - 1

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


class PackageRefused(UserError):
    """A package that cannot be imported; the message says why in one sentence,
    ``reason`` is that sentence's second half."""

    reason = ""


def _refused(package: Path | str, reason: str) -> PackageRefused:
    error = PackageRefused(
        _("The package %(name)s was refused and nothing was changed: %(reason)s.")
        % {"name": Path(package).name, "reason": reason})
    error.reason = reason
    return error


def _shown(text: str, limit: int = 80) -> str:
    """An entry name from a package, safe to print on one line."""
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _now() -> str:
    return records.now_utc()  # through the module: tests replace the clock there


# == the schema, read from the database itself ===============================================

@dataclass(frozen=True)
class _Column:
    name: str
    type: str          # TEXT, INTEGER or REAL (every exchanged table is STRICT)
    notnull: bool
    has_default: bool


@dataclass
class _Table:
    name: str
    columns: dict[str, _Column]
    # (column, referenced table, referenced column)
    references: list[tuple[str, str, str]]
    # UNIQUE constraints other than the id: the same thing made twice on two laptops
    uniques: list[tuple[str, ...]]


def _schema(db) -> dict[str, _Table]:
    """Every table that travels, parents before children (by their foreign keys)."""
    names = [r["name"] for r in db.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY rowid")]
    tables: dict[str, _Table] = {}
    for name in names:
        if name in LOCAL_TABLES:
            continue
        columns = {}
        for c in db.query(f'PRAGMA table_info("{name}")'):
            columns[c["name"]] = _Column(c["name"], (c["type"] or "").upper(),
                                         bool(c["notnull"]) or bool(c["pk"]),
                                         c["dflt_value"] is not None)
        if not all(c in columns for c in _RECORD_COLUMNS):
            continue
        references = [(r["from"], r["table"], r["to"] or "id")
                      for r in db.query(f'PRAGMA foreign_key_list("{name}")')]
        uniques = []
        for index in db.query(f'PRAGMA index_list("{name}")'):
            if index["unique"] and index["origin"] == "u":
                cols = tuple(r["name"] for r in db.query(f'PRAGMA index_info("{index["name"]}")'))
                uniques.append(cols)
        tables[name] = _Table(name, columns, references, uniques)
    return _ordered(tables)


def _ordered(tables: dict[str, _Table]) -> dict[str, _Table]:
    ordered: dict[str, _Table] = {}
    pending = list(tables)
    while pending:
        for name in pending:
            parents = {t for _c, t, _r in tables[name].references if t != name and t in tables}
            if parents <= ordered.keys():
                ordered[name] = tables[name]
                pending.remove(name)
                break
        else:  # a cycle between tables: keep creation order for the rest
            for name in pending:
                ordered[name] = tables[name]
            break
    return ordered


# == this database's identity ================================================================

def database_id(db) -> str:
    """The random id naming this database in its packages (made on first use)."""
    value = db.scalar("SELECT value FROM meta WHERE key = 'database_id'")
    if value:
        return value
    with db.transaction():
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('database_id', ?)",
                   (str(uuid.uuid4()),))
    return db.scalar("SELECT value FROM meta WHERE key = 'database_id'")


def database_name(db) -> str:
    """How the other laptops see this one: set by the user, else the computer's name."""
    value = db.scalar("SELECT value FROM meta WHERE key = 'database_name'")
    return value or platform.node() or "PERR Desktop"


def set_database_name(db, name: str) -> None:
    name = " ".join(str(name).split())[:80]
    with db.transaction():
        if name:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('database_name', ?)",
                       (name,))
        else:
            db.execute("DELETE FROM meta WHERE key = 'database_name'")


def is_anonymized(db) -> bool:
    """Whether this database was made from anonymised packages (a partner's copy)."""
    return db.scalar("SELECT value FROM meta WHERE key = 'anonymized'") == "1"


def _holds_records(db, schema: dict[str, _Table]) -> bool:
    return any(db.scalar(f'SELECT 1 FROM "{t}" LIMIT 1') for t in schema
               if t not in REFERENCE_TABLES)


# == writing a package =======================================================================

@dataclass
class ExportSummary:
    path: Path
    counts: dict[str, int]
    media: int
    anonymized: bool
    council_id: str | None

    def summary(self) -> str:
        records_count = sum(self.counts.values())
        text = ngettext("%(count)s record", "%(count)s records", records_count) % {
            "count": records_count}
        text += ", " + ngettext("%(count)s image", "%(count)s images", self.media) % {
            "count": self.media}
        return _("Package written to %(path)s (%(contents)s).") % {
            "path": self.path, "contents": text}


def export_package(db, target: Path | str, *, council_id: str | None = None,
                   anonymize: bool = False, progress: Progress | None = None,
                   cancelled: Cancelled | None = None) -> ExportSummary:
    """Write the whole database, or one council with what it needs, to ``target``.

    ``anonymize`` writes a package for a partner: no names, contact details or free-text
    personal fields, no identifiable photo (docs/exchange-format.md says exactly what).
    A database made from anonymised packages always writes anonymised ones. The file
    appears complete or not at all (written aside, then renamed).
    """
    target = Path(target).expanduser()
    schema = _schema(db)
    anonymize = anonymize or is_anonymized(db)
    if council_id is not None and db.query_one(
            "SELECT id FROM councils WHERE id = ?", (council_id,)) is None:
        raise UserError(_("No council has the id %(id)s.") % {"id": council_id})
    own_id = database_id(db)
    if anonymize:
        _assign_pseudonyms(db)
    # One read transaction: a consistent picture even if the window writes meanwhile.
    with read_snapshot(db):
        rows = _collect(db, schema, council_id, anonymize)
        if anonymize:
            _anonymize(db, rows)
        bases = [] if anonymize else _bases_for(db, rows)
        council_name = (db.scalar("SELECT name FROM councils WHERE id = ?", (council_id,))
                        if council_id else None)
    media_rows = rows.get("media", [])
    created_at = _now()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "schema_version": migrations.LATEST_VERSION,
        "created_at": created_at,
        "database_id": own_id,
        "database_name": database_name(db),
        "scope": ({"kind": "council", "council_id": council_id, "council_name": council_name}
                  if council_id else {"kind": "all"}),
        "anonymized": anonymize,
        "records": {name: len(rows.get(name, [])) for name in schema},
        "media": 0,
        "files": {},
    }
    with user_errors(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                       suffix=".partial")
        os.close(fd)
    written = 0
    try:
        with user_errors(target), zipfile.ZipFile(partial, "w") as zf:
            steps = len(schema) + len(media_rows)
            for done, name in enumerate(schema, start=1):
                _check_cancel(cancelled)
                data = "".join(_json_line(row) for row in rows.get(name, [])).encode("utf-8")
                _add(zf, manifest, f"records/{name}.jsonl", data, compress=True)
                if progress:
                    progress(done, steps, name)
            if bases:
                data = "".join(_json_line(b) for b in bases).encode("utf-8")
                _add(zf, manifest, "sync/bases.jsonl", data, compress=True)
            for done, row in enumerate(media_rows, start=len(schema) + 1):
                _check_cancel(cancelled)
                sha = row["sha256"]
                working = media.working_path(db.path, sha)
                thumbnail = media.thumbnail_path(db.path, sha)
                if working.is_file():
                    _add(zf, manifest, f"media/{sha}.jpg", working.read_bytes())
                    written += 1
                    if thumbnail.is_file():
                        _add(zf, manifest, f"media/{sha}-thumb.jpg", thumbnail.read_bytes())
                if progress:
                    progress(done, steps, row.get("original_name") or sha[:12])
            manifest["media"] = written
            info = zipfile.ZipInfo("manifest.json", _zip_time(created_at))
            info.external_attr = 0o100644 << 16
            zf.writestr(info, json.dumps(manifest, ensure_ascii=False, indent=2),
                        compress_type=zipfile.ZIP_DEFLATED)
        with user_errors(target):
            with open(partial, "rb+") as fh:
                os.fsync(fh.fileno())
            os.chmod(partial, 0o644)  # mkstemp's 0600 would hide it from a shared drive
            os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise
    return ExportSummary(target, {k: v for k, v in manifest["records"].items() if v},
                         written, anonymize, council_id)



def _json_line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def _zip_time(stamp: str) -> tuple[int, int, int, int, int, int]:
    try:
        moment = dt.datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return (1980, 1, 1, 0, 0, 0)
    return (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute,
            moment.second)


def _add(zf: zipfile.ZipFile, manifest: dict, name: str, data: bytes,
         compress: bool = False) -> None:
    info = zipfile.ZipInfo(name, _zip_time(manifest["created_at"]))
    info.external_attr = 0o100644 << 16   # a plain file, never a link
    zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED if compress
                else zipfile.ZIP_STORED)
    manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def _check_cancel(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise UserError(_("Cancelled: nothing was written or changed."))


# -- what goes in ------------------------------------------------------------------------

# The tables whose rows the one-council scope knows how to choose, and the anonymiser how
# to clean. A table added later travels in whole-database packages only, until it is
# added here.
_COUNCIL_SCOPE = (
    "councils", "council_neighbourhoods", "memberships", "people", "meetings",
    "meeting_guest_councils", "meeting_objectives", "agenda_items", "attendance",
    "headcounts", "decisions", "actions", "action_updates", "amendments", "media", "walks",
    "walk_stops", "walk_participants", "observations", "photos", "followups",
    "followup_steps", *REFERENCE_TABLES,
)


def _collect(db, schema: dict[str, _Table], council_id: str | None,
             anonymize: bool) -> dict[str, list[dict[str, Any]]]:
    """The rows of the package, tombstones included (a deletion must travel), then
    every row they refer to, so that every reference resolves on the other side."""
    known = [t for t in schema if t in _COUNCIL_SCOPE] if (council_id or anonymize) \
        else list(schema)
    if council_id is None:
        chosen = {t: {r["id"] for r in db.query(f'SELECT id FROM "{t}"')} for t in known}
    else:
        chosen = _council_ids(db, council_id)
        for table in REFERENCE_TABLES:
            chosen[table] = {r["id"] for r in db.query(f'SELECT id FROM "{table}"')}
    if anonymize:
        # A partner gets live records only, no identifiable photo, no amendment (the
        # minutes' corrections are free text that may name residents).
        for table in chosen:
            if table in REFERENCE_TABLES:
                continue
            dead = {r["id"] for r in db.query(
                f'SELECT id FROM "{table}" WHERE deleted_at IS NOT NULL')}
            chosen[table] -= dead
        chosen["amendments"] = set()
        chosen["photos"] -= {r["id"] for r in db.query(
            "SELECT id FROM photos WHERE identifiable = 1")}
        # Images travel only with what uses them.
        chosen["media"] = set()
    if council_id is not None or anonymize:
        _close_references(db, schema, chosen)
    if anonymize:  # a table the anonymiser does not know never leaves
        chosen = {t: ids for t, ids in chosen.items() if t in _COUNCIL_SCOPE}
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in schema:
        ids = chosen.get(table)
        if not ids:
            continue
        clause, params = _in(ids)
        rows[table] = db.query(f'SELECT * FROM "{table}" WHERE id IN {clause} '
                               "ORDER BY created_at, id", params)
    return rows


def _ids(db, sql: str, params: tuple | list = ()) -> set[str]:
    return {r["id"] for r in db.query(sql, params)}


def _in(ids: set[str]) -> tuple[str, list[str]]:
    """An IN clause for a set of ids, through a JSON array (no limit on how many)."""
    return "(SELECT value FROM json_each(?))", [json.dumps(sorted(ids))]


def _council_ids(db, council_id: str) -> dict[str, set[str]]:
    """One council: itself, its neighbourhoods and memberships, its meetings and those it
    is invited to with everything recorded in them, its actions, its walks with
    everything recorded in them. The people, councils, images… they refer to follow."""
    chosen: dict[str, set[str]] = {t: set() for t in _COUNCIL_SCOPE}
    chosen["councils"] = {council_id}
    chosen["council_neighbourhoods"] = _ids(
        db, "SELECT id FROM council_neighbourhoods WHERE council_id = ?", (council_id,))
    chosen["memberships"] = _ids(db, "SELECT id FROM memberships WHERE council_id = ?",
                                 (council_id,))
    meetings = _ids(db, "SELECT id FROM meetings WHERE council_id = ?", (council_id,))
    meetings |= {r["meeting_id"] for r in db.query(
        "SELECT meeting_id FROM meeting_guest_councils WHERE council_id = ?", (council_id,))}
    chosen["meetings"] = meetings
    clause, params = _in(meetings)
    for table in ("meeting_guest_councils", "meeting_objectives", "agenda_items",
                  "attendance", "headcounts", "decisions", "amendments"):
        chosen[table] = _ids(db, f"SELECT id FROM {table} WHERE meeting_id IN {clause}",
                             params)
    actions = _ids(db, f"SELECT id FROM actions WHERE council_id = ? OR meeting_id IN {clause}",
                   [council_id, *params])
    chosen["actions"] = actions
    clause_a, params_a = _in(actions)
    chosen["action_updates"] = _ids(
        db, f"SELECT id FROM action_updates WHERE action_id IN {clause_a}", params_a)
    walks = _ids(db, "SELECT id FROM walks WHERE council_id = ?", (council_id,))
    chosen["walks"] = walks
    clause_w, params_w = _in(walks)
    for table in ("walk_stops", "walk_participants", "observations", "photos"):
        chosen[table] = _ids(db, f"SELECT id FROM {table} WHERE walk_id IN {clause_w}",
                             params_w)
    clause_o, params_o = _in(chosen["observations"])
    chosen["followups"] = _ids(
        db, f"SELECT id FROM followups WHERE observation_id IN {clause_o}", params_o)
    clause_f, params_f = _in(chosen["followups"])
    chosen["followup_steps"] = _ids(
        db, f"SELECT id FROM followup_steps WHERE followup_id IN {clause_f}", params_f)
    return chosen


def _close_references(db, schema: dict[str, _Table], chosen: dict[str, set[str]]) -> None:
    """Add every row a chosen row refers to (only those rows, not their own children),
    until nothing is missing. Each round looks only at the rows the previous one added:
    a chain of references (each meeting's minutes approved at the next one) costs a few
    small queries per link, not a pass over everything chosen (issue 7)."""
    new = {table: set(ids) for table, ids in chosen.items() if ids}
    while new:
        found: dict[str, set[str]] = {}
        for table in schema:
            ids = new.get(table)
            if not ids:
                continue
            clause, params = _in(ids)
            for column, parent, parent_column in schema[table].references:
                if parent not in schema:
                    continue
                values = {r["v"] for r in db.query(
                    f'SELECT DISTINCT "{column}" AS v FROM "{table}" '
                    f'WHERE id IN {clause} AND "{column}" IS NOT NULL', params)}
                if not values:
                    continue
                if parent_column == "id":
                    wanted = values
                else:
                    clause_v, params_v = _in(values)
                    wanted = _ids(db, f'SELECT id FROM "{parent}" '
                                      f'WHERE "{parent_column}" IN {clause_v}', params_v)
                have = chosen.setdefault(parent, set())
                fresh = wanted - have
                if fresh:
                    have |= fresh
                    found.setdefault(parent, set()).update(fresh)
        new = found


def _bases_for(db, rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """What this database took from each peer, for the records in the package: the base
    the receiver merges against (docs/exchange-format.md, « Fusion »)."""
    out = []
    ids = {(t, r["id"]) for t, table_rows in rows.items() for r in table_rows}
    for row in db.query("SELECT * FROM sync_records ORDER BY peer_id, table_name, record_id"):
        if (row["table_name"], row["record_id"]) in ids:
            out.append({"peer": row["peer_id"], "table": row["table_name"],
                        "id": row["record_id"], "updated_at": row["updated_at"],
                        "fields": json.loads(row["fields"])})
    return out


# -- anonymised packages -------------------------------------------------------------------

PSEUDONYM = N_("Participant %(number)d")
# Free-text columns emptied in an anonymised package: notes may name residents.
_EMPTIED = {
    "people": ("first_name", "email", "phone", "address", "notes"),
    "councils": ("notes",),
    "memberships": ("notes",),
    "meetings": ("notes",),
    "agenda_items": ("notes", "presenter"),
    "attendance": ("note",),
    "action_updates": ("note",),
    "walks": ("notes",),
    "walk_stops": ("notes",),
    "photos": ("caption",),
    "media": ("original_name", "camera"),
    "followup_steps": ("note",),
}
_BAND_LOWER_AGE = {AgeBand.DE_16_A_25: 16, AgeBand.DE_26_A_59: 26, AgeBand.PLUS_60: 60}


def _assign_pseudonyms(db) -> None:
    """Give every person, and every walk participant who is not a person of the
    directory, a number of their own, kept from one export to the next."""
    with db.transaction():
        subjects = db.query(
            "SELECT id FROM (SELECT id, created_at FROM people UNION ALL "
            "SELECT id, created_at FROM walk_participants WHERE person_id IS NULL) "
            "WHERE id NOT IN (SELECT subject_id FROM pseudonyms) ORDER BY created_at, id")
        number = db.scalar("SELECT coalesce(max(number), 0) FROM pseudonyms")
        for row in subjects:
            number += 1
            db.execute("INSERT INTO pseudonyms (subject_id, number) VALUES (?, ?)",
                       (row["id"], number))


def _anonymize(db, rows: dict[str, list[dict[str, Any]]]) -> None:
    numbers = {r["subject_id"]: r["number"] for r in db.query("SELECT * FROM pseudonyms")}
    today = dt.date.today()
    # The pseudonym is written in French whatever the interface: packages are data.
    french = i18n.translator("fr")
    for table, table_rows in rows.items():
        for row in table_rows:
            for column in _EMPTIED.get(table, ()):
                if column in row:
                    row[column] = ""
    for row in rows.get("people", []):
        row["last_name"] = french.gettext(PSEUDONYM) % {"number": numbers.get(row["id"], 0)}
        row["search_key"] = search_key(row["last_name"], row.get("organisation", ""))
        row["sort_key"] = f"{search_key(row['last_name'])}\x1f"
        row["birth_year"] = _blurred_birth_year(row.get("birth_year"), today)
    for row in rows.get("walk_participants", []):
        if row.get("person_id"):
            row["name"] = ""
        else:
            row["name"] = french.gettext(PSEUDONYM) % {"number": numbers.get(row["id"], 0)}


def _blurred_birth_year(year: int | None, today: dt.date) -> int | None:
    """The year of birth of the youngest age of the person's band on the day of the
    export (1987 → 2000 in 2026: « 26 to 59 »); removed for the under-16s."""
    if year is None:
        return None
    lower = _BAND_LOWER_AGE.get(age_band(year, today))
    return None if lower is None else today.year - lower


# == reading a package safely =================================================================

class _Zip:
    """A package opened for reading, its entries checked before anything is read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_total = 0
        if not path.exists():
            raise UserError(_("File not found: %(path)s.") % {"path": path})
        if not path.is_file() or path.stat().st_size == 0:
            raise _refused(path, _("it is not an exchange package (an empty file or not a "
                                   "file)"))
        with user_errors(path):
            self._fh = path.open("rb")
        try:
            self._count_entries()
            try:
                self.zf = zipfile.ZipFile(self._fh)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError,
                    NotImplementedError):
                raise _refused(path, _("it is not an exchange package (not a zip file, or a "
                                       "damaged one)")) from None
            self.infos = self._check_entries()
        except BaseException:
            self._fh.close()
            raise

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.zf.close()
        self._fh.close()

    def __enter__(self) -> _Zip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _count_entries(self) -> None:
        """The number of entries, from the end record, before zipfile reads them all."""
        try:
            end = zipfile._EndRecData(self._fh)  # the stdlib's own reader (private)
        except (OSError, ValueError, zipfile.BadZipFile):
            end = None
        except AttributeError:  # a future Python without it: zipfile's own checks remain
            return
        if not end:
            raise _refused(self.path, _("it is not an exchange package (not a zip file, or "
                                        "a damaged one)"))
        count = end[zipfile._ECD_ENTRIES_TOTAL]
        if count > MAX_ENTRIES:
            raise _refused(self.path, _("it holds too many files (%(count)s, at most "
                                        "%(max)s)") % {"count": count, "max": MAX_ENTRIES})

    def _check_entries(self) -> dict[str, zipfile.ZipInfo]:
        infos: dict[str, zipfile.ZipInfo] = {}
        folded: set[str] = set()
        total = 0
        entries = self.zf.infolist()
        if len(entries) > MAX_ENTRIES:
            raise _refused(self.path, _("it holds too many files (%(count)s, at most "
                                        "%(max)s)") % {"count": len(entries), "max": MAX_ENTRIES})
        for info in entries:
            raw = info.orig_filename
            shown = _shown(raw)
            parts = re.split(r"[\\/]", raw)
            if (raw.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", raw)
                    or "\x00" in raw or ".." in parts):
                raise _refused(self.path, _("it holds a file whose path leaves its folder "
                                            "(%(entry)s)") % {"entry": shown})
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise _refused(self.path, _("it holds a link (%(entry)s)") % {"entry": shown})
            if raw != info.filename or (not _ENTRY.match(raw)
                                        and raw not in _DIRECTORY_ENTRIES):
                raise _refused(self.path, _("it holds an unexpected file (%(entry)s)")
                               % {"entry": shown})
            if raw in infos or raw.casefold() in folded:
                raise _refused(self.path, _("it holds the file %(entry)s twice")
                               % {"entry": shown})
            folded.add(raw.casefold())
            if raw in _DIRECTORY_ENTRIES:
                continue
            if info.flag_bits & 0x1:
                raise _refused(self.path, _("it holds an encrypted file (%(entry)s)")
                               % {"entry": shown})
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _refused(self.path, _("it holds a file compressed in an unexpected way "
                                            "(%(entry)s)") % {"entry": shown})
            limit = _limit_for(raw)
            if info.file_size > limit:
                raise _refused(self.path, _("the file %(entry)s would be too large once "
                                            "unpacked") % {"entry": shown})
            if info.file_size > RATIO_FLOOR and (
                    info.compress_size == 0 or info.file_size / info.compress_size > MAX_RATIO):
                raise _refused(self.path, _("the file %(entry)s is compressed far more than "
                                            "real data can be (a « zip bomb »)")
                               % {"entry": shown})
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise _refused(self.path, _("its contents would be too large once unpacked"))
            infos[raw] = info
        return infos

    def chunks(self, name: str) -> Iterator[bytes]:
        """The bytes of an entry, counted as they come: never more than declared."""
        info = self.infos[name]
        limit = min(info.file_size, _limit_for(name))
        count = 0
        try:
            with self.zf.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    count += len(chunk)
                    self.read_total += len(chunk)
                    if count > limit or self.read_total > MAX_TOTAL_BYTES:
                        raise _refused(self.path, _("the file %(entry)s unpacks to more than "
                                                    "it declares (a « zip bomb »)")
                                       % {"entry": _shown(name)})
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                NotImplementedError):
            raise _refused(self.path, _("the file %(entry)s is damaged")
                           % {"entry": _shown(name)}) from None
        if count != info.file_size:
            raise _refused(self.path, _("the file %(entry)s is damaged")
                           % {"entry": _shown(name)})

    def read(self, name: str) -> bytes:
        return b"".join(self.chunks(name))


def _limit_for(name: str) -> int:
    if name == "manifest.json":
        return MAX_MANIFEST_BYTES
    if name.startswith("media/"):
        return MAX_MEDIA_BYTES
    return MAX_RECORDS_BYTES


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _json(data: bytes | str) -> Any:
    return json.loads(data, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)


@dataclass
class Manifest:
    format_version: int
    app_version: str
    schema_version: int
    created_at: str
    database_id: str
    database_name: str
    scope: dict[str, Any]
    anonymized: bool
    records: dict[str, int]
    media: int
    files: dict[str, dict[str, Any]]


def _read_manifest(package: _Zip) -> Manifest:
    path = package.path
    if "manifest.json" not in package.infos:
        raise _refused(path, _("it has no manifest.json"))
    try:
        data = _json(package.read("manifest.json").decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise _refused(path, _("its manifest.json is not valid JSON")) from None

    def bad(what: str) -> PackageRefused:
        return _refused(path, _("its manifest.json is not valid (%(field)s)") % {"field": what})

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _refused(path, _("it is not a PERR Desktop exchange package"))
    version = data.get("format_version")
    if not _is_int(version):
        raise bad("format_version")
    if version > FORMAT_VERSION:
        raise _refused(path, _("it was written by a newer version of PERR Desktop (format "
                               "%(found)s; this version reads format %(known)s): install the "
                               "latest version") % {"found": version, "known": FORMAT_VERSION})
    if version != FORMAT_VERSION:
        raise _refused(path, _("its format version %(found)s is unknown")
                       % {"found": version})
    schema_version = data.get("schema_version")
    if not _is_int(schema_version) or schema_version < 1:
        raise bad("schema_version")
    if schema_version > migrations.LATEST_VERSION:
        raise _refused(path, _("it comes from a newer version of PERR Desktop (schema "
                               "%(found)s; this version knows up to %(known)s): install the "
                               "latest version on this computer first")
                       % {"found": schema_version, "known": migrations.LATEST_VERSION})
    for key in ("database_id", "created_at"):
        if not isinstance(data.get(key), str):
            raise bad(key)
    if not _ID.match(data["database_id"]):
        raise bad("database_id")
    if not _STAMP.match(data["created_at"]):
        raise bad("created_at")
    name = data.get("database_name", "")
    app_version = data.get("app_version", "")
    if not isinstance(name, str) or len(name) > 200:
        raise bad("database_name")
    if not isinstance(app_version, str) or len(app_version) > 50:
        raise bad("app_version")
    scope = data.get("scope")
    if not isinstance(scope, dict) or scope.get("kind") not in ("all", "council"):
        raise bad("scope")
    if scope["kind"] == "council" and not (isinstance(scope.get("council_id"), str)
                                           and _ID.match(scope["council_id"])):
        raise bad("scope")
    if not isinstance(data.get("anonymized"), bool):
        raise bad("anonymized")
    counts = data.get("records")
    if not isinstance(counts, dict) or not all(
            isinstance(k, str) and _is_int(v) and v >= 0 for k, v in counts.items()):
        raise bad("records")
    files = data.get("files")
    if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, dict) and isinstance(v.get("sha256"), str)
            and _SHA256.match(v["sha256"]) and _is_int(v.get("size")) and v["size"] >= 0
            for k, v in files.items()):
        raise bad("files")
    media_count = data.get("media", 0)
    if not _is_int(media_count) or media_count < 0:
        raise bad("media")
    return Manifest(version, app_version, schema_version, data["created_at"],
                    data["database_id"], name, scope, data["anonymized"], counts, media_count,
                    files)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_file_list(package: _Zip, manifest: Manifest) -> None:
    """Every file is listed in the manifest with its size and checksum, and the other
    way round."""
    present = set(package.infos) - {"manifest.json"}
    for name in sorted(present):
        if name not in manifest.files:
            raise _refused(package.path, _("it holds a file its manifest does not list "
                                           "(%(entry)s)") % {"entry": _shown(name)})
        if package.infos[name].file_size != manifest.files[name]["size"]:
            raise _refused(package.path, _("the file %(entry)s is damaged (its size does not "
                                           "match the manifest)") % {"entry": _shown(name)})
    for name in sorted(set(manifest.files) - present):
        raise _refused(package.path, _("the file %(entry)s listed in its manifest is "
                                       "missing") % {"entry": _shown(name)})


def _lines(package: _Zip, name: str, expected_sha: str) -> Iterator[tuple[int, bytes]]:
    """The lines of a JSON-lines entry, its checksum verified once read to the end."""
    digest = hashlib.sha256()
    buffer = b""
    number = 0
    for chunk in package.chunks(name):
        digest.update(chunk)
        buffer += chunk
        if b"\n" in chunk:
            lines = buffer.split(b"\n")
            buffer = lines.pop()
            for line in lines:
                number += 1
                if len(line) > MAX_LINE_BYTES:
                    raise _refused(package.path, _("line %(line)s of %(entry)s is too long")
                                   % {"line": number, "entry": name})
                yield number, line
        if len(buffer) > MAX_LINE_BYTES:
            raise _refused(package.path, _("line %(line)s of %(entry)s is too long")
                           % {"line": number + 1, "entry": name})
    if buffer.strip():
        number += 1
        yield number, buffer
    if digest.hexdigest() != expected_sha:
        raise _checksum_error(package.path, name)


def _checksum_error(path: Path, name: str) -> PackageRefused:
    return _refused(path, _("the file %(entry)s is damaged (its checksum does not match)")
                    % {"entry": _shown(name)})


def _read_records(package: _Zip, manifest: Manifest, schema: dict[str, _Table],
                  progress: Progress | None, cancelled: Cancelled | None
                  ) -> dict[str, list[dict[str, Any]]]:
    path = package.path
    for table in manifest.records:
        if table not in schema:
            raise _refused(path, _("it holds records of an unknown kind (%(table)s)")
                           % {"table": _shown(table)})
    for name in package.infos:
        if name.startswith("records/"):
            table = name[len("records/"):-len(".jsonl")]
            if table not in manifest.records:
                raise _refused(path, _("it holds records of an unknown kind (%(table)s)")
                               % {"table": _shown(table)})
    out: dict[str, list[dict[str, Any]]] = {}
    tables = [t for t in schema if t in manifest.records]
    for step, table in enumerate(tables, start=1):
        _check_cancel_import(cancelled)
        entry = f"records/{table}.jsonl"
        expected = manifest.records[table]
        if entry not in manifest.files:
            if expected:
                raise _refused(path, _("the file %(entry)s listed in its manifest is "
                                       "missing") % {"entry": entry})
            continue
        rows = []
        seen: set[str] = set()
        columns = schema[table].columns
        complete = manifest.schema_version == migrations.LATEST_VERSION
        for number, line in _lines(package, entry, manifest.files[entry]["sha256"]):
            if not line.strip():
                continue
            try:
                row = _json(line.decode("utf-8"))
            except (ValueError, UnicodeDecodeError, RecursionError):
                raise _refused(path, _("line %(line)s of %(entry)s is not valid JSON")
                               % {"line": number, "entry": entry}) from None
            if not isinstance(row, dict):
                raise _refused(path, _("line %(line)s of %(entry)s is not a record")
                               % {"line": number, "entry": entry})
            row = _checked_row(path, table, columns, row, number, complete)
            if row["id"] in seen:
                raise _refused(path, _("the record %(id)s appears twice in %(entry)s")
                               % {"id": row["id"], "entry": entry})
            seen.add(row["id"])
            rows.append(row)
            if len(rows) > expected:
                break
        if len(rows) != expected:
            raise _refused(path, _("%(entry)s holds %(found)s records where its manifest "
                                   "announces %(expected)s")
                           % {"entry": entry, "found": len(rows), "expected": expected})
        out[table] = rows
        if progress:
            progress(step, len(tables), table)
    for table, table_rows in out.items():
        for unique in schema[table].uniques:
            keys: set[tuple] = set()
            for row in table_rows:
                if not all(c in row for c in unique):
                    continue
                key = tuple(row[c] for c in unique)
                if None in key:
                    continue
                if key in keys:
                    raise _refused(path, _("two records of %(table)s in it describe the same "
                                           "thing (%(fields)s)")
                                   % {"table": table, "fields": ", ".join(unique)})
                keys.add(key)
    for row in out.get("media", []):
        if not isinstance(row.get("sha256"), str) or not _SHA256.match(row["sha256"]):
            raise _refused(path, _("an image record has no valid fingerprint (sha256)"))
    return out


def _checked_row(path: Path, table: str, columns: dict[str, _Column], row: dict[str, Any],
                 number: int, complete: bool) -> dict[str, Any]:
    where = {"table": table, "line": number}
    for key in row:
        if key not in columns:
            raise _refused(path, _("a record of %(table)s has an unknown field (%(field)s, "
                                   "line %(line)s)") % {**where, "field": _shown(key, 40)})
    for name, column in columns.items():
        if name not in row:
            if complete or name in ("id", "created_at", "updated_at") or (
                    column.notnull and not column.has_default):
                raise _refused(path, _("a record of %(table)s lacks the field %(field)s "
                                       "(line %(line)s)") % {**where, "field": name})
            continue
        value = row[name]
        if value is None:
            if column.notnull:
                raise _wrong_type(path, where, name)
            continue
        if column.type == "TEXT":
            if not isinstance(value, str):
                raise _wrong_type(path, where, name)
            if len(value) > MAX_FIELD_CHARS:
                raise _refused(path, _("the field %(table)s.%(field)s is too large (line "
                                       "%(line)s)") % {**where, "field": name})
        elif column.type == "INTEGER":
            if not _is_int(value) or not _INT_MIN <= value <= _INT_MAX:
                raise _wrong_type(path, where, name)
        elif column.type == "REAL":
            if not (_is_int(value) or isinstance(value, float)) or not (
                    -1e300 < value < 1e300):
                raise _wrong_type(path, where, name)
            row[name] = float(value)
        else:  # a column type this version does not exchange
            raise _wrong_type(path, where, name)
    if not _ID.match(row["id"]):
        raise _wrong_type(path, where, "id")
    for name in ("created_at", "updated_at", "deleted_at"):
        value = row.get(name)
        if value is not None and not _STAMP.match(value):
            raise _wrong_type(path, where, name)
    return row


def _wrong_type(path: Path, where: dict[str, Any], name: str) -> PackageRefused:
    return _refused(path, _("the field %(table)s.%(field)s has a value of the wrong type "
                            "(line %(line)s)") % {**where, "field": name})


def _read_bases(package: _Zip, manifest: Manifest, schema: dict[str, _Table]
                ) -> dict[tuple[str, str, str], tuple[str, dict[str, str]]]:
    entry = "sync/bases.jsonl"
    if entry not in manifest.files:
        return {}
    bases: dict[tuple[str, str, str], tuple[str, dict[str, str]]] = {}
    for number, line in _lines(package, entry, manifest.files[entry]["sha256"]):
        if not line.strip():
            continue
        try:
            item = _json(line.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise _refused(package.path, _("line %(line)s of %(entry)s is not valid JSON")
                           % {"line": number, "entry": entry}) from None
        ok = (isinstance(item, dict) and isinstance(item.get("peer"), str)
              and _ID.match(item["peer"]) and item.get("table") in schema
              and isinstance(item.get("id"), str) and _ID.match(item["id"])
              and isinstance(item.get("updated_at"), str) and _STAMP.match(item["updated_at"])
              and isinstance(item.get("fields"), dict)
              and all(isinstance(k, str) and k in schema[item["table"]].columns
                      and isinstance(v, str) and len(v) <= 64
                      for k, v in item["fields"].items()))
        if not ok:
            raise _refused(package.path, _("line %(line)s of %(entry)s is not valid")
                           % {"line": number, "entry": entry})
        bases[(item["peer"], item["table"], item["id"])] = (item["updated_at"], item["fields"])
    return bases


# == importing ================================================================================

@dataclass
class ImportSummary:
    """What an import did. ``stale``: an older package than one already imported from
    the same laptop, left aside."""

    peer_id: str
    peer_name: str
    created_at: str
    anonymized: bool = False
    added: int = 0
    updated: int = 0
    deleted: int = 0
    merged: int = 0
    conflicts: int = 0
    media: int = 0
    renumbered: int = 0
    stale: bool = False
    changed_tables: set[str] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted or self.conflicts or self.media)

    def summary(self) -> str:
        """One translated sentence for the user."""
        source = {"name": self.peer_name or self.peer_id[:8],
                  "date": format_stamp(self.created_at)}
        if self.stale:
            return _("This package from « %(name)s » (%(date)s) is older than one already "
                     "imported from that computer: nothing was changed.") % source
        if not self.changed:
            return _("Package from « %(name)s » (%(date)s): nothing new.") % source
        parts = []
        if self.added:
            parts.append(ngettext("%(count)s record added", "%(count)s records added",
                                  self.added) % {"count": self.added})
        if self.updated:
            parts.append(ngettext("%(count)s updated", "%(count)s updated",
                                  self.updated) % {"count": self.updated})
        if self.deleted:
            parts.append(ngettext("%(count)s deleted", "%(count)s deleted",
                                  self.deleted) % {"count": self.deleted})
        if self.conflicts:
            parts.append(ngettext("%(count)s conflict to settle", "%(count)s conflicts to "
                                  "settle", self.conflicts) % {"count": self.conflicts})
        if self.media:
            parts.append(ngettext("%(count)s image", "%(count)s images",
                                  self.media) % {"count": self.media})
        text = _("Package from « %(name)s » (%(date)s) imported: %(parts)s.") % {
            **source, "parts": ", ".join(parts)}
        if self.renumbered:
            text += " " + ngettext(
                "%(count)s observation numbered on both computers got a new number.",
                "%(count)s observations numbered on both computers got new numbers.",
                self.renumbered) % {"count": self.renumbered}
        return text


def format_stamp(stamp: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return i18n.format_moment(moment.astimezone().replace(tzinfo=None))


def _check_cancel_import(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise UserError(_("Import cancelled: nothing was changed."))


def read_manifest(path: Path | str) -> Manifest:
    """The manifest of a package, every entry checked (nothing else is read)."""
    with _Zip(Path(path).expanduser()) as package:
        manifest = _read_manifest(package)
        _check_file_list(package, manifest)
        return manifest


def import_package(db, path: Path | str, progress: Progress | None = None,
                   cancelled: Cancelled | None = None) -> ImportSummary:
    """Merge a package into ``db``: all of it or, with one sentence, nothing."""
    path = Path(path).expanduser()
    schema = _schema(db)
    with _Zip(path) as package:
        manifest = _read_manifest(package)
        _check_file_list(package, manifest)
        own = database_id(db)
        if manifest.database_id == own:
            raise _refused(path, _("it was written by this database (or by a copy of it)"))
        summary = ImportSummary(manifest.database_id, manifest.database_name,
                                manifest.created_at, manifest.anonymized)
        if manifest.anonymized and not is_anonymized(db) and _holds_records(db, schema):
            raise _refused(path, _("it is anonymised, and an anonymised package can only be "
                                   "imported into a new database, never over named data"))
        last = db.scalar("SELECT last_created_at FROM sync_state WHERE peer_id = ?",
                         (manifest.database_id,))
        if last is not None and manifest.created_at < last:
            summary.stale = True
            return summary
        rows = _read_records(package, manifest, schema, progress, cancelled)
        bases = {} if manifest.anonymized else _read_bases(package, manifest, schema)
        staging = _Staging(db.path)
        try:
            _stage_media(package, manifest, rows, staging, cancelled)
            with db.transaction():
                db.execute("PRAGMA defer_foreign_keys = ON")
                merge = _Merge(db, schema, manifest, own, bases, summary, path)
                merge.run(rows, progress, cancelled)
                _check_cancel_import(cancelled)
                broken = db.query("PRAGMA foreign_key_check")
                if broken:
                    raise _refused(path, ngettext(
                        "%(count)s of its records refers to records that are neither in it "
                        "nor on this computer",
                        "%(count)s of its records refer to records that are neither in it "
                        "nor on this computer", len(broken)) % {"count": len(broken)})
                if manifest.anonymized and not is_anonymized(db):
                    db.execute("INSERT OR REPLACE INTO meta (key, value) "
                               "VALUES ('anonymized', '1')")
        except BaseException:
            staging.discard()
            raise
        summary.media = staging.commit()
    return summary


def import_package_file(path: Path | str, db_path: Path | str,
                        progress: Progress | None = None,
                        cancelled: Cancelled | None = None) -> ImportSummary:
    """Import into the database at ``db_path``, creating it when it does not exist yet
    (and removing it again if the package is refused)."""
    from perr_desktop.storage.database import open_database

    db_path = Path(db_path).expanduser()
    created = not db_path.exists()
    media_existed = paths.media_dir(db_path).exists()
    db = open_database(db_path, create=True)
    try:
        return import_package(db, path, progress, cancelled)
    except BaseException:
        # Refused: the import's transaction was rolled back, the file is as it was.
        db.close()
        if created:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    db_path.with_name(db_path.name + suffix).unlink()
            if not media_existed:
                shutil.rmtree(paths.media_dir(db_path), ignore_errors=True)
        raise
    finally:
        if not db.closed:
            db.close()


# -- images: staged under temporary names, moved into place after the commit -----------------

class _Staging:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.root = paths.media_dir(db_path)
        self.root_existed = self.root.exists()
        self.folder: Path | None = None
        self.files: list[tuple[Path, Path]] = []   # (staged, final)

    def add(self, name: str) -> Path:
        if self.folder is None:
            with user_errors(self.root):
                self.root.mkdir(parents=True, exist_ok=True)
                self.folder = Path(tempfile.mkdtemp(dir=self.root, prefix=".incoming-"))
        return self.folder / name

    def discard(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        if not self.root_existed:
            with contextlib.suppress(OSError):
                self.root.rmdir()
        self.files = []

    def commit(self) -> int:
        """Move the staged files into place; the number of working copies moved."""
        moved = 0
        try:
            for staged, final in self.files:
                with user_errors(final):
                    final.parent.mkdir(parents=True, exist_ok=True)
                    if final.exists():  # stored meanwhile: the same bytes by construction
                        continue
                    os.replace(staged, final)
                if not final.name.endswith("-thumb.jpg"):
                    moved += 1
        finally:
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
                self.folder = None
        return moved


def _stage_media(package: _Zip, manifest: Manifest, rows: dict[str, list[dict[str, Any]]],
                 staging: _Staging, cancelled: Cancelled | None) -> None:
    known = {r["sha256"] for r in rows.get("media", [])}
    names = sorted(n for n in package.infos if n.startswith("media/"))
    # A thumbnail is moved before its working copy: the working copy's presence means
    # both are there (storage/media.py).
    names.sort(key=lambda n: (n[6:70], not n.endswith("-thumb.jpg")))
    for name in names:
        _check_cancel_import(cancelled)
        filename = name[len("media/"):]
        sha = filename[:64]
        if sha not in known:
            raise _refused(package.path, _("the image %(entry)s belongs to no record of the "
                                           "package") % {"entry": name})
        final = (media.thumbnail_path(staging.db_path, sha) if filename.endswith("-thumb.jpg")
                 else media.working_path(staging.db_path, sha))
        digest = hashlib.sha256()
        first = b""
        if final.exists():  # already here: only check the package's bytes
            for chunk in package.chunks(name):
                digest.update(chunk)
                first = first or chunk[:3]
        else:
            target = staging.add(filename)
            with user_errors(target), target.open("wb") as fh:
                for chunk in package.chunks(name):
                    digest.update(chunk)
                    first = first or chunk[:3]
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            staging.files.append((target, final))
        if digest.hexdigest() != manifest.files[name]["sha256"]:
            raise _checksum_error(package.path, name)
        if not first.startswith(_JPEG):
            raise _refused(package.path, _("the file %(entry)s is not a JPEG image")
                           % {"entry": name})


# -- the merge --------------------------------------------------------------------------------

def _hash(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _fingerprint(row: dict[str, Any]) -> dict[str, str]:
    return {k: _hash(v) for k, v in row.items() if k not in _BOOKKEEPING}


class _Merge:
    def __init__(self, db, schema: dict[str, _Table], manifest: Manifest, own_id: str,
                 package_bases: dict, summary: ImportSummary, path: Path) -> None:
        self.db, self.schema, self.manifest = db, schema, manifest
        self.peer = manifest.database_id
        self.own_id = own_id
        self.package_bases = package_bases
        self.summary = summary
        self.path = path
        self.alias: dict[tuple[str, str], str] = {}   # (table, incoming id) -> local id
        self.local_bases: dict[tuple[str, str, str], tuple[str, dict[str, str]]] = {}
        for row in db.query("SELECT * FROM sync_records"):
            self.local_bases[(row["peer_id"], row["table_name"], row["record_id"])] = (
                row["updated_at"], json.loads(row["fields"]))
        self.third_peers = ({p for p, _t, _i in self.local_bases}
                            & {p for p, _t, _i in package_bases}) - {self.peer, own_id}
        self.open_conflicts = {
            (r["table_name"], r["record_id"]): r for r in db.query(
                "SELECT * FROM conflicts WHERE settled_at IS NULL AND peer_id = ?",
                (self.peer,))}
        self.next_numbers: dict[str, int] = {}

    # ---- driver
    def run(self, rows: dict[str, list[dict[str, Any]]], progress: Progress | None,
            cancelled: Cancelled | None) -> None:
        tables = [t for t in self.schema if t in rows]
        self.package_rows = rows
        for step, table in enumerate(tables, start=1):
            for row in rows[table]:
                _check_cancel_import(cancelled)
                self._one(table, row)
            if progress:
                progress(step, len(tables), table)
        self._record_peer()

    def _record_peer(self) -> None:
        state = self.db.query_one("SELECT * FROM sync_state WHERE peer_id = ?", (self.peer,))
        name = self.manifest.database_name
        if state is None:
            self.db.execute(
                "INSERT INTO sync_state (peer_id, peer_name, last_created_at, imported_at) "
                "VALUES (?, ?, ?, ?)", (self.peer, name, self.manifest.created_at, _now()))
        elif (state["last_created_at"], state["peer_name"]) != (self.manifest.created_at, name):
            self.db.execute(
                "UPDATE sync_state SET peer_name = ?, last_created_at = ?, imported_at = ? "
                "WHERE peer_id = ?", (name, self.manifest.created_at, _now(), self.peer))

    # ---- one record
    def _one(self, table: str, incoming: dict[str, Any]) -> None:
        spec = self.schema[table]
        incoming_id = incoming["id"]
        row = self._remapped(spec, incoming)
        local = self.db.query_one(f'SELECT * FROM "{table}" WHERE id = ?', (row["id"],))
        if local is None:
            same = self._same_thing(spec, row)
            if same is not None:
                self.alias[(table, incoming_id)] = same["id"]
                row["id"] = same["id"]
                local = same
        if local is None:
            self._insert(spec, row)
            self._set_base(table, row["id"], row)
            return
        fields = [c for c in row if c not in _BOOKKEEPING]
        different = [c for c in fields if local.get(c) != row[c]]
        if not different:
            self._converge_stamps(table, local, row)
            self._set_base(table, local["id"], row)
            self._drop_superseded(table, local["id"], row)
            return
        pending = self.open_conflicts.get((table, local["id"]))
        if pending is not None and json.loads(pending["incoming_row"]) == row:
            return  # already listed for the user: importing again changes nothing
        base = self._base(table, local["id"], incoming_id)
        derived = set(_DERIVED.get(table, ()))
        if base is None:
            # No version known to both sides: nothing tells which side changed what.
            self._conflict(spec, local, row, [c for c in different if c not in derived])
            return
        base_fields = base[1]
        local_changed = {c for c in fields if c not in derived
                         and _hash(local.get(c)) != base_fields.get(c)}
        incoming_changed = {c for c in fields if c not in derived
                            and _hash(row[c]) != base_fields.get(c)}
        if not incoming_changed:
            # Theirs is the version we already merged: ours is newer, it will travel.
            self._set_base(table, local["id"], row)
            return
        if not local_changed:
            self._take(spec, local, row)
            self._set_base(table, local["id"], row)
            self._drop_superseded(table, local["id"], row)
            return
        both = {c for c in local_changed & incoming_changed if local.get(c) != row[c]}
        # Removing a record on one side while it was edited on the other is a conflict:
        # the edit would vanish with it, or the removal be undone.
        if "deleted_at" in (local_changed | incoming_changed) - both and \
                (local.get("deleted_at") is None) != (row.get("deleted_at") is None):
            other = incoming_changed if "deleted_at" in local_changed else local_changed
            if other - {"deleted_at"}:
                both |= {"deleted_at"} | {c for c in other - {"deleted_at"}
                                          if local.get(c) != row[c]}
        takes = {c: row[c] for c in incoming_changed - both if local.get(c) != row[c]}
        if local.get("deleted_at") and row.get("deleted_at"):
            # Removed on both sides: the earliest removal, whichever side reads this.
            both.discard("deleted_at")
            earliest = min(local["deleted_at"], row["deleted_at"])
            takes.pop("deleted_at", None)
            if earliest != local["deleted_at"]:
                takes["deleted_at"] = earliest
        if not both:
            if self._merged_write(spec, local, takes):
                self.summary.merged += 1
                self.summary.updated += 1
                self._set_base(table, local["id"], row)
                self._drop_superseded(table, local["id"], row)
            else:
                self._conflict(spec, local, row, [c for c in different if c not in derived])
            return
        if takes and self._merged_write(spec, local, takes):
            local = self.db.query_one(f'SELECT * FROM "{table}" WHERE id = ?', (local["id"],))
        self._conflict(spec, local, row, sorted(both, key=list(spec.columns).index))

    def _converge_stamps(self, table: str, local: dict[str, Any],
                         row: dict[str, Any]) -> None:
        """The same content on both sides: both keep the earliest ``created_at`` and the
        latest ``updated_at``, so that the two databases end up identical (reference
        lists seeded separately on each laptop, merges made on both sides at once)."""
        changes = {}
        if row["created_at"] < local["created_at"]:
            changes["created_at"] = row["created_at"]
        if row["updated_at"] > local["updated_at"]:
            changes["updated_at"] = row["updated_at"]
        if changes:
            self._update(table, local["id"], changes)

    def _remapped(self, spec: _Table, incoming: dict[str, Any]) -> dict[str, Any]:
        row = dict(incoming)
        row["id"] = self.alias.get((spec.name, row["id"]), row["id"])
        for column, parent, parent_column in spec.references:
            if parent_column == "id" and row.get(column) is not None:
                row[column] = self.alias.get((parent, row[column]), row[column])
        return row

    def _same_thing(self, spec: _Table, row: dict[str, Any]) -> dict[str, Any] | None:
        """A local record with another id for the same thing (the same photo imported on
        both laptops, the same person marked present on both…)."""
        if spec.name == "observations":
            return None  # two observations that got the same number: see _clear_number
        for unique in spec.uniques:
            if not all(row.get(c) is not None for c in unique):
                continue
            where = " AND ".join(f'"{c}" = ?' for c in unique)
            found = self.db.query_one(f'SELECT * FROM "{spec.name}" WHERE {where}',
                                      tuple(row[c] for c in unique))
            if found is not None and found["id"] != row["id"]:
                return found
        return None

    def _base(self, table: str, local_id: str, incoming_id: str
              ) -> tuple[str, dict[str, str]] | None:
        """The latest version both sides are known to have held."""
        candidates = []
        mine = self.local_bases.get((self.peer, table, local_id))
        if mine:
            candidates.append(mine)
        theirs = self.package_bases.get((self.own_id, table, incoming_id))
        if theirs:
            candidates.append(theirs)
        for third in self.third_peers:
            a = self.local_bases.get((third, table, local_id))
            b = self.package_bases.get((third, table, incoming_id))
            if a and b and a[1] == b[1]:
                candidates.append(a)
        return max(candidates, key=lambda c: c[0]) if candidates else None

    def _set_base(self, table: str, record_id: str, row: dict[str, Any]) -> None:
        value = (row["updated_at"], _fingerprint(row))
        key = (self.peer, table, record_id)
        if self.local_bases.get(key) == value:
            return
        self.local_bases[key] = value
        self.db.execute(
            "INSERT INTO sync_records (peer_id, table_name, record_id, updated_at, fields) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (peer_id, table_name, record_id) DO UPDATE "
            "SET updated_at = excluded.updated_at, fields = excluded.fields",
            (self.peer, table, record_id, value[0], json.dumps(value[1], sort_keys=True)))

    # ---- writes
    def _insert(self, spec: _Table, row: dict[str, Any]) -> None:
        if spec.name == "observations":
            row = self._clear_number(row, inserting=True)
        columns = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _c in row)
        self._write(spec.name, f'INSERT INTO "{spec.name}" ({columns}) VALUES ({marks})',
                    tuple(row.values()))
        if row.get("deleted_at") is None:
            self.summary.added += 1
        self.summary.changed_tables.add(spec.name)

    def _take(self, spec: _Table, local: dict[str, Any], row: dict[str, Any]) -> None:
        changes = {c: v for c, v in row.items()
                   if c not in ("id", "created_at") and local.get(c) != v}
        if spec.name == "observations" and ("number" in changes or "walk_id" in changes):
            changes = self._clear_number({**local, **changes}, inserting=False,
                                         changes=changes)
        self._update(spec.name, local["id"], changes)
        if row.get("deleted_at") is not None and local.get("deleted_at") is None:
            self.summary.deleted += 1
        else:
            self.summary.updated += 1

    def _merged_write(self, spec: _Table, local: dict[str, Any],
                      takes: dict[str, Any]) -> bool:
        """Apply their changes over ours, as a new edit (so the merge travels back);
        False when the combination breaks a rule of the database."""
        changes = dict(takes)
        if spec.name == "people":
            merged = {**local, **changes}
            changes.update(_person_keys(merged))
        changes = {c: v for c, v in changes.items() if local.get(c) != v}
        if not changes:
            return True
        changes["updated_at"] = _now()
        self.db.execute("SAVEPOINT exchange_merge")
        try:
            self._update(spec.name, local["id"], changes, strict=False)
        except sqlite3.IntegrityError:
            self.db.execute("ROLLBACK TO exchange_merge")
            self.db.execute("RELEASE exchange_merge")
            return False
        self.db.execute("RELEASE exchange_merge")
        return True

    def _update(self, table: str, record_id: str, changes: dict[str, Any],
                strict: bool = True) -> None:
        if not changes:
            return
        assignments = ", ".join(f'"{c}" = ?' for c in changes)
        sql = f'UPDATE "{table}" SET {assignments} WHERE id = ?'
        params = (*changes.values(), record_id)
        if strict:
            self._write(table, sql, params)
        else:
            self.db.execute(sql, params)
        self.summary.changed_tables.add(table)

    def _write(self, table: str, sql: str, params: tuple) -> None:
        try:
            self.db.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise _refused(self.path, _("a record of %(table)s breaks the rules of the "
                                        "database (%(detail)s)")
                           % {"table": table, "detail": _shown(str(exc), 120)}) from None

    def _clear_number(self, row: dict[str, Any], inserting: bool,
                      changes: dict[str, Any] | None = None) -> dict[str, Any]:
        """Two laptops gave the same number to two observations of a walk: the one made
        first keeps it, the other gets the next free number (as a new edit, so that both
        laptops end up agreeing)."""
        other = self.db.query_one(
            "SELECT id, created_at FROM observations WHERE walk_id = ? AND number = ? "
            "AND id <> ?", (row["walk_id"], row["number"], row["id"]))
        result = dict(row) if inserting else dict(changes or {})
        if other is None:
            return result
        self.summary.renumbered += 1
        if (other["created_at"], other["id"]) < (row["created_at"], row["id"]):
            result["number"] = self._next_number(row["walk_id"])
            result["updated_at"] = _now()
        else:
            # Ours gives way. If the package brings ours already renumbered by the
            # other laptop, take that number: both laptops then agree at once.
            theirs = next((r["number"] for r in self.package_rows.get("observations", [])
                           if self.alias.get(("observations", r["id"]), r["id"]) == other["id"]),
                          None)
            free = theirs is not None and theirs != row["number"] and self.db.scalar(
                "SELECT count(*) FROM observations WHERE walk_id = ? AND number = ?",
                (row["walk_id"], theirs)) == 0
            number = theirs if free else self._next_number(row["walk_id"])
            self._write("observations",
                        "UPDATE observations SET number = ?, updated_at = ? WHERE id = ?",
                        (number, _now(), other["id"]))
        return result

    def _next_number(self, walk_id: str) -> int:
        local = self.db.scalar(
            "SELECT coalesce(max(number), 0) FROM observations WHERE walk_id = ?", (walk_id,))
        incoming = max((r["number"] for r in self.package_rows.get("observations", [])
                        if self.alias.get(("walks", r["walk_id"]), r["walk_id"]) == walk_id),
                       default=0)
        number = max(local, incoming, self.next_numbers.get(walk_id, 0)) + 1
        self.next_numbers[walk_id] = number
        return number

    # ---- conflicts
    def _conflict(self, spec: _Table, local: dict[str, Any], row: dict[str, Any],
                  fields: list[str]) -> None:
        if not fields:  # only derived columns differ: ours stand, recomputed
            self._set_base(spec.name, local["id"], row)
            return
        pending = self.open_conflicts.get((spec.name, local["id"]))
        values = (json.dumps(local, ensure_ascii=False), json.dumps(row, ensure_ascii=False),
                  json.dumps(fields))
        if pending is not None:
            self.db.execute(
                "UPDATE conflicts SET local_row = ?, incoming_row = ?, fields = ?, "
                "peer_name = ?, detected_at = ? WHERE id = ?",
                (*values, self.manifest.database_name, _now(), pending["id"]))
        else:
            conflict_id = str(uuid.uuid4())
            self.db.execute(
                "INSERT INTO conflicts (id, peer_id, peer_name, table_name, record_id, "
                "local_row, incoming_row, fields, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
                "?, ?)", (conflict_id, self.peer, self.manifest.database_name, spec.name,
                          local["id"], *values, _now()))
            self.open_conflicts[(spec.name, local["id"])] = {"id": conflict_id}
        self.summary.conflicts += 1
        self.summary.changed_tables.add(spec.name)

    def _drop_superseded(self, table: str, record_id: str, row: dict[str, Any]) -> None:
        """A conflict still open for a record both sides now agree on is settled."""
        pending = self.open_conflicts.pop((table, record_id), None)
        if pending is not None:
            self.db.execute("UPDATE conflicts SET settled_at = ?, choice = 'superseded' "
                            "WHERE id = ?", (_now(), pending["id"]))


def _person_keys(row: dict[str, Any]) -> dict[str, str]:
    """The search and sort keys of a person (as services/people.py computes them)."""
    from perr_desktop.services.people import _keys

    return _keys({"first_name": row.get("first_name") or "",
                  "last_name": row.get("last_name") or "",
                  "organisation": row.get("organisation") or ""})


# == conflicts ===============================================================================

TABLE_LABELS = {
    "councils": N_("Council"), "council_neighbourhoods": N_("Neighbourhood of a council"),
    "neighbourhoods": N_("Neighbourhood"), "people": N_("Person"),
    "memberships": N_("Membership"), "vocabulary": N_("Reference list entry"),
    "perr_objectives": N_("PERR objective"), "meetings": N_("Meeting"),
    "meeting_guest_councils": N_("Invited council"),
    "meeting_objectives": N_("Objective of a meeting"), "agenda_items": N_("Agenda item"),
    "attendance": N_("Attendance"), "headcounts": N_("Headcount"),
    "decisions": N_("Decision"), "actions": N_("Action"),
    "action_updates": N_("Follow-up of an action"), "amendments": N_("Amendment"),
    "media": N_("Image"), "walks": N_("Walking diagnostic"), "walk_stops": N_("Stop"),
    "walk_participants": N_("Walk participant"), "observations": N_("Observation"),
    "photos": N_("Photo"), "followups": N_("Follow-up"),
    "followup_steps": N_("Follow-up step"),
}
FIELD_LABELS = {
    "name": N_("Name"), "title": N_("Title"), "venue": N_("Venue"), "notes": N_("Notes"),
    "note": N_("Note"), "first_name": N_("First name"), "last_name": N_("Last name"),
    "gender": N_("Gender"), "organisation": N_("Organisation"), "email": N_("Email"),
    "phone": N_("Telephone"), "address": N_("Address"), "birth_year": N_("Year of birth"),
    "starts_at": N_("Start"), "ends_at": N_("End"), "status": N_("Status"),
    "text": N_("Text"), "description": N_("Description"), "deleted_at": N_("Deleted"),
    "kind": N_("Kind"), "role": N_("Role"), "college": N_("College"),
    "joined_on": N_("Joined on"), "left_on": N_("Left on"), "due_on": N_("Due on"),
    "caption": N_("Caption"), "presenter": N_("Presenter"), "position": N_("Position"),
    "facilitator_name": N_("Facilitator"), "facilitator_contact": N_("Facilitator's contact"),
    "walk_date": N_("Date"), "label_fr": N_("French label"), "label_en": N_("English label"),
    "proposal": N_("Proposal"), "feeling": N_("Feeling"), "priority": N_("Priority"),
    "cancelled": N_("Cancelled"), "identifiable": N_("Identifiable"), "count": N_("Count"),
}


@dataclass
class FieldDifference:
    field: str
    label: str
    local: Any
    incoming: Any
    local_text: str
    incoming_text: str


@dataclass
class Conflict:
    id: str
    table: str
    record_id: str
    peer_id: str
    peer_name: str
    detected_at: str
    label: str
    fields: list[FieldDifference]


def conflict_count(db) -> int:
    return db.scalar("SELECT count(*) FROM conflicts WHERE settled_at IS NULL")


def open_conflicts(db) -> list[Conflict]:
    """The conflicts waiting for the user, oldest first, each compared with the record as
    it is now on this computer."""
    tables = set(_schema(db))
    return [_conflict_view(db, row, tables) for row in db.query(
        "SELECT * FROM conflicts WHERE settled_at IS NULL ORDER BY detected_at, id")]


def get_conflict(db, conflict_id: str) -> Conflict:
    row = db.query_one("SELECT * FROM conflicts WHERE id = ?", (conflict_id,))
    if row is None:
        raise UserError(_("This conflict does not exist."))
    return _conflict_view(db, row, set(_schema(db)))


def _conflict_view(db, row: dict[str, Any], tables: set[str]) -> Conflict:
    table = row["table_name"]
    current = db.query_one(f'SELECT * FROM "{table}" WHERE id = ?', (row["record_id"],)) \
        if table in tables else None
    local = current or json.loads(row["local_row"])
    incoming = json.loads(row["incoming_row"])
    fields = []
    for name in json.loads(row["fields"]):
        fields.append(FieldDifference(
            name, _(FIELD_LABELS[name]) if name in FIELD_LABELS else name,
            local.get(name), incoming.get(name),
            _value_text(name, local.get(name)), _value_text(name, incoming.get(name))))
    return Conflict(row["id"], table, row["record_id"], row["peer_id"], row["peer_name"],
                    row["detected_at"], record_label(db, table, local), fields)


def _value_text(name: str, value: Any) -> str:
    if name == "deleted_at":
        return _("deleted") if value else _("present")
    if value is None or value == "":
        return _("(empty)")
    return str(value)


def record_label(db, table: str, row: dict[str, Any]) -> str:
    """« Réunion : Plénière de mars (12/03/2026) »: what a record is, for a person."""
    kind = _(TABLE_LABELS[table]) if table in TABLE_LABELS else table

    def person(person_id: str | None) -> str:
        if not person_id:
            return ""
        p = db.query_one("SELECT first_name, last_name, organisation FROM people WHERE id = ?",
                         (person_id,))
        return (display_name(p["first_name"], p["last_name"]) or p["organisation"]) if p else ""

    def meeting(meeting_id: str | None) -> str:
        m = db.query_one("SELECT title, starts_at FROM meetings WHERE id = ?", (meeting_id,)) \
            if meeting_id else None
        return _titled_day(m["title"], m["starts_at"]) if m else ""

    def walk(walk_id: str | None) -> str:
        w = db.query_one("SELECT title FROM walks WHERE id = ?", (walk_id,)) if walk_id else None
        return w["title"] if w else ""

    if table == "people":
        what = display_name(row.get("first_name") or "", row.get("last_name") or "") \
            or row.get("organisation") or ""
    elif table == "meetings":
        what = _titled_day(row.get("title") or "", row.get("starts_at"))
    elif table in ("councils", "neighbourhoods", "walk_stops"):
        what = row.get("name") or ""
    elif table in ("agenda_items", "walks"):
        what = row.get("title") or ""
        if table == "agenda_items":
            what += f" — {meeting(row.get('meeting_id'))}"
    elif table in ("decisions", "actions", "amendments"):
        what = _short(row.get("text") or "")
    elif table == "observations":
        what = _("no. %(number)s of « %(walk)s »") % {"number": row.get("number"),
                                                      "walk": walk(row.get("walk_id"))}
    elif table in ("memberships", "attendance"):
        what = person(row.get("person_id"))
        if table == "attendance":
            what += f" — {meeting(row.get('meeting_id'))}"
    elif table in ("vocabulary", "perr_objectives"):
        what = row.get("label_fr") or row.get("code") or ""
    elif table == "walk_participants":
        what = row.get("name") or person(row.get("person_id"))
    else:
        what = ""
    return _("%(kind)s: %(what)s") % {"kind": kind, "what": what} if what else kind


def _titled_day(title: str, starts_at: str | None) -> str:
    try:
        day = dt.date.fromisoformat(str(starts_at)[:10])
    except ValueError:
        return title
    return f"{title} ({i18n.format_date(day, 'medium')})"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def settle_conflict(db, conflict_id: str, keep: str | dict[str, str]) -> None:
    """Settle a conflict: ``keep`` is ``"local"``, ``"incoming"`` or, field by field,
    ``{field: "local" | "incoming"}``. The choice is written as a new edit (``updated_at``
    now), so that the next exchange carries it to the other laptop, which takes it."""
    with db.transaction():
        row = db.query_one("SELECT * FROM conflicts WHERE id = ?", (conflict_id,))
        if row is None:
            raise UserError(_("This conflict does not exist."))
        if row["settled_at"] is not None:
            raise UserError(_("This conflict has already been settled."))
        table = row["table_name"]
        schema = _schema(db)
        if table not in schema:
            raise UserError(_("This conflict does not exist."))
        fields = json.loads(row["fields"])
        if isinstance(keep, str):
            if keep not in ("local", "incoming"):
                raise ValueError(f"keep must be 'local' or 'incoming', not {keep!r}")
            choice = {f: keep for f in fields}
        else:
            if set(keep) != set(fields) or not set(keep.values()) <= {"local", "incoming"}:
                raise ValueError("a choice is needed for each field of the conflict")
            choice = dict(keep)
        current = db.query_one(f'SELECT * FROM "{table}" WHERE id = ?', (row["record_id"],))
        if current is None:
            raise UserError(_("This conflict does not exist."))
        incoming = json.loads(row["incoming_row"])
        changes = {f: incoming.get(f) for f, side in choice.items()
                   if side == "incoming" and f in incoming}
        if table == "people":
            changes.update(_person_keys({**current, **changes}))
        changes = {c: v for c, v in changes.items() if current.get(c) != v}
        changes["updated_at"] = _now()
        assignments = ", ".join(f'"{c}" = ?' for c in changes)
        try:
            db.execute(f'UPDATE "{table}" SET {assignments} WHERE id = ?',
                       (*changes.values(), row["record_id"]))
        except sqlite3.IntegrityError:
            raise UserError(_("This combination of values is refused by the rules of the "
                              "database: choose the other version for one of the fields."
                              )) from None
        db.execute(
            "INSERT INTO sync_records (peer_id, table_name, record_id, updated_at, fields) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (peer_id, table_name, record_id) DO UPDATE "
            "SET updated_at = excluded.updated_at, fields = excluded.fields",
            (row["peer_id"], table, row["record_id"], incoming["updated_at"],
             json.dumps(_fingerprint(incoming), sort_keys=True)))
        text = keep if isinstance(keep, str) else json.dumps(choice, sort_keys=True)
        db.execute("UPDATE conflicts SET settled_at = ?, choice = ? WHERE id = ?",
                   (_now(), text, conflict_id))


# == shared folder =============================================================================

@dataclass
class PeerPackage:
    path: Path
    database_id: str
    name: str
    created_at: str
    imported: bool
    anonymized: bool = False
    council_name: str | None = None
    problem: str | None = None

    @property
    def date_text(self) -> str:
        return format_stamp(self.created_at) if self.created_at else ""


def _slug(text: str) -> str:
    ascii_text = search_key(text)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:40] or "perr"


def shared_package_name(db) -> str:
    return f"perr-{database_id(db)[:8]}-{_slug(database_name(db))}{SUFFIX}"


def write_to_shared_folder(db, folder: Path | str, progress: Progress | None = None,
                           cancelled: Cancelled | None = None) -> Path:
    """Write this database's package into the shared folder, replacing its previous one
    (atomically: the others never see half a package). Returns the package's path."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise UserError(_("The shared folder %(path)s does not exist (is the USB key "
                          "plugged in?).") % {"path": folder})
    target = folder / shared_package_name(db)
    export_package(db, target, progress=progress, cancelled=cancelled)
    prefix = f"perr-{database_id(db)[:8]}-"
    for old in folder.glob(f"{prefix}*{SUFFIX}"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()
    return target


def own_package_in_folder(db, folder: Path | str) -> PeerPackage | None:
    """This database's last package in the shared folder, if there is one."""
    path = Path(folder).expanduser() / shared_package_name(db)
    if not path.is_file():
        return None
    try:
        manifest = read_manifest(path)
    except UserError:
        return None
    return PeerPackage(path, manifest.database_id, manifest.database_name,
                       manifest.created_at, True)


def packages_in_folder(db, folder: Path | str) -> list[PeerPackage]:
    """The other laptops' packages in the shared folder, newest first, each saying
    whether it was already imported here; one that cannot be read says why."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        return []
    own = database_id(db)
    imported = {r["peer_id"]: r["last_created_at"]
                for r in db.query("SELECT peer_id, last_created_at FROM sync_state")}
    out = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            manifest = read_manifest(path)
        except UserError as exc:
            out.append(PeerPackage(path, "", path.stem, "", False,
                                   problem=getattr(exc, "reason", "") or exc.message))
            continue
        if manifest.database_id == own:
            continue
        last = imported.get(manifest.database_id)
        out.append(PeerPackage(
            path, manifest.database_id, manifest.database_name or manifest.database_id[:8],
            manifest.created_at, last is not None and manifest.created_at <= last,
            manifest.anonymized, manifest.scope.get("council_name")))
    out.sort(key=lambda p: p.created_at, reverse=True)
    return out

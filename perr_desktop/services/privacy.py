"""Residents' privacy (RGPD): right of access, right to erasure, retention of contacts.

**Right of access** — :func:`export_person` gathers everything the database holds about
one person: identity, contact, consent, memberships, attendance (proxies given and held),
actions assigned, walks, and the places in free text that mention them. Finding mentions
is a *best effort*: it looks for their full name (either order, accents and capitals
ignored), « Mme/M. » + surname, an initial + surname, a compound surname on its own, and
their email and telephone. A nickname, a misspelling or « la présidente » is not found;
nor is a name of one word (a first name with no surname known): it could be anyone's.

**Right to erasure** — :func:`erase_person`, in one transaction:

* Past attendance becomes anonymous counts. Each meeting where the person was present
  gets one more line in its head counts (gender, age band on the day, QPV, « first
  time » when known) and their attendance row is withdrawn (a tombstone with nothing in
  it); invitations, « excusé », « absent », « représenté » rows are withdrawn too.
  So each meeting's number of participants is the same before and after; what moves is
  the split between named participants and counted ones, and the members' tallies
  (invited, excused, represented, quorum) of those past meetings lose this person.
  The other way — keeping the attendance rows on a nameless placeholder — would keep
  every tally, but would leave a pseudonymous profile (the same id across meetings,
  with gender and year of birth), which is not anonymous; the issue asks for « anonymous
  counts », and head counts are exactly that.
* A walk they took part in counts one more participant « without their name »; their
  participant row is withdrawn and emptied.
* Memberships are withdrawn (tombstones with no dates or notes); actions they were
  given stay, with no one in charge; proxies they held stay « représenté », with no
  proxy named. The tombstones keep only ids (which meeting, which council): they tie
  nothing to a person any more, the row they point to being empty.
* The ``people`` row stays, as a tombstone emptied of everything (names, civility, year
  of birth, QPV, organisation, contact, notes, consent, search keys): the tombstones
  above still point to it, and another laptop learns of the erasure through it
  (exchange packages carry tombstones). Its name fields are left empty rather than
  holding a label such as « Personne effacée »: no list shows a tombstone, and a label
  stored in the data would be in one language only.
* Every mention found in free text (see above), in every table, is replaced by
  « [personne effacée] » — in minutes, notes, decisions, actions, amendments,
  observations, captions, file names… The identity columns of *other* people are left
  alone (a namesake keeps their name), but a namesake's mentions in notes cannot be
  told apart and are replaced too. An exchange conflict over the person's own record
  (copies of it, field by field) is dropped.

Then the name must leave the *file*: SQLite keeps deleted text in free space and old
page images in the WAL. With ``PRAGMA secure_delete`` on (the default of Debian's
SQLite, not of the Pythons of Windows and macOS), the writes of the erasure overwrite
what they free. That is not enough: earlier edits made with it off left old copies in
free pages — long minutes autosaved several times leave their overflow pages, name
included, on the free list (the tests measure it). So ``VACUUM`` rebuilds the whole
file, and ``PRAGMA wal_checkpoint(TRUNCATE)`` copies the result into the database file
and empties the WAL. About one second for a 13 MB database of 20,000 people.

Not covered, and said so to the user: photos (nobody can tell automatically who is on
them), vocabulary *codes* derived from a label that held the name (they are references
and cannot change; the label itself is replaced), copies outside the database — older
backups in the backups folder, exchange packages, PDFs and exports already written, and
the blocks a file system or an SSD keeps after a file shrinks.

**Retention** — :func:`purge_candidates` lists people with no current membership whose
last sign of activity is older than N years and who still have contact details;
:func:`purge_contacts` empties their email, telephone and address, keeping names and
history.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perr_desktop import __version__, i18n
from perr_desktop.domain.meetings import Attendance, age_band
from perr_desktop.domain.people import display_name, gender_label, is_active
from perr_desktop.errors import NotFoundError, UserError
from perr_desktop.i18n import _, ngettext
from perr_desktop.services.reference import vocabulary_labels
from perr_desktop.storage import records
from perr_desktop.storage.backups import list_backups

EXPORT_FORMAT = "perr-desktop/person-export"
EXPORT_FORMAT_VERSION = 1

# Stored in the data, inside French text typed by the facilitators: not translated.
ERASED_MENTION = "[personne effacée]"

DEFAULT_RETENTION_YEARS = 3

# -- every TEXT column of the schema, classified ------------------------------------------
# Free text a person may have typed a name into: searched and, on erasure, rewritten.
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "action_updates": ("note",),
    "actions": ("text", "assignee_body"),
    "agenda_items": ("title", "presenter", "notes"),
    "amendments": ("text",),
    "attendance": ("note",),
    # Exchange between laptops: copies of records (JSON) waiting for the user to settle a
    # conflict, and the names of the other laptops.
    "conflicts": ("peer_name", "local_row", "incoming_row"),
    "councils": ("name", "facilitator_name", "facilitator_contact", "venue", "notes"),
    "decisions": ("text",),
    "followup_steps": ("channel", "note"),
    "media": ("original_name", "camera"),
    "meetings": ("title", "venue", "notes"),
    "memberships": ("notes",),
    "neighbourhoods": ("population_source", "notes"),
    "observations": ("description", "feeling", "proposal", "tags"),
    "people": ("notes",),  # other people's notes; the erased person's row is emptied
    "perr_objectives": ("note_fr", "note_en"),
    "photos": ("caption",),
    "sync_state": ("peer_name",),
    "vocabulary": ("label_fr", "label_en", "grouping"),
    "walk_participants": ("name", "organisation"),
    "walk_stops": ("name", "address", "notes"),
    "walks": ("title", "weather", "notes"),
}
# Not free text: keys, codes, dates, enumerations — or, for ``people``, the identity of
# *other* people (a namesake keeps their name; the erased person's row is emptied whole).
NOT_FREE_TEXT: dict[str, tuple[str, ...]] = {
    "action_updates": ("action_id", "meeting_id", "status"),
    "actions": ("council_id", "meeting_id", "agenda_item_id", "assignee_person_id", "due_on",
                "status", "closed_on"),
    "agenda_items": ("meeting_id", "objective_code"),
    "amendments": ("meeting_id", "recorded_on"),
    "attendance": ("meeting_id", "person_id", "status", "proxy_person_id"),
    "conflicts": ("peer_id", "table_name", "record_id", "fields", "detected_at", "settled_at",
                  "choice"),
    "council_neighbourhoods": ("council_id", "neighbourhood_id"),
    "councils": ("status", "recognised_on"),
    "decisions": ("meeting_id", "agenda_item_id"),
    "followup_steps": ("followup_id", "step_date", "status", "next_reminder_on"),
    "followups": ("observation_id", "body", "status", "next_reminder_on"),
    "headcounts": ("meeting_id", "gender", "age_band"),
    "media": ("sha256", "kind", "taken_at"),
    "meeting_guest_councils": ("meeting_id", "council_id"),
    "meeting_objectives": ("meeting_id", "objective_code"),
    "meetings": ("council_id", "kind", "starts_at", "ends_at", "minutes_status",
                 "validated_at", "validated_in_meeting_id", "copied_from_id"),
    "memberships": ("council_id", "person_id", "college", "role", "joined_on", "left_on"),
    "meta": ("key", "value"),
    # Official reference data (INSEE names), not typed by the facilitators.
    "neighbourhoods": ("code", "name", "commune"),
    "observations": ("walk_id", "stop_id", "theme", "objective_code"),
    "people": ("first_name", "last_name", "gender", "organisation", "email", "phone",
               "address", "consent_date", "search_key", "sort_key"),
    "perr_objectives": ("code", "parent_code", "level", "label_fr", "label_en"),
    "photos": ("walk_id", "media_id", "stop_id", "observation_id"),
    "pseudonyms": ("subject_id",),
    # The search index (migration 6): copies of the free text above, kept in step by
    # triggers when that text is rewritten; its words are purged by scrub_file.
    "search_fts": ("title", "body", "extra"),
    "search_fts_config": ("k", "v"),
    "search_fts_content": ("c0", "c1", "c2"),
    "search_fts_idx": ("segid", "term", "pgno"),
    "search_map": ("kind", "record_id"),
    # Hashes of fields, never their values (exchange's merge base).
    "sync_records": ("peer_id", "table_name", "record_id", "fields"),
    "sync_state": ("peer_id", "last_created_at", "imported_at"),
    "vocabulary": ("kind", "code"),
    "walk_participants": ("walk_id", "person_id", "role"),
    "walk_stops": ("walk_id",),
    "walks": ("council_id", "walk_date", "start_time", "period", "plan_media_id",
              "previous_walk_id", "meeting_id"),
}
_RECORD_COLUMNS = frozenset({"id", "created_at", "updated_at", "deleted_at"})


def _looks_like_key(column: str) -> bool:
    return (column in _RECORD_COLUMNS or column in ("code", "kind", "status")
            or column.endswith(("_id", "_at", "_on", "_code", "_date")))


def _may_hold_text(declared: str) -> bool:
    """SQLite's affinity rules: TEXT, CHAR, CLOB, or no type at all (or ANY)."""
    declared = (declared or "").upper()
    return declared in ("", "ANY") or any(t in declared for t in ("TEXT", "CHAR", "CLOB"))


def text_columns(db) -> dict[str, list[str]]:
    """Every column of every table that may hold text, as the schema stands (other
    issues add tables)."""
    out: dict[str, list[str]] = {}
    for (table,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name").fetchall():
        columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")').fetchall()
                   if _may_hold_text(row[2])]
        if columns:
            out[table] = columns
    return out


def unclassified_columns(db) -> list[str]:
    """TEXT columns neither in FREE_TEXT nor NOT_FREE_TEXT (``table.column``)."""
    missing = []
    for table, columns in text_columns(db).items():
        known = set(FREE_TEXT.get(table, ())) | set(NOT_FREE_TEXT.get(table, ()))
        missing += [f"{table}.{c}" for c in columns
                    if c not in known and c not in _RECORD_COLUMNS]
    return missing


def searched_columns(db) -> dict[str, list[str]]:
    """Where mentions are looked for: the free text above, and — so that a table added
    later is not forgotten — any column not classified that does not look like a key."""
    out: dict[str, list[str]] = {}
    for table, columns in text_columns(db).items():
        keep = [c for c in columns
                if c in FREE_TEXT.get(table, ())
                or (c not in NOT_FREE_TEXT.get(table, ()) and c not in FREE_TEXT.get(table, ())
                    and not _looks_like_key(c))]
        if keep:
            out[table] = keep
    return out


# -- finding a person in free text --------------------------------------------------------

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss",
                            "’": "'", "ʼ": "'", "‘": "'"})


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """Lower case without accents, character by character (so positions can be mapped
    back); unlike ``search_key`` it keeps spaces and punctuation as they are."""
    return "".join(_fold_char(c) for c in text)


def _fold_with_origin(text: str) -> tuple[str, list[int]]:
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin


_WORD = r"[^\W_]"
_JOIN = r"[\s\-\u2010-\u2015_'.]{1,3}"
_CIVILITY = r"(?:monsieur|madame|mademoiselle|mme|mlle|mr|m)\.?\s+"


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\W_]+", fold(name)) if t]


def _phrase(tokens: list[str]) -> str:
    return _JOIN.join(re.escape(t) for t in tokens)


@dataclass(frozen=True)
class NameMatcher:
    """Finds one person's mentions in text, accents and capitals ignored."""

    regex: re.Pattern[str] | None
    surnames: tuple[str, ...]  # folded words one of which every mention contains

    @classmethod
    def for_person(cls, person: dict[str, Any]) -> NameMatcher:
        first, last = _tokens(person.get("first_name") or ""), _tokens(person.get("last_name")
                                                                       or "")
        patterns: list[str] = []
        if first and last:
            patterns += [_phrase(first + last), _phrase(last + first),
                         rf"{_CIVILITY}{_phrase(last)}",
                         rf"{re.escape(first[0][0])}\.?\s*{_phrase(last)}"]
            if len(last) > 1:
                # A compound surname is distinctive on its own, and people shorten it.
                patterns.append(_phrase(last))
                for part in (p for p in last if len(p) >= 4):
                    patterns += [_phrase([*first, part]), _phrase([part, *first]),
                                 rf"{_CIVILITY}{re.escape(part)}"]
        elif len(first or last) > 1:
            patterns.append(_phrase(first or last))
        # A single word (« Samira », no surname known) is not searched for: replacing it
        # everywhere would also erase the facilitator of the same first name.
        keys = set(last or first) if patterns else set()
        email = (person.get("email") or "").strip()
        if email:
            patterns.append(re.escape(fold(email)))
            keys.add(fold(email))
        digits = re.sub(r"\D", "", person.get("phone") or "")
        if len(digits) >= 6:
            separators = r"[\s.\-()]*"
            number = separators.join(digits[1:] if digits.startswith("0") else digits)
            patterns.append(rf"(?<!\d)(?:\+?33{separators}(?:\(0\))?{separators}|0)?"
                            rf"{separators}{number}(?!\d)")
            keys.add(digits[-2:])  # the SQL sieve cannot skip separators
        if not patterns:
            return cls(None, ())
        # Longest first: « Mme Quatrefages-Ullmann » rather than « Quatrefages-Ullmann ».
        patterns.sort(key=len, reverse=True)
        regex = re.compile(rf"(?<!{_WORD})(?:{'|'.join(patterns)})(?!{_WORD})")
        return cls(regex, tuple(sorted(keys)))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where ``text`` mentions the person, as (start, end) in ``text`` itself."""
        if self.regex is None or not text:
            return []
        folded = fold(text)
        if not self.regex.search(folded):
            return []
        folded, origin = _fold_with_origin(text)
        return [(origin[m.start()], origin[m.end() - 1] + 1)
                for m in self.regex.finditer(folded) if m.end() > m.start()]

    def replace(self, text: str, replacement: str = ERASED_MENTION) -> tuple[str, int]:
        spans = self.spans(text)
        for start, end in reversed(spans):
            text = text[:start] + replacement + text[end:]
        return text, len(spans)


def _excerpt(text: str, start: int, end: int, width: int = 70) -> str:
    """The mention with some words around it, cut between words."""
    before = max(0, start - width)
    after = min(len(text), end + width)
    if before > 0:
        space = text.find(" ", before, start)
        before = space + 1 if space >= 0 else before
    if after < len(text):
        space = text.rfind(" ", end, after)
        after = space if space >= 0 else after
    excerpt = " ".join(text[before:after].split())
    return ("…" if before else "") + excerpt + ("…" if after < len(text) else "")


@dataclass
class Mention:
    table: str
    column: str
    record_id: str
    where: str
    excerpt: str
    count: int

    def as_dict(self) -> dict[str, Any]:
        return {"where": self.where, "table": self.table, "field": self.column,
                "record_id": self.record_id, "excerpt": self.excerpt, "count": self.count}


def _primary_key(db, table: str) -> list[str]:
    """The columns naming a row (``rowid`` for a table without a declared key)."""
    keys = sorted((row[5], row[1]) for row in
                  db.execute(f'PRAGMA table_info("{table}")').fetchall() if row[5])
    return [name for _position, name in keys] or ["rowid"]


def _rows_mentioning(db, matcher: NameMatcher, person_id: str
                     ) -> Iterator[tuple[str, str, tuple, str, list[tuple[int, int]]]]:
    """(table, column, key, text, spans) of every searched value mentioning the person;
    ``key`` holds the values of the table's primary key columns."""
    if matcher.regex is None:
        return
    for table, columns in searched_columns(db).items():
        keys = _primary_key(db, table)
        selected = ", ".join(f'"{k}"' for k in keys)
        for column in columns:
            # A cheap first sieve in SQL: the folded value holds one of the key words.
            sieve = " OR ".join(f'fold("{column}") LIKE ?' for _k in matcher.surnames)
            params: list[Any] = [f"%{k}%" for k in matcher.surnames]
            sql = (f'SELECT {selected}, "{column}" FROM "{table}" '
                   f'WHERE "{column}" IS NOT NULL AND "{column}" <> \'\'')
            if sieve:
                sql += f" AND ({sieve})"
            if table == "people":
                sql += " AND id <> ?"
                params.append(person_id)
            for *key, text in db.execute(sql, params).fetchall():
                if not isinstance(text, str):
                    continue
                spans = matcher.spans(text)
                if spans:
                    yield table, column, tuple(key), text, spans


# -- describing where a record is ---------------------------------------------------------

def _date(value: str | None) -> str:
    return i18n.format_date(dt.date.fromisoformat(value[:10]), "short") if value else ""


def _meeting_label(db, meeting_id: str | None) -> str:
    row = db.query_one("SELECT title, starts_at FROM meetings WHERE id = ?", (meeting_id,))
    if row is None:
        return _("a meeting")
    return _("meeting “%(title)s” of %(date)s") % {"title": row["title"],
                                                   "date": _date(row["starts_at"])}


def _walk_label(db, walk_id: str | None) -> str:
    row = db.query_one("SELECT title, walk_date FROM walks WHERE id = ?", (walk_id,))
    if row is None:
        return _("a walk")
    return _("walk “%(title)s” of %(date)s") % {"title": row["title"],
                                                "date": _date(row["walk_date"])}


def _where(db, table: str, record_id: str, column: str = "") -> str:
    """A sentence a facilitator understands: which meeting, walk or council."""
    if table == "conflicts":
        return _("an exchange conflict waiting to be settled")
    row = db.query_one(f'SELECT * FROM "{table}" WHERE id = ?', (record_id,)) \
        if table in records._TABLES else None
    if row is None:
        return table
    if table == "meetings":
        label = _meeting_label(db, record_id)
        return f"{label} — " + _("minutes") if column == "notes" else label
    if table == "agenda_items":
        return f"{_meeting_label(db, row['meeting_id'])} — " + _("agenda item “%(title)s”") % {
            "title": row["title"]}
    if table in ("decisions", "actions", "amendments", "attendance", "action_updates"):
        label = _meeting_label(db, row["meeting_id"])
        kinds = {"decisions": _("decision"), "actions": _("action"),
                 "amendments": _("amendment"), "attendance": _("attendance note"),
                 "action_updates": _("follow-up of an action")}
        return f"{label} — {kinds[table]}"
    if table == "walks":
        return _walk_label(db, record_id)
    if table in ("observations", "photos", "walk_stops", "walk_participants"):
        label = _walk_label(db, row["walk_id"])
        if table == "observations":
            return f"{label} — " + _("observation %(number)s") % {"number": row["number"]}
        kinds = {"photos": _("photo caption"), "walk_stops": _("stop"),
                 "walk_participants": _("participants")}
        return f"{label} — {kinds[table]}"
    if table == "followup_steps":
        found = db.query_one(
            """SELECT o.walk_id, o.number FROM followup_steps s
               JOIN followups f ON f.id = s.followup_id
               JOIN observations o ON o.id = f.observation_id WHERE s.id = ?""", (record_id,))
        if found:
            return (f"{_walk_label(db, found['walk_id'])} — "
                    + _("follow-up of observation %(number)s") % {"number": found["number"]})
    if table == "councils":
        return _("council “%(name)s”") % {"name": row["name"]}
    if table == "memberships":
        council = db.query_one("SELECT name FROM councils WHERE id = ?", (row["council_id"],))
        return _("membership of the council “%(name)s”") % {
            "name": council["name"] if council else ""}
    if table == "people":
        return _("notes on another person's record")
    if table == "media":
        return _("name of a photo file")
    return table


def find_mentions(db, person_id: str) -> list[Mention]:
    """The places in free text that mention the person (best effort, see the module)."""
    person = require_person(db, person_id)
    matcher = NameMatcher.for_person(person)
    found = []
    for table, column, key, text, spans in _rows_mentioning(db, matcher, person_id):
        start, end = spans[0]
        record_id = "/".join(str(k) for k in key)
        found.append(Mention(table, column, record_id, _where(db, table, record_id, column),
                             _excerpt(text, start, end), len(spans)))
    return found


# -- right of access ----------------------------------------------------------------------

def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def export_person(db, person_id: str) -> dict[str, Any]:
    """Everything about one person, ready for ``json.dump`` (right of access)."""
    person = require_person(db, person_id)
    colleges = vocabulary_labels(db, "college")
    roles = vocabulary_labels(db, "member_role")
    statuses = vocabulary_labels(db, "attendance_status")
    walk_roles = vocabulary_labels(db, "walk_role")

    def name_of(other_id: str | None) -> str | None:
        if not other_id:
            return None
        row = db.query_one("SELECT first_name, last_name FROM people WHERE id = ?",
                           (other_id,))
        return display_name(row["first_name"], row["last_name"]) if row else None

    memberships = [
        {"council_id": m["council_id"], "council": m["council_name"],
         "college": m["college"], "college_label": colleges.get(m["college"], m["college"]),
         "role": m["role"], "role_label": roles.get(m["role"], m["role"]),
         "joined_on": m["joined_on"], "left_on": m["left_on"],
         "current": bool(not m["deleted_at"] and is_active(m)), "notes": m["notes"],
         "withdrawn": m["deleted_at"] is not None}
        for m in db.query(
            """SELECT m.*, c.name AS council_name FROM memberships m
               JOIN councils c ON c.id = m.council_id WHERE m.person_id = ?
               ORDER BY m.joined_on, c.name""", (person_id,))
    ]
    attendance = [
        {"meeting_id": a["meeting_id"], "meeting": a["title"], "council": a["council_name"],
         "starts_at": a["starts_at"], "cancelled": bool(a["cancelled"]),
         "invited": bool(a["invited"]), "member": bool(a["member"]),
         "status": a["status"],
         "status_label": statuses.get(a["status"], a["status"]) if a["status"] else None,
         "represented_by": name_of(a["proxy_person_id"]), "note": a["note"],
         "withdrawn": a["deleted_at"] is not None}
        for a in db.query(
            """SELECT a.*, m.title, m.starts_at, m.cancelled, c.name AS council_name
               FROM attendance a JOIN meetings m ON m.id = a.meeting_id
               JOIN councils c ON c.id = m.council_id
               WHERE a.person_id = ? AND m.deleted_at IS NULL ORDER BY m.starts_at""",
            (person_id,))
    ]
    proxies_held = [
        {"meeting_id": a["meeting_id"], "meeting": a["title"], "starts_at": a["starts_at"],
         "on_behalf_of": name_of(a["person_id"])}
        for a in db.query(
            """SELECT a.*, m.title, m.starts_at FROM attendance a
               JOIN meetings m ON m.id = a.meeting_id
               WHERE a.proxy_person_id = ? AND a.deleted_at IS NULL AND m.deleted_at IS NULL
               ORDER BY m.starts_at""", (person_id,))
    ]
    actions = [
        {"id": a["id"], "text": a["text"], "meeting": a["title"],
         "meeting_starts_at": a["starts_at"], "due_on": a["due_on"], "status": a["status"],
         "closed_on": a["closed_on"]}
        for a in db.query(
            """SELECT a.*, m.title, m.starts_at FROM actions a
               JOIN meetings m ON m.id = a.meeting_id
               WHERE a.assignee_person_id = ? AND a.deleted_at IS NULL
               AND m.deleted_at IS NULL ORDER BY m.starts_at, a.position""", (person_id,))
    ]
    walks = [
        {"walk_id": w["walk_id"], "walk": w["title"], "date": w["walk_date"],
         "council": w["council_name"], "role": w["role"],
         "role_label": walk_roles.get(w["role"], w["role"]), "organisation": w["organisation"]}
        for w in db.query(
            """SELECT wp.*, w.title, w.walk_date, c.name AS council_name
               FROM walk_participants wp JOIN walks w ON w.id = wp.walk_id
               JOIN councils c ON c.id = w.council_id
               WHERE wp.person_id = ? AND wp.deleted_at IS NULL AND w.deleted_at IS NULL
               ORDER BY w.walk_date""", (person_id,))
    ]
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "application": f"PERR Desktop {__version__}",
        "person": {
            "id": person["id"],
            "name": display_name(person["first_name"], person["last_name"]),
            "first_name": person["first_name"], "last_name": person["last_name"],
            "gender": person["gender"], "gender_label": gender_label(person["gender"]),
            "organisation": person["organisation"], "birth_year": person["birth_year"],
            "lives_in_qpv": _flag(person["lives_in_qpv"]), "notes": person["notes"],
            "created_at": person["created_at"], "updated_at": person["updated_at"],
            "removed_from_directory": person["deleted_at"] is not None,
        },
        "contact": {"email": person["email"], "phone": person["phone"],
                    "address": person["address"]},
        "consent": {"date": person["consent_date"], "contact": bool(person["consent_contact"]),
                    "photos": bool(person["consent_photos"])},
        "memberships": memberships,
        "attendance": attendance,
        "proxies_held": proxies_held,
        "actions_assigned": actions,
        "walks": walks,
        "mentions": [m.as_dict() for m in find_mentions(db, person_id)],
        "notes": [
            _("Mentions in free text were searched for the full name (in either order, "
              "accents and capitals ignored), « Mme/M. » followed by the surname, an initial "
              "followed by the surname, and the email address and telephone number: this is "
              "a best effort, a nickname or a misspelling is not found."),
            _("Photos are not listed: nobody can tell automatically who appears on them. "
              "Those of the walks listed above may show this person."),
        ],
    }


def write_person_export(db, person_id: str, path: Path | str) -> Path:
    """Write :func:`export_person` to ``path`` (UTF-8, indented), whole or not at all."""
    from perr_desktop.services.calendar import write_atomically  # with user_errors

    path = Path(path)
    data = json.dumps(export_person(db, person_id), ensure_ascii=False, indent=2) + "\n"
    write_atomically(path, data.encode("utf-8"))
    return path


# -- right to erasure ---------------------------------------------------------------------

@dataclass
class ErasureReport:
    name: str
    meetings_counted: int = 0       # presences turned into anonymous head counts
    attendance_withdrawn: int = 0   # attendance rows withdrawn (present or not)
    proxies_cleared: int = 0
    memberships: int = 0
    actions: int = 0
    walks_counted: int = 0
    mentions: int = 0
    file_clean: bool = True         # the file and its WAL were rewritten without it
    problem: str = ""               # why not, when file_clean is False


def is_erased(person: dict[str, Any]) -> bool:
    return not person["first_name"] and not person["last_name"] and bool(person["deleted_at"])


def erasure_preview(db, person_id: str) -> dict[str, Any]:
    """What :func:`erase_person` would do, for the confirmation dialog."""
    person = require_person(db, person_id)
    present = db.scalar(
        """SELECT count(*) FROM attendance a JOIN meetings m ON m.id = a.meeting_id
           WHERE a.person_id = ? AND a.deleted_at IS NULL AND m.deleted_at IS NULL
           AND a.status = 'present'""", (person_id,))
    listed = db.scalar("SELECT count(*) FROM attendance WHERE person_id = ? "
                       "AND deleted_at IS NULL", (person_id,))
    name = display_name(person["first_name"], person["last_name"])
    namesakes = db.scalar(
        "SELECT count(*) FROM people WHERE id <> ? AND fold(first_name) = ? "
        "AND fold(last_name) = ?",
        (person_id, fold(person["first_name"]), fold(person["last_name"]))) if name else 0
    return {
        "name": name,
        "present": present,
        "other_attendance": listed - present,
        "memberships": db.scalar("SELECT count(*) FROM memberships WHERE person_id = ? "
                                 "AND deleted_at IS NULL", (person_id,)),
        "actions": db.scalar("SELECT count(*) FROM actions WHERE assignee_person_id = ? "
                             "AND deleted_at IS NULL", (person_id,)),
        "walks": db.scalar("SELECT count(*) FROM walk_participants WHERE person_id = ? "
                           "AND deleted_at IS NULL", (person_id,)),
        "mentions": find_mentions(db, person_id),
        "namesakes": namesakes,
        "has_contact": bool(person["email"] or person["phone"] or person["address"]),
    }


def _write(db, table: str, record_id: str, changes: dict[str, Any]) -> bool:
    """Update a row, tombstone or not; ``updated_at`` moves only if something changed (so
    that another laptop takes this version)."""
    current = db.query_one(f'SELECT * FROM "{table}" WHERE id = ?', (record_id,))
    changed = {k: v for k, v in changes.items() if current[k] != v}
    if not changed:
        return False
    if "updated_at" in current:
        changed["updated_at"] = records.now_utc()
    assignments = ", ".join(f'"{c}" = :{c}' for c in changed)
    db.execute(f'UPDATE "{table}" SET {assignments} WHERE id = :_id',
               {**changed, "_id": record_id})
    return True


def _tombstone(db, table: str, row: dict[str, Any], changes: dict[str, Any]) -> None:
    values = dict(changes)
    if not row["deleted_at"]:
        values["deleted_at"] = records.now_utc()
    _write(db, table, row["id"], values)


def _count_anonymously(db, meeting: dict[str, Any], person: dict[str, Any],
                       first_time: bool | None) -> None:
    """One more line in the meeting's head counts, described as the person was."""
    day = dt.date.fromisoformat(meeting["starts_at"][:10])
    key = {"meeting_id": meeting["id"], "gender": person["gender"],
           "age_band": age_band(person["birth_year"], day).value,
           "lives_in_qpv": person["lives_in_qpv"],
           "first_time": None if first_time is None else int(first_time)}
    row = db.query_one(
        """SELECT * FROM headcounts WHERE meeting_id = ? AND gender = ? AND age_band = ?
           AND lives_in_qpv IS ? AND first_time IS ? ORDER BY deleted_at IS NOT NULL LIMIT 1""",
        (key["meeting_id"], key["gender"], key["age_band"], key["lives_in_qpv"],
         key["first_time"]))
    if row is None:
        records.insert(db, "headcounts", {**key, "count": 1})
    elif row["deleted_at"]:
        _write(db, "headcounts", row["id"], {"deleted_at": None, "count": 1})
    else:
        _write(db, "headcounts", row["id"], {"count": row["count"] + 1})


def _erase_attendance(db, person: dict[str, Any], report: ErasureReport) -> None:
    person_id = person["id"]
    rows = db.query(
        """SELECT a.*, m.starts_at, m.deleted_at AS meeting_deleted FROM attendance a
           JOIN meetings m ON m.id = a.meeting_id WHERE a.person_id = ?
           ORDER BY m.starts_at""", (person_id,))
    seen_before = False
    for row in rows:
        if (row["status"] == Attendance.PRESENT and not row["deleted_at"]
                and not row["meeting_deleted"]):
            # Known to have come before for every presence but the first recorded one;
            # for that one, nobody knows whether it was their first time.
            _count_anonymously(db, {"id": row["meeting_id"], "starts_at": row["starts_at"]},
                               person, False if seen_before else None)
            seen_before = True
            report.meetings_counted += 1
        if not row["deleted_at"]:
            report.attendance_withdrawn += 1
        _tombstone(db, "attendance", row, {"status": None, "proxy_person_id": None,
                                           "note": "", "invited": 0, "member": 0})
    for row in db.query("SELECT * FROM attendance WHERE proxy_person_id = ?", (person_id,)):
        # The person they stood for stays « représenté », with no proxy named.
        _write(db, "attendance", row["id"], {"proxy_person_id": None})
        report.proxies_cleared += 1


def _erase_walks(db, person: dict[str, Any], report: ErasureReport) -> None:
    whole_name = fold(display_name(person["first_name"], person["last_name"]))
    rows = db.query("SELECT * FROM walk_participants WHERE person_id = ?", (person["id"],))
    if whole_name:
        # Typed by hand instead of chosen from the directory: the same person.
        rows += [r for r in db.query(
            "SELECT * FROM walk_participants WHERE person_id IS NULL AND fold(name) = ?",
            (" ".join(whole_name.split()),))]
    for row in rows:
        if not row["deleted_at"]:
            walk = db.query_one("SELECT * FROM walks WHERE id = ?", (row["walk_id"],))
            _write(db, "walks", walk["id"],
                   {"counted_participants": (walk["counted_participants"] or 0) + 1})
            report.walks_counted += 1
        changes = {"name": "", "organisation": ""}
        if row["person_id"] is None:
            # A row needs a person or a name: the emptied tombstone points to the person.
            changes["person_id"] = person["id"]
        _tombstone(db, "walk_participants", row, changes)


def _replace_mentions(db, matcher: NameMatcher, person_id: str) -> int:
    replaced = 0
    for table, column, key, text, _spans in list(_rows_mentioning(db, matcher, person_id)):
        new_text, count = matcher.replace(text)
        keys = _primary_key(db, table)
        if keys == ["id"]:
            _write(db, table, key[0], {column: new_text})
        else:
            where = " AND ".join(f'"{k}" = ?' for k in keys)
            db.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE {where}', (new_text, *key))
        replaced += count
    return replaced


def _drop_conflicts(db, person_id: str) -> None:
    """An exchange conflict over the person's own record holds copies of their identity,
    field by field: the erasure settles it (the copies go; nothing travels from there)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(conflicts)").fetchall()}
    if {"table_name", "record_id"} <= columns:
        db.execute("DELETE FROM conflicts WHERE table_name = 'people' AND record_id = ?",
                   (person_id,))


_EMPTY_PERSON = {
    "first_name": "", "last_name": "", "gender": "non_precise", "organisation": "",
    "email": "", "phone": "", "address": "", "birth_year": None, "lives_in_qpv": None,
    "notes": "", "consent_date": None, "consent_contact": 0, "consent_photos": 0,
    "search_key": "", "sort_key": "",
}


def erase_person(db, person_id: str) -> ErasureReport:
    """Erase a person (right to erasure); see the module's docstring for what it does.

    The database work is one transaction; the file is then rewritten so that the name is
    nowhere in it or in its WAL. ``report.file_clean`` says whether that second step
    finished (another program holding the database open can delay it).
    """
    person = require_person(db, person_id)
    report = ErasureReport(name=display_name(person["first_name"], person["last_name"]))
    with _secure_delete(db):
        with db.transaction():
            person = require_person(db, person_id)
            matcher = NameMatcher.for_person(person)
            _erase_attendance(db, person, report)
            _erase_walks(db, person, report)
            for row in db.query("SELECT * FROM memberships WHERE person_id = ?", (person_id,)):
                report.memberships += 0 if row["deleted_at"] else 1
                _tombstone(db, "memberships", row,
                           {"joined_on": None, "left_on": None, "notes": ""})
            for row in db.query("SELECT id FROM actions WHERE assignee_person_id = ?",
                                (person_id,)):
                _write(db, "actions", row["id"], {"assignee_person_id": None})
                report.actions += 1
            _tombstone(db, "people", person, _EMPTY_PERSON)
            _drop_conflicts(db, person_id)
            report.mentions = _replace_mentions(db, matcher, person_id)
        report.file_clean, report.problem = scrub_file(db)
    return report


@contextlib.contextmanager
def _secure_delete(db) -> Iterator[None]:
    """``PRAGMA secure_delete`` on for the duration: what the writes free is overwritten
    with zeros (the default of Debian's SQLite, not of the Windows or macOS Pythons)."""
    before = db.scalar("PRAGMA secure_delete")
    db.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        db.execute(f"PRAGMA secure_delete = {int(before or 0):d}")


def scrub_file(db) -> tuple[bool, str]:
    """Rewrite the database file without its free space and empty the WAL, so that what
    was deleted is gone from the disk files SQLite writes. Returns (done, problem)."""
    from perr_desktop.services import search

    try:
        search.compact_index(db)  # the index's words of the rewritten texts go too
        db.execute("VACUUM")
        busy, _log, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except UserError as exc:
        return False, exc.message
    except sqlite3.OperationalError as exc:  # e.g. another program reading the database
        return False, str(exc)
    if busy:
        return False, _("Another program is using the database: the file will be cleaned "
                        "when it is closed.")
    return True, ""


def erasure_summary(report: ErasureReport, person_id: str) -> str:
    """One line saying what an erasure did."""
    counted = report.meetings_counted + report.walks_counted
    return _("%(who)s erased: %(counted)s, %(mentions)s.") % {
        "who": report.name or person_id,
        "counted": ngettext("%(count)d meeting or walk counts them as an anonymous participant",
                            "%(count)d meetings or walks count them as an anonymous "
                            "participant", counted) % {"count": counted},
        "mentions": ngettext("%(count)d mention of their name replaced",
                             "%(count)d mentions of their name replaced",
                             report.mentions) % {"count": report.mentions},
    }


def backups_holding_data(db) -> list[Path]:
    """The backups of the backups folder, as « Restaurer une sauvegarde… » lists them
    (damaged ones included: their files may still hold the person): made before an
    erasure, they still hold the person until they are deleted."""
    return sorted(backup.path for backup in list_backups(db.path))


def backups_warning(db, count: int) -> str:
    from perr_desktop import paths

    return ngettext(
        "%(count)d older backup in %(folder)s still contains their data until it is deleted.",
        "%(count)d older backups in %(folder)s still contain their data until they are "
        "deleted.", count) % {"count": count, "folder": paths.backups_dir(db.path)}


# -- retention ----------------------------------------------------------------------------

def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# The latest day each person was seen: one pass over each table (grouped), not one query
# per person, so that the People page opens as fast with 20,000 people.
_LAST_SEEN = """
    WITH seen (person_id, day) AS (
        SELECT a.person_id, max(substr(m.starts_at, 1, 10)) FROM attendance a
        JOIN meetings m ON m.id = a.meeting_id
        WHERE a.deleted_at IS NULL AND m.deleted_at IS NULL GROUP BY a.person_id
        UNION ALL
        SELECT person_id, max(coalesce(left_on, joined_on, '')) FROM memberships
        WHERE deleted_at IS NULL GROUP BY person_id
        UNION ALL
        SELECT wp.person_id, max(w.walk_date) FROM walk_participants wp
        JOIN walks w ON w.id = wp.walk_id
        WHERE wp.person_id IS NOT NULL AND wp.deleted_at IS NULL AND w.deleted_at IS NULL
        GROUP BY wp.person_id
        UNION ALL
        SELECT ac.assignee_person_id, max(max(substr(m.starts_at, 1, 10),
                                              coalesce(ac.closed_on, '')))
        FROM actions ac JOIN meetings m ON m.id = ac.meeting_id
        WHERE ac.assignee_person_id IS NOT NULL AND ac.deleted_at IS NULL
        GROUP BY ac.assignee_person_id
    ), last_seen (person_id, day) AS (
        SELECT person_id, max(day) FROM seen GROUP BY person_id
    )
"""


def purge_candidates(db, years: int = DEFAULT_RETENTION_YEARS, today: dt.date | None = None
                     ) -> list[dict[str, Any]]:
    """People whose contact details have been kept long enough: no current membership,
    nothing for ``years`` years (no meeting they were invited to or came to, no
    membership ended, no walk, no action given, not created), and an email, a telephone
    or an address still recorded. People removed from the directory count too: their
    details are still in the file."""
    today = today or dt.date.today()
    cutoff = _years_before(today, years).isoformat()
    rows = db.query(
        f"""{_LAST_SEEN}
            SELECT * FROM (
                SELECT p.id, p.first_name, p.last_name, p.organisation, p.email, p.phone,
                       p.address, p.deleted_at, p.sort_key,
                       max(substr(p.created_at, 1, 10), coalesce(l.day, '')) AS last_activity
                FROM people p LEFT JOIN last_seen l ON l.person_id = p.id
                WHERE (p.email <> '' OR p.phone <> '' OR p.address <> '')
                AND NOT EXISTS (
                    SELECT 1 FROM memberships ms JOIN councils c ON c.id = ms.council_id
                    WHERE ms.person_id = p.id AND ms.deleted_at IS NULL
                    AND c.deleted_at IS NULL
                    AND (ms.joined_on IS NULL OR ms.joined_on <= :today)
                    AND (ms.left_on IS NULL OR ms.left_on > :today)))
            WHERE last_activity < :cutoff ORDER BY sort_key""",
        {"today": today.isoformat(), "cutoff": cutoff})
    for row in rows:
        row["name"] = display_name(row["first_name"], row["last_name"])
        row["removed"] = row.pop("deleted_at") is not None
        del row["sort_key"]
    return rows


def purge_contacts(db, person_ids: Iterable[str]) -> int:
    """Empty the email, telephone and address of these people (one transaction); names,
    consent and history stay. Returns how many people had something erased."""
    ids = list(dict.fromkeys(person_ids))
    changed = 0
    with _secure_delete(db):
        with db.transaction():
            for person_id in ids:
                require_person(db, person_id)
                if _write(db, "people", person_id, {"email": "", "phone": "", "address": ""}):
                    changed += 1
        if changed:
            scrub_file(db)
    return changed


def require_person(db, person_id: str) -> dict[str, Any]:
    """The person, removed from the directory or not (erasure applies to both)."""
    try:
        return records.get(db, "people", person_id, include_deleted=True)
    except NotFoundError:
        raise NotFoundError(_("No person with the id %(id)s.") % {"id": person_id}) from None

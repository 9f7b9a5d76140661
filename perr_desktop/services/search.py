"""Search everywhere: observations, walks, meetings and their minutes, in one query.

The text is searched in the FTS5 index that migration 6 keeps in step with the records
(``search_fts``, ``search_map``): capitals and accents do not matter (« eclairage » finds
« Éclairage »), every word typed is the beginning of a word of the record (« lampa »
finds « lampadaire »), and all the words must be there. What the user types is never
handed to FTS5's query language: it is cut into words, each written as a quoted
string, so that quotes, asterisks, ``NEAR(`` or ``OR`` are searched as words, never read
as operators. Records in the bin (``deleted_at``), and those whose walk, meeting or
council is, are not found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from perr_desktop.i18n import _

# Around the matched words in :attr:`Hit.marked` (the window shows them in bold).
MARK_START, MARK_END = "\x02", "\x03"
ELLIPSIS = "…"
SNIPPET_WORDS = 14
MAX_WORDS = 8  # of the text typed: more says nothing more, and costs
# bm25 weights of the columns: a word of the title counts more than one of the text.
WEIGHTS = (6.0, 2.0, 1.0)
KINDS = ("observation", "walk", "walk_stop", "meeting", "agenda_item", "decision", "action")

_WORD = re.compile(r"[^\W_]+")
# Ligatures the tokenizer keeps as they are: « coeur » typed also finds « cœur ».
_LIGATURES = (("oe", "œ"), ("ae", "æ"))


@dataclass(frozen=True)
class Hit:
    """One record found. ``title`` says what it is and where it belongs (« No. 12 —
    Diagnostic de nuit », a meeting's title…); ``snippet`` the words around the match;
    ``date`` (ISO) the walk's or the meeting's; ``walk_id`` or ``meeting_id`` what to
    open to see it."""

    kind: str
    id: str
    title: str
    snippet: str
    date: str | None
    walk_id: str | None = None
    meeting_id: str | None = None
    marked: str = ""  # the snippet, matched words between MARK_START and MARK_END

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "title": self.title,
                "snippet": self.snippet, "date": self.date, "walk_id": self.walk_id,
                "meeting_id": self.meeting_id}


def words(text: str) -> list[str]:
    """The words of ``text`` as the index cuts them (letters and digits), lower case."""
    return [w.casefold() for w in _WORD.findall(text or "")][:MAX_WORDS]


def match_expression(text: str) -> str | None:
    """The FTS5 query for what the user typed: every word, as the start of a word; None
    when there is no word to look for. Safe whatever ``text`` holds: each word is a
    quoted string made of letters and digits only."""
    terms = []
    for word in words(text):
        variants = [word] + [word.replace(plain, joined) for plain, joined in _LIGATURES
                             if plain in word]
        quoted = [f'"{v}"*' for v in dict.fromkeys(variants)]
        terms.append(quoted[0] if len(quoted) == 1 else f"({' OR '.join(quoted)})")
    return " AND ".join(terms) if terms else None


def ids_matching(kind: str, name: str = "fts") -> str:
    """SQL selecting the ids of the ``kind`` records (live ones: the index holds no
    other) whose text matches the query bound as ``:name`` (a :func:`match_expression`),
    for another query's ``IN (…)``."""
    if kind not in KINDS or not name.isidentifier():
        raise ValueError(kind)
    return ("SELECT sm.record_id FROM search_fts JOIN search_map sm "
            f"ON sm.docid = search_fts.rowid WHERE search_fts MATCH :{name} "
            f"AND sm.kind = '{kind}'")


def search(db, text: str, limit: int = 50, kinds: Iterable[str] | None = None) -> list[Hit]:
    """The records whose text holds every word of ``text``, the most telling first
    (titles count more), at most ``limit``."""
    expression = match_expression(text)
    if expression is None or limit <= 0:
        return []
    wanted = set(kinds or KINDS)
    hits: list[Hit] = []
    seen = 0
    batch = max(limit * 2, 40)
    while len(hits) < limit:
        rows = db.execute(
            f"""SELECT sm.kind, sm.record_id,
                       snippet(search_fts, -1, ?, ?, ?, {SNIPPET_WORDS:d}) AS marked
                FROM search_fts JOIN search_map sm ON sm.docid = search_fts.rowid
                WHERE search_fts MATCH ?
                ORDER BY bm25(search_fts, {', '.join(f'{w:.1f}' for w in WEIGHTS)}),
                         sm.docid DESC
                LIMIT ? OFFSET ?""",
            (MARK_START, MARK_END, ELLIPSIS, expression, batch, seen)).fetchall()
        seen += len(rows)
        found = [(kind, record_id, marked) for kind, record_id, marked in rows
                 if kind in wanted]
        hits += _hits(db, found)
        if len(rows) < batch:
            break
    return hits[:limit]


def _hits(db, found: list[tuple[str, str, str]]) -> list[Hit]:
    """The hits of ``found`` (kind, id, marked snippet) whose records and parents are
    live, in the same order, with their titles, dates and what to open."""
    by_kind: dict[str, list[str]] = {}
    for kind, record_id, _marked in found:
        by_kind.setdefault(kind, []).append(record_id)
    context: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, ids in by_kind.items():
        for row in _context(db, kind, ids):
            context[(kind, row["id"])] = row
    hits = []
    for kind, record_id, marked in found:
        row = context.get((kind, record_id))
        if row is None:
            continue
        hits.append(Hit(kind, record_id, _title(kind, row), plain(marked), row["day"],
                        row.get("walk_id"), row.get("meeting_id"), marked))
    return hits


def plain(marked: str) -> str:
    return marked.replace(MARK_START, "").replace(MARK_END, "")


_MEETING = """JOIN meetings m ON m.id = x.meeting_id AND m.deleted_at IS NULL
              JOIN councils c ON c.id = m.council_id AND c.deleted_at IS NULL"""
_WALK = """JOIN walks w ON w.id = x.walk_id AND w.deleted_at IS NULL
           JOIN councils c ON c.id = w.council_id AND c.deleted_at IS NULL"""
_CONTEXT = {
    "observation": f"""SELECT x.id, x.number, w.id AS walk_id, w.title AS walk_title,
                              w.walk_date AS day FROM observations x {_WALK}""",
    "walk_stop": f"""SELECT x.id, x.position, x.name, w.id AS walk_id, w.title AS walk_title,
                            w.walk_date AS day FROM walk_stops x {_WALK}""",
    "walk": """SELECT x.id, x.id AS walk_id, x.title AS walk_title, x.walk_date AS day
               FROM walks x JOIN councils c ON c.id = x.council_id
               AND c.deleted_at IS NULL""",
    "meeting": """SELECT x.id, x.id AS meeting_id, x.title AS meeting_title,
                         substr(x.starts_at, 1, 10) AS day
                  FROM meetings x JOIN councils c ON c.id = x.council_id
                  AND c.deleted_at IS NULL""",
    "agenda_item": f"""SELECT x.id, x.title, x.position, m.id AS meeting_id,
                              m.title AS meeting_title, substr(m.starts_at, 1, 10) AS day
                       FROM agenda_items x {_MEETING}""",
    "decision": f"""SELECT x.id, m.id AS meeting_id, m.title AS meeting_title,
                           substr(m.starts_at, 1, 10) AS day FROM decisions x {_MEETING}""",
    "action": f"""SELECT x.id, m.id AS meeting_id, m.title AS meeting_title,
                         substr(m.starts_at, 1, 10) AS day FROM actions x {_MEETING}""",
}


def _context(db, kind: str, ids: list[str]) -> list[dict[str, Any]]:
    sql = _CONTEXT.get(kind)
    if sql is None:
        return []
    marks = ", ".join("?" * len(ids))
    return db.query(f"{sql} WHERE x.deleted_at IS NULL AND x.id IN ({marks})", ids)


def _title(kind: str, row: dict[str, Any]) -> str:
    if kind == "observation":
        return _("Observation No. %(number)d — %(walk)s") % {
            "number": row["number"], "walk": row["walk_title"]}
    if kind == "walk_stop":
        return _("Stop “%(stop)s” — %(walk)s") % {"stop": row["name"],
                                                   "walk": row["walk_title"]}
    if kind == "walk":
        return _("Walk — %(walk)s") % {"walk": row["walk_title"]}
    if kind == "meeting":
        return _("Meeting — %(meeting)s") % {"meeting": row["meeting_title"]}
    if kind == "agenda_item":
        return _("Agenda item “%(item)s” — %(meeting)s") % {
            "item": row["title"], "meeting": row["meeting_title"]}
    if kind == "decision":
        return _("Decision — %(meeting)s") % {"meeting": row["meeting_title"]}
    return _("Action — %(meeting)s") % {"meeting": row["meeting_title"]}


def compact_index(db) -> None:
    """Merge the index into one piece: the words of edited or erased texts, which FTS5
    otherwise keeps until its pieces merge, are then gone from the file (RGPD erasure,
    before ``VACUUM``)."""
    if db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'search_fts'"):
        db.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")

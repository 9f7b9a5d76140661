"""Following up each problem with each body in charge, for months.

An observation sent to three bodies has three follow-ups; each has a status (the
``followup_status`` vocabulary, grouped open / fixed / closed) and a history of dated
steps (status, channel, note, next reminder). The follow-up's status is always the one
of its latest step.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from perr_desktop.domain import walks as rules
from perr_desktop.errors import ValidationError
from perr_desktop.i18n import _
from perr_desktop.storage import records


def _today() -> dt.date:
    return dt.date.today()


def _groups(db) -> dict[str, str]:
    return {r["code"]: r["grouping"] or rules.OPEN for r in db.query(
        "SELECT code, grouping FROM vocabulary WHERE kind = 'followup_status'")}


def _check(db, kind: str, code: str, field: str) -> None:
    if not code:
        raise ValidationError(_("Choose a value from the list."), field)
    if not db.scalar("SELECT count(*) FROM vocabulary WHERE kind = ? AND code = ? "
                     "AND deleted_at IS NULL", (kind, code)):
        raise ValidationError(_("Unknown value: %(value)s.") % {"value": code}, field)


def set_bodies(db, observation_id: str, bodies: Iterable[str]) -> None:
    """The bodies concerned by an observation: new ones start « à transmettre »; a body
    taken off keeps its history (tombstoned) and gets it back if ticked again."""
    wanted = list(dict.fromkeys(b for b in bodies if b))
    with db.transaction():
        records.get(db, "observations", observation_id)
        existing = {r["body"]: r for r in db.query(
            "SELECT * FROM followups WHERE observation_id = ?", (observation_id,))}
        for body in wanted:
            row = existing.get(body)
            if row is None or row["deleted_at"]:
                # Only a body newly ticked must be in the list: one removed from the list
                # since stays valid on the observations that already had it.
                _check(db, "body", body, "body")
            if row is None:
                records.insert(db, "followups", {"observation_id": observation_id,
                                                 "body": body, "status": rules.FIRST_STATUS})
            elif row["deleted_at"]:
                records.restore(db, "followups", row["id"])
        for body, row in existing.items():
            if body not in wanted and not row["deleted_at"]:
                records.soft_delete(db, "followups", row["id"])


def steps(db, followup_id: str) -> list[dict[str, Any]]:
    return db.query("SELECT * FROM followup_steps WHERE followup_id = ? AND deleted_at IS NULL "
                    "ORDER BY step_date, created_at", (followup_id,))


def add_step(db, followup_id: str, status: str, step_date: str | None = None,
             channel: str = "", note: str = "", next_reminder_on: str | None = None) -> str:
    """Record what happened: « transmis par courrier le 3 mars », « programmé pour mars »."""
    values = rules.validate_step({
        "status": status, "step_date": step_date or _today().isoformat(), "channel": channel,
        "note": note, "next_reminder_on": next_reminder_on}, _today())
    with db.transaction():
        followup = records.get(db, "followups", followup_id)
        walk = db.query_one(
            """SELECT w.walk_date FROM observations o JOIN walks w ON w.id = o.walk_id
               WHERE o.id = ? AND o.deleted_at IS NULL AND w.deleted_at IS NULL""",
            (followup["observation_id"],))
        if walk is None:
            raise ValidationError(_("This observation or its walk has been removed."),
                                  "followup_id")
        if values["step_date"] < walk["walk_date"]:
            raise ValidationError(_("A follow-up step cannot come before the walk."),
                                  "step_date")
        _check(db, "followup_status", values["status"], "status")
        if values["channel"]:
            _check(db, "followup_channel", values["channel"], "channel")
        step_id = records.insert(db, "followup_steps", {**values, "followup_id": followup_id})
        _sync(db, followup)
        return step_id


def remove_step(db, step_id: str) -> None:
    with db.transaction():
        step = records.get(db, "followup_steps", step_id)
        records.soft_delete(db, "followup_steps", step_id)
        _sync(db, records.get(db, "followups", step["followup_id"]))


def _sync(db, followup: dict[str, Any]) -> None:
    """The follow-up takes the status and next reminder of its latest step."""
    history = steps(db, followup["id"])
    latest = history[-1] if history else None
    records.update(db, "followups", followup["id"], {
        "status": latest["status"] if latest else rules.FIRST_STATUS,
        "next_reminder_on": latest["next_reminder_on"] if latest else None})


def for_walk(db, walk_id: str) -> dict[str, list[dict[str, Any]]]:
    """Follow-ups of a walk's observations, keyed by observation, with their history."""
    rows = db.query(
        """SELECT f.* FROM followups f JOIN observations o ON o.id = f.observation_id
           WHERE o.walk_id = ? AND f.deleted_at IS NULL AND o.deleted_at IS NULL
           ORDER BY f.body""", (walk_id,))
    history: dict[str, list[dict[str, Any]]] = {}
    for step in db.query(
            """SELECT s.* FROM followup_steps s JOIN followups f ON f.id = s.followup_id
               JOIN observations o ON o.id = f.observation_id
               WHERE o.walk_id = ? AND s.deleted_at IS NULL
               ORDER BY s.step_date, s.created_at""", (walk_id,)):
        history.setdefault(step["followup_id"], []).append(step)
    out: dict[str, list[dict[str, Any]]] = {}
    groups = _groups(db)
    for row in rows:
        row["steps"] = history.get(row["id"], [])
        row["last_step_date"] = row["steps"][-1]["step_date"] if row["steps"] else None
        row["group"] = groups.get(row["status"], rules.OPEN)
        out.setdefault(row["observation_id"], []).append(row)
    return out


def overdue(row: dict[str, Any], today: dt.date) -> bool:
    """« À relancer »: still open, and its reminder date has come, or — with no reminder
    set — sent more than REMINDER_AFTER_DAYS days ago without an answer (journey 5: an
    answer such as « pris en compte » stops the chase; set a reminder to follow it)."""
    if row["group"] != rules.OPEN:
        return False
    if row["next_reminder_on"]:
        return row["next_reminder_on"] <= today.isoformat()
    if row["status"] == rules.SENT_STATUS and row["last_step_date"]:
        limit = today - dt.timedelta(days=rules.REMINDER_AFTER_DAYS)
        return row["last_step_date"] < limit.isoformat()
    return False


_SEARCH_SQL = """
        SELECT f.*, o.number, o.description, o.proposal, o.theme, o.priority, o.positive,
               o.walk_id, w.title AS walk_title, w.walk_date, w.council_id,
               c.name AS council_name, s.name AS stop_name,
               (SELECT max(step_date) FROM followup_steps st WHERE st.followup_id = f.id
                  AND st.deleted_at IS NULL) AS last_step_date,
               (SELECT min(step_date) FROM followup_steps st WHERE st.followup_id = f.id
                  AND st.deleted_at IS NULL AND st.status = :sent) AS sent_on
        FROM followups f JOIN observations o ON o.id = f.observation_id
        JOIN walks w ON w.id = o.walk_id JOIN councils c ON c.id = w.council_id
        LEFT JOIN walk_stops s ON s.id = o.stop_id AND s.deleted_at IS NULL
        WHERE f.deleted_at IS NULL AND o.deleted_at IS NULL AND w.deleted_at IS NULL
          AND c.deleted_at IS NULL"""


def _search_rows(db, ids: list[str]) -> list[dict[str, Any]]:
    """search()'s rows for these ids, whatever the filters."""
    marks = ", ".join("?" * len(ids))
    sql = _SEARCH_SQL.replace(":sent", "?") + f" AND f.id IN ({marks})"
    rows = db.query(sql, [rules.SENT_STATUS, *ids])
    _complete(db, rows)
    return rows


def _complete(db, rows: list[dict[str, Any]]) -> None:
    groups = _groups(db)
    today = _today()
    for row in rows:
        row["group"] = groups.get(row["status"], rules.OPEN)
        row["overdue"] = overdue(row, today)
        row["age_days"] = (today - dt.date.fromisoformat(row["walk_date"])).days


def search(db, council_id: str | None = None, body: str | None = None,
           status: str | None = None, theme: str | None = None,
           older_than_days: int | None = None, to_remind: bool = False,
           group: str | None = None, followup_id: str | None = None
           ) -> list[dict[str, Any]]:
    """The « Suivi » list across all walks: one row per observation and body."""
    sql = _SEARCH_SQL
    params: dict[str, Any] = {"sent": rules.SENT_STATUS}
    for column, value in (("w.council_id", council_id), ("f.body", body),
                          ("f.status", status), ("o.theme", theme), ("f.id", followup_id)):
        if value:
            name = column.split(".")[1]
            sql += f" AND {column} = :{name}"
            params[name] = value
    today = _today()
    if older_than_days:
        sql += " AND w.walk_date <= :oldest"
        params["oldest"] = (today - dt.timedelta(days=older_than_days)).isoformat()
    rows = db.query(sql + " ORDER BY w.walk_date DESC, o.walk_id, o.number, f.body", params)
    _complete(db, rows)
    if group:
        rows = [r for r in rows if r["group"] == group]
    if to_remind:
        rows = [r for r in rows if r["overdue"]]
    return rows


# -- the « Suivi » list, read a page at a time ---------------------------------------------
# Ten years of walks make some twenty thousand follow-ups: the list asks for the ids of
# those its filters keep, sorted, with the two counts it shows (list_ids, one query),
# then for the rows on screen (list_rows). The rules of search() and overdue() in SQL.

_LAST_STEP = """(SELECT max(st.step_date) FROM followup_steps st
                 WHERE st.followup_id = f.id AND st.deleted_at IS NULL)"""
# :closed, a JSON array of the statuses not « open » (a status the vocabulary does not
# know counts as open, as in overdue()).
_OVERDUE = f"""(CASE WHEN f.status IN (SELECT value FROM json_each(:closed)) THEN 0
    WHEN f.next_reminder_on IS NOT NULL AND f.next_reminder_on <> ''
        THEN f.next_reminder_on <= :today
    WHEN f.status = :sent THEN coalesce({_LAST_STEP} < :limit, 0)
    ELSE 0 END)"""
_LIST_FROM = """
    FROM followups f JOIN observations o ON o.id = f.observation_id
    JOIN walks w ON w.id = o.walk_id JOIN councils c ON c.id = w.council_id
    LEFT JOIN walk_stops s ON s.id = o.stop_id AND s.deleted_at IS NULL
    WHERE f.deleted_at IS NULL AND o.deleted_at IS NULL AND w.deleted_at IS NULL
      AND c.deleted_at IS NULL"""
# Sort keys of the list (FollowupPage's columns) → SQL; ``None`` ones are ranks.
_SORT_KEYS = {"number": "o.number", "walk_date": "w.walk_date", "stop_name": "fold(s.name)",
              "description": "fold(o.description)", "last_step_date": _LAST_STEP,
              "next_reminder_on": "f.next_reminder_on", "body_label": None,
              "status_order": None}


def _list_where(db, council_id: str | None = None, body: str | None = None,
                status: str | None = None, theme: str | None = None,
                older_than_days: int | None = None, group: str | None = None,
                text: str = "") -> tuple[str, dict[str, Any]]:
    from perr_desktop.services import search

    today = _today()
    groups = _groups(db)
    params: dict[str, Any] = {
        "closed": json.dumps(sorted(c for c, g in groups.items() if g != rules.OPEN)),
        "sent": rules.SENT_STATUS, "today": today.isoformat(),
        "limit": (today - dt.timedelta(days=rules.REMINDER_AFTER_DAYS)).isoformat()}
    sql = _LIST_FROM
    for column, value in (("w.council_id", council_id), ("f.body", body),
                          ("f.status", status), ("o.theme", theme)):
        if value:
            name = column.split(".")[1]
            sql += f" AND {column} = :{name}"
            params[name] = value
    if older_than_days:
        sql += " AND w.walk_date <= :oldest"
        params["oldest"] = (today - dt.timedelta(days=older_than_days)).isoformat()
    if group:
        # The statuses of that family among those in use: an IN list the index on the
        # status answers (« open only », the default, keeps a third of ten years).
        codes = [row[0] for row in db.execute("SELECT DISTINCT status FROM followups")
                 if groups.get(row[0], rules.OPEN) == group]
        marks = ", ".join(f":g{n}" for n in range(len(codes))) or "NULL"
        sql += f" AND f.status IN ({marks})"
        params.update({f"g{n}": code for n, code in enumerate(codes)})
    expression = search.match_expression(text)
    if expression:
        # Through the search index (services/search.py): the observation's text, or the
        # name of its stop, or the title of its walk, holds every word typed.
        sql += (f" AND (o.id IN ({search.ids_matching('observation')})"
                f" OR o.stop_id IN ({search.ids_matching('walk_stop', 'fts_title')})"
                f" OR o.walk_id IN ({search.ids_matching('walk', 'fts_title')}))")
        params["fts"] = expression
        params["fts_title"] = f"title : ({expression})"
    return sql, params


def _rank(column: str, order: dict[str, int], prefix: str, params: dict[str, Any]) -> str:
    """``CASE column WHEN code THEN rank … END``: a vocabulary's order (or its labels'
    order in the interface's language) in SQL."""
    if not order:
        return column
    whens = []
    for n, (code, rank) in enumerate(order.items()):
        params[f"{prefix}{n}"] = code
        whens.append(f"WHEN :{prefix}{n} THEN {int(rank):d}")
    return f"(CASE {column} {' '.join(whens)} ELSE {len(order):d} END)"


@dataclass(frozen=True)
class Listing:
    """The « Suivi » list as its filters leave it: the ids in order, how many the
    filters keep before « à relancer » and how many of them are overdue."""

    ids: list[str]
    total: int
    overdue: int
    late: frozenset[str] = frozenset()  # the overdue ones among them


def list_ids(db, *, sort: str = "urgency", descending: bool = False,
             body_order: dict[str, int] | None = None,
             status_order: dict[str, int] | None = None, to_remind: bool = False,
             **filters: Any) -> Listing:
    """The « Suivi » list's follow-ups (filters as :func:`search`'s, plus ``text``, and
    ``to_remind`` for the overdue ones only), in one query, sorted by ``sort``:
    ``urgency`` (overdue first, then the latest walk, the observation's number, the
    body), or a column, empty values last and urgency between equals. ``body_order``
    and ``status_order`` rank the codes (the bodies by label, the statuses in the
    vocabulary's order)."""
    sql, params = _list_where(db, **filters)
    body = _rank("f.body", body_order or {}, "b", params)
    if sort == "urgency" or sort not in _SORT_KEYS:
        # Sorted here: faster than SQLite's sorter over twenty thousand computed keys.
        rows = db.execute(f"SELECT f.id, {_OVERDUE}, w.walk_date, o.number, {body}, "
                          f"o.walk_id, f.body {sql}", params).fetchall()
        # Stable sorts, the least telling key first: overdue, then the latest walk, then
        # the observation's number and the body (all reversed for a descending sort).
        rows.sort(key=itemgetter(3, 4, 5, 6), reverse=descending)
        rows.sort(key=itemgetter(2), reverse=not descending)
        rows.sort(key=itemgetter(1), reverse=not descending)
    else:
        key = _SORT_KEYS[sort] or (
            body if sort == "body_label" else
            _rank("f.status", status_order or {}, "s", params))
        empty = f"(({key}) IS NULL OR ({key}) = '')"
        urgency = ["2 DESC", "w.walk_date DESC", "o.number", body]
        order = [empty, f"{key} {'DESC' if descending else ''}", *urgency]
        rows = db.execute(f"SELECT f.id, {_OVERDUE} {sql} "
                          f"ORDER BY {', '.join(order)}, o.walk_id, f.body, f.id",
                          params).fetchall()
    late = frozenset(row[0] for row in rows if row[1])
    ids = [row[0] for row in rows if row[1]] if to_remind else [row[0] for row in rows]
    return Listing(ids, len(rows), len(late), late)



def list_rows(db, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The rows of these follow-ups as :func:`search` gives them (a page of the list)."""
    ids = list(ids)
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        for row in _search_rows(db, ids[start:start + 500]):
            out[row["id"]] = row
    return out


def resolution_days(row: dict[str, Any], history: list[dict[str, Any]],
                    groups: dict[str, str] | None = None) -> int | None:
    """Days from the first « transmis » to the step that resolved it — for a follow-up
    resolved now (one reopened since does not count). ``groups`` maps statuses to their
    family (``status_groups(db)``); by default only « résolu » is a resolution."""
    groups = groups or {"resolu": rules.FIXED}
    if groups.get(row["status"]) != rules.FIXED:
        return None
    sent = next((s["step_date"] for s in history if s["status"] == rules.SENT_STATUS), None)
    fixed = [s["step_date"] for s in history if groups.get(s["status"]) == rules.FIXED]
    if sent and fixed:
        return (dt.date.fromisoformat(fixed[-1]) - dt.date.fromisoformat(sent)).days
    return None


def status_groups(db) -> dict[str, str]:
    """Follow-up status code → its family (open, fixed, closed)."""
    return _groups(db)


def get(db, followup_id: str) -> dict[str, Any] | None:
    """One follow-up as the « Suivi » list shows it (None if it is gone)."""
    rows = search(db, followup_id=followup_id)
    return rows[0] if rows else None

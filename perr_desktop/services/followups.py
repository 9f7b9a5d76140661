"""Following up each problem with each body in charge, for months.

An observation sent to three bodies has three follow-ups; each has a status (the
``followup_status`` vocabulary, grouped open / fixed / closed) and a history of dated
steps (status, channel, note, next reminder). The follow-up's status is always the one
of its latest step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
            _check(db, "body", body, "body")
            row = existing.get(body)
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
        row["group"] = groups.get(row["status"], rules.OPEN)
        out.setdefault(row["observation_id"], []).append(row)
    return out


def overdue(row: dict[str, Any], today: dt.date) -> bool:
    """« À relancer »: still open, and its reminder date has come, or — with no reminder
    set — sent more than REMINDER_AFTER_DAYS ago without an answer."""
    if row["group"] != rules.OPEN:
        return False
    if row["next_reminder_on"]:
        return row["next_reminder_on"] <= today.isoformat()
    if row["status"] == rules.SENT_STATUS and row["last_step_date"]:
        limit = today - dt.timedelta(days=rules.REMINDER_AFTER_DAYS)
        return row["last_step_date"] <= limit.isoformat()
    return False


def search(db, council_id: str | None = None, body: str | None = None,
           status: str | None = None, theme: str | None = None,
           older_than_days: int | None = None, to_remind: bool = False,
           group: str | None = None) -> list[dict[str, Any]]:
    """The « Suivi » list across all walks: one row per observation and body."""
    sql = """
        SELECT f.*, o.number, o.description, o.proposal, o.theme, o.priority, o.positive,
               o.walk_id, w.title AS walk_title, w.walk_date, w.council_id,
               c.name AS council_name, s.name AS stop_name,
               (SELECT max(step_date) FROM followup_steps st WHERE st.followup_id = f.id
                  AND st.deleted_at IS NULL) AS last_step_date,
               (SELECT min(step_date) FROM followup_steps st WHERE st.followup_id = f.id
                  AND st.deleted_at IS NULL AND st.status = 'transmis') AS sent_on
        FROM followups f JOIN observations o ON o.id = f.observation_id
        JOIN walks w ON w.id = o.walk_id JOIN councils c ON c.id = w.council_id
        LEFT JOIN walk_stops s ON s.id = o.stop_id
        WHERE f.deleted_at IS NULL AND o.deleted_at IS NULL AND w.deleted_at IS NULL
          AND c.deleted_at IS NULL"""
    params: list[Any] = []
    for column, value in (("w.council_id", council_id), ("f.body", body),
                          ("f.status", status), ("o.theme", theme)):
        if value:
            sql += f" AND {column} = ?"
            params.append(value)
    today = _today()
    if older_than_days:
        sql += " AND w.walk_date <= ?"
        params.append((today - dt.timedelta(days=older_than_days)).isoformat())
    rows = db.query(sql + " ORDER BY w.walk_date DESC, o.number, f.body", params)
    groups = _groups(db)
    for row in rows:
        row["group"] = groups.get(row["status"], rules.OPEN)
        row["overdue"] = overdue(row, today)
        row["age_days"] = (today - dt.date.fromisoformat(row["walk_date"])).days
    if group:
        rows = [r for r in rows if r["group"] == group]
    if to_remind:
        rows = [r for r in rows if r["overdue"]]
    return rows


def resolution_days(row: dict[str, Any], history: list[dict[str, Any]]) -> int | None:
    """Days from the first « transmis » to the step that resolved it, if both exist."""
    sent = next((s["step_date"] for s in history if s["status"] == rules.SENT_STATUS), None)
    fixed = next((s["step_date"] for s in history if s["status"] == "resolu"), None)
    if sent and fixed:
        return (dt.date.fromisoformat(fixed) - dt.date.fromisoformat(sent)).days
    return None

"""Meetings: plan, invite, take attendance, write the minutes, carry actions over.

Every function is one user action and one transaction. Minutes that were approved
(``minutes_status = 'valide'``) are locked: what was said and decided can only be
corrected by an amendment; the status of their actions still moves on, recorded in the
later meeting that discussed it (``action_updates``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from perr_desktop.domain import meetings as rules
from perr_desktop.domain.meetings import ActionStatus, Attendance, MinutesStatus
from perr_desktop.domain.people import Gender, display_name, is_active
from perr_desktop.domain.text import limit_length, require_text
from perr_desktop.errors import NotFoundError, UserError, ValidationError
from perr_desktop.i18n import _
from perr_desktop.services.councils import require_council
from perr_desktop.storage import records
from perr_desktop.storage.ids import now_utc

# -- reading --------------------------------------------------------------------------

_LIST_SQL = """
    SELECT m.id, m.council_id, c.name AS council_name, m.kind, m.title, m.starts_at,
           m.ends_at, m.venue, m.cancelled, m.minutes_status, m.updated_at,
           (SELECT group_concat(name, ', ') FROM (
                SELECT gc.name FROM meeting_guest_councils g
                JOIN councils gc ON gc.id = g.council_id
                WHERE g.meeting_id = m.id AND g.deleted_at IS NULL AND gc.deleted_at IS NULL
                ORDER BY gc.name)) AS guest_names,
           (SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id
              AND a.deleted_at IS NULL AND a.status = 'present') AS present_count,
           (SELECT coalesce(sum(h.count), 0) FROM headcounts h WHERE h.meeting_id = m.id
              AND h.deleted_at IS NULL) AS counted
    FROM meetings m JOIN councils c ON c.id = m.council_id
    WHERE m.deleted_at IS NULL AND c.deleted_at IS NULL
"""


def list_meetings(
    db, council_id: str | None = None, kind: str | None = None,
    start: str | None = None, end: str | None = None, descending: bool = False,
) -> list[dict[str, Any]]:
    """Meetings in time order; ``council_id`` includes those it was a guest of;
    ``start``/``end`` are ISO dates bounding the day of the meeting (end excluded)."""
    sql, params = _filtered(_LIST_SQL, council_id, kind, start, end)
    sql += " ORDER BY m.starts_at" + (" DESC" if descending else "") + ", m.title"
    return db.query(sql, params)


# The list's sort keys (MeetingsPage's columns) and their SQL; text in French order.
_SORTS = {"starts_at": "m.starts_at", "title": "fold(m.title)",
          "council_name": "fold(c.name)", "kind": "m.kind"}
_IDS_SQL = """
    SELECT m.id FROM meetings m JOIN councils c ON c.id = m.council_id
    WHERE m.deleted_at IS NULL AND c.deleted_at IS NULL
"""


def meeting_ids(db, council_id: str | None = None, kind: str | None = None,
                sort: str | None = None, descending: bool = False) -> list[str]:
    """The ids of :func:`list_meetings`'s meetings, sorted by ``sort`` (a key of the
    list, the date by default) then by date: ten years of meetings listed without
    reading their rows (:func:`meeting_rows` reads those on screen)."""
    sql, params = _filtered(_IDS_SQL, council_id, kind, None, None)
    direction = " DESC" if descending else ""
    order = _SORTS.get(sort or "starts_at", "m.starts_at")
    sql += f" ORDER BY {order}{direction}, m.starts_at{direction}, m.title"
    return [row[0] for row in db.execute(sql, params)]


def meeting_rows(db, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The rows of :func:`list_meetings` for these ids (a page of the list)."""
    ids = list(ids)
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in db.query(f"{_LIST_SQL} AND m.id IN ({marks})", chunk):
            out[row["id"]] = row
    return out


def next_meeting_id(db, council_id: str | None = None, kind: str | None = None,
                    today: dt.date | None = None) -> str | None:
    """The first meeting from ``today`` on among the list's, else the latest one."""
    day = (today or dt.date.today()).isoformat()
    sql, params = _filtered(_IDS_SQL, council_id, kind, day, None)
    found = db.scalar(sql + " ORDER BY m.starts_at, m.title LIMIT 1", params)
    if found is None:
        sql, params = _filtered(_IDS_SQL, council_id, kind, None, None)
        found = db.scalar(sql + " ORDER BY m.starts_at DESC, m.title LIMIT 1", params)
    return found


def _filtered(sql: str, council_id: str | None, kind: str | None, start: str | None,
              end: str | None) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {}
    if council_id:
        sql += """ AND (m.council_id = :council OR EXISTS (
                      SELECT 1 FROM meeting_guest_councils g WHERE g.meeting_id = m.id
                      AND g.council_id = :council AND g.deleted_at IS NULL))"""
        params["council"] = council_id
    if kind:
        sql += " AND m.kind = :kind"
        params["kind"] = kind
    if start:
        sql += " AND m.starts_at >= :start"
        params["start"] = start
    if end:
        sql += " AND m.starts_at < :end"
        params["end"] = end
    return sql, params


def get_meeting(db, meeting_id: str) -> dict[str, Any]:
    """One meeting with everything that belongs to it, ready to show or print."""
    meeting = dict(require_meeting(db, meeting_id))
    meeting["council"] = records.get(db, "councils", meeting["council_id"],
                                     include_deleted=True)
    meeting["guest_councils"] = db.query(
        """SELECT c.id, c.name FROM meeting_guest_councils g JOIN councils c
           ON c.id = g.council_id WHERE g.meeting_id = ? AND g.deleted_at IS NULL
           AND c.deleted_at IS NULL ORDER BY c.name""", (meeting_id,))
    meeting["objective_codes"] = [r["objective_code"] for r in db.query(
        """SELECT mo.objective_code FROM meeting_objectives mo
           JOIN perr_objectives o ON o.code = mo.objective_code
           WHERE mo.meeting_id = ? AND mo.deleted_at IS NULL ORDER BY o.sort_order""",
        (meeting_id,))]
    meeting["agenda"] = db.query(
        "SELECT * FROM agenda_items WHERE meeting_id = ? AND deleted_at IS NULL "
        "ORDER BY position", (meeting_id,))
    meeting["decisions"] = db.query(
        """SELECT d.* FROM decisions d LEFT JOIN agenda_items i ON i.id = d.agenda_item_id
           WHERE d.meeting_id = ? AND d.deleted_at IS NULL
           ORDER BY coalesce(i.position, 1e9), d.position, d.created_at""", (meeting_id,))
    meeting["actions"] = _actions(db, "a.meeting_id = ?", (meeting_id,))
    meeting["attendance"] = attendance(db, meeting_id)
    meeting["headcounts"] = db.query(
        "SELECT * FROM headcounts WHERE meeting_id = ? AND deleted_at IS NULL AND count > 0 "
        "ORDER BY gender, age_band", (meeting_id,))
    meeting["outstanding"] = outstanding_actions(db, meeting_id)
    meeting["amendments"] = db.query(
        "SELECT * FROM amendments WHERE meeting_id = ? AND deleted_at IS NULL "
        "ORDER BY recorded_on, created_at", (meeting_id,))
    meeting["summary"] = attendance_summary(db, meeting_id, meeting)
    return meeting


def _actions(db, where: str, params: Iterable[Any]) -> list[dict[str, Any]]:
    rows = db.query(
        f"""SELECT a.*, p.first_name, p.last_name, m.starts_at AS meeting_starts_at,
                   m.title AS meeting_title, i.position AS item_position
            FROM actions a JOIN meetings m ON m.id = a.meeting_id
            LEFT JOIN people p ON p.id = a.assignee_person_id
            LEFT JOIN agenda_items i ON i.id = a.agenda_item_id
            WHERE a.deleted_at IS NULL AND m.deleted_at IS NULL AND {where}
            ORDER BY m.starts_at, coalesce(i.position, 1e9), a.position, a.created_at""",
        tuple(params))
    for row in rows:
        row["assignee"] = (display_name(row["first_name"] or "", row["last_name"] or "")
                           if row["assignee_person_id"] else row["assignee_body"])
    return rows


def item_decisions(db, meeting_id: str, item_id: str | None) -> list[dict[str, Any]]:
    """Decisions under one agenda item (``None``: those outside any item)."""
    return db.query(
        "SELECT * FROM decisions WHERE meeting_id = ? AND agenda_item_id IS ? "
        "AND deleted_at IS NULL ORDER BY position, created_at", (meeting_id, item_id))


def item_actions(db, meeting_id: str, item_id: str | None) -> list[dict[str, Any]]:
    """Actions decided under one agenda item (``None``: those outside any item)."""
    return _actions(db, "a.meeting_id = ? AND a.agenda_item_id IS ?", (meeting_id, item_id))


def list_actions(db, council_id: str | None = None, open_only: bool = False
                 ) -> list[dict[str, Any]]:
    where, params = "1 = 1", []
    if council_id:
        where += " AND a.council_id = ?"
        params.append(council_id)
    if open_only:
        where += " AND a.status IN ('a_faire', 'en_cours')"
    return _actions(db, where, params)


def attendance(db, meeting_id: str) -> list[dict[str, Any]]:
    """Everyone invited or who came, members first, in sign-in sheet order."""
    rows = db.query(
        """SELECT a.*, p.first_name, p.last_name, p.gender, p.organisation, p.birth_year,
                  p.lives_in_qpv, p.sort_key,
                  proxy.first_name AS proxy_first_name, proxy.last_name AS proxy_last_name
           FROM attendance a JOIN people p ON p.id = a.person_id
           LEFT JOIN people proxy ON proxy.id = a.proxy_person_id
           WHERE a.meeting_id = ? AND a.deleted_at IS NULL
           ORDER BY a.member DESC, p.sort_key""", (meeting_id,))
    for row in rows:
        row["name"] = display_name(row["first_name"], row["last_name"])
        row["proxy_name"] = (display_name(row["proxy_first_name"] or "",
                                          row["proxy_last_name"] or "")
                             if row["proxy_person_id"] else "")
    return rows


def attendance_summary(db, meeting_id: str, meeting: dict[str, Any] | None = None
                       ) -> dict[str, Any]:
    """The counts shown under the attendance list and printed in the minutes.

    Quorum: members present or represented, against the council's rule applied to the
    members invited (``quorum_percent`` of them, rounded up).
    """
    meeting = meeting or records.get(db, "meetings", meeting_id)
    rows = meeting.get("attendance") if "attendance" in meeting else attendance(db, meeting_id)
    members = [r for r in rows if r["member"]]
    # The quorum is the host council's rule over its own members (guests do not count).
    host = _members_on(db, [meeting["council_id"]], _meeting_day(meeting))
    host_rows = [r for r in members if r["person_id"] in host]
    by_status = {s.value: 0 for s in Attendance}
    for row in members:
        if row["status"] in by_status:
            by_status[row["status"]] += 1
    walk_ins = sum(1 for r in rows if not r["member"] and r["status"] == Attendance.PRESENT)
    counted = db.scalar(
        "SELECT coalesce(sum(count), 0) FROM headcounts WHERE meeting_id = ? "
        "AND deleted_at IS NULL", (meeting_id,))
    council = db.query_one("SELECT quorum_percent FROM councils WHERE id = ?",
                           (meeting["council_id"],))
    required = rules.quorum_required(len(host_rows),
                                     council["quorum_percent"] if council else None)
    voting = sum(1 for r in host_rows
                 if r["status"] in (Attendance.PRESENT, Attendance.REPRESENTE))
    return {
        "members_invited": len(members),
        "present": by_status[Attendance.PRESENT],
        "excused": by_status[Attendance.EXCUSE],
        "absent": by_status[Attendance.ABSENT],
        "represented": by_status[Attendance.REPRESENTE],
        "not_recorded": sum(1 for r in members if not r["status"]),
        "walk_ins": walk_ins,
        "counted": counted,
        "participants": by_status[Attendance.PRESENT] + walk_ins + counted,
        "host_members": len(host_rows),
        "voting": voting,
        "quorum_required": required,
        "quorum_reached": None if required is None else voting >= required,
    }


def outstanding_actions(db, meeting_id: str) -> list[dict[str, Any]]:
    """« Points en suspens »: actions of earlier meetings of the same council still open
    when this meeting starts, and those this meeting updated (even if now closed)."""
    meeting = records.get(db, "meetings", meeting_id)
    rows = _actions(
        db,
        """a.council_id = ? AND a.meeting_id <> ? AND m.starts_at < ?
           AND (a.status IN ('a_faire', 'en_cours')
                OR EXISTS (SELECT 1 FROM action_updates u WHERE u.action_id = a.id
                           AND u.meeting_id = ? AND u.deleted_at IS NULL)
                OR (a.closed_on IS NOT NULL AND a.closed_on >= substr(?, 1, 10)))""",
        (meeting["council_id"], meeting_id, meeting["starts_at"], meeting_id,
         meeting["starts_at"]),
    )
    updates = {u["action_id"]: u for u in db.query(
        "SELECT * FROM action_updates WHERE meeting_id = ? AND deleted_at IS NULL",
        (meeting_id,))}
    # Where each action stood before this meeting: its latest earlier follow-up (of
    # these actions only: ten years of follow-ups of every council otherwise).
    earlier = {u["action_id"]: u["status"] for u in db.query(
        """SELECT u.action_id, u.status FROM action_updates u
           JOIN meetings m ON m.id = u.meeting_id
           WHERE u.deleted_at IS NULL AND m.deleted_at IS NULL AND m.starts_at < ?
             AND u.action_id IN (SELECT value FROM json_each(?))
           ORDER BY m.starts_at""",
        (meeting["starts_at"], json.dumps([row["id"] for row in rows])))}
    day = meeting["starts_at"][:10]
    listed = []
    for row in rows:
        update = updates.get(row["id"])
        row["update"] = update
        before = earlier.get(row["id"])
        if before is None:
            # Never followed up before: open then, unless it was closed before this day.
            closed_before = row["closed_on"] is not None and row["closed_on"] < day
            before = row["status"] if closed_before or row["status"] in \
                rules.OPEN_ACTION_STATUSES else ActionStatus.A_FAIRE
        # The status as discussed at this meeting (the action may have moved since), so
        # that approved minutes keep listing what was open when they were written.
        row["status_here"] = update["status"] if update else before
        if update or before in rules.OPEN_ACTION_STATUSES:
            listed.append(row)
    return listed


def previous_meeting(db, meeting_id: str) -> dict[str, Any] | None:
    """The council's meeting just before this one (whose minutes it approves)."""
    meeting = records.get(db, "meetings", meeting_id)
    return db.query_one(
        """SELECT * FROM meetings WHERE council_id = ? AND deleted_at IS NULL
           AND cancelled = 0 AND starts_at < ? ORDER BY starts_at DESC LIMIT 1""",
        (meeting["council_id"], meeting["starts_at"]))


def next_meeting(db, meeting_id: str) -> dict[str, Any] | None:
    meeting = records.get(db, "meetings", meeting_id)
    return db.query_one(
        """SELECT * FROM meetings WHERE council_id = ? AND deleted_at IS NULL
           AND cancelled = 0 AND starts_at > ? ORDER BY starts_at LIMIT 1""",
        (meeting["council_id"], meeting["starts_at"]))


# -- planning -------------------------------------------------------------------------

def _check_kind(db, kind: str) -> None:
    if not db.scalar("SELECT count(*) FROM vocabulary WHERE kind = 'meeting_kind' "
                     "AND code = ? AND deleted_at IS NULL", (kind,)):
        raise ValidationError(_("Unknown kind of meeting: %(value)s.") % {"value": kind}, "kind")


def _today() -> dt.date:
    """Today, for the rules about what can only be recorded once a meeting took place
    (one place, so that tests can set the clock)."""
    return dt.date.today()


def _held(meeting: dict[str, Any]) -> dict[str, Any]:
    """The meeting, if it has taken place (today counts: attendance is taken on the day)."""
    if _meeting_day(meeting) > _today():
        raise UserError(_("This meeting has not taken place yet: attendance and follow-ups "
                          "are recorded from the day of the meeting."))
    return meeting


def _editable(db, meeting_id: str) -> dict[str, Any]:
    """The meeting, if its minutes are still a draft; approved minutes are locked."""
    meeting = records.get(db, "meetings", meeting_id)
    if meeting["minutes_status"] == MinutesStatus.VALIDE:
        raise UserError(_("These minutes were approved and are locked: record a correction "
                          "as an amendment."))
    return meeting


def plan_meeting(
    db, council_id: str, kind: str, title: str, starts_at: str, ends_at: str | None = None,
    venue: str = "", guest_council_ids: Iterable[str] = (), objective_codes: Iterable[str] = (),
    invite_members: bool = True, notes: str = "",
) -> str:
    values = rules.validate_meeting({"kind": kind, "title": title, "starts_at": starts_at,
                                     "ends_at": ends_at, "venue": venue, "notes": notes})
    with db.transaction():
        council = require_council(db, council_id)
        _check_kind(db, values["kind"])
        if not values["venue"]:
            values["venue"] = council["venue"]
        meeting_id = records.insert(db, "meetings", {**values, "council_id": council_id})
        _set_links(db, meeting_id, "meeting_guest_councils", "council_id",
                   [c for c in guest_council_ids if c != council_id])
        _set_links(db, meeting_id, "meeting_objectives", "objective_code", objective_codes)
        if invite_members:
            invite_members_of_councils(db, meeting_id)
    return meeting_id


def update_meeting(db, meeting_id: str, **changes: Any) -> dict[str, Any]:
    with db.transaction():
        current = _editable(db, meeting_id)
        values = rules.validate_meeting(changes, current)
        if "kind" in values:
            _check_kind(db, values["kind"])
        updated = records.update(db, "meetings", meeting_id, values)
        if values.get("starts_at", current["starts_at"])[:10] != current["starts_at"][:10]:
            invite_members_of_councils(db, meeting_id)  # who is a member depends on the day
        return updated


def set_objectives(db, meeting_id: str, codes: Iterable[str]) -> None:
    with db.transaction():
        _editable(db, meeting_id)
        _set_links(db, meeting_id, "meeting_objectives", "objective_code", codes)


def set_guest_councils(db, meeting_id: str, council_ids: Iterable[str]) -> None:
    """Invite other councils (inter-council exchange, joint training): their members are
    invited, and those of a council no longer invited are withdrawn."""
    with db.transaction():
        meeting = _editable(db, meeting_id)
        _set_links(db, meeting_id, "meeting_guest_councils", "council_id",
                   [c for c in council_ids if c != meeting["council_id"]])
        invite_members_of_councils(db, meeting_id)


def _set_links(db, meeting_id: str, table: str, column: str, wanted: Iterable[str]) -> None:
    wanted = set(wanted)
    existing = {r[column]: r for r in db.query(
        f"SELECT * FROM {table} WHERE meeting_id = ?", (meeting_id,))}
    for value, link in existing.items():
        if value in wanted and link["deleted_at"]:
            records.restore(db, table, link["id"])
        elif value not in wanted and not link["deleted_at"]:
            records.soft_delete(db, table, link["id"])
    for value in wanted - existing.keys():
        if table == "meeting_objectives" and not db.scalar(
                "SELECT count(*) FROM perr_objectives WHERE code = ?", (value,)):
            raise ValidationError(_("Unknown PERR objective: %(value)s.") % {"value": value},
                                  column)
        if table == "meeting_guest_councils":
            require_council(db, value)
        records.insert(db, table, {"meeting_id": meeting_id, column: value})


def copy_meeting(db, source_id: str, starts_at: str, ends_at: str | None = None) -> str:
    """A new meeting prepared like ``source``: same kind, title, venue, objectives and
    agenda (titles, durations, presenters), the current members invited. Notes,
    decisions and attendance are not copied; open actions reappear by themselves."""
    source = get_meeting(db, source_id)
    if ends_at is None and source["ends_at"]:
        length = dt.datetime.fromisoformat(source["ends_at"]) - dt.datetime.fromisoformat(
            source["starts_at"])
        start = rules.parse_local(starts_at, "starts_at")
        ends_at = rules.store_local(start + length) if start else None
    with db.transaction():
        meeting_id = plan_meeting(
            db, source["council_id"], source["kind"], source["title"], starts_at, ends_at,
            source["venue"], [g["id"] for g in source["guest_councils"]],
            source["objective_codes"],
        )
        records.update(db, "meetings", meeting_id, {"copied_from_id": source_id})
        for item in source["agenda"]:
            records.insert(db, "agenda_items", {
                "meeting_id": meeting_id, "position": item["position"],
                "title": item["title"], "duration_minutes": item["duration_minutes"],
                "presenter": item["presenter"], "objective_code": item["objective_code"],
            })
    return meeting_id


def cancel_meeting(db, meeting_id: str, cancelled: bool = True) -> None:
    update_meeting(db, meeting_id, cancelled=cancelled)


def delete_meeting(db, meeting_id: str) -> None:
    with db.transaction():
        _editable(db, meeting_id)
        if db.scalar(
            """SELECT (SELECT count(*) FROM actions WHERE meeting_id = :m AND deleted_at IS NULL)
                    + (SELECT count(*) FROM action_updates WHERE meeting_id = :m
                       AND deleted_at IS NULL)""", {"m": meeting_id}):
            raise UserError(_("This meeting has actions: mark it cancelled instead of "
                              "deleting it, so that its actions keep their history."))
        records.soft_delete(db, "meetings", meeting_id)


# -- agenda ---------------------------------------------------------------------------

def add_agenda_item(db, meeting_id: str, title: str, duration_minutes: int | None = None,
                    presenter: str = "", objective_code: str | None = None) -> str:
    values = rules.validate_agenda_item({
        "title": title, "duration_minutes": duration_minutes, "presenter": presenter,
        "objective_code": objective_code})
    with db.transaction():
        _editable(db, meeting_id)
        position = db.scalar(
            "SELECT coalesce(max(position), 0) + 1 FROM agenda_items WHERE meeting_id = ? "
            "AND deleted_at IS NULL", (meeting_id,))
        return records.insert(db, "agenda_items",
                              {**values, "meeting_id": meeting_id, "position": position})


def update_agenda_item(db, item_id: str, **changes: Any) -> dict[str, Any]:
    values = rules.validate_agenda_item(changes)
    with db.transaction():
        item = records.get(db, "agenda_items", item_id)
        _editable(db, item["meeting_id"])
        return records.update(db, "agenda_items", item_id, values)


def move_agenda_item(db, item_id: str, offset: int) -> None:
    """Move an item up (-1) or down (+1) the agenda."""
    with db.transaction():
        item = records.get(db, "agenda_items", item_id)
        _editable(db, item["meeting_id"])
        ids = [r["id"] for r in db.query(
            "SELECT id FROM agenda_items WHERE meeting_id = ? AND deleted_at IS NULL "
            "ORDER BY position", (item["meeting_id"],))]
        index = ids.index(item_id)
        target = max(0, min(len(ids) - 1, index + offset))
        ids.insert(target, ids.pop(index))
        for position, row_id in enumerate(ids, start=1):
            records.update(db, "agenda_items", row_id, {"position": position})


def remove_agenda_item(db, item_id: str) -> None:
    with db.transaction():
        item = records.get(db, "agenda_items", item_id)
        _editable(db, item["meeting_id"])
        used = db.scalar(
            "SELECT (SELECT count(*) FROM decisions WHERE agenda_item_id = :i AND deleted_at "
            "IS NULL) + (SELECT count(*) FROM actions WHERE agenda_item_id = :i AND "
            "deleted_at IS NULL)", {"i": item_id})
        if used or item["notes"].strip():
            raise UserError(_("This agenda item already has notes, decisions or actions: "
                              "remove those first."))
        records.soft_delete(db, "agenda_items", item_id)


# -- invitations and attendance ---------------------------------------------------------

def _meeting_day(meeting: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(meeting["starts_at"][:10])


def _council_ids(db, meeting: dict[str, Any]) -> list[str]:
    guests = [r["council_id"] for r in db.query(
        "SELECT council_id FROM meeting_guest_councils WHERE meeting_id = ? "
        "AND deleted_at IS NULL", (meeting["id"],))]
    return [meeting["council_id"], *guests]


def _is_member(db, meeting: dict[str, Any], person_id: str) -> bool:
    day = _meeting_day(meeting)
    councils = _council_ids(db, meeting)
    marks = ", ".join("?" * len(councils))
    return any(is_active(m, day) for m in db.query(
        f"SELECT joined_on, left_on FROM memberships WHERE person_id = ? AND deleted_at IS NULL "
        f"AND council_id IN ({marks})", (person_id, *councils)))


def _members_on(db, council_ids: list[str], day: dt.date) -> set[str]:
    """People who are members of one of ``council_ids`` on ``day``."""
    marks = ", ".join("?" * len(council_ids))
    return {m["person_id"] for m in db.query(
        f"""SELECT m.person_id, m.joined_on, m.left_on FROM memberships m
            JOIN people p ON p.id = m.person_id
            WHERE m.deleted_at IS NULL AND p.deleted_at IS NULL
            AND m.council_id IN ({marks})""", council_ids) if is_active(m, day)}


def invite_members_of_councils(db, meeting_id: str) -> int:
    """Invite every member of the meeting's councils on the day of the meeting; members
    invited earlier who are no longer concerned (the date or the guests changed) and
    whose attendance is not recorded are withdrawn."""
    with db.transaction():
        meeting = _editable(db, meeting_id)
        members = _members_on(db, _council_ids(db, meeting), _meeting_day(meeting))
        for row in db.query("SELECT * FROM attendance WHERE meeting_id = ? AND member = 1 "
                            "AND status IS NULL AND deleted_at IS NULL", (meeting_id,)):
            if row["person_id"] not in members:
                records.soft_delete(db, "attendance", row["id"])
        present = {r["person_id"]: r for r in db.query(
            "SELECT * FROM attendance WHERE meeting_id = ?", (meeting_id,))}
        added = 0
        for person_id in sorted(members):
            row = present.get(person_id)
            if row is None:
                records.insert(db, "attendance", {"meeting_id": meeting_id,
                                                  "person_id": person_id,
                                                  "invited": 1, "member": 1})
                added += 1
            elif row["deleted_at"]:
                records.restore(db, "attendance", row["id"])
                records.update(db, "attendance", row["id"], {"invited": 1, "member": 1})
                added += 1
        return added


def invite(db, meeting_id: str, person_id: str) -> str:
    """Invite someone (a partner, a member of another council) to the meeting."""
    with db.transaction():
        meeting = _editable(db, meeting_id)
        records.get(db, "people", person_id)
        row = db.query_one("SELECT * FROM attendance WHERE meeting_id = ? AND person_id = ?",
                           (meeting_id, person_id))
        member = int(_is_member(db, meeting, person_id))
        if row is None:
            return records.insert(db, "attendance", {
                "meeting_id": meeting_id, "person_id": person_id, "invited": 1,
                "member": member})
        if row["deleted_at"]:
            records.restore(db, "attendance", row["id"])
        records.update(db, "attendance", row["id"], {"invited": 1})
        return row["id"]


def uninvite(db, meeting_id: str, person_id: str) -> None:
    with db.transaction():
        _editable(db, meeting_id)
        row = _attendance_row(db, meeting_id, person_id)
        if row["status"]:
            raise UserError(_("Attendance is already recorded for this person: change it "
                              "rather than removing the invitation."))
        records.soft_delete(db, "attendance", row["id"])


def _attendance_row(db, meeting_id: str, person_id: str, field: str = "person_id"
                    ) -> dict[str, Any]:
    row = db.query_one("SELECT * FROM attendance WHERE meeting_id = ? AND person_id = ? "
                       "AND deleted_at IS NULL", (meeting_id, person_id))
    if row is None:
        person = db.query_one("SELECT first_name, last_name FROM people WHERE id = ?",
                              (person_id,))
        name = display_name(person["first_name"], person["last_name"]) if person else person_id
        raise ValidationError(
            _("%(name)s is not invited to this meeting: add them as a participant "
              "first.") % {"name": name}, field)
    return row


def set_attendance(db, meeting_id: str, person_id: str, status: str | None,
                   proxy_person_id: str | None = None) -> None:
    """Record présent, excusé, absent or représenté (by a present participant)."""
    with db.transaction():
        _held(_editable(db, meeting_id))
        row = _attendance_row(db, meeting_id, person_id)
        if status is not None and not db.scalar(
                "SELECT count(*) FROM vocabulary WHERE kind = 'attendance_status' AND code = ?",
                (status,)):
            raise ValidationError(_("Unknown attendance status: %(value)s.") % {"value": status},
                                  "status")
        if status == Attendance.REPRESENTE:
            if proxy_person_id is None:
                raise ValidationError(_("Say who holds the proxy."), "proxy_person_id")
            if proxy_person_id == person_id:
                raise ValidationError(_("A person cannot hold their own proxy."),
                                      "proxy_person_id")
            proxy = _attendance_row(db, meeting_id, proxy_person_id, "proxy_person_id")
            if proxy["status"] != Attendance.PRESENT:
                raise ValidationError(_("The proxy must be held by someone present at the "
                                        "meeting."), "proxy_person_id")
        else:
            proxy_person_id = None
        if status != Attendance.PRESENT:
            holders = db.query(
                "SELECT person_id FROM attendance WHERE meeting_id = ? AND proxy_person_id = ? "
                "AND deleted_at IS NULL", (meeting_id, person_id))
            if holders:
                raise ValidationError(_("This person holds a proxy: record them present, or "
                                        "change the proxy first."), "status")
        records.update(db, "attendance", row["id"],
                       {"status": status, "proxy_person_id": proxy_person_id})


def mark_unrecorded_absent(db, meeting_id: str) -> int:
    """After the meeting: the invited members nobody marked are absent."""
    with db.transaction():
        _held(_editable(db, meeting_id))
        rows = db.query("SELECT id FROM attendance WHERE meeting_id = ? AND deleted_at IS NULL "
                        "AND member = 1 AND status IS NULL", (meeting_id,))
        for row in rows:
            records.update(db, "attendance", row["id"], {"status": Attendance.ABSENT})
        return len(rows)


def add_walk_in(db, meeting_id: str, person_id: str | None = None, **new_person: Any) -> str:
    """Someone who came without being invited: a person of the directory, or a new one
    (``first_name``, ``last_name``, ``gender``…). Recorded present."""
    from perr_desktop.services import people

    with db.transaction():
        meeting = _held(_editable(db, meeting_id))
        if person_id is None:
            person_id = people.create_person(db, **new_person)
        else:
            records.get(db, "people", person_id)
        row = db.query_one("SELECT * FROM attendance WHERE meeting_id = ? AND person_id = ?",
                           (meeting_id, person_id))
        if row is None:
            records.insert(db, "attendance", {
                "meeting_id": meeting_id, "person_id": person_id, "invited": 0,
                "member": int(_is_member(db, meeting, person_id)), "status": Attendance.PRESENT})
        else:
            if row["deleted_at"]:
                records.restore(db, "attendance", row["id"])
            records.update(db, "attendance", row["id"], {"status": Attendance.PRESENT,
                                                         "proxy_person_id": None})
        return person_id


def set_headcount(db, meeting_id: str, gender: str, age_band: str,
                  lives_in_qpv: bool | None, first_time: bool | None, count: int) -> None:
    """How many anonymous participants of this description came (0 removes the line)."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValidationError(_("A head count is a whole number, zero or more."), "count")
    try:
        gender = Gender(gender).value
        age_band = rules.AgeBand(age_band).value
    except ValueError:
        raise ValidationError(_("Unknown gender or age band."), "gender") from None
    qpv = None if lives_in_qpv is None else int(bool(lives_in_qpv))
    first = None if first_time is None else int(bool(first_time))
    with db.transaction():
        _held(_editable(db, meeting_id))
        row = db.query_one(
            """SELECT * FROM headcounts WHERE meeting_id = ? AND gender = ? AND age_band = ?
               AND lives_in_qpv IS ? AND first_time IS ?""",
            (meeting_id, gender, age_band, qpv, first))
        if row is None:
            if count:
                records.insert(db, "headcounts", {
                    "meeting_id": meeting_id, "gender": gender, "age_band": age_band,
                    "lives_in_qpv": qpv, "first_time": first, "count": count})
        else:
            if row["deleted_at"]:
                records.restore(db, "headcounts", row["id"])
            records.update(db, "headcounts", row["id"], {"count": count})


# -- minutes --------------------------------------------------------------------------

def set_item_notes(db, item_id: str, notes: str) -> None:
    update_agenda_item(db, item_id, notes=notes)


def set_meeting_notes(db, meeting_id: str, notes: str) -> None:
    update_meeting(db, meeting_id, notes=notes)


def _check_item(db, meeting_id: str, item_id: str | None) -> None:
    if item_id and not db.scalar(
            "SELECT count(*) FROM agenda_items WHERE id = ? AND meeting_id = ? "
            "AND deleted_at IS NULL", (item_id, meeting_id)):
        raise ValidationError(_("This agenda item belongs to another meeting."),
                              "agenda_item_id")


def add_decision(db, meeting_id: str, text: str, agenda_item_id: str | None = None,
                 votes_for: int | None = None, votes_against: int | None = None,
                 votes_abstain: int | None = None) -> str:
    values = rules.validate_decision({
        "text": text, "agenda_item_id": agenda_item_id, "votes_for": votes_for,
        "votes_against": votes_against, "votes_abstain": votes_abstain})
    with db.transaction():
        _editable(db, meeting_id)
        _check_item(db, meeting_id, values["agenda_item_id"])
        position = db.scalar("SELECT coalesce(max(position), 0) + 1 FROM decisions "
                             "WHERE meeting_id = ?", (meeting_id,))
        return records.insert(db, "decisions",
                              {**values, "meeting_id": meeting_id, "position": position})


def update_decision(db, decision_id: str, **changes: Any) -> dict[str, Any]:
    values = rules.validate_decision(changes)
    with db.transaction():
        decision = records.get(db, "decisions", decision_id)
        _editable(db, decision["meeting_id"])
        _check_item(db, decision["meeting_id"], values.get("agenda_item_id"))
        return records.update(db, "decisions", decision_id, values)


def remove_decision(db, decision_id: str) -> None:
    with db.transaction():
        decision = records.get(db, "decisions", decision_id)
        _editable(db, decision["meeting_id"])
        records.soft_delete(db, "decisions", decision_id)


def _check_assignee(db, values: dict[str, Any]) -> None:
    if values.get("assignee_person_id"):
        records.get(db, "people", values["assignee_person_id"])
        values["assignee_body"] = ""


def add_action(db, meeting_id: str, text: str, agenda_item_id: str | None = None,
               assignee_person_id: str | None = None, assignee_body: str = "",
               due_on: str | None = None) -> str:
    values = rules.validate_action({
        "text": text, "agenda_item_id": agenda_item_id,
        "assignee_person_id": assignee_person_id, "assignee_body": assignee_body,
        "due_on": due_on})
    with db.transaction():
        meeting = _editable(db, meeting_id)
        _check_item(db, meeting_id, values["agenda_item_id"])
        _check_assignee(db, values)
        position = db.scalar("SELECT coalesce(max(position), 0) + 1 FROM actions "
                             "WHERE meeting_id = ?", (meeting_id,))
        return records.insert(db, "actions", {
            **values, "meeting_id": meeting_id, "council_id": meeting["council_id"],
            "position": position, "status": ActionStatus.A_FAIRE})


def update_action(db, action_id: str, **changes: Any) -> dict[str, Any]:
    """Edit an action in the minutes of the meeting that decided it (draft only)."""
    values = rules.validate_action(changes)
    with db.transaction():
        action = records.get(db, "actions", action_id)
        _editable(db, action["meeting_id"])
        _check_item(db, action["meeting_id"], values.get("agenda_item_id"))
        _check_assignee(db, values)
        if "status" in values:
            meeting = records.get(db, "meetings", action["meeting_id"])
            values["closed_on"] = _closed_on(values["status"], action, meeting["starts_at"][:10])
        return records.update(db, "actions", action_id, values)


def _closed_on(status: str, action: dict[str, Any], day: str) -> str | None:
    """The day an action was closed: the day of the meeting that said so."""
    if status in rules.OPEN_ACTION_STATUSES:
        return None
    return action["closed_on"] or day


def remove_action(db, action_id: str) -> None:
    with db.transaction():
        action = records.get(db, "actions", action_id)
        _editable(db, action["meeting_id"])
        if db.scalar("SELECT count(*) FROM action_updates WHERE action_id = ? "
                     "AND deleted_at IS NULL", (action_id,)):
            raise UserError(_("This action was followed up in later meetings: mark it "
                              "dropped instead of removing it."))
        records.soft_delete(db, "actions", action_id)


def follow_up_action(db, meeting_id: str, action_id: str, status: str, note: str = "") -> None:
    """At a later meeting, the « points en suspens »: where an earlier action stands."""
    status = rules.validate_action({"status": status})["status"]
    note = limit_length(str(note or "").strip(), "note", rules.LONG_TEXT)
    with db.transaction():
        meeting = _held(_editable(db, meeting_id))
        action = records.get(db, "actions", action_id)
        decided_at = records.get(db, "meetings", action["meeting_id"], include_deleted=True)
        if (action["council_id"] != meeting["council_id"]
                or decided_at["starts_at"] >= meeting["starts_at"]):
            raise ValidationError(_("This action is not an outstanding point of this "
                                    "meeting."), "action_id")
        row = db.query_one("SELECT * FROM action_updates WHERE action_id = ? AND meeting_id = ?",
                           (action_id, meeting_id))
        if row is None:
            records.insert(db, "action_updates", {"action_id": action_id,
                                                  "meeting_id": meeting_id,
                                                  "status": status, "note": note})
        else:
            if row["deleted_at"]:
                records.restore(db, "action_updates", row["id"])
            records.update(db, "action_updates", row["id"], {"status": status, "note": note})
        # The action's current status is the one of its latest discussion.
        latest = db.query_one(
            """SELECT u.status FROM action_updates u JOIN meetings m ON m.id = u.meeting_id
               WHERE u.action_id = ? AND u.deleted_at IS NULL AND m.deleted_at IS NULL
               ORDER BY m.starts_at DESC LIMIT 1""", (action_id,))
        current = latest["status"] if latest else status
        records.update(db, "actions", action_id, {
            "status": current,
            "closed_on": _closed_on(current, action, meeting["starts_at"][:10])})


# -- approval and amendments ------------------------------------------------------------

def validate_minutes(db, meeting_id: str, approved_in_meeting_id: str | None = None) -> None:
    """Approve the minutes (usually at the next meeting): they are locked from now on."""
    with db.transaction():
        meeting = _held(_editable(db, meeting_id))
        validated_at = now_utc()
        if approved_in_meeting_id is not None:
            later = _held(require_meeting(db, approved_in_meeting_id))
            if later["starts_at"] <= meeting["starts_at"]:
                raise ValidationError(_("Minutes are approved at a later meeting."),
                                      "approved_in_meeting_id")
            if later["council_id"] != meeting["council_id"] or later["cancelled"]:
                raise ValidationError(
                    _("Minutes are approved at a meeting of the same council that was not "
                      "cancelled."), "approved_in_meeting_id")
            # Approved on the day of that meeting, whenever it is typed in.
            validated_at = rules.aware(later["starts_at"]).astimezone(dt.UTC).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ")
        records.update(db, "meetings", meeting_id, {
            "minutes_status": MinutesStatus.VALIDE, "validated_at": validated_at,
            "validated_in_meeting_id": approved_in_meeting_id})


def add_amendment(db, meeting_id: str, text: str, recorded_on: str | None = None) -> str:
    """A correction to approved minutes, kept beside them (the minutes stay as approved)."""
    from perr_desktop.domain.text import parse_iso_date

    text = limit_length(require_text(text, "text", _("Write the correction.")), "text",
                        rules.LONG_TEXT)
    day = parse_iso_date(recorded_on, "recorded_on") or _today()
    with db.transaction():
        meeting = require_meeting(db, meeting_id)
        if meeting["minutes_status"] != MinutesStatus.VALIDE:
            raise UserError(_("These minutes are still a draft: correct them directly."))
        if not _meeting_day(meeting) <= day <= _today():
            raise ValidationError(_("An amendment is dated between the meeting and today."),
                                  "recorded_on")
        return records.insert(db, "amendments", {
            "meeting_id": meeting_id, "text": text, "recorded_on": day.isoformat()})


def require_meeting(db, meeting_id: str) -> dict[str, Any]:
    meeting = db.query_one("SELECT * FROM meetings WHERE id = ? AND deleted_at IS NULL",
                           (meeting_id,))
    if meeting is None:
        raise NotFoundError(_("No meeting with the id %(id)s.") % {"id": meeting_id})
    return meeting


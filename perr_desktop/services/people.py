"""People: the directory, search as you type, membership of councils, consent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from perr_desktop.domain import people as rules
from perr_desktop.domain.text import search_key
from perr_desktop.errors import ValidationError
from perr_desktop.i18n import _
from perr_desktop.services.councils import require_council
from perr_desktop.storage import records

# Columns a list shows; the rest is loaded when a person is opened.
LIST_COLUMNS = (
    "id", "first_name", "last_name", "gender", "organisation", "email", "phone",
    "consent_date", "consent_contact", "consent_photos", "updated_at",
)


def _keys(values: dict[str, Any]) -> dict[str, str]:
    return {
        "search_key": search_key(values["first_name"], values["last_name"],
                                 values["organisation"]),
        "sort_key": f"{search_key(values['last_name'])}\x1f{search_key(values['first_name'])}",
    }


def create_person(db, **fields: Any) -> str:
    values = rules.validate_person({
        "first_name": "", "last_name": "", "gender": "non_precise", "organisation": "",
        **fields,
    })
    with db.transaction():
        return records.insert(db, "people", {**values, **_keys(values)})


def update_person(db, person_id: str, **changes: Any) -> dict[str, Any]:
    values = rules.validate_person(changes)
    with db.transaction():
        current = records.get(db, "people", person_id)
        merged = {**current, **values}
        if not (merged["first_name"] or merged["last_name"]):
            raise ValidationError(_("A person needs a first name or a last name."),
                                  next(iter(changes)))
        if {"first_name", "last_name", "organisation"} & values.keys():
            values.update(_keys(merged))
        return records.update(db, "people", person_id, values)


def delete_person(db, person_id: str) -> None:
    """Remove a person from the directory (a tombstone; erasure is a separate act).

    Their memberships go, and so do their invitations to meetings where nothing was
    recorded yet; attendance already recorded stays, so past meetings still count them.
    """
    with db.transaction():
        records.soft_delete(db, "people", person_id)
        for membership in db.query(
            "SELECT id FROM memberships WHERE person_id = ? AND deleted_at IS NULL", (person_id,)
        ):
            records.soft_delete(db, "memberships", membership["id"])
        for row in db.query(
            "SELECT id FROM attendance WHERE person_id = ? AND status IS NULL "
            "AND deleted_at IS NULL", (person_id,)
        ):
            records.soft_delete(db, "attendance", row["id"])


def get_person(db, person_id: str) -> dict[str, Any]:
    person = records.get(db, "people", person_id)
    person["name"] = rules.display_name(person["first_name"], person["last_name"])
    person["memberships"] = db.query(
        """SELECT m.*, c.name AS council_name FROM memberships m
           JOIN councils c ON c.id = m.council_id
           WHERE m.person_id = ? AND m.deleted_at IS NULL AND c.deleted_at IS NULL
           ORDER BY m.joined_on DESC, c.name""",
        (person_id,),
    )
    for membership in person["memberships"]:
        membership["active"] = rules.is_active(membership)
    return person


# A membership is current on a day when it has begun and not yet ended (as is_active).
_CURRENT = ("(m.joined_on IS NULL OR m.joined_on <= :today) "
            "AND (m.left_on IS NULL OR m.left_on > :today)")


def _filter_sql(text: str, council_id: str | None, members_only: bool) -> tuple[str, dict]:
    """WHERE clause for the directory: every word of ``text``, then council and
    membership filters (``members_only`` without a council: members of any council)."""
    where, params = ["p.deleted_at IS NULL"], {"today": dt.date.today().isoformat()}
    for n, word in enumerate(search_key(text).split()):
        where.append(f"p.search_key LIKE :word{n} ESCAPE '\\'")
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params[f"word{n}"] = f"%{escaped}%"
    if council_id or members_only:
        clauses = ["m.deleted_at IS NULL",
                   "EXISTS (SELECT 1 FROM councils c WHERE c.id = m.council_id "
                   "AND c.deleted_at IS NULL)"]
        if council_id:
            clauses.append("m.council_id = :council_id")
            params["council_id"] = council_id
        if members_only:
            clauses.append(_CURRENT)
        where.append("EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND "
                     + " AND ".join(clauses) + ")")
    return " AND ".join(where), params


SORTS = {
    "name": "p.sort_key",
    "first_name": "fold(p.first_name), p.sort_key",
    "organisation": "fold(p.organisation), p.sort_key",
    "updated": "p.updated_at DESC",
}


def search_people_ids(
    db, text: str = "", council_id: str | None = None, members_only: bool = False,
    sort: str = "name", descending: bool = False,
) -> list[str]:
    """Ids of the people matching ``text`` (every word, anywhere in the name or
    organisation, accents and case ignored), in display order. Ids only: a list
    of 20,000 people loads its rows as they scroll into view."""
    where, params = _filter_sql(text, council_id, members_only)
    order = SORTS[sort]
    if descending:
        order = ", ".join(
            part.replace(" DESC", "") if part.endswith(" DESC") else f"{part} DESC"
            for part in order.split(", ")
        )
    rows = db.execute(f"SELECT p.id FROM people p WHERE {where} ORDER BY {order}", params)
    return [row[0] for row in rows]


def people_rows(db, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """List rows for ``ids``, keyed by id (a page of a lazy list)."""
    ids = list(ids)
    today = dt.date.today().isoformat()
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in db.query(
            f"SELECT {', '.join(LIST_COLUMNS)}, "
            "(SELECT group_concat(c.name, ', ') FROM memberships m "
            " JOIN councils c ON c.id = m.council_id "
            " WHERE m.person_id = people.id AND m.deleted_at IS NULL AND c.deleted_at IS NULL "
            f" AND {_CURRENT.replace(':today', '?')}) AS councils "
            f"FROM people WHERE id IN ({marks})",
            [today, today, *chunk],
        ):
            row["name"] = rules.display_name(row["first_name"], row["last_name"])
            out[row["id"]] = row
    return out


def choices(db) -> list[tuple[str, str, str]]:
    """(id, name, organisation) of everyone in the directory, in display order: what a
    list to pick someone from needs, in one light query (no council per person)."""
    rows = db.execute("SELECT id, first_name, last_name, organisation FROM people "
                      "WHERE deleted_at IS NULL ORDER BY sort_key").fetchall()
    return [(i, rules.display_name(first, last), organisation)
            for i, first, last, organisation in rows]


def labelled_choices(db) -> list[tuple[str, str]]:
    """(« Karim Benali (Logélia) », id) for everyone in the directory, in display order:
    the entries of a list to pick a participant from, typed or chosen."""
    return [(name + (f" ({organisation})" if organisation else ""), person_id)
            for person_id, name, organisation in choices(db)]


def directory_mark(db) -> tuple[int, str]:
    """Changes whenever someone is added to, edited in or removed from the directory."""
    row = db.execute("SELECT count(*), coalesce(max(updated_at), '') FROM people").fetchone()
    return row[0], row[1]


def list_people(db, text: str = "", council_id: str | None = None) -> list[dict[str, Any]]:
    ids = search_people_ids(db, text, council_id)
    rows = people_rows(db, ids)
    return [rows[i] for i in ids]


# -- membership -----------------------------------------------------------------------

def add_membership(
    db, council_id: str, person_id: str, college: str, role: str = "membre",
    joined_on: str | None = None, left_on: str | None = None, notes: str = "",
) -> str:
    values = rules.validate_membership({
        "council_id": council_id, "person_id": person_id, "college": college, "role": role,
        "joined_on": joined_on, "left_on": left_on, "notes": notes,
    })
    rules.check_membership_dates(values["joined_on"], values["left_on"])
    with db.transaction():
        require_council(db, council_id)
        records.get(db, "people", person_id)
        _check_vocab(db, "college", values["college"])
        _check_vocab(db, "member_role", values["role"])
        _check_overlap(db, values)
        return records.insert(db, "memberships", values)


def update_membership(db, membership_id: str, **changes: Any) -> dict[str, Any]:
    values = rules.validate_membership(changes)
    with db.transaction():
        current = records.get(db, "memberships", membership_id)
        merged = {**current, **values}
        rules.check_membership_dates(merged["joined_on"], merged["left_on"])
        # A value removed from a list stays valid on the records that already had it.
        if values.get("college", current["college"]) != current["college"]:
            _check_vocab(db, "college", values["college"])
        if values.get("role", current["role"]) != current["role"]:
            _check_vocab(db, "member_role", values["role"])
        _check_overlap(db, merged, exclude=membership_id)
        return records.update(db, "memberships", membership_id, values)


def remove_membership(db, membership_id: str) -> None:
    """Undo a membership entered by mistake (leaving the council is ``left_on``)."""
    with db.transaction():
        records.soft_delete(db, "memberships", membership_id)


def _check_vocab(db, kind: str, code: str) -> None:
    if not db.scalar(
        "SELECT count(*) FROM vocabulary WHERE kind = ? AND code = ? AND deleted_at IS NULL",
        (kind, code),
    ):
        raise ValidationError(_("Unknown value: %(value)s.") % {"value": code}, kind)


def _check_overlap(db, values: dict[str, Any], exclude: str | None = None) -> None:
    """One person holds one membership of a council at a time."""
    far_past, far_future = "0000-01-01", "9999-12-31"
    start = values.get("joined_on") or far_past
    end = values.get("left_on") or far_future
    clash = db.scalar(
        """SELECT count(*) FROM memberships
           WHERE council_id = ? AND person_id = ? AND deleted_at IS NULL AND id IS NOT ?
             AND coalesce(joined_on, ?) < ? AND ? < coalesce(left_on, ?)""",
        (values["council_id"], values["person_id"], exclude, far_past, end, start, far_future),
    )
    if clash:
        raise ValidationError(
            _("This person is already a member of this council over these dates."), "joined_on"
        )

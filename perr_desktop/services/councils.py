"""Councils: create one (from scratch or for the five QPV), edit it, list its members."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from perr_desktop.domain import councils as rules
from perr_desktop.domain.councils import CouncilStatus
from perr_desktop.domain.people import display_name, is_active
from perr_desktop.errors import ValidationError
from perr_desktop.i18n import _
from perr_desktop.storage import records

# The PERR asks to create the Basseau Grande-Garenne council; the others exist.
QPV_STATUSES = {"basseau-grande-garenne": CouncilStatus.EN_CREATION}

_LIST_SQL = """
    SELECT c.*,
           (SELECT group_concat(name, ', ') FROM (
                SELECT n.name FROM council_neighbourhoods cn
                JOIN neighbourhoods n ON n.id = cn.neighbourhood_id
                WHERE cn.council_id = c.id AND cn.deleted_at IS NULL
                ORDER BY n.name)) AS neighbourhood_names,
           (SELECT json_group_array(json_object('id', id, 'code', code, 'name', name,
                                                'commune', commune, 'population', population))
            FROM (SELECT n.* FROM council_neighbourhoods cn
                  JOIN neighbourhoods n ON n.id = cn.neighbourhood_id
                  WHERE cn.council_id = c.id AND cn.deleted_at IS NULL
                  ORDER BY n.name)) AS neighbourhoods_json,
           (SELECT count(*) FROM memberships m JOIN people p ON p.id = m.person_id
            WHERE m.council_id = c.id AND m.deleted_at IS NULL AND p.deleted_at IS NULL
              AND (m.joined_on IS NULL OR m.joined_on <= :today)
              AND (m.left_on IS NULL OR m.left_on > :today)) AS member_count
    FROM councils c
    WHERE c.deleted_at IS NULL
"""


def list_councils(db) -> list[dict[str, Any]]:
    rows = db.query(
        _LIST_SQL + " ORDER BY c.name COLLATE NOCASE", {"today": dt.date.today().isoformat()}
    )
    for row in rows:
        row["neighbourhoods"] = json.loads(row.pop("neighbourhoods_json") or "[]")
    return rows


def get_council(db, council_id: str, members: bool = True) -> dict[str, Any]:
    """The council with its neighbourhoods and, unless ``members=False``, its members
    (hundreds in a large council: the form showing the council does not need them)."""
    council = records.get(db, "councils", council_id)
    council["neighbourhoods"] = db.query(
        """SELECT n.id, n.code, n.name, n.commune, n.population FROM council_neighbourhoods cn
           JOIN neighbourhoods n ON n.id = cn.neighbourhood_id
           WHERE cn.council_id = ? AND cn.deleted_at IS NULL ORDER BY n.name""",
        (council_id,),
    )
    if members:
        council["members"] = council_members(db, council_id)
    return council


def create_council(
    db, name: str, status: str = CouncilStatus.EN_CREATION,
    neighbourhood_ids: list[str] = (), **fields: Any,
) -> str:
    values = rules.validate_changes({"name": name, "status": status, **fields})
    with db.transaction():
        council_id = records.insert(db, "councils", values)
        _link_neighbourhoods(db, council_id, neighbourhood_ids)
    return council_id


def update_council(db, council_id: str, **changes: Any) -> dict[str, Any]:
    values = rules.validate_changes(changes)
    with db.transaction():
        return records.update(db, "councils", council_id, values)


def set_neighbourhoods(db, council_id: str, neighbourhood_ids: list[str]) -> None:
    with db.transaction():
        records.get(db, "councils", council_id)
        _link_neighbourhoods(db, council_id, neighbourhood_ids)


def _link_neighbourhoods(db, council_id: str, wanted_ids) -> None:
    wanted = set(wanted_ids)
    links = db.query(
        "SELECT * FROM council_neighbourhoods WHERE council_id = ?", (council_id,)
    )
    by_neighbourhood = {link["neighbourhood_id"]: link for link in links}
    for neighbourhood_id, link in by_neighbourhood.items():
        if neighbourhood_id in wanted and link["deleted_at"]:
            records.restore(db, "council_neighbourhoods", link["id"])
        elif neighbourhood_id not in wanted and not link["deleted_at"]:
            records.soft_delete(db, "council_neighbourhoods", link["id"])
    for neighbourhood_id in wanted - by_neighbourhood.keys():
        records.get(db, "neighbourhoods", neighbourhood_id)
        records.insert(db, "council_neighbourhoods",
                       {"council_id": council_id, "neighbourhood_id": neighbourhood_id})


def delete_council(db, council_id: str) -> None:
    with db.transaction():
        records.soft_delete(db, "councils", council_id)


def create_qpv_councils(db, codes: list[str] | None = None) -> list[str]:
    """One council per QPV of GrandAngoulême, named after its neighbourhood.

    A neighbourhood that already has a council is skipped, so the offer can be
    accepted twice without duplicates.
    """
    rows = db.query("SELECT * FROM neighbourhoods WHERE deleted_at IS NULL ORDER BY name")
    created = []
    with db.transaction():
        for n in rows:
            if codes is not None and n["code"] not in codes:
                continue
            taken = db.scalar(
                """SELECT count(*) FROM council_neighbourhoods cn
                   JOIN councils c ON c.id = cn.council_id
                   WHERE cn.neighbourhood_id = ? AND cn.deleted_at IS NULL
                     AND c.deleted_at IS NULL""",
                (n["id"],),
            )
            if taken:
                continue
            status = QPV_STATUSES.get(n["code"], CouncilStatus.ACTIF)
            council_id = records.insert(db, "councils", {"name": n["name"], "status": status})
            _link_neighbourhoods(db, council_id, [n["id"]])
            created.append(council_id)
    return created


def council_members(db, council_id: str, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Every membership of the council (current and former), with the person's name."""
    rows = db.query(
        """SELECT m.*, p.first_name, p.last_name, p.gender, p.organisation, p.email, p.phone
           FROM memberships m JOIN people p ON p.id = m.person_id
           WHERE m.council_id = ? AND m.deleted_at IS NULL AND p.deleted_at IS NULL
           ORDER BY p.sort_key""",
        (council_id,),
    )
    for row in rows:
        row["name"] = display_name(row["first_name"], row["last_name"])
        row["active"] = is_active(row, on)
    return rows


def require_council(db, council_id: str) -> dict[str, Any]:
    council = db.query_one(
        "SELECT * FROM councils WHERE id = ? AND deleted_at IS NULL", (council_id,)
    )
    if council is None:
        raise ValidationError(_("This council does not exist or has been deleted."), "council_id")
    return council


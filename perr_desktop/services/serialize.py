"""Records as plain JSON-ready dictionaries, for ``list``/``show --json`` and scripts.

Field names are part of the command-line contract: add fields, never rename them.
"""

from __future__ import annotations

from typing import Any

from perr_desktop.domain.councils import status_label
from perr_desktop.domain.people import display_name, gender_label
from perr_desktop.services import councils as council_service
from perr_desktop.services import people as people_service
from perr_desktop.services.reference import vocabulary_labels

_RECORD_KEYS = ("created_at", "updated_at")


def _council(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "status": row["status"],
        "status_label": status_label(row["status"]),
        "facilitator": row["facilitator_name"],
        "facilitator_contact": row["facilitator_contact"],
        "venue": row["venue"],
        "recognised_on": row["recognised_on"],
        "quorum_percent": row.get("quorum_percent"),
        "notes": row["notes"],
        **{k: row[k] for k in _RECORD_KEYS},
    }


def councils(db) -> list[dict[str, Any]]:
    out = []
    for row in council_service.list_councils(db):
        item = _council(row)
        item["neighbourhoods"] = row["neighbourhoods"]
        item["member_count"] = row["member_count"]
        out.append(item)
    return out


def council(db, council_id: str) -> dict[str, Any]:
    row = council_service.get_council(db, council_id)
    colleges = vocabulary_labels(db, "college")
    roles = vocabulary_labels(db, "member_role")
    item = _council(row)
    item["neighbourhoods"] = [
        {"id": n["id"], "code": n["code"], "name": n["name"], "commune": n["commune"],
         "population": n["population"]}
        for n in row["neighbourhoods"]
    ]
    item["members"] = [
        {
            "membership_id": m["id"], "person_id": m["person_id"], "name": m["name"],
            "organisation": m["organisation"], "college": m["college"],
            "college_label": colleges.get(m["college"], m["college"]), "role": m["role"],
            "role_label": roles.get(m["role"], m["role"]), "joined_on": m["joined_on"],
            "left_on": m["left_on"], "active": m["active"],
        }
        for m in row["members"]
    ]
    item["member_count"] = sum(1 for m in row["members"] if m["active"])
    return item


def _person(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": display_name(row["first_name"], row["last_name"]),
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "gender": row["gender"],
        "gender_label": gender_label(row["gender"]),
        "organisation": row["organisation"],
        "email": row["email"],
        "phone": row["phone"],
        "consent": {
            "date": row["consent_date"],
            "contact": bool(row["consent_contact"]),
            "photos": bool(row["consent_photos"]),
        },
    }


def people(db, text: str = "", council_id: str | None = None) -> list[dict[str, Any]]:
    out = []
    for row in people_service.list_people(db, text, council_id):
        item = _person(row)
        item["councils"] = row["councils"] or ""
        item["updated_at"] = row["updated_at"]
        out.append(item)
    return out


def person(db, person_id: str) -> dict[str, Any]:
    row = people_service.get_person(db, person_id)
    colleges = vocabulary_labels(db, "college")
    roles = vocabulary_labels(db, "member_role")
    item = _person(row)
    item.update({
        "address": row["address"],
        "birth_year": row["birth_year"],
        "lives_in_qpv": None if row["lives_in_qpv"] is None else bool(row["lives_in_qpv"]),
        "notes": row["notes"],
        **{k: row[k] for k in _RECORD_KEYS},
    })
    item["memberships"] = [
        {
            "id": m["id"], "council_id": m["council_id"], "council": m["council_name"],
            "college": m["college"], "college_label": colleges.get(m["college"], m["college"]),
            "role": m["role"], "role_label": roles.get(m["role"], m["role"]),
            "joined_on": m["joined_on"], "left_on": m["left_on"], "active": m["active"],
        }
        for m in row["memberships"]
    ]
    return item

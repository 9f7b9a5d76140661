"""Records as plain JSON-ready dictionaries, for ``list``/``show --json`` and scripts.

Field names are part of the command-line contract: add fields, never rename them.
"""

from __future__ import annotations

from typing import Any

from perr_desktop.domain.councils import status_label
from perr_desktop.domain.meetings import (
    action_status_label,
    iso_with_offset,
    minutes_status_label,
)
from perr_desktop.domain.people import display_name, gender_label
from perr_desktop.services import councils as council_service
from perr_desktop.services import meetings as meeting_service
from perr_desktop.services import people as people_service
from perr_desktop.services import walks as walk_service
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


# -- meetings and actions ----------------------------------------------------------------
# Times leave the application with their Paris offset (« 2026-11-26T18:30:00+01:00 »).

def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def meetings(db, council_id: str | None = None) -> list[dict[str, Any]]:
    """Meetings in time order; with ``council_id``, those it was a guest of too."""
    kinds = vocabulary_labels(db, "meeting_kind")
    return [
        {
            "id": row["id"],
            "council_id": row["council_id"],
            "council_name": row["council_name"],
            "title": row["title"],
            "kind": row["kind"],
            "kind_label": kinds.get(row["kind"], row["kind"]),
            "starts_at": iso_with_offset(row["starts_at"]),
            "ends_at": iso_with_offset(row["ends_at"]),
            "venue": row["venue"],
            "cancelled": bool(row["cancelled"]),
            "minutes_status": row["minutes_status"],
            "guest_councils": row["guest_names"] or "",
            "updated_at": row["updated_at"],
        }
        for row in meeting_service.list_meetings(db, council_id)
    ]


def _action(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "council_id": row["council_id"],
        "meeting_id": row["meeting_id"],
        "agenda_item_id": row["agenda_item_id"],
        "text": row["text"],
        "status": row["status"],
        "status_label": action_status_label(row["status"]),
        "due": row["due_on"],
        "closed_on": row["closed_on"],
        "assignee": row["assignee"] or "",
        "assignee_person_id": row["assignee_person_id"],
    }


def actions(db, council_id: str | None = None) -> list[dict[str, Any]]:
    """Actions of every meeting (or of one council's), in the order they were decided."""
    return [_action(row) for row in meeting_service.list_actions(db, council_id)]


def meeting(db, meeting_id: str) -> dict[str, Any]:
    """One meeting with its agenda, attendance, minutes and actions."""
    meeting_service.require_meeting(db, meeting_id)
    row = meeting_service.get_meeting(db, meeting_id)
    kinds = vocabulary_labels(db, "meeting_kind")
    statuses = vocabulary_labels(db, "attendance_status")
    return {
        "id": row["id"],
        "council_id": row["council_id"],
        "council_name": row["council"]["name"],
        "title": row["title"],
        "kind": row["kind"],
        "kind_label": kinds.get(row["kind"], row["kind"]),
        "starts_at": iso_with_offset(row["starts_at"]),
        "ends_at": iso_with_offset(row["ends_at"]),
        "venue": row["venue"],
        "notes": row["notes"],
        "cancelled": bool(row["cancelled"]),
        "minutes_status": row["minutes_status"],
        "minutes_status_label": minutes_status_label(row["minutes_status"]),
        "validated_at": row["validated_at"],
        "validated_in_meeting_id": row["validated_in_meeting_id"],
        "copied_from_id": row["copied_from_id"],
        "guest_council_ids": [c["id"] for c in row["guest_councils"]],
        "objective_codes": row["objective_codes"],
        "agenda": [
            {"id": i["id"], "position": i["position"], "title": i["title"],
             "duration_minutes": i["duration_minutes"], "presenter": i["presenter"],
             "objective_code": i["objective_code"], "notes": i["notes"]}
            for i in row["agenda"]
        ],
        "attendance": [
            {"person_id": a["person_id"], "name": a["name"], "status": a["status"],
             "status_label": statuses.get(a["status"], a["status"]) if a["status"] else "",
             "invited": bool(a["invited"]), "member": bool(a["member"]),
             "proxy_person_id": a["proxy_person_id"], "proxy_name": a["proxy_name"]}
            for a in row["attendance"]
        ],
        "headcounts": [
            {"gender": h["gender"], "age_band": h["age_band"],
             "lives_in_qpv": _flag(h["lives_in_qpv"]), "first_time": _flag(h["first_time"]),
             "count": h["count"]}
            for h in row["headcounts"]
        ],
        "summary": row["summary"],
        "decisions": [
            {"id": d["id"], "agenda_item_id": d["agenda_item_id"], "text": d["text"],
             "votes_for": d["votes_for"], "votes_against": d["votes_against"],
             "votes_abstain": d["votes_abstain"]}
            for d in row["decisions"]
        ],
        "actions": [_action(a) for a in row["actions"]],
        "outstanding": [
            {"id": a["id"], "meeting_id": a["meeting_id"], "text": a["text"],
             "status": a["status"], "status_here": a["status_here"],
             "note": a["update"]["note"] if a["update"] else "", "due": a["due_on"],
             "assignee": a["assignee"] or ""}
            for a in row["outstanding"]
        ],
        "amendments": [
            {"id": m["id"], "text": m["text"], "recorded_on": m["recorded_on"]}
            for m in row["amendments"]
        ],
        **{k: row[k] for k in _RECORD_KEYS},
    }


# -- walks, observations, photos and follow-ups ------------------------------------------
# Dates are ISO days; a photo's ``taken_at`` is the camera's local time, as stored.

def walks(db, council_id: str | None = None) -> list[dict[str, Any]]:
    """Walks, latest first, with how many observations and photos each has."""
    return [
        {
            "id": row["id"],
            "council_id": row["council_id"],
            "council_name": row["council_name"],
            "date": row["walk_date"],
            "title": row["title"],
            "period": row["period"],
            "start_time": row["start_time"],
            "observation_count": row["observation_count"],
            "positive_count": row["positive_count"],
            "photo_count": row["photo_count"],
            "stop_count": row["stop_count"],
            "updated_at": row["updated_at"],
        }
        for row in walk_service.list_walks(db, council_id)
    ]


def _tags(text: str) -> list[str]:
    return [tag.strip() for tag in (text or "").split(",") if tag.strip()]


def observations(db, council_id: str | None = None, walk_id: str | None = None
                 ) -> list[dict[str, Any]]:
    """Observations of every walk (or one council's, one walk's), latest walk first."""
    themes = vocabulary_labels(db, "observation_theme")
    return [
        {
            "id": row["id"],
            "walk_id": row["walk_id"],
            "council_id": row["council_id"],
            "number": row["number"],
            "theme": row["theme"],
            "theme_label": themes.get(row["theme"], row["theme"]) if row["theme"] else "",
            "positive": bool(row["positive"]),
            "text": row["description"],
            "priority": row["priority"],
            "stop": row["stop_name"],
            "stop_id": row["stop_id"],
            "proposal": row["proposal"],
            "tags": _tags(row["tags"]),
            "walk_date": row["walk_date"],
            "walk_title": row["walk_title"],
            "updated_at": row["updated_at"],
        }
        for row in walk_service.list_observations(db, council_id, walk_id)
    ]


def walk(db, walk_id: str) -> dict[str, Any]:
    """One walk with its stops, participants, observations (their photos and follow-ups
    with every step) and photos."""
    row = walk_service.get_walk(db, walk_id)
    themes = vocabulary_labels(db, "observation_theme")
    bodies = vocabulary_labels(db, "body")
    statuses = vocabulary_labels(db, "followup_status")
    roles = vocabulary_labels(db, "walk_role")
    plan = row["plan"]
    return {
        "id": row["id"],
        "council_id": row["council_id"],
        "council_name": row["council"]["name"],
        "date": row["walk_date"],
        "title": row["title"],
        "period": row["period"],
        "start_time": row["start_time"],
        "weather": row["weather"],
        "notes": row["notes"],
        "counted_participants": row["counted_participants"],
        "previous_walk_id": row["previous_walk_id"],
        "plan": ({"id": plan["id"], "sha256": plan["sha256"], "width": plan["width"],
                  "height": plan["height"]} if plan else None),
        "participants": [
            {"id": p["id"], "person_id": p["person_id"], "name": p["display"],
             "organisation": p["organisation"], "role": p["role"],
             "role_label": roles.get(p["role"], p["role"])}
            for p in row["participants"]
        ],
        "stops": [
            {"id": s["id"], "position": s["position"], "name": s["name"],
             "address": s["address"], "lat": s["latitude"], "lon": s["longitude"],
             "plan_x": s["plan_x"], "plan_y": s["plan_y"], "notes": s["notes"]}
            for s in row["stops"]
        ],
        "observations": [
            {
                "id": o["id"],
                "number": o["number"],
                "stop_id": o["stop_id"],
                "theme": o["theme"],
                "theme_label": themes.get(o["theme"], o["theme"]) if o["theme"] else "",
                "positive": bool(o["positive"]),
                "text": o["description"],
                "feeling": o["feeling"],
                "proposal": o["proposal"],
                "priority": o["priority"],
                "objective_code": o["objective_code"],
                "tags": _tags(o["tags"]),
                "lat": o["latitude"], "lon": o["longitude"],
                "plan_x": o["plan_x"], "plan_y": o["plan_y"],
                "photos": [p["id"] for p in o["photos"]],
                "followups": [
                    {
                        "id": f["id"],
                        "body": f["body"],
                        "body_label": bodies.get(f["body"], f["body"]),
                        "status": f["status"],
                        "status_label": statuses.get(f["status"], f["status"]),
                        "group": f["group"],
                        "next_reminder": f["next_reminder_on"],
                        "steps": [
                            {"date": s["step_date"], "status": s["status"],
                             "channel": s["channel"], "note": s["note"],
                             "next_reminder": s["next_reminder_on"]}
                            for s in f["steps"]
                        ],
                    }
                    for f in o["followups"]
                ],
            }
            for o in row["observations"]
        ],
        "photos": [
            {"id": p["id"], "sha256": p["sha256"], "taken_at": p["taken_at"],
             "lat": p["latitude"], "lon": p["longitude"], "width": p["width"],
             "height": p["height"], "identifiable": bool(p["identifiable"]),
             "include_anyway": bool(p["include_anyway"]), "observation_id": p["observation_id"],
             "stop_id": p["stop_id"], "caption": p["caption"],
             "original_name": p["original_name"]}
            for p in row["photos"]
        ],
        **{k: row[k] for k in _RECORD_KEYS},
    }

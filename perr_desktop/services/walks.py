"""Walking diagnostics: the walk, its route, who took part, the observations, the photos.

Observations are numbered within their walk (1, 2, 3…): the number is what residents,
the plan's pins and the bodies' letters refer to, so it never changes and is never
reused, even after an observation is removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from perr_desktop.domain import walks as rules
from perr_desktop.domain.meetings import TIMEZONE
from perr_desktop.domain.text import clean
from perr_desktop.errors import NotFoundError, ValidationError
from perr_desktop.i18n import _
from perr_desktop.services.councils import require_council
from perr_desktop.storage import records

# -- walks ------------------------------------------------------------------------------

_LIST_SQL = """
    SELECT w.*, c.name AS council_name,
           (SELECT count(*) FROM observations o WHERE o.walk_id = w.id
              AND o.deleted_at IS NULL) AS observation_count,
           (SELECT count(*) FROM observations o WHERE o.walk_id = w.id
              AND o.deleted_at IS NULL AND o.positive = 1) AS positive_count,
           (SELECT count(*) FROM photos p WHERE p.walk_id = w.id
              AND p.deleted_at IS NULL) AS photo_count,
           (SELECT count(*) FROM walk_stops s WHERE s.walk_id = w.id
              AND s.deleted_at IS NULL) AS stop_count
    FROM walks w JOIN councils c ON c.id = w.council_id
    WHERE w.deleted_at IS NULL AND c.deleted_at IS NULL
"""


def list_walks(db, council_id: str | None = None) -> list[dict[str, Any]]:
    sql, params = _LIST_SQL, []
    if council_id:
        sql += " AND w.council_id = ?"
        params.append(council_id)
    return db.query(sql + " ORDER BY w.walk_date DESC, w.start_time DESC", params)


def require_walk(db, walk_id: str) -> dict[str, Any]:
    walk = db.query_one("SELECT * FROM walks WHERE id = ? AND deleted_at IS NULL", (walk_id,))
    if walk is None:
        raise NotFoundError(_("No walk with the id %(id)s.") % {"id": walk_id})
    return walk


def get_walk(db, walk_id: str) -> dict[str, Any]:
    """A walk with its stops, participants, observations (with photos and follow-ups)."""
    from perr_desktop.services import followups

    walk = dict(require_walk(db, walk_id))
    walk["council"] = records.get(db, "councils", walk["council_id"], include_deleted=True)
    walk["stops"] = stops(db, walk_id)
    walk["participants"] = participants(db, walk_id)
    walk["observations"] = observations(db, walk_id)
    walk["photos"] = photos(db, walk_id)
    by_observation: dict[str, list[dict[str, Any]]] = {}
    for photo in walk["photos"]:
        if photo["observation_id"]:
            by_observation.setdefault(photo["observation_id"], []).append(photo)
    walk_followups = followups.for_walk(db, walk_id)
    for observation in walk["observations"]:
        observation["photos"] = by_observation.get(observation["id"], [])
        observation["followups"] = walk_followups.get(observation["id"], [])
    walk["plan"] = (db.query_one("SELECT * FROM media WHERE id = ?", (walk["plan_media_id"],))
                    if walk["plan_media_id"] else None)
    return walk


def create_walk(db, council_id: str, title: str, walk_date: str, period: str = "jour",
                start_time: str | None = None, weather: str = "", notes: str = "",
                previous_walk_id: str | None = None) -> str:
    values = rules.validate_walk({
        "title": title, "walk_date": walk_date, "period": period, "start_time": start_time,
        "weather": weather, "notes": notes, "previous_walk_id": previous_walk_id})
    with db.transaction():
        require_council(db, council_id)
        if values["previous_walk_id"]:
            _check_previous(db, council_id, values["previous_walk_id"], None)
        return records.insert(db, "walks", {**values, "council_id": council_id})


def update_walk(db, walk_id: str, **changes: Any) -> dict[str, Any]:
    values = rules.validate_walk(changes)
    with db.transaction():
        walk = require_walk(db, walk_id)
        if values.get("previous_walk_id"):
            _check_previous(db, walk["council_id"], values["previous_walk_id"], walk_id)
        return records.update(db, "walks", walk_id, values)


def _check_previous(db, council_id: str, previous_id: str, walk_id: str | None) -> None:
    """The earlier walk compared with: the same council's, and no loop of comparisons."""
    seen = {walk_id}
    current: str | None = previous_id
    while current:
        if current in seen:
            raise ValidationError(_("A walk cannot be compared with itself."),
                                  "previous_walk_id")
        seen.add(current)
        earlier = require_walk(db, current)
        if earlier["council_id"] != council_id:
            raise ValidationError(_("Compare with a walk of the same council."),
                                  "previous_walk_id")
        current = earlier["previous_walk_id"]


def delete_walk(db, walk_id: str) -> None:
    with db.transaction():
        require_walk(db, walk_id)
        records.soft_delete(db, "walks", walk_id)


def set_plan(db, walk_id: str, media_id: str | None) -> None:
    with db.transaction():
        require_walk(db, walk_id)
        if media_id is not None and records.get(db, "media", media_id)["kind"] != "plan":
            raise ValidationError(_("This image was not imported as a plan."), "plan_media_id")
        records.update(db, "walks", walk_id, {"plan_media_id": media_id})


def repeat_walk(db, previous_walk_id: str, walk_date: str, period: str | None = None) -> str:
    """The same route walked again (a year later, say): same council, stops and plan,
    linked to the earlier walk for the before/after comparison."""
    previous = require_walk(db, previous_walk_id)
    with db.transaction():
        walk_id = create_walk(db, previous["council_id"], previous["title"], walk_date,
                              period or previous["period"], previous["start_time"],
                              previous_walk_id=previous_walk_id)
        records.update(db, "walks", walk_id, {"plan_media_id": previous["plan_media_id"]})
        for stop in stops(db, previous_walk_id):
            records.insert(db, "walk_stops", {
                "walk_id": walk_id, "position": stop["position"], "name": stop["name"],
                "address": stop["address"], "latitude": stop["latitude"],
                "longitude": stop["longitude"], "plan_x": stop["plan_x"],
                "plan_y": stop["plan_y"], "notes": stop["notes"]})
    return walk_id


# -- stops ------------------------------------------------------------------------------

def stops(db, walk_id: str) -> list[dict[str, Any]]:
    return db.query("SELECT * FROM walk_stops WHERE walk_id = ? AND deleted_at IS NULL "
                    "ORDER BY position", (walk_id,))


def add_stop(db, walk_id: str, name: str, **fields: Any) -> str:
    values = rules.validate_stop({"name": name, **fields})
    with db.transaction():
        require_walk(db, walk_id)
        position = db.scalar("SELECT coalesce(max(position), 0) + 1 FROM walk_stops "
                             "WHERE walk_id = ? AND deleted_at IS NULL", (walk_id,))
        return records.insert(db, "walk_stops",
                              {**values, "walk_id": walk_id, "position": position})


def update_stop(db, stop_id: str, **changes: Any) -> dict[str, Any]:
    values = rules.validate_stop(changes)
    with db.transaction():
        return records.update(db, "walk_stops", stop_id, values)


def move_stop(db, stop_id: str, offset: int) -> None:
    with db.transaction():
        stop = records.get(db, "walk_stops", stop_id)
        ids = [s["id"] for s in stops(db, stop["walk_id"])]
        index = ids.index(stop_id)
        ids.insert(max(0, min(len(ids) - 1, index + offset)), ids.pop(index))
        for position, row_id in enumerate(ids, start=1):
            records.update(db, "walk_stops", row_id, {"position": position})


def remove_stop(db, stop_id: str) -> None:
    """Remove a stop; its observations and photos stay, no longer tied to a stop."""
    with db.transaction():
        stop = records.get(db, "walk_stops", stop_id)
        for table in ("observations", "photos"):
            for row in db.query(f"SELECT id FROM {table} WHERE stop_id = ? "
                                "AND deleted_at IS NULL", (stop_id,)):
                records.update(db, table, row["id"], {"stop_id": None})
        records.soft_delete(db, "walk_stops", stop_id)
        # The route reads 1, 2, 3… again, as after a move.
        for position, row in enumerate(stops(db, stop["walk_id"]), start=1):
            records.update(db, "walk_stops", row["id"], {"position": position})


# -- participants -----------------------------------------------------------------------

def participants(db, walk_id: str) -> list[dict[str, Any]]:
    rows = db.query(
        """SELECT wp.*, p.first_name, p.last_name, p.organisation AS person_organisation
           FROM walk_participants wp LEFT JOIN people p ON p.id = wp.person_id
           WHERE wp.walk_id = ? AND wp.deleted_at IS NULL ORDER BY wp.created_at""",
        (walk_id,))
    from perr_desktop.domain.people import display_name

    for row in rows:
        if row["person_id"]:
            row["display"] = display_name(row["first_name"] or "", row["last_name"] or "")
            row["organisation"] = row["organisation"] or row["person_organisation"] or ""
        else:
            row["display"] = row["name"]
    return rows


def add_participant(db, walk_id: str, role: str, person_id: str | None = None,
                    name: str = "", organisation: str = "") -> str:
    name, organisation = clean(name), clean(organisation)
    if not person_id and not name:
        raise ValidationError(_("Choose a person or type a name."), "name")
    with db.transaction():
        require_walk(db, walk_id)
        if person_id:
            records.get(db, "people", person_id)
        if not db.scalar("SELECT count(*) FROM vocabulary WHERE kind = 'walk_role' "
                         "AND code = ? AND deleted_at IS NULL", (role,)):
            raise ValidationError(_("Unknown role: %(value)s.") % {"value": role}, "role")
        return records.insert(db, "walk_participants", {
            "walk_id": walk_id, "person_id": person_id, "name": name,
            "organisation": organisation, "role": role})


def remove_participant(db, participant_id: str) -> None:
    with db.transaction():
        records.soft_delete(db, "walk_participants", participant_id)


# -- observations -----------------------------------------------------------------------

def observations(db, walk_id: str) -> list[dict[str, Any]]:
    return db.query(
        """SELECT o.*, s.name AS stop_name, s.position AS stop_position
           FROM observations o
           LEFT JOIN walk_stops s ON s.id = o.stop_id AND s.deleted_at IS NULL
           WHERE o.walk_id = ? AND o.deleted_at IS NULL ORDER BY o.number""", (walk_id,))


def _check_references(db, walk_id: str, values: dict[str, Any]) -> None:
    if values.get("stop_id") and not db.scalar(
            "SELECT count(*) FROM walk_stops WHERE id = ? AND walk_id = ? "
            "AND deleted_at IS NULL", (values["stop_id"], walk_id)):
        raise ValidationError(_("This stop has been removed, or belongs to another walk."),
                              "stop_id")
    if values.get("theme") and not db.scalar(
            "SELECT count(*) FROM vocabulary WHERE kind = 'observation_theme' AND code = ? "
            "AND deleted_at IS NULL", (values["theme"],)):
        raise ValidationError(_("Unknown theme: %(value)s.") % {"value": values["theme"]},
                              "theme")
    if values.get("objective_code") and not db.scalar(
            "SELECT count(*) FROM perr_objectives WHERE code = ?", (values["objective_code"],)):
        raise ValidationError(_("Unknown PERR objective: %(value)s.")
                              % {"value": values["objective_code"]}, "objective_code")


def next_number(db, walk_id: str) -> int:
    """The number the walk's next observation gets: after the highest ever given,
    removed ones included (a number is never given twice)."""
    return db.scalar("SELECT coalesce(max(number), 0) + 1 FROM observations WHERE walk_id = ?",
                     (walk_id,))


def add_observation(db, walk_id: str, bodies: Iterable[str] = (), **fields: Any) -> str:
    """A new observation, numbered after the walk's last one; ``bodies`` are the codes of
    the bodies concerned (each gets a follow-up « à transmettre »)."""
    from perr_desktop.services import followups

    values = rules.validate_observation(fields)
    with db.transaction():
        require_walk(db, walk_id)
        _check_references(db, walk_id, values)
        number = next_number(db, walk_id)
        observation_id = records.insert(db, "observations",
                                        {**values, "walk_id": walk_id, "number": number})
        followups.set_bodies(db, observation_id, bodies)
        return observation_id


def update_observation(db, observation_id: str, **changes: Any) -> dict[str, Any]:
    values = rules.validate_observation(changes)
    with db.transaction():
        observation = records.get(db, "observations", observation_id)
        require_walk(db, observation["walk_id"])
        _check_references(db, observation["walk_id"], values)
        if "stop_id" in values and values["stop_id"] != observation["stop_id"]:
            # Its photos go with it: an observation's photos are taken at its stop.
            for photo in db.query("SELECT id FROM photos WHERE observation_id = ? "
                                  "AND deleted_at IS NULL", (observation_id,)):
                records.update(db, "photos", photo["id"], {"stop_id": values["stop_id"]})
        return records.update(db, "observations", observation_id, values)


def remove_observation(db, observation_id: str) -> None:
    """Remove an observation; its photos stay in the walk, its number is not reused."""
    with db.transaction():
        records.get(db, "observations", observation_id)
        for row in db.query("SELECT id FROM photos WHERE observation_id = ? "
                            "AND deleted_at IS NULL", (observation_id,)):
            records.update(db, "photos", row["id"], {"observation_id": None})
        for row in db.query("SELECT id FROM followups WHERE observation_id = ? "
                            "AND deleted_at IS NULL", (observation_id,)):
            records.soft_delete(db, "followups", row["id"])
        records.soft_delete(db, "observations", observation_id)


def list_observations(db, council_id: str | None = None, walk_id: str | None = None
                      ) -> list[dict[str, Any]]:
    sql = """SELECT o.*, w.council_id, w.walk_date, w.title AS walk_title,
                    s.name AS stop_name
             FROM observations o JOIN walks w ON w.id = o.walk_id
             JOIN councils c ON c.id = w.council_id
             LEFT JOIN walk_stops s ON s.id = o.stop_id AND s.deleted_at IS NULL
             WHERE o.deleted_at IS NULL AND w.deleted_at IS NULL
               AND c.deleted_at IS NULL"""
    params: list[Any] = []
    if council_id:
        sql += " AND w.council_id = ?"
        params.append(council_id)
    if walk_id:
        sql += " AND o.walk_id = ?"
        params.append(walk_id)
    return db.query(sql + " ORDER BY w.walk_date DESC, o.walk_id, o.number", params)


# -- photos -----------------------------------------------------------------------------

def photos(db, walk_id: str) -> list[dict[str, Any]]:
    return db.query(
        """SELECT p.*, m.sha256, m.width, m.height, m.taken_at, m.latitude, m.longitude,
                  m.camera, m.original_name
           FROM photos p JOIN media m ON m.id = p.media_id
           WHERE p.walk_id = ? AND p.deleted_at IS NULL AND m.deleted_at IS NULL
           ORDER BY m.taken_at IS NULL, m.taken_at, m.original_name, p.created_at""",
        (walk_id,))


def assign_photo(db, photo_id: str, stop_id: str | None = None,
                 observation_id: str | None = None) -> None:
    """Put a photo on a stop and/or an observation (an observation implies its stop)."""
    with db.transaction():
        photo = records.get(db, "photos", photo_id)
        if observation_id:
            observation = records.get(db, "observations", observation_id)
            if observation["walk_id"] != photo["walk_id"]:
                raise ValidationError(_("This observation belongs to another walk."),
                                      "observation_id")
            stop_id = stop_id or observation["stop_id"]
        if stop_id:
            stop = records.get(db, "walk_stops", stop_id)
            if stop["walk_id"] != photo["walk_id"]:
                raise ValidationError(_("This stop belongs to another walk."), "stop_id")
        records.update(db, "photos", photo_id,
                       {"stop_id": stop_id, "observation_id": observation_id})


def flag_identifiable(db, photo_id: str, identifiable: bool, include_anyway: bool = False
                      ) -> None:
    """« Personnes identifiables »: left out of reports unless ``include_anyway``."""
    with db.transaction():
        records.update(db, "photos", photo_id, {
            "identifiable": int(bool(identifiable)),
            "include_anyway": int(bool(identifiable) and bool(include_anyway))})


def set_caption(db, photo_id: str, caption: str) -> None:
    with db.transaction():
        records.update(db, "photos", photo_id, {"caption": clean(caption)[:300]})


def remove_photo(db, photo_id: str) -> None:
    """Take a photo out of the walk (its file stays while another walk uses it)."""
    with db.transaction():
        records.soft_delete(db, "photos", photo_id)


def printable(photo: dict[str, Any]) -> bool:
    """Whether a photo may appear in a report: not showing identifiable people, unless
    the facilitator chose to include it."""
    return not photo["identifiable"] or bool(photo["include_anyway"])


def match_photos_by_time(db, walk_id: str, window_minutes: int = 15) -> int:
    """Put unassigned photos on the observation noted closest in time, if within the
    window (and on its stop). Observations typed in the street carry the time they were
    created; photos carry the camera's time. Returns how many were placed."""
    candidates = [o for o in observations(db, walk_id) if o["created_at"]]
    if not candidates:
        return 0
    moments = [(_local(o["created_at"]), o) for o in candidates]
    assigned = 0
    with db.transaction():
        for photo in photos(db, walk_id):
            if photo["observation_id"] or photo["stop_id"] or not photo["taken_at"]:
                continue
            taken = dt.datetime.fromisoformat(photo["taken_at"])
            if taken.tzinfo is not None:  # a camera that wrote its offset: Paris time
                taken = taken.astimezone(TIMEZONE).replace(tzinfo=None)
            gap, nearest = min(((abs((moment - taken).total_seconds()), o)
                                for moment, o in moments), key=lambda pair: pair[0])
            if gap <= window_minutes * 60:
                records.update(db, "photos", photo["id"], {
                    "observation_id": nearest["id"], "stop_id": nearest["stop_id"]})
                assigned += 1
    return assigned


def _local(utc_stamp: str) -> dt.datetime:
    """A record's UTC timestamp (« …Z », with or without microseconds) in Paris time."""
    moment = dt.datetime.fromisoformat(utc_stamp.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(TIMEZONE).replace(tzinfo=None)

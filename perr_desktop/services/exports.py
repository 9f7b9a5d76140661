"""Exports for partners' tools: CSV tables for spreadsheets, GeoJSON for GIS (QGIS).

CSV (through :mod:`perr_desktop.services.csvfiles`: UTF-8 with a BOM, ``;`` by default,
formula injection neutralised): :data:`TABLES` are

* ``meetings`` — one row per meeting (cancelled ones included, said in a column):
  id, council, guest councils, date, start, end, kind, title, venue, participants
  (named present + counted, as ``indicators``), members present, minutes status,
  cancelled;
* ``attendance`` — one row per person on a meeting's list (meetings not cancelled):
  meeting id, meeting, date, council, person, gender, age band on the day, college on
  the day (members), lives in the QPV, member, status. ``anonymize=True`` puts
  « Participant 17 » instead of the name: the number is the person's rank by first
  appearance on any meeting's list, so it stays the same from one export to the next
  as long as past lists are not changed;
* ``observations`` — one row per observation: id, walk, date, council, number, stop,
  theme, strong or weak point, priority, description, proposal, bodies, latitude,
  longitude (the observation's own position, else its stop's);
* ``followups`` — one row per observation and body: observation id, walk, date, number,
  body, status, date of the last step, its channel and note, next reminder.

No CSV ever holds an email address, a telephone number or a postal address. Dates are ISO
(``2025-03-10``), times ``18:30``, coordinates with a decimal point (as GIS expect).
Headers and labels are in ``lang``; codes are not exported.

GeoJSON (RFC 7946): a ``FeatureCollection`` of ``Point`` features, coordinates
``[longitude, latitude]`` in WGS 84 and no ``crs`` member; one feature per observation
with a position (its own, else its stop's), for one walk, one council or all.

Functions: :func:`table`, :func:`csv_bytes`, :func:`export_csv`, :func:`geojson`,
:func:`export_geojson`. Unknown ids raise a :class:`~perr_desktop.errors.UserError`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from perr_desktop.domain.meetings import AGE_BAND_LABELS, MINUTES_STATUS_LABELS, age_band
from perr_desktop.domain.people import GENDER_LABELS, display_name
from perr_desktop.errors import ValidationError, user_errors
from perr_desktop.i18n import get_language, translator
from perr_desktop.services import csvfiles
from perr_desktop.services.councils import require_council
from perr_desktop.services.reference import vocabulary_labels
from perr_desktop.services.walks import require_walk
from perr_desktop.storage.files import write_atomically

TABLES = ("meetings", "attendance", "observations", "followups")


class _Labels:
    """Labels in one language: messages, domain labels and vocabularies."""

    def __init__(self, db, lang: str | None) -> None:
        self.db = db
        self.lang = lang or get_language()
        self.gettext = translator(self.lang).gettext
        self._vocab: dict[str, dict[str, str]] = {}

    def vocab(self, kind: str, code: str | None) -> str:
        if not code:
            return ""
        if kind not in self._vocab:
            self._vocab[kind] = vocabulary_labels(self.db, kind, self.lang)
        return self._vocab[kind].get(code, code)

    def yes_no(self, value: Any) -> str:
        if value is None:
            return ""
        return self.gettext("yes") if value else self.gettext("no")


def _check(db, council_id: str | None, year: int | None) -> None:
    if council_id is not None:
        require_council(db, council_id)
    if year is not None and not 1900 <= year <= 2100:
        raise ValidationError(translator(get_language()).gettext(
            "%(value)s is not a year.") % {"value": year}, "year")


def _meeting_filter(council_id: str | None, year: int | None) -> tuple[str, dict[str, Any]]:
    sql, params = "", {}
    if council_id:
        sql += """ AND (m.council_id = :council OR EXISTS (
                     SELECT 1 FROM meeting_guest_councils g WHERE g.meeting_id = m.id
                     AND g.council_id = :council AND g.deleted_at IS NULL))"""
        params["council"] = council_id
    if year:
        sql += " AND m.starts_at >= :start AND m.starts_at < :end"
        params.update(start=f"{year:04d}-01-01", end=f"{year + 1:04d}-01-01")
    return sql, params


def _walk_filter(council_id: str | None, year: int | None, walk_id: str | None = None
                 ) -> tuple[str, dict[str, Any]]:
    sql, params = "", {}
    if council_id:
        sql += " AND w.council_id = :council"
        params["council"] = council_id
    if walk_id:
        sql += " AND w.id = :walk"
        params["walk"] = walk_id
    if year:
        sql += " AND w.walk_date >= :start AND w.walk_date < :end"
        params.update(start=f"{year:04d}-01-01", end=f"{year + 1:04d}-01-01")
    return sql, params


# -- meetings ---------------------------------------------------------------------------------

def _meetings(db, labels: _Labels, council_id, year, anonymize
              ) -> tuple[list[str], list[list[Any]]]:
    _ = labels.gettext
    where, params = _meeting_filter(council_id, year)
    rows = db.query(
        f"""SELECT m.*, c.name AS council_name,
                   (SELECT group_concat(name, ', ') FROM (
                        SELECT gc.name FROM meeting_guest_councils g
                        JOIN councils gc ON gc.id = g.council_id
                        WHERE g.meeting_id = m.id AND g.deleted_at IS NULL
                          AND gc.deleted_at IS NULL ORDER BY gc.name)) AS guests,
                   (SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id
                      AND a.deleted_at IS NULL AND a.status = 'present') AS named,
                   (SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id
                      AND a.deleted_at IS NULL AND a.status = 'present'
                      AND a.member = 1) AS members_present,
                   (SELECT coalesce(sum(h.count), 0) FROM headcounts h
                    WHERE h.meeting_id = m.id AND h.deleted_at IS NULL) AS counted
            FROM meetings m JOIN councils c ON c.id = m.council_id
            WHERE m.deleted_at IS NULL AND c.deleted_at IS NULL {where}
            ORDER BY m.starts_at, m.title, m.id""", params)
    header = ["id", _("Council"), _("Guest councils"), _("Date"), _("Start"), _("End time"),
              _("Kind"), _("Title"), _("Venue"), _("Participants"), _("Members present"),
              _("Minutes"), _("Cancelled")]
    out = [[
        row["id"], row["council_name"], row["guests"] or "", row["starts_at"][:10],
        row["starts_at"][11:16], (row["ends_at"] or "")[11:16],
        labels.vocab("meeting_kind", row["kind"]), row["title"], row["venue"],
        row["named"] + row["counted"], row["members_present"],
        _(MINUTES_STATUS_LABELS.get(row["minutes_status"], row["minutes_status"])),
        labels.yes_no(row["cancelled"]),
    ] for row in rows]
    return header, out


# -- attendance -------------------------------------------------------------------------------

def _pseudonyms(db) -> dict[str, int]:
    """Person id → its rank by first appearance on a meeting's list (1, 2, 3…)."""
    rows = db.execute(
        """SELECT a.person_id FROM attendance a JOIN meetings m ON m.id = a.meeting_id
           WHERE a.deleted_at IS NULL AND m.deleted_at IS NULL
           GROUP BY a.person_id ORDER BY min(m.starts_at), a.person_id""").fetchall()
    return {person_id: n for n, (person_id,) in enumerate(rows, start=1)}


def _attendance(db, labels: _Labels, council_id, year, anonymize
                ) -> tuple[list[str], list[list[Any]]]:
    _ = labels.gettext
    where, params = _meeting_filter(council_id, year)
    rows = db.query(
        f"""SELECT a.meeting_id, a.person_id, a.member, a.status, m.title, m.starts_at,
                   c.name AS council_name, p.first_name, p.last_name, p.gender,
                   p.birth_year, p.lives_in_qpv,
                   CASE WHEN a.member = 1 THEN (
                       SELECT ms.college FROM memberships ms
                       WHERE ms.person_id = a.person_id AND ms.deleted_at IS NULL
                         AND (ms.council_id = m.council_id OR EXISTS (
                              SELECT 1 FROM meeting_guest_councils g
                              WHERE g.meeting_id = m.id AND g.council_id = ms.council_id
                                AND g.deleted_at IS NULL))
                         AND (ms.joined_on IS NULL
                              OR ms.joined_on <= substr(m.starts_at, 1, 10))
                         AND (ms.left_on IS NULL OR ms.left_on > substr(m.starts_at, 1, 10))
                       ORDER BY ms.college = 'habitants' DESC, ms.college LIMIT 1)
                   END AS college
            FROM attendance a JOIN meetings m ON m.id = a.meeting_id
            JOIN councils c ON c.id = m.council_id JOIN people p ON p.id = a.person_id
            WHERE a.deleted_at IS NULL AND m.deleted_at IS NULL AND m.cancelled = 0
              AND c.deleted_at IS NULL {where}
            ORDER BY m.starts_at, m.title, m.id, a.member DESC, p.sort_key, a.person_id""",
        params)
    pseudonyms = _pseudonyms(db) if anonymize else {}
    header = ["meeting_id", _("Meeting"), _("Date"), _("Council"), _("Person"), _("Gender"),
              _("Age band"), _("College"), _("Lives in the neighbourhood"), _("Member"),
              _("Status")]
    out = []
    for row in rows:
        if anonymize:
            name = _("Participant %(number)s") % {"number": pseudonyms[row["person_id"]]}
        else:
            name = display_name(row["first_name"], row["last_name"])
        day = dt.date.fromisoformat(row["starts_at"][:10])
        band = age_band(row["birth_year"], day)
        out.append([
            row["meeting_id"], row["title"], row["starts_at"][:10], row["council_name"],
            name, _(GENDER_LABELS.get(row["gender"], GENDER_LABELS["non_precise"])),
            _(AGE_BAND_LABELS[band]), labels.vocab("college", row["college"]),
            labels.yes_no(row["lives_in_qpv"]), labels.yes_no(row["member"]),
            labels.vocab("attendance_status", row["status"]),
        ])
    return header, out


# -- observations and follow-ups ----------------------------------------------------------------

_POSITION = """
    CASE WHEN o.latitude IS NOT NULL AND o.longitude IS NOT NULL THEN o.latitude
         ELSE s.latitude END AS lat,
    CASE WHEN o.latitude IS NOT NULL AND o.longitude IS NOT NULL THEN o.longitude
         ELSE s.longitude END AS lon
"""


def _observation_rows(db, council_id=None, year=None, walk_id=None) -> list[dict[str, Any]]:
    where, params = _walk_filter(council_id, year, walk_id)
    return db.query(
        f"""SELECT o.*, w.title AS walk_title, w.walk_date, c.name AS council_name,
                   s.name AS stop_name, {_POSITION}
            FROM observations o JOIN walks w ON w.id = o.walk_id
            JOIN councils c ON c.id = w.council_id
            LEFT JOIN walk_stops s ON s.id = o.stop_id AND s.deleted_at IS NULL
            WHERE o.deleted_at IS NULL AND w.deleted_at IS NULL AND c.deleted_at IS NULL
            {where}
            ORDER BY w.walk_date, w.title, w.id, o.number""", params)


def _followup_rows(db, council_id=None, year=None, walk_id=None
                   ) -> dict[str, list[dict[str, Any]]]:
    """Live follow-ups by observation id, each with its last step (by date, then typing
    order, as services/followups.py)."""
    where, params = _walk_filter(council_id, year, walk_id)
    rows = db.query(
        f"""SELECT f.*, o.number, w.title AS walk_title, w.walk_date,
                   last.step_date AS last_step_date, last.channel AS last_channel,
                   last.note AS last_note
            FROM followups f JOIN observations o ON o.id = f.observation_id
            JOIN walks w ON w.id = o.walk_id JOIN councils c ON c.id = w.council_id
            LEFT JOIN followup_steps last ON last.id = (
                SELECT st.id FROM followup_steps st WHERE st.followup_id = f.id
                  AND st.deleted_at IS NULL
                ORDER BY st.step_date DESC, st.created_at DESC LIMIT 1)
            WHERE f.deleted_at IS NULL AND o.deleted_at IS NULL AND w.deleted_at IS NULL
              AND c.deleted_at IS NULL {where}
            ORDER BY w.walk_date, w.title, w.id, o.number, f.body""", params)
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[row["observation_id"]].append(row)
    return out


def _strength(labels: _Labels, positive: Any) -> str:
    return labels.gettext("Strong point") if positive else labels.gettext("Weak point")


def _observations(db, labels: _Labels, council_id, year, anonymize
                  ) -> tuple[list[str], list[list[Any]]]:
    _ = labels.gettext
    follow = _followup_rows(db, council_id, year)
    header = ["id", _("Walk"), _("Date"), _("Council"), _("No."), _("Stop"), _("Theme"),
              _("Strong or weak point"), _("Priority"), _("Description"), _("Proposal"),
              _("Bodies"), _("Latitude"), _("Longitude")]
    out = [[
        row["id"], row["walk_title"], row["walk_date"], row["council_name"], row["number"],
        row["stop_name"] or "", labels.vocab("observation_theme", row["theme"]),
        _strength(labels, row["positive"]), row["priority"], row["description"],
        row["proposal"],
        ", ".join(labels.vocab("body", f["body"]) for f in follow.get(row["id"], [])),
        row["lat"], row["lon"],
    ] for row in _observation_rows(db, council_id, year)]
    return header, out


def _followups(db, labels: _Labels, council_id, year, anonymize
               ) -> tuple[list[str], list[list[Any]]]:
    _ = labels.gettext
    header = ["observation_id", _("Walk"), _("Date"), _("No."), _("Body"), _("Status"),
              _("Last step"), _("Channel"), _("Note"), _("Next reminder")]
    out = [[
        row["observation_id"], row["walk_title"], row["walk_date"], row["number"],
        labels.vocab("body", row["body"]), labels.vocab("followup_status", row["status"]),
        row["last_step_date"], labels.vocab("followup_channel", row["last_channel"]),
        row["last_note"] or "", row["next_reminder_on"],
    ] for rows in _followup_rows(db, council_id, year).values() for row in rows]
    return header, out


_BUILDERS: dict[str, Callable[..., tuple[list[str], list[list[Any]]]]] = {
    "meetings": _meetings, "attendance": _attendance, "observations": _observations,
    "followups": _followups,
}


# -- public API ---------------------------------------------------------------------------------

def table(db, name: str, *, council_id: str | None = None, year: int | None = None,
          anonymize: bool = False, lang: str | None = None
          ) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of the CSV table ``name`` (one of :data:`TABLES`): for one
    council (meetings it hosted or was invited to; its walks) and one calendar year, or
    all. ``anonymize`` only changes ``attendance``."""
    if name not in _BUILDERS:
        raise ValueError(f"unknown table {name!r}; expected one of {TABLES}")
    _check(db, council_id, year)
    return _BUILDERS[name](db, _Labels(db, lang), council_id, year, anonymize)


def _delimiter(value: str) -> str:
    if value in ("\\t", "tab", "TAB"):
        return "\t"
    if len(value) != 1 or value in "\"'\r\n" or value.isalnum():
        raise ValidationError(translator(get_language()).gettext(
            "The separator must be one character, such as ; or , (or tab)."), "delimiter")
    return value


def csv_bytes(db, name: str, *, council_id: str | None = None, year: int | None = None,
              anonymize: bool = False, delimiter: str = ";", lang: str | None = None
              ) -> bytes:
    """The CSV file's bytes (UTF-8 with BOM)."""
    header, rows = table(db, name, council_id=council_id, year=year, anonymize=anonymize,
                         lang=lang)
    return csvfiles.to_bytes(header, rows, _delimiter(delimiter))


def export_csv(db, name: str, path: Path | str, *, council_id: str | None = None,
               year: int | None = None, anonymize: bool = False, delimiter: str = ";",
               lang: str | None = None) -> int:
    """Write the CSV table ``name`` to ``path`` (atomically); return the number of rows."""
    header, rows = table(db, name, council_id=council_id, year=year, anonymize=anonymize,
                         lang=lang)
    csvfiles.write(Path(path), header, rows, _delimiter(delimiter))
    return len(rows)


def geojson(db, *, walk_id: str | None = None, council_id: str | None = None,
            lang: str | None = None) -> dict[str, Any]:
    """The observations with a position as an RFC 7946 FeatureCollection (one walk's, one
    council's, or all). Properties: ``walk``, ``walk_id``, ``council``, ``date``,
    ``number``, ``stop``, ``theme`` (label), ``theme_code``, ``positive``, ``priority``,
    ``description``, ``proposal``, ``status`` (« Body: status; … », readable in a GIS
    attribute table) and ``followups`` (``body``, ``body_label``, ``status``,
    ``status_label`` per body)."""
    if walk_id is not None and council_id is not None:
        raise ValueError("give a walk or a council, not both")
    if walk_id is not None:
        require_walk(db, walk_id)
    _check(db, council_id, None)
    labels = _Labels(db, lang)
    follow = _followup_rows(db, council_id, None, walk_id)
    features = []
    for row in _observation_rows(db, council_id, None, walk_id):
        if row["lat"] is None or row["lon"] is None:
            continue
        bodies = [{"body": f["body"], "body_label": labels.vocab("body", f["body"]),
                   "status": f["status"],
                   "status_label": labels.vocab("followup_status", f["status"])}
                  for f in follow.get(row["id"], [])]
        features.append({
            "type": "Feature",
            "id": row["id"],
            # RFC 7946 § 3.1.1: longitude first, then latitude (WGS 84 decimal degrees).
            "geometry": {"type": "Point",
                         "coordinates": [round(row["lon"], 7), round(row["lat"], 7)]},
            "properties": {
                "walk": row["walk_title"], "walk_id": row["walk_id"],
                "council": row["council_name"], "date": row["walk_date"],
                "number": row["number"], "stop": row["stop_name"] or "",
                "theme": labels.vocab("observation_theme", row["theme"]),
                "theme_code": row["theme"] or "",
                "positive": bool(row["positive"]), "priority": row["priority"],
                "description": row["description"], "proposal": row["proposal"],
                "status": "; ".join(
                    labels.gettext("%(body)s: %(status)s")
                    % {"body": b["body_label"], "status": b["status_label"]}
                    for b in bodies),
                "followups": bodies,
            },
        })
    return {"type": "FeatureCollection", "features": features}


def export_geojson(db, path: Path | str, *, walk_id: str | None = None,
                   council_id: str | None = None, lang: str | None = None) -> int:
    """Write :func:`geojson` to ``path`` (UTF-8, atomically); return the number of
    features."""
    collection = geojson(db, walk_id=walk_id, council_id=council_id, lang=lang)
    data = json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")
    path = Path(path)
    with user_errors(path):
        write_atomically(path, data)
    return len(collection["features"])

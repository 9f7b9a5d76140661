"""What was done for one part of the PERR: the meetings, agenda items and observations
behind the counts of the Vue PERR (``indicators.perr_view``), for listing them.

The selection is the very one of :mod:`perr_desktop.services.indicators` (same
:class:`~perr_desktop.services.indicators.Filters`, same SQL conditions, docs/indicators.md
§ 8): for a node, its own records and those of every node below it, so that the number of
meetings listed is the node's ``total_meetings``, the agenda items its
``total_agenda_items`` and the observations its ``total_observations``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from perr_desktop.services.indicators import (
    IN_LIST,
    Filters,
    Scope,
    objective_subtree,
)
from perr_desktop.storage.database import read_snapshot


def perr_activity(db, filters: Filters, code: str,
                  today: dt.date | None = None) -> dict[str, list[dict[str, Any]]]:
    """The records counted for the PERR node ``code`` (and its descendants) under
    ``filters``, oldest first:

    * ``meetings``: ``id``, ``starts_at``, ``date``, ``title``, ``kind``, ``council_id``,
      ``council_name``, ``codes`` (the node's codes the meeting or its items carry);
    * ``agenda_items``: ``id``, ``meeting_id``, ``position``, ``title``,
      ``objective_code``, ``starts_at``, ``date``, ``meeting_title``, ``council_name``;
    * ``observations``: ``id``, ``walk_id``, ``number``, ``theme``, ``positive``,
      ``description``, ``objective_code``, ``date``, ``walk_title``, ``council_name``.

    An unknown code, council or filter objective: a :class:`~perr_desktop.errors.UserError`.
    """
    today = today or dt.date.today()
    with read_snapshot(db):
        scope = Scope(db, filters, today)
        params = {**scope.params, "node": json.dumps(objective_subtree(db, code))}
        node = IN_LIST.format(name="node")
        meetings = db.query(
            f"""SELECT m.id, m.starts_at, substr(m.starts_at, 1, 10) AS date, m.title,
                       m.kind, m.council_id, c.name AS council_name,
                       (SELECT group_concat(code, ' ') FROM (
                           SELECT mo.objective_code AS code FROM meeting_objectives mo
                           WHERE mo.meeting_id = m.id AND mo.deleted_at IS NULL
                             AND mo.objective_code {node}
                           UNION
                           SELECT ai.objective_code FROM agenda_items ai
                           WHERE ai.meeting_id = m.id AND ai.deleted_at IS NULL
                             AND ai.objective_code {node})) AS codes
                FROM meetings m JOIN councils c ON c.id = m.council_id
                WHERE {scope.meeting_sql()}
                  AND (EXISTS (SELECT 1 FROM meeting_objectives mo
                               WHERE mo.meeting_id = m.id AND mo.deleted_at IS NULL
                                 AND mo.objective_code {node})
                       OR EXISTS (SELECT 1 FROM agenda_items ai
                                  WHERE ai.meeting_id = m.id AND ai.deleted_at IS NULL
                                    AND ai.objective_code {node}))
                ORDER BY m.starts_at, m.title, m.id""", params)
        for row in meetings:
            row["codes"] = sorted((row["codes"] or "").split())
        items = db.query(
            f"""SELECT ai.id, ai.meeting_id, ai.position, ai.title, ai.objective_code,
                       m.starts_at, substr(m.starts_at, 1, 10) AS date,
                       m.title AS meeting_title, c.name AS council_name
                FROM agenda_items ai JOIN meetings m ON m.id = ai.meeting_id
                JOIN councils c ON c.id = m.council_id
                WHERE ai.deleted_at IS NULL AND ai.objective_code {node}
                  AND {scope.meeting_sql()}
                ORDER BY m.starts_at, m.id, ai.position""", params)
        observations = db.query(
            f"""SELECT o.id, o.walk_id, o.number, o.theme, o.positive, o.description,
                       o.objective_code, w.walk_date AS date, w.title AS walk_title,
                       c.name AS council_name
                FROM observations o JOIN walks w ON w.id = o.walk_id
                JOIN councils c ON c.id = w.council_id
                WHERE o.deleted_at IS NULL AND o.objective_code {node}
                  AND {scope.walk_sql()}
                ORDER BY w.walk_date, w.id, o.number""", params)
    return {"meetings": meetings, "agenda_items": items, "observations": observations}

"""The figures of the dashboard, the annual report and ``stats --json``.

Every definition is written, in French, in ``docs/indicators.md``; this module implements
exactly that text (change both together). Two entry points, both read-only:

* :func:`compute` — ``compute(db, filters, today=None) -> dict``: every indicator for the
  councils, period and PERR objective of a :class:`Filters`, as plain JSON-ready data
  (``int``/``float``/``str``/``None``, lists and dicts with string keys, ISO dates).
  Codes (meeting kinds, themes, statuses, bodies, objectives) are left as codes: the GUI
  and the report translate them with their vocabularies.
* :func:`perr_view` — ``perr_view(db, filters, today=None) -> list[dict]``: the PERR tree
  in reading order, with what was done for each node.

Helpers: :class:`Filters` (``Filters.year``, ``Filters.quarter``, ``Filters.between``),
:class:`Scope` (the filters as SQL conditions, shared with services/perr_activity.py and
reports/annual.py so that they list exactly what is counted here),
:func:`objective_subtree`, :func:`years_with_data`, and :func:`describe` (the main figures
as lines of text, for ``stats`` without ``--json``).

Shares are fractions between 0 and 1, or ``None`` when the denominator is zero (« non
défini », shown as a dash, never as 0 %). Medians are ``int`` when whole, else ``float``
(the median of an even number of values can end in .5).

Speed: each family of figures is one or two SQL statements over the selected meetings or
walks (no query per meeting); the indexes of migration v4 serve them. The dashboard calls
:func:`compute` on every filter change (benchmarks/bench_indicators.py: target < 100 ms on
ten years of five councils).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from perr_desktop.domain import walks as walk_rules
from perr_desktop.domain.meetings import ActionStatus, AgeBand, Attendance, age_band
from perr_desktop.domain.people import Gender
from perr_desktop.errors import NotFoundError
from perr_desktop.i18n import _
from perr_desktop.services import followups as followup_service
from perr_desktop.services.councils import require_council
from perr_desktop.storage.database import read_snapshot

# System codes of the ``college`` vocabulary (loi Lamy: two colleges).
RESIDENTS_COLLEGE = "habitants"
PARTNERS_COLLEGE = "acteurs_locaux"
UNDER_25_BANDS = (AgeBand.MOINS_16, AgeBand.DE_16_A_25)
# Levels of the PERR tree whose nodes are "objectives" for the coverage count.
OBJECTIVE_LEVELS = ("objective", "sub_objective")


# -- filters -----------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Filters:
    """What the figures are about.

    ``council_ids``: the councils (``None``: every council; a meeting counts for its host
    council and for its guest councils). ``start``/``end``: the period, ``end``
    excluded (the year 2025 is ``start=2025-01-01, end=2026-01-01``). ``objective_code``:
    a node of the PERR tree (pillar « R », theme « R3 », objective « R3.07 »…); the node
    and all its descendants are meant.
    """

    council_ids: tuple[str, ...] | None = None
    start: dt.date
    end: dt.date
    objective_code: str | None = None

    def __post_init__(self) -> None:
        if self.council_ids is not None and not isinstance(self.council_ids, tuple):
            object.__setattr__(self, "council_ids", tuple(self.council_ids))
        if self.objective_code == "":
            object.__setattr__(self, "objective_code", None)
        for name in ("start", "end"):
            value = getattr(self, name)
            if isinstance(value, dt.datetime):  # a day is meant: drop the time
                object.__setattr__(self, name, value.date())
            elif not isinstance(value, dt.date):
                raise TypeError("Filters.start and Filters.end are datetime.date values")
        if self.end <= self.start:
            raise ValueError(f"empty period: {self.start} to {self.end} (end excluded)")

    @classmethod
    def year(cls, year: int, council_ids: Iterable[str] | None = None,
             objective_code: str | None = None) -> Filters:
        """The calendar year ``year``."""
        return cls(council_ids=_ids(council_ids), start=dt.date(year, 1, 1),
                   end=dt.date(year + 1, 1, 1), objective_code=objective_code)

    @classmethod
    def quarter(cls, year: int, quarter: int, council_ids: Iterable[str] | None = None,
                objective_code: str | None = None) -> Filters:
        """Quarter 1 to 4 of ``year`` (Q1: January to March)."""
        if quarter not in (1, 2, 3, 4):
            raise ValueError(f"a quarter is 1, 2, 3 or 4, not {quarter!r}")
        start = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
        return cls(council_ids=_ids(council_ids), start=start, end=end,
                   objective_code=objective_code)

    @classmethod
    def between(cls, start: dt.date, end: dt.date, council_ids: Iterable[str] | None = None,
                objective_code: str | None = None) -> Filters:
        """A custom period, ``end`` excluded."""
        return cls(council_ids=_ids(council_ids), start=start, end=end,
                   objective_code=objective_code)


def _ids(council_ids: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if council_ids is None else tuple(council_ids)


def objective_subtree(db, code: str) -> list[str]:
    """``code`` and every code below it in the PERR tree, in reading order; a
    :class:`NotFoundError` for an unknown code."""
    rows = db.query("SELECT code, parent_code FROM perr_objectives WHERE deleted_at IS NULL "
                    "ORDER BY sort_order")
    if code not in {r["code"] for r in rows}:
        raise NotFoundError(_("Unknown PERR objective: %(value)s.") % {"value": code})
    children: dict[str | None, list[str]] = defaultdict(list)
    for row in rows:
        children[row["parent_code"]].append(row["code"])
    found, todo = [], [code]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(reversed(children.get(current, [])))
    order = {r["code"]: n for n, r in enumerate(rows)}
    return sorted(found, key=order.__getitem__)


def years_with_data(db) -> list[int]:
    """The calendar years holding a meeting (not cancelled) or a walk, oldest first: the
    choices of the dashboard's year selector."""
    rows = db.query(
        """SELECT DISTINCT CAST(substr(starts_at, 1, 4) AS INTEGER) AS year FROM meetings
           WHERE deleted_at IS NULL AND cancelled = 0
           UNION SELECT DISTINCT CAST(substr(walk_date, 1, 4) AS INTEGER) FROM walks
           WHERE deleted_at IS NULL ORDER BY 1""")
    return [row["year"] for row in rows]


# -- the selection, in SQL ---------------------------------------------------------------

# « column IN_LIST » with a JSON array bound to :name (perr_activity, reports/annual too).
IN_LIST = "IN (SELECT value FROM json_each(:{name}))"


class Scope:
    """The filters turned into SQL conditions and parameters, checked against the data."""

    def __init__(self, db, filters: Filters, today: dt.date) -> None:
        self.filters = filters
        self.today = today
        if filters.council_ids is not None:
            for council_id in filters.council_ids:
                require_council(db, council_id)
        self.codes = (objective_subtree(db, filters.objective_code)
                      if filters.objective_code else None)
        # Only what has taken place: a meeting or walk after today is not « held » yet.
        self.stop = min(filters.end, today + dt.timedelta(days=1))
        # Open actions are looked at on the period's last day, or today if earlier.
        self.last_day = min(filters.end - dt.timedelta(days=1), today)
        self.params: dict[str, Any] = {
            "start": filters.start.isoformat(), "end": filters.end.isoformat(),
            "stop": self.stop.isoformat(), "last_day": self.last_day.isoformat(),
            "today": today.isoformat(),
            "councils": json.dumps(list(filters.council_ids or ())),
            "codes": json.dumps(self.codes or []),
        }

    def meeting_sql(self, m: str = "m", dates: bool = True, cancelled: bool = False) -> str:
        """Conditions on meetings ``m``: live, not cancelled (unless ``cancelled``), live
        host council, council and objective filters, and (``dates``) held within the
        period."""
        sql = [f"{m}.deleted_at IS NULL",
               f"EXISTS (SELECT 1 FROM councils hc WHERE hc.id = {m}.council_id "
               "AND hc.deleted_at IS NULL)"]
        if not cancelled:
            sql.append(f"{m}.cancelled = 0")
        if dates:
            sql.append(f"{m}.starts_at >= :start AND {m}.starts_at < :stop")
        if self.filters.council_ids is not None:
            sql.append(
                f"({m}.council_id {IN_LIST.format(name='councils')} OR EXISTS ("
                f"SELECT 1 FROM meeting_guest_councils g WHERE g.meeting_id = {m}.id "
                f"AND g.deleted_at IS NULL AND g.council_id {IN_LIST.format(name='councils')}))")
        if self.codes is not None:
            sql.append(
                f"(EXISTS (SELECT 1 FROM meeting_objectives mo WHERE mo.meeting_id = {m}.id "
                f"AND mo.deleted_at IS NULL AND mo.objective_code {IN_LIST.format(name='codes')})"
                f" OR EXISTS (SELECT 1 FROM agenda_items ai WHERE ai.meeting_id = {m}.id "
                f"AND ai.deleted_at IS NULL AND ai.objective_code {IN_LIST.format(name='codes')}))")
        return " AND ".join(sql)

    def walk_sql(self, w: str = "w", dates: bool = True) -> str:
        """Conditions on walks ``w``: live, live council, council filter, (``dates``) held
        within the period. The objective filter applies to observations, not walks."""
        sql = [f"{w}.deleted_at IS NULL",
               f"EXISTS (SELECT 1 FROM councils wc WHERE wc.id = {w}.council_id "
               "AND wc.deleted_at IS NULL)"]
        if dates:
            sql.append(f"{w}.walk_date >= :start AND {w}.walk_date < :stop")
        if self.filters.council_ids is not None:
            sql.append(f"{w}.council_id {IN_LIST.format(name='councils')}")
        return " AND ".join(sql)

    def observation_sql(self, o: str = "o") -> str:
        sql = f"{o}.deleted_at IS NULL"
        if self.codes is not None:
            sql += f" AND {o}.objective_code {IN_LIST.format(name='codes')}"
        return sql



# -- helpers -----------------------------------------------------------------------------

def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _median(values: list[int]) -> int | float | None:
    if not values:
        return None
    value = statistics.median(values)
    return int(value) if float(value).is_integer() else float(value)


def _months(start: dt.date, end: dt.date) -> list[str]:
    """« 2025-01 »… every month touched by [start, end)."""
    last = end - dt.timedelta(days=1)
    year, month, out = start.year, start.month, []
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _status_families(db) -> tuple[list[str], list[str]]:
    """Follow-up status codes in the « fixed » and « closed » families; every other
    status (unknown ones included) is open, as in services/followups.py."""
    groups = followup_service.status_groups(db)
    fixed = [code for code, group in groups.items() if group == walk_rules.FIXED]
    closed = [code for code, group in groups.items() if group == walk_rules.CLOSED]
    return fixed, closed


# -- compute -----------------------------------------------------------------------------

def compute(db, filters: Filters, today: dt.date | None = None) -> dict[str, Any]:
    """Every indicator for ``filters`` (definitions: docs/indicators.md).

    ``today`` (default: the computer's date) decides what has taken place: meetings and
    walks after it are not counted, open actions are looked at on the period's last day
    or today if earlier, and « à relancer » is judged on it. Unknown council ids or
    objective code: a :class:`~perr_desktop.errors.UserError`.

    Top-level keys: ``filters``, ``meetings``, ``participants``, ``members``, ``actions``,
    ``observations``, ``walks``, ``perr`` (each described in docs/indicators.md).
    """
    today = today or dt.date.today()
    with read_snapshot(db):
        scope = Scope(db, filters, today)
        meetings = _meetings(db, scope)
        ids = json.dumps([m["id"] for m in meetings])
        walks = _walks(db, scope)
        walk_ids = json.dumps([w["id"] for w in walks])
        counts = _attendance_counts(db, ids)
        participants = _participants(db, scope, meetings, ids, counts)
        result = {
            "filters": {
                "council_ids": (list(filters.council_ids)
                                if filters.council_ids is not None else None),
                "start": filters.start.isoformat(),
                "end": filters.end.isoformat(),
                "objective_code": filters.objective_code,
                "objective_codes": scope.codes,
                "today": today.isoformat(),
            },
            "meetings": _meeting_counts(scope, meetings),
            "participants": participants,
            "members": _members(db, scope, ids, counts),
            "actions": _actions(db, scope),
            "observations": _observations(db, scope, walk_ids),
            "walks": _walk_counts(db, scope, walks),
            "perr": _perr_summary(_perr_nodes(db, scope, ids, walk_ids)),
        }
    return result


def _meetings(db, scope: Scope) -> list[dict[str, Any]]:
    return db.query(
        f"""SELECT m.id, substr(m.starts_at, 1, 10) AS date, m.title, m.kind, m.council_id
            FROM meetings m WHERE {scope.meeting_sql()}
            ORDER BY m.starts_at, m.title, m.id""", scope.params)


def _meeting_counts(scope: Scope, meetings: list[dict[str, Any]]) -> dict[str, Any]:
    per_month = Counter(m["date"][:7] for m in meetings)
    return {
        "held": len(meetings),
        "by_kind": dict(sorted(Counter(m["kind"] for m in meetings).items())),
        "per_month": [{"month": month, "n": per_month.get(month, 0)}
                      for month in _months(scope.filters.start, scope.filters.end)],
    }


# Present named people of the selected meetings, grouped first by person (then the
# people table is read once per person, not once per presence). ``college``: 1 for a
# member of the « habitants » college, 2 « acteurs locaux », on the day, in the host or
# a guest council; NULL otherwise.
_PRESENT_PEOPLE_SQL = f"""
    SELECT x.member, p.gender, x.year, p.birth_year, p.lives_in_qpv, x.college,
           sum(x.n) AS n
    FROM (
        SELECT a.person_id, a.member, substr(m.starts_at, 1, 4) AS year,
               CASE WHEN a.member = 1 THEN (
                   SELECT min(CASE ms.college WHEN '{RESIDENTS_COLLEGE}' THEN 1
                                              WHEN '{PARTNERS_COLLEGE}' THEN 2 END)
                   FROM memberships ms
                   WHERE ms.person_id = a.person_id AND ms.deleted_at IS NULL
                     AND (ms.council_id = m.council_id OR EXISTS (
                          SELECT 1 FROM meeting_guest_councils g
                          WHERE g.meeting_id = m.id AND g.council_id = ms.council_id
                            AND g.deleted_at IS NULL))
                     AND (ms.joined_on IS NULL OR ms.joined_on <= substr(m.starts_at, 1, 10))
                     AND (ms.left_on IS NULL OR ms.left_on > substr(m.starts_at, 1, 10)))
               END AS college,
               count(*) AS n
        FROM attendance a JOIN meetings m ON m.id = a.meeting_id
        WHERE a.meeting_id {IN_LIST.format(name='ids')} AND a.deleted_at IS NULL
          AND a.status = '{Attendance.PRESENT}'
        GROUP BY 1, 2, 3, 4) x
    JOIN people p ON p.id = x.person_id
    GROUP BY 1, 2, 3, 4, 5, 6
"""

_DISTINCT_SQL = f"""
    SELECT count(*) AS named,
           coalesce(sum(NOT EXISTS (
               SELECT 1 FROM attendance a2 JOIN meetings m2 ON m2.id = a2.meeting_id
               WHERE a2.person_id = x.person_id AND a2.deleted_at IS NULL
                 AND a2.status = '{Attendance.PRESENT}'
                 AND m2.deleted_at IS NULL AND m2.cancelled = 0 AND m2.starts_at < :start
           )), 0) AS newcomers
    FROM (SELECT DISTINCT a.person_id FROM attendance a
          WHERE a.meeting_id {IN_LIST.format(name='ids')} AND a.deleted_at IS NULL
            AND a.status = '{Attendance.PRESENT}') x
"""


def _attendance_counts(db, ids: str) -> list[dict[str, Any]]:
    """Attendance rows of the selected meetings by meeting, member flag and status."""
    return db.query(
        f"""SELECT a.meeting_id, a.member, a.status, count(*) AS n FROM attendance a
            WHERE a.meeting_id {IN_LIST.format(name='ids')} AND a.deleted_at IS NULL
            GROUP BY a.meeting_id, a.status, a.member""", {"ids": ids})


def _participants(db, scope: Scope, meetings: list[dict[str, Any]], ids: str,
                  counts: list[dict[str, Any]]) -> dict[str, Any]:
    params = {**scope.params, "ids": ids}
    named = Counter()      # meeting id → present named people (members and others)
    walk_ins = 0
    for row in counts:
        if row["status"] == Attendance.PRESENT:
            named[row["meeting_id"]] += row["n"]
            if not row["member"]:
                walk_ins += row["n"]

    gender = Counter({g.value: 0 for g in Gender})
    bands = Counter({b.value: 0 for b in AgeBand})
    residence = Counter({"residents": 0, "partners": 0, "unknown": 0})
    for row in db.query(_PRESENT_PEOPLE_SQL, params):
        n = row["n"]
        gender[row["gender"] if row["gender"] in gender else Gender.NON_PRECISE] += n
        # age_band only looks at the year of the day given: the age reached that year.
        bands[age_band(row["birth_year"], dt.date(int(row["year"]), 1, 1)).value] += n
        if row["college"] == 1:
            residence["residents"] += n
        elif row["college"] == 2:
            residence["partners"] += n
        elif row["lives_in_qpv"] == 1:
            residence["residents"] += n
        elif row["lives_in_qpv"] == 0:
            residence["partners"] += n
        else:
            residence["unknown"] += n

    counted = Counter()    # meeting id → anonymous head count
    first_time = Counter({"new": 0, "returning": 0, "unknown": 0})
    for row in db.query(
            f"""SELECT h.meeting_id, h.gender, h.age_band, h.lives_in_qpv, h.first_time,
                       sum(h.count) AS n
                FROM headcounts h
                WHERE h.meeting_id {IN_LIST.format(name='ids')} AND h.deleted_at IS NULL
                GROUP BY 1, 2, 3, 4, 5""", params):
        n = row["n"]
        counted[row["meeting_id"]] += n
        gender[row["gender"] if row["gender"] in gender else Gender.NON_PRECISE] += n
        bands[row["age_band"] if row["age_band"] in bands else AgeBand.NON_PRECISE] += n
        key = {1: "residents", 0: "partners"}.get(row["lives_in_qpv"], "unknown")
        residence[key] += n
        first_time[{1: "new", 0: "returning"}.get(row["first_time"], "unknown")] += n

    distinct = db.query_one(_DISTINCT_SQL, params)
    per_meeting = [{
        "meeting_id": m["id"], "date": m["date"], "title": m["title"], "kind": m["kind"],
        "council_id": m["council_id"], "named": named[m["id"]], "counted": counted[m["id"]],
        "participants": named[m["id"]] + counted[m["id"]],
    } for m in meetings]
    total = sum(row["participants"] for row in per_meeting)
    all_counted = sum(counted.values())
    known_gender = gender[Gender.FEMME] + gender[Gender.HOMME]
    known_age = total - bands[AgeBand.NON_PRECISE]
    under_25 = sum(bands[b] for b in UNDER_25_BANDS)
    return {
        "total": total,
        "named": sum(named.values()),
        "walk_ins": walk_ins,
        "counted": all_counted,
        "per_meeting": per_meeting,
        "average_per_meeting": total / len(meetings) if meetings else None,
        "distinct": distinct["named"] + all_counted,
        "distinct_named": distinct["named"],
        "gender": dict(gender),
        "women_share": _share(gender[Gender.FEMME], known_gender),
        "age_bands": dict(bands),
        "under_25_share": _share(under_25, known_age),
        "residents": residence["residents"],
        "partners": residence["partners"],
        "residence_unknown": residence["unknown"],
        "residents_share": _share(residence["residents"],
                                  residence["residents"] + residence["partners"]),
        "newcomers": distinct["newcomers"] + first_time["new"],
        "returning": distinct["named"] - distinct["newcomers"] + first_time["returning"],
        "newcomers_unknown": first_time["unknown"],
    }


# A member's row counts for council X when X hosted or was invited to the meeting and the
# person was a member of X on the day of the meeting.
_MEMBER_OF = """
    ms.person_id = a.person_id AND ms.deleted_at IS NULL
    AND (ms.council_id = m.council_id OR EXISTS (
         SELECT 1 FROM meeting_guest_councils g WHERE g.meeting_id = m.id
         AND g.council_id = ms.council_id AND g.deleted_at IS NULL))
    AND (ms.joined_on IS NULL OR ms.joined_on <= substr(m.starts_at, 1, 10))
    AND (ms.left_on IS NULL OR ms.left_on > substr(m.starts_at, 1, 10))
"""


def _members(db, scope: Scope, ids: str, counts: list[dict[str, Any]]) -> dict[str, Any]:
    params = {**scope.params, "ids": ids}
    only = ("" if scope.filters.council_ids is None
            else f"AND ms.council_id {IN_LIST.format(name='councils')}")
    by_status = Counter({s.value: 0 for s in Attendance})
    not_recorded = 0
    if scope.filters.council_ids is None:
        rows = [row for row in counts if row["member"]]
    else:
        rows = db.query(
            f"""SELECT a.status, count(*) AS n FROM attendance a
                JOIN meetings m ON m.id = a.meeting_id
                WHERE a.meeting_id {IN_LIST.format(name='ids')} AND a.deleted_at IS NULL
                  AND a.member = 1
                  AND EXISTS (SELECT 1 FROM memberships ms WHERE {_MEMBER_OF} {only})
                GROUP BY a.status""", params)
    for row in rows:
        if row["status"] in by_status:
            by_status[row["status"]] += row["n"]
        else:
            not_recorded += row["n"]
    by_council: dict[str, float | None] = {}
    if scope.filters.council_ids is not None:
        by_council = {council_id: None for council_id in scope.filters.council_ids}
    for row in db.query(
            f"""SELECT ms.council_id,
                       sum(a.status IN ('{Attendance.PRESENT}', '{Attendance.REPRESENTE}'))
                           AS came,
                       count(*) AS recorded
                FROM attendance a JOIN meetings m ON m.id = a.meeting_id
                JOIN memberships ms ON {_MEMBER_OF} {only}
                WHERE a.meeting_id {IN_LIST.format(name='ids')} AND a.deleted_at IS NULL
                  AND a.member = 1 AND a.status IS NOT NULL
                GROUP BY ms.council_id ORDER BY ms.council_id""", params):
        by_council[row["council_id"]] = _share(row["came"], row["recorded"])
    came = by_status[Attendance.PRESENT] + by_status[Attendance.REPRESENTE]
    return {
        "attendance_rate": _share(came, sum(by_status.values())),
        "present": by_status[Attendance.PRESENT],
        "represented": by_status[Attendance.REPRESENTE],
        "excused": by_status[Attendance.EXCUSE],
        "absent": by_status[Attendance.ABSENT],
        "not_recorded": not_recorded,
        "by_council": by_council,
    }


def _actions(db, scope: Scope) -> dict[str, Any]:
    rows = db.query(
        f"""SELECT a.status, a.closed_on, substr(m.starts_at, 1, 10) AS opened_on
            FROM actions a JOIN meetings m ON m.id = a.meeting_id
            WHERE a.deleted_at IS NULL AND {scope.meeting_sql(dates=False, cancelled=True)}
              AND substr(m.starts_at, 1, 10) <= :last_day
              AND ((m.starts_at >= :start AND m.starts_at < :stop)
                   OR (a.closed_on >= :start AND a.closed_on < :end)
                   OR a.closed_on IS NULL OR a.closed_on > :last_day)""", scope.params)
    start, stop, end = scope.params["start"], scope.params["stop"], scope.params["end"]
    last_day = scope.last_day
    by_status = Counter({s.value: 0 for s in ActionStatus})
    opened = closed = 0
    ages = []
    for row in rows:
        if start <= row["opened_on"] < stop:
            opened += 1
            by_status[row["status"]] += 1
        if row["closed_on"] and start <= row["closed_on"] < end:
            closed += 1
        if row["closed_on"] is None or row["closed_on"] > last_day.isoformat():
            ages.append((last_day - dt.date.fromisoformat(row["opened_on"])).days)
    return {
        "opened": opened,
        "closed": closed,
        "open_at_end": len(ages),
        "median_age_days_open_at_end": _median(ages),
        "by_status": dict(by_status),
        "end_day": last_day.isoformat(),
    }


def _walks(db, scope: Scope) -> list[dict[str, Any]]:
    return db.query(
        f"""SELECT w.id, w.counted_participants,
                   (SELECT count(*) FROM walk_participants wp WHERE wp.walk_id = w.id
                      AND wp.deleted_at IS NULL) AS named,
                   {'1' if scope.codes is None else f'''EXISTS (
                       SELECT 1 FROM observations o WHERE o.walk_id = w.id
                       AND {scope.observation_sql()})'''} AS concerned
            FROM walks w WHERE {scope.walk_sql()} ORDER BY w.walk_date, w.id""",
        scope.params)


def _walk_counts(db, scope: Scope, walks: list[dict[str, Any]]) -> dict[str, Any]:
    held = [w for w in walks if w["concerned"]]
    counted = sum(w["counted_participants"] for w in held)
    named = sum(w["named"] for w in held)
    return {"held": len(held), "participants_counted": counted,
            "participants_named": named, "participants": counted + named}


def _observations(db, scope: Scope, walk_ids: str) -> dict[str, Any]:
    params = {**scope.params, "walks": walk_ids}
    fixed, closed = _status_families(db)
    params["fixed"], params["closed"] = json.dumps(fixed), json.dumps(closed)
    where = f"o.walk_id {IN_LIST.format(name='walks')} AND {scope.observation_sql()}"

    by_theme: dict[str, dict[str, int]] = {}
    positive = negative = 0
    for row in db.query(
            f"""SELECT coalesce(o.theme, '') AS theme, o.positive, count(*) AS n
                FROM observations o WHERE {where} GROUP BY 1, 2 ORDER BY 1""", params):
        entry = by_theme.setdefault(row["theme"], {"positive": 0, "negative": 0})
        if row["positive"]:
            entry["positive"] += row["n"]
            positive += row["n"]
        else:
            entry["negative"] += row["n"]
            negative += row["n"]

    # One pass over the follow-ups: their statuses, the families of each observation's
    # follow-ups (resolved: one fixed and none open), and « à relancer » by the rule of
    # services/followups.py (the date of the last step is only needed, and only read,
    # for a follow-up sent and waiting with no reminder date).
    by_status: Counter = Counter()
    by_group = Counter({walk_rules.OPEN: 0, walk_rules.FIXED: 0, walk_rules.CLOSED: 0})
    families: dict[str, set[str]] = defaultdict(set)
    to_remind = 0
    fixed_set, closed_set = set(fixed), set(closed)
    for observation_id, status, reminder, last_step in db.execute(
            f"""SELECT o.id, f.status, f.next_reminder_on,
                       CASE WHEN f.next_reminder_on IS NULL AND f.status = :sent THEN (
                           SELECT max(s.step_date) FROM followup_steps s
                           WHERE s.followup_id = f.id AND s.deleted_at IS NULL) END
                FROM observations o JOIN followups f ON f.observation_id = o.id
                WHERE {where} AND f.deleted_at IS NULL""",
            {**params, "sent": walk_rules.SENT_STATUS}).fetchall():
        group = (walk_rules.FIXED if status in fixed_set else
                 walk_rules.CLOSED if status in closed_set else walk_rules.OPEN)
        by_status[status] += 1
        by_group[group] += 1
        families[observation_id].add(group)
        if group == walk_rules.OPEN and followup_service.overdue(
                {"group": group, "status": status, "next_reminder_on": reminder,
                 "last_step_date": last_step}, scope.today):
            to_remind += 1
    still_open = sum(1 for f in families.values() if walk_rules.OPEN in f)
    resolved = sum(1 for f in families.values()
                   if walk_rules.FIXED in f and walk_rules.OPEN not in f)

    days: dict[str, list[int]] = defaultdict(list)
    for row in db.query(
            f"""SELECT f.body,
                       min(CASE WHEN s.status = :sent THEN s.step_date END) AS sent_on,
                       max(CASE WHEN s.status {IN_LIST.format(name='fixed')}
                           THEN s.step_date END) AS fixed_on
                FROM followups f
                JOIN followup_steps s ON s.followup_id = f.id AND s.deleted_at IS NULL
                JOIN observations o ON o.id = f.observation_id
                JOIN walks w ON w.id = o.walk_id
                WHERE f.deleted_at IS NULL AND f.status {IN_LIST.format(name='fixed')}
                  AND {scope.observation_sql()} AND {scope.walk_sql(dates=False)}
                  AND f.id IN (SELECT r.followup_id FROM followup_steps r
                               WHERE r.status {IN_LIST.format(name='fixed')}
                                 AND r.step_date >= :start AND r.step_date < :end
                                 AND r.deleted_at IS NULL)
                GROUP BY f.id
                HAVING fixed_on >= :start AND fixed_on < :end AND sent_on IS NOT NULL
                ORDER BY f.body""", {**params, "sent": walk_rules.SENT_STATUS}):
        days[row["body"]].append(
            (dt.date.fromisoformat(row["fixed_on"]) - dt.date.fromisoformat(row["sent_on"]))
            .days)
    return {
        "total": positive + negative,
        "positive": positive,
        "negative": negative,
        "by_theme": by_theme,
        "followups": sum(by_status.values()),
        "by_status": dict(sorted(by_status.items())),
        "by_group": dict(by_group),
        "resolved": resolved,
        "open": still_open,
        "to_remind": to_remind,
        "median_days_to_resolution_by_body": {body: _median(v) for body, v in
                                              sorted(days.items())},
        "resolutions_by_body": {body: len(v) for body, v in sorted(days.items())},
    }


# -- the PERR tree -------------------------------------------------------------------------

def _perr_nodes(db, scope: Scope, ids: str, walk_ids: str) -> list[dict[str, Any]]:
    """Every node of the tree (or of the filtered subtree) with direct and rolled-up
    counts."""
    params = {**scope.params, "ids": ids, "walks": walk_ids}
    nodes = db.query(
        "SELECT code, parent_code, level, label_fr, label_en FROM perr_objectives "
        "WHERE deleted_at IS NULL ORDER BY sort_order")
    meetings: dict[str, set[str]] = defaultdict(set)
    for row in db.query(
            f"""SELECT objective_code AS code, meeting_id FROM meeting_objectives
                WHERE meeting_id {IN_LIST.format(name='ids')} AND deleted_at IS NULL
                UNION
                SELECT objective_code, meeting_id FROM agenda_items
                WHERE meeting_id {IN_LIST.format(name='ids')} AND deleted_at IS NULL
                  AND objective_code IS NOT NULL""", params):
        meetings[row["code"]].add(row["meeting_id"])
    items = {row["code"]: row["n"] for row in db.query(
        f"""SELECT objective_code AS code, count(*) AS n FROM agenda_items
            WHERE meeting_id {IN_LIST.format(name='ids')} AND deleted_at IS NULL
              AND objective_code IS NOT NULL GROUP BY 1""", params)}
    observations = {row["code"]: row["n"] for row in db.query(
        f"""SELECT o.objective_code AS code, count(*) AS n FROM observations o
            WHERE o.walk_id {IN_LIST.format(name='walks')} AND o.deleted_at IS NULL
              AND o.objective_code IS NOT NULL GROUP BY 1""", params)}

    children: dict[str | None, list[str]] = defaultdict(list)
    for node in nodes:
        children[node["parent_code"]].append(node["code"])
    totals: dict[str, tuple[set[str], int, int]] = {}

    def roll_up(code: str) -> tuple[set[str], int, int]:
        met, item_count, obs_count = set(meetings.get(code, ())), items.get(code, 0), \
            observations.get(code, 0)
        for child in children.get(code, ()):
            child_met, child_items, child_obs = roll_up(child)
            met |= child_met
            item_count += child_items
            obs_count += child_obs
        totals[code] = (met, item_count, obs_count)
        return totals[code]

    for root in children.get(None, ()):
        roll_up(root)
    wanted = set(scope.codes) if scope.codes is not None else None
    out = []
    for node in nodes:
        if wanted is not None and node["code"] not in wanted:
            continue
        met, item_count, obs_count = totals.get(node["code"], (set(), 0, 0))
        out.append({
            "code": node["code"], "parent_code": node["parent_code"],
            "level": node["level"], "label_fr": node["label_fr"],
            "label_en": node["label_en"],
            "meetings": len(meetings.get(node["code"], ())),
            "agenda_items": items.get(node["code"], 0),
            "observations": observations.get(node["code"], 0),
            "total_meetings": len(met),
            "total_agenda_items": item_count,
            "total_observations": obs_count,
            "nothing_done": not (met or item_count or obs_count),
        })
    return out


def _perr_summary(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    objectives = [n for n in nodes if n["level"] in OBJECTIVE_LEVELS]
    return {
        "objectives": len(objectives),
        "objectives_covered": sum(1 for n in objectives if not n["nothing_done"]),
        "by_code": {n["code"]: {"meetings": n["total_meetings"],
                                "agenda_items": n["total_agenda_items"],
                                "observations": n["total_observations"]}
                    for n in nodes if not n["nothing_done"]},
    }


def perr_view(db, filters: Filters, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The PERR tree in reading order (``reference.perr_objectives``), each node with:

    ``code``, ``parent_code``, ``level`` (pillar, theme, objective, sub_objective),
    ``label_fr``, ``label_en``; ``meetings`` (selected meetings tagged with this node, or
    with an agenda item tagged with it), ``agenda_items``, ``observations`` (tagged with
    this very node); ``total_meetings`` (distinct meetings of the node and its
    descendants: a meeting tagged with two objectives of a theme counts once for the
    theme), ``total_agenda_items`` and ``total_observations`` (sums over the node and its
    descendants); ``nothing_done`` (the three totals are zero).

    The meetings and observations are those :func:`compute` counts for ``filters``; with
    an ``objective_code``, only that node and its descendants are listed.
    """
    today = today or dt.date.today()
    with read_snapshot(db):
        scope = Scope(db, filters, today)
        ids = json.dumps([m["id"] for m in _meetings(db, scope)])
        walk_ids = json.dumps([w["id"] for w in _walks(db, scope)])
        return _perr_nodes(db, scope, ids, walk_ids)


# -- a readable summary ----------------------------------------------------------------------

def describe(db, figures: dict[str, Any], lang: str | None = None) -> list[str]:
    """The main figures of :func:`compute`'s result as lines of text in ``lang`` (the
    interface language by default): ``stats`` without ``--json``, a « copy » button."""
    from perr_desktop import i18n
    from perr_desktop.services.reference import vocabulary_labels

    lang = lang or i18n.get_language()
    _t = i18n.translator(lang)
    gettext, ngettext = _t.gettext, _t.ngettext

    def number(value: int | float | None) -> str:
        if value is None:
            return "—"
        return i18n.format_number(round(value, 1) if isinstance(value, float) else value,
                                  lang)

    def percent(value: float | None) -> str:
        return "—" if value is None else i18n.format_percent(value, lang)

    f = figures["filters"]
    if f["council_ids"] is None:
        councils = gettext("all councils")
    else:
        names = {r["id"]: r["name"] for r in db.query("SELECT id, name FROM councils")}
        councils = ", ".join(names.get(c, c) for c in f["council_ids"])
    last = dt.date.fromisoformat(f["end"]) - dt.timedelta(days=1)
    meetings, people = figures["meetings"], figures["participants"]
    members, actions = figures["members"], figures["actions"]
    observations, walks, perr = figures["observations"], figures["walks"], figures["perr"]
    bodies = vocabulary_labels(db, "body", lang)
    delays = ", ".join(
        f"{bodies.get(body, body)} {number(days)}"
        for body, days in observations["median_days_to_resolution_by_body"].items())
    lines = [
        gettext("Figures for %(councils)s, from %(start)s to %(end)s") % {
            "councils": councils,
            "start": i18n.format_date(dt.date.fromisoformat(f["start"]), lang=lang),
            "end": i18n.format_date(last, lang=lang)},
        ngettext("%(count)s meeting held", "%(count)s meetings held", meetings["held"])
        % {"count": number(meetings["held"])},
        gettext("Participants: %(total)s (%(average)s per meeting), %(distinct)s distinct")
        % {"total": number(people["total"]),
           "average": number(people["average_per_meeting"]),
           "distinct": number(people["distinct"])},
        gettext("Women: %(women)s; under 25: %(young)s; residents: %(residents)s")
        % {"women": percent(people["women_share"]),
           "young": percent(people["under_25_share"]),
           "residents": percent(people["residents_share"])},
        gettext("Newcomers: %(new)s; returning: %(returning)s")
        % {"new": number(people["newcomers"]), "returning": number(people["returning"])},
        gettext("Member attendance rate: %(rate)s") % {
            "rate": percent(members["attendance_rate"])},
        gettext("Actions: %(opened)s opened, %(closed)s closed, %(open)s still open "
                "(median age: %(age)s days)")
        % {"opened": number(actions["opened"]), "closed": number(actions["closed"]),
           "open": number(actions["open_at_end"]),
           "age": number(actions["median_age_days_open_at_end"])},
        gettext("Observations: %(total)s (%(positive)s strong points, %(negative)s weak "
                "points), %(resolved)s resolved, %(remind)s follow-ups to chase")
        % {"total": number(observations["total"]),
           "positive": number(observations["positive"]),
           "negative": number(observations["negative"]),
           "resolved": number(observations["resolved"]),
           "remind": number(observations["to_remind"])},
        gettext("Median days to resolution: %(bodies)s") % {"bodies": delays or "—"},
        gettext("Walks: %(count)s, %(participants)s participants")
        % {"count": number(walks["held"]), "participants": number(walks["participants"])},
        gettext("PERR objectives worked on: %(covered)s of %(total)s")
        % {"covered": number(perr["objectives_covered"]), "total": number(perr["objectives"])},
    ]
    return lines

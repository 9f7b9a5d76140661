"""The dashboard's figures (services/indicators.compute) on ten years of five councils.

    .venv/bin/python -m benchmarks.bench_indicators [--years 10] [--repeat 5] [--keep PATH]

Target (issue 6, « Speed »): a filter change recomputes in under 100 ms on ten years of
data for five councils. The dataset is generated here, fast, with direct SQL inserts in
one transaction (uuid ids, plausible values): about 2,000 meetings, 60,000 attendance
rows, 25,000 observations with their follow-ups and dated steps, actions, head counts,
agenda items tagged with PERR objectives. ``build_dataset`` can be imported by other
benchmarks (the annual report's).

Each filter change of the sequence (all councils or one, a year or a quarter, with or
without a PERR pillar, theme or objective) is timed ``--repeat`` times; the table shows
its median, and the summary the median and the max over every run. The baseline, measured
in the same run on the same connection, is a bare ``SELECT count(*) FROM attendance``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

STAMP = "2024-01-01T00:00:00.000000Z"
FIRST_F = ["Hélène", "Fatou", "Samira", "Inès", "Zoé", "Maëlle", "Chloé", "Anaïs", "Thi",
           "Françoise", "Aïcha", "Léa"]
FIRST_M = ["Karim", "Loïc", "Jérôme", "Mamadou", "Rui", "Emre", "Yanis", "Noël", "Paul",
           "Ahmed", "Hugo", "Malik"]
LAST = ["Lefèvre", "Garnier", "D'Almeida", "N'Diaye", "Le Bihan", "Benali", "Ouédraogo",
        "Nguyen", "Da Silva", "Martin", "Bernard", "Moreau", "Yilmaz", "Diallo"]
KINDS = ["pleniere"] * 5 + ["bureau"] * 3 + ["rencontre_thematique"] * 2 + [
    "cafe_citoyen", "stand_marche", "fete_quartier", "inter_conseils", "formation_commune"]
THEMES = ["proprete", "eclairage", "voirie", "stationnement", "accessibilite",
          "espaces_verts", "mobilier_urbain", "securite", "signaletique", "logement"]
BODIES = ["ville", "agglomeration", "bailleur", "police_municipale", "transport"]
OPEN_NEXT = ["pris_en_compte", "programme", "en_cours"]
CLOSED = ["reoriente", "refuse", "doublon"]


def _id() -> str:
    return str(uuid.uuid4())


class _Rows:
    """Rows per table, inserted with one executemany each."""

    def __init__(self) -> None:
        self.tables: dict[str, tuple[tuple[str, ...], list[tuple]]] = {}

    def add(self, table: str, **values) -> str:
        values.setdefault("id", _id())
        columns = tuple(values)
        entry = self.tables.setdefault(table, (columns, []))
        if entry[0] != columns:
            raise ValueError(f"{table}: columns differ ({entry[0]} vs {columns})")
        entry[1].append(tuple(values.values()))
        return values["id"]

    def write(self, conn) -> dict[str, int]:
        counts = {}
        for table, (columns, rows) in self.tables.items():
            names = ", ".join((*columns, "created_at", "updated_at"))
            marks = ", ".join("?" * (len(columns) + 2))
            conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                             [(*row, STAMP, STAMP) for row in rows])
            counts[table] = len(rows)
        return counts


def build_dataset(path: Path, years: int = 10, councils: int = 5, seed: int = 7,
                  last_year: int | None = None) -> dict[str, int]:
    """A database at ``path`` holding ``years`` years (ending with ``last_year``, by
    default the previous calendar year) of ``councils`` councils; returns row counts."""
    from perr_desktop.storage.database import open_database

    rng = random.Random(seed)
    last_year = last_year or dt.date.today().year - 1
    first = dt.date(last_year - years + 1, 1, 1)
    end = dt.date(last_year + 1, 1, 1)
    db = open_database(path)
    objectives = [r["code"] for r in db.query(
        "SELECT code FROM perr_objectives WHERE level IN ('objective', 'sub_objective')")]
    # Councils work on a few favourite objectives each, as real ones do.
    rows = _Rows()
    council_ids, members_of, pool = [], {}, []
    for n in range(councils):
        council_ids.append(rows.add("councils", name=f"Conseil citoyen {n + 1}",
                                    status="actif", quorum_percent=50))

    def person(gender: str | None = None) -> str:
        gender = gender or rng.choice(["femme", "femme", "homme", "homme", "non_precise"])
        first_name = rng.choice(FIRST_F if gender == "femme" else FIRST_M)
        last = rng.choice(LAST)
        return rows.add(
            "people", first_name=first_name, last_name=last, gender=gender,
            birth_year=rng.choice([None, *range(1940, 2012)]),
            lives_in_qpv=rng.choice([None, 0, 1, 1, 1]),
            search_key=f"{first_name} {last}".lower(), sort_key=f"{last}\x1f{first_name}")

    for council in council_ids:
        members = []
        for _ in range(40):  # about 25 active at a time, some leave, others join
            joined = first + dt.timedelta(days=rng.randrange(0, 365 * years))
            if rng.random() < 0.4:
                joined = first
            left = (joined + dt.timedelta(days=rng.randrange(200, 365 * 6))
                    if rng.random() < 0.5 else None)
            if left and left >= end:
                left = None
            pid = person()
            rows.add("memberships", council_id=council, person_id=pid,
                     college=rng.choice(["habitants", "habitants", "acteurs_locaux"]),
                     role="membre", joined_on=joined.isoformat(),
                     left_on=left.isoformat() if left else None)
            members.append((pid, joined, left))
        members_of[council] = members
    pool = [person() for _ in range(2500)]
    favourites = {c: rng.sample(objectives, 8) for c in council_ids}

    days = (end - first).days
    counts = {"meetings": 0}
    for council in council_ids:
        for _ in range(years * 40):
            day = first + dt.timedelta(days=rng.randrange(days))
            kind = rng.choice(KINDS)
            cancelled = int(rng.random() < 0.03)
            starts = f"{day.isoformat()}T{rng.choice(['14:00', '18:00', '18:30'])}"
            mid = rows.add("meetings", council_id=council, kind=kind,
                           title=f"Réunion {kind}", starts_at=starts, ends_at=None,
                           venue="Centre social", cancelled=cancelled,
                           minutes_status=rng.choice(["brouillon", "valide", "valide"]))
            counts["meetings"] += 1
            guests = []
            if kind in ("inter_conseils", "formation_commune"):
                guests = rng.sample([c for c in council_ids if c != council], 2)
                for guest in guests:
                    rows.add("meeting_guest_councils", meeting_id=mid, council_id=guest)
            if rng.random() < 0.6:
                rows.add("meeting_objectives", meeting_id=mid,
                         objective_code=rng.choice(favourites[council]))
            items = []
            for position in range(1, rng.randint(3, 6)):
                code = rng.choice(favourites[council]) if rng.random() < 0.4 else None
                items.append(rows.add("agenda_items", meeting_id=mid, position=position,
                                      title=f"Point {position}", duration_minutes=20,
                                      presenter="", objective_code=code, notes=""))
            # Attendance: the members of the day (host and guests), and a few walk-ins.
            present = []
            for c in [council, *guests]:
                for pid, joined, left in members_of[c]:
                    if joined <= day and (left is None or left > day):
                        status = None if cancelled else rng.choices(
                            ["present", "excuse", "absent", "represente", None],
                            [55, 20, 15, 4, 6])[0]
                        rows.add("attendance", meeting_id=mid, person_id=pid, invited=1,
                                 member=1, status=status, proxy_person_id=None, note="")
                        if status == "present":
                            present.append(pid)
            if not cancelled:
                for pid in rng.sample(pool, rng.randint(0, 12)):
                    rows.add("attendance", meeting_id=mid, person_id=pid, invited=0,
                             member=0, status="present", proxy_person_id=None, note="")
                if kind in ("cafe_citoyen", "stand_marche", "fete_quartier"):
                    for _ in range(rng.randint(2, 6)):
                        rows.add("headcounts", meeting_id=mid,
                                 gender=rng.choice(["femme", "homme", "non_precise"]),
                                 age_band=rng.choice(["moins_16", "16_25", "26_59",
                                                      "60_plus", "non_precise"]),
                                 lives_in_qpv=rng.choice([None, 0, 1]),
                                 first_time=rng.choice([None, 0, 1]),
                                 count=rng.randint(1, 15))
                for position in range(1, rng.randint(1, 4)):
                    status = rng.choices(["a_faire", "en_cours", "fait", "abandonne"],
                                         [20, 15, 55, 10])[0]
                    closed = None
                    if status in ("fait", "abandonne"):
                        closed = min(day + dt.timedelta(days=rng.randrange(14, 400)),
                                     end - dt.timedelta(days=1)).isoformat()
                    rows.add("actions", council_id=council, meeting_id=mid,
                             agenda_item_id=rng.choice(items), position=position,
                             text="Relancer la mairie", assignee_person_id=None,
                             assignee_body="", due_on=None, status=status, closed_on=closed)

    # Walks: ten a year per council, fifty observations each.
    for council in council_ids:
        for _ in range(years * 10):
            day = first + dt.timedelta(days=rng.randrange(days))
            wid = rows.add("walks", council_id=council, title="Diagnostic en marchant",
                           walk_date=day.isoformat(), period=rng.choice(["jour", "nuit"]),
                           counted_participants=rng.randint(0, 20))
            for _ in range(rng.randint(2, 6)):
                rows.add("walk_participants", walk_id=wid, person_id=rng.choice(pool),
                         name="", organisation="", role="habitant")
            stops = [rows.add("walk_stops", walk_id=wid, position=p, name=f"Arrêt {p}",
                              latitude=45.64 + rng.random() / 50,
                              longitude=0.14 + rng.random() / 50)
                     for p in range(1, 8)]
            for number in range(1, 51):
                positive = int(rng.random() < 0.35)
                oid = rows.add(
                    "observations", walk_id=wid, number=number, stop_id=rng.choice(stops),
                    theme=rng.choice(THEMES), positive=positive, description="Constat",
                    priority=rng.choice([None, 1, 2, 3]),
                    objective_code=rng.choice(favourites[council])
                    if rng.random() < 0.3 else None)
                if positive:
                    continue
                for body in rng.sample(BODIES, rng.choice([1, 1, 2])):
                    history, when = [], day
                    if rng.random() < 0.85:
                        when += dt.timedelta(days=rng.randint(3, 30))
                        history.append(("transmis", when))
                        for _step in range(rng.randint(0, 3)):
                            when += dt.timedelta(days=rng.randint(10, 120))
                            history.append((rng.choice(OPEN_NEXT), when))
                        r = rng.random()
                        if r < 0.45:
                            when += dt.timedelta(days=rng.randint(10, 200))
                            history.append(("resolu", when))
                        elif r < 0.55:
                            when += dt.timedelta(days=rng.randint(10, 200))
                            history.append((rng.choice(CLOSED), when))
                    history = [(s, d) for s, d in history if d < end]
                    status = history[-1][0] if history else "a_transmettre"
                    fid = rows.add("followups", observation_id=oid, body=body, status=status,
                                   next_reminder_on=None)
                    for s, d in history:
                        rows.add("followup_steps", followup_id=fid, step_date=d.isoformat(),
                                 status=s, channel="courrier", note="",
                                 next_reminder_on=None)
    with db.transaction():
        counts = rows.write(db.conn)
    db.execute("ANALYZE")
    db.close()
    return counts


def filter_changes(db, last_year: int):
    """The sequence of filters a facilitator clicks through on the dashboard."""
    from perr_desktop.services.indicators import Filters

    council_ids = [r["id"] for r in db.query(
        "SELECT id FROM councils WHERE deleted_at IS NULL ORDER BY name")]
    one = [council_ids[0]]
    out = []
    for year in (last_year, last_year - 1, last_year - 5):
        out.append((f"all councils, {year}", Filters.year(year)))
        out.append((f"one council, {year}", Filters.year(year, one)))
    for q in (1, 4):
        out.append((f"all councils, {last_year} Q{q}", Filters.quarter(last_year, q)))
        out.append((f"one council, {last_year} Q{q}", Filters.quarter(last_year, q, one)))
    for code in ("R", "R3", "R3.07", "D4"):
        out.append((f"all councils, {last_year}, objective {code}",
                    Filters.year(last_year, objective_code=code)))
        out.append((f"one council, {last_year}, objective {code}",
                    Filters.year(last_year, one, objective_code=code)))
    out.append((f"two councils, {last_year}", Filters.year(last_year, council_ids[:2])))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--councils", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the dataset here and keep it")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="perr-bench-"))
    os.environ["PERR_DESKTOP_HOME"] = str(home)
    from perr_desktop.services import indicators
    from perr_desktop.services.indicators import Filters
    from perr_desktop.storage.database import open_database

    path = args.keep or home / "indicators.sqlite"
    last_year = dt.date.today().year - 1
    if not path.exists():
        start = time.perf_counter()
        counts = build_dataset(path, args.years, args.councils, last_year=last_year)
        print(f"generated in {time.perf_counter() - start:.1f} s: " + ", ".join(
            f"{counts.get(t, 0):,} {t}" for t in ("meetings", "attendance", "headcounts",
                                                  "actions", "walks", "observations",
                                                  "followups", "followup_steps")))
    db = open_database(path)
    today = dt.date(last_year + 1, 1, 15)

    def timed(fn) -> float:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    def bare() -> None:
        db.execute("SELECT count(*) FROM attendance").fetchone()

    bare()
    baseline = statistics.median(timed(bare) for _ in range(max(args.repeat, 5) * 3))
    changes = filter_changes(db, last_year)
    indicators.compute(db, changes[0][1], today)  # warm the page cache once
    samples: dict[str, list[float]] = {name: [] for name, _f in changes}
    cpu: dict[str, list[float]] = {name: [] for name, _f in changes}
    for _ in range(args.repeat):
        for name, filters in changes:  # one after the other, as the clicks come
            before = time.process_time()
            samples[name].append(timed(lambda f=filters: indicators.compute(db, f, today)))
            cpu[name].append(time.process_time() - before)
    print(f"baseline: SELECT count(*) FROM attendance = {baseline * 1000:.2f} ms")
    # CPU time beside wall-clock time: on a shared machine, the wall clock also counts
    # the time other programs held the processor.
    print(f"{'filter change':46} {'median ms':>9} {'max ms':>8} {'cpu ms':>7} {'ratio':>7}")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"{name:46} {median * 1000:9.1f} {max(values) * 1000:8.1f} "
              f"{statistics.median(cpu[name]) * 1000:7.1f} {median / baseline:7.1f}")
    every = [v for values in samples.values() for v in values]
    median, worst = statistics.median(every), max(every)
    worst_cpu = max(v for values in cpu.values() for v in values)
    print(f"every filter change: median {median * 1000:.1f} ms ({median / baseline:.1f} × "
          f"baseline), max {worst * 1000:.1f} ms ({worst / baseline:.1f} × baseline), max "
          f"cpu {worst_cpu * 1000:.1f} ms; target < 100 ms: "
          f"{'met' if worst < 0.1 else 'NOT met'}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} processors")
    ten = Filters.between(dt.date(last_year - args.years + 1, 1, 1),
                          dt.date(last_year + 1, 1, 1))
    ten_years = statistics.median(
        timed(lambda: indicators.compute(db, ten, today)) for _ in range(3))
    print(f"for information, the whole ten years at once: {ten_years * 1000:.1f} ms; "
          f"perr_view for a year: "
          f"{timed(lambda: indicators.perr_view(db, changes[0][1], today)) * 1000:.1f} ms")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

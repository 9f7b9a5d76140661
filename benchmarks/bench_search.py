"""Search everywhere on ten years of five councils: the FTS5 index of migration 6.

    .venv/bin/python -m benchmarks.bench_search [--db LARGE.sqlite] [--repeat 15]

Without ``--db`` the large demonstration (``perr-desktop demo --size large``) is generated
into a temporary folder first. Each search is ``services.search.search(db, text, 50)``,
as « Rechercher partout » runs it at each pause in the typing (the hits with their titles,
dates and extracts), timed ``--repeat`` times after one run not counted; the median is
shown against a baseline measured in the same run on the same connection: a bare
``SELECT`` of 50 observations with their text (what showing 50 rows costs at least).
For comparison, the scan the index replaces (``LIKE '%…%'`` over every observation,
which finds neither « éclairage » for « eclairage » nor the minutes) is timed once.
Target: every search under 50 ms. The Suivi page's text filter goes through the same
index (``followups.list_ids(text=…)``): timed too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 50.0
SEARCHES = (
    ("a common word", "rue"),
    ("a word's beginning", "ecl"),
    ("without accents", "eclairage"),
    ("two words", "lampadaire eteint"),
    ("words of the minutes", "encombrants passage"),
    ("a rarer word", "fete"),
    ("nothing there", "zzzyxw"),
    ("hostile syntax", '"NEAR( éclair* OR'),
)


def timed(fn, repeat: int) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="the large database (default: generate it)")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="perr-bench-search-"))
    os.environ["PERR_DESKTOP_HOME"] = str(work / "home")
    try:
        db_path = args.db
        if db_path is None:
            from perr_desktop.services import demo_large

            db_path = work / "large.sqlite"
            demo_large.create_large_database(db_path)
        else:  # a copy: opening an older file migrates it (the index is built then)
            shutil.copy2(db_path, work / "large.sqlite")
            db_path = work / "large.sqlite"
        return run(db_path, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(db_path: Path, repeat: int) -> int:
    from perr_desktop.services import followups, search
    from perr_desktop.storage.database import open_database

    start = time.perf_counter()
    db = open_database(db_path)
    opened = time.perf_counter() - start
    try:
        documents = db.scalar("SELECT count(*) FROM search_map")
        baseline = timed(lambda: db.execute(
            "SELECT id, description FROM observations WHERE deleted_at IS NULL LIMIT 50"
        ).fetchall(), repeat)
        print(f"index: {documents:,} documents (opened in {opened:.1f} s)")
        print(f"{'search':48} {'hits':>5} {'ms':>8}   ratio to baseline")
        print(f"    baseline: bare SELECT of 50 observations   {baseline:8.2f} ms")
        worst = 0.0
        for label, text in SEARCHES:
            hits = len(search.search(db, text, 50))
            ms = timed(lambda t=text: search.search(db, t, 50), repeat)
            worst = max(worst, ms)
            print(f"    {label + ' « ' + text + ' »':44} {hits:5d} {ms:8.2f}   "
                  f"ratio {ms / baseline:6.1f}× (target < {TARGET_MS:.0f} ms)")
        for text in ("lampadaire", "etang moines"):
            listing = followups.list_ids(db, group="open", text=text)
            ms = timed(lambda t=text: followups.list_ids(db, group="open", text=t), repeat)
            worst = max(worst, ms)
            print(f"    {'Suivi page filter « ' + text + ' »':44} {len(listing.ids):5d} "
                  f"{ms:8.2f}   ratio {ms / baseline:6.1f}× (target < {TARGET_MS:.0f} ms)")
        start = time.perf_counter()
        scanned = db.execute("SELECT count(*) FROM observations WHERE deleted_at IS NULL "
                             "AND description LIKE '%eclairage%'").fetchone()[0]
        scan = (time.perf_counter() - start) * 1000
        print(f"    for comparison, LIKE '%eclairage%' over the observations: {scan:.1f} ms, "
              f"{scanned} found (no accent folding, no minutes)")
        print(f"    worst search {worst:.1f} ms, ratio {worst / baseline:.1f}× "
              f"(target < {TARGET_MS:.0f} ms)")
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The people directory at 20,000 people: search as you type and first paint.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_people [--people 20000]

Each figure is compared with a baseline measured in the same run: a bare QTableView over
a 50-row QStandardItemModel for the page, a bare ``SELECT id FROM people`` for searches.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIRST = ["Hélène", "Loïc", "Françoise", "Maëlle", "Zoé", "Anaïs", "Jérôme", "Noël", "Karim",
         "Samira", "Fatou", "Mamadou", "Rui", "Thi", "Emre", "Chloé", "Yanis", "Inès"]
LAST = ["Lefèvre", "Garnier", "D'Almeida", "N'Diaye", "Le Bihan", "Benali", "Ouédraogo",
        "Nguyen", "Da Silva", "Lacôte", "Bœuf", "Martin", "Bernard", "Moreau", "Yilmaz"]


def build(path: Path, count: int) -> None:
    from perr_desktop.services import people
    from perr_desktop.storage.database import open_database

    rng = random.Random(7)
    with open_database(path) as db, db.transaction():
        for i in range(count):
            people.create_person(db, first_name=rng.choice(FIRST),
                                 last_name=f"{rng.choice(LAST)}{'' if i % 7 else ' ' + str(i)}",
                                 gender=rng.choice(["femme", "homme"]))


def timed(fn, repeat: int = 7) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20_000)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="perr-bench-"))
    os.environ["PERR_DESKTOP_HOME"] = str(home)
    db_path = home / "people.sqlite"
    start = time.perf_counter()
    build(db_path, args.people)
    print(f"generated {args.people} people in {time.perf_counter() - start:.1f} s")

    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from perr_desktop.services import people
    from perr_desktop.storage.database import open_database
    from perr_desktop.ui.people import PeoplePage

    app = QApplication.instance() or QApplication(sys.argv[:1])
    db = open_database(db_path)

    bare_query = timed(lambda: db.execute("SELECT id FROM people").fetchall())
    print(f"{'figure':42} {'ms':>8} {'baseline ms':>12} {'ratio':>7}")

    def row(name: str, seconds: float, baseline: float) -> None:
        print(f"{name:42} {seconds * 1000:8.1f} {baseline * 1000:12.1f} {seconds / baseline:7.2f}")

    for text in ("", "gar", "helene gar", "zzz"):
        row(f"search ids {text!r}", timed(lambda t=text: people.search_people_ids(db, t)),
            bare_query)

    def bare_view() -> None:
        model = QStandardItemModel(50, 7)
        for r in range(50):
            for c in range(7):
                model.setItem(r, c, QStandardItem(f"{r}:{c}"))
        view = QTableView()
        view.setModel(model)
        view.resize(900, 600)
        view.show()
        app.processEvents()
        view.grab()
        view.close()

    fetched: list[int] = []
    original = people.people_rows

    def counting_rows(database, ids):
        ids = list(ids)
        fetched.append(len(ids))
        return original(database, ids)

    people.people_rows = counting_rows

    def page() -> None:
        widget = PeoplePage(db)
        widget.resize(1200, 700)
        widget.show()
        app.processEvents()
        widget.grab()
        widget.close()
        widget.deleteLater()

    row("people page, first paint", timed(page, 5), timed(bare_view, 5))
    print(f"rows fetched per first paint: {fetched[-1] if fetched else 0} of {args.people}")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

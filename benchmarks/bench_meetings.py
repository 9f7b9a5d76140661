"""Opening a meeting and switching between meetings, on the demonstration data.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_meetings

Target (issue "Meetings and participation"): under 50 ms of work on the GUI thread to
open a meeting or switch tab. Baseline measured in the same run: filling a bare
QTableView with 20 rows of a QStandardItemModel.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="perr-bench-"))
    os.environ["PERR_DESKTOP_HOME"] = str(home)
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from perr_desktop.services import demo, meetings
    from perr_desktop.settings import Settings
    from perr_desktop.storage.database import open_database
    from perr_desktop.ui.meetings.page import MeetingsPage

    app = QApplication.instance() or QApplication(sys.argv[:1])
    demo.create_demo_database(home / "demo.sqlite")
    db = open_database(home / "demo.sqlite")
    page = MeetingsPage(db, Settings())
    page.resize(1280, 800)
    page.show()
    app.processEvents()
    ids = [m["id"] for m in meetings.list_meetings(db) if m["present_count"]]

    def settle() -> None:
        app.processEvents()

    def measure(action) -> float:
        start = time.perf_counter()
        action()
        settle()
        return time.perf_counter() - start

    view = QTableView()
    view.show()

    def bare() -> None:
        model = QStandardItemModel(20, 5)
        for r in range(20):
            for c in range(5):
                model.setItem(r, c, QStandardItem(f"{r}:{c}"))
        view.setModel(model)

    baseline = statistics.median(measure(bare) for _ in range(30))
    print(f"{'figure':44} {'median ms':>10} {'max ms':>8} {'ratio':>7}")

    def report(name: str, samples: list[float]) -> None:
        median = statistics.median(samples)
        print(f"{name:44} {median * 1000:10.1f} {max(samples) * 1000:8.1f} "
              f"{median / baseline:7.1f}")

    print(f"{'baseline: bare table of 20 rows':44} {baseline * 1000:10.1f}")
    rows = [page.model.row_of(m) for m in ids]
    for tab, name in enumerate(("preparation", "attendance", "minutes", "documents")):
        page.detail.tabs.setCurrentIndex(tab)
        # What a click in the list does: select the row, the meeting opens and paints.
        report(f"switch meeting, {name} tab shown",
               [measure(lambda r=r: page.view.selectRow(r)) for r in rows])
    page.open_meeting(ids[0])
    samples = []
    for _ in range(10):
        for tab in (0, 1, 2, 3):
            samples.append(measure(lambda t=tab: page.detail.tabs.setCurrentIndex(t)))
        page.detail.load(ids[0])
    report("switch tab (first look after opening)", samples)
    print(f"meetings measured: {len(ids)}")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

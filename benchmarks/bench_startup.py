"""Start-up, memory and first rows on the large demonstration database (issue 7).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_startup [--db LARGE.sqlite]
        [--runs 5] [--warmup 1] [--timeout 900] [--skip-start] [--skip-pages]

Without ``--db`` the large demonstration (``perr-desktop demo --size large``) is generated
first into a temporary folder. Three groups of figures, each against a baseline measured
in the same run:

(a) cold start to first painted window: ``python -m perr_desktop --db LARGE --smoke``
    (the ``perr-desktop`` command: it prints one line once the main window has painted
    with its data loaded, then quits) run as a child process, wall-clock time from launch
    to that line, median of ``--runs`` after ``--warmup`` runs not counted (so the file
    cache is warm for both), against a bare PySide6 script run the same way: QApplication,
    a QMainWindow holding a QLabel, shown, printing a line on its first paint and quitting.
    Target: at most 1.5×. The time from launch to the end of the process (closing the
    database, Python and Qt tearing down) is printed as well, with its own ratio.
(b) peak memory: each child's maximum resident set size (``os.wait4``'s rusage, stdlib;
    "n/a" where the platform has no ``wait4``), median over the same runs. Target: the
    application at most the bare window's plus 100 MB.
(c) first rows of the people, meetings, observations and follow-up lists: building
    ``PeoplePage``, ``MeetingsPage``, ``WalksPage`` with its Observations tab shown and
    ``FollowupPage``, in this process, up to a painted grab of the widget; and how many
    rows each fetched for that first paint, in how many queries (counted on
    ``people.people_rows``, ``meetings.meeting_rows``, ``walks.list_walks``,
    ``walks.observations`` — one walk's — and ``followups.list_rows``; the issue wants
    first rows without loading all rows: nothing is asserted, the counts are printed).
    Baseline: a bare QTableView over a 50-row QStandardItemModel, painted the same way.

Both children of (a) and (b) run with compiled bytecode, as an installed application
does (pip compiles the modules; a source checkout writes ``__pycache__`` on its first
run): ``PYTHONDONTWRITEBYTECODE`` is dropped from their environment and the cache goes
to a temporary ``PYTHONPYCACHEPREFIX``, filled by the warm-up run. Without it, every
start of the application would compile its hundred modules again.

The application's start takes the database's lock (``--smoke`` quits at the first paint,
before the start's backup and, for a large file, its integrity check, which come after
it: app.py); the pages of (c) may write to it as a user would: point ``--db`` at a copy,
not at real data. Times are seconds (a) and milliseconds (c); memory is MiB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The bare window: what any PySide6 application pays to show one window.
BARE_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
label = QLabel("PERR Desktop")
window.setCentralWidget(label)
window.resize(1280, 800)


class QuitOnPaint(QObject):
    done = False

    def eventFilter(self, watched, event):
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            print("painted", flush=True)
            QTimer.singleShot(0, app.quit)
        return False


watcher = QuitOnPaint()
label.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
"""


def mebibytes(maxrss: int) -> float:
    """``ru_maxrss`` in MiB: kilobytes on Linux and BSD, bytes on macOS."""
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def run_child(args: list[str], env: dict[str, str], timeout: float,
              log: Path) -> tuple[float, float, float | None]:
    """Run a child to its end: (seconds from launch to its first line on stdout — its
    first paint —, seconds to its end, its peak RSS in MiB or None)."""
    with log.open("ab") as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=err)
        killer = threading.Timer(timeout, process.kill)
        killer.start()
        try:
            assert process.stdout is not None
            painted_line = process.stdout.readline()
            painted = time.perf_counter() - start
            process.stdout.read()  # anything else, so that the child never blocks on it
            if hasattr(os, "wait4"):
                _pid, status, usage = os.wait4(process.pid, 0)
                elapsed = time.perf_counter() - start
                process.returncode = os.waitstatus_to_exitcode(status)
                rss = mebibytes(usage.ru_maxrss)
            else:  # no per-child rusage here: time only
                process.wait()
                elapsed, rss = time.perf_counter() - start, None
        finally:
            killer.cancel()
    if process.returncode != 0 or not painted_line:
        raise SystemExit(f"{args[1:4]} failed with status {process.returncode} "
                         f"(stderr in {log})")
    return painted, elapsed, rss


def measure_start(db: Path, env: dict[str, str], runs: int, warmup: int, timeout: float,
                  log: Path) -> None:
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    app_cmd = [sys.executable, "-m", "perr_desktop", "--db", str(db), "--smoke"]
    samples: dict[str, list[tuple[float, float, float | None]]] = {"bare": [], "app": []}
    for n in range(warmup + runs):
        # In turn, so that a busy machine slows both alike.
        for name, cmd in (("bare", bare_cmd), ("app", app_cmd)):
            result = run_child(cmd, env, timeout, log)
            if n >= warmup:
                samples[name].append(result)
            print(f"  {'warm-up' if n < warmup else 'run'} {name}: painted {result[0]:.3f} s, "
                  f"ended {result[1]:.3f} s"
                  + (f", {result[2]:.0f} MiB" if result[2] is not None else ""),
                  file=sys.stderr)

    def median(name: str, field: int) -> float:
        return statistics.median(sample[field] for sample in samples[name])  # type: ignore

    bare_s, app_s = median("bare", 0), median("app", 0)
    bare_end, app_end = median("bare", 1), median("app", 1)
    print(f"(a) cold start to first painted window, median of {runs} "
          f"(after {warmup} warm-up)")
    print(f"    baseline: bare PySide6 window      {bare_s:8.3f} s")
    print(f"    perr-desktop --smoke, large db     {app_s:8.3f} s   ratio {app_s / bare_s:5.2f}× "
          f"(target ≤ 1.5×)")
    print(f"    to the end of the process: bare {bare_end:.3f} s, perr-desktop {app_end:.3f} s, "
          f"ratio {app_end / bare_end:.2f}× (closing the database, tearing down; no target)")
    if any(sample[2] is None for sample in samples["bare"] + samples["app"]):
        print("(b) peak memory: n/a (no os.wait4 on this platform)")
        return
    bare_mb, app_mb = median("bare", 2), median("app", 2)
    print("(b) peak memory (maximum resident set size of the child), median")
    print(f"    baseline: bare PySide6 window      {bare_mb:8.0f} MiB")
    print(f"    perr-desktop --smoke, large db     {app_mb:8.0f} MiB   "
          f"+{app_mb - bare_mb:.0f} MiB, ratio {app_mb / bare_mb:.2f}× (target ≤ bare + 100 MiB)")


def measure_pages(db_path: Path, repeat: int) -> None:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from perr_desktop.services import followups, meetings, people, walks
    from perr_desktop.settings import Settings
    from perr_desktop.storage.database import open_database
    from perr_desktop.ui.followup import FollowupPage
    from perr_desktop.ui.meetings.page import MeetingsPage
    from perr_desktop.ui.people import PeoplePage
    from perr_desktop.ui.walks.page import WalksPage
    from perr_desktop.ui.worker import BackgroundReader

    app = QApplication.instance() or QApplication(sys.argv[:1])
    # The offscreen platform's « does not support propagateSizeHints() », once per window.
    qInstallMessageHandler(lambda _mode, _context, message: None if "propagateSizeHints"
                           in message else print(message, file=sys.stderr))
    db = open_database(db_path)
    fetched: dict[str, list[int]] = {}  # label -> [queries, rows]

    def counting(module, name: str, label: str, rows_of=len):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            result = original(*args, **kwargs)
            counts = fetched.setdefault(label, [0, 0])
            counts[0] += 1
            counts[1] += rows_of(result)
            return result

        setattr(module, name, wrapper)
        return original

    originals = [
        (people, "people_rows", counting(people, "people_rows", "people")),
        (meetings, "meeting_rows", counting(meetings, "meeting_rows", "meetings")),
        (meetings, "list_meetings", counting(meetings, "list_meetings", "meetings")),
        (walks, "list_walks", counting(walks, "list_walks", "walks")),
        (walks, "observations", counting(walks, "observations", "observations")),
        (followups, "list_rows", counting(followups, "list_rows", "followups")),
        (followups, "search", counting(followups, "search", "followups")),
    ]

    def painted(widget) -> None:
        """Shown with its first rows: a list read in the background (the Follow-up
        page's, on a large database) counts until its answer is on screen."""
        widget.resize(1280, 800)
        widget.show()
        app.processEvents()
        for reader in widget.findChildren(BackgroundReader):
            reader.wait()
        app.processEvents()
        widget.grab()

    def bare() -> None:
        model = QStandardItemModel(50, 6)
        for r in range(50):
            for c in range(6):
                model.setItem(r, c, QStandardItem(f"{r}:{c}"))
        view = QTableView()
        view.setModel(model)
        painted(view)
        view.close()
        view.deleteLater()

    def page(build, after=None) -> dict[str, list[int]]:
        fetched.clear()
        widget = build()
        if after is not None:
            after(widget)
        painted(widget)
        counts = {label: list(n) for label, n in fetched.items()}
        widget.close()
        widget.deleteLater()
        app.processEvents()
        return counts

    def timed(fn) -> tuple[float, object]:
        fn()  # first build: imports, caches, the file cache
        samples, result = [], None
        for _ in range(repeat):
            start = time.perf_counter()
            result = fn()
            samples.append(time.perf_counter() - start)
        return statistics.median(samples), result

    def show_observations(widget) -> None:
        widget.detail.tabs.setCurrentWidget(widget.detail.observations)

    try:
        baseline, _none = timed(bare)
        figures = [
            ("people list (PeoplePage)", *timed(lambda: page(lambda: PeoplePage(db)))),
            ("meetings list (MeetingsPage)",
             *timed(lambda: page(lambda: MeetingsPage(db, Settings())))),
            ("observations (WalksPage, Observations tab)",
             *timed(lambda: page(lambda: WalksPage(db, Settings()), show_observations))),
            ("follow-up list (FollowupPage)",
             *timed(lambda: page(lambda: FollowupPage(db, Settings())))),
        ]
        totals = {"people": db.scalar("SELECT count(*) FROM people WHERE deleted_at IS NULL"),
                  "meetings": db.scalar("SELECT count(*) FROM meetings "
                                        "WHERE deleted_at IS NULL"),
                  "walks": db.scalar("SELECT count(*) FROM walks WHERE deleted_at IS NULL"),
                  "observations": db.scalar("SELECT count(*) FROM observations "
                                            "WHERE deleted_at IS NULL"),
                  "followups": db.scalar("SELECT count(*) FROM followups "
                                         "WHERE deleted_at IS NULL")}
    finally:
        for module, name, original in originals:
            setattr(module, name, original)
        db.close()
    print(f"(c) first paint of the lists, in-process, median of {repeat}")
    print(f"    baseline: bare table of 50 rows    {baseline * 1000:8.1f} ms")
    for name, seconds, counts in figures:
        print(f"    {name:42} {seconds * 1000:8.1f} ms   ratio {seconds / baseline:6.1f}×")
        for label, (queries, rows) in counts.items():  # type: ignore[union-attr]
            print(f"        rows fetched: {label:12} {rows:7,} of {totals[label]:7,} "
                  f"in {queries} quer{'y' if queries == 1 else 'ies'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="the large database (default: generate it)")
    parser.add_argument("--runs", type=int, default=5, help="measured starts of each")
    parser.add_argument("--warmup", type=int, default=1, help="starts not counted")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds before a start is killed")
    parser.add_argument("--repeat", type=int, default=5, help="page builds measured (c)")
    parser.add_argument("--skip-start", action="store_true", help="only (c)")
    parser.add_argument("--skip-pages", action="store_true", help="only (a) and (b)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="perr-bench-startup-"))
    os.environ["PERR_DESKTOP_HOME"] = str(work / "home")
    try:
        db = args.db
        if db is None:
            from perr_desktop.services import demo_large

            db = work / "large.sqlite"
            start = time.perf_counter()
            summary = demo_large.create_large_database(db)
            print(f"large database generated in {time.perf_counter() - start:.1f} s: {summary}")
        db = db.resolve()
        media_dir = db.parent / f"{db.stem}-media"
        media_mb = sum(p.stat().st_size for p in media_dir.rglob("*") if p.is_file()) / 2**20 \
            if media_dir.is_dir() else 0
        print(f"database {db}: {db.stat().st_size / 2**20:.0f} MiB, media {media_mb:.0f} MiB")
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
               "PYTHONPYCACHEPREFIX": str(work / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if not args.skip_start:
            measure_start(db, env, args.runs, max(1, args.warmup), args.timeout,
                          work / "children.log")
        if not args.skip_pages:
            measure_pages(db, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

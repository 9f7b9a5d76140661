"""Every benchmark in one command, on a large database generated once (issue 7).

    .venv/bin/python -m benchmarks.run_all

(after ``./dev test``, which installs everything; Qt draws offscreen in the children).
The modules, each against a baseline of its own run: start-up, memory and first rows of
the lists (bench_startup), how long each main action blocks the window (bench_responsive-
ness), search everywhere (bench_search), a council's exchange package (bench_exchange),
the dashboard's figures (bench_indicators, bench_dashboard), the annual report
(bench_annual_report), and the earlier ones (people, meetings, reports, photos, walk
report). docs/performance.md holds the figures of a full run and the machine.

Options: ``--db LARGE.sqlite`` uses an existing large database (a copy: the benchmarks of
the window write to it, as a user would) instead of generating one; ``--only bench_startup
bench_people`` runs some modules only; ``--photos-count 30`` is passed to
``bench_photos --count`` (default 30 instead of its own 100: generating one hundred
4000×3000 photos takes minutes the first time; ``--photos-count 100`` for the full
figure); ``--startup-runs 15`` to ``bench_startup --runs`` (a start takes a few tenths of a
second: fifteen in turn with the bare window steady the ratio); ``--timeout`` per module.

What it does: generates the large demonstration (``perr-desktop demo --size large``: ten
years of five councils) into a temporary folder, timing it; then runs each
``benchmarks/bench_*.py`` module, in name order, in its own process (a fresh Python,
``QT_QPA_PLATFORM=offscreen``, a temporary ``PERR_DESKTOP_HOME``), passing the large
database to the modules whose ``--help`` offers ``--db``; the others build the data
they need. Each module prints its figures against a baseline measured in its own run;
they stream through, and a summary at the end repeats every line that carries a ratio
or a target, module by module, with each module's status and duration. Exit status: 0
when every module ran, 1 otherwise (no figure is judged here: the targets are in the
lines themselves).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A line worth repeating in the summary: it states a ratio or a target.
FIGURE = re.compile(r"ratio|target|\d\s*[×x](?:\s|$|\))|/ baseline", re.IGNORECASE)


def modules() -> list[str]:
    return sorted(p.stem for p in (ROOT / "benchmarks").glob("bench_*.py"))


def options_of(name: str, env: dict[str, str]) -> str:
    """The module's ``--help`` text (to know which options it takes)."""
    result = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", "--help"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    return result.stdout if result.returncode == 0 else ""


def arguments(name: str, help_text: str, db: Path, args: argparse.Namespace) -> list[str]:
    out: list[str] = []
    if re.search(r"--db\b", help_text):
        out += ["--db", str(db)]
    if name == "bench_photos" and "--count" in help_text:
        out += ["--count", str(args.photos_count)]
    if name == "bench_startup" and "--runs" in help_text:
        out += ["--runs", str(args.startup_runs)]
    return out


def run(name: str, extra: list[str], env: dict[str, str], timeout: float
        ) -> tuple[int, float, list[str]]:
    """Run one module, streaming its output; (status, seconds, its figure lines)."""
    command = [sys.executable, "-m", f"benchmarks.{name}", *extra]
    print(f"\n=== {name} {' '.join(extra)}", flush=True)
    start = time.perf_counter()
    lines: list[str] = []
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
                               bufsize=1)
    assert process.stdout is not None
    try:
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            if FIGURE.search(line):
                lines.append(line.rstrip())
        status = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        status = -9
    return status, time.perf_counter() - start, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing large database (default: "
                        "generate one)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="these modules only")
    parser.add_argument("--photos-count", type=int, default=30)
    parser.add_argument("--startup-runs", type=int, default=15)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per module")
    args = parser.parse_args(argv)
    names = modules()
    if args.only:
        unknown = sorted(set(args.only) - set(names))
        if unknown:
            parser.error(f"no such benchmark: {', '.join(unknown)} (known: {', '.join(names)})")
        names = [n for n in names if n in args.only]
    work = Path(tempfile.mkdtemp(prefix="perr-bench-all-"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PERR_DESKTOP_HOME": str(work / "home")}
    os.environ.update(env)
    results: list[tuple[str, int, float, list[str]]] = []
    try:
        db = args.db
        generated = ""
        if db is None:
            from perr_desktop.services import demo_large

            db = work / "large.sqlite"
            start = time.perf_counter()
            summary = demo_large.create_large_database(db)
            seconds = time.perf_counter() - start
            size = db.stat().st_size / 2**20
            generated = (f"large database generated in {seconds:.1f} s (target < 60 s), "
                         f"{size:.0f} MiB: {summary}")
            print(generated, flush=True)
        for name in names:
            extra = arguments(name, options_of(name, env), db, args)
            status, seconds, lines = run(name, extra, env, args.timeout)
            results.append((name, status, seconds, lines))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n=== summary")
    if generated:
        print(generated)
    for name, status, seconds, lines in results:
        state = "ok" if status == 0 else f"FAILED (status {status})"
        print(f"{name}: {state}, {seconds:.0f} s")
        for line in lines:
            print(f"    {line.strip()}")
    return 0 if all(status == 0 for _n, status, _s, _l in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""An exchange package of one council, exported and imported, on ten years of data.

    .venv/bin/python -m benchmarks.bench_exchange [--db LARGE.sqlite] [--repeat 3]

Without ``--db`` the large demonstration (``perr-desktop demo --size large``) is generated
into a temporary folder first; with it, a copy is used (with its photos). The council
with the most observations is written to a package (``exchange.export_package(…,
council_id=…)``), which is then imported twice: into a new database (a second laptop's
first exchange) and into a copy of the source under another database id, which already
holds every record (the exchanges after it: everything compared, nothing changed). Each
is timed ``--repeat`` times (median). The baseline, measured in the same run, is a bare
zip of the same bytes: the package's entries written to a new zip with the same
compression, then read back. Target: export and import together under 10 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

TARGET_SECONDS = 10.0


def timed(fn, repeat: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def bare_zip(package: Path, target: Path) -> int:
    """Write the package's bytes to another zip, entry by entry, and read it back."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            out.writestr(info, source.read(info), compress_type=info.compress_type)
    size = 0
    with zipfile.ZipFile(target) as back:
        for info in back.infolist():
            size += len(back.read(info))
    target.unlink()
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="the large database (default: generate it)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="perr-bench-exchange-"))
    os.environ["PERR_DESKTOP_HOME"] = str(work / "home")
    try:
        source = work / "source.sqlite"
        if args.db is None:
            from perr_desktop.services import demo_large

            demo_large.create_large_database(source)
        else:
            shutil.copy2(args.db, source)
            media = args.db.parent / f"{args.db.stem}-media"
            if media.is_dir():
                shutil.copytree(media, work / "source-media")
        return run(work, source, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, source: Path, repeat: int) -> int:
    from perr_desktop.services import exchange
    from perr_desktop.storage.database import open_database

    with open_database(source) as db:  # migrates an older file first, not timed
        council_id, council = db.query_one(
            """SELECT w.council_id, c.name FROM observations o JOIN walks w
               ON w.id = o.walk_id JOIN councils c ON c.id = w.council_id
               WHERE o.deleted_at IS NULL GROUP BY w.council_id
               ORDER BY count(*) DESC LIMIT 1""").values()
    peer = work / "peer.sqlite"
    shutil.copy2(source, peer)
    if (work / "source-media").is_dir():
        shutil.copytree(work / "source-media", work / "peer-media")
    with open_database(peer) as db, db.transaction():
        db.execute("UPDATE meta SET value = 'bench-peer-database' WHERE key = 'database_id'")
    package = work / "council.perr"

    def export() -> object:
        with open_database(source) as db:
            return exchange.export_package(db, package, council_id=council_id)

    export_s, summary = timed(export, repeat)
    records = sum(summary.counts.values())

    def into_new() -> object:
        target = work / "new.sqlite"
        for leftover in (target, work / "new-media"):
            if leftover.is_dir():
                shutil.rmtree(leftover)
            elif leftover.exists():
                leftover.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        return exchange.import_package_file(package, target)

    def into_peer() -> object:
        with open_database(peer) as db:
            db.execute("DELETE FROM sync_state")  # not « already imported »
            return exchange.import_package(db, package)

    new_s, new_summary = timed(into_new, repeat)
    peer_s, peer_summary = timed(into_peer, repeat)
    bare_s, size = timed(lambda: bare_zip(package, work / "bare.zip"), repeat)
    print(f"council {council}: {records:,} records, {summary.media} images, package "
          f"{package.stat().st_size / 2**20:.1f} MiB ({size / 2**20:.1f} MiB unpacked)")
    print(f"    baseline: bare zip of the same bytes, written and read   {bare_s:7.2f} s")
    print(f"    export of the council                                     {export_s:7.2f} s"
          f"   ratio {export_s / bare_s:5.1f}×")
    print(f"    import into a new database ({new_summary.added:,} added)".ljust(62)
          + f"{new_s:7.2f} s   ratio {new_s / bare_s:5.1f}×")
    print(f"    import into a laptop holding it all ({peer_summary.added} added, "
          f"{peer_summary.updated} updated)".ljust(62)
          + f"{peer_s:7.2f} s   ratio {peer_s / bare_s:5.1f}×")
    worst = export_s + max(new_s, peer_s)
    print(f"    export + import, the slower import                        {worst:7.2f} s"
          f"   ratio {worst / bare_s:5.1f}× (target < {TARGET_SECONDS:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The annual report of every council on ten years of five councils (issue 6).

    .venv/bin/python -m benchmarks.bench_annual_report [--db LARGE.sqlite] [--year 2025]
                                                       [--repeat 5]

Without ``--db`` the large demonstration (``perr-desktop demo --size large``) is generated
into a temporary folder first (about half a minute). The year is by default the last
complete one.

``reports.annual.build_annual_report(db, None, year, "fr")`` — the figures of the year for
all the councils and for each one (indicators.compute six times, perr_view once), the
story, embedded fonts, cover, running header, « Page n sur N », vector charts — is
compared with a baseline measured in the same run: a bare reportlab ``SimpleDocTemplate``
of the same paragraphs and the same tables (every cell a paragraph) with the same page
breaks, in the default style (Helvetica, not embedded, no header, no page count, no
chart). Medians of runs taken in turn. Targets: under 5 s for the whole report; the
ratio is printed to see what the charts, the styling and the figures cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import bare_pdf, medians_in_turn

TARGET_SECONDS = 5.0


def plain_story(story) -> tuple[list, dict[str, int]]:
    """The report's flowables as a bare document: paragraphs in the Normal style, tables
    of paragraphs with a plain grid, page breaks where the report breaks; drawings
    left out. Also counts what the report holds."""
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Table

    sheet = getSampleStyleSheet()
    normal, cell = sheet["Normal"], sheet["BodyText"]
    counts = {"paragraphs": 0, "tables": 0, "charts": 0}

    def words(item) -> str:
        if isinstance(item, Paragraph):
            return item.text
        if isinstance(item, str):
            return item
        if isinstance(item, list | tuple):
            return " ".join(words(inner) for inner in item)
        return ""

    def walk(flowable) -> list:
        if isinstance(flowable, KeepTogether):
            return [out for inner in flowable._content for out in walk(inner)]
        if isinstance(flowable, Paragraph):
            counts["paragraphs"] += 1
            return [Paragraph(flowable.text, normal)]
        if isinstance(flowable, Table):
            counts["tables"] += 1
            counts["charts"] += sum(isinstance(c, Drawing) for row in flowable._cellvalues
                                    for c in row)
            rows = [[Paragraph(words(c), cell) for c in row] for row in flowable._cellvalues]
            table = Table(rows, repeatRows=1)
            table.setStyle([("GRID", (0, 0), (-1, -1), 0.25, "grey")])
            return [table]
        if isinstance(flowable, Drawing):
            counts["charts"] += 1
            return []
        if isinstance(flowable, PageBreak):
            return [PageBreak()]
        return []

    return [out for flowable in story for out in walk(flowable)], counts


def pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="an existing large database (default: "
                        "generate the large demonstration into a temporary folder)")
    parser.add_argument("--year", type=int, help="the year (default: the last complete one)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="perr-bench-") as folder:
        os.environ.setdefault("PERR_DESKTOP_HOME", folder)
        from perr_desktop.reports import annual
        from perr_desktop.services import indicators
        from perr_desktop.storage.database import open_database

        path = args.db
        if path is None:
            from perr_desktop.services import demo_large

            path = Path(folder) / "large.sqlite"
            start = time.perf_counter()
            summary = demo_large.create_large_database(path)
            print(f"large demonstration generated in {time.perf_counter() - start:.1f} s: "
                  f"{summary}")
        year = args.year or dt.date.today().year - 1
        with open_database(path) as db:
            councils = db.query("SELECT id FROM councils WHERE deleted_at IS NULL")
            figures = indicators.compute(db, indicators.Filters.year(year))
            story, _setup = annual.annual_story(db, None, year, "fr")
            counts = plain_story(story)[1]
            ours = annual.build_annual_report(db, None, year, "fr")  # caches warm
            bare = bare_pdf(plain_story(story)[0])

            def figures_only() -> None:
                indicators.perr_view(db, indicators.Filters.year(year))
                for ids in [None, *([c["id"]] for c in councils)]:
                    indicators.compute(db, indicators.Filters.year(year, ids))

            whole, baseline, stories, data = medians_in_turn([
                lambda: annual.build_annual_report(db, None, year, "fr"),
                # fresh flowables each time (reportlab consumes them), from the one story
                lambda: bare_pdf(plain_story(story)[0]),
                lambda: annual.annual_story(db, None, year, "fr"),
                figures_only], args.repeat)
            one = medians_in_turn([lambda: annual.build_annual_report(db, [councils[0]["id"]], year,
                                                            "en")], args.repeat)[0]
    print(f"year {year}: {figures['meetings']['held']} meetings, "
          f"{figures['walks']['held']} walks, {figures['observations']['total']} "
          f"observations, {len(councils)} councils")
    print(f"build_annual_report, all councils, fr, {pages(ours)} pages, "
          f"{counts['tables']} tables, {counts['charts']} charts and bars: "
          f"{whole * 1000:7.0f} ms (median of {args.repeat}); target < "
          f"{TARGET_SECONDS:.0f} s: {'met' if whole < TARGET_SECONDS else 'NOT met'}")
    print(f"  of which the figures (compute for {len(councils) + 1} scopes, perr_view): "
          f"{data * 1000:7.0f} ms; figures and story: {stories * 1000:7.0f} ms")
    print(f"bare SimpleDocTemplate, same {counts['paragraphs']} paragraphs and "
          f"{counts['tables']} tables, no chart, {pages(bare)} pages: "
          f"{baseline * 1000:7.0f} ms   ratio {whole / baseline:.2f}x for the whole report, "
          f"{(whole - stories) / baseline:.2f}x for its layout alone")
    print(f"build_annual_report, one council, en: {one * 1000:7.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The command line (contract in ARCHITECTURE.md).

Without a command it opens the application. Exit status: 0 success, 1 user error (one
line on stderr, no traceback, database unchanged), 2 usage error.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perr_desktop import __version__, i18n, paths
from perr_desktop.errors import UserError
from perr_desktop.i18n import N_, _, ngettext

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2

# argparse's own words (Python 3.11), so that help and usage errors follow --lang too.
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"), N_("expected one argument"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"), N_("%(prog)s: error: %(message)s\n"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("not allowed with argument %s"), N_("one of the arguments %s is required"),
)


def _add_common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # On sub-commands the defaults are SUPPRESS so they don't hide a value given before
    # the command name (``perr-desktop --db x.sqlite list councils``).
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--db", type=Path, default=default, metavar="PATH",
                        help=_("database file (default: %(path)s)")
                        % {"path": paths.default_db_path()})
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=default,
                        help=_("language of messages and documents"))


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The command line's parser; ``with_commands=False`` leaves the sub-commands out
    (opening the window needs none of them, and building them all takes a while)."""
    parser = argparse.ArgumentParser(
        prog="perr-desktop",
        description=_("PERR Desktop: citizen councils, meetings and walking diagnostics."),
    )
    parser.add_argument("--version", action="version", version=f"PERR Desktop {__version__}",
                        help=_("show the version and exit"))
    _add_common(parser, top=True)
    parser.add_argument("--smoke", action="store_true",
                        help=_("open the window, wait until it has painted, then quit"))
    if not with_commands:
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help=_("create a database filled with demonstration data"))
    _add_common(demo)
    demo.add_argument("--size", choices=("small", "large"), default="small",
                      help=_("amount of data"))
    demo.set_defaults(handler=cmd_demo)

    check = commands.add_parser("check", help=_("check a database's integrity and schema"))
    _add_common(check)
    check.set_defaults(handler=cmd_check)

    listing = commands.add_parser("list", help=_("list records"))
    _add_common(listing)
    listing.add_argument("kind", choices=sorted(LISTERS))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.add_argument("--council", metavar="ID", help=_("only this council's records"))
    listing.add_argument("--search", metavar="TEXT", default="",
                         help=_("only records whose name contains TEXT"))
    listing.set_defaults(handler=cmd_list)

    show = commands.add_parser("show", help=_("show one record with everything that belongs to it"))
    _add_common(show)
    show.add_argument("kind", choices=sorted(SHOWERS))
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.set_defaults(handler=cmd_show)

    export = commands.add_parser("export", help=_("write a file for other programs"))
    _add_common(export)
    export_kinds = export.add_subparsers(dest="export_kind", metavar="KIND", required=True)
    ics = export_kinds.add_parser(
        "ics", help=_("meetings as an iCalendar file (.ics) for calendar programs"))
    _add_common(ics)
    which = ics.add_mutually_exclusive_group(required=True)
    which.add_argument("--meeting", metavar="ID", help=_("this meeting"))
    which.add_argument("--council", metavar="ID",
                       help=_("every meeting of this council, those it is invited to included"))
    ics.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.ics",
                     help=_("file to write"))
    ics.set_defaults(handler=cmd_export_ics)
    table = export_kinds.add_parser(
        "csv", help=_("a table as a CSV file for spreadsheets (UTF-8, « ; » between "
                      "fields)"))
    _add_common(table)
    table.add_argument("--table", required=True, choices=EXPORT_TABLES,
                       help=_("the table to write"))
    table.add_argument("--council", metavar="ID", help=_("only this council's records"))
    table.add_argument("--year", type=int, metavar="YYYY", help=_("only this calendar year"))
    table.add_argument("--anonymize", action="store_true",
                       help=_("attendance without names: « Participant 17 » instead"))
    table.add_argument("--delimiter", default=";", metavar="CHAR",
                       help=_("separator between fields (default: ;)"))
    table.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.csv",
                       help=_("file to write"))
    table.set_defaults(handler=cmd_export_csv)
    geo = export_kinds.add_parser(
        "geojson", help=_("observations with a position as GeoJSON, for GIS software "
                          "such as QGIS"))
    _add_common(geo)
    where = geo.add_mutually_exclusive_group()
    where.add_argument("--walk", metavar="ID", help=_("only this walk's observations"))
    where.add_argument("--council", metavar="ID", help=_("only this council's records"))
    geo.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.geojson",
                     help=_("file to write"))
    geo.set_defaults(handler=cmd_export_geojson)
    package = export_kinds.add_parser(
        "package", help=_("an exchange package (.perrpack) for another laptop or a partner"))
    _add_common(package)
    package.add_argument("--council", metavar="ID",
                         help=_("only this council and what it needs (default: everything)"))
    package.add_argument("--anonymize", action="store_true",
                         help=_("for a partner: no names, contact details, notes or "
                                "identifiable photos"))
    package.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                         help=_("file to write"))
    package.set_defaults(handler=cmd_export_package)

    stats = commands.add_parser(
        "stats", help=_("the dashboard's figures for one council, or all, over a year"))
    _add_common(stats)
    stats.add_argument("--council", required=True, metavar="ID|all",
                       help=_("a council's id, or « all »"))
    stats.add_argument("--year", required=True, type=int, metavar="YYYY",
                       help=_("the calendar year"))
    stats.add_argument("--json", action="store_true", help=_("print JSON"))
    stats.set_defaults(handler=cmd_stats)

    report = commands.add_parser("report", help=_("print a document to PDF"))
    _add_common(report)
    report.add_argument("kind", choices=sorted(REPORTS))
    report.add_argument("id")
    report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf",
                        help=_("file to write"))
    report.add_argument("--poster", action="store_true",
                        help=_("the convocation as a poster for the hall"))
    report.add_argument("--include-identifiable", action="store_true",
                        help=_("the walk report with the photos of identifiable people"))
    report.add_argument("--body", metavar="NAME",
                        help=_("the body of the dossier: its name or its code"))
    report.add_argument("--year", type=int, metavar="YYYY",
                        help=_("the year of the annual report (its id: a council's, or "
                               "« all »)"))
    report.set_defaults(handler=cmd_report)

    importing = commands.add_parser("import", help=_("read files in"))
    _add_common(importing)
    import_kinds = importing.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    photos = import_kinds.add_parser(
        "photos", help=_("photos into a walk: image files, or folders searched recursively"))
    _add_common(photos)
    photos.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help=_("image files or folders"))
    photos.add_argument("--walk", required=True, metavar="WALK_ID",
                        help=_("the walk the photos belong to"))
    photos.set_defaults(handler=cmd_import_photos)
    package_in = import_kinds.add_parser(
        "package", help=_("an exchange package from another laptop: merged, conflicts kept "
                          "for you to settle (the database is created if it does not exist)"))
    _add_common(package_in)
    package_in.add_argument("package", type=Path, metavar="FILE",
                            help=_("the package (.perrpack)"))
    package_in.set_defaults(handler=cmd_import_package)

    person = commands.add_parser(
        "person", help=_("one person's data: export it or erase it (RGPD)"))
    _add_common(person)
    person_actions = person.add_subparsers(dest="person_action", metavar="ACTION",
                                           required=True)
    person_export = person_actions.add_parser(
        "export", help=_("write everything about a person to a JSON file (right of access)"))
    _add_common(person_export)
    person_export.add_argument("id")
    person_export.add_argument("-o", "--output", type=Path, required=True,
                               metavar="FILE.json", help=_("file to write"))
    person_export.set_defaults(handler=cmd_person_export)
    person_erase = person_actions.add_parser(
        "erase", help=_("erase a person for good: identity and contact details removed, "
                        "past attendance kept as anonymous counts (right to erasure)"))
    _add_common(person_erase)
    person_erase.add_argument("id")
    person_erase.set_defaults(handler=cmd_person_erase)

    backup = commands.add_parser(
        "backup", help=_("write a backup of the database and its media to one file"))
    _add_common(backup)
    backup.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE",
        help=_("file to write: a zip of the database and its media, or just the SQLite "
               "database when there is no media (unless FILE ends in .zip)"))
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore", help=_("replace the database by a backup (the current state is backed "
                          "up first)"))
    _add_common(restore)
    restore.add_argument("backup", type=Path, metavar="FILE",
                         help=_("a file written by « backup », or a folder of automatic "
                                "backups"))
    restore.set_defaults(handler=cmd_restore)
    return parser


# -- helpers ---------------------------------------------------------------------------

def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.db).expanduser() if getattr(args, "db", None) else paths.default_db_path()


def _open(args: argparse.Namespace, *, create: bool = False):
    from perr_desktop.storage.database import open_database

    return open_database(_db_path(args), create=create)


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _print_table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> None:
    table = [[title for _key, title in columns]]
    table += [[str(row.get(key) if row.get(key) is not None else "") for key, _t in columns]
              for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    for line in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
              .rstrip())


# -- commands --------------------------------------------------------------------------

def cmd_demo(args: argparse.Namespace) -> int:
    from perr_desktop.services import demo

    path = _db_path(args)
    summary = demo.create_demo_database(path, size=args.size)
    print(_("Demonstration database written to %(path)s: %(summary)s.")
          % {"path": path, "summary": summary})
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from perr_desktop.storage.database import check_database

    path = _db_path(args)
    problems = check_database(path)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return EXIT_USER_ERROR
    print(_("The database %(path)s is healthy.") % {"path": path})
    return EXIT_OK


def _list_councils(db, args) -> tuple[list[dict], list[tuple[str, str]]]:
    from perr_desktop.services import serialize

    rows = serialize.councils(db)
    return rows, [("id", "id"), ("name", _("Name")), ("status_label", _("Status")),
                  ("member_count", _("Members"))]


def _list_people(db, args) -> tuple[list[dict], list[tuple[str, str]]]:
    from perr_desktop.services import serialize

    rows = serialize.people(db, text=args.search, council_id=args.council)
    return rows, [("id", "id"), ("name", _("Name")), ("organisation", _("Organisation")),
                  ("councils", _("Councils"))]


def _matching(rows: list[dict], field: str, text: str) -> list[dict]:
    from perr_desktop.domain.text import search_key

    key = search_key(text)
    return [row for row in rows if key in search_key(row[field])] if key else rows


def _list_meetings(db, args) -> tuple[list[dict], list[tuple[str, str]]]:
    from perr_desktop.services import serialize

    rows = _matching(serialize.meetings(db, council_id=args.council), "title", args.search)
    return rows, [("id", "id"), ("starts_at", _("Start")), ("title", _("Title")),
                  ("council_name", _("Council")), ("kind_label", _("Kind"))]


def _list_actions(db, args) -> tuple[list[dict], list[tuple[str, str]]]:
    from perr_desktop.services import serialize

    rows = _matching(serialize.actions(db, council_id=args.council), "text", args.search)
    return rows, [("id", "id"), ("due", _("Due")), ("status_label", _("Status")),
                  ("assignee", _("Who")), ("text", _("Action"))]


def _list_walks(db, args) -> tuple[list[dict], list[tuple[str, str]]]:
    from perr_desktop.services import serialize

    rows = _matching(serialize.walks(db, council_id=args.council), "title", args.search)
    return rows, [("id", "id"), ("date", _("Date")), ("title", _("Title")),
                  ("council_name", _("Council")), ("observation_count", _("Observations"))]


def _list_observations(db, args) -> tuple[list[dict], list[tuple[str, str]]]:
    from perr_desktop.services import serialize

    rows = _matching(serialize.observations(db, council_id=args.council), "text", args.search)
    return rows, [("id", "id"), ("walk_date", _("Date")), ("number", _("No.")),
                  ("theme_label", _("Theme")), ("text", _("Observation"))]


LISTERS: dict[str, Callable] = {"councils": _list_councils, "people": _list_people,
                                "meetings": _list_meetings, "actions": _list_actions,
                                "walks": _list_walks, "observations": _list_observations}


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args) as db:
        rows, columns = LISTERS[args.kind](db, args)
    if args.json:
        _print_json(rows)
    else:
        _print_table(rows, columns)
    return EXIT_OK


def _show_council(db, record_id: str) -> dict:
    from perr_desktop.services import serialize

    return serialize.council(db, record_id)


def _show_person(db, record_id: str) -> dict:
    from perr_desktop.services import serialize

    return serialize.person(db, record_id)


def _show_meeting(db, record_id: str) -> dict:
    from perr_desktop.services import serialize

    return serialize.meeting(db, record_id)


def _show_walk(db, record_id: str) -> dict:
    from perr_desktop.services import serialize

    return serialize.walk(db, record_id)


SHOWERS: dict[str, Callable] = {"council": _show_council, "person": _show_person,
                                "meeting": _show_meeting, "walk": _show_walk}


def cmd_show(args: argparse.Namespace) -> int:
    with _open(args) as db:
        record = SHOWERS[args.kind](db, args.id)
    if args.json:
        _print_json(record)
    else:
        for key, value in record.items():
            if isinstance(value, list) and not all(isinstance(i, dict) for i in value):
                print(f"{key}: {', '.join(str(i) for i in value)}")
            elif isinstance(value, list):
                print(f"{key}:")
                for item in value:
                    print("  - " + ", ".join(f"{k}={v}" for k, v in item.items()
                                              if v not in (None, "")))
            elif isinstance(value, dict):
                print(f"{key}:")
                for k, v in value.items():
                    print(f"  {k}: {'' if v is None else v}")
            else:
                print(f"{key}: {'' if value is None else value}")
    return EXIT_OK


def cmd_export_ics(args: argparse.Namespace) -> int:
    from perr_desktop.services import calendar

    lang = i18n.get_language()
    with _open(args) as db:
        if args.meeting is not None:
            count = calendar.export_meeting(db, args.meeting, args.output, lang)
        else:
            count = calendar.export_council(db, args.council, args.output, lang)
    print(ngettext("%(count)s meeting written to %(path)s.",
                   "%(count)s meetings written to %(path)s.", count)
          % {"count": count, "path": args.output})
    return EXIT_OK


# The tables of `export csv` (services/exports.py).
EXPORT_TABLES = ("meetings", "attendance", "observations", "followups")


def cmd_export_csv(args: argparse.Namespace) -> int:
    from perr_desktop.services import exports

    with _open(args) as db:
        count = exports.export_csv(db, args.table, args.output, council_id=args.council,
                                   year=args.year, anonymize=args.anonymize,
                                   delimiter=args.delimiter, lang=i18n.get_language())
    print(ngettext("%(count)s row written to %(path)s.",
                   "%(count)s rows written to %(path)s.", count)
          % {"count": count, "path": args.output})
    return EXIT_OK


def cmd_export_geojson(args: argparse.Namespace) -> int:
    from perr_desktop.services import exports

    with _open(args) as db:
        count = exports.export_geojson(db, args.output, walk_id=args.walk,
                                       council_id=args.council, lang=i18n.get_language())
    print(ngettext("%(count)s observation written to %(path)s.",
                   "%(count)s observations written to %(path)s.", count)
          % {"count": count, "path": args.output})
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """`stats --json`: services/indicators.compute for the council (or all) and year."""
    from perr_desktop.services import indicators

    if not 1900 <= args.year <= 2100:
        raise UserError(_("%(value)s is not a year.") % {"value": args.year})
    council_ids = None if args.council == "all" else (args.council,)
    with _open(args) as db:
        figures = indicators.compute(db, indicators.Filters.year(args.year, council_ids))
        lines = [] if args.json else indicators.describe(db, figures, i18n.get_language())
    if args.json:
        _print_json(figures)
    else:
        print("\n".join(lines))
    return EXIT_OK


def cmd_import_photos(args: argparse.Namespace) -> int:
    """One line per skipped file and a summary on stdout; exit 1 when nothing could be
    imported (every file skipped, or none found)."""
    from perr_desktop.services import photos

    with _open(args) as db:
        report = photos.import_photos(db, args.walk, args.paths)
    for path, reason in report.skipped:
        print(_("%(path)s skipped: %(reason)s.") % {"path": path, "reason": reason})
    print(report.summary())
    return EXIT_OK if report.imported or report.duplicates else EXIT_USER_ERROR


def cmd_person_export(args: argparse.Namespace) -> int:
    from perr_desktop.services import privacy

    with _open(args) as db:
        path = privacy.write_person_export(db, args.id, args.output)
    print(_("Data of person %(id)s written to %(path)s.") % {"id": args.id, "path": path})
    return EXIT_OK


def cmd_person_erase(args: argparse.Namespace) -> int:
    """Asks nothing: the command line is for scripts and for those who know."""
    from perr_desktop.services import privacy

    with _open(args) as db:
        report = privacy.erase_person(db, args.id)
        line = privacy.erasure_summary(report, args.id)
        backups = len(privacy.backups_holding_data(db))
        if backups:
            line += " " + privacy.backups_warning(db, backups)
    if not report.file_clean:
        line += " " + report.problem
    print(line)
    return EXIT_OK


def cmd_export_package(args: argparse.Namespace) -> int:
    from perr_desktop.services import exchange

    with _open(args) as db:
        summary = exchange.export_package(db, args.output, council_id=args.council,
                                          anonymize=args.anonymize)
    print(summary.summary())
    return EXIT_OK


def cmd_import_package(args: argparse.Namespace) -> int:
    """A summary on stdout: added, updated, deleted, conflicts, images. A refused package
    exits 1 with one line and leaves the database (or its absence) as it was."""
    from perr_desktop.services import exchange

    summary = exchange.import_package_file(args.package, _db_path(args))
    print(summary.summary())
    return EXIT_OK


def _report_convocation(db, record_id: str, lang: str, args: argparse.Namespace) -> bytes:
    from perr_desktop.reports import convocation

    return convocation.build(db, record_id, lang=lang, poster=args.poster)


def _report_attendance_sheet(db, record_id: str, lang: str, args: argparse.Namespace) -> bytes:
    from perr_desktop.reports import attendance_sheet

    return attendance_sheet.build(db, record_id, lang=lang)


def _report_minutes(db, record_id: str, lang: str, args: argparse.Namespace) -> bytes:
    from perr_desktop.reports import minutes

    return minutes.build(db, record_id, lang=lang)


def _report_walk(db, record_id: str, lang: str, args: argparse.Namespace) -> bytes:
    from perr_desktop.reports import walk

    return walk.build(db, record_id, lang=lang, include_identifiable=args.include_identifiable)


def _report_body_dossier(db, record_id: str, lang: str, args: argparse.Namespace) -> bytes:
    from perr_desktop.reports import body_dossier

    return body_dossier.build(db, record_id, args.body, lang=lang)


def _report_followup(db, record_id: str, lang: str, args: argparse.Namespace) -> bytes:
    from perr_desktop.reports import followup

    return followup.build(db, record_id, lang=lang)


def _report_annual(db, record_id: str, lang: str, args: argparse.Namespace) -> bytes:
    from perr_desktop.reports.annual import build_annual_report

    council_ids = None if record_id == "all" else [record_id]
    return build_annual_report(db, council_ids, args.year, lang)


@dataclass(frozen=True)
class ReportKind:
    """A document of `report`: ``build(db, id, lang, args)`` returns its PDF; ``options``
    are the `report` options it takes (their argparse names), ``required`` the ones it
    cannot do without. Another kind given one of them is a usage error."""

    build: Callable[[Any, str, str, argparse.Namespace], bytes]
    options: tuple[str, ...] = ()
    required: tuple[str, ...] = ()


# The id is a meeting's (convocation, attendance-sheet, minutes), a walk's (walk,
# body-dossier) or a council's (followup, annual: « all » for every council).
REPORTS: dict[str, ReportKind] = {
    "convocation": ReportKind(_report_convocation, options=("poster",)),
    "attendance-sheet": ReportKind(_report_attendance_sheet),
    "minutes": ReportKind(_report_minutes),
    "walk": ReportKind(_report_walk, options=("include_identifiable",)),
    "body-dossier": ReportKind(_report_body_dossier, options=("body",), required=("body",)),
    "followup": ReportKind(_report_followup),
    "annual": ReportKind(_report_annual, options=("year",), required=("year",)),
}
# The options above as typed on the command line.
REPORT_OPTIONS = {"poster": "--poster", "include_identifiable": "--include-identifiable",
                  "body": "--body", "year": "--year"}


def _report_usage_error(args: argparse.Namespace) -> str | None:
    kind = REPORTS[args.kind]
    for name, flag in REPORT_OPTIONS.items():
        given = getattr(args, name) not in (None, False)
        if given and name not in kind.options:
            return _("%(option)s does not apply to the document %(kind)s.") % {
                "option": flag, "kind": args.kind}
        if not given and name in kind.required:
            return _("The document %(kind)s needs %(option)s.") % {
                "option": flag, "kind": args.kind}
    return None


def cmd_report(args: argparse.Namespace) -> int:
    from perr_desktop.reports.styles import write_pdf

    problem = _report_usage_error(args)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    lang = i18n.get_language()  # --lang, else the interface language of the settings
    with _open(args) as db:
        path = write_pdf(args.output,
                         lambda: REPORTS[args.kind].build(db, args.id, lang, args))
    print(_("Document written to %(path)s.") % {"path": path})
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    """A read command: the backup API copies a consistent state while others write."""
    from perr_desktop.storage import backups

    path = backups.export_backup(_db_path(args), args.output)
    print(_("Backup written to %(path)s.") % {"path": path})
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from perr_desktop.storage import backups

    path = _db_path(args)
    before = backups.restore(args.backup, path)
    print(_("The backup %(backup)s was restored into %(path)s.")
          % {"backup": args.backup, "path": path})
    if before is not None:
        print(_("The previous state was backed up in %(folder)s.") % {"folder": before})
    return EXIT_OK


# Commands that change the database take its lock (storage/lock.py): refused, with one
# line, while the window or another such command works on it. Reading needs no lock.
WRITING_COMMANDS = {"demo", "import", "restore"}


def _writes(args: argparse.Namespace) -> bool:
    return args.command in WRITING_COMMANDS or (
        args.command == "person" and getattr(args, "person_action", None) == "erase") or (
        # an anonymised package numbers the people it has not numbered yet (pseudonyms)
        args.command == "export" and getattr(args, "export_kind", None) == "package"
        and args.anonymize)


def _database_lock(args: argparse.Namespace):
    import contextlib

    from perr_desktop.storage import lock

    if not _writes(args):
        return contextlib.nullcontext()
    return lock.hold(_db_path(args), program=f"command {args.command}")


def cmd_gui(args: argparse.Namespace) -> int:
    # The garbage collector is still off (main): app.run turns it on at the first paint.
    from perr_desktop.app import run

    return run(db_path=args.db, lang=args.lang, smoke=args.smoke)


# -- entry point -----------------------------------------------------------------------

def _initial_language(argv: Sequence[str]) -> None:
    """Messages (help included) follow ``--lang``, else the saved preference."""
    from perr_desktop.settings import Settings

    lang = Settings.load().language
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    if lang in i18n.LANGUAGES:
        i18n.set_language(lang)


def _parse(argv: list[str]) -> argparse.Namespace:
    """The arguments; ``perr-desktop [--db PATH] [--lang L] [--smoke]``, the window's
    start, is parsed without building every sub-command first."""
    if not {"-h", "--help"} & set(argv):
        args, rest = build_parser(with_commands=False).parse_known_args(argv)
        if not rest:
            args.command = None
            return args
    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    # The window's start creates a great many objects that live as long as it (the
    # catalogue of messages, modules, Qt's types and enumerations, the first page):
    # collecting garbage among them is wasted time, about a tenth of the start (issue 7).
    # The collector is off from here until the window has painted (app.run turns it back
    # on), or until the arguments are read for a command; on again whatever happens.
    gc.disable()
    try:
        argv = list(sys.argv[1:] if argv is None else argv)
        _initial_language(argv)
        # argparse looks its messages up through its module-level gettext functions.
        argparse._ = _
        argparse.ngettext = ngettext
        args = _parse(argv)
        if args.lang:
            i18n.set_language(args.lang)
        handler = getattr(args, "handler", cmd_gui)
        if handler is not cmd_gui:
            gc.enable()
        with _database_lock(args):
            return handler(args)
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return 130
    finally:
        gc.enable()

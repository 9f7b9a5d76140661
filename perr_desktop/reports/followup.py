"""The follow-up table a facilitator prints for each plénière (journey 5).

Every follow-up of the council's walks — one line per observation and body —, grouped
open / resolved / closed: number, walk date, stop, the observation in short, the body,
the status, the last step (date, channel, note), the next reminder, and « À relancer »
on the lines whose reminder has come (or that were sent a month ago without an
answer). A4 landscape; the column titles repeat on every page.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table

from perr_desktop import __version__
from perr_desktop.domain import walks as rules
from perr_desktop.i18n import format_date, format_number, translator
from perr_desktop.reports import styles
from perr_desktop.reports.styles import esc, para
from perr_desktop.reports.walk import shorten, table_heading
from perr_desktop.services import followups
from perr_desktop.services.councils import require_council
from perr_desktop.services.reference import vocabulary_labels

PAGE_SIZE = landscape(A4)
FRAME_WIDTH = PAGE_SIZE[0] - styles.MARGIN_LEFT - styles.MARGIN_RIGHT
FRAME_HEIGHT = PAGE_SIZE[1] - styles.MARGIN_TOP - styles.MARGIN_BOTTOM
OVERDUE_SHADE = colors.HexColor("#f8e7e5")
# N°, walk, stop, observation, body, status, last step, next reminder, reminder due
WIDTHS = [0.9 * cm, 2.0 * cm, 2.9 * cm, None, 2.8 * cm, 2.5 * cm, 4.6 * cm, 2.0 * cm, 2.0 * cm]
WIDTHS[3] = FRAME_WIDTH - sum(w for w in WIDTHS if w)
GROUPS = (rules.OPEN, rules.FIXED, rules.CLOSED)


def build(db, council_id: str, lang: str = "fr") -> bytes:
    council = require_council(db, council_id)
    _ = translator(lang).gettext
    rows = followups.search(db, council_id=council_id)
    # Latest walk first, each walk's lines together (two walks on one day interleave in
    # the search's order), by number and body within it.
    rows.sort(key=lambda row: (row["walk_date"], row["walk_id"]), reverse=True)
    history = _history(db, rows)
    document = _("Follow-up of observations")
    today = dt.date.today()
    setup = styles.PageSetup(
        lang=lang,
        title=f"{document} – {styles.short_date(today, lang)}",
        council=council["name"],
        subject=_("Walking diagnostics: what the bodies have done"),
    )
    story = _heading(db, council, rows, document, today, lang)
    for group in GROUPS:
        story += _group(db, group, [r for r in rows if r["group"] == group], history, lang)
    return _landscape_pdf(story, setup)


def _history(db, rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Steps of each follow-up, read walk by walk (one query per walk)."""
    steps: dict[str, list[dict[str, Any]]] = {}
    for walk_id in dict.fromkeys(row["walk_id"] for row in rows):
        for observation_rows in followups.for_walk(db, walk_id).values():
            for row in observation_rows:
                steps[row["id"]] = row["steps"]
    return steps


def _heading(db, council: dict[str, Any], rows: list[dict[str, Any]], document: str,
             today: dt.date, lang: str) -> list[Flowable]:
    _ = translator(lang).gettext
    ngettext = translator(lang).ngettext
    number = functools.partial(format_number, lang=lang)
    story: list[Flowable] = [para(council["name"], "council")]
    line = styles.neighbourhood_line(styles.council_neighbourhoods(db, council["id"]), lang)
    if line:
        story.append(para(line, "meta"))
    story += [para(document, "title"),
              para(_("Situation on %(date)s") % {"date": format_date(today, "long", lang=lang)},
                   "subtitle")]
    if not rows:
        return [*story, para(_("No observation has been passed to a body yet."), "body")]
    counts = {group: sum(1 for r in rows if r["group"] == group) for group in GROUPS}
    overdue = sum(1 for r in rows if r["overdue"])
    parts = [
        ngettext("%(count)s follow-up in progress", "%(count)s follow-ups in progress",
                 counts[rules.OPEN]) % {"count": number(counts[rules.OPEN])},
        ngettext("%(count)s to chase up", "%(count)s to chase up", overdue)
        % {"count": number(overdue)},
        ngettext("%(count)s resolved", "%(count)s resolved", counts[rules.FIXED])
        % {"count": number(counts[rules.FIXED])},
        ngettext("%(count)s closed", "%(count)s closed", counts[rules.CLOSED])
        % {"count": number(counts[rules.CLOSED])},
    ]
    walks_count = len({r["walk_id"] for r in rows})
    story.append(para(ngettext(
        "%(count)s walk: %(figures)s.", "%(count)s walks: %(figures)s.", walks_count)
        % {"count": number(walks_count), "figures": ", ".join(parts)}, "body"))
    story.append(para(_("« To chase up »: the reminder date has come, or the request was "
                        "sent %(days)s days ago without an answer.")
                      % {"days": rules.REMINDER_AFTER_DAYS}, "meta"))
    return story


def _group(db, group: str, rows: list[dict[str, Any]],
           history: dict[str, list[dict[str, Any]]], lang: str) -> list[Flowable]:
    _ = translator(lang).gettext
    if not rows:
        return []
    titles = {rules.OPEN: _("In progress"), rules.FIXED: _("Resolved"),
              rules.CLOSED: _("Closed")}
    bodies = vocabulary_labels(db, "body", lang)
    statuses = vocabulary_labels(db, "followup_status", lang)
    channels = vocabulary_labels(db, "followup_channel", lang)
    themes = vocabulary_labels(db, "observation_theme", lang)
    head = styles.style("cell_head")
    table_rows: list[list[Any]] = [[Paragraph(esc(t), head) for t in (
        _("No."), _("Walk"), _("Stop"), _("Observation"), _("Body"), _("Status"),
        _("Last step"), _("Next reminder"), _("Reminder"))]]
    overdue_lines = []
    for row in rows:
        theme = themes.get(row["theme"], row["theme"]) if row["theme"] else ""
        text = f"<b>{esc(theme)}</b> – " if theme else ""
        text += esc(shorten(row["description"], 140))
        steps = history.get(row["id"], [])
        due = ""
        if row["overdue"]:
            due = Paragraph(f"<b>{esc(_('To chase up'))}</b>",
                            ParagraphStyle("due", parent=styles.style("cell"),
                                                  textColor=styles.DRAFT))
            overdue_lines.append(len(table_rows))
        table_rows.append([
            str(row["number"]),
            styles.short_date(row["walk_date"], lang),
            para(row["stop_name"] or "–", "cell"),
            Paragraph(text, styles.style("cell")),
            para(bodies.get(row["body"], row["body"]), "cell"),
            para(statuses.get(row["status"], row["status"]), "cell"),
            _last_step(steps[-1] if steps else None, channels, lang),
            styles.short_date(row["next_reminder_on"], lang) if row["next_reminder_on"] else "",
            due,
        ])
    table = Table(table_rows, colWidths=WIDTHS, repeatRows=1, hAlign="LEFT", splitInRow=24)
    table.setStyle(styles.table_style(*(("BACKGROUND", (0, n), (-1, n), OVERDUE_SHADE)
                                        for n in overdue_lines)))
    count = format_number(len(rows), lang=lang)
    return [*table_heading(f"{titles[group]} ({count})"), table]


def _last_step(step: dict[str, Any] | None, channels: dict[str, str], lang: str) -> Any:
    """« 03/12/2026 · Courrier » and the note under it."""
    if step is None:
        return "–"
    first = format_date(dt.date.fromisoformat(step["step_date"]), "short", lang=lang)
    if step["channel"]:
        first += f" · {channels.get(step['channel'], step['channel'])}"
    text = f"<b>{esc(first)}</b>"
    if step["note"]:
        text += "<br/>" + esc(shorten(step["note"], 110))
    return Paragraph(text, styles.style("cell"))


# -- landscape pages -------------------------------------------------------------------
# The same header line and « Page n sur N » as every document (styles), on A4 landscape.

def _draw_page(canvas, doc: BaseDocTemplate) -> None:
    setup: styles.PageSetup = doc.page_setup
    width, height = PAGE_SIZE
    y = height - styles.MARGIN_TOP + 0.75 * cm
    half = FRAME_WIDTH / 2 - 0.3 * cm
    canvas.saveState()
    canvas.setFont(styles.FONT_BOLD, 8.5)
    canvas.setFillColor(styles.BLUE)
    canvas.drawString(styles.MARGIN_LEFT, y,
                      styles._fit(setup.council, styles.FONT_BOLD, 8.5, half))
    canvas.setFont(styles.FONT, 8.5)
    canvas.setFillColor(styles.GREY)
    canvas.drawRightString(width - styles.MARGIN_RIGHT, y,
                           styles._fit(setup.title, styles.FONT, 8.5, half))
    canvas.setStrokeColor(styles.BLUE)
    canvas.setLineWidth(0.6)
    canvas.line(styles.MARGIN_LEFT, y - 5, width - styles.MARGIN_RIGHT, y - 5)
    canvas.restoreState()


class _LandscapeCanvas(styles._NumberedCanvas):
    def _draw_footer(self, number: int, total: int) -> None:
        _ = translator(self._page_setup.lang).gettext
        text = _("Page %(page)s of %(pages)s") % {"page": number, "pages": total}
        self.saveState()
        self.setFont(styles.FONT, 8.5)
        self.setFillColor(styles.GREY)
        y = styles.MARGIN_BOTTOM - 1.0 * cm
        self.setStrokeColor(styles.RULE)
        self.setLineWidth(0.4)
        self.line(styles.MARGIN_LEFT, y + 11, PAGE_SIZE[0] - styles.MARGIN_RIGHT, y + 11)
        self.drawRightString(PAGE_SIZE[0] - styles.MARGIN_RIGHT, y, text)
        self.restoreState()


def _landscape_pdf(story: list[Flowable], setup: styles.PageSetup) -> bytes:
    styles.register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=PAGE_SIZE,
        leftMargin=styles.MARGIN_LEFT, rightMargin=styles.MARGIN_RIGHT,
        topMargin=styles.MARGIN_TOP, bottomMargin=styles.MARGIN_BOTTOM,
        title=setup.title, author=setup.council, subject=setup.subject,
        creator=f"PERR Desktop {__version__}", lang={"fr": "fr-FR", "en": "en-GB"}[setup.lang],
        displayDocTitle=1, initialFontName=styles.FONT, initialFontSize=10.5,
    )
    doc.page_setup = setup
    frame = Frame(styles.MARGIN_LEFT, styles.MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT,
                  id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="landscape", frames=[frame], onPage=_draw_page,
                                       pagesize=PAGE_SIZE)])
    doc.build(story, canvasmaker=functools.partial(_LandscapeCanvas, page_setup=setup))
    return buffer.getvalue()

"""The *bilan annuel*: a year of one council, several, or all, as a PDF to publish.

A cover (title, councils and their priority neighbourhoods, date of edition, the year in
figures); the meetings and who took part (meetings and participants month by month, by
kind, women, young people, residents); the walking diagnostics and what came of their
observations (themes, strong and weak points, follow-up with the bodies, resolution
delays); the actions decided; the PERR objectives worked on; with several councils a
comparison and a page per council; in annex the meetings held and the PERR objectives not
worked on.

Every figure is taken as it is from :func:`perr_desktop.services.indicators.compute` and
:func:`~perr_desktop.services.indicators.perr_view` (definitions: docs/indicators.md), so
that the report, the dashboard and ``stats --json`` always agree; this module only lays
them out. Codes are shown with their vocabulary labels in the document's language, numbers
and dates are written by Babel, and an undefined share is a dash, never 0 %.

Charts are reportlab drawings (vector: sharp in print at any size), in the fonts and
colours of every other document.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from perr_desktop import __version__
from perr_desktop.domain import walks as walk_rules
from perr_desktop.domain.meetings import ACTION_STATUS_LABELS, AGE_BAND_LABELS, ActionStatus
from perr_desktop.domain.people import Gender
from perr_desktop.errors import NotFoundError, UserError
from perr_desktop.i18n import N_, format_date, format_number, format_percent, locale, translator
from perr_desktop.reports import styles
from perr_desktop.reports.styles import FONT, FONT_BOLD, FRAME_WIDTH, esc
from perr_desktop.services import indicators
from perr_desktop.services.reference import vocabulary, vocabulary_labels

# -- colours: the blue of every document, its lighter tints, green and red as in the walk
# report, grey for what is not known --------------------------------------------------

BLUE = styles.BLUE
MID_BLUE = colors.HexColor("#4f74a3")
LIGHT_BLUE = colors.HexColor("#9db5d3")
PALE_BLUE = colors.HexColor("#d5e0ee")
POSITIVE = colors.HexColor("#2e7d32")
NEGATIVE = colors.HexColor("#b3261e")
PENDING = colors.HexColor("#c27c0e")
UNKNOWN = colors.HexColor("#c5cbd3")
AXIS = colors.HexColor("#8a94a3")
GRID = colors.HexColor("#e3e8ef")
PILLAR_SHADE = colors.HexColor("#f4f6f9")
WHITE = colors.white

FIRST_YEAR, LAST_YEAR = 1900, 2100
DASH = "—"

GENDER_SHORT = {Gender.FEMME: N_("Women"), Gender.HOMME: N_("Men"),
                Gender.NON_PRECISE: N_("Not specified")}
GROUP_LABELS = {walk_rules.OPEN: N_("In progress"), walk_rules.FIXED: N_("Resolved"),
                walk_rules.CLOSED: N_("Closed")}


# -- entry point -----------------------------------------------------------------------

def build_annual_report(db, council_ids: Sequence[str] | None, year: int, lang: str,
                        *, today: dt.date | None = None) -> bytes:
    """The annual report of ``year`` for ``council_ids`` (``None``: every council) in
    ``lang`` ("fr" or "en"), as PDF bytes.

    ``today`` (default: the computer's date) is the day of edition: as in the dashboard,
    what is dated after it has not taken place. An unknown council, an empty selection or
    a year that is not one (or has not begun) is a :class:`UserError`.
    """
    story, setup = annual_story(db, council_ids, year, lang, today=today)
    return render(story, setup)


def annual_story(db, council_ids: Sequence[str] | None, year: int, lang: str,
                 *, today: dt.date | None = None
                 ) -> tuple[list[Flowable], styles.PageSetup]:
    """The flowables of the report and its page setup (the benchmark lays the same
    content out with bare reportlab)."""
    doc = AnnualDoc(db, council_ids, year, lang, today or dt.date.today())
    story = _cover(doc)
    if doc.empty(doc.figures):
        story.append(t(doc.nothing_sentence(doc.scope_name), "lead"))
    else:
        story += _meetings_section(doc)
        story += _walks_section(doc)
        story += _actions_section(doc)
        story += _perr_section(doc)
        if len(doc.councils) > 1:
            story += _councils_section(doc)
        story += _meetings_annex(doc)
        story += _objectives_annex(doc)
    return story, doc.setup


# -- the document's language, labels and figures ---------------------------------------

@dataclass
class Council:
    id: str
    name: str
    neighbourhoods: list[dict[str, Any]]
    figures: dict[str, Any] = field(default_factory=dict)


class AnnualDoc:
    """What every part needs: the figures (computed once), the labels of the codes and
    the formatting, all in the document's language."""

    def __init__(self, db, council_ids: Sequence[str] | None, year: int, lang: str,
                 today: dt.date) -> None:
        self.db, self.year, self.lang, self.today = db, year, lang, today
        t = translator(lang)
        self.gettext, self.ngettext = t.gettext, t.ngettext
        _ = self.gettext
        if isinstance(year, bool) or not isinstance(year, int) \
                or not FIRST_YEAR <= year <= LAST_YEAR:
            raise UserError(_("%(value)s is not a year.") % {"value": year})
        if year > today.year:
            raise UserError(_("The year %(year)s has not begun: there is nothing to report "
                              "yet.") % {"year": year})
        self.all_councils = council_ids is None
        self.councils = self._councils(council_ids)
        ids = None if self.all_councils else [c.id for c in self.councils]
        self.filters = indicators.Filters.year(year, ids)
        self.figures = indicators.compute(db, self.filters, today=today)
        self.tree = indicators.perr_view(db, self.filters, today=today)
        if len(self.councils) > 1:
            for council in self.councils:
                council.figures = indicators.compute(
                    db, indicators.Filters.year(year, [council.id]), today=today)
        self.finished = today > dt.date(year, 12, 31)

        self._order: dict[str, dict[str, int]] = {}
        self.kinds = self._labels("meeting_kind")
        self.themes = self._labels("observation_theme")
        self.statuses = self._labels("followup_status")
        self.bodies = self._labels("body")
        self.council_names = {c.id: c.name for c in self.councils}
        if self.all_councils or len(self.councils) > 1:
            # Meetings hosted by a council outside the selection (it was a guest).
            self.council_names = {r["id"]: r["name"] for r in db.query(
                "SELECT id, name FROM councils")} | self.council_names
        self.scope_name = self._scope_name()
        document = self.title()
        self.setup = styles.PageSetup(
            lang=lang, title=document, council=self.scope_name,
            subject=", ".join(c.name for c in self.councils) or document)

    def _councils(self, council_ids: Sequence[str] | None) -> list[Council]:
        _ = self.gettext
        if council_ids is None:
            rows = self.db.query("SELECT id, name FROM councils WHERE deleted_at IS NULL "
                                 "ORDER BY name COLLATE NOCASE")
        else:
            if isinstance(council_ids, str):
                council_ids = [council_ids]
            wanted = list(dict.fromkeys(council_ids))
            if not wanted:
                raise UserError(_("Choose at least one council for the annual report."))
            found = {r["id"]: r for r in self.db.query(
                "SELECT id, name FROM councils WHERE deleted_at IS NULL AND id IN "
                "(SELECT value FROM json_each(?))", (json.dumps(wanted),))}
            for council_id in wanted:
                if council_id not in found:
                    raise NotFoundError(_("Unknown council: %(id)s.") % {"id": council_id})
            rows = [found[c] for c in wanted]
        return [Council(r["id"], r["name"], styles.council_neighbourhoods(self.db, r["id"]))
                for r in rows]

    def _labels(self, kind: str) -> dict[str, str]:
        """Code → label (removed entries included: old records still name them); the
        vocabulary's order is kept for :meth:`order`."""
        self._order[kind] = {row["code"]: n for n, row in
                             enumerate(vocabulary(self.db, kind, self.lang))}
        return vocabulary_labels(self.db, kind, self.lang)

    def order(self, kind: str, codes) -> list[str]:
        order = self._order[kind]
        return sorted(codes, key=lambda code: (code not in order, order.get(code, 0), code))

    def _scope_name(self) -> str:
        _, ngettext = self.gettext, self.ngettext
        if self.all_councils:
            return _("All citizen councils")
        if len(self.councils) == 1:
            return self.councils[0].name
        return ngettext("%(count)s citizen council", "%(count)s citizen councils",
                        len(self.councils)) % {"count": self.number(len(self.councils))}

    def title(self) -> str:
        # The year is a name here, not a quantity: never « 2 026 ».
        _ = self.gettext
        return _("Annual report %(year)s") % {"year": self.year}

    # -- formatting

    # Babel groups French thousands with a narrow no-break space, at which reportlab
    # would still break a line (« 2 » / « 467 »): the plain no-break space holds.

    def number(self, value: int | float | None) -> str:
        if value is None:
            return DASH
        if isinstance(value, float):
            value = round(value, 1)
        return format_number(value, lang=self.lang).replace("\u202f", "\xa0")

    def percent(self, value: float | None) -> str:
        if value is None:
            return DASH
        return format_percent(value, lang=self.lang).replace("\u202f", "\xa0")

    def days(self, value: int | float | None) -> str:
        if value is None:
            return DASH
        ngettext = self.ngettext
        return ngettext("%(count)s day", "%(count)s days",
                        int(value) if float(value).is_integer() else 2) % {
            "count": self.number(value)}

    def date(self, value: str | dt.date, pattern: str = "long") -> str:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
        return format_date(day, pattern, lang=self.lang)

    def month_names(self) -> list[str]:
        names = locale(self.lang).months["format"]["abbreviated"]
        return [names[n] for n in range(1, 13)]

    def kind(self, code: str) -> str:
        return self.kinds.get(code, code)

    def theme(self, code: str) -> str:
        _ = self.gettext
        return self.themes.get(code, code) if code else _("No theme")

    def action_status(self, code: str) -> str:
        return self.gettext(ACTION_STATUS_LABELS[ActionStatus(code)])

    def objective_label(self, node: dict[str, Any]) -> str:
        return node["label_en"] if self.lang == "en" and node["label_en"] else node["label_fr"]

    # -- what there is to say

    @staticmethod
    def empty(figures: dict[str, Any]) -> bool:
        actions = figures["actions"]
        return not (figures["meetings"]["held"] or figures["walks"]["held"]
                    or actions["opened"] or actions["closed"] or actions["open_at_end"])

    def nothing_sentence(self, who: str) -> str:
        _ = self.gettext
        if self.all_councils and who == self.scope_name:
            return _("No meeting, walking diagnostic or action was recorded for the "
                     "citizen councils in %(year)s.") % {"year": self.year}
        return _("No meeting, walking diagnostic or action was recorded for %(council)s in "
                 "%(year)s.") % {"council": who, "year": self.year}


# -- styles ----------------------------------------------------------------------------

@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    base = styles.stylesheet()
    body = ParagraphStyle("annual_body", parent=base["body"], allowWidows=0, allowOrphans=0)
    return {
        "body": body,
        "lead": ParagraphStyle("annual_lead", parent=body, fontSize=11, leading=15.5,
                               spaceAfter=8),
        "kicker": ParagraphStyle("annual_kicker", parent=body, fontName=FONT_BOLD,
                                 fontSize=9.5, leading=12, textColor=styles.GREY,
                                 spaceAfter=4),
        "cover_title": ParagraphStyle("annual_cover_title", parent=body, fontName=FONT_BOLD,
                                      fontSize=32, leading=38, textColor=BLUE,
                                      spaceAfter=10),
        "cover_scope": ParagraphStyle("annual_cover_scope", parent=body, fontName=FONT_BOLD,
                                      fontSize=16, leading=20, textColor=styles.INK,
                                      spaceAfter=4),
        "cover_meta": ParagraphStyle("annual_cover_meta", parent=body, fontSize=10.5,
                                     leading=14, textColor=styles.GREY, spaceAfter=2),
        "section": ParagraphStyle("annual_section", parent=body, fontName=FONT_BOLD,
                                  fontSize=17, leading=21, textColor=BLUE, spaceBefore=0,
                                  spaceAfter=10, keepWithNext=1),
        "h2": ParagraphStyle("annual_h2", parent=base["h2"], fontSize=11.5, leading=14.5,
                             spaceBefore=12, spaceAfter=5, keepWithNext=1),
        "h2_over_table": ParagraphStyle("annual_h2_over_table", parent=base["h2"],
                                        fontSize=11.5, leading=14.5, spaceBefore=12,
                                        spaceAfter=5, keepWithNext=0),
        "tile_number": ParagraphStyle("annual_tile_number", parent=body, fontName=FONT_BOLD,
                                      fontSize=19, leading=22, textColor=BLUE, spaceAfter=1),
        "tile_label": ParagraphStyle("annual_tile_label", parent=body, fontSize=8.5,
                                     leading=10.5, spaceAfter=0),
        "tile_sub": ParagraphStyle("annual_tile_sub", parent=body, fontSize=7.5,
                                   leading=9.5, textColor=styles.GREY, spaceAfter=0),
        "cell": base["cell"],
        "cell_bold": ParagraphStyle("annual_cell_bold", parent=base["cell"],
                                    fontName=FONT_BOLD),
        "cell_small_bold": ParagraphStyle("annual_cell_small_bold", parent=base["cell"],
                                          fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
        "cell_right": ParagraphStyle("annual_cell_right", parent=base["cell"],
                                     alignment=TA_RIGHT),
        "cell_value": ParagraphStyle("annual_cell_value", parent=base["cell"],
                                     fontName=FONT_BOLD, alignment=TA_RIGHT),
        "cell_small_right": ParagraphStyle("annual_cell_small_right", parent=base["cell"],
                                           fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        "cell_small": ParagraphStyle("annual_cell_small", parent=base["cell"], fontSize=8.5,
                                     leading=10.5),
        "cell_grey": ParagraphStyle("annual_cell_grey", parent=base["cell"], fontSize=8.5,
                                    leading=10.5, textColor=styles.GREY),
        "head": base["cell_head"],
        "head_num": ParagraphStyle("annual_head_num", parent=base["cell_head"],
                                   fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        "note": ParagraphStyle("annual_note", parent=base["small"], spaceBefore=3,
                               spaceAfter=4),
        "bullet_note": ParagraphStyle("annual_bullet_note", parent=base["small"],
                                      leftIndent=9, bulletIndent=0, bulletFontName=FONT,
                                      spaceAfter=2),
        "chart_title": ParagraphStyle("annual_chart_title", parent=body, fontName=FONT_BOLD,
                                      fontSize=9.5, leading=12, textColor=styles.INK,
                                      spaceBefore=6, spaceAfter=2, keepWithNext=1),
    }


def _style(name: str) -> ParagraphStyle:
    """This document's style ``name``, else the shared one."""
    own = _styles()
    return own[name] if name in own else styles.style(name)


def p(text: str, name: str = "body") -> Paragraph:
    """Our own text (already safe markup) in one of this document's styles."""
    return Paragraph(text, _style(name))


def t(text: Any, name: str = "body") -> Paragraph:
    """User or vocabulary text, escaped."""
    return Paragraph(esc(text), _style(name))


# -- building blocks -------------------------------------------------------------------

def section(title: str) -> list[Flowable]:
    """A numbered part: on a new page."""
    return [PageBreak(), p(esc(title), "section")]


def block(title: str, *content: Flowable) -> KeepTogether:
    """A heading kept on the page of what it introduces (a heading's keepWithNext does
    not reach into a KeepTogether, hence one group)."""
    return KeepTogether([p(esc(title), "h2"), *content])


def heading_over_table(title: str) -> list[Flowable]:
    """A heading over a table that may run over pages: a page break first unless a few
    rows fit under it (kept with the whole table, a long one would leave the page
    empty)."""
    return [CondPageBreak(4 * cm), p(esc(title), "h2_over_table")]


def num_width(title: str, values: Sequence[str] = (), least: float = 1.4 * cm,
              lines: int = 2) -> float:
    """The width of a column of numbers: its title on ``lines`` lines at most and broken
    only between words (« Obser-vations » cut in two reads badly), its widest value, some
    padding."""
    head = _style("head_num")
    words = max((stringWidth(word, head.fontName, head.fontSize) for word in title.split()),
                default=0)
    whole = stringWidth(title, head.fontName, head.fontSize)
    widest = max((stringWidth(value, FONT, 9.5) for value in values), default=0)
    return max(least, words + 12, whole / lines + 16, widest + 12)


def tiles(entries: list[tuple[str, str, str]], columns: int = 4) -> Table:
    """The headline figures as shaded tiles: big number, label, a line of detail."""
    gap = 0.25 * cm
    width = (FRAME_WIDTH - gap * (columns - 1)) / columns
    cells = [[p(esc(value), "tile_number"), p(esc(label), "tile_label")]
             + ([p(esc(sub), "tile_sub")] if sub else []) for value, label, sub in entries]
    while len(cells) % columns:
        cells.append("")
    rows, widths = [], []
    for start in range(0, len(cells), columns):
        row: list[Any] = []
        for n, cell in enumerate(cells[start:start + columns]):
            if n:
                row.append("")
            row.append(cell)
        rows.append(row)
    for n in range(columns):
        widths += ([gap] if n else []) + [width]
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 7), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]
    for r in range(len(rows)):
        for c in range(0, len(widths), 2):
            if rows[r][c] != "":
                commands += [("BACKGROUND", (c, r), (c, r), styles.SHADE),
                             ("LINEBEFORE", (c, r), (c, r), 2.5, BLUE)]
    # The white band between two rows of tiles: a thick white line over the shading.
    for r in range(1, len(rows)):
        commands += [("TOPPADDING", (0, r), (-1, r), 7 + gap),
                     ("LINEABOVE", (0, r), (-1, r), gap * 2, WHITE)]
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(styles.layout_style(*commands))
    return table


def figure_table(rows: list[tuple[str, str]], value_width: float = 3.2 * cm) -> Table:
    """Label and value, one figure a line."""
    data = [[t(label, "cell"), t(value, "cell_value")] for label, value in rows]
    table = Table(data, colWidths=[FRAME_WIDTH - value_width, value_width], hAlign="LEFT")
    table.setStyle(styles.table_style(("LINEABOVE", (0, 0), (-1, 0), 0.8, BLUE),
                                      header=False))
    return table


def canvas_of(width: float, height: float) -> Drawing:
    """An empty drawing that starts in our font (reportlab would open every drawing in
    Helvetica, which is not embedded)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    drawing.initialFontSize = 8
    return drawing


def bar_cell(value: float, top: float, width: float, colour=BLUE,
             track: bool = False) -> Drawing:
    """A horizontal bar of ``value`` on a scale of ``top`` (on a pale track showing the
    whole scale when ``track``)."""
    drawing = canvas_of(width, 9)
    if track:
        drawing.add(Rect(0, 1.5, width, 7, fillColor=PALE_BLUE, strokeColor=None))
    if top > 0 and value > 0:
        drawing.add(Rect(0, 1.5, max(1.0, width * min(value, top) / top), 7,
                         fillColor=colour, strokeColor=None))
    return drawing


def bar_table(head: tuple[str, str], rows: list[tuple[str, str, float]], colour=BLUE,
              extra: tuple[str, list[str]] | None = None) -> Table:
    """A count per category with a bar to read it at a glance: label, count as written,
    bar of the value (the labels wrap, which a chart's axis cannot do)."""
    bar_width = 5.0 * cm
    value_width = num_width(head[1], [text for _label, text, _value in rows], 2.2 * cm)
    extra_width = num_width(extra[0], extra[1], 2.0 * cm) if extra else 0
    label_width = FRAME_WIDTH - bar_width - value_width - extra_width
    top = max((value for _label, _text, value in rows), default=0)
    header = [t(head[0], "head"), t(head[1], "head_num")]
    if extra:
        header.append(t(extra[0], "head_num"))
    header.append("")
    data: list[list[Any]] = [header]
    for n, (label, text, value) in enumerate(rows):
        line: list[Any] = [t(label, "cell"), t(text, "cell_right")]
        if extra:
            line.append(t(extra[1][n], "cell_right"))
        line.append(bar_cell(value, top, bar_width - 0.5 * cm, colour))
        data.append(line)
    widths = [label_width, value_width] + ([extra_width] if extra else []) + [bar_width]
    table = Table(data, colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(styles.table_style(("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                      ("LEFTPADDING", (-1, 0), (-1, -1), 12)))
    return table


def nice_axis(top: float) -> tuple[int, int]:
    """A maximum and a whole step (at most six of them) for a value axis, leaving room
    above the highest value for its label."""
    target = max(top * 1.15, 1)
    magnitude = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            step = factor * magnitude
            if float(step).is_integer() and target / step <= 6:
                step = int(step)
                return step * -int(-target // step), step
        magnitude *= 10


def _axis_style(axis, doc: AnnualDoc, *, values: bool) -> None:
    axis.strokeColor = AXIS
    axis.strokeWidth = 0.5
    axis.labels.fontName = FONT
    axis.labels.fontSize = 7.5
    axis.labels.fillColor = styles.GREY
    axis.visibleTicks = 0
    if values:
        axis.visibleGrid = 1
        axis.gridStrokeColor = GRID
        axis.gridStrokeWidth = 0.5
        axis.visibleAxis = 0
        axis.labelTextFormat = lambda v: doc.number(int(v)) if float(v).is_integer() else ""


def _value_axis(chart, doc: AnnualDoc, top: float) -> None:
    maximum, step = nice_axis(top)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, maximum
    chart.valueAxis.valueStep = step
    _axis_style(chart.valueAxis, doc, values=True)


def _labels_on(labels, colour, anchor: str = "s", dy: float = 2, size: float = 7.5) -> None:
    labels.fontName = FONT_BOLD
    labels.fontSize = size
    labels.fillColor = colour
    labels.boxAnchor = anchor
    labels.dy = dy


def monthly_bars(doc: AnnualDoc, values: list[int], height: float = 4.4 * cm) -> Drawing:
    """Meetings month by month: a vertical bar chart, counts over the bars."""
    drawing = canvas_of(FRAME_WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 0.9 * cm, 0.5 * cm
    chart.width, chart.height = FRAME_WIDTH - 1.0 * cm, height - 0.6 * cm
    chart.data = [values]
    chart.categoryAxis.categoryNames = doc.month_names()
    _axis_style(chart.categoryAxis, doc, values=False)
    chart.categoryAxis.labels.dy = -2
    _value_axis(chart, doc, max(values, default=0))
    chart.bars[0].fillColor = BLUE
    chart.bars[0].strokeColor = None
    chart.barWidth = 10
    chart.groupSpacing = 14
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[doc.number(v) if v else "" for v in values]]
    _labels_on(chart.barLabels, BLUE)
    drawing.add(chart)
    return drawing


def monthly_line(doc: AnnualDoc, values: list[int], months: int,
                 height: float = 4.4 * cm) -> Drawing:
    """Participants month by month: a line chart (the months to come are left out)."""
    drawing = canvas_of(FRAME_WIDTH, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 0.9 * cm, 0.5 * cm
    chart.width, chart.height = FRAME_WIDTH - 1.0 * cm, height - 0.6 * cm
    chart.data = [values[:months] + [None] * (12 - months)]
    chart.categoryAxis.categoryNames = doc.month_names()
    _axis_style(chart.categoryAxis, doc, values=False)
    chart.categoryAxis.labels.dy = -2
    _value_axis(chart, doc, max(values, default=0))
    chart.lines[0].strokeColor = MID_BLUE
    chart.lines[0].strokeWidth = 1.6
    chart.lines[0].symbol = makeMarker("FilledCircle", size=4.5, fillColor=BLUE,
                                       strokeColor=WHITE, strokeWidth=0.6)
    chart.lineLabelFormat = "values"
    chart.lineLabelArray = [[doc.number(v) if v else "" for v in values[:months]]
                            + [""] * (12 - months)]
    _labels_on(chart.lineLabels, BLUE, dy=4)
    drawing.add(chart)
    return drawing


def _fit(text: str, size: float, width: float) -> str:
    return styles._fit(text, FONT, size, width)


def hbar_chart(doc: AnnualDoc, labels: list[str], series: list[list[int]],
               colours: list[Any], legend: list[str] | None = None) -> Drawing:
    """Horizontal bars, one per label, read from the top; several series are stacked
    (their counts written inside) and named in a legend above the chart."""
    size = 8
    label_width = min(6.0 * cm, max(stringWidth(label, FONT, size) for label in labels) + 8)
    bar_height = 0.52 * cm
    legend_height = 0.6 * cm if legend else 0
    height = bar_height * len(labels) + 0.6 * cm + legend_height
    drawing = canvas_of(FRAME_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 0.5 * cm
    chart.width = FRAME_WIDTH - label_width - 0.3 * cm
    chart.height = bar_height * len(labels)
    # The first category is drawn at the bottom: reversed, the list reads downwards.
    chart.data = [list(reversed(values)) for values in series]
    chart.categoryAxis.categoryNames = [_fit(label, size, label_width - 8)
                                        for label in reversed(labels)]
    _axis_style(chart.categoryAxis, doc, values=False)
    chart.categoryAxis.labels.fontSize = size
    chart.categoryAxis.labels.fillColor = styles.INK
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    stacked = len(series) > 1
    if stacked:
        chart.categoryAxis.style = "stacked"
    _value_axis(chart, doc, max((sum(v) for v in zip(*series, strict=True)), default=0))
    for n, colour in enumerate(colours):
        chart.bars[n].fillColor = colour
    chart.bars.strokeColor = WHITE
    chart.bars.strokeWidth = 0.5
    chart.barWidth = bar_height * 0.62
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[doc.number(v) if v else "" for v in reversed(values)]
                           for values in series]
    if stacked:
        _labels_on(chart.barLabels, WHITE, anchor="c", dy=0, size=7)
        chart.barLabels.boxTarget = "mid"
    else:
        _labels_on(chart.barLabels, BLUE, anchor="w", dy=0)
        chart.barLabels.dx = 3
    drawing.add(chart)
    if legend:
        x = label_width
        y = height - 0.3 * cm
        for name, colour in zip(legend, colours, strict=True):
            drawing.add(Rect(x, y - 1, 7, 7, fillColor=colour, strokeColor=None))
            drawing.add(String(x + 10, y, name, fontName=FONT, fontSize=8,
                               fillColor=styles.INK))
            x += 10 + stringWidth(name, FONT, 8) + 16
    return drawing


def composition(doc: AnnualDoc, rows: list[tuple[str, list[tuple[str, int, Any]]]]
                ) -> Drawing:
    """Who took part: one bar of 100 % per way of counting (gender, age, residence), its
    parts in counts, their legend under it."""
    label_width = 2.6 * cm
    bar_width = FRAME_WIDTH - label_width
    row_height = 1.3 * cm
    drawing = canvas_of(FRAME_WIDTH, row_height * len(rows))
    separator = " : " if doc.lang == "fr" else ": "
    for n, (label, parts) in enumerate(rows):
        top = row_height * (len(rows) - n)
        y_bar = top - 0.55 * cm
        drawing.add(String(0, y_bar + 3.5, label, fontName=FONT_BOLD, fontSize=8.5,
                           fillColor=styles.INK))
        total = sum(value for _name, value, _colour in parts)
        x = label_width
        for _name, value, colour in parts:
            if not value or not total:
                continue
            width = bar_width * value / total
            drawing.add(Rect(x, y_bar, width, 0.45 * cm, fillColor=colour,
                             strokeColor=WHITE, strokeWidth=0.6))
            text = doc.number(value)
            if stringWidth(text, FONT_BOLD, 7) + 4 < width:
                ink = styles.INK if colour in (UNKNOWN, PALE_BLUE, LIGHT_BLUE) else WHITE
                drawing.add(String(x + width / 2, y_bar + 4, text, fontName=FONT_BOLD,
                                   fontSize=7, fillColor=ink, textAnchor="middle"))
            x += width
        lx = label_width
        for name, value, colour in parts:
            entry = f"{name}{separator}{doc.number(value)}"
            drawing.add(Rect(lx, y_bar - 0.42 * cm, 6, 6, fillColor=colour, strokeColor=None))
            drawing.add(String(lx + 9, y_bar - 0.42 * cm + 0.5, entry, fontName=FONT,
                               fontSize=7.5, fillColor=styles.GREY))
            lx += 9 + stringWidth(entry, FONT, 7.5) + 12
    return drawing


def chart_block(title: str, drawing: Flowable, note: str = "") -> KeepTogether:
    parts: list[Flowable] = [p(esc(title), "chart_title"), drawing]
    if note:
        parts.append(p(esc(note), "note"))
    return KeepTogether(parts)


# -- cover -----------------------------------------------------------------------------

def _cover(doc: AnnualDoc) -> list[Flowable]:
    _ = doc.gettext
    story: list[Flowable] = [
        Spacer(0, 1.2 * cm),
        p(esc(_("Citizen councils · Contrat de ville")), "kicker"),
        p(esc(doc.title()), "cover_title"),
    ]
    if doc.all_councils or len(doc.councils) > 1:
        story.append(p(esc(doc.scope_name), "cover_scope"))
        if doc.councils:
            story.append(p(esc(", ".join(c.name for c in doc.councils)), "cover_meta"))
    else:
        story.append(p(esc(doc.councils[0].name), "cover_scope"))
    neighbourhoods: dict[str, dict[str, Any]] = {}
    for council in doc.councils:
        for n in council.neighbourhoods:
            neighbourhoods.setdefault(n["name"], n)
    line = styles.neighbourhood_line(list(neighbourhoods.values()), doc.lang)
    if line:
        story.append(p(esc(line), "cover_meta"))
    story.append(Spacer(0, 0.6 * cm))

    label_width = 4.4 * cm
    rows = [[t(_("Period:"), "label"), t(_("calendar year %(year)s") % {"year": doc.year},
                                        "body_tight")]]
    if not doc.finished:
        rows.append([t(_("Figures as of:"), "label"),
                     t(_("%(date)s (the year is not over)") % {"date": doc.date(doc.today)},
                       "body_tight")])
    rows.append([t(_("Published on:"), "label"), t(doc.date(doc.today), "body_tight")])
    story.append(styles.framed(rows, [label_width, FRAME_WIDTH - label_width]))

    figures = doc.figures
    if doc.empty(figures):
        story += [Spacer(0, 0.8 * cm)]
        return story
    story += [Spacer(0, 0.9 * cm), p(esc(_("The year in figures")), "h2"),
              tiles(headline_tiles(doc, figures)), Spacer(0, 0.4 * cm), *_reading_notes(doc)]
    return story


def headline_tiles(doc: AnnualDoc, figures: dict[str, Any],
                   short: bool = False) -> list[tuple[str, str, str]]:
    """The figures of the tiles: (value, label, detail)."""
    _, ngettext = doc.gettext, doc.ngettext
    meetings, people = figures["meetings"], figures["participants"]
    members, actions = figures["members"], figures["actions"]
    observations, walks, perr = figures["observations"], figures["walks"], figures["perr"]
    entries = [
        # TRANSLATORS: the labels of the tiles follow a big number (« 46 réunions
        # tenues », « 55 % de femmes parmi les participants »): they begin in lower case.
        (doc.number(meetings["held"]), ngettext("meeting held", "meetings held",
                                                meetings["held"]), ""),
        (doc.number(people["total"]), _("participants in meetings"),
         _("%(average)s per meeting") % {"average": doc.number(people["average_per_meeting"])}
         if meetings["held"] else ""),
        (doc.number(people["distinct"]), _("different participants"),
         _("of whom %(count)s newcomers") % {"count": doc.number(people["newcomers"])}),
        (doc.percent(people["women_share"]), _("women among participants"), ""),
        (doc.percent(people["under_25_share"]), _("under 25 among participants"), ""),
        (doc.percent(people["residents_share"]), _("residents among participants"), ""),
        (doc.percent(members["attendance_rate"]), _("member attendance rate"), ""),
        (doc.number(walks["held"]), ngettext("walking diagnostic", "walking diagnostics",
                                             walks["held"]),
         ngettext("%(count)s participant", "%(count)s participants", walks["participants"])
         % {"count": doc.number(walks["participants"])} if walks["held"] else ""),
        (doc.number(observations["total"]), ngettext("observation", "observations",
                                                     observations["total"]),
         _("%(positive)s strong, %(negative)s weak points")
         % {"positive": doc.number(observations["positive"]),
            "negative": doc.number(observations["negative"])}
         if observations["total"] else ""),
        (doc.number(observations["resolved"]), ngettext(
            "observation resolved", "observations resolved", observations["resolved"]),
         ngettext("%(count)s still awaiting an answer", "%(count)s still awaiting an answer",
                  observations["open"]) % {"count": doc.number(observations["open"])}),
        (doc.number(actions["opened"]), ngettext("action decided", "actions decided",
                                                 actions["opened"]),
         ngettext("%(count)s closed in the year", "%(count)s closed in the year",
                  actions["closed"]) % {"count": doc.number(actions["closed"])}),
        (f"{doc.number(perr['objectives_covered'])} / {doc.number(perr['objectives'])}",
         _("PERR objectives worked on"), ""),
    ]
    if short:
        keep = (0, 1, 3, 4, 6, 7, 8, 10)
        return [entries[n] for n in keep]
    return entries


# -- 1. meetings and participation -----------------------------------------------------

def kinds_table(doc: AnnualDoc, by_kind: dict[str, int]) -> Table:
    return bar_table((doc.gettext("Kind of meeting"), doc.gettext("Meetings")), [
        (doc.kind(code), doc.number(by_kind[code]), by_kind[code])
        for code in sorted(doc.order("meeting_kind", by_kind), key=lambda c: -by_kind[c])])


def _meetings_section(doc: AnnualDoc) -> list[Flowable]:
    _, ngettext = doc.gettext, doc.ngettext
    figures = doc.figures
    meetings, people, members = (figures["meetings"], figures["participants"],
                                 figures["members"])
    story = section(_("1. Meetings and participation"))
    held = meetings["held"]
    if not held:
        story.append(p(esc(_("No meeting was held in %(year)s.") % {"year": doc.year}),
                       "lead"))
        return story
    lead = ngettext(
        "In %(year)s, %(count)s meeting was held, bringing together %(participants)s "
        "participants.",
        "In %(year)s, %(count)s meetings were held, bringing together %(participants)s "
        "participants.", held) % {"year": doc.year, "count": doc.number(held),
                                  "participants": doc.number(people["total"])}
    if held > 1:
        lead += " " + _("That is %(average)s per meeting on average.") % {
            "average": doc.number(people["average_per_meeting"])}
    story.append(p(esc(lead), "lead"))

    per_month = [row["n"] for row in meetings["per_month"]]
    months = 12 if doc.finished else doc.today.month
    attendance: Counter = Counter()
    for row in people["per_meeting"]:
        attendance[int(row["date"][5:7])] += row["participants"]
    story.append(chart_block(_("Meetings held, month by month"), monthly_bars(doc, per_month)))
    story.append(chart_block(
        _("Participants in meetings, month by month"),
        monthly_line(doc, [attendance.get(m, 0) for m in range(1, 13)], months),
        "" if doc.finished else _("The year is not over: the months to come are not shown.")))
    story.append(block(_("Meetings by kind"), kinds_table(doc, meetings["by_kind"])))

    gender, bands = people["gender"], people["age_bands"]
    ages = [(_(AGE_BAND_LABELS[band]), bands.get(band.value, 0), colour) for band, colour in
            zip(AGE_BAND_LABELS, (PALE_BLUE, LIGHT_BLUE, MID_BLUE, BLUE, UNKNOWN),
                strict=True)]
    story.append(block(
        _("Who took part"),
        p(esc(_("Participants in meetings by gender, age and place of residence")),
          "chart_title"),
        Spacer(0, 0.1 * cm),
        composition(doc, [
            (_("Gender"), [(_(GENDER_SHORT[g]), gender.get(g.value, 0), colour) for g, colour
                           in ((Gender.FEMME, BLUE), (Gender.HOMME, LIGHT_BLUE),
                               (Gender.NON_PRECISE, UNKNOWN))]),
            (_("Age"), ages),
            (_("Residence"), [(_("Residents"), people["residents"], BLUE),
                              (_("Partners"), people["partners"], LIGHT_BLUE),
                              (_("Not known"), people["residence_unknown"], UNKNOWN)]),
        ])))
    notes = [_("Shares are worked out on the participants whose gender, age or place of "
               "residence is known. A person who came to nine meetings counts nine times "
               "among the participants and once among the different participants.")]
    not_recorded = members["not_recorded"]
    if not_recorded:
        notes.append(ngettext(
            "The attendance of %(count)s invited member was not recorded: it is left out of "
            "the attendance rate.",
            "The attendance of %(count)s invited members was not recorded: they are left out "
            "of the attendance rate.", not_recorded) % {"count": doc.number(not_recorded)})
    story.append(block(_("Participation in figures"), figure_table([
        (_("Meetings held"), doc.number(held)),
        (_("Participants (named people present and people counted)"),
         doc.number(people["total"])),
        (_("Average per meeting"), doc.number(people["average_per_meeting"])),
        (_("Different participants"), doc.number(people["distinct"])),
        (_("People counted without a name (public events)"), doc.number(people["counted"])),
        (_("People who came without being members"), doc.number(people["walk_ins"])),
        (_("Share of women"), doc.percent(people["women_share"])),
        (_("Share of under-25s"), doc.percent(people["under_25_share"])),
        (_("Share of residents"), doc.percent(people["residents_share"])),
        (_("Newcomers"), doc.number(people["newcomers"])),
        (_("Returning participants"), doc.number(people["returning"])),
        (_("Member attendance rate"), doc.percent(members["attendance_rate"])),
    ]), *(p(esc(note), "note") for note in notes)))
    return story


# -- 2. walking diagnostics ------------------------------------------------------------

def _held_walks(doc: AnnualDoc) -> list[dict[str, Any]]:
    """The walks the figures count (the very selection of the indicators, through their
    scope), each with its strong and weak points."""
    scope = indicators.Scope(doc.db, doc.filters, doc.today)
    return doc.db.query(
        f"""SELECT w.id, w.walk_date, w.title, w.period, w.council_id,
                   (SELECT count(*) FROM observations o WHERE o.walk_id = w.id
                      AND o.deleted_at IS NULL AND o.positive = 1) AS positive,
                   (SELECT count(*) FROM observations o WHERE o.walk_id = w.id
                      AND o.deleted_at IS NULL AND o.positive = 0) AS negative
            FROM walks w WHERE {scope.walk_sql()} ORDER BY w.walk_date, w.title""",
        scope.params)


def _walks_section(doc: AnnualDoc) -> list[Flowable]:
    _, ngettext = doc.gettext, doc.ngettext
    walks, observations = doc.figures["walks"], doc.figures["observations"]
    story = section(_("2. Walking diagnostics and what came of them"))
    if not walks["held"]:
        story.append(p(esc(_("No walking diagnostic was held in %(year)s.")
                           % {"year": doc.year}), "lead"))
        return story
    story.append(p(esc(ngettext(
        "In %(year)s, %(count)s walking diagnostic brought together %(participants)s "
        "participants, who noted %(observations)s observations: %(positive)s strong points "
        "and %(negative)s weak points.",
        "In %(year)s, %(count)s walking diagnostics brought together %(participants)s "
        "participants, who noted %(observations)s observations: %(positive)s strong points "
        "and %(negative)s weak points.", walks["held"]) % {
        "year": doc.year, "count": doc.number(walks["held"]),
        "participants": doc.number(walks["participants"]),
        "observations": doc.number(observations["total"]),
        "positive": doc.number(observations["positive"]),
        "negative": doc.number(observations["negative"])}), "lead"))

    several = len(doc.councils) > 1
    head = [_("Date"), _("Walk")] + ([_("Council")] if several else []) + [
        _("Time of day"), _("Strong points"), _("Weak points")]
    data: list[list[Any]] = [[t(h, "head") for h in head[:-2]]
                             + [t(h, "head_num") for h in head[-2:]]]
    for walk in _held_walks(doc):
        row = [t(doc.date(walk["walk_date"], "d MMM"), "cell"), t(walk["title"], "cell")]
        if several:
            row.append(t(doc.council_names.get(walk["council_id"], ""), "cell"))
        row += [t(_("by night") if walk["period"] == "nuit" else _("by day"), "cell"),
                t(doc.number(walk["positive"]), "cell_right"),
                t(doc.number(walk["negative"]), "cell_right")]
        data.append(row)
    fixed = [1.8 * cm] + ([3.6 * cm] if several else []) + [
        2.0 * cm, num_width(head[-2]), num_width(head[-1])]
    widths = [1.8 * cm, FRAME_WIDTH - sum(fixed), *fixed[1:]]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(styles.table_style())
    story += heading_over_table(_("The walks of the year"))
    story.append(table)

    by_theme = observations["by_theme"]
    if by_theme:
        codes = sorted(doc.order("observation_theme", by_theme),
                       key=lambda c: -(by_theme[c]["positive"] + by_theme[c]["negative"]))
        story.append(block(_("Observations by theme"), hbar_chart(
            doc, [doc.theme(code) for code in codes],
            [[by_theme[c]["positive"] for c in codes], [by_theme[c]["negative"] for c in codes]],
            [POSITIVE, NEGATIVE], [_("Strong points (+)"), _("Weak points (−)")])))

    followups = observations["followups"]
    if not followups:
        story.append(block(_("Follow-up with the bodies concerned"), p(esc(_(
            "No observation of the year has been passed to a body.")), "body")))
        return story
    groups = observations["by_group"]
    story.append(block(
        _("Follow-up with the bodies concerned"),
        p(esc(ngettext(
            "The observations of the year were passed to the bodies concerned in %(count)s "
            "follow-up (one per observation and body). Where they stand today:",
            "The observations of the year were passed to the bodies concerned in %(count)s "
            "follow-ups (one per observation and body). Where they stand today:", followups)
            % {"count": doc.number(followups)}), "body"),
        figure_table([
            (_("Observations resolved"), doc.number(observations["resolved"])),
            (_("Observations awaiting an answer"), doc.number(observations["open"])),
            (_("Follow-ups in progress"), doc.number(groups.get(walk_rules.OPEN, 0))),
            (_("Follow-ups resolved"), doc.number(groups.get(walk_rules.FIXED, 0))),
            (_("Follow-ups closed (redirected, refused, duplicate)"),
             doc.number(groups.get(walk_rules.CLOSED, 0))),
            (_("Follow-ups to chase up"), doc.number(observations["to_remind"])),
        ]),
        p(esc(_("An observation is resolved when at least one body has resolved it and none "
                "is still working on it.")), "note")))
    by_status = observations["by_status"]
    story.append(KeepTogether([
        p(esc(_("Follow-ups by status")), "chart_title"),
        bar_table((_("Status of the follow-up"), _("Follow-ups")), [
            (doc.statuses.get(code, code), doc.number(by_status[code]), by_status[code])
            for code in doc.order("followup_status", by_status)], colour=MID_BLUE)]))

    delays = observations["median_days_to_resolution_by_body"]
    if not delays:
        story.append(block(_("Time taken to resolve, by body"), p(esc(
            _("No follow-up was resolved in %(year)s.") % {"year": doc.year}), "body")))
        return story
    bodies = doc.order("body", delays)
    resolutions = observations["resolutions_by_body"]
    story.append(block(
        _("Time taken to resolve, by body"),
        bar_table((_("Body"), _("Median delay")),
                  [(doc.bodies.get(code, code), doc.days(delays[code]), delays[code] or 0)
                   for code in bodies], colour=MID_BLUE,
                  extra=(_("Resolved"), [doc.number(resolutions.get(code, 0))
                                         for code in bodies])),
        p(esc(_("From the day the observation was sent to the body to the day it was "
                "resolved, for the follow-ups resolved during the year, whatever the date of "
                "the walk: half were resolved faster, half more slowly.")), "note")))
    return story


# -- 3. actions ------------------------------------------------------------------------

def _actions_section(doc: AnnualDoc) -> list[Flowable]:
    _ = doc.gettext
    actions = doc.figures["actions"]
    title = p(esc(_("3. Actions decided in meetings")), "section")
    if not (actions["opened"] or actions["closed"] or actions["open_at_end"]):
        return [CondPageBreak(5 * cm), Spacer(0, 0.5 * cm), KeepTogether([title, p(esc(
            _("No action was decided or followed in %(year)s.") % {"year": doc.year}),
            "lead")])]
    end_day = doc.date(actions["end_day"])
    # The part is short: it follows the walks on their last page if it fits there
    # whole, else it starts the next page (never a table left alone on a page).
    content: list[Flowable] = [
        title,
        p(esc(_actions_sentence(doc, actions)), "lead"),
        figure_table([
            (_("Actions decided during the year"), doc.number(actions["opened"])),
            (_("Actions closed during the year"), doc.number(actions["closed"])),
            (_("Actions still open on %(date)s") % {"date": end_day},
             doc.number(actions["open_at_end"])),
            (_("Median age of the actions still open"),
             doc.days(actions["median_age_days_open_at_end"])),
        ])]
    if actions["opened"]:
        by_status = actions["by_status"]
        content += [
            p(esc(_("Where the actions decided in %(year)s stand today")
                  % {"year": doc.year}), "chart_title"),
            bar_table((_("Status"), _("Actions")), [
                (doc.action_status(s.value).capitalize(),
                 doc.number(by_status.get(s.value, 0)), by_status.get(s.value, 0))
                for s in ActionStatus], colour=MID_BLUE)]
    return [Spacer(0, 0.5 * cm), KeepTogether(content)]


def _actions_sentence(doc: AnnualDoc, actions: dict[str, Any]) -> str:
    """Three short sentences, each agreeing with its own number."""
    _, ngettext = doc.gettext, doc.ngettext
    opened, closed, still = actions["opened"], actions["closed"], actions["open_at_end"]
    date = doc.date(actions["end_day"])
    parts = [
        ngettext("%(count)s action was decided in the meetings of %(year)s.",
                 "%(count)s actions were decided in the meetings of %(year)s.", opened)
        % {"count": doc.number(opened), "year": doc.year} if opened else
        _("No action was decided in the meetings of %(year)s.") % {"year": doc.year},
        ngettext("%(count)s action was closed during the year (decided that year or "
                 "earlier).",
                 "%(count)s actions were closed during the year (decided that year or "
                 "earlier).", closed) % {"count": doc.number(closed)} if closed else
        _("No action was closed during the year."),
        ngettext("On %(date)s, %(count)s action was still open.",
                 "On %(date)s, %(count)s actions were still open.", still)
        % {"count": doc.number(still), "date": date} if still else
        _("On %(date)s, no action was still open.") % {"date": date},
    ]
    return " ".join(parts)


# -- 4. PERR objectives ----------------------------------------------------------------

def _themes(tree: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each pillar and theme of the tree, with the objectives below it (any depth)."""
    by_code = {node["code"]: node for node in tree}

    def theme_of(node: dict[str, Any] | None) -> str | None:
        while node is not None and node["level"] not in ("theme", "pillar"):
            node = by_code.get(node["parent_code"])
        return node["code"] if node is not None else None

    objectives: dict[str | None, list[dict[str, Any]]] = {}
    for node in tree:
        if node["level"] in indicators.OBJECTIVE_LEVELS:
            objectives.setdefault(theme_of(node), []).append(node)
    return [{**node, "objectives": objectives.get(node["code"], [])} for node in tree
            if node["level"] in ("pillar", "theme")]


def _perr_section(doc: AnnualDoc) -> list[Flowable]:
    _, ngettext = doc.gettext, doc.ngettext
    perr = doc.figures["perr"]
    story = section(_("4. The PERR objectives worked on"))
    lead = ngettext(
        "%(covered)s of the %(total)s objective of the Protocole d'engagements renforcés et "
        "réciproques (PERR) was worked on in %(year)s: a meeting, an agenda item or a walk "
        "observation is attached to it.",
        "%(covered)s of the %(total)s objectives and sub-objectives of the Protocole "
        "d'engagements renforcés et réciproques (PERR) were worked on in %(year)s: a "
        "meeting, an agenda item or a walk observation is attached to them.",
        perr["objectives"]) % {"covered": doc.number(perr["objectives_covered"]),
                               "total": doc.number(perr["objectives"]), "year": doc.year}
    missing = perr["objectives"] - perr["objectives_covered"]
    if missing:
        lead += " " + ngettext(
            "The %(count)s objective not worked on this year is listed in the annex.",
            "The %(count)s objectives not worked on this year are listed in the annex.",
            missing) % {"count": doc.number(missing)}
    story.append(p(esc(lead), "lead"))

    data: list[list[Any]] = [[
        t(_("Theme of the PERR"), "head"), t(_("Objectives worked on"), "head_num"), "",
        t(_("Meetings"), "head_num"), t(_("Agenda items"), "head_num"),
        t(_("Observations"), "head_num")]]
    pillar_rows = []
    for node in _themes(doc.tree):
        label = f"{node['code']} – {doc.objective_label(node)}"
        if node["level"] == "pillar":
            pillar_rows.append(len(data))
            data.append([t(label, "cell_bold"), "", "", "", "", ""])
            continue
        objectives = node["objectives"]
        covered = sum(1 for o in objectives if not o["nothing_done"])
        data.append([
            t(label, "cell_small"),
            t(f"{doc.number(covered)} / {doc.number(len(objectives))}", "cell_small_right"),
            bar_cell(covered, len(objectives), 1.3 * cm, MID_BLUE, track=True),
            t(doc.number(node["total_meetings"]), "cell_small_right"),
            t(doc.number(node["total_agenda_items"]), "cell_small_right"),
            t(doc.number(node["total_observations"]), "cell_small_right"),
        ])
    widths = [None, 1.5 * cm, 1.7 * cm, num_width(_("Meetings")),
              num_width(_("Agenda items")), num_width(_("Observations"))]
    widths[0] = FRAME_WIDTH - sum(w for w in widths if w)
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                             ("SPAN", (1, 0), (2, 0)),
                             ("LEFTPADDING", (2, 1), (2, -1), 6)]
    for row in pillar_rows:
        commands += [("SPAN", (0, row), (-1, row)),
                     ("BACKGROUND", (0, row), (-1, row), PILLAR_SHADE)]
    table.setStyle(styles.table_style(*commands))
    story.append(table)
    story.append(p(esc(_(
        "A meeting is counted once per theme, even when several of its agenda items concern "
        "it.")), "note"))

    covered = [n for n in doc.tree if n["level"] in indicators.OBJECTIVE_LEVELS
               and not n["nothing_done"]]
    if covered:
        data = [[t(_("Objective"), "head"), t(_("Meetings"), "head_num"),
                 t(_("Agenda items"), "head_num"), t(_("Observations"), "head_num")]]
        for node in covered:
            data.append([
                t(node["code"], "cell_small_bold"), t(doc.objective_label(node), "cell_small"),
                t(doc.number(node["total_meetings"]), "cell_small_right"),
                t(doc.number(node["total_agenda_items"]), "cell_small_right"),
                t(doc.number(node["total_observations"]), "cell_small_right")])
        data[0].insert(1, "")
        widths = [1.5 * cm, None, num_width(_("Meetings")), num_width(_("Agenda items")),
                  num_width(_("Observations"))]
        widths[1] = FRAME_WIDTH - sum(w for w in widths if w)
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(styles.table_style(("SPAN", (0, 0), (1, 0))))
        story += heading_over_table(_("The objectives worked on"))
        story.append(table)
    return story


# -- 5. council by council -------------------------------------------------------------

def _councils_section(doc: AnnualDoc) -> list[Flowable]:
    _ = doc.gettext
    story = section(_("5. Council by council"))
    head = [_("Council"), _("Meetings"), _("Participants"), _("Women"),
            _("Member attendance"), _("Walks"), _("Observations"), _("Actions decided")]
    data: list[list[Any]] = [[t(head[0], "head")] + [t(h, "head_num") for h in head[1:]]]
    for council in doc.councils:
        f = council.figures
        data.append([
            t(council.name, "cell"),
            t(doc.number(f["meetings"]["held"]), "cell_right"),
            t(doc.number(f["participants"]["total"]), "cell_right"),
            t(doc.percent(f["participants"]["women_share"]), "cell_right"),
            t(doc.percent(f["members"]["attendance_rate"]), "cell_right"),
            t(doc.number(f["walks"]["held"]), "cell_right"),
            t(doc.number(f["observations"]["total"]), "cell_right"),
            t(doc.number(f["actions"]["opened"]), "cell_right"),
        ])
    widths = [None, *(num_width(h, least=1.2 * cm, lines=3) for h in head[1:])]
    widths[0] = FRAME_WIDTH - sum(w for w in widths if w)
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(styles.table_style(("VALIGN", (0, 0), (-1, 0), "BOTTOM")))
    story.append(table)
    story.append(p(esc(_(
        "A meeting shared by several councils (an inter-council exchange, a joint training) "
        "counts for each of them: the figures of the councils do not add up to those of the "
        "whole report.")), "note"))
    names = [council.name for council in doc.councils]
    story.append(block(_("Participants in meetings, by council"), hbar_chart(
        doc, names, [[c.figures["participants"]["total"] for c in doc.councils]], [BLUE])))
    if any(c.figures["observations"]["total"] for c in doc.councils):
        story.append(block(_("Walk observations, by council"), hbar_chart(
            doc, names,
            [[c.figures["observations"]["positive"] for c in doc.councils],
             [c.figures["observations"]["negative"] for c in doc.councils]],
            [POSITIVE, NEGATIVE], [_("Strong points (+)"), _("Weak points (−)")])))
    for council in doc.councils:
        story += _council_page(doc, council)
    return story


def _council_page(doc: AnnualDoc, council: Council) -> list[Flowable]:
    _ = doc.gettext
    f = council.figures
    story: list[Flowable] = [PageBreak(), p(esc(council.name), "section")]
    line = styles.neighbourhood_line(council.neighbourhoods, doc.lang)
    if line:
        story += [p(esc(line), "cover_meta"), Spacer(0, 0.3 * cm)]
    if doc.empty(f):
        story.append(p(esc(doc.nothing_sentence(council.name)), "lead"))
        return story
    story.append(tiles(headline_tiles(doc, f, short=True)))
    meetings = f["meetings"]
    if meetings["held"]:
        story.append(block(_("Meetings by kind"), kinds_table(doc, meetings["by_kind"])))
    observations, actions = f["observations"], f["actions"]
    rows = []
    if f["walks"]["held"]:
        rows += [
            (_("Walking diagnostics"), doc.number(f["walks"]["held"])),
            (_("Observations: strong points / weak points"),
             f"{doc.number(observations['positive'])} / {doc.number(observations['negative'])}"),
            (_("Observations resolved"), doc.number(observations["resolved"])),
            (_("Observations awaiting an answer"), doc.number(observations["open"])),
        ]
    rows += [
        (_("Actions decided during the year"), doc.number(actions["opened"])),
        (_("Actions closed during the year"), doc.number(actions["closed"])),
        (_("Actions still open on %(date)s") % {"date": doc.date(actions["end_day"])},
         doc.number(actions["open_at_end"])),
        (_("Median age of the actions still open"),
         doc.days(actions["median_age_days_open_at_end"])),
        (_("Objectives of the PERR worked on"),
         _("%(covered)s of %(total)s") % {"covered": doc.number(f["perr"]["objectives_covered"]),
                                          "total": doc.number(f["perr"]["objectives"])}),
    ]
    story.append(block(_("Walks, actions and PERR"), figure_table(rows)))
    return story


# -- reading notes and annexes ---------------------------------------------------------

def _reading_notes(doc: AnnualDoc) -> list[Flowable]:
    _ = doc.gettext
    notes = [
        _("Only what has taken place is counted: cancelled meetings and what is dated after "
          "the day of publication are left out."),
        _("A meeting counts for the council that held it and for each council invited to "
          "it."),
        _("Participants are the named people present (members and others) and the people "
          "counted without a name at public events; a represented or excused member is not a "
          "participant. Walking diagnostics have their own figures."),
        _("A share is worked out on the people whose gender, age or residence is known; a "
          "dash (—) means that it cannot be worked out, which is not 0%."),
        _("Every figure follows the definitions of the dashboard of PERR Desktop, the same "
          "for every council and every year."),
    ]
    return [KeepTogether([
        p(esc(_("How to read these figures")), "h2"),
        *(Paragraph(esc(note), _style("bullet_note"), bulletText="•") for note in notes)])]


def _meetings_annex(doc: AnnualDoc) -> list[Flowable]:
    _ = doc.gettext
    rows = doc.figures["participants"]["per_meeting"]
    if not rows:
        return []
    story = section(_("Annex 1 – The meetings held in %(year)s") % {"year": doc.year})
    several = len(doc.councils) > 1
    head = [_("Date"), _("Kind"), _("Meeting")] + ([_("Council")] if several else []) + [
        _("Participants")]
    data: list[list[Any]] = [[t(h, "head") for h in head[:-1]] + [t(head[-1], "head_num")]]
    for row in rows:
        line = [t(doc.date(row["date"], "d MMM"), "cell_small"),
                t(doc.kind(row["kind"]), "cell_small"), t(row["title"], "cell_small")]
        if several:
            line.append(t(doc.council_names.get(row["council_id"], ""), "cell_small"))
        line.append(t(doc.number(row["participants"]), "cell_small_right"))
        data.append(line)
    fixed = [1.6 * cm, 3.6 * cm] + ([3.4 * cm] if several else []) + [num_width(head[-1])]
    widths = [*fixed[:2], FRAME_WIDTH - sum(fixed), *fixed[2:]]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(styles.table_style(("TOPPADDING", (0, 1), (-1, -1), 2),
                                      ("BOTTOMPADDING", (0, 1), (-1, -1), 3)))
    story.append(table)
    return story


def _objectives_annex(doc: AnnualDoc) -> list[Flowable]:
    _ = doc.gettext
    themes = [node for node in _themes(doc.tree) if node["level"] == "theme"
              and any(o["nothing_done"] for o in node["objectives"])]
    if not themes:
        return []
    number = "2" if doc.figures["participants"]["per_meeting"] else "1"
    story = section(_("Annex %(number)s – The PERR objectives not worked on in %(year)s")
                    % {"number": number, "year": doc.year})
    for theme in themes:
        rows = [[t(node["code"], "cell_small_bold"), t(doc.objective_label(node), "cell_small")]
                for node in theme["objectives"] if node["nothing_done"]]
        table = Table(rows, colWidths=[1.5 * cm, FRAME_WIDTH - 1.5 * cm], hAlign="LEFT")
        table.setStyle(styles.layout_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)))
        story += [CondPageBreak(3 * cm),
                  p(esc(f"{theme['code']} – {doc.objective_label(theme)}"), "h2"), table]
    return story


# -- pages -----------------------------------------------------------------------------

def _draw_cover(canvas, doc: BaseDocTemplate) -> None:
    """A blue band across the top of the cover, and a thin one at its foot."""
    width, height = styles.PAGE_SIZE
    canvas.saveState()
    canvas.setFillColor(BLUE)
    canvas.rect(0, height - 1.3 * cm, width, 1.3 * cm, stroke=0, fill=1)
    canvas.setFillColor(LIGHT_BLUE)
    canvas.rect(0, height - 1.45 * cm, width, 0.15 * cm, stroke=0, fill=1)
    canvas.setFillColor(BLUE)
    canvas.rect(0, 0, width, 0.5 * cm, stroke=0, fill=1)
    canvas.restoreState()


class _Canvas(styles._NumberedCanvas):
    """« Page n sur N » on every page but the cover."""

    def _draw_footer(self, number: int, total: int) -> None:
        if number > 1:
            super()._draw_footer(number, total)


def render(story: list[Flowable], setup: styles.PageSetup) -> bytes:
    """The story on A4: a cover without header, then the pages of every document."""
    styles.register_fonts()
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer, pagesize=styles.PAGE_SIZE,
        leftMargin=styles.MARGIN_LEFT, rightMargin=styles.MARGIN_RIGHT,
        topMargin=styles.MARGIN_TOP, bottomMargin=styles.MARGIN_BOTTOM,
        title=setup.title, author=setup.council, subject=setup.subject,
        creator=f"PERR Desktop {__version__}", lang={"fr": "fr-FR", "en": "en-GB"}[setup.lang],
        displayDocTitle=1, initialFontName=FONT, initialFontSize=10.5,
    )
    template.page_setup = setup
    frame = functools.partial(Frame, styles.MARGIN_LEFT, styles.MARGIN_BOTTOM, FRAME_WIDTH,
                              styles.FRAME_HEIGHT, leftPadding=0, rightPadding=0,
                              topPadding=0, bottomPadding=0)
    template.addPageTemplates([
        PageTemplate(id="cover", frames=[frame(id="cover")], onPage=_draw_cover,
                     pagesize=styles.PAGE_SIZE),
        PageTemplate(id="page", frames=[frame(id="body")], onPage=styles._draw_page,
                     pagesize=styles.PAGE_SIZE),
    ])
    story = list(story)
    # The cover is the first template; every page after it is an ordinary page.
    story.insert(0, NextPageTemplate("page"))
    template.build(story, canvasmaker=functools.partial(_Canvas, page_setup=setup))
    return buffer.getvalue()

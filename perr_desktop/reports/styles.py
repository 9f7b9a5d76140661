"""One place for how every printed document looks and how it reaches the disk.

A4, sober like a French public-sector document: Liberation Sans embedded (it prints the
same on any computer), dark blue headings, thin rules, no ornament. Every page carries a
header line (council, document title) and a footer « Page 1 sur 3 »; the total is known
only at the end, so the canvas keeps its pages and draws the footers when it saves.

:func:`write_pdf` writes beside the target and renames, so a failure never leaves a
half-written PDF where the user expects a document.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from perr_desktop import __version__, paths
from perr_desktop.domain.meetings import TIMEZONE
from perr_desktop.errors import UserError, user_errors
from perr_desktop.i18n import _, format_date, format_datetime, translator
from perr_desktop.storage.files import write_atomically

# -- page ------------------------------------------------------------------------------

PAGE_SIZE = A4
MARGIN_LEFT = 2.2 * cm
MARGIN_RIGHT = 2.0 * cm
MARGIN_TOP = 2.6 * cm     # room for the running header
MARGIN_BOTTOM = 2.0 * cm  # room for the page numbers
FRAME_WIDTH = PAGE_SIZE[0] - MARGIN_LEFT - MARGIN_RIGHT
FRAME_HEIGHT = PAGE_SIZE[1] - MARGIN_TOP - MARGIN_BOTTOM

# -- colours ---------------------------------------------------------------------------

BLUE = colors.HexColor("#1f3a5f")        # headings, rules
INK = colors.HexColor("#1a1a1a")         # body text
GREY = colors.HexColor("#5b6573")        # secondary text, header and footer
RULE = colors.HexColor("#aeb8c5")        # table lines
SHADE = colors.HexColor("#e9eef4")       # table headers, framed boxes
DRAFT = colors.HexColor("#8c1c13")       # « Projet »: the one warm colour
WATERMARK = colors.HexColor("#f1e4e2")

# -- fonts -----------------------------------------------------------------------------

FONT = "LiberationSans"
FONT_BOLD = "LiberationSans-Bold"
FONT_ITALIC = "LiberationSans-Italic"
FONT_BOLD_ITALIC = "LiberationSans-BoldItalic"
_FONT_FILES = {
    FONT: "LiberationSans-Regular.ttf",
    FONT_BOLD: "LiberationSans-Bold.ttf",
    FONT_ITALIC: "LiberationSans-Italic.ttf",
    FONT_BOLD_ITALIC: "LiberationSans-BoldItalic.ttf",
}


@functools.cache
def register_fonts() -> str:
    """Register Liberation Sans (once) as a family, so <b> and <i> find their faces."""
    folder = paths.resources_dir() / "fonts"
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD_ITALIC)
    return FONT


# -- paragraph styles ------------------------------------------------------------------

@functools.cache
def stylesheet() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14.5,
                          textColor=INK, spaceAfter=5, alignment=TA_LEFT,
                          bulletFontName=FONT)
    sheet = {
        "body": body,
        "body_tight": ParagraphStyle("body_tight", parent=body, spaceAfter=1),
        "meta": ParagraphStyle("meta", parent=body, fontSize=9.5, leading=12.5,
                               textColor=GREY, spaceAfter=2),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11,
                                textColor=GREY, spaceAfter=0),
        "council": ParagraphStyle("council", parent=body, fontName=FONT_BOLD, fontSize=13,
                                  leading=16, textColor=BLUE, spaceAfter=1),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=20,
                                leading=24, textColor=BLUE, spaceBefore=10, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontName=FONT_BOLD, fontSize=12.5,
                                   leading=16, textColor=INK, spaceAfter=3),
        "h1": ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=13.5, leading=17,
                             textColor=BLUE, spaceBefore=14, spaceAfter=6, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14,
                             textColor=BLUE, spaceBefore=8, spaceAfter=3, keepWithNext=1),
        "label": ParagraphStyle("label", parent=body, fontName=FONT_BOLD, spaceAfter=1,
                                keepWithNext=1),
        "item": ParagraphStyle("item", parent=body, leftIndent=14, bulletIndent=2,
                               spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD,
                                    fontSize=9.5, leading=12, textColor=BLUE, spaceAfter=0),
        "decision": ParagraphStyle("decision", parent=body, leftIndent=12, spaceBefore=2,
                                   spaceAfter=3),
        "decision_vote": ParagraphStyle("decision_vote", parent=body, leftIndent=12,
                                        fontSize=9.5, leading=12.5, textColor=GREY,
                                        spaceAfter=5),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "draft": ParagraphStyle("draft", parent=body, fontName=FONT_BOLD, fontSize=11,
                                leading=14, textColor=DRAFT, spaceAfter=0),
    }
    return sheet


def style(name: str) -> ParagraphStyle:
    return stylesheet()[name]


def layout_style(*commands: tuple) -> TableStyle:
    """For tables used only to lay things out: our font even in empty cells (reportlab
    would otherwise pull in Helvetica, which is not embedded)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10.5), *commands])


def table_style(*extra: tuple, header: bool = True) -> TableStyle:
    """The grid every table uses: thin grey lines, a shaded header row in blue text."""
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, 9.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, BLUE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, BLUE),
        ]
    return TableStyle(commands + list(extra))


# -- text ------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def esc(text: Any) -> str:
    """Text typed by a user, safe for reportlab's mini-HTML; line breaks kept."""
    clean = _CONTROL.sub(" ", str(text or "")).replace("\r\n", "\n").replace("\r", "\n")
    return escape(clean).replace("\n", "<br/>")


def para(text: Any, name: str = "body", bold: bool = False) -> Paragraph:
    """One paragraph of user text (escaped), in the style ``name``."""
    inner = esc(text)
    return Paragraph(f"<b>{inner}</b>" if bold else inner, style(name))


def text_blocks(text: str) -> list[str]:
    """User text cut into paragraphs on blank lines, each escaped for reportlab."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [esc(block.strip("\n")) for block in _BLANK_LINE.split(text) if block.strip()]


def paragraphs(text: str, name: str = "body") -> list[Paragraph]:
    """A long note as paragraphs (split on blank lines) that platypus can flow across
    pages; single line breaks are kept inside a paragraph."""
    return [Paragraph(block, style(name)) for block in text_blocks(text)]


def labelled(label: str, value: str, name: str = "body_tight") -> Paragraph:
    """« Lieu : Maison de quartier » with the label in bold (the label is ours, the value
    the user's, hence escaped)."""
    return Paragraph(f"<b>{esc(label)}</b> {esc(value)}", style(name))


# -- dates ---------------------------------------------------------------------------

# Written in full, as a letter would: « jeudi 26 novembre 2026 à 18 h 30 ».
_DATETIME_PATTERNS = {"fr": "EEEE d MMMM y 'à' H 'h' mm", "en": "EEEE, d MMMM y 'at' h:mm a"}
_TIME_PATTERNS = {"fr": "H 'h' mm", "en": "h:mm a"}


def _moment(value: str | dt.datetime) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def full_datetime(value: str | dt.datetime, lang: str) -> str:
    return format_datetime(_moment(value), _DATETIME_PATTERNS[lang], lang=lang)


def time_of_day(value: str | dt.datetime, lang: str) -> str:
    return format_datetime(_moment(value), _TIME_PATTERNS[lang], lang=lang)


def full_date(value: str | dt.date, lang: str) -> str:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return format_date(day, "full", lang=lang)


def short_date(value: str | dt.date, lang: str) -> str:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return format_date(day, "short", lang=lang)


def local_day(utc_timestamp: str) -> dt.date:
    """The Paris calendar day of a stored UTC timestamp (``2026-12-17T19:02:00Z``)."""
    moment = dt.datetime.fromisoformat(utc_timestamp.replace("Z", "+00:00"))
    return moment.astimezone(TIMEZONE).date()


def meeting_when(meeting: dict[str, Any], lang: str) -> tuple[str, str]:
    """The start written in full, and the end (« 20 h 30 ») or an empty string; an end
    on another day is written in full too."""
    start = full_datetime(meeting["starts_at"], lang)
    end = ""
    if meeting.get("ends_at"):
        same_day = meeting["ends_at"][:10] == meeting["starts_at"][:10]
        end = (time_of_day(meeting["ends_at"], lang) if same_day
               else full_datetime(meeting["ends_at"], lang))
    return start, end


# -- page template ---------------------------------------------------------------------

_LANG_TAGS = {"fr": "fr-FR", "en": "en-GB"}


@dataclass
class PageSetup:
    """What the running header, the footer and the PDF's properties say."""

    lang: str
    title: str                 # PDF title; right of the header line
    council: str = ""          # left of the header line; PDF author
    subject: str = ""
    watermark: str = ""        # e.g. « PROJET » across every page of draft minutes
    running_header: bool = True
    page_numbers: bool = True


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _draw_page(canvas: pdf_canvas.Canvas, doc: BaseDocTemplate) -> None:
    setup: PageSetup = doc.page_setup
    width, height = PAGE_SIZE
    canvas.saveState()
    if setup.watermark:
        canvas.setFillColor(WATERMARK)
        canvas.setFont(FONT_BOLD, 110)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(52)
        canvas.drawCentredString(0, -38, setup.watermark)
        canvas.rotate(-52)
        canvas.translate(-width / 2, -height / 2)
    if setup.running_header:
        y = height - MARGIN_TOP + 0.75 * cm
        half = FRAME_WIDTH / 2 - 0.3 * cm
        canvas.setFont(FONT_BOLD, 8.5)
        canvas.setFillColor(BLUE)
        canvas.drawString(MARGIN_LEFT, y, _fit(setup.council, FONT_BOLD, 8.5, half))
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(GREY)
        canvas.drawRightString(width - MARGIN_RIGHT, y, _fit(setup.title, FONT, 8.5, half))
        canvas.setStrokeColor(BLUE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_LEFT, y - 5, width - MARGIN_RIGHT, y - 5)
    canvas.restoreState()


class _NumberedCanvas(pdf_canvas.Canvas):
    """Keeps every page until the end, then writes « Page n sur N » on each."""

    def __init__(self, *args: Any, page_setup: PageSetup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._page_setup = page_setup
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            if self._page_setup.page_numbers:
                self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        _ = translator(self._page_setup.lang).gettext
        text = _("Page %(page)s of %(pages)s") % {"page": number, "pages": total}
        self.saveState()
        self.setFont(FONT, 8.5)
        self.setFillColor(GREY)
        y = MARGIN_BOTTOM - 1.0 * cm
        self.setStrokeColor(RULE)
        self.setLineWidth(0.4)
        self.line(MARGIN_LEFT, y + 11, PAGE_SIZE[0] - MARGIN_RIGHT, y + 11)
        self.drawRightString(PAGE_SIZE[0] - MARGIN_RIGHT, y, text)
        self.restoreState()


def build_pdf(story: Sequence[Flowable], setup: PageSetup) -> bytes:
    """The PDF of ``story`` on A4 pages with the running header and page numbers."""
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=PAGE_SIZE,
        leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
        title=setup.title, author=setup.council, subject=setup.subject,
        creator=f"PERR Desktop {__version__}", lang=_LANG_TAGS[setup.lang],
        displayDocTitle=1, initialFontName=FONT, initialFontSize=10.5,
    )
    doc.page_setup = setup
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_draw_page,
                                       pagesize=PAGE_SIZE)])
    doc.build(list(story), canvasmaker=functools.partial(_NumberedCanvas, page_setup=setup))
    return buffer.getvalue()


class SpaceLeft(Flowable):
    """Zero-height marker: remembers how much room was left in the frame where it was
    drawn (the sign-in sheet uses it to fill its last page with blank lines)."""

    def __init__(self) -> None:
        super().__init__()
        self.available: float | None = None
        self._last = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._last = available_height
        return 0, 0

    def draw(self) -> None:
        self.available = self._last


def framed(rows: list[list[Any]], widths: Sequence[float]) -> Table:
    """A shaded box of label/value rows (the practical details of a convocation)."""
    table = Table(rows, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(layout_style(
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("LINEBEFORE", (0, 0), (0, -1), 2.5, BLUE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, 0), 8),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
        ("LEFTPADDING", (0, 0), (0, -1), 10),
    ))
    return table


# -- writing ---------------------------------------------------------------------------

def write_pdf(path: Path | str, build_fn: Callable[[], bytes]) -> Path:
    """Build the document, then write it to ``path`` through a temporary file beside it
    (renamed over the target at the end): an error leaves no half-written PDF, and an
    existing file is replaced only by a complete one."""
    path = Path(path).expanduser()
    folder = path.parent
    if not folder.is_dir():
        raise UserError(_("The folder %(path)s does not exist: choose another place for "
                          "the document.") % {"path": folder})
    data = build_fn()
    with user_errors(path):
        write_atomically(path, data)
    return path


# -- meeting documents: the pieces the convocation, sign-in sheet and minutes share ----

def council_neighbourhoods(db, council_id: str) -> list[dict[str, Any]]:
    """The neighbourhoods of a council (none if the council was deleted since)."""
    from perr_desktop.errors import NotFoundError
    from perr_desktop.services import councils

    try:
        return councils.get_council(db, council_id, members=False)["neighbourhoods"]
    except NotFoundError:
        return []


def neighbourhood_line(neighbourhoods: list[dict[str, Any]], lang: str) -> str:
    """« Quartier prioritaire : Champ de Manœuvre (Soyaux) », or an empty string."""
    if not neighbourhoods:
        return ""
    ngettext = translator(lang).ngettext
    names = ", ".join(f"{n['name']} ({n['commune']})" if n.get("commune") else n["name"]
                      for n in neighbourhoods)
    return ngettext("Priority neighbourhood: %(names)s", "Priority neighbourhoods: %(names)s",
                    len(neighbourhoods)) % {"names": names}


def kind_label(db, kind: str, lang: str) -> str:
    from perr_desktop.services.reference import vocabulary_labels

    return vocabulary_labels(db, "meeting_kind", lang).get(kind, kind)


def when_text(meeting: dict[str, Any], lang: str) -> str:
    """« jeudi 26 novembre 2026 à 18 h 30 – 20 h 30 » (the end only when known)."""
    start, end = meeting_when(meeting, lang)
    return f"{start} – {end}" if end else start


def title_block(db, meeting: dict[str, Any], document_title: str, lang: str,
                neighbourhoods: list[dict[str, Any]] | None = None) -> list[Flowable]:
    """Council, neighbourhood, document title, meeting title, kind and date, venue."""
    _ = translator(lang).gettext
    ngettext = translator(lang).ngettext
    if neighbourhoods is None:
        neighbourhoods = council_neighbourhoods(db, meeting["council_id"])
    story: list[Flowable] = [para(meeting["council"]["name"], "council")]
    line = neighbourhood_line(neighbourhoods, lang)
    if line:
        story.append(para(line, "meta"))
    guests = meeting.get("guest_councils") or []
    if guests:
        story.append(para(ngettext(
            "With the guest council: %(names)s", "With the guest councils: %(names)s",
            len(guests)) % {"names": ", ".join(g["name"] for g in guests)}, "meta"))
    story.append(para(document_title, "title"))
    story.append(para(meeting["title"], "subtitle"))
    story.append(para(f"{kind_label(db, meeting['kind'], lang)} · {when_text(meeting, lang)}",
                      "body_tight"))
    if meeting.get("venue"):
        story.append(labelled(_("Venue:"), meeting["venue"]))
    if meeting.get("cancelled"):
        story.append(para(_("This meeting was cancelled."), "draft"))
    return story

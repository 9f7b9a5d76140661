"""The *convocation*: a letter to the members, or a poster for the hall of the centre.

The letter names the council and its neighbourhood, the meeting, the date written in
full, the venue, the numbered agenda (durations, presenters), the PERR objectives it
serves and the facilitator's name and contact. The poster says the same in very large
type on one page, for residents passing by.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from perr_desktop.domain.text import search_key
from perr_desktop.i18n import format_date, translator
from perr_desktop.reports import styles
from perr_desktop.reports.styles import esc, para
from perr_desktop.services import meetings
from perr_desktop.services.reference import perr_objectives, vocabulary

# Kinds residents may simply walk into (the poster then says so). Entries the user adds
# to the « participation intermédiaire » family count as public too.
PUBLIC_KINDS = frozenset({"pleniere", "rencontre_thematique", "diagnostic_marchant"})
PUBLIC_GROUPINGS = frozenset({"intermediaire"})
POSTER_ITEMS = 6  # beyond that a poster is no longer read from across the hall


def build(db, meeting_id: str, lang: str = "fr", poster: bool = False) -> bytes:
    meetings.require_meeting(db, meeting_id)
    meeting = meetings.get_meeting(db, meeting_id)
    _ = translator(lang).gettext
    neighbourhoods = styles.council_neighbourhoods(db, meeting["council_id"])
    kind = styles.kind_label(db, meeting["kind"], lang)
    title = _("Notice of meeting")
    setup = styles.PageSetup(
        lang=lang, title=f"{title} – {meeting['title']}", council=meeting["council"]["name"],
        subject=f"{kind} · {styles.when_text(meeting, lang)}",
    )
    if poster:
        setup.running_header = setup.page_numbers = False
        story = _poster(db, meeting, lang, neighbourhoods, kind)
    else:
        story = _letter(db, meeting, lang, neighbourhoods, kind)
    return styles.build_pdf(story, setup)


def is_public(db, kind: str) -> bool:
    if kind in PUBLIC_KINDS:
        return True
    entry = next((v for v in vocabulary(db, "meeting_kind") if v["code"] == kind), None)
    return bool(entry and entry["grouping"] in PUBLIC_GROUPINGS)


# -- letter ----------------------------------------------------------------------------

def _letter(db, meeting: dict[str, Any], lang: str, neighbourhoods: list[dict[str, Any]],
            kind: str) -> list[Flowable]:
    _ = translator(lang).gettext
    ngettext = translator(lang).ngettext
    council = meeting["council"]
    story: list[Flowable] = []

    # Letterhead: the council on the left, place and date of sending on the right.
    left = [para(council["name"], "council")]
    line = styles.neighbourhood_line(neighbourhoods, lang)
    if line:
        left.append(para(line, "meta"))
    communes = sorted({n["commune"] for n in neighbourhoods if n.get("commune")})
    today = format_date(dt.date.today(), "long", lang=lang)
    dated = (_("%(place)s, %(date)s") % {"place": communes[0], "date": today}
             if len(communes) == 1 else today)
    head = Table([[left, para(dated, "right")]],
                 colWidths=[styles.FRAME_WIDTH * 0.62, styles.FRAME_WIDTH * 0.38])
    head.setStyle(styles.layout_style(("VALIGN", (0, 0), (-1, -1), "TOP"),
                                      ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("RIGHTPADDING", (0, 0), (-1, -1), 0)))
    story += [head, Spacer(0, 0.8 * cm), para(_("Notice of meeting"), "title")]

    if search_key(council["name"]).startswith("conseil"):  # « Conseil citoyen de … »
        to = _("To the members of the %(council)s") % {"council": council["name"]}
    else:
        to = _("To the members of the citizen council %(council)s") % {
            "council": council["name"]}
    guests = meeting["guest_councils"]
    if guests:
        to += " " + ngettext(
            "and to the members of the guest council %(names)s",
            "and to the members of the guest councils %(names)s",
            len(guests)) % {"names": ", ".join(g["name"] for g in guests)}
    story += [para(to, "body"), Spacer(0, 0.2 * cm)]
    story.append(styles.labelled(_("Subject:"), f"{kind} – {meeting['title']}", "body"))
    story += [Spacer(0, 0.2 * cm), para(_("Dear member,"), "body"),
              para(_("You are invited to take part in the following meeting:"), "body")]
    if meeting["cancelled"]:
        story.append(para(_("This meeting was cancelled."), "draft"))

    start, end = styles.meeting_when(meeting, lang)
    label_width = 3.4 * cm
    rows = [[para(_("Date:"), "label"), para(start, "body_tight", bold=True)]]
    if end:
        rows.append([para(_("Expected end:"), "label"), para(end, "body_tight")])
    if meeting["venue"]:
        rows.append([para(_("Venue:"), "label"), para(meeting["venue"], "body_tight")])
    rows.append([para(_("Meeting:"), "label"), para(kind, "body_tight")])
    story += [Spacer(0, 0.15 * cm),
              styles.framed(rows, [label_width, styles.FRAME_WIDTH - label_width]),
              Spacer(0, 0.2 * cm)]

    story += _agenda(meeting, lang)
    story += _objectives(db, meeting, lang)

    story += [
        Spacer(0, 0.3 * cm),
        para(_("If you cannot come, please let the facilitator know; you may give your "
               "proxy to another member who will be present."), "body"),
        # The last line stays with the signature, never alone at the top of a page.
        KeepTogether([para(_("We look forward to seeing you."), "body"), Spacer(0, 0.3 * cm),
                      _signature(council, lang)]),
    ]
    return story


def _capitalised(text: str) -> str:
    """« Jeudi 26 novembre… » at the start of a line (Babel writes days in lower case)."""
    return text[:1].upper() + text[1:]


def _agenda(meeting: dict[str, Any], lang: str) -> list[Flowable]:
    _ = translator(lang).gettext
    if not meeting["agenda"]:
        return []
    rows = []
    for number, item in enumerate(meeting["agenda"], start=1):
        cell = [para(item["title"], "body_tight", bold=True)]
        if item["presenter"]:
            cell.append(para(_("Presented by %(name)s") % {"name": item["presenter"]}, "meta"))
        duration = (_("%(minutes)s min") % {"minutes": item["duration_minutes"]}
                    if item["duration_minutes"] else "")
        rows.append([para(f"{number}.", "body_tight", bold=True), cell,
                     para(duration, "right")])
    widths = [1.0 * cm, styles.FRAME_WIDTH - 3.4 * cm, 2.4 * cm]
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(styles.layout_style(
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -2), 0.4, styles.RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
    ))
    return [para(_("Agenda"), "h1"), table]


def _objectives(db, meeting: dict[str, Any], lang: str) -> list[Flowable]:
    _ = translator(lang).gettext
    if not meeting["objective_codes"]:
        return []
    labels = {o["code"]: o["label"] for o in perr_objectives(db, lang)}
    story: list[Flowable] = [para(_("PERR objectives served by this meeting"), "h2")]
    for code in meeting["objective_codes"]:
        story.append(Paragraph(f"<b>{esc(code)}</b> – {esc(labels.get(code, ''))}",
                               styles.style("item"), bulletText="•"))
    return story


def _signature(council: dict[str, Any], lang: str) -> Table:
    _ = translator(lang).gettext
    lines = [para(_("For the citizen council,"), "body_tight")]
    if council["facilitator_name"]:
        lines += [Spacer(0, 0.2 * cm), para(council["facilitator_name"], "body_tight", bold=True),
                  para(_("Facilitator of the citizen council"), "meta")]
    else:
        lines.append(para(council["name"], "body_tight", bold=True))
    if council["facilitator_contact"]:
        lines.append(para(council["facilitator_contact"], "meta"))
    table = Table([["", lines]], colWidths=[styles.FRAME_WIDTH * 0.5, styles.FRAME_WIDTH * 0.5])
    table.setStyle(styles.layout_style(("LEFTPADDING", (0, 0), (-1, -1), 0),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")))
    return table


# -- poster ----------------------------------------------------------------------------

def _poster_style(name: str, size: float, *, bold: bool = False, colour=styles.INK,
                  space_after: float = 0, leading: float | None = None) -> ParagraphStyle:
    styles.register_fonts()
    return ParagraphStyle(
        name, fontName=styles.FONT_BOLD if bold else styles.FONT, fontSize=size,
        leading=leading or size * 1.18, textColor=colour, alignment=TA_CENTER,
        spaceAfter=space_after)


def _keep(text: str) -> str:
    """No line break inside « 18 h 30 »."""
    return text.replace(" ", "\xa0")


def _poster(db, meeting: dict[str, Any], lang: str, neighbourhoods: list[dict[str, Any]],
            kind: str) -> list[Flowable]:
    _ = translator(lang).gettext
    council = meeting["council"]
    top: list[Flowable] = [Paragraph(esc(council["name"]), _poster_style(
        "p_council", 22, bold=True, colour=styles.BLUE, space_after=3))]
    line = styles.neighbourhood_line(neighbourhoods, lang)
    if line:
        top.append(Paragraph(esc(line), _poster_style("p_place", 13, colour=styles.GREY)))

    middle: list[Flowable] = [
        Paragraph(esc(kind.upper()), _poster_style("p_kind", 20, colour=styles.GREY,
                                                   space_after=10)),
        Paragraph(esc(meeting["title"]), _poster_style("p_title", 46, bold=True,
                                                       colour=styles.BLUE, space_after=16)),
        _Rule(),
        Spacer(0, 0.9 * cm),
        Paragraph(esc(_capitalised(styles.full_date(meeting["starts_at"], lang))),
                  _poster_style("p_date", 32, bold=True, space_after=8)),
    ]
    start = styles.time_of_day(meeting["starts_at"], lang)
    if meeting["ends_at"] and meeting["ends_at"][:10] == meeting["starts_at"][:10]:
        hours = _("from %(start)s to %(end)s") % {
            "start": _keep(start), "end": _keep(styles.time_of_day(meeting["ends_at"], lang))}
    else:
        hours = _("at %(time)s") % {"time": _keep(start)}
    middle.append(Paragraph(esc(hours), _poster_style("p_time", 40, bold=True,
                                                      colour=styles.BLUE, space_after=14)))
    if meeting["venue"]:
        middle.append(Paragraph(esc(meeting["venue"]), _poster_style("p_venue", 24)))
    if meeting["cancelled"]:
        middle += [Spacer(0, 0.5 * cm), Paragraph(
            esc(_("This meeting was cancelled.")),
            _poster_style("p_cancel", 28, bold=True, colour=styles.DRAFT))]
    if is_public(db, meeting["kind"]):
        middle += [Spacer(0, 0.9 * cm), _Banner(_("Open to all residents"))]
    items = meeting["agenda"][:POSTER_ITEMS]
    if items:
        middle += [Spacer(0, 1.1 * cm), Paragraph(esc(_("On the agenda")), _poster_style(
            "p_agenda", 22, bold=True, colour=styles.BLUE, space_after=8))]
        item_style = _poster_style("p_item", 19, space_after=6)
        middle += [Paragraph(esc(item["title"]), item_style) for item in items]
        if len(meeting["agenda"]) > len(items):
            middle.append(Paragraph(esc(_("and more")), _poster_style(
                "p_more", 15, colour=styles.GREY)))

    bottom: list[Flowable] = []
    if council["facilitator_name"]:
        bottom.append(Paragraph(
            esc(_("Information: %(contact)s") % {"contact": council["facilitator_name"]}),
            _poster_style("p_contact", 14, colour=styles.GREY)))
    if council["facilitator_contact"]:
        bottom.append(Paragraph(esc(council["facilitator_contact"]),
                                _poster_style("p_contact2", 14, colour=styles.GREY)))

    return [_PosterPage(top, middle, bottom)]


class _PosterPage(Flowable):
    """The whole poster on one page: each part shrinks rather than spills, the council
    at the top, the contact at the bottom, the main block a little above the middle."""

    def __init__(self, top: list[Flowable], middle: list[Flowable],
                 bottom: list[Flowable]) -> None:
        super().__init__()
        self.parts = (top, middle, bottom)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        top, middle, bottom = self.parts
        width, height = available_width, available_height - 2  # points kept for rounding
        self._top = KeepInFrame(width, height * 0.15, top, mode="shrink")
        self._bottom = KeepInFrame(width, height * 0.12, bottom, mode="shrink")
        top_h = self._top.wrapOn(self.canv, width, height)[1]
        bottom_h = self._bottom.wrapOn(self.canv, width, height)[1] if bottom else 0.0
        room = height - top_h - bottom_h - 1.5 * cm
        self._middle = KeepInFrame(width, room, middle, mode="shrink")
        middle_h = self._middle.wrapOn(self.canv, width, room)[1]
        gap = max(0.0, height - top_h - bottom_h - middle_h)
        self._heights = (top_h, middle_h, bottom_h, gap)
        self._width = width
        return width, height

    def draw(self) -> None:
        top_h, middle_h, bottom_h, gap = self._heights
        height = top_h + middle_h + bottom_h + gap
        self._top.drawOn(self.canv, 0, height - top_h)
        self._middle.drawOn(self.canv, 0, height - top_h - gap * 0.4 - middle_h)
        if bottom_h:
            self._bottom.drawOn(self.canv, 0, 0)


class _Rule(Flowable):
    """A short centred blue rule under the poster's title."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._width = available_width
        return available_width, 4

    def draw(self) -> None:
        self.canv.setStrokeColor(styles.BLUE)
        self.canv.setLineWidth(2.5)
        self.canv.line(self._width * 0.35, 2, self._width * 0.65, 2)


class _Banner(Flowable):
    """White words on a blue band: « Réunion ouverte à tous les habitants »."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.size = 22

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        self._width = available_width
        while self.size > 12 and stringWidth(self.text, styles.FONT_BOLD, self.size) > \
                available_width - 1.2 * cm:
            self.size -= 1
        return available_width, self.size * 2.1

    def draw(self) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        height = self.size * 2.1
        text_width = stringWidth(self.text, styles.FONT_BOLD, self.size)
        band = min(self._width, text_width + 1.6 * cm)
        left = (self._width - band) / 2
        self.canv.setFillColor(styles.BLUE)
        self.canv.roundRect(left, 0, band, height, 4, stroke=0, fill=1)
        self.canv.setFillColor(styles.colors.white)
        self.canv.setFont(styles.FONT_BOLD, self.size)
        self.canv.drawCentredString(self._width / 2, height / 2 - self.size * 0.35, self.text)

"""The *feuille d'émargement*: the sign-in sheet passed round the room.

The people invited are pre-printed in sheet order (members first, by surname) with a
wide signature column; then numbered blank lines for those who come uninvited — at
least ten, and as many more as fill the last page —; the column titles repeat on every
page, and the last page ends with a line to count the people who give no name.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from perr_desktop.domain.people import is_active
from perr_desktop.i18n import translator
from perr_desktop.reports import styles
from perr_desktop.reports.styles import esc, para
from perr_desktop.services import councils, meetings
from perr_desktop.services.reference import vocabulary_labels

MIN_BLANK_LINES = 10
ROW_HEIGHT = 1.05 * cm      # room to sign
HEADER_HEIGHT = 0.8 * cm
COLUMNS = (0.9 * cm, 3.5 * cm, 2.9 * cm, 4.3 * cm)  # N°, surname, first name, college
WIDTHS = (*COLUMNS, styles.FRAME_WIDTH - sum(COLUMNS))  # the signature takes the rest


def build(db, meeting_id: str, lang: str = "fr") -> bytes:
    meetings.require_meeting(db, meeting_id)
    meeting = meetings.get_meeting(db, meeting_id)
    _ = translator(lang).gettext
    invited = [row for row in meeting["attendance"] if row["invited"]]
    groups = _groups(db, meeting, lang)
    document = _("Sign-in sheet")
    setup = styles.PageSetup(
        lang=lang,
        title=f"{document} – {styles.short_date(meeting['starts_at'], lang)}",
        council=meeting["council"]["name"],
        subject=f"{meeting['title']} · {styles.when_text(meeting, lang)}",
    )

    # First pass with the minimum of blank lines, to learn how much room the last page
    # has left; the second fills it.
    marker = styles.SpaceLeft()
    styles.build_pdf(_story(db, meeting, lang, invited, groups, MIN_BLANK_LINES, marker),
                     setup)
    blank = MIN_BLANK_LINES + _extra_lines(marker.available or 0.0, _footer(lang))
    return styles.build_pdf(_story(db, meeting, lang, invited, groups, blank, None), setup)


def _extra_lines(space_left: float, footer: Flowable) -> int:
    footer_height = footer.wrap(styles.FRAME_WIDTH, styles.FRAME_HEIGHT)[1] + _FOOTER_GAP
    slack = 0.5  # a little room for rounding in the frame
    if space_left >= footer_height:
        return max(0, math.floor((space_left - footer_height - slack) / ROW_HEIGHT))
    # The count line would go over alone: fill this page, then a new one that ends with it.
    this_page = math.floor(max(0.0, space_left - slack) / ROW_HEIGHT)
    next_page = math.floor((styles.FRAME_HEIGHT - HEADER_HEIGHT - footer_height - slack)
                           / ROW_HEIGHT)
    return this_page + max(0, next_page)


def _groups(db, meeting: dict[str, Any], lang: str) -> dict[str, str]:
    """Person id → college (and organisation) in the meeting's councils that day."""
    labels = vocabulary_labels(db, "college", lang)
    day = dt.date.fromisoformat(meeting["starts_at"][:10])
    colleges: dict[str, str] = {}
    council_ids = [meeting["council_id"], *(g["id"] for g in meeting["guest_councils"])]
    for council_id in council_ids:
        for membership in councils.council_members(db, council_id):
            if is_active(membership, day):
                colleges.setdefault(membership["person_id"],
                                    labels.get(membership["college"], membership["college"]))
    return colleges


def _story(db, meeting: dict[str, Any], lang: str, invited: list[dict[str, Any]],
           groups: dict[str, str], blank: int, marker: Flowable | None) -> list[Flowable]:
    _ = translator(lang).gettext
    story = styles.title_block(db, meeting, _("Sign-in sheet"), lang)
    story += [
        Spacer(0, 0.15 * cm),
        para(_("Please sign next to your name. If your name is not printed, write it on a "
               "free line."), "meta"),
        Spacer(0, 0.3 * cm),
    ]
    cell, head = styles.style("cell"), styles.style("cell_head")
    number_style = ParagraphStyle("sheet_number", parent=cell, alignment=TA_RIGHT,
                                  textColor=styles.GREY)
    rows: list[list[Any]] = [[Paragraph(esc(text), head) for text in (
        _("No."), _("Surname"), _("First name"), _("College / organisation"), _("Signature"))]]
    heights = [HEADER_HEIGHT]
    for number, person in enumerate(invited, start=1):
        group = " – ".join(v for v in (groups.get(person["person_id"], ""),
                                       person["organisation"]) if v)
        row = [Paragraph(str(number), number_style), Paragraph(esc(person["last_name"]), cell),
               Paragraph(esc(person["first_name"]), cell), Paragraph(esc(group), cell), ""]
        rows.append(row)
        heights.append(_height(row))
    start = len(invited) + 1
    for number in range(start, start + blank):
        rows.append([Paragraph(str(number), number_style), "", "", "", ""])
        heights.append(ROW_HEIGHT)
    table = Table(rows, colWidths=list(WIDTHS), repeatRows=1, rowHeights=heights)
    table.setStyle(styles.table_style(
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.4, styles.RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, styles.BLUE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, styles.BLUE),
        # A visible break between the printed names and the free lines.
        ("LINEABOVE", (0, start), (-1, start), 1.0, styles.BLUE),
    ))
    story.append(table)
    if marker is not None:
        story.append(marker)
    story += [Spacer(0, _FOOTER_GAP), _footer(lang)]
    return story


_FOOTER_GAP = 0.35 * cm
_PADDING = 7  # top and bottom padding of a cell (styles.table_style)


def _height(row: list[Any]) -> float:
    """At least room to sign; more when a long organisation name wraps onto three lines."""
    needed = max((cell.wrap(width - 8, styles.FRAME_HEIGHT)[1] + _PADDING
                  for cell, width in zip(row, WIDTHS, strict=True)
                  if isinstance(cell, Paragraph)), default=0.0)
    return max(ROW_HEIGHT, needed)


def _footer(lang: str) -> Paragraph:
    """« Participants non nommés : femmes ___ hommes ___ … », to be filled in by hand."""
    _ = translator(lang).gettext
    blank = "_" * 8
    parts = [_("women"), _("men"), _("gender not given"), _("aged 25 or under"),
             _("first time")]
    label = _("Participants not named:")
    text = f"<b>{esc(label)}</b> " + "   ".join(
        esc(part).replace(" ", "&nbsp;") + f"&nbsp;{blank}" for part in parts)
    return Paragraph(text, ParagraphStyle(
        "count_line", parent=styles.style("body"), leading=20, spaceAfter=0))

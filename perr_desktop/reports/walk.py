"""The restitution report of a walking diagnostic (*diagnostic en marchant*).

A cover page (council, date written in full, day or night, weather, who took part and in
which roles, the walk in figures); the route: the plan with numbered pins (stops as
circled numbers, observations as green or red pins) and the ordered list of stops; the
observations stop by stop in route order, then those made between stops, each with its
photos; a synthesis (counts of strong points and problems per theme, the problems by
priority); and the participants.

Photos showing identifiable people are left out unless the facilitator chose to include
them (``include_identifiable`` for the whole report, or the photo's own flag).

Images are drawn from the JPEG working copies, downscaled first to what the page needs:
a photo three to a row needs some 450 pixels, not 2048, and a report with sixty photos
stays a few megabytes. The pieces the body dossiers share (observation header, photo
grid, labels in the document's language) are public here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PIL import Image
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, inch
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from perr_desktop.i18n import N_, format_date, format_number, translator
from perr_desktop.reports import styles
from perr_desktop.reports.styles import esc, para
from perr_desktop.services import walks
from perr_desktop.services.reference import perr_objectives, vocabulary, vocabulary_labels
from perr_desktop.storage import media

POSITIVE = colors.HexColor("#2e7d32")   # strong points: green
NEGATIVE = colors.HexColor("#b3261e")   # problems: red
WHITE = colors.white

PERIODS = {"jour": N_("By day"), "nuit": N_("By night")}

# How many pixels an image gets: enough for print at the size it is drawn, no more.
PRINT_DPI = 200
PHOTO_MAX_PX = 600
PLAN_MAX_PX = 1200
JPEG_QUALITY = 80
PHOTO_GAP = 0.3 * cm
PHOTOS_PER_ROW = 3
BODY_INDENT = 1.25 * cm     # observation text sits right of its numbered badge


def build(db, walk_id: str, lang: str = "fr", include_identifiable: bool = False) -> bytes:
    walks.require_walk(db, walk_id)
    doc = WalkDoc(db, walks.get_walk(db, walk_id), lang, include_identifiable)
    _ = doc.gettext
    walk = doc.walk
    document = _("Walking diagnostic")
    setup = styles.PageSetup(
        lang=lang,
        title=f"{document} – {styles.short_date(walk['walk_date'], lang)}",
        council=walk["council"]["name"],
        subject=walk["title"],
    )
    # Every image read and downscaled up front, in parallel.
    wanted = [(p["sha256"], photo_pixels()) for p in doc.printable(walk["photos"])
              if p["observation_id"] or p["stop_id"]]
    if walk["plan"]:
        wanted.append((walk["plan"]["sha256"], PLAN_MAX_PX))
    doc.images.prefetch(wanted)
    story = _cover(doc)
    story += _route(doc)
    story += _observations(doc)
    story += _synthesis(doc)
    story += _participants(doc)
    with images_as_jpeg():
        return styles.build_pdf(story, setup)


_binary = {"lock": threading.Lock(), "users": 0, "saved": None}


@contextlib.contextmanager
def images_as_jpeg() -> Iterator[None]:
    """Write image streams as plain binary JPEG: reportlab's default ASCII85 wrapping
    makes every photo a quarter bigger. It is a setting of the reportlab module: it is
    put back when the last document that asked for it is built (another document built
    meanwhile is written without ASCII85 too, which is just as valid)."""
    with _binary["lock"]:
        if not _binary["users"]:
            _binary["saved"] = rl_config.useA85
            rl_config.useA85 = 0
        _binary["users"] += 1
    try:
        yield
    finally:
        with _binary["lock"]:
            _binary["users"] -= 1
            if not _binary["users"]:
                rl_config.useA85 = _binary["saved"]


# -- the document's language, labels and images ----------------------------------------

class WalkDoc:
    """A walk as the documents print it, with its labels in the document's language and
    the downscaled images, prepared once."""

    def __init__(self, db, walk: dict[str, Any], lang: str,
                 include_identifiable: bool = False) -> None:
        self.db, self.walk, self.lang = db, walk, lang
        self.gettext = translator(lang).gettext
        self.ngettext = translator(lang).ngettext
        self.include_identifiable = include_identifiable
        self.themes = vocabulary_labels(db, "observation_theme", lang)
        self.theme_order = {row["code"]: n for n, row in
                            enumerate(vocabulary(db, "observation_theme", lang))}
        self.bodies = vocabulary_labels(db, "body", lang)
        self.roles = vocabulary_labels(db, "walk_role", lang)
        self.statuses = vocabulary_labels(db, "followup_status", lang)
        self.channels = vocabulary_labels(db, "followup_channel", lang)
        self.objectives = {o["code"]: o["label"] for o in perr_objectives(db, lang)}
        self.stops = {s["id"]: s for s in walk["stops"]}
        self.images = Images(db.path)

    # text

    def number(self, value: int) -> str:
        return format_number(value, lang=self.lang)

    def theme(self, code: str | None) -> str:
        _ = self.gettext
        return self.themes.get(code, code) if code else _("No theme")

    def body(self, code: str) -> str:
        return self.bodies.get(code, code)

    def status(self, code: str) -> str:
        return self.statuses.get(code, code)

    def channel(self, code: str) -> str:
        return self.channels.get(code, code) if code else ""

    def priority(self, value: int | None) -> str:
        _ = self.gettext
        return _("Priority %(number)s") % {"number": value} if value else ""

    def sign(self, observation: dict[str, Any]) -> str:
        _ = self.gettext
        return _("+ Strong point") if observation["positive"] else _("− Weak point")

    def date(self, value: str | None) -> str:
        """« 26 novembre 2026 »."""
        if not value:
            return ""
        return format_date(dt.date.fromisoformat(value[:10]), "long", lang=self.lang)

    def stop_of(self, observation: dict[str, Any]) -> dict[str, Any] | None:
        return self.stops.get(observation["stop_id"] or "")

    def stop_name(self, observation: dict[str, Any]) -> str:
        """« Arrêt 3 – Place du Marché », or « Hors arrêt »."""
        _ = self.gettext
        stop = self.stop_of(observation)
        if stop is None:
            return _("Not at a stop")
        return _("Stop %(number)s – %(name)s") % {"number": stop["position"],
                                                   "name": stop["name"]}

    # photos

    def printable(self, photos: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        return [p for p in photos if self.include_identifiable or walks.printable(p)]

    def left_out(self) -> int:
        """Photos of observations and stops that the report does not reproduce."""
        shown = {p["id"] for p in self.printable(self.walk["photos"])}
        return sum(1 for p in self.walk["photos"]
                   if (p["observation_id"] or p["stop_id"]) and p["id"] not in shown)


class Images:
    """Working copies read once, downscaled to the pixels the page needs, as JPEG."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self._cache: dict[tuple[str, int], Prepared] = {}

    def prefetch(self, wanted: Iterable[tuple[str, int]]) -> None:
        """Prepare many images at once (Pillow decodes and encodes outside the GIL)."""
        todo = [key for key in dict.fromkeys(wanted) if key not in self._cache]
        if len(todo) < 2:
            for key in todo:
                self.get(*key)
            return
        workers = min(len(todo), os.cpu_count() or 2, 6)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for key, prepared in zip(todo, pool.map(lambda k: self._prepare(*k), todo),
                                     strict=True):
                self._cache[key] = prepared

    def get(self, sha256: str, max_px: int) -> Prepared:
        key = (sha256, max_px)
        if key not in self._cache:
            self._cache[key] = self._prepare(sha256, max_px)
        return self._cache[key]

    def _prepare(self, sha256: str, max_px: int) -> Prepared:
        path = media.working_path(self.db_path, sha256)
        try:
            with Image.open(path) as image:
                # JPEG: decode at 1/2, 1/4 or 1/8 scale, as close above the size
                # wanted (its long side max_px) as the format allows.
                ratio = max_px / max(image.size)
                image.draft("RGB", (math.ceil(image.width * ratio),
                                    math.ceil(image.height * ratio)))
                if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                    # A plan saved as PNG may be transparent: lay it on white paper.
                    rgba = image.convert("RGBA")
                    picture = Image.new("RGB", rgba.size, "white")
                    picture.paste(rgba, mask=rgba.getchannel("A"))
                else:
                    picture = image.convert("RGB")
            picture.thumbnail((max_px, max_px))
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=JPEG_QUALITY)
            return Prepared(out.getvalue(), picture.width, picture.height)
        except (OSError, ValueError, Image.DecompressionBombError):
            return Prepared(None, 4, 3)  # a missing or damaged file: a grey box


class Prepared:
    def __init__(self, data: bytes | None, width: int, height: int) -> None:
        self.data, self.width, self.height = data, width, height

    def reader(self) -> ImageReader:
        return ImageReader(io.BytesIO(self.data))


def pixels_for(width_points: float, limit: int) -> int:
    """The pixels an image drawn ``width_points`` wide needs (at most ``limit``)."""
    return min(limit, max(64, math.ceil(width_points / inch * PRINT_DPI)))


def photo_cell(indent: float = BODY_INDENT) -> float:
    """The width of a photo in a grid (three to a row, beside the observation badge)."""
    width = styles.FRAME_WIDTH - indent
    return (width - PHOTO_GAP * (PHOTOS_PER_ROW - 1)) / PHOTOS_PER_ROW


def photo_pixels() -> int:
    """One size for every photo of a document (each is read and scaled once)."""
    return pixels_for(photo_cell(), PHOTO_MAX_PX)


class Picture(Flowable):
    """A prepared image drawn at a fixed size (a grey box when its file is missing)."""

    def __init__(self, prepared: Prepared, width: float, height: float,
                 missing_text: str = "") -> None:
        super().__init__()
        self.prepared, self.width, self.height = prepared, width, height
        self.missing_text = missing_text

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if self.prepared.data:
            canvas.drawImage(self.prepared.reader(), 0, 0, self.width, self.height)
            canvas.setStrokeColor(styles.RULE)
            canvas.setLineWidth(0.4)
            canvas.rect(0, 0, self.width, self.height)
            return
        canvas.setFillColor(styles.SHADE)
        canvas.setStrokeColor(styles.RULE)
        canvas.rect(0, 0, self.width, self.height, fill=1)
        canvas.setFillColor(styles.GREY)
        canvas.setFont(styles.FONT, 8)
        canvas.drawCentredString(self.width / 2, self.height / 2 - 3, self.missing_text)


def photo_grid(doc: WalkDoc, photos: list[dict[str, Any]], indent: float = 0.0
               ) -> list[Flowable]:
    """Photos three to a row, each with its caption (or the time it was taken)."""
    _ = doc.gettext
    if not photos:
        return []
    columns = PHOTOS_PER_ROW
    width = styles.FRAME_WIDTH - indent
    cell = photo_cell(indent)
    box_height = cell * 0.75
    px = photo_pixels()
    doc.images.prefetch((p["sha256"], px) for p in photos)
    caption_style = styles.style("small")
    cells = []
    for photo in photos:
        prepared = doc.images.get(photo["sha256"], px)
        scale = min(cell / prepared.width, box_height / prepared.height)
        picture = Picture(prepared, prepared.width * scale, prepared.height * scale,
                          _("Image file missing"))
        caption = photo["caption"] or _taken(doc, photo)
        cells.append([picture, Paragraph(esc(caption), caption_style)] if caption
                     else [picture])
    rows = [cells[i:i + columns] for i in range(0, len(cells), columns)]
    rows[-1] += [""] * (columns - len(rows[-1]))
    widths = [cell + PHOTO_GAP] * (columns - 1) + [cell]
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(styles.layout_style(
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), PHOTO_GAP),
        ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ))
    if not indent:
        return [table]
    holder = Table([["", table]], colWidths=[indent, width], hAlign="LEFT")
    holder.setStyle(styles.layout_style(("LEFTPADDING", (0, 0), (-1, -1), 0),
                                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                        ("TOPPADDING", (0, 0), (-1, -1), 0),
                                        ("BOTTOMPADDING", (0, 0), (-1, -1), 0)))
    return [holder]


def _taken(doc: WalkDoc, photo: dict[str, Any]) -> str:
    _ = doc.gettext
    if not photo["taken_at"]:
        return ""
    return _("Taken at %(time)s") % {"time": styles.time_of_day(photo["taken_at"], doc.lang)}


# -- observation blocks, shared with the body dossiers ---------------------------------

def indented(name: str) -> ParagraphStyle:
    base = styles.style(name)
    return ParagraphStyle(f"{name}_indented", parent=base, leftIndent=BODY_INDENT)


def observation_header(doc: WalkDoc, observation: dict[str, Any], extra: str = ""
                       ) -> Table:
    """The numbered badge (green or red) and « Éclairage · − Problème · Priorité 1 »."""
    colour = POSITIVE if observation["positive"] else NEGATIVE
    hexa = colour.hexval().replace("0x", "#")
    badge = Paragraph(f"<b>{observation['number']}</b>",
                      ParagraphStyle("badge", parent=styles.style("center"), fontSize=11,
                                     leading=13, textColor=WHITE, spaceAfter=0))
    parts = [f"<b>{esc(doc.theme(observation['theme']))}</b>",
             f"<font color='{hexa}'><b>{esc(doc.sign(observation))}</b></font>"]
    if observation["priority"]:
        parts.append(esc(doc.priority(observation["priority"])))
    if extra:
        parts.append(f"<font color='{_hex(styles.GREY)}'>{esc(extra)}</font>")
    title = Paragraph(" · ".join(parts), ParagraphStyle(
        "observation_title", parent=styles.style("body"), spaceAfter=0))
    table = Table([[badge, title]], colWidths=[0.85 * cm, styles.FRAME_WIDTH - 0.85 * cm],
                  hAlign="LEFT")
    table.setStyle(styles.layout_style(
        ("BACKGROUND", (0, 0), (0, 0), colour),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (1, 0), (1, 0), 0.6, colour),
        ("LEFTPADDING", (0, 0), (0, 0), 1), ("RIGHTPADDING", (0, 0), (0, 0), 1),
        ("LEFTPADDING", (1, 0), (1, 0), 0.4 * cm),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ))
    table.keepWithNext = True
    return table


def labelled_text(label: str, text: str, name: str = "body_tight") -> list[Paragraph]:
    """« Proposition : … » with the label in bold; a long text keeps its paragraphs."""
    blocks = styles.text_blocks(text)
    if not blocks:
        return []
    style = indented(name)
    first = Paragraph(f"<b>{esc(label)}</b> {blocks[0]}", style)
    return [first, *(Paragraph(block, style) for block in blocks[1:])]


def bodies_text(doc: WalkDoc, observation: dict[str, Any]) -> str:
    return ", ".join(doc.body(f["body"]) for f in observation["followups"])


def _hex(colour) -> str:
    return colour.hexval().replace("0x", "#")


# -- cover -----------------------------------------------------------------------------

def _cover(doc: WalkDoc) -> list[Flowable]:
    _ = doc.gettext
    ngettext = doc.ngettext
    walk = doc.walk
    story: list[Flowable] = [para(walk["council"]["name"], "council")]
    line = styles.neighbourhood_line(
        styles.council_neighbourhoods(doc.db, walk["council_id"]), doc.lang)
    if line:
        story.append(para(line, "meta"))
    story += [Spacer(0, 2.2 * cm),
              para(_("Walking diagnostic"), "title"),
              para(walk["title"], "subtitle"),
              Spacer(0, 0.2 * cm),
              para(_capitalised(styles.full_date(walk["walk_date"], doc.lang)), "body",
                   bold=True),
              Spacer(0, 0.5 * cm)]

    label_width = 4.4 * cm
    rows = []

    def row(label: str, value: str) -> None:
        rows.append([para(label, "label"), para(value, "body_tight")])

    row(_("Date:"), styles.full_date(walk["walk_date"], doc.lang))
    if walk["start_time"]:
        row(_("Start:"), styles.time_of_day(f"{walk['walk_date']}T{walk['start_time']}",
                                            doc.lang))
    row(_("Time of day:"), _(PERIODS.get(walk["period"], walk["period"])))
    if walk["weather"]:
        row(_("Weather:"), walk["weather"])
    row(_("Participants:"), _participant_count(doc))
    roles = _roles_present(doc)
    if roles:
        row(_("Roles present:"), roles)
    if walk["previous_walk_id"]:
        previous = doc.db.query_one("SELECT walk_date FROM walks WHERE id = ?",
                                    (walk["previous_walk_id"],))
        if previous:
            row(_("Same route as:"), _("the walk of %(date)s")
                % {"date": doc.date(previous["walk_date"])})
    story.append(styles.framed(rows, [label_width, styles.FRAME_WIDTH - label_width]))

    observations = walk["observations"]
    positive = sum(1 for o in observations if o["positive"])
    printed = doc.printable(p for p in walk["photos"] if p["observation_id"] or p["stop_id"])
    figures = [
        ngettext("%(count)s stop", "%(count)s stops", len(walk["stops"]))
        % {"count": doc.number(len(walk["stops"]))},
        ngettext("%(count)s observation", "%(count)s observations", len(observations))
        % {"count": doc.number(len(observations))},
        ngettext("%(count)s strong point", "%(count)s strong points", positive)
        % {"count": doc.number(positive)},
        ngettext("%(count)s weak point", "%(count)s weak points", len(observations) - positive)
        % {"count": doc.number(len(observations) - positive)},
        ngettext("%(count)s photo", "%(count)s photos", len(printed))
        % {"count": doc.number(len(printed))},
    ]
    story += [Spacer(0, 0.5 * cm), para(_("The walk in figures"), "h2"),
              para(" · ".join(figures), "body")]
    left_out = doc.left_out()
    if left_out:
        story.append(para(ngettext(
            "%(count)s photo showing identifiable people is not reproduced in this report.",
            "%(count)s photos showing identifiable people are not reproduced in this report.",
            left_out) % {"count": doc.number(left_out)}, "meta"))
    if walk["notes"].strip():
        story += [para(_("Notes"), "h2"), *styles.paragraphs(walk["notes"])]
    story.append(PageBreak())
    return story


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _participant_count(doc: WalkDoc) -> str:
    """« 14 (2 nommés, 12 non nommés) »."""
    _ = doc.gettext
    ngettext = doc.ngettext
    named = len(doc.walk["participants"])
    counted = doc.walk["counted_participants"] or 0
    total = ngettext("%(count)s participant", "%(count)s participants", named + counted) % {
        "count": doc.number(named + counted)}
    if named and counted:
        return _("%(total)s (%(named)s named, %(counted)s not named)") % {
            "total": total, "named": doc.number(named), "counted": doc.number(counted)}
    return total


def _roles_present(doc: WalkDoc) -> str:
    """« Animateur (1), Habitant (3), Partenaire (2) », in the vocabulary's order."""
    counts: dict[str, int] = {}
    for person in doc.walk["participants"]:
        counts[person["role"]] = counts.get(person["role"], 0) + 1
    order = {row["code"]: n for n, row in enumerate(vocabulary(doc.db, "walk_role"))}
    return ", ".join(f"{doc.roles.get(code, code)} ({doc.number(count)})"
                     for code, count in sorted(counts.items(),
                                               key=lambda item: order.get(item[0], 99)))


# -- route -----------------------------------------------------------------------------

def _route(doc: WalkDoc) -> list[Flowable]:
    _ = doc.gettext
    walk = doc.walk
    story: list[Flowable] = [para(_("Route"), "h1")]
    if walk["plan"]:
        story += _plan(doc)
    if not walk["stops"]:
        story.append(para(_("No stop was recorded for this walk."), "meta"))
        return story
    head = styles.style("cell_head")
    rows: list[list[Any]] = [[Paragraph(esc(t), head) for t in (
        _("No."), _("Stop"), _("Address"), _("Observations"))]]
    for stop in walk["stops"]:
        here = [o for o in walk["observations"] if o["stop_id"] == stop["id"]]
        rows.append([str(stop["position"]), para(stop["name"], "cell", bold=True),
                     para(stop["address"], "cell"), _counts(doc, here)])
    widths = [1.0 * cm, 5.6 * cm, None, 3.2 * cm]
    widths[2] = styles.FRAME_WIDTH - sum(w for w in widths if w)
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(styles.table_style(("ALIGN", (0, 1), (0, -1), "CENTER")))
    story += [*table_heading(_("Stops"), "h2"), table]
    return story


def _counts(doc: WalkDoc, observations: list[dict[str, Any]]) -> str:
    """« 2 +  3 − » (or an empty string)."""
    positive = sum(1 for o in observations if o["positive"])
    negative = len(observations) - positive
    parts = []
    if positive:
        parts.append(f"{doc.number(positive)} +")
    if negative:
        parts.append(f"{doc.number(negative)} −")
    return "   ".join(parts) or "–"


def _plan(doc: WalkDoc) -> list[Flowable]:
    _ = doc.gettext
    ngettext = doc.ngettext
    plan = doc.walk["plan"]
    prepared = doc.images.get(plan["sha256"], PLAN_MAX_PX)
    stops = [s for s in doc.walk["stops"] if s["plan_x"] is not None and s["plan_y"] is not None]
    observations = [o for o in doc.walk["observations"]
                    if o["plan_x"] is not None and o["plan_y"] is not None]
    story: list[Flowable] = [
        PlanWithPins(prepared, stops, observations, styles.FRAME_HEIGHT * 0.72,
                     _("Image file missing")),
        Spacer(0, 0.15 * cm),
        Legend([("stop", _("Stop")), ("positive", _("Strong point")),
                ("negative", _("Weak point"))]),
    ]
    unplaced = [o for o in doc.walk["observations"] if o not in observations]
    if unplaced and observations:
        numbers = ", ".join(str(o["number"]) for o in unplaced)
        story.append(para(ngettext("Not placed on the plan: observation %(numbers)s.",
                                   "Not placed on the plan: observations %(numbers)s.",
                                   len(unplaced)) % {"numbers": numbers}, "meta"))
    return story


def draw_stop(canvas, x: float, y: float, label: str, radius: float = 7.5) -> None:
    """A stop: its number circled in blue on white."""
    canvas.saveState()
    canvas.setFillColor(WHITE)
    canvas.setStrokeColor(styles.BLUE)
    canvas.setLineWidth(1.8)
    canvas.circle(x, y, radius, stroke=1, fill=1)
    canvas.setFillColor(styles.BLUE)
    size = 8 if len(label) < 3 else 6.5
    canvas.setFont(styles.FONT_BOLD, size)
    canvas.drawCentredString(x, y - size * 0.36, label)
    canvas.restoreState()


def draw_pin(canvas, x: float, y: float, label: str, positive: bool,
             radius: float = 6.2) -> None:
    """An observation: a green or red pin whose point is on the spot."""
    colour = POSITIVE if positive else NEGATIVE
    canvas.saveState()
    centre = y + radius + 4
    canvas.setFillColor(colour)
    canvas.setStrokeColor(WHITE)
    canvas.setLineWidth(0.8)
    path = canvas.beginPath()
    path.moveTo(x, y)
    path.lineTo(x - radius * 0.62, centre - radius * 0.72)
    path.lineTo(x + radius * 0.62, centre - radius * 0.72)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.circle(x, centre, radius, stroke=1, fill=1)
    canvas.setFillColor(WHITE)
    size = 7 if len(label) < 3 else 5.5
    canvas.setFont(styles.FONT_BOLD, size)
    canvas.drawCentredString(x, centre - size * 0.36, label)
    canvas.restoreState()


class PlanWithPins(Flowable):
    """The plan scaled to the frame's width (its aspect kept, at most ``max_height``
    high), stops and observations pinned at their plan positions (fractions of the
    image, from its top left corner)."""

    def __init__(self, prepared: Prepared, stops: list[dict[str, Any]],
                 observations: list[dict[str, Any]], max_height: float,
                 missing_text: str = "") -> None:
        super().__init__()
        self.prepared, self.stops, self.observations = prepared, stops, observations
        self.max_height, self.missing_text = max_height, missing_text
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        ratio = self.prepared.height / self.prepared.width
        self.width = available_width
        self.height = available_width * ratio
        if self.height > self.max_height:
            self.height = self.max_height
            self.width = self.height / ratio
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        Picture(self.prepared, self.width, self.height, self.missing_text).drawOn(canvas, 0, 0)
        for observation in self.observations:
            draw_pin(canvas, observation["plan_x"] * self.width,
                     (1 - observation["plan_y"]) * self.height, str(observation["number"]),
                     bool(observation["positive"]))
        for stop in self.stops:  # on top: the route reads first
            draw_stop(canvas, stop["plan_x"] * self.width, (1 - stop["plan_y"]) * self.height,
                      str(stop["position"]))


class Legend(Flowable):
    """What the markers on the plan mean."""

    def __init__(self, entries: list[tuple[str, str]]) -> None:
        super().__init__()
        self.entries = entries

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, 20

    def draw(self) -> None:
        canvas = self.canv
        x = 8
        for kind, text in self.entries:
            if kind == "stop":
                draw_stop(canvas, x, 9, "1", radius=6.5)
            else:
                draw_pin(canvas, x, 1, "2", kind == "positive", radius=5.5)
            canvas.setFont(styles.FONT, 9)
            canvas.setFillColor(styles.INK)
            canvas.drawString(x + 11, 6, text)
            x += 11 + canvas.stringWidth(text, styles.FONT, 9) + 22


# -- observations ----------------------------------------------------------------------

def _observations(doc: WalkDoc) -> list[Flowable]:
    _ = doc.gettext
    walk = doc.walk
    story: list[Flowable] = [PageBreak(), para(_("Observations"), "h1")]
    if not walk["observations"] and not walk["stops"]:
        return [*story, para(_("No observation was recorded."), "meta")]
    stop_photos: dict[str, list[dict[str, Any]]] = {}
    for photo in doc.printable(walk["photos"]):
        if photo["stop_id"] and not photo["observation_id"]:
            stop_photos.setdefault(photo["stop_id"], []).append(photo)
    for stop in walk["stops"]:
        here = [o for o in walk["observations"] if o["stop_id"] == stop["id"]]
        heading = [para(_("Stop %(number)s – %(name)s") % {"number": stop["position"],
                                                            "name": stop["name"]}, "h2")]
        if stop["address"]:
            heading.append(para(stop["address"], "meta"))
        if not here:
            story += [*heading, para(_("No observation at this stop."), "meta")]
        for n, observation in enumerate(here):
            story += observation_block(doc, observation, lead=heading if n == 0 else ())
        if stop_photos.get(stop["id"]):
            story.append(KeepTogether([Spacer(0, 0.25 * cm),
                                       para(_("Photos of this stop"), "label"),
                                       *photo_grid(doc, stop_photos[stop["id"]])]))
    loose = [o for o in walk["observations"] if o["stop_id"] not in doc.stops]
    for n, observation in enumerate(loose):
        story += observation_block(doc, observation,
                                   lead=[para(_("Not at a stop"), "h2")] if n == 0 else ())
    return story


def observation_block(doc: WalkDoc, observation: dict[str, Any],
                      lead: Iterable[Flowable] = ()) -> list[Flowable]:
    """An observation with its photos, kept on one page (unless longer than a page)
    with ``lead``, the heading above it."""
    _ = doc.gettext
    story: list[Flowable] = [*lead, Spacer(0, 0.2 * cm), observation_header(doc, observation),
                             Spacer(0, 0.12 * cm)]
    description = [Paragraph(block, indented("body_tight"))
                   for block in styles.text_blocks(observation["description"])]
    story += description or [Paragraph(esc(_("No description.")), indented("meta"))]
    story += labelled_text(_("Feeling:"), observation["feeling"])
    story += labelled_text(_("Proposal:"), observation["proposal"])
    if observation["objective_code"]:
        code = observation["objective_code"]
        story += labelled_text(_("PERR objective:"),
                               f"{code} – {doc.objectives.get(code, '')}".rstrip(" –"))
    bodies = bodies_text(doc, observation)
    if bodies:
        story += labelled_text(_("Bodies concerned:"), bodies)
    if observation["tags"]:
        story += labelled_text(_("Tags:"), observation["tags"])
    photos = doc.printable(observation["photos"])
    if photos:
        story += [Spacer(0, 0.15 * cm), *photo_grid(doc, photos, indent=BODY_INDENT)]
    # Read with its photos: it moves to the next page whole (a heading kept with the
    # next flowable would not hold to a KeepTogether, hence ``lead``).
    return [KeepTogether(story)]


def table_heading(text: str, name: str = "h1") -> list[Flowable]:
    """A heading over a long table: a page break first if less than a few rows would
    follow it (a heading kept with a whole table would push it all to the next page)."""
    style = ParagraphStyle(f"{name}_over_table", parent=styles.style(name), keepWithNext=0)
    return [CondPageBreak(3.2 * cm), Paragraph(esc(text), style)]


# -- synthesis -------------------------------------------------------------------------

def _synthesis(doc: WalkDoc) -> list[Flowable]:
    _ = doc.gettext
    observations = doc.walk["observations"]
    if not observations:
        return []
    story: list[Flowable] = [PageBreak(), para(_("Synthesis"), "h1"),
                             para(_("By theme"), "h2")]
    counts: dict[str | None, list[int]] = {}
    for observation in observations:
        pair = counts.setdefault(observation["theme"], [0, 0])
        pair[0 if observation["positive"] else 1] += 1
    head = styles.style("cell_head")
    rows: list[list[Any]] = [[Paragraph(esc(t), head) for t in (
        _("Theme"), _("Strong points (+)"), _("Weak points (−)"), _("Total"))]]
    order = sorted(counts, key=lambda code: (code is None, doc.theme_order.get(code, 999),
                                             doc.theme(code)))
    for code in order:
        plus, minus = counts[code]
        rows.append([para(doc.theme(code), "cell"), doc.number(plus), doc.number(minus),
                     doc.number(plus + minus)])
    plus = sum(p for p, _m in counts.values())
    minus = sum(m for _p, m in counts.values())
    rows.append([para(_("Total"), "cell", bold=True), doc.number(plus), doc.number(minus),
                 doc.number(plus + minus)])
    widths = [None, 3.4 * cm, 3.4 * cm, 2.2 * cm]
    widths[0] = styles.FRAME_WIDTH - sum(w for w in widths if w)
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(styles.table_style(
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("FONT", (1, -1), (-1, -1), styles.FONT_BOLD, 9.5),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, styles.BLUE),
        ("TEXTCOLOR", (1, 1), (1, -1), POSITIVE),
        ("TEXTCOLOR", (2, 1), (2, -1), NEGATIVE),
        *(("TEXTCOLOR", (column, n), (column, n), styles.GREY)
          for n, row in enumerate(rows[1:], start=1) for column in (1, 2)
          if row[column] == doc.number(0)),
    ))
    story.append(table)
    story += _by_priority(doc)
    return story


def _by_priority(doc: WalkDoc) -> list[Flowable]:
    _ = doc.gettext
    ngettext = doc.ngettext
    problems = [o for o in doc.walk["observations"] if not o["positive"]]
    story: list[Flowable] = [para(_("Problems by priority"), "h2")]
    if not problems:
        return [*story, para(_("No problem was noted."), "meta")]
    story.append(para(_("Priority 1 is the most urgent."), "meta"))
    head = styles.style("cell_head")
    for priority in (1, 2, 3, None):
        group = [o for o in problems if o["priority"] == priority]
        if not group:
            continue
        title = doc.priority(priority) if priority else _("No priority given")
        count = ngettext("%(count)s problem", "%(count)s problems", len(group)) % {
            "count": doc.number(len(group))}
        story += table_heading(f"{title} – {count}", "label")
        rows: list[list[Any]] = [[Paragraph(esc(t), head) for t in (
            _("No."), _("Stop"), _("Theme"), _("Observation"), _("Bodies"))]]
        for observation in group:
            rows.append([str(observation["number"]), para(short_stop(doc, observation), "cell"),
                         para(doc.theme(observation["theme"]), "cell"),
                         para(shorten(observation["description"], 180), "cell"),
                         para(bodies_text(doc, observation), "cell")])
        widths = [1.0 * cm, 3.4 * cm, 3.2 * cm, None, 3.4 * cm]
        widths[3] = styles.FRAME_WIDTH - sum(w for w in widths if w)
        table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(styles.table_style())
        story += [table, Spacer(0, 0.3 * cm)]
    return story


def short_stop(doc: WalkDoc, observation: dict[str, Any]) -> str:
    _ = doc.gettext
    stop = doc.stop_of(observation)
    return f"{stop['position']}. {stop['name']}" if stop else _("Not at a stop")


def shorten(text: str, limit: int) -> str:
    """The start of a text on one line, cut at a word with an ellipsis."""
    line = " ".join((text or "").split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


# -- participants ----------------------------------------------------------------------

def _participants(doc: WalkDoc) -> list[Flowable]:
    _ = doc.gettext
    ngettext = doc.ngettext
    people = doc.walk["participants"]
    counted = doc.walk["counted_participants"] or 0
    if not people and not counted:
        return []
    story: list[Flowable] = table_heading(_("Participants"))
    if people:
        head = styles.style("cell_head")
        rows: list[list[Any]] = [[Paragraph(esc(t), head) for t in (
            _("Name"), _("Organisation"), _("Role"))]]
        order = {row["code"]: n for n, row in enumerate(vocabulary(doc.db, "walk_role"))}
        for person in sorted(people, key=lambda p: order.get(p["role"], 99)):
            rows.append([para(person["display"], "cell"),
                         para(person["organisation"] or "", "cell"),
                         doc.roles.get(person["role"], person["role"])])
        widths = [6.0 * cm, None, 4.0 * cm]
        widths[1] = styles.FRAME_WIDTH - sum(w for w in widths if w)
        table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(styles.table_style())
        story.append(table)
    if counted:
        text = (ngettext("And %(count)s participant who did not give a name.",
                         "And %(count)s participants who did not give a name.", counted)
                if people else
                ngettext("%(count)s participant, not named.",
                         "%(count)s participants, not named.", counted))
        story += [Spacer(0, 0.2 * cm), para(text % {"count": doc.number(counted)}, "body")]
    return story

"""The dossier for one body: the observations of a walk it must act on, as a letter.

The council writes (the facilitator's name and contact as sender) « à l'attention de »
the body — the city, the landlord, the Département… —: the subject names the walk and
its date, a short introduction says what the walk was, then come the observations
ticked for that body (problems first, by priority; strong points the council wants it
to know after), each with its number (the one of the restitution report and the plan),
its stop and address, the description, the council's proposal, its priority, its photos
and where its follow-up stands; a closing and the signature.

Photos showing identifiable people are left out unless the facilitator included them.
``body`` is the vocabulary code or the label, in French or English, typed any way
(« Bailleur social », « bailleur », « SOCIAL LANDLORD »).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from perr_desktop.domain.text import search_key
from perr_desktop.errors import UserError
from perr_desktop.i18n import _, format_date
from perr_desktop.reports import styles, walk
from perr_desktop.reports.styles import esc, para
from perr_desktop.reports.walk import BODY_INDENT, WalkDoc, indented, labelled_text
from perr_desktop.services import walks
from perr_desktop.services.reference import vocabulary


def build(db, walk_id: str, body: str, lang: str = "fr") -> bytes:
    walks.require_walk(db, walk_id)
    code = body_code(db, body)
    doc = WalkDoc(db, walks.get_walk(db, walk_id), lang)
    concerned = [(o, f) for o in doc.walk["observations"] for f in o["followups"]
                 if f["body"] == code]
    if not concerned:
        raise _nothing_for(db, code)
    doc.images.prefetch((p["sha256"], walk.photo_pixels())
                        for observation, _f in concerned
                        for p in doc.printable(observation["photos"]))
    _ = doc.gettext
    setup = styles.PageSetup(
        lang=lang,
        title=_("Dossier for %(body)s") % {"body": doc.body(code)},
        council=doc.walk["council"]["name"],
        subject=_subject(doc),
    )
    with walk.images_as_jpeg():
        return styles.build_pdf(_letter(doc, code, concerned), setup)


def body_code(db, text: str) -> str:
    """The code of the body named ``text`` (code, French or English label, with or
    without accents, case or the part in brackets); a UserError listing them if none."""
    key = search_key(text)
    rows = db.query("SELECT code, label_fr, label_en, deleted_at FROM vocabulary "
                    "WHERE kind = 'body' ORDER BY deleted_at IS NOT NULL, sort_order")
    if key:
        for row in rows:
            names = {row["code"], row["label_fr"], row["label_en"] or ""}
            names |= {name.split(" (")[0] for name in names}
            if key in {search_key(name) for name in names if name}:
                return row["code"]
    known = ", ".join(row["label"] for row in vocabulary(db, "body"))
    raise UserError(_("Unknown body: %(value)s. Known bodies: %(names)s.")
                    % {"value": text, "names": known})


def _nothing_for(db, code: str) -> UserError:
    """In the interface's language: the message is for the user, not the document."""
    label = next((row["label"] for row in vocabulary(db, "body") if row["code"] == code), code)
    return UserError(_("No observation of this walk concerns %(body)s.") % {"body": label})


def _subject(doc: WalkDoc) -> str:
    _ = doc.gettext
    return _("Walking diagnostic of %(date)s – observations concerning you") % {
        "date": doc.date(doc.walk["walk_date"])}


# -- the letter ------------------------------------------------------------------------

def _letter(doc: WalkDoc, code: str, concerned: list[tuple[dict, dict]]) -> list[Flowable]:
    _ = doc.gettext
    ngettext = doc.ngettext
    council = doc.walk["council"]
    neighbourhoods = styles.council_neighbourhoods(doc.db, doc.walk["council_id"])

    sender = [para(council["name"], "council")]
    line = styles.neighbourhood_line(neighbourhoods, doc.lang)
    if line:
        sender.append(para(line, "meta"))
    if council["facilitator_name"]:
        sender.append(para(council["facilitator_name"], "meta"))
    if council["venue"]:
        sender.append(para(council["venue"], "meta"))
    if council["facilitator_contact"]:
        sender.append(para(council["facilitator_contact"], "meta"))
    recipient = [para(_("For the attention of:"), "meta"),
                 para(doc.body(code), "subtitle")]
    head = Table([[sender, recipient]],
                 colWidths=[styles.FRAME_WIDTH * 0.58, styles.FRAME_WIDTH * 0.42])
    head.setStyle(styles.layout_style(("VALIGN", (0, 0), (-1, -1), "TOP"),
                                      ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                      ("TOPPADDING", (0, 1), (-1, -1), 0),
                                      ("LEFTPADDING", (1, 0), (1, 0), 0.6 * cm)))

    communes = sorted({n["commune"] for n in neighbourhoods if n.get("commune")})
    today = format_date(dt.date.today(), "long", lang=doc.lang)
    dated = (_("%(place)s, %(date)s") % {"place": communes[0], "date": today}
             if len(communes) == 1 else today)

    problems = sorted((pair for pair in concerned if not pair[0]["positive"]),
                      key=lambda pair: (pair[0]["priority"] or 9, pair[0]["number"]))
    strengths = [pair for pair in concerned if pair[0]["positive"]]
    story: list[Flowable] = [
        head, Spacer(0, 0.7 * cm), para(dated, "right"), Spacer(0, 0.4 * cm),
        styles.labelled(_("Subject:"), _subject(doc), "body"),
        Spacer(0, 0.3 * cm),
        para(_("Dear Sir or Madam,"), "body"),
        para(_intro(doc), "body"),
        para(ngettext(
            "Of the %(total)s observations noted, %(count)s concerns you. It is described "
            "below with the council's proposal and, where we have them, photos; its "
            "number is the one on the plan of the walk.",
            "Of the %(total)s observations noted, %(count)s concern you. They are "
            "described below with the council's proposals and, where we have them, "
            "photos; their numbers are those on the plan of the walk.", len(concerned))
            % {"total": doc.number(len(doc.walk["observations"])),
               "count": doc.number(len(concerned))}, "body"),
    ]
    story += _overview(doc, problems + strengths)
    for n, (observation, followup) in enumerate(problems):
        heading = [para(ngettext("Problem to deal with", "Problems to deal with",
                                 len(problems)), "h1")] if n == 0 else []
        story += _observation(doc, observation, followup, heading)
    for n, (observation, followup) in enumerate(strengths):
        heading = [para(ngettext("Strong point we wish to share with you",
                                 "Strong points we wish to share with you",
                                 len(strengths)), "h1")] if n == 0 else []
        story += _observation(doc, observation, followup, heading)

    story += [
        Spacer(0, 0.5 * cm),
        para(_("We would be grateful if you could tell us what action you intend to take, "
               "so that we can report back to the residents at the next meeting of the "
               "council. We remain at your disposal for any further information, and to "
               "walk the route again with your services."), "body"),
        KeepTogether([para(_("Yours faithfully,"), "body"), Spacer(0, 0.3 * cm),
                      _signature(doc)]),
    ]
    return story


def _intro(doc: WalkDoc) -> str:
    _ = doc.gettext
    ngettext = doc.ngettext
    walk_row = doc.walk
    council = walk_row["council"]["name"]
    if search_key(council).startswith("conseil"):
        who = council
    else:
        who = _("the citizen council %(council)s") % {"council": council}
    people = len(walk_row["participants"]) + (walk_row["counted_participants"] or 0)
    values = {"date": styles.full_date(walk_row["walk_date"], doc.lang), "council": who,
              "count": doc.number(people)}
    if walk_row["period"] == "nuit":
        text = ngettext(
            "On %(date)s, %(council)s walked through the neighbourhood after dark with "
            "%(count)s participant, residents and partners, to note its strong points and "
            "what needs improving (a walking diagnostic).",
            "On %(date)s, %(council)s walked through the neighbourhood after dark with "
            "%(count)s participants, residents and partners, to note its strong points and "
            "what needs improving (a walking diagnostic).", people)
    else:
        text = ngettext(
            "On %(date)s, %(council)s walked through the neighbourhood with %(count)s "
            "participant, residents and partners, to note its strong points and what needs "
            "improving (a walking diagnostic).",
            "On %(date)s, %(council)s walked through the neighbourhood with %(count)s "
            "participants, residents and partners, to note its strong points and what "
            "needs improving (a walking diagnostic).", people)
    return text % values


def _overview(doc: WalkDoc, pairs: list[tuple[dict, dict]]) -> list[Flowable]:
    """One line per observation: the summary a reader scans first."""
    _ = doc.gettext
    head = styles.style("cell_head")
    rows: list[list[Any]] = [[Paragraph(esc(t), head) for t in (
        _("No."), _("Stop"), _("Theme"), _("Priority"), _("Follow-up"))]]
    for observation, followup in pairs:
        sign = "+" if observation["positive"] else "−"
        rows.append([f"{observation['number']} {sign}",
                     para(walk.short_stop(doc, observation), "cell"),
                     para(doc.theme(observation["theme"]), "cell"),
                     str(observation["priority"] or "–"),
                     para(doc.status(followup["status"]), "cell")])
    widths = [1.3 * cm, None, 4.2 * cm, 1.7 * cm, 3.6 * cm]
    widths[1] = styles.FRAME_WIDTH - sum(w for w in widths if w)
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(styles.table_style(("ALIGN", (3, 1), (3, -1), "CENTER")))
    return [Spacer(0, 0.2 * cm), table]


def _observation(doc: WalkDoc, observation: dict[str, Any], followup: dict[str, Any],
                 heading: list[Flowable]) -> list[Flowable]:
    _ = doc.gettext
    story: list[Flowable] = [*heading, Spacer(0, 0.25 * cm),
                             walk.observation_header(doc, observation), Spacer(0, 0.12 * cm)]
    stop = doc.stop_of(observation)
    where = doc.stop_name(observation)
    if stop and stop["address"]:
        where = f"{where} ({stop['address']})"
    story += labelled_text(_("Place:"), where)
    description = [Paragraph(block, indented("body_tight"))
                   for block in styles.text_blocks(observation["description"])]
    story += description or [Paragraph(esc(_("No description.")), indented("meta"))]
    story += labelled_text(_("The council proposes:"), observation["proposal"])
    story += labelled_text(_("Follow-up:"), _status_line(doc, followup))
    photos = doc.printable(observation["photos"])
    if photos:
        story += [Spacer(0, 0.15 * cm), *walk.photo_grid(doc, photos, indent=BODY_INDENT)]
    return [KeepTogether(story)]


def _status_line(doc: WalkDoc, followup: dict[str, Any]) -> str:
    """« Transmis le 3 décembre 2026 (courrier) », or just the status before any step."""
    _ = doc.gettext
    status = doc.status(followup["status"])
    steps = followup["steps"]
    if not steps:
        return status
    last = steps[-1]
    values = {"status": status, "date": doc.date(last["step_date"]),
              "channel": doc.channel(last["channel"])}
    if values["channel"]:
        return _("%(status)s on %(date)s (%(channel)s)") % values
    return _("%(status)s on %(date)s") % values


def _signature(doc: WalkDoc) -> Table:
    _ = doc.gettext
    council = doc.walk["council"]
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

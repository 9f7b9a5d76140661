"""The *compte rendu* (minutes) of a meeting.

Council, meeting, date and venue; « Projet » across every page while the minutes are a
draft, « Validé le … » once approved; who was there (members by attendance status,
proxies, other participants, the anonymous head count, quorum); then each agenda item
with its notes, decisions (and votes) and actions; the outstanding points of earlier
meetings as discussed here; every action of the meeting in one table; the amendments;
and the next meeting.

Notes can be very long (a twenty-page note must print): they are cut into paragraphs on
blank lines and platypus flows them across pages. User text is escaped everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from perr_desktop.domain.meetings import (
    ACTION_STATUS_LABELS,
    ActionStatus,
    AgeBand,
    Attendance,
    MinutesStatus,
)
from perr_desktop.domain.people import is_active
from perr_desktop.i18n import format_date, format_number, translator
from perr_desktop.reports import styles
from perr_desktop.reports.styles import esc, para
from perr_desktop.services import councils, meetings
from perr_desktop.services.reference import perr_objectives, vocabulary_labels

_STATUS_ORDER = (Attendance.PRESENT, Attendance.REPRESENTE, Attendance.EXCUSE, Attendance.ABSENT)
_YOUNG = (AgeBand.MOINS_16, AgeBand.DE_16_A_25)
_BLUE = styles.BLUE.hexval().replace("0x", "#")
_GREY = styles.GREY.hexval().replace("0x", "#")


class _Doc:
    """The document's language: its translator and formatting, passed to each part."""

    def __init__(self, db, meeting: dict[str, Any], lang: str) -> None:
        self.db, self.meeting, self.lang = db, meeting, lang
        self.gettext = translator(lang).gettext
        self.ngettext = translator(lang).ngettext

    def number(self, value: int) -> str:
        return format_number(value, lang=self.lang)

    def date(self, value: str | None) -> str:
        return format_date(dt.date.fromisoformat(value[:10]), "long", lang=self.lang) \
            if value else ""

    def action_status(self, status: str) -> str:
        return self.gettext(ACTION_STATUS_LABELS[ActionStatus(status)])


def build(db, meeting_id: str, lang: str = "fr") -> bytes:
    return styles.build_pdf(*story(db, meeting_id, lang))


def story(db, meeting_id: str, lang: str = "fr") -> tuple[list[Flowable], styles.PageSetup]:
    """The flowables of the minutes and their page setup (the benchmark lays the same
    paragraphs out with bare reportlab)."""
    meetings.require_meeting(db, meeting_id)
    meeting = meetings.get_meeting(db, meeting_id)
    doc = _Doc(db, meeting, lang)
    _ = doc.gettext
    draft = meeting["minutes_status"] != MinutesStatus.VALIDE
    document = _("Minutes")
    setup = styles.PageSetup(
        lang=lang,
        title=f"{document} – {styles.short_date(meeting['starts_at'], lang)}",
        council=meeting["council"]["name"],
        subject=f"{meeting['title']} · {styles.when_text(meeting, lang)}",
        watermark=_("DRAFT") if draft else "",
    )
    flowables = styles.title_block(db, meeting, document, lang)
    flowables += _status(doc)
    flowables += _participation(doc)
    if meeting["notes"].strip():
        flowables += [para(_("General notes"), "h1"), *styles.paragraphs(meeting["notes"])]
    flowables += _items(doc)
    flowables += _outstanding(doc)
    flowables += _actions_table(doc)
    flowables += _amendments(doc)
    flowables += _next_meeting(doc)
    return flowables, setup


# -- status ----------------------------------------------------------------------------

def _status(doc: _Doc) -> list[Flowable]:
    _ = doc.gettext
    meeting = doc.meeting
    if meeting["minutes_status"] != MinutesStatus.VALIDE:
        text = _("Draft – minutes to be approved at the next meeting")
        box = Table([[para(text, "draft")]], colWidths=[styles.FRAME_WIDTH], hAlign="LEFT")
        box.setStyle(styles.layout_style(
            ("BOX", (0, 0), (-1, -1), 1.0, styles.DRAFT),
            ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ))
        return [Spacer(0, 0.3 * cm), box]
    approving = None
    if meeting["validated_in_meeting_id"]:
        approving = doc.db.query_one("SELECT starts_at FROM meetings WHERE id = ?",
                                     (meeting["validated_in_meeting_id"],))
    if approving:
        text = _("Approved on %(date)s") % {"date": doc.date(approving["starts_at"])}
    elif meeting["validated_at"]:
        text = _("Approved on %(date)s") % {
            "date": doc.date(styles.local_day(meeting["validated_at"]).isoformat())}
    else:
        text = _("Approved")
    return [Spacer(0, 0.2 * cm), para(text, "body_tight", bold=True)]


# -- participation ---------------------------------------------------------------------

def _participation(doc: _Doc) -> list[Flowable]:
    _ = doc.gettext
    ngettext = doc.ngettext
    meeting, summary = doc.meeting, doc.meeting["summary"]
    labels = vocabulary_labels(doc.db, "attendance_status", doc.lang)
    rows: list[list[Any]] = []

    def row(label: str, count: int | str, names: str) -> None:
        # Short known values as plain strings: a table wraps each Paragraph cell 3 times.
        rows.append([para(label, "cell", bold=True), count, para(names, "cell") if names else ""])

    row(_("Members invited"), doc.number(summary["members_invited"]), "")
    attendance = meeting["attendance"]
    for status in _STATUS_ORDER:
        people = [r for r in attendance if r["status"] == status
                  and (r["member"] or status != Attendance.PRESENT)]
        if not people:
            continue
        if status == Attendance.REPRESENTE:
            names = [_("%(name)s (represented by %(proxy)s)")
                     % {"name": r["name"], "proxy": r["proxy_name"]} for r in people]
        else:
            names = [_name(r) for r in people]
        row(labels.get(status, status), doc.number(len(people)), ", ".join(names))
    unrecorded = [r for r in attendance if r["member"] and not r["status"]]
    if unrecorded:
        row(_("Attendance not recorded"), doc.number(len(unrecorded)),
            ", ".join(r["name"] for r in unrecorded))
    others = [r for r in attendance if not r["member"] and r["status"] == Attendance.PRESENT]
    if others:
        row(_("Other participants"), doc.number(len(others)), ", ".join(_name(r) for r in others))
    if summary["counted"]:
        row(_("Participants not named"), doc.number(summary["counted"]), _headcount(doc))
    row(_("Total participants"), doc.number(summary["participants"]), "")

    if meeting["council"].get("quorum_percent") is None:
        quorum = _("No quorum rule for this council.")
    elif summary["quorum_required"] is None:
        quorum = _("No member was invited.")
    else:
        values = {"required": doc.number(summary["quorum_required"]),
                  "voting": doc.number(_voting(doc))}
        if summary["quorum_reached"]:
            quorum = ngettext(
                "%(required)s member required, %(voting)s present or represented: "
                "quorum reached.",
                "%(required)s members required, %(voting)s present or represented: "
                "quorum reached.", summary["quorum_required"]) % values
        else:
            quorum = ngettext(
                "%(required)s member required, %(voting)s present or represented: "
                "quorum not reached.",
                "%(required)s members required, %(voting)s present or represented: "
                "quorum not reached.", summary["quorum_required"]) % values
    rows.append([para(_("Quorum"), "cell", bold=True), para(quorum, "cell"), ""])

    table = Table(rows, colWidths=[4.4 * cm, 1.2 * cm, styles.FRAME_WIDTH - 5.6 * cm],
                  hAlign="LEFT", splitInRow=24)
    table.setStyle(styles.table_style(("SPAN", (1, len(rows) - 1), (2, len(rows) - 1)),
                                      ("ALIGN", (1, 0), (1, -2), "RIGHT"), header=False))
    return [para(_("Attendance"), "h1"), table]


def _voting(doc: _Doc) -> int:
    """Members of the host council present or represented: what the quorum counts
    (``attendance_summary`` computes the same but does not return the figure)."""
    day = dt.date.fromisoformat(doc.meeting["starts_at"][:10])
    host = {m["person_id"] for m in councils.council_members(doc.db, doc.meeting["council_id"])
            if is_active(m, day)}
    return sum(1 for r in doc.meeting["attendance"] if r["member"] and r["person_id"] in host
               and r["status"] in (Attendance.PRESENT, Attendance.REPRESENTE))


def _name(row: dict[str, Any]) -> str:
    """A participant, with their organisation when they came for one."""
    if row["organisation"] and not row["member"]:
        return f"{row['name']} ({row['organisation']})"
    return row["name"]


def _headcount(doc: _Doc) -> str:
    """« 3 femmes, 1 homme ; 2 de 25 ans ou moins ; 1 première participation »."""
    ngettext = doc.ngettext
    counts = {"femme": 0, "homme": 0, "non_precise": 0}
    young = qpv = first = 0
    for line in doc.meeting["headcounts"]:
        counts[line["gender"]] = counts.get(line["gender"], 0) + line["count"]
        young += line["count"] if line["age_band"] in _YOUNG else 0
        qpv += line["count"] if line["lives_in_qpv"] == 1 else 0
        first += line["count"] if line["first_time"] == 1 else 0
    n = doc.number
    genders = [
        ngettext("%(count)s woman", "%(count)s women", counts["femme"])
        % {"count": n(counts["femme"])},
        ngettext("%(count)s man", "%(count)s men", counts["homme"])
        % {"count": n(counts["homme"])},
    ]
    if counts["non_precise"]:
        genders.append(ngettext("%(count)s gender not given", "%(count)s gender not given",
                                counts["non_precise"]) % {"count": n(counts["non_precise"])})
    parts = [", ".join(genders)]
    if young:
        parts.append(ngettext("%(count)s aged 25 or under", "%(count)s aged 25 or under",
                              young) % {"count": n(young)})
    if qpv:
        parts.append(ngettext("%(count)s living in the neighbourhood",
                              "%(count)s living in the neighbourhood", qpv) % {"count": n(qpv)})
    if first:
        parts.append(ngettext("%(count)s taking part for the first time",
                              "%(count)s taking part for the first time", first)
                     % {"count": n(first)})
    return " – ".join(parts)


# -- agenda items ----------------------------------------------------------------------

def _items(doc: _Doc) -> list[Flowable]:
    _ = doc.gettext
    meeting = doc.meeting
    if not (meeting["agenda"] or meeting["decisions"] or meeting["actions"]):
        return []
    objectives = {o["code"]: o["label"] for o in perr_objectives(doc.db, doc.lang)}
    story: list[Flowable] = [para(_("Items discussed"), "h1")]
    for number, item in enumerate(meeting["agenda"], start=1):
        story.append(Paragraph(f"{number}.&nbsp;&nbsp;{esc(item['title'])}", styles.style("h2")))
        meta = []
        if item["presenter"]:
            meta.append(_("Presented by %(name)s") % {"name": item["presenter"]})
        if item["objective_code"]:
            meta.append(_("PERR objective %(code)s: %(label)s") % {
                "code": item["objective_code"],
                "label": objectives.get(item["objective_code"], "")})
        if meta:
            story.append(para(" · ".join(meta), "meta"))
        notes = styles.paragraphs(item["notes"])
        story += notes or [para(_("No notes."), "meta")]
        story += _decisions(doc, [d for d in meeting["decisions"]
                                  if d["agenda_item_id"] == item["id"]])
        story += _item_actions(doc, [a for a in meeting["actions"]
                                     if a["agenda_item_id"] == item["id"]])
    loose_decisions = [d for d in meeting["decisions"] if not d["agenda_item_id"]]
    loose_actions = [a for a in meeting["actions"] if not a["agenda_item_id"]]
    if loose_decisions or loose_actions:
        story.append(para(_("Other business"), "h2"))
        story += _decisions(doc, loose_decisions)
        story += _item_actions(doc, loose_actions)
    return story


def vote_text(doc: _Doc, decision: dict[str, Any]) -> str:
    """« Vote : 11 pour, 2 contre, 1 abstention », or an empty string without a vote."""
    votes = (decision["votes_for"], decision["votes_against"], decision["votes_abstain"])
    if all(v is None for v in votes):
        return ""
    for_, against, abstain = (v or 0 for v in votes)
    abstentions = doc.ngettext("%(count)s abstention", "%(count)s abstentions",
                               abstain) % {"count": doc.number(abstain)}
    _ = doc.gettext
    return _("Vote: %(for)s for, %(against)s against, %(abstentions)s") % {
        "for": doc.number(for_), "against": doc.number(against), "abstentions": abstentions}


def _decisions(doc: _Doc, decisions: list[dict[str, Any]]) -> list[Flowable]:
    _ = doc.gettext
    story: list[Flowable] = []
    for decision in decisions:
        texts = styles.text_blocks(decision["text"])
        if not texts:
            continue
        label = _("Decision:")
        texts[0] = f"<font color='{_BLUE}'><b>{esc(label)}</b></font> {texts[0]}"
        blocks: list[Flowable] = [Paragraph(t, styles.style("decision")) for t in texts]
        votes = vote_text(doc, decision)
        if votes:
            blocks.append(para(votes, "decision_vote"))
        story += blocks
    return story


def _item_actions(doc: _Doc, actions: list[dict[str, Any]]) -> list[Flowable]:
    _ = doc.gettext
    story: list[Flowable] = []
    for action in actions:
        details = _action_details(doc, action)
        label = _("Action:")
        text = f"<b>{esc(label)}</b> {esc(action['text'])}"
        if details:
            text += f" <font color='{_GREY}'>({esc(details)})</font>"
        story.append(Paragraph(text, styles.style("decision")))
    return story


def _action_details(doc: _Doc, action: dict[str, Any]) -> str:
    _ = doc.gettext
    parts = []
    if action["assignee"]:
        parts.append(_("by %(name)s") % {"name": action["assignee"]})
    if action["due_on"]:
        parts.append(_("due %(date)s") % {"date": doc.date(action["due_on"])})
    return ", ".join(parts)


# -- outstanding points, actions, amendments, next meeting -------------------------------

def _outstanding(doc: _Doc) -> list[Flowable]:
    _ = doc.gettext
    rows = doc.meeting["outstanding"]
    if not rows:
        return []
    story: list[Flowable] = [
        para(_("Outstanding points"), "h1"),
        para(_("Actions decided at earlier meetings, and where they stand."), "meta"),
    ]
    for action in rows:
        origin = _("decided on %(date)s") % {"date": doc.date(action["meeting_starts_at"])}
        details = ", ".join(v for v in (origin, _action_details(doc, action)) if v)
        story.append(Paragraph(
            f"<b>{esc(action['text'])}</b> <font color='{_GREY}'>({esc(details)})</font>",
            styles.style("decision")))
        status = _("Status: %(status)s") % {"status": doc.action_status(action["status_here"])}
        note = (action["update"] or {}).get("note") or ""
        line = f"<b>{esc(status)}</b>"
        if note:
            line += f" – {esc(note)}"
        story.append(Paragraph(line, styles.style("decision_vote")))
    return story


def _actions_table(doc: _Doc) -> list[Flowable]:
    _ = doc.gettext
    actions = doc.meeting["actions"]
    if not actions:
        return []
    head = styles.style("cell_head")
    rows: list[list[Any]] = [[Paragraph(esc(t), head) for t in (
        _("No."), _("Action"), _("Who"), _("Due"), _("Status"))]]
    for number, action in enumerate(actions, start=1):
        # N°, date and status are short: plain strings, cheaper than Paragraph cells.
        rows.append([str(number), para(action["text"], "cell"),
                     para(action["assignee"] or "", "cell"), doc.date(action["due_on"]),
                     doc.action_status(action["status"])])
    widths = [0.9 * cm, None, 3.6 * cm, 3.3 * cm, 2.2 * cm]
    widths[1] = styles.FRAME_WIDTH - sum(w for w in widths if w)
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=24)
    table.setStyle(styles.table_style())
    return [para(_("Actions of this meeting"), "h1"), table]


def _amendments(doc: _Doc) -> list[Flowable]:
    _ = doc.gettext
    amendments = doc.meeting["amendments"]
    if not amendments:
        return []
    story: list[Flowable] = [para(_("Amendments"), "h1")]
    for amendment in amendments:
        story.append(para(_("Recorded on %(date)s") % {"date": doc.date(amendment["recorded_on"])},
                          "label"))
        story += styles.paragraphs(amendment["text"])
    return story


def _next_meeting(doc: _Doc) -> list[Flowable]:
    _ = doc.gettext
    upcoming = meetings.next_meeting(doc.db, doc.meeting["id"])
    if upcoming is None:
        return []
    kind = styles.kind_label(doc.db, upcoming["kind"], doc.lang)
    story: list[Flowable] = [
        para(_("Next meeting"), "h1"),
        styles.labelled(_("Date:"), styles.when_text(upcoming, doc.lang)),
        styles.labelled(_("Meeting:"), _("%(kind)s “%(title)s”")
                        % {"kind": kind, "title": upcoming["title"]}),
    ]
    if upcoming["venue"]:
        story.append(styles.labelled(_("Venue:"), upcoming["venue"]))
    return story

"""Printing the minutes of a long plénière: 12 agenda items, 40 attendees.

    .venv/bin/python -m benchmarks.bench_reports [--repeat 7]

``minutes.build`` (database reads, embedded fonts, running header, « Page n sur N »,
tables, headings kept with what follows) is compared with a baseline measured in the
same run: a bare reportlab ``SimpleDocTemplate`` of the same paragraphs (``minutes.story``
walked; a table row as one paragraph) in the default style (Helvetica, not embedded, no
header, no page count), and the same again with the bold/colour markup removed. Medians
of runs taken in turn; target: at most 2×.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from benchmarks.common import bare_pdf, medians_in_turn

FIRST = ["Hélène", "Loïc", "Françoise", "Maëlle", "Zoé", "Anaïs", "Jérôme", "Noël", "Karim",
         "Samira", "Fatou", "Mamadou", "Rui", "Thi", "Emre", "Chloé", "Yanis", "Inès"]
LAST = ["Lefèvre", "Garnier", "D'Almeida", "N'Diaye", "Le Bihan", "Benali", "Ouédraogo",
        "Nguyen", "Da Silva", "Lacôte", "Bœuf", "Martin", "Bernard", "Moreau", "Yilmaz"]
WORDS = ("les habitants signalent que l'éclairage de l'allée reste éteint le soir et que "
         "le bailleur a promis une intervention avant l'hiver ; la Ville rappelle le marché "
         "de maintenance en cours et propose une visite commune avec le conseil citoyen").split()


def sentence(rng: random.Random, n: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(n))
    return text[:1].upper() + text[1:] + "."


def build_database(path: Path) -> str:
    """A council of 40 members, all invited and present but a few, and a meeting with 12
    agenda items of a few paragraphs each, decisions and actions."""
    from perr_desktop.services import councils, meetings, people
    from perr_desktop.storage.database import open_database

    rng = random.Random(11)
    with open_database(path) as db:
        [council] = councils.create_qpv_councils(db, ["champ-de-manoeuvre"])
        councils.update_council(db, council, facilitator_name="Samira Benhaddou",
                                venue="Maison de quartier")
        ids = []
        for i in range(40):
            person = people.create_person(db, first_name=rng.choice(FIRST),
                                          last_name=f"{rng.choice(LAST)} {i}",
                                          gender=rng.choice(["femme", "homme"]))
            people.add_membership(db, council, person, "habitants", joined_on="2025-01-01")
            ids.append(person)
        meeting = meetings.plan_meeting(db, council, "pleniere", "Plénière de novembre",
                                        "2026-11-26T18:30", "2026-11-26T21:00")
        for n, person in enumerate(ids):
            meetings.set_attendance(db, meeting, person, "excuse" if n % 9 == 0 else "present")
        for n in range(12):
            item = meetings.add_agenda_item(db, meeting, f"Point {n + 1} : {sentence(rng, 6)}",
                                            15, rng.choice(FIRST))
            notes = "\n\n".join(sentence(rng, rng.randint(40, 90))
                                for _ in range(rng.randint(3, 5)))
            meetings.set_item_notes(db, item, notes)
            if n % 2 == 0:
                meetings.add_decision(db, meeting, sentence(rng, 25), item, 20, 3, 2)
            meetings.add_action(db, meeting, sentence(rng, 10), item,
                                assignee_person_id=rng.choice(ids), due_on="2027-01-15")
    return meeting


def baseline_texts(db, meeting_id: str) -> list[str]:
    """Every paragraph the minutes print, as reportlab markup (a table row: one
    paragraph of its cells)."""
    from reportlab.platypus import Paragraph, Table

    from perr_desktop.reports import minutes

    def words(item) -> list[str]:
        if isinstance(item, Paragraph):
            return [item.text]
        if isinstance(item, str):
            return [escape(item)] if item.strip() else []
        if isinstance(item, list | tuple):
            return [text for inner in item for text in words(inner)]
        return []

    texts: list[str] = []
    for flowable in minutes.story(db, meeting_id, "fr")[0]:
        if isinstance(flowable, Table):  # a table row reads as one paragraph
            texts += [" · ".join(words(row)) for row in flowable._cellvalues]
        else:
            texts += words(flowable)
    return [text for text in texts if text]


def bare_reportlab(texts: list[str]) -> bytes:
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    normal = getSampleStyleSheet()["Normal"]
    return bare_pdf(Paragraph(t, normal) for t in texts)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("PERR_DESKTOP_HOME", folder)
        from perr_desktop.reports import minutes
        from perr_desktop.storage.database import open_database

        path = Path(folder) / "bench.sqlite"
        meeting = build_database(path)
        with open_database(path) as db:
            texts = baseline_texts(db, meeting)
            plain = [re.sub(r"<[^>]+>", "", t).replace("&nbsp;", " ") for t in texts]
            minutes.build(db, meeting, lang="fr")  # fonts registered, caches warm
            ours, bare, bare_plain = medians_in_turn(
                [lambda: minutes.build(db, meeting, lang="fr"),
                 lambda: bare_reportlab(texts), lambda: bare_reportlab(plain)], args.repeat)
            pages = minutes.build(db, meeting, lang="fr").count(b"/Type /Page\n")
    print(f"minutes.build, 12 items, 40 attendees, {pages} pages: {ours * 1000:7.1f} ms "
          f"(median of {args.repeat})")
    print(f"bare SimpleDocTemplate, same paragraphs:           {bare * 1000:7.1f} ms   "
          f"ratio {ours / bare:.2f}x (target <= 2x)")
    print(f"  the same without bold/colour markup:             {bare_plain * 1000:7.1f} ms   "
          f"ratio {ours / bare_plain:.2f}x")
    print(f"({len(texts)} paragraphs, {sum(map(len, plain))} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

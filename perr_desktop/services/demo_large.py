"""Large demonstration data: ten years of the five councils, for benchmarks (issue 7).

``perr-desktop demo --size large`` fills a database with about 3,000 people, 2,000
meetings, 60,000 attendance rows, 500 walks, 25,000 observations and photos and 50,000
follow-up steps in well under a minute. The small demonstration writes through the
services, one transaction per action; at this size that would take most of an hour, so
here the rows are computed in memory and inserted with ``executemany`` in one
transaction (WAL, ``synchronous = OFF`` while writing, then ``FULL`` again, foreign keys
checked at the commit and by ``PRAGMA foreign_key_check`` afterwards).

Bypassing the services means keeping their rules by construction:

- memberships of one council never overlap for a person; nobody joins before 16;
- only the members of the meeting's councils on its day are invited (a bureau and a
  comité de pilotage invite a few); anybody else is a walk-in, recorded present;
- attendance, head counts, minutes and follow-ups of actions exist only for meetings
  that took place (before ``today``, not cancelled); a proxy is held by someone present,
  one proxy each;
- minutes are approved at a later, held, not cancelled meeting of the same council
  (``validated_at``: that meeting's start, in UTC); an amendment only on approved minutes,
  dated between the meeting and today; an action's status and ``closed_on`` are those of
  its latest follow-up, recorded at later meetings of its council;
- observations are numbered 1…n in each walk, on the walk's stops; photos are on their
  observation's stop, once per (walk, image); a follow-up's status and reminder are those
  of its latest step; steps are dated between the walk and today, reminders after them;
- every vocabulary code, PERR objective and position is valid; ids are uuid4 drawn from
  a generator seeded like the rest, timestamps are derived from the dates they record
  (UTC, never after ``today``): the same seed and ``today`` give the same rows.

Names, texts, places and pictures come from the small demonstration
(:mod:`perr_desktop.services.demo`), so that the two read alike. The photos share a
couple of hundred generated pictures (drawn like the small demonstration's), each stored
once under its SHA-256 like an import stores it; a walk shows each picture at most once.

``scale`` thins the calendar (fewer meetings and walks over the same ten years) for
tests: meetings, walks, observations, photos, attendance and steps shrink in proportion;
the councils keep their size, so the number of people has a floor of a few hundred.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import random
import re
import shutil
import tempfile
import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from perr_desktop import paths
from perr_desktop.domain.meetings import TIMEZONE
from perr_desktop.i18n import format_date
from perr_desktop.services import demo
from perr_desktop.services.demo import (
    ANSWERS,
    APPROVAL_MANY,
    APPROVAL_MANY_NOTES,
    APPROVAL_NOTES,
    APPROVAL_ONE,
    BUREAU,
    CHILDREN_SCENES,
    COPIL,
    DUMPING,
    DUMPING_NOTE,
    FEEDBACK,
    FINDINGS,
    FORMER_PARTICIPANT_NOTES,
    HEADCOUNTS,
    INTER_COUNCIL_ITEMS,
    INTER_COUNCILS,
    INTERMEDIATE,
    KIND_NAMES,
    KIND_OBJECTIVES,
    KIND_OF,
    LOCAL,
    MAPS,
    MISCELLANEOUS,
    MISCELLANEOUS_NOTES,
    NIGHT_STOP_SCENES,
    OUTSTANDING,
    PARTNERS,
    PHONES,
    PLANS,
    PREPARATION,
    RESOLVED_NOTES,
    SENT_NOTES,
    SHARED_ORGANISATIONS,
    STOP_SCENES,
    THEMATIC,
    THEMATIC_OPENING,
    TOPICS,
    TRAINING_ITEMS,
    TRAININGS,
    WALK_FIRST_NAMES,
    WALK_SURNAMES,
    WEATHER,
    DemoSummary,
    action_progress,
)
from perr_desktop.services.people import _keys as person_keys
from perr_desktop.storage import media

YEARS = 10
LOOK_AHEAD = dt.timedelta(days=42)  # meetings already planned in the coming weeks
PEOPLE = 3000
RESIDENT_SEATS = (31, 37)  # seats of each college, filled one member after another
STAKEHOLDER_SEATS = (8, 11)
TENURE_YEARS = {"habitants": 3.5, "acteurs_locaux": 5.0}  # mean time on the council
OBSERVATIONS_PER_WALK = (38, 62)
PICTURE_VARIANTS = 2  # drawings of each scene, by day and by night
THUMBNAIL_QUALITY = 80
WORKING_QUALITY = 85
RESIDENT_ROLES = ("referent", "secretaire", "tresorier", "suppleant")
STAKEHOLDER_ROLES = ("representant_instances",)
# Follow-up: (next status, weight) after each status; None stops (no answer, or closed).
NEXT_STEP = {
    "transmis": (("pris_en_compte", 34), ("programme", 14), ("transmis", 20), ("resolu", 12),
                 ("refuse", 5), ("reoriente", 4), ("doublon", 2), (None, 9)),
    "pris_en_compte": (("programme", 45), ("en_cours", 15), ("resolu", 18), ("refuse", 5),
                       (None, 17)),
    "programme": (("resolu", 68), ("en_cours", 17), (None, 15)),
    "en_cours": (("resolu", 80), (None, 20)),
}
REDIRECTED_TO = ("departement", "agglomeration", "bailleur", "ville")
# A problem often concerns a second body as well (the city and the landlord share a
# courtyard's lighting, the police follows the city on speeding…).
ALSO = {"ville": ("bailleur", "agglomeration", "police_municipale"), "bailleur": ("ville",),
        "agglomeration": ("ville",), "departement": ("ville",), "police_municipale": ("ville",)}
SECOND_BODY = 0.22

# Columns written, in order, after id, created_at, updated_at and deleted_at; the order of
# the tables is the order of insertion (a record after those it refers to).
COLUMNS: dict[str, tuple[str, ...]] = {
    "councils": ("name", "status", "facilitator_name", "facilitator_contact", "venue",
                 "recognised_on", "notes", "quorum_percent"),
    "council_neighbourhoods": ("council_id", "neighbourhood_id"),
    "people": ("first_name", "last_name", "gender", "organisation", "email", "phone",
               "address", "birth_year", "lives_in_qpv", "notes", "consent_date",
               "consent_contact", "consent_photos", "search_key", "sort_key"),
    "memberships": ("council_id", "person_id", "college", "role", "joined_on", "left_on",
                    "notes"),
    "meetings": ("council_id", "kind", "title", "starts_at", "ends_at", "venue", "notes",
                 "cancelled", "minutes_status", "validated_at", "validated_in_meeting_id",
                 "copied_from_id"),
    "meeting_guest_councils": ("meeting_id", "council_id"),
    "meeting_objectives": ("meeting_id", "objective_code"),
    "agenda_items": ("meeting_id", "position", "title", "duration_minutes", "presenter",
                     "objective_code", "notes"),
    "attendance": ("meeting_id", "person_id", "invited", "member", "status",
                   "proxy_person_id", "note"),
    "headcounts": ("meeting_id", "gender", "age_band", "lives_in_qpv", "first_time",
                   "count"),
    "decisions": ("meeting_id", "agenda_item_id", "position", "text", "votes_for",
                  "votes_against", "votes_abstain"),
    "actions": ("council_id", "meeting_id", "agenda_item_id", "position", "text",
                "assignee_person_id", "assignee_body", "due_on", "status", "closed_on"),
    "action_updates": ("action_id", "meeting_id", "status", "note"),
    "amendments": ("meeting_id", "text", "recorded_on"),
    "media": ("sha256", "kind", "original_name", "original_size", "width", "height",
              "taken_at", "latitude", "longitude", "camera"),
    "walks": ("council_id", "title", "walk_date", "start_time", "period", "weather", "notes",
              "counted_participants", "plan_media_id", "previous_walk_id", "meeting_id"),
    "walk_stops": ("walk_id", "position", "name", "address", "latitude", "longitude",
                   "plan_x", "plan_y", "notes"),
    "walk_participants": ("walk_id", "person_id", "name", "organisation", "role"),
    "observations": ("walk_id", "number", "stop_id", "theme", "positive", "description",
                     "feeling", "proposal", "priority", "objective_code", "tags", "latitude",
                     "longitude", "plan_x", "plan_y"),
    "photos": ("walk_id", "media_id", "stop_id", "observation_id", "identifiable",
               "include_anyway", "caption"),
    "followups": ("observation_id", "body", "status", "next_reminder_on"),
    "followup_steps": ("followup_id", "step_date", "status", "channel", "note",
                       "next_reminder_on"),
}


@dataclass(frozen=True)
class LargeSummary(DemoSummary):
    """What was written; printed as the small demonstration's summary is."""

    attendance: int = 0
    followups: int = 0
    followup_steps: int = 0
    pictures: int = 0  # distinct image files (the photos share them)


class _Context(dict):
    """Template values; a name a template wants and the context lacks reads as empty."""

    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, context: dict[str, Any]) -> str:
    return template.format_map(_Context(context))


# -- the pictures -----------------------------------------------------------------------
# Drawn in worker threads while the rows are computed; each is stored the way the import
# stores one (a JPEG working copy named by its SHA-256, and a thumbnail).

@dataclass(frozen=True)
class _Picture:
    sha256: str
    width: int
    height: int
    size: int  # bytes of the original


def _write_pair(folder: Path, sha256: str, working: bytes, image: Image.Image) -> None:
    target = folder / sha256[:2]
    target.mkdir(parents=True, exist_ok=True)
    scale = min(1.0, media.THUMBNAIL_SIZE / max(image.size))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    # reduce() first: a third of the time of a resize from the full size, same look.
    factor = max(1, min(image.width // size[0], image.height // size[1]))
    small = (image.reduce(factor) if factor > 1 else image).resize(
        size, Image.Resampling.BICUBIC)
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=THUMBNAIL_QUALITY)
    (target / f"{sha256}-thumb.jpg").write_bytes(buffer.getvalue())
    (target / f"{sha256}.jpg").write_bytes(working)


def _save_photo(folder: Path, image: Image.Image) -> _Picture:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=WORKING_QUALITY)
    data = buffer.getvalue()
    sha256 = hashlib.sha256(data).hexdigest()
    _write_pair(folder, sha256, data, image)
    return _Picture(sha256, image.width, image.height, len(data))


def _draw_photos(folder: Path, scene: str, night: bool, seed: int, wanted: Sequence[bool]
                 ) -> list[_Picture | None]:
    """The pictures of a scene, drawn as the small demonstration draws its photos: the
    scene, then the same with children playing (a scene where children may be) or seen
    the other way round. Only the ``wanted`` ones are written. The original is taken to
    be this JPEG (as a photo passed through a messaging app, without EXIF)."""
    shot = demo._Shot(Path("photo.jpg"), seed, scene, night, False, dt.datetime(2020, 1, 1),
                      "Apple", "iPhone 13", None)
    drawing = demo._Scene(shot)
    demo._draw_scene(drawing, scene)
    out: list[_Picture | None] = []
    for variant, write in enumerate(wanted):
        if variant == 1:
            if scene in CHILDREN_SCENES:
                demo._children(drawing)
            else:
                drawing.image = drawing.image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        out.append(_save_photo(folder, drawing.image) if write else None)
    return out


def _draw_plan(folder: Path, code: str, route: tuple[int, ...]) -> _Picture:
    """A plan drawn as the small demonstration draws it (a PNG, the original)."""
    with tempfile.TemporaryDirectory(prefix="perr-plan-") as scratch:
        source = Path(scratch) / "plan.png"
        demo._write_plan(source, MAPS[code], route, "Parcours du diagnostic en marchant")
        original = source.read_bytes()
    with Image.open(io.BytesIO(original)) as image:
        rgb = image.convert("RGB")
    buffer = io.BytesIO()
    rgb.save(buffer, "JPEG", quality=WORKING_QUALITY)
    sha256 = hashlib.sha256(original).hexdigest()
    _write_pair(folder, sha256, buffer.getvalue(), rgb)
    return _Picture(sha256, rgb.width, rgb.height, len(original))


# -- what is being built -----------------------------------------------------------------

@dataclass
class _Member:
    person_id: str
    college: str
    role: str
    joined: dt.date
    left: dt.date | None
    assiduity: float


Step = tuple[dt.date, str, str, str, "dt.date | None"]  # day, status, channel, note, reminder


@dataclass
class _Walk:
    code: str
    day: dt.date
    period: str
    start: str
    route_index: int
    previous: _Walk | None = None
    walk_id: str = ""
    meeting_id: str = ""
    stop_ids: list[str] = field(default_factory=list)
    # (observation id, finding, stop index, template values) of every observation
    notes: list[tuple[str, Any, int, dict[str, Any]]] = field(default_factory=list)
    observations: list[tuple[str, dt.datetime, tuple]] = field(default_factory=list)
    photos: list[tuple] = field(default_factory=list)
    problems: list[tuple[str, Any, int | None, dt.datetime]] = field(default_factory=list)
    participants: list[tuple[str, str | None, str, str]] = field(default_factory=list)
    counted: int = 0
    dossiers: dict[str, tuple[dt.date, str] | None] = field(default_factory=dict)


@dataclass
class _Event:
    code: str
    kind: str
    day: dt.date
    start: str
    minutes: int
    title: str
    venue: str
    guests: tuple[str, ...] = ()
    subject: str = ""
    cancelled: bool = False
    walk: _Walk | None = None
    meeting_id: str = ""
    participants: int = 0
    decisions: int = 0
    context: dict[str, Any] | None = None

    @property
    def starts_at(self) -> str:
        return f"{self.day.isoformat()}T{self.start}"

    @property
    def moment(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.starts_at)

    @property
    def ends_at(self) -> str:
        return (self.moment + dt.timedelta(minutes=self.minutes)).isoformat(timespec="minutes")

    def involves(self, code: str) -> bool:
        return self.code == code or code in self.guests


@dataclass
class _Meeting:
    """A meeting row still changing: approved later, its updated_at moving on."""

    meeting_id: str
    created: dt.datetime
    updated: dt.datetime
    values: dict[str, Any]


@dataclass
class _Action:
    action_id: str
    task: demo._Task
    day: dt.date
    text: str
    assignee: str
    created: dt.datetime
    values: dict[str, Any]
    updated: dt.datetime | None = None


# (title, minutes, presenter, objective, item, standing kind, template values)
_Entry = tuple[str, int, str, "str | None", "demo._Item | None", str, dict[str, Any]]


class _Large:
    """Computes every row in memory, in an order that lets later records refer to
    earlier ones; :meth:`write` inserts them."""

    def __init__(self, db, seed: int, today: dt.date, scale: float) -> None:
        self.db, self.seed, self.today, self.scale = db, seed, today, scale
        self.rng = random.Random(seed)
        self._ids = random.Random(f"{seed}/ids")
        self.start = demo._years_before(today, YEARS)
        self.last_day = today - dt.timedelta(days=1)
        # Nothing is recorded after the evening before ``today``.
        self.limit = dt.datetime.combine(today, dt.time(0, 0)) - dt.timedelta(minutes=1)
        self._offsets: dict[dt.date, dt.timedelta] = {}
        self.rows: dict[str, list[tuple]] = {table: [] for table in COLUMNS}
        # The small demonstration's name and contact generator (pools, no homonyms).
        self.namer = demo._Builder(None, self.rng, today)
        self.objectives = {r[0] for r in db.execute("SELECT code FROM perr_objectives")}
        self.codes = [plan.code for plan in PLANS]
        self.plans = {plan.code: plan for plan in PLANS}
        self.council_id: dict[str, str] = {}
        self.founded: dict[str, dt.date] = {}
        self.members: dict[str, list[_Member]] = {code: [] for code in self.codes}
        self.memberships: dict[str, list[tuple[str, dt.date, dt.date | None]]] = {}
        self.people: dict[str, dict[str, Any]] = {}
        self.facilitators: dict[str, list[tuple[dt.date, str]]] = {}
        self.partners: list[str] = []
        self.police: list[str] = []
        self.regulars: dict[str, list[str]] = {code: [] for code in self.codes}
        self.newcomer_budget = 0
        self.events: list[_Event] = []
        self.taken: dict[str, set[dt.date]] = {code: set() for code in self.codes}
        self.walks: list[_Walk] = []
        self.agents: dict[tuple[str, str], str] = {}
        scenes = sorted({f.scene for f in FINDINGS}
                        | {f.fixed_scene for f in FINDINGS if f.fixed_scene}
                        | set(STOP_SCENES.values()) | set(NIGHT_STOP_SCENES.values()))
        self.picture_keys = [(scene, night, variant) for scene in scenes
                             for night in (False, True) for variant in range(PICTURE_VARIANTS)]
        self.pictures: dict[tuple, str] = {}  # picture key -> media id
        self.picture_use: dict[tuple, tuple[dt.datetime, tuple[str, str], Any]] = {}
        self.plan_media: dict[tuple[str, int], str] = {}
        self.meetings: list[_Meeting] = []
        self.actions: dict[str, list[_Action]] = {code: [] for code in self.codes}
        self.pending: dict[str, list[tuple[_Event, _Meeting]]] = {c: [] for c in self.codes}
        self.approvals: list[tuple[_Event, _Event, _Meeting]] = []
        self.last_pleniere: dict[str, str] = {}
        self.month_names: dict[dt.date, str] = {}
        self.fitting: dict[tuple[str, str, str], list[demo._Finding]] = {}
        self.thinning = {"meeting": self.rng.random(), "walk": self.rng.random()}

    # -- ids and timestamps ------------------------------------------------------------

    def new_id(self) -> str:
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))

    def stamp(self, moment: dt.datetime) -> str:
        """A local (Paris) moment as a record's UTC timestamp, never after the limit."""
        if moment > self.limit:
            moment = self.limit
        day = moment.date()
        offset = self._offsets.get(day)
        if offset is None:  # the day's offset (nothing is recorded at 2 a.m.)
            offset = dt.datetime.combine(day, dt.time(12)).replace(tzinfo=TIMEZONE).utcoffset()
            self._offsets[day] = offset
        return (moment - offset).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def at(self, day: dt.date, hour: int, minute: int | None = None) -> dt.datetime:
        rng = self.rng
        return dt.datetime(day.year, day.month, day.day, hour,
                           rng.randrange(60) if minute is None else minute, rng.randrange(60),
                           rng.randrange(1_000_000))

    def add(self, table: str, created: dt.datetime, updated: dt.datetime | None,
            values: Sequence[Any], record_id: str | None = None) -> str:
        record_id = record_id or self.new_id()
        created_at = self.stamp(created)
        updated_at = self.stamp(updated) if updated is not None and updated > created \
            else created_at
        self.rows[table].append((record_id, created_at, updated_at, None, *values))
        return record_id

    def month(self, day: dt.date) -> str:
        first = day.replace(day=1)
        name = self.month_names.get(first)
        if name is None:
            name = self.month_names[first] = format_date(first, "MMMM yyyy", lang="fr")
        return name

    # -- councils and people -------------------------------------------------------------

    def councils(self) -> None:
        rng = self.rng
        rows = self.db.query("SELECT id, code, name FROM neighbourhoods "
                             "WHERE deleted_at IS NULL ORDER BY name")
        for row in rows:  # in the order create_qpv_councils would create them
            code = row["code"]
            if code not in self.plans:
                continue
            plan = self.plans[code]
            recognised = self.start - dt.timedelta(days=rng.randint(30, 400))
            founded = recognised - dt.timedelta(days=rng.randint(7, 45))
            self.founded[code] = founded
            facilitator = plan.facilitator
            contact = (self.namer.landline() if facilitator.contact == "phone"
                       else facilitator.contact)
            created = self.at(founded, 10)
            council_id = self.add("councils", created, self.limit - dt.timedelta(days=60), (
                row["name"], "actif", f"{facilitator.first_name} {facilitator.last_name}",
                contact, plan.venue, recognised.isoformat(), plan.notes, 50))
            self.council_id[code] = council_id
            self.add("council_neighbourhoods", created, None, (council_id, row["id"]))
        self.codes = [code for code in self.codes if code in self.council_id]

    def person(self, created: dt.date, **fields: Any) -> str:
        values = {"first_name": "", "last_name": "", "gender": "non_precise", "organisation": "",
                  "email": "", "phone": "", "address": "", "birth_year": None,
                  "lives_in_qpv": None, "notes": "", "consent_date": None,
                  "consent_contact": 0, "consent_photos": 0, **fields}
        for key in ("lives_in_qpv", "consent_contact", "consent_photos"):
            if isinstance(values[key], bool):
                values[key] = int(values[key])
        keys = person_keys(values)  # the keys people.create_person computes
        person_id = self.add("people", self.at(created, self.rng.randint(9, 20)), None, (
            *(values[c] for c in COLUMNS["people"][:-2]), keys["search_key"],
            keys["sort_key"]))
        self.people[person_id] = values
        return person_id

    def consent(self, joined: dt.date, photos_share: float) -> dict[str, Any]:
        day = demo._day_between(self.rng, min(joined, self.last_day),
                                min(joined + dt.timedelta(days=21), self.last_day))
        return {"consent_date": day.isoformat(), "consent_contact": self.rng.random() < 0.93,
                "consent_photos": self.rng.random() < photos_share}

    def resident(self, joined: dt.date, gender: str | None) -> tuple[str, str]:
        rng, namer = self.rng, self.namer
        gender = gender or rng.choice(("femme", "homme"))
        age = rng.choices(("young", "adult", "senior", "unknown"), (14, 52, 28, 6))[0]
        years = {"young": (18, 24), "adult": (25, 59), "senior": (60, 80)}.get(age)
        birth_year = joined.year - rng.randint(*years) if years else None
        first, last = namer.name(gender, birth_year)
        contact = rng.choices(("phone_only", "email_only", "both"), (30, 10, 60))[0]
        senior = birth_year is not None and self.today.year - birth_year >= 60
        fields: dict[str, Any] = {
            "first_name": first, "last_name": last, "gender": gender, "birth_year": birth_year,
            "lives_in_qpv": True if rng.random() >= 0.08 else None,
            "email": "" if contact == "phone_only" else namer.email(first, last),
            "phone": "" if contact == "email_only" else
            (namer.landline() if senior and rng.random() < 0.5 else namer.mobile()),
        }
        if contact == "phone_only" and rng.random() < 0.5:
            fields["notes"] = "Pas d'adresse électronique : convocations par courrier."
        if rng.random() < 0.9:
            fields.update(self.consent(joined, 0.75))
        return self.person(joined, **fields), gender

    def stakeholder(self, organisation: str, joined: dt.date) -> tuple[str, str]:
        rng, namer = self.rng, self.namer
        gender = "femme" if "Femmes" in organisation else rng.choice(("femme", "homme"))
        first, last = namer.name(gender)
        return self.person(
            joined, first_name=first, last_name=last, gender=gender, organisation=organisation,
            email=namer.email(first, last, professional=True) if rng.random() < 0.9 else "",
            phone=namer.landline() if rng.random() < 0.7 else namer.mobile(),
            **self.consent(joined, 0.85)), gender

    def join(self, code: str, person_id: str, gender: str, college: str, role: str,
             joined: dt.date, left: dt.date | None, notes: str) -> None:
        self.add("memberships", self.at(joined, 18), self.at(left, 10) if left else None, (
            self.council_id[code], person_id, college, role, joined.isoformat(),
            left.isoformat() if left else None, notes))
        # Each member's habit of coming: a few pillars, many regulars, some rarely seen.
        base = self.rng.choices((0.9, 0.72, 0.45, 0.2), (15, 35, 35, 15))[0]
        base += (-0.15 if college == "acteurs_locaux" else 0) + (0.08 if gender == "femme"
                                                                   else 0)
        if role != "membre":
            base = max(base, 0.8)
        self.members[code].append(_Member(person_id, college, role, joined, left,
                                          min(0.97, max(0.15, base))))
        self.memberships.setdefault(person_id, []).append((code, joined, left))

    def seats(self) -> None:
        """Each seat is held by one member after another over the ten years (with a gap
        between them); a seat's office (référent, secrétaire…) passes with it."""
        rng = self.rng
        shared: dict[str, list[str]] = {}
        for organisation, codes in SHARED_ORGANISATIONS:
            codes = [c for c in codes if c in self.council_id]
            if not codes:
                continue
            joined = max(self.founded[c] for c in codes)
            person_id, gender = self.stakeholder(organisation, joined)
            for code in codes:
                shared.setdefault(code, []).append(organisation)
                self.join(code, person_id, gender, "acteurs_locaux", "membre", joined, None, "")
        for code in self.codes:
            plan, founded = self.plans[code], self.founded[code]
            mine = shared.get(code, [])
            organisations = demo._Deck(rng, [o for o in plan.organisations if o not in mine])
            seats = [("habitants", RESIDENT_ROLES[i] if i < len(RESIDENT_ROLES) else "membre")
                     for i in range(rng.randint(*RESIDENT_SEATS))]
            seats += [("acteurs_locaux", STAKEHOLDER_ROLES[i] if i < len(STAKEHOLDER_ROLES)
                       else "membre")
                      for i in range(rng.randint(*STAKEHOLDER_SEATS) - len(mine))]
            for n, (college, role) in enumerate(seats):
                day, gender = founded, ("femme", "homme")[n % 2]
                while day < self.today:
                    mean = TENURE_YEARS[college] * 365 / self.scale
                    left: dt.date | None = day + dt.timedelta(
                        days=max(200, round(rng.expovariate(1 / mean))))
                    if left >= self.today:  # type: ignore[operator]
                        left = None
                    if college == "habitants":  # parity: a woman follows a man, and so on
                        person_id, gender = self.resident(day, gender)
                        notes = "Tirage au sort" if rng.random() < 0.5 else \
                            "Candidature volontaire"
                        if left and rng.random() < 0.5:
                            notes += ". A déménagé."
                        self.join(code, person_id, gender, college, role, day, left, notes)
                        gender = "homme" if gender == "femme" else "femme"
                    else:
                        person_id, sex = self.stakeholder(organisations.draw(), day)
                        self.join(code, person_id, sex, college, role, day, left,
                                  "Structure fermée ou remplacée."
                                  if left and rng.random() < 0.3 else "")
                    if left is None:
                        break
                    day = left + dt.timedelta(days=rng.randint(20, 150))

    def directory(self) -> None:
        """Facilitators (the present one and the one before), partners' contacts."""
        rng, namer = self.rng, self.namer
        for code in self.codes:
            f = self.plans[code].facilitator
            handover = self.today - dt.timedelta(days=rng.randint(3 * 365, 6 * 365))
            gender = rng.choice(("femme", "homme"))
            first, last = namer.name(gender)
            founded = self.founded[code]
            earlier = self.person(
                founded, first_name=first, last_name=last, gender=gender,
                organisation=f.organisation, lives_in_qpv=False, phone=namer.landline(),
                email=namer.email(first, last, professional=True),
                notes="Ancienne animatrice du conseil." if gender == "femme"
                else "Ancien animateur du conseil.", **self.consent(founded, 1.0))
            current = self.person(
                handover, first_name=f.first_name, last_name=f.last_name, gender=f.gender,
                organisation=f.organisation, lives_in_qpv=False, phone=namer.landline(),
                email=f.contact if "@" in f.contact else namer.email(
                    f.first_name, f.last_name, professional=True),
                **self.consent(handover, 1.0))
            self.facilitators[code] = [(founded, earlier), (handover, current)]
        for organisation in PARTNERS:
            for _contact in range(2):
                joined = demo._day_between(rng, self.start, self.today - dt.timedelta(days=30))
                person_id, _gender = self.stakeholder(organisation, joined)
                self.partners.append(person_id)
                if organisation.startswith("Police"):
                    self.police.append(person_id)

    def facilitator(self, code: str, day: dt.date) -> str:
        current = self.facilitators[code][0][1]
        for since, person_id in self.facilitators[code]:
            if since <= day:
                current = person_id
        return current

    def name(self, person_id: str) -> str:
        person = self.people[person_id]
        return f"{person['first_name']} {person['last_name']}".strip()

    def members_on(self, code: str, day: dt.date) -> list[_Member]:
        return [m for m in self.members[code]
                if m.joined <= day and (m.left is None or m.left > day)]

    def is_member(self, person_id: str, codes: Sequence[str], day: dt.date) -> bool:
        return any(code in codes and joined <= day and (left is None or left > day)
                   for code, joined, left in self.memberships.get(person_id, ()))

    # -- the calendar ----------------------------------------------------------------------

    def place(self, codes: Sequence[str], day: dt.date) -> dt.date:
        """The first free day, a week later at a time, for every council concerned."""
        while demo._closed(day) or any(day in self.taken[c] for c in codes):
            day += dt.timedelta(days=7)
        for code in codes:
            self.taken[code].add(day)
        return day

    def event(self, code: str, kind: str, day: dt.date, start: str, minutes: int, title: str,
              venue: str = "", guests: tuple[str, ...] = (), subject: str = "") -> _Event | None:
        # Thinning (scale < 1): one event in 1/scale of each stream, taken in the order
        # they are planned (year by year), so what is kept spreads over the ten years.
        stream = "walk" if kind == "diagnostic_marchant" else "meeting"
        share = self.thinning[stream] + self.scale
        self.thinning[stream] = share % 1 if share >= 1 else share
        if share < 1:
            return None
        guests = tuple(g for g in guests if g in self.council_id)
        day = self.place((code, *guests), day)
        event = _Event(code, kind, day, start, minutes, title,
                       venue or self.plans[code].venue, guests, subject)
        self.events.append(event)
        return event

    def schedule(self) -> None:
        end = self.today + LOOK_AHEAD
        for year in range(self.start.year - 1, end.year + 1):  # school years
            for code in self.codes:
                self.council_year(code, year)
            if len(self.codes) > 1:
                self.shared_year(year)
        for code in self.codes:
            self.walk_months(code)
        self.events = [e for e in self.events if self.start <= e.day <= end]
        self.events.sort(key=lambda e: (e.day, e.start, self.codes.index(e.code)))
        self.walks = [e.walk for e in self.events if e.walk is not None]
        for event in self.events:  # a few were called off (a storm, no room)
            if event.day < self.today and event.kind in ("pleniere", "bureau") \
                    and self.rng.random() < 0.015:
                event.cancelled = True
        # What the agendas look up: each council's events by day, its plénières.
        self.by_code = {code: [e for e in self.events if e.involves(code)]
                        for code in self.codes}
        self.days_by_code = {code: [e.day for e in events]
                             for code, events in self.by_code.items()}
        self.plenieres = {code: [e.day for e in self.events
                                 if e.code == code and e.kind == "pleniere"]
                          for code in self.codes}

    def around(self, code: str, first: dt.date, last: dt.date) -> list[_Event]:
        """The council's events from ``first`` to ``last``, both included."""
        days = self.days_by_code[code]
        return self.by_code[code][bisect_left(days, first):bisect_right(days, last)]

    def council_year(self, code: str, year: int) -> None:
        rng, local = self.rng, LOCAL[code]

        def date(month: int, weekday: int, nth: int) -> dt.date:
            return demo._nth_weekday(year if month >= 9 else year + 1, month, weekday, nth)

        dropped = set(rng.sample((10, 11, 2, 3, 4, 5, 7), rng.choice((0, 1, 1, 2))))
        plenieres: dict[int, dt.date] = {}
        for month in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7):
            if month in dropped:
                continue
            title = {9: "Séance plénière de rentrée",
                     1: "Séance plénière – vœux et programme de l'année",
                     6: "Séance plénière – bilan de l'année"}.get(month, "Séance plénière")
            venue = rng.choice(local.other_venues) if rng.random() < 0.1 else ""
            plenieres[month] = date(month, local.weekday, local.nth)
            self.event(code, "pleniere", plenieres[month], local.time, 120, title, venue)
        for month in rng.sample((9, 10, 11, 1, 2, 3, 4, 5, 6), rng.choice((8, 9, 9, 9))):
            day = (plenieres[month] - dt.timedelta(days=7) if month in plenieres
                   else date(month, 0, 2))
            self.event(code, "bureau", day, rng.choice(("17:30", "18:00")), 90,
                       "Réunion de bureau")
        for subject, month in zip(rng.sample(list(THEMATIC), 3),
                                  rng.sample((10, 11, 1, 2, 3, 4, 5), 3), strict=True):
            venue = rng.choice(local.other_venues) if rng.random() < 0.5 else ""
            self.event(code, "rencontre_thematique",
                       date(month, rng.choice((1, 3)), rng.choice((2, 3))),
                       rng.choice(("18:00", "18:30")), 120,
                       THEMATIC[subject][0].format(at=local.at), venue, subject=subject)
        for kind, month in (("cafe_citoyen", rng.choice((10, 11))),
                            ("cafe_citoyen", rng.choice((2, 3, 4))),
                            ("stand_marche", rng.choice((5, 9, 10))),
                            ("fete_quartier", rng.choice((6, 9)))):
            title = INTERMEDIATE[kind][0].format(of=local.of, at=local.at)
            saturday = rng.choice((1, 2, 3))
            if kind == "fete_quartier":
                self.event(code, kind, date(month, 5, saturday), "14:00", 300, title,
                           f"Square {local.of}")
            elif kind == "stand_marche":
                self.event(code, kind, date(month, 5, saturday),
                           rng.choice(("08:30", "09:00")), 210, title, local.market)
            else:
                self.event(code, kind, date(month, rng.choice((2, 5)), saturday), "09:30",
                           120, title)
        if rng.random() < 0.8:
            self.event(code, "representation", demo._nth_weekday(year, 12, 1, 1), "14:30",
                       150, COPIL[0], demo.AGGLOMERATION_VENUE)
        if rng.random() < 0.6:
            self.event(code, "representation", date(6, 1, 3), "14:30", 150,
                       "Comité technique du contrat de ville", demo.AGGLOMERATION_VENUE)

    def shared_year(self, year: int) -> None:
        rng = self.rng
        for kind, months in (("inter_conseils", (11, 3)), ("formation_commune", (10, 2))):
            for month in months:
                group = rng.sample(self.codes, min(len(self.codes), rng.choice((2, 2, 3))))
                on_year = year if month >= 9 else year + 1
                if kind == "inter_conseils":
                    theme, objective = rng.choice(INTER_COUNCILS)
                    title = f"Temps d'échange inter-conseils : {theme}"
                    day, start, length = demo._nth_weekday(on_year, month, 5, 2), "09:30", 180
                    venue = ""
                else:
                    theme, objective = rng.choice(TRAININGS)
                    title = f"Formation commune : {theme}"
                    day, start = demo._nth_weekday(on_year, month, 5, 3), "09:30"
                    length = 390 if rng.random() < 0.3 else 180
                    venue = demo.AGGLOMERATION_VENUE if rng.random() < 0.4 else ""
                self.event(group[0], kind, day, start, length, title, venue, tuple(group[1:]),
                           subject=f"{theme}|{objective}")

    def walk_months(self, code: str) -> None:
        """About one walk a month (not in August or December), by day or by night, on one
        of the neighbourhood's two routes; the same route walked again a year later is
        compared with the earlier walk. Each walk has its meeting."""
        rng, local, plan = self.rng, LOCAL[code], MAPS[code]
        month = demo._month_start(self.start, 1)
        last: dict[tuple[int, str], _Walk] = {}
        while month < self.today:
            if month.month not in (8, 12):
                period = "nuit" if rng.random() < 0.35 else "jour"
                weekdays = (1, 2, 3) if period == "nuit" else (2, 5)
                day = month + dt.timedelta(days=rng.randint(3, 24))
                while day.weekday() not in weekdays or demo._closed(day) \
                        or day in self.taken[code]:
                    day += dt.timedelta(days=1)
                route = rng.randrange(2)
                start = demo._Walks.start_time(None, day, period)  # type: ignore[arg-type]
                title = f"Diagnostic en marchant {local.of}" + (
                    " (nuit)" if period == "nuit" else "")
                event = self.event(code, "diagnostic_marchant", day, start, 150, title,
                                   plan.places[plan.routes[route][0]].name) \
                    if day < self.today else None
                if event is not None:
                    walk = _Walk(code, event.day, period, start, route)
                    before = last.get((route, period))
                    if before and 300 <= (walk.day - before.day).days <= 430 \
                            and rng.random() < 0.6:
                        walk.previous = before
                    last[(route, period)] = walk
                    event.walk = walk
            month = demo._month_start(month, 1)

    # -- meetings --------------------------------------------------------------------------

    def holder(self, code: str, day: dt.date, role: str, present: Sequence[str] = ()
               ) -> str | None:
        members = self.members_on(code, day)
        for wanted in demo.ROLES[role]:
            holders = [m.person_id for m in members if m.role == wanted]
            if holders:
                here = [p for p in holders if p in present]
                return (here or holders)[0]
        return None

    def who(self, event: _Event, who: str, present: Sequence[str]) -> tuple[str | None, str]:
        """(person id, body) of whom an action is assigned to."""
        code = event.code
        if who == "animation":
            return self.facilitator(code, event.day), ""
        if who in demo.ROLES:
            person_id = self.holder(code, event.day, who, present)
        elif who in ("membre", "acteur"):
            college = "habitants" if who == "membre" else "acteurs_locaux"
            members = {m.person_id: m for m in self.members_on(code, event.day)}
            pool = [p for p in present if p in members and members[p].college == college] \
                or [p for p in present if p in members] or list(members)
            person_id = self.rng.choice(pool) if pool else None
        else:
            return None, who.format(town=LOCAL[code].town)
        return (person_id, "") if person_id else (self.facilitator(code, event.day), "")

    def presenter(self, event: _Event, who: str) -> str:
        if who == "animation" or who in demo.ROLES or who in ("membre", "acteur"):
            person_id, _body = self.who(event, who, ())
            facilitator = self.facilitator(event.code, event.day)
            if person_id and person_id != facilitator:
                return self.name(person_id)
            woman = self.people[facilitator]["gender"] == "femme"
            return f"{self.name(facilitator)}, {'animatrice' if woman else 'animateur'}"
        return who.format(town=LOCAL[event.code].town)

    def invitees(self, event: _Event) -> list[str]:
        """Who is convened: nobody to a stall or a party; the officers and a few to a
        bureau; the representatives to a comité; every member of the councils otherwise."""
        day, code = event.day, event.code
        if event.kind in INTERMEDIATE:
            return []
        if event.kind == "representation":
            wanted = [self.holder(code, day, "representant")]
            if self.rng.random() < 0.5:
                wanted.append(self.holder(code, day, "referent"))
            return list(dict.fromkeys(p for p in wanted if p))
        members = self.members_on(code, day)
        if event.kind == "bureau":
            wanted = [m.person_id for m in members if m.role != "membre"]
            others = [m.person_id for m in members if m.role == "membre"]
            wanted += self.rng.sample(others, min(len(others), max(0, 6 - len(wanted))))
            return list(dict.fromkeys(wanted))
        ids = [m.person_id for m in members]
        for guest in event.guests:
            ids += [m.person_id for m in self.members_on(guest, day)]
        return list(dict.fromkeys(ids))

    def hold(self, event: _Event) -> None:
        rng, code = self.rng, event.code
        held = event.day < self.today and not event.cancelled
        event.meeting_id = mid = self.new_id()
        if event.walk is not None:
            event.walk.meeting_id = mid
        planned = event.moment - dt.timedelta(days=rng.randint(12, 40), hours=rng.randint(0, 8))
        source = self.last_pleniere.get(code) if event.kind == "pleniere" else None
        meeting = _Meeting(mid, planned, planned, {
            "council_id": self.council_id[code], "kind": event.kind, "title": event.title,
            "starts_at": event.starts_at, "ends_at": event.ends_at, "venue": event.venue,
            "notes": "Réunion annulée : salle indisponible ; les points sont reportés à la "
                     "séance suivante." if event.cancelled else "",
            "cancelled": int(event.cancelled), "minutes_status": "brouillon",
            "validated_at": None, "validated_in_meeting_id": None, "copied_from_id": source})
        self.meetings.append(meeting)
        if event.kind == "pleniere":  # the next one is prepared by copying this one
            self.last_pleniere[code] = mid
        for guest in event.guests:
            self.add("meeting_guest_councils", planned, None, (mid, self.council_id[guest]))
        topics = self.topics(event)
        objectives = {KIND_OBJECTIVES.get(event.kind, "D4.08" if event.walk else "D4.04")}
        objectives |= {e[3] for e in topics if e[3]}
        for objective in sorted(o for o in objectives if o in self.objectives):
            self.add("meeting_objectives", planned, None, (mid, objective))

        invited = self.invitees(event)
        status: dict[str, tuple[str | None, str | None]] = {p: (None, None) for p in invited}
        present: list[str] = []
        walk_ins: list[tuple[str, int]] = []
        voters = 0
        recorded = None
        if held:
            present, voters, walk_ins = self.attendance(event, invited, status)
            recorded = self.at(event.day + dt.timedelta(days=rng.choice((0, 1, 1, 2))), 21)
        for person_id in invited:
            value, proxy = status[person_id]
            self.add("attendance", planned, recorded if value else None,
                     (mid, person_id, 1, 1, value, proxy, ""))
        for person_id, member in walk_ins:
            self.add("attendance", recorded or planned, None,
                     (mid, person_id, 0, member, "present", None, ""))
        if held:
            self.headcount(event, recorded or planned)
        if event.walk is not None:
            self.walk_people(event.walk, present, [p for p, _m in walk_ins])

        entries = (self.standing(event) if not event.cancelled else []) + topics
        if event.kind in ("pleniere", "bureau"):
            entries.append((MISCELLANEOUS, rng.choice((10, 15)), "animation", None, None,
                            "miscellaneous", {}))
        actions = 0
        for position, (title, length, who, objective, item, kind, context) in enumerate(
                entries, start=1):
            item_id = self.new_id()
            notes = ""
            if held:
                assert recorded is not None
                notes, added = self.item_minutes(event, item_id, item, kind, context, present,
                                                 voters, actions, recorded)
                actions += added
            self.add("agenda_items", planned, recorded if notes else None,
                     (mid, position, title, length, self.presenter(event, who), objective,
                      notes), item_id)
        if held:
            assert recorded is not None
            meeting.updated = recorded
            self.approve(event, meeting)

    def attendance(self, event: _Event, invited: list[str],
                   status: dict[str, tuple[str | None, str | None]]
                   ) -> tuple[list[str], int, list[tuple[str, int]]]:
        """Who came: (members present, voters, walk-ins with their member flag)."""
        rng = self.rng
        codes = (event.code, *event.guests)
        present: list[str] = []
        walk_ins: list[tuple[str, int]] = []
        voters = 0
        if event.kind in INTERMEDIATE:  # the members who help just come
            members = self.members_on(event.code, event.day)
            helpers = [m.person_id for m in members if rng.random() < m.assiduity * 0.3]
            if len(helpers) < 2 and len(members) >= 2:
                helpers += rng.sample([m.person_id for m in members
                                       if m.person_id not in helpers], 2 - len(helpers))
            walk_ins = [(p, 1) for p in helpers]
            present = list(helpers)
        else:
            assiduity = {m.person_id: m.assiduity for c in codes
                         for m in self.members_on(c, event.day)}
            turnout = {"inter_conseils": 0.65, "formation_commune": 0.55,
                       "rencontre_thematique": 0.85, "diagnostic_marchant": 0.45,
                       "representation": 1.2}.get(event.kind, 1.0)
            mood = rng.uniform(-0.08, 0.05)  # a rainy evening, a football match…
            absent = []
            for person_id in invited:
                if rng.random() < assiduity.get(person_id, 0.5) * turnout + mood:
                    present.append(person_id)
                else:
                    absent.append(person_id)
            if not present and absent:
                present.append(absent.pop(0))
            for person_id in present:
                status[person_id] = ("present", None)
            holders = list(present)
            rng.shuffle(holders)
            represented = 0
            for person_id in absent:
                if event.kind == "pleniere" and holders and rng.random() < 0.12:
                    status[person_id] = ("represente", holders.pop())  # one proxy each
                    represented += 1
                else:
                    status[person_id] = ("excuse" if rng.random() < 0.6 else "absent", None)
            voters = len(present) + represented
        named = {"pleniere": (1, 4), "rencontre_thematique": (2, 6), "cafe_citoyen": (2, 5),
                 "stand_marche": (1, 3), "fete_quartier": (1, 4), "inter_conseils": (0, 2),
                 "formation_commune": (0, 2), "diagnostic_marchant": (0, 3),
                 }.get(event.kind, (0, 0))
        here = set(invited) | set(present)
        for _walk_in in range(rng.randint(*named)):
            person_id = self.walk_in(event, here)
            if person_id is not None:
                here.add(person_id)
                walk_ins.append((person_id, int(self.is_member(person_id, codes, event.day))))
        event.participants = len(present) + len(walk_ins)
        return present, voters, walk_ins

    def walk_in(self, event: _Event, here: set[str]) -> str | None:
        """Someone not convened: a partner, someone new who gives their name, or someone
        who came before."""
        rng, code = self.rng, event.code
        draw = rng.random()
        if event.kind in ("rencontre_thematique", "inter_conseils", "formation_commune") \
                and draw < 0.4:
            partners = [p for p in self.partners if p not in here]
            if partners:
                return rng.choice(partners)
        if self.newcomer_budget > 0 and draw < 0.62 and event.kind not in (
                "inter_conseils", "formation_commune"):
            self.newcomer_budget -= 1
            person_id = self.newcomer(event)
            self.regulars[code].append(person_id)
            return person_id
        regulars = [p for p in self.regulars[code][-40:] if p not in here]
        return rng.choice(regulars) if regulars else None

    def newcomer(self, event: _Event) -> str:
        rng, namer = self.rng, self.namer
        gender = rng.choices(("femme", "homme"), (58, 42))[0]
        age = rng.choices(("young", "adult", "senior"), (22, 50, 28))[0]
        birth_year = event.day.year - rng.randint(
            *{"young": (16, 24), "adult": (25, 59), "senior": (60, 85)}[age])
        first, last = namer.name(gender, birth_year)
        phone = namer.mobile() if rng.random() < 0.85 else ""
        what = KIND_NAMES.get(event.kind, "diagnostic en marchant")
        return self.person(
            event.day, first_name=first, last_name=last, gender=gender, birth_year=birth_year,
            lives_in_qpv=rng.random() < 0.85, phone=phone,
            email=namer.email(first, last) if not phone or rng.random() < 0.4 else "",
            consent_date=event.day.isoformat(), consent_contact=True,
            consent_photos=rng.random() < 0.5,
            notes=f"Première venue : {what} du {demo._long_date(event.day)}.")

    def headcount(self, event: _Event, recorded: dt.datetime) -> None:
        """Anonymous participants of a public event, counted at the door."""
        rng = self.rng
        if event.kind not in HEADCOUNTS or (event.kind == "pleniere" and rng.random() > 0.3):
            return
        fewest, most, ages = HEADCOUNTS[event.kind]
        women = rng.uniform(0.5, 0.64)
        newcomers = {"pleniere": 0.6, "fete_quartier": 0.5}.get(event.kind, 0.35)
        asked = 0.3 if event.kind == "fete_quartier" else 0.93
        cells: dict[tuple[str, str, int | None, int | None], int] = {}
        total = rng.randint(fewest, most)
        for _person in range(total):
            cell: tuple[str, str, int | None, int | None] = (
                rng.choices(("femme", "homme", "non_precise"), (women, 0.96 - women, 0.04))[0],
                rng.choices(list(ages), list(ages.values()))[0], None, None)
            if rng.random() < asked:
                first = rng.choices((1, 0, None), (newcomers, 0.9 - newcomers, 0.1))[0]
                cell = (cell[0], cell[1], int(rng.random() < 0.82), first)
            cells[cell] = cells.get(cell, 0) + 1
        for (gender, band, qpv, first), count in cells.items():
            self.add("headcounts", recorded, None,
                     (event.meeting_id, gender, band, qpv, first, count))
        event.participants += total

    # -- agendas and minutes -----------------------------------------------------------------

    def entries(self, items: Sequence[demo._Item], context: dict[str, Any]) -> list[_Entry]:
        out: list[_Entry] = []
        for item in items:
            objective = _fill(item.objective, context) if item.objective else None
            out.append((_fill(item.title, context), item.minutes, item.presenter,
                        objective if objective in self.objectives else None, item, "",
                        context))
        return out

    def topics(self, event: _Event) -> list[_Entry]:
        """The agenda's substance; standing items are added by :meth:`standing`."""
        local, rng, kind = LOCAL[event.code], self.rng, event.kind
        context: dict[str, Any] = {"of": local.of, "at": local.at, "town": local.town}
        if kind == "pleniere":
            chosen: list[tuple[demo._Item, dict[str, Any]]] = []
            upcoming = [e for e in self.around(event.code, event.day + dt.timedelta(days=1),
                                               event.day + dt.timedelta(days=45))
                        if e.code == event.code and e.kind in PREPARATION]
            if upcoming:
                chosen.append((PREPARATION[upcoming[0].kind],
                               {**context, "date": demo._weekday_date(upcoming[0].day)}))
            recent = [e for e in self.around(event.code, event.day - dt.timedelta(days=40),
                                             event.day - dt.timedelta(days=1))
                      if e.kind in FEEDBACK]
            if recent:
                chosen.append((FEEDBACK[recent[0].kind],
                               {**context, "n": recent[0].participants}))
            oru = event.code in ("basseau-grande-garenne", "bel-air-grand-font")
            pool = [t for t in TOPICS if (oru or not t.oru)
                    and (not t.months or event.day.month in t.months)]
            chosen += [(item, context) for item in rng.sample(pool, rng.choice((1, 2, 2, 3)))]
            return [entry for item, ctx in chosen[:4] for entry in self.entries((item,), ctx)]
        if kind == "bureau":
            return self.entries([i for i in BUREAU if rng.random() < 0.75] or BUREAU[:2],
                                context)
        if kind == "rencontre_thematique":
            return self.entries((THEMATIC_OPENING, *THEMATIC[event.subject][2]), context)
        if kind == "representation":
            return self.entries(COPIL[1], context)
        if kind in INTERMEDIATE:
            return self.entries(INTERMEDIATE[kind][1], context)
        if kind == "diagnostic_marchant":
            walk = event.walk
            assert walk is not None
            plan = MAPS[walk.code]
            places = [plan.places[i].name for i in plan.routes[walk.route_index]]
            return self.entries((
                demo._Item("Accueil et présentation du parcours", "D4.08", "animation", 15,
                           (f"Rendez-vous : {places[0]}. Le parcours passe par "
                            f"{demo._and(places[1:])}.",)),
                demo._Item("Parcours et relevé des observations", "D4.08", "animation", 105,
                           ("Les observations sont notées arrêt par arrêt et photographiées ; "
                            "leur détail figure dans le diagnostic.",)),
                demo._Item("Premier bilan à chaud", "D4.08", "referent", 20,
                           ("Chacun dit ce qui l'a le plus frappé. La restitution sera "
                            "présentée à la prochaine séance plénière.",)),
            ), context)
        theme, objective = event.subject.split("|")
        context.update(theme=theme, Subject=theme[0].upper() + theme[1:], objective=objective,
                       host_of=local.of)
        return self.entries(INTER_COUNCIL_ITEMS if kind == "inter_conseils"
                            else TRAINING_ITEMS, context)

    def to_approve(self, event: _Event) -> list[tuple[_Event, _Meeting]]:
        """Minutes approved at this meeting: all those pending at a plénière; at a bureau,
        those of the bureau and of the other gatherings."""
        pending = self.pending[event.code]
        if event.kind == "pleniere":
            return list(pending)
        if event.kind == "bureau":
            return [p for p in pending if p[0].kind != "pleniere"]
        return []

    def standing(self, event: _Event) -> list[_Entry]:
        out: list[_Entry] = []
        pending = self.to_approve(event)
        if pending or event.kind == "pleniere":
            if len(pending) > 1:
                title = APPROVAL_MANY
            elif not pending or pending[0][0].kind == "pleniere":
                title = APPROVAL_ONE
            else:
                title = (f"Approbation du compte rendu {KIND_OF.get(pending[0][0].kind, '')} "
                         f"du {format_date(pending[0][0].day, 'd MMMM', lang='fr')}")
            out.append((title, 10, "secretaire", None, None, "approval", {}))
        if event.kind in ("pleniere", "bureau") and any(
                a.day < event.day and a.values["status"] in ("a_faire", "en_cours")
                for a in self.actions[event.code]):
            title = OUTSTANDING if event.kind == "pleniere" else "Suivi des actions en cours"
            out.append((title, self.rng.choice((15, 20)), "animation", "D4.03", None,
                        "outstanding", {}))
        return out

    def context(self, event: _Event, present: list[str]) -> dict[str, Any]:
        if event.context is not None:
            return event.context
        code, rng = event.code, self.rng
        local = LOCAL[code]
        facilitator = self.facilitator(code, event.day)
        context: dict[str, Any] = {
            "of": local.of, "at": local.at, "town": local.town, "venue": event.venue,
            "facilitator": self.name(facilitator),
            "fac_first": self.people[facilitator]["first_name"],
            "time": local.time.replace(":00", " h").replace(":", " h "),
            "name": self.name(rng.choice(present)) if present
            else self.people[facilitator]["first_name"]}
        for role, key in (("referent", "referent"), ("secretaire", "secretary"),
                          ("representant", "representant")):
            holder = self.holder(code, event.day, role, present)
            context[key] = self.name(holder) if holder else context["facilitator"]
        days = self.plenieres[code]
        later = bisect_right(days, event.day)
        context["next"] = demo._weekday_date(days[later]) if later < len(days) else ""
        event.context = context
        return context

    def item_minutes(self, event: _Event, item_id: str, item: demo._Item | None,
                     standing: str, entry_context: dict[str, Any], present: list[str],
                     voters: int, actions: int, day: dt.datetime) -> tuple[str, int]:
        """The item's notes, and its decisions and actions written; returns the notes and
        how many actions were decided."""
        rng = self.rng
        ctx = {**self.context(event, present), **entry_context}
        if standing == "approval":
            earlier = self.to_approve(event)
            if not earlier:
                return "Le compte rendu de la séance précédente est approuvé à l'unanimité.", 0
            if len(earlier) == 1:
                meeting = (f"{KIND_OF.get(earlier[0][0].kind, '')} du "
                           f"{demo._long_date(earlier[0][0].day)}")
                return _fill(rng.choice(APPROVAL_NOTES), {**ctx, "meeting": meeting}), 0
            return APPROVAL_MANY_NOTES.format(meeting=demo._and(
                [f"{KIND_OF.get(e.kind, '')} du {format_date(e.day, 'd MMMM', lang='fr')}"
                 for e, _m in earlier])), 0
        if standing == "outstanding":
            return self.follow_up(event, day), 0
        if standing == "miscellaneous":
            if (actions == 0 and event.kind == "pleniere") or rng.random() < 0.15:
                self.add_action(event, DUMPING, item_id, present, day)
                return _fill(DUMPING_NOTE, ctx), 1
            return _fill(rng.choice(MISCELLANEOUS_NOTES), ctx), 0
        assert item is not None
        notes = _fill(rng.choice(item.notes), ctx) if item.notes else ""
        for text, voted in item.decisions:
            if rng.random() < 0.6:
                against = min(rng.choice((0, 0, 0, 1, 1, 2, 3)), voters // 4)
                abstain = min(rng.choice((0, 0, 1, 1, 2)), voters // 4)
                votes = ((voters - against - abstain, against, abstain) if voted and voters
                         else (None, None, None))
                event.decisions += 1
                self.add("decisions", day, None, (event.meeting_id, item_id, event.decisions,
                                                  _fill(text, ctx), *votes))
                break
        tasks = list(item.tasks)
        if tasks:
            tasks = rng.sample(tasks, 2 if len(tasks) > 1 and rng.random() < 0.35 else 1)
            if rng.random() < 0.3 and event.kind != "pleniere":
                tasks = []
        for task in tasks:
            self.add_action(event, task, item_id, present, day)
        return notes, len(tasks)

    def add_action(self, event: _Event, task: demo._Task, item_id: str, present: list[str],
                   day: dt.datetime) -> None:
        person_id, body = self.who(event, task.who, present)
        due = event.day + dt.timedelta(days=task.days + self.rng.randint(-3, 10))
        text = task.text.format(town=LOCAL[event.code].town)
        mine = self.actions[event.code]
        position = 1 + sum(1 for a in mine[-12:]
                           if a.values["meeting_id"] == event.meeting_id)
        mine.append(_Action(self.new_id(), task, event.day, text,
                            self.name(person_id) if person_id else body, day, {
                                "council_id": self.council_id[event.code],
                                "meeting_id": event.meeting_id, "agenda_item_id": item_id,
                                "position": position, "text": text,
                                "assignee_person_id": person_id, "assignee_body": body,
                                "due_on": due.isoformat(), "status": "a_faire",
                                "closed_on": None}))

    def follow_up(self, event: _Event, day: dt.datetime) -> str:
        """The points en suspens: where each open action stands, said at this meeting."""
        rng, lines = self.rng, []
        for action in self.actions[event.code]:
            values = action.values
            if action.day >= event.day or values["status"] not in ("a_faire", "en_cours"):
                continue
            age = (event.day - action.day).days
            task = action.task
            moved = action_progress(rng, task, age, values["status"] == "en_cours",
                                    stale_after=400)
            if moved is None:
                continue
            status, note = moved
            self.add("action_updates", day, None,
                     (action.action_id, event.meeting_id, status, note))
            values["status"] = status
            values["closed_on"] = event.day.isoformat() if status in ("fait", "abandonne") \
                else None
            action.updated = day
            lines.append(f"– {action.text} ({action.assignee}) : "
                         f"{demo.ACTION_STATUS_FR[status]}. {note}")
        return "\n".join(lines) or "Aucun point n'a avancé depuis la dernière réunion."

    def approve(self, event: _Event, meeting: _Meeting) -> None:
        approved = self.to_approve(event)
        validated_at = self.stamp(event.moment)  # approved on the day of this meeting
        for earlier, row in approved:
            row.values.update(minutes_status="valide", validated_at=validated_at,
                              validated_in_meeting_id=event.meeting_id)
            row.updated = max(row.updated, event.moment)
            self.approvals.append((earlier, event, row))
        done = {id(row) for _e, row in approved}
        self.pending[event.code] = [p for p in self.pending[event.code]
                                    if id(p[1]) not in done] + [(event, meeting)]

    def amend(self) -> None:
        """Now and then, a correction noticed after the minutes were approved."""
        rng = self.rng
        for earlier, at, row in self.approvals:
            if earlier.kind != "pleniere" or rng.random() > 0.04:
                continue
            recorded = at.day + dt.timedelta(days=rng.randint(3, 14))
            if recorded >= self.today:
                continue
            text = rng.choice((
                "Rectificatif : la séance a commencé à 18 h 45 et non à l'heure indiquée.",
                "Rectificatif : une personne notée absente s'était excusée.",
                "Rectificatif : le vote a eu lieu à main levée et non à bulletin secret."))
            moment = self.at(recorded, 11)
            self.add("amendments", moment, None, (row.meeting_id, text, recorded.isoformat()))
            row.updated = max(row.updated, moment)

    # -- walks -------------------------------------------------------------------------

    def plan_walks(self) -> None:
        """Stops, observations and which picture each photo shows, for every walk."""
        for code in self.codes:
            for place in MAPS[code].places:
                for period in ("jour", "nuit"):
                    self.fitting[(code, place.kind, period)] = [
                        f for f in FINDINGS if place.kind in f.kinds and f.when in ("", period)
                        and not f.script and f.only in ("", code)]
        for walk in self.walks:
            self.plan_walk(walk)

    def plan_walk(self, walk: _Walk) -> None:
        rng, plan = self.rng, MAPS[walk.code]
        places = [plan.places[i] for i in plan.routes[walk.route_index]]
        walk.walk_id = self.new_id()
        walk.stop_ids = [self.new_id() for _place in places]
        at_stop = [1] * len(places)
        for _extra in range(rng.randint(*OBSERVATIONS_PER_WALK) - len(places)):
            at_stop[rng.randrange(len(places))] += 1
        # Walked again: some problems of the earlier walk, fixed or still there.
        forced: dict[int, list[tuple[demo._Finding, dict[str, Any], str]]] = {}
        if walk.previous is not None:
            for _oid, finding, stop, values in walk.previous.notes:
                if finding.positive or not (finding.fixed or finding.still) \
                        or rng.random() < 0.6:
                    continue
                after = "fixed" if finding.fixed and (rng.random() < 0.55 or not finding.still) \
                    else "still"
                forced.setdefault(stop, []).append((finding, values, after))
        moment = dt.datetime.combine(walk.day, dt.time.fromisoformat(walk.start)) \
            + dt.timedelta(minutes=rng.randint(8, 14))
        night = walk.period == "nuit"
        used: set[tuple] = set()  # pictures already shown in this walk
        number = 0
        for index, place in enumerate(places):
            if rng.random() < 0.85:  # a view of the stop, on arrival
                scene = (NIGHT_STOP_SCENES.get(place.kind, STOP_SCENES[place.kind]) if night
                         else STOP_SCENES[place.kind])
                self.photo(walk, used, scene, moment - dt.timedelta(seconds=rng.randint(60, 150)),
                           index, None, f"Vue d'ensemble : {place.name}", place)
            items = list(forced.get(index, ()))
            pool = self.fitting[(walk.code, place.kind, walk.period)]
            strong = [f for f in pool if f.positive] or pool
            while len(items) < at_stop[index] and pool:
                items.append((rng.choice(strong) if rng.random() < 0.15 else rng.choice(pool),
                              {}, ""))
            for finding, known, after in items:
                number += 1
                oid = self.new_id()
                values = {"n": rng.randint(2, 48), "tower": rng.choice(plan.towers),
                          "weeks": rng.randint(2, 6), **known}
                match = re.search(r"\btour ([A-Z0-9]+)\b", f"{place.name} {place.address}")
                if match:
                    values["tower"] = match.group(1)
                positive = finding.positive or after == "fixed"
                template = (finding.fixed if after == "fixed" else
                            finding.still if after == "still" else finding.text)
                priority = None if positive else rng.randint(*finding.priority) \
                    if finding.priority[0] else rng.randint(1, 3)
                position = None
                lat = lon = None
                if rng.random() < 0.85:
                    position = (min(0.98, max(0.02, place.at[0] + rng.uniform(-0.03, 0.03))),
                                min(0.98, max(0.02, place.at[1] + rng.uniform(-0.03, 0.03))))
                    lat, lon = demo._position(plan, position)
                feeling = finding.feeling if not after and finding.feeling \
                    and rng.random() < 0.7 else ""
                walk.observations.append((oid, moment, (
                    walk.walk_id, number, walk.stop_ids[index], finding.theme, int(positive),
                    _fill(template, values), feeling, "" if positive else finding.proposal,
                    priority,
                    finding.objective if finding.objective in self.objectives else None,
                    "TFPB" if finding.tfpb else "",
                    round(lat, 6) if lat is not None else None,
                    round(lon, 6) if lon is not None else None,
                    round(position[0], 4) if position else None,
                    round(position[1], 4) if position else None)))
                walk.notes.append((oid, finding, index, values))
                if not positive:
                    walk.problems.append((oid, finding, priority, moment))
                if rng.random() < 0.82:  # photographed within a minute or two
                    scene = finding.fixed_scene if after == "fixed" and finding.fixed_scene \
                        else finding.scene
                    taken = moment + dt.timedelta(seconds=rng.randint(-60, 90))
                    self.photo(walk, used, scene, taken, index, oid, "", place)
                    if rng.random() < 0.07:
                        self.photo(walk, used, scene, taken + dt.timedelta(seconds=30), index,
                                   oid, "", place)
                moment += dt.timedelta(minutes=rng.randint(1, 3), seconds=rng.randint(0, 59))
            moment += dt.timedelta(minutes=rng.randint(2, 5))

    def photo(self, walk: _Walk, used: set[tuple], scene: str, taken: dt.datetime,
              stop: int, observation_id: str | None, caption: str, place: Any) -> None:
        """A photo of ``scene``: a drawing of it this walk has not shown yet, else another
        picture of the same time of day (the schema allows an image once per walk)."""
        night = walk.period == "nuit"
        key = next(((scene, night, v) for v in range(PICTURE_VARIANTS)
                    if (scene, night, v) not in used), None)
        if key is None:
            free = [k for k in self.picture_keys if k[1] == night and k not in used]
            if not free:
                return
            key = self.rng.choice(free)
        used.add(key)
        if key not in self.pictures:  # its first use gives the media row its metadata
            self.pictures[key] = self.new_id()
            phone = self.rng.choice(PHONES)
            gps = None
            if phone[0] != "Xiaomi" or self.rng.random() < 0.5:
                lat, lon = demo._position(MAPS[walk.code], place.at)
                gps = (round(lat + self.rng.uniform(-0.00015, 0.00015), 7),
                       round(lon + self.rng.uniform(-0.0002, 0.0002), 7))
            self.picture_use[key] = (taken, phone, gps)
        identifiable = int(key[0] in CHILDREN_SCENES and key[2] == 1)
        walk.photos.append((self.pictures[key], walk.stop_ids[stop], observation_id,
                            identifiable, int(identifiable and self.rng.random() < 0.1),
                            caption))

    def walk_people(self, walk: _Walk, present: list[str], walk_ins: list[str]) -> None:
        """Who walked: the facilitator, the members present (the first two take notes and
        photos), the residents who joined on the way, partners' agents."""
        rng, code = self.rng, walk.code
        walk.participants = [("animateur", self.facilitator(code, walk.day), "", "")]
        for i, person_id in enumerate(present + [p for p in walk_ins if p not in present]):
            role = "preneur_notes" if i == 0 else "photographe" if i == 1 else "habitant"
            walk.participants.append((role, person_id, "", ""))
        for wanted, organisation in ((rng.random() < 0.8, "Logélia – agence de proximité"),
                                     (rng.random() < 0.6, MAPS[code].technician)):
            if wanted:  # the same agent comes to the council's walks
                if (code, organisation) not in self.agents:
                    gender = rng.choice(("femme", "homme"))
                    self.agents[(code, organisation)] = (
                        f"{rng.choice(WALK_FIRST_NAMES[gender])} {rng.choice(WALK_SURNAMES)}")
                walk.participants.append(("partenaire", None, self.agents[(code, organisation)],
                                          organisation))
        if walk.period == "nuit" and self.police and rng.random() < 0.4:
            walk.participants.append(("partenaire", rng.choice(self.police), "", ""))
        walk.counted = rng.randint(2, 9)  # residents who came along without giving a name

    def write_walks(self) -> None:
        rng = self.rng
        for walk in self.walks:
            code, plan = walk.code, MAPS[walk.code]
            places = [plan.places[i] for i in plan.routes[walk.route_index]]
            created = self.at(walk.day - dt.timedelta(days=rng.randint(10, 30)), 10)
            typed = self.at(walk.day + dt.timedelta(days=rng.randint(1, 3)), 14)
            season = ("hiver" if walk.day.month in (12, 1, 2) else "été"
                      if walk.day.month in (6, 7, 8) else "mi-saison")
            title = f"Diagnostic en marchant {LOCAL[code].of}" + (
                " (nuit)" if walk.period == "nuit" else "")
            if walk.previous is not None:
                title += ", un an après"
                notes = (f"Même parcours que le {demo._long_date(walk.previous.day)}, pour "
                         f"comparer avant et après. Rendez-vous : {places[0].name}.")
            else:
                notes = (f"Parcours préparé en réunion de bureau. Rendez-vous : "
                         f"{places[0].name}. Restitution prévue à la prochaine séance "
                         "plénière.")
            self.add("walks", created, typed, (
                self.council_id[code], title, walk.day.isoformat(), walk.start, walk.period,
                rng.choice(WEATHER[(season, walk.period)]), notes, walk.counted,
                self.plan_media[(code, walk.route_index)],
                walk.previous.walk_id if walk.previous else None, walk.meeting_id),
                walk.walk_id)
            for position, (place, stop_id) in enumerate(zip(places, walk.stop_ids,
                                                            strict=True), start=1):
                lat, lon = demo._position(plan, place.at)
                self.add("walk_stops", created, None, (
                    walk.walk_id, position, place.name, place.address, round(lat, 6),
                    round(lon, 6), place.at[0], place.at[1],
                    "Point de rendez-vous." if position == 1 else ""), stop_id)
            for role, person_id, name, organisation in walk.participants:
                self.add("walk_participants", created, None,
                         (walk.walk_id, person_id, name, organisation, role))
            for oid, moment, values in walk.observations:
                self.add("observations", moment, None, values, oid)
            imported = self.at(walk.day + dt.timedelta(days=rng.randint(1, 4)), 15)
            for row in walk.photos:
                self.add("photos", imported, imported + dt.timedelta(minutes=20),
                         (walk.walk_id, *row))
            for oid, finding, priority, noted in walk.problems:
                self.follow(walk, oid, finding, priority, noted)

    # -- follow-up ---------------------------------------------------------------------

    def dossier(self, walk: _Walk, body: str) -> tuple[dt.date, str] | None:
        """One dossier per body, sent about a week after the walk (not yet, sometimes,
        for a recent walk)."""
        if body not in walk.dossiers:
            rng = self.rng
            sent = walk.day + dt.timedelta(days=rng.randint(5, 9))
            late = (self.today - walk.day).days < 120 and rng.random() < 0.15
            walk.dossiers[body] = None if late or sent > self.last_day else (
                sent, "courrier" if body in ("ville", "departement")
                else rng.choice(("mail", "mail", "courrier")))
        return walk.dossiers[body]

    def follow(self, walk: _Walk, observation_id: str, finding: demo._Finding,
               priority: int | None, noted: dt.datetime) -> None:
        """Each body's follow-up and its dated steps; a body that redirects the problem
        brings in the one it names."""
        rng = self.rng
        bodies = list(finding.bodies)
        if bodies and rng.random() < SECOND_BODY:
            bodies.append(rng.choice(ALSO.get(bodies[0], ("ville",))))
        queue: list[tuple[str, tuple[dt.date, str] | None]] = [
            (body, None) for body in dict.fromkeys(bodies)]
        done: set[str] = set()
        while queue:
            body, redirected = queue.pop(0)
            if body in done:
                continue
            done.add(body)
            start = redirected or self.dossier(walk, body)
            steps = self.history(body, *start, priority) \
                if start and start[0] <= self.last_day else []
            followup_id = self.new_id()
            for day, status, channel, note, reminder in steps:
                self.add("followup_steps", self.at(day, rng.randint(9, 17)), None,
                         (followup_id, day.isoformat(), status, channel, note,
                          reminder.isoformat() if reminder else None))
            latest = steps[-1] if steps else None
            self.add("followups", noted, self.at(latest[0], 18) if latest else None, (
                observation_id, body, latest[1] if latest else "a_transmettre",
                latest[4].isoformat() if latest and latest[4] else None), followup_id)
            if latest and latest[1] == "reoriente":
                other = next((b for b in REDIRECTED_TO if b not in done
                              and all(b != q[0] for q in queue)), None)
                if other:
                    queue.append((other, (latest[0] + dt.timedelta(days=rng.randint(2, 6)),
                                          "mail")))

    def history(self, body: str, sent: dt.date, channel: str, priority: int | None
                ) -> list[Step]:
        """What happened since the dossier was sent, up to yesterday."""
        rng = self.rng
        steps: list[Step] = [(sent, "transmis", channel, rng.choice(SENT_NOTES[channel]), None)]
        status, day = "transmis", sent
        answer = rng.choice(ANSWERS.get(body, ANSWERS["ville"]))
        relances = 0
        while status in NEXT_STEP:
            options = [o for o in NEXT_STEP[status] if o[0] != "transmis" or relances < 2]
            weights = [w * (1.6 if nxt == "resolu" and priority == 1 else 1)
                       for nxt, w in options]
            nxt = rng.choices([o[0] for o in options], weights)[0]
            if nxt is None:
                break
            reminder = None
            if nxt == "transmis":
                relances += 1
                day += dt.timedelta(days=rng.randint(35, 70))
                note, how = "Relance par courriel, sans réponse à ce jour.", "mail"
            elif nxt == "pris_en_compte":
                day += dt.timedelta(days=rng.randint(10, 40))
                note, how = answer, rng.choice(("reponse_ecrite", "mail", "telephone"))
                if rng.random() < 0.7:
                    reminder = day + dt.timedelta(days=rng.randint(30, 75))
            elif nxt == "programme":
                day += dt.timedelta(days=rng.randint(8, 45))
                planned = demo._month_start(day, rng.randint(2, 8))
                note = f"Intervention programmée pour {self.month(planned)}."
                how = rng.choice(("reponse_ecrite", "reunion_gup"))
                reminder = planned + dt.timedelta(days=rng.randint(10, 25))
            elif nxt == "en_cours":
                day += dt.timedelta(days=rng.randint(20, 60))
                end = demo._month_start(day, rng.randint(1, 3))
                note = f"Travaux commencés ; fin annoncée pour {self.month(end)}."
                how, reminder = "reunion_gup", end + dt.timedelta(days=14)
            elif nxt == "resolu":
                awaited = steps[-1][4]  # the work was planned for then
                # Never the day of the step before: same-day steps would sort by the
                # time they were typed, which says nothing of their order.
                day = max(day, awaited or day) + dt.timedelta(days=rng.randint(1, 30))
                note = rng.choice(RESOLVED_NOTES)
                how = rng.choice(("reunion_gup", "telephone", "mail"))
            elif nxt == "refuse":
                day += dt.timedelta(days=rng.randint(20, 45))
                note = ("Demande refusée par le service : pas de budget cette année ; à "
                        "présenter de nouveau l'an prochain.")
                how = "reponse_ecrite"
            elif nxt == "reoriente":
                day += dt.timedelta(days=rng.randint(15, 30))
                note = ("Hors compétence : le signalement est réorienté vers l'organisme "
                        "concerné.")
                how = "reponse_ecrite"
            else:  # doublon
                day += dt.timedelta(days=rng.randint(5, 20))
                note = ("Déjà signalé par un autre habitant : traité avec le premier "
                        "signalement.")
                how = "telephone"
            if day > self.last_day:
                break
            steps.append((day, nxt, how, note, reminder))
            status = nxt
        return steps

    # -- media rows ----------------------------------------------------------------------

    def media_rows(self, drawn: dict[tuple, _Picture],
                   plans: dict[tuple[str, int], _Picture]) -> None:
        rng = self.rng
        counters = {phone: rng.randint(1200, 8800) for phone in PHONES}
        for key in self.picture_keys:
            media_id = self.pictures.get(key)
            if media_id is None:
                continue
            picture = drawn[key]
            taken, phone, gps = self.picture_use[key]
            make, model = phone
            if make == "Apple":
                counters[phone] += 1
                name = f"IMG_{counters[phone]:04d}.JPG"
            else:
                name = ("IMG_" if make == "Xiaomi" else "") + f"{taken:%Y%m%d_%H%M%S}.jpg"
            camera = model if model.casefold().startswith(make.casefold()) \
                else f"{make} {model}"
            self.add("media", self.at(taken.date() + dt.timedelta(days=1), 15), None, (
                picture.sha256, "photo", name, picture.size, picture.width, picture.height,
                taken.isoformat(timespec="seconds"), *(gps or (None, None)), camera),
                media_id)
        for (code, route), picture in sorted(plans.items()):
            self.add("media", self.at(self.founded[code] + dt.timedelta(days=30), 10), None, (
                picture.sha256, "plan", f"plan-{code}-{route + 1}.png", picture.size,
                picture.width, picture.height, None, None, None, ""),
                self.plan_media[(code, route)])

    # -- the whole -----------------------------------------------------------------------

    def build(self, pool: ThreadPoolExecutor, folder: Path) -> int:
        """Compute every row; the pictures are drawn meanwhile. Returns how many image
        files were written."""
        self.councils()
        self.seats()
        self.directory()
        others = max(0, round(PEOPLE * self.scale) - len(self.people))
        directory_only = others // 4  # never came to a meeting: a phone call, a petition…
        self.newcomer_budget = others - directory_only
        self.schedule()
        self.plan_walks()
        scenes = sorted({(key[0], key[1]) for key in self.pictures})
        jobs = {(scene, night): pool.submit(
                    _draw_photos, folder, scene, night, self.seed * 1000 + i,
                    [(scene, night, v) in self.pictures for v in range(PICTURE_VARIANTS)])
                for i, (scene, night) in enumerate(scenes)}
        plan_jobs: dict[tuple[str, int], Future] = {}
        for walk in self.walks:
            key = (walk.code, walk.route_index)
            if key not in plan_jobs:
                self.plan_media[key] = self.new_id()
                plan_jobs[key] = pool.submit(_draw_plan, folder, walk.code,
                                             MAPS[walk.code].routes[walk.route_index])
        for event in self.events:
            self.hold(event)
        self.amend()
        rng = self.rng
        for _person in range(directory_only + self.newcomer_budget):
            joined = demo._day_between(rng, self.start, self.today - dt.timedelta(days=2))
            gender = rng.choice(("femme", "homme"))
            birth_year = joined.year - rng.randint(18, 80) if rng.random() < 0.6 else None
            first, last = self.namer.name(gender, birth_year)
            self.person(joined, first_name=first, last_name=last, gender=gender,
                        birth_year=birth_year, lives_in_qpv=rng.random() < 0.8,
                        phone=self.namer.mobile(),
                        email=self.namer.email(first, last) if rng.random() < 0.5 else "",
                        notes=rng.choice((
                            *FORMER_PARTICIPANT_NOTES, "Contact pris au stand du marché.",
                            "Signalement par téléphone au centre social.",
                            "Souhaite être informée des prochaines réunions.")),
                        **self.consent(joined, 0.6))
        self.write_walks()
        for meeting in self.meetings:
            self.add("meetings", meeting.created, meeting.updated,
                     tuple(meeting.values[c] for c in COLUMNS["meetings"]), meeting.meeting_id)
        for code in self.codes:
            for action in self.actions[code]:
                self.add("actions", action.created, action.updated,
                         tuple(action.values[c] for c in COLUMNS["actions"]), action.action_id)
        drawn = {(scene, night, variant): picture
                 for (scene, night), job in jobs.items()
                 for variant, picture in enumerate(job.result()) if picture is not None}
        plans = {key: job.result() for key, job in plan_jobs.items()}
        self.media_rows(drawn, plans)
        return len(drawn) + len(plans)

    def write(self) -> None:
        """Insert every row (inside the caller's transaction). Meetings refer to later
        meetings (the one that approved their minutes): references are checked at the
        commit."""
        conn = self.db.conn
        conn.execute("PRAGMA defer_foreign_keys = ON")
        for table, columns in COLUMNS.items():
            names = ("id", "created_at", "updated_at", "deleted_at", *columns)
            conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) "
                             f"VALUES ({', '.join('?' * len(names))})", self.rows[table])


def generate(db, *, seed: int = 2026, today: dt.date | None = None, scale: float = 1.0
             ) -> LargeSummary:
    """Fill ``db``, which must hold no council, with ten years of the five councils.

    ``today`` is the day the data leads up to (nothing happened on it or after it; the
    meetings of the next six weeks are planned); it defaults to the real date and
    cannot be later. ``scale`` (0 < scale ≤ 1) keeps that share of the meetings and walks.
    The pictures go to the database's media folder; on failure nothing is left behind.
    """
    if not 0 < scale <= 1:
        raise ValueError(f"scale must be in (0, 1], not {scale!r}")
    today = today or dt.date.today()
    if today > dt.date.today():
        raise ValueError("the demonstration cannot end after the real date")
    if db.scalar("SELECT count(*) FROM councils"):
        raise demo._already_filled(db.path)
    folder = paths.media_dir(Path(db.path))
    fresh = not folder.exists()
    builder = _Large(db, seed, today, scale)
    conn = db.conn
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1)),
                                thread_name_prefix="perr-demo-large") as pool:
            pictures = builder.build(pool, folder)
        conn.execute("PRAGMA synchronous = OFF")  # one big write; FULL again right after
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                builder.write()
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            conn.execute("PRAGMA synchronous = FULL")
        dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if dangling or integrity != ["ok"]:
            raise RuntimeError(f"large demonstration written badly: {dangling[:5]} "
                               f"{integrity[:5]}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        if fresh:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    rows = builder.rows
    return LargeSummary(
        councils=len(rows["councils"]), people=len(rows["people"]),
        memberships=len(rows["memberships"]), meetings=len(rows["meetings"]),
        actions=len(rows["actions"]), walks=len(rows["walks"]),
        observations=len(rows["observations"]), photos=len(rows["photos"]),
        attendance=len(rows["attendance"]), followups=len(rows["followups"]),
        followup_steps=len(rows["followup_steps"]), pictures=pictures)


def create_large_database(path: Path | str, *, seed: int = 2026,
                          today: dt.date | None = None, scale: float = 1.0) -> LargeSummary:
    """Create (or fill an empty) database at ``path`` with the large demonstration; a
    database that already holds councils is refused and left untouched."""
    from perr_desktop.storage.database import holds_councils, open_database

    path = Path(path).expanduser()
    if holds_councils(path):
        raise demo._already_filled(path)
    with open_database(path) as db:
        return generate(db, seed=seed, today=today, scale=scale)

"""Demonstration data: the five QPV councils of GrandAngoulême with believable members,
two years of their meetings and two walking diagnostics each.

Everything is written through the services (never raw inserts), so the demonstration
obeys the same rules as data typed by a facilitator. The people are invented: names are
drawn from pools typical of the neighbourhoods, emails use the reserved ``example.org``
and ``example.net`` domains, phone numbers are random. Meetings go through
``services.meetings`` only: planned (the plénière copied from the last one), attended,
minuted, followed up and approved the way journeys 2 and 3 describe. Walks go through
``services.walks``, ``services.photos`` (the plans and photos, drawn here with Pillow and
imported like a facilitator's files) and ``services.followups`` (journeys 4 and 5); the
one direct write sets each observation's ``created_at`` to the moment it was noted in the
street, which is what matching photos by time relies on.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import math
import os
import random
import re
import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from PIL.TiffImagePlugin import IFDRational

from perr_desktop import paths
from perr_desktop.domain.text import search_key
from perr_desktop.errors import UserError
from perr_desktop.i18n import _, format_date, format_number, ngettext
from perr_desktop.services import councils, followups, meetings, people, photos, walks

SIZES = ("small", "large")  # large: ten years, for benchmarks (services/demo_large.py)

# -- the summary printed by ``perr-desktop demo`` --------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    councils: int
    people: int
    memberships: int
    meetings: int
    actions: int
    walks: int = 0
    observations: int = 0
    photos: int = 0

    def __str__(self) -> str:
        return ", ".join((
            ngettext("%(count)s council", "%(count)s councils", self.councils)
            % {"count": format_number(self.councils)},
            ngettext("%(count)s person", "%(count)s people", self.people)
            % {"count": format_number(self.people)},
            ngettext("%(count)s membership", "%(count)s memberships", self.memberships)
            % {"count": format_number(self.memberships)},
            ngettext("%(count)s meeting", "%(count)s meetings", self.meetings)
            % {"count": format_number(self.meetings)},
            ngettext("%(count)s action", "%(count)s actions", self.actions)
            % {"count": format_number(self.actions)},
            ngettext("%(count)s walk", "%(count)s walks", self.walks)
            % {"count": format_number(self.walks)},
            ngettext("%(count)s observation", "%(count)s observations", self.observations)
            % {"count": format_number(self.observations)},
            ngettext("%(count)s photo", "%(count)s photos", self.photos)
            % {"count": format_number(self.photos)},
        ))


# -- name pools ---------------------------------------------------------------------------
# The journey "search 'gar', find Mme Garnier at once" needs Hélène Garnier to be the only
# match: no other name or organisation below may contain "gar" (Margaux, Edgar, Garcia…).

# French first names follow the generations (a Ginette born in 2004 would look wrong);
# the others change less with age.
FRENCH_FIRST_NAMES = {
    ("femme", "old"): ("Françoise", "Josiane", "Monique", "Ginette", "Bernadette", "Sylvie",
                       "Agnès", "Joëlle", "Danièle", "Mireille"),
    ("femme", "mid"): ("Hélène", "Nathalie", "Céline", "Sandrine", "Christelle", "Cécile",
                       "Élodie", "Gaëlle", "Émilie", "Anaïs", "Noémie"),
    ("femme", "young"): ("Maëlle", "Zoé", "Léa", "Chloé", "Océane", "Manon", "Jade", "Inès",
                         "Lilou", "Anaïs", "Clémence"),
    ("homme", "old"): ("Gérard", "René", "Michel", "Alain", "Joël", "Bernard", "Jean-Pierre",
                       "Daniel", "Noël"),
    ("homme", "mid"): ("Loïc", "Jérôme", "François", "Stéphane", "Sébastien", "Frédéric",
                       "Pascal", "Thierry", "Yannick", "Cédric", "Gaël", "Raphaël"),
    ("homme", "young"): ("Théo", "Lucas", "Hugo", "Mathéo", "Enzo", "Kévin", "Dylan",
                         "Nicolas", "Noé", "Raphaël"),
}
# origin: (weight, women's first names, men's first names, surnames)
ORIGINS = {
    "france": (0.46, (), (), (
        "Lefèvre", "Le Bihan", "Lacôte", "Bœuf", "Martin", "Dubois", "Moreau", "Laurent",
        "Rousseau", "Fontaine", "Chevalier", "Robin", "Mercier", "Boucher", "Blanchard",
        "Guérin", "Faure", "Renaud", "Brunet", "Rivière", "Barbier", "Aubert", "Perrin",
        "Lemaire", "Gauthier", "Marchand", "Gaillard", "Vidal", "Roux", "Petit", "Chauvin",
        "Texier", "Mesnard", "Bouyer", "Tessier", "Audoin", "Brémaud", "Rocheteau", "Pineau",
        "Ménard", "Dupré", "Bréchet", "Mathé", "Thébault", "L'Hôte", "Le Goff",
    )),
    "maghreb": (0.19, (
        "Yasmina", "Fatima", "Aïcha", "Nadia", "Karima", "Leïla", "Samia", "Nawel", "Dalila",
        "Myriam", "Inès", "Soraya",
    ), (
        "Mehdi", "Youssef", "Rachid", "Mohamed", "Hamza", "Bilal", "Ahmed", "Nordine",
        "Saïd", "Yacine",
    ), (
        "Benaïssa", "Bouzid", "Belkacem", "Meziane", "Chérif", "Hamidi", "Amrani",
        "El Idrissi", "Zerrouki", "Haddouche", "Benchaïb",
    )),
    "afrique_ouest": (0.11, (
        "Aminata", "Fatoumata", "Mariama", "Awa", "Kadiatou", "Aïssatou",
    ), (
        "Moussa", "Mamadou", "Ibrahima", "Oumar", "Abdoulaye", "Seydou",
    ), (
        "N'Diaye", "Ouédraogo", "Traoré", "Diallo", "Koné", "Camara", "Sy", "Konaté", "Mbaye",
    )),
    "portugal": (0.11, ("Ana", "Sofia", "Maria", "Fátima", "Inês"), (
        "José", "João", "Rui", "Paulo", "Manuel",
    ), (
        "D'Almeida", "Da Silva", "Ferreira", "Pereira", "Gonçalves", "Rodrigues",
        "Fernandes", "Lopes", "Oliveira",
    )),
    "turquie": (0.06, ("Zeynep", "Elif", "Ayşe", "Hülya"), ("Emre", "Mustafa", "Hakan", "Murat"),
                ("Yilmaz", "Demir", "Kaya", "Öztürk", "Çelik")),
    "comores": (0.04, ("Zaïnaba", "Anziza", "Echati"), ("Soilihi", "Ibrahim", "Nassur"),
                ("Ahamada", "M'Madi", "Abdallah", "Said Ali")),
    "vietnam": (0.03, ("Linh", "Mai", "Thu"), ("Minh", "Duc", "Thanh"), ("Nguyen", "Tran", "Pham")),
}
# Children of immigrant families often carry a French first name.
FRENCH_FIRST_NAME_SHARE = 0.2

# The journey's resident, searched for as "gar".
GARNIER = {"first_name": "Hélène", "last_name": "Garnier", "gender": "femme"}

# -- the five councils ------------------------------------------------------------------


@dataclass(frozen=True)
class _Facilitator:
    first_name: str
    last_name: str
    gender: str
    organisation: str
    contact: str  # "phone" (drawn) or a fixed email address


@dataclass(frozen=True)
class _Plan:
    code: str
    facilitator: _Facilitator
    venue: str
    organisations: tuple[str, ...]
    notes: str = ""


PLANS = (
    _Plan(
        "basseau-grande-garenne",
        _Facilitator("Samira", "Benali", "femme", "Centre social de Basseau", "phone"),
        "Maison de quartier de Basseau",
        ("Épicerie solidaire L'Escale", "Pharmacie de Basseau", "Boulangerie du Centre",
         "AS Basseau Football", "Association Femmes solidaires de Basseau"),
        "Conseil en cours de constitution : habitants tirés au sort, arrêté préfectoral "
        "demandé.",
    ),
    _Plan(
        "ma-campagne",
        _Facilitator("Élise", "Vigier", "femme", "Centre social et culturel de Ma Campagne",
                     "animation@cscs-macampagne.example.org"),
        "Centre social et culturel de Ma Campagne",
        ("Pharmacie de Ma Campagne", "Association des locataires de Ma Campagne",
         "Ludothèque Le Jeu d'Enfants", "Club de l'Amitié", "Auto-école du Plateau",
         "Boulangerie Au Pain d'Antan", "Centre social et culturel de Ma Campagne"),
    ),
    _Plan(
        "bel-air-grand-font",
        _Facilitator("Thomas", "Rivaud", "homme", "Centre social du Grand Font", "phone"),
        "Espace Jeanne-d'Arc",
        ("Comité de quartier de Bel-Air", "Pharmacie du Grand Font",
         "Boxe éducative du Grand Font", "Association des commerçants de Bel-Air",
         "Maison médicale du Grand Font", "Restaurant Le Bel-Air", "Les Restos du Cœur"),
        "Réunions le premier jeudi du mois.",
    ),
    _Plan(
        "etang-des-moines",
        _Facilitator("Nadège", "Poupard", "femme", "Ville de La Couronne – vie des quartiers",
                     "vie-des-quartiers@lacouronne.example.org"),
        "Salle municipale de l'Étang des Moines",
        ("Amicale laïque de La Couronne", "Coiffure L'Étang", "Boulangerie des Moines",
         "Association Couronne Solidarité", "École de musique de La Couronne",
         "Cabinet infirmier des Moines"),
    ),
    _Plan(
        "champ-de-manoeuvre",
        _Facilitator("Karim", "Haddad", "homme", "Centre socioculturel de Soyaux",
                     "animation@cscs-soyaux.example.org"),
        "Centre socioculturel du Champ de Manœuvre",
        ("Association Les Femmes du Champ", "Tabac-presse du Champ de Manœuvre",
         "Épicerie sociale de Soyaux", "Club de boxe soyausien",
         "Association culturelle franco-turque de Soyaux", "Pharmacie du Champ de Manœuvre",
         "Médiathèque de Soyaux"),
        "Réunions le mardi à 18 h ; garderie assurée par le centre.",
    ),
)

# Organisations active in two neighbourhoods: one person, one membership in each council.
SHARED_ORGANISATIONS = (
    ("Régie de quartier", ("basseau-grande-garenne", "bel-air-grand-font")),
    ("Association Les Jardins partagés", ("ma-campagne", "etang-des-moines")),
    ("Association Trait d'Union – médiation", ("champ-de-manoeuvre", "ma-campagne")),
)

# People in the directory who sit in no council.
PARTNERS = (
    "Ville d'Angoulême – politique de la ville",
    "GrandAngoulême – contrat de ville",
    "Ville de Soyaux – vie des quartiers",
    "Préfecture de la Charente – délégation du préfet",
    "Bailleur social – agence de proximité",
    "Police municipale d'Angoulême",
    "Département de la Charente – maison des solidarités",
    "Réseau de bus – pôle accessibilité",
)
FORMER_PARTICIPANT_NOTES = (
    "A participé aux cafés citoyens en 2019.",
    "Venue au diagnostic en marchant de nuit, 2022.",
    "Ancien membre du conseil de quartier, reste en contact.",
    "Intéressée par le tirage au sort de l'an prochain.",
    "A tenu le stand au marché pendant la fête de quartier.",
)

# Dates: the councils were recognised in 2015-2016; members joined up to the end of 2025.
RECOGNISED_FROM, RECOGNISED_TO = dt.date(2015, 5, 1), dt.date(2016, 12, 15)
LAST_JOINING = dt.date(2025, 12, 31)


# -- helpers ------------------------------------------------------------------------------


class _Deck:
    """Deals items in a shuffled order; every item comes out once before any repeats."""

    def __init__(self, rng: random.Random, items: Sequence[str]) -> None:
        self.rng, self.items, self.pile = rng, list(items), []

    def draw(self) -> str:
        if not self.pile:
            self.pile = list(self.items)
            self.rng.shuffle(self.pile)
        return self.pile.pop()


def _spread(rng: random.Random, n: int, shares: dict[str, float]) -> list[str]:
    """``n`` labels in the given proportions (the last label takes the rest), shuffled:
    a council of 12 gets exactly its share of, say, people without email."""
    out: list[str] = []
    labels = list(shares)
    for label in labels[:-1]:
        out += [label] * round(n * shares[label])
    out = out[:n] + [labels[-1]] * max(0, n - len(out))
    rng.shuffle(out)
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", search_key(text))


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return end
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


@dataclass
class _Member:
    person_id: str
    college: str
    gender: str
    joined_on: dt.date
    left_on: dt.date | None = None
    role: str = "membre"
    notes: str = ""


@dataclass
class _Builder:
    db: Any
    rng: random.Random
    today: dt.date
    people: int = 0
    memberships: int = 0
    names: set[tuple[str, str]] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    # What the meetings need to know of the people written before them.
    directory: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> fields
    councils: dict[str, tuple[str, list[_Member]]] = field(default_factory=dict)
    founded: dict[str, dt.date] = field(default_factory=dict)  # en création: draw day
    facilitators: dict[str, str] = field(default_factory=dict)  # plan code -> person id
    partners: list[str] = field(default_factory=list)
    former_participants: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.first_names = {key: _Deck(self.rng, names)
                            for key, names in FRENCH_FIRST_NAMES.items()}
        self.surnames = {}
        for origin, (_weight, women, men, surnames) in ORIGINS.items():
            self.surnames[origin] = _Deck(self.rng, surnames)
            if women:
                self.first_names[("femme", origin)] = _Deck(self.rng, women)
                self.first_names[("homme", origin)] = _Deck(self.rng, men)
        self.origins, self.origin_weights = list(ORIGINS), [w for w, *_ in ORIGINS.values()]
        self.names.add((GARNIER["first_name"], GARNIER["last_name"]))
        for plan in PLANS:
            self.names.add((plan.facilitator.first_name, plan.facilitator.last_name))

    # -- contact details ---------------------------------------------------------------

    def mobile(self) -> str:
        pairs = " ".join(f"{self.rng.randint(0, 99):02d}" for _pair in range(4))
        return f"0{self.rng.choice('67')} {pairs}"

    def landline(self) -> str:
        pairs = " ".join(f"{self.rng.randint(0, 99):02d}" for _pair in range(3))
        return f"05 45 {pairs}"

    def email(self, first: str, last: str, professional: bool = False) -> str:
        f, la = _slug(first), _slug(last)
        if professional:
            patterns = (f"{f[0]}.{la}@example.net", f"{f}.{la}@example.net")
        else:
            patterns = (f"{f}.{la}@example.org", f"{f[0]}{la}@example.net",
                        f"{f}{la}{self.rng.randint(10, 99)}@example.org",
                        f"{la}.{f}@example.net")
        address = self.rng.choice(patterns)
        while address in self.emails:
            local, domain = address.split("@")
            address = f"{local}{self.rng.randint(1, 9)}@{domain}"
        self.emails.add(address)
        return address

    def name(self, gender: str, birth_year: int | None = None) -> tuple[str, str]:
        if birth_year is None:
            generation = "mid"
        else:
            generation = "old" if birth_year < 1965 else "mid" if birth_year < 1990 else "young"
        while True:
            origin = self.rng.choices(self.origins, self.origin_weights)[0]
            french = origin == "france" or (
                generation != "old" and self.rng.random() < FRENCH_FIRST_NAME_SHARE)
            first = self.first_names[(gender, generation if french else origin)].draw()
            candidate = (first, self.surnames[origin].draw())
            if candidate not in self.names:
                self.names.add(candidate)
                return candidate

    # -- people ------------------------------------------------------------------------

    def create_person(self, **fields: Any) -> str:
        self.people += 1
        person_id = people.create_person(self.db, **fields)
        self.directory[person_id] = fields
        return person_id

    def consent(self, joined: dt.date, until: dt.date | None, *, photos_share: float
                ) -> dict[str, Any]:
        last = min(until or self.today, self.today)
        day = _day_between(self.rng, joined, min(joined + dt.timedelta(days=21), last))
        return {
            "consent_date": day.isoformat(),
            "consent_contact": self.rng.random() < 0.93,
            "consent_photos": self.rng.random() < photos_share,
        }

    def birth_year(self, age: str) -> int | None:
        """A year of birth in the age band (``unknown``: not given)."""
        years = {"young": (18, 24), "adult": (25, 59), "senior": (60, 86)}.get(age)
        return self.today.year - self.rng.randint(*years) if years else None

    def resident(self, gender: str, birth_year: int | None, contact: str, joined: dt.date,
                 left: dt.date | None, *, consent: bool, name: dict | None = None) -> str:
        first, last = ((name["first_name"], name["last_name"]) if name
                       else self.name(gender, birth_year))
        senior = birth_year is not None and self.today.year - birth_year >= 60
        fields: dict[str, Any] = {
            "first_name": first, "last_name": last, "gender": gender, "birth_year": birth_year,
            "lives_in_qpv": True if name or self.rng.random() >= 0.08 else None,
            "email": "" if contact == "phone_only" else self.email(first, last),
            "phone": "" if contact == "email_only" else
            (self.landline() if senior and self.rng.random() < 0.5 else self.mobile()),
        }
        if contact == "phone_only" and self.rng.random() < 0.5:
            fields["notes"] = "Pas d'adresse électronique : convocations par courrier."
        if consent:
            fields.update(self.consent(joined, left, photos_share=0.75))
        return self.create_person(**fields)

    def stakeholder(self, organisation: str, joined: dt.date, left: dt.date | None) -> str:
        women_only = "Femmes" in organisation
        gender = "femme" if women_only else self.rng.choice(("femme", "homme"))
        first, last = self.name(gender)
        return self.create_person(
            first_name=first, last_name=last, gender=gender, organisation=organisation,
            email=self.email(first, last, professional=True) if self.rng.random() < 0.9 else "",
            phone=self.landline() if self.rng.random() < 0.7 else self.mobile(),
            **self.consent(joined, left, photos_share=0.85),
        )

    # -- memberships -------------------------------------------------------------------

    def join(self, council_id: str, member: _Member) -> None:
        people.add_membership(
            self.db, council_id, member.person_id, member.college, member.role,
            joined_on=member.joined_on.isoformat(),
            left_on=member.left_on.isoformat() if member.left_on else None,
            notes=member.notes,
        )
        self.memberships += 1

    # -- councils ----------------------------------------------------------------------

    def run(self, council_ids: Sequence[str]) -> None:
        by_code = {}
        for council_id in council_ids:
            council = councils.get_council(self.db, council_id)
            for neighbourhood in council["neighbourhoods"]:
                by_code[neighbourhood["code"]] = council
        plans = [plan for plan in PLANS if plan.code in by_code]

        # Each council's founding day: its members' joining dates start there.
        founding = {}
        for plan in plans:
            if by_code[plan.code]["status"] == "actif":
                recognised = _day_between(self.rng, RECOGNISED_FROM, RECOGNISED_TO)
                founding[plan.code] = (recognised - dt.timedelta(days=self.rng.randint(7, 45)),
                                       recognised)
            else:  # being set up: the residents were drawn by lot a few months ago
                founding[plan.code] = (_day_between(self.rng,
                                                    self.today - dt.timedelta(days=120),
                                                    self.today - dt.timedelta(days=14)), None)

        shared: dict[str, list[tuple[str, dt.date]]] = {}  # code -> [(person_id, joined)]
        for organisation, codes in SHARED_ORGANISATIONS:
            joined = {code: self.shared_joining(code, founding[code][0], by_code[code])
                      for code in codes if code in by_code}
            if not joined:
                continue
            person_id = self.stakeholder(organisation, min(joined.values()), None)
            for code, day in joined.items():
                shared.setdefault(code, []).append((person_id, day))

        for plan in plans:
            council = by_code[plan.code]
            founded, recognised_on = founding[plan.code]
            self.describe(council["id"], plan, recognised_on)
            if recognised_on:
                members = self.active_council(plan, founded, shared.get(plan.code, []))
            else:
                members = self.new_council(plan, founded, shared.get(plan.code, []))
            for member in members:
                self.join(council["id"], member)
            self.councils[plan.code] = (council["id"], members)
            if not recognised_on:
                self.founded[plan.code] = founded

        self.directory_only(plans)

    def shared_joining(self, code: str, founded: dt.date, council: dict) -> dt.date:
        if council["status"] == "actif":
            return _day_between(self.rng, founded, min(LAST_JOINING, self.today))
        return founded

    def describe(self, council_id: str, plan: _Plan, recognised_on: dt.date | None) -> None:
        facilitator = plan.facilitator
        contact = self.landline() if facilitator.contact == "phone" else facilitator.contact
        councils.update_council(
            self.db, council_id,
            facilitator_name=f"{facilitator.first_name} {facilitator.last_name}",
            facilitator_contact=contact, venue=plan.venue,
            recognised_on=recognised_on.isoformat() if recognised_on else None,
            notes=plan.notes,
        )

    def new_council(self, plan: _Plan, draw_day: dt.date,
                    shared: list[tuple[str, dt.date]]) -> list[_Member]:
        """Journey 1: twelve residents drawn by lot (six women, six men, some with no email,
        one with no phone), four local organisations, every consent recorded."""
        genders = _spread(self.rng, 12, {"femme": 0.5, "homme": 0.5})
        ages = _spread(self.rng, 12, {"young": 0.17, "senior": 0.25, "adult": 0})
        contacts = _spread(self.rng, 12, {"phone_only": 0.34, "email_only": 0.09, "both": 0})
        # Mme Garnier, whom the journey searches for, is a woman of working age.
        women = [i for i, gender in enumerate(genders) if gender == "femme"]
        garnier = next((i for i in women if ages[i] == "adult"), women[0])
        adult = ages.index("adult")
        ages[garnier], ages[adult] = ages[adult], ages[garnier]
        members = []
        for i, gender in enumerate(genders):
            person_id = self.resident(gender, self.birth_year(ages[i]), contacts[i], draw_day,
                                      None, consent=True, name=GARNIER if i == garnier else None)
            members.append(_Member(person_id, "habitants", gender, draw_day,
                                   notes="Tirage au sort"))
        members[self.rng.randrange(12)].role = "referent"
        organisations = self.rng.sample(plan.organisations, 4 - len(shared))
        for organisation in organisations:
            joined = draw_day + dt.timedelta(days=self.rng.randint(0, 10))
            person_id = self.stakeholder(organisation, joined, None)
            members.append(_Member(person_id, "acteurs_locaux", "", joined))
        for person_id, joined in shared:
            members.append(_Member(person_id, "acteurs_locaux", "", joined))
        return members

    def active_council(self, plan: _Plan, founding: dt.date,
                       shared: list[tuple[str, dt.date]]) -> list[_Member]:
        rng = self.rng
        last_joining = min(LAST_JOINING, self.today)
        n_residents, n_stakeholders, n_former = (rng.randint(11, 14), rng.randint(5, 7),
                                                 rng.randint(2, 3))

        def joined_on(birth_year: int | None = None, last: dt.date = last_joining) -> dt.date:
            """Founding members all joined on the same day; the others came later, and
            nobody joined before turning 16."""
            earliest = founding
            if birth_year is not None:
                earliest = max(earliest, dt.date(birth_year + 16, 9, 1))
            if earliest == founding and rng.random() < 0.4:
                return founding
            return _day_between(rng, max(earliest, founding + dt.timedelta(days=60)), last)

        members = []
        genders = ["femme", "homme"] * (n_residents // 2) + \
            [rng.choice(("femme", "homme"))] * (n_residents % 2)
        rng.shuffle(genders)
        ages = _spread(rng, n_residents, {"young": 0.15, "senior": 0.3, "unknown": 0.07,
                                          "adult": 0})
        contacts = _spread(rng, n_residents, {"phone_only": 0.3, "email_only": 0.1, "both": 0})
        for i, gender in enumerate(genders):
            birth_year = self.birth_year(ages[i])
            joined = joined_on(birth_year)
            person_id = self.resident(gender, birth_year, contacts[i], joined, None,
                                      consent=rng.random() < 0.9)
            members.append(_Member(
                person_id, "habitants", gender, joined,
                notes="Tirage au sort" if rng.random() < 0.5 else "Candidature volontaire",
            ))

        stakeholders = []
        for person_id, joined in shared:
            stakeholders.append(_Member(person_id, "acteurs_locaux", "", joined))
        organisations = rng.sample(plan.organisations, n_stakeholders - len(shared))
        for organisation in organisations:
            joined = joined_on()
            stakeholders.append(_Member(self.stakeholder(organisation, joined, None),
                                        "acteurs_locaux", "", joined))
        self.give_roles(members, stakeholders)
        members += stakeholders

        # Former members: they joined early and left (moved away, shop closed) in the past.
        gender = rng.choice(("femme", "homme"))
        gone = [o for o in plan.organisations if o not in organisations]
        for _former in range(n_former):
            if rng.random() < 0.75 or not gone:
                birth_year = self.birth_year(rng.choice(("adult", "senior")))
                joined = joined_on(birth_year, dt.date(2022, 12, 31))
                left = _day_between(rng, joined + dt.timedelta(days=365),
                                    self.today - dt.timedelta(days=30))
                person_id = self.resident(gender, birth_year, "both", joined, left, consent=True)
                member = _Member(person_id, "habitants", gender, joined, left,
                                 notes="A déménagé." if rng.random() < 0.5 else "")
                gender = "homme" if gender == "femme" else "femme"
            else:
                joined = joined_on(None, dt.date(2022, 12, 31))
                left = _day_between(rng, joined + dt.timedelta(days=365),
                                    self.today - dt.timedelta(days=30))
                organisation = gone.pop(rng.randrange(len(gone)))
                member = _Member(self.stakeholder(organisation, joined, left),
                                 "acteurs_locaux", "", joined, left,
                                 notes="Structure fermée ou remplacée.")
            members.append(member)
        return members

    def give_roles(self, residents: list[_Member], stakeholders: list[_Member]) -> None:
        rng = self.rng
        # The longest-serving residents hold the offices.
        senior = sorted(residents, key=lambda m: m.joined_on)
        if rng.random() < 0.4:
            women = [m for m in senior if m.gender == "femme"]
            men = [m for m in senior if m.gender == "homme"]
            women[0].role = men[0].role = "co_referent"
        else:
            senior[0].role = "referent"
        free = [m for m in senior if m.role == "membre"]
        free.pop(0).role = "secretaire"
        rng.choice(free[:4] + stakeholders).role = "representant_instances"
        free = [m for m in free if m.role == "membre"]
        if rng.random() < 0.5:
            rng.choice(free).role = "suppleant"
        free = [m for m in free if m.role == "membre"]
        if rng.random() < 0.25:
            rng.choice(free).role = "tresorier"

    def directory_only(self, plans: Sequence[_Plan]) -> None:
        """Facilitators, partners and former participants: known, in no council."""
        rng = self.rng
        for plan in plans:
            f = plan.facilitator
            self.facilitators[plan.code] = self.create_person(
                first_name=f.first_name, last_name=f.last_name, gender=f.gender,
                organisation=f.organisation, lives_in_qpv=False,
                email=f.contact if "@" in f.contact else self.email(f.first_name, f.last_name,
                                                                     professional=True),
                phone=self.landline(),
                **self.consent(dt.date(2024, 1, 8), None, photos_share=1.0),
            )
        for organisation in rng.sample(PARTNERS, rng.randint(4, 6)):
            joined = _day_between(rng, dt.date(2019, 1, 1), LAST_JOINING)
            self.partners.append(self.stakeholder(organisation, joined, None))
        for notes in rng.sample(FORMER_PARTICIPANT_NOTES, rng.randint(3, 5)):
            gender = rng.choice(("femme", "homme"))
            birth_year = self.today.year - rng.randint(20, 75)
            first, last = self.name(gender, birth_year)
            self.former_participants.append(self.create_person(
                first_name=first, last_name=last, gender=gender, lives_in_qpv=True,
                birth_year=birth_year, notes=notes,
                phone=self.mobile(),
                email=self.email(first, last) if rng.random() < 0.6 else "",
            ))


# == meetings ===========================================================================
# Two years in the life of each council, written through services.meetings the way a
# facilitator types it: plan (the plénière by copying the last one), invite, take
# attendance, write the minutes item by item, follow up the « points en suspens »,
# approve the previous minutes at the next plénière.

MEETING_YEARS = 2
LOOK_AHEAD = dt.timedelta(days=42)  # meetings already planned in the coming weeks


@dataclass(frozen=True)
class _Local:
    """How a council's neighbourhood is named in a sentence, and its habits."""

    of: str  # « de Ma Campagne »
    at: str  # « à Ma Campagne »
    town: str  # the commune, as a body that actions are assigned to
    weekday: int  # plénières on this day of the week (0: Monday)…
    nth: int  # …its nth occurrence in the month (-1: the last)
    time: str
    other_venues: tuple[str, ...]
    market: str


LOCAL = {
    "basseau-grande-garenne": _Local(
        "de Basseau", "à Basseau", "Ville d'Angoulême", 3, 2, "18:30",
        ("Centre social de Basseau", "École élémentaire de Basseau – salle polyvalente"),
        "Marché de Basseau, parvis du centre commercial"),
    "ma-campagne": _Local(
        "de Ma Campagne", "à Ma Campagne", "Ville d'Angoulême", 0, 3, "18:30",
        ("Salle des fêtes de Ma Campagne", "Ludothèque Le Jeu d'Enfants"),
        "Marché de Ma Campagne, place centrale"),
    "bel-air-grand-font": _Local(
        "de Bel-Air Grand Font", "à Bel-Air Grand Font", "Ville d'Angoulême", 3, 1, "18:30",
        ("Centre social du Grand Font", "Maison médicale du Grand Font – salle de réunion"),
        "Marché du Grand Font, place du centre social"),
    "etang-des-moines": _Local(
        "de l'Étang des Moines", "à l'Étang des Moines", "Ville de La Couronne", 2, -1, "18:00",
        ("Médiathèque de La Couronne", "Salle des fêtes de La Couronne"),
        "Marché de La Couronne, place de la mairie"),
    "champ-de-manoeuvre": _Local(
        "du Champ de Manœuvre", "au Champ de Manœuvre", "Ville de Soyaux", 1, 2, "18:00",
        ("Médiathèque de Soyaux", "Salle des fêtes de Soyaux"),
        "Marché de Soyaux, place du centre commercial"),
}
AGGLOMERATION_VENUE = "Hôtel d'agglomération de GrandAngoulême – salle du conseil"


@dataclass(frozen=True)
class _Task:
    """An action the minutes may assign, and what is said of it at later meetings."""

    text: str
    who: str  # a role (animation, referent, secretaire, tresorier, representant, membre,
    #           acteur) or a body (« {town} », « Logélia », « GrandAngoulême »…)
    days: int  # due so many days after the meeting
    done: str
    doing: str
    dropped: str
    slow: bool = False  # waits on a body for months


@dataclass(frozen=True)
class _Item:
    """An agenda item: its title, what the minutes say, what may be decided and done."""

    title: str
    objective: str | None
    presenter: str  # a role (see _Task.who) or a name
    minutes: int
    notes: tuple[str, ...] = ()
    decisions: tuple[tuple[str, bool], ...] = ()  # (text, put to the vote)
    tasks: tuple[_Task, ...] = ()
    oru: bool = False  # only where urban renewal is under way
    months: tuple[int, ...] = ()  # only in these months


# Topics a plénière takes up, dealt in turn so that a council seldom repeats itself.
TOPICS = (
    _Item(
        "Point sur le diagnostic en marchant {of}", "D4.08", "animation", 25,
        ("{facilitator} présente le tableau de suivi des observations du dernier diagnostic "
         "en marchant. Plusieurs points sont traités (éclairage du parking, banc remplacé près "
         "de l'école) ; d'autres restent sans réponse, notamment les dépôts sauvages derrière "
         "les immeubles. Les membres demandent une relance écrite.",
         "Retour sur les signalements transmis après le diagnostic en marchant. La Ville a "
         "programmé la réfection du trottoir devant la pharmacie ; Logélia a pris en compte "
         "la demande sur l'éclairage des halls. Les habitants présents soulignent que le "
         "sentiment d'insécurité reste fort le soir près de l'arrêt de bus."),
        (("Le conseil adresse un courrier de relance à la {town} sur les signalements restés "
          "sans réponse.", True),
         ("Le conseil demande qu'un nouveau diagnostic en marchant, de nuit, soit organisé "
          "avant l'hiver.", False)),
        (_Task("Relancer la {town} sur les signalements restés sans réponse après le "
               "diagnostic en marchant", "animation", 30,
               "Courrier envoyé ; la Ville a répondu et programmé deux interventions.",
               "Courrier envoyé, réponse attendue.",
               "Remplacé par une rencontre avec l'élu de quartier."),
         _Task("Éclairer le cheminement piéton entre les immeubles et l'arrêt de bus",
               "{town}", 120, "Deux candélabres posés en début de mois.",
               "Inscrit au programme de travaux, sans date pour l'instant.",
               "Refusé par la Ville faute de budget cette année.", slow=True)),
    ),
    _Item(
        "Préparation du diagnostic en marchant de nuit", "D4.08", "animation", 20,
        ("Le parcours proposé passe par le parking, les halls des tours et le chemin de "
         "l'école ; départ à 20 h du lieu habituel des réunions. Les membres souhaitent "
         "associer le "
         "bailleur, la police municipale et un technicien de la Ville. Une dizaine "
         "d'habitants sont déjà inscrits.",),
        (("Le diagnostic en marchant de nuit aura lieu le mois prochain ; le parcours "
          "proposé est retenu.", False),),
        (_Task("Inviter Logélia, la police municipale et les services techniques au "
               "diagnostic de nuit", "animation", 14,
               "Invitations envoyées ; les trois partenaires seront présents.",
               "Logélia a confirmé, la police municipale pas encore.",
               "Diagnostic reporté au printemps."),
         _Task("Préparer le plan du parcours et la fiche d'observation", "secretaire", 14,
               "Plan et fiches imprimés.", "Plan reçu de la Ville, fiche en préparation.",
               "La Ville fournira ses propres fiches.")),
        months=(9, 10, 11, 2, 3),
    ),
    _Item(
        "Présentation du programme de renouvellement urbain (NPNRU) par GrandAngoulême",
        "R3.03", "GrandAngoulême – direction du renouvellement urbain", 40,
        ("La chargée de mission présente le calendrier des démolitions et des "
         "réhabilitations, et l'accompagnement au relogement des locataires concernés. Les "
         "habitants s'inquiètent du bruit et de la poussière pendant les travaux, et de la "
         "hausse des charges après réhabilitation. La maison du projet est ouverte le mardi "
         "après-midi.",
         "Point d'étape sur les travaux : les espaces publics autour de l'école seront "
         "réaménagés à partir du printemps. Le conseil demande à être associé au choix des "
         "jeux pour enfants et du mobilier urbain. Question sur les places de stationnement "
         "supprimées pendant le chantier : une réponse écrite sera apportée."),
        (("Le conseil demande à siéger au comité de suivi du projet de renouvellement "
          "urbain.", True),),
        (_Task("Transmettre au conseil le calendrier détaillé des travaux et du relogement",
               "GrandAngoulême", 30, "Calendrier reçu et affiché au centre social.",
               "Calendrier promis pour la prochaine séance.",
               "Remplacé par une réunion publique de GrandAngoulême."),
         _Task("Organiser une visite de chantier pour les membres du conseil",
               "GrandAngoulême", 75, "Visite faite avec le chef de projet, quinze "
               "participants.", "Date à caler avec l'entreprise.",
               "Chantier fermé au public pour raisons de sécurité.", slow=True)),
        oru=True,
    ),
    _Item(
        "Gestion de proximité avec Logélia : propreté des halls et des abords", "R3.05",
        "Logélia – agence de proximité", 30,
        ("Le responsable d'agence présente les actions financées par l'abattement de TFPB : "
         "nettoyage renforcé des halls, enlèvement des encombrants, présence d'un gardien le "
         "matin. Les membres signalent que les encombrants restent plusieurs jours au pied de "
         "la tour C et que l'ascenseur est souvent en panne.",
         "Bilan des interventions du bailleur depuis l'automne. Les habitants reconnaissent "
         "une amélioration de la propreté des halls, mais pas des caves. Logélia annonce le "
         "remplacement des boîtes aux lettres dégradées."),
        (("Le conseil demande à Logélia un bilan écrit annuel des actions financées par "
          "l'abattement de TFPB.", True),),
        (_Task("Réparer l'ascenseur de la tour C et informer les locataires des délais",
               "Logélia", 21, "Ascenseur remis en service ; affichage fait dans le hall.",
               "Pièce commandée, intervention annoncée.",
               "Intégré au programme de réhabilitation."),
         _Task("Mettre en place un passage hebdomadaire pour les encombrants", "Logélia", 45,
               "Passage le lundi matin, affiché dans les halls.",
               "Essai en cours sur deux immeubles.",
               "Remplacé par la collecte sur rendez-vous de GrandAngoulême.")),
    ),
    _Item(
        "Tranquillité publique : échange avec la police municipale", "R5.08",
        "Police municipale", 30,
        ("Le chef de poste présente les patrouilles dans le quartier et le numéro à appeler "
         "le soir. Les habitants évoquent les rodéos de motos le week-end et la vitesse "
         "devant l'école. Il rappelle qu'un signalement précis (jour, heure, lieu) aide à "
         "intervenir.",),
        (("Le conseil demande l'installation d'un ralentisseur devant l'école.", True),),
        (_Task("Étudier la pose d'un ralentisseur devant l'école", "{town}", 120,
               "Ralentisseur posé pendant les vacances scolaires.",
               "Comptage de véhicules réalisé, étude en cours.",
               "Refusé : la rue est empruntée par le bus.", slow=True),
         _Task("Diffuser aux habitants le numéro de la police municipale", "secretaire", 30,
               "Affichettes déposées dans tous les halls.", "Affichette en cours de "
               "mise en page.", "Information reprise dans le journal de quartier.")),
    ),
    _Item(
        "Accès aux soins : départ d'un médecin généraliste", "D3.03", "animation", 25,
        ("Le départ à la retraite d'un médecin généraliste laisse de nombreux habitants sans "
         "médecin traitant. La maison de santé inscrit les nouveaux patients sur liste "
         "d'attente. Le conseil souhaite une permanence de la CPAM au centre social.",),
        (("Le conseil écrit au maire et à GrandAngoulême sur l'offre de soins dans le "
          "quartier.", True),),
        (_Task("Rédiger un courrier au maire sur l'offre de soins dans le quartier",
               "referent", 30, "Courrier envoyé ; la réponse du maire est lue en séance.",
               "Courrier rédigé, en relecture par le bureau.",
               "Remplacé par une question posée au comité de pilotage."),
         _Task("Obtenir une permanence de la CPAM au centre social", "animation", 60,
               "Permanence le deuxième jeudi du mois depuis la rentrée.",
               "La CPAM étudie la demande.", "La CPAM renvoie vers France Services.",
               slow=True)),
    ),
    _Item(
        "Emploi des jeunes : présentation de la Mission locale", "R2.05",
        "Mission locale", 30,
        ("La conseillère présente le Contrat d'engagement jeune et les permanences de la "
         "Mission locale, que peu de jeunes du quartier connaissent. Les membres proposent "
         "une permanence au centre social le mercredi après-midi et une information au "
         "collège.",),
        (),
        (_Task("Organiser une permanence de la Mission locale au centre social",
               "animation", 60, "Permanence ouverte le mercredi après-midi.",
               "Local trouvé, horaires en discussion.",
               "La Mission locale manque de conseillers cette année."),),
    ),
    _Item(
        "Mobilité : desserte du quartier par les bus Möbius", "D1.04", "animation", 20,
        ("Les habitants signalent que la ligne ne passe plus qu'une fois par heure le "
         "dimanche et que l'abri près de l'école n'a pas de banc. Une personne en fauteuil "
         "indique que le quai n'est pas accessible.",),
        (("Le conseil demande une rencontre avec le réseau Möbius sur les horaires du "
          "dimanche.", False),),
        (_Task("Transmettre au réseau Möbius les demandes sur les horaires du dimanche et "
               "l'accessibilité de l'arrêt", "GrandAngoulême", 60,
               "Réponse reçue : quai mis aux normes, horaires inchangés.",
               "Demande transmise, étude annoncée pour la rentrée.",
               "Sans suite : la ligne sera restructurée.", slow=True),),
    ),
    _Item(
        "Budget de fonctionnement du conseil citoyen", "D4.03", "tresorier", 20,
        ("Le budget de l'année est de 1 500 € (fournitures, affiches, goûters des rencontres "
         "publiques, déplacements pour les formations). Les dépenses de l'an dernier sont "
         "présentées ; 320 € n'ont pas été utilisés.",),
        (("Le budget prévisionnel de l'année est adopté.", True),),
        (_Task("Transmettre le bilan financier de l'année à GrandAngoulême", "animation", 30,
               "Bilan transmis.", "Factures en cours de rassemblement.",
               "GrandAngoulême n'en a finalement pas besoin."),),
        months=(1, 2, 3, 10),
    ),
    _Item(
        "Appel à projets du contrat de ville : avis du conseil citoyen", "D6.04",
        "GrandAngoulême – politique de la ville", 35,
        ("Huit projets concernent le quartier (aide aux devoirs, ateliers sociolinguistiques, "
         "chantier jeunes, jardin partagé…). Les membres donnent leur avis projet par "
         "projet ; ils regrettent de recevoir les dossiers tardivement.",),
        (("Le conseil émet un avis favorable à six projets et demande des précisions sur "
          "deux autres.", True),),
        (_Task("Transmettre l'avis du conseil à GrandAngoulême avant la commission de "
               "programmation", "referent", 14, "Avis transmis dans les délais.",
               "Avis en cours de rédaction.", "Commission reportée."),),
        months=(11, 12, 1),
    ),
    _Item(
        "Apprentissage du français : ateliers sociolinguistiques", "D1.02", "Centre social",
        20,
        ("Les ateliers du centre social sont complets ; une quinzaine de personnes attendent, "
         "surtout des mères de famille. Proposition d'un atelier le samedi matin avec garde "
         "d'enfants.",),
        (),
        (_Task("Trouver des bénévoles pour un atelier de français le samedi matin", "membre",
               60, "Trois bénévoles trouvés, l'atelier a démarré.",
               "Deux bénévoles pour l'instant, il en faut un troisième.",
               "Le centre social a obtenu un poste de formatrice."),),
    ),
    _Item(
        "Place des femmes dans l'espace public et dans le conseil", "D5.05", "animation", 25,
        ("Les femmes du conseil disent éviter certains lieux le soir (parking, passage sous "
         "les immeubles). Elles proposent une marche exploratoire entre femmes. Le conseil "
         "souhaite aussi une garde d'enfants pendant les réunions.",),
        (("Une marche exploratoire de femmes sera organisée au printemps.", False),),
        (_Task("Organiser une marche exploratoire de femmes", "membre", 90,
               "Marche faite avec douze habitantes ; restitution au prochain conseil.",
               "Parcours choisi, date à fixer.", "Reportée faute de participantes."),),
    ),
    _Item(
        "Projet de jardin partagé au pied des immeubles", "D4.06", "acteur", 20,
        ("Le projet prévoit une dizaine de bacs sur la pelouse entre les tours. Logélia a "
         "donné un accord de principe. Il faut un groupe d'habitants pour l'arrosage "
         "l'été.",),
        (("Le conseil soutient le projet de jardin partagé et le présentera à l'appel à "
          "projets.", True),),
        (_Task("Obtenir l'accord écrit de Logélia pour l'installation des bacs", "Logélia",
               45, "Convention signée.", "Accord oral, convention en préparation.",
               "Refus : la pelouse sera réaménagée par les travaux.", slow=True),),
    ),
    _Item(
        "Journal de quartier : préparation du prochain numéro", "D6.05", "secretaire", 15,
        ("Le prochain numéro présentera le conseil, le calendrier des rencontres et un "
         "portrait d'habitant. Tirage de 1 200 exemplaires, distribués dans les boîtes aux "
         "lettres par les membres.",),
        (),
        (_Task("Rédiger l'article de présentation du conseil pour le journal", "secretaire",
               21, "Article paru.", "Premier jet relu en bureau.",
               "Le numéro a été annulé."),
         _Task("Organiser la distribution du journal dans les boîtes aux lettres", "membre",
               45, "Distribution faite en deux samedis.", "Tournées réparties, "
               "distribution à terminer.", "Distribution confiée à la régie de quartier.")),
    ),
    _Item(
        "Renouvellement des membres : appel à candidatures", "D4.04", "animation", 20,
        ("Trois sièges d'habitants sont vacants après des déménagements. Proposition d'un "
         "appel à candidatures (affiches, stand au marché) complété par un tirage au sort, "
         "en respectant la parité.",),
        (("Le conseil lance un appel à candidatures pour les sièges vacants.", False),),
        (_Task("Préparer l'affiche d'appel à candidatures", "animation", 21,
               "Affiche posée dans les halls et les commerces.",
               "Maquette validée, impression en cours.",
               "Remplacée par un tirage au sort sur les listes des bailleurs."),),
        months=(9, 10, 1),
    ),
    _Item(
        "Précarité énergétique : charges de chauffage et isolation", "D1.06",
        "Centre social", 25,
        ("Plusieurs locataires ont reçu des régularisations de charges importantes. Le "
         "centre social propose des ateliers éco-gestes et un accompagnement pour le chèque "
         "énergie.",),
        (),
        (_Task("Demander à Logélia le détail des charges de chauffage de l'année", "Logélia",
               30, "Détail reçu et expliqué en permanence.",
               "Demande faite, réponse promise.", "Question reprise par l'amicale des "
               "locataires."),
         _Task("Organiser un atelier éco-gestes au centre social", "animation", 60,
               "Atelier tenu avec quatorze participants.", "Date fixée.",
               "Faute d'intervenant, reporté à l'an prochain.")),
        months=(10, 11, 12, 1, 2),
    ),
    _Item(
        "Accompagnement à la scolarité et Cité éducative", "R4.02", "Centre social", 20,
        ("L'aide aux devoirs accueille quarante enfants mais manque de bénévoles pour les "
         "collégiens. La Cité éducative finance une sortie culturelle par trimestre.",),
        (),
        (_Task("Relayer l'appel à bénévoles pour l'aide aux devoirs", "membre", 30,
               "Quatre nouveaux bénévoles.", "Appel relayé, deux contacts.",
               "Besoin couvert par le service civique."),),
        months=(9, 10, 11),
    ),
    _Item(
        "Commerces et services : horaires du bureau de poste", "D1.03", "animation", 25,
        ("La Poste annonce la réduction des horaires du bureau du quartier. Les habitants "
         "âgés craignent de devoir prendre le bus pour retirer un colis. Le conseil propose "
         "une pétition.",),
        (("Le conseil lance une pétition pour le maintien des horaires du bureau de poste.",
          True),),
        (_Task("Faire circuler la pétition chez les commerçants", "referent", 45,
               "Plus de 400 signatures remises à la mairie.",
               "Pétition déposée dans six commerces.", "La Poste a renoncé à son projet."),
         _Task("Demander à la {town} d'intervenir auprès de La Poste", "{town}", 60,
               "Le maire a obtenu le maintien de l'ouverture le samedi matin.",
               "Rendez-vous demandé par la Ville.", "Sans suite.", slow=True)),
    ),
    _Item(
        "Les jeunes et le conseil : comment leur donner la parole ?", "R4.06", "animation",
        25,
        ("Les jeunes sont peu nombreux aux réunions. Idées : une rencontre au city-stade, un "
         "groupe sur une messagerie, un créneau le samedi. Deux jeunes présents se proposent "
         "pour animer un atelier.",),
        (("Le conseil organisera une rencontre avec les jeunes au city-stade.", False),),
        (_Task("Organiser une rencontre avec les jeunes au city-stade", "membre", 60,
               "Rencontre faite, une vingtaine de jeunes.", "Date fixée avec les animateurs "
               "jeunesse.", "Annulée à cause de la pluie, non reprogrammée."),),
    ),
)

# Items that follow from the council's own calendar.
PREPARATION = {
    "fete_quartier": _Item(
        "Préparation de la fête de quartier du {date}", "D4.04", "animation", 25,
        ("Les associations partenaires tiendront des stands (jeux, maquillage, musique). Le "
         "conseil tiendra une boîte à idées et exposera des photos du quartier. Il manque "
         "des bénévoles pour l'installation à 13 h.",),
        (("Le conseil consacre 250 € de son budget au goûter de la fête de quartier.", True),),
        (_Task("Demander à la {town} le prêt de barnums et de tables", "animation", 21,
               "Matériel livré la veille.", "Demande faite, accord oral.",
               "Matériel prêté par le centre social."),
         _Task("Faire les courses pour le goûter partagé", "membre", 20, "Fait.",
               "Liste faite.", "Goûter offert par la boulangerie.")),
    ),
    "stand_marche": _Item(
        "Préparation du stand au marché du {date}", "D4.04", "animation", 15,
        ("Le stand présentera le conseil et proposera un court questionnaire sur le cadre de "
         "vie. Il faut trois personnes par créneau de deux heures.",),
        (),
        (_Task("Imprimer le questionnaire sur le cadre de vie", "secretaire", 10,
               "Cent questionnaires imprimés.", "Questionnaire relu.",
               "Questionnaire remplacé par un panneau à gommettes."),),
    ),
    "cafe_citoyen": _Item(
        "Préparation du café citoyen du {date}", "D4.04", "animation", 15,
        ("Le café citoyen aura lieu dans le hall du centre social. Chacun invite ses "
         "voisins ; des affichettes seront posées dans les halls.",),
        (),
        (_Task("Poser les affichettes du café citoyen dans les halls", "membre", 10,
               "Affichettes posées.", "À moitié fait.", "Remplacé par du porte-à-porte."),),
    ),
    "rencontre_thematique": _Item(
        "Préparation de la rencontre thématique du {date}", "D4.05", "referent", 20,
        ("Le conseil arrête les questions à poser aux intervenants et la liste des "
         "partenaires à inviter.",),
        (),
        (_Task("Envoyer les invitations aux partenaires de la rencontre thématique",
               "animation", 10, "Invitations envoyées, quatre partenaires confirmés.",
               "Invitations parties, réponses attendues.", "Rencontre reportée."),),
    ),
}
FEEDBACK = {
    "fete_quartier": _Item(
        "Bilan de la fête de quartier", "D7.03", "animation", 15,
        ("Environ {n} personnes sont venues selon le comptage. La boîte à idées a recueilli "
         "une trentaine de propositions (bancs, jeux pour les petits, propreté). Les "
         "bénévoles ont manqué au rangement.",),
        (("La fête de quartier sera reconduite l'an prochain.", False),),
        (),
    ),
    "stand_marche": _Item(
        "Retour sur le stand au marché", "D4.04", "animation", 15,
        ("{n} personnes se sont arrêtées au stand et une quarantaine de questionnaires ont "
         "été remplis. Trois habitants ont laissé leurs coordonnées pour rejoindre le "
         "conseil.",),
        (),
        (_Task("Recontacter les habitants intéressés par le conseil", "animation", 21,
               "Deux sont venus à la séance suivante.", "Un seul rappel fait.",
               "Coordonnées incomplètes."),),
    ),
    "cafe_citoyen": _Item(
        "Retour sur le café citoyen", "D4.04", "animation", 10,
        ("{n} habitants sont passés, dont plusieurs nouveaux. Sujets les plus cités : la "
         "propreté, le stationnement et les horaires du bus.",),
    ),
    "rencontre_thematique": _Item(
        "Retour sur la rencontre thématique", "D4.05", "referent", 15,
        ("Les propositions issues de la rencontre sont relues et classées. Le conseil "
         "choisit les deux qu'il portera auprès de GrandAngoulême.",),
    ),
    "inter_conseils": _Item(
        "Retour sur le temps d'échange inter-conseils", "D4.02", "referent", 15,
        ("Les membres présents racontent l'échange avec l'autre conseil : même difficulté à "
         "mobiliser les jeunes, bonne idée du stand au marché. Un projet commun est "
         "envisagé pour l'an prochain.",),
    ),
    "formation_commune": _Item(
        "Retour sur la formation commune", "D4.02", "animation", 10,
        ("Les participants ont apprécié les mises en situation. Le support de formation est "
         "disponible au centre social.",),
    ),
    "representation": _Item(
        "Retour sur le comité de pilotage du contrat de ville", "D6.04", "representant", 15,
        ("{representant} rend compte du comité de pilotage : bilan annuel, programmation de "
         "l'appel à projets, intervention des conseils citoyens sur la santé et la "
         "tranquillité publique.",),
    ),
}

APPROVAL_ONE = "Approbation du compte rendu de la séance précédente"
APPROVAL_MANY = "Approbation des comptes rendus des réunions précédentes"
OUTSTANDING = "Points en suspens"
MISCELLANEOUS = "Questions diverses"
APPROVAL_NOTES = (
    "Le compte rendu {meeting} est approuvé à l'unanimité.",
    "Le compte rendu {meeting} est approuvé sans modification.",
    "Le compte rendu {meeting} est approuvé, avec une précision demandée par {name} sur les "
    "horaires de la permanence.",
)
APPROVAL_MANY_NOTES = "Les comptes rendus {meeting} sont approuvés à l'unanimité."
MISCELLANEOUS_NOTES = (
    "Pas de questions diverses.",
    "Rappel : la prochaine séance aura lieu le {next} à {time}, au même endroit.",
    "{name} demande que les convocations soient aussi envoyées par SMS ; accord de principe.",
    "Question sur les horaires du centre social pendant les vacances : ils seront affichés "
    "dans le hall.",
    "Les membres remercient {name} pour l'organisation du dernier goûter.",
)
DUMPING = _Task(
    "Signaler à la {town} les dépôts sauvages derrière la tour B", "animation", 7,
    "Signalement fait ; enlèvement réalisé la semaine suivante.",
    "Signalé, enlèvement annoncé.", "Dépôts enlevés avant le signalement.")
DUMPING_NOTE = ("Une habitante signale des dépôts sauvages derrière la tour B ; "
                "{fac_first} transmettra le signalement à la Ville.")
STILL_OPEN = (
    "Toujours en attente d'une réponse.",
    "Relance faite ; pas de date annoncée.",
    "Le dossier avance lentement.",
    "Point reporté à la prochaine séance.",
)
ACTION_STATUS_FR = {"fait": "fait", "en_cours": "en cours", "abandonne": "abandonné",
                    "a_faire": "à faire"}

BUREAU = (
    _Item("Préparation de l'ordre du jour de la prochaine séance plénière", "D4.03",
          "referent", 25,
          ("Le bureau arrête l'ordre du jour de la prochaine plénière et la liste des "
           "partenaires à inviter. La convocation partira dix jours avant ; {secretary} se "
           "charge de l'affichage dans les halls.",)),
    _Item("Budget de fonctionnement et demandes de matériel", "D4.03", "tresorier", 15,
          ("Point sur les dépenses engagées. Le bureau valide l'achat d'un vidéoprojecteur "
           "d'occasion et de badges pour les membres.",),
          (("Le bureau valide l'achat d'un vidéoprojecteur d'occasion.", False),),
          (_Task("Commander les badges et les fournitures", "animation", 21,
                 "Commande livrée.", "Devis demandé.", "Achat reporté."),)),
    _Item("Communication : affiches et page du conseil dans le journal de quartier",
          "D6.05", "secretaire", 15,
          ("Le bureau choisit les photos et le texte de la prochaine affiche. Une page "
           "« Le conseil citoyen vous informe » paraîtra dans chaque numéro du journal.",)),
)

THEMATIC = {
    "sante": ("Rencontre thématique santé : l'accès aux soins {at}", "D3.01", (
        _Item("Présentation du contrat local de santé", "D3.01",
              "GrandAngoulême – contrat local de santé", 30,
              ("La coordinatrice présente les priorités du contrat local de santé : accès aux "
               "droits, santé mentale, prévention chez les jeunes. Elle rappelle les "
               "permanences existantes.",)),
        _Item("La maison de santé et les permanences de proximité", "D3.03",
              "Maison de santé pluriprofessionnelle", 30,
              ("Les professionnels expliquent le fonctionnement de la maison de santé et la "
               "liste d'attente pour un médecin traitant. Les habitants demandent une "
               "permanence d'infirmière le samedi.",)),
        _Item("Échanges avec les habitants : difficultés d'accès aux soins", "D1.05",
              "animation", 40,
              ("Témoignages : délais pour un rendez-vous de dentiste, renoncement aux soins "
               "pour raisons financières, difficulté des démarches en ligne.",),
              (),
              (_Task("Demander un atelier d'aide aux démarches de santé en ligne",
                     "animation", 45, "Atelier mensuel au centre social.",
                     "France Services a été sollicité.", "Besoin couvert par la CPAM."),)),
        _Item("Propositions du conseil citoyen", "D3.02", "referent", 15,
              ("Le conseil retient trois propositions : une permanence de santé de "
               "proximité, une information sur la complémentaire santé solidaire, un "
               "transport pour les rendez-vous à l'hôpital.",),
              (("Le conseil porte ces trois propositions au comité de pilotage.", True),)),
    )),
    "emploi": ("Rencontre thématique emploi : les jeunes et l'accès à l'emploi", "R2.05", (
        _Item("Présentation de la Mission locale et du Contrat d'engagement jeune", "R2.05",
              "Mission locale", 30,
              ("Présentation de l'accompagnement proposé aux 16-25 ans. Une douzaine de "
               "jeunes du quartier sont suivis ; beaucoup d'autres ne sont pas connus.",)),
        _Item("La Fabrique à Entreprendre : créer son activité", "R1.05",
              "Fabrique à Entreprendre – GrandAngoulême", 25,
              ("Présentation des permanences d'aide à la création d'entreprise. Deux "
               "habitantes présentes ont un projet de restauration.",)),
        _Item("Témoignages d'habitants", "D7.04", "animation", 30,
              ("Deux jeunes du quartier racontent leur parcours, de l'apprentissage à un "
               "emploi stable. Les parents présents posent des questions sur les stages de "
               "troisième.",)),
        _Item("Suites à donner", "R1.12", "referent", 15,
              ("Le conseil souhaite un forum de l'emploi dans le quartier et une meilleure "
               "information sur les dispositifs.",),
              (),
              (_Task("Proposer à GrandAngoulême un forum de l'emploi dans le quartier",
                     "referent", 60, "Forum inscrit au calendrier du printemps.",
                     "Proposition transmise.", "Remplacé par le forum de l'agglomération.",
                     slow=True),)),
    )),
    "cadre_de_vie": ("Rencontre thématique cadre de vie : propreté et gestion urbaine de "
                     "proximité", "R3.07", (
        _Item("Bilan de la gestion urbaine de proximité par la {town}", "R3.07", "{town}", 30,
              ("Le service présente les interventions de l'année (propreté, espaces verts, "
               "éclairage). Les habitants signalent des poubelles trop petites près de "
               "l'école.",)),
        _Item("Actions du bailleur au titre de l'abattement de TFPB", "R3.05",
              "Logélia – agence de proximité", 25,
              ("Logélia détaille les actions financées : gardiennage renforcé, peinture des "
               "halls, chantier jeunes l'été.",)),
        _Item("Retour sur le diagnostic en marchant", "D4.08", "animation", 25,
              ("Les observations du dernier diagnostic sont passées en revue avec les "
               "services présents, qui s'engagent sur des délais.",),
              (),
              (_Task("Installer des corbeilles supplémentaires près de l'école", "{town}",
                     45, "Trois corbeilles installées.", "Commande passée.",
                     "Refusé : passage de la balayeuse jugé suffisant."),)),
        _Item("Propositions et engagements", "D4.06", "referent", 15,
              ("Le conseil propose une journée de nettoyage avec les habitants et les "
               "écoles au printemps.",),
              (("Une journée citoyenne de nettoyage sera organisée au printemps.", False),)),
    )),
}
THEMATIC_OPENING = _Item("Accueil et tour de table", None, "animation", 15)

INTER_COUNCILS = (
    ("partager nos façons de mobiliser les habitants", "D4.04"),
    ("les diagnostics en marchant, d'un quartier à l'autre", "D4.08"),
    ("la place des jeunes dans les conseils citoyens", "D8.02"),
)
TRAININGS = (
    ("le rôle et le fonctionnement d'un conseil citoyen", "D4.03"),
    ("prendre la parole et animer une réunion", "D4.03"),
    ("comprendre le contrat de ville et ses financements", "D6.04"),
    ("conduire un diagnostic en marchant", "D4.08"),
)
TRAINER = "Pays et Quartiers de Nouvelle-Aquitaine (PQN-A)"

INTERMEDIATE = {
    "cafe_citoyen": ("Café citoyen {at}", (
        _Item("Accueil autour d'un café", None, "animation", 20),
        _Item("Présentation du conseil citoyen", "D4.04", "referent", 15,
              ("Le conseil se présente ; plusieurs habitants ne le connaissaient pas.",)),
        _Item("Recueil des idées et des préoccupations des habitants", "D4.07", "animation",
              60,
              ("Sujets les plus cités : propreté des abords, stationnement, horaires du bus, "
               "activités pour les enfants pendant les vacances.",),
              (),
              (_Task("Transmettre à la {town} les remarques sur le stationnement",
                     "animation", 21, "Transmis ; la Ville a répondu par courrier.",
                     "Transmis, réponse attendue.", "Sujet repris par le conseil."),)),
    )),
    "stand_marche": ("Stand du conseil citoyen au marché", (
        _Item("Installation du stand", None, "animation", 30),
        _Item("Questionnaire sur le cadre de vie", "R3.07", "membre", 120,
              ("Une quarantaine de questionnaires remplis ; la propreté et la sécurité le "
               "soir reviennent le plus souvent.",)),
        _Item("Présentation du conseil et recueil de candidatures", "D4.04", "referent", 60,
              ("Plusieurs habitants laissent leurs coordonnées pour être invités à la "
               "prochaine séance.",)),
    )),
    "fete_quartier": ("Fête de quartier {of}", (
        _Item("Installation des stands avec les associations", "D2.06", "animation", 60),
        _Item("Animations et jeux pour les enfants", "D7.03", "acteur", 120,
              ("Structure gonflable, maquillage et tournoi de football ; beaucoup "
               "d'enfants et de familles.",)),
        _Item("Stand du conseil citoyen : boîte à idées et photos du quartier", "D4.04",
              "referent", 120,
              ("Une trentaine d'idées déposées dans la boîte ; les photos anciennes du "
               "quartier ont beaucoup plu.",)),
        _Item("Goûter partagé", "D7.02", "animation", 60),
    )),
}
COPIL = ("Comité de pilotage du contrat de ville", (
    _Item("Bilan annuel du contrat de ville", "D6.04", "GrandAngoulême – politique de la ville",
          45, ("Présentation des chiffres de l'année et des actions financées dans les "
               "cinq quartiers.",)),
    _Item("Programmation de l'appel à projets", "D6.04",
          "GrandAngoulême – politique de la ville", 45),
    _Item("Intervention des conseils citoyens", "D4.03", "representant", 20,
          ("{representant} présente les priorités du conseil : accès aux soins, tranquillité "
           "publique, propreté des abords.",)),
))

CONSTITUTIVE = ("Séance constitutive du conseil citoyen", (
    _Item("Accueil et présentation de la démarche", "D4.01", "animation", 20,
          ("{facilitator} rappelle la loi de 2014, le tirage au sort des habitants et la "
           "place des acteurs locaux. Les membres se présentent à tour de rôle.",)),
    _Item("Le rôle d'un conseil citoyen et la charte de fonctionnement", "D4.03",
          "GrandAngoulême – politique de la ville", 40,
          ("Présentation du contrat de ville et des instances où siège le conseil. La "
           "charte est lue article par article ; la fréquence des réunions fait débat.",),
          (("Le conseil adopte sa charte de fonctionnement.", True),)),
    _Item("Désignation du ou de la référent(e)", "D4.01", "animation", 20,
          ("Deux candidatures ; vote à bulletin secret.",),
          (("{referent} est {designated} du conseil citoyen.", True),)),
    _Item("Calendrier des prochaines réunions", "D4.03", "animation", 10,
          ("Le conseil se réunira le deuxième jeudi du mois à 18 h 30.",),
          (),
          (_Task("Transmettre à la préfecture la demande de reconnaissance du conseil",
                 "animation", 30, "Dossier transmis à la préfecture.",
                 "Dossier en préparation.", "Remplacé par un envoi de GrandAngoulême.",
                 slow=True),
           _Task("Préparer un trombinoscope des membres", "secretaire", 45,
                 "Trombinoscope affiché au centre social.", "Photos prises.",
                 "Abandonné : plusieurs membres ne souhaitent pas de photo."))),
))


INTER_COUNCIL_ITEMS = (
    _Item("Accueil par le conseil citoyen {host_of}", None, "referent", 15),
    _Item("Tour de table : l'actualité de chaque conseil", "D4.02", "animation", 40,
          ("Chaque conseil présente ses réunions et ses projets de l'année. Points communs : "
           "la difficulté à mobiliser dans la durée et la lenteur des réponses des "
           "institutions.",)),
    _Item("Atelier : {theme}", "{objective}", "animation", 60,
          ("Travail en petits groupes mêlant les conseils. Chaque groupe note ce qui marche "
           "et ce qui bloque ; les idées sont affichées et commentées.",)),
    _Item("Projet commun et prochaines rencontres", "D4.02", "referent", 20,
          ("Les conseils souhaitent se retrouver au printemps et préparer ensemble une "
           "intervention au comité de pilotage.",),
          (("Les conseils présents prépareront une contribution commune au comité de "
            "pilotage.", False),),
          (_Task("Envoyer à tous les participants la synthèse de l'atelier", "animation", 21,
                 "Synthèse envoyée et affichée.", "Synthèse rédigée, à relire.",
                 "Remplacée par le compte rendu."),)),
)
TRAINING_ITEMS = (
    _Item("Accueil et présentation de la journée", None, "animation", 15),
    _Item("{Subject}", "{objective}", TRAINER, 90,
          ("Apports de l'intervenante, illustrés d'exemples d'autres conseils citoyens de "
           "Nouvelle-Aquitaine. Beaucoup de questions sur le rôle des membres face aux "
           "institutions.",)),
    _Item("Mise en situation en petits groupes", "{objective}", TRAINER, 60,
          ("Jeux de rôle : préparer une intervention, mener un tour de table, répondre à un "
           "élu. Les participants de chaque conseil se mélangent.",)),
    _Item("Évaluation de la formation", "D4.02", "animation", 15,
          ("Les participants jugent la formation utile ; ils demandent une suite sur la "
           "prise de parole.",)),
)
KIND_OBJECTIVES = {
    "pleniere": "D4.03", "bureau": "D4.03", "rencontre_thematique": "D4.05",
    "inter_conseils": "D4.02", "formation_commune": "D4.02", "cafe_citoyen": "D4.04",
    "stand_marche": "D4.04", "fete_quartier": "D4.04", "representation": "D6.04",
}
KIND_OF = {  # « le compte rendu de la séance plénière du 12 mars »
    "pleniere": "de la séance plénière", "bureau": "de la réunion de bureau",
    "rencontre_thematique": "de la rencontre thématique",
    "inter_conseils": "du temps d'échange inter-conseils",
    "formation_commune": "de la formation commune", "cafe_citoyen": "du café citoyen",
    "stand_marche": "du stand au marché", "fete_quartier": "de la fête de quartier",
    "representation": "du comité de pilotage",
}
KIND_NAMES = {
    "pleniere": "séance plénière", "bureau": "réunion de bureau",
    "rencontre_thematique": "rencontre thématique",
    "inter_conseils": "temps d'échange inter-conseils",
    "formation_commune": "formation commune", "cafe_citoyen": "café citoyen",
    "stand_marche": "stand au marché", "fete_quartier": "fête de quartier",
    "representation": "comité de pilotage",
}
# Anonymous participants of public events: (fewest, most, age bands and their weights).
HEADCOUNTS = {
    "fete_quartier": (60, 150, {"moins_16": 30, "16_25": 14, "26_59": 36, "60_plus": 14,
                                "non_precise": 6}),
    "stand_marche": (20, 50, {"moins_16": 3, "16_25": 12, "26_59": 48, "60_plus": 32,
                              "non_precise": 5}),
    "cafe_citoyen": (6, 16, {"16_25": 8, "26_59": 50, "60_plus": 38, "non_precise": 4}),
    "rencontre_thematique": (4, 14, {"16_25": 15, "26_59": 55, "60_plus": 27,
                                     "non_precise": 3}),
    "pleniere": (1, 5, {"16_25": 30, "26_59": 45, "60_plus": 20, "non_precise": 5}),
}
# How likely a member is to come, by kind of meeting (their own assiduity times this).
TURNOUT = {"inter_conseils": 0.65, "formation_commune": 0.55, "rencontre_thematique": 0.85,
           "constitutive": 1.4}
ROLES = {
    "referent": ("referent", "co_referent"),
    "secretaire": ("secretaire", "referent", "co_referent"),
    "tresorier": ("tresorier", "secretaire", "referent", "co_referent"),
    "representant": ("representant_instances", "referent", "co_referent"),
}
OFFICES = ("referent", "co_referent", "secretaire", "tresorier", "suppleant",
           "representant_instances")
MAX_NEWCOMERS = 4  # named people a council meets for the first time over two years


def _easter(year: int) -> dt.date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, (b, c) = year % 19, divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _closed(day: dt.date) -> bool:
    """Public holidays, the Christmas break and August: nobody would come."""
    easter = _easter(day.year)
    holidays = {dt.date(day.year, m, d) for m, d in
                ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))}
    holidays |= {easter + dt.timedelta(days=n) for n in (1, 39, 50)}
    return (day in holidays or day.month == 8 or (day.month == 12 and day.day >= 20)
            or (day.month == 1 and day.day <= 4))


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    if nth > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _next_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _long_date(day: dt.date) -> str:
    return format_date(day, "d MMMM yyyy", lang="fr")


def _weekday_date(day: dt.date) -> str:
    return format_date(day, "EEEE d MMMM", lang="fr")


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


@dataclass
class _Event:
    code: str  # the host council's plan code
    kind: str
    day: dt.date
    start: str
    minutes: int
    title: str
    venue: str
    guests: tuple[str, ...] = ()
    subject: str = ""
    meeting_id: str = ""
    participants: int = 0

    @property
    def starts_at(self) -> str:
        return f"{self.day.isoformat()}T{self.start}"

    @property
    def ends_at(self) -> str:
        start = dt.datetime.fromisoformat(self.starts_at)
        return (start + dt.timedelta(minutes=self.minutes)).isoformat(timespec="minutes")

    def involves(self, code: str) -> bool:
        return self.code == code or code in self.guests


@dataclass
class _Entry:
    """One line of an agenda being written: a topic, or a standing item."""

    title: str
    minutes: int
    presenter: str
    objective: str | None
    item: _Item | None = None
    standing: str = ""  # "approval", "outstanding", "miscellaneous"
    context: dict[str, Any] = field(default_factory=dict)


def action_progress(rng: random.Random, task, age: int, in_progress: bool, *,
                    stale_after: int | None = None) -> tuple[str, str] | None:
    """Whether an open action moved when a meeting looked at it ``age`` days after it was
    decided, and the note said about it: ``(status, note)``, or None when nothing moved.
    With ``stale_after``, actions older than that many days are more often closed or
    dropped (the ten-year demonstration would otherwise pile them up)."""
    if age < 21:
        weights = (55, 42, 3, 0)
    elif any(task in item.tasks for item in PREPARATION.values()):
        weights = (5, 5, 85, 5)  # the event they prepared has taken place
    elif stale_after is not None and age > stale_after:
        weights = (5, 30, 45, 20)
    elif task.slow:
        weights = (25, 68, 5, 2) if age < 300 else (25, 55, 12, 8)
    else:
        weights = (10, 38, 46, 6)
    status = rng.choices(("", "en_cours", "fait", "abandonne"), weights)[0]
    if not status:
        return None
    if status == "fait":
        return status, task.done
    if status == "abandonne":
        return status, task.dropped
    return status, rng.choice(STILL_OPEN) if in_progress else task.doing


class _Meetings:
    """Writes the meetings of the councils that ``builder`` has just filled."""

    def __init__(self, builder: _Builder) -> None:
        self.b, self.db, self.rng, self.today = builder, builder.db, builder.rng, builder.today
        self.codes = [plan.code for plan in PLANS if plan.code in builder.councils]
        self.plans = {plan.code: plan for plan in PLANS}
        self.council_id = {code: builder.councils[code][0] for code in self.codes}
        self.members = {code: builder.councils[code][1] for code in self.codes}
        self.taken: dict[str, set[dt.date]] = {code: set() for code in self.codes}
        self.events: list[_Event] = []
        self.meetings = self.actions = 0
        self.tasks: dict[str, _Task] = {}  # action id -> what it is
        self.unapproved: dict[str, list[_Event]] = {code: [] for code in self.codes}
        self.last_pleniere: dict[str, _Event] = {}
        self.approvals: list[tuple[_Event, _Event]] = []  # (minutes, approved at)
        self.regulars: dict[str, list[str]] = {code: [] for code in self.codes}
        self.newcomers = {code: 0 for code in self.codes}
        self.piles: dict[str, list[int]] = {code: [] for code in self.codes}
        self.recent: dict[str, list[int]] = {code: [] for code in self.codes}
        # Each member's habit of coming: a few pillars, many regulars, some rarely seen.
        self.assiduity: dict[str, float] = {}
        for code in self.codes:
            for member in self.members[code]:
                if member.person_id in self.assiduity:
                    continue
                base = self.rng.choices((0.9, 0.72, 0.45, 0.2), (15, 35, 35, 15))[0]
                born = self.person(member.person_id).get("birth_year")
                if member.college == "acteurs_locaux":
                    base -= 0.15
                if member.gender == "femme":
                    base += 0.08
                if born and self.today.year - born <= 25:
                    base -= 0.12
                if member.role != "membre":
                    base = max(base, 0.8)
                self.assiduity[member.person_id] = min(0.97, max(0.15, base))
        active = [code for code in self.codes if code not in builder.founded]
        self.former = {code: [] for code in self.codes}
        for i, person_id in enumerate(builder.former_participants):
            if active:
                self.former[active[i % len(active)]].append(person_id)

    # -- people ------------------------------------------------------------------------

    def person(self, person_id: str) -> dict[str, Any]:
        return self.b.directory[person_id]

    def name(self, person_id: str) -> str:
        person = self.person(person_id)
        return f"{person['first_name']} {person['last_name']}"

    def facilitator(self, code: str) -> str:
        f = self.plans[code].facilitator
        return f"{f.first_name} {f.last_name}, " + ("animatrice" if f.gender == "femme"
                                                      else "animateur")

    def members_on(self, code: str, day: dt.date) -> list[_Member]:
        iso = day.isoformat()
        return [m for m in self.members[code] if m.joined_on.isoformat() <= iso
                and (m.left_on is None or m.left_on.isoformat() > iso)]

    def holder(self, code: str, day: dt.date, role: str, present: Sequence[str] = ()
               ) -> str | None:
        """The member holding ``role`` (or the next office down), preferably present."""
        members = self.members_on(code, day)
        for wanted in ROLES[role]:
            holders = [m.person_id for m in members if m.role == wanted]
            if holders:
                here = [p for p in holders if p in present]
                return (here or holders)[0]
        return None

    def anyone(self, code: str, day: dt.date, present: Sequence[str], college: str
               ) -> str | None:
        members = {m.person_id: m for m in self.members_on(code, day)}
        present = present or list(members)  # before the meeting: anyone may be asked
        pool = [p for p in present if p in members and members[p].college == college]
        pool = pool or [p for p in present if p in members]
        return self.rng.choice(pool) if pool else None

    def who(self, event: _Event, who: str, present: Sequence[str]) -> tuple[str | None, str]:
        """(person id, body) for an action's assignee."""
        code = event.code
        if who == "animation":
            return self.b.facilitators[code], ""
        if who in ROLES:
            person_id = self.holder(code, event.day, who, present)
        elif who in ("membre", "acteur"):
            person_id = self.anyone(code, event.day, present,
                                    "habitants" if who == "membre" else "acteurs_locaux")
        else:
            return None, who.format(town=LOCAL[code].town)
        return (person_id, "") if person_id else (self.b.facilitators[code], "")

    def presenter(self, event: _Event, who: str, present: Sequence[str]) -> str:
        if who == "animation":
            return self.facilitator(event.code)
        if who in ROLES or who in ("membre", "acteur"):
            person_id, _body = self.who(event, who, present)
            return self.name(person_id) if person_id != self.b.facilitators[event.code] \
                else self.facilitator(event.code)
        return who.format(town=LOCAL[event.code].town)

    # -- the calendar ------------------------------------------------------------------

    def place(self, codes: Sequence[str], day: dt.date) -> dt.date:
        """The first free day, a week later at a time, for every council concerned."""
        while _closed(day) or any(day in self.taken[c] for c in codes):
            day += dt.timedelta(days=7)
        for code in codes:
            self.taken[code].add(day)
        return day

    def add(self, code: str, kind: str, day: dt.date, start: str, minutes: int, title: str,
            venue: str = "", guests: tuple[str, ...] = (), subject: str = "") -> _Event:
        day = self.place((code, *guests), day)
        event = _Event(code, kind, day, start, minutes, title,
                       venue or self.plans[code].venue, guests, subject)
        self.events.append(event)
        return event

    def schedule(self) -> None:
        start = _years_before(self.today, MEETING_YEARS)
        end = self.today + LOOK_AHEAD
        active = [code for code in self.codes if code not in self.b.founded]
        for year in range(start.year - 1, end.year + 1):  # school years, September to July
            for code in active:
                self.council_year(code, year)
            self.shared_year(active, year)
        for code, drawn in self.b.founded.items():
            if code in self.codes:
                self.new_council(code, drawn, active)
        self.events = [e for e in self.events if start <= e.day <= end]
        self.taken = {code: {e.day for e in self.events if e.involves(code)}
                      for code in self.codes}
        for code in self.codes:  # the council's next plénière is always already planned
            if not any(e.code == code and e.kind == "pleniere" and e.day >= self.today
                       for e in self.events):
                local = LOCAL[code]
                month = dt.date(self.today.year, self.today.month, 1)
                day = _nth_weekday(month.year, month.month, local.weekday, local.nth)
                while day < self.today or month.month == 8:
                    month = (month + dt.timedelta(days=32)).replace(day=1)
                    day = _nth_weekday(month.year, month.month, local.weekday, local.nth)
                title = "Séance plénière de rentrée" if month.month == 9 else "Séance plénière"
                self.add(code, "pleniere", day, local.time, 120, title)
        self.events.sort(key=lambda e: (e.day, e.start, self.codes.index(e.code)))

    def council_year(self, code: str, year: int) -> None:
        rng, local = self.rng, LOCAL[code]

        def date(month: int, weekday: int, nth: int) -> dt.date:
            return _nth_weekday(year if month >= 9 else year + 1, month, weekday, nth)

        # Plénières: every month but August, less a few, never two months off in a row.
        months = [9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7]
        dropped = {7} if rng.random() < 0.75 else set()
        target = rng.choice((4, 5))
        while len(dropped) < target:
            free = [m for m in (10, 11, 12, 2, 3, 4, 5) if m not in dropped
                    and months[months.index(m) - 1] not in dropped
                    and months[months.index(m) + 1] not in dropped]
            if not free:
                break
            dropped.add(rng.choice(free))
        plenieres = {}
        for month in months:
            if month in dropped:
                continue
            title = {9: "Séance plénière de rentrée",
                     1: "Séance plénière – vœux et programme de l'année",
                     6: "Séance plénière – bilan de l'année"}.get(month, "Séance plénière")
            venue = rng.choice(local.other_venues) if rng.random() < 0.1 else ""
            plenieres[month] = self.add(code, "pleniere", date(month, local.weekday, local.nth),
                                        local.time, 120, title, venue)
        for month in rng.sample((9, 1, 5), 2 if rng.random() < 0.25 else 1):
            day = (plenieres[month].day - dt.timedelta(days=7) if month in plenieres
                   else date(month, 0, 2))
            self.add(code, "bureau", day, rng.choice(("17:30", "18:00")), 90,
                     "Réunion de bureau")
        count = 2 if rng.random() < 0.15 else 1
        for subject, month in zip(rng.sample(list(THEMATIC), count),
                                  rng.sample((10, 11, 1, 2, 3, 4, 5), count), strict=True):
            venue = rng.choice(local.other_venues) if rng.random() < 0.5 else ""
            day = date(month, rng.choice((1, 3)), rng.choice((2, 3)))
            self.add(code, "rencontre_thematique", day, rng.choice(("18:00", "18:30")), 120,
                     THEMATIC[subject][0].format(at=local.at), venue, subject=subject)
        kinds = [k for k, chance in (("fete_quartier", 0.5), ("stand_marche", 0.35),
                                     ("cafe_citoyen", 0.4)) if rng.random() < chance]
        for kind in kinds[:2] or ["cafe_citoyen"]:
            title = INTERMEDIATE[kind][0].format(of=local.of, at=local.at)
            saturday = rng.choice((1, 2, 3))
            if kind == "fete_quartier":
                day = date(6, 5, saturday + 1) if rng.random() < 0.7 else date(9, 5, saturday)
                self.add(code, kind, day, "14:00", 300, title, f"Square {local.of}")
            elif kind == "stand_marche":
                self.add(code, kind, date(rng.choice((5, 6, 9, 10)), 5, saturday),
                         rng.choice(("08:30", "09:00")), 210, title, local.market)
            else:
                month = rng.choice((10, 11, 1, 2, 3, 4))
                if rng.random() < 0.5:
                    self.add(code, kind, date(month, 2, saturday), "09:30", 120, title)
                else:
                    self.add(code, kind, date(month, 5, saturday), "10:00", 120, title)

    def shared_year(self, active: list[str], year: int) -> None:
        rng = self.rng
        copil = _nth_weekday(year, 12, 1, 1)
        for code in active:
            if rng.random() < 0.4:
                self.add(code, "representation", copil, "14:30", 150, COPIL[0],
                         AGGLOMERATION_VENUE)
        if len(active) < 2:
            return
        for kind, months in (("inter_conseils", (11, 3, 5)), ("formation_commune", (10, 2, 4))):
            order = rng.sample(active, len(active))
            groups = [order[i:i + 2] for i in range(0, len(order), 2)]
            if len(groups[-1]) == 1:
                groups[-2:] = [groups[-2] + groups[-1]]
            for group, month in zip(groups, months, strict=False):
                on_year = year if month >= 9 else year + 1
                if kind == "inter_conseils":
                    theme, objective = rng.choice(INTER_COUNCILS)
                    title = f"Temps d'échange inter-conseils : {theme}"
                    if rng.random() < 0.6:
                        day, start, length = _nth_weekday(on_year, month, 5, 2), "09:30", 180
                    else:
                        day, start, length = _nth_weekday(on_year, month, 3, 3), "18:00", 150
                    venue = ""
                else:
                    theme, objective = rng.choice(TRAININGS)
                    title = f"Formation commune : {theme}"
                    day, start = _nth_weekday(on_year, month, 5, 3), "09:30"
                    length = 390 if rng.random() < 0.3 else 180
                    venue = AGGLOMERATION_VENUE if rng.random() < 0.4 else ""
                self.add(group[0], kind, day, start, length, title, venue, tuple(group[1:]),
                         subject=f"{theme}|{objective}")

    def new_council(self, code: str, drawn: dt.date, active: list[str]) -> None:
        """Journey 1: a council drawn by lot a few months ago holds its first meetings."""
        rng, local = self.rng, LOCAL[code]
        first = self.add(code, "pleniere", _next_weekday(drawn + dt.timedelta(days=12),
                                                        local.weekday),
                         local.time, 120, CONSTITUTIVE[0], subject="constitutive")
        self.add(code, "bureau", first.day + dt.timedelta(days=11), "18:00", 90,
                 "Première réunion du bureau", subject="first")
        self.add(code, "cafe_citoyen", _next_weekday(first.day + dt.timedelta(days=21), 5),
                 "10:00", 120, "Café citoyen : faire connaître le conseil")
        if active:
            guests = (code,) + ((rng.choice(active),) if rng.random() < 0.5 else ())
            host = rng.choice([c for c in active if c not in guests])
            theme, objective = TRAININGS[0]
            self.add(host, "formation_commune",
                     _next_weekday(first.day + dt.timedelta(days=28), 5), "09:30", 180,
                     f"Formation commune : {theme}", "", guests, f"{theme}|{objective}")
        month = first.day.replace(day=1)
        end = self.today + LOOK_AHEAD
        while month <= end:
            month = (month + dt.timedelta(days=32)).replace(day=1)
            if month.month != 8:
                self.add(code, "pleniere",
                         _nth_weekday(month.year, month.month, local.weekday, local.nth),
                         local.time, 120, "Séance plénière")
        # The new council joins the exchanges between councils from now on.
        for event in self.events:
            if (event.kind in ("inter_conseils", "formation_commune") and len(event.guests) < 2
                    and event.day > first.day and code not in event.guests
                    and event.day not in self.taken[code]):
                event.guests += (code,)
                self.taken[code].add(event.day)

    # -- one meeting -------------------------------------------------------------------

    def run(self) -> None:
        self.schedule()
        self.hold_all()

    def hold_all(self) -> None:
        for event in self.events:
            self.hold(event)
        self.amend()

    def hold(self, event: _Event) -> None:
        code, rng = event.code, self.rng
        held = event.day < self.today
        topics = self.topics(event)
        objectives = {KIND_OBJECTIVES[event.kind]}
        objectives |= {e.objective for e in topics if e.objective}
        if code in self.b.founded:
            objectives.add("D4.01")
        source = self.last_pleniere.get(code)
        copied = event.kind == "pleniere" and source is not None \
            and event.subject != "constitutive"
        if copied:
            # Journey 3: the next plénière is prepared by copying the last one.
            event.meeting_id = meetings.copy_meeting(self.db, source.meeting_id,
                                                     event.starts_at, event.ends_at)
            meetings.update_meeting(self.db, event.meeting_id, title=event.title,
                                    venue=event.venue)
            meetings.set_objectives(self.db, event.meeting_id, sorted(objectives))
        else:
            invite = event.kind not in ("bureau", "representation", *INTERMEDIATE)
            event.meeting_id = meetings.plan_meeting(
                self.db, self.council_id[code], event.kind, event.title, event.starts_at,
                event.ends_at, event.venue, [self.council_id[g] for g in event.guests],
                sorted(objectives), invite_members=invite)
            if event.kind in ("bureau", "representation"):
                self.invite_few(event)
        self.meetings += 1
        if event.kind == "pleniere":
            self.last_pleniere[code] = event
        entries = self.standing(event) + topics
        if event.kind in ("pleniere", "bureau"):
            entries.append(_Entry(MISCELLANEOUS, rng.choice((10, 15)), "animation", None,
                                  standing="miscellaneous"))
        for entry in entries:
            entry.presenter = self.presenter(event, entry.presenter, ())
        item_ids = self.write_agenda(event, entries, copied)
        if held:
            self.minutes(event, entries, item_ids)

    def invite_few(self, event: _Event) -> None:
        members = self.members_on(event.code, event.day)
        if event.kind == "representation":
            wanted = [self.holder(event.code, event.day, "representant")]
            if self.rng.random() < 0.5:
                wanted.append(self.holder(event.code, event.day, "referent"))
        else:
            wanted = [m.person_id for m in members if m.role in OFFICES]
            others = [m.person_id for m in members if m.role not in OFFICES]
            wanted += self.rng.sample(others, max(0, min(len(others), 4 - len(wanted))))
        for person_id in dict.fromkeys(p for p in wanted if p):
            meetings.invite(self.db, event.meeting_id, person_id)

    def topics(self, event: _Event) -> list[_Entry]:
        """The agenda's substance (standing items are added once the meeting exists)."""
        local, rng = LOCAL[event.code], self.rng
        context = {"of": local.of, "at": local.at, "town": local.town}
        if event.kind == "pleniere":
            if event.subject == "constitutive":
                return self.entries(CONSTITUTIVE[1], context)
            return self.pleniere_topics(event, context)
        if event.kind == "bureau":
            items = [i for i in BUREAU if rng.random() < 0.75]
            if len(items) < 2:
                items = BUREAU[:2]
            return self.entries(items, context)
        if event.kind == "rencontre_thematique":
            return self.entries((THEMATIC_OPENING, *THEMATIC[event.subject][2]), context)
        if event.kind == "representation":
            return self.entries(COPIL[1], context)
        if event.kind in INTERMEDIATE:
            return self.entries(INTERMEDIATE[event.kind][1], context)
        theme, objective = event.subject.split("|")
        context.update(theme=theme, Subject=theme[0].upper() + theme[1:],
                       objective=objective, host_of=LOCAL[event.code].of)
        items = INTER_COUNCIL_ITEMS if event.kind == "inter_conseils" else TRAINING_ITEMS
        return self.entries(items, context)

    def entries(self, items: Sequence[_Item], context: dict[str, Any]) -> list[_Entry]:
        out = []
        for item in items:
            objective = item.objective.format(**context) if item.objective else None
            out.append(_Entry(item.title.format(**context), item.minutes, item.presenter,
                              objective, item, context=context))
        return out

    def pleniere_topics(self, event: _Event, context: dict[str, Any]) -> list[_Entry]:
        rng, code = self.rng, event.code
        last = self.last_pleniere.get(code)
        since = last.day if last else event.day - dt.timedelta(days=60)
        mine = [e for e in self.events if e.involves(code) and e is not event]
        chosen: list[tuple[_Item, dict[str, Any]]] = []
        upcoming = [e for e in mine if e.code == code and e.kind in PREPARATION
                    and event.day < e.day <= event.day + dt.timedelta(days=45)]
        if upcoming:
            chosen.append((PREPARATION[upcoming[0].kind],
                           {**context, "date": _weekday_date(upcoming[0].day)}))
        recent = [e for e in mine if e.kind in FEEDBACK and since < e.day < event.day
                  and e.day < self.today]
        if recent:
            recent.sort(key=lambda e: list(FEEDBACK).index(e.kind))
            chosen.append((FEEDBACK[recent[0].kind], {**context, "n": recent[0].participants}))
        wanted = min(3, max(len(chosen) + (1 if len(chosen) < 2 else 0),
                            rng.choice((1, 2, 2, 3))))
        while len(chosen) < wanted:
            item = self.draw_topic(code, event.day.month, [i for i, _c in chosen])
            chosen.append((item, context))
        out = []
        for item, ctx in chosen:
            out += self.entries((item,), ctx)
        return out

    def draw_topic(self, code: str, month: int, avoid: list[_Item]) -> _Item:
        oru = code in ("basseau-grande-garenne", "bel-air-grand-font")
        pile, recent = self.piles[code], self.recent[code]
        for _round in range(2):
            for i, index in enumerate(pile):
                item = TOPICS[index]
                if item not in avoid and (not item.months or month in item.months):
                    pile.pop(i)
                    recent[:] = [*recent[-7:], index]
                    return item
            fresh = [i for i, item in enumerate(TOPICS) if oru or not item.oru]
            self.rng.shuffle(fresh)
            # A new round of topics does not start with those just discussed.
            pile += sorted(fresh, key=lambda i: i in recent)
        return TOPICS[0]

    def standing(self, event: _Event) -> list[_Entry]:
        """Approval of earlier minutes and the points en suspens, known once planned."""
        out = []
        code = event.code
        pending = self.to_approve(event)
        if pending or (event.kind == "pleniere" and event.subject != "constitutive"
                       and code not in self.b.founded):
            if len(pending) > 1:
                title = APPROVAL_MANY
            elif not pending or pending[0].kind == "pleniere":
                title = APPROVAL_ONE
            else:
                title = (f"Approbation du compte rendu {KIND_OF[pending[0].kind]} du "
                         f"{format_date(pending[0].day, 'd MMMM', lang='fr')}")
            out.append(_Entry(title, 10, "secretaire", None, standing="approval"))
        if event.kind in ("pleniere", "bureau") and meetings.outstanding_actions(
                self.db, event.meeting_id):
            title = OUTSTANDING if event.kind == "pleniere" else "Suivi des actions en cours"
            out.append(_Entry(title, self.rng.choice((15, 20)), "animation", "D4.03",
                              standing="outstanding"))
        return out

    def write_agenda(self, event: _Event, entries: list[_Entry], copied: bool) -> list[str]:
        """The agenda; over a copied one, item by item in place, as a facilitator would."""
        existing = ([i["id"] for i in meetings.get_meeting(self.db, event.meeting_id)["agenda"]]
                    if copied else [])
        ids = []
        for i, entry in enumerate(entries):
            values = {"title": entry.title, "duration_minutes": entry.minutes,
                      "presenter": entry.presenter, "objective_code": entry.objective}
            if i < len(existing):
                meetings.update_agenda_item(self.db, existing[i], **values)
                ids.append(existing[i])
            else:
                ids.append(meetings.add_agenda_item(self.db, event.meeting_id, **values))
        for item_id in existing[len(entries):]:
            meetings.remove_agenda_item(self.db, item_id)
        return ids

    # -- what happened -----------------------------------------------------------------

    def minutes(self, event: _Event, entries: list[_Entry], item_ids: list[str]) -> None:
        present, voters = self.attendance(event)
        code, rng = event.code, self.rng
        local = LOCAL[code]
        fac = self.plans[code].facilitator
        context = {
            "of": local.of, "at": local.at, "town": local.town, "venue": event.venue,
            "facilitator": f"{fac.first_name} {fac.last_name}", "fac_first": fac.first_name,
            "time": local.time.replace(":00", " h").replace(":", " h "),
            "name": self.name(rng.choice(present)) if present else fac.first_name,
        }
        for role, key in (("referent", "referent"), ("secretaire", "secretary"),
                          ("representant", "representant")):
            holder = self.holder(code, event.day, role, present)
            context[key] = self.name(holder) if holder else context["facilitator"]
            if role == "referent":
                woman = holder is not None and self.person(holder)["gender"] == "femme"
                context["designated"] = ("désignée référente" if woman
                                         else "désigné référent")
        later = [e for e in self.events if e.code == code and e.kind == "pleniere"
                 and e.day > event.day]
        context["next"] = _weekday_date(later[0].day) if later else ""
        actions = 0
        for entry, item_id in zip(entries, item_ids, strict=True):
            ctx = {**context, **entry.context}
            if entry.standing == "approval":
                meetings.set_item_notes(self.db, item_id, self.approval_notes(event, ctx))
            elif entry.standing == "outstanding":
                meetings.set_item_notes(self.db, item_id, self.follow_up(event))
            elif entry.standing == "miscellaneous":
                if (actions == 0 and event.kind == "pleniere") or rng.random() < 0.15:
                    meetings.set_item_notes(self.db, item_id, DUMPING_NOTE.format(**ctx))
                    self.add_action(event, DUMPING, item_id, present)
                    actions += 1
                else:
                    notes = rng.choice(MISCELLANEOUS_NOTES if later else
                                       MISCELLANEOUS_NOTES[:1] + MISCELLANEOUS_NOTES[2:])
                    meetings.set_item_notes(self.db, item_id, notes.format(**ctx))
            elif entry.item is not None:
                actions += self.item_minutes(event, entry, item_id, ctx, present, voters)
        for earlier in self.to_approve(event):
            meetings.validate_minutes(self.db, earlier.meeting_id, event.meeting_id)
            self.approvals.append((earlier, event))
            self.unapproved[code].remove(earlier)
        self.unapproved[code].append(event)

    def to_approve(self, event: _Event) -> list[_Event]:
        """Minutes approved at this meeting: all those pending at a plénière; at a bureau,
        those of the bureau and of public events (a plénière approves its own)."""
        pending = self.unapproved[event.code]
        if event.kind == "pleniere" and event.subject != "constitutive":
            return list(pending)
        if event.kind == "bureau":
            return [e for e in pending if e.kind != "pleniere"]
        return []

    def item_minutes(self, event: _Event, entry: _Entry, item_id: str,
                     context: dict[str, Any], present: list[str], voters: int) -> int:
        rng, item = self.rng, entry.item
        assert item is not None
        first = event.kind == "pleniere" and event.subject == "constitutive"
        if item.notes:
            meetings.set_item_notes(self.db, item_id, rng.choice(item.notes).format(**context))
        for text, voted in item.decisions:
            if first or rng.random() < 0.6:
                counts = self.votes(voters) if voted else (None, None, None)
                meetings.add_decision(self.db, event.meeting_id, text.format(**context),
                                      item_id, *counts)
                break
        added = 0
        tasks = list(item.tasks)
        if tasks and not first:
            tasks = rng.sample(tasks, 2 if len(tasks) > 1 and rng.random() < 0.35 else 1)
            if rng.random() < 0.2 and event.kind != "pleniere":
                tasks = []
        for task in tasks:
            self.add_action(event, task, item_id, present, context)
            added += 1
        return added

    def add_action(self, event: _Event, task: _Task, item_id: str, present: list[str],
                   context: dict[str, Any] | None = None) -> None:
        person_id, body = self.who(event, task.who, present)
        due = event.day + dt.timedelta(days=task.days + self.rng.randint(-3, 10))
        action_id = meetings.add_action(
            self.db, event.meeting_id, task.text.format(town=LOCAL[event.code].town),
            item_id, assignee_person_id=person_id, assignee_body=body, due_on=due.isoformat())
        self.tasks[action_id] = task
        self.actions += 1

    def votes(self, voters: int) -> tuple[int, int, int]:
        against = min(self.rng.choice((0, 0, 0, 1, 1, 2, 3)), voters // 4)
        abstain = min(self.rng.choice((0, 0, 1, 1, 2)), voters // 4)
        return voters - against - abstain, against, abstain

    def approval_notes(self, event: _Event, context: dict[str, Any]) -> str:
        earlier = self.to_approve(event)
        if not earlier:
            return "Le compte rendu de la séance précédente est approuvé à l'unanimité."
        if len(earlier) == 1:
            meeting = f"{KIND_OF[earlier[0].kind]} du {_long_date(earlier[0].day)}"
            return self.rng.choice(APPROVAL_NOTES).format(**{**context, "meeting": meeting})
        return APPROVAL_MANY_NOTES.format(meeting=_and(
            [f"{KIND_OF[e.kind]} du {format_date(e.day, 'd MMMM', lang='fr')}"
             for e in earlier]))

    def follow_up(self, event: _Event) -> str:
        """The points en suspens: where each open action stands, as said at the meeting."""
        rng, lines = self.rng, []
        for row in meetings.outstanding_actions(self.db, event.meeting_id):
            if row["status"] not in ("a_faire", "en_cours"):
                continue
            task = self.tasks[row["id"]]
            age = (event.day - dt.date.fromisoformat(row["meeting_starts_at"][:10])).days
            moved = action_progress(rng, task, age, row["status"] == "en_cours")
            if moved is None:
                continue
            status, note = moved
            meetings.follow_up_action(self.db, event.meeting_id, row["id"], status, note)
            lines.append(f"– {row['text']} ({row['assignee']}) : {ACTION_STATUS_FR[status]}. "
                         f"{note}")
        return "\n".join(lines) or "Aucun point n'a avancé depuis la dernière réunion."

    def attendance(self, event: _Event) -> tuple[list[str], int]:
        """Who came: (members present, in sign-in order; members voting)."""
        rng, db, mid = self.rng, self.db, event.meeting_id
        present: list[str] = []
        if event.kind in INTERMEDIATE:
            # Nobody is convened to a stall or a party: the members who help just come.
            members = self.members_on(event.code, event.day)
            helpers = [m.person_id for m in members
                       if rng.random() < self.assiduity[m.person_id] * 0.35]
            if len(helpers) < 2:
                helpers += rng.sample([m.person_id for m in members if m.person_id
                                       not in helpers], 2 - len(helpers))
            for person_id in helpers:
                meetings.add_walk_in(db, mid, person_id)
            present = helpers
            voters = 0
        else:
            rows = [r for r in meetings.attendance(db, mid) if r["member"]]
            turnout = TURNOUT.get(event.subject or event.kind, TURNOUT.get(event.kind, 1.0))
            mood = rng.uniform(-0.08, 0.05)  # a rainy evening, a football match…
            absent = []
            for row in rows:
                chance = self.assiduity.get(row["person_id"], 0.5) * turnout + mood
                if event.kind == "representation":
                    chance = 0.9
                if rng.random() < chance:
                    present.append(row["person_id"])
                else:
                    absent.append(row["person_id"])
            if not present and absent:
                present.append(absent.pop(0))
            for person_id in present:
                meetings.set_attendance(db, mid, person_id, "present")
            holders = list(present)
            rng.shuffle(holders)
            represented = 0
            for person_id in absent:
                if event.kind == "pleniere" and holders and rng.random() < 0.1:
                    meetings.set_attendance(db, mid, person_id, "represente", holders.pop())
                    represented += 1
                else:
                    status = "excuse" if rng.random() < 0.6 else "absent"
                    meetings.set_attendance(db, mid, person_id, status)
            voters = len(present) + represented
        named = {"pleniere": (0, 2), "rencontre_thematique": (1, 4), "cafe_citoyen": (1, 3),
                 "stand_marche": (0, 1), "fete_quartier": (0, 2), "inter_conseils": (0, 1),
                 "formation_commune": (0, 1)}.get(event.kind, (0, 0))
        walk_ins = self.walk_ins(event, rng.randint(*named), set(present))
        counted = self.headcount(event)
        event.participants = len(present) + walk_ins + counted
        return present, voters

    def walk_ins(self, event: _Event, wanted: int, here: set[str]) -> int:
        rng, code = self.rng, event.code
        came = 0
        for _walk_in in range(wanted):
            regulars = [p for p in self.regulars[code] if p not in here]
            former = [p for p in self.former[code] if p not in here]
            partners = [p for p in self.b.partners if p not in here]
            draw = rng.random()
            if event.kind in ("rencontre_thematique", "inter_conseils", "formation_commune") \
                    and partners and draw < 0.5:
                person_id = rng.choice(partners)
                meetings.add_walk_in(self.db, event.meeting_id, person_id)
            elif regulars and draw < 0.55:
                person_id = rng.choice(regulars)
                meetings.add_walk_in(self.db, event.meeting_id, person_id)
            elif former and draw < 0.75:
                person_id = rng.choice(former)
                meetings.add_walk_in(self.db, event.meeting_id, person_id)
            elif self.newcomers[code] < MAX_NEWCOMERS and event.kind not in (
                    "inter_conseils", "formation_commune"):
                fields = self.newcomer(event)
                person_id = meetings.add_walk_in(self.db, event.meeting_id, **fields)
                self.b.people += 1
                self.b.directory[person_id] = fields
                self.newcomers[code] += 1
            else:
                continue
            if person_id not in self.b.partners and person_id not in self.regulars[code]:
                self.regulars[code].append(person_id)
            here.add(person_id)
            came += 1
        return came

    def newcomer(self, event: _Event) -> dict[str, Any]:
        """Someone from the neighbourhood who gives their name on the sign-in sheet."""
        rng, b = self.rng, self.b
        gender = rng.choices(("femme", "homme"), (58, 42))[0]
        birth_year = b.birth_year(rng.choices(("young", "adult", "senior"), (22, 50, 28))[0])
        first, last = b.name(gender, birth_year)
        phone = b.mobile() if rng.random() < 0.85 else ""
        return {
            "first_name": first, "last_name": last, "gender": gender,
            "birth_year": birth_year, "lives_in_qpv": rng.random() < 0.85,
            "phone": phone,
            "email": b.email(first, last) if not phone or rng.random() < 0.4 else "",
            "consent_date": event.day.isoformat(), "consent_contact": True,
            "consent_photos": rng.random() < 0.5,
            "notes": f"Première venue : {KIND_NAMES[event.kind]} du {_long_date(event.day)}.",
        }

    def headcount(self, event: _Event) -> int:
        """Anonymous participants of a public event, counted at the door."""
        rng = self.rng
        if event.kind not in HEADCOUNTS or (event.kind == "pleniere" and rng.random() > 0.3):
            return 0
        fewest, most, ages = HEADCOUNTS[event.kind]
        women = rng.uniform(0.5, 0.64)
        newcomers = {"pleniere": 0.6, "fete_quartier": 0.5}.get(event.kind, 0.35)
        # At a party people are only counted by sex and age; elsewhere they are asked.
        asked = 0.3 if event.kind == "fete_quartier" else 0.93
        cells: dict[tuple[str, str, bool | None, bool | None], int] = {}
        total = rng.randint(fewest, most)
        for _person in range(total):
            cell = (
                rng.choices(("femme", "homme", "non_precise"), (women, 0.96 - women, 0.04))[0],
                rng.choices(list(ages), list(ages.values()))[0],
                None, None,
            )
            if rng.random() < asked:
                cell = (*cell[:2], rng.random() < 0.82,
                        rng.choices((True, False, None), (newcomers, 0.9 - newcomers, 0.1))[0])
            cells[cell] = cells.get(cell, 0) + 1
        for (gender, band, qpv, first), count in cells.items():
            meetings.set_headcount(self.db, event.meeting_id, gender, band, qpv, first, count)
        return total

    def amend(self) -> None:
        """Journey 3: a correction noticed after the minutes were approved."""
        rng = self.rng
        candidates = [(minutes, at) for minutes, at in self.approvals
                      if minutes.kind == "pleniere" and at.day + dt.timedelta(days=14)
                      < self.today]
        if not candidates:
            return
        minutes, at = candidates[len(candidates) // 2]
        meeting = meetings.get_meeting(self.db, minutes.meeting_id)
        voted = [d for d in meeting["decisions"] if d["votes_for"]]
        if voted:
            d = voted[0]
            text = (f"Rectificatif : la décision « {d['text']} » a été adoptée par "
                    f"{d['votes_for']} voix pour et non {d['votes_for'] + 1} comme indiqué.")
        else:
            away = [r for r in meeting["attendance"] if r["status"] == "absent"]
            if away:
                e = "e" if away[0]["gender"] == "femme" else ""
                text = (f"Rectificatif : {away[0]['name']} était excusé{e} et non "
                        f"absent{e}.")
            else:
                text = "Rectificatif : la séance a commencé à 18 h 45 et non à 18 h 30."
        recorded = at.day + dt.timedelta(days=rng.randint(3, 14))
        meetings.add_amendment(self.db, minutes.meeting_id, text, recorded.isoformat())


# == walks ===============================================================================
# Two diagnostics en marchant per council (journeys 4 and 5): one about a year ago, one a
# few weeks ago, at least two of them the same route walked again for the before/after
# view. Each has its plan (drawn here, imported through services.photos.import_plan), its
# route, participants, observations typed « in the street » (their created_at is set to
# the moment they were noted, which is what matching photos by time relies on), photos
# from several phones (drawn here, with EXIF time, GPS, camera and orientation, imported
# through services.photos.import_photos) and months of follow-up with the bodies.

PHOTO_SIZE = (1024, 768)  # a phone photo, scaled down: the import is what takes time
PHOTO_QUALITY = 80
PLAN_PIXELS = (1600, 1100)
PLAN_METRES = (900, 620)  # what the plan covers on the ground
METRES_PER_DEGREE = 111_320


@dataclass(frozen=True)
class _Place:
    """A possible stop: its name, an address (public places only), its position on the
    plan (fractions of the width and height: always a street vertex) and its kind."""

    name: str
    address: str
    at: tuple[float, float]
    kind: str  # place, equipement, hall, parking, ecole, arret, parc, jeux, commerces,
    #            passage, rue


@dataclass(frozen=True)
class _Map:
    """A neighbourhood as the plan shows it, and the routes its walks follow."""

    title: str
    centre: tuple[float, float]  # latitude, longitude of the plan's centre
    # (name, points, style): style "major", "minor" or "path"; streets meet at shared points
    streets: tuple[tuple[str, tuple[tuple[float, float], ...], str], ...]
    green: tuple[tuple[str, tuple[float, float, float, float]], ...]
    buildings: tuple[tuple[str, tuple[float, float, float, float]], ...]
    places: tuple[_Place, ...]
    routes: tuple[tuple[int, ...], tuple[int, ...]]  # the first walk's, the other's
    technician: str  # the city's services, as a walk partner
    towers: str  # letters or numbers the buildings go by
    water: tuple[float, float, float, float] | None = None


MAPS = {
    "basseau-grande-garenne": _Map(
        "Basseau – Grande-Garenne", (45.6556, 0.1233),
        (
            ("Rue de Basseau", ((0.0, 0.55), (0.25, 0.55), (0.5, 0.55), (0.75, 0.55),
                                (1.0, 0.55)), "major"),
            ("Avenue de la Grande-Garenne", ((0.5, 0.0), (0.5, 0.3), (0.5, 0.55),
                                             (0.5, 0.8), (0.5, 1.0)), "major"),
            ("Rue des Mésanges", ((0.25, 0.55), (0.25, 0.3), (0.25, 0.08)), "minor"),
            ("Allée des Peupliers", ((0.25, 0.3), (0.5, 0.3), (0.62, 0.3), (0.75, 0.3)),
             "minor"),
            ("Rue des Alouettes", ((0.75, 0.3), (0.75, 0.55)), "minor"),
            ("Allée des Tilleuls", ((0.75, 0.55), (0.75, 0.68), (0.75, 0.8)), "minor"),
            ("Rue du Petit-Bois", ((0.1, 0.8), (0.37, 0.8), (0.5, 0.8), (0.62, 0.8),
                                   (0.75, 0.8), (0.9, 0.8)), "minor"),
            ("Chemin de la Charente", ((0.75, 0.3), (0.92, 0.14)), "path"),
            ("Passage des Glycines", ((0.1, 0.8), (0.1, 0.62), (0.25, 0.55)), "path"),
        ),
        (("Square de la Garenne", (0.54, 0.6, 0.72, 0.76)),
         ("Bois de Basseau", (0.8, 0.02, 1.0, 0.12))),
        (("Tour A", (0.29, 0.35, 0.35, 0.5)), ("Tour B", (0.39, 0.35, 0.46, 0.43)),
         ("École élémentaire", (0.54, 0.35, 0.71, 0.5)),
         ("Maison de quartier", (0.04, 0.36, 0.2, 0.49)),
         ("Centre commercial", (0.28, 0.6, 0.46, 0.75)),
         ("Tour C", (0.13, 0.64, 0.21, 0.76)), ("Stade", (0.55, 0.85, 0.72, 0.97))),
        (
            _Place("Place de la Grande-Garenne", "Place de la Grande-Garenne",
                   (0.5, 0.55), "place"),
            _Place("Maison de quartier", "Rue de Basseau, devant la maison de quartier",
                   (0.25, 0.55), "equipement"),
            _Place("Pied de la tour A", "Rue des Mésanges, pied de la tour A", (0.25, 0.3),
                   "hall"),
            _Place("Parking des Peupliers", "Allée des Peupliers, parking de la tour B",
                   (0.5, 0.3), "parking"),
            _Place("Entrée de l'école", "Allée des Peupliers, devant l'école élémentaire",
                   (0.62, 0.3), "ecole"),
            _Place("Chemin de la Charente", "Chemin de la Charente, entrée du sentier",
                   (0.92, 0.14), "passage"),
            _Place("Arrêt Grande-Garenne", "Rue de Basseau, arrêt de bus Grande-Garenne",
                   (0.75, 0.55), "arret"),
            _Place("Square de la Garenne", "Allée des Tilleuls, entrée du square",
                   (0.75, 0.68), "parc"),
            _Place("City stade", "Rue du Petit-Bois, city stade", (0.62, 0.8), "jeux"),
            _Place("Centre commercial", "Rue du Petit-Bois, parvis du centre commercial",
                   (0.37, 0.8), "commerces"),
            _Place("Passage des Glycines", "Passage des Glycines, sous la tour C",
                   (0.1, 0.62), "passage"),
        ),
        ((0, 1, 2, 3, 4, 6, 7, 8), (9, 10, 1, 2, 3, 4, 5)),
        "Ville d'Angoulême – services techniques", "ABC",
    ),
    "ma-campagne": _Map(
        "Ma Campagne", (45.6282, 0.1561),
        (
            ("Avenue de Ma Campagne", ((0.0, 0.71), (0.3, 0.62), (0.55, 0.55), (0.8, 0.48),
                                       (1.0, 0.43)), "major"),
            ("Rue du Plateau", ((0.55, 0.0), (0.55, 0.3), (0.55, 0.55), (0.55, 0.75),
                                (0.55, 0.88), (0.55, 1.0)), "major"),
            ("Rue des Coteaux", ((0.3, 0.62), (0.3, 0.35), (0.3, 0.1)), "minor"),
            ("Allée des Acacias", ((0.3, 0.35), (0.55, 0.3)), "minor"),
            ("Rue de la Croix-Blanche", ((0.55, 0.3), (0.8, 0.25), (1.0, 0.21)), "minor"),
            ("Rue des Jardins", ((0.3, 0.62), (0.3, 0.88), (0.55, 0.88)), "minor"),
            ("Allée des Vignes", ((0.8, 0.48), (0.8, 0.65), (0.8, 0.8)), "minor"),
            ("Chemin des Écoliers", ((0.55, 0.75), (0.8, 0.8)), "path"),
        ),
        (("Parc de Ma Campagne", (0.6, 0.58, 0.76, 0.71)),
         ("Jardins partagés", (0.34, 0.91, 0.52, 0.99))),
        (("Résidence des Coteaux", (0.34, 0.4, 0.5, 0.52)),
         ("Gymnase", (0.6, 0.33, 0.76, 0.45)),
         ("Collège du Plateau", (0.05, 0.15, 0.25, 0.4)),
         ("Centre social", (0.07, 0.48, 0.25, 0.6)),
         ("Ludothèque", (0.34, 0.7, 0.5, 0.83)),
         ("Salle des fêtes", (0.84, 0.55, 0.96, 0.7)),
         ("Bâtiment Les Vignes", (0.84, 0.28, 0.96, 0.4))),
        (
            _Place("Place centrale", "Place centrale de Ma Campagne", (0.55, 0.55), "place"),
            _Place("Centre social", "Avenue de Ma Campagne, devant le centre social",
                   (0.3, 0.62), "equipement"),
            _Place("Résidence des Coteaux", "Rue des Coteaux, pied des immeubles",
                   (0.3, 0.35), "hall"),
            _Place("Parking du Plateau", "Rue du Plateau, parking du gymnase", (0.55, 0.3),
                   "parking"),
            _Place("Bâtiment Les Vignes", "Rue de la Croix-Blanche, entrée du bâtiment",
                   (0.8, 0.25), "hall"),
            _Place("Arrêt Ma Campagne", "Avenue de Ma Campagne, arrêt de bus",
                   (0.8, 0.48), "arret"),
            _Place("Parc de Ma Campagne", "Allée des Vignes, entrée du parc", (0.8, 0.65),
                   "parc"),
            _Place("Chemin des Écoliers", "Chemin des Écoliers, vers l'école maternelle",
                   (0.55, 0.75), "ecole"),
            _Place("Aire de jeux de la ludothèque", "Rue des Jardins, derrière la ludothèque",
                   (0.3, 0.88), "jeux"),
            _Place("Jardins partagés", "Rue des Jardins, entrée des jardins partagés",
                   (0.55, 0.88), "parc"),
        ),
        ((0, 1, 2, 3, 4, 5, 6), (0, 7, 9, 8, 1, 2, 3, 5)),
        "Ville d'Angoulême – services techniques", "123",
    ),
    "bel-air-grand-font": _Map(
        "Bel-Air – Grand Font", (45.6493, 0.1642),
        (
            ("Rue de Bel-Air", ((0.0, 0.3), (0.25, 0.32), (0.5, 0.35), (0.75, 0.38),
                                (1.0, 0.41)), "major"),
            ("Rue du Grand Font", ((0.5, 0.35), (0.5, 0.6), (0.45, 0.8), (0.42, 1.0)),
             "major"),
            ("Rue du Belvédère", ((0.5, 0.05), (0.5, 0.2), (0.5, 0.35)), "minor"),
            ("Rue des Sources", ((0.25, 0.06), (0.25, 0.32), (0.25, 0.6), (0.25, 0.85)),
             "minor"),
            ("Rue de la Fontaine", ((0.25, 0.6), (0.5, 0.6), (0.75, 0.62), (0.97, 0.64)),
             "minor"),
            ("Escaliers du Grand Font", ((0.75, 0.38), (0.75, 0.5), (0.75, 0.62)), "path"),
            ("Allée des Lavandières", ((0.45, 0.8), (0.7, 0.85), (0.92, 0.8)), "minor"),
            ("Sentier des Remparts", ((0.25, 0.85), (0.08, 0.95)), "path"),
        ),
        (("Jardin du Belvédère", (0.54, 0.1, 0.72, 0.3)),
         ("Coulée verte", (0.03, 0.66, 0.2, 0.82))),
        (("Espace Jeanne-d'Arc", (0.05, 0.37, 0.2, 0.52)),
         ("Centre social", (0.3, 0.4, 0.45, 0.55)),
         ("Résidence Les Sources", (0.29, 0.65, 0.4, 0.78)),
         ("Maison médicale", (0.55, 0.66, 0.7, 0.76)),
         ("Résidence Bel-Air", (0.8, 0.45, 0.95, 0.58)),
         ("Tour du Grand Font", (0.3, 0.12, 0.4, 0.27))),
        (
            _Place("Carrefour de Bel-Air", "Rue de Bel-Air, carrefour du Grand Font",
                   (0.5, 0.35), "place"),
            _Place("Espace Jeanne-d'Arc", "Rue de Bel-Air, devant l'Espace Jeanne-d'Arc",
                   (0.25, 0.32), "equipement"),
            _Place("Résidence Les Sources", "Rue des Sources, pied de la résidence",
                   (0.25, 0.6), "hall"),
            _Place("Parvis du centre social", "Rue de la Fontaine, parvis du centre social",
                   (0.5, 0.6), "place"),
            _Place("Maison médicale", "Rue de la Fontaine, devant la maison médicale",
                   (0.75, 0.62), "commerces"),
            _Place("Escaliers du Grand Font", "Escaliers du Grand Font, palier du milieu",
                   (0.75, 0.5), "passage"),
            _Place("Arrêt Bel-Air", "Rue de Bel-Air, arrêt de bus", (0.75, 0.38), "arret"),
            _Place("Jardin du Belvédère", "Rue du Belvédère, entrée du jardin", (0.5, 0.2),
                   "parc"),
            _Place("Garages des Lavandières", "Allée des Lavandières, parking des garages",
                   (0.7, 0.85), "parking"),
            _Place("Aire de jeux des Sources", "Rue des Sources, aire de jeux", (0.25, 0.85),
                   "jeux"),
        ),
        ((3, 2, 1, 0, 6, 5, 4), (0, 7, 6, 5, 4, 3, 9, 8)),
        "Ville d'Angoulême – services techniques", "ABCD",
    ),
    "etang-des-moines": _Map(
        "L'Étang des Moines – La Couronne", (45.6104, 0.0993),
        (
            ("Rue de l'Étang des Moines", ((0.0, 0.45), (0.3, 0.45), (0.55, 0.5),
                                           (0.8, 0.5), (1.0, 0.52)), "major"),
            ("Route de Bordeaux", ((0.1, 1.0), (0.3, 0.75), (0.55, 0.72), (0.92, 0.68)),
             "major"),
            ("Allée des Carmes", ((0.3, 0.45), (0.3, 0.2), (0.3, 0.04)), "minor"),
            ("Rue du Moulin", ((0.3, 0.2), (0.6, 0.22), (0.85, 0.25)), "minor"),
            ("Allée des Roseaux", ((0.55, 0.5), (0.55, 0.62), (0.55, 0.72)), "minor"),
            ("Rue des Hérons", ((0.3, 0.45), (0.3, 0.75)), "minor"),
            ("Chemin de l'Étang", ((0.8, 0.5), (0.825, 0.375), (0.85, 0.25)), "path"),
        ),
        (("Parc de l'Étang", (0.58, 0.27, 0.79, 0.46)),),
        (("Salle municipale", (0.05, 0.5, 0.25, 0.62)),
         ("Résidence des Carmes", (0.05, 0.22, 0.25, 0.4)),
         ("Résidence du Moulin", (0.35, 0.26, 0.52, 0.4)),
         ("École de l'Étang", (0.35, 0.53, 0.5, 0.68)),
         ("Commerces", (0.6, 0.55, 0.77, 0.64)),
         ("Résidence des Roseaux", (0.84, 0.56, 0.97, 0.64))),
        (
            _Place("Salle municipale", "Rue de l'Étang des Moines, devant la salle "
                   "municipale", (0.3, 0.45), "equipement"),
            _Place("Résidence des Carmes", "Allée des Carmes, pied des immeubles",
                   (0.3, 0.2), "hall"),
            _Place("Parking du Moulin", "Rue du Moulin, parking de la résidence",
                   (0.6, 0.22), "parking"),
            _Place("Bord de l'étang", "Chemin de l'Étang, près du ponton", (0.85, 0.25),
                   "parc"),
            _Place("Chemin de l'Étang", "Chemin de l'Étang, entre l'étang et la rue",
                   (0.825, 0.375), "passage"),
            _Place("Arrêt Étang des Moines", "Rue de l'Étang des Moines, arrêt de bus",
                   (0.8, 0.5), "arret"),
            _Place("Petits commerces", "Rue de l'Étang des Moines, devant les commerces",
                   (0.55, 0.5), "commerces"),
            _Place("Entrée de l'école", "Allée des Roseaux, devant l'école", (0.55, 0.62),
                   "ecole"),
            _Place("Traversée de la route de Bordeaux", "Route de Bordeaux, passage piéton",
                   (0.55, 0.72), "rue"),
            _Place("Aire de jeux des Hérons", "Rue des Hérons, aire de jeux", (0.3, 0.75),
                   "jeux"),
        ),
        ((0, 1, 2, 3, 4, 5, 6, 7, 8), (6, 5, 4, 3, 2, 1, 0, 9)),
        "Ville de La Couronne – services techniques", "ABC",
        (0.62, 0.29, 0.76, 0.4),
    ),
    "champ-de-manoeuvre": _Map(
        "Champ de Manœuvre – Soyaux", (45.6416, 0.1987),
        (
            ("Avenue du Champ de Manœuvre", ((0.0, 0.5), (0.28, 0.5), (0.4, 0.5),
                                             (0.52, 0.5), (0.76, 0.5), (1.0, 0.5)), "major"),
            ("Rue du Manège", ((0.52, 0.0), (0.52, 0.25), (0.52, 0.5), (0.52, 0.75),
                               (0.52, 1.0)), "major"),
            ("Rue de la Cavalerie", ((0.28, 0.5), (0.28, 0.4), (0.28, 0.25), (0.28, 0.04)),
             "minor"),
            ("Rue des Dragons", ((0.28, 0.25), (0.4, 0.25), (0.52, 0.25), (0.64, 0.25),
                                 (0.76, 0.25)), "minor"),
            ("Rue des Hussards", ((0.76, 0.25), (0.76, 0.5), (0.76, 0.75)), "minor"),
            ("Allée des Cerisiers", ((0.28, 0.5), (0.28, 0.75), (0.4, 0.75), (0.52, 0.75),
                                     (0.64, 0.75), (0.76, 0.75)), "minor"),
            ("Sentier des Écoliers", ((0.76, 0.75), (0.92, 0.92)), "path"),
        ),
        (("Square du Manège", (0.56, 0.55, 0.72, 0.71)),
         ("Espace vert des Cerisiers", (0.05, 0.56, 0.24, 0.72))),
        (("Centre socioculturel", (0.32, 0.29, 0.48, 0.46)),
         ("Tour 1", (0.56, 0.29, 0.62, 0.46)), ("Tour 2", (0.66, 0.29, 0.72, 0.46)),
         ("Médiathèque", (0.8, 0.29, 0.95, 0.46)),
         ("Centre commercial", (0.32, 0.54, 0.48, 0.71)),
         ("Gymnase", (0.05, 0.26, 0.24, 0.45)),
         ("Résidence des Hussards", (0.8, 0.55, 0.95, 0.7))),
        (
            _Place("Parvis du centre socioculturel", "Rue des Dragons, parvis du centre "
                   "socioculturel", (0.4, 0.25), "place"),
            _Place("Pied des tours", "Rue des Dragons, pied de la tour 2", (0.64, 0.25),
                   "hall"),
            _Place("Médiathèque", "Rue des Hussards, devant la médiathèque", (0.76, 0.25),
                   "equipement"),
            _Place("Arrêt Champ de Manœuvre", "Avenue du Champ de Manœuvre, arrêt de bus",
                   (0.76, 0.5), "arret"),
            _Place("Square du Manège", "Allée des Cerisiers, entrée du square",
                   (0.64, 0.75), "parc"),
            _Place("Sentier des Écoliers", "Sentier des Écoliers, vers l'école",
                   (0.92, 0.92), "passage"),
            _Place("Parking du centre commercial", "Allée des Cerisiers, parking",
                   (0.4, 0.75), "parking"),
            _Place("Centre commercial", "Avenue du Champ de Manœuvre, galerie marchande",
                   (0.4, 0.5), "commerces"),
            _Place("Place du Manège", "Place du Manège", (0.52, 0.5), "place"),
            _Place("City stade de la Cavalerie", "Rue de la Cavalerie, city stade",
                   (0.28, 0.4), "jeux"),
        ),
        ((0, 1, 2, 3, 8, 7, 9), (8, 3, 4, 5, 6, 7, 9, 0)),
        "Ville de Soyaux – services techniques", "12345",
    ),
}


@dataclass(frozen=True)
class _Finding:
    """What walkers may note at a stop. ``{n}`` is a house number, ``{tower}`` a building,
    ``{weeks}`` a number of weeks. A problem may say how it looks once fixed (``fixed``)
    or still not (``still``) when the same route is walked again."""

    key: str
    theme: str
    positive: bool
    text: str
    kinds: tuple[str, ...]  # the stops where it may be noted
    scene: str  # what its photo shows
    proposal: str = ""
    feeling: str = ""
    priority: tuple[int, int] = (0, 0)
    bodies: tuple[str, ...] = ()
    tfpb: bool = False
    objective: str | None = None
    when: str = ""  # "nuit", "jour", or either
    fixed: str = ""
    still: str = ""
    fixed_scene: str = ""
    script: str = ""  # a follow-up written out in full: "lamp", "reoriente", "refuse"
    only: str = ""  # the one neighbourhood where it can be seen


_HALL = ("hall",)
_STREET = ("rue", "place", "arret", "commerces", "equipement", "ecole", "parking")
FINDINGS = (
    # -- éclairage
    _Finding("lamp", "eclairage", False, "Lampadaire éteint depuis {weeks} semaines devant le "
             "n° {n}.", ("hall", "parking", "rue", "place", "equipement", "passage"),
             "lamp_off", "Réparer le lampadaire et vérifier les autres points lumineux de la "
             "rue.", "On évite de passer par là le soir, surtout les femmes seules.", (1, 1),
             ("ville",), objective="R3.07", when="nuit",
             fixed="Lampadaire réparé devant le n° {n} : la rue est de nouveau éclairée.",
             still="Le lampadaire devant le n° {n} est toujours éteint, malgré le "
             "signalement.", fixed_scene="lamp_on"),
    _Finding("dark_path", "eclairage", False, "Cheminement piéton non éclairé entre les "
             "immeubles et l'arrêt de bus : on ne voit pas où l'on met les pieds.",
             ("passage", "arret", "hall", "parc"), "dark_path",
             "Poser des bornes lumineuses le long du cheminement.",
             "« Le soir, je fais le grand tour par la rue plutôt que de passer là. »", (1, 2),
             ("bailleur",), True, "R3.05", "nuit",
             fixed="Bornes lumineuses posées le long du cheminement : le passage est de "
             "nouveau emprunté le soir.", still="Cheminement toujours dans le noir ; les "
             "bornes annoncées ne sont pas posées.", fixed_scene="lamp_on"),
    _Finding("hall_timer", "eclairage", False, "Minuterie de l'éclairage du hall de la tour "
             "{tower} trop courte : la lumière s'éteint avant d'arriver à l'ascenseur.",
             _HALL, "hall_dark", "Régler la minuterie ou poser des détecteurs de présence.",
             "", (2, 3), ("bailleur",), True, "R3.05",
             fixed="Détecteurs de présence posés dans le hall de la tour {tower} : la "
             "lumière reste allumée le temps de passer.", fixed_scene="hall_fresh"),
    _Finding("led_ok", "eclairage", True, "Nouvel éclairage à LED sur la place : on voit les "
             "visages, on se sent en sécurité.", ("place", "equipement", "commerces",
                                                  "arret"), "lamp_on",
             feeling="« Depuis les nouvelles lampes, les mamans restent discuter le soir. »",
             objective="R3.07", when="nuit"),
    _Finding("parking_lit", "eclairage", True, "Parking bien éclairé : les habitants y "
             "garent leur voiture sans crainte.", ("parking",), "parking_lit",
             objective="R3.07", when="nuit"),
    # -- propreté
    _Finding("bulky", "proprete", False, "Dépôts sauvages d'encombrants au pied de la tour "
             "{tower} : matelas, meubles, électroménager.", ("hall", "parking", "passage"),
             "bulky", "Passage hebdomadaire pour les encombrants et information des "
             "locataires sur la déchetterie.", "", (1, 2), ("bailleur", "agglomeration"),
             True, "R3.05", fixed="Plus de dépôts au pied de la tour {tower} depuis le "
             "passage hebdomadaire des encombrants.", still="Toujours des encombrants au "
             "pied de la tour {tower}, malgré les affiches du bailleur.",
             fixed_scene="bins_clean"),
    _Finding("bins_full", "proprete", False, "Conteneurs enterrés pleins et débordants le "
             "lundi matin, sacs posés à côté.", ("hall", "parking", "place", "commerces"),
             "bins_full", "Ajouter une collecte le week-end ou un conteneur de plus.", "",
             (2, 2), ("agglomeration",), objective="R3.07",
             fixed="Collecte supplémentaire le samedi : les conteneurs ne débordent plus.",
             still="Conteneurs toujours pleins en début de semaine.",
             fixed_scene="bins_clean"),
    _Finding("dog_mess", "proprete", False, "Déjections canines nombreuses sur la pelouse "
             "où jouent les enfants.", ("parc", "jeux"), "lawn",
             "Installer un distributeur de sacs et un panneau ; sensibiliser les "
             "propriétaires de chiens.", "", (2, 3), ("ville",), objective="R3.07",
             when="jour"),
    _Finding("litter_stop", "proprete", False, "Abords de l'arrêt de bus jonchés de "
             "déchets ; la corbeille déborde.", ("arret",), "shelter_litter",
             "Vider la corbeille plus souvent et en ajouter une deuxième.", "", (3, 3),
             ("ville",), objective="R3.07"),
    _Finding("bins_ok", "proprete", True, "Abords des conteneurs propres, le ramassage est "
             "régulier.", ("hall", "parking", "place"), "bins_clean", objective="R3.07"),
    _Finding("tags", "proprete", False, "Tags et inscriptions injurieuses sur la façade et "
             "la porte du hall.", ("hall", "passage"), "graffiti",
             "Effacer les tags et proposer une fresque avec les jeunes du quartier.", "",
             (2, 3), ("bailleur",), True, "R3.05", fixed="Tags effacés ; une fresque "
             "réalisée avec les jeunes décore désormais le mur.", fixed_scene="mural"),
    # -- voirie et trottoirs
    _Finding("roots", "voirie", False, "Trottoir soulevé par les racines des arbres, "
             "dangereux pour les poussettes et les personnes âgées.",
             ("rue", "ecole", "commerces", "arret", "place", "equipement"), "pavement_bad",
             "Reprendre le revêtement du trottoir sur une vingtaine de mètres.", "", (2, 2),
             ("ville",), objective="R3.07", when="jour",
             fixed="Trottoir refait : poussettes et fauteuils passent sans difficulté.",
             still="Trottoir toujours soulevé ; une habitante y est tombée cet hiver.",
             fixed_scene="pavement_ok"),
    _Finding("pothole", "voirie", False, "Nid-de-poule profond à l'entrée du parking, "
             "rempli d'eau dès qu'il pleut.", ("parking",), "pothole",
             "Reboucher le trou et reprendre l'enrobé de l'entrée.", "", (2, 3),
             ("bailleur",), True, "R3.05", fixed="Nid-de-poule rebouché à l'entrée du "
             "parking.", fixed_scene="cars"),
    _Finding("crossing", "voirie", False, "Passage piéton effacé devant l'école : les "
             "voitures ne s'arrêtent pas.", ("ecole",), "crossing_faded",
             "Repeindre le passage et ajouter un panneau « école ».", "", (1, 1), ("ville",),
             objective="R3.07", fixed="Passage piéton repeint devant l'école, bien "
             "visible.", fixed_scene="crossing_ok"),
    _Finding("rd_crossing", "voirie", False, "Traversée dangereuse de la route de Bordeaux : "
             "passage piéton effacé, pas d'îlot central, voitures rapides.", ("rue",),
             "crossing_faded", "Refaire le marquage, poser un îlot refuge et limiter la "
             "vitesse à 50.", "« Avec les enfants, on attend parfois cinq minutes pour "
             "traverser. »", (1, 1), ("ville",), objective="R5.08", script="reoriente"),
    _Finding("pavement_ok", "voirie", True, "Trottoirs refaits l'an dernier, larges et "
             "dégagés.", ("rue", "commerces", "place", "equipement"), "pavement_ok",
             objective="R3.07", when="jour"),
    # -- stationnement
    _Finding("wrecks", "stationnement", False, "Voitures ventouses et épaves sur le parking "
             "depuis des mois, pneus crevés.", ("parking",), "wrecks",
             "Faire enlever les épaves et afficher les règles du parking.", "", (2, 3),
             ("bailleur", "police_municipale"), True, "R3.05",
             fixed="Épaves enlevées : le parking a retrouvé des places.", fixed_scene="cars"),
    _Finding("school_parking", "stationnement", False, "Stationnement sur le trottoir "
             "devant l'école aux heures de sortie : les enfants passent sur la chaussée.",
             ("ecole",), "sidewalk_cars", "Poser des potelets et organiser une présence aux "
             "heures de sortie.", "", (1, 2), ("ville",), objective="R5.08", when="jour",
             fixed="Potelets posés devant l'école : le trottoir est enfin libre.",
             fixed_scene="pavement_ok"),
    _Finding("speed", "securite", False, "Voitures qui roulent trop vite devant le city "
             "stade ; les enfants traversent sans regarder.", ("jeux", "rue", "place"),
             "street_cars", "Installer un ralentisseur (plateau ou coussin) devant le city "
             "stade.", "", (1, 2), ("ville",), objective="R5.08", script="refuse"),
    _Finding("parking_ok", "stationnement", True, "Parking réaménagé avec des places "
             "marquées et une place réservée aux personnes handicapées.", ("parking",),
             "cars", tfpb=True, objective="R3.05", when="jour"),
    # -- accessibilité
    _Finding("kerb", "accessibilite", False, "Pas de bateau abaissé au passage piéton : "
             "impossible de traverser en fauteuil ou avec une poussette.",
             ("rue", "arret", "commerces", "place"), "kerb_high",
             "Abaisser la bordure des deux côtés du passage.", "", (2, 2), ("ville",),
             objective="R3.07", fixed="Bateau abaissé réalisé : le passage est accessible "
             "en fauteuil.", fixed_scene="kerb_ok"),
    _Finding("lift", "accessibilite", False, "Ascenseur de la tour {tower} en panne à "
             "répétition : les personnes âgées restent bloquées chez elles.", _HALL,
             "hall_door", "Exiger un délai de réparation et une information des "
             "locataires.", "« Au neuvième, sans ascenseur, je ne sors plus. »", (1, 1),
             ("bailleur",), objective="R3.07",
             fixed="Ascenseur de la tour {tower} remplacé ; plus de panne signalée depuis.",
             still="Ascenseur de la tour {tower} encore en panne trois fois cet hiver.",
             fixed_scene="hall_fresh"),
    _Finding("kerb_ok", "accessibilite", True, "Bateaux abaissés à tous les passages "
             "piétons du carrefour : le parcours est praticable en fauteuil.",
             ("place", "rue", "arret", "ecole"), "kerb_ok", objective="R3.07"),
    _Finding("steps", "accessibilite", False, "Escaliers sans main courante : les personnes "
             "âgées évitent ce passage.", ("passage",), "steps",
             "Poser une main courante de chaque côté.", "", (2, 3), ("ville",),
             objective="R3.07", fixed="Mains courantes posées dans les escaliers.",
             fixed_scene="steps_ok"),
    # -- espaces verts
    _Finding("square_ok", "espaces_verts", True, "Square bien entretenu, bancs appréciés des "
             "familles.", ("parc", "jeux"), "park_bench", objective="R3.07", when="jour"),
    _Finding("gardens_ok", "espaces_verts", True, "Jardins partagés bien tenus, ouverts aux "
             "enfants de l'école le mercredi.", ("parc",), "garden", objective="D4.06",
             when="jour"),
    _Finding("hedge", "espaces_verts", False, "Haies non taillées qui masquent la vue au "
             "carrefour et débordent sur le trottoir.", ("rue", "place", "parc", "passage",
                                                          "ecole"), "hedge",
             "Tailler les haies deux fois par an.", "", (3, 3), ("ville",),
             objective="R3.07", when="jour", fixed="Haies taillées : on voit de nouveau "
             "arriver les voitures.", fixed_scene="trees"),
    _Finding("playground", "espaces_verts", False, "Aire de jeux vieillissante : toboggan "
             "fermé par une rubalise depuis l'hiver.", ("jeux", "parc"), "playground_closed",
             "Remplacer le toboggan et associer les enfants au choix des nouveaux jeux.", "",
             (2, 2), ("ville",), objective="R3.07",
             fixed="Nouveaux jeux installés, choisis avec les enfants de l'accueil de "
             "loisirs.", still="Toboggan toujours fermé ; les enfants jouent sur le parking.",
             fixed_scene="playground"),
    _Finding("trees_ok", "espaces_verts", True, "Arbres plantés l'an dernier le long de "
             "l'allée : de l'ombre l'été et une rue plus agréable.", ("rue", "passage",
                                                                       "place"), "trees",
             objective="R3.07", when="jour"),
    # -- mobilier urbain
    _Finding("benches_gone", "mobilier_urbain", False, "Bancs arrachés sur la place : les "
             "personnes âgées n'ont plus où s'asseoir.", ("place", "arret", "commerces"),
             "bench_broken", "Reposer des bancs, à l'ombre si possible.", "", (2, 3),
             ("ville",), objective="R3.07",
             fixed="Nouveaux bancs posés sur la place, très utilisés.", fixed_scene="bench"),
    _Finding("no_bins", "mobilier_urbain", False, "Aucune corbeille le long du cheminement "
             "vers l'école : les déchets finissent dans la haie.", ("passage", "ecole"),
             "path_litter", "Installer deux ou trois corbeilles le long du chemin.", "",
             (3, 3), ("ville",), objective="R3.07", when="jour"),
    _Finding("benches_ok", "mobilier_urbain", True, "Nouveaux bancs près de l'aire de jeux, "
             "très utilisés par les grands-parents.", ("jeux", "parc", "place"), "bench",
             objective="R3.07"),
    _Finding("bikes_ok", "mobilier_urbain", True, "Arceaux à vélos installés devant "
             "l'équipement, souvent tous pris.", ("equipement", "commerces", "ecole"),
             "bikes", objective="R3.07", when="jour"),
    # -- sécurité
    _Finding("rodeo", "securite", False, "Rodéos de motos le soir sur le parking : bruit et "
             "danger pour les enfants qui jouent encore dehors.", ("parking", "jeux"),
             "tyre_marks", "Présence de la police municipale aux heures critiques et "
             "barrières aux entrées.", "« On n'ose plus laisser les enfants descendre après "
             "19 heures. »", (1, 1), ("police_municipale", "ville"), objective="R5.08",
             when="nuit"),
    _Finding("underpass", "securite", False, "Passage sous la tour {tower} sombre et sans "
             "visibilité : les femmes disent le contourner.", ("passage", "hall"),
             "underpass", "Éclairer le passage, peindre les murs en clair et couper la haie "
             "qui masque la sortie.", "« Je fais le tour par la rue, même si c'est plus "
             "long. »", (1, 2), ("bailleur",), True, "R5.07", "nuit",
             fixed="Passage repeint en clair et éclairé : on voit l'autre côté, les femmes "
             "l'empruntent de nouveau.", fixed_scene="lamp_on"),
    _Finding("mediators_ok", "securite", True, "Présence des médiateurs le soir, appréciée : "
             "les jeunes les connaissent et les saluent.", ("place", "jeux", "commerces"),
             "street_lit", objective="R5.06", when="nuit"),
    _Finding("visible_ok", "securite", True, "On voit et on est vu : place dégagée, "
             "commerces ouverts et fenêtres qui donnent dessus.", ("place", "commerces"),
             "shops_open", objective="R5.07"),
    _Finding("hall_groups", "securite", False, "Regroupements dans le hall de la tour "
             "{tower} le soir : les locataires se sentent mal à l'aise pour rentrer.", _HALL,
             "hall_dark", "Rencontre entre le bailleur, les médiateurs et les locataires.",
             "", (2, 2), ("bailleur",), True, "R5.07", "nuit"),
    # -- signalétique
    _Finding("no_sign", "signaletique", False, "Aucun panneau pour trouver la maison de "
             "santé depuis l'arrêt de bus.", ("arret", "place", "equipement"),
             "sign_missing", "Poser des panneaux directionnels vers les équipements.", "",
             (3, 3), ("ville",), objective="R3.07", when="jour",
             fixed="Panneaux directionnels posés : la maison de santé est indiquée depuis "
             "l'arrêt.", fixed_scene="sign"),
    _Finding("numbers", "signaletique", False, "Numéros des bâtiments illisibles : les "
             "secours et les livreurs ne trouvent pas les entrées.", _HALL, "hall_door",
             "Repeindre les numéros en grand, visibles de la rue.", "", (2, 3),
             ("bailleur",), True, "R3.05", fixed="Numéros des entrées repeints en grand : "
             "on les lit depuis la rue.", fixed_scene="hall_fresh"),
    _Finding("map_ok", "signaletique", True, "Plan du quartier neuf à l'entrée de la place, "
             "avec les équipements et les arrêts de bus.", ("place", "arret"), "sign",
             objective="R3.07", when="jour"),
    _Finding("mds_sign", "signaletique", False, "La maison des solidarités a déménagé sans "
             "indication : les habitants ne savent plus où aller.", ("equipement", "place"),
             "sign_missing", "Afficher la nouvelle adresse et les horaires à l'ancienne "
             "entrée.", "", (2, 3), ("departement",), objective="R3.07", when="jour"),
    # -- logement et parties communes
    _Finding("door", "logement", False, "Porte du hall de la tour {tower} qui ne ferme "
             "plus, digicode hors service depuis {weeks} semaines.", _HALL, "hall_door",
             "Réparer la porte et remplacer le digicode.", "", (1, 2), ("bailleur",), True,
             "R3.05", fixed="Porte du hall réparée et digicode remplacé à la tour {tower}.",
             still="Porte du hall de la tour {tower} toujours ouverte à tous vents.",
             fixed_scene="hall_fresh"),
    _Finding("cellars", "logement", False, "Caves encombrées et squattées, odeurs dans la "
             "cage d'escalier.", _HALL, "hall_dark", "Vider les caves abandonnées et "
             "sécuriser les accès avec les locataires.", "", (2, 2), ("bailleur",), True,
             "R3.05"),
    _Finding("mailboxes", "logement", False, "Boîtes aux lettres dégradées dans le hall : le "
             "courrier se perd.", _HALL, "mailboxes", "Remplacer les boîtes aux lettres.", "",
             (3, 3), ("bailleur",), True, "R3.05", fixed="Boîtes aux lettres neuves dans le "
             "hall.", fixed_scene="hall_fresh"),
    _Finding("hall_ok", "logement", True, "Hall de la tour {tower} repeint, boîtes aux "
             "lettres neuves : les locataires le remarquent.", _HALL, "hall_fresh", tfpb=True,
             objective="R3.05"),
    _Finding("facades_ok", "logement", True, "Façades rénovées et isolées : les immeubles ont "
             "changé d'allure.", ("hall", "parking"), "facades", objective="R3.03",
             when="jour"),
    # -- commerces et services
    _Finding("shop_closed", "commerces_services", False, "Rideau baissé de l'ancienne "
             "supérette depuis deux ans : la place paraît à l'abandon.",
             ("commerces", "place"), "shop_closed", "Chercher un repreneur avec la Ville et "
             "le bailleur du local ; habiller la vitrine en attendant.", "", (2, 3),
             ("ville",), objective="R1.11"),
    _Finding("shops_ok", "commerces_services", True, "La boulangerie et la pharmacie ouvertes "
             "tard animent la place le soir.", ("commerces", "place"), "shops_open",
             objective="R1.11"),
    # -- transports
    _Finding("shelter_bad", "transports", False, "Arrêt de bus sans abri ni banc, horaires "
             "illisibles.", ("arret",), "shelter_bad", "Installer un abri avec un banc et "
             "des horaires en gros caractères.", "", (2, 2), ("agglomeration",),
             objective="D1.04", fixed="Abri neuf avec banc et horaires lisibles à l'arrêt.",
             fixed_scene="shelter_ok"),
    _Finding("last_bus", "transports", False, "Dernier bus à 20 h 30 : ceux qui travaillent "
             "tard ne peuvent pas rentrer en bus.", ("arret",), "shelter_ok",
             "Prolonger la ligne en soirée, au moins jusqu'à 22 h.", "", (2, 2),
             ("agglomeration",), objective="D1.04", when="nuit"),
    _Finding("shelter_ok", "transports", True, "Abri de bus neuf avec les horaires en temps "
             "réel, apprécié des habitants.", ("arret",), "shelter_ok", objective="D1.04"),
    # -- bruit
    _Finding("noise_vent", "bruit", False, "Ventilation du supermarché bruyante toute la "
             "nuit : les riverains n'en dorment plus.", ("commerces",), "shops_open",
             "Demander au magasin de régler ou d'isoler la ventilation.", "", (3, 3),
             ("ville",), when="nuit"),
    _Finding("city_stade_noise", "bruit", False, "City stade utilisé tard dans la nuit, "
             "ballons contre les grilles : bruit pour les immeubles voisins.", ("jeux",),
             "city_stade", "Fixer des horaires d'ouverture et poser des filets "
             "amortisseurs.", "", (3, 3), ("ville",), objective="R5.07", when="nuit"),
    _Finding("quiet_ok", "bruit", True, "Rue calme le soir depuis la mise en sens unique.",
             ("rue", "place", "hall"), "street_lit", when="nuit"),
    # -- Département
    _Finding("college_fence", "securite", False, "Clôture du collège du Plateau abîmée le "
             "long de la rue des Coteaux, grillage arraché.", ("hall", "parking"), "fence",
             "Remplacer le grillage sur la partie arrachée.", "", (3, 3), ("departement",),
             objective="R3.07", when="jour", only="ma-campagne"),
)
FINDING = {finding.key: finding for finding in FINDINGS}
SCRIPTED = {"rd_crossing": "etang-des-moines", "speed": "champ-de-manoeuvre"}

# Phones the photos come from (journey 4: « one iPhone, two Android »).
PHONES = (("Apple", "iPhone 13"), ("samsung", "SM-A536B"), ("Xiaomi", "Redmi Note 11"))

WEATHER = {
    ("hiver", "nuit"): ("Froid et sec, 3 °C", "Bruine, 6 °C", "Ciel dégagé, 1 °C"),
    ("hiver", "jour"): ("Gris et froid, 7 °C", "Soleil d'hiver, 9 °C"),
    ("mi-saison", "nuit"): ("Doux, 12 °C", "Averses, 10 °C", "Nuageux, 9 °C"),
    ("mi-saison", "jour"): ("Ensoleillé, 17 °C", "Nuageux, 14 °C", "Quelques averses, "
                                                                   "13 °C"),
    ("été", "nuit"): ("Nuit chaude, 22 °C", "Orageux, 24 °C"),
    ("été", "jour"): ("Ensoleillé, 26 °C", "Très chaud, 31 °C"),
}
# Answers by body: (pris en compte, programmé, en cours, résolu) notes.
ANSWERS = {
    "ville": ("Réponse des services techniques : signalement enregistré, passage d'un "
              "agent prévu.",),
    "bailleur": ("Logélia (agence de proximité) a pris en compte le signalement.",
                 "Réponse écrite de Logélia : demande enregistrée auprès du gardien."),
    "agglomeration": ("GrandAngoulême : demande transmise au service concerné.",),
    "departement": ("Le Département étudie la demande avec son agence technique.",),
    "police_municipale": ("La police municipale annonce des passages renforcés en soirée.",),
}
SENT_NOTES = {
    "courrier": ("Dossier envoyé par courrier avec les photos.",
                 "Courrier signé par les référents, avec le plan et les photos."),
    "mail": ("Envoyé par courriel avec le compte rendu du diagnostic.",
             "Dossier transmis par courriel au correspondant du quartier."),
}
RESOLVED_NOTES = ("Constaté sur place par les membres du conseil : c'est fait.",
                  "Intervention faite, vérifiée lors de la réunion GUP.",
                  "Confirmé par téléphone, vérifié sur place la semaine suivante.")


# -- drawing the photos ------------------------------------------------------------------
# Simple, colourful scenes: a sky and ground gradient, buildings at the back and what the
# observation is about in front (a lamp post, bins, a bench…). Every shape comes from the
# photo's own seeded generator, so the same seed gives the same bytes.

Colour = tuple[int, int, int]


@dataclass
class _Shot:
    """A photo to draw and write: its file, what it shows, its EXIF."""

    path: Path  # relative to the walk's folder: phone folder / file name
    seed: int
    scene: str
    night: bool
    overcast: bool
    taken: dt.datetime
    make: str
    model: str
    gps: tuple[float, float] | None
    portrait: bool = False  # held upright: stored sideways with EXIF orientation 6
    children: bool = False
    copies: tuple[Path, ...] = ()  # the same file, shared into another phone's folder
    # where it goes once imported
    stop: int | None = None  # a stop's index in the walk (a view of the stop)
    observation: int | None = None  # an observation's index in the walk
    identifiable: bool = False
    caption: str = ""


def _gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    strip = Image.new("RGB", (1, 64))
    strip.putdata([tuple(round(t + (b - t) * i / 63) for t, b in zip(top, bottom,
                                                                       strict=True))
                   for i in range(64)])
    return strip.resize(size, Image.Resampling.BILINEAR)


def _mix(a: Colour, b: Colour, share: float) -> Colour:
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


class _Scene:
    """One photo being drawn: ``u`` is the unit of length (a 1200-pixel short side)."""

    def __init__(self, shot: _Shot) -> None:
        self.rng = rng = random.Random(shot.seed)
        self.night = shot.night
        w, h = PHOTO_SIZE
        self.w, self.h = (h, w) if shot.portrait else (w, h)
        self.u = min(self.w, self.h) / 1200
        self.horizon = round(self.h * rng.uniform(0.4, 0.5))
        if shot.night:
            sky, ground = ((8, 12, 34), (36, 46, 82)), ((58, 58, 64), (30, 31, 36))
        elif shot.overcast:
            sky, ground = ((146, 154, 166), (208, 210, 214)), ((150, 149, 144),
                                                               (104, 105, 102))
        else:
            sky = ((rng.randint(50, 90), rng.randint(118, 150), rng.randint(200, 236)),
                   (188, 214, 238))
            ground = ((172, 170, 162), (116, 116, 110))
        self.image = Image.new("RGB", (self.w, self.h))
        self.image.paste(_gradient((self.w, self.horizon), *sky), (0, 0))
        self.image.paste(_gradient((self.w, self.h - self.horizon), *ground),
                         (0, self.horizon))
        self.draw = ImageDraw.Draw(self.image)
        self.ground_y = self.horizon + (self.h - self.horizon) * 0.45

    def dim(self, colour: Colour, share: float = 0.62) -> Colour:
        """A colour as seen at night."""
        return _mix(colour, (20, 22, 34), share) if self.night else colour

    def box(self, x0: float, y0: float, x1: float, y1: float, colour: Colour,
            outline: Colour | None = None, width: float = 0) -> None:
        self.draw.rectangle((x0, y0, x1, y1), fill=self.dim(colour),
                            outline=self.dim(outline) if outline else None,
                            width=max(1, round(width * self.u)) if outline else 0)

    def disc(self, x: float, y: float, r: float, colour: Colour, ry: float | None = None
             ) -> None:
        self.draw.ellipse((x - r, y - (ry or r), x + r, y + (ry or r)), fill=self.dim(colour))

    def line(self, points: Sequence[tuple[float, float]], colour: Colour, width: float
             ) -> None:
        self.draw.line(list(points), fill=self.dim(colour), width=max(1, round(width * self.u)),
                       joint="curve")

    def poly(self, points: Sequence[tuple[float, float]], colour: Colour) -> None:
        self.draw.polygon(list(points), fill=self.dim(colour))

    # -- the back: buildings with windows ---------------------------------------------

    def backdrop(self, count: int = 0, tall: bool = False) -> None:
        rng, u = self.rng, self.u
        count = count or rng.randint(2, 4)
        facades = ((226, 214, 190), (236, 228, 214), (212, 196, 170), (200, 206, 216),
                   (234, 220, 196), (222, 200, 186))
        x = -rng.uniform(0, 120) * u
        for _i in range(count):
            width = rng.uniform(0.22, 0.42) * self.w
            top = self.horizon - rng.uniform(0.35 if tall else 0.15, 0.75 if tall else 0.5
                                             ) * self.horizon
            colour = rng.choice(facades)
            self.box(x, top, x + width, self.horizon + 4 * u, colour)
            step_x, step_y = 52 * u, 64 * u
            wx = x + 22 * u
            while wx + 26 * u < x + width - 12 * u:
                wy = top + 26 * u
                while wy + 32 * u < self.horizon - 14 * u:
                    if self.night:
                        lit = rng.random() < 0.4
                        fill = (250, 212, 120) if lit else (26, 28, 40)
                        self.draw.rectangle((wx, wy, wx + 26 * u, wy + 32 * u), fill=fill)
                    else:
                        self.box(wx, wy, wx + 26 * u, wy + 32 * u, (104, 124, 146))
                    wy += step_y
                wx += step_x
            x += width + rng.uniform(40, 180) * u
            if x > self.w:
                break

    def pavement(self, y: float | None = None, colour: Colour = (196, 192, 184)) -> float:
        """A pavement band in front; returns its top edge."""
        top = y if y is not None else self.ground_y - 40 * self.u
        self.box(0, top, self.w, self.h, colour)
        self.box(0, top, self.w, top + 10 * self.u, (150, 148, 142))
        return top

    def road(self) -> None:
        self.box(0, self.horizon + 6 * self.u, self.w, self.ground_y - 40 * self.u,
                 (84, 86, 90))

    # -- things ---------------------------------------------------------------------

    def lamp(self, x: float, base: float, on: bool) -> None:
        u, height = self.u, (base - self.horizon) + self.horizon * 0.55
        top = base - height
        if on and self.night:
            for i, r in enumerate((300, 230, 170, 115, 70)):
                colour = _mix((44, 52, 86), (255, 228, 150), (i + 1) / 5)
                self.draw.ellipse((x + 70 * u - r * u, top + 20 * u - r * u,
                                   x + 70 * u + r * u, top + 20 * u + r * u), fill=colour)
            self.draw.polygon([(x + 40 * u, top + 30 * u), (x + 100 * u, top + 30 * u),
                               (x + 260 * u, base + 30 * u), (x - 120 * u, base + 30 * u)],
                              fill=(96, 92, 72))
        self.box(x - 9 * u, top, x + 9 * u, base, (64, 68, 74))
        self.box(x - 9 * u, top, x + 80 * u, top + 12 * u, (64, 68, 74))
        head = (255, 236, 170) if on else (70, 72, 76)
        self.draw.polygon([(x + 40 * u, top + 12 * u), (x + 100 * u, top + 12 * u),
                           (x + 90 * u, top + 32 * u), (x + 50 * u, top + 32 * u)],
                          fill=head if on and self.night else self.dim(head))

    def bin(self, x: float, base: float, colour: Colour, size: float = 1.0) -> None:
        u = self.u * size
        self.box(x, base - 170 * u, x + 120 * u, base - 10 * u, colour)
        self.box(x - 6 * u, base - 184 * u, x + 126 * u, base - 166 * u, _mix(colour, (0, 0, 0),
                                                                            0.25))
        for wx in (x + 18 * u, x + 102 * u):
            self.disc(wx, base - 8 * u, 12 * u, (30, 30, 30))

    def bags(self, x: float, base: float, count: int) -> None:
        for _i in range(count):
            r = self.rng.uniform(24, 46) * self.u
            colour = self.rng.choice(((30, 30, 32), (60, 60, 66), (220, 220, 214),
                                      (40, 70, 140)))
            self.disc(x + self.rng.uniform(-90, 90) * self.u, base - r * 0.8, r, colour,
                      r * 0.8)

    def tree(self, x: float, base: float, size: float = 1.0) -> None:
        u = self.u * size
        self.box(x - 14 * u, base - 260 * u, x + 14 * u, base, (104, 78, 52))
        for dx, dy, r, g in ((-60, -300, 110, 120), (60, -310, 115, 134), (0, -390, 125, 146)):
            self.disc(x + dx * u, base + dy * u, r * u, (52, g, 60))

    def bench(self, x: float, base: float, broken: bool = False) -> None:
        u = self.u
        wood, metal = (156, 104, 60), (60, 64, 70)
        for lx in (x + 20 * u, x + 240 * u):
            self.box(lx, base - (40 if broken else 90) * u, lx + 16 * u, base, metal)
        if broken:
            self.box(x + 10 * u, base - 8 * u, x + 150 * u, base, wood)
            return
        self.box(x, base - 96 * u, x + 280 * u, base - 80 * u, wood)
        for i in range(3):
            y = base - (130 + 24 * i) * u
            self.box(x, y, x + 280 * u, y + 16 * u, wood)

    def car(self, x: float, base: float, colour: Colour, wreck: bool = False,
            size: float = 1.0) -> None:
        u = self.u * size
        body = _mix(colour, (120, 110, 100), 0.5) if wreck else colour
        self.draw.rounded_rectangle((x, base - 110 * u, x + 420 * u, base - 30 * u),
                                    radius=round(26 * u), fill=self.dim(body))
        self.poly([(x + 80 * u, base - 108 * u), (x + 130 * u, base - 180 * u),
                   (x + 290 * u, base - 180 * u), (x + 350 * u, base - 108 * u)], body)
        glass = (40, 44, 50) if wreck else (150, 190, 220)
        self.poly([(x + 100 * u, base - 110 * u), (x + 140 * u, base - 166 * u),
                   (x + 206 * u, base - 166 * u), (x + 206 * u, base - 110 * u)], glass)
        self.poly([(x + 218 * u, base - 110 * u), (x + 218 * u, base - 166 * u),
                   (x + 282 * u, base - 166 * u), (x + 330 * u, base - 110 * u)], glass)
        for wx in (x + 90 * u, x + 330 * u):
            self.disc(wx, base - 30 * u, 40 * u, (24, 24, 26), 26 * u if wreck else 40 * u)
            self.disc(wx, base - 30 * u, 16 * u, (150, 150, 150), 10 * u if wreck else 16 * u)

    def child(self, x: float, base: float) -> None:
        rng, u = self.rng, self.u
        skin = rng.choice(((240, 200, 170), (198, 150, 110), (140, 96, 64), (92, 62, 42)))
        shirt = rng.choice(((220, 60, 60), (60, 120, 220), (250, 190, 40), (90, 180, 90),
                            (200, 90, 200)))
        self.box(x - 12 * u, base - 70 * u, x - 2 * u, base, (40, 50, 90))
        self.box(x + 2 * u, base - 70 * u, x + 12 * u, base, (40, 50, 90))
        self.box(x - 20 * u, base - 150 * u, x + 20 * u, base - 66 * u, shirt)
        self.disc(x, base - 176 * u, 26 * u, skin)
        self.draw.chord((x - 27 * u, base - 204 * u, x + 27 * u, base - 160 * u), 180, 360,
                        fill=self.dim(rng.choice(((30, 20, 14), (90, 60, 30), (20, 20, 20)))))

    def facade(self, door_open: bool = False, fresh: bool = False, dark: bool = False,
               tags: bool = False, number: bool = True) -> tuple[float, float]:
        """A building's entrance seen from close: the wall fills the picture."""
        rng, u = self.rng, self.u
        wall = rng.choice(((238, 232, 220), (250, 240, 214), (226, 236, 240))) if fresh \
            else rng.choice(((196, 186, 170), (180, 176, 168)))
        self.box(0, 0, self.w, self.ground_y, wall)
        if fresh:
            self.box(0, self.ground_y - 260 * u, self.w, self.ground_y - 220 * u,
                     rng.choice(((64, 140, 190), (220, 120, 60), (90, 160, 110))))
        x0 = self.w / 2 - 170 * u
        glass = (40, 40, 48) if dark else ((190, 210, 220) if not self.night
                                           else (250, 226, 160))
        frame = (90, 94, 100)
        self.box(x0 - 20 * u, self.ground_y - 560 * u, x0 + 360 * u, self.ground_y, frame)
        self.box(x0, self.ground_y - 540 * u, x0 + 340 * u, self.ground_y, glass)
        if door_open:
            self.poly([(x0 + 170 * u, self.ground_y - 540 * u),
                       (x0 + 260 * u, self.ground_y - 510 * u),
                       (x0 + 260 * u, self.ground_y + 20 * u), (x0 + 170 * u, self.ground_y)],
                      _mix(glass, frame, 0.5))
        self.line([(x0 + 170 * u, self.ground_y - 540 * u), (x0 + 170 * u, self.ground_y)],
                  frame, 10)
        if number:
            colour = (30, 90, 160) if fresh else (150, 146, 140)
            self.box(x0 + 400 * u, self.ground_y - 520 * u, x0 + 500 * u,
                     self.ground_y - 420 * u, colour)
        self.pavement(self.ground_y, (176, 172, 164))
        if tags:
            self.scribbles(0, self.ground_y - 400 * u, self.w, self.ground_y - 40 * u, 9)
        return x0, self.ground_y

    def scribbles(self, x0: float, y0: float, x1: float, y1: float, count: int) -> None:
        rng = self.rng
        for _i in range(count):
            colour = rng.choice(((220, 40, 60), (30, 30, 30), (40, 90, 200), (230, 180, 30),
                                 (150, 60, 200)))
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
            points = [(x, y)]
            for _j in range(rng.randint(4, 8)):
                x += rng.uniform(-90, 110) * self.u
                y += rng.uniform(-60, 60) * self.u
                points.append((x, y))
            self.line(points, colour, rng.uniform(8, 16))

    def grass(self, top: float, colour: Colour = (92, 156, 72)) -> None:
        self.box(0, top, self.w, self.h, colour)

    def shelter(self, x: float, base: float, good: bool) -> None:
        u = self.u
        if not good:
            self.box(x, base - 420 * u, x + 14 * u, base, (90, 94, 100))
            self.box(x - 40 * u, base - 440 * u, x + 54 * u, base - 380 * u, (40, 120, 60))
            self.box(x - 28 * u, base - 360 * u, x + 42 * u, base - 300 * u, (200, 200, 196))
            return
        self.box(x, base - 400 * u, x + 520 * u, base - 380 * u, (60, 64, 72))
        for px in (x, x + 506 * u):
            self.box(px, base - 380 * u, px + 14 * u, base, (60, 64, 72))
        self.box(x + 14 * u, base - 380 * u, x + 506 * u, base - 60 * u, (170, 200, 214))
        self.box(x + 60 * u, base - 130 * u, x + 340 * u, base - 110 * u, (120, 90, 60))
        self.box(x + 380 * u, base - 330 * u, x + 480 * u, base - 190 * u,
                 (250, 250, 240) if not self.night else (255, 240, 190))

    def sign_board(self, x: float, base: float, blank: bool = False) -> None:
        rng, u = self.rng, self.u
        self.box(x - 8 * u, base - 360 * u, x + 8 * u, base, (80, 84, 90))
        if blank:
            return
        self.box(x - 180 * u, base - 480 * u, x + 180 * u, base - 260 * u, (250, 250, 246),
                 (40, 90, 160), 10)
        for _i in range(6):
            bx = x + rng.uniform(-160, 100) * u
            by = base + rng.uniform(-460, -300) * u
            self.box(bx, by, bx + rng.uniform(30, 80) * u, by + 30 * u,
                     rng.choice(((110, 180, 110), (220, 200, 120), (160, 170, 190))))

    def crossing(self, faded: bool) -> None:
        u, top = self.u, self.horizon + 10 * self.u
        self.poly([(self.w * 0.3, top), (self.w * 0.7, top), (self.w * 1.1, self.h),
                   (-self.w * 0.1, self.h)], (80, 82, 86))
        stripes = 7
        for i in range(stripes):
            share0, share1 = (i + 0.15) / stripes, (i + 0.65) / stripes
            y0 = top + (self.h - top) * share0 * share0
            y1 = top + (self.h - top) * share1 * share1
            half0 = (0.2 + 0.4 * share0 * share0) * self.w
            half1 = (0.2 + 0.4 * share1 * share1) * self.w
            colour = (132, 132, 130) if faded and self.rng.random() < 0.7 else (236, 236, 232)
            self.poly([(self.w / 2 - half0 * 0.6, y0), (self.w / 2 + half0 * 0.6, y0),
                       (self.w / 2 + half1 * 0.6, y1), (self.w / 2 - half1 * 0.6, y1)], colour)
        del u

    def playground(self, closed: bool) -> None:
        u, base = self.u, self.ground_y + 120 * self.u
        x = self.w * 0.2
        self.line([(x, base), (x + 140 * u, base - 420 * u), (x + 280 * u, base)],
                  (220, 60, 50), 18)
        self.line([(x + 140 * u, base - 420 * u), (x + 620 * u, base - 420 * u)],
                  (220, 60, 50), 18)
        self.line([(x + 480 * u, base), (x + 620 * u, base - 420 * u), (x + 760 * u, base)],
                  (220, 60, 50), 18)
        for sx in (x + 300 * u, x + 420 * u):
            self.line([(sx, base - 410 * u), (sx, base - 130 * u)], (60, 60, 60), 5)
            self.box(sx - 40 * u, base - 134 * u, sx + 40 * u, base - 116 * u, (250, 200, 40))
        sx = self.w * 0.68
        self.box(sx, base - 360 * u, sx + 16 * u, base, (60, 120, 200))
        self.box(sx + 90 * u, base - 360 * u, sx + 106 * u, base, (60, 120, 200))
        for i in range(6):
            y = base - 60 * u * (i + 1)
            self.box(sx, y, sx + 106 * u, y + 10 * u, (60, 120, 200))
        self.poly([(sx + 106 * u, base - 360 * u), (sx + 130 * u, base - 380 * u),
                   (sx + 420 * u, base - 20 * u), (sx + 380 * u, base)], (250, 180, 40))
        if closed:
            for i in range(9):
                y0 = base - (300 - 8 * i) * u
                colour = (230, 40, 40) if i % 2 else (250, 250, 250)
                self.line([(sx - 60 * u + i * 60 * u, y0), (sx + i * 60 * u, y0 + 6 * u)],
                          colour, 10)


def _draw_scene(scene: _Scene, kind: str) -> None:
    s, rng, u = scene, scene.rng, scene.u
    w, h, ground = s.w, s.h, s.ground_y
    colours = ((180, 40, 40), (40, 80, 160), (220, 220, 214), (40, 40, 44), (120, 130, 140),
               (200, 150, 40))
    if kind in ("lamp_off", "lamp_on", "dark_path", "street_lit", "parking_lit"):
        s.backdrop()
        if kind == "dark_path":
            s.grass(ground - 30 * u, (40, 60, 40))
            s.poly([(w * 0.42, s.horizon + 20 * u), (w * 0.58, s.horizon + 20 * u),
                    (w * 0.9, h), (w * 0.1, h)], (70, 70, 72))
            s.lamp(w * 0.82, s.horizon + 40 * u, on=False)
            return
        s.road()
        top = s.pavement()
        if kind in ("street_lit", "parking_lit"):
            for i in range(rng.randint(1, 3)):
                s.car(w * (0.05 + 0.32 * i), top - 6 * u, rng.choice(colours), size=0.8)
            s.lamp(w * 0.72, top + 60 * u, on=True)
            s.lamp(w * 0.18, top + 20 * u, on=True)
        else:
            s.lamp(w * rng.uniform(0.35, 0.6), top + 80 * u, on=kind == "lamp_on")
    elif kind in ("bins_full", "bins_clean", "bulky"):
        s.backdrop(tall=True)
        top = s.pavement()
        base = top + 220 * u
        x = w * rng.uniform(0.15, 0.3)
        for i, colour in enumerate(((60, 120, 70), (230, 190, 40), (90, 94, 100))):
            s.bin(x + i * 160 * u, base, colour)
        if kind == "bins_full":
            s.bags(x + 200 * u, base + 40 * u, 8)
        elif kind == "bulky":
            s.poly([(x + 480 * u, base), (x + 520 * u, base - 330 * u),
                    (x + 620 * u, base - 320 * u), (x + 590 * u, base + 10 * u)], (214, 200, 170))
            s.box(x + 640 * u, base - 200 * u, x + 860 * u, base, (132, 94, 60))
            s.box(x + 660 * u, base - 180 * u, x + 840 * u, base - 110 * u, (112, 78, 48))
            s.box(x + 880 * u, base - 170 * u, x + 1010 * u, base, (236, 236, 232))
            s.bags(x + 300 * u, base + 30 * u, 4)
    elif kind in ("lawn", "park_bench", "garden", "trees", "hedge", "path_litter", "bench",
                  "bench_broken"):
        s.backdrop(count=2)
        s.grass(s.horizon + 4 * u)
        if kind == "garden":
            for i in range(4):
                x0 = w * 0.08 + i * w * 0.23
                s.box(x0, ground, x0 + w * 0.18, ground + 160 * u, (120, 84, 52))
                for _j in range(14):
                    s.disc(x0 + rng.uniform(10, w * 0.17), ground + rng.uniform(-10, 140) * u,
                           rng.uniform(10, 22) * u, rng.choice(((40, 140, 60), (80, 170, 70),
                                                               (220, 60, 60), (240, 200, 60))))
        elif kind == "hedge":
            top = s.pavement(ground + 80 * u)
            for _j in range(16):
                s.disc(rng.uniform(-40, w * 0.55), top - rng.uniform(0, 240) * u + 40 * u,
                       rng.uniform(70, 130) * u, (46, rng.randint(96, 130), 50))
        elif kind == "path_litter":
            s.poly([(w * 0.44, s.horizon + 10 * u), (w * 0.56, s.horizon + 10 * u),
                    (w * 0.85, h), (w * 0.15, h)], (190, 180, 160))
            for _j in range(18):
                s.disc(rng.uniform(0.05, 0.95) * w, rng.uniform(ground, h), 10 * u,
                       rng.choice(((240, 240, 240), (220, 40, 40), (40, 100, 200))), 6 * u)
        else:
            for i in range(rng.randint(2, 3)):
                s.tree(w * (0.15 + 0.35 * i) + rng.uniform(-40, 40) * u,
                       ground + rng.uniform(0, 60) * u, rng.uniform(0.8, 1.2))
            if kind in ("park_bench", "bench", "bench_broken"):
                s.bench(w * 0.4, ground + 260 * u, broken=kind == "bench_broken")
            if kind == "lawn":
                for _j in range(12):
                    s.disc(rng.uniform(0.05, 0.95) * w, rng.uniform(ground + 60 * u, h),
                           9 * u, (96, 70, 40), 6 * u)
    elif kind in ("playground", "playground_closed", "city_stade"):
        s.backdrop()
        s.grass(s.horizon + 4 * u, (96, 150, 80) if kind != "city_stade" else (60, 130, 80))
        if kind == "city_stade":
            for i in range(14):
                x = w * i / 13
                s.line([(x, s.horizon - 120 * u), (x, ground + 200 * u)], (70, 80, 90), 6)
            s.line([(0, s.horizon - 120 * u), (w, s.horizon - 120 * u)], (70, 80, 90), 8)
            s.box(w * 0.4, ground - 40 * u, w * 0.6, ground + 60 * u, (240, 240, 240))
            s.lamp(w * 0.85, ground + 160 * u, on=True)
        else:
            s.playground(closed=kind == "playground_closed")
    elif kind in ("pavement_bad", "pavement_ok", "kerb_high", "kerb_ok", "pothole", "steps",
                  "steps_ok", "tyre_marks", "fence"):
        s.backdrop()
        if kind in ("kerb_high", "kerb_ok", "pothole", "tyre_marks"):
            s.road()
        top = s.pavement(ground - 120 * u if kind in ("pavement_bad", "pavement_ok")
                         else None)
        if kind == "pavement_bad":
            for _j in range(7):
                x, y = rng.uniform(0.1, 0.9) * w, rng.uniform(top + 40 * u, h - 40 * u)
                s.line([(x, y), (x + rng.uniform(-200, 200) * u, y + rng.uniform(30, 160) * u),
                        (x + rng.uniform(-260, 260) * u, y + rng.uniform(100, 300) * u)],
                       (70, 68, 64), 7)
            s.poly([(w * 0.3, top + 260 * u), (w * 0.55, top + 200 * u),
                    (w * 0.62, top + 300 * u), (w * 0.35, top + 360 * u)], (150, 146, 138))
            s.tree(w * 0.18, top + 30 * u)
        elif kind == "pavement_ok":
            for i in range(1, 6):
                s.line([(0, top + i * 120 * u), (w, top + i * 120 * u)], (176, 172, 166), 3)
            s.tree(w * 0.8, top + 30 * u, 0.9)
        elif kind in ("kerb_high", "kerb_ok"):
            x = w * 0.45
            if kind == "kerb_ok":
                s.poly([(x, top), (x + 300 * u, top), (x + 340 * u, top + 10 * u),
                        (x - 40 * u, top + 10 * u)], (170, 166, 160))
                s.box(x + 20 * u, top + 40 * u, x + 280 * u, top + 120 * u, (210, 190, 120))
            else:
                s.box(0, top - 30 * u, w, top + 10 * u, (120, 118, 112))
        elif kind == "pothole":
            s.disc(w * 0.5, (s.horizon + top) / 2 + 60 * u, 220 * u, (40, 38, 36), 70 * u)
            s.disc(w * 0.5, (s.horizon + top) / 2 + 64 * u, 180 * u, (90, 110, 130), 52 * u)
        elif kind == "tyre_marks":
            for i in range(5):
                r = (200 + 80 * i) * u
                s.draw.arc((w * 0.5 - r, ground - r * 0.4, w * 0.5 + r, ground + r * 0.4),
                           rng.randint(150, 200), rng.randint(300, 380), fill=(20, 20, 20),
                           width=max(1, round(12 * u)))
        elif kind in ("steps", "steps_ok"):
            for i in range(8):
                y0 = s.horizon + (h - s.horizon) * i / 8
                s.box(w * (0.3 - 0.02 * i), y0, w * (0.7 + 0.02 * i), y0 + 30 * u,
                      (150, 146, 140))
            if kind == "steps_ok":
                s.line([(w * 0.28, s.horizon - 80 * u), (w * 0.12, h - 100 * u)], (60, 120, 190),
                       14)
                s.line([(w * 0.72, s.horizon - 80 * u), (w * 0.88, h - 100 * u)], (60, 120, 190),
                       14)
        else:  # fence
            for i in range(20):
                x = w * i / 19
                s.line([(x, s.horizon - 200 * u), (x, top)], (80, 110, 80), 5)
            s.line([(0, s.horizon - 200 * u), (w, s.horizon - 200 * u)], (80, 110, 80), 8)
            s.poly([(w * 0.4, s.horizon - 190 * u), (w * 0.62, s.horizon - 160 * u),
                    (w * 0.56, top), (w * 0.44, top - 40 * u)], (150, 150, 140))
    elif kind in ("crossing_faded", "crossing_ok"):
        s.backdrop()
        s.crossing(faded=kind == "crossing_faded")
        s.sign_board(w * 0.88, ground + 80 * u, blank=kind == "crossing_faded")
    elif kind in ("wrecks", "cars", "sidewalk_cars", "street_cars"):
        s.backdrop()
        if kind == "street_cars":
            s.road()
        top = s.pavement() if kind != "cars" else ground - 40 * u
        if kind == "cars":
            s.box(0, top, w, h, (90, 92, 96))
            for i in range(6):
                s.line([(w * i / 5, top + 20 * u), (w * i / 5 - 60 * u, h)], (230, 230, 226), 8)
        for i in range(rng.randint(2, 3)):
            x = w * (0.02 + 0.34 * i)
            base = top + (140 if kind != "street_cars" else 0) * u
            s.car(x, base, rng.choice(colours), wreck=kind == "wrecks" and i != 1,
                  size=0.95)
        if kind == "sidewalk_cars":
            s.sign_board(w * 0.9, top + 120 * u)
    elif kind in ("shelter_bad", "shelter_ok", "shelter_litter"):
        s.backdrop()
        s.road()
        top = s.pavement()
        s.shelter(w * 0.25, top + 160 * u, good=kind != "shelter_bad")
        if kind == "shelter_litter":
            s.bags(w * 0.7, top + 260 * u, 6)
            s.bin(w * 0.78, top + 200 * u, (60, 120, 70), 0.7)
            s.bags(w * 0.82, top + 60 * u, 3)
    elif kind in ("sign", "sign_missing"):
        s.backdrop()
        top = s.pavement()
        s.sign_board(w * 0.5, top + 200 * u, blank=kind == "sign_missing")
    elif kind in ("hall_door", "hall_dark", "hall_fresh", "graffiti", "mural", "mailboxes",
                  "underpass", "facades"):
        if kind == "facades":
            s.backdrop(count=3, tall=True)
            top = s.pavement()
            for i in range(3):
                x = w * (0.05 + 0.32 * i)
                s.box(x, s.horizon - 300 * u, x + w * 0.26, top - 4 * u,
                      rng.choice(((236, 170, 100), (120, 180, 200), (240, 230, 210))))
            return
        if kind == "underpass":
            s.box(0, 0, w, ground, (120, 116, 110))
            s.poly([(w * 0.25, ground), (w * 0.25, ground - 420 * u), (w * 0.75, ground - 420 * u),
                    (w * 0.75, ground)], (14, 14, 18))
            s.pavement(ground, (110, 108, 104))
            s.scribbles(w * 0.05, ground - 380 * u, w * 0.24, ground - 40 * u, 4)
            return
        if kind == "mural":
            s.box(0, 0, w, ground, (230, 226, 214))
            for _j in range(9):
                s.disc(rng.uniform(0, w), rng.uniform(0.1, 0.9) * ground,
                       rng.uniform(60, 160) * u, rng.choice(((240, 120, 60), (60, 160, 200),
                                                             (250, 210, 60), (120, 190, 90),
                                                             (200, 90, 160))))
            s.pavement(ground)
            return
        if kind == "mailboxes":
            s.box(0, 0, w, h, (200, 196, 186))
            for row in range(4):
                for col in range(6):
                    x0, y0 = w * 0.12 + col * 150 * u, h * 0.18 + row * 170 * u
                    bent = rng.random() < 0.3
                    s.box(x0, y0, x0 + 130 * u, y0 + 150 * u, (150, 150, 156), (90, 90, 96), 4)
                    if bent:
                        s.poly([(x0, y0), (x0 + 130 * u, y0 + 20 * u), (x0 + 110 * u, y0 + 80 * u),
                                (x0 - 10 * u, y0 + 60 * u)], (120, 120, 126))
            return
        s.facade(door_open=kind == "hall_door", fresh=kind == "hall_fresh",
                 dark=kind == "hall_dark", tags=kind == "graffiti")
    elif kind in ("shop_closed", "shops_open"):
        s.box(0, 0, w, ground, (214, 206, 194))
        for i in range(3):
            x0 = w * (0.04 + 0.33 * i)
            x1 = x0 + w * 0.29
            if kind == "shop_closed" and i == 1:
                s.box(x0, ground - 520 * u, x1, ground, (150, 150, 150))
                for j in range(26):
                    y = ground - 520 * u + j * 20 * u
                    s.line([(x0, y), (x1, y)], (120, 120, 120), 3)
                s.scribbles(x0, ground - 460 * u, x1, ground - 80 * u, 4)
                continue
            awning = rng.choice(((200, 50, 50), (40, 120, 80), (40, 90, 170), (220, 160, 40)))
            s.box(x0, ground - 600 * u, x1, ground - 520 * u, awning)
            glow = (255, 230, 170) if s.night else (200, 220, 230)
            s.draw.rectangle((x0, ground - 500 * u, x1, ground - 60 * u), fill=glow)
            s.box(x0 + w * 0.1, ground - 380 * u, x0 + w * 0.19, ground, (120, 90, 60))
        s.pavement(ground)
    elif kind == "bikes":
        s.backdrop()
        top = s.pavement()
        for i in range(5):
            x = w * 0.12 + i * 190 * u
            s.draw.arc((x, top + 60 * u, x + 140 * u, top + 260 * u), 180, 360,
                       fill=s.dim((80, 84, 90)), width=max(1, round(14 * u)))
            if i % 2 == 0:
                for wx in (x - 20 * u, x + 160 * u):
                    s.draw.ellipse((wx - 70 * u, top + 120 * u, wx + 70 * u, top + 260 * u),
                                   outline=s.dim((30, 30, 30)), width=max(1, round(10 * u)))
                s.line([(x - 20 * u, top + 190 * u), (x + 70 * u, top + 110 * u),
                        (x + 160 * u, top + 190 * u)], rng.choice(colours), 12)
    else:
        raise ValueError(f"no picture for {kind!r}")


def _children(scene: _Scene) -> None:
    for i in range(scene.rng.randint(2, 3)):
        scene.child(scene.w * (0.3 + 0.2 * i) + scene.rng.uniform(-40, 40) * scene.u,
                    scene.h - scene.rng.uniform(40, 140) * scene.u)


def _exif(shot: _Shot) -> bytes:
    exif = Image.Exif()
    stamp = shot.taken.strftime("%Y:%m:%d %H:%M:%S")
    exif[0x010F], exif[0x0110], exif[0x0132] = shot.make, shot.model, stamp
    if shot.portrait:
        exif[0x0112] = 6
    details = exif.get_ifd(0x8769)
    details[0x9003] = details[0x9004] = stamp
    if shot.gps:
        gps = exif.get_ifd(0x8825)
        for (ref_tag, value_tag), value, refs in (((1, 2), shot.gps[0], "NS"),
                                                  ((3, 4), shot.gps[1], "EW")):
            degrees = abs(value)
            whole = int(degrees)
            minutes = int((degrees - whole) * 60)
            seconds = round(((degrees - whole) * 60 - minutes) * 60 * 10000)
            gps[ref_tag] = refs[0] if value >= 0 else refs[1]
            gps[value_tag] = (IFDRational(whole, 1), IFDRational(minutes, 1),
                              IFDRational(seconds, 10000))
    return exif.tobytes()


def _write_photo(folder: Path, shot: _Shot) -> None:
    """Draw the photo and save it as a phone would: sideways when held upright, with the
    EXIF orientation saying how to turn it."""
    scene = _Scene(shot)
    _draw_scene(scene, shot.scene)
    if shot.children:
        _children(scene)
    image = scene.image
    if shot.portrait:  # orientation 6: the upright picture is the stored one turned right
        image = image.transpose(Image.Transpose.ROTATE_90)
    target = folder / shot.path
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, "JPEG", quality=PHOTO_QUALITY, exif=_exif(shot))
    for copy in shot.copies:
        (folder / copy).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, folder / copy)


# -- drawing the plans -------------------------------------------------------------------

def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    from perr_desktop import paths

    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    return ImageFont.truetype(str(paths.resources_dir() / "fonts" / name), size)


def _route_points(plan: _Map, route: Sequence[int]) -> list[tuple[float, float]]:
    """The route through the streets: the shortest way from each stop to the next."""
    graph: dict[tuple[float, float], dict[tuple[float, float], float]] = {}
    for _name, points, _style in plan.streets:
        for a, b in itertools.pairwise(points):
            length = math.dist((a[0] * PLAN_METRES[0], a[1] * PLAN_METRES[1]),
                               (b[0] * PLAN_METRES[0], b[1] * PLAN_METRES[1]))
            graph.setdefault(a, {})[b] = length
            graph.setdefault(b, {})[a] = length
    path = [plan.places[route[0]].at]
    for start, end in itertools.pairwise(route):
        source, target = plan.places[start].at, plan.places[end].at
        distance, previous = {source: 0.0}, {}
        queue = [(0.0, source)]
        while queue:
            length, node = heapq.heappop(queue)
            if node == target:
                break
            if length > distance[node]:
                continue
            for other, step in graph[node].items():
                if length + step < distance.get(other, math.inf):
                    distance[other], previous[other] = length + step, node
                    heapq.heappush(queue, (length + step, other))
        leg, node = [], target
        while node != source:
            leg.append(node)
            node = previous[node]
        path += reversed(leg)
    return path


def _write_plan(target: Path, plan: _Map, route: Sequence[int], subtitle: str) -> None:
    """A clean schematic map: streets as grey bands with their names, green spaces,
    labelled buildings, the route as a dotted line; the pins are the application's."""
    width, height = PLAN_PIXELS
    image = Image.new("RGB", PLAN_PIXELS, (246, 244, 238))
    draw = ImageDraw.Draw(image)

    def px(point: tuple[float, float]) -> tuple[float, float]:
        return point[0] * width, point[1] * height

    small, label, bold = _font(18), _font(20), _font(26, bold=True)
    for name, (x0, y0, x1, y1) in plan.green:
        draw.rounded_rectangle((*px((x0, y0)), *px((x1, y1))), radius=18,
                               fill=(204, 228, 192), outline=(160, 200, 150), width=2)
        draw.text(px(((x0 + x1) / 2, y1 - 0.03)), name, font=small, fill=(60, 110, 60),
                  anchor="mm")
    if plan.water:
        draw.ellipse((*px(plan.water[:2]), *px(plan.water[2:])), fill=(176, 210, 236),
                     outline=(130, 180, 220), width=3)
        draw.text(px(((plan.water[0] + plan.water[2]) / 2, (plan.water[1] + plan.water[3]) / 2)),
                  "Étang", font=small, fill=(50, 100, 150), anchor="mm")
    for name, (x0, y0, x1, y1) in plan.buildings:
        draw.rectangle((*px((x0, y0)), *px((x1, y1))), fill=(232, 222, 206),
                       outline=(200, 186, 166), width=2)
        centre = px(((x0 + x1) / 2, (y0 + y1) / 2))
        text = name if draw.textlength(name, font=small) < (x1 - x0) * width - 8 \
            else name.replace(" ", "\n", 1)
        draw.multiline_text(centre, text, font=small, fill=(110, 96, 80), anchor="mm",
                            align="center")
    widths = {"major": 34, "minor": 24, "path": 10}
    for layer in ("edge", "fill"):
        for _name, points, style in plan.streets:
            line = [px(p) for p in points]
            if style == "path":
                if layer == "fill":
                    draw.line(line, fill=(214, 196, 160), width=widths[style], joint="curve")
                continue
            if layer == "edge":
                draw.line(line, fill=(176, 176, 172), width=widths[style] + 6, joint="curve")
            else:
                draw.line(line, fill=(214, 214, 210) if style == "minor" else (204, 204, 200),
                          width=widths[style], joint="curve")
    # The route: a dot every 16 pixels along the way.
    path = [px(p) for p in _route_points(plan, route)]
    carry = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(path):
        length = math.dist((x0, y0), (x1, y1))
        position = carry
        while position < length:
            x, y = x0 + (x1 - x0) * position / length, y0 + (y1 - y0) * position / length
            draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=(214, 72, 52))
            position += 16
        carry = position - length
    # Street names beside their longest stretch that leaves room (inside the picture,
    # clear of the title and the north arrow), turned to read along it.
    reserved = ((0, 0, 570, 128), (width - 100, 0, width, 124), (0, height - 60, 260, height))
    for name, points, style in plan.streets:
        font = label if style != "path" else small
        size = draw.textbbox((0, 0), name, font=font)
        flat = Image.new("RGBA", (size[2] + 8, size[3] + 8), (0, 0, 0, 0))
        ImageDraw.Draw(flat).text((4, 4), name, font=font,
                                  fill=(70, 70, 70, 255) if style != "path" else (120, 96, 60,
                                                                                   255))
        offset = 30 if style != "path" else 20  # beside the band and the route, not on it
        spots = []
        for a, b in sorted(itertools.pairwise(points),
                           key=lambda pair: -math.dist(px(pair[0]), px(pair[1]))):
            (x0, y0), (x1, y1) = px(a), px(b)
            angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
            angle = angle - 180 if angle > 90 else angle + 180 if angle < -90 else angle
            tile = flat.rotate(-angle, expand=True, resample=Image.Resampling.BICUBIC)
            normal = math.radians(angle - 90)
            for share in (0.3, 0.7, 0.5):
                left = round(x0 + (x1 - x0) * share + math.cos(normal) * offset
                             - tile.width / 2)
                top = round(y0 + (y1 - y0) * share + math.sin(normal) * offset
                            - tile.height / 2)
                spots.append((tile, left, top))
        for tile, left, top in spots:
            right, bottom = left + tile.width, top + tile.height
            if 8 <= left and right <= width - 8 and 8 <= top and bottom <= height - 8 and \
                    not any(left < x1 and x0 < right and top < y1 and y0 < bottom
                            for x0, y0, x1, y1 in reserved):
                break
        else:
            tile, left, top = spots[0]
            left = min(max(left, 8), width - 8 - tile.width)
            top = min(max(top, 8), height - 8 - tile.height)
        image.paste(tile, (left, top), tile)
    # Title, north arrow, scale.
    draw.rounded_rectangle((20, 20, 560, 118), radius=12, fill=(255, 255, 255),
                           outline=(190, 190, 186), width=2)
    draw.text((40, 34), plan.title, font=bold, fill=(40, 40, 40))
    draw.text((40, 74), subtitle, font=label, fill=(90, 90, 90))
    draw.polygon([(width - 60, 30), (width - 78, 84), (width - 60, 72), (width - 42, 84)],
                 fill=(60, 60, 60))
    draw.text((width - 60, 100), "N", font=label, fill=(60, 60, 60), anchor="mm")
    bar = 100 * width / PLAN_METRES[0]
    draw.rectangle((30, height - 44, 30 + bar, height - 36), fill=(60, 60, 60))
    draw.text((36 + bar, height - 40), "100 m", font=small, fill=(60, 60, 60), anchor="lm")
    image.save(target, "PNG", compress_level=1)


# -- planning and writing the walks ------------------------------------------------------

WALK_FIRST_NAMES = {
    "femme": ("Sophie", "Claire", "Valérie", "Isabelle", "Karine", "Laetitia", "Amandine"),
    "homme": ("Olivier", "Julien", "Arnaud", "Laurent", "Vincent", "Fabrice", "Jérémy"),
}
WALK_SURNAMES = ("Delage", "Fougère", "Rambaud", "Chaigne", "Lavergne", "Bonnin", "Mairand",
                 "Courivaud", "Sauvaget", "Desbordes", "Jamain", "Valade")
CHILDREN_SCENES = {"playground", "park_bench", "garden", "lawn", "bench", "city_stade"}
STOP_SCENES = {"place": "shops_open", "equipement": "sign", "hall": "facades",
               "parking": "cars", "ecole": "crossing_ok", "arret": "shelter_ok",
               "parc": "park_bench", "jeux": "playground", "commerces": "shops_open",
               "passage": "trees", "rue": "street_cars"}
NIGHT_STOP_SCENES = {"hall": "street_lit", "parking": "parking_lit", "passage": "dark_path",
                     "parc": "lamp_on", "equipement": "lamp_on", "place": "street_lit"}


@dataclass
class _Step:
    day: dt.date
    status: str
    channel: str = ""
    note: str = ""
    reminder: dt.date | None = None


@dataclass
class _Note:
    """An observation to write."""

    finding: _Finding
    stop: int | None
    moment: dt.datetime  # local time, when it was typed
    values: dict[str, Any]
    text: str
    positive: bool
    priority: int | None
    proposal: str = ""
    feeling: str = ""
    position: tuple[float, float] | None = None
    histories: dict[str, list[_Step]] = field(default_factory=dict)
    later: dict[str, list[_Step]] = field(default_factory=dict)  # bodies added afterwards
    after: str = ""  # on a repeated walk: "fixed" or "still"
    id: str = ""


@dataclass
class _WalkPlan:
    code: str
    name: str  # its folder among the photos
    route: tuple[int, ...]
    day: dt.date
    period: str
    start: str
    weather: str
    title: str
    notes: str
    previous: _WalkPlan | None = None
    participants: list[tuple[str, str | None, str, str]] = field(default_factory=list)
    counted: int = 0
    arrivals: list[dt.datetime] = field(default_factory=list)
    observations: list[_Note] = field(default_factory=list)
    shots: list[_Shot] = field(default_factory=list)
    walk_id: str = ""
    stop_ids: list[str] = field(default_factory=list)
    dossiers: dict[str, tuple[dt.date, str] | None] = field(default_factory=dict)


def _utc_stamp(moment: dt.datetime) -> str:
    """A local (Paris) time as the records' UTC timestamp."""
    from perr_desktop.domain.meetings import TIMEZONE

    return moment.replace(tzinfo=TIMEZONE).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _month_start(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class _Walks:
    """Plans two walks per council (pure computation, so that their pictures can be drawn
    in the background), then writes them through the services."""

    def __init__(self, builder: _Builder, taken: dict[str, set[dt.date]], seed: int) -> None:
        self.b, self.db, self.today = builder, builder.db, builder.today
        # A generator of their own: the meetings draw the same whatever the walks do.
        self.rng = random.Random(f"{seed}/walks")
        self.taken = {code: set(days) for code, days in taken.items()}
        self.codes = [plan.code for plan in PLANS if plan.code in builder.councils]
        self.plans: list[_WalkPlan] = []
        self.jobs: dict[str, list[Future]] = {}
        self.folder = Path()
        self.observations = self.photos = 0
        self.surnames: list[str] = []
        self.agents: dict[tuple[str, str], str] = {}

    # -- planning ------------------------------------------------------------------------

    def plan(self) -> None:
        rng = self.rng
        # Basseau is journeys 4 and 5: a night walk, walked again a year later.
        others = [code for code in self.codes if code != "basseau-grande-garenne"]
        repeats = {"basseau-grande-garenne", *rng.sample(others, min(len(others),
                                                                   rng.choice((1, 2))))}
        by_day = {rng.choice(others)} if len(others) > 1 else set()  # no night walk there
        for code in self.codes:
            self.plan_council(code, code in repeats, code not in by_day)

    def plan_council(self, code: str, repeat: bool, night: bool) -> None:
        rng, plan = self.rng, MAPS[code]
        if repeat:
            periods = ("nuit", "nuit") if night else ("jour", "jour")
        elif night:
            periods = ("nuit", "jour") if rng.random() < 0.5 else ("jour", "nuit")
        else:
            periods = ("jour", "jour")
        if code == "basseau-grande-garenne":
            periods = ("nuit", "nuit")
        recent = self.walk_day(code, self.today - dt.timedelta(days=rng.randint(15, 40)),
                               periods[1])
        older = self.walk_day(code, recent - dt.timedelta(days=364 + rng.choice((-7, 0, 7))),
                              periods[0])
        first = self.walk(code, "1", plan.routes[0], older, periods[0])
        second = self.walk(code, "2", plan.routes[0] if repeat else plan.routes[1], recent,
                           periods[1], first if repeat else None)
        self.plans += [first, second]

    def walk_day(self, code: str, day: dt.date, period: str) -> dt.date:
        """The nearest earlier day the walk can take place: a weekday evening by night,
        a Wednesday afternoon or a Saturday morning by day; no holiday, no meeting."""
        days = (1, 2, 3) if period == "nuit" else (2, 5)
        for back in range(120):
            candidate = day - dt.timedelta(days=back)
            if candidate.weekday() in days and not _closed(candidate) \
                    and candidate not in self.taken.get(code, set()):
                self.taken.setdefault(code, set()).add(candidate)
                return candidate
        return day

    def start_time(self, day: dt.date, period: str) -> str:
        if period == "jour":
            return "10:00" if day.weekday() == 5 else "14:00"
        # An hour or so after sunset.
        return {11: "18:00", 12: "18:00", 1: "18:00", 2: "19:00", 10: "19:00", 3: "20:00",
                9: "20:30", 4: "21:00", 8: "21:30"}.get(day.month, "21:45")

    def walk(self, code: str, number: str, route: tuple[int, ...], day: dt.date, period: str,
             previous: _WalkPlan | None = None) -> _WalkPlan:
        rng, plan, local = self.rng, MAPS[code], LOCAL[code]
        season = ("hiver" if day.month in (12, 1, 2) else "été" if day.month in (6, 7, 8)
                  else "mi-saison")
        title = f"Diagnostic en marchant {local.of}" + (" (nuit)" if period == "nuit" else "")
        first_stop = plan.places[route[0]].name
        if previous is not None:
            title += ", un an après"
            notes = (f"Même parcours que le {_long_date(previous.day)}, pour comparer avant "
                     f"et après. Rendez-vous : {first_stop}.")
        elif code in self.b.founded and day < self.b.founded[code]:
            notes = ("Organisé par le centre social avec des habitants volontaires, avant le "
                     f"tirage au sort du conseil citoyen. Rendez-vous : {first_stop}.")
        else:
            notes = (f"Parcours préparé en réunion de bureau. Rendez-vous : {first_stop}. "
                     "Restitution prévue à la prochaine séance plénière.")
        walk = _WalkPlan(code, f"{code}-{number}", route, day, period,
                         self.start_time(day, period), rng.choice(WEATHER[(season, period)]),
                         title, notes, previous)
        self.people(walk)
        self.notes(walk)
        self.pictures(walk)
        return walk

    def people(self, walk: _WalkPlan) -> None:
        rng, code = self.rng, walk.code
        walk.participants.append(("animateur", self.b.facilitators[code], "", ""))
        _council_id, members = self.b.councils[code]
        iso = walk.day.isoformat()
        residents = [m for m in members if m.college == "habitants"
                     and (m.left_on is None or m.left_on.isoformat() > iso)]
        if code not in self.b.founded:  # an active council: its members of the day
            residents = [m for m in residents if m.joined_on.isoformat() <= iso]
        named = rng.sample(residents, min(len(residents), rng.randint(3, 5)))
        named.sort(key=lambda m: m.role != "secretaire")
        for i, member in enumerate(named):
            role = "preneur_notes" if i == 0 else "photographe" if i == 1 else "habitant"
            walk.participants.append((role, member.person_id, "", ""))
        if walk.previous is not None:
            partners = [p for p in walk.previous.participants if p[0] == "partenaire"]
        else:
            partners = []
            logelia, city = rng.random() < 0.8, rng.random() < 0.6
            if code == "basseau-grande-garenne" or not (logelia or city):
                logelia = city = True
            for wanted, organisation in ((logelia, "Logélia – agence de proximité"),
                                         (city, MAPS[code].technician)):
                if wanted:  # the same agent comes to each of the council's walks
                    if (code, organisation) not in self.agents:
                        self.agents[(code, organisation)] = self.stranger()
                    partners.append(("partenaire", None, self.agents[(code, organisation)],
                                     organisation))
            police = [p for p in self.b.partners
                      if self.b.directory[p].get("organisation", "").startswith("Police")]
            if walk.period == "nuit" and police and LOCAL[code].town == "Ville d'Angoulême" \
                    and rng.random() < 0.5:
                partners.append(("partenaire", police[0], "", ""))
        walk.participants += partners
        total = 12 if code == "basseau-grande-garenne" and walk.previous is None \
            else rng.randint(6, 14)
        walk.counted = max(0, total - len(named))

    def stranger(self) -> str:
        """Someone who comes for a partner and is not in the directory: a surname of
        their own while there are some left."""
        if not self.surnames:
            self.surnames = list(WALK_SURNAMES)
            self.rng.shuffle(self.surnames)
        gender = self.rng.choice(("femme", "homme"))
        return f"{self.rng.choice(WALK_FIRST_NAMES[gender])} {self.surnames.pop()}"

    def notes(self, walk: _WalkPlan) -> None:
        """The observations, stop by stop, each a few minutes after the last."""
        rng, plan = self.rng, MAPS[walk.code]
        places = [plan.places[i] for i in walk.route]
        wanted = rng.randint(8, 15)
        forced: dict[int, list[tuple[_Finding, dict[str, Any], str]]] = {}
        if walk.previous is not None:
            for note in walk.previous.observations:
                if note.positive or note.stop is None or not (note.finding.fixed
                                                              or note.finding.still):
                    continue
                if note.finding.key != "lamp" and rng.random() < 0.35:
                    continue
                fixed = any(step.status == "resolu" and step.day < walk.day
                            for steps in note.histories.values() for step in steps)
                after = "fixed" if fixed and note.finding.fixed else "still"
                if after == "still" and not note.finding.still:
                    continue
                forced.setdefault(note.stop, []).append((note.finding, note.values, after))
        elif walk.name.endswith("-1"):  # the first walk: its follow-up is the longest
            for key, where in (("lamp", "basseau-grande-garenne"), *SCRIPTED.items()):
                if walk.code != where:
                    continue
                finding = FINDING[key]
                spots = [i for i, place in enumerate(places)
                         if place.kind in finding.kinds]
                stop = 2 if key == "lamp" else spots[-1]
                values = {"n": 12, "weeks": 3} if key == "lamp" else {}
                forced.setdefault(stop, []).append((finding, values, ""))
        used = {finding.key for items in forced.values() for finding, _v, _a in items}
        if walk.previous is not None:  # a problem seen a year ago is not new
            used |= {note.finding.key for note in walk.previous.observations
                     if not note.finding.positive}
        found = [list(forced.get(i, ())) for i in range(len(places))]
        # Something at every stop, then more where there is more to see (three at most).
        for i, place in enumerate(places):
            if not found[i]:
                self.add_finding(walk, place, found[i], used)
        open_stops = [i for i in range(len(places)) if len(found[i]) < 3]
        while sum(map(len, found)) < wanted and open_stops:
            i = rng.choice(open_stops)
            if not self.add_finding(walk, places[i], found[i], used) or len(found[i]) == 3:
                open_stops.remove(i)
        # Strong points and problems, always some of both.
        def strong(finding: _Finding, after: str) -> bool:
            return finding.positive or after == "fixed"

        for positive, least in ((True, 2), (False, 3)):
            for i in rng.sample(range(len(places)), len(places)):
                if sum(strong(f, a) == positive for items in found
                       for f, _v, a in items) >= least:
                    break
                drawn = [k for k, (f, _v, a) in enumerate(found[i])
                         if not a and not f.script and f.positive != positive]
                if sum(map(len, found)) >= 15 or len(found[i]) == 3:
                    if not drawn:
                        continue
                    used.discard(found[i].pop(drawn[-1])[0].key)
                self.add_finding(walk, places[i], found[i], used, positive)
        moment = dt.datetime.combine(walk.day, dt.time.fromisoformat(walk.start)) \
            + dt.timedelta(minutes=rng.randint(8, 14))
        for i, place in enumerate(places):
            walk.arrivals.append(moment - dt.timedelta(seconds=rng.randint(60, 150)))
            for finding, values, after in found[i]:
                walk.observations.append(self.note(walk, i, place, finding, values, after,
                                                   moment))
                moment += dt.timedelta(minutes=rng.randint(6, 9), seconds=rng.randint(0, 59))
            moment += dt.timedelta(minutes=rng.randint(3, 7))

    def add_finding(self, walk: _WalkPlan, place: _Place,
                    items: list[tuple[_Finding, dict[str, Any], str]], used: set[str],
                    positive: bool | None = None) -> bool:
        finding = self.draw_finding(walk.code, place.kind, walk.period, used, positive)
        if finding is None:
            return False
        used.add(finding.key)
        items.append((finding, {}, ""))
        return True

    def draw_finding(self, code: str, kind: str, period: str, used: set[str],
                     positive: bool | None = None) -> _Finding | None:
        """A finding that fits the stop: a strong point about one time in three, unless
        ``positive`` says which is wanted."""
        rng = self.rng
        fitting = [f for f in FINDINGS if kind in f.kinds and f.when in ("", period)
                   and f.key not in used and not f.script and f.only in ("", code)]
        if positive is not None:
            return rng.choice([f for f in fitting if f.positive == positive] or [None])
        positive = rng.random() < 0.38
        pool = [f for f in fitting if f.positive == positive] or fitting
        return rng.choice(pool) if pool else None

    def note(self, walk: _WalkPlan, index: int, place: _Place, finding: _Finding,
             values: dict[str, Any], after: str, moment: dt.datetime) -> _Note:
        rng = self.rng
        # The building is the one the stop is at, if it is at one.
        at = re.search(r"\btour ([A-Z0-9]+)\b", f"{place.name} {place.address}")
        values = {"n": rng.randint(2, 48), "tower": rng.choice(MAPS[walk.code].towers),
                  "weeks": rng.randint(2, 6), **values}
        if at:
            values["tower"] = at.group(1)
        positive = finding.positive or after == "fixed"
        template = finding.fixed if after == "fixed" else finding.still if after == "still" \
            else finding.text
        priority = None if positive else rng.randint(*finding.priority)
        if after == "still" and priority and priority > 1:
            priority -= 1  # not repaired in a year: more urgent now
        position = None
        if rng.random() < 0.85:
            position = tuple(min(0.98, max(0.02, place.at[k] + rng.uniform(-0.03, 0.03)))
                             for k in (0, 1))
        note = _Note(finding, index, moment, values, template.format(**values), positive,
                     priority, "" if positive else finding.proposal,
                     finding.feeling if not after and (finding.feeling and rng.random() < 0.7)
                     else "", position, after=after)  # type: ignore[arg-type]
        if not positive:
            for body in finding.bodies:
                note.histories[body] = self.history(walk, body, finding, note)
        return note

    # -- follow-up -----------------------------------------------------------------------

    def history(self, walk: _WalkPlan, body: str, finding: _Finding, note: _Note
                ) -> list[_Step]:
        """What happened since the walk, up to today: sent a week later, then the
        body's answers (or none)."""
        rng, today = self.rng, self.today
        script = finding.script if walk.previous is None and not note.after else ""
        if finding.key == "lamp" and walk.code == "basseau-grande-garenne" and not note.after \
                and walk.previous is None:
            script = "lamp"
        if body not in walk.dossiers:  # one dossier per body, sent a week after the walk
            recent = (today - walk.day).days < 120
            walk.dossiers[body] = None if recent and rng.random() < 0.15 else (
                walk.day + dt.timedelta(days=rng.randint(5, 9)),
                "courrier" if body in ("ville", "departement") else
                rng.choice(("mail", "mail", "courrier")))
        if walk.dossiers[body] is None:
            return []  # not sent yet
        sent, channel = walk.dossiers[body]  # type: ignore[misc]
        steps = [_Step(sent, "transmis", channel, rng.choice(SENT_NOTES[channel]))]
        day = sent

        def later(low: int, high: int) -> dt.date:
            return day + dt.timedelta(days=rng.randint(low, high))

        if script == "lamp":
            day = later(25, 40)
            planned = _month_start(walk.day, 4)
            steps.append(_Step(day, "programme", "reponse_ecrite",
                               "Remplacement du mât et de la lanterne programmé pour "
                               f"{format_date(planned, 'MMMM yyyy', lang='fr')}.",
                               planned + dt.timedelta(days=15)))
            steps.append(_Step(planned + dt.timedelta(days=rng.randint(3, 20)), "resolu",
                               "reunion_gup", "Lampadaire remplacé ; vérifié de nuit par deux "
                               "membres du conseil."))
        elif script == "reoriente":
            day = later(15, 30)
            steps.append(_Step(day, "reoriente", "reponse_ecrite",
                               "Hors compétence de la Ville : la route de Bordeaux est une "
                               "route départementale. Signalement réorienté vers le "
                               "Département (agence technique territoriale)."))
            day = later(2, 6)
            note.later["departement"] = [
                _Step(day, "transmis", "mail", "Dossier transmis au Département, à la "
                      "demande de la Ville."),
                _Step(later(30, 50), "pris_en_compte", "reponse_ecrite",
                      "Le Département prévoit un comptage des véhicules avant de décider "
                      "d'un aménagement.", None)]
            reply = note.later["departement"][-1]
            reply.reminder = reply.day + dt.timedelta(days=rng.randint(60, 90))
        elif script == "refuse":
            steps.append(_Step(later(20, 45), "refuse", "reponse_ecrite",
                               "La Ville ne pose pas de ralentisseur sur cette voie, "
                               "empruntée par les bus ; des contrôles de vitesse sont "
                               "proposés à la place."))
        else:
            urgent = (note.priority or 3) == 1
            outcome = rng.choices(
                ("silence", "relance", "pris", "programme", "en_cours", "vite"),
                (14, 12, 22, 26 + 8 * urgent, 10, 14 + 8 * urgent))[0]
            answer = rng.choice(ANSWERS.get(body, ANSWERS["ville"]))
            if outcome == "relance":
                steps.append(_Step(later(35, 60), "transmis", "mail",
                                   "Relance par courriel, sans réponse à ce jour."))
            elif outcome in ("pris", "programme", "en_cours"):
                # Some answer straight away with a date for the work.
                if outcome != "programme" or rng.random() < 0.5:
                    day = later(10, 40)
                    reminder = day + dt.timedelta(days=rng.randint(30, 75)) \
                        if outcome == "pris" and rng.random() < 0.7 else None
                    steps.append(_Step(day, "pris_en_compte",
                                       rng.choice(("reponse_ecrite", "mail", "telephone")),
                                       answer, reminder))
                if outcome == "programme":
                    day = later(15, 45) if len(steps) > 1 else later(8, 25)
                    planned = _month_start(day, rng.randint(2, 8))
                    steps.append(_Step(day, "programme", rng.choice(("reponse_ecrite",
                                                                     "reunion_gup")),
                                       "Intervention programmée pour "
                                       f"{format_date(planned, 'MMMM yyyy', lang='fr')}.",
                                       planned + dt.timedelta(days=rng.randint(10, 25))))
                    if rng.random() < 0.6:
                        steps.append(_Step(planned + dt.timedelta(days=rng.randint(0, 25)),
                                           "resolu", rng.choice(("reunion_gup", "telephone",
                                                                 "mail")),
                                           rng.choice(RESOLVED_NOTES)))
                elif outcome == "en_cours":
                    day = later(20, 60)
                    end = _month_start(day, rng.randint(1, 3))
                    steps.append(_Step(day, "en_cours", "reunion_gup",
                                       "Travaux commencés ; fin annoncée pour "
                                       f"{format_date(end, 'MMMM yyyy', lang='fr')}.",
                                       end + dt.timedelta(days=14)))
            elif outcome == "vite":
                steps.append(_Step(later(7, 30), "resolu", rng.choice(("telephone", "mail")),
                                   "Intervention faite dans les jours qui ont suivi l'envoi."))
        note.later = {body: [s for s in history if s.day <= today]
                      for body, history in note.later.items()}
        return [s for s in steps if s.day <= today]

    # -- photos --------------------------------------------------------------------------

    def pictures(self, walk: _WalkPlan) -> None:
        """Who photographed what, with which phone, at what time."""
        rng, plan = self.rng, MAPS[walk.code]
        people = {role: person for role, person, _name, _org in walk.participants}
        facilitator = self.b.directory[people["animateur"]]["first_name"]
        owners = [(facilitator, PHONES[1])]
        if people.get("photographe"):
            owners.append((self.b.directory[people["photographe"]]["first_name"], PHONES[0]))
        if people.get("preneur_notes") and rng.random() < 0.7:
            owners.append((self.b.directory[people["preneur_notes"]]["first_name"],
                           PHONES[2]))
        # Some Android phones have their location turned off.
        located = {phone: not (phone == PHONES[2] and rng.random() < 0.5)
                   for _owner, phone in owners}
        counters = {phone: rng.randint(1200, 8800) for _owner, phone in owners}
        names: set[Path] = set()
        night, overcast = walk.period == "nuit", any(
            word in walk.weather for word in ("Gris", "Nuageux", "averses", "Averses",
                                              "Bruine", "Orageux"))

        def shot(moment: dt.datetime, scene: str, owner_phone: tuple[str, tuple[str, str]],
                 place: _Place, **fields: Any) -> _Shot:
            owner, (make, model) = owner_phone
            if make == "Apple":
                counters[owner_phone[1]] += 1
                name = f"IMG_{counters[owner_phone[1]]:04d}.JPG"
            else:
                name = f"{moment:%Y%m%d_%H%M%S}.jpg"
                if make == "Xiaomi":
                    name = "IMG_" + name
            path = Path(f"{owner} ({model})") / name
            while path in names:  # two shots in the same second: the phone's clock moves on
                moment += dt.timedelta(seconds=1)
                path = path.with_name(("IMG_" if make == "Xiaomi" else "")
                                      + f"{moment:%Y%m%d_%H%M%S}.jpg")
            names.add(path)
            lat, lon = _position(plan, place.at)
            gps = (lat + rng.uniform(-0.00015, 0.00015), lon + rng.uniform(-0.0002, 0.0002)) \
                if located[owner_phone[1]] else None
            return _Shot(path, rng.getrandbits(64), scene, night, overcast, moment, make,
                         model, gps, portrait=make != "Xiaomi" and rng.random() < 0.3,
                         **fields)

        stops = [MAPS[walk.code].places[i] for i in walk.route]
        # A view of a few stops, from the facilitator's phone, on arrival.
        children_wanted = 2 if walk.code == "basseau-grande-garenne" \
            and walk.previous is None else rng.choice((0, 1, 1, 2))
        viewed = sorted(rng.sample(range(len(stops)), rng.randint(2, 3)))
        if children_wanted:
            green = [i for i, place in enumerate(stops) if place.kind in ("parc", "jeux")]
            viewed = sorted(set(viewed) | set(green[:children_wanted]))
        for i in viewed:
            place = stops[i]
            scenes = NIGHT_STOP_SCENES if night else {}
            kids = children_wanted > 0 and place.kind in ("parc", "jeux")
            scene = "playground" if kids else scenes.get(place.kind, STOP_SCENES[place.kind])
            if kids:
                children_wanted -= 1
            walk.shots.append(shot(walk.arrivals[i], scene, owners[0], place, stop=i,
                                   children=kids, identifiable=kids,
                                   caption=f"Vue d'ensemble : {place.name}"))
        for index, note in enumerate(walk.observations):
            place = stops[note.stop] if note.stop is not None else stops[0]
            scene = note.finding.fixed_scene if note.after == "fixed" and \
                note.finding.fixed_scene else note.finding.scene
            kids = children_wanted > 0 and scene in CHILDREN_SCENES
            if kids:
                children_wanted -= 1
            # Within a minute or two of typing it: observations are six minutes apart or
            # more, so the nearest in time is the right one.
            order = rng.sample(owners, len(owners))
            taken = note.moment + dt.timedelta(seconds=rng.randint(-60, 90))
            walk.shots.append(shot(taken, scene, order[0], place, observation=index,
                                   children=kids, identifiable=kids))
            if len(order) > 1 and rng.random() < 0.25:
                walk.shots.append(shot(taken + dt.timedelta(seconds=rng.randint(15, 45)),
                                       scene, order[1], place, observation=index))
        # One photo shared into another phone's folder (same bytes): stored once.
        if len(owners) > 1 and rng.random() < 0.6:
            shared = rng.choice([s for s in walk.shots if s.observation is not None])
            other = next(f"{o} ({p[1]})" for o, p in owners if f"{o} ({p[1]})"
                         != shared.path.parent.name)
            shared.copies = (Path(other) / shared.path.name,)

    # -- writing -------------------------------------------------------------------------

    def draw(self, pool: ThreadPoolExecutor, folder: Path) -> None:
        """Start drawing the plans, then the photos, in the background."""
        self.folder = folder
        for walk in self.plans:
            if walk.previous is None:
                subtitle = "Parcours du diagnostic en marchant" + (
                    " de nuit" if walk.period == "nuit" else "")
                self.jobs[walk.name] = [pool.submit(
                    _write_plan, folder / f"plan-{walk.name}.png", MAPS[walk.code],
                    walk.route, subtitle)]
        for walk in self.plans:
            self.jobs.setdefault(walk.name, []).extend(
                pool.submit(_write_photo, folder / walk.name, shot) for shot in walk.shots)

    def write(self) -> None:
        for walk in self.plans:
            self.write_walk(walk)
        for walk in self.plans:
            self.import_photos(walk)

    def write_walk(self, walk: _WalkPlan) -> None:
        db = self.db
        council_id = self.b.councils[walk.code][0]
        if walk.previous is not None:
            walk.walk_id = walks.repeat_walk(db, walk.previous.walk_id, walk.day.isoformat(),
                                             walk.period)
            walks.update_walk(db, walk.walk_id, title=walk.title, start_time=walk.start,
                              weather=walk.weather, notes=walk.notes,
                              counted_participants=walk.counted)
            walk.stop_ids = [s["id"] for s in walks.stops(db, walk.walk_id)]
        else:
            walk.walk_id = walks.create_walk(db, council_id, walk.title, walk.day.isoformat(),
                                             walk.period, walk.start, walk.weather,
                                             walk.notes)
            walks.update_walk(db, walk.walk_id, counted_participants=walk.counted)
            self.jobs[walk.name][0].result()
            photos.import_plan(db, walk.walk_id, self.folder / f"plan-{walk.name}.png")
            plan = MAPS[walk.code]
            for i in walk.route:
                place = plan.places[i]
                lat, lon = _position(plan, place.at)
                walk.stop_ids.append(walks.add_stop(
                    db, walk.walk_id, place.name, address=place.address,
                    latitude=round(lat, 6), longitude=round(lon, 6), plan_x=place.at[0],
                    plan_y=place.at[1],
                    notes="Point de rendez-vous." if i == walk.route[0] else ""))
        for role, person_id, name, organisation in walk.participants:
            walks.add_participant(db, walk.walk_id, role, person_id, name, organisation)
        plan = MAPS[walk.code]
        for note in walk.observations:
            fields: dict[str, Any] = {}
            if note.position:
                lat, lon = _position(plan, note.position)
                fields = {"plan_x": round(note.position[0], 4),
                          "plan_y": round(note.position[1], 4),
                          "latitude": round(lat, 6), "longitude": round(lon, 6)}
            finding = note.finding
            note.id = walks.add_observation(
                db, walk.walk_id, () if note.positive else finding.bodies,
                stop_id=walk.stop_ids[note.stop] if note.stop is not None else None,
                theme=finding.theme, positive=note.positive, description=note.text,
                feeling=note.feeling, proposal=note.proposal, priority=note.priority,
                objective_code=finding.objective, tags="TFPB" if finding.tfpb else "",
                **fields)
            # Typed in the street: it was noted at that moment (matching photos uses it).
            db.execute("UPDATE observations SET created_at = ? WHERE id = ?",
                       (_utc_stamp(note.moment), note.id))
            self.observations += 1
            self.follow(note)

    def follow(self, note: _Note) -> None:
        """Journey 5: each answer logged, the bodies added when one redirects it."""
        for histories in (note.histories, note.later):
            if not histories:
                continue
            if histories is note.later:
                followups.set_bodies(self.db, note.id, [*note.histories, *note.later])
            ids = {r["body"]: r["id"] for r in self.db.query(
                "SELECT id, body FROM followups WHERE observation_id = ? "
                "AND deleted_at IS NULL", (note.id,))}
            for body, history in histories.items():
                for step in history:
                    followups.add_step(self.db, ids[body], step.status, step.day.isoformat(),
                                       step.channel, step.note,
                                       step.reminder.isoformat() if step.reminder else None)

    def import_photos(self, walk: _WalkPlan) -> None:
        """Journey 4: the phones' folders imported together, photos placed by time, the
        views of the stops placed by hand, the children flagged."""
        db = self.db
        for job in self.jobs[walk.name]:
            job.result()
        report = photos.import_photos(db, walk.walk_id, [self.folder / walk.name])
        if report.skipped:
            raise RuntimeError(f"demonstration photos refused: {report.skipped}")
        by_name = {row["original_name"]: row["id"] for row in walks.photos(db, walk.walk_id)}
        self.photos += len(by_name)
        for shot in walk.shots:
            photo_id = by_name[shot.path.name]
            if shot.stop is not None:
                walks.assign_photo(db, photo_id, stop_id=walk.stop_ids[shot.stop])
            if shot.caption:
                walks.set_caption(db, photo_id, shot.caption)
        walks.match_photos_by_time(db, walk.walk_id)
        for shot in walk.shots:
            if shot.identifiable:
                walks.flag_identifiable(db, by_name[shot.path.name], True)


def _position(plan: _Map, at: tuple[float, float]) -> tuple[float, float]:
    """Latitude and longitude of a point of the plan."""
    latitude = plan.centre[0] + (0.5 - at[1]) * PLAN_METRES[1] / METRES_PER_DEGREE
    longitude = plan.centre[1] + (at[0] - 0.5) * PLAN_METRES[0] / (
        METRES_PER_DEGREE * math.cos(math.radians(plan.centre[0])))
    return latitude, longitude


# -- entry points -------------------------------------------------------------------------


def _already_filled(path: Path) -> UserError:
    return UserError(
        _("The database %(path)s already holds data; choose a new file for the "
          "demonstration.") % {"path": path}
    )


def populate(db, *, seed: int = 2026, today: dt.date | None = None,
             with_walks: bool = True) -> DemoSummary:
    """Fill ``db``, which must hold no council yet, with the five QPV councils, their
    members, two years of meetings ending around ``today`` (those of the coming weeks
    only planned) and two walks each, with their photos (written to the database's media
    folder) and follow-up. The same ``seed`` and ``today`` give the same people, meetings, dates
    and counts.

    ``today`` is the date the data is built around (nothing that happened lies after it);
    it cannot be later than the real date, since the rules refuse consent dates in the
    future. ``with_walks=False`` leaves the walks out (their pictures take most of the
    time: tests of the people and meetings do without).
    """
    rng = random.Random(seed)
    builder = _Builder(db, rng, today or dt.date.today())
    media_folder = paths.media_dir(Path(db.path))
    fresh = not media_folder.exists()
    try:
        with db.transaction():
            if councils.list_councils(db):
                raise _already_filled(db.path)
            council_ids = councils.create_qpv_councils(db)
            builder.run(council_ids)
            calendar = _Meetings(builder)
            calendar.run()
            if not with_walks:
                return DemoSummary(len(council_ids), builder.people, builder.memberships,
                                   calendar.meetings, calendar.actions, 0, 0, 0)
            diagnostics = _Walks(builder, calendar.taken, seed)
            diagnostics.plan()
            # The photos' source files are drawn in the background, into a folder that goes
            # once they are imported: a walk's photos are drawn while the one before is
            # imported (decoding and encoding JPEG lets other threads run).
            with tempfile.TemporaryDirectory(prefix="perr-demo-") as folder:
                pool = ThreadPoolExecutor(max_workers=max(1, min(3, (os.cpu_count() or 2) - 1)),
                                          thread_name_prefix="perr-demo")
                try:
                    diagnostics.draw(pool, Path(folder))
                    diagnostics.write()
                finally:
                    pool.shutdown(wait=True, cancel_futures=True)
    except BaseException:
        # The import wrote the pictures' files before their rows: with the rows rolled
        # back, a media folder this run created holds only orphans.
        if fresh:
            shutil.rmtree(media_folder, ignore_errors=True)
        raise
    return DemoSummary(len(council_ids), builder.people, builder.memberships,
                       calendar.meetings, calendar.actions, len(diagnostics.plans),
                       diagnostics.observations, diagnostics.photos)


def create_demo_database(path: Path | str, size: str = "small") -> DemoSummary:
    """Create (or fill an empty) database at ``path`` with demonstration data.

    A database that already holds councils is refused and left untouched.
    """
    from perr_desktop.storage.database import holds_councils, open_database

    if size not in SIZES:
        raise ValueError(f"unknown demonstration size {size!r}")
    if size == "large":
        from perr_desktop.services import demo_large

        return demo_large.create_large_database(path)
    path = Path(path).expanduser()
    if holds_councils(path):
        raise _already_filled(path)
    with open_database(path) as db:
        return populate(db)

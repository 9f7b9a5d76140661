"""Demonstration data: the five QPV councils of GrandAngoulême with believable members
and two years of their meetings.

Everything is written through the services (never raw inserts), so the demonstration
obeys the same rules as data typed by a facilitator. The people are invented: names are
drawn from pools typical of the neighbourhoods, emails use the reserved ``example.org``
and ``example.net`` domains, phone numbers are random. Meetings go through
``services.meetings`` only: planned (the plénière copied from the last one), attended,
minuted, followed up and approved the way journeys 2 and 3 describe.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perr_desktop.domain.text import search_key
from perr_desktop.errors import UserError
from perr_desktop.i18n import _, format_date, format_number, ngettext
from perr_desktop.services import councils, meetings, people

SIZES = ("small",)

# -- the summary printed by ``perr-desktop demo`` --------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    councils: int
    people: int
    memberships: int
    meetings: int
    actions: int

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
            if age < 21:
                weights = (55, 42, 3, 0)
            elif any(task in item.tasks for item in PREPARATION.values()):
                weights = (5, 5, 85, 5)  # the event they prepared has taken place
            elif task.slow:
                weights = (25, 68, 5, 2) if age < 300 else (25, 55, 12, 8)
            else:
                weights = (10, 38, 46, 6)
            status = rng.choices(("", "en_cours", "fait", "abandonne"), weights)[0]
            if not status:
                continue
            if status == "fait":
                note = task.done
            elif status == "abandonne":
                note = task.dropped
            elif row["status"] == "en_cours":
                note = rng.choice(STILL_OPEN)
            else:
                note = task.doing
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


# -- entry points -------------------------------------------------------------------------


def _already_filled(path: Path) -> UserError:
    return UserError(
        _("The database %(path)s already holds data; choose a new file for the "
          "demonstration.") % {"path": path}
    )


def populate(db, *, seed: int = 2026, today: dt.date | None = None) -> DemoSummary:
    """Fill ``db``, which must hold no council yet, with the five QPV councils, their
    members and two years of meetings ending around ``today`` (those of the coming weeks
    only planned). The same ``seed`` and ``today`` give the same people, meetings, dates
    and counts.

    ``today`` is the date the data is built around (nothing that happened lies after it);
    it cannot be later than the real date, since the rules refuse consent dates in the
    future.
    """
    rng = random.Random(seed)
    builder = _Builder(db, rng, today or dt.date.today())
    with db.transaction():
        if councils.list_councils(db):
            raise _already_filled(db.path)
        council_ids = councils.create_qpv_councils(db)
        builder.run(council_ids)
        calendar = _Meetings(builder)
        calendar.run()
    return DemoSummary(len(council_ids), builder.people, builder.memberships,
                       calendar.meetings, calendar.actions)


def create_demo_database(path: Path | str, size: str = "small") -> DemoSummary:
    """Create (or fill an empty) database at ``path`` with demonstration data.

    A database that already holds councils is refused and left untouched.
    """
    from perr_desktop.storage.database import holds_councils, open_database

    if size not in SIZES:
        raise ValueError(f"unknown demonstration size {size!r}")
    path = Path(path).expanduser()
    if holds_councils(path):
        raise _already_filled(path)
    with open_database(path) as db:
        return populate(db)

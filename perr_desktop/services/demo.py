"""Demonstration data: the five QPV councils of GrandAngoulême with believable members.

Everything is written through the services (never raw inserts), so the demonstration
obeys the same rules as data typed by a facilitator. The people are invented: names are
drawn from pools typical of the neighbourhoods, emails use the reserved ``example.org``
and ``example.net`` domains, phone numbers are random.
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
from perr_desktop.i18n import _, format_number, ngettext
from perr_desktop.services import councils, people

SIZES = ("small",)

# -- the summary printed by ``perr-desktop demo`` --------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    councils: int
    people: int
    memberships: int

    def __str__(self) -> str:
        return ", ".join((
            ngettext("%(count)s council", "%(count)s councils", self.councils)
            % {"count": format_number(self.councils)},
            ngettext("%(count)s person", "%(count)s people", self.people)
            % {"count": format_number(self.people)},
            ngettext("%(count)s membership", "%(count)s memberships", self.memberships)
            % {"count": format_number(self.memberships)},
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
        return people.create_person(self.db, **fields)

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
            self.create_person(
                first_name=f.first_name, last_name=f.last_name, gender=f.gender,
                organisation=f.organisation, lives_in_qpv=False,
                email=f.contact if "@" in f.contact else self.email(f.first_name, f.last_name,
                                                                     professional=True),
                phone=self.landline(),
                **self.consent(dt.date(2024, 1, 8), None, photos_share=1.0),
            )
        for organisation in rng.sample(PARTNERS, rng.randint(4, 6)):
            joined = _day_between(rng, dt.date(2019, 1, 1), LAST_JOINING)
            self.stakeholder(organisation, joined, None)
        for notes in rng.sample(FORMER_PARTICIPANT_NOTES, rng.randint(3, 5)):
            gender = rng.choice(("femme", "homme"))
            birth_year = self.today.year - rng.randint(20, 75)
            first, last = self.name(gender, birth_year)
            self.create_person(
                first_name=first, last_name=last, gender=gender, lives_in_qpv=True,
                birth_year=birth_year, notes=notes,
                phone=self.mobile(),
                email=self.email(first, last) if rng.random() < 0.6 else "",
            )


# -- entry points -------------------------------------------------------------------------


def _already_filled(path: Path) -> UserError:
    return UserError(
        _("The database %(path)s already holds data; choose a new file for the "
          "demonstration.") % {"path": path}
    )


def populate(db, *, seed: int = 2026, today: dt.date | None = None) -> DemoSummary:
    """Fill ``db``, which must hold no council yet, with the five QPV councils and their
    members. The same ``seed`` and ``today`` give the same people, dates and counts.

    ``today`` is the date the data is built around (no date lies after it); it cannot be
    later than the real date, since the rules refuse consent dates in the future.
    """
    rng = random.Random(seed)
    builder = _Builder(db, rng, today or dt.date.today())
    with db.transaction():
        if councils.list_councils(db):
            raise _already_filled(db.path)
        council_ids = councils.create_qpv_councils(db)
        builder.run(council_ids)
    return DemoSummary(len(council_ids), builder.people, builder.memberships)


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

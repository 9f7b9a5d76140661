"""The indicators of docs/indicators.md on a small dataset built through the services,
every expected figure worked out by hand in the comments.

The dataset (:func:`build_dataset`, also used by the export tests):

Councils: A « Ma Campagne », B « Bel-Air Grand Font ».

People (gender, year of birth, lives in the QPV; membership):
    Alice     femme  1990  qpv 1   A habitants        since 2020
    Brigitte  femme  2001  qpv 1   A habitants        since 2020
    Chantal   femme  1950  qpv 1   A acteurs locaux   since 2020 (lives in the QPV, but
                                   her college says partner)
    David     homme  1985  —       A habitants        2020 → left 2025-06-01
    Emma      femme  —     —       A habitants        since 2025-01-01
    Farid     homme  2000  —       B habitants        since 2020
    Gisèle    n.p.   1970  —       B acteurs locaux   since 2020
    Hugo      homme  2010  qpv 1   no council (walks in)
    Inès      femme  1999  —       no council (walks in at M2, created there)

Meetings (P present, R represented, E excused, A absent, · not recorded):
    M0 A plénière 2024-11-20   Alice P, Brigitte A, Chantal P, David E
    M1 A plénière 2025-01-15   objective R3.07 — Alice P, Brigitte P, Chantal R (Alice),
                               David A, Emma P; walk-in Hugo
    M2 A café citoyen 2025-03-10   item D4.01 — Alice P, Brigitte E, Chantal ·, David ·,
                               Emma ·; walk-in Inès; counted 4 (f, 16-25, QPV, first
                               time) + 3 (h, 26-59, not QPV, not first) + 2 (n.p.)
    M3 B inter-conseils 2025-06-20, A invited   item R3.01 — A: Alice P, Brigitte P,
                               Chantal A, Emma E; B: Farid P, Gisèle P; walk-in Hugo
    M6 A plénière 2025-09-15   CANCELLED (Alice had been marked present)
    M9 A bureau 2025-04-01     DELETED (Alice had been marked present)
    M8 B plénière 2025-10-01   item R5.08 — Farid P, Gisèle E
    M4 A bureau 2025-12-31 20:00   objective R3.07, item R3.05 — Alice P, Brigitte P,
                               Chantal P, Emma A
    M5 A plénière 2026-01-01 10:00   Alice P, Brigitte P
    M7 A plénière 2026-06-01   after TODAY: not held yet

Actions: X0 (M0, closed « fait » at M2: 2025-03-10), Y0 (M0, open), Z1 (M1, dropped at
M4: 2025-12-31), V6 (M6, the meeting cancelled since; open), T8 (M8, done at M8:
2025-10-01), W4 (M4, open), U5 (M5, open).

Walks: WA A 2025-05-20 (named: Alice, « Agent de la ville »; 6 counted), WB B 2025-09-01
(named: Farid; 3 counted), W24 A 2024-10-10.
Observations (theme, +/−, objective, bodies → steps):
    O1 WA eclairage −  R3.07  ville: transmis 06-01, résolu 08-10 (70 days);
                               bailleur: transmis 06-01, pris en compte 07-01, reminder
                               2025-08-01
    O2 WA eclairage +  —      —
    O3 WA proprete  −  R3.01  ville: transmis 06-05, résolu 09-13 (100 days)
    O4 WA voirie    −  D4.01  agglomeration: transmis 06-10, refusé 07-10
    O5 WA (no theme) −  —     ville: à transmettre (no step)
    O6 WA proprete  −  —      REMOVED
    O9 WA mobilier  −  —      ville: transmis 06-01, résolu 07-01, en cours 07-15
                               (reopened)
    O8 WB securite  −  R5.08  police_municipale: transmis 2025-09-10
    O7 W24 proprete −  —      ville: transmis 2024-10-20, résolu 2025-01-29 (101 days)

TODAY (the services' and the figures' today) is 2026-03-01.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from perr_desktop.errors import UserError
from perr_desktop.services import councils, followups, indicators, meetings, people, walks
from perr_desktop.services.indicators import Filters
from perr_desktop.storage import reference
from perr_desktop.storage.database import open_database

TODAY = dt.date(2026, 3, 1)


def _followup(db, observation_id: str, body: str) -> str:
    return db.scalar("SELECT id FROM followups WHERE observation_id = ? AND body = ? "
                     "AND deleted_at IS NULL", (observation_id, body))


def build_dataset(path: Path) -> dict[str, str]:
    """The dataset of the module docstring at ``path``; returns the ids by name."""
    ids: dict[str, str] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(meetings, "_today", lambda: dt.date(2030, 1, 1))
        mp.setattr(followups, "_today", lambda: TODAY)
        with open_database(path) as db:
            _build(db, ids)
    return ids


def _build(db, ids: dict[str, str]) -> None:
    a = ids["A"] = councils.create_council(db, "Ma Campagne", status="actif")
    b = ids["B"] = councils.create_council(db, "Bel-Air Grand Font", status="actif")

    def person(name, gender, birth_year, qpv, council=None, college="habitants",
               joined="2020-01-01", left=None):
        pid = people.create_person(db, first_name=name, last_name="Test", gender=gender,
                                   birth_year=birth_year, lives_in_qpv=qpv,
                                   email=f"{name.lower()}@example.org", phone="05 45 00 00 00")
        if council:
            people.add_membership(db, council, pid, college, joined_on=joined, left_on=left)
        ids[name] = pid
        return pid

    alice = person("Alice", "femme", 1990, True, a)
    brigitte = person("Brigitte", "femme", 2001, True, a)
    chantal = person("Chantal", "femme", 1950, True, a, "acteurs_locaux")
    david = person("David", "homme", 1985, None, a, left="2025-06-01")
    emma = person("Emma", "femme", None, None, a, joined="2025-01-01")
    farid = person("Farid", "homme", 2000, None, b)
    gisele = person("Gisèle", "non_precise", 1970, None, b, "acteurs_locaux")
    hugo = person("Hugo", "homme", 2010, True)

    def meeting(name, council, kind, starts, title=None, **kw):
        ids[name] = meetings.plan_meeting(db, council, kind, title or f"Séance {name}",
                                          starts, **kw)
        return ids[name]

    def attend(mid, statuses):
        # Present first: a proxy must be held by someone present.
        for pid, status in sorted(statuses.items(), key=lambda i: i[1] != "present"):
            if status == "represente":
                meetings.set_attendance(db, mid, pid, status, proxy_person_id=alice)
            else:
                meetings.set_attendance(db, mid, pid, status)

    m0 = meeting("M0", a, "pleniere", "2024-11-20T18:00")
    attend(m0, {alice: "present", brigitte: "absent", chantal: "present", david: "excuse"})
    ids["X0"] = meetings.add_action(db, m0, "Écrire au bailleur")
    ids["Y0"] = meetings.add_action(db, m0, "Inviter la police municipale")

    m1 = meeting("M1", a, "pleniere", "2025-01-15T18:00", objective_codes=["R3.07"])
    attend(m1, {alice: "present", brigitte: "present", chantal: "represente",
                david: "absent", emma: "present"})
    meetings.add_walk_in(db, m1, hugo)
    ids["Z1"] = meetings.add_action(db, m1, "Organiser un diagnostic de nuit")

    m2 = meeting("M2", a, "cafe_citoyen", "2025-03-10T14:00")
    meetings.add_agenda_item(db, m2, "Les jeunes et le quartier", objective_code="D4.01")
    attend(m2, {alice: "present", brigitte: "excuse"})
    ids["Inès"] = meetings.add_walk_in(db, m2, first_name="Inès", last_name="Test",
                                       gender="femme", birth_year=1999,
                                       email="ines@example.org")
    meetings.set_headcount(db, m2, "femme", "16_25", True, True, 4)
    meetings.set_headcount(db, m2, "homme", "26_59", False, False, 3)
    meetings.set_headcount(db, m2, "non_precise", "non_precise", None, None, 2)
    meetings.follow_up_action(db, m2, ids["X0"], "fait")

    m3 = meeting("M3", b, "inter_conseils", "2025-06-20T18:00", guest_council_ids=[a])
    meetings.add_agenda_item(db, m3, "Le projet urbain", objective_code="R3.01")
    attend(m3, {alice: "present", brigitte: "present", chantal: "absent", emma: "excuse",
                farid: "present", gisele: "present"})
    meetings.add_walk_in(db, m3, hugo)

    m6 = meeting("M6", a, "pleniere", "2025-09-15T18:00")
    attend(m6, {alice: "present"})
    ids["V6"] = meetings.add_action(db, m6, "Préparer la fête de quartier")
    meetings.cancel_meeting(db, m6)

    m9 = meeting("M9", a, "bureau", "2025-04-01T18:00")
    attend(m9, {alice: "present"})
    meetings.delete_meeting(db, m9)

    m8 = meeting("M8", b, "pleniere", "2025-10-01T18:00")
    meetings.add_agenda_item(db, m8, "Sécurité", objective_code="R5.08")
    attend(m8, {farid: "present", gisele: "excuse"})
    ids["T8"] = meetings.add_action(db, m8, "Demander un éclairage")
    meetings.update_action(db, ids["T8"], status="fait")

    m4 = meeting("M4", a, "bureau", "2025-12-31T20:00", objective_codes=["R3.07"])
    meetings.add_agenda_item(db, m4, "Les lampadaires", objective_code="R3.05")
    attend(m4, {alice: "present", brigitte: "present", chantal: "present", emma: "absent"})
    meetings.follow_up_action(db, m4, ids["Z1"], "abandonne")
    ids["W4"] = meetings.add_action(db, m4, "Relancer la ville")

    m5 = meeting("M5", a, "pleniere", "2026-01-01T10:00")
    attend(m5, {alice: "present", brigitte: "present"})
    ids["U5"] = meetings.add_action(db, m5, "Bilan de l'année")
    meeting("M7", a, "pleniere", "2026-06-01T18:00")

    # -- walks ------------------------------------------------------------------------
    wa = ids["WA"] = walks.create_walk(db, a, "Diagnostic de Ma Campagne", "2025-05-20")
    walks.update_walk(db, wa, counted_participants=6)
    walks.add_participant(db, wa, "habitant", person_id=alice)
    walks.add_participant(db, wa, "partenaire", name="Agent de la ville")
    s1 = ids["S1"] = walks.add_stop(db, wa, "Place du marché", latitude=45.6300,
                                    longitude=0.1600)
    walks.add_stop(db, wa, "Parking", address="Rue sans position")

    def observe(name, walk_id, bodies=(), **fields):
        ids[name] = walks.add_observation(db, walk_id, bodies=bodies,
                                          description=f"Constat {name}", **fields)
        return ids[name]

    def step(observation, body, status, day, **kw):
        followups.add_step(db, _followup(db, ids[observation], body), status, day, **kw)

    observe("O1", wa, ["ville", "bailleur"], theme="eclairage", positive=False,
            objective_code="R3.07", stop_id=s1, priority=1, proposal="Réparer")
    observe("O2", wa, theme="eclairage", positive=True, latitude=45.6310, longitude=0.1610)
    observe("O3", wa, ["ville"], theme="proprete", positive=False, objective_code="R3.01",
            latitude=45.6520, longitude=0.1550)
    observe("O4", wa, ["agglomeration"], theme="voirie", positive=False,
            objective_code="D4.01")
    observe("O5", wa, ["ville"], positive=False)
    observe("O6", wa, ["ville"], theme="proprete", positive=False, stop_id=s1)
    walks.remove_observation(db, ids["O6"])
    observe("O9", wa, ["ville"], theme="mobilier_urbain", positive=False)
    step("O1", "ville", "transmis", "2025-06-01", channel="courrier")
    step("O1", "ville", "resolu", "2025-08-10")
    step("O1", "bailleur", "transmis", "2025-06-01")
    step("O1", "bailleur", "pris_en_compte", "2025-07-01", next_reminder_on="2025-08-01",
         note="=HYPERLINK(\"http://x\")")
    step("O3", "ville", "transmis", "2025-06-05")
    step("O3", "ville", "resolu", "2025-09-13")
    step("O4", "agglomeration", "transmis", "2025-06-10")
    step("O4", "agglomeration", "refuse", "2025-07-10")
    step("O9", "ville", "transmis", "2025-06-01")
    step("O9", "ville", "resolu", "2025-07-01")
    step("O9", "ville", "en_cours", "2025-07-15")

    wb = ids["WB"] = walks.create_walk(db, b, "Diagnostic de Bel-Air", "2025-09-01")
    walks.update_walk(db, wb, counted_participants=3)
    walks.add_participant(db, wb, "habitant", person_id=farid)
    observe("O8", wb, ["police_municipale"], theme="securite", positive=False,
            objective_code="R5.08", latitude=45.6440, longitude=0.1470)
    step("O8", "police_municipale", "transmis", "2025-09-10")

    w24 = ids["W24"] = walks.create_walk(db, a, "Diagnostic 2024", "2024-10-10")
    observe("O7", w24, ["ville"], theme="proprete", positive=False)
    step("O7", "ville", "transmis", "2024-10-20")
    step("O7", "ville", "resolu", "2025-01-29")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    path = tmp_path_factory.mktemp("indicators") / "perr.sqlite"
    ids = build_dataset(path)
    return path, ids


@pytest.fixture
def data(dataset):
    path, ids = dataset
    with open_database(path) as db:
        yield db, ids


def figures(db, filters: Filters) -> dict:
    return indicators.compute(db, filters, today=TODAY)


# -- filters ----------------------------------------------------------------------------

def test_filters_helpers():
    year = Filters.year(2025, ["a"])
    assert (year.start, year.end, year.council_ids) == (dt.date(2025, 1, 1),
                                                        dt.date(2026, 1, 1), ("a",))
    q4 = Filters.quarter(2025, 4)
    assert (q4.start, q4.end, q4.council_ids) == (dt.date(2025, 10, 1), dt.date(2026, 1, 1),
                                                  None)
    q2 = Filters.quarter(2025, 2, objective_code="R3")
    assert (q2.start, q2.end, q2.objective_code) == (dt.date(2025, 4, 1),
                                                     dt.date(2025, 7, 1), "R3")
    with pytest.raises(ValueError):
        Filters.quarter(2025, 5)
    with pytest.raises(ValueError):
        Filters(start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 1))
    assert Filters(council_ids=["x", "y"], start=dt.date(2025, 1, 1),
                   end=dt.date(2025, 2, 1)).council_ids == ("x", "y")


def test_objective_subtree_in_the_database(data):
    db, _ids = data
    assert indicators.objective_subtree(db, "R3.07") == ["R3.07"]
    assert indicators.objective_subtree(db, "R3") == ["R3"] + [f"R3.0{n}" for n in
                                                                range(1, 9)]
    pillar = indicators.objective_subtree(db, "R")
    assert pillar[0] == "R" and {"R1", "R3.07", "R4.04.1", "R5.09"} <= set(pillar)
    assert not any(code.startswith("D") for code in pillar)
    with pytest.raises(UserError):
        indicators.objective_subtree(db, "Z9")


def test_compute_reads_one_state_and_leaves_no_transaction_open(data):
    db, _ids = data
    alone = figures(db, Filters.year(2025))
    assert not db.conn.in_transaction
    with db.transaction():  # inside a caller's transaction: that one is used
        assert figures(db, Filters.year(2025)) == alone
        assert db.conn.in_transaction
    assert not db.conn.in_transaction


def test_years_with_data(data):
    db, _ids = data
    # M0 and W24 in 2024; 2025; M5 and M7 (planned) in 2026.
    assert indicators.years_with_data(db) == [2024, 2025, 2026]


def test_unknown_council_or_objective_is_a_user_error(data):
    db, _ids = data
    with pytest.raises(UserError):
        figures(db, Filters.year(2025, ["00000000-0000-4000-8000-000000000000"]))
    with pytest.raises(UserError):
        figures(db, Filters.year(2025, objective_code="R9.99"))


def test_result_is_json_ready_with_stable_keys(data):
    import json

    db, ids = data
    result = figures(db, Filters.year(2025, [ids["A"]]))
    assert json.loads(json.dumps(result)) == result
    assert list(result) == ["filters", "meetings", "participants", "members", "actions",
                            "observations", "walks", "perr"]
    assert result["filters"] == {
        "council_ids": [ids["A"]], "start": "2025-01-01", "end": "2026-01-01",
        "objective_code": None, "objective_codes": None, "today": "2026-03-01"}


# -- meetings -----------------------------------------------------------------------------

def test_meetings_held_in_2025(data):
    db, _ids = data
    meetings_ = figures(db, Filters.year(2025))["meetings"]
    # M1, M2, M3, M4 (31 Dec at 20:00 is still 2025) and M8; not M6 (cancelled), M9
    # (deleted), M0 (2024), M5 (1 Jan 2026).
    assert meetings_["held"] == 5
    # plénière M1 + M8 = 2; café M2; inter-conseils M3; bureau M4.
    assert meetings_["by_kind"] == {"bureau": 1, "cafe_citoyen": 1, "inter_conseils": 1,
                                    "pleniere": 2}
    # Twelve months, the empty ones with 0: January M1, March M2, June M3, October M8,
    # December M4.
    assert meetings_["per_month"] == [
        {"month": f"2025-{m:02d}", "n": 1 if m in (1, 3, 6, 10, 12) else 0}
        for m in range(1, 13)]


def test_council_filter_counts_the_meetings_a_council_was_invited_to(data):
    db, ids = data
    # A hosts M1, M2, M4 and was invited to M3 (hosted by B): 4.
    assert figures(db, Filters.year(2025, [ids["A"]]))["meetings"]["held"] == 4
    # B hosts M3 and M8: 2.
    assert figures(db, Filters.year(2025, [ids["B"]]))["meetings"]["held"] == 2
    # Both: M3 counted once: 4 + 2 − 1 = 5.
    both = figures(db, Filters.year(2025, [ids["A"], ids["B"]]))
    assert both["meetings"]["held"] == 5
    assert [m["meeting_id"] for m in both["participants"]["per_meeting"]] == [
        ids["M1"], ids["M2"], ids["M3"], ids["M8"], ids["M4"]]


def test_period_boundaries_end_excluded(data):
    db, ids = data

    def held(filters):
        return [m["meeting_id"] for m in figures(db, filters)["participants"]["per_meeting"]]

    # The evening of 31 December belongs to that day, the morning of 1 January to the
    # next year.
    assert held(Filters.between(dt.date(2025, 12, 31), dt.date(2026, 1, 1))) == [ids["M4"]]
    assert held(Filters.between(dt.date(2026, 1, 1), dt.date(2026, 1, 2))) == [ids["M5"]]
    assert held(Filters.quarter(2025, 4)) == [ids["M8"], ids["M4"]]
    assert held(Filters.quarter(2025, 2)) == [ids["M3"]]
    # M3 is on 20 June: a period ending on 20 June (excluded) leaves it out.
    assert held(Filters.between(dt.date(2025, 6, 1), dt.date(2025, 6, 20))) == []
    assert held(Filters.between(dt.date(2025, 6, 20), dt.date(2025, 6, 21))) == [ids["M3"]]
    # 2026 on 1 March 2026: M5 is held, M7 (1 June) has not taken place yet.
    assert held(Filters.year(2026)) == [ids["M5"]]


# -- participants ---------------------------------------------------------------------------

def test_participants_2025(data):
    db, ids = data
    p = figures(db, Filters.year(2025))["participants"]
    # Per meeting, named present + counted:
    #   M1 Alice, Brigitte, Emma + Hugo (walk-in)    = 4 + 0 = 4
    #   M2 Alice + Inès (walk-in)                     = 2 + 9 = 11  (4 + 3 + 2 counted)
    #   M3 Alice, Brigitte, Farid, Gisèle + Hugo      = 5 + 0 = 5
    #   M8 Farid                                      = 1 + 0 = 1
    #   M4 Alice, Brigitte, Chantal                   = 3 + 0 = 3
    by_id = {m["meeting_id"]: (m["named"], m["counted"], m["participants"])
             for m in p["per_meeting"]}
    assert by_id == {ids["M1"]: (4, 0, 4), ids["M2"]: (2, 9, 11), ids["M3"]: (5, 0, 5),
                     ids["M8"]: (1, 0, 1), ids["M4"]: (3, 0, 3)}
    m2 = next(m for m in p["per_meeting"] if m["meeting_id"] == ids["M2"])
    assert m2 == {"meeting_id": ids["M2"], "date": "2025-03-10", "title": "Séance M2",
                  "kind": "cafe_citoyen", "council_id": ids["A"], "named": 2, "counted": 9,
                  "participants": 11}
    # Chantal represented at M1, excused/absent members: not participants.
    assert p["total"] == 24                  # 4 + 11 + 5 + 1 + 3
    assert p["named"] == 15                  # 4 + 2 + 5 + 1 + 3
    assert p["walk_ins"] == 3                # Hugo at M1 and M3, Inès at M2
    assert p["counted"] == 9
    assert p["average_per_meeting"] == pytest.approx(24 / 5)   # 4.8
    # Named people present at least once: Alice, Brigitte, Emma, Hugo, Inès, Farid,
    # Gisèle, Chantal = 8; plus the 9 counted (never deduplicated): 17.
    assert p["distinct_named"] == 8
    assert p["distinct"] == 17


def test_share_of_women_2025(data):
    db, _ids = data
    p = figures(db, Filters.year(2025))["participants"]
    # Participations of women: Alice ×4 (M1, M2, M3, M4), Brigitte ×3 (M1, M3, M4),
    # Emma ×1, Inès ×1, Chantal ×1 = 10, + 4 counted women = 14.
    # Men: Hugo ×2, Farid ×2 = 4, + 3 counted = 7. Not given: Gisèle ×1 + 2 counted = 3.
    assert p["gender"] == {"femme": 14, "homme": 7, "non_precise": 3}
    # 14 women out of 21 participations with a known gender (24 − 3) = 0.667.
    assert p["women_share"] == pytest.approx(14 / 21)


def test_share_of_under_25s_2025_25_included(data):
    db, _ids = data
    p = figures(db, Filters.year(2025))["participants"]
    # Age reached in 2025: Alice 35 (26-59), Brigitte 24 (16-25), Chantal 75 (60+),
    # Emma unknown, Hugo 15 (under 16), Inès 26 (26-59: just over), Farid 25 (16-25: 25
    # is included), Gisèle 55 (26-59).
    #   under 16: Hugo ×2                                   = 2
    #   16-25:    Brigitte ×3 + Farid ×2 = 5, + 4 counted   = 9
    #   26-59:    Alice ×4 + Inès + Gisèle = 6, + 3 counted = 9
    #   60+:      Chantal ×1                                = 1
    #   unknown:  Emma ×1 + 2 counted                       = 3
    assert p["age_bands"] == {"moins_16": 2, "16_25": 9, "26_59": 9, "60_plus": 1,
                              "non_precise": 3}
    # (2 + 9) under 25 out of 21 with a known age (24 − 3) = 0.524.
    assert p["under_25_share"] == pytest.approx(11 / 21)


def test_age_is_the_age_reached_in_the_year_of_the_meeting(data):
    db, _ids = data
    # 1 January 2026 (M5): Brigitte (2001) is 25 → still under 25; Alice 36.
    p = figures(db, Filters.year(2026))["participants"]
    assert p["age_bands"]["16_25"] == 1 and p["age_bands"]["26_59"] == 1
    assert p["under_25_share"] == pytest.approx(1 / 2)


def test_residents_and_partners_2025(data):
    db, _ids = data
    p = figures(db, Filters.year(2025))["participants"]
    # Members by their college: Alice ×4, Brigitte ×3, Emma ×1 (A habitants), Farid ×2
    # (B habitants) = 10 residents; Chantal ×1 (acteurs locaux, although she lives in the
    # QPV), Gisèle ×1 (B acteurs locaux) = 2 partners.
    # Walk-ins by their card: Hugo ×2 lives in the QPV = 2 residents; Inès not given =
    # 1 unknown. Counted: 4 in the QPV, 3 not, 2 not given.
    assert p["residents"] == 16              # 10 + 2 + 4
    assert p["partners"] == 5                # 2 + 3
    assert p["residence_unknown"] == 3       # 1 + 2
    assert p["residents"] + p["partners"] + p["residence_unknown"] == p["total"]
    assert p["residents_share"] == pytest.approx(16 / 21)


def test_newcomers_and_returning_2025(data):
    db, _ids = data
    p = figures(db, Filters.year(2025))["participants"]
    # First presence ever: Alice and Chantal at M0 (2024) → returning (2). Brigitte was
    # absent at M0, so her first presence is M1: new, like Emma, Hugo (M1), Inès (M2),
    # Farid and Gisèle (M3): 6. Counted: 4 « first time », 3 « not », 2 unknown.
    assert p["newcomers"] == 10              # 6 + 4
    assert p["returning"] == 5               # 2 + 3
    assert p["newcomers_unknown"] == 2
    assert p["newcomers"] + p["returning"] + p["newcomers_unknown"] == p["distinct"]
    # 2026: Alice and Brigitte at M5 had both come before.
    p26 = figures(db, Filters.year(2026))["participants"]
    assert (p26["newcomers"], p26["returning"], p26["distinct"]) == (0, 2, 2)


def test_participants_with_a_council_filter(data):
    db, ids = data
    # B: M3 (5) + M8 (1) = 6 participations; distinct Alice, Brigitte, Farid, Gisèle, Hugo.
    p = figures(db, Filters.year(2025, [ids["B"]]))["participants"]
    assert (p["total"], p["distinct"], p["average_per_meeting"]) == (6, 5, 3.0)
    # A: M1 4 + M2 11 + M3 5 + M4 3 = 23.
    assert figures(db, Filters.year(2025, [ids["A"]]))["participants"]["total"] == 23


def test_no_meeting_gives_undefined_shares_not_zero(data):
    db, _ids = data
    result = figures(db, Filters.between(dt.date(2025, 7, 1), dt.date(2025, 8, 1)))
    p = result["participants"]
    assert (p["total"], p["distinct"], p["per_meeting"]) == (0, 0, [])
    assert p["average_per_meeting"] is None
    assert p["women_share"] is None and p["under_25_share"] is None
    assert p["residents_share"] is None
    assert result["members"]["attendance_rate"] is None
    assert result["meetings"]["per_month"] == [{"month": "2025-07", "n": 0}]


# -- members ------------------------------------------------------------------------------

def test_member_attendance_rate_2025(data):
    db, ids = data
    m = figures(db, Filters.year(2025))["members"]
    # Member rows: M1 P P R A P; M2 P E · · ·; M3 P P A E (A) + P P (B); M8 P E;
    # M4 P P P A.
    # present 3 + 1 + 4 + 1 + 3 = 12; represented 1; excused 1 + 1 + 1 = 3;
    # absent 1 + 1 + 1 = 3; not recorded 3 (M2, left out of the rate).
    assert (m["present"], m["represented"], m["excused"], m["absent"],
            m["not_recorded"]) == (12, 1, 3, 3, 3)
    # (12 + 1) / (12 + 1 + 3 + 3) = 13 / 19 = 0.684.
    assert m["attendance_rate"] == pytest.approx(13 / 19)
    # A's members at M1, M2, M3, M4: came 4 + 1 + 2 + 3 = 10 of 5 + 2 + 4 + 4 = 15.
    # B's members at M3 and M8: came 2 + 1 = 3 of 2 + 2 = 4.
    assert m["by_council"] == {ids["A"]: pytest.approx(10 / 15),
                               ids["B"]: pytest.approx(3 / 4)}


def test_member_attendance_rate_of_one_council_leaves_out_the_guests(data):
    db, ids = data
    m = figures(db, Filters.year(2025, [ids["A"]]))["members"]
    # Only A's members, M3 included (A was invited): 10 / 15, as by_council above.
    assert (m["present"], m["represented"], m["excused"], m["absent"],
            m["not_recorded"]) == (9, 1, 2, 3, 3)
    assert m["attendance_rate"] == pytest.approx(10 / 15)
    assert m["by_council"] == {ids["A"]: pytest.approx(10 / 15)}


# -- actions ------------------------------------------------------------------------------

def test_actions_2025(data):
    db, _ids = data
    a = figures(db, Filters.year(2025))["actions"]
    # Opened in 2025: Z1 (M1), V6 (M6, cancelled since: still counted), T8 (M8), W4 (M4).
    assert a["opened"] == 4
    # Their current status: Z1 dropped, V6 to do, T8 done, W4 to do.
    assert a["by_status"] == {"a_faire": 2, "en_cours": 0, "fait": 1, "abandonne": 1}
    # Closed in 2025: X0 (10 March, decided in 2024), T8 (1 October), Z1 (31 December).
    assert a["closed"] == 3
    # Still open on 31 December 2025: Y0 (decided 2024-11-20), V6 (2025-09-15), W4
    # (2025-12-31); Z1 was closed that very day.
    assert a["end_day"] == "2025-12-31"
    assert a["open_at_end"] == 3
    # Ages: Y0 41 days to the end of 2024 + 365 = 406; V6 15 + 31 + 30 + 31 = 107;
    # W4 0. Median of 0, 107, 406 = 107.
    assert a["median_age_days_open_at_end"] == 107


def test_actions_2024_and_with_filters(data):
    db, ids = data
    a24 = figures(db, Filters.year(2024))["actions"]
    # X0 and Y0 opened 2024-11-20, both open on 31 December 2024 (41 days old).
    assert (a24["opened"], a24["closed"], a24["open_at_end"],
            a24["median_age_days_open_at_end"]) == (2, 0, 2, 41)
    b = figures(db, Filters.year(2025, [ids["B"]]))["actions"]
    # B: T8 only (opened and closed on 1 October); nothing open: no median.
    assert (b["opened"], b["closed"], b["open_at_end"],
            b["median_age_days_open_at_end"]) == (1, 1, 0, None)
    r307 = figures(db, Filters.year(2025, objective_code="R3.07"))["actions"]
    # Meetings tagged R3.07: M1 (Z1) and M4 (W4). Z1 closed on 31 December; W4 open, 0 day.
    assert (r307["opened"], r307["closed"], r307["open_at_end"],
            r307["median_age_days_open_at_end"]) == (2, 1, 1, 0)


def test_open_actions_are_looked_at_today_when_the_period_is_not_over(data):
    db, _ids = data
    a = figures(db, Filters.year(2026))["actions"]
    # On 1 March 2026: Y0 (466 days: 406 + 60), V6 (167), W4 (60), U5 (59) are open.
    assert a["end_day"] == "2026-03-01"
    assert (a["opened"], a["open_at_end"]) == (1, 4)
    # Median of 59, 60, 167, 466 = (60 + 167) / 2 = 113.5.
    assert a["median_age_days_open_at_end"] == 113.5


# -- observations and walks -----------------------------------------------------------------

def test_observations_2025(data):
    db, _ids = data
    o = figures(db, Filters.year(2025))["observations"]
    # WA (O1, O2, O3, O4, O5, O9; O6 removed) and WB (O8); W24 is 2024.
    assert (o["total"], o["positive"], o["negative"]) == (7, 1, 6)
    assert o["by_theme"] == {"": {"positive": 0, "negative": 1},          # O5
                             "eclairage": {"positive": 1, "negative": 1},  # O2, O1
                             "mobilier_urbain": {"positive": 0, "negative": 1},
                             "proprete": {"positive": 0, "negative": 1},   # O3
                             "securite": {"positive": 0, "negative": 1},   # O8
                             "voirie": {"positive": 0, "negative": 1}}     # O4
    # Follow-ups: O1 ville résolu, O1 bailleur pris en compte, O3 ville résolu, O4 agglo
    # refusé, O5 ville à transmettre, O9 ville en cours, O8 police transmis = 7.
    assert o["followups"] == 7
    assert o["by_status"] == {"a_transmettre": 1, "en_cours": 1, "pris_en_compte": 1,
                              "refuse": 1, "resolu": 2, "transmis": 1}
    assert o["by_group"] == {"open": 4, "fixed": 2, "closed": 1}
    # Resolved: O3 only (O1 still waits for the landlord; O4 was only refused).
    assert o["resolved"] == 1
    # Waiting: O1, O5, O9 (reopened), O8.
    assert o["open"] == 4
    # To remind on 1 March 2026: O1/bailleur (reminder 2025-08-01 has come) and O8/police
    # (sent 2025-09-10, no answer for more than 30 days). O5 not sent yet, O9 in progress.
    assert o["to_remind"] == 2


def test_median_days_to_resolution_by_body(data):
    db, _ids = data
    o = figures(db, Filters.year(2025))["observations"]
    # Resolved in 2025 with the city: O1 (06-01 → 08-10: 30 + 31 + 9 = 70 days), O3
    # (06-05 → 09-13: 30 + 31 + 31 + 8 = 100), O7 (2024-10-20 → 2025-01-29: 31 + 30 +
    # 31 + 9 = 101; its walk was in 2024, its resolution in 2025). O9 was reopened: out.
    # Median of 70, 100, 101 = 100.
    assert o["median_days_to_resolution_by_body"] == {"ville": 100}
    assert o["resolutions_by_body"] == {"ville": 3}
    # 2024: nothing was resolved.
    assert figures(db, Filters.year(2024))["observations"][
        "median_days_to_resolution_by_body"] == {}


def test_median_days_agree_with_the_follow_up_service(data):
    db, _ids = data
    groups = followups.status_groups(db)
    expected = sorted(
        days for row in followups.search(db)
        if (days := followups.resolution_days(row, followups.steps(db, row["id"]), groups))
        is not None)
    assert expected == [70, 100, 101]


def test_to_remind_agrees_with_the_follow_up_service(data, monkeypatch):
    db, _ids = data
    monkeypatch.setattr(followups, "_today", lambda: TODAY)
    listed = followups.search(db, to_remind=True)
    assert len(listed) == 2
    assert figures(db, Filters.year(2025))["observations"]["to_remind"] == 2


def test_walks_2025(data):
    db, ids = data
    w = figures(db, Filters.year(2025))["walks"]
    # WA: 2 named + 6 counted; WB: 1 named + 3 counted.
    assert w == {"held": 2, "participants_counted": 9, "participants_named": 3,
                 "participants": 12}
    wa = figures(db, Filters.year(2025, [ids["A"]]))["walks"]
    assert wa == {"held": 1, "participants_counted": 6, "participants_named": 2,
                  "participants": 8}


def test_observations_with_a_council_filter(data):
    db, ids = data
    o = figures(db, Filters.year(2025, [ids["B"]]))["observations"]
    assert (o["total"], o["negative"], o["followups"], o["to_remind"]) == (1, 1, 1, 1)
    assert o["median_days_to_resolution_by_body"] == {}
    a = figures(db, Filters.year(2025, [ids["A"]]))["observations"]
    assert (a["total"], a["resolved"], a["open"]) == (6, 1, 3)
    assert a["median_days_to_resolution_by_body"] == {"ville": 100}


# -- PERR objective filter ------------------------------------------------------------------

@pytest.mark.parametrize(("code", "meetings_held", "observations", "walks_held"), [
    # Pillar R: M1 (R3.07), M3 (item R3.01), M8 (item R5.08), M4 (R3.07, item R3.05);
    # O1 (R3.07), O3 (R3.01), O8 (R5.08); WA and WB each have one of them.
    ("R", 4, 3, 2),
    # Theme R3: M1, M3, M4; O1, O3; WA only.
    ("R3", 3, 2, 1),
    # Objective R3.07: M1, M4 (the meeting itself is tagged); O1.
    ("R3.07", 2, 1, 1),
    # Pillar D: M2 (item D4.01); O4.
    ("D", 1, 1, 1),
    # Nothing tagged R1.
    ("R1", 0, 0, 0),
])
def test_objective_filter(data, code, meetings_held, observations, walks_held):
    db, _ids = data
    result = figures(db, Filters.year(2025, objective_code=code))
    assert result["meetings"]["held"] == meetings_held
    assert result["observations"]["total"] == observations
    assert result["walks"]["held"] == walks_held
    assert result["filters"]["objective_codes"][0] == code


def test_objective_filter_details(data):
    db, _ids = data
    result = figures(db, Filters.year(2025, objective_code="R3.07"))
    # M1 (4) + M4 (3) = 7 participants.
    assert result["participants"]["total"] == 7
    o = result["observations"]
    # O1 only: two follow-ups, one resolved in 70 days, one to remind; not resolved.
    assert (o["followups"], o["resolved"], o["open"], o["to_remind"]) == (2, 0, 1, 1)
    assert o["median_days_to_resolution_by_body"] == {"ville": 70}


# -- the PERR view --------------------------------------------------------------------------

def test_perr_view_2025(data):
    db, _ids = data
    view = indicators.perr_view(db, Filters.year(2025), today=TODAY)
    assert [n["code"] for n in view] == [r["code"] for r in reference.objective_rows()]
    nodes = {n["code"]: n for n in view}

    def counts(code):
        n = nodes[code]
        return (n["meetings"], n["agenda_items"], n["observations"],
                n["total_meetings"], n["total_agenda_items"], n["total_observations"],
                n["nothing_done"])

    # R3.07: M1 and M4 tagged themselves, O1.
    assert counts("R3.07") == (2, 0, 1, 2, 0, 1, False)
    # R3.05: M4 through its agenda item.
    assert counts("R3.05") == (1, 1, 0, 1, 1, 0, False)
    # R3.01: M3 through its item, O3.
    assert counts("R3.01") == (1, 1, 1, 1, 1, 1, False)
    # Theme R3: nothing tagged R3 itself; below it M1, M4 (once, though tagged R3.07 and
    # R3.05) and M3 = 3 distinct meetings; items 1 + 1 = 2; observations 1 + 1 = 2.
    assert counts("R3") == (0, 0, 0, 3, 2, 2, False)
    # Pillar R: M1, M3, M4, M8 = 4; items R3.01, R3.05, R5.08 = 3; O1, O3, O8 = 3.
    assert counts("R") == (0, 0, 0, 4, 3, 3, False)
    # D4.01: M2's item and O4.
    assert counts("D4.01") == (1, 1, 1, 1, 1, 1, False)
    assert counts("D") == (0, 0, 0, 1, 1, 1, False)
    assert counts("R1") == (0, 0, 0, 0, 0, 0, True)
    assert counts("R1.01") == (0, 0, 0, 0, 0, 0, True)
    assert nodes["D3.01.1"]["nothing_done"] is True
    assert nodes["R3.07"]["level"] == "objective" and nodes["R3"]["level"] == "theme"
    assert nodes["R"]["label_fr"] == "Renforcer" and nodes["R"]["label_en"]
    assert nodes["R3.07"]["parent_code"] == "R3"


def test_perr_summary_in_compute(data):
    db, _ids = data
    perr = figures(db, Filters.year(2025))["perr"]
    objectives = [r for r in reference.objective_rows()
                  if r["level"] in ("objective", "sub_objective")]
    assert perr["objectives"] == len(objectives)
    # R3.07, R3.05, R3.01, R5.08, D4.01.
    assert perr["objectives_covered"] == 5
    assert perr["by_code"]["R3"] == {"meetings": 3, "agenda_items": 2, "observations": 2}
    assert set(perr["by_code"]) == {"R", "R3", "R3.07", "R3.05", "R3.01", "R5", "R5.08",
                                    "D", "D4", "D4.01"}


def test_perr_view_with_filters(data):
    db, ids = data
    view = indicators.perr_view(db, Filters.year(2025, objective_code="R3"), today=TODAY)
    assert [n["code"] for n in view] == ["R3"] + [f"R3.0{n}" for n in range(1, 9)]
    b = {n["code"]: n for n in indicators.perr_view(db, Filters.year(2025, [ids["B"]]),
                                                    today=TODAY)}
    # B: M3 (R3.01) and M8 (R5.08); O8 (R5.08); M1, M4 are A's only.
    assert (b["R3.07"]["total_meetings"], b["R3.01"]["total_meetings"],
            b["R5.08"]["total_meetings"], b["R5.08"]["observations"]) == (0, 1, 1, 1)
    assert b["R3.07"]["nothing_done"] is True
    # 2024: M0 has no tag, W24's O7 neither: the whole tree is « nothing done ».
    assert all(n["nothing_done"] for n in indicators.perr_view(db, Filters.year(2024),
                                                               today=TODAY))

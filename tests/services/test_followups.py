"""Follow-up use cases (journey 5): one follow-up per observation and body concerned, a
history of dated steps, the status of the latest step, « à relancer », the « Suivi » list
and the time to resolution."""

from __future__ import annotations

import datetime as dt

import pytest

from perr_desktop.errors import NotFoundError, ValidationError
from perr_desktop.services import councils, walks
from perr_desktop.services import followups as svc
from tests.services.walks_helpers import dump, row

NIGHT = "2025-01-16"
SENT = "2025-01-27"


@pytest.fixture
def today(monkeypatch):
    """The follow-up service runs on 10 March 2025 unless the test moves the day."""
    day = {"today": dt.date(2025, 3, 10)}
    monkeypatch.setattr(svc, "_today", lambda: day["today"])

    def set_today(value: dt.date) -> None:
        day["today"] = value

    return set_today


@pytest.fixture
def council(db):
    return councils.create_council(db, "Basseau Grande-Garenne", status="actif")


@pytest.fixture
def other_council(db):
    return councils.create_council(db, "Ma Campagne", status="actif")


@pytest.fixture
def walk(db, council):
    return walks.create_walk(db, council, "Diagnostic de nuit", NIGHT, period="nuit")


@pytest.fixture
def observation(db, walk):
    return walks.add_observation(db, walk, bodies=["ville"], theme="eclairage",
                                 description="Lampadaire éteint devant le n° 12", priority=1)


def followup_of(db, observation_id, body, include_deleted=False):
    sql = "SELECT * FROM followups WHERE observation_id = ? AND body = ?"
    if not include_deleted:
        sql += " AND deleted_at IS NULL"
    found = db.query_one(sql, (observation_id, body))
    return found["id"] if found else None


def live_bodies(db, observation_id):
    return {r["body"]: r["status"] for r in db.query(
        "SELECT body, status FROM followups WHERE observation_id = ? AND deleted_at IS NULL",
        (observation_id,))}


def state(db, followup_id):
    stored = row(db, "followups", followup_id)
    return stored["status"], stored["next_reminder_on"]


def history(db, followup_id):
    return [(s["step_date"], s["status"]) for s in svc.steps(db, followup_id)]


# -- bodies concerned -------------------------------------------------------------------

def test_set_bodies_gives_each_body_one_follow_up_to_be_sent(db, observation):
    svc.set_bodies(db, observation, ["ville", "bailleur", "", "ville", "departement"])
    assert live_bodies(db, observation) == {"ville": "a_transmettre",
                                            "bailleur": "a_transmettre",
                                            "departement": "a_transmettre"}
    assert db.scalar("SELECT count(*) FROM followups") == 3
    # The same bodies again: nothing changes.
    before = dump(db)
    svc.set_bodies(db, observation, ["departement", "bailleur", "ville"])
    assert dump(db) == before


def test_untick_keeps_the_history_and_ticking_again_restores_it(db, today, clock,
                                                                observation):
    svc.set_bodies(db, observation, ["ville", "bailleur"])
    bailleur = followup_of(db, observation, "bailleur")
    svc.add_step(db, bailleur, "transmis", step_date=SENT, channel="courrier")
    svc.add_step(db, bailleur, "pris_en_compte", step_date="2025-02-12",
                 next_reminder_on="2025-04-01")

    svc.set_bodies(db, observation, ["ville"])
    assert live_bodies(db, observation) == {"ville": "a_transmettre"}
    stored = row(db, "followups", bailleur)
    assert stored["deleted_at"] is not None
    assert history(db, bailleur) == [(SENT, "transmis"), ("2025-02-12", "pris_en_compte")]
    assert [f["body"] for f in svc.search(db)] == ["ville"]

    svc.set_bodies(db, observation, ["ville", "bailleur"])
    assert followup_of(db, observation, "bailleur") == bailleur     # the same record
    assert state(db, bailleur) == ("pris_en_compte", "2025-04-01")
    assert history(db, bailleur) == [(SENT, "transmis"), ("2025-02-12", "pris_en_compte")]
    assert db.scalar("SELECT count(*) FROM followups WHERE observation_id = ?",
                     (observation,)) == 2

    svc.set_bodies(db, observation, [])
    assert live_bodies(db, observation) == {}


@pytest.mark.parametrize("bodies", [["mairie"], ["ville", "bailleur", "Bailleur"]])
def test_set_bodies_refuses_an_unknown_body_and_writes_nothing(db, observation, bodies):
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.set_bodies(db, observation, bodies)
    assert excinfo.value.field == "body"
    assert str(excinfo.value) == f"Valeur inconnue : {bodies[-1]}."
    assert dump(db) == before


def test_set_bodies_of_a_removed_observation(db, observation):
    walks.remove_observation(db, observation)
    with pytest.raises(NotFoundError):
        svc.set_bodies(db, observation, ["ville"])


# -- steps ------------------------------------------------------------------------------

def test_add_step_records_the_history_and_the_latest_status(db, today, clock, observation):
    ville = followup_of(db, observation, "ville")
    assert state(db, ville) == ("a_transmettre", None)

    first = svc.add_step(db, ville, "transmis", step_date=SENT, channel="courrier",
                         note="  Dossier envoyé au service voirie ",
                         next_reminder_on="2025-02-27")
    assert state(db, ville) == ("transmis", "2025-02-27")
    stored = row(db, "followup_steps", first)
    assert (stored["followup_id"], stored["step_date"], stored["status"], stored["channel"],
            stored["note"], stored["next_reminder_on"]) == (
        ville, SENT, "transmis", "courrier", "Dossier envoyé au service voirie", "2025-02-27")

    svc.add_step(db, ville, "programme", step_date="2025-02-10", channel="reponse_ecrite",
                 note="Travaux prévus en mars", next_reminder_on="2025-03-31")
    assert state(db, ville) == ("programme", "2025-03-31")
    # A step without a reminder: the follow-up has none any more.
    svc.add_step(db, ville, "en_cours", step_date="2025-03-04", channel="reunion_gup")
    assert state(db, ville) == ("en_cours", None)
    assert history(db, ville) == [(SENT, "transmis"), ("2025-02-10", "programme"),
                                  ("2025-03-04", "en_cours")]


def test_a_step_dated_earlier_than_the_latest_does_not_change_the_status(db, today, clock,
                                                                        observation):
    ville = followup_of(db, observation, "ville")
    svc.add_step(db, ville, "programme", step_date="2025-02-10",
                 next_reminder_on="2025-03-31")
    # Typed afterwards, but it happened before: the sending forgotten at the time.
    svc.add_step(db, ville, "transmis", step_date=SENT, channel="courrier",
                 next_reminder_on="2025-02-27")
    assert state(db, ville) == ("programme", "2025-03-31")
    assert history(db, ville) == [(SENT, "transmis"), ("2025-02-10", "programme")]


def test_two_steps_on_the_same_day_the_one_typed_last_wins(db, today, clock, observation):
    ville = followup_of(db, observation, "ville")
    svc.add_step(db, ville, "transmis", step_date=SENT)
    svc.add_step(db, ville, "pris_en_compte", step_date=SENT)
    assert state(db, ville) == ("pris_en_compte", None)
    assert history(db, ville) == [(SENT, "transmis"), (SENT, "pris_en_compte")]


def test_add_step_is_dated_today_unless_said(db, today, observation):
    ville = followup_of(db, observation, "ville")
    step = svc.add_step(db, ville, "transmis", channel="mail")
    assert row(db, "followup_steps", step)["step_date"] == "2025-03-10"
    today(dt.date(2025, 6, 1))
    step = svc.add_step(db, ville, "pris_en_compte")
    assert row(db, "followup_steps", step)["step_date"] == "2025-06-01"


def test_remove_step_gives_back_the_previous_status(db, today, clock, observation):
    ville = followup_of(db, observation, "ville")
    sent = svc.add_step(db, ville, "transmis", step_date=SENT, next_reminder_on="2025-02-27")
    planned = svc.add_step(db, ville, "programme", step_date="2025-02-10",
                           next_reminder_on="2025-03-31")
    done = svc.add_step(db, ville, "resolu", step_date="2025-03-05")

    svc.remove_step(db, done)
    assert state(db, ville) == ("programme", "2025-03-31")
    assert row(db, "followup_steps", done)["deleted_at"] is not None
    # Removing an earlier step leaves the latest one's status.
    svc.remove_step(db, sent)
    assert state(db, ville) == ("programme", "2025-03-31")
    svc.remove_step(db, planned)
    assert state(db, ville) == ("a_transmettre", None)
    assert history(db, ville) == []
    with pytest.raises(NotFoundError):
        svc.remove_step(db, planned)


@pytest.mark.parametrize("kwargs, field, message", [
    ({"status": "envoye"}, "status", "Valeur inconnue : envoye."),
    ({"status": ""}, "status", "Choisissez une valeur dans la liste."),
    ({"status": "ville"}, "status", "Valeur inconnue : ville."),      # a body, not a status
    ({"channel": "pigeon"}, "channel", "Valeur inconnue : pigeon."),
    ({"step_date": "2025-03-11"}, "step_date",
     "Une étape de suivi ne peut pas être datée dans le futur."),
    ({"step_date": "27/01/2025"}, "step_date", "27/01/2025 n'est pas une date valide."),
    ({"next_reminder_on": SENT}, "next_reminder_on", "La relance doit venir après l'étape."),
])
def test_add_step_refuses_bad_values_and_writes_nothing(db, today, observation, kwargs,
                                                        field, message):
    ville = followup_of(db, observation, "ville")
    svc.add_step(db, ville, "transmis", step_date=SENT)
    before = dump(db)
    with pytest.raises(ValidationError) as excinfo:
        svc.add_step(db, ville, **{"status": "pris_en_compte", "step_date": SENT, **kwargs})
    assert excinfo.value.field == field
    assert str(excinfo.value) == message
    assert dump(db) == before
    assert state(db, ville) == ("transmis", None)


def test_a_step_in_the_future_is_judged_against_the_services_today(db, today, observation):
    ville = followup_of(db, observation, "ville")
    today(dt.date(2025, 1, 26))
    with pytest.raises(ValidationError):
        svc.add_step(db, ville, "transmis", step_date=SENT)
    today(dt.date(2025, 1, 27))
    svc.add_step(db, ville, "transmis", step_date=SENT)
    assert state(db, ville) == ("transmis", None)


def test_add_step_to_an_unticked_body_is_refused(db, today, observation):
    ville = followup_of(db, observation, "ville")
    svc.set_bodies(db, observation, [])
    before = dump(db)
    with pytest.raises(NotFoundError):
        svc.add_step(db, ville, "transmis", step_date=SENT)
    with pytest.raises(NotFoundError):
        svc.add_step(db, "no-such-follow-up", "transmis", step_date=SENT)
    assert dump(db) == before


# -- per walk ---------------------------------------------------------------------------

def test_for_walk_groups_follow_ups_by_observation_with_their_history(db, today, clock, walk,
                                                                      observation):
    other = walks.add_observation(db, walk, bodies=["bailleur", "agglomeration"],
                                  theme="logement")
    walks.add_observation(db, walk, theme="espaces_verts", positive=True)   # no body
    gone = walks.add_observation(db, walk, bodies=["ville"], theme="bruit")
    walks.remove_observation(db, gone)
    elsewhere = walks.create_walk(db, row(db, "walks", walk)["council_id"], "Autre",
                                  "2025-02-01")
    walks.add_observation(db, elsewhere, bodies=["ville"], theme="voirie")
    ville = followup_of(db, observation, "ville")
    bailleur = followup_of(db, other, "bailleur")
    svc.add_step(db, ville, "programme", step_date="2025-02-10")
    svc.add_step(db, ville, "transmis", step_date=SENT)
    svc.add_step(db, bailleur, "transmis", step_date=SENT)
    svc.add_step(db, bailleur, "reoriente", step_date="2025-02-05")
    removed = svc.add_step(db, bailleur, "resolu", step_date="2025-03-01")
    svc.remove_step(db, removed)

    grouped = svc.for_walk(db, walk)

    assert set(grouped) == {observation, other}
    assert [(f["body"], f["status"], f["group"], [(s["step_date"], s["status"])
                                                   for s in f["steps"]])
            for f in grouped[observation]] == [
        ("ville", "programme", "open", [(SENT, "transmis"), ("2025-02-10", "programme")])]
    assert [(f["body"], f["status"], f["group"], len(f["steps"]))
            for f in grouped[other]] == [
        ("agglomeration", "a_transmettre", "open", 0),
        ("bailleur", "reoriente", "closed", 2)]


def test_for_walk_without_follow_ups(db, walk):
    walks.add_observation(db, walk, theme="eclairage")
    assert svc.for_walk(db, walk) == {}


# -- « à relancer » ---------------------------------------------------------------------

ON = dt.date(2025, 3, 10)


def ago(days):
    return (ON - dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize("group, status, reminder, last_step, expected", [
    # A reminder date set: due on that day and after.
    ("open", "programme", "2025-03-10", ago(20), True),
    ("open", "programme", "2025-03-09", ago(20), True),
    ("open", "programme", "2025-03-11", ago(20), False),
    ("open", "a_transmettre", "2025-03-01", None, True),
    # Sent without an answer: due after 30 days.
    ("open", "transmis", None, ago(31), True),
    ("open", "transmis", None, ago(90), True),
    ("open", "transmis", None, ago(29), False),
    ("open", "transmis", None, ago(0), False),
    # A reminder set later than 30 days after sending: the reminder decides.
    ("open", "transmis", "2025-04-01", ago(60), False),
    # Answered, or never sent, with no reminder: nothing to chase.
    ("open", "pris_en_compte", None, ago(120), False),
    ("open", "en_cours", None, ago(120), False),
    ("open", "a_transmettre", None, None, False),
    # Resolved or closed: never.
    ("fixed", "resolu", "2025-01-01", ago(120), False),
    ("closed", "reoriente", "2025-01-01", ago(120), False),
    ("closed", "refuse", None, ago(120), False),
    ("closed", "doublon", None, ago(120), False),
])
def test_overdue(group, status, reminder, last_step, expected):
    follow_up = {"group": group, "status": status, "next_reminder_on": reminder,
                 "last_step_date": last_step}
    assert svc.overdue(follow_up, ON) is expected


@pytest.mark.parametrize("days, expected", [(31, True), (29, False)])
def test_sent_without_answer_is_to_be_chased_after_30_days(db, today, observation, days,
                                                           expected):
    ville = followup_of(db, observation, "ville")
    svc.add_step(db, ville, "transmis", step_date=ago(days), channel="courrier")
    (found,) = svc.search(db)
    assert (found["status"], found["last_step_date"], found["sent_on"]) == (
        "transmis", ago(days), ago(days))
    assert found["overdue"] is expected
    assert [r["id"] for r in svc.search(db, to_remind=True)] == ([ville] if expected else [])


def test_chasing_again_restarts_the_30_days(db, today, clock, observation):
    ville = followup_of(db, observation, "ville")
    svc.add_step(db, ville, "transmis", step_date=ago(50), channel="courrier")
    assert svc.search(db)[0]["overdue"] is True
    svc.add_step(db, ville, "transmis", step_date=ago(5), channel="mail", note="Relance")
    found = svc.search(db)[0]
    assert (found["overdue"], found["sent_on"], found["last_step_date"]) == (
        False, ago(50), ago(5))


def test_an_answer_after_the_sending_stops_the_chase(db, today, clock, observation):
    ville = followup_of(db, observation, "ville")
    svc.add_step(db, ville, "transmis", step_date=ago(50), next_reminder_on=ago(30))
    assert svc.search(db)[0]["overdue"] is True
    svc.add_step(db, ville, "pris_en_compte", step_date=ago(40))
    assert svc.search(db)[0]["overdue"] is False
    assert svc.search(db, to_remind=True) == []


# -- journey 5: six months of follow-up -------------------------------------------------

@pytest.fixture
def journey(db, today, clock, council, other_council, walk):
    """The night walk of 16 January 2025 and what the bodies answered by 10 March."""
    def observe(theme, bodies, **fields):
        return walks.add_observation(db, walk, bodies=bodies, theme=theme, **fields)

    lamp = observe("eclairage", ["ville"], priority=1,
                   description="lampadaire éteint depuis 3 semaines devant le n° 12")
    hall = observe("logement", ["bailleur"], tags="TFPB", description="Hall dégradé")
    shelter = observe("transports", ["ville", "agglomeration"], description="Abribus cassé")
    pavement = observe("voirie", ["ville"], description="Trottoir défoncé")
    observe("espaces_verts", [], positive=True, description="Square bien entretenu")
    litter = observe("proprete", ["ville"], description="Dépôts sauvages")
    noise = observe("bruit", ["police_municipale"], description="Rodéos le soir")

    ids = {
        "lamp": followup_of(db, lamp, "ville"),
        "hall": followup_of(db, hall, "bailleur"),
        "shelter_city": followup_of(db, shelter, "ville"),
        "shelter_agglo": followup_of(db, shelter, "agglomeration"),
        "pavement": followup_of(db, pavement, "ville"),
        "litter": followup_of(db, litter, "ville"),
        "noise": followup_of(db, noise, "police_municipale"),
    }
    for key in ("lamp", "hall", "shelter_city", "shelter_agglo", "noise"):
        svc.add_step(db, ids[key], "transmis", step_date=SENT, channel="courrier")
    svc.add_step(db, ids["lamp"], "programme", step_date="2025-02-10",
                 channel="reponse_ecrite", note="Remplacement prévu en mars",
                 next_reminder_on="2025-03-31")
    svc.add_step(db, ids["hall"], "pris_en_compte", step_date="2025-02-12", channel="mail")
    svc.add_step(db, ids["shelter_city"], "reoriente", step_date="2025-02-05",
                 channel="reunion_gup", note="Compétence du Département")
    svc.add_step(db, ids["pavement"], "transmis", step_date="2025-02-20", channel="mail")
    svc.add_step(db, ids["noise"], "resolu", step_date="2025-02-28", channel="reunion_gup")
    # The other council's walk, answered the same way, must not leak into its filters.
    elsewhere = walks.create_walk(db, other_council, "Marche exploratoire", "2025-01-20")
    foreign = walks.add_observation(db, elsewhere, bodies=["ville"], theme="eclairage")
    ids["foreign"] = followup_of(db, foreign, "ville")
    svc.add_step(db, ids["foreign"], "transmis", step_date="2025-01-30", channel="mail")
    return ids


def test_journey_5_to_remind_on_10_march(db, journey):
    names = {v: k for k, v in journey.items()}
    rows = svc.search(db)
    assert {names[r["id"]]: (r["status"], r["group"], r["overdue"]) for r in rows} == {
        "lamp": ("programme", "open", False),          # reminder on 31 March
        "hall": ("pris_en_compte", "open", False),
        "shelter_city": ("reoriente", "closed", False),
        "shelter_agglo": ("transmis", "open", True),  # 42 days without an answer
        "pavement": ("transmis", "open", False),       # 18 days
        "litter": ("a_transmettre", "open", False),
        "noise": ("resolu", "fixed", False),
        "foreign": ("transmis", "open", True),         # 39 days
    }
    assert [names[r["id"]] for r in svc.search(db, to_remind=True)] == [
        "foreign", "shelter_agglo"]
    assert [r["id"] for r in svc.search(db, to_remind=True)] == [
        r["id"] for r in rows if r["overdue"]]


def test_journey_5_to_remind_on_1_april(db, journey, today):
    today(dt.date(2025, 4, 1))
    names = {v: k for k, v in journey.items()}
    assert [names[r["id"]] for r in svc.search(db, to_remind=True)] == [
        "foreign", "lamp", "shelter_agglo", "pavement"]
    council_id = row(db, "walks", row(db, "observations", row(
        db, "followups", journey["lamp"])["observation_id"])["walk_id"])["council_id"]
    assert [names[r["id"]] for r in svc.search(db, council_id=council_id, body="ville",
                                               to_remind=True)] == ["lamp", "pavement"]


def test_search_rows_carry_what_the_follow_up_table_shows(db, journey):
    (lamp,) = [r for r in svc.search(db) if r["id"] == journey["lamp"]]
    assert {k: lamp[k] for k in ("body", "status", "next_reminder_on", "number", "theme",
                                 "priority", "positive", "walk_title", "walk_date",
                                 "council_name", "stop_name", "last_step_date", "sent_on",
                                 "group", "overdue", "age_days")} == {
        "body": "ville", "status": "programme", "next_reminder_on": "2025-03-31",
        "number": 1, "theme": "eclairage", "priority": 1, "positive": 0,
        "walk_title": "Diagnostic de nuit", "walk_date": NIGHT,
        "council_name": "Basseau Grande-Garenne", "stop_name": None,
        "last_step_date": "2025-02-10", "sent_on": SENT, "group": "open", "overdue": False,
        "age_days": 53}


def test_search_filters(db, journey, council, other_council):
    names = {v: k for k, v in journey.items()}

    def found(**filters):
        return [names[r["id"]] for r in svc.search(db, **filters)]

    # Newest walk first, then by observation number and body.
    assert found() == ["foreign", "lamp", "hall", "shelter_agglo", "shelter_city",
                       "pavement", "litter", "noise"]
    assert found(council_id=council) == ["lamp", "hall", "shelter_agglo", "shelter_city",
                                         "pavement", "litter", "noise"]
    assert found(council_id=other_council) == ["foreign"]
    assert found(body="ville") == ["foreign", "lamp", "shelter_city", "pavement", "litter"]
    assert found(body="bailleur") == ["hall"]
    assert found(status="transmis") == ["foreign", "shelter_agglo", "pavement"]
    assert found(status="transmis", council_id=council, body="ville") == ["pavement"]
    assert found(theme="eclairage") == ["foreign", "lamp"]
    assert found(theme="eclairage", council_id=council) == ["lamp"]
    assert found(group="open") == ["foreign", "lamp", "hall", "shelter_agglo", "pavement",
                                   "litter"]
    assert found(group="fixed") == ["noise"]
    assert found(group="closed") == ["shelter_city"]
    assert found(body="departement") == []


def test_search_by_age_of_the_walk(db, journey):
    names = {v: k for k, v in journey.items()}
    rows = svc.search(db)
    assert {r["walk_date"]: r["age_days"] for r in rows} == {NIGHT: 53, "2025-01-20": 49}
    # 50 days or more ago: only the 16 January walk, not the one of 20 January.
    old = [names[r["id"]] for r in svc.search(db, older_than_days=50)]
    assert old == ["lamp", "hall", "shelter_agglo", "shelter_city", "pavement", "litter",
                   "noise"]
    assert len(svc.search(db, older_than_days=49)) == 8
    assert len(svc.search(db, older_than_days=50)) == 7
    assert svc.search(db, older_than_days=54) == []


def test_search_leaves_out_what_was_removed(db, journey, walk):
    names = {v: k for k, v in journey.items()}
    hall_observation = row(db, "followups", journey["hall"])["observation_id"]
    walks.remove_observation(db, hall_observation)
    shelter_observation = row(db, "followups", journey["shelter_agglo"])["observation_id"]
    svc.set_bodies(db, shelter_observation, ["ville"])
    assert "hall" not in [names[r["id"]] for r in svc.search(db)]
    assert "shelter_agglo" not in [names[r["id"]] for r in svc.search(db)]
    assert [names[r["id"]] for r in svc.search(db, to_remind=True)] == ["foreign"]
    walks.delete_walk(db, walk)
    assert [names[r["id"]] for r in svc.search(db)] == ["foreign"]


# -- time to resolution -----------------------------------------------------------------

def test_resolution_days_from_first_sending_to_resolution(db, today, clock, observation):
    today(dt.date(2025, 6, 30))
    ville = followup_of(db, observation, "ville")
    svc.add_step(db, ville, "transmis", step_date=SENT, channel="courrier")
    svc.add_step(db, ville, "transmis", step_date="2025-03-01", note="Relance")
    svc.add_step(db, ville, "programme", step_date="2025-03-15")
    assert svc.resolution_days(row(db, "followups", ville), svc.steps(db, ville)) is None
    svc.add_step(db, ville, "resolu", step_date="2025-04-11")
    # From the first sending, 27 January, to 11 April: 74 days (journey 6's median).
    assert svc.resolution_days(row(db, "followups", ville), svc.steps(db, ville)) == 74


def test_resolution_days_needs_a_sending(db, today, observation):
    ville = followup_of(db, observation, "ville")
    svc.add_step(db, ville, "resolu", step_date="2025-02-01", note="Réparé avant l'envoi")
    assert svc.resolution_days(row(db, "followups", ville), svc.steps(db, ville)) is None
    assert svc.resolution_days(row(db, "followups", ville), []) is None


def test_resolution_days_same_day(db, today, clock, observation):
    ville = followup_of(db, observation, "ville")
    svc.add_step(db, ville, "transmis", step_date=SENT)
    svc.add_step(db, ville, "resolu", step_date=SENT)
    assert svc.resolution_days(row(db, "followups", ville), svc.steps(db, ville)) == 0


def test_resolution_days_of_a_reopened_follow_up_is_none(db, today, clock, observation):
    ville = followup_of(db, observation, "ville")
    svc.add_step(db, ville, "transmis", step_date=SENT)
    svc.add_step(db, ville, "resolu", step_date="2025-02-10")
    svc.add_step(db, ville, "en_cours", step_date="2025-03-01", note="Lampadaire de nouveau "
                 "éteint")
    assert state(db, ville) == ("en_cours", None)
    assert svc.resolution_days(row(db, "followups", ville), svc.steps(db, ville)) is None


def test_a_step_before_the_walk_or_on_a_removed_walk_is_refused(db, today, walk, observation):
    ville = followup_of(db, observation, "ville")
    with pytest.raises(ValidationError) as excinfo:
        svc.add_step(db, ville, "transmis", step_date="2025-01-15")   # the walk: 16 January
    assert excinfo.value.field == "step_date"
    walks.delete_walk(db, walk)
    with pytest.raises(ValidationError):
        svc.add_step(db, ville, "transmis", step_date="2025-01-20")
    assert svc.steps(db, ville) == []


def test_get_one_follow_up_as_the_list_shows_it(db, today, observation):
    ville = followup_of(db, observation, "ville")
    svc.add_step(db, ville, "transmis", step_date="2025-01-27", channel="courrier")
    found = svc.get(db, ville)
    assert (found["id"], found["status"], found["sent_on"], found["number"]) == (
        ville, "transmis", "2025-01-27", 1)
    assert svc.get(db, "00000000-0000-4000-8000-000000000000") is None

"""People use cases: the directory, search as you type, memberships."""

from __future__ import annotations

import pytest

from perr_desktop.errors import NotFoundError, ValidationError
from perr_desktop.services import councils, reference
from perr_desktop.services import people as svc
from tests.services.helpers import days


def names(db, ids):
    rows = svc.people_rows(db, ids)
    return [rows[i]["name"] for i in ids]


def found(db, text="", **kw):
    return names(db, svc.search_people_ids(db, text, **kw))


@pytest.fixture
def directory(db):
    """A handful of people, created in no particular order."""
    for first, last, organisation in [
        ("Fabien", "Fabre", ""),
        ("Hélène", "Garnier", "Centre social Jean-Moulin"),
        ("Élodie", "Émery", "Régie de quartier"),
        ("Daniel", "Dupont", ""),
        ("Hélène", "Dupuis", "Bailleur Logélia"),
        ("Œnone", "Cœurdevey", ""),
        ("Yannick", "L’Houmeau", ""),
        ("Bernard", "Durand", "100% Quartier"),
        ("Bruno", "Durand", "100 Quartiers"),
        ("Zoé", "Zaoui", "Asso_Jeunes"),
        ("Zack", "Zaoui", "AssoXJeunes"),
    ]:
        svc.create_person(db, first_name=first, last_name=last, organisation=organisation)
    return db


# -- create and update --------------------------------------------------------------------

def test_create_person_computes_keys(db):
    person_id = svc.create_person(db, first_name=" Hélène ", last_name="Garnier",
                                  organisation="Centre social Jean-Moulin", gender="femme",
                                  email="helene@example.fr")
    row = db.query_one("SELECT * FROM people WHERE id = ?", (person_id,))
    assert row["first_name"] == "Hélène"
    assert row["search_key"] == "helene garnier centre social jean-moulin"
    assert row["sort_key"] == "garnier\x1fhelene"
    assert row["gender"] == "femme"
    assert row["created_at"] == row["updated_at"]
    person = svc.get_person(db, person_id)
    assert person["name"] == "Hélène Garnier"
    assert person["memberships"] == []


def test_create_person_refuses_bad_input_and_writes_nothing(db):
    with pytest.raises(ValidationError):
        svc.create_person(db, first_name="", last_name=" ")
    with pytest.raises(ValidationError) as excinfo:
        svc.create_person(db, first_name="Hélène", email="helene")
    assert excinfo.value.field == "email"
    assert db.scalar("SELECT count(*) FROM people") == 0


def test_update_person_recomputes_keys(db, clock):
    person_id = svc.create_person(db, first_name="Elodie", last_name="Emery")
    before = svc.get_person(db, person_id)

    after = svc.update_person(db, person_id, first_name="Élodie", last_name="Émery-Roux",
                              organisation="Régie")
    row = db.query_one("SELECT * FROM people WHERE id = ?", (person_id,))
    assert row["search_key"] == "elodie emery-roux regie"
    assert row["sort_key"] == "emery-roux\x1felodie"
    assert after["search_key"] == row["search_key"]
    assert row["updated_at"] > before["updated_at"]

    # A change of e-mail alone leaves the keys as they are.
    svc.update_person(db, person_id, email="elodie@example.fr")
    row2 = db.query_one("SELECT * FROM people WHERE id = ?", (person_id,))
    assert (row2["search_key"], row2["sort_key"]) == (row["search_key"], row["sort_key"])
    assert row2["email"] == "elodie@example.fr"


def test_update_person_without_change_keeps_updated_at(db, clock):
    person_id = svc.create_person(db, first_name="Hélène", last_name="Garnier")
    before = svc.get_person(db, person_id)
    svc.update_person(db, person_id, first_name=" Hélène", last_name="Garnier ")
    assert svc.get_person(db, person_id)["updated_at"] == before["updated_at"]


def test_update_person_cannot_remove_both_names(db):
    person_id = svc.create_person(db, first_name="", last_name="Garnier")
    with pytest.raises(ValidationError):
        svc.update_person(db, person_id, last_name="")
    assert svc.get_person(db, person_id)["last_name"] == "Garnier"
    svc.update_person(db, person_id, first_name="Hélène")
    svc.update_person(db, person_id, last_name="")
    assert svc.get_person(db, person_id)["name"] == "Hélène"


def test_update_unknown_person(db):
    with pytest.raises(NotFoundError):
        svc.update_person(db, "no-such-id", first_name="x")


# -- search --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("hel", ["Hélène Dupuis", "Hélène Garnier"]),
    ("HÉLÈNE", ["Hélène Dupuis", "Hélène Garnier"]),
    ("arni", ["Hélène Garnier"]),
    ("emery", ["Élodie Émery"]),
    ("Elodie", ["Élodie Émery"]),
    ("coeur", ["Œnone Cœurdevey"]),
    ("oenone", ["Œnone Cœurdevey"]),
    # Typed with a typographic apostrophe, stored and found with either.
    ("l'houm", ["Yannick L'Houmeau"]),
    ("l’houm", ["Yannick L'Houmeau"]),
    ("jean-moulin", ["Hélène Garnier"]),   # organisation is searched too
    ("logelia", ["Hélène Dupuis"]),
    ("hel gar", ["Hélène Garnier"]),       # every word must match…
    ("garnier helene", ["Hélène Garnier"]),  # …in any order
    ("  hel    dup  ", ["Hélène Dupuis"]),
    ("hel fabre", []),
    ("xyz", []),
])
def test_search(directory, text, expected):
    assert found(directory, text) == expected


def test_empty_search_lists_everyone(directory):
    assert len(found(directory, "")) == 11
    assert len(found(directory, "   ")) == 11


@pytest.mark.parametrize(("text", "expected"), [
    ("100%", ["Bernard Durand"]),
    ("%", ["Bernard Durand"]),
    ("0%q", []),
    ("o_j", ["Zoé Zaoui"]),
    ("_", ["Zoé Zaoui"]),
    ("\\", []),
])
def test_like_wildcards_are_literal(directory, text, expected):
    assert found(directory, text) == expected


def test_sort_by_surname_ignores_accents(directory):
    everyone = found(directory)
    assert everyone == [
        "Œnone Cœurdevey", "Daniel Dupont", "Hélène Dupuis", "Bernard Durand", "Bruno Durand",
        "Élodie Émery", "Fabien Fabre", "Hélène Garnier", "Yannick L'Houmeau",
        "Zack Zaoui", "Zoé Zaoui",
    ]
    assert everyone.index("Élodie Émery") == everyone.index("Bruno Durand") + 1
    assert found(directory, sort="name", descending=True) == everyone[::-1]


def test_sort_by_first_name(directory):
    assert found(directory, "durand", sort="first_name") == ["Bernard Durand", "Bruno Durand"]
    assert found(directory, "durand", sort="first_name", descending=True) == [
        "Bruno Durand", "Bernard Durand"]


def test_list_people_matches_search(directory):
    rows = svc.list_people(directory, "hel")
    assert [r["name"] for r in rows] == ["Hélène Dupuis", "Hélène Garnier"]
    assert rows[1]["organisation"] == "Centre social Jean-Moulin"
    assert set(svc.LIST_COLUMNS) <= rows[0].keys()


def test_people_rows_in_pages(db):
    ids = [svc.create_person(db, first_name=f"P{i:04d}", last_name="Nom") for i in range(1203)]
    rows = svc.people_rows(db, ids)
    assert len(rows) == 1203
    assert rows[ids[1202]]["first_name"] == "P1202"


# -- council filters -------------------------------------------------------------------------

@pytest.fixture
def council_with_members(directory):
    db = directory
    council_id = councils.create_council(db, "Ma Campagne")
    other_id = councils.create_council(db, "Bel-Air")
    by_name = {r["name"]: r["id"] for r in svc.list_people(db)}
    svc.add_membership(db, council_id, by_name["Hélène Garnier"], "habitants",
                       joined_on=days(-100))
    svc.add_membership(db, council_id, by_name["Daniel Dupont"], "acteurs_locaux",
                       joined_on=days(-400), left_on=days(-10))
    svc.add_membership(db, council_id, by_name["Fabien Fabre"], "habitants",
                       joined_on=days(-30), left_on=days(30))
    svc.add_membership(db, other_id, by_name["Élodie Émery"], "habitants")
    return db, council_id, other_id, by_name


def test_council_filter_includes_former_members(council_with_members):
    db, council_id, other_id, _ = council_with_members
    assert found(db, council_id=council_id) == [
        "Daniel Dupont", "Fabien Fabre", "Hélène Garnier"]
    assert found(db, council_id=other_id) == ["Élodie Émery"]
    assert found(db, "hel", council_id=council_id) == ["Hélène Garnier"]


def test_members_only_excludes_those_who_left(council_with_members):
    db, council_id, _, _ = council_with_members
    assert found(db, council_id=council_id, members_only=True) == [
        "Fabien Fabre", "Hélène Garnier"]


def test_people_rows_name_current_councils(council_with_members):
    db, _, _, by_name = council_with_members
    rows = svc.people_rows(db, by_name.values())
    assert rows[by_name["Hélène Garnier"]]["councils"] == "Ma Campagne"
    assert rows[by_name["Daniel Dupont"]]["councils"] is None  # left ten days ago
    assert rows[by_name["Élodie Émery"]]["councils"] == "Bel-Air"


def test_members_only_agrees_with_member_count(council_with_members):
    db, council_id, _, by_name = council_with_members
    svc.add_membership(db, council_id, by_name["Zoé Zaoui"], "habitants", joined_on=days(7))
    active = {m["person_id"] for m in councils.council_members(db, council_id) if m["active"]}
    [council] = [c for c in councils.list_councils(db) if c["id"] == council_id]
    assert council["member_count"] == len(active) == 2
    assert set(svc.search_people_ids(db, council_id=council_id, members_only=True)) == active


def test_members_only_without_council_means_members_of_any_council(council_with_members):
    db, _council, other_id, _ = council_with_members
    councils.delete_council(db, other_id)  # Élodie's only council is gone
    assert found(db, members_only=True) == ["Fabien Fabre", "Hélène Garnier"]


def test_a_removed_college_is_refused_for_new_members_but_kept_on_old_ones(
        council_with_members):
    db, council_id, _, by_name = council_with_members
    db.execute("UPDATE vocabulary SET system = 0 WHERE kind = 'college' AND code = 'habitants'")
    [entry] = [v for v in reference.vocabulary(db, "college") if v["code"] == "habitants"]
    reference.remove_vocabulary_entry(db, entry["id"])
    with pytest.raises(ValidationError):
        svc.add_membership(db, council_id, by_name["Zoé Zaoui"], "habitants")
    [helene] = [m for m in councils.council_members(db, council_id)
                if m["person_id"] == by_name["Hélène Garnier"]]
    svc.update_membership(db, helene["id"], role="secretaire")  # college unchanged: fine
    assert db.scalar("SELECT college || '/' || role FROM memberships WHERE id = ?",
                     (helene["id"],)) == "habitants/secretaire"


# -- delete --------------------------------------------------------------------------------

def test_delete_person_tombstones_memberships_too(council_with_members):
    db, council_id, _, by_name = council_with_members
    helene = by_name["Hélène Garnier"]
    svc.delete_person(db, helene)

    assert "Hélène Garnier" not in found(db)
    assert "Hélène Garnier" not in found(db, council_id=council_id)
    with pytest.raises(NotFoundError):
        svc.get_person(db, helene)
    rows = db.query("SELECT deleted_at FROM memberships WHERE person_id = ?", (helene,))
    assert len(rows) == 1
    assert rows[0]["deleted_at"] is not None
    assert db.scalar("SELECT deleted_at FROM people WHERE id = ?", (helene,)) is not None
    assert "Hélène Garnier" not in [m["name"] for m in councils.council_members(db, council_id)]


# -- memberships -------------------------------------------------------------------------------

@pytest.fixture
def pair(db):
    council_id = councils.create_council(db, "Ma Campagne")
    person_id = svc.create_person(db, first_name="Hélène", last_name="Garnier")
    return db, council_id, person_id


def membership_count(db):
    return db.scalar("SELECT count(*) FROM memberships WHERE deleted_at IS NULL")


def test_add_membership_shows_on_the_person(pair):
    db, council_id, person_id = pair
    membership_id = svc.add_membership(db, council_id, person_id, "habitants", role="referent",
                                       joined_on="2023-09-01")
    [membership] = svc.get_person(db, person_id)["memberships"]
    assert membership["id"] == membership_id
    assert membership["council_name"] == "Ma Campagne"
    assert (membership["college"], membership["role"]) == ("habitants", "referent")
    assert membership["joined_on"] == "2023-09-01"
    assert membership["active"] is True


@pytest.mark.parametrize(("first", "second"), [
    ((None, None), ("2024-01-01", None)),
    (("2020-01-01", None), ("2022-01-01", "2023-01-01")),
    (("2020-01-01", "2022-01-01"), ("2021-12-31", None)),
    (("2020-01-01", "2022-01-01"), (None, "2020-01-02")),
    (("2020-01-01", "2022-01-01"), ("2020-06-01", "2020-07-01")),
])
def test_overlapping_memberships_refused(pair, first, second):
    db, council_id, person_id = pair
    svc.add_membership(db, council_id, person_id, "habitants", joined_on=first[0],
                       left_on=first[1])
    with pytest.raises(ValidationError) as excinfo:
        svc.add_membership(db, council_id, person_id, "acteurs_locaux", joined_on=second[0],
                           left_on=second[1])
    assert excinfo.value.field == "joined_on"
    assert membership_count(db) == 1


def test_successive_memberships_allowed(pair):
    db, council_id, person_id = pair
    svc.add_membership(db, council_id, person_id, "habitants", joined_on="2020-01-01",
                       left_on="2022-01-01")
    # Leaving on a day and joining again that same day do not overlap.
    svc.add_membership(db, council_id, person_id, "acteurs_locaux", joined_on="2022-01-01")
    svc.add_membership(db, council_id, person_id, "habitants", left_on="2020-01-01")
    assert membership_count(db) == 3


def test_same_person_in_two_councils(pair):
    db, council_id, person_id = pair
    other = councils.create_council(db, "Bel-Air")
    svc.add_membership(db, council_id, person_id, "habitants")
    svc.add_membership(db, other, person_id, "habitants")
    assert membership_count(db) == 2


def test_removed_membership_does_not_block(pair):
    db, council_id, person_id = pair
    mistake = svc.add_membership(db, council_id, person_id, "habitants")
    svc.remove_membership(db, mistake)
    svc.add_membership(db, council_id, person_id, "acteurs_locaux")
    assert membership_count(db) == 1


def test_update_membership_checks_overlap_excluding_itself(pair):
    db, council_id, person_id = pair
    first = svc.add_membership(db, council_id, person_id, "habitants", joined_on="2020-01-01",
                               left_on="2021-01-01")
    svc.add_membership(db, council_id, person_id, "habitants", joined_on="2022-01-01")
    svc.update_membership(db, first, left_on="2021-06-01", role="secretaire")
    with pytest.raises(ValidationError):
        svc.update_membership(db, first, left_on="2022-06-01")
    with pytest.raises(ValidationError) as excinfo:
        svc.update_membership(db, first, left_on="2019-01-01")
    assert excinfo.value.field == "left_on"
    row = db.query_one("SELECT left_on, role FROM memberships WHERE id = ?", (first,))
    assert row == {"left_on": "2021-06-01", "role": "secretaire"}


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"college": "elus"}, "college"),
    ({"college": "habitants", "role": "president"}, "member_role"),
])
def test_unknown_college_or_role_refused(pair, kwargs, field):
    db, council_id, person_id = pair
    with pytest.raises(ValidationError) as excinfo:
        svc.add_membership(db, council_id, person_id, **kwargs)
    assert excinfo.value.field == field
    assert membership_count(db) == 0


def test_left_before_joined_refused(pair):
    db, council_id, person_id = pair
    with pytest.raises(ValidationError) as excinfo:
        svc.add_membership(db, council_id, person_id, "habitants", joined_on="2024-03-01",
                           left_on="2024-02-28")
    assert excinfo.value.field == "left_on"
    assert membership_count(db) == 0


def test_membership_of_deleted_council_or_person_refused(pair):
    db, council_id, person_id = pair
    other_person = svc.create_person(db, first_name="Karim", last_name="Benali")
    svc.delete_person(db, other_person)
    with pytest.raises(NotFoundError):
        svc.add_membership(db, council_id, other_person, "habitants")
    councils.delete_council(db, council_id)
    with pytest.raises(ValidationError) as excinfo:
        svc.add_membership(db, council_id, person_id, "habitants")
    assert excinfo.value.field == "council_id"
    assert membership_count(db) == 0

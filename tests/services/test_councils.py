"""Council use cases: create, edit, neighbourhoods, the five QPV, members."""

from __future__ import annotations

import pytest

from perr_desktop.errors import NotFoundError, ValidationError
from perr_desktop.services import councils
from perr_desktop.services import people as people_service
from tests.services.helpers import days


def neighbourhood_names(db, council_id):
    return [n["name"] for n in councils.get_council(db, council_id)["neighbourhoods"]]


def count(db, table):
    return db.scalar(f"SELECT count(*) FROM {table}")


# -- create ----------------------------------------------------------------------------------

def test_create_council_with_neighbourhoods(db, qpv):
    council_id = councils.create_council(
        db, "  Conseil citoyen de Bel-Air ", status="actif",
        neighbourhood_ids=[qpv["bel-air-grand-font"], qpv["basseau-grande-garenne"]],
        venue="Centre social Le Chantier", facilitator_name="Hélène Garnier",
    )
    council = councils.get_council(db, council_id)
    assert council["name"] == "Conseil citoyen de Bel-Air"
    assert council["status"] == "actif"
    assert council["venue"] == "Centre social Le Chantier"
    assert council["facilitator_name"] == "Hélène Garnier"
    assert council["created_at"] == council["updated_at"]
    assert council["deleted_at"] is None
    assert [n["name"] for n in council["neighbourhoods"]] == [
        "Basseau Grande-Garenne", "Bel-Air Grand Font"]
    assert council["members"] == []

    [listed] = councils.list_councils(db)
    assert listed["id"] == council_id
    assert listed["neighbourhood_names"] == "Basseau Grande-Garenne, Bel-Air Grand Font"
    assert listed["member_count"] == 0


def test_create_council_defaults_to_being_set_up(db):
    council_id = councils.create_council(db, "Conseil citoyen de Soyaux")
    assert councils.get_council(db, council_id)["status"] == "en_creation"
    assert neighbourhood_names(db, council_id) == []


def test_create_council_refuses_bad_input_and_writes_nothing(db, qpv):
    with pytest.raises(ValidationError):
        councils.create_council(db, "   ")
    with pytest.raises(ValidationError):
        councils.create_council(db, "Conseil", status="dissous")
    with pytest.raises(NotFoundError):
        councils.create_council(db, "Conseil", neighbourhood_ids=[qpv["ma-campagne"], "nope"])
    assert count(db, "councils") == 0
    assert count(db, "council_neighbourhoods") == 0


# -- update ----------------------------------------------------------------------------------

def test_update_moves_updated_at_only_when_a_value_changes(db, clock):
    council_id = councils.create_council(db, "Ma Campagne", status="actif", venue="CSCS")
    created = councils.get_council(db, council_id)

    same = councils.update_council(db, council_id, name=" Ma  Campagne ", status="actif",
                                   venue="CSCS")
    assert same["updated_at"] == created["updated_at"]
    assert councils.get_council(db, council_id)["updated_at"] == created["updated_at"]

    changed = councils.update_council(db, council_id, venue="Maison des associations",
                                      status="actif")
    stored = councils.get_council(db, council_id)
    assert stored["venue"] == "Maison des associations"
    assert stored["updated_at"] == changed["updated_at"] > created["updated_at"]
    assert stored["created_at"] == created["created_at"]


def test_update_refuses_bad_values_and_keeps_the_record(db):
    council_id = councils.create_council(db, "Ma Campagne")
    before = councils.get_council(db, council_id)
    with pytest.raises(ValidationError) as excinfo:
        councils.update_council(db, council_id, name="")
    assert excinfo.value.field == "name"
    with pytest.raises(ValidationError):
        councils.update_council(db, council_id, recognised_on="2999-01-01")
    assert councils.get_council(db, council_id) == before


def test_update_unknown_council(db):
    with pytest.raises(NotFoundError):
        councils.update_council(db, "no-such-id", name="x")


# -- neighbourhoods --------------------------------------------------------------------------

def test_set_neighbourhoods_add_remove_and_readd_reuses_the_link(db, qpv):
    ma_campagne, bel_air = qpv["ma-campagne"], qpv["bel-air-grand-font"]
    council_id = councils.create_council(db, "Conseil", neighbourhood_ids=[ma_campagne])
    first_link = db.scalar(
        "SELECT id FROM council_neighbourhoods WHERE neighbourhood_id = ?", (ma_campagne,))

    councils.set_neighbourhoods(db, council_id, [ma_campagne, bel_air])
    assert neighbourhood_names(db, council_id) == ["Bel-Air Grand Font", "Ma Campagne"]

    councils.set_neighbourhoods(db, council_id, [bel_air])
    assert neighbourhood_names(db, council_id) == ["Bel-Air Grand Font"]
    assert db.scalar(
        "SELECT deleted_at FROM council_neighbourhoods WHERE id = ?", (first_link,)
    ) is not None

    councils.set_neighbourhoods(db, council_id, [ma_campagne, bel_air])
    assert neighbourhood_names(db, council_id) == ["Bel-Air Grand Font", "Ma Campagne"]
    links = db.query(
        "SELECT id, neighbourhood_id, deleted_at FROM council_neighbourhoods "
        "WHERE council_id = ? ORDER BY neighbourhood_id", (council_id,))
    assert len(links) == 2
    assert all(link["deleted_at"] is None for link in links)
    assert first_link in {link["id"] for link in links}

    councils.set_neighbourhoods(db, council_id, [])
    assert neighbourhood_names(db, council_id) == []
    assert count(db, "council_neighbourhoods") == 2


def test_set_neighbourhoods_of_a_deleted_council(db, qpv):
    council_id = councils.create_council(db, "Conseil")
    councils.delete_council(db, council_id)
    with pytest.raises(NotFoundError):
        councils.set_neighbourhoods(db, council_id, [qpv["ma-campagne"]])
    assert count(db, "council_neighbourhoods") == 0


# -- the five QPV ----------------------------------------------------------------------------

def test_create_qpv_councils_twice(db, qpv):
    created = councils.create_qpv_councils(db)
    assert len(created) == 5
    assert councils.create_qpv_councils(db) == []
    assert count(db, "councils") == 5

    listed = {c["name"]: c for c in councils.list_councils(db)}
    assert set(listed) == {
        "Basseau Grande-Garenne", "Ma Campagne", "Bel-Air Grand Font", "L'Étang des Moines",
        "Champ de Manœuvre"}
    # The PERR asks to create Basseau's council; the four others exist already.
    assert {name: c["status"] for name, c in listed.items()} == {
        "Basseau Grande-Garenne": "en_creation", "Ma Campagne": "actif",
        "Bel-Air Grand Font": "actif", "L'Étang des Moines": "actif",
        "Champ de Manœuvre": "actif"}
    for name, council in listed.items():
        assert council["neighbourhood_names"] == name


def test_create_qpv_councils_skips_neighbourhoods_that_have_one(db, qpv):
    councils.create_council(db, "Conseil citoyen de Soyaux",
                            neighbourhood_ids=[qpv["champ-de-manoeuvre"]])
    assert len(councils.create_qpv_councils(db, codes=["ma-campagne"])) == 1
    rest = councils.create_qpv_councils(db)
    assert len(rest) == 3
    assert sorted(c["name"] for c in councils.list_councils(db)) == [
        "Basseau Grande-Garenne", "Bel-Air Grand Font", "Conseil citoyen de Soyaux",
        "L'Étang des Moines", "Ma Campagne"]


def test_create_qpv_councils_after_a_council_was_deleted(db):
    created = councils.create_qpv_councils(db)
    councils.delete_council(db, created[0])
    again = councils.create_qpv_councils(db)
    assert len(again) == 1
    assert len(councils.list_councils(db)) == 5


# -- delete ----------------------------------------------------------------------------------

def test_delete_council_hides_it(db):
    keep = councils.create_council(db, "Ma Campagne")
    gone = councils.create_council(db, "Bel-Air")
    councils.delete_council(db, gone)
    assert [c["id"] for c in councils.list_councils(db)] == [keep]
    with pytest.raises(NotFoundError):
        councils.get_council(db, gone)
    with pytest.raises(ValidationError):
        councils.require_council(db, gone)
    # A tombstone, not an erasure (it must travel to the other laptops).
    assert db.scalar("SELECT deleted_at FROM councils WHERE id = ?", (gone,)) is not None
    with pytest.raises(NotFoundError):
        councils.delete_council(db, gone)


def test_list_councils_is_sorted_by_name_ignoring_case(db):
    for name in ("ma Campagne", "Bel-Air", "Champ de Manœuvre", "basseau"):
        councils.create_council(db, name)
    assert [c["name"] for c in councils.list_councils(db)] == [
        "basseau", "Bel-Air", "Champ de Manœuvre", "ma Campagne"]


# -- members ---------------------------------------------------------------------------------

def test_member_count_counts_only_active_memberships(db):
    council_id = councils.create_council(db, "Ma Campagne")
    other_council = councils.create_council(db, "Bel-Air")

    def member(first, **dates):
        person = people_service.create_person(db, first_name=first, last_name="Test")
        membership = people_service.add_membership(db, council_id, person, "habitants", **dates)
        return person, membership

    member("Active")                                              # counts
    member("Depuis", joined_on=days(-30))                         # counts
    member("Partira", joined_on=days(-30), left_on=days(10))      # counts
    member("Partie", joined_on=days(-300), left_on=days(-1))      # left yesterday
    member("Future", joined_on=days(1))                           # joins tomorrow
    _, removed = member("Erreur")
    people_service.remove_membership(db, removed)                 # entered by mistake
    gone, _ = member("Supprimée")
    people_service.delete_person(db, gone)                        # deleted person
    elsewhere = people_service.create_person(db, first_name="Ailleurs", last_name="Test")
    people_service.add_membership(db, other_council, elsewhere, "acteurs_locaux")

    counts = {c["name"]: c["member_count"] for c in councils.list_councils(db)}
    assert counts == {"Ma Campagne": 3, "Bel-Air": 1}

    members = councils.council_members(db, council_id)
    assert {m["first_name"]: m["active"] for m in members} == {
        "Active": True, "Depuis": True, "Partira": True, "Partie": False, "Future": False}
    assert all(m["name"] == f"{m['first_name']} Test" for m in members)


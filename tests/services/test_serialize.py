"""JSON-ready records: the field names are part of the command-line contract."""

from __future__ import annotations

import json

import pytest

from perr_desktop import i18n
from perr_desktop.errors import NotFoundError
from perr_desktop.services import councils, reference, serialize
from perr_desktop.services import people as people_service
from perr_desktop.storage.ids import reference_id


@pytest.fixture
def filled(db, qpv):
    council_id = councils.create_council(
        db, "Conseil citoyen de Ma Campagne", status="actif",
        neighbourhood_ids=[qpv["ma-campagne"]], venue="CSCS Ma Campagne",
        facilitator_name="Hélène Garnier", recognised_on="2016-05-02",
    )
    person_id = people_service.create_person(
        db, first_name="Élodie", last_name="Émery", gender="femme", organisation="Régie",
        email="elodie@example.fr", birth_year=1985, lives_in_qpv=True,
        consent_date="2024-01-10", consent_contact=True,
    )
    membership_id = people_service.add_membership(db, council_id, person_id, "habitants",
                                                  role="referent", joined_on="2023-09-01")
    return db, council_id, person_id, membership_id


def qpv_id(code):
    return reference_id("neighbourhood", code)


def roundtrip(data):
    return json.loads(json.dumps(data, ensure_ascii=False))


def test_councils_list(filled):
    db, council_id, _, _ = filled
    data = serialize.councils(db)
    assert roundtrip(data) == data
    [item] = data
    assert item["id"] == council_id
    assert item["name"] == "Conseil citoyen de Ma Campagne"
    assert item["status"] == "actif"
    assert [n["name"] for n in item["neighbourhoods"]] == ["Ma Campagne"]
    assert item["member_count"] == 1
    assert item["recognised_on"] == "2016-05-02"
    assert item["facilitator"] == "Hélène Garnier"
    assert {"created_at", "updated_at", "status_label", "venue", "notes"} <= item.keys()


def test_council_without_neighbourhood_lists_none(db):
    councils.create_council(db, "Nouveau conseil")
    assert serialize.councils(db)[0]["neighbourhoods"] == []


def test_council_list_with_a_comma_in_a_neighbourhood_name(db, qpv):
    reference.update_neighbourhood(db, qpv["bel-air-grand-font"], name="Bel-Air, Grand Font")
    councils.create_council(db, "Conseil", neighbourhood_ids=[qpv["bel-air-grand-font"]])
    assert [n["name"] for n in serialize.councils(db)[0]["neighbourhoods"]] == [
        "Bel-Air, Grand Font"]


def test_one_council_with_everything(filled):
    db, council_id, person_id, membership_id = filled
    data = serialize.council(db, council_id)
    assert roundtrip(data) == data
    assert data["id"] == council_id
    assert data["name"] == "Conseil citoyen de Ma Campagne"
    assert data["neighbourhoods"] == [{
        "id": qpv_id("ma-campagne"), "code": "ma-campagne", "name": "Ma Campagne",
        "commune": "Angoulême", "population": 1943}]
    [member] = data["members"]
    assert member == {
        "membership_id": membership_id, "person_id": person_id, "name": "Élodie Émery",
        "organisation": "Régie", "college": "habitants", "college_label": "Habitants",
        "role": "referent", "role_label": "Référent(e)", "joined_on": "2023-09-01",
        "left_on": None, "active": True,
    }
    assert data["member_count"] == 1


def test_labels_follow_the_language(filled):
    db, council_id, person_id, _ = filled
    i18n.set_language("en")
    data = serialize.council(db, council_id)
    assert data["status_label"] == "active"
    assert data["members"][0]["college_label"] == "Residents"
    assert serialize.person(db, person_id)["gender_label"] == "woman"


def test_people_list(filled):
    db, _, person_id, _ = filled
    people_service.create_person(db, first_name="Karim", last_name="Benali")
    data = serialize.people(db)
    assert roundtrip(data) == data
    assert [p["name"] for p in data] == ["Karim Benali", "Élodie Émery"]
    emery = data[1]
    assert emery["id"] == person_id
    assert emery["councils"] == "Conseil citoyen de Ma Campagne"
    assert emery["consent"] == {"date": "2024-01-10", "contact": True, "photos": False}
    assert data[0]["councils"] == ""
    assert [p["name"] for p in serialize.people(db, text="emery")] == ["Élodie Émery"]


def test_one_person_with_everything(filled):
    db, council_id, person_id, membership_id = filled
    data = serialize.person(db, person_id)
    assert roundtrip(data) == data
    assert data["id"] == person_id
    assert data["name"] == "Élodie Émery"
    assert (data["first_name"], data["last_name"]) == ("Élodie", "Émery")
    assert data["birth_year"] == 1985
    assert data["lives_in_qpv"] is True
    assert data["email"] == "elodie@example.fr"
    assert {"created_at", "updated_at", "address", "notes", "phone"} <= data.keys()
    assert data["memberships"] == [{
        "id": membership_id, "council_id": council_id,
        "council": "Conseil citoyen de Ma Campagne", "college": "habitants",
        "college_label": "Habitants", "role": "referent", "role_label": "Référent(e)",
        "joined_on": "2023-09-01", "left_on": None, "active": True,
    }]


def test_unknown_ids(db):
    with pytest.raises(NotFoundError):
        serialize.person(db, "no-such-id")
    with pytest.raises(NotFoundError):
        serialize.council(db, "no-such-id")

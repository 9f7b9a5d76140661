"""Reference data as the user edits it: vocabularies, neighbourhoods, the PERR tree."""

from __future__ import annotations

import pytest

from perr_desktop import i18n
from perr_desktop.errors import NotFoundError, UserError, ValidationError
from perr_desktop.services import reference
from perr_desktop.storage.ids import reference_id


def entry(db, kind, code):
    return db.query_one("SELECT * FROM vocabulary WHERE kind = ? AND code = ?", (kind, code))


def test_vocabulary_labels_in_both_languages(db):
    assert [r["label"] for r in reference.vocabulary(db, "college", lang="fr")] == [
        "Habitants", "Acteurs locaux"]
    assert [r["label"] for r in reference.vocabulary(db, "college", lang="en")] == [
        "Residents", "Local stakeholders"]
    assert reference.vocabulary_labels(db, "college", lang="en") == {
        "habitants": "Residents", "acteurs_locaux": "Local stakeholders"}
    assert reference.vocabulary_labels(db, "member_role", lang="fr")["referent"] == "Référent(e)"


def test_vocabulary_follows_the_interface_language(db):
    assert reference.vocabulary(db, "college")[0]["label"] == "Habitants"
    i18n.set_language("en")
    assert reference.vocabulary(db, "college")[0]["label"] == "Residents"
    assert reference.vocabulary(db, "college", lang="fr")[0]["label"] == "Habitants"


def test_vocabulary_keeps_the_shipped_order(db):
    codes = [r["code"] for r in reference.vocabulary(db, "attendance_status")]
    assert codes == ["present", "excuse", "absent", "represente"]


def test_add_entry_makes_a_unique_code(db):
    first = reference.add_vocabulary_entry(db, "college", "Élus", "Elected")
    second = reference.add_vocabulary_entry(db, "college", "  élus ")
    third = reference.add_vocabulary_entry(db, "college", "Habitants")
    codes = {r["id"]: r["code"] for r in reference.vocabulary(db, "college")}
    assert codes[first] == "elus"
    assert codes[second] == "elus_2"
    assert codes[third] == "habitants_2"
    assert [r["code"] for r in reference.vocabulary(db, "college")] == [
        "habitants", "acteurs_locaux", "elus", "elus_2", "habitants_2"]
    apostrophe = reference.add_vocabulary_entry(db, "meeting_kind", "Conseil d’école")
    assert db.scalar("SELECT code FROM vocabulary WHERE id = ?", (apostrophe,)) == \
        "conseil_d_ecole"


def test_added_entry_without_english_label_shows_french(db):
    reference.add_vocabulary_entry(db, "body", "Centre social")
    assert reference.vocabulary_labels(db, "body", lang="en")["centre_social"] == "Centre social"


def test_code_of_a_removed_entry_is_not_reused(db):
    elus = reference.add_vocabulary_entry(db, "college", "Élus")
    reference.remove_vocabulary_entry(db, elus)
    again = reference.add_vocabulary_entry(db, "college", "Élus")
    assert db.scalar("SELECT code FROM vocabulary WHERE id = ?", (again,)) == "elus_2"


def test_add_entry_needs_a_label(db):
    with pytest.raises(ValidationError) as excinfo:
        reference.add_vocabulary_entry(db, "college", "  ")
    assert excinfo.value.field == "label_fr"


def test_system_entries_cannot_be_removed(db):
    habitants = reference_id("college", "habitants")
    with pytest.raises(UserError) as excinfo:
        reference.remove_vocabulary_entry(db, habitants)
    assert "Habitants" in excinfo.value.message
    assert entry(db, "college", "habitants")["deleted_at"] is None
    # …but they can be renamed.
    reference.update_vocabulary_entry(db, habitants, "Résidents", "Residents")
    assert reference.vocabulary_labels(db, "college", lang="fr")["habitants"] == "Résidents"


def test_other_entries_are_tombstoned(db):
    bureau = reference_id("meeting_kind", "bureau")
    reference.remove_vocabulary_entry(db, bureau)
    assert "bureau" not in [r["code"] for r in reference.vocabulary(db, "meeting_kind")]
    # Old records still name it.
    assert reference.vocabulary_labels(db, "meeting_kind")["bureau"] == "Réunion de bureau"
    assert entry(db, "meeting_kind", "bureau")["deleted_at"] is not None
    with pytest.raises(NotFoundError):
        reference.remove_vocabulary_entry(db, bureau)


def test_update_entry_validates(db):
    bureau = reference_id("meeting_kind", "bureau")
    with pytest.raises(ValidationError):
        reference.update_vocabulary_entry(db, bureau, "", "Board")
    reference.update_vocabulary_entry(db, bureau, "  Bureau   du conseil ", " Board ")
    row = entry(db, "meeting_kind", "bureau")
    assert (row["label_fr"], row["label_en"]) == ("Bureau du conseil", "Board")


# -- neighbourhoods ----------------------------------------------------------------------------

def test_neighbourhoods_listed_by_commune_then_name(db):
    assert [(n["commune"], n["name"]) for n in reference.neighbourhoods(db)] == [
        ("Angoulême", "Basseau Grande-Garenne"), ("Angoulême", "Bel-Air Grand Font"),
        ("Angoulême", "Ma Campagne"), ("La Couronne", "L'Étang des Moines"),
        ("Soyaux", "Champ de Manœuvre"),
    ]


def population(db, code):
    return db.scalar("SELECT population FROM neighbourhoods WHERE code = ?", (code,))


@pytest.mark.parametrize(("typed", "stored"), [
    ("2000", 2000), (0, 0), ("", None), (None, None),
    ("1 943", 1943), ("1\u202f943", 1943), (" 3560 ", 3560),  # French digit grouping
])
def test_update_neighbourhood_population(db, typed, stored):
    reference.update_neighbourhood(db, reference_id("neighbourhood", "ma-campagne"),
                                   population=typed)
    assert population(db, "ma-campagne") == stored


@pytest.mark.parametrize("typed", ["-1", -5, "beaucoup", "1 943,5", 3.7, "3.7", 3.7j])
def test_update_neighbourhood_refuses_bad_population(db, typed):
    with pytest.raises(ValidationError) as excinfo:
        reference.update_neighbourhood(db, reference_id("neighbourhood", "ma-campagne"),
                                       population=typed)
    assert excinfo.value.field == "population"
    assert population(db, "ma-campagne") == 1943


def test_update_neighbourhood_name(db):
    ma_campagne = reference_id("neighbourhood", "ma-campagne")
    with pytest.raises(ValidationError):
        reference.update_neighbourhood(db, ma_campagne, name=" ")
    reference.update_neighbourhood(db, ma_campagne, name=" Ma  Campagne ", notes="QPV")
    row = db.query_one("SELECT name, notes FROM neighbourhoods WHERE id = ?", (ma_campagne,))
    assert row == {"name": "Ma Campagne", "notes": "QPV"}
    with pytest.raises(ValueError):
        reference.update_neighbourhood(db, ma_campagne, code="x")


# -- PERR tree --------------------------------------------------------------------------------

def test_perr_objectives_in_reading_order(db):
    fr = reference.perr_objectives(db, lang="fr")
    en = reference.perr_objectives(db, lang="en")
    assert len(fr) == len(en) == 115
    assert [r["code"] for r in fr[:3]] == ["R", "R1", "R1.01"]
    assert (fr[0]["label"], en[0]["label"]) == ("Renforcer", "Strengthen")
    assert fr[1]["label"] == "L'attractivité économique des quartiers"
    assert all(r["label"] for r in en)

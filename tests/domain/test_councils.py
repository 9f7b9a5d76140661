"""Council field rules."""

from __future__ import annotations

import datetime as dt

import pytest

from perr_desktop.domain.councils import CouncilStatus, status_label, validate_changes
from perr_desktop.errors import ValidationError

TODAY = dt.date(2024, 6, 15)


def test_valid_changes_are_normalised():
    assert validate_changes({
        "name": "  Conseil citoyen   de Ma Campagne ",
        "status": "actif",
        "recognised_on": dt.date(2016, 5, 2),
        "venue": " Centre social ",
        "notes": "  première ligne\n\nseconde ligne  ",
    }, today=TODAY) == {
        "name": "Conseil citoyen de Ma Campagne",
        "status": "actif",
        "recognised_on": "2016-05-02",
        "venue": "Centre social",
        "notes": "première ligne\n\nseconde ligne",
    }


@pytest.mark.parametrize("name", ["", "   ", None])
def test_a_council_needs_a_name(name):
    with pytest.raises(ValidationError) as excinfo:
        validate_changes({"name": name}, today=TODAY)
    assert excinfo.value.field == "name"


def test_name_too_long():
    with pytest.raises(ValidationError) as excinfo:
        validate_changes({"name": "x" * 301}, today=TODAY)
    assert excinfo.value.field == "name"


@pytest.mark.parametrize("status", ["dissous", "", "ACTIF"])
def test_unknown_status_refused(status):
    with pytest.raises(ValidationError) as excinfo:
        validate_changes({"status": status}, today=TODAY)
    assert excinfo.value.field == "status"


def test_every_status_accepted():
    for status in CouncilStatus:
        assert validate_changes({"status": status}, today=TODAY) == {"status": status.value}
    assert validate_changes({"status": CouncilStatus.EN_SOMMEIL}, today=TODAY)["status"] \
        == "en_sommeil"


def test_recognised_on_cannot_be_in_the_future():
    with pytest.raises(ValidationError) as excinfo:
        validate_changes({"recognised_on": "2024-06-16"}, today=TODAY)
    assert excinfo.value.field == "recognised_on"
    assert validate_changes({"recognised_on": "2024-06-15"}, today=TODAY) == {
        "recognised_on": "2024-06-15"}
    assert validate_changes({"recognised_on": ""}, today=TODAY) == {"recognised_on": None}


def test_recognised_on_must_be_a_date():
    with pytest.raises(ValidationError) as excinfo:
        validate_changes({"recognised_on": "le 2 mai"}, today=TODAY)
    assert excinfo.value.field == "recognised_on"


def test_unknown_field_is_a_bug_not_a_user_error():
    with pytest.raises(ValueError, match="deleted_at"):
        validate_changes({"deleted_at": "2024-01-01"}, today=TODAY)


def test_status_label_in_english():
    from perr_desktop import i18n

    i18n.set_language("en")
    assert status_label("en_creation") == "being set up"
    assert status_label("actif") == "active"
    assert status_label("en_sommeil") == "dormant"
    with pytest.raises(ValueError):
        status_label("dissous")

"""Text rules: trimming and the accent-free search key."""

from __future__ import annotations

import datetime as dt

import pytest

from perr_desktop.domain.text import (
    MAX_LINE,
    clean,
    limit_length,
    parse_iso_date,
    require_text,
    search_key,
)
from perr_desktop.errors import ValidationError


@pytest.mark.parametrize(("typed", "key"), [
    ("Hélène", "helene"),
    ("GARNIER", "garnier"),
    ("Élodie Émery", "elodie emery"),
    ("François Müller", "francois muller"),
    ("Champ de Manœuvre", "champ de manoeuvre"),
    ("ŒUVRE", "oeuvre"),
    ("Lætitia", "laetitia"),
    ("Straße", "strasse"),
    ("ﬁnance", "finance"),  # the "fi" typographic ligature
    ("L’Étang des Moines", "l'etang des moines"),
    ("L'Étang des Moines", "l'etang des moines"),
    ("  Jean   Pierre\t", "jean pierre"),
    ("", ""),
])
def test_search_key(typed, key):
    assert search_key(typed) == key


def test_search_key_apostrophes_agree():
    assert search_key("d’Aubigné") == search_key("d'Aubigne") == search_key("D'AUBIGNÉ")


def test_search_key_joins_parts_and_skips_empty_ones():
    assert search_key("Hélène", None, "", "Centre social de Basseau") == \
        "helene centre social de basseau"
    assert search_key() == ""


@pytest.mark.parametrize(("raw", "cleaned"), [
    (None, ""),
    ("", ""),
    ("  Ma   Campagne \n", "Ma Campagne"),
    ("l’école", "l'école"),
    ("Hélène", "Hélène"),  # accents are kept: only the search key drops them
    (2024, "2024"),
])
def test_clean(raw, cleaned):
    assert clean(raw) == cleaned


def test_parse_iso_date():
    assert parse_iso_date("2024-03-01", "f") == dt.date(2024, 3, 1)
    assert parse_iso_date(" 2024-03-01 ", "f") == dt.date(2024, 3, 1)
    assert parse_iso_date(dt.date(2024, 3, 1), "f") == dt.date(2024, 3, 1)
    assert parse_iso_date(dt.datetime(2024, 3, 1, 18, 30), "f") == dt.date(2024, 3, 1)
    assert parse_iso_date(None, "f") is None
    assert parse_iso_date("", "f") is None
    with pytest.raises(ValidationError) as excinfo:
        parse_iso_date("31/02/2024", "joined_on")
    assert excinfo.value.field == "joined_on"
    assert "31/02/2024" in excinfo.value.message


def test_require_text_and_limit_length():
    assert require_text("  Ma Campagne ", "name", "needed") == "Ma Campagne"
    with pytest.raises(ValidationError) as excinfo:
        require_text(" \t ", "name", "needed")
    assert (excinfo.value.field, excinfo.value.message) == ("name", "needed")
    assert limit_length("x" * MAX_LINE, "name") == "x" * MAX_LINE
    with pytest.raises(ValidationError) as excinfo:
        limit_length("x" * (MAX_LINE + 1), "name")
    assert excinfo.value.field == "name"
    assert str(MAX_LINE + 1) in excinfo.value.message
